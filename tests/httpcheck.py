"""Helpers for the black-box HTTP tests: two independent RDF parsers, HTML links, a listener.

Every RDF answer is read twice, by rdflib and by pyoxigraph, and the two readings must be
isomorphic (STYLE "Tests"): a serializer bug that one parser forgives, the other catches. Nothing
here imports the application; the tests see the server only through HTTP.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urljoin, urlsplit

import pyoxigraph
import requests
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

B = "https://w3id.org/ombudsman-kg/"
OKG = B + "ontology#"
GRAPH_DATA = B + "graph/data"
GRAPH_ONTOLOGY = B + "graph/ontology"
GRAPH_INFERRED = B + "graph/inferred"
DATASET = B + "dataset"
THING = "organization/oicoa"
THING_IRI = B + "id/" + THING
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"

PREFIXES = (
    f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX org: <{ORG}>\n"
    f"PREFIX okg: <{OKG}>\nPREFIX xsd: <{XSD}>\n"
)

# SPEC §3: the extension of a document and the media type it is served as.
EXTENSIONS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
RDF_EXTENSIONS = {ext: media for ext, media in EXTENSIONS.items() if ext != "html"}
GRAPH_TYPES = tuple(RDF_EXTENSIONS.values())
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
DUMP_FILES = (
    "ombudsman-kg.ttl",
    "ombudsman-kg.nt",
    "ombudsman-kg.jsonld",
    "ombudsman-kg.trig",
    "ombudsman-kg.nq",
    "ombudsman-kg.nt.gz",
    "ombudsman-kg.nq.gz",
)
TIMEOUT = 15

_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
_XSD_STRING = XSD + "string"


# ---------------------------------------------------------------- HTTP


def get(url: str, *, accept: str | None = "*/*", **kwargs: Any) -> requests.Response:
    """GET without following redirects; `accept=None` sends no Accept header at all."""
    headers = {"Accept": accept, **kwargs.pop("headers", {})}
    return requests.get(url, headers=headers, allow_redirects=False, timeout=TIMEOUT, **kwargs)


def media_type(response: requests.Response) -> str:
    """The Content-Type without its parameters, lower case."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def raw_bytes(url: str, **headers: str) -> requests.Response:
    """GET with `Accept-Encoding: identity` by default; `.raw_body` is the body exactly as sent.

    requests undoes any `Content-Encoding` on its own; sizes and checksums are of the bytes on
    the wire, so the body is read with decoding off.
    """
    sent = {"Accept-Encoding": "identity", **headers}
    response = requests.get(url, headers=sent, stream=True, allow_redirects=False, timeout=TIMEOUT)
    response.raw_body = response.raw.read(decode_content=False)  # type: ignore[attr-defined]
    response.close()
    return response


def raw_request(
    base_url: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent byte for byte (requests would normalize `..` and `%2e`)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in {"Accept": "*/*", **(headers or {})}.items():
            connection.putheader(name, value)
        if body or method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def vary_has(response: requests.Response, header: str) -> bool:
    tokens = [t.strip().lower() for t in response.headers.get("Vary", "").split(",")]
    return header.lower() in tokens or "*" in tokens


def local(server: str, iri: str) -> str:
    """Where a server at `server` answers for a canonical IRI under B (SPEC §1)."""
    assert iri.startswith(B), iri
    return server.rstrip("/") + "/" + iri[len(B) :]


def health(server: str) -> dict[str, Any]:
    response = get(server + "/health", accept="application/json")
    assert response.status_code == 200, response.text
    return dict(response.json())


def health_triples(document: dict[str, Any]) -> int:
    """The triple count of `/health`: the one integer field whose name says triples."""
    counts = [
        value
        for key, value in document.items()
        if "triple" in key.lower() and isinstance(value, int) and not isinstance(value, bool)
    ]
    assert len(counts) == 1, f"/health should have exactly one integer triple count: {document}"
    return int(counts[0])


def assert_no_traceback(body: bytes | str, what: str) -> None:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    assert "Traceback" not in text, f"{what}: a stack trace in the answer:\n{text[:2000]}"
    assert not re.search(r'File "[^"]+", line \d+', text), (
        f"{what}: a stack frame in:\n{text[:2000]}"
    )


# ---------------------------------------------------------------- RDF, read twice


def to_rdflib(term: Any) -> URIRef | BNode | Literal:
    """A pyoxigraph term as rdflib would read it (a plain literal has no datatype in rdflib)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF 1.1 term: {term!r}")


def _plain(graph: Graph) -> Graph:
    """rdflib keeps `"x"^^xsd:string` apart from `"x"`; RDF 1.1 says they are the same term."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) == _XSD_STRING:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def to_oxigraph(term: Any) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"not an RDF 1.1 term: {term!r}")


def canonical_form(graph: Graph) -> set[str]:
    """The graph with blank nodes relabelled canonically (RDFC-1.0, by pyoxigraph)."""
    dataset = pyoxigraph.Dataset(
        pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph
    )
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def assert_same_graph(first: Graph, second: Graph, what: str) -> None:
    """Isomorphic, with a few of the differing triples named when not.

    Equal canonical forms prove isomorphism at once; rdflib's `isomorphic`, which takes seconds
    on the blank-node-rich shapes graph, is asked only when they differ, and decides.
    """
    if len(first) == len(second) and canonical_form(first) == canonical_form(second):
        return
    if isomorphic(first, second):
        return
    _, only_first, only_second = graph_diff(first, second)
    sample_first = sorted(only_first, key=str)[:8]
    sample_second = sorted(only_second, key=str)[:8]
    raise AssertionError(
        f"{what}: not isomorphic ({len(first)} vs {len(second)} triples)\n"
        f"only in the first ({len(only_first)}): {sample_first}\n"
        f"only in the second ({len(only_second)}): {sample_second}"
    )


def parse_graph(body: bytes, media: str, *, base: str | None = None) -> Graph:
    """Parse one RDF graph with rdflib and with pyoxigraph; return rdflib's reading.

    :raises AssertionError: when either parser fails or their readings are not isomorphic.
    """
    assert media in _RDFLIB_FORMATS, f"not an RDF graph media type: {media!r}"
    try:
        by_rdflib = _plain(Graph().parse(data=body, format=_RDFLIB_FORMATS[media], publicID=base))
    except Exception as error:  # noqa: BLE001 - the parser's own message is the diagnosis
        raise AssertionError(
            f"rdflib cannot parse the {media} answer: {error}\n{body[:600]!r}"
        ) from None
    by_oxigraph = Graph()
    try:
        for quad in pyoxigraph.parse(body, format=_ox_format(media), base_iri=base):
            assert isinstance(quad.graph_name, pyoxigraph.DefaultGraph), f"a named graph in {media}"
            by_oxigraph.add(
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            )
    except SyntaxError as error:
        raise AssertionError(
            f"pyoxigraph cannot parse the {media} answer: {error}\n{body[:600]!r}"
        ) from None
    assert_same_graph(by_rdflib, by_oxigraph, f"rdflib vs pyoxigraph reading of {media}")
    return by_rdflib


def parse_dataset(body: bytes, media: str, *, base: str | None = None) -> dict[str, Graph]:
    """Parse quads with both parsers; `{graph name: graph}` ("" for the default graph).

    :raises AssertionError: when either parser fails or any graph differs between the readings.
    """
    try:
        dataset = Dataset()
        dataset.parse(data=body, format=_RDFLIB_FORMATS[media], publicID=base)
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"rdflib cannot parse the {media} answer: {error}") from None
    by_rdflib: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = "" if g is None or g == DATASET_DEFAULT_GRAPH_ID else str(g)
        by_rdflib.setdefault(name, Graph()).add((s, p, o))
    by_rdflib = {name: _plain(graph) for name, graph in by_rdflib.items()}
    by_oxigraph: dict[str, Graph] = {}
    try:
        for quad in pyoxigraph.parse(body, format=_ox_format(media), base_iri=base):
            name = (
                ""
                if isinstance(quad.graph_name, pyoxigraph.DefaultGraph)
                else quad.graph_name.value
            )
            by_oxigraph.setdefault(name, Graph()).add(
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            )
    except SyntaxError as error:
        raise AssertionError(f"pyoxigraph cannot parse the {media} answer: {error}") from None
    assert set(by_rdflib) == set(by_oxigraph), (
        f"graph names differ: {set(by_rdflib)} vs {set(by_oxigraph)}"
    )
    for name in by_rdflib:
        assert_same_graph(
            by_rdflib[name], by_oxigraph[name], f"rdflib vs pyoxigraph, graph <{name}>"
        )
    return by_rdflib


def parse_response(response: requests.Response) -> Graph:
    """An RDF graph answer, read by both parsers with the answer's URL as base (as clients do)."""
    body = response.content
    if response.headers.get("Content-Encoding") == "gzip" and body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return parse_graph(body, media_type(response), base=response.url)


def store_graph(quads: Iterable[pyoxigraph.Quad]) -> Graph:
    """Quads from a pyoxigraph store as one rdflib graph (graph names dropped)."""
    graph = Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def iris_in(graph: Graph) -> set[str]:
    return {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}


def construct(server: str, query: str, **params: str) -> Graph:
    """A CONSTRUCT through `/sparql` as N-Triples, read by both parsers."""
    response = requests.get(
        server + "/sparql",
        params={"query": query, **params},
        headers={"Accept": "application/n-triples"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, f"{query}\n→ {response.status_code} {response.text[:500]}"
    assert media_type(response) == "application/n-triples"
    return parse_graph(response.content, "application/n-triples")


def select_json(server: str, query: str, **params: str) -> list[dict[str, Any]]:
    response = requests.get(
        server + "/sparql",
        params={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, f"{query}\n→ {response.status_code} {response.text[:500]}"
    return list(response.json()["results"]["bindings"])


def ask(server: str, query: str) -> bool:
    response = requests.get(
        server + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, f"{query}\n→ {response.status_code} {response.text[:500]}"
    return bool(response.json()["boolean"])


def binding_key(term: Any) -> tuple[str, str, str, str]:
    """(kind, value, language, datatype) of a pyoxigraph term, as SPARQL results carry it."""
    if isinstance(term, pyoxigraph.NamedNode):
        return ("uri", term.value, "", "")
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode", "", "", "")
    if term.language:
        return ("literal", term.value, term.language, "")
    datatype = "" if term.datatype.value == _XSD_STRING else term.datatype.value
    return ("literal", term.value, "", datatype)


def json_binding_key(value: dict[str, str]) -> tuple[str, str, str, str]:
    """The same key for one binding of the SPARQL 1.1 JSON results format."""
    kind = value["type"]
    if kind == "bnode":
        return ("bnode", "", "", "")
    if kind == "uri":
        return ("uri", value["value"], "", "")
    assert kind in ("literal", "typed-literal"), value
    datatype = value.get("datatype", "")
    return (
        "literal",
        value["value"],
        value.get("xml:lang", ""),
        "" if datatype == _XSD_STRING else datatype,
    )


def _ox_format(media: str) -> pyoxigraph.RdfFormat:
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
    assert rdf_format is not None, media
    return rdf_format


# ---------------------------------------------------------------- HTML


@dataclass
class Page:
    """What the tests read from an HTML page: its links, its title, its text, its element ids."""

    url: str
    links: list[str] = field(default_factory=list)
    title: str = ""
    text: str = ""
    ids: set[str] = field(default_factory=set)
    forms: list[dict[str, str]] = field(default_factory=list)
    field_names: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.base = page.url
        self.in_title = False
        self.skip = 0
        self.hrefs: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.page.url, values["href"])
        if values.get("href"):
            self.hrefs.append(values["href"])
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        if tag == "form":
            self.page.forms.append(values)
        if tag in ("input", "textarea", "select") and values.get("name"):
            self.page.field_names.add(values["name"])
        if tag == "title":
            self.in_title = True
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        if not self.skip:
            self.chunks.append(data)


def read_html(body: str, url: str) -> Page:
    """Links resolved against the page's URL (or its `<base>`), text without markup."""
    page = Page(url)
    reader = _Reader(page)
    reader.feed(body)
    reader.close()
    page.links = [urljoin(reader.base, href) for href in reader.hrefs]
    page.text = normalize_space(" ".join(reader.chunks))
    page.title = normalize_space(page.title)
    return page


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def shows_number(text: str, number: int) -> bool:
    """Whether `number` appears in `text`, plain or with thousands separators."""
    joined = re.sub(r"(?<=\d)[,.\u00a0\u202f\u2009 '](?=\d{3}\b)", "", text)
    return re.search(rf"(?<![\d.,]){number}(?![\d])", joined) is not None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ---------------------------------------------------------------- a listener that must stay silent


@dataclass
class Listener:
    """A local HTTP server that counts every connection and request it receives."""

    url: str
    connections: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def counting_listener() -> Iterator[Listener]:
    """Serve on a free port; whatever arrives is recorded and answered with empty results.

    It answers as a SPARQL endpoint would, so that a server that did fetch from it would get a
    usable answer and go on, rather than fail in a way that hides the fetch.
    """
    listener = Listener("")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            listener.requests.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            accept = self.headers.get("Accept", "")
            leak = "http://example.org/leak"
            if "sparql-results+json" in accept or accept.startswith("application/json"):
                kind = "application/sparql-results+json"
                body = (
                    '{"head":{"vars":["s","p","o","e"]},"results":{"bindings":[{'
                    f'"s":{{"type":"uri","value":"{leak}"}},"p":{{"type":"uri","value":"{leak}"}},'
                    f'"o":{{"type":"uri","value":"{leak}"}}}}]}}}}'
                ).encode()
            elif "sparql-results+xml" in accept:
                kind = "application/sparql-results+xml"
                body = (
                    '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    '<head><variable name="s"/></head><results><result>'
                    f'<binding name="s"><uri>{leak}</uri></binding>'
                    "</result></results></sparql>"
                ).encode()
            else:
                kind = "application/n-triples"
                body = f"<{leak}> <{leak}> <{leak}> .\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def verify_request(self, request: Any, client_address: Any) -> bool:
            listener.connections.append(str(client_address))
            return True

    server = Server(("127.0.0.1", 0), Handler)
    listener.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
