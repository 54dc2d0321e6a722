"""A soak run: 32 clients for a minute against a server started as the README starts it.

Why: SPEC §4 promises that under sustained load the server answers every request, correctly,
with no growth in memory, and issue 8 adds that it stops on `SIGTERM` within 5 s even with
runaway queries in flight. Each request of the other tests comes alone; leaks, pool exhaustion,
a worker that retires under load and never comes back, a graceful stop that waits for a query
that is never stopped: only sustained, mixed, concurrent load shows those.

The server is started the way `make serve` starts it: `ombudsman-kg serve --host 127.0.0.1
--port P`, default settings (time limit 10 s, `dist` relative to the working directory). The
mix: pages, SPARQL queries in several formats, every dump (plain and gzip-encoded, as `requests`
asks), and a few runaway queries (over the data, hungry for memory, over nothing) whose only
right answer is a 503. Every other answer must be a 200 whose body is byte for byte the one the
same request got before the load. Memory: PSS of the whole process tree (arbiter, workers,
query processes; from /proc/<pid>/smaps_rollup), sampled each second after a warm-up, the mean
of the last third within ±20 % of the first third's.

Duration: `OKG_SOAK_SECONDS` (60 in `make test`, the issue's number; longer under `make fuzz`).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import free_port
from fuzzing import SOAK_SECONDS, Launched, ProcessTree, kill_tree, launch, traceback_in
from httpcheck import DUMP_FILES

CLIENTS = 32
WARM_UP_S = 8.0
REQUEST_TIMEOUT_S = 20.0  # the default time limit is 10 s: a runaway query's 503 comes first
STOP_WITHIN_S = 5.0
MEMORY_TOLERANCE = 0.20
B = "https://w3id.org/ombudsman-kg/"
THING = "organization/oicoa"
JSON_RESULTS = "application/sparql-results+json"


def serve_command() -> list[str]:
    """`ombudsman-kg serve` as `make serve` runs it: the venv's console script."""
    script = Path(sys.executable).parent / "ombudsman-kg"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "ombudsman_kg.cli"]


@dataclass
class Soaked:
    server: Launched
    tree: ProcessTree


@pytest.fixture(scope="module")
def soaked(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Soaked]:
    """`ombudsman-kg serve --host 127.0.0.1 --port P` in a directory holding `dist/`, as the
    README's `make serve` runs it from the repo root (a copy, so that no one's rebuild of the
    working tree's dist/ can change it under the test)."""
    home = tmp_path_factory.mktemp("soak")
    shutil.copytree(built_dist, home / "dist", ignore=shutil.ignore_patterns("LOCK"))
    port = free_port()
    server = launch(
        [*serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=home,
        port=port,
        log=home / "serve.log",
        env={name: "" for name in os.environ if name.startswith("OKG_")},
    )
    tree = ProcessTree(server.process.pid)
    try:
        yield Soaked(server, tree)
    finally:
        kill_tree(tree)  # the test stops it with SIGTERM; this is for a test that failed first
        server.process.wait(timeout=30)


# ---------------------------------------------------------------- the mix


@dataclass(frozen=True)
class Ask:
    """One kind of request of the mix, and the status its answer must have."""

    name: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    accept: str = "*/*"
    encoding: str | None = None  # None: requests' own (gzip, deflate)
    status: int = 200
    weight: int = 1


SMALL_SELECT = (
    f"SELECT ?label WHERE {{ <{B}id/{THING}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
)
UNITS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?unit ?label WHERE { ?unit "
    "<http://www.w3.org/ns/org#unitOf> ?org ; rdfs:label ?label } ORDER BY ?unit ?label"
)
CONSTRUCT = f"CONSTRUCT {{ <{B}id/{THING}> ?p ?o }} WHERE {{ <{B}id/{THING}> ?p ?o }}"
RUNAWAY = (
    # over the data: a product of four patterns
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    # hungry for memory: a long string over a product (issue 8 item 8)
    'SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?a), STR(?c), STR(?f)); SEPARATOR=",")) AS ?n) '
    "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # over nothing: VALUES blocks multiplied (issue 8 item 2)
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {' '.join(str(j) for j in range(60))} }}" for i in range(6))
    + " }",
)
DUMPS = DUMP_FILES
MIX: tuple[Ask, ...] = (
    Ask("home", "/", accept="text/html", weight=3),
    Ask("page html", f"/doc/{THING}", accept="text/html", weight=4),
    Ask("page az", "/doc/person/sabina-aliyeva.html", weight=2),
    Ask("page ttl", f"/doc/{THING}.ttl", weight=3),
    Ask("iri → jsonld", f"/id/{THING}", accept="application/ld+json", weight=3),
    Ask("ontology page", "/ontology.html", weight=1),
    Ask("dataset", "/dataset", accept="text/turtle", weight=1),
    Ask("dumps list", "/dumps/", accept="application/json", weight=1),
    Ask("health", "/health", weight=2),
    Ask("select json", "/sparql", (("query", SMALL_SELECT),), JSON_RESULTS, weight=5),
    Ask("select csv", "/sparql", (("query", UNITS),), "text/csv", weight=3),
    Ask("construct", "/sparql", (("query", CONSTRUCT),), "text/turtle", weight=3),
    Ask("ask", "/sparql", (("query", "ASK { ?s ?p ?o }"),), JSON_RESULTS, weight=2),
    *(Ask(f"dump {name}", f"/dumps/{name}") for name in DUMPS),
    *(Ask(f"dump {name} identity", f"/dumps/{name}", encoding="identity") for name in DUMPS),
)
RUNAWAY_ASKS = tuple(
    Ask(f"runaway {i}", "/sparql", (("query", query),), JSON_RESULTS, status=503)
    for i, query in enumerate(RUNAWAY)
)
RUNAWAY_CLIENTS = 3  # of the 32: the rest send the ordinary mix


def fetch(session: requests.Session, url: str, ask: Ask, timeout: float) -> requests.Response:
    headers = {"Accept": ask.accept}
    if ask.encoding is not None:
        headers["Accept-Encoding"] = ask.encoding
    return session.get(url + ask.path, params=dict(ask.params), headers=headers, timeout=timeout)


def digest(ask: Ask, response: requests.Response) -> str:
    """The status and what the body says, in a form that does not depend on row order: answers
    without ORDER BY may come in another order from the on-disk store and from the in-memory
    copy each process reads in the background (README, `memory_max_quads`)."""
    body = response.content
    if response.status_code == 200 and ask.name == "construct":
        lines = sorted(str(t) for t in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
        body = "\n".join(lines).encode()
    elif response.status_code == 200 and ask.accept == JSON_RESULTS:
        answer = response.json()
        rows = answer.get("results", {}).get("bindings")
        if rows is not None:
            answer["results"]["bindings"] = sorted(json.dumps(row, sort_keys=True) for row in rows)
        body = json.dumps(answer, sort_keys=True).encode()
    return f"{response.status_code} {hashlib.sha256(body).hexdigest()}"


@dataclass
class Tally:
    lock: threading.Lock
    counts: Counter[str]
    errors: list[str]

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1


def expected_bodies(url: str) -> dict[str, str]:
    """Each ordinary request once, alone, before the load: what every answer must equal."""
    expected = {}
    with requests.Session() as session:
        for ask in MIX:
            response = fetch(session, url, ask, timeout=30)
            expected[ask.name] = digest(ask, response)
    return expected


def run_clients(
    url: str, seconds: float, expected: dict[str, str], tally: Tally, tick: Callable[[], None]
) -> None:
    """32 clients for `seconds`, calling `tick` about once a second meanwhile."""
    deadline = time.monotonic() + seconds
    weighted = [ask for ask in MIX for _ in range(ask.weight)]

    def client(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - a load mix, not cryptography
        with requests.Session() as session:
            while time.monotonic() < deadline:
                runaway = number < RUNAWAY_CLIENTS
                ask = RUNAWAY_ASKS[number % len(RUNAWAY_ASKS)] if runaway else rng.choice(weighted)
                try:
                    response = fetch(session, url, ask, timeout=REQUEST_TIMEOUT_S)
                except requests.RequestException as error:
                    tally.error(f"{ask.name}: {type(error).__name__}: {error}")
                    continue
                tally.count(ask.name)
                got = digest(ask, response)
                if response.status_code != ask.status:
                    tally.error(f"{ask.name}: {response.status_code} {response.text[:200]!r}")
                elif not runaway and got != expected[ask.name]:
                    tally.error(f"{ask.name}: another body than before the load")
                found = traceback_in(response.content.decode("utf-8", "replace"))
                if found:
                    tally.error(f"{ask.name}: a traceback: {found[:300]}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    while time.monotonic() < deadline:
        tick()
        time.sleep(1.0)
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_S + 5)


def test_32_clients_for_a_minute_get_right_answers_in_flat_memory_and_sigterm_stops_all(
    soaked: Soaked,
) -> None:
    url = soaked.server.url
    expected = expected_bodies(url)
    not_ok = {name: got[:3] for name, got in expected.items() if not got.startswith("200 ")}
    tally = Tally(threading.Lock(), Counter(), [])
    run_clients(url, WARM_UP_S, expected, tally, lambda: None)
    warm_up_errors = list(tally.errors)
    tally.errors.clear()
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    run_clients(
        url,
        SOAK_SECONDS,
        expected,
        tally,
        lambda: samples.append((time.monotonic() - started, soaked.tree.pss_bytes())),
    )

    # after the load: runaway queries in flight, then SIGTERM; the whole tree gone within 5 s
    in_flight = [
        threading.Thread(
            target=lambda ask=ask: _ignore_errors(lambda: fetch(requests.Session(), url, ask, 30)),
            daemon=True,
        )
        for ask in RUNAWAY_ASKS * 2
    ]
    for thread in in_flight:
        thread.start()
    time.sleep(1.0)
    pids = soaked.tree.pids()
    soaked.server.process.send_signal(signal.SIGTERM)
    stop_started = time.monotonic()
    while time.monotonic() - stop_started < STOP_WITHIN_S + 5 and soaked.tree.pids():
        time.sleep(0.05)
    stopped_after = time.monotonic() - stop_started
    left = soaked.tree.pids()
    left_described = soaked.tree.describe()
    kill_tree(soaked.tree)
    soaked.server.process.wait(timeout=10)

    third = max(1, len(samples) // 3)
    first = statistics.mean(pss for _, pss in samples[:third]) if samples else 0
    last = statistics.mean(pss for _, pss in samples[-third:]) if samples else 0
    summary = (
        f"{sum(tally.counts.values())} answers in {SOAK_SECONDS:g} s "
        f"({dict(sorted(tally.counts.items()))}); "
        f"PSS first third {first / 2**20:.0f} MiB, last third {last / 2**20:.0f} MiB; "
        f"tree of {len(pids)} processes stopped after {stopped_after:.1f} s"
    )
    errors = Counter(error[:160] for error in warm_up_errors + tally.errors)
    problems = []  # every broken promise, all in one report
    if not_ok:
        problems.append(f"before the load, alone, these did not answer 200: {not_ok}")
    if errors:
        problems.append(
            f"{sum(errors.values())} wrong answers under load (warm-up included):\n"
            + "\n".join(f"  {n} × {e}" for e, n in errors.most_common(20))
        )
    if len(samples) < 6:
        problems.append(f"only {len(samples)} memory samples")
    elif abs(last - first) > MEMORY_TOLERANCE * first:
        problems.append(
            f"memory of the process tree not flat within ±{MEMORY_TOLERANCE:.0%} (MiB by s): "
            + " ".join(f"{t:.0f}s:{pss / 2**20:.0f}" for t, pss in samples)
        )
    if left:
        problems.append(
            f"{len(left)} processes still alive {stopped_after:.1f} s after SIGTERM with "
            f"runaway queries in flight:\n{left_described}"
        )
    elif stopped_after > STOP_WITHIN_S:
        problems.append(f"SIGTERM took {stopped_after:.1f} s to stop the tree")
    found = traceback_in(soaked.server.log_text())
    if found is not None:
        problems.append(f"a traceback in the server's log:\n{found}")
    assert not problems, summary + "\n" + "\n".join(problems)


def _ignore_errors(call: Callable[[], object]) -> None:
    try:
        call()
    except requests.RequestException:
        pass
