"""The pages of things over real HTTP (SPEC §1, §3 `/id/` and `/doc/`, §4 unknown IRIs; issue 3).

A thing's IRI redirects with `303` to a document chosen by `Accept`; the document holds every
triple about the thing, with canonical IRIs whatever origin serves it, and its HTML links to
that origin so a local copy can be browsed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pyoxigraph
import pytest
import requests
from httpcheck import (
    BROWSER_ACCEPT,
    EXTENSIONS,
    ORG,
    RDF_EXTENSIONS,
    THING,
    THING_IRI,
    B,
    assert_no_traceback,
    assert_same_graph,
    get,
    iris_in,
    media_type,
    origin,
    parse_graph,
    parse_response,
    raw_bytes,
    read_html,
    store_graph,
    vary_has,
)
from rdflib import RDF, RDFS, Graph, URIRef

ACCEPT_TO_EXTENSION = [
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("text/html", "html"),
    (BROWSER_ACCEPT, "html"),
    ("*/*", "html"),
    (None, "html"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "rdf"),
    ("application/ld+json;q=0.2, text/html;q=0.1", "jsonld"),
    ("text/html;q=0.1, application/n-triples", "nt"),
    ("application/rdf+xml;q=0, text/turtle;q=0.3", "ttl"),
    ("image/png, text/turtle;q=0.4", "ttl"),
    ("text/turtle;q=0.8, */*;q=0.1", "ttl"),
]


@pytest.fixture(scope="module")
def things(kg: Any) -> list[str]:
    """Every IRI under B + `id/` that is the subject of something in the store."""
    rows = kg.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{B}id/') }}")
    found = sorted(row["s"] for row in rows)
    assert THING_IRI in found and len(found) > 20, found
    return found


@pytest.fixture(scope="module")
def documents(live_server: str, things: list[str]) -> dict[str, Graph]:
    """The N-Triples document of every thing, read by both parsers."""
    out = {}
    for iri in things:
        response = get(live_server + "/doc/" + iri[len(B) + 3 :] + ".nt")
        assert response.status_code == 200, f"{iri}: {response.status_code} {response.text[:300]}"
        out[iri] = parse_response(response)
    return out


def about(kg: Any, iri: str) -> Graph:
    """Every triple of the store (all named graphs) with `iri` as subject or as object."""
    node = pyoxigraph.NamedNode(iri)
    return store_graph(
        [
            *kg.store.quads_for_pattern(node, None, None, None),
            *kg.store.quads_for_pattern(None, None, node, None),
        ]
    )


def labels_of(kg: Any, iri: str) -> Graph:
    label = pyoxigraph.NamedNode(str(RDFS.label))
    return store_graph(kg.store.quads_for_pattern(pyoxigraph.NamedNode(iri), label, None, None))


# ---------------------------------------------------------------- /id/: 303 by Accept


@pytest.mark.parametrize(("accept", "extension"), ACCEPT_TO_EXTENSION)
def test_id_redirects_303_to_the_doc_whose_extension_accept_chooses(
    live_server: str, accept: str | None, extension: str
) -> None:
    response = get(f"{live_server}/id/{THING}", accept=accept)
    assert response.status_code == 303, (accept, response.status_code, response.text[:300])
    location = urljoin(response.url, response.headers["Location"])
    assert location == f"{live_server}/doc/{THING}.{extension}", (accept, location)
    assert vary_has(response, "Accept"), response.headers.get("Vary")


def test_head_on_id_gives_the_same_303_as_get(live_server: str) -> None:
    for accept in ("text/turtle", "text/html"):
        got = get(f"{live_server}/id/{THING}", accept=accept)
        head = requests.head(f"{live_server}/id/{THING}", headers={"Accept": accept}, timeout=10)
        assert head.status_code == 303
        assert head.headers["Location"] == got.headers["Location"]
        assert vary_has(head, "Accept")
        assert head.content == b""


@pytest.mark.parametrize("rdflib_format", [None, "turtle", "json-ld", "xml"])
def test_rdflib_follows_the_303_and_reads_the_description_with_canonical_iris(
    live_server: str, kg: Any, rdflib_format: str | None
) -> None:
    graph = Graph().parse(f"{live_server}/id/{THING}", format=rdflib_format)
    assert (URIRef(THING_IRI), RDF.type, URIRef(ORG + "FormalOrganization")) in graph
    leaked = {iri for iri in iris_in(graph) if iri.startswith(live_server)}
    assert not leaked, f"server-origin IRIs in RDF: {sorted(leaked)[:5]}"
    missing = set(about(kg, THING_IRI)) - set(graph)
    assert not missing, (
        f"{len(missing)} triples about the thing missing, e.g. {sorted(missing)[:3]}"
    )


# ------------------------------------------------------------ /doc/: negotiated and by extension


@pytest.mark.parametrize(("accept", "extension"), ACCEPT_TO_EXTENSION)
def test_doc_without_extension_is_negotiated_with_content_location_and_vary(
    live_server: str, accept: str | None, extension: str
) -> None:
    response = get(f"{live_server}/doc/{THING}", accept=accept)
    assert response.status_code == 200, (accept, response.status_code, response.text[:300])
    assert media_type(response) == EXTENSIONS[extension], (
        accept,
        response.headers.get("Content-Type"),
    )
    location = urljoin(response.url, response.headers.get("Content-Location", ""))
    assert location == f"{live_server}/doc/{THING}.{extension}", (
        accept,
        response.headers.get("Content-Location"),
    )
    assert vary_has(response, "Accept"), response.headers.get("Vary")
    if extension != "html":
        by_extension = get(location)
        assert_same_graph(
            parse_response(response), parse_response(by_extension), f"/doc vs {location}"
        )


@pytest.mark.parametrize("extension", list(EXTENSIONS))
def test_doc_extension_serves_its_own_format_whatever_accept_says(
    live_server: str, extension: str
) -> None:
    other = "text/turtle" if extension == "html" else "text/html"
    response = get(f"{live_server}/doc/{THING}.{extension}", accept=other)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    assert media_type(response) == EXTENSIONS[extension]


def test_every_rdf_format_of_a_doc_holds_the_same_graph(live_server: str) -> None:
    graphs = {
        ext: parse_response(get(f"{live_server}/doc/{THING}.{ext}")) for ext in RDF_EXTENSIONS
    }
    assert len(graphs["nt"]) > 10
    for ext, graph in graphs.items():
        assert_same_graph(graphs["nt"], graph, f".nt vs .{ext}")


@pytest.mark.parametrize("extension", list(RDF_EXTENSIONS))
def test_doc_rdf_carries_canonical_iris_not_the_servers_origin(
    live_server: str, extension: str
) -> None:
    response = get(f"{live_server}/doc/{THING}.{extension}")
    host = live_server.split("//", 1)[1]
    assert host not in response.text, (
        f"the server's origin {host} appears in the .{extension} answer"
    )
    graph = parse_response(response)
    assert (URIRef(THING_IRI), RDF.type, URIRef(ORG + "FormalOrganization")) in graph
    ours = {iri for iri in iris_in(graph) if "ombudsman-kg" in iri}
    assert all(iri.startswith(B) for iri in ours), sorted(i for i in ours if not i.startswith(B))


def test_doc_holds_every_triple_with_the_thing_as_subject_and_as_object(
    kg: Any, documents: dict[str, Graph]
) -> None:
    problems = []
    for iri, document in documents.items():
        expected = about(kg, iri)
        assert any(s == URIRef(iri) for s, _, _ in expected)
        missing = set(expected) - set(document)
        if missing:
            problems.append(f"{iri}: {len(missing)} missing, e.g. {sorted(missing)[:2]}")
    assert not problems, "\n".join(problems)


def test_doc_holds_the_labels_of_every_resource_its_triples_name(
    kg: Any, documents: dict[str, Graph]
) -> None:
    problems = []
    for iri, document in documents.items():
        named = {
            str(term)
            for triple in about(kg, iri)
            for term in (triple[0], triple[2])
            if isinstance(term, URIRef) and str(term) != iri
        }
        for other in sorted(named):
            missing = set(labels_of(kg, other)) - set(document)
            if missing:
                problems.append(f"{iri}: labels of <{other}> missing: {sorted(missing)}")
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


def test_doc_holds_the_labels_of_the_properties_it_uses(
    kg: Any, documents: dict[str, Graph]
) -> None:
    problems = []
    for iri, document in documents.items():
        for prop in sorted({str(p) for _, p, _ in about(kg, iri)}):
            missing = set(labels_of(kg, prop)) - set(document)
            if missing:
                problems.append(f"{iri}: labels of property <{prop}> missing: {sorted(missing)}")
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


def test_doc_states_nothing_the_store_does_not_hold(kg: Any, documents: dict[str, Graph]) -> None:
    everything = set(store_graph(kg.store.quads_for_pattern(None, None, None, None)))
    problems = []
    for iri, document in documents.items():
        doc_iri = URIRef(B + "doc/" + iri[len(B) + 3 :])
        invented = {t for t in document if t not in everything and t[0] != doc_iri}
        if invented:
            problems.append(f"{iri}: {sorted(invented)[:3]}")
    assert not problems, "\n".join(problems)


def test_doc_jsonld_carries_its_context_inline_and_parses_without_network(live_server: str) -> None:
    response = get(f"{live_server}/doc/{THING}.jsonld")
    document = response.json()
    assert isinstance(document, dict) and isinstance(document.get("@context"), dict), str(document)[
        :300
    ]

    def contexts(node: Any) -> list[Any]:
        if isinstance(node, dict):
            found = [node["@context"]] if "@context" in node else []
            return found + [c for value in node.values() for c in contexts(value)]
        if isinstance(node, list):
            return [c for value in node for c in contexts(value)]
        return []

    remote = [c for c in contexts(document) if not isinstance(c, dict)]
    assert not remote, f"contexts that need the network: {remote}"
    shared = get(f"{live_server}/context.jsonld", accept="application/ld+json").json()
    assert document["@context"] == shared["@context"]
    # pyoxigraph has no document loader: it fails on any context it would have to fetch.
    graph = parse_graph(response.content, "application/ld+json")
    assert (URIRef(THING_IRI), RDF.type, URIRef(ORG + "FormalOrganization")) in graph


# ---------------------------------------------------------------- HTML pages


def test_doc_html_links_every_related_thing_on_the_servers_own_origin(
    live_server: str, kg: Any
) -> None:
    page = read_html(get(f"{live_server}/doc/{THING}.html").text, f"{live_server}/doc/{THING}.html")
    related = {
        str(term)[len(B) + 3 :]
        for triple in about(kg, THING_IRI)
        for term in (triple[0], triple[2])
        if isinstance(term, URIRef) and str(term).startswith(B + "id/") and str(term) != THING_IRI
    }
    assert related
    targets = set()
    for link in page.links:
        if origin(link) == live_server:
            path = link[len(live_server) :].split("#")[0].split("?")[0]
            for prefix in ("/id/", "/doc/"):
                if path.startswith(prefix):
                    targets.add(path[len(prefix) :].removesuffix(".html"))
    unlinked = sorted(related - targets)
    assert not unlinked, f"related things with no link to {live_server}: {unlinked}"


def test_doc_html_does_not_send_readers_to_other_things_canonical_iris(live_server: str) -> None:
    page = read_html(get(f"{live_server}/doc/{THING}.html").text, f"{live_server}/doc/{THING}.html")
    own = {THING_IRI, B + "doc/" + THING}
    away = sorted(
        link
        for link in page.links
        # the page's own public URL, in either language, is its canonical link and its
        # `hreflang` alternates (issue 11): for crawlers of the published site, not a way out
        if link.startswith((B + "id/", B + "doc/")) and link.split("#")[0].split("?")[0] not in own
    )
    assert not away, f"links leave the local copy: {away[:5]}"


@pytest.mark.parametrize("language", ["en", "az"])
def test_doc_html_title_is_in_the_readers_language(
    live_server: str, kg: Any, language: str
) -> None:
    label = next(
        str(o) for _, _, o in labels_of(kg, THING_IRI) if getattr(o, "language", None) == language
    )
    response = get(
        f"{live_server}/doc/{THING}.html",
        accept="text/html",
        headers={"Accept-Language": f"{language},de;q=0.5"},
    )
    page = read_html(response.text, response.url)
    assert label in page.title, (language, page.title)
    assert vary_has(response, "Accept-Language"), response.headers.get("Vary")


def test_doc_html_in_two_languages_has_two_etags(live_server: str) -> None:
    etags = {
        language: get(
            f"{live_server}/doc/{THING}.html",
            accept="text/html",
            headers={"Accept-Language": language},
        ).headers.get("ETag")
        for language in ("en", "az")
    }
    assert None not in etags.values() and etags["en"] != etags["az"], etags


# ---------------------------------------------------------------- unknown IRIs

UNKNOWN = [
    "/id/organization/no-such-thing",
    "/doc/organization/no-such-thing",
    "/doc/organization/no-such-thing.ttl",
    "/doc/organization/no-such-thing.html",
    "/id/no-such-kind/oicoa",
    "/doc/organization/oicoa.exe",
    "/no/such/path",
]


@pytest.mark.parametrize("path", UNKNOWN)
@pytest.mark.parametrize("accept", ["text/html", BROWSER_ACCEPT])
def test_unknown_iri_is_404_as_html_for_a_browser(live_server: str, path: str, accept: str) -> None:
    response = get(live_server + path, accept=accept)
    assert response.status_code == 404, (path, response.status_code)
    assert media_type(response) == "text/html", response.headers.get("Content-Type")
    assert "<html" in response.text.lower()
    assert_no_traceback(response.content, path)


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "*/*", "application/json"]
)
@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_iri_is_404_as_plain_text_otherwise(
    live_server: str, path: str, accept: str
) -> None:
    response = get(live_server + path, accept=accept)
    assert response.status_code == 404, (path, accept, response.status_code)
    assert media_type(response) == "text/plain", (
        path,
        accept,
        response.headers.get("Content-Type"),
    )
    assert response.text.strip()
    assert_no_traceback(response.content, path)


def test_head_on_an_unknown_iri_is_404(live_server: str) -> None:
    response = requests.head(live_server + "/id/organization/no-such-thing", timeout=10)
    assert response.status_code == 404
    assert response.content == b""


# ---------------------------------------------------------------- HEAD


@pytest.mark.parametrize(
    "path",
    [f"/doc/{THING}"] + [f"/doc/{THING}.{ext}" for ext in EXTENSIONS],
)
@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_head_on_a_doc_answers_as_get_without_a_body(
    live_server: str, path: str, accept: str
) -> None:
    got = raw_bytes(live_server + path, Accept=accept)
    head = requests.head(
        live_server + path, headers={"Accept": accept, "Accept-Encoding": "identity"}, timeout=10
    )
    assert head.status_code == got.status_code == 200
    assert media_type(head) == media_type(got)
    assert head.content == b""
    if "Content-Length" in head.headers:
        assert int(head.headers["Content-Length"]) == len(got.raw_body)  # type: ignore[attr-defined]
    for name in ("Content-Location", "Vary", "ETag"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_doc_pages_never_show_a_stack_trace(live_server: str) -> None:
    for path in (f"/doc/{THING}.html", f"/doc/{THING}.ttl", f"/id/{THING}"):
        response = get(live_server + path)
        assert_no_traceback(response.content, path)


def test_every_thing_has_a_doc_in_every_format(live_server: str, things: list[str]) -> None:
    """A sample per kind: each thing answers in each extension, and `/id/` redirects for it."""
    by_kind: dict[str, str] = {}
    for iri in things:
        by_kind.setdefault(iri[len(B) + 3 :].split("/")[0], iri)
    for iri in by_kind.values():
        path = iri[len(B) + 3 :]
        redirect = get(f"{live_server}/id/{path}", accept="text/turtle")
        assert redirect.status_code == 303, (path, redirect.status_code)
        for ext, media in EXTENSIONS.items():
            response = get(f"{live_server}/doc/{path}.{ext}")
            assert response.status_code == 200 and media_type(response) == media, (path, ext)
            if ext != "html":
                graph = parse_response(response)
                assert (URIRef(iri), None, None) in graph, (path, ext)
