"""Long queries: the GET request-line limit, said where clients look, and POST as the way round
(issue 8, item 7).

A request line over 8190 bytes (gunicorn's maximum) is refused by the WSGI server before the app
sees it; the `414` must tell the client to POST instead, the limit must be stated in the service
description and the README, and the same query POSTed must answer.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph
import requests
from conftest import ROOT
from httpcheck import (
    RDFS,
    SD,
    TIMEOUT,
    B,
    assert_no_traceback,
    get,
    media_type,
    parse_response,
    raw_request,
)
from rdflib import URIRef

REQUEST_LINE_LIMIT = 8190
BODY_LIMIT = 1 << 20
SPARQL_JSON = "application/sparql-results+json"


def long_query(size: int) -> str:
    """A real SELECT of about `size` bytes: a VALUES block of thing IRIs, most not in the data."""
    head = "SELECT ?thing ?label WHERE { VALUES ?thing { "
    tail = " } ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    values = [f"<{B}id/organization/oicoa>"]
    number = 0
    while len(head) + len(tail) + sum(len(v) + 1 for v in values) < size:
        values.append(f"<{B}id/organization/absent-{number}>")
        number += 1
    return head + " ".join(values) + tail


def request_line_bytes(path_and_query: str) -> int:
    return len(f"GET {path_and_query} HTTP/1.1")


def test_long_get_query_gets_414_telling_the_client_to_post(live_server: str) -> None:
    """Regression (issue 8): a 10 KiB GET query got gunicorn's bare 414, saying nothing of POST."""
    query = long_query(10 * 1024)
    assert len(query.encode()) >= 10 * 1024
    path = "/sparql?query=" + quote(query, safe="")
    assert request_line_bytes(path) > REQUEST_LINE_LIMIT
    status, headers, body = raw_request(live_server, "GET", path, headers={"Accept": SPARQL_JSON})
    assert status == 414, (status, body[:300])
    text = body.decode("utf-8")
    assert_no_traceback(text, "the 414 answer")
    assert "POST" in text, text
    assert "application/x-www-form-urlencoded" in text and "application/sparql-query" in text
    assert str(REQUEST_LINE_LIMIT) in text, "the 414 should name the limit"
    assert headers.get("content-type", "").startswith("text/plain")
    assert headers.get("x-content-type-options") == "nosniff"

    as_form = requests.post(
        live_server + "/sparql",
        data={"query": query},
        headers={"Accept": SPARQL_JSON},
        timeout=TIMEOUT,
    )
    direct = requests.post(
        live_server + "/sparql",
        data=query.encode(),
        headers={"Accept": SPARQL_JSON, "Content-Type": "application/sparql-query"},
        timeout=TIMEOUT,
    )
    for response in (as_form, direct):
        assert response.status_code == 200, response.text[:500]
        assert media_type(response) == SPARQL_JSON
        rows = response.json()["results"]["bindings"]
        assert {row["thing"]["value"] for row in rows} == {B + "id/organization/oicoa"}
        assert {row["label"].get("xml:lang") for row in rows} >= {"en", "az"}


def test_a_get_query_just_under_the_request_line_limit_answers(live_server: str) -> None:
    """The limit is gunicorn's maximum, set on purpose, not its 4094-byte default."""
    path = ""
    for size in range(2000, 8000, 20):
        longer = "/sparql?query=" + quote(long_query(size), safe="")
        if request_line_bytes(longer) > REQUEST_LINE_LIMIT:
            break
        path = longer
    assert request_line_bytes(path) > REQUEST_LINE_LIMIT - 200, "not near the limit"
    assert request_line_bytes(path) <= REQUEST_LINE_LIMIT
    status, _, body = raw_request(live_server, "GET", path, headers={"Accept": SPARQL_JSON})
    assert status == 200, (status, body[:300])


def test_the_service_description_states_the_request_limits(live_server: str) -> None:
    response = get(live_server + "/sparql", accept="text/turtle")
    assert response.status_code == 200
    graph = parse_response(response)
    service = URIRef(B + "sparql")
    assert (
        service,
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef(SD + "Service"),
    ) in graph
    comments = [str(c) for c in graph.objects(service, URIRef(RDFS + "comment"))]
    stated = [c for c in comments if str(REQUEST_LINE_LIMIT) in c and str(BODY_LIMIT) in c]
    assert stated, f"no rdfs:comment of the service names both limits: {comments}"
    assert "POST" in stated[0] and "414" in stated[0] and "413" in stated[0]
    # and pyoxigraph reads the same statement
    quads = pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE)
    assert any(
        q.subject == pyoxigraph.NamedNode(B + "sparql")
        and q.predicate == pyoxigraph.NamedNode(RDFS + "comment")
        and str(REQUEST_LINE_LIMIT) in q.object.value
        for q in quads
    )


def test_the_readme_states_the_request_limits() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = next(
        (p for p in readme.split("\n\n") if str(REQUEST_LINE_LIMIT) in p and "414" in p), ""
    )
    assert paragraph, "the README should say the GET request-line limit and its 414"
    assert "POST" in paragraph
    assert re.search(r"1 MiB|1048576", readme)
