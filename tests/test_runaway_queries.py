"""Generated runaway queries: each is stopped at its limit, nobody waits, nothing keeps burning.

Why: the time-limit tests used one slow query, a product of the data's triples, and passed; a
query whose work needs no data at all (`VALUES` blocks multiplied together) was evaluated where
no limit applies and never stopped (issue 8 item 2), and a long `GROUP_CONCAT` over a product
reached 2.4 GiB in its 10 s (item 8). So here hypothesis writes the runaway queries: products of
`VALUES` blocks, `BIND` chains, nested sub-selects, property paths over negated property sets,
`REGEX` over cross products, `GROUP_CONCAT` and `DISTINCT` over products (hungry for memory),
over the real data (~1,100 triples) or over nothing, in every query form (SELECT, ASK,
CONSTRUCT, DESCRIBE), sent by every protocol method.

Each must get its 503 within the limit plus 1 s, measured from the request's send (limit 2 s,
`OKG_QUERY_TIMEOUT_S`; memory limit 256 MiB, `OKG_QUERY_MEMORY_MB`), naming the limit; while it
runs, `/health`, a page and a small SELECT each answer in under 1 s; and, on the embedded store,
the server's whole process tree burns no more than 0.3 s of CPU in the 2 s after the 503 (the
query was stopped, not just abandoned). On the remote store (`sparql:` against Oxigraph server)
only the client's 503 on time is promised: Oxigraph server keeps computing what it was asked
(its own `--timeout-s` does not stop it in 0.5.13), so probes there would measure Oxigraph's
backlog, and its CPU is not ours; it runs on an Oxigraph server of this module's own, killed at
the end.

Budgets: `budget(n)` seeded examples (tests/fuzzing.py), no shrinking (every example costs
seconds; the failing query is printed whole); `make fuzz` runs more.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import quote

import pytest
import requests
from conftest import start_server
from fuzzing import (
    Answer,
    LogDrain,
    ProcessTree,
    budget,
    kill_tree,
    names_memory_limit,
    names_time_limit,
    raw_request,
    traceback_in,
)
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from oxigraph_server import Oxigraph, load_dist, start_oxigraph

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 256
MARGIN_S = 1.0
PROBE_LIMIT_S = 1.0
CPU_AFTER_S = 2.0
CPU_ALLOWED_S = 0.3
B = "https://w3id.org/ombudsman-kg/"
THING = "organization/oicoa"
SMALL_SELECT = (
    "SELECT ?label WHERE { <" + B + "id/" + THING + "> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


@dataclass
class Runaway:
    """A server of this module's own, with the short limits; restarted after a failure, since
    a query that was not stopped keeps a worker (or the machine) busy for good."""

    built_dist: Path
    store: str
    extra: tuple[str, ...]
    env: dict[str, str]
    url: str = ""
    process: Any = None
    tree: ProcessTree | None = None
    log: LogDrain | None = None
    warmed: bool = False
    sent: dict[str, int] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.process, self.url = start_server(self.built_dist, *self.extra, env=self.env)
        self.tree = ProcessTree(self.process.pid)
        self.log = LogDrain(self.process)
        self.warmed = False

    def stop(self) -> None:
        if self.tree is not None:
            kill_tree(self.tree)
        if self.process is not None:
            self.process.wait(timeout=30)
        if self.log is not None:
            if self.log.thread is not None:
                self.log.thread.join(timeout=5)
            self.logs.append(self.log.text())

    def restart(self) -> None:
        self.stop()
        self.start()


def runaway_server(
    request: pytest.FixtureRequest, built_dist: Path, tmp: Path, env: dict[str, str]
) -> Iterator[Runaway]:
    oxigraph: Oxigraph | None = None
    extra: tuple[str, ...] = ()
    if request.param == "remote":
        oxigraph = start_oxigraph(tmp / "oxigraph")
        load_dist(built_dist, oxigraph)
        extra = ("--store", "sparql:" + oxigraph.query_url)
    server = Runaway(built_dist, request.param, extra, env)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if oxigraph is not None:  # still computing every runaway query it was sent
            oxigraph.process.kill()
            oxigraph.process.wait()


@pytest.fixture(scope="module", params=["embedded", "remote"])
def runaway(
    request: pytest.FixtureRequest, built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runaway]:
    env = {"OKG_QUERY_TIMEOUT_S": f"{TIME_LIMIT_S:g}", "OKG_QUERY_MEMORY_MB": str(MEMORY_LIMIT_MB)}
    yield from runaway_server(request, built_dist, tmp_path_factory.mktemp("runaway"), env)


# ---------------------------------------------------------------- the queries

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
WAYS = ("GET", "POST form", "POST direct")
TRIPLES = 1000  # about what one ?s ?p ?o pattern matches in the real data
PATH_SETS = (
    "!(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)",
    "!(<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>|<http://www.w3.org/2000/01/rdf-schema#label>)",
    "!(^<http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>)",
)


@dataclass
class Core:
    """A group graph pattern, the variables it binds, and whether it needs the data."""

    pattern: str
    values: list[str]
    rows: float


def factor(rng: Random, index: int, data: bool) -> Core:
    """One factor of a product: a triple pattern over the data, or a VALUES block."""
    if data and rng.random() < 0.6:
        return Core(f"?s{index} ?p{index} ?o{index} .", [f"?o{index}"], TRIPLES)
    count = rng.randint(40, 120)
    strings = rng.random() < 0.5
    items = " ".join(f'"v{j}"' if strings else str(j) for j in range(count))
    return Core(f"VALUES ?v{index} {{ {items} }}", [f"?v{index}"], count)


def product(rng: Random, data: bool, rows: float) -> Core:
    """Factors until the product has at least `rows` rows (far past 2 s of work); over the data,
    at least one triple pattern. `values` holds one variable of each factor."""
    factors: list[Core] = []
    total = 1.0
    while total < rows or len(factors) < 2:
        factors.append(factor(rng, len(factors), data))
        total *= factors[-1].rows
    if data and not any(f.pattern.startswith("?s") for f in factors):
        factors[0] = Core("?s0 ?p0 ?o0 .", ["?o0"], TRIPLES)
    return Core(" ".join(f.pattern for f in factors), [v for f in factors for v in f.values], 0)


KINDS = ("product", "bind", "subselect", "regex", "group_concat", "distinct", "path")


def runaway_query(rng: Random, data: bool, form: str) -> str:
    """A query that would run for minutes or exhaust memory, were it not stopped.

    Every condition and every aggregate reads a key made of one variable of *each* factor of
    the product: a filter on fewer would be pushed down by the optimiser (onto one factor, or
    a join of two), where it empties the product at once.
    """
    kind = rng.choice(KINDS if data else KINDS[:-1])
    aggregate = None
    core = product(rng, data, 1e11 if kind in ("product", "bind", "subselect") else 1e9)
    if kind == "path":
        path_set = rng.choice(PATH_SETS)
        repeat = rng.choice("*+")
        core.pattern += f" ?x ({path_set}){repeat} ?y . ?y ({path_set}){repeat} ?z ."
        core.values.append("?z")
    key = "CONCAT(" + ", ".join(f"STR({v})" for v in core.values) + ")"
    if kind == "bind":
        previous = key
        for step in range(rng.randint(2, 6)):
            other = core.values[step % len(core.values)]
            core.pattern += f" BIND(CONCAT({previous}, STR({other})) AS ?b{step})"
            previous = f"?b{step}"
        key = previous
    elif kind == "subselect":
        for _ in range(rng.randint(1, 4)):
            core.pattern = f"{{ SELECT * WHERE {{ {core.pattern} }} }}"
    elif kind == "regex":
        core.pattern += f' FILTER(REGEX({key}, "^(.*a){{3}}.*zzq$", "i"))'
    elif kind == "group_concat":
        padding = "x" * rng.randint(10, 200)
        aggregate = f'GROUP_CONCAT(CONCAT({key}, "{padding}"); SEPARATOR=",")'
    elif kind == "distinct":
        core.pattern = f"{{ SELECT DISTINCT ?k WHERE {{ {core.pattern} BIND({key} AS ?k) }} }}"
        key = "?k"
    if aggregate or kind in ("distinct", "regex") or rng.random() < 0.5:
        aggregate = aggregate or rng.choice(
            ("COUNT(*)", f"SUM(STRLEN({key}))", f"MAX({key})", f"SAMPLE({key})")
        )
        if aggregate.startswith("SAMPLE"):
            aggregate = f"COUNT(DISTINCT {key})"
        where = f"{{ SELECT ({aggregate} AS ?n) WHERE {{ {core.pattern} }} }}"
        value = "?n"
        never = "FILTER(STRLEN(STR(?n)) < 0)"
    else:  # no aggregate: a condition no row meets, so that every row is tried
        where = f"{core.pattern} FILTER(STRLEN({key}) < 0)"
        value = core.values[0]
        never = ""
    if form == "SELECT":
        return f"SELECT (STRLEN(STR({value})) AS ?length) WHERE {{ {where} }} LIMIT 1"
    if form == "ASK":
        return f"ASK {{ {where} {never} }}"
    if form == "CONSTRUCT":
        return (
            "CONSTRUCT { <urn:okg-test:r> <urn:okg-test:n> ?out } "
            f"WHERE {{ {where} BIND(STRLEN(STR({value})) AS ?out) }}"
        )
    return (
        f"DESCRIBE ?described WHERE {{ {where} "
        f'BIND(IRI(CONCAT("urn:okg-test:", MD5(STR({value})))) AS ?described) }}'
    )


def runaway_queries(form: str) -> st.SearchStrategy[str]:
    """Runaway queries of one form, over the data or over nothing. Built from a seeded random
    source rather than from hypothesis' structure: with a budget of a few examples, the first
    (hypothesis' simplest) would otherwise always be the same product of VALUES."""
    return st.builds(
        lambda rng, data: runaway_query(rng, data, form),
        st.randoms(use_true_random=True),
        st.sampled_from((True, False)),  # the first example over the data: the regression
        # tests below already send the products of VALUES alone in every form
    )


# ---------------------------------------------------------------- running one, with probes


@dataclass
class Run:
    answer: Answer
    probes: dict[str, list[tuple[float, int]]]
    cpu_after: float | None


def send(url: str, way: str, query: str, timeout: float) -> Answer:
    headers = [("Accept", "*/*")]
    if way == "GET" and len(quote(query, safe="")) < 3500:  # a longer request line is a 414
        return raw_request(
            url,
            "GET",
            ("/sparql?query=" + quote(query, safe="")).encode(),
            headers,
            timeout=timeout,
        )
    if way == "POST direct":
        return raw_request(
            url,
            "POST",
            b"/sparql",
            [*headers, ("Content-Type", "application/sparql-query")],
            query.encode(),
            timeout=timeout,
        )
    return raw_request(
        url,
        "POST",
        b"/sparql",
        [*headers, ("Content-Type", "application/x-www-form-urlencoded")],
        ("query=" + quote(query, safe="")).encode(),
        timeout=timeout,
    )


def probe_requests(url: str) -> dict[str, Any]:
    return {
        "/health": lambda: requests.get(url + "/health", timeout=10),
        f"/doc/{THING} (a page)": lambda: requests.get(
            f"{url}/doc/{THING}", headers={"Accept": "text/html"}, timeout=10
        ),
        "small SELECT": lambda: requests.get(
            url + "/sparql",
            params={"query": SMALL_SELECT},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        ),
    }


def run_with_probes(server: Runaway, query: str, way: str, *, probe: bool) -> Run:
    """Send the runaway query; meanwhile probe; after its answer, measure the CPU spent."""
    probes = probe_requests(server.url)
    if not server.warmed:  # a fresh server starts query processes and learns shapes first
        for _ in range(8):
            for call in probes.values():
                call()
        server.warmed = True
    done = threading.Event()
    timings: dict[str, list[tuple[float, int]]] = {name: [] for name in probes} if probe else {}

    def keep_probing(name: str) -> None:
        time.sleep(0.1)
        while True:  # at least once, even if the query was stopped at once (memory)
            started = time.monotonic()
            try:
                status = probes[name]().status_code
            except requests.RequestException:
                status = 0
            timings[name].append((time.monotonic() - started, status))
            if done.is_set():
                return
            time.sleep(0.05)

    threads = [threading.Thread(target=keep_probing, args=(n,)) for n in probes] if probe else []
    for thread in threads:
        thread.start()
    try:
        answer = send(server.url, way, query, timeout=TIME_LIMIT_S + MARGIN_S + 2)
    finally:
        done.set()
    cpu_after = None
    if server.store == "embedded" and server.tree is not None:
        before = server.tree.cpu_seconds()
        time.sleep(CPU_AFTER_S)
        cpu_after = server.tree.cpu_seconds() - before
    for thread in threads:
        thread.join(timeout=20)
    return Run(answer, timings, cpu_after)


def check_runaway(server: Runaway, query: str, way: str, *, probe: bool = True) -> None:
    """The promises of issue 8 for one runaway query; restarts the server if one is broken."""
    run = run_with_probes(server, query, way, probe=probe and server.store == "embedded")
    try:
        assert_stopped(server, run, query, way)
    except AssertionError:
        server.restart()
        raise


def assert_stopped(server: Runaway, run: Run, query: str, way: str) -> None:
    answer = run.answer
    what = f"{server.store}, {way}: {query}"
    assert answer.status == 503, (
        f"{what}\n→ {answer.status or 'no answer'} after {answer.seconds:.1f} s: "
        f"{answer.text[:300]}"
    )
    assert answer.seconds <= TIME_LIMIT_S + MARGIN_S, (
        f"{what}\n→ its 503 came {answer.seconds:.2f} s after the send "
        f"(limit {TIME_LIMIT_S:g} s + {MARGIN_S:g} s)"
    )
    time_named = names_time_limit(answer.text, TIME_LIMIT_S)
    memory_named = names_memory_limit(answer.text, MEMORY_LIMIT_MB)
    assert time_named or memory_named, f"{what}\n→ the 503 names no limit: {answer.text[:300]}"
    if time_named and not memory_named:
        assert answer.seconds >= 0.9 * TIME_LIMIT_S, (
            f"{what}\n→ a 503 for the {TIME_LIMIT_S:g} s limit after {answer.seconds:.2f} s"
        )
    found = traceback_in(answer.text)
    assert found is None, f"{what}\n→ a traceback: {found}"
    for name, samples in run.probes.items():
        assert samples, f"{what}\n→ {name} never answered while the query ran"
        failed = [status for _, status in samples if status != 200]
        assert not failed, f"{what}\n→ {name} answered {failed} while the query ran"
        slowest = max(seconds for seconds, _ in samples)
        assert slowest < PROBE_LIMIT_S, f"{what}\n→ {name} took {slowest:.2f} s while the query ran"
    if run.cpu_after is not None:
        assert run.cpu_after <= CPU_ALLOWED_S, (
            f"{what}\n→ the server's processes burnt {run.cpu_after:.2f} s of CPU in the "
            f"{CPU_AFTER_S:g} s after the 503: the query was abandoned, not stopped\n"
            + (server.tree.describe() if server.tree else "")
        )


# ---------------------------------------------------------------- generated


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=budget(2), phases=NO_SHRINK)
@given(data=st.data(), way=st.sampled_from(WAYS))
def test_generated_runaway_queries_are_stopped_at_the_limit_and_hold_up_nobody(
    runaway: Runaway, form: str, data: st.DataObject, way: str
) -> None:
    """Every form, each with generated cores; on the remote store only the first example of
    each form is sent: each one keeps a core of Oxigraph server busy until this module ends."""
    query = data.draw(runaway_queries(form), label="query")
    if runaway.store == "remote":
        if runaway.sent.get(form, 0) >= budget(1):
            return
        runaway.sent[form] = runaway.sent.get(form, 0) + 1
    check_runaway(runaway, query, way)


# ---------------------------------------------------------------- regressions, named for them


@pytest.mark.parametrize("form", FORMS)
def test_a_query_that_needs_no_data_is_stopped_at_the_time_limit(
    runaway: Runaway, form: str
) -> None:
    """Issue 8 item 2, as seen: VALUES blocks multiplied under an aggregate were evaluated while
    the query was checked, outside any limit: no 503 ever, a core busy until the process died."""
    values = " ".join(f"VALUES ?v{i} {{ {' '.join(str(j) for j in range(60))} }}" for i in range(6))
    where = f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ {values} }} }}"
    query = {
        "SELECT": f"SELECT ?n WHERE {where}",
        "ASK": f"ASK {{ {where} FILTER(?n < 0) }}",
        "CONSTRUCT": f"CONSTRUCT {{ <urn:okg-test:r> <urn:okg-test:n> ?n }} WHERE {where}",
        "DESCRIBE": (
            f'DESCRIBE ?d WHERE {{ {where} BIND(IRI(CONCAT("urn:okg-test:", STR(?n))) AS ?d) }}'
        ),
    }[form]
    check_runaway(runaway, query, "POST form")


def test_a_query_over_the_data_with_a_big_values_part_is_stopped_at_the_time_limit(
    runaway: Runaway,
) -> None:
    """Found by the generated queries, beyond item 2 as reported: a query that does need the
    data (it has a triple pattern) is evaluated in the check too, since an empty store still
    computes the product of the VALUES blocks before it reaches the empty pattern (10^8 rows
    here: about 40 s of one core in pyoxigraph 0.5, no data needed). A check that only skips
    queries with no triple pattern would not stop it."""
    values = " ".join(
        f"VALUES ?v{i} {{ {' '.join(str(j) for j in range(100))} }}" for i in range(4)
    )
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {values} ?s ?p ?o }}"
    check_runaway(runaway, query, "GET")


def test_a_product_of_the_data_is_stopped_at_the_time_limit(runaway: Runaway) -> None:
    """The case the suite always covered (data-dependent), kept beside the generated ones."""
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } "
        "GRAPH ?y { ?g ?h ?i } GRAPH ?z { ?j ?k ?l } }"
    )
    check_runaway(runaway, query, "GET")


def test_six_runaway_queries_at_once_hold_up_no_quick_query(runaway: Runaway) -> None:
    """Found beyond the issue's list: with six runaway queries in flight at once (four each,
    one after another, 2 s limit), a few of ~1,300 small SELECTs got the 503 of the time limit.
    SPEC §4: a slow query never holds up other requests. Embedded only: on `sparql:` the quick
    query waits on Oxigraph server, which keeps computing every runaway query it was sent."""
    if runaway.store == "remote":
        pytest.skip("issue 8: on sparql: only the client's 503 on time is promised")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    answers: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def call(name: str, query: str) -> None:
        started = time.monotonic()
        status = requests.get(
            runaway.url + "/sparql", params={"query": query}, timeout=30
        ).status_code
        with lock:
            answers.append((name, status, time.monotonic() - started))

    def runaway_client(number: int) -> None:
        for round_ in range(4):
            call("runaway", f"{slow} # {number} {round_}")

    clients = [threading.Thread(target=runaway_client, args=(n,)) for n in range(6)]
    for thread in clients:
        thread.start()
    while any(thread.is_alive() for thread in clients):
        call("small", SMALL_SELECT)
    for thread in clients:
        thread.join()
    small = [(status, seconds) for name, status, seconds in answers if name == "small"]
    refused = [status for status, _ in small if status != 200]
    slowest = max(seconds for _, seconds in small)
    try:
        assert [s for n, s, _ in answers if n == "runaway"] == [503] * 24
        assert not refused, f"{len(refused)} of {len(small)} small SELECTs answered {refused}"
        assert slowest < PROBE_LIMIT_S, f"a small SELECT took {slowest:.2f} s"
    except AssertionError:
        runaway.restart()
        raise


@pytest.fixture(scope="module", params=["embedded"])
def memory_bound(
    request: pytest.FixtureRequest, built_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runaway]:
    """A time limit long enough (8 s) that only the memory limit can stop the query in time."""
    env = {"OKG_QUERY_TIMEOUT_S": "8", "OKG_QUERY_MEMORY_MB": str(MEMORY_LIMIT_MB)}
    yield from runaway_server(request, built_dist, tmp_path_factory.mktemp("memory"), env)


def test_a_memory_hungry_query_gets_503_naming_the_memory_limit(memory_bound: Runaway) -> None:
    """Issue 8 item 8, as seen: GROUP_CONCAT over three patterns reached 2.4 GiB in 10 s. With
    `query_memory_mb` at 256 it must be stopped by that limit (long before the 8 s one), with a
    503 naming it, and the server must live on. Only on the embedded store: on `sparql:` the
    evaluating process is the remote engine's."""
    # A kilobyte per row: the string outgrows the limit within a few hundred thousand rows, so
    # that the memory limit, not the 8 s one, stops it even on a loaded machine (in a full run a
    # remote store still computing earlier runaway queries left this one little CPU).
    padding = "p" * 1000
    query = (
        f'SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?a), STR(?c), STR(?f), "{padding}"); '
        'SEPARATOR=",")) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'
    )
    started = time.monotonic()
    answer = send(memory_bound.url, "POST form", query, timeout=30)
    seconds = time.monotonic() - started
    try:
        assert answer.status == 503, (answer.status, seconds, answer.text[:300])
        assert names_memory_limit(answer.text, MEMORY_LIMIT_MB), (
            f"after {seconds:.1f} s, the 503 does not name the {MEMORY_LIMIT_MB} MiB memory "
            f"limit: {answer.text[:300]}"
        )
        assert seconds < 8, f"the memory limit stopped nothing: 503 after {seconds:.1f} s"
        health = requests.get(memory_bound.url + "/health", timeout=10)
        assert health.status_code == 200, "the server did not live on"
        small = requests.get(
            memory_bound.url + "/sparql", params={"query": SMALL_SELECT}, timeout=10
        )
        assert small.status_code == 200 and small.json()["results"]["bindings"]
    except AssertionError:
        memory_bound.restart()
        raise


def test_the_servers_logged_no_traceback(runaway: Runaway) -> None:
    """After this module's runaway queries: stopping them must not crash anything inside."""
    if runaway.log is None or not runaway.log.available:
        pytest.skip(  # issue 8: the log is checked where the server's stderr can be read
            "start_server kept no stderr pipe to read (conftest's choice): nothing to check"
        )
    for log in [*runaway.logs, runaway.log.text()]:
        found = traceback_in(log)
        assert found is None, f"a traceback in the server's log ({runaway.store}):\n{found}"
