"""schema.org JSON-LD of the pages (issue 11, item 4): schema.org's own terms only, two parsers.

Every thing's JSON-LD, made from the built data as its page makes it (`store.describe`, then
`thing_jsonld`), is read offline by rdflib and by pyoxigraph, whose readings must agree; every
predicate and every `rdf:type` object in it is a term of rdflib's closed `SDO` namespace, and
every schema.org statement the data makes about the thing is in it. A few pages over HTTP too,
and the home page's `Dataset`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import requests
from conftest import KnowledgeGraph, start_server, stop_server
from httpcheck import DATASET, LICENSE, B, parse_graph
from rdflib import RDF, Graph, Literal, URIRef, namespace

from ombudsman_kg.settings import Settings
from ombudsman_kg.store import open_store
from ombudsman_kg.web.schema_org import dataset_jsonld, thing_jsonld
from ombudsman_kg.web.site import Site

# rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib itself deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
JSONLD = "application/ld+json"
SCHEMA = "https://schema.org/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def outside_schema_org(graph: Graph) -> set[str]:
    """Every predicate (but `rdf:type`) and every `rdf:type` object of `graph` that is not a
    term of schema.org, as rdflib's closed `SDO` namespace lists them."""
    terms = {str(p) for p in graph.predicates() if p != RDF.type}
    terms |= {str(o) for o in graph.objects(None, RDF.type)}
    return {term for term in terms if not _in_sdo(term)}


def _in_sdo(iri: str) -> bool:
    """`iri in SDO`: the terms its class lists (the metaclass's `__contains__`)."""
    contains: Any = type(namespace.SDO).__contains__
    return bool(contains(namespace.SDO, URIRef(iri)))


def read_jsonld(text: str, what: str) -> Graph:
    """JSON-LD as a page embeds it: safe inside `<script>`, valid JSON, and read the same by
    rdflib and pyoxigraph (`parse_graph`), offline: the context is inline."""
    assert "<" not in text and ">" not in text, f"{what}: markup characters in the JSON-LD"
    document = json.loads(text)
    assert isinstance(document["@context"], dict), f"{what}: the context must be inline"
    assert document["@context"]["@vocab"] == SCHEMA, what
    return parse_graph(text.encode("utf-8"), JSONLD)


@pytest.fixture(scope="module")
def site(built_dist: Path) -> Iterator[Site]:
    """The build as the server reads it, in this process: the pages' own store and files."""
    settings = Settings(dist=built_dist, query_workers=1, memory_max_quads=0)
    store = open_store(settings)
    try:
        yield Site.load(settings, store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def things(kg: KnowledgeGraph) -> list[str]:
    rows = kg.select(f"SELECT DISTINCT ?s {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{B}id/') }}")
    return sorted(row["s"] for row in rows)


def test_every_thing_s_jsonld_is_schema_org_only_and_all_it_says_in_schema_org(
    site: Site, things: list[str]
) -> None:
    kinds: set[str] = set()
    typed = 0
    for iri in things:
        quads = site.store.describe(iri)
        graph = read_jsonld(thing_jsonld(iri, quads), iri)
        assert outside_schema_org(graph) == set(), iri
        subject = URIRef(iri)
        assert set(graph.subjects()) <= {subject} | {URIRef(str(o)) for o in graph.objects()}
        for other in set(graph.subjects()) - {subject}:
            assert set(graph.predicates(other)) == {namespace.SDO.name}, f"{iri}: {other} says more"
        page = URIRef(B + "doc/" + iri.removeprefix(B + "id/"))
        assert (subject, namespace.SDO.mainEntityOfPage, page) in graph, iri
        assert list(graph.objects(subject, namespace.SDO.url)), iri
        for quad in quads:
            if quad.subject != pyoxigraph.NamedNode(iri):
                continue
            predicate, value = quad.predicate.value, quad.object
            if predicate == str(RDF.type) and value.value.startswith(SCHEMA):
                assert (subject, RDF.type, URIRef(value.value)) in graph, (iri, value)
                typed += 1
            elif predicate.startswith(SCHEMA) or predicate == LABEL:
                name = URIRef(predicate) if predicate != LABEL else namespace.SDO.name
                assert _holds(graph, subject, name, value), (iri, predicate, value)
        kinds.add(iri.removeprefix(B + "id/").split("/")[0])
    assert {"person", "organization", "event", "place", "source"} <= kinds
    assert typed > 100, "hardly any schema.org type reached the JSON-LD"


def _holds(graph: Graph, subject: URIRef, predicate: URIRef, value: Any) -> bool:
    """The JSON-LD holds the data's value: the same IRI, or text with the same lexical form and
    language (a date stays at its precision: "2014" is "2014")."""
    if isinstance(value, pyoxigraph.NamedNode):
        return (subject, predicate, URIRef(value.value)) in graph
    return any(
        str(o) == value.value and o.language == value.language
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal)
    )


def test_a_place_has_its_wikidata_same_as_names_in_both_languages_and_its_types(
    site: Site,
) -> None:
    iri = B + "id/place/azerbaijan"
    graph = read_jsonld(thing_jsonld(iri, site.store.describe(iri)), iri)
    subject = URIRef(iri)
    assert (subject, namespace.SDO.sameAs, URIRef("http://www.wikidata.org/entity/Q227")) in graph
    names = graph.objects(subject, namespace.SDO.name)
    assert {(str(n), n.language) for n in names if isinstance(n, Literal)} == {
        ("Azerbaijan", "en"),
        ("Azərbaycan", "az"),
    }
    assert {namespace.SDO.Country, namespace.SDO.Place} <= set(graph.objects(subject, RDF.type))


def test_an_event_keeps_each_date_at_its_precision(site: Site) -> None:
    iri = B + "id/event/oicoa-founding"
    graph = read_jsonld(thing_jsonld(iri, site.store.describe(iri)), iri)
    assert {str(d) for d in graph.objects(URIRef(iri), namespace.SDO.startDate)} == {
        "2014",
        "2014-04-29",
    }


def test_the_check_catches_a_term_outside_schema_org() -> None:
    """The rule the tests above rely on: an okg: property, a FOAF type and a made-up schema.org
    term are each reported; schema.org's own are not."""
    text = json.dumps(
        {
            "@context": {"@vocab": SCHEMA},
            "@id": B + "id/person/x",
            "@type": ["Person", "http://xmlns.com/foaf/0.1/Person"],
            "name": "x",
            "notAProperty": "y",
            B + "ontology#holds": {"@id": B + "id/post/y"},
        }
    )
    assert outside_schema_org(read_jsonld(text, "by hand")) == {
        SCHEMA + "notAProperty",
        B + "ontology#holds",
        "http://xmlns.com/foaf/0.1/Person",
    }


def test_the_home_page_dataset_names_every_dump_and_the_licence(site: Site) -> None:
    graph = read_jsonld(dataset_jsonld(site), "the Dataset")
    assert outside_schema_org(graph) == set()
    dataset = URIRef(DATASET)
    assert (dataset, RDF.type, namespace.SDO.Dataset) in graph
    assert (dataset, namespace.SDO.license, URIRef(LICENSE)) in graph
    names = graph.objects(dataset, namespace.SDO.name)
    assert {n.language for n in names if isinstance(n, Literal)} == {"az", "en"}
    assert list(graph.objects(dataset, namespace.SDO.description))
    downloads = list(graph.objects(dataset, namespace.SDO.distribution))
    assert len(downloads) == len(site.info["dumps"])
    urls = set()
    for download in downloads:
        assert (download, RDF.type, namespace.SDO.DataDownload) in graph
        assert graph.value(download, namespace.SDO.encodingFormat) is not None
        urls.add(str(graph.value(download, namespace.SDO.contentUrl)))
    assert urls == {f"{B}dumps/{d['file']}" for d in site.info["dumps"]}


class _Scripts(HTMLParser):
    """The `application/ld+json` scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and dict(attrs).get("type") == JSONLD
        if self.inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.scripts[-1] += data


def _scripts(url: str) -> list[str]:
    response = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    reader = _Scripts()
    reader.feed(response.text)
    return reader.scripts


def test_pages_over_http_embed_the_same_jsonld(built_dist: Path, things: list[str]) -> None:
    """One thing of each kind, in each language, and the home page, from a real server."""
    process, url = start_server(built_dist)
    try:
        first_of_kind: dict[str, str] = {}
        for iri in things:
            first_of_kind.setdefault(iri.removeprefix(B + "id/").split("/")[0], iri)
        for iri in first_of_kind.values():
            for language in ("az", "en"):
                page = f"{url}/doc/{iri.removeprefix(B + 'id/')}?lang={language}"
                scripts = _scripts(page)
                assert len(scripts) == 1, page
                graph = read_jsonld(scripts[0], page)
                assert outside_schema_org(graph) == set(), page
                assert (URIRef(iri), namespace.SDO.mainEntityOfPage, None) in graph, page
        home = [read_jsonld(s, "home") for s in _scripts(url + "/")]
        assert any((URIRef(DATASET), RDF.type, namespace.SDO.Dataset) in g for g in home)
    finally:
        stop_server(process)
