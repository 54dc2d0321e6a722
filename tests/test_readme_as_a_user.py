"""The README's commands as a new user runs them: a clean clone, `make serve`, real clients.

Why: every other test starts the server with an absolute `--dist` from the test's own
directory, and so none saw that a server started as the README says (`make serve`: from the
repo root, `dist` relative) answered 500 for every `/dumps/*.gz` and for every dump asked for
with `Accept-Encoding: gzip`, which is what `curl --compressed`, browsers and `requests` send
(issue 8 item 1). Downloading the dumps is one of the three things this project is for.

So: `git clone` the committed HEAD of this repository into a temporary directory; run there
exactly the command lines `make serve` runs (`ombudsman-kg build`, then `ombudsman-kg serve
--host 127.0.0.1 --port P`; the venv is this one, with PYTHONPATH on the clone's `src` so that
the clone's code runs), with default settings; then download every dump `/dumps/` lists, with
the real `curl --compressed`, plain `curl`, and `requests`, and check each saved file's SHA-256
and size against what the VoID description (`/dataset`) publishes for it. Once more from
another working directory, with a relative `--dist` (issue 8: "from another working directory
with a relative `--dist`").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from conftest import ROOT, free_port
from fuzzing import Launched, ProcessTree, kill_tree, launch, traceback_in
from rdflib import Graph, Namespace, URIRef

B = "https://w3id.org/ombudsman-kg/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


def user_env(clone: Path) -> dict[str, str]:
    """Default settings (no OKG_* of the test run's own), the clone's code first on the path."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("OKG_")}
    env["PYTHONPATH"] = str(clone / "src")
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean clone of this repository's committed HEAD, built as `make serve` builds it."""
    where = tmp_path_factory.mktemp("new-user") / "ombudsman-kg"
    cloned = run(["git", "clone", "--quiet", str(ROOT), str(where)], ROOT, dict(os.environ))
    assert cloned.returncode == 0, cloned.stderr
    env = user_env(where)
    which = run(
        [sys.executable, "-c", "import ombudsman_kg; print(ombudsman_kg.__file__)"], where, env
    )
    assert which.stdout.strip().startswith(str(where / "src")), (
        f"the clone's code does not run, {which.stdout.strip()} does: {which.stderr}"
    )
    built = run([sys.executable, "-m", "ombudsman_kg.cli", "build"], where, env)
    assert built.returncode == 0, f"`ombudsman-kg build` in a clean clone:\n{built.stderr[-3000:]}"
    return where


@dataclass
class UserServer:
    server: Launched
    how: str


@pytest.fixture(scope="module", params=["make serve", "another directory, relative --dist"])
def served(request: pytest.FixtureRequest, clone: Path) -> Iterator[UserServer]:
    port = free_port()
    serve = [sys.executable, "-m", "ombudsman_kg.cli", "serve", "--host", "127.0.0.1"]
    if request.param == "make serve":
        cwd, command = clone, [*serve, "--port", str(port)]
    else:
        cwd = clone / "elsewhere"
        cwd.mkdir(exist_ok=True)
        command = [*serve, "--port", str(port), "--dist", os.path.join("..", "dist")]
    log = clone.parent / f"serve-{port}.log"
    server = launch(command, cwd=cwd, port=port, log=log, env=user_env(clone))
    tree = ProcessTree(server.process.pid)
    try:
        yield UserServer(server, request.param)
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        finally:
            kill_tree(tree)


@dataclass(frozen=True)
class Published:
    """What the VoID description says of one dump."""

    path: str
    sha256: str
    size: int


def published_dumps(url: str) -> dict[str, Published]:
    """Each distribution of /dataset (Turtle): its download URL's path, SHA-256 and size."""
    response = requests.get(url + "/dataset", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    graph = Graph().parse(data=response.text, format="turtle", publicID=B + "dataset")
    found = {}
    for distribution, download in graph.subject_objects(DCAT.downloadURL):
        checksum = graph.value(distribution, SPDX.checksum)
        value = graph.value(checksum, SPDX.checksumValue) if checksum is not None else None
        size = graph.value(distribution, DCAT.byteSize)
        assert isinstance(download, URIRef) and str(download).startswith(B), download
        assert value is not None and size is not None, f"{download}: no checksum or size"
        path = "/" + str(download)[len(B) :]
        found[path.rsplit("/", 1)[-1]] = Published(path, str(value).lower(), int(size))
    assert found, "the VoID description names no dcat:downloadURL"
    return found


def listed_dumps(url: str) -> list[str]:
    response = requests.get(url + "/dumps/", headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return [entry["file"] for entry in response.json()["dumps"]]


def check_saved(saved: bytes, dump: Published, how: str) -> str | None:
    """None when the saved file is the one VoID describes, else what differs."""
    sha256 = hashlib.sha256(saved).hexdigest()
    if sha256 == dump.sha256 and len(saved) == dump.size:
        return None
    return (
        f"{dump.path} by {how}: saved {len(saved)} bytes, SHA-256 {sha256[:16]}…; "
        f"VoID publishes {dump.size} bytes, {dump.sha256[:16]}… ({saved[:80]!r})"
    )


def curl(url: str, target: Path, *flags: str) -> tuple[int, str]:
    """The real curl: `curl [flags] -sS -o FILE URL`; returns the HTTP status and stderr."""
    done = subprocess.run(
        ["curl", *flags, "-sS", "-o", str(target), "-w", "%{http_code}", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return int(done.stdout.strip() or 0), done.stderr


def test_every_dump_listed_is_described_in_void(served: UserServer) -> None:
    url = served.server.url
    assert sorted(listed_dumps(url)) == sorted(published_dumps(url))


@pytest.mark.skipif(shutil.which("curl") is None, reason="issue 8: needs the curl binary")
@pytest.mark.parametrize("flags", [("--compressed",), ()], ids=["curl --compressed", "curl"])
def test_dumps_download_with_compression_from_a_relative_dist(
    served: UserServer, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    """Issue 8 item 1, as seen: every /dumps/*.gz, and every dump asked for with
    `Accept-Encoding: gzip`, answered 500 when `dist` is relative (the README's way)."""
    url = served.server.url
    published = published_dumps(url)
    wrong = []
    for name in listed_dumps(url):
        dump = published[name]
        target = tmp_path / name
        status, errors = curl(url + dump.path, target, *flags)
        if status != 200:
            wrong.append(f"{dump.path}: {status} {errors.strip()} {_head(target)}")
            continue
        problem = check_saved(target.read_bytes(), dump, " ".join(("curl", *flags)))
        if problem:
            wrong.append(problem)
    assert not wrong, f"{served.how}:\n" + "\n".join(wrong) + _log_tail(served)


def test_dumps_download_with_requests_as_void_publishes(served: UserServer) -> None:
    """`requests` sends `Accept-Encoding: gzip, deflate` and decodes what it gets."""
    url = served.server.url
    published = published_dumps(url)
    wrong = []
    with requests.Session() as session:
        for name in listed_dumps(url):
            dump = published[name]
            response = session.get(url + dump.path, timeout=60)
            if response.status_code != 200:
                wrong.append(f"{dump.path}: {response.status_code} {response.text[:200]!r}")
                continue
            problem = check_saved(response.content, dump, "requests")
            if problem:
                wrong.append(problem)
    assert not wrong, f"{served.how}:\n" + "\n".join(wrong) + _log_tail(served)


def test_the_server_logged_no_traceback(served: UserServer) -> None:
    """After the downloads above: a 500 is answered cleanly, but its traceback is in the log."""
    found = traceback_in(served.server.log_text())
    assert found is None, f"{served.how}: a traceback in the server's log:\n{found}"


def _head(path: Path) -> str:
    return repr(path.read_bytes()[:200]) if path.exists() else ""


def _log_tail(served: UserServer) -> str:
    found = traceback_in(served.server.log_text())
    return f"\nthe server's log:\n{found}" if found else ""
