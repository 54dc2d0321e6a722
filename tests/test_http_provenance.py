"""Who says what, over real HTTP (SPEC §7, issue 10): source graphs at /sparql, in the VoID and
service descriptions, in the dumps; pages that name each statement's sources; /disagreements.

Every test talks to a real `ombudsman-kg serve` (conftest's `live_server`: the embedded store and
a real Oxigraph server behind `--store sparql:`), and every RDF answer is read by pyoxigraph (and
by rdflib too where httpcheck's parsers are used). Expected values come from the server's own
SPARQL answers or from the data files' facts, never from the server's HTML.
"""

# ruff: noqa: S608 - the queries are built from constant IRIs, not from input

from __future__ import annotations

import gzip
import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph
import pytest
import requests
from httpcheck import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    OKG,
    SD,
    TIMEOUT,
    VOID,
    B,
    get,
    health,
    health_triples,
    local,
    media_type,
    select_json,
)

SOURCE_GRAPH = B + "graph/source/"
SOURCE_ID = B + "id/source/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DOCUMENT = SOURCE_ID + "cooperation-document"
HOME_PAGE = SOURCE_ID + "oicoa-home-page"
FOUNDING = B + "id/event/oicoa-founding"
S15 = "ombudsman-az-news-1078"

DISAGREEMENT_SIDES = f"""
PREFIX okg: <{OKG}>
SELECT ?disagreement ?kind ?side ?value ?source WHERE {{
  ?disagreement a okg:Disagreement ; okg:disagreementKind ?kind ; okg:side ?side .
  ?side okg:sideValue ?value ; okg:statedBy ?source .
}}
"""


# ---------------------------------------------------------------- helpers


def count(server: str, query: str, **params: str) -> int:
    rows = select_json(server, query, **params)
    assert len(rows) == 1, rows
    return int(rows[0]["n"]["value"])


def source_graph_sizes(server: str) -> dict[str, int]:
    """{graph name: triples} of every named graph under graph/source/, from /sparql."""
    rows = select_json(
        server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    sizes = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    return {g: n for g, n in sizes.items() if g.startswith(SOURCE_GRAPH)}


def described_sources(server: str) -> set[str]:
    """The sources the data describes (id/source/{slug} with a type in graph/data)."""
    rows = select_json(
        server,
        f"SELECT DISTINCT ?s WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s a ?kind }} "
        f'FILTER (STRSTARTS(STR(?s), "{SOURCE_ID}")) }}',
    )
    return {row["s"]["value"] for row in rows}


def value_of(term: Any) -> str:
    """An IRI's or a literal's value (pyoxigraph types a term as possibly a quoted triple)."""
    return str(term.value)


def parse_triples(body: bytes, media: str, base: str | None = None) -> list[pyoxigraph.Triple]:
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
    assert rdf_format is not None, media
    return [quad.triple for quad in pyoxigraph.parse(body, format=rdf_format, base_iri=base)]


def parse_quads(body: bytes, media: str) -> list[pyoxigraph.Quad]:
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
    assert rdf_format is not None, media
    return list(pyoxigraph.parse(body, format=rdf_format))


def fetch_rdf(url: str, accept: str) -> tuple[requests.Response, list[pyoxigraph.Triple]]:
    response = get(url, accept=accept)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response, parse_triples(response.content, media_type(response), base=response.url)


def objects(triples: list[pyoxigraph.Triple], subject: str, predicate: str) -> set[str]:
    return {
        value_of(t.object)
        for t in triples
        if value_of(t.subject) == subject and t.predicate.value == predicate
    }


@pytest.fixture(scope="module")
def graph_sizes(live_server: str) -> dict[str, int]:
    sizes = source_graph_sizes(live_server)
    assert sizes, "no source graph at /sparql"
    return sizes


@pytest.fixture(scope="module")
def sources(live_server: str) -> set[str]:
    return described_sources(live_server)


class Rows(HTMLParser):
    """An HTML page's table rows: for each <tr>, its class, its text and the links in it;
    the headings (h2, h3) in order, with the rows under each, and the page's <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, Any]] = []
        self.headings: list[dict[str, Any]] = []
        self.lang = ""
        self._row: dict[str, Any] | None = None
        self._heading: dict[str, Any] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("h2", "h3"):
            self._heading = {"tag": tag, "text": "", "links": [], "rows": []}
            self.headings.append(self._heading)
        if tag == "tr":
            self._row = {"class": values.get("class", ""), "text": "", "links": [], "times": []}
            self.rows.append(self._row)
            if self.headings:
                self.headings[-1]["rows"].append(self._row)
        if tag == "time" and self._row is not None:
            self._row["times"].append(values.get("datetime", ""))
        if tag == "a" and values.get("href"):
            for holder in (self._row, self._heading):
                if holder is not None:
                    holder["links"].append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "tr":
            self._row = None
        if tag in ("h2", "h3"):
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for holder in (self._row, self._heading):
            if holder is not None:
                holder["text"] += data


def read_rows(body: str) -> Rows:
    reader = Rows()
    reader.feed(body)
    reader.close()
    for row in [*reader.rows, *reader.headings]:
        row["text"] = re.sub(r"\s+", " ", row["text"]).strip()
        row["paths"] = {urlsplit(link).path for link in row["links"]}
    return reader


def doc_path(iri: str) -> str:
    """The path of the page about a thing: /doc/{kind}/{slug} for B + id/{kind}/{slug}."""
    assert iri.startswith(B + "id/"), iri
    return "/doc/" + iri[len(B + "id/") :]


def html(url: str, **headers: str) -> str:
    response = requests.get(url, headers={"Accept": "text/html", **headers}, timeout=TIMEOUT)
    assert response.status_code == 200, (url, response.status_code)
    assert media_type(response) == "text/html"
    return response.text


# ---------------------------------------------------------------- /sparql


def test_count_over_the_default_graph_is_data_ontology_inferred_once(
    live_server: str, graph_sizes: dict[str, int]
) -> None:
    """The default graph is the three graphs, each triple once (no source graph's copy counted),
    and /health and the VoID description give the same number."""
    total = count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    parts = {
        g: count(live_server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        for g in (GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_INFERRED)
    }
    assert total == sum(parts.values())
    distinct = count(
        live_server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    assert distinct == total, "a triple counted twice in the default graph"
    assert health_triples(health(live_server)) == total
    _, void = fetch_rdf(live_server + "/dataset", "text/turtle")
    assert objects(void, B + "dataset", VOID + "triples") == {str(total)}
    for g, n in parts.items():
        assert objects(void, g, VOID + "triples") == {str(n)}, g
    # The source graphs repeat triples of graph/data: a union would count more.
    union = count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert union == total + sum(graph_sizes.values())


def test_every_described_source_has_its_graph(
    graph_sizes: dict[str, int], sources: set[str]
) -> None:
    assert len(sources) >= 19
    assert {SOURCE_GRAPH + s[len(SOURCE_ID) :] for s in sources} == set(graph_sizes)
    assert all(n > 0 for n in graph_sizes.values())


def test_source_graph_triples_are_in_graph_data(
    live_server: str, graph_sizes: dict[str, int]
) -> None:
    outside = count(
        live_server,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f'FILTER (STRSTARTS(STR(?g), "{SOURCE_GRAPH}")) '
        f"FILTER NOT EXISTS {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }} }}",
    )
    assert outside == 0


def test_from_named_and_named_graph_uri_reach_a_source_graph(
    live_server: str, graph_sizes: dict[str, int]
) -> None:
    graph = SOURCE_GRAPH + S15
    expected = graph_sizes[graph]
    text = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(live_server, text) == expected
    by_protocol = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(live_server, by_protocol, **{"named-graph-uri": graph}) == expected
    as_default = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    assert count(live_server, as_default) == expected
    # The founding's dates, each in its own source's graph (data/founding.trig).
    rows = select_json(
        live_server,
        f"SELECT ?g ?date WHERE {{ GRAPH ?g {{ <{FOUNDING}> <{SCHEMA}startDate> ?date }} "
        f'FILTER (STRSTARTS(STR(?g), "{SOURCE_GRAPH}")) }}',
    )
    got = {(row["g"]["value"], row["date"]["value"]) for row in rows}
    assert got == {
        (SOURCE_GRAPH + "cooperation-document", "2014"),
        (SOURCE_GRAPH + "brecorder-40267307", "2014"),
        (SOURCE_GRAPH + "oicoa-home-page", "2014-04-29"),
    }


def test_service_description_lists_every_named_graph_and_no_union_default(
    live_server: str, graph_sizes: dict[str, int]
) -> None:
    _, description = fetch_rdf(live_server + "/sparql", "text/turtle")
    named = {t.object for t in description if t.predicate.value == SD + "namedGraph"}
    names = {
        value_of(t.object)
        for t in description
        if t.predicate.value == SD + "name" and t.subject in named
    }
    assert set(graph_sizes) <= names
    assert {GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_INFERRED} <= names
    features = {value_of(t.object) for t in description if t.predicate.value == SD + "feature"}
    assert SD + "UnionDefaultGraph" not in features


def test_void_describes_each_source_graph_with_its_size_and_source(
    live_server: str, graph_sizes: dict[str, int]
) -> None:
    _, void = fetch_rdf(live_server + "/dataset", "text/turtle")
    subsets = objects(void, B + "dataset", VOID + "subset")
    for graph, size in graph_sizes.items():
        assert graph in subsets, graph
        assert objects(void, graph, VOID + "triples") == {str(size)}, graph
        source = SOURCE_ID + graph[len(SOURCE_GRAPH) :]
        assert objects(void, graph, PROV + "wasDerivedFrom") == {source}, graph


# ---------------------------------------------------------------- dumps


@pytest.fixture(scope="module")
def store_quads(live_server: str) -> Counter[tuple[str, str, str, str]]:
    """Every quad of every named graph, as /sparql gives them."""
    rows = select_json(live_server, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")

    def term(value: dict[str, str]) -> str:
        if value["type"] == "uri":
            return f"<{value['value']}>"
        if "xml:lang" in value:
            return f'"{value["value"]}"@{value["xml:lang"]}'
        datatype = value.get("datatype", "http://www.w3.org/2001/XMLSchema#string")
        return f'"{value["value"]}"^^<{datatype}>'

    return Counter(
        (row["g"]["value"], term(row["s"]), term(row["p"]), term(row["o"])) for row in rows
    )


def quad_key(quad: pyoxigraph.Quad) -> tuple[str, str, str, str]:
    def term(node: Any) -> str:
        if isinstance(node, pyoxigraph.NamedNode):
            return f"<{node.value}>"
        assert isinstance(node, pyoxigraph.Literal), f"a blank node in a dump: {node}"
        if node.language:
            return f'"{node.value}"@{node.language}'
        return f'"{node.value}"^^<{node.datatype.value}>'

    assert isinstance(quad.graph_name, pyoxigraph.NamedNode), "a quad in the default graph"
    return (quad.graph_name.value, term(quad.subject), term(quad.predicate), term(quad.object))


@pytest.mark.parametrize(
    ("name", "media", "gzipped"),
    [
        ("ombudsman-kg.trig", "application/trig", False),
        ("ombudsman-kg.nq", "application/n-quads", False),
        ("ombudsman-kg.nq.gz", "application/n-quads", True),
    ],
)
def test_quad_dumps_hold_every_source_graph_as_the_store_does(
    live_server: str,
    graph_sizes: dict[str, int],
    store_quads: Counter[tuple[str, str, str, str]],
    name: str,
    media: str,
    gzipped: bool,
) -> None:
    response = requests.get(
        live_server + "/dumps/" + name, headers={"Accept-Encoding": "identity"}, timeout=60
    )
    assert response.status_code == 200
    body = response.content
    if gzipped:
        assert body[:2] == b"\x1f\x8b", "not gzip"
        body = gzip.decompress(body)
    parsed = parse_quads(body, media)
    quads = Counter(quad_key(q) for q in parsed)
    assert max(quads.values()) == 1, "a quad twice in the dump"
    sizes = Counter(q[0] for q in quads)
    for graph, size in graph_sizes.items():
        assert sizes[graph] == size, graph
    # Read back as a store reads it: Oxigraph keeps xsd:nonNegativeInteger as xsd:integer
    # (a value-space canonicalization the engine applies on load), so the dump is compared
    # with the store after the same load, not byte for byte.
    reread = pyoxigraph.Store()
    reread.extend(parsed)
    assert Counter(quad_key(q) for q in reread) == store_quads


@pytest.mark.parametrize(
    ("name", "media"),
    [("ombudsman-kg.ttl", "text/turtle"), ("ombudsman-kg.nt", "application/n-triples")],
)
def test_triple_dumps_hold_each_triple_once(live_server: str, name: str, media: str) -> None:
    response = requests.get(live_server + "/dumps/" + name, timeout=60)
    assert response.status_code == 200
    triples = parse_triples(response.content, media)
    assert len(triples) == len(set(triples)), "a triple twice in the dump"
    data_and_ontology = count(
        live_server,
        f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_DATA}> FROM <{GRAPH_ONTOLOGY}> "
        "WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
    )
    assert len(set(triples)) == data_and_ontology
    if media == "application/n-triples":
        lines = [line for line in response.content.decode().splitlines() if line.strip()]
        assert len(lines) == len(set(triples))


# ---------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def founding_page(live_server: str) -> Rows:
    return read_rows(html(live_server + "/doc/event/oicoa-founding"))


def rows_with_value(page: Rows, value: str) -> list[dict[str, Any]]:
    """Rows whose value cell holds `value`: a literal shown with its datatype after it, or a date
    whose <time datetime> is `value` (its text is the date formatted for the reader)."""
    return [
        row
        for row in page.rows
        if (value in row["times"])
        or (not row["times"] and re.search(rf"(^| ){re.escape(value)} xsd:", row["text"]))
    ]


def test_founding_page_names_each_dates_sources_and_marks_the_dispute(
    founding_page: Rows,
) -> None:
    """data/founding.trig: the document (and S26) say 2014, OICOA's home page 2014-04-29."""
    year = rows_with_value(founding_page, "2014")
    day = rows_with_value(founding_page, "2014-04-29")
    assert len(year) == 1 and len(day) == 1, [r["text"] for r in founding_page.rows]
    assert doc_path(DOCUMENT) in year[0]["paths"]
    assert doc_path(SOURCE_ID + "brecorder-40267307") in year[0]["paths"]
    assert doc_path(HOME_PAGE) not in year[0]["paths"]
    assert doc_path(HOME_PAGE) in day[0]["paths"]
    assert doc_path(DOCUMENT) not in day[0]["paths"]
    for row in (year[0], day[0]):
        marked = row["class"] + " " + row["text"]
        assert re.search(r"differ|disput", marked, re.IGNORECASE), row


def test_founding_page_links_its_disagreements(live_server: str, founding_page: Rows) -> None:
    rows = select_json(
        live_server,
        f"PREFIX okg: <{OKG}> SELECT ?d WHERE {{ ?d a okg:Disagreement ; "
        f"<{SCHEMA}about> <{FOUNDING}> }}",
    )
    expected = {row["d"]["value"] for row in rows}
    assert expected == {
        B + "id/disagreement/oicoa-founding-date",
        B + "id/disagreement/oicoa-founding-year-1391-sh",
    }
    links = {
        path for row in [*founding_page.rows, *founding_page.headings] for path in row["paths"]
    }
    response_text = html(live_server + "/doc/event/oicoa-founding")
    for iri in expected:
        assert doc_path(iri) in links or doc_path(iri) in response_text, iri


def test_founding_page_shows_publisher_and_inferred_statements(
    live_server: str, founding_page: Rows
) -> None:
    """The English label is the publisher's (outside every source block), the rest of what the
    reasoner adds is inferred: both are tagged, not given a source."""
    label = [row for row in founding_page.rows if "Founding of the OICOA" in row["text"]]
    assert label and any(re.search(r"publisher", row["text"], re.I) for row in label)
    assert not any(doc_path(DOCUMENT) in row["paths"] for row in label)
    assert any(re.search(r"\binferred\b", row["text"], re.I) for row in founding_page.rows)


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_founding_rdf_holds_each_triple_once(live_server: str, accept: str) -> None:
    response, triples = fetch_rdf(live_server + "/doc/event/oicoa-founding", accept)
    assert len(triples) == len(set(triples)), "a triple twice"
    dates = objects(triples, FOUNDING, SCHEMA + "startDate")
    assert dates == {"2014", "2014-04-29"}
    if accept == "application/n-triples":
        lines = [line for line in response.content.decode().splitlines() if line.strip()]
        assert len(lines) == len(set(triples))


def test_source_page_lists_what_the_source_states(live_server: str) -> None:
    """/doc/source/{slug}: every subject of the source's graph under its own heading, one row per
    property, each object named (a link to a thing's page, or the literal's text)."""
    graph = SOURCE_GRAPH + S15
    rows = select_json(live_server, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert len(rows) == 51 and len({r["s"]["value"] for r in rows}) == 15  # S15's blocks
    expected: dict[str, dict[str, Any]] = {}
    for row in rows:
        about = expected.setdefault(
            doc_path(row["s"]["value"]), {"predicates": set(), "links": set(), "texts": set()}
        )
        about["predicates"].add(row["p"]["value"])
        value = row["o"]["value"]
        if row["o"]["type"] == "uri" and value.startswith(B + "id/"):
            about["links"].add(doc_path(value))
        elif row["o"]["type"] != "uri":
            about["texts"].add(re.sub(r"\s+", " ", value).strip())
    page = read_rows(html(local(live_server, SOURCE_ID + S15)))
    states = next(
        (i for i, h in enumerate(page.headings) if re.search(r"states", h["text"], re.I)), None
    )
    assert states is not None, [h["text"] for h in page.headings]
    shown: dict[str, dict[str, Any]] = {}
    for heading in page.headings[states + 1 :]:
        if heading["tag"] == "h2":
            break
        subjects = [p for p in heading["paths"] if p.startswith("/doc/")]
        assert len(subjects) == 1, heading
        shown[subjects[0]] = heading
    assert set(shown) == set(expected)
    for subject, facts in expected.items():
        heading = shown[subject]
        assert len(heading["rows"]) == len(facts["predicates"]), subject
        links = {path for row in heading["rows"] for path in row["paths"]}
        assert facts["links"] <= links, subject
        text = " ".join(row["text"] for row in heading["rows"])
        times = {time for row in heading["rows"] for time in row["times"]}
        for literal in facts["texts"]:
            assert literal in text or literal in times, (subject, literal)


# ---------------------------------------------------------------- /disagreements


@pytest.fixture(scope="module")
def sides(live_server: str) -> dict[str, dict[str, Any]]:
    """{side: {disagreement, kind, value, sources}} from /sparql."""
    out: dict[str, dict[str, Any]] = {}
    for row in select_json(live_server, DISAGREEMENT_SIDES):
        side = out.setdefault(
            row["side"]["value"],
            {
                "disagreement": row["disagreement"]["value"],
                "kind": row["kind"]["value"],
                "value": row["value"]["value"],
                "sources": set(),
            },
        )
        side["sources"].add(row["source"]["value"])
    assert len({s["disagreement"] for s in out.values()}) >= 14
    return out


@pytest.mark.parametrize(
    ("query", "headers", "lang"),
    [
        ("", {}, "en"),
        ("?lang=az", {}, "az"),
        ("", {"Accept-Language": "az"}, "az"),
    ],
)
def test_disagreements_page_lists_every_side_with_its_sources(
    live_server: str,
    sides: dict[str, dict[str, Any]],
    query: str,
    headers: dict[str, str],
    lang: str,
) -> None:
    body = html(live_server + "/disagreements" + query, **headers)
    page = read_rows(body)
    assert page.lang.split("-")[0] == lang
    links = {path for h in page.headings for path in h["paths"]}
    for disagreement in {s["disagreement"] for s in sides.values()}:
        assert doc_path(disagreement) in links, disagreement
    for side, facts in sides.items():
        row = [r for r in page.rows if doc_path(side) in r["paths"]]
        assert len(row) == 1, side
        for source in facts["sources"]:
            assert doc_path(source) in row[0]["paths"], (side, source)
    labels = select_json(
        live_server,
        f"PREFIX okg: <{OKG}> SELECT ?label WHERE {{ ?d a okg:Disagreement ; "
        f'<{RDFS_LABEL}> ?label FILTER (lang(?label) = "{lang}") }}',
    )
    assert labels
    text = re.sub(r"\s+", " ", " ".join(h["text"] for h in page.headings))
    for label in labels:
        assert label["label"]["value"] in text, label


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/disagreements.ttl", "*/*"), ("/disagreements", "text/turtle")],
)
def test_disagreements_rdf_holds_every_disagreement_and_side(
    live_server: str, sides: dict[str, dict[str, Any]], path: str, accept: str
) -> None:
    response, triples = fetch_rdf(live_server + path, accept)
    assert media_type(response) == "text/turtle"
    assert len(triples) == len(set(triples))
    disagreements = {
        value_of(t.subject)
        for t in triples
        if t.predicate.value == RDF_TYPE and value_of(t.object) == OKG + "Disagreement"
    }
    assert disagreements == {s["disagreement"] for s in sides.values()}
    for side, facts in sides.items():
        assert side in objects(triples, facts["disagreement"], OKG + "side"), side
        assert objects(triples, facts["disagreement"], OKG + "disagreementKind") == {facts["kind"]}
        assert objects(triples, side, OKG + "sideValue") == {facts["value"]}, side
        assert objects(triples, side, OKG + "statedBy") == facts["sources"], side
    # and nothing else: the disagreements' and sides' own triples, and labels of what they name
    described = disagreements | set(sides)
    others = [
        t
        for t in triples
        if value_of(t.subject) not in described and t.predicate.value != RDFS_LABEL
    ]
    assert not others, f"{len(others)} triples that are not about a disagreement: {others[:3]}"


# ---------------------------------------------------------------- /graph/source/{slug}


def test_source_graph_iri_dereferences(live_server: str, graph_sizes: dict[str, int]) -> None:
    graph = SOURCE_GRAPH + S15
    first = get(local(live_server, graph), accept="text/turtle")
    assert first.status_code == 303, first.status_code
    location = first.headers["Location"]
    response, triples = fetch_rdf(requests.compat.urljoin(first.url, location), "text/turtle")
    assert objects(triples, graph, VOID + "triples") == {str(graph_sizes[graph])}
    assert objects(triples, graph, PROV + "wasDerivedFrom") == {SOURCE_ID + S15}
    page = get(local(live_server, graph), accept="text/html")
    assert page.status_code == 303
    final = requests.get(
        requests.compat.urljoin(page.url, page.headers["Location"]),
        headers={"Accept": "text/html"},
        timeout=TIMEOUT,
    )
    assert final.status_code == 200 and media_type(final) == "text/html"


# ---------------------------------------------------------------- the remote store itself


def test_oxigraph_loaded_by_the_build_holds_the_source_graphs(
    oxigraph_endpoint: str, live_server: str, graph_sizes: dict[str, int]
) -> None:
    """The Oxigraph server the remote store reads (loaded by `ombudsman-kg load`): GRAPH on a
    source graph answers there as at our /sparql, and the three graphs of our default graph add
    up to what our /sparql counts (Oxigraph's own default graph is another matter: we name
    the three graphs on every request)."""

    def remote_count(text: str, **params: str | list[str]) -> int:
        response = requests.get(
            oxigraph_endpoint,
            params={"query": text, **params},
            headers={"Accept": "application/sparql-results+json"},
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, response.text[:300]
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    graph = SOURCE_GRAPH + S15
    assert (
        remote_count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        == graph_sizes[graph]
    )
    ours = count(live_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    three = remote_count(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        **{"default-graph-uri": [GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_INFERRED]},
    )
    assert three == ours
