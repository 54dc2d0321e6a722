"""The pictures of issue 11 as a browser draws them: the timeline (home page, an organization's
and a person's page) and the organization graph with Apache ECharts, the map of /countries with
d3-geo, in English and in Azerbaijani.

Debian's Chromium under Playwright (`tests/browser.py`) loads each page with every request
recorded and any to another origin aborted; a page passes when its drawings are marked
`data-drawn="true"` and it logged no console error, threw nothing, broke no rule of its
Content-Security-Policy and asked nothing of another origin. What is drawn is read back from the
page itself: the SVG text of every event's label, the Solar Hijri year in the column beside the
Gregorian axis (never on it), a date's sources in the tooltip its mark shows on hover, the organs
of the OICOA in its graph, and an outline (or, for a country too small to see, a marker at its
own outline's centroid) for every country of the data, Bahrain included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import (
    AXE,
    FAILING_IMPACTS,
    WCAG_A_AA,
    describe_axe,
    launched_chromium,
    new_context,
    require,
    settle,
    visit,
    wait_for_drawings,
)

B = "https://w3id.org/ombudsman-kg/"
LANGUAGES = ("en", "az")
TIMEOUT_MS = 15_000
#: each page that draws, what it draws, and the script it draws with
PAGES = {
    "/": (("#timeline",), "/static/build/draw.js"),
    "/doc/organization/oicoa": (("#timeline", "#org-graph"), "/static/build/draw.js"),
    "/doc/person/sabina-aliyeva": (("#timeline",), "/static/build/draw.js"),
    "/countries": (("#map",), "/static/build/map.js"),
}
EVERY_PAGE = [
    pytest.param(path, language, id=f"{path.strip('/') or 'home'}-{language}")
    for path in PAGES
    for language in LANGUAGES
]
TIMELINES = [
    pytest.param(path, language, id=f"{path.strip('/') or 'home'}-{language}")
    for path in ("/", "/doc/organization/oicoa", "/doc/person/sabina-aliyeva")
    for language in LANGUAGES
]
SVG_TEXTS = "(selector) => [...document.querySelectorAll(selector + ' svg text')]"
SVG_TEXTS += ".map((t) => t.textContent)"
#: where, in the page, a time of an event is drawn: its row and the middle of its span
MARK_AT = """
([label, text]) => {
  const container = document.getElementById("timeline");
  const chart = window.okg.echarts.getInstanceByDom(container);
  const events = JSON.parse(document.getElementById("timeline-data").textContent);
  const row = events.findIndex((e) => e.label === label);
  const placed = events[row].times.filter((t) => t.start && t.end);
  const lane = placed.findIndex((t) => t.text === text);
  const time = placed[lane];
  const middle = (Date.parse(time.start) + Date.parse(time.end)) / 2;
  const [x, y] = chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [middle, row]);
  const band = chart.convertToPixel({yAxisIndex: 0}, 1) - chart.convertToPixel({yAxisIndex: 0}, 0);
  const box = container.getBoundingClientRect();
  const top = y - band * 0.4 + (lane + 0.5) * (band * 0.8 / placed.length);
  return {x: box.left + x, y: box.top + top, sources: time.sources};
}
"""
AXIS_END = """
() => {
  const container = document.getElementById("timeline");
  const chart = window.okg.echarts.getInstanceByDom(container);
  const max = chart.getOption().xAxis[0].max;
  return container.getBoundingClientRect().left + chart.convertToPixel({xAxisIndex: 0}, max);
}
"""
#: where, in the page, the link between two nodes of the organization graph is drawn (its middle)
EDGE_AT = """
([from, to]) => {
  const container = document.getElementById("org-graph");
  const chart = window.okg.echarts.getInstanceByDom(container);
  const data = JSON.parse(document.getElementById("org-graph-data").textContent);
  const index = data.links.findIndex((link) => link.source === from && link.target === to);
  const [p1, p2, control] = chart.getModel().getSeriesByIndex(0).getEdgeData().getItemLayout(index);
  const c = control || [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2];
  const middle = [0, 1].map((i) => 0.25 * p1[i] + 0.5 * c[i] + 0.25 * p2[i]);
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, middle);
  const box = container.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y, attested: data.links[index].attested};
}
"""
#: axe-core on the pictures' sections only: the rest of a page is other tests' to judge
RUN_AXE_ON_PICTURES = """
async (tags) => {
  const pictures = [...document.querySelectorAll("section.visual, section.countries-roles")];
  const result = await axe.run(pictures, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    criteria: v.tags.filter((tag) => /^wcag\\d+a*$/.test(tag)),
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}
"""
DRAWN_ROWS = """
() => {
  const chart = window.okg.echarts.getInstanceByDom(document.getElementById("timeline"));
  return [...new Set(chart.getOption().series[0].data.map((mark) => mark.value[0]))];
}
"""


@pytest.fixture(scope="module")
def site(built_dist: Path) -> Iterator[str]:
    from conftest import start_server, stop_server

    process, url = start_server(built_dist)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    opened = new_context(browser)
    yield opened
    opened.close()


def drawn(context: Any, site: str, path: str, language: str) -> Any:
    """The page at `path` in `language`, once its drawings are drawn (or the test fails)."""
    seen = visit(context, f"{site}{path}?lang={language}", ours=site)
    problems = wait_for_drawings(seen.page, PAGES[path][0], timeout_ms=TIMEOUT_MS)
    assert problems == [], problems
    return seen


def shown(text: str, label: str) -> bool:
    """Whether an SVG text shows `label`: in full, or cut short with an ellipsis."""
    for ellipsis in ("...", "…"):
        if text.endswith(ellipsis) and len(text) > 8:
            return label.startswith(text.removesuffix(ellipsis))
    return text == label


# ------------------------------------------------------------------ clean, and ours only


@pytest.mark.parametrize(("path", "language"), EVERY_PAGE)
def test_a_page_draws_with_no_error_no_policy_violation_and_nothing_from_elsewhere(
    site: str, context: Any, path: str, language: str
) -> None:
    seen = drawn(context, site, path, language)
    settle(seen.page)
    problems = [f"console error: {e}" for e in seen.console_errors()]
    problems += [f"uncaught exception: {e}" for e in seen.page_errors]
    problems += [f"policy violation: {v}" for v in seen.violations()]
    problems += [f"request to another origin: {r}" for r in seen.foreign_requests(site)]
    problems += [f"request to another origin (aborted): {r}" for r in seen.elsewhere]
    if seen.scripts() != [PAGES[path][1]]:
        problems.append(f"scripts: {seen.scripts()}, not {[PAGES[path][1]]}")
    if seen.status != 200:
        problems.append(f"status {seen.status}")
    assert problems == [], f"{path}?lang={language}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(("path", "language"), EVERY_PAGE)
def test_the_pictures_have_no_serious_accessibility_violation(
    site: str, browser: Any, path: str, language: str
) -> None:
    require(AXE.is_file(), f"axe-core is missing ({AXE}): npm ci")
    context = new_context(browser, bypass_csp=True)
    try:
        seen = drawn(context, site, path, language)
        seen.page.add_script_tag(path=str(AXE))
        found = seen.page.evaluate(RUN_AXE_ON_PICTURES, WCAG_A_AA)
        failing = [v for v in found if v["impact"] in FAILING_IMPACTS]
    finally:
        context.close()
    assert failing == [], "\n".join(describe_axe(v) for v in failing)


# ------------------------------------------------------------------ the timeline


@pytest.mark.parametrize(("path", "language"), TIMELINES)
def test_the_timeline_draws_every_event_by_its_label(
    site: str, context: Any, path: str, language: str
) -> None:
    page = drawn(context, site, path, language).page
    events = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
    texts = page.evaluate(SVG_TEXTS, "#timeline")
    missing = [e["label"] for e in events if not any(shown(t, e["label"]) for t in texts)]
    assert events and missing == [], f"not drawn: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_solar_hijri_year_is_drawn_apart_from_the_gregorian_axis(
    site: str, context: Any, language: str
) -> None:
    page = drawn(context, site, "/", language).page
    events = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
    founding = next(e for e in events if e["href"].split("?")[0].endswith("/event/oicoa-founding"))
    other = next(t for t in founding["times"] if t["kind"] == "calendar")
    assert other["text"].startswith("1391 (")
    texts = page.locator("#timeline svg text", has_text=other["text"])
    assert texts.count() == 1, f"{other['text']!r} is not drawn"
    box = texts.first.bounding_box()
    assert box is not None and box["x"] > page.evaluate(AXIS_END), "drawn on the Gregorian axis"
    only_other = [
        row
        for row, event in enumerate(events)
        if event["times"] and all(t["kind"] == "calendar" for t in event["times"])
    ]
    assert only_other, "the data has an event dated only in the Solar Hijri calendar"
    assert set(only_other).isdisjoint(page.evaluate(DRAWN_ROWS)), "placed on the Gregorian axis"


@pytest.mark.parametrize("language", LANGUAGES)
def test_hovering_a_date_shows_it_with_the_sources_that_give_it(
    site: str, context: Any, language: str
) -> None:
    page = drawn(context, site, "/", language).page
    events = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent)")
    founding = next(e for e in events if e["href"].split("?")[0].endswith("/event/oicoa-founding"))
    placed = [t for t in founding["times"] if t["start"]]
    assert {t["precision"] for t in placed} == {"year", "day"}
    page.locator("#timeline").scroll_into_view_if_needed()
    for time in placed:
        mark = page.evaluate(MARK_AT, [founding["label"], time["text"]])
        assert mark["sources"] == time["sources"]
        page.mouse.move(mark["x"] - 2, mark["y"])
        page.mouse.move(mark["x"], mark["y"])
        tooltip = page.locator(".okg-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        page.wait_for_function(
            "(text) => document.querySelector('.okg-tooltip').textContent.includes(text)",
            arg=time["text"],
            timeout=5000,
        )
        assert founding["label"] in tooltip.inner_text()
        lines = tooltip.locator(".okg-tip div").all_inner_texts()
        line = next((t for t in lines if t.startswith(time["text"])), None)
        assert line is not None, (time["text"], lines)
        others = {s for t in placed for s in t["sources"]} - set(time["sources"])
        assert others, "the two dates have different sources"
        for source in time["sources"]:
            assert source in line, (time["text"], source, line)
        for source in others:
            assert source not in line, f"{source} does not give {time['text']}: {line}"
        page.mouse.move(5, 5)


# ------------------------------------------------------------------ the organization graph


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_oicoa_graph_draws_the_association_and_its_organs(
    site: str, context: Any, language: str
) -> None:
    page = drawn(context, site, "/doc/organization/oicoa", language).page
    data = page.evaluate("JSON.parse(document.getElementById('org-graph-data').textContent)")
    organs = [n["label"] for n in data["nodes"] if n["category"] == "unit"]
    assert len(organs) >= 4
    root = next(n["label"] for n in data["nodes"] if n["category"] == "this")
    texts = page.evaluate(SVG_TEXTS, "#org-graph")
    missing = [label for label in [root, *organs] if not any(shown(t, label) for t in texts)]
    assert missing == [], f"not drawn: {missing}"
    assert len(texts) == len(data["nodes"]), "one label per node"


@pytest.mark.parametrize("language", LANGUAGES)
def test_hovering_a_holding_shows_each_date_a_source_attests_it(
    site: str, context: Any, language: str
) -> None:
    page = drawn(context, site, "/doc/organization/oicoa", language).page
    president, holder = B + "id/post/oicoa-president", B + "id/person/seref-malkoc"
    page.locator("#org-graph").scroll_into_view_if_needed()
    edge = page.evaluate(EDGE_AT, [holder, president])
    assert len(edge["attested"]) >= 7, "one attestation per source and date"
    page.mouse.move(edge["x"] - 2, edge["y"])
    page.mouse.move(edge["x"], edge["y"])
    tooltip = page.locator("#org-graph .okg-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    lines = tooltip.locator(".okg-tip div").all_inner_texts()
    assert [line for line in lines if line in edge["attested"]] == edge["attested"], lines


# ------------------------------------------------------------------ the map


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_draws_every_country_of_the_data_bahrain_too(
    site: str, context: Any, language: str
) -> None:
    page = drawn(context, site, "/countries", language).page
    countries = page.evaluate("JSON.parse(document.getElementById('map-data').textContent)")
    assert "048" in {c["id"] for c in countries}, "Bahrain is in the data"
    assert page.get_attribute("#map", "data-missing") == ""
    for country in countries:
        outline = page.locator(f'#map path.country.in-data[data-iso="{country["id"]}"]')
        assert outline.count() == 1, country["label"]
        assert outline.get_attribute("d"), country["label"]
        assert country["label"] in outline.locator("title").text_content()
    bahrain = page.locator('#map path.country.in-data[data-iso="048"]').bounding_box()
    marker = page.locator('#map circle.marker[data-iso="048"]')
    assert marker.count() == 1, "Bahrain, too small to see, has no marker"
    spot = marker.bounding_box()
    assert bahrain is not None and spot is not None
    centre = (spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
    assert bahrain["x"] - 3 <= centre[0] <= bahrain["x"] + bahrain["width"] + 3
    assert bahrain["y"] - 3 <= centre[1] <= bahrain["y"] + bahrain["height"] + 3
    context_outlines = page.locator("#map path.country:not(.in-data)").count()
    assert context_outlines > 150, "the other countries are drawn pale, as context"
