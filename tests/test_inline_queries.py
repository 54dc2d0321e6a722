"""Quick queries run in the server worker; one that overruns there still gets its 503 on time,
and its worker retires so that the computation stops (`store.placement`, SPEC §4).

The live test starts its own `ombudsman-kg serve`: it makes a worker retire, which the shared
server of the HTTP suite should not see.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import start_server, stop_server

from ombudsman_kg.store import placement
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.placement import Placement, shape_of

LIMIT_S = 3
# One shape, two costs: nothing has the object <urn:…> so the count is 0 at once, while rdf:type
# objects abound and the three free patterns multiply them past any limit.
SHAPE = "SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{}> . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }}"
QUICK = SHAPE.format("urn:okg-test:nothing")
NEVER_ENDING = SHAPE.format("http://www.w3.org/ns/org#Membership")
JSON_RESULTS = "application/sparql-results+json"


def request_of(text: str, *graphs: str) -> QueryRequest:
    return QueryRequest(text, "SELECT", JSON_RESULTS, tuple(graphs))


# ---------------------------------------------------------------- shapes


def test_a_shape_blanks_iris_literals_and_comments_and_keeps_the_rest() -> None:
    one = 'SELECT ?x WHERE { <http://a/1> ?p "one"@en . # why\n ?x ?q 5 } LIMIT 10'
    other = "SELECT  ?x WHERE { <http://b/2> ?p 'two'@az-Latn .\n ?x ?q 5 }  LIMIT 10"
    assert shape_of(request_of(one)) == shape_of(request_of(other))
    assert "http" not in shape_of(request_of(one)) and "why" not in shape_of(request_of(one))


@pytest.mark.parametrize(
    "different",
    [
        'SELECT ?y WHERE { <http://a/1> ?p "one"@en . ?x ?q 5 } LIMIT 10',  # another variable
        'SELECT ?x WHERE { <http://a/1> ?p "one"@en . ?x ?q 6 } LIMIT 10',  # another number
        'SELECT ?x WHERE { <http://a/1> ?p "one"@en . ?x ?q 5 } LIMIT 99',  # another limit
        'SELECT ?x WHERE { <http://a/1> ?p "one"@en . ?x ?q 5 . ?x ?r ?s } LIMIT 10',
    ],
)
def test_a_shape_differs_when_the_structure_does(different: str) -> None:
    base = 'SELECT ?x WHERE { <http://a/1> ?p "one"@en . ?x ?q 5 } LIMIT 10'
    assert shape_of(request_of(base)) != shape_of(request_of(different))


def test_a_shape_counts_the_protocol_graphs() -> None:
    assert shape_of(request_of(QUICK)) != shape_of(request_of(QUICK, "http://g/1"))


def test_a_string_with_a_hash_or_an_iri_inside_is_one_constant() -> None:
    text = 'SELECT * WHERE { ?s ?p "a # not a comment <http://x> }" }'
    assert shape_of(request_of(text)).endswith('?s ?p "" }')


# ---------------------------------------------------------------- what the worker trusts


@pytest.fixture
def can_retire() -> Any:
    retired: list[bool] = []
    placement.allow_inline(lambda: retired.append(True))
    yield retired
    placement._retire = None
    placement._retiring.clear()


def test_nothing_runs_inline_without_a_way_to_retire() -> None:
    rules = Placement(timeout_s=10, threads=2)
    rules.learn("shape", 0.001)
    assert not rules.inline("shape")


def test_a_shape_is_trusted_after_one_quick_run_and_no_longer_after_a_slow_one(
    can_retire: list[bool],
) -> None:
    rules = Placement(timeout_s=10, threads=2)
    assert rules.fast_s == 1.0
    assert not rules.inline("shape")
    rules.learn("shape", 0.2)
    assert rules.inline("shape")
    rules.learn("shape", 1.5)
    assert not rules.inline("shape")
    assert Placement(timeout_s=3, threads=2).fast_s == pytest.approx(0.3)


def test_an_overrun_inline_gives_up_on_time_distrusts_the_shape_and_retires_once(
    can_retire: list[bool],
) -> None:
    rules = Placement(timeout_s=10, threads=2)
    rules.learn("shape", 0.01)
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        rules.run("shape", lambda: bytes(release.wait(30)), timeout_s=0.3)
    assert time.monotonic() - started < 1.0
    assert not rules.inline("shape")
    assert can_retire == [True]
    assert placement.busy()
    with pytest.raises(TimeoutError):
        rules.run("other", lambda: bytes(release.wait(30)), timeout_s=0.1)
    assert can_retire == [True], "a worker retires once"
    assert not rules.inline("other"), "a retiring worker runs nothing more inline"
    release.set()


def test_a_query_past_the_memory_limit_inline_gives_up_distrusts_the_shape_and_retires(
    can_retire: list[bool],
) -> None:
    """Issue 8: the memory limit holds in the worker too, watched while the query runs."""
    rules = Placement(timeout_s=10, threads=2, memory_limit_bytes=32 << 20)
    rules.learn("hungry", 0.01)
    release = threading.Event()

    def hungry() -> bytes:
        held = [bytearray(8 << 20) for _ in range(16)]  # 128 MiB, touched
        release.wait(10)
        return b"%d" % len(held)

    started = time.monotonic()
    with pytest.raises(MemoryError):
        rules.run("hungry", hungry, timeout_s=8)
    assert time.monotonic() - started < 3.0
    assert not rules.inline("hungry")
    assert can_retire == [True]
    release.set()


def test_a_query_within_the_memory_limit_inline_is_answered(can_retire: list[bool]) -> None:
    rules = Placement(timeout_s=10, threads=2, memory_limit_bytes=256 << 20)
    assert rules.run("small", lambda: b"%d" % len(bytearray(4 << 20)), timeout_s=5) == b"4194304"
    assert can_retire == []


def test_an_error_inline_reaches_the_caller(can_retire: list[bool]) -> None:
    rules = Placement(timeout_s=10, threads=2)

    def fail() -> bytes:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        rules.run("shape", fail, timeout_s=5)
    assert rules.run("shape", lambda: b"yes", timeout_s=5) == b"yes"


# ---------------------------------------------------------------- a real server


def place(response: requests.Response) -> str:
    """Where the `Server-Timing` header says the query ran."""
    match = re.search(r'desc="([^"]+)"', response.headers.get("Server-Timing", ""))
    assert match, dict(response.headers)
    return match.group(1)


def ask(url: str, text: str, timeout: float = 30) -> requests.Response:
    return requests.get(
        url + "/sparql", params={"query": text}, headers={"Accept": JSON_RESULTS}, timeout=timeout
    )


def descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = [int(child) for child in children]
    return found + [grand for child in found for grand in descendants(child)]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def test_quick_shapes_run_in_the_worker_and_an_overrun_there_is_stopped(built_dist: Path) -> None:
    process, url = start_server(built_dist, env={"OKG_QUERY_TIMEOUT_S": str(LIMIT_S)})
    try:
        first = ask(url, QUICK)
        assert first.status_code == 200 and place(first) == "child", first.headers
        assert first.json()["results"]["bindings"][0]["n"]["value"] == "0"
        # Each worker learns the shape from its own first run: after a few, both have.
        places = [place(ask(url, QUICK)) for _ in range(30)]
        assert "inline" in places, places

        # The never-ending one, of the same shape, until it lands in a worker that trusts it.
        for _attempt in range(4):
            workers = set(descendants_of_arbiter(process.pid))
            slow, probe_seconds, failures = slow_query_with_probes(url)
            if place(slow) == "inline":
                break
            for _ in range(10):
                ask(url, QUICK)
        else:
            pytest.fail("the never-ending query never ran in a worker that trusted its shape")
        assert slow.status_code == 503
        assert f"{LIMIT_S} s" in slow.text, slow.text
        assert not failures, failures
        assert max(probe_seconds) < 1.0, f"a probe waited {max(probe_seconds):.2f} s"

        # The worker that ran it retires and the computation stops with it.
        deadline = time.monotonic() + LIMIT_S + 20
        while time.monotonic() < deadline:
            now = set(descendants_of_arbiter(process.pid))
            if not workers <= now:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"no worker retired: {workers}")
        time.sleep(1)
        tree = descendants(process.pid)
        before = cpu_seconds(tree)
        time.sleep(2)
        assert cpu_seconds(tree) - before < 0.5, "something still computes after the retirement"
        after = ask(url, QUICK)
        assert after.status_code == 200
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "0"
    finally:
        stop_server(process)


HUNGRY_SHAPE = "SELECT (GROUP_CONCAT(STR(?c)) AS ?x) WHERE {{ ?s ?p <{}> . ?a ?b ?c . ?d ?e ?f }}"


def test_a_trusted_shape_that_turns_hungry_in_the_worker_gets_503_naming_the_memory_limit(
    built_dist: Path,
) -> None:
    """Issue 8: every query has a memory limit, whichever process evaluates it."""
    process, url = start_server(
        built_dist, env={"OKG_QUERY_TIMEOUT_S": "20", "OKG_QUERY_MEMORY_MB": "64"}
    )
    try:
        quick = HUNGRY_SHAPE.format("urn:okg-test:nothing")
        hungry = HUNGRY_SHAPE.format("http://www.w3.org/ns/org#Membership")
        for _attempt in range(6):
            for _ in range(10):
                assert ask(url, quick).status_code == 200
            started = time.monotonic()
            answer = ask(url, hungry, timeout=60)
            if place(answer) == "inline":
                break
        else:
            pytest.fail("the hungry query never ran in a worker that trusted its shape")
        assert answer.status_code == 503, answer.text
        assert "memory limit of 64 MiB" in answer.text
        assert time.monotonic() - started < 10
        assert requests.get(url + "/health", timeout=5).status_code == 200
    finally:
        stop_server(process)


def descendants_of_arbiter(pid: int) -> list[int]:
    """gunicorn's workers: the arbiter's direct children."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def slow_query_with_probes(url: str) -> tuple[requests.Response, list[float], list[str]]:
    """The never-ending query; meanwhile `/health` and a quick query, again and again."""
    answer: list[requests.Response] = []
    thread = threading.Thread(target=lambda: answer.append(ask(url, NEVER_ENDING, timeout=60)))
    started = time.monotonic()
    thread.start()
    seconds: list[float] = []
    failures: list[str] = []
    while thread.is_alive():
        for probe in (lambda: requests.get(url + "/health", timeout=30), lambda: ask(url, QUICK)):
            begun = time.monotonic()
            response = probe()
            seconds.append(time.monotonic() - begun)
            if response.status_code != 200:
                failures.append(f"{response.url} → {response.status_code}")
        time.sleep(0.05)
    thread.join()
    assert LIMIT_S - 0.5 <= time.monotonic() - started <= LIMIT_S + 4
    return answer[0], seconds, failures


@pytest.fixture
def endpoint(live_server: str) -> str:
    return live_server + "/sparql"


def test_a_bad_constant_in_a_known_shape_still_gets_the_parsers_message(
    endpoint: str,
) -> None:
    good = requests.get(endpoint, params={"query": 'SELECT * WHERE { ?s ?p "a" }'}, timeout=30)
    assert good.status_code == 200
    bad = requests.get(endpoint, params={"query": 'SELECT * WHERE { ?s ?p "a\\q" }'}, timeout=30)
    assert bad.status_code == 400, bad.text
    assert "1:27" in bad.text, f"not the parser's message, with where: {bad.text}"
    assert "Traceback" not in bad.text
