"""The remote store (issue 4 items 3 and 5) against a real Oxigraph server the tests start.

`ombudsman-kg load --into` fills it; `RemoteStore` must then answer every question exactly as the
embedded store over the same build does, and keep SPEC §4's promises (parser's message, time
limit, no traceback) when the endpoint is wrong, dead, slow or talks nonsense.
"""

# ruff: noqa: F811 - the server fixtures are imported by name and then requested as arguments

from __future__ import annotations

import csv
import http.server
import io
import json
import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
from conftest import KnowledgeGraph, free_port, run_cli
from oxigraph_server import (  # noqa: F401 - fixtures are found by name
    Oxigraph,
    oxigraph_endpoint,
    oxigraph_server,
    scratch_oxigraph,
)
from rdflib.compare import isomorphic

from ombudsman_kg.build.outputs import published_graphs
from ombudsman_kg.errors import (
    QueryMemoryLimit,
    QuerySyntaxError,
    QueryTimeout,
    SettingsError,
    StoreUnavailable,
)
from ombudsman_kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPHS, OKG
from ombudsman_kg.settings import Settings
from ombudsman_kg.store import open_store
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.embedded import EmbeddedStore
from ombudsman_kg.store.gsp import load_into
from ombudsman_kg.store.queries import load as load_query
from ombudsman_kg.store.remote import RemoteStore, declares_dataset, sparql_iri

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SLACK_S = 1.5
SELECT_ORGS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?label WHERE { ?org a org:FormalOrganization ; rdfs:label ?label }
ORDER BY ?org ?label
"""
ASK_ORG = "ASK { ?org a <http://www.w3.org/ns/org#FormalOrganization> }"
CONSTRUCT_ORGS = """
PREFIX org: <http://www.w3.org/ns/org#>
CONSTRUCT { ?org ?p ?o } WHERE { ?org a org:FormalOrganization ; ?p ?o }
"""
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@pytest.fixture(scope="module")
def remote(oxigraph_endpoint: str, built_dist: Path) -> Iterator[RemoteStore]:
    store = RemoteStore(oxigraph_endpoint, Settings(dist=built_dist))
    yield store
    store.close()


@pytest.fixture(scope="module")
def embedded(built_dist: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(Settings(dist=built_dist))
    yield store
    store.close()


@pytest.fixture(scope="module")
def described_iris(kg: KnowledgeGraph) -> list[str]:
    """Every subject of the data graph, an ontology class, a property and a source."""
    rows = kg.select(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }} }} ORDER BY ?s"
    )
    return [row["s"] for row in rows] + [OKG + "AgentGroup", "http://www.w3.org/ns/org#memberOf"]


# load --into


def test_load_command_pushes_every_graph_with_counts(
    oxigraph_server: Oxigraph, built_dist: Path
) -> None:
    """Loading again replaces each graph (PUT), so the counts stay those of the build."""
    result = run_cli("load", "--into", oxigraph_server.store_url, "--dist", str(built_dist))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    built = _built_graphs(built_dist)
    total = sum(built.values())
    assert f"loaded {total} triples into {oxigraph_server.store_url}" in result.stderr
    for graph, count in built.items():
        assert f"{count:>10} triples in <{graph}>" in result.stderr
    assert _remote_counts(oxigraph_server.query_url) == built


def _built_graphs(dist: Path) -> dict[str, int]:
    """Every named graph of the build with its size: the three and the source graphs."""
    info = json.loads((dist / "build.json").read_text())
    return {**info["graphs"], **info["source_graphs"]}


def test_load_in_chunks_puts_then_posts(scratch_oxigraph: Oxigraph, built_dist: Path) -> None:
    messages: list[str] = []
    records = load_into(
        Settings(dist=built_dist),
        scratch_oxigraph.store_url,
        progress=messages.append,
        chunk_triples=100,
    )
    built = _built_graphs(built_dist)
    for record in records:
        assert record.requests == -(-built[record.graph] // 100)
        assert record.stored == record.sent == built[record.graph]
    assert _remote_counts(scratch_oxigraph.query_url) == built
    remote = RemoteStore(scratch_oxigraph.query_url, Settings(dist=built_dist))
    stored = {str(quad) for quad in remote.quads()}
    dump = built_dist / "dumps" / "ombudsman-kg.nq"
    assert stored == {
        str(q) for q in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    }
    remote.close()


def test_load_counts_by_reading_back_where_no_query_url_is_known(
    scratch_oxigraph: Oxigraph,
    built_dist: Path,
) -> None:
    """Any Graph Store: each graph is read back with GET and its triples counted."""
    messages: list[str] = []
    url = scratch_oxigraph.store_url + "?from=test"
    records = load_into(Settings(dist=built_dist), url, progress=messages.append)
    assert "counts checked by reading each graph back" in messages[-1]
    built = _built_graphs(built_dist)
    assert {record.graph: record.stored for record in records} == built


def test_load_refused_is_one_line(oxigraph_server: Oxigraph, built_dist: Path) -> None:
    result = run_cli("load", "--into", oxigraph_server.query_url, "--dist", str(built_dist))
    assert result.returncode == StoreUnavailable.exit_code
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ombudsman-kg load: the store at ") and "refused PUT" in last
    assert "Traceback" not in result.stderr


def test_load_unreachable_is_one_line(built_dist: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    result = run_cli("load", "--into", url, "--dist", str(built_dist))
    assert result.returncode == StoreUnavailable.exit_code
    assert "could not be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_without_build_says_so(tmp_path: Path) -> None:
    result = run_cli("load", "--into", "http://127.0.0.1:9/store", "--dist", str(tmp_path))
    assert result.returncode == 5
    assert "ombudsman-kg build" in result.stderr and "Traceback" not in result.stderr


# the Store interface, compared with the embedded store


def test_describe_matches_embedded(
    remote: RemoteStore, embedded: EmbeddedStore, described_iris: list[str]
) -> None:
    assert len(described_iris) > 20
    for iri in described_iris:
        expected = {str(quad) for quad in embedded.describe(iri)}
        assert expected, iri
        assert {str(quad) for quad in remote.describe(iri)} == expected, iri


def test_exists(remote: RemoteStore, described_iris: list[str]) -> None:
    assert all(remote.exists(iri) for iri in described_iris[:5])
    assert not remote.exists("https://w3id.org/ombudsman-kg/id/organization/no-such-thing")


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/ombudsman-kg/id/x> ?p ?o } UNION { ?s ?p ?o",
        'https://w3id.org/ombudsman-kg/id/x"',
        "https://w3id.org/ombudsman-kg/id/a b",
        "https://w3id.org/ombudsman-kg/id/{x}",
        "https://w3id.org/ombudsman-kg/id/x\\u003E",
        "not an iri",
        "",
    ],
)
def test_unsafe_iri_holds_nothing(remote: RemoteStore, iri: str) -> None:
    """IRIs are written into the query text, so one that could end early is refused before."""
    assert sparql_iri(iri) is None
    assert remote.describe(iri) == []
    assert remote.exists(iri) is False


def test_select_matches_embedded(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    for name in ("count-by-graph", "count-by-class", "count-by-property"):
        query = load_query(name)
        assert _rows(remote.select(query)) == _rows(embedded.select(query)), name


def test_quads_and_count_match_embedded(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    for graph in GRAPHS:
        assert {str(q) for q in remote.quads(graph)} == {str(q) for q in embedded.quads(graph)}
    assert {str(q) for q in remote.quads()} == {str(q) for q in embedded.quads()}
    assert remote.triple_count() == embedded.triple_count() > 1000


@pytest.mark.parametrize(
    ("text", "form", "media_type"),
    [
        (SELECT_ORGS, "SELECT", "application/sparql-results+json"),
        (SELECT_ORGS, "SELECT", "application/sparql-results+xml"),
        (SELECT_ORGS, "SELECT", "text/csv"),
        (SELECT_ORGS, "SELECT", "text/tab-separated-values"),
        (ASK_ORG, "ASK", "application/sparql-results+json"),
        (ASK_ORG, "ASK", "application/sparql-results+xml"),
        (CONSTRUCT_ORGS, "CONSTRUCT", "text/turtle"),
        (CONSTRUCT_ORGS, "CONSTRUCT", "application/n-triples"),
        (CONSTRUCT_ORGS, "CONSTRUCT", "application/rdf+xml"),
        (CONSTRUCT_ORGS, "CONSTRUCT", "application/ld+json"),
        (f"DESCRIBE <{OKG}AgentGroup>", "DESCRIBE", "text/turtle"),
    ],
)
def test_run_matches_embedded(
    remote: RemoteStore, embedded: EmbeddedStore, text: str, form: str, media_type: str
) -> None:
    request = QueryRequest(text, form, media_type)
    got = remote.run(request, timeout_s=10).body
    expected = embedded.run(request, timeout_s=10).body
    if media_type in GRAPH_TYPES:
        got_graph = rdflib.Graph().parse(data=got, format=GRAPH_TYPES[media_type])
        expected_graph = rdflib.Graph().parse(data=expected, format=GRAPH_TYPES[media_type])
        assert len(got_graph) > 0
        assert isomorphic(got_graph, expected_graph)
        pyoxigraph.parse(got, format=pyoxigraph.RdfFormat.from_media_type(media_type))
        if media_type == "application/ld+json":
            assert json.loads(got)["@context"]["org"] == "http://www.w3.org/ns/org#"
    elif media_type == "text/csv":
        assert list(csv.reader(io.StringIO(got.decode()))) == list(
            csv.reader(io.StringIO(expected.decode()))
        )
    else:
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
        got_result = pyoxigraph.parse_query_results(got, format=results_format)
        expected_result = pyoxigraph.parse_query_results(expected, format=results_format)
        if form == "ASK":
            assert bool(got_result) is bool(expected_result) is True
        else:
            got_rows = [str(s) for s in got_result]  # type: ignore[union-attr]
            assert got_rows and got_rows == [str(s) for s in expected_result]  # type: ignore[union-attr]


def test_default_graph_is_the_union(remote: RemoteStore, embedded: EmbeddedStore) -> None:
    request = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT", "text/csv")
    assert remote.run(request, timeout_s=10).body == embedded.run(request, timeout_s=10).body
    assert _count(remote, request) == remote.triple_count()


def test_protocol_dataset_is_passed_on(
    remote: RemoteStore, embedded: EmbeddedStore, built_dist: Path
) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_ontology = QueryRequest(text, "SELECT", "text/csv", default_graphs=(GRAPH_ONTOLOGY,))
    assert (
        _count(remote, only_ontology)
        == _count(embedded, only_ontology)
        == len(embedded.quads(GRAPH_ONTOLOGY))
    )
    by_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    only_data = QueryRequest(by_graph, "SELECT", "text/csv", named_graphs=(GRAPH_DATA,))
    assert remote.run(only_data, timeout_s=10).body == embedded.run(only_data, timeout_s=10).body
    every = QueryRequest(
        by_graph + " ORDER BY ?g", "SELECT", "text/csv", default_graphs=(GRAPH_DATA,)
    )
    answer = remote.run(every, timeout_s=10).body
    assert answer == embedded.run(every, timeout_s=10).body
    assert answer.count(b"\n") == 1 + len(published_graphs(built_dist)), (
        "every published graph, source graphs included, is a named graph of the remote dataset"
    )


def test_from_in_the_query_is_answered_from_the_store(remote: RemoteStore) -> None:
    text = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_INFERRED}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    assert _count(remote, QueryRequest(text, "SELECT", "text/csv")) == len(
        remote.quads(GRAPH_INFERRED)
    )


def test_declares_dataset_reads_tokens_not_text() -> None:
    assert declares_dataset("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    assert declares_dataset("select *\nfrom named <urn:g>\nwhere { graph ?g { ?s ?p ?o } }")
    assert not declares_dataset('SELECT * WHERE { ?s ?p "FROM" } # FROM <urn:g>')
    assert not declares_dataset("PREFIX ex: <urn:x#> SELECT * WHERE { ?s ex:FROM ?from }")


# faults: SPEC §4 on the remote store


def test_syntax_error_carries_the_endpoint_message(remote: RemoteStore) -> None:
    request = QueryRequest("SELECT * WHERE { ?s ?p ", "SELECT", "application/sparql-results+json")
    with pytest.raises(QuerySyntaxError) as raised:
        remote.run(request, timeout_s=10)
    assert "error at 1:" in str(raised.value)
    assert raised.value.status == 400


def test_dead_endpoint_is_unavailable(built_dist: Path) -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", Settings(dist=built_dist))
    calls = [
        lambda: store.run(
            QueryRequest(ASK_ORG, "ASK", "application/sparql-results+json"), timeout_s=5
        ),
        lambda: store.describe(OKG + "AgentGroup"),
        lambda: store.exists(OKG + "AgentGroup"),
        lambda: store.select(load_query("count-by-graph")),
        lambda: store.quads(GRAPH_ONTOLOGY),
        store.triple_count,
    ]
    for call in calls:
        with pytest.raises(StoreUnavailable, match="Connection refused"):
            call()
    store.close()


def test_wrong_path_is_unavailable(oxigraph_server: Oxigraph, built_dist: Path) -> None:
    store = RemoteStore(oxigraph_server.base_url + "/nothing-here", Settings(dist=built_dist))
    with pytest.raises(StoreUnavailable, match="answered 404"):
        store.exists(OKG + "AgentGroup")


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "example.org/sparql", "http://"])
def test_store_url_must_be_http(url: str, built_dist: Path) -> None:
    with pytest.raises(SettingsError):
        open_store(Settings(dist=built_dist, store="sparql:" + url))


def test_slow_query_times_out_on_time(scratch_oxigraph: Oxigraph, built_dist: Path) -> None:
    """The client gets its error at the limit; the endpoint still answers other queries."""
    store = RemoteStore(scratch_oxigraph.query_url, Settings(dist=built_dist))
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        store.run(QueryRequest(SLOW_QUERY, "SELECT", "text/csv"), timeout_s=1.0)
    assert time.monotonic() - started < 1.0 + SLACK_S
    assert store.exists(OKG + "AgentGroup")
    store.close()


def test_forked_child_makes_its_own_connection(remote: RemoteStore) -> None:
    """gunicorn forks after the app (and its store) exists: the child must not share a socket."""
    assert remote.exists(OKG + "AgentGroup")
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=_exists_in_child, args=(remote, OKG + "AgentGroup", answers))
    child.start()
    child.join(timeout=30)
    assert answers.get(timeout=5) == (True, True)
    assert remote.exists(OKG + "AgentGroup")


class _Misbehaving(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers every query with one kind of nonsense, chosen by path."""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/trickle":
            self._start(200, "application/sparql-results+json")
            try:
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return
        elif self.path == "/garbage":
            self._start(200, "application/sparql-results+json")
            self.wfile.write(b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": ')
        elif self.path == "/qlever":
            body = json.dumps({"exception": "Invalid SPARQL query: token 'x' unexpected"}).encode()
            self._start(400, "application/json")
            self.wfile.write(body)
        elif self.path == "/partial":
            self._start(206, "text/csv", extra={"X-SQL-State": "S1TAT"})
            self.wfile.write(b"org,label\r\n")
        elif self.path == "/html":
            self._start(200, "text/html")
            self.wfile.write(b"<html>login</html>")
        else:
            self._start(500, "text/plain")
            self.wfile.write(b"internal error")

    def _start(self, status: int, media_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def misbehaving() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_trickling_answer_stops_at_the_limit(misbehaving: str, built_dist: Path) -> None:
    """`requests` times single reads; a byte every 0.2 s must still end at the query's limit."""
    store = RemoteStore(misbehaving + "/trickle", Settings(dist=built_dist))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.run(QueryRequest(SELECT_ORGS, "SELECT", "text/csv"), timeout_s=1.0)
    assert time.monotonic() - started < 1.0 + SLACK_S


@pytest.mark.parametrize(
    ("path", "error", "words"),
    [
        ("/garbage", StoreUnavailable, "does not parse"),
        ("/qlever", QuerySyntaxError, "Invalid SPARQL query: token 'x' unexpected"),
        ("/html", StoreUnavailable, "answered text/html"),
        ("/partial", QueryTimeout, "partial answer"),
        ("/fails", StoreUnavailable, "answered 500: internal error"),
    ],
)
def test_nonsense_becomes_one_error(
    misbehaving: str, built_dist: Path, path: str, error: type[Exception], words: str
) -> None:
    store = RemoteStore(misbehaving + path, Settings(dist=built_dist))
    with pytest.raises(error) as raised:
        store.run(QueryRequest(SELECT_ORGS, "SELECT", "text/csv"), timeout_s=5)
    assert words in str(raised.value)
    if error is not QuerySyntaxError:
        with pytest.raises(error):
            store.select(SELECT_ORGS)


def test_query_command_on_the_remote_store(oxigraph_endpoint: str, built_dist: Path) -> None:
    result = run_cli("query", ASK_ORG, "--format", "json", "--store", "sparql:" + oxigraph_endpoint)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}
    dead = run_cli("query", ASK_ORG, "--store", f"sparql:http://127.0.0.1:{free_port()}/query")
    assert dead.returncode == StoreUnavailable.exit_code
    assert dead.stderr.count("\n") == 1 and "Traceback" not in dead.stderr


def _exists_in_child(
    store: RemoteStore, iri: str, answers: multiprocessing.Queue[tuple[bool, bool]]
) -> None:
    parent_session = store._local.session
    answer = store.exists(iri)
    answers.put((answer, store._local.session is not parent_session))


def _remote_counts(query_url: str) -> dict[str, int]:
    answer = requests.post(
        query_url,
        data={"query": load_query("count-by-graph")},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return {row["key"]["value"]: int(row["count"]["value"]) for row in rows}


def _rows(
    rows: list[dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode]],
) -> list[dict[str, str]]:
    return [{name: str(term) for name, term in row.items()} for row in rows]


def _count(store: RemoteStore | EmbeddedStore, request: QueryRequest) -> int:
    return int(store.run(request, timeout_s=10).body.decode().split()[-1])


def test_an_answer_larger_than_the_memory_limit_is_not_read_past_it(
    oxigraph_endpoint: str, built_dist: Path
) -> None:
    """Issue 8: the remote store's client holds the answer; past the limit it stops reading."""
    store = RemoteStore(oxigraph_endpoint, Settings(dist=built_dist, query_memory_mb=1))
    big = QueryRequest(
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 30000",
        "SELECT",
        "application/sparql-results+json",
    )
    with pytest.raises(QueryMemoryLimit, match="memory limit of 1 MiB"):
        store.run(big, timeout_s=30)
    small = QueryRequest("ASK { ?s ?p ?o }", "ASK", "application/sparql-results+json")
    assert b"true" in store.run(small, timeout_s=30).body
