"""The query page over real HTTP (issue 11, item 1): what Yasgui is given, and the page without it.

The page must name only files of our origin, served with types a `nosniff` browser accepts; its
JSON data block must point Yasgui at this server's `/sparql` with the data's prefixes and the
saved queries of `queries/`; without JavaScript its form and its links must still run queries;
"query this" must run and answer the thing's statements with their graphs; and the page must read
in both languages. (tests/test_browser_query_ui.py drives the same page in Chromium.)
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from conftest import ROOT, KnowledgeGraph
from httpcheck import BROWSER_ACCEPT, THING_IRI, TIMEOUT, B, media_type, normalize_space

from ombudsman_kg.web.query_ui import query_this_href

QUERIES = ROOT / "queries"
PREFIX_LINE = re.compile(r"^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", re.MULTILINE)
SCRIPT_TYPES = {"text/javascript", "application/javascript"}


class _PageParts(HTMLParser):
    """The scripts, style sheets, data blocks and inline styles of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.sheets: list[str] = []
        self.blocks: dict[str, str] = {}
        self.inline: list[str] = []
        self.hidden: set[str] = set()
        self._block: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "style" in values or any(name.startswith("on") for name in values):
            self.inline.append(f"<{tag} {values}>")
        if "hidden" in values and values.get("id"):
            self.hidden.add(values["id"])
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.sheets.append(values["href"])
        if tag == "style":
            self.inline.append("<style>")
        if tag == "script":
            if "src" in values:
                self.scripts.append(values["src"])
            elif values.get("type") in ("application/json", "application/ld+json"):
                self._block = values.get("id", values["type"])
                self.blocks[self._block] = ""
            else:
                self.inline.append(f"an inline script {values}")

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self.blocks[self._block] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._block = None


def page_parts(server: str, path: str = "/sparql", **headers: str) -> tuple[_PageParts, str]:
    response = requests.get(
        server + path, headers={"Accept": BROWSER_ACCEPT, **headers}, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == "text/html"
    parts = _PageParts()
    parts.feed(response.text)
    return parts, response.text


def config_of(server: str, path: str = "/sparql", **headers: str) -> dict[str, Any]:
    parts, _ = page_parts(server, path, **headers)
    assert "query-config" in parts.blocks, f"no data block: {parts.blocks.keys()}"
    config: dict[str, Any] = json.loads(parts.blocks["query-config"])
    return config


def table_rows(html: str) -> list[list[str]]:
    """The cells of every row of the page's results table, as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    return [
        [
            normalize_space(re.sub(r"<[^>]+>", " ", cell))
            for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
        ]
        for row in rows
    ]


# ---------------------------------------------------------------- what the page loads


def test_the_query_page_loads_yasgui_and_our_script_from_our_origin_with_their_types(
    live_server: str,
) -> None:
    parts, _ = page_parts(live_server)
    scripts = [urljoin(live_server + "/sparql", src) for src in parts.scripts]
    sheets = [urljoin(live_server + "/sparql", href) for href in parts.sheets]
    assert scripts == [
        live_server + "/static/build/yasgui.min.js",
        live_server + "/static/build/query.js",
    ], scripts
    assert live_server + "/static/build/yasgui.min.css" in sheets, sheets
    assert live_server + "/static/query.css" in sheets, sheets
    assert parts.inline == [], f"the policy forbids these: {parts.inline}"
    for url in scripts + sheets:
        assert urlsplit(url).netloc == urlsplit(live_server).netloc, url
        response = requests.get(url, timeout=TIMEOUT)
        assert response.status_code == 200, url
        wanted = SCRIPT_TYPES if url.endswith(".js") else {"text/css"}
        assert media_type(response) in wanted, f"{url}: {media_type(response)}; nosniff drops it"
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        assert len(response.content) > 200, url


def test_the_bundle_names_no_other_origin_for_yasgui_to_call(live_server: str) -> None:
    """query.js turns off what would call elsewhere: it says so in words a reader can check."""
    script = requests.get(live_server + "/static/build/query.js", timeout=TIMEOUT).text
    for what in ("forkAutocompleter", "prefixCcApi", "createShortLink", "getShareableLink"):
        assert what in script, what
    assert "lov.linkeddata.es" not in script and "prefix.cc/" not in script


# ---------------------------------------------------------------- what Yasgui is given


def test_the_data_block_points_yasgui_at_this_servers_endpoint(live_server: str) -> None:
    config = config_of(live_server)
    assert urljoin(live_server + "/sparql", config["endpoint"]) == live_server + "/sparql"
    assert config["method"] == "POST"
    assert config["base"] == B


def test_the_data_block_has_the_prefixes_of_the_build(live_server: str) -> None:
    """The prefixes the dumps declare, and `source:`, which every data file declares."""
    config = config_of(live_server)
    dump = requests.get(live_server + "/dumps/ombudsman-kg.trig", timeout=TIMEOUT).text
    declared = dict(PREFIX_LINE.findall(dump[:5000]))
    assert len(declared) > 10, declared
    in_data: dict[str, str] = {}
    for path in sorted((ROOT / "data").glob("*.trig")):
        in_data.update(PREFIX_LINE.findall(path.read_text(encoding="utf-8")))
    assert config["prefixes"] == {**declared, **in_data}, config["prefixes"]
    first_lines = config["defaultQuery"].splitlines()[: len(config["prefixes"])]
    assert first_lines == [f"PREFIX {p}: <{iri}>" for p, iri in config["prefixes"].items()]


def test_the_data_block_has_every_saved_query(live_server: str) -> None:
    config = config_of(live_server)
    files = sorted(QUERIES.glob("*.rq"))
    assert [q["name"] for q in config["saved"]] == [path.stem for path in files]
    for query, path in zip(config["saved"], files, strict=True):
        assert query["text"] == path.read_text(encoding="utf-8"), path.name
        assert query["question"] and query["question"] in query["text"], path.name


def test_every_saved_query_is_a_link_that_carries_its_text(live_server: str) -> None:
    """Without JavaScript, a saved query is a link to /sparql?query=… (the script keeps it)."""
    _, html = page_parts(live_server)
    links = dict(re.findall(r'<a href="([^"]+)" data-saved-query="([^"]+)"', html))
    names = {name: href for href, name in links.items()}
    for path in sorted(QUERIES.glob("*.rq")):
        href = names[path.stem].replace("&amp;", "&")
        assert href.startswith("/sparql?query="), href
        assert parse_qs(urlsplit(href).query)["query"] == [path.read_text(encoding="utf-8")]


# ---------------------------------------------------------------- without JavaScript


def test_without_javascript_the_form_is_there_and_the_editor_is_not(live_server: str) -> None:
    parts, html = page_parts(live_server)
    assert '<form method="post" action="/sparql">' in html
    assert '<textarea name="query"' in html
    assert "query-editor" in parts.hidden, "the editor's place shows only once Yasgui starts"
    assert "query-form" not in parts.hidden


def test_the_form_runs_a_query_and_the_server_renders_the_table(
    live_server: str, kg: KnowledgeGraph
) -> None:
    text = (QUERIES / "events-by-year.rq").read_text(encoding="utf-8")
    response = requests.post(
        live_server + "/sparql",
        data={"query": text},
        headers={"Accept": BROWSER_ACCEPT},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text[:300]
    rows = [row for row in table_rows(response.text) if row]
    expected = kg.select(text)
    assert [row[:2] for row in rows] == [[r["year"], r["events"]] for r in expected]
    assert "<textarea" in response.text and "events-by-year" in response.text


def test_a_saved_querys_link_runs_it_without_javascript(live_server: str) -> None:
    _, html = page_parts(live_server)
    href = re.search(r'<a href="([^"]+)" data-saved-query="events-by-year"', html)
    assert href is not None
    response = requests.get(
        urljoin(live_server, href.group(1).replace("&amp;", "&")),
        headers={"Accept": BROWSER_ACCEPT},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200
    years = [row[0] for row in table_rows(response.text) if row]
    assert years[:3] == ["2011", "2012", "2014"], years


# ---------------------------------------------------------------- "query this"


def test_query_this_runs_and_answers_the_things_statements_with_their_graphs(
    live_server: str, kg: KnowledgeGraph
) -> None:
    href = query_this_href(THING_IRI)
    assert href.startswith("/sparql?query=")
    response = requests.get(
        live_server + href,
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text[:300]
    bindings = response.json()["results"]["bindings"]
    answered = {
        (row["property"]["value"], row["value"]["value"], row["graph"]["value"]) for row in bindings
    }
    stated = {
        (row["p"], row["o"], row["g"])
        for row in kg.select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{THING_IRI}> ?p ?o }} }}")
    }
    assert answered == stated and len(stated) > 10
    graphs = {graph for _, _, graph in answered}
    assert any(graph.startswith(B + "graph/source/") for graph in graphs), graphs
    page = requests.get(live_server + href, headers={"Accept": BROWSER_ACCEPT}, timeout=TIMEOUT)
    assert page.status_code == 200
    assert len([row for row in table_rows(page.text) if row]) == len(bindings)


# ---------------------------------------------------------------- both languages


@pytest.mark.parametrize(
    ("path", "headers", "language", "heading", "saved", "button", "chart"),
    [
        ("/sparql?lang=en", {}, "en", "SPARQL query", "Saved questions", "Run query", "Chart"),
        (
            "/sparql?lang=az",
            {},
            "az",
            "SPARQL sorğusu",
            "Saxlanılmış suallar",
            "Sorğunu icra et",
            "Diaqram",
        ),
        (
            "/sparql",
            {"Accept-Language": "az"},
            "az",
            "SPARQL sorğusu",
            "Saxlanılmış suallar",
            "Sorğunu icra et",
            "Diaqram",
        ),
    ],
    ids=["en", "az", "az-by-accept-language"],
)
def test_the_query_page_reads_in_both_languages(
    live_server: str,
    path: str,
    headers: dict[str, str],
    language: str,
    heading: str,
    saved: str,
    button: str,
    chart: str,
) -> None:
    _, html = page_parts(live_server, path, **headers)
    assert re.search(rf"<h1>\s*{heading}\s*</h1>", html), heading
    assert re.search(rf"<h2[^>]*>\s*{saved}\s*</h2>", html), saved
    assert f'<button type="submit">{button}</button>' in html, button
    config = config_of(live_server, path, **headers)
    assert config["messages"]["chart"] == chart
    assert f'FILTER (lang(?label) = "{language}")' in config["defaultQuery"]
