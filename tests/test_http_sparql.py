"""The SPARQL endpoint and the faults of SPEC §4 over real HTTP, with real clients (issue 3).

SPARQLWrapper talks to `/sparql` as users' scripts do; every result is checked against the
same query run on the built data. Then the endpoint is attacked: updates, network fetches,
a query that never ends, oversized bodies, and garbage, while the data must stay as built.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import threading
import time
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote, urljoin

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
    PREFIXES,
    RDF_EXTENSIONS,
    RESULT_TYPES,
    SD,
    THING,
    THING_IRI,
    TIMEOUT,
    B,
    ask,
    assert_no_traceback,
    assert_same_graph,
    binding_key,
    counting_listener,
    get,
    health,
    health_triples,
    json_binding_key,
    media_type,
    parse_graph,
    parse_response,
    raw_bytes,
    raw_request,
    read_html,
    select_json,
    store_graph,
    vary_has,
)
from rdflib import RDF, Graph, URIRef
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

SELECT_ORGS = PREFIXES + (
    f"SELECT ?thing ?label WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?thing a org:FormalOrganization ; "
    "rdfs:label ?label } } ORDER BY ?thing ?label"
)
CONSTRUCT_THING = (
    f"CONSTRUCT {{ <{THING_IRI}> ?p ?o }} "
    f"WHERE {{ GRAPH <{GRAPH_DATA}> {{ <{THING_IRI}> ?p ?o }} }}"
)
ASK_TRUE = PREFIXES + f"ASK {{ GRAPH <{GRAPH_DATA}> {{ <{THING_IRI}> a org:FormalOrganization }} }}"
ASK_FALSE = PREFIXES + f"ASK {{ GRAPH ?g {{ <{THING_IRI}> a org:Post }} }}"
SLOW_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } "
    "GRAPH ?y { ?g ?h ?i } GRAPH ?z { ?j ?k ?l } }"
)
SMALL_SELECT = (
    PREFIXES
    + f"SELECT ?label WHERE {{ GRAPH <{GRAPH_DATA}> {{ <{THING_IRI}> rdfs:label ?label }} }}"
)
TEST_NS = "http://example.org/okg-test/"
WRITTEN = (
    f"ASK {{ {{ GRAPH ?g {{ <{TEST_NS}s> ?p ?o }} }} UNION {{ <{TEST_NS}s> ?p ?o }} "
    f"UNION {{ GRAPH <{TEST_NS}g> {{ ?a ?b ?c }} }} }}"
)
LEAK = "example.org/leak"


@pytest.fixture(scope="module")
def endpoint(live_server: str) -> str:
    return live_server + "/sparql"


@pytest.fixture(scope="module")
def expected_orgs(kg: Any) -> list[dict[str, tuple[str, str, str, str]]]:
    results = kg.store.query(SELECT_ORGS)
    names = [variable.value for variable in results.variables]
    rows = [{name: binding_key(row[name]) for name in names} for row in results]
    assert len(rows) >= 8, rows
    return rows


def graph_size(kg: Any, graph: str) -> int:
    return len(list(kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))))


def post_form(url: str, data: dict[str, str], accept: str = "*/*") -> requests.Response:
    return requests.post(
        url, data=data, headers={"Accept": accept}, timeout=TIMEOUT, allow_redirects=False
    )


def post_direct(url: str, body: str | bytes, kind: str, accept: str = "*/*") -> requests.Response:
    payload = body.encode() if isinstance(body, str) else body
    return requests.post(
        url,
        data=payload,
        headers={"Content-Type": kind, "Accept": accept},
        timeout=TIMEOUT,
        allow_redirects=False,
    )


def send_query(
    endpoint: str, how: str, query: str, accept: str, **params: str
) -> requests.Response:
    """One query by one of the protocol's three ways of sending it."""
    if how == "GET":
        return get(endpoint, accept=accept, params={"query": query, **params})
    if how == "POST form":
        return post_form(endpoint, {"query": query, **params}, accept)
    assert how == "POST direct"
    url = endpoint + (
        "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items()) if params else ""
    )
    return post_direct(url, query, "application/sparql-query", accept)


def sparqlwrapper(
    endpoint: str, query: str, return_format: str, method: str, request_method: str = URLENCODED
) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setTimeout(TIMEOUT)
    return client


def parse_term(text: str) -> tuple[str, str, str, str]:
    """A TSV cell (Turtle/N-Triples term syntax), read by pyoxigraph's N-Triples parser."""
    [quad] = pyoxigraph.parse(
        f"<{TEST_NS}s> <{TEST_NS}p> {text} .", format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    return binding_key(quad.object)


SPARQLWRAPPER_WAYS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]


# ---------------------------------------------------------------- SELECT and ASK, every format


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_select_by_every_protocol_method_gives_the_rows_the_data_holds(
    endpoint: str, expected_orgs: list[dict[str, Any]], how: str
) -> None:
    response = send_query(endpoint, how, SELECT_ORGS, "application/sparql-results+json")
    assert response.status_code == 200, response.text[:500]
    assert media_type(response) == "application/sparql-results+json"
    document = response.json()
    assert document["head"]["vars"] == ["thing", "label"]
    rows = [
        {k: json_binding_key(v) for k, v in row.items()} for row in document["results"]["bindings"]
    ]
    assert rows == expected_orgs


@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_select_as_json(
    endpoint: str, expected_orgs: list[dict[str, Any]], method: str, request_method: str
) -> None:
    result = sparqlwrapper(endpoint, SELECT_ORGS, JSON, method, request_method).queryAndConvert()
    rows = [
        {k: json_binding_key(v) for k, v in row.items()} for row in result["results"]["bindings"]
    ]  # type: ignore[index]
    assert rows == expected_orgs


@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_select_as_xml(
    endpoint: str, expected_orgs: list[dict[str, Any]], method: str, request_method: str
) -> None:
    document = sparqlwrapper(endpoint, SELECT_ORGS, XML, method, request_method).queryAndConvert()
    root = ET.fromstring(document.toxml())  # type: ignore[union-attr]  # noqa: S314
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["thing", "label"]
    rows = []
    for result in root.findall("r:results/r:result", ns):
        row = {}
        for binding in result.findall("r:binding", ns):
            [term] = list(binding)
            kind = term.tag.split("}")[1]
            if kind == "uri":
                row[binding.get("name")] = ("uri", term.text or "", "", "")
            else:
                lang = term.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
                datatype = term.get("datatype") or ""
                datatype = "" if datatype.endswith("#string") else datatype
                row[binding.get("name")] = ("literal", term.text or "", lang, datatype)
        rows.append(row)
    assert rows == expected_orgs


@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_select_as_csv(
    endpoint: str, expected_orgs: list[dict[str, Any]], method: str, request_method: str
) -> None:
    body = sparqlwrapper(endpoint, SELECT_ORGS, CSV, method, request_method).queryAndConvert()
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["thing", "label"]
    assert table[1:] == [[row["thing"][1], row["label"][1]] for row in expected_orgs]


@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_select_as_tsv(
    endpoint: str, expected_orgs: list[dict[str, Any]], method: str, request_method: str
) -> None:
    body = sparqlwrapper(endpoint, SELECT_ORGS, TSV, method, request_method).queryAndConvert()
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    lines = text.rstrip("\n").split("\n")
    assert lines[0].rstrip("\r").split("\t") == ["?thing", "?label"]
    rows = []
    for line in lines[1:]:
        thing, label = line.rstrip("\r").split("\t")
        rows.append({"thing": parse_term(thing), "label": parse_term(label)})
    assert rows == expected_orgs


@pytest.mark.parametrize("return_format", [JSON, XML])
@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_ask_answers_true_and_false(
    endpoint: str, return_format: str, method: str, request_method: str
) -> None:
    answers = []
    for query in (ASK_TRUE, ASK_FALSE):
        converted = sparqlwrapper(
            endpoint, query, return_format, method, request_method
        ).queryAndConvert()
        if return_format == JSON:
            answers.append(converted["boolean"])  # type: ignore[index]
        else:
            [boolean] = converted.getElementsByTagName("boolean")  # type: ignore[union-attr]
            answers.append(boolean.firstChild.data.strip() == "true")
    assert answers == [True, False]


@pytest.mark.parametrize("accept", RESULT_TYPES)
def test_select_answers_in_every_result_format_asked_for(endpoint: str, accept: str) -> None:
    response = get(endpoint, accept=accept, params={"query": SELECT_ORGS})
    assert response.status_code == 200
    assert media_type(response) == accept
    assert "Ombudsmen Association" in response.text


@pytest.mark.parametrize("accept", [None, "*/*"])
def test_default_formats_are_json_for_select_and_ask_and_turtle_for_construct(
    endpoint: str, accept: str | None
) -> None:
    for query, expected in (
        (SELECT_ORGS, "application/sparql-results+json"),
        (ASK_TRUE, "application/sparql-results+json"),
        (CONSTRUCT_THING, "text/turtle"),
        (f"DESCRIBE <{THING_IRI}>", "text/turtle"),
    ):
        response = get(endpoint, accept=accept, params={"query": query})
        assert response.status_code == 200, (query, response.text[:300])
        assert media_type(response) == expected, (
            query,
            accept,
            response.headers.get("Content-Type"),
        )


def test_result_format_q_values_are_honoured(endpoint: str) -> None:
    accept = (
        "application/sparql-results+json;q=0.5, text/tab-separated-values;q=0.9, text/csv;q=0.1"
    )
    assert (
        media_type(get(endpoint, accept=accept, params={"query": SELECT_ORGS}))
        == "text/tab-separated-values"
    )
    accept = "text/turtle;q=0.2, application/n-triples;q=0.8"
    assert (
        media_type(get(endpoint, accept=accept, params={"query": CONSTRUCT_THING}))
        == "application/n-triples"
    )


def test_default_graph_without_a_dataset_holds_the_data(endpoint: str) -> None:
    """As on Wikidata, DBpedia or Fuseki (union default graph): a bare pattern finds the data."""
    query = PREFIXES + f"ASK {{ <{THING_IRI}> a org:FormalOrganization }}"
    response = get(endpoint, accept="application/sparql-results+json", params={"query": query})
    assert response.status_code == 200 and response.json()["boolean"] is True, response.text[:300]


# ---------------------------------------------------------- CONSTRUCT and DESCRIBE, every format


@pytest.fixture(scope="module")
def expected_thing(kg: Any) -> Graph:
    node = pyoxigraph.NamedNode(THING_IRI)
    graph = store_graph(
        kg.store.quads_for_pattern(node, None, None, pyoxigraph.NamedNode(GRAPH_DATA))
    )
    assert len(graph) > 10
    return graph


SPARQLWRAPPER_GRAPH_TYPES = {
    TURTLE: "text/turtle",
    RDFXML: "application/rdf+xml",
    JSONLD: "application/ld+json",
}
DESCRIBE_THING = f"DESCRIBE <{THING_IRI}> FROM <{GRAPH_DATA}>"


@pytest.mark.parametrize("return_format", list(SPARQLWRAPPER_GRAPH_TYPES))
@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_construct_in_every_graph_format(
    endpoint: str, expected_thing: Graph, return_format: str, method: str, request_method: str
) -> None:
    result = sparqlwrapper(endpoint, CONSTRUCT_THING, return_format, method, request_method).query()
    body = result.response.read()
    kind = result.info()["content-type"].split(";")[0].strip()
    assert kind == SPARQLWRAPPER_GRAPH_TYPES[return_format]
    assert_same_graph(expected_thing, parse_graph(body, kind), f"CONSTRUCT as {kind}")
    client = sparqlwrapper(endpoint, CONSTRUCT_THING, return_format, method, request_method)
    converted = client.queryAndConvert()
    if isinstance(converted, Graph):
        assert_same_graph(expected_thing, converted, f"SPARQLWrapper's conversion of {kind}")


@pytest.mark.parametrize("return_format", list(SPARQLWRAPPER_GRAPH_TYPES))
@pytest.mark.parametrize(("method", "request_method"), SPARQLWRAPPER_WAYS)
def test_sparqlwrapper_describe_in_every_graph_format(
    endpoint: str, expected_thing: Graph, return_format: str, method: str, request_method: str
) -> None:
    result = sparqlwrapper(endpoint, DESCRIBE_THING, return_format, method, request_method).query()
    body = result.response.read()
    kind = result.info()["content-type"].split(";")[0].strip()
    assert kind == SPARQLWRAPPER_GRAPH_TYPES[return_format]
    missing = set(expected_thing) - set(parse_graph(body, kind))
    assert not missing, f"DESCRIBE as {kind} lacks {len(missing)} triples: {sorted(missing)[:3]}"


@pytest.mark.parametrize("accept", GRAPH_TYPES)
@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_construct_answers_in_every_graph_format(
    endpoint: str, expected_thing: Graph, accept: str, how: str
) -> None:
    response = send_query(endpoint, how, CONSTRUCT_THING, accept)
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == accept
    assert_same_graph(expected_thing, parse_response(response), f"CONSTRUCT as {accept}")
    if accept == "application/ld+json":
        assert isinstance(response.json().get("@context"), dict), (
            "JSON-LD without its @context inline"
        )


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_describe_answers_in_every_graph_format(
    endpoint: str, expected_thing: Graph, accept: str
) -> None:
    response = get(
        endpoint,
        accept=accept,
        params={"query": f"DESCRIBE <{THING_IRI}>", "default-graph-uri": GRAPH_DATA},
    )
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == accept
    graph = parse_response(response)
    missing = set(expected_thing) - set(graph)
    assert not missing, f"DESCRIBE lacks {len(missing)} triples, e.g. {sorted(missing)[:3]}"


# ---------------------------------------------------------------- the RDF dataset of a query


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_default_graph_uri_sets_the_default_graph(endpoint: str, kg: Any, how: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = send_query(
        endpoint,
        how,
        query,
        "application/sparql-results+json",
        **{"default-graph-uri": GRAPH_ONTOLOGY},
    )
    assert response.status_code == 200, response.text[:300]
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == graph_size(
        kg, GRAPH_ONTOLOGY
    )


def test_two_default_graph_uris_merge_into_the_default_graph(endpoint: str, kg: Any) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = f"default-graph-uri={quote(GRAPH_DATA)}&default-graph-uri={quote(GRAPH_ONTOLOGY)}"
    url = f"{endpoint}?query={quote(query)}&{graphs}"
    response = get(url, accept="application/sparql-results+json")
    assert response.status_code == 200, response.text[:300]
    union = {
        (str(q.subject), str(q.predicate), str(q.object))
        for name in (GRAPH_DATA, GRAPH_ONTOLOGY)
        for q in kg.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(name))
    }
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == len(union)


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_named_graph_uri_sets_the_named_graphs(endpoint: str, how: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    response = send_query(
        endpoint,
        how,
        query,
        "application/sparql-results+json",
        **{"named-graph-uri": GRAPH_INFERRED},
    )
    assert response.status_code == 200, response.text[:300]
    assert [row["g"]["value"] for row in response.json()["results"]["bindings"]] == [GRAPH_INFERRED]


def test_sparqlwrapper_default_and_named_graphs(endpoint: str, kg: Any) -> None:
    client = sparqlwrapper(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON, GET)
    client.addDefaultGraph(GRAPH_DATA)
    count = client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]  # type: ignore[index]
    assert int(count) == graph_size(kg, GRAPH_DATA)
    client = sparqlwrapper(
        endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON, POST
    )
    client.addNamedGraph(GRAPH_ONTOLOGY)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [row["g"]["value"] for row in rows] == [GRAPH_ONTOLOGY]


def test_from_and_from_named_in_the_query_set_the_dataset(endpoint: str, kg: Any) -> None:
    rows = select_json(
        endpoint.removesuffix("/sparql"),
        f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_ONTOLOGY}> WHERE {{ ?s ?p ?o }}",  # noqa: S608
    )
    assert int(rows[0]["n"]["value"]) == graph_size(kg, GRAPH_ONTOLOGY)
    rows = select_json(
        endpoint.removesuffix("/sparql"),
        f"SELECT DISTINCT ?g FROM NAMED <{GRAPH_DATA}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
    )
    assert [row["g"]["value"] for row in rows] == [GRAPH_DATA]


def test_the_store_holds_the_three_named_graphs_and_the_source_graphs(endpoint: str) -> None:
    rows = select_json(
        endpoint.removesuffix("/sparql"),
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    )
    graphs = [row["g"]["value"] for row in rows]
    sources = [g for g in graphs if g.startswith("https://w3id.org/ombudsman-kg/graph/source/")]
    assert sorted(set(graphs) - set(sources)) == sorted(
        [GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY]
    )
    assert "https://w3id.org/ombudsman-kg/graph/source/cooperation-document" in sources
    assert len(sources) >= 19


# ---------------------------------------------------------------- no query: description or page


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
)
def test_sparql_without_query_gives_the_service_description_as_rdf(
    endpoint: str, accept: str
) -> None:
    response = get(endpoint, accept=accept)
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == accept
    graph = parse_response(response)
    services = set(graph.subjects(RDF.type, URIRef(SD + "Service")))
    assert services, "no sd:Service"
    endpoints = {str(o) for s in services for o in graph.objects(s, URIRef(SD + "endpoint"))}
    assert endpoints == {B + "sparql"}, f"sd:endpoint should be the canonical IRI: {endpoints}"
    languages = {
        str(o) for s in services for o in graph.objects(s, URIRef(SD + "supportedLanguage"))
    }
    assert SD + "SPARQL11Query" in languages
    assert SD + "SPARQL11Update" not in languages


@pytest.mark.parametrize("accept", ["text/html", BROWSER_ACCEPT])
def test_sparql_without_query_gives_the_query_page_to_a_browser(endpoint: str, accept: str) -> None:
    response = get(endpoint, accept=accept)
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    page = read_html(response.text, response.url)
    assert page.forms, "no <form> on the query page"
    assert "query" in page.field_names, page.field_names
    actions = {urljoin(response.url, form.get("action") or response.url) for form in page.forms}
    assert endpoint in {a.split("?")[0] for a in actions}, actions


# ---------------------------------------------------------------- malformed queries


MALFORMED = [
    "SELECT * WHERE { ?s ?p }",
    "SELEC * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s a foo:Bar }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT x",
]


@pytest.mark.parametrize("query", MALFORMED)
@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_malformed_query_is_400_with_the_parsers_message(
    endpoint: str, query: str, how: str
) -> None:
    with pytest.raises(SyntaxError) as parsed:
        pyoxigraph.Store().query(query)
    message = str(parsed.value)
    response = send_query(endpoint, how, query, "*/*")
    assert response.status_code == 400, (query, response.status_code, response.text[:300])
    assert message in response.text, (
        f"the parser says {message!r}; the answer: {response.text[:500]!r}"
    )
    assert_no_traceback(response.content, query)


def test_empty_query_is_400(endpoint: str) -> None:
    for response in (
        get(endpoint, params={"query": ""}),
        post_form(endpoint, {"query": ""}),
        post_direct(endpoint, b"", "application/sparql-query"),
    ):
        assert response.status_code == 400, (
            response.request.method,
            response.status_code,
            response.text[:300],
        )


# ---------------------------------------------------------------- SPARQL Update, refused everywhere

UPDATES = [
    f'INSERT DATA {{ <{TEST_NS}s> <{TEST_NS}p> "inserted" }}',
    f'insert data {{ graph <{GRAPH_DATA}> {{ <{TEST_NS}s> <{TEST_NS}p> "inserted" }} }}',
    f'PREFIX ex: <{TEST_NS}>\nINSERT DATA {{ ex:s ex:p "inserted" }}',
    f"# a comment first\nINSERT {{ GRAPH <{GRAPH_DATA}> {{ <{TEST_NS}s> <{TEST_NS}p> ?o }} }} "
    "WHERE { GRAPH ?g { ?x a ?o } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"DELETE DATA {{ GRAPH <{GRAPH_DATA}> {{ <{THING_IRI}> <{RDF.type}> "
    "<http://www.w3.org/ns/org#FormalOrganization> } }",
    f"WITH <{GRAPH_DATA}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "CLEAR ALL",
    "DROP ALL",
    f"DROP GRAPH <{GRAPH_DATA}>",
    f"CREATE GRAPH <{TEST_NS}g>",
    f"COPY <{GRAPH_DATA}> TO <{TEST_NS}g>",
    f"MOVE <{GRAPH_ONTOLOGY}> TO <{TEST_NS}g>",
    f"ADD <{GRAPH_DATA}> TO <{TEST_NS}g>",
]


def assert_data_unchanged(server: str, triples_before: int, kg: Any) -> None:
    assert health_triples(health(server)) == triples_before
    assert not ask(server, WRITTEN), "an update wrote to the store"
    assert ask(server, ASK_TRUE), "an update deleted from the store"
    rows = select_json(
        server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }}"
    )
    assert int(rows[0]["n"]["value"]) == graph_size(kg, GRAPH_DATA)
    rows = select_json(
        server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s ?p ?o }} }}"
    )
    assert int(rows[0]["n"]["value"]) == graph_size(kg, GRAPH_ONTOLOGY)


def test_sparql_update_is_refused_in_every_form_and_the_data_is_unchanged(
    live_server: str, endpoint: str, kg: Any
) -> None:
    before = health_triples(health(live_server))
    assert before == kg.triple_count()
    accepted = []
    for update in UPDATES:
        answers = {
            "GET query=": get(endpoint, params={"query": update}),
            "POST form query=": post_form(endpoint, {"query": update}),
            "POST application/sparql-query": post_direct(
                endpoint, update, "application/sparql-query"
            ),
            "GET update=": get(endpoint, params={"update": update}),
            "POST form update=": post_form(endpoint, {"update": update}),
            "POST application/sparql-update": post_direct(
                endpoint, update, "application/sparql-update"
            ),
        }
        for way, response in answers.items():
            if not 400 <= response.status_code < 500:
                accepted.append(f"{way} {update!r} → {response.status_code}")
            assert_no_traceback(response.content, way)
    assert not accepted, "updates not refused with a 4xx:\n" + "\n".join(accepted)
    assert_data_unchanged(live_server, before, kg)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/id/{THING}",
        f"/doc/{THING}",
        f"/doc/{THING}.ttl",
        "/dumps/",
        "/dumps/ombudsman-kg.nt",
        "/dataset",
        "/ontology",
        "/health",
    ],
)
def test_sparql_update_is_refused_on_every_other_route(
    live_server: str, kg: Any, path: str
) -> None:
    before = health_triples(health(live_server))
    update = UPDATES[0]
    url = live_server + path
    answers = {
        "POST form update=": post_form(url, {"update": update}),
        "POST application/sparql-update": post_direct(url, update, "application/sparql-update"),
        "POST form query=": post_form(url, {"query": update}),
        "PUT text/turtle": requests.put(
            url,
            data=f'<{TEST_NS}s> <{TEST_NS}p> "inserted" .',
            headers={"Content-Type": "text/turtle"},
            timeout=TIMEOUT,
        ),
        "DELETE": requests.delete(url, timeout=TIMEOUT),
    }
    accepted = [
        f"{way} {path} → {r.status_code}"
        for way, r in answers.items()
        if not 400 <= r.status_code < 500
    ]
    assert not accepted, accepted
    for response in answers.values():
        assert_no_traceback(response.content, path)
    assert_data_unchanged(live_server, before, kg)


# ---------------------------------------------------------------- no request reaches the network


def test_nothing_a_request_says_makes_the_server_fetch_from_the_network(endpoint: str) -> None:
    with counting_listener() as listener:
        at = listener.url
        queries = [
            f"SELECT * WHERE {{ SERVICE <{at}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{at}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ VALUES ?e {{ <{at}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ BIND(<{at}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s a ?c }} "
            f"OPTIONAL {{ SERVICE SILENT <{at}/sparql> {{ ?s ?p ?o }} }} }} LIMIT 3",
            f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{at}/sparql> {{ ?s ?p ?o }} }} }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{at}/sparql> {{ ?s ?p ?o }} }}",
            f"ASK {{ SERVICE <{at}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{at}/x> WHERE {{ ?s ?p ?o }}",  # noqa: S608
            f"SELECT * FROM NAMED <{at}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
            f"SELECT * WHERE {{ GRAPH <{at}/x> {{ ?s ?p ?o }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} FROM <{at}/x> WHERE {{ ?s ?p ?o }}",
            f"DESCRIBE <{at}/x>",
            f"LOAD <{at}/x>",
            f"LOAD SILENT <{at}/x> INTO GRAPH <{TEST_NS}g>",
        ]
        answers = []
        for query in queries:
            for how in ("GET", "POST form", "POST direct"):
                answers.append((f"{how} {query}", send_query(endpoint, how, query, "*/*")))
        plain = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
        named = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5"
        for how in ("GET", "POST form", "POST direct"):
            answers.append(
                (
                    f"{how} default-graph-uri",
                    send_query(endpoint, how, plain, "*/*", **{"default-graph-uri": f"{at}/x"}),
                )
            )
            answers.append(
                (
                    f"{how} named-graph-uri",
                    send_query(endpoint, how, named, "*/*", **{"named-graph-uri": f"{at}/x"}),
                )
            )
        for update in (f"LOAD <{at}/x>", f"LOAD <{at}/x> INTO GRAPH <{TEST_NS}g>"):
            answers.append((f"update= {update}", post_form(endpoint, {"update": update})))
            answers.append(
                (
                    f"sparql-update {update}",
                    post_direct(endpoint, update, "application/sparql-update"),
                )
            )
        time.sleep(0.5)
        bad = [
            f"{what} → {r.status_code}"
            for what, r in answers
            if not (r.status_code == 200 or 400 <= r.status_code < 500)
        ]
        leaked = [what for what, r in answers if LEAK in r.text]
        assert not listener.connections and not listener.requests, (
            f"the server connected to the listener {len(listener.connections)} times: "
            f"{listener.requests[:10]}"
        )
        assert not leaked, f"answers carry what the listener serves: {leaked}"
        assert not bad, "neither answered from the store nor refused with a 4xx:\n" + "\n".join(bad)
        for what, response in answers:
            assert_no_traceback(response.content, what)


# ---------------------------------------------------------------- time limit; nobody waits for it


def run_slow_queries_with_probes(
    live_server: str, endpoint: str, count: int
) -> tuple[list[dict[str, Any]], dict[str, list[float]], list[str]]:
    """`count` never-ending queries at once; meanwhile three simple requests, again and again.

    Returns what each slow query got, the seconds each probe took, and any probe that failed.
    """
    slow: list[dict[str, Any]] = []

    def run_slow() -> None:
        started = time.monotonic()
        response = requests.get(
            endpoint,
            params={"query": SLOW_QUERY},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        slow.append(
            {
                "status": response.status_code,
                "text": response.text,
                "seconds": time.monotonic() - started,
                "cors": response.headers.get("Access-Control-Allow-Origin"),
            }
        )

    probes = {
        "/health": lambda: requests.get(live_server + "/health", timeout=10),
        "/doc": lambda: requests.get(f"{live_server}/doc/{THING}.ttl", timeout=10),
        "small SELECT": lambda: requests.get(
            endpoint,
            params={"query": SMALL_SELECT},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        ),
    }
    for _ in range(8):  # a fresh server starts each worker's query processes on first use
        probes["small SELECT"]()
    timings: dict[str, list[float]] = {name: [] for name in probes}
    failures: list[str] = []
    slow_threads = [threading.Thread(target=run_slow) for _ in range(count)]
    for thread in slow_threads:
        thread.start()
    time.sleep(0.5)

    def probe(name: str) -> None:
        while any(thread.is_alive() for thread in slow_threads):
            started = time.monotonic()
            response = probes[name]()
            timings[name].append(time.monotonic() - started)
            if response.status_code != 200:
                failures.append(f"{name} → {response.status_code}")
            time.sleep(0.05)

    probe_threads = [threading.Thread(target=probe, args=(name,)) for name in probes]
    for thread in probe_threads:
        thread.start()
    for thread in slow_threads + probe_threads:
        thread.join(timeout=60)
    return slow, timings, failures


def test_a_query_past_the_time_limit_gets_503_naming_it_while_others_keep_answering(
    live_server: str, endpoint: str
) -> None:
    [slow], timings, failures = run_slow_queries_with_probes(live_server, endpoint, 1)
    assert slow["status"] == 503, slow
    assert 2.5 <= slow["seconds"] <= 3 + 4, f"the 3 s limit answered after {slow['seconds']:.1f} s"
    assert re.search(r"(?<![\d.])3(\.0+)?\s*(s\b|sec|second)", slow["text"]), (
        f"503 does not name the 3 s limit: {slow['text'][:300]!r}"
    )
    assert_no_traceback(slow["text"], "503")
    assert slow["cors"] == "*"
    assert not failures, failures
    for name, seconds in timings.items():
        assert len(seconds) >= 2, f"{name}: only {len(seconds)} answers while the slow query ran"
        assert max(seconds) < 1.0, f"{name} waited {max(seconds):.2f} s behind the slow query"
    after = get(endpoint, accept="application/sparql-results+json", params={"query": SMALL_SELECT})
    assert after.status_code == 200 and after.json()["results"]["bindings"]


def test_four_slow_queries_at_once_hold_up_no_other_request(
    live_server: str, endpoint: str
) -> None:
    """SPEC §4 "a slow query never holds up other requests": not when a few arrive together."""
    slow, timings, failures = run_slow_queries_with_probes(live_server, endpoint, 4)
    assert [answer["status"] for answer in slow] == [503] * 4, [a["status"] for a in slow]
    seconds = sorted(round(answer["seconds"], 2) for answer in slow)
    assert seconds[-1] <= 3 + 2, f"the 3 s limit, with four at once, answered after {seconds} s"
    assert not failures, failures
    waits = {name: round(max(seconds), 2) for name, seconds in timings.items()}
    assert all(wait < 1.0 for wait in waits.values()), (
        f"longest waits behind the slow queries: {waits}"
    )


# ---------------------------------------------------------------- body size


@pytest.mark.parametrize("how", ["POST form", "POST direct"])
def test_a_body_over_1_mib_is_413(endpoint: str, how: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * (1 << 20)
    response = send_query(endpoint, how, query, "*/*")
    assert response.status_code == 413, (response.status_code, response.text[:300])
    assert_no_traceback(response.content, "413")


@pytest.mark.parametrize("how", ["POST form", "POST direct"])
def test_a_body_just_under_1_mib_is_answered(endpoint: str, how: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * ((1 << 20) - 8192)
    response = send_query(endpoint, how, query, "application/sparql-results+json")
    assert response.status_code == 200, (response.status_code, response.text[:300])


def test_an_update_body_over_1_mib_is_413(endpoint: str) -> None:
    update = f'INSERT DATA {{ <{TEST_NS}s> <{TEST_NS}p> "{"x" * (1 << 20)}" }}'
    response = post_direct(endpoint, update, "application/sparql-update")
    assert response.status_code == 413, response.status_code


# ---------------------------------------------------------------- 406


@pytest.mark.parametrize(
    ("path", "params", "available"),
    [
        (f"/doc/{THING}", {}, list(EXTENSIONS.values())),
        (f"/id/{THING}", {}, list(EXTENSIONS.values())),
        ("/ontology", {}, ["text/html", *RDF_EXTENSIONS.values()]),
        ("/dataset", {}, ["text/turtle", "application/ld+json"]),
        ("/sparql", {"query": SELECT_ORGS}, list(RESULT_TYPES)),
        ("/sparql", {"query": CONSTRUCT_THING}, list(GRAPH_TYPES)),
    ],
)
def test_an_accept_nothing_matches_is_406_listing_what_is_available(
    live_server: str, path: str, params: dict[str, str], available: list[str]
) -> None:
    response = get(live_server + path, accept="image/png", params=params)
    assert response.status_code == 406, (path, response.status_code)
    missing = [kind for kind in available if kind not in response.text]
    assert not missing, f"406 for {path} does not list {missing}: {response.text[:400]!r}"
    assert_no_traceback(response.content, path)


def test_select_asked_for_as_a_graph_is_406_and_construct_as_results_is_406(endpoint: str) -> None:
    response = get(endpoint, accept="text/turtle", params={"query": SELECT_ORGS})
    assert response.status_code == 406
    assert all(kind in response.text for kind in RESULT_TYPES), response.text[:400]
    response = get(
        endpoint, accept="application/sparql-results+json", params={"query": CONSTRUCT_THING}
    )
    assert response.status_code == 406
    assert all(kind in response.text for kind in GRAPH_TYPES), response.text[:400]


# ---------------------------------------------------------------- CORS, ETag, gzip on every answer

OK_ANSWERS = [
    ("/", "text/html"),
    (f"/doc/{THING}.html", "*/*"),
    (f"/doc/{THING}.ttl", "*/*"),
    (f"/doc/{THING}.jsonld", "*/*"),
    (f"/doc/{THING}", "text/turtle"),
    (f"/doc/{THING}", "text/html"),
    ("/ontology", "text/turtle"),
    ("/ontology.html", "*/*"),
    ("/shapes", "text/turtle"),
    ("/dumps/", "*/*"),
    ("/dumps/ombudsman-kg.nt", "*/*"),
    ("/dumps/ombudsman-kg.nq.gz", "*/*"),
    ("/dataset", "text/turtle"),
    ("/.well-known/void", "text/turtle"),
    ("/health", "application/json"),
    ("/context.jsonld", "*/*"),
    ("/sparql", "text/turtle"),
    ("/sparql", "text/html"),
    ("/sparql?query=" + quote(SELECT_ORGS), "application/sparql-results+json"),
    ("/sparql?query=" + quote(CONSTRUCT_THING), "text/turtle"),
]


@pytest.mark.parametrize(("path", "accept"), OK_ANSWERS)
def test_every_answer_has_an_etag_and_if_none_match_gets_304(
    live_server: str, path: str, accept: str
) -> None:
    first = get(live_server + path, accept=accept)
    assert first.status_code == 200, (path, first.status_code)
    etag = first.headers.get("ETag")
    assert etag, f"no ETag on {path}"
    repeated = {get(live_server + path, accept=accept).headers.get("ETag") for _ in range(6)}
    assert repeated == {etag}, f"the same representation of {path} under several ETags: {repeated}"
    again = get(live_server + path, accept=accept, headers={"If-None-Match": etag})
    assert again.status_code == 304, (path, again.status_code)
    assert again.content == b""
    assert again.headers.get("Access-Control-Allow-Origin") == "*"
    other = get(live_server + path, accept=accept, headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200, (path, other.status_code)


def test_negotiated_representations_have_different_etags(live_server: str) -> None:
    etags = {
        accept: get(f"{live_server}/doc/{THING}", accept=accept).headers.get("ETag")
        for accept in ("text/turtle", "application/ld+json", "text/html", "application/n-triples")
    }
    assert None not in etags.values() and len(set(etags.values())) == 4, etags
    turtle_etag = etags["text/turtle"]
    assert (
        get(
            f"{live_server}/doc/{THING}", accept="text/html", headers={"If-None-Match": turtle_etag}
        ).status_code
        == 200
    )


CORS_ANSWERS = [
    *((path, accept, "GET") for path, accept in OK_ANSWERS),
    (f"/id/{THING}", "text/turtle", "GET"),
    ("/id/organization/no-such-thing", "*/*", "GET"),
    ("/no/such/path", BROWSER_ACCEPT, "GET"),
    ("/sparql?query=SELECT", "*/*", "GET"),
    (f"/doc/{THING}", "image/png", "GET"),
    ("/", "text/html", "HEAD"),
    (f"/doc/{THING}.ttl", "*/*", "HEAD"),
    ("/", "*/*", "DELETE"),
]


@pytest.mark.parametrize(("path", "accept", "method"), CORS_ANSWERS)
def test_every_answer_allows_any_origin(
    live_server: str, path: str, accept: str, method: str
) -> None:
    response = requests.request(
        method,
        live_server + path,
        headers={"Accept": accept, "Origin": "https://example.org"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.headers.get("Access-Control-Allow-Origin") == "*", (
        method,
        path,
        response.status_code,
    )


def test_cors_preflight_for_a_direct_post_is_allowed(endpoint: str) -> None:
    response = requests.options(
        endpoint,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=TIMEOUT,
    )
    assert response.status_code in (200, 204), response.status_code
    assert response.headers.get("Access-Control-Allow-Origin") == "*"
    methods = response.headers.get("Access-Control-Allow-Methods", "").upper()
    assert "POST" in methods or "*" in methods, methods
    allowed = response.headers.get("Access-Control-Allow-Headers", "").lower()
    assert "content-type" in allowed or "*" in allowed, allowed


GZIP_ANSWERS = [
    ("/", "text/html"),
    (f"/doc/{THING}.ttl", "*/*"),
    (f"/doc/{THING}.html", "*/*"),
    ("/ontology.html", "*/*"),
    ("/dumps/ombudsman-kg.nt", "*/*"),
    ("/dataset", "text/turtle"),
    (
        "/sparql?query="
        + quote(f"SELECT * WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }} LIMIT 200"),
        "application/sparql-results+json",
    ),
]


@pytest.mark.parametrize(("path", "accept"), GZIP_ANSWERS)
def test_answers_are_gzipped_for_clients_that_accept_it(
    live_server: str, path: str, accept: str
) -> None:
    plain = raw_bytes(live_server + path, Accept=accept)
    assert plain.status_code == 200
    assert plain.headers.get("Content-Encoding", "identity") == "identity"
    assert len(plain.raw_body) > 1500, f"{path} is too small to need compression"  # type: ignore[attr-defined]
    zipped = raw_bytes(live_server + path, Accept=accept, **{"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers.get("Content-Encoding") == "gzip", (
        path,
        zipped.headers.get("Content-Encoding"),
    )
    assert gzip.decompress(zipped.raw_body) == plain.raw_body  # type: ignore[attr-defined]
    assert len(zipped.raw_body) < len(plain.raw_body)  # type: ignore[attr-defined]
    assert vary_has(zipped, "Accept-Encoding"), zipped.headers.get("Vary")


# ---------------------------------------------------------------- never a stack trace

BAD_REQUESTS: list[tuple[str, str, dict[str, str], bytes]] = [
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B", {}, b""),
    ("GET", "/sparql?query=", {}, b""),
    ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, b""),
    ("GET", "/sparql?query=DESCRIBE%20%3Chttp%3A%2F%2Fa%20b%3E", {}, b""),
    (
        "GET",
        "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D&default-graph-uri=not%20an%20iri",
        {},
        b"",
    ),
    (
        "GET",
        "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D&named-graph-uri=%3A%3A",
        {},
        b"",
    ),
    (
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-query"},
        b"\xff\xfe SELECT * WHERE {}",
    ),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=%ZZ%"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"DROP ALL"),
    ("PUT", "/sparql", {"Content-Type": "application/sparql-query"}, b"SELECT * {}"),
    ("DELETE", "/", {}, b""),
    ("PATCH", f"/doc/{THING}", {}, b""),
    ("GET", "/doc/%ff", {}, b""),
    ("GET", "/id/%00", {}, b""),
    ("GET", "/id/organization/oicoa%00", {}, b""),
    ("GET", "/doc/organization/oicoa.%ff", {}, b""),
    ("GET", "/dumps/..%2fbuild.json", {}, b""),
    ("GET", "/dumps/%2e%2e/build.json", {}, b""),
    ("GET", "/dumps/../build.json", {}, b""),
    ("GET", "/dumps/%2e%2e%2f%2e%2e%2fpyproject.toml", {}, b""),
    ("GET", "/dumps/ombudsman-kg.exe", {}, b""),
    ("GET", "/" + "a" * 4000, {}, b""),
    ("GET", "/id/organization/" + "x" * 4000, {}, b""),
]


@pytest.mark.parametrize(("method", "path", "headers", "body"), BAD_REQUESTS)
@pytest.mark.parametrize("accept", ["*/*", BROWSER_ACCEPT])
def test_a_bad_request_is_a_4xx_and_never_a_stack_trace(
    live_server: str, method: str, path: str, headers: dict[str, str], body: bytes, accept: str
) -> None:
    status, answer_headers, answer = raw_request(
        live_server, method, path, headers={"Accept": accept, **headers}, body=body
    )
    assert 400 <= status < 500, (method, path, status, answer[:300])
    assert_no_traceback(answer, f"{method} {path}")
    assert b'"version"' not in answer and b"[project]" not in answer, (
        f"{path} served a file outside dumps/"
    )
    assert answer_headers.get("access-control-allow-origin") == "*", (method, path)


ODD_BUT_VALID: list[tuple[str, str, dict[str, str]]] = [
    ("GET", f"/doc/{THING}", {"Accept": "text/turtle;q=abc"}),
    ("GET", f"/doc/{THING}", {"Accept": ";;;,,,"}),
    ("GET", f"/id/{THING}", {"Accept": "text/turtle;q=2"}),
    ("GET", f"/doc/{THING}.html", {"Accept-Language": "!!;q=x,"}),
    ("GET", "/sparql?query=ASK%7B%7D&timeout=abc", {}),
    ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+json;q=0.x"}),
    ("GET", "/health?x=%ff", {}),
    ("GET", f"/doc/{THING}.ttl", {"If-None-Match": 'garbage, ,"'}),
    ("GET", f"/doc/{THING}.ttl", {"Accept-Encoding": "gzip;q=abc"}),
]


@pytest.mark.parametrize(("method", "path", "headers"), ODD_BUT_VALID)
def test_odd_headers_and_parameters_never_cause_a_server_error(
    live_server: str, method: str, path: str, headers: dict[str, str]
) -> None:
    status, _, answer = raw_request(live_server, method, path, headers=headers)
    assert status < 500, (path, headers, status, answer[:300])
    assert_no_traceback(answer, path)
