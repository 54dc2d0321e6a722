"""`/sparql`: the SPARQL 1.1 Protocol for queries only, with the safety rules of SPEC §4.

The view parses the protocol and checks the query (`engine.probe`: updates and SERVICE are
refused from the query's words, before any engine sees it); the store evaluates, under the time
and memory limits, and its parser gives the syntax errors. Without a query
the endpoint describes itself (Service Description) or, for a browser, shows the query page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import pyoxigraph
from flask import Blueprint, Response, render_template, request

from ombudsman_kg.errors import BadRequest, OkgError
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.namespaces import BASE, GRAPHS, RDF_TYPE, RDFS, SD
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.engine import probe
from ombudsman_kg.web import errors, negotiation, query_ui
from ombudsman_kg.web.negotiation import HTML, QUERY_GRAPH_TYPES, RESULT_TYPES, SPARQL_JSON, TURTLE
from ombudsman_kg.web.pages import Linker, compact, reader_language
from ombudsman_kg.web.representation import Wanted, add_vary, html_response, rdf_response
from ombudsman_kg.web.site import Site, current_site
from ombudsman_kg.web.worker import REQUEST_LINE_LIMIT

bp = Blueprint("sparql", __name__)
#: the formats the service description lists, results first
RESULT_FORMAT_IRIS = tuple(
    f.iri
    for f in (
        *formats.RESULTS,
        formats.TURTLE,
        formats.NTRIPLES,
        formats.JSONLD,
        formats.RDFXML,
        formats.TRIG,
        formats.NQUADS,
    )
    if f.iri
)


@bp.route("/sparql", methods=["GET", "POST", "HEAD"])
def endpoint() -> Response:
    site = current_site()
    text, default_graphs, named_graphs = _protocol()
    if text is None:
        return _describe_service(site)
    form = probe(text)
    accept = request.headers.get("Accept")
    if form in ("SELECT", "ASK"):
        media_type = negotiation.choose(accept, RESULT_TYPES, SPARQL_JSON)
    else:
        media_type = negotiation.choose(accept, QUERY_GRAPH_TYPES, TURTLE)
    wanted = media_type
    if media_type == HTML:
        wanted = SPARQL_JSON if form in ("SELECT", "ASK") else negotiation.NTRIPLES
    query = QueryRequest(text, form, wanted, tuple(default_graphs), tuple(named_graphs))
    started = time.perf_counter()
    answer = site.store.run(query, timeout_s=site.settings.query_timeout_s)
    timing = server_timing(answer.where, time.perf_counter() - started)
    if media_type == HTML:
        response = Response(_results_page(site, text, form, answer.body), mimetype=HTML)
    else:
        response = Response(answer.body, mimetype=media_type)
        add_vary(response, "Accept")
    response.headers["Server-Timing"] = timing
    return response


def server_timing(where: str, seconds: float | None = None) -> str:
    """The `Server-Timing` entry for a query: how long, and where it ran (`inline` in the
    worker, `child` in a query process, `remote` at the store)."""
    duration = "" if seconds is None else f";dur={seconds * 1000:.1f}"
    return f'query{duration};desc="{where}"'


def _protocol() -> tuple[str | None, list[str], list[str]]:
    """(query, default-graph-uri list, named-graph-uri list) from GET, form POST or direct POST.

    :raises BadRequest: for repeated `query` fields or an unsupported body type.
    """
    default_graphs = request.args.getlist("default-graph-uri")
    named_graphs = request.args.getlist("named-graph-uri")
    queries = request.args.getlist("query")
    if request.method == "POST":
        content_type = (request.mimetype or "").lower()
        if content_type == formats.FORM:
            queries += request.form.getlist("query")
            default_graphs += request.form.getlist("default-graph-uri")
            named_graphs += request.form.getlist("named-graph-uri")
        elif content_type == formats.SPARQL_QUERY:
            queries.append(request.get_data(as_text=True))
        else:
            raise BadRequest(
                "POST a query as application/x-www-form-urlencoded (query=...) "
                "or as application/sparql-query"
            )
        if not queries:
            raise BadRequest("no query given")
    if len(queries) > 1:
        raise BadRequest("exactly one query parameter is allowed")
    return (queries[0] if queries else None), default_graphs, named_graphs


def _describe_service(site: Site) -> Response:
    wanted = Wanted.of_request(None, negotiation.GRAPH_TYPES)
    if wanted.is_html:
        return html_response(
            _query_page(site, "", language=wanted.language), wanted, path="/sparql"
        )
    description = service_description(
        body_limit=site.settings.max_body_bytes, source_graphs=sorted(site.info["source_graphs"])
    )
    return rdf_response(description, wanted, path="/sparql")


def service_description(
    *, body_limit: int, source_graphs: Sequence[str] = ()
) -> list[pyoxigraph.Triple]:
    """SPARQL 1.1 Service Description, every node an IRI.

    SD has no term for request limits, so they are said in an `rdfs:comment` (issue 8, item 7):
    a client told `414` for a long GET learns here to POST.
    """
    service = pyoxigraph.NamedNode(BASE + "sparql")
    dataset = pyoxigraph.NamedNode(BASE + "sparql#dataset")
    default_graph = pyoxigraph.NamedNode(BASE + "sparql#default-graph")
    triples = []

    def add(subject: pyoxigraph.NamedNode, predicate: str, value: Any) -> None:
        triples.append(pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), value))

    def iri(value: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(value)

    add(service, RDF_TYPE, iri(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", iri(SD + "SPARQL11Query"))
    add(service, RDFS + "comment", pyoxigraph.Literal(limits_note(body_limit), language="en"))
    for name in RESULT_FORMAT_IRIS:
        add(service, SD + "resultFormat", iri(name))
    add(service, SD + "defaultDataset", dataset)
    add(dataset, RDF_TYPE, iri(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default_graph)
    add(default_graph, RDF_TYPE, iri(SD + "Graph"))
    add(default_graph, RDFS + "comment", pyoxigraph.Literal(DEFAULT_GRAPH_NOTE, language="en"))
    for number, graph in enumerate([*GRAPHS, *source_graphs], start=1):
        named = iri(f"{BASE}sparql#named-graph-{number}")
        add(dataset, SD + "namedGraph", named)
        add(named, RDF_TYPE, iri(SD + "NamedGraph"))
        add(named, SD + "name", iri(graph))
    return triples


DEFAULT_GRAPH_NOTE = (
    "The default graph is the merge of the named graphs graph/data, graph/ontology and "
    "graph/inferred, which share no triple; it is not the union of all named graphs. What each "
    "source states is in its own named graph, graph/source/{slug}: reach it with GRAPH, FROM "
    "NAMED or named-graph-uri."
)


def limits_note(body_limit: int) -> str:
    """The request limits of this endpoint, as its service description and README state them."""
    return (
        f"Request limits: a GET request line (method, path with the query string, protocol) "
        f"of at most {REQUEST_LINE_LIMIT} bytes, longer ones get 414; a POST body of at most "
        f"{body_limit} bytes, larger ones get 413. POST a long query, as "
        "application/x-www-form-urlencoded (query=...) or as application/sparql-query."
    )


def _query_page(
    site: Site,
    text: str,
    results: dict[str, Any] | None = None,
    error: str = "",
    *,
    language: str | None = None,
) -> str:
    """The query page: the form and the server's table for readers without JavaScript, and the
    data block from which `query.js` starts Yasgui in their place (`web.query_ui`)."""
    language = language or reader_language()
    return render_template(
        "sparql.html",
        query=text or query_ui.default_query(language),
        saved=query_ui.saved_links(site.queries, language),
        config=query_ui.page_config(site.queries, language=language),
        default_graph=query_ui.DEFAULT_GRAPH_PARTS,
        results=results,
        error=error,
        language=language,
    )


def _results_page(site: Site, text: str, form: str, body: bytes) -> str:
    """Results as an HTML table, links pointing at this server."""
    linker = Linker(BASE, request.host_url, reader_language(), site.ontology_labels())
    if form == "SELECT" or form == "ASK":
        data = json.loads(body)
        if "boolean" in data:
            return _query_page(site, text, {"boolean": data["boolean"]})
        names = data["head"]["vars"]
        rows = [
            [_cell(linker, binding.get(name)) for name in names]
            for binding in data["results"]["bindings"]
        ]
        return _query_page(site, text, {"vars": names, "rows": rows})
    triples = [
        q.triple for q in pyoxigraph.parse(input=body, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ]
    rows = [
        [
            _cell(linker, _json_term(t.subject)),
            _cell(linker, _json_term(t.predicate)),
            _cell(linker, _json_term(t.object)),
        ]
        for t in triples
    ]
    return _query_page(site, text, {"vars": ["subject", "predicate", "object"], "rows": rows})


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        return {
            "type": "literal",
            "value": term.value,
            **({"xml:lang": term.language} if term.language else {}),
        }
    return {"type": "bnode", "value": str(term)}


def _cell(linker: Linker, binding: dict[str, str] | None) -> dict[str, str]:
    if binding is None:
        return {"text": ""}
    if binding["type"] == "uri":
        return {"href": linker.href(binding["value"]), "text": compact(binding["value"])}
    note = binding.get("xml:lang", "")
    return {"text": binding["value"], "note": f"@{note}" if note else ""}


def _error_page(error: OkgError) -> str:
    """A query's error on the query page, with the query kept."""
    return _query_page(current_site(), request.values.get("query", ""), error=str(error))


errors.shown_on_page("sparql", {400, 403, 503}, _error_page)
