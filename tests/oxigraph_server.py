"""A real Oxigraph server for the remote-store tests: started on a free port, stopped at the end.

Import the fixtures into a test module (`from oxigraph_server import oxigraph_endpoint`) or into
conftest.py to share one server across modules. The server runs without `--timeout-s`, which
runs out of threads and crashes under load in 0.5.13 (issue 4), so a query that our client gave
up on keeps the server busy until it ends: tests that time queries out use `scratch_oxigraph`,
a server of their own that is killed afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from conftest import free_port, run_cli


@dataclass
class Oxigraph:
    """One running `oxigraph serve`: its process and its two endpoints."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol endpoint: what `--store sparql:URL` takes."""
        return self.base_url + "/query"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint: what `load --into URL` takes."""
        return self.base_url + "/store"


def oxigraph_binary() -> str:
    """The `oxigraph` CLI installed next to this Python (pip install oxigraph), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no `oxigraph` command: pip install 'ombudsman-kg[test]'")
    return found


def start_oxigraph(location: Path, *extra: str) -> Oxigraph:
    """`oxigraph serve` over `location` on a free port; returns once it answers a query.

    Its output goes to `<location>.log`, a file, so that a full pipe can never stall it.
    """
    port = free_port()
    log = Path(f"{location}.log")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                *extra,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Oxigraph(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {log.read_text(errors='replace')}")
        try:
            answer = requests.get(server.query_url, params={"query": "ASK {}"}, timeout=1)
            if answer.status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.05)
    stop_oxigraph(server)
    raise RuntimeError("oxigraph serve did not answer within 30 s")


def stop_oxigraph(server: Oxigraph) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def load_dist(dist: Path, server: Oxigraph) -> None:
    """`ombudsman-kg load --into` the server's Graph Store, as a user would."""
    result = run_cli("load", "--into", server.store_url, "--dist", str(dist))
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def oxigraph_server(
    built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Oxigraph]:
    """A real Oxigraph server holding the built dist, loaded with `ombudsman-kg load`.

    No `--timeout-s`: in 0.5.13 it neither stops a runaway query's computation (seen here: a
    cartesian product kept a core busy for minutes after it) nor survives load; the time-limit
    tests run last instead (conftest.py).
    """
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        load_dist(built_dist, server)
        yield server
    finally:
        stop_oxigraph(server)


@pytest.fixture(scope="session")
def oxigraph_endpoint(oxigraph_server: Oxigraph) -> str:
    """The query URL for `ombudsman-kg serve --store sparql:URL` (the HTTP suite's remote run)."""
    return oxigraph_server.query_url


@pytest.fixture
def scratch_oxigraph(built_dist: Path, tmp_path: Path) -> Iterator[Oxigraph]:
    """A server of the test's own, holding the built dist, killed at the end with whatever
    queries it is still running."""
    server = start_oxigraph(tmp_path / "oxigraph")
    try:
        load_dist(built_dist, server)
        yield server
    finally:
        server.process.kill()
        server.process.wait()
