"""What search engines read, over real HTTP (issue 11, item 4): robots.txt, the sitemap, and each
page's canonical link, language alternates and Open Graph tags.

The sitemap is checked against the sitemaps.org protocol (namespace, absolute `<loc>` of at most
2,048 characters under the sitemap's own directory, escaped entities, 50,000 URLs and 50 MiB a
file) and Google's hreflang rules (each URL names every version of its page, itself included,
and every version it names is listed with the same set); its URLs are public, under the base
IRI, whatever origin serves it. Past the limits it becomes an index: shown with the limit lowered
in an in-process app, and at the real limit with a generated store of 20,000 things.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.robotparser
import xml.etree.ElementTree as ET  # noqa: S405 - our own server's answers
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import KnowledgeGraph, start_server, stop_server
from httpcheck import B

from ombudsman_kg.settings import Settings
from ombudsman_kg.web import findability, i18n
from ombudsman_kg.web.app import create_app

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGES = ["/", "/disagreements", "/sparql", "/dumps/", "/ontology.html", "/dataset.html"]
PAGES += ["/shapes.html", "/releases/"]
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HTML = "text/html"


def urlset(body: bytes, *, limit: int = 50_000) -> dict[str, dict[str, str]]:
    """A `<urlset>` checked against the protocol: `{loc: {hreflang: href}}`."""
    assert len(body) <= 52_428_800, "over 50 MiB uncompressed"
    text = body.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert not re.search(r"&(?!(amp|lt|gt|quot|apos);)", text), "an unescaped &"
    root = ET.fromstring(body)  # noqa: S314
    assert root.tag == SM + "urlset"
    assert 0 < len(root) <= limit, f"{len(root)} URLs in one file"
    found: dict[str, dict[str, str]] = {}
    for url in root:
        assert url.tag == SM + "url"
        assert {child.tag for child in url} <= {SM + "loc", SM + "lastmod", XHTML + "link"}
        (loc,) = [child.text or "" for child in url if child.tag == SM + "loc"]
        assert loc.startswith(B) and len(loc) <= 2048, loc
        links = [child.attrib for child in url if child.tag == XHTML + "link"]
        assert all(link["rel"] == "alternate" for link in links)
        versions = {link["hreflang"]: link["href"] for link in links}
        assert set(versions) == {"az", "en", "x-default"} and len(links) == 3, loc
        assert all(href.startswith(B) for href in versions.values())
        assert loc in versions.values(), f"{loc} is not among its own versions"
        assert loc not in found, f"{loc} twice"
        found[loc] = versions
    return found


def assert_hreflang_reciprocal(found: dict[str, dict[str, str]]) -> None:
    """Google's rule: every version a URL names is listed, and names the same versions."""
    for loc, versions in found.items():
        for href in versions.values():
            assert found.get(href) == versions, f"{loc} names {href}, which does not name it back"


def sitemap_index(body: bytes) -> list[str]:
    root = ET.fromstring(body)  # noqa: S314
    assert root.tag == SM + "sitemapindex"
    locs = [s.find(SM + "loc") for s in root]
    return [loc.text or "" for loc in locs if loc is not None]


def local(server: str, public: str) -> str:
    assert public.startswith(B), public
    return server + "/" + public.removeprefix(B)


@pytest.fixture(scope="module")
def sitemap(live_server: str) -> dict[str, dict[str, str]]:
    response = requests.get(live_server + "/sitemap.xml", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    found = urlset(response.content)
    assert_hreflang_reciprocal(found)
    return found


@pytest.fixture(scope="module")
def things(kg: KnowledgeGraph) -> list[str]:
    rows = kg.select(f"SELECT DISTINCT ?s {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{B}id/') }}")
    return sorted(row["s"] for row in rows)


def test_robots_txt_keeps_crawlers_off_query_answers_and_names_the_sitemap(
    live_server: str,
) -> None:
    response = requests.get(live_server + "/robots.txt", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    rules = _rfc9309_rules(response.text)
    cases = {
        "/": True,
        "/doc/person/sabina-aliyeva": True,
        "/id/person/sabina-aliyeva": True,
        "/sparql": True,
        "/sparql?lang=az": True,
        "/sparql?lang=en": True,
        "/dumps/ombudsman-kg.ttl": True,
        "/sitemap.xml": True,
        "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D": False,
        "/sparql?query=ASK%7B%7D&lang=az": False,
        "/sparql?lang=az&query=ASK%7B%7D": False,
        "/sparql?default-graph-uri=x&query=ASK%7B%7D": False,
    }
    assert {path: _allowed(rules, path) for path in cases} == cases
    # a parser of the original rules (prefix match, no `*`) agrees, but for a query URL that
    # does not begin with the query, which none of the site's links is
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(response.text.splitlines())
    assert parser.site_maps() == [B + "sitemap.xml"]
    for path, allowed in cases.items():
        if allowed or path.startswith("/sparql?query="):
            assert parser.can_fetch("AnyBot", path) == allowed, path


def _rfc9309_rules(text: str) -> list[tuple[bool, str]]:
    """The (allow, pattern) rules of the `*` group, as RFC 9309 reads them."""
    rules, group = [], False
    for line in text.splitlines():
        name, _, value = line.split("#", 1)[0].partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            group = value == "*"
        elif group and name in ("allow", "disallow") and value:
            rules.append((name == "allow", value))
    return rules


def _allowed(rules: list[tuple[bool, str]], path: str) -> bool:
    """RFC 9309 §2.2.2: the longest matching pattern wins, allow on a tie; `*` and `$`."""
    best: tuple[int, bool] = (-1, True)
    for allow, pattern in rules:
        regex = re.escape(pattern.rstrip("$")).replace(r"\*", ".*")
        if re.match(regex + ("$" if pattern.endswith("$") else ""), path):
            best = max(best, (len(pattern), allow))
    return best[1]


def test_the_sitemap_lists_every_page_and_thing_in_every_language_and_nothing_else(
    live_server: str, sitemap: dict[str, dict[str, str]], things: list[str], built_dist: Path
) -> None:
    graphs = json.loads((built_dist / "build.json").read_text(encoding="utf-8"))
    names = {*graphs["graphs"], *graphs["source_graphs"]}
    expected = {B + path.removeprefix("/") for path in PAGES}
    if requests.get(live_server + "/countries", timeout=30).status_code == 200:
        expected.add(B + "countries")
    expected |= {name + ".html" for name in names}
    expected |= {B + "doc/" + iri.removeprefix(B + "id/") for iri in things}
    pages = {versions["x-default"] for versions in sitemap.values()}
    assert pages == expected
    assert len(sitemap) == 3 * len(expected)
    for page in expected:
        assert sitemap[page] == {
            "az": page + "?lang=az",
            "en": page + "?lang=en",
            "x-default": page,
        }


def test_every_page_the_sitemap_lists_answers_html(
    live_server: str, sitemap: dict[str, dict[str, str]], request: pytest.FixtureRequest
) -> None:
    """The site's own pages in every version; every thing's page in its default version on the
    embedded store, and two of each kind on the remote one (its pages are slower to make, and
    the same code lists them)."""
    remote = request.node.callspec.params.get("live_server") == "remote"
    per_kind: dict[str, int] = {}
    for loc, versions in sitemap.items():
        if "/doc/" in loc:
            kind = loc.removeprefix(B + "doc/").split("/")[0]
            if loc != versions["x-default"] or (remote and per_kind.get(kind, 0) >= 2):
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
        response = requests.get(local(live_server, loc), headers={"Accept": HTML}, timeout=30)
        assert response.status_code == 200, (loc, response.status_code)
        assert response.headers["Content-Type"].startswith(HTML), loc
    assert len(per_kind) > 10


class _Head(HTMLParser):
    """The canonical and alternate links and the `<meta>` tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.alternates: dict[str, str] = {}
        self.meta: dict[str, list[str]] = {}
        self.language = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = values.get("lang", "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values["href"])
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates[values["hreflang"]] = values["href"]
        if tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))


def head(url: str, *, status: int = 200) -> _Head:
    response = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == status, (url, response.status_code)
    reader = _Head()
    reader.feed(response.text)
    return reader


CANONICAL = {
    "/doc/person/sabina-aliyeva": "doc/person/sabina-aliyeva",
    "/doc/person/sabina-aliyeva.html": "doc/person/sabina-aliyeva",
    "/doc/person/sabina-aliyeva?lang=az": "doc/person/sabina-aliyeva?lang=az",
    "/doc/person/sabina-aliyeva.html?lang=en&x=1": "doc/person/sabina-aliyeva?lang=en",
    "/": "",
    "/?lang=az": "?lang=az",
    "/ontology": "ontology.html",
    "/ontology.html": "ontology.html",
    "/ontology/1.0.0": "ontology.html",
    "/.well-known/void": "dataset.html",
    "/shapes": "shapes.html",
    "/graph/data.html": "graph/data.html",
    "/disagreements.html": "disagreements",
    "/dumps/?lang=en": "dumps/?lang=en",
    "/sparql?query=ASK%7B%7D": "sparql",
}


@pytest.mark.parametrize("path", CANONICAL)
def test_each_page_names_its_canonical_url_its_languages_and_its_open_graph(
    live_server: str, sitemap: dict[str, dict[str, str]], path: str
) -> None:
    page = head(live_server + path)
    canonical = B + CANONICAL[path]
    assert page.canonical == [canonical]
    assert canonical in sitemap, "the canonical URL of a page is one the sitemap lists"
    assert page.alternates == sitemap[canonical]
    meta = {key: values[0] for key, values in page.meta.items() if len(values) == 1}
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "website" and meta["og:site_name"] == "ombudsman-kg"
    assert meta["og:title"].strip() and meta["og:description"].strip()
    assert meta["description"] == meta["og:description"]
    locales = {"az": "az_AZ", "en": "en_GB"}
    assert meta["og:locale"] == locales[page.language]
    assert page.meta["og:locale:alternate"] == [v for k, v in locales.items() if k != page.language]


@pytest.mark.parametrize("language", ["en", "az"])
def test_a_thing_s_page_is_described_by_its_kind_name_and_sources(
    live_server: str, kg: KnowledgeGraph, language: str
) -> None:
    iri = B + "id/person/sabina-aliyeva"
    rows = kg.select(
        f"SELECT ?label {{ GRAPH <{B}graph/data> {{ <{iri}> <{LABEL}> ?label "
        f"FILTER(LANG(?label) = '{language}') }} }}"
    )
    sources = kg.select(
        f"SELECT DISTINCT ?s {{ <{iri}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }}"
    )
    page = head(f"{live_server}/doc/person/sabina-aliyeva?lang={language}")
    catalog = i18n.catalog(language)
    expected = catalog.ungettext(
        "%(kind)s · %(name)s — statements from %(num)s source",
        "%(kind)s · %(name)s — statements from %(num)s sources",
        len(sources),
    ) % {"kind": catalog.ugettext("Person"), "name": rows[0]["label"], "num": len(sources)}
    assert page.meta["og:title"] == [rows[0]["label"]]
    assert page.meta["og:description"] == [expected]
    assert len(sources) > 1


def test_error_pages_name_no_canonical_url(live_server: str) -> None:
    page = head(live_server + "/doc/person/nobody-at-all", status=404)
    assert page.canonical == [] and page.alternates == {}
    assert not any(key.startswith("og:") for key in page.meta)


# ----------------------------------------------------------------- past one file's limits


def test_past_its_limits_the_sitemap_becomes_an_index_of_files_within_them(
    built_dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process apps, since the limits are constants: one as built, one with them lowered."""
    settings = Settings(dist=built_dist, query_workers=1, memory_max_quads=0)
    whole = create_app(settings)
    try:
        client = whole.test_client()
        expected = urlset(client.get("/sitemap.xml").data)
        assert client.get("/sitemap-1.xml").status_code == 404, "one file: no numbered ones"
    finally:
        whole.extensions["okg"].store.close()
    monkeypatch.setattr(findability, "MAX_URLS_PER_SITEMAP", 100)
    monkeypatch.setattr(findability, "MAX_SITEMAP_BYTES", 40_000)
    app = create_app(settings)
    try:
        client = app.test_client()
        response = client.get("/sitemap.xml")
        assert response.status_code == 200 and response.mimetype == "application/xml"
        files = sitemap_index(response.data)
        assert len(files) > len(expected) // 100
        assert files == [f"{B}sitemap-{n}.xml" for n in range(1, len(files) + 1)]
        found: dict[str, dict[str, str]] = {}
        for file in files:
            part = client.get("/" + file.removeprefix(B))
            assert part.status_code == 200 and part.mimetype == "application/xml"
            assert len(part.data) <= 40_000
            listed = urlset(part.data, limit=100)
            assert not set(listed) & set(found)
            found |= listed
        assert found == expected
        for missing in (0, len(files) + 1):
            assert client.get(f"/sitemap-{missing}.xml").status_code == 404
    finally:
        app.extensions["okg"].store.close()


def test_a_store_of_20000_things_gets_an_index_at_the_protocol_s_own_limit(
    built_dist: Path, tmp_path: Path
) -> None:
    """A generated build (its store; the rest copied from the real build), served for real."""
    dist = tmp_path / "dist"
    shutil.copytree(built_dist, dist, ignore=shutil.ignore_patterns("store", "dumps"))
    store = pyoxigraph.Store(str(dist / "store"))
    graph = pyoxigraph.NamedNode(B + "graph/data")
    label = pyoxigraph.NamedNode(LABEL)
    store.bulk_extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"{B}id/person/p{n}"), label, text, graph)
        for n in range(20_000)
        for text in (pyoxigraph.Literal(f"P {n}", language="en"),)
    )
    store.flush()
    del store
    process, url = start_server(dist, env={"OKG_MEMORY_MAX_QUADS": "0", "OKG_WORKERS": "1"})
    try:
        files = sitemap_index(requests.get(url + "/sitemap.xml", timeout=60).content)
        assert files == [B + "sitemap-1.xml", B + "sitemap-2.xml"]
        found: dict[str, dict[str, str]] = {}
        for number, file in enumerate(files, start=1):
            response = requests.get(local(url, file), timeout=60)
            assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
            listed = urlset(response.content)
            assert len(listed) == 50_000 or number == 2
            found |= listed
        assert_hreflang_reciprocal(found)
        people = {v["x-default"] for v in found.values() if "/doc/person/p" in v["x-default"]}
        assert len(people) == 20_000
    finally:
        stop_server(process)
