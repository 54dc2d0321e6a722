"""Every IRI under B that the server publishes dereferences (SPEC §1; issue 8, item 5).

The IRIs are collected, not listed: from every dump `/dumps/` offers, the VoID description, the
service description, the ontology and shapes documents, every RDF answer those IRIs lead to, and
the links and IRIs of the home page, one page per kind of thing and the pages about the data set.
Each maps to its local path (B + `X#frag` to `/X`) and must answer `200`, following redirects, to
a Linked Data client and to a browser; where the answer is a description in RDF, it must name the
IRI. So an IRI that some future document publishes and no route answers fails here on its own.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pyoxigraph
import pytest
import requests
from httpcheck import (
    BROWSER_ACCEPT,
    EXTENSIONS,
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_TYPES,
    OKG,
    RDFS,
    TIMEOUT,
    VOID,
    B,
    assert_no_traceback,
    get,
    local,
    media_type,
    parse_graph,
    parse_response,
    read_html,
)
from rdflib import Literal, URIRef

ONTOLOGY = B + "ontology"
VERSION_IRI = B + "ontology/1.0.0"
OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
SD_NAME = "http://www.w3.org/ns/sparql-service-description#name"
# A Linked Data client: RDF first, anything else rather than nothing (a dump list, a file).
RDF_ACCEPT = (
    "text/turtle, application/ld+json;q=0.9, application/n-triples;q=0.9, "
    "application/rdf+xml;q=0.8, */*;q=0.1"
)
# Where a page publishes IRIs besides its links: its embedded JSON-LD, and the canonical IRIs it
# shows (class "iri"). Not any text: the shapes page shows regexes and messages that name B.
JSONLD_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
IRI_ELEMENT = re.compile(r'<(\w+) class="iri"[^>]*>(.*?)</\1>', re.S)
IRI_IN_TEXT = re.compile(re.escape(B) + r"[^\s\"'<>\\&]*")
DUMP_URL = re.compile(r"/(?:dumps|releases/[^/]+)/[^/]+$")
DUMP_FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
}


def iris_under_base(quads: Iterator[pyoxigraph.Quad]) -> set[str]:
    """Every IRI under B in `quads`: subjects, predicates, objects, datatypes, graph names."""
    found: set[str] = set()
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, pyoxigraph.Literal):
                term = term.datatype
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(B):
                found.add(term.value)
    return found


def rdf_iris(response: requests.Response) -> set[str]:
    """The IRIs under B of an RDF graph answer, read by both parsers."""
    graph = parse_response(response)
    found = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, Literal) and term.datatype is not None:
                term = term.datatype
            if isinstance(term, URIRef) and str(term).startswith(B):
                found.add(str(term))
    return found


def dump_iris(server: str) -> dict[str, set[str]]:
    """{dump file: IRIs under B} for every dump the listing names, each parsed by pyoxigraph."""
    listing = get(server + "/dumps/", accept="application/json")
    assert listing.status_code == 200, listing.text
    files = [entry["file"] for entry in listing.json()["dumps"]]
    assert files, "the dump listing names no dump"
    found = {}
    for name in files:
        response = requests.get(f"{server}/dumps/{name}", timeout=TIMEOUT)
        assert response.status_code == 200, f"/dumps/{name}: {response.status_code}"
        body = response.content
        stem = name
        if name.endswith(".gz"):
            body = gzip.decompress(body)
            stem = name[: -len(".gz")]
        rdf_format = DUMP_FORMATS[stem[stem.rindex(".") :]]
        found[name] = iris_under_base(pyoxigraph.parse(body, format=rdf_format))
    return found


def html_pages(server: str) -> list[str]:
    """The home page, one page per kind of thing it lists, and the pages about the data set."""
    home = get(server + "/", accept=BROWSER_ACCEPT)
    assert home.status_code == 200
    by_kind: dict[str, str] = {}
    for link in read_html(home.text, home.url).links:
        match = re.match(re.escape(server) + r"/doc/([a-z]+)/[a-z0-9-]+$", link)
        if match:
            by_kind.setdefault(match.group(1), link)
    assert len(by_kind) >= 5, f"the home page links few kinds of things: {sorted(by_kind)}"
    meta = [
        "/ontology.html",
        "/ontology/1.0.0.html",
        "/shapes.html",
        "/dataset.html",
        "/sparql",
        "/dumps/",
        "/graph/data.html",
        "/no/such/page",
    ]
    return [server + "/", *by_kind.values(), *(server + path for path in meta)]


def page_references(server: str, url: str) -> tuple[set[str], set[str]]:
    """(local URLs the page links to or loads, IRIs under B it shows or embeds)."""
    response = get(url, accept=BROWSER_ACCEPT)
    assert response.status_code in (200, 404), f"{url}: {response.status_code}"
    assert media_type(response) == "text/html", url
    page = read_html(response.text, response.url)
    sources = re.findall(r"""\ssrc=["']([^"']+)["']""", response.text)
    links = set()
    for link in [*page.links, *(urljoin(response.url, s) for s in sources)]:
        if link.startswith(B):
            links.add(local(server, link))
        elif urlsplit(link).netloc == urlsplit(server).netloc:
            links.add(link)
    iris: set[str] = set()
    for block in JSONLD_BLOCK.findall(response.text):
        iris |= iris_under_base(
            pyoxigraph.parse(block.encode(), format=pyoxigraph.RdfFormat.JSON_LD)
        )
    for _, shown in IRI_ELEMENT.findall(response.text):
        iris |= set(IRI_IN_TEXT.findall(shown))
    return links, iris


def dereference(url: str, accept: str) -> requests.Response:
    response = requests.get(url, headers={"Accept": accept}, timeout=TIMEOUT)
    assert_no_traceback(response.content, url)
    return response


def describe(url: str) -> tuple[int, set[str] | None]:
    """Dereference as a Linked Data client and as a browser: (status, IRIs the RDF names).

    The status is the first that is not 200. A dump (of `/dumps/` or of a release) is data,
    not a description of itself, so its IRIs are not asked to include its own.
    """
    response = dereference(url, RDF_ACCEPT)
    if response.status_code != 200:
        return response.status_code, None
    described = None
    if media_type(response) in GRAPH_TYPES and not DUMP_URL.search(response.url):
        described = rdf_iris(response)
    browser = dereference(url, BROWSER_ACCEPT)
    return browser.status_code, described


def test_every_published_iri_under_the_base_dereferences(live_server: str) -> None:
    server = live_server
    published: dict[str, str] = {}  # IRI -> where it was published

    def publish(iris: set[str], where: str) -> None:
        for iri in iris:
            published.setdefault(iri, where)

    for name, iris in dump_iris(server).items():
        publish(iris, f"/dumps/{name}")
    for path in ("/dataset", "/sparql", "/ontology", "/shapes"):
        response = get(server + path, accept="text/turtle")
        assert response.status_code == 200, path
        publish(rdf_iris(response), path + " (Turtle)")
    links: dict[str, str] = {}
    for page in html_pages(server):
        page_links, page_iris = page_references(server, page)
        publish(page_iris, page)
        for link in page_links:
            links.setdefault(link.split("#", 1)[0], page)

    # The collection itself must not be vacuous.
    for expected in (
        VERSION_IRI,
        ONTOLOGY,
        OKG + "accordingTo",
        GRAPH_DATA,
        GRAPH_ONTOLOGY,
        GRAPH_INFERRED,
        B + "dataset",
        B + "sparql",
        B + "dumps/ombudsman-kg.nq",
        B + "id/organization/oicoa",
    ):
        assert expected in published, f"{expected} was not found published anywhere"
    assert any(iri.startswith(B + "sparql#") for iri in published)
    assert any(iri.startswith(B + "dataset#") for iri in published)
    assert any(iri.startswith(B + "shapes#") for iri in published)
    assert any("/sparql?query=" in link for link in links), "no saved query link collected"

    failures: list[str] = []
    # Each document once, whatever number of IRIs (`dataset#…`, `ontology#…`) it answers for:
    # {url: (status, IRIs under B its RDF names, or None when it is no RDF description)}.
    answers: dict[str, tuple[int, set[str] | None]] = {}
    queue = sorted(published)
    while queue:
        iri = queue.pop()
        url = local(server, iri.split("#", 1)[0])
        if url not in answers:
            answers[url] = answer = describe(url)
            described = answer[1] or set()
            for new in sorted(described - set(published)):
                published[new] = url
                queue.append(new)
        status, described = answers[url]
        if status != 200:
            failures.append(f"{iri} (from {published[iri]}) -> {url}: {status}")
        # A namespace IRI (`ontology#`) names the document at its path, which is fine; a page's
        # URL (`doc/…`, the schema.org `url` of its JSON-LD, issue 11) is the document that
        # describes the thing, which its RDF names as `id/…`.
        elif (
            described is not None
            and iri not in described
            and not iri.endswith("#")
            and not iri.startswith(B + "doc/")
        ):
            failures.append(f"{iri}: the RDF at {url} does not name it")
    for link, page in sorted(links.items()):
        response = dereference(link, BROWSER_ACCEPT)
        if response.status_code != 200:
            failures.append(f"link {link} on {page}: {response.status_code}")
    assert not failures, f"{len(failures)} published IRIs or links do not dereference:\n" + (
        "\n".join(failures[:40])
    )


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_ontology_version_iri_dereferences(live_server: str, extension: str) -> None:
    """Regression (issue 8): the ontology's owl:versionIRI, linked from its page, was a 404."""
    wanted = EXTENSIONS[extension]
    negotiated = get(live_server + "/ontology/1.0.0", accept=wanted)
    by_extension = get(f"{live_server}/ontology/1.0.0.{extension}", accept=None)
    for response in (negotiated, by_extension):
        assert response.status_code == 200, (response.url, response.status_code, response.text)
        assert media_type(response) == wanted
    assert negotiated.headers["Content-Location"] == f"/ontology/1.0.0.{extension}"
    assert "accept" in negotiated.headers.get("Vary", "").lower()
    if extension == "html":
        assert "okg:accordingTo" in negotiated.text
        return
    version = parse_response(negotiated)
    assert (URIRef(ONTOLOGY), URIRef(OWL_VERSION_IRI), URIRef(VERSION_IRI)) in version
    current = parse_response(get(f"{live_server}/ontology.{extension}", accept=None))
    assert set(version) == set(current), "the version IRI serves another document"
    assert set(parse_response(by_extension)) == set(current)


def test_an_ontology_version_the_build_does_not_hold_is_404(live_server: str) -> None:
    for path in ("/ontology/0.9.0", "/ontology/1.0.0.xyz", "/ontology/1.0"):
        response = get(live_server + path, accept="text/turtle")
        assert response.status_code == 404, path
        assert_no_traceback(response.content, path)


@pytest.mark.parametrize("graph", [GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_INFERRED])
def test_named_graph_iri_303s_to_its_description_in_every_format(
    live_server: str, graph: str
) -> None:
    """A graph's name answers 303 See Other to a document about it (see `meta.graph`): what the
    graph is, its triple count (as VoID says and as SPARQL counts), and where its triples are."""
    void = parse_response(get(live_server + "/dataset", accept="text/turtle"))
    counted = next(void.objects(URIRef(graph), URIRef(VOID + "triples")))
    service = parse_response(get(live_server + "/sparql", accept="text/turtle"))
    assert URIRef(graph) in set(service.objects(None, URIRef(SD_NAME)))
    name = graph[len(B + "graph/") :]
    for extension, wanted in EXTENSIONS.items():
        redirect = get(local(live_server, graph), accept=wanted)
        assert redirect.status_code == 303, (wanted, redirect.status_code)
        assert redirect.headers["Location"].endswith(f"/graph/{name}.{extension}")
        assert "accept" in redirect.headers.get("Vary", "").lower()
        response = get(urljoin(redirect.url, redirect.headers["Location"]), accept=wanted)
        assert response.status_code == 200
        assert media_type(response) == wanted
        if extension == "html":
            assert str(counted) in response.text and graph in response.text
            continue
        description = parse_graph(response.content, wanted, base=response.url)
        assert next(description.objects(URIRef(graph), URIRef(VOID + "triples"))) == counted
        assert any(description.objects(URIRef(graph), URIRef(RDFS + "comment")))
        dumps = set(description.objects(URIRef(graph), URIRef(VOID + "dataDump")))
        assert dumps, "the description does not say where to get the graph"
        for dump in dumps:
            assert requests.head(local(live_server, str(dump)), timeout=TIMEOUT).status_code == 200
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    rows = requests.get(
        live_server + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    ).json()["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == int(counted)


def test_a_graph_the_build_does_not_hold_is_404(live_server: str) -> None:
    for path in ("/graph/nothing", "/graph/nothing.ttl", "/graph/data.xyz", "/graph/"):
        response = get(live_server + path, accept="text/turtle")
        assert response.status_code == 404, (path, response.status_code)
        assert_no_traceback(response.content, path)
