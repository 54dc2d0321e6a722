"""`/fragments` and `/fragments/quads` (issue 12) hold to the Triple Pattern Fragments
specification (HydraCG, linkeddatafragments.org) and its Quad Pattern Fragments extension.

Each test names the requirement it checks: one `hydra:search` form with one `hydra:template` and
its mappings, `void:triples` on every page, `hydra:next` and `hydra:previous` exactly where those
pages exist, the metadata about the exact URL that was requested, data in the default graph and
metadata in a graph of its own, and every format read by pyoxigraph and by rdflib. Counts and
matches are checked against the build itself (the `kg` fixture), on both stores.
`tests/test_comunica.py` then runs a real client over the same interface.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pyoxigraph
import pytest
import requests
from conftest import KnowledgeGraph
from httpcheck import (
    RDF,
    RDFS,
    SD,
    VOID,
    XSD,
    B,
    assert_no_traceback,
    get,
    media_type,
    parse_dataset,
    parse_graph,
    raw_request,
    read_html,
    to_oxigraph,
)
from rdflib import Graph, Literal, URIRef

from ombudsman_kg.rdf.fragment_terms import format_term, parse_term
from ombudsman_kg.settings import Settings
from ombudsman_kg.store.base import PATTERN_COUNT_MAX
from ombudsman_kg.store.embedded import EmbeddedStore

HYDRA = "http://www.w3.org/ns/hydra/core#"
FOAF_PRIMARY_TOPIC = URIRef("http://xmlns.com/foaf/0.1/primaryTopic")
TRIG = "application/trig"
QUAD_TYPES = (TRIG, "application/n-quads", "application/ld+json")
TRIPLE_TYPES = ("text/turtle", "application/n-triples")
LABEL = RDFS + "label"
OICOA = B + "id/organization/oicoa"
SOURCE_GRAPH = B + "graph/source/cooperation-document"
DEFAULT_GRAPH = [
    pyoxigraph.NamedNode(B + "graph/" + name) for name in ("data", "ontology", "inferred")
]
PAGE_SIZE = 100


class Fragment:
    """One page as a client reads it: data apart from metadata, both parsers agreeing."""

    def __init__(self, url: str, *, accept: str = TRIG) -> None:
        """GET `url` byte for byte (requests would upper-case a `%3a`)."""
        parts = urlsplit(url)
        status, headers, body = raw_request(
            f"{parts.scheme}://{parts.netloc}",
            "GET",
            url.removeprefix(f"{parts.scheme}://{parts.netloc}"),
            headers={"Accept": accept},
        )
        assert status == 200, body[:500]
        assert headers["content-type"].split(";")[0] == accept
        assert headers["access-control-allow-origin"] == "*"
        self.url = url
        self.metadata_name = url + "#metadata"
        if accept in QUAD_TYPES:
            graphs = parse_dataset(body, accept)
            self.metadata = graphs.pop(self.metadata_name, Graph())
        else:
            graphs = {"": parse_graph(body, accept)}
            self.metadata = graphs[""]
        self.graphs = graphs

    @property
    def data(self) -> set[tuple[str, str, str, str]]:
        """Every triple outside the metadata graph, as N-Quads terms and its graph ('')."""
        return {
            (str(to_oxigraph(s)), str(to_oxigraph(p)), str(to_oxigraph(o)), name)
            for name, graph in self.graphs.items()
            for s, p, o in graph
        }

    def values(self, subject: str, predicate: str) -> list[Any]:
        return list(self.metadata.objects(URIRef(subject), URIRef(predicate)))

    def value(self, subject: str, predicate: str) -> Any:
        values = self.values(subject, predicate)
        assert len(values) <= 1, f"{len(values)} values of <{predicate}> for <{subject}>"
        return values[0] if values else None

    def count(self) -> int:
        """`void:triples` of the page's exact URL, the same as its `hydra:totalItems`."""
        value = self.value(self.url, VOID + "triples")
        assert isinstance(value, Literal), f"no void:triples for <{self.url}>"
        assert value.datatype == URIRef(XSD + "integer")
        assert self.value(self.url, HYDRA + "totalItems") == value
        return int(value)

    def link(self, name: str) -> str | None:
        value = self.value(self.url, HYDRA + name)
        return None if value is None else str(value)


def fragment_url(server: str, path: str = "/fragments", **terms: str) -> str:
    """The URL the template gives (`{?subject,predicate,object,graph}`, RFC 6570 form-style)."""
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in terms.items())
    return server + path + ("?" + query if query else "")


def default_graph_matches(
    kg: KnowledgeGraph, s: Any = None, p: Any = None, o: Any = None
) -> set[Any]:
    """What the default graph of SPEC §7 holds that matches, in `Fragment.data`'s form."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), "")
        for g in DEFAULT_GRAPH
        for q in kg.store.quads_for_pattern(s, p, o, g)
    }


def named_graph_matches(kg: KnowledgeGraph, graph: str | None, **pattern: Any) -> set[Any]:
    target = None if graph is None else pyoxigraph.NamedNode(graph)
    return {
        (str(q.subject), str(q.predicate), str(q.object), q.graph_name.value)
        for q in kg.store.quads_for_pattern(
            pattern.get("s"), pattern.get("p"), pattern.get("o"), target
        )
        if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
    }


def all_pages(first: str) -> list[Fragment]:
    pages = [Fragment(first)]
    while (following := pages[-1].link("next")) is not None:
        pages.append(Fragment(following))
        assert len(pages) < 1000, "the pages do not end"
    return pages


# ---------------------------------------------------------------- controls


@pytest.mark.parametrize(
    ("path", "mappings"),
    [
        ("/fragments", {"subject": "subject", "predicate": "predicate", "object": "object"}),
        (
            "/fragments/quads",
            {
                "subject": "subject",
                "predicate": "predicate",
                "object": "object",
                "graph": SD + "graph",
            },
        ),
    ],
)
def test_the_data_set_has_one_search_form_with_one_template_and_its_mappings(
    live_server: str, path: str, mappings: dict[str, str]
) -> None:
    """TPF §Hypermedia controls: the form is on the data set, which lists the fragment as a
    subset; Comunica requires exactly one `hydra:template` per form and tells QPF from TPF by
    the mappings' properties (rdf:subject/predicate/object, and sd:graph)."""
    page = Fragment(live_server + path)
    dataset = live_server + path + "#dataset"
    assert URIRef(VOID + "Dataset") in page.values(dataset, RDF + "type")
    assert URIRef(HYDRA + "Collection") in page.values(dataset, RDF + "type")
    assert URIRef(page.url) in page.values(dataset, VOID + "subset")
    searches = list(page.metadata.objects(None, URIRef(HYDRA + "search")))
    assert len(searches) == 1, searches
    form = str(searches[0])
    templates = page.values(form, HYDRA + "template")
    assert len(templates) == 1
    names = ",".join(mappings)
    assert str(templates[0]) == f"{live_server}{path}{{?{names}}}"
    found = {}
    for mapping in page.values(form, HYDRA + "mapping"):
        (variable,) = page.metadata.objects(mapping, URIRef(HYDRA + "variable"))
        (selects,) = page.metadata.objects(mapping, URIRef(HYDRA + "property"))
        found[str(variable)] = str(selects)
    expected = {name: RDF + p if not p.startswith("http") else p for name, p in mappings.items()}
    assert found == expected
    if path.endswith("quads"):
        assert page.value(dataset, SD + "defaultGraph") == URIRef("urn:ldf:defaultGraph")
    else:
        assert page.value(dataset, SD + "defaultGraph") is None


def test_the_metadata_is_about_the_exact_url_requested(live_server: str) -> None:
    """TPF: metadata and controls use the URL the client asked for, parameter order and
    percent-encoding as sent (here: object before predicate, lower-case hex)."""
    url = (
        live_server
        + "/fragments?object=http%3a%2f%2fwww.w3.org%2fns%2forg%23FormalOrganization"
        + "&predicate=http%3A%2F%2Fwww.w3.org%2F1999%2F02%2F22-rdf-syntax-ns%23type"
    )
    page = Fragment(url)
    assert page.count() >= 1
    assert (URIRef(page.metadata_name), FOAF_PRIMARY_TOPIC, URIRef(url)) in page.metadata
    assert (URIRef(url), URIRef(HYDRA + "view"), URIRef(url)) in page.metadata
    second = Fragment(url + "&page=1")
    assert second.count() == page.count()
    assert (URIRef(url), URIRef(VOID + "subset"), URIRef(url + "&page=1")) in second.metadata
    assert (URIRef(second.metadata_name), FOAF_PRIMARY_TOPIC, URIRef(url)) in second.metadata


def test_the_data_is_in_the_default_graph_and_the_metadata_in_its_own(
    live_server: str, kg: KnowledgeGraph
) -> None:
    """TPF: with several graphs, data in the default graph, metadata and controls in another,
    related to the fragment by foaf:primaryTopic; a triple format holds both together."""
    url = fragment_url(live_server, subject=OICOA)
    expected = default_graph_matches(kg, s=pyoxigraph.NamedNode(OICOA))
    assert 0 < len(expected) <= PAGE_SIZE
    for accept in QUAD_TYPES:
        page = Fragment(url, accept=accept)
        assert set(page.graphs) == {""}, f"{accept}: graphs {set(page.graphs)}"
        assert page.data == expected, accept
        assert page.count() == len(expected)
        assert (URIRef(page.metadata_name), FOAF_PRIMARY_TOPIC, URIRef(url)) in page.metadata
    for accept in TRIPLE_TYPES:
        page = Fragment(url, accept=accept)
        assert expected <= page.data, accept
        assert page.count() == len(expected)


# ---------------------------------------------------------------- paging


def test_pages_of_100_cover_a_fragment_once_with_next_and_previous_where_they_exist(
    live_server: str, kg: KnowledgeGraph
) -> None:
    """TPF §Paging: every page carries the fragment's count; `hydra:previous` is absent on the
    first page and `hydra:next` on the last, present everywhere between; only the last page
    holds fewer than 100; each match comes once, in an order that does not change."""
    url = fragment_url(live_server, predicate=LABEL)
    expected = default_graph_matches(kg, p=pyoxigraph.NamedNode(LABEL))
    assert len(expected) > 2 * PAGE_SIZE, "the label fragment should span several pages"
    pages = all_pages(url)
    assert len(pages) == -(-len(expected) // PAGE_SIZE)
    seen: list[tuple[str, ...]] = []
    for number, page in enumerate(pages, start=1):
        assert page.count() == len(expected), f"page {number}"
        assert page.value(page.url, HYDRA + "itemsPerPage") == Literal(
            PAGE_SIZE, datatype=URIRef(XSD + "integer")
        )
        assert page.link("first") == url
        assert (page.link("previous") is None) == (number == 1), f"page {number}"
        assert (page.link("next") is None) == (number == len(pages)), f"page {number}"
        assert len(page.data) == (
            PAGE_SIZE if number < len(pages) else len(expected) % PAGE_SIZE or PAGE_SIZE
        )
        seen += sorted(page.data)
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    assert pages[1].link("previous") == url
    assert Fragment(pages[2].url).data == pages[2].data, "the same page twice, the same triples"


def test_a_page_past_the_last_is_empty_and_a_page_past_the_bound_is_refused(
    live_server: str,
) -> None:
    """The page number is bounded (SPEC §4: bounded work per request): past the last page an
    empty page with its count; past the bound, a 400 that says why."""
    url = fragment_url(live_server, subject=OICOA)
    beyond = Fragment(url + "&page=50")
    assert beyond.data == set() and beyond.count() > 0 and beyond.link("next") is None
    assert beyond.link("previous") == url + "&page=49"
    assert Fragment(url + "&page=1000").data == set()
    response = get(url + "&page=1001", accept=TRIG)
    assert response.status_code == 400
    assert "1000" in response.text


# ---------------------------------------------------------------- selectors


def test_a_literal_with_a_language_tag_as_the_object(live_server: str, kg: KnowledgeGraph) -> None:
    label = next(
        q.object
        for q in kg.store.quads_for_pattern(
            pyoxigraph.NamedNode(OICOA), pyoxigraph.NamedNode(LABEL), None, DEFAULT_GRAPH[0]
        )
        if q.object.language == "az"
    )
    text = f'"{label.value}"@az'
    assert format_term(label) == text
    page = Fragment(fragment_url(live_server, object=text))
    expected = default_graph_matches(kg, o=label)
    assert (
        str(pyoxigraph.NamedNode(OICOA)),
        str(pyoxigraph.NamedNode(LABEL)),
        str(label),
        "",
    ) in expected
    assert page.data == expected and page.count() == len(expected)
    assert Fragment(fragment_url(live_server, object=f'"{label.value}"@en')).count() == 0


def test_a_typed_literal_as_the_object(live_server: str, kg: KnowledgeGraph) -> None:
    year = pyoxigraph.Literal("2014", datatype=pyoxigraph.NamedNode(XSD + "gYear"))
    page = Fragment(fragment_url(live_server, object=f'"2014"^^{XSD}gYear'))
    expected = default_graph_matches(kg, o=year)
    assert expected and page.data == expected and page.count() == len(expected)
    as_string = Fragment(fragment_url(live_server, object='"2014"'))
    assert as_string.data.isdisjoint(expected), "a typed literal is not its string"


def test_an_empty_fragment_answers_200_with_its_controls_and_a_count_of_0(live_server: str) -> None:
    page = Fragment(fragment_url(live_server, subject=B + "id/organization/no-such-thing"))
    assert page.data == set()
    assert page.count() == 0
    assert page.link("next") is None and page.link("previous") is None
    assert len(list(page.metadata.objects(None, URIRef(HYDRA + "template")))) == 1


def test_the_whole_default_graph_is_one_fragment(live_server: str, kg: KnowledgeGraph) -> None:
    """`?s ?p ?o` over /fragments is SPEC §7's default graph: its count is /health's."""
    page = Fragment(live_server + "/fragments")
    assert page.count() == kg.triple_count()
    assert requests.get(live_server + "/health", timeout=15).json()["triples"] == page.count()


# ---------------------------------------------------------------- quads


def test_quad_fragments_select_a_source_graph(live_server: str, kg: KnowledgeGraph) -> None:
    """QPF: a source graph (SPEC §7) is selected by name; its quads come in that graph."""
    url = fragment_url(live_server, "/fragments/quads", subject=OICOA, graph=SOURCE_GRAPH)
    expected = named_graph_matches(kg, SOURCE_GRAPH, s=pyoxigraph.NamedNode(OICOA))
    assert expected
    for accept in QUAD_TYPES:
        page = Fragment(url, accept=accept)
        assert page.data == expected, accept
        assert page.count() == len(expected)


def test_quad_fragments_without_a_graph_read_every_named_graph(
    live_server: str, kg: KnowledgeGraph
) -> None:
    url = fragment_url(live_server, "/fragments/quads", subject=OICOA)
    expected = named_graph_matches(kg, None, s=pyoxigraph.NamedNode(OICOA))
    assert {graph for *_, graph in expected} >= {B + "graph/data", SOURCE_GRAPH}
    pages = all_pages(url)
    assert set().union(*(page.data for page in pages)) == expected
    assert pages[0].count() == len(expected)


def test_quad_fragments_reach_the_default_graph_as_urn_ldf_default_graph(
    live_server: str, kg: KnowledgeGraph
) -> None:
    url = fragment_url(live_server, "/fragments/quads", subject=OICOA, graph="urn:ldf:defaultGraph")
    page = Fragment(url)
    assert page.data == default_graph_matches(kg, s=pyoxigraph.NamedNode(OICOA))


def test_quad_fragments_are_not_offered_without_graphs(live_server: str) -> None:
    """A triple format would drop the graph a quad fragment selects by: 406, listing the rest."""
    response = get(live_server + "/fragments/quads", accept="text/turtle")
    assert response.status_code == 406
    assert TRIG in response.text


# ---------------------------------------------------------------- HTTP


@pytest.mark.parametrize(
    "query",
    [
        "subject=_%3Ab0",
        "object=_%3Ab0",
        "subject=%22literal%22",
        "predicate=%22literal%22%40en",
        "object=%22no-closing-quote",
        "object=%22x%22%40",
        "object=%22x%22%40not_a_tag",
        "object=%22x%22%5E%5Enot-an-iri",
        "object=%22x%22junk",
        "object=%22x%22%5E%5Ehttp%3A%2F%2Fwww.w3.org%2F1999%2F02%2F22-rdf-syntax-ns%23langString",
        "subject=not%20an%20iri",
        "subject=relative/path",
        "subject=%3C%3Chttp%3A%2F%2Fa%20http%3A%2F%2Fb%20http%3A%2F%2Fc%3E%3E",
        "subject=%3F",
        "subject=http%3A%2F%2Fa&subject=http%3A%2F%2Fb",
        "page=abc",
        "page=0",
        "page=-1",
        "page=1.5",
        "page=99999999999999999999999999999999999999",
        "page=1&page=2",
        "graph=http%3A%2F%2Fa",
    ],
)
def test_bad_input_gets_a_clear_400_never_a_traceback(live_server: str, query: str) -> None:
    response = get(live_server + "/fragments?" + query, accept=TRIG)
    assert response.status_code == 400, (query, response.status_code, response.text[:300])
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert media_type(response) == "text/plain"
    assert_no_traceback(response.content, query)
    assert len(response.text) < 1000


def test_a_graph_literal_is_refused_on_quad_fragments(live_server: str) -> None:
    response = get(live_server + "/fragments/quads?graph=%22x%22", accept=TRIG)
    assert response.status_code == 400 and "graph" in response.text


@pytest.mark.parametrize("path", ["/fragments", "/fragments/quads"])
def test_head_is_answered_post_is_405_and_every_answer_has_cors(
    live_server: str, path: str
) -> None:
    head = requests.head(live_server + path, headers={"Accept": TRIG}, timeout=15)
    assert head.status_code == 200 and head.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in head.headers.get("Vary", "")
    post = requests.post(live_server + path, timeout=15)
    assert post.status_code == 405 and post.headers["Access-Control-Allow-Origin"] == "*"


def test_a_browser_gets_a_page_with_the_form(live_server: str) -> None:
    url = fragment_url(live_server, predicate=LABEL)
    response = get(url, accept="text/html")
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = read_html(response.text, url)
    assert {"subject", "predicate", "object"} <= page.field_names
    assert any("page=2" in link for link in page.links)
    assert (
        get(live_server + "/fragments", accept=None).headers["Content-Type"].startswith("text/html")
    )


# ---------------------------------------------------------------- terms (pure)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("", None),
        ("?s", None),
        ("http://example.org/a", pyoxigraph.NamedNode("http://example.org/a")),
        ("<http://example.org/a>", pyoxigraph.NamedNode("http://example.org/a")),
        ('"text"', pyoxigraph.Literal("text")),
        ('"say "hi""@EN-gb', pyoxigraph.Literal('say "hi"', language="en-gb")),
        (
            '"42"^^http://www.w3.org/2001/XMLSchema#integer',
            pyoxigraph.Literal("42", datatype=pyoxigraph.NamedNode(XSD + "integer")),
        ),
        (
            '"42"^^<http://www.w3.org/2001/XMLSchema#integer>',
            pyoxigraph.Literal("42", datatype=pyoxigraph.NamedNode(XSD + "integer")),
        ),
    ],
)
def test_terms_in_the_template_encoding(text: str, term: Any) -> None:
    """TPF §Hypermedia controls: the encodings a server MUST support, and their inverse."""
    assert parse_term(text, "object") == term
    if term is not None and "<" not in text and "EN" not in text:
        assert format_term(term) == text


# ---------------------------------------------------------------- the store's side


def test_pages_are_the_same_from_the_disk_store_and_its_in_memory_copy(built_dist: Path) -> None:
    """The two iterate in different orders, and a server swaps one for the other while it runs
    (and each worker on its own): pages are sorted, so a client paging across the swap sees
    each match once."""
    memory = EmbeddedStore(Settings(dist=built_dist, query_workers=1))
    disk = EmbeddedStore(Settings(dist=built_dist, query_workers=1, memory_max_quads=0))
    try:
        memory.warm()
        assert memory.in_memory_ready.wait(60), "the in-memory copy was never read"
        label = pyoxigraph.NamedNode(LABEL)
        for graph in (pyoxigraph.DefaultGraph(), None):
            for offset in (0, 300):
                assert memory.pattern(
                    None, label, None, graph, offset=offset, limit=PAGE_SIZE
                ) == disk.pattern(None, label, None, graph, offset=offset, limit=PAGE_SIZE)
    finally:
        memory.close()
        disk.close()


def test_a_fragment_of_a_huge_store_reads_a_bounded_number_of_matches(tmp_path: Path) -> None:
    """SPEC §4: the work of one request is bounded whatever the store holds. Past
    PATTERN_COUNT_MAX matches the count says "more" (the spec allows an estimate), pages still
    come, and none is asked for past the bound."""
    store_path = tmp_path / "dist" / "store"
    store_path.parent.mkdir()
    many = pyoxigraph.Store(str(store_path))
    graph = DEFAULT_GRAPH[0]
    many.bulk_extend(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"http://example.org/s{i}"),
            pyoxigraph.NamedNode("http://example.org/p"),
            pyoxigraph.Literal(str(i)),
            graph,
        )
        for i in range(PATTERN_COUNT_MAX + 50)
    )
    many.flush()
    del many
    store = EmbeddedStore(Settings(dist=tmp_path / "dist", query_workers=1, memory_max_quads=0))
    try:
        page, count = store.pattern(
            None, None, None, pyoxigraph.DefaultGraph(), offset=0, limit=PAGE_SIZE
        )
        assert count == PATTERN_COUNT_MAX + 1 and len(page) == PAGE_SIZE
        last, _ = store.pattern(
            None, None, None, None, offset=PATTERN_COUNT_MAX - PAGE_SIZE, limit=PAGE_SIZE
        )
        assert len(last) == PAGE_SIZE
        with pytest.raises(ValueError):
            store.pattern(None, None, None, None, offset=PATTERN_COUNT_MAX, limit=PAGE_SIZE)
        small, count = store.pattern(
            pyoxigraph.NamedNode("http://example.org/s7"), None, None, None, offset=0, limit=10
        )
        assert count == 1 and small[0].graph_name == graph
    finally:
        store.close()


@pytest.mark.parametrize("accept", QUAD_TYPES)
@pytest.mark.parametrize("page", ["", "&page=2"])
def test_a_client_reading_in_order_finds_the_metadata_graph(
    live_server: str, accept: str, page: str
) -> None:
    """Comunica (`actor-rdf-metadata-primary-topic`) takes as metadata the graph that is
    `foaf:primaryTopic` of the subject of the *last* `void:subset <page>` it reads; a page whose
    metadata it missed would hand it the metadata as data (a `GRAPH ?g` query would see it). And
    it reads `sd:defaultGraph` only of a data set already seen holding the page."""
    url = fragment_url(live_server, "/fragments/quads", predicate=LABEL) + page
    parts = urlsplit(url)
    status, _, body = raw_request(
        f"{parts.scheme}://{parts.netloc}",
        "GET",
        url.split(parts.netloc, 1)[1],
        headers={"Accept": accept},
    )
    assert status == 200
    quads = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.from_media_type(accept)))
    subset_of_page = [
        q.subject.value
        for q in quads
        if q.predicate.value == VOID + "subset" and q.object.value == url
    ]
    topics = {
        q.object.value: q.subject.value
        for q in quads
        if q.predicate == pyoxigraph.NamedNode(str(FOAF_PRIMARY_TOPIC))
    }
    assert subset_of_page and topics.get(subset_of_page[-1]) == url + "#metadata"
    if not page:
        order = [(q.subject.value, q.predicate.value) for q in quads]
        dataset = live_server + "/fragments/quads#dataset"
        assert order.index((dataset, VOID + "subset")) < order.index((dataset, SD + "defaultGraph"))
