"""Shared fixtures: the graph built by the real CLI, and a real server process on a free port.

As in datasette's `ds_localhost_http_server`: tests talk HTTP to `ombudsman-kg serve`, the
command users run, never to an in-process test client.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "ombudsman_kg.cli"]


DEFAULT_GRAPH: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph] = [
    pyoxigraph.NamedNode(f"https://w3id.org/ombudsman-kg/graph/{name}")
    for name in ("data", "ontology", "inferred")
]


@dataclass
class KnowledgeGraph:
    """SPARQL over the build as /sparql answers it: the default graph is graph/data,
    graph/ontology and graph/inferred (SPEC §7), every named graph is there for GRAPH; results as
    plain strings."""

    store: pyoxigraph.Store

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows as {variable: IRI or lexical form}; unbound variables are left out."""
        results = self.store.query(query, default_graph=DEFAULT_GRAPH)
        names = [v.value for v in results.variables]
        return [
            {name: solution[name].value for name in names if solution[name] is not None}
            for solution in results
        ]

    def ask(self, query: str) -> bool:
        return bool(self.store.query(query, default_graph=DEFAULT_GRAPH))

    def triple_count(self) -> int:
        """Triples in the default graph: each once, although source graphs repeat them."""
        return int(self.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"])


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `ombudsman-kg ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ombudsman-kg build --dist <tmp>/dist` over the real data: a directory named `dist`, so
    that servers start beside it with the default, relative `dist` (`start_server`)."""
    dist = tmp_path_factory.mktemp("build") / "dist"
    result = run_cli("build", "--dist", str(dist))
    assert result.returncode == 0, result.stderr
    return dist


@pytest.fixture(scope="session")
def kg(built_dist: Path) -> KnowledgeGraph:
    """The built N-Quads dump (all named graphs) in a fresh in-memory store."""
    store = pyoxigraph.Store()
    store.load(
        path=str(built_dist / "dumps" / "ombudsman-kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS
    )
    return KnowledgeGraph(store)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    dist: Path, *extra: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`ombudsman-kg serve` on a free port, started as the README starts it: from the directory
    that holds `dist`, with the default (relative) `dist`, or from `cwd` with `--dist` relative
    to it (issue 8: a relative `dist` was read against the package); returns once `/health`
    answers."""
    port = free_port()
    cwd = cwd or dist.parent
    where = () if cwd == dist.parent and dist.name == "dist" else ("--dist", relative(dist, cwd))
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), *where, *extra],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if requests.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not answer /health within 60 s")


def relative(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session", params=["embedded", "remote"])
def live_server(request: pytest.FixtureRequest, built_dist: Path) -> Iterator[str]:
    """The base URL of a real `ombudsman-kg serve` over the built dist (time limit 3 s).

    Every HTTP test runs twice: on the embedded store, and with `--store sparql:` against a real
    Oxigraph server loaded with the same build (issue 4: the remote store passes the same suite).
    """
    extra: tuple[str, ...] = ()
    if request.param == "remote":
        extra = ("--store", "sparql:" + request.getfixturevalue("oxigraph_endpoint"))
    process, url = start_server(built_dist, *extra, env={"OKG_QUERY_TIMEOUT_S": "3"})
    yield url
    stop_server(process)


# Imported last: oxigraph_server itself imports the helpers above.
from oxigraph_server import oxigraph_endpoint, oxigraph_server  # noqa: E402,F401

TIME_LIMIT_TESTS = (
    "test_a_query_past_the_time_limit_gets_503_naming_it_while_others_keep_answering",
    "test_four_slow_queries_at_once_hold_up_no_other_request",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the never-ending queries last: our 503 comes on time, but a remote Oxigraph server
    keeps computing what it was asked (its --timeout-s does not stop it in 0.5.13), which
    would slow every test after them."""
    items.sort(key=lambda item: getattr(item, "originalname", item.name) in TIME_LIMIT_TESTS)
