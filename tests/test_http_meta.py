"""The pages about the data set over real HTTP: home, ontology, shapes, dumps, VoID, health
(SPEC §1, §3, §4 "every dump … isomorphic to what the store holds"; issue 3).

Dumps are downloaded byte for byte and checked against what `/dataset` says of them, then parsed
by pyoxigraph and rdflib and compared with what `/sparql` returns from the store.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from conftest import start_server, stop_server
from httpcheck import (
    BROWSER_ACCEPT,
    DATASET,
    DCAT,
    DCT,
    DUMP_FILES,
    GRAPH_DATA,
    GRAPH_ONTOLOGY,
    LICENSE,
    OKG,
    ORG,
    RDF_EXTENSIONS,
    RDFS,
    SD,
    SPDX,
    THING,
    THING_IRI,
    TIMEOUT,
    VOID,
    B,
    assert_no_traceback,
    assert_same_graph,
    construct,
    get,
    health,
    health_triples,
    iris_in,
    media_type,
    origin,
    parse_dataset,
    parse_graph,
    parse_response,
    raw_bytes,
    read_html,
    select_json,
    shows_number,
    vary_has,
)
from rdflib import RDF, Graph, Literal, URIRef

DUMP_TYPES = {
    "ombudsman-kg.ttl": "text/turtle",
    "ombudsman-kg.nt": "application/n-triples",
    "ombudsman-kg.jsonld": "application/ld+json",
    "ombudsman-kg.trig": "application/trig",
    "ombudsman-kg.nq": "application/n-quads",
    "ombudsman-kg.nt.gz": "application/n-triples",
    "ombudsman-kg.nq.gz": "application/n-quads",
}
PUBLISHED = (
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }} "
    f"UNION {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s ?p ?o }} }} }}"
)


def uri(value: str) -> URIRef:
    return URIRef(value)


def names_kind(link: str, kind: str) -> bool:
    """Whether a link leads to things of one kind: a path segment or a query value names it."""
    parts = urlsplit(link)
    return kind in re.split(r"[/.=&?#]", parts.path + "?" + parts.query)


@pytest.fixture(scope="module")
def void(live_server: str) -> Graph:
    response = get(live_server + "/dataset", accept="text/turtle")
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == "text/turtle"
    return parse_response(response)


@pytest.fixture(scope="module")
def downloads(live_server: str) -> dict[str, requests.Response]:
    """Every dump as the bytes on the wire (no content coding asked for)."""
    out = {}
    for name in DUMP_FILES:
        response = raw_bytes(f"{live_server}/dumps/{name}")
        assert response.status_code == 200, (name, response.status_code)
        out[name] = response
    return out


def body_of(response: requests.Response) -> bytes:
    """The dump file itself: the bytes sent, whatever Content-Encoding says."""
    return bytes(response.raw_body)  # type: ignore[attr-defined]


def content_of(name: str, response: requests.Response) -> bytes:
    """The RDF inside a dump, gunzipped for the `.gz` ones."""
    data = body_of(response)
    return gzip.decompress(data) if name.endswith(".gz") else data


@pytest.fixture(scope="module")
def store_graphs(live_server: str) -> dict[str, Graph]:
    """Every named graph of the store, as `/sparql` returns it."""
    rows = select_json(live_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    names = sorted(row["g"]["value"] for row in rows)
    assert GRAPH_DATA in names and GRAPH_ONTOLOGY in names, names
    return {
        name: construct(
            live_server, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        )
        for name in names
    }


@pytest.fixture(scope="module")
def ontology_terms(built_dist: Path) -> dict[str, Graph]:
    """Every okg: term of the built ontology with the triples that describe it."""
    graph = Graph().parse(built_dist / "ontology.ttl", format="turtle")
    terms: dict[str, Graph] = {}
    for subject in set(graph.subjects()):
        if str(subject).startswith(OKG) and len(str(subject)) > len(OKG):
            described = Graph()
            for triple in graph.triples((subject, None, None)):
                described.add(triple)
            terms[str(subject)] = described
    assert len(terms) > 20, sorted(terms)
    return terms


# ---------------------------------------------------------------- home


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "*/*", None])
def test_home_page_is_html_with_the_counts_and_entry_points(
    live_server: str, kg: Any, accept: str | None
) -> None:
    response = get(live_server + "/", accept=accept)
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    page = read_html(response.text, response.url)
    triples = health_triples(health(live_server))
    assert shows_number(page.text, triples), (
        f"the home page does not show the triple count {triples}"
    )
    local = {link.split("#")[0].split("?")[0] for link in page.links if origin(link) == live_server}
    paths = {urlsplit(link).path for link in local}
    assert "/sparql" in paths, sorted(paths)
    assert any(path.startswith("/dumps/") for path in paths), sorted(paths)
    assert "/ontology" in paths or "/ontology.html" in paths, sorted(paths)
    kinds = {
        row["s"][len(B) + 3 :].split("/")[0]
        for row in kg.select(
            f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{B}id/') }}"
        )
    }
    unlinked = [kind for kind in sorted(kinds) if not any(names_kind(link, kind) for link in local)]
    assert not unlinked, f"no entry point for the kinds {unlinked}"


def test_home_page_links_stay_on_the_servers_origin(live_server: str) -> None:
    page = read_html(get(live_server + "/", accept=BROWSER_ACCEPT).text, live_server + "/")
    away = [
        link
        for link in page.links
        if link.startswith((B + "id/", B + "doc/", B + "sparql", B + "dumps/"))
    ]
    assert not away, f"links that leave the local copy: {away[:5]}"


# ---------------------------------------------------------------- ontology and shapes


def test_ontology_html_documents_every_okg_term(
    live_server: str, ontology_terms: dict[str, Graph]
) -> None:
    response = get(live_server + "/ontology.html")
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = read_html(response.text, response.url)
    problems = []
    for term, described in sorted(ontology_terms.items()):
        name = term[len(OKG) :]
        if name not in page.ids:
            problems.append(f"okg:{name}: no element with id={name!r}, so <{term}> lands nowhere")
        for predicate in (uri(RDFS + "label"), uri(RDFS + "comment")):
            for value in described.objects(None, predicate):
                if isinstance(value, Literal) and value.language == "en":
                    if " ".join(str(value).split()) not in page.text:
                        field = predicate.split("#")[1]
                        problems.append(f"okg:{name}: its {field} {str(value)[:60]!r} is not shown")
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


@pytest.mark.parametrize("extension", list(RDF_EXTENSIONS))
def test_ontology_in_every_rdf_format_holds_every_okg_term(
    live_server: str, ontology_terms: dict[str, Graph], extension: str
) -> None:
    response = get(f"{live_server}/ontology.{extension}")
    assert response.status_code == 200
    assert media_type(response) == RDF_EXTENSIONS[extension]
    graph = parse_response(response)
    missing = [t for described in ontology_terms.values() for t in described if t not in graph]
    assert not missing, f"{len(missing)} triples about okg: terms missing, e.g. {missing[:3]}"
    assert (uri(B + "ontology"), RDF.type, uri("http://www.w3.org/2002/07/owl#Ontology")) in graph


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("text/html", "html"),
        ("*/*", "html"),
    ],
)
@pytest.mark.parametrize("path", ["/ontology", "/shapes"])
def test_ontology_and_shapes_are_negotiated(
    live_server: str, path: str, accept: str, extension: str
) -> None:
    response = get(live_server + path, accept=accept)
    assert response.status_code == 200, (path, accept, response.status_code)
    assert media_type(response) == ("text/html" if extension == "html" else accept)
    assert vary_has(response, "Accept")
    location = urljoin(response.url, response.headers.get("Content-Location", ""))
    assert location == f"{live_server}{path}.{extension}", response.headers.get("Content-Location")
    if extension != "html":
        parse_response(response)


@pytest.mark.parametrize("extension", list(RDF_EXTENSIONS))
def test_shapes_in_every_rdf_format_are_the_built_shapes(
    live_server: str, built_dist: Path, extension: str
) -> None:
    expected = Graph().parse(built_dist / "shapes.ttl", format="turtle")
    assert len(expected) > 20
    response = get(f"{live_server}/shapes.{extension}")
    assert response.status_code == 200
    assert media_type(response) == RDF_EXTENSIONS[extension]
    graph = parse_response(response)
    assert_same_graph(expected, graph, f"/shapes.{extension} vs the built shapes")
    assert any(str(s).startswith(B + "shapes#") for s in graph.subjects()), (
        "no shape with a canonical IRI"
    )


# ---------------------------------------------------------------- dumps


def test_dump_listing_gives_every_dump_with_its_size_and_sha256(
    live_server: str, downloads: dict[str, requests.Response]
) -> None:
    response = get(live_server + "/dumps/", accept=BROWSER_ACCEPT)
    assert response.status_code == 200
    page = read_html(response.text, response.url) if media_type(response) == "text/html" else None
    text = page.text if page else response.text
    for name, download in downloads.items():
        data = body_of(download)
        assert shows_number(text, len(data)), f"{name}: its size {len(data)} is not listed"
        assert hashlib.sha256(data).hexdigest() in text, f"{name}: its SHA-256 is not listed"
        if page:
            assert f"{live_server}/dumps/{name}" in page.links, (
                f"{name}: no link on the server's origin"
            )


@pytest.mark.parametrize("name", DUMP_FILES)
def test_each_dump_is_what_void_says_byte_size_and_sha256(
    void: Graph, downloads: dict[str, requests.Response], name: str
) -> None:
    url = uri(B + "dumps/" + name)
    assert (uri(DATASET), uri(VOID + "dataDump"), url) in void, f"void:dataDump <{url}> missing"
    distributions = list(void.subjects(uri(DCAT + "downloadURL"), url))
    assert len(distributions) == 1, (
        f"{len(distributions)} distributions with dcat:downloadURL <{url}>"
    )
    [distribution] = distributions
    assert (uri(DATASET), uri(DCAT + "distribution"), distribution) in void
    data = body_of(downloads[name])
    sizes = [int(value) for value in void.objects(distribution, uri(DCAT + "byteSize"))]
    assert sizes == [len(data)], f"{name}: dcat:byteSize {sizes}, downloaded {len(data)} bytes"
    checksums = [
        (str(value), {str(a) for a in void.objects(checksum, uri(SPDX + "algorithm"))})
        for checksum in void.objects(distribution, uri(SPDX + "checksum"))
        for value in void.objects(checksum, uri(SPDX + "checksumValue"))
    ]
    assert checksums == [(hashlib.sha256(data).hexdigest(), {SPDX + "checksumAlgorithm_sha256"})], (
        name,
        checksums,
    )
    kinds = [str(value) for value in void.objects(distribution, uri(DCAT + "mediaType"))]
    assert len(kinds) == 1 and kinds[0].endswith("/" + DUMP_TYPES[name]), (name, kinds)


def test_void_lists_exactly_the_dumps_of_the_spec(void: Graph) -> None:
    listed = {str(o) for o in void.objects(uri(DATASET), uri(VOID + "dataDump"))}
    assert listed == {B + "dumps/" + name for name in DUMP_FILES}


@pytest.mark.parametrize("name", DUMP_FILES)
def test_each_dump_is_served_as_its_media_type(
    downloads: dict[str, requests.Response], name: str
) -> None:
    response = downloads[name]
    kind = media_type(response)
    if name.endswith(".gz"):
        as_gzip = kind in ("application/gzip", "application/x-gzip")
        as_coded = kind == DUMP_TYPES[name] and response.headers.get("Content-Encoding") == "gzip"
        assert as_gzip or as_coded, (name, kind, response.headers.get("Content-Encoding"))
        assert body_of(response)[:2] == b"\x1f\x8b"
    else:
        assert kind == DUMP_TYPES[name], (name, kind)


@pytest.mark.parametrize(
    "name", ["ombudsman-kg.ttl", "ombudsman-kg.nt", "ombudsman-kg.jsonld", "ombudsman-kg.nt.gz"]
)
def test_single_graph_dump_is_the_data_and_ontology_graphs_of_the_store(
    live_server: str, downloads: dict[str, requests.Response], name: str
) -> None:
    published = construct(live_server, PUBLISHED)
    assert len(published) > 100
    dump = parse_graph(content_of(name, downloads[name]), DUMP_TYPES[name])
    assert_same_graph(published, dump, f"{name} vs GRAPH data ∪ GRAPH ontology from /sparql")


@pytest.mark.parametrize("name", ["ombudsman-kg.trig", "ombudsman-kg.nq", "ombudsman-kg.nq.gz"])
def test_quad_dump_is_every_named_graph_of_the_store(
    downloads: dict[str, requests.Response], store_graphs: dict[str, Graph], name: str
) -> None:
    dump = parse_dataset(content_of(name, downloads[name]), DUMP_TYPES[name])
    assert set(dump) == set(store_graphs), (
        f"{name} graphs {sorted(dump)} vs the store's {sorted(store_graphs)}"
    )
    for graph_name, graph in store_graphs.items():
        assert_same_graph(graph, dump[graph_name], f"{name} graph <{graph_name}> vs the store")


def test_nt_gz_holds_the_same_graph_as_nt(downloads: dict[str, requests.Response]) -> None:
    plain = parse_graph(
        content_of("ombudsman-kg.nt", downloads["ombudsman-kg.nt"]), "application/n-triples"
    )
    packed = parse_graph(
        content_of("ombudsman-kg.nt.gz", downloads["ombudsman-kg.nt.gz"]), "application/n-triples"
    )
    assert_same_graph(plain, packed, ".nt vs .nt.gz")


def test_jsonld_dump_carries_the_shared_context_inline(
    live_server: str, downloads: dict[str, requests.Response]
) -> None:
    document = json.loads(body_of(downloads["ombudsman-kg.jsonld"]))
    assert isinstance(document["@context"], dict)
    assert document["@context"] == get(live_server + "/context.jsonld").json()["@context"]


@pytest.mark.parametrize("name", DUMP_FILES)
def test_head_on_a_dump_gives_its_size_without_the_body(
    live_server: str, downloads: dict[str, requests.Response], name: str
) -> None:
    head = requests.head(
        f"{live_server}/dumps/{name}", headers={"Accept-Encoding": "identity"}, timeout=TIMEOUT
    )
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["Content-Length"]) == len(body_of(downloads[name]))
    assert media_type(head) == media_type(downloads[name])


# ---------------------------------------------------------------- VoID, DCAT


def test_dataset_has_the_void_description_the_spec_lists(
    live_server: str, void: Graph, kg: Any
) -> None:
    dataset = uri(DATASET)
    assert (dataset, RDF.type, uri(VOID + "Dataset")) in void
    assert set(void.objects(dataset, uri(VOID + "sparqlEndpoint"))) == {uri(B + "sparql")}
    assert {str(o) for o in void.objects(dataset, uri(VOID + "uriSpace"))} == {B + "id/"}
    vocabularies = {str(o) for o in void.objects(dataset, uri(VOID + "vocabulary"))}
    assert {OKG, ORG} <= vocabularies, vocabularies
    assert (dataset, uri(DCT + "license"), uri(LICENSE)) in void
    triples = [int(o) for o in void.objects(dataset, uri(VOID + "triples"))]
    assert triples == [health_triples(health(live_server))] == [kg.triple_count()], triples


def test_dataset_has_class_and_property_partitions_that_count_right(void: Graph, kg: Any) -> None:
    dataset = uri(DATASET)
    classes = {
        str(next(void.objects(part, uri(VOID + "class")))): int(
            next(void.objects(part, uri(VOID + "entities")))
        )
        for part in void.objects(dataset, uri(VOID + "classPartition"))
    }
    organizations = kg.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{ORG}FormalOrganization> }}"
    )
    assert classes.get(ORG + "FormalOrganization") == int(organizations[0]["n"]), classes.get(
        ORG + "FormalOrganization"
    )
    properties = {
        str(next(void.objects(part, uri(VOID + "property")))): int(
            next(void.objects(part, uri(VOID + "triples")))
        )
        for part in void.objects(dataset, uri(VOID + "propertyPartition"))
    }
    labels = kg.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{RDFS}label> ?o }}")
    assert properties.get(RDFS + "label") == int(labels[0]["n"]), "labels of the default graph"


def test_dataset_carries_canonical_iris_only(live_server: str) -> None:
    response = get(live_server + "/dataset", accept="text/turtle")
    host = live_server.split("//", 1)[1]
    assert host not in response.text
    graph = parse_response(response)
    assert all(not iri.startswith(live_server) for iri in iris_in(graph))


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
)
def test_well_known_void_is_the_dataset_description(
    live_server: str, void: Graph, accept: str
) -> None:
    response = requests.get(
        live_server + "/.well-known/void", headers={"Accept": accept}, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.status_code
    assert media_type(response) == accept
    assert_same_graph(void, parse_response(response), f"/.well-known/void as {accept} vs /dataset")


@pytest.mark.parametrize(
    "accept", ["application/ld+json", "application/n-triples", "application/rdf+xml"]
)
def test_dataset_in_every_rdf_format_is_the_same_graph(
    live_server: str, void: Graph, accept: str
) -> None:
    response = get(live_server + "/dataset", accept=accept)
    assert response.status_code == 200 and media_type(response) == accept
    assert_same_graph(void, parse_response(response), f"/dataset as {accept}")


def test_sparql_service_is_described_in_the_dataset(void: Graph) -> None:
    service = uri(B + "sparql")
    types = set(void.objects(service, RDF.type))
    assert uri(SD + "Service") in types or uri(DCAT + "DataService") in types, types


# ---------------------------------------------------------------- health and context


def test_health_is_json_with_status_triple_count_and_data_version(
    live_server: str, kg: Any, void: Graph
) -> None:
    response = get(live_server + "/health")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    document = response.json()
    assert document.get("status") in ("ok", "pass", "up", "healthy"), document
    assert health_triples(document) == kg.triple_count()
    versions = [value for key, value in document.items() if "version" in key.lower()]
    assert len(versions) == 1 and isinstance(versions[0], str) and versions[0], document
    stated = {str(o) for o in void.objects(uri(DATASET), uri(DCT + "hasVersion"))}
    assert not stated or stated == {versions[0]}, (stated, versions)


def test_context_jsonld_is_the_inline_context_with_the_standard_prefixes(live_server: str) -> None:
    response = get(live_server + "/context.jsonld")
    assert response.status_code == 200
    assert media_type(response) == "application/ld+json"
    context = response.json()["@context"]
    assert isinstance(context, dict)
    expected = {
        "okg": OKG,
        "org": ORG,
        "rdfs": RDFS,
        "schema": "https://schema.org/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "prov": "http://www.w3.org/ns/prov#",
        "dct": DCT,
    }
    assert {key: context.get(key) for key in expected} == expected


# ---------------------------------------------------------------- HEAD everywhere

HEAD_PATHS = [
    "/",
    "/ontology",
    "/ontology.html",
    "/ontology.ttl",
    "/shapes",
    "/shapes.ttl",
    "/dataset",
    "/.well-known/void",
    "/context.jsonld",
    "/dumps/ombudsman-kg.ttl",
]


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_as_get_without_a_body(live_server: str, path: str) -> None:
    got = raw_bytes(live_server + path)
    head = requests.head(
        live_server + path, headers={"Accept-Encoding": "identity"}, timeout=TIMEOUT
    )
    assert head.status_code == got.status_code == 200, (path, head.status_code, got.status_code)
    assert media_type(head) == media_type(got)
    assert head.content == b""
    if "Content-Length" in head.headers:
        assert int(head.headers["Content-Length"]) == len(got.raw_body)  # type: ignore[attr-defined]
    assert head.headers.get("ETag") == got.headers.get("ETag")


def test_meta_pages_never_show_a_stack_trace(live_server: str) -> None:
    for path in ("/", "/ontology.html", "/dumps/", "/dataset", "/health", "/sparql"):
        assert_no_traceback(get(live_server + path).content, path)


# ---------------------------------------------------------------- another origin: localhost


@pytest.fixture(scope="module")
def localhost_server(built_dist: Path) -> Iterator[str]:
    """A second server, base IRI set to the canonical one, reached by the name `localhost`."""
    process, url = start_server(built_dist, env={"OKG_BASE_IRI": B})
    try:
        yield url.replace("127.0.0.1", "localhost")
    finally:
        stop_server(process)


def test_a_server_reached_by_another_name_links_html_to_that_origin_and_keeps_rdf_canonical(
    localhost_server: str, kg: Any
) -> None:
    server = localhost_server
    redirect = get(f"{server}/id/{THING}", accept="text/turtle")
    assert redirect.status_code == 303
    assert urljoin(redirect.url, redirect.headers["Location"]) == f"{server}/doc/{THING}.ttl"

    page = read_html(get(f"{server}/doc/{THING}.html").text, f"{server}/doc/{THING}.html")
    ours = [link for link in page.links if "/id/" in link or "/doc/" in link]
    assert ours, "the page links no thing"
    elsewhere = [
        link
        for link in ours
        if origin(link) != server
        and not link.startswith(THING_IRI)
        and not link.startswith(B + "doc/" + THING)
    ]
    assert not elsewhere, f"links off the request's origin {server}: {elsewhere[:5]}"
    home = read_html(get(server + "/").text, server + "/")
    assert f"{server}/sparql" in {link.split("?")[0].split("#")[0] for link in home.links}

    response = get(f"{server}/doc/{THING}.ttl")
    assert "localhost" not in response.text and "127.0.0.1" not in response.text
    graph = parse_response(response)
    assert (uri(THING_IRI), RDF.type, uri(ORG + "FormalOrganization")) in graph
    rdflib_graph = Graph().parse(f"{server}/id/{THING}", format="turtle")
    assert all(not iri.startswith(server) for iri in iris_in(rdflib_graph))
    void = parse_response(get(server + "/dataset", accept="text/turtle"))
    assert set(void.objects(uri(DATASET), uri(VOID + "sparqlEndpoint"))) == {uri(B + "sparql")}
