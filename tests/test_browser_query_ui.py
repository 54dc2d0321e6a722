"""The query page in Chromium (issue 11, item 1): Yasgui served by us, talking to us only.

Debian's Chromium, driven by Playwright as in test_browser.py, opens /sparql: Yasgui replaces the
server's form, a saved query runs in it with one click and shows the rows the data holds, our
chart plugin draws a count per year, the address carries the query and opening it shows that
query again, over what localStorage keeps. Throughout, every request the page makes goes to the
server's own origin, nothing breaks the page's Content-Security-Policy and the console shows no
error. With JavaScript off, the form still runs a query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import ROOT, KnowledgeGraph
from test_browser import CHROMIUM_FLAGS, WATCH_VIOLATIONS, _chromium

from ombudsman_kg.rdf.namespaces import PREFIXES

QUERIES = ROOT / "queries"
ACTIVE = ".tabPanel.active "
EDITOR = ACTIVE + ".CodeMirror"
ROWS = ACTIVE + ".yasr_results table.dataTable tbody tr"
WAIT_MS = 20_000


@dataclass
class Watched:
    """A page, and what it did: console errors, policy violations, every URL it asked for."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def violations(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = self.page.evaluate("window.__violations")
        return found

    def assert_clean(self, origin: str) -> None:
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.violations() == [], f"policy violations: {self.violations()}"
        elsewhere = [url for url in self.requests if not url.startswith(origin + "/")]
        assert elsewhere == [], f"requests to another origin: {elsewhere}"


@pytest.fixture(scope="module")
def site(built_dist: Path) -> Iterator[str]:
    from conftest import start_server, stop_server

    process, url = start_server(built_dist)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Playwright's Chromium is Debian's: Playwright's own download cannot run here."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is missing: .venv/bin/pip install -e '.[test]' (issue 8)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh profile: its own, empty, localStorage."""
    opened = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield opened
    opened.close()


def watch(context: Any) -> Watched:
    page = context.new_page()
    watched = Watched(page)
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on("request", lambda request: watched.requests.append(request.url))
    page.add_init_script(WATCH_VIOLATIONS)
    return watched


def open_page(context: Any, url: str) -> Watched:
    watched = watch(context)
    response = watched.page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    watched.page.wait_for_selector(EDITOR, timeout=WAIT_MS)
    return watched


def saved(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def editor_text(page: Any) -> str:
    text: str = page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.getValue()")
    return text


def query_in_address(page: Any) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get("query")
    return values[0] if values else None


def column(page: Any, index: int) -> list[str]:
    """The text of one column of Yasr's table (column 0 is its row number)."""
    cells: list[str] = page.eval_on_selector_all(
        ROWS, f"rows => rows.map(row => row.children[{index}].innerText.trim())"
    )
    return cells


# ---------------------------------------------------------------- Yasgui and the saved queries


def test_yasgui_replaces_the_form_and_a_saved_query_runs_with_one_click(
    site: str, context: Any, kg: KnowledgeGraph
) -> None:
    watched = open_page(context, site + "/sparql")
    page = watched.page
    assert page.is_hidden("#query-form"), "the server's form stays under Yasgui"
    assert page.is_visible("#query-editor")
    page.evaluate("window.__still_this_page = true")
    page.click("a[data-saved-query=events-by-year]")
    page.wait_for_selector(ROWS, timeout=WAIT_MS)
    assert page.evaluate("window.__still_this_page === true"), "the link was followed instead"
    expected = kg.select(saved("events-by-year"))
    assert column(page, 1) == [row["year"] for row in expected]
    assert [cell.split('"')[1] for cell in column(page, 2)] == [row["events"] for row in expected]
    assert editor_text(page) == saved("events-by-year")
    assert query_in_address(page) == saved("events-by-year"), page.url
    watched.assert_clean(site)


def test_the_chart_plugin_draws_a_count_per_year_and_stays_off_without_numbers(
    site: str, context: Any, kg: KnowledgeGraph
) -> None:
    watched = open_page(context, site + "/sparql")
    page = watched.page
    page.click("a[data-saved-query=events-by-year]")
    page.wait_for_selector(ROWS, timeout=WAIT_MS)
    page.click(ACTIVE + ".select_chart")
    chart = page.wait_for_selector(ACTIVE + ".okg-chart svg", timeout=WAIT_MS)
    assert chart is not None
    years = [row["year"] for row in kg.select(saved("events-by-year"))]
    labels = page.eval_on_selector_all(
        ACTIVE + ".okg-chart svg text", "texts => texts.map(t => t.textContent)"
    )
    assert set(years) <= set(labels), labels
    bars = page.eval_on_selector_all(
        ACTIVE + ".okg-chart svg path",
        "paths => paths.filter(p => /Z/i.test(p.getAttribute('d') || '')).length",
    )
    assert bars >= len(years), f"{bars} filled shapes for {len(years)} years"
    assert page.get_attribute(ACTIVE + ".okg-chart", "role") == "img"
    with page.expect_download() as download:
        page.click(ACTIVE + ".yasr_downloadIcon")
    picture = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "events-by-year.svg"
    assert picture.startswith("<svg") and all(year in picture for year in years)
    # Rows without a column of numbers: the chart is not offered.
    page.click("a[data-saved-query=sources]")
    page.wait_for_selector(ACTIVE + ".yasr_results table.dataTable", timeout=WAIT_MS)
    button = page.get_attribute(ACTIVE + ".select_chart", "class") or ""
    assert "disabled" in button.split(), button
    watched.assert_clean(site)


# ---------------------------------------------------------------- the address holds the query


def test_opening_an_address_with_a_query_shows_and_runs_it_over_what_storage_keeps(
    site: str, context: Any
) -> None:
    typed = "SELECT ?thing WHERE { ?thing a <http://www.w3.org/ns/org#FormalOrganization> }"
    first = open_page(context, site + "/sparql")
    first.page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.setValue({typed!r})")
    first.page.click(ACTIVE + ".yasqe_queryButton")
    first.page.wait_for_selector(ROWS, timeout=WAIT_MS)
    assert query_in_address(first.page) == typed
    stored = first.page.evaluate("JSON.stringify(localStorage)")
    assert typed.split("<")[0] in stored.replace("\\", ""), "Yasgui keeps its tabs in storage"
    first.assert_clean(site)
    first.page.close()

    shared = saved("founding")
    second = open_page(context, site + "/sparql?query=" + quote(shared, safe=""))
    second.page.wait_for_selector(ROWS, timeout=WAIT_MS)
    assert editor_text(second.page) == shared, "the address's query, not the stored one"
    assert query_in_address(second.page) == shared
    second.assert_clean(site)

    second.page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.setValue({typed!r})")
    second.page.wait_for_function(
        "wanted => new URL(location.href).searchParams.get('query') === wanted",
        arg=typed,
        timeout=WAIT_MS,
    )


# ---------------------------------------------------------------- our origin, our policy


def test_every_feature_used_stays_on_our_origin_within_the_policy(site: str, context: Any) -> None:
    """The saved queries, the three result views, the share and settings menus, a syntax error's
    marker, prefix completion and a column resize: nothing asks another origin, nothing breaks
    the policy (without query.js's workarounds, the error marker and the table both did)."""
    watched = open_page(context, site + "/sparql?lang=az")
    page = watched.page
    page.click("a[data-saved-query=single-source-counts]")
    page.wait_for_selector(ROWS, timeout=WAIT_MS)
    grip = page.locator(ACTIVE + ".grip-resizable").nth(1).bounding_box()
    assert grip is not None, "no column grip: the table's resizer is gone"
    page.mouse.move(grip["x"] + 2, grip["y"] + 5)
    page.mouse.down()
    page.mouse.move(grip["x"] + 60, grip["y"] + 5, steps=4)
    page.mouse.up()
    page.click(ACTIVE + ".select_chart")
    page.wait_for_selector(ACTIVE + ".okg-chart svg", timeout=WAIT_MS)
    box = page.locator(ACTIVE + ".okg-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 60)
    page.click(ACTIVE + ".select_response")
    page.click(ACTIVE + ".yasqe_share")
    link = page.input_value(ACTIVE + ".yasqe_sharePopup input")
    assert link.startswith(site + "/sparql?") and query_in_address(page) is not None, link
    assert parse_qs(urlsplit(link).query)["query"] == [query_in_address(page)]
    page.mouse.click(5, 5)
    page.click(ACTIVE + ".tabContextButton")
    page.mouse.click(5, 5)

    page.evaluate(
        f"document.querySelector('{EDITOR}').CodeMirror.setValue('SELECT * WHERE {{\\n ?s ?p\\n}}')"
    )
    marker = page.wait_for_selector(ACTIVE + ".parseErrorIcon", timeout=WAIT_MS)
    assert marker is not None
    marker.hover()
    assert watched.violations() == [], "the policy broken by now"
    assert "Gözlənilən" in (marker.get_attribute("title") or "") or "Expected" in (
        marker.get_attribute("title") or ""
    )

    page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.setValue('PREFIX ')")
    page.click(EDITOR)
    page.keyboard.press("End")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li", timeout=WAIT_MS)
    hints = page.eval_on_selector_all(
        ".CodeMirror-hints li", "items => items.map(i => i.textContent)"
    )
    ours = {f"{prefix}: <{iri}>" for prefix, iri in PREFIXES.items()}
    assert set(hints) <= ours | {"source: <https://w3id.org/ombudsman-kg/graph/source/>"}, hints
    assert len(hints) > 10, hints
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    watched.assert_clean(site)


# ---------------------------------------------------------------- without JavaScript


def test_without_javascript_the_form_runs_a_query(site: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        watched = watch(context)
        page = watched.page
        page.goto(site + "/sparql", wait_until="load")
        assert page.is_hidden("#query-editor")
        assert page.is_visible("#query-form textarea")
        page.fill("#query-form textarea", saved("events-by-year"))
        page.click("#query-form button[type=submit]")
        page.wait_for_load_state("load")
        cells = page.eval_on_selector_all(
            "#query-form table tr td:first-child", "cells => cells.map(c => c.textContent.trim())"
        )
        assert cells[:3] == ["2011", "2012", "2014"], cells
        elsewhere = [url for url in watched.requests if not url.startswith(site + "/")]
        assert elsewhere == [], elsewhere
        scripts = [url for url in watched.requests if url.endswith(".js")]
        assert scripts == [], f"fetched, though no script runs: {scripts}"
    finally:
        context.close()
