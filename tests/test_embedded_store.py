"""The embedded store reads small builds into memory and larger ones from disk: same answers.

A server worker answers from the on-disk store until its in-memory copy is read (`warm`).

The HTTP suite runs over the in-memory copy (the real data is small); these tests hold the
on-disk path (`memory_max_quads` 0, as for data past the threshold) to the same answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import start_server, stop_server

from ombudsman_kg.errors import QueryMemoryLimit
from ombudsman_kg.settings import Settings
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.embedded import EmbeddedStore
from ombudsman_kg.store.pool import QueryPool

THING = "https://w3id.org/ombudsman-kg/id/organization/oicoa"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    "ORDER BY ?s ?label"
)


@pytest.fixture(scope="module")
def stores(built_dist: Path) -> Iterator[tuple[EmbeddedStore, EmbeddedStore]]:
    memory = EmbeddedStore(Settings(dist=built_dist))
    disk = EmbeddedStore(Settings(dist=built_dist, memory_max_quads=0))
    memory.warm()
    disk.warm()
    assert memory.in_memory_ready.wait(60), "the in-memory copy was never read"
    yield memory, disk
    memory.close()
    disk.close()


def test_a_small_build_is_read_into_memory_unless_the_threshold_says_not(
    stores: tuple[EmbeddedStore, EmbeddedStore], built_dist: Path
) -> None:
    memory, disk = stores
    assert memory.in_memory and not disk.in_memory
    assert not disk.in_memory_ready.is_set()
    assert not EmbeddedStore(Settings(dist=built_dist, memory_max_quads=100)).in_memory


def test_memory_and_disk_hold_the_same_quads(stores: tuple[EmbeddedStore, EmbeddedStore]) -> None:
    memory, disk = stores
    assert memory.triple_count() == disk.triple_count() > 1000
    assert set(memory.quads()) == set(disk.quads())
    assert sorted(map(str, memory.describe(THING))) == sorted(map(str, disk.describe(THING)))
    assert memory.exists(THING) and disk.exists(THING)


@pytest.mark.parametrize("text", [COUNT, LABELS])
def test_memory_and_disk_answer_queries_alike(
    stores: tuple[EmbeddedStore, EmbeddedStore], text: str
) -> None:
    memory, disk = stores
    request = QueryRequest(text, "SELECT", "text/csv")
    assert memory.run(request, timeout_s=10).body == disk.run(request, timeout_s=10).body
    assert memory.select(text) == disk.select(text)


def test_a_server_on_the_disk_store_answers_as_the_one_in_memory(built_dist: Path) -> None:
    servers = [start_server(built_dist, env=env) for env in ({}, {"OKG_MEMORY_MAX_QUADS": "0"})]
    try:
        pages, answers = [], []
        for _process, url in servers:
            page = requests.get(url + "/doc/organization/oicoa.nt", timeout=30)
            assert page.status_code == 200
            pages.append(set(page.text.splitlines()))
            answer = requests.get(
                url + "/sparql",
                params={"query": LABELS},
                headers={"Accept": "text/csv"},
                timeout=30,
            )
            assert answer.status_code == 200
            answers.append(answer.text)
        assert pages[0] == pages[1] and len(pages[0]) > 10
        assert answers[0] == answers[1]
        parsed = pyoxigraph.parse(
            input="\n".join(pages[0]).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
        assert len(list(parsed)) == len(pages[0])
    finally:
        for process, _url in servers:
            stop_server(process)


def test_the_query_pool_grows_under_load_and_shrinks_back_when_idle(built_dist: Path) -> None:
    """Each extra query process holds memory; those idle past `idle_s` end (issue 4: memory)."""
    import threading
    import time

    from ombudsman_kg.store.pool import QueryPool

    pool = QueryPool(str(built_dist / "store"), size=1, max_size=3, idle_s=1.0)
    try:
        slow = QueryRequest(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
            "SELECT",
            "text/csv",
        )
        answers: list[bytes] = []
        threads = [
            threading.Thread(target=lambda: answers.append(pool.run(slow, timeout_s=60)))
            for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 3 and len(set(answers)) == 1
        assert pool.size == 3
        deadline = time.monotonic() + 15
        while pool.size > 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pool.size == 1, "idle query processes did not end"
        assert pool.run(QueryRequest(COUNT, "SELECT", "text/csv"), timeout_s=10)
    finally:
        pool.close()


def test_a_query_past_the_memory_limit_in_a_query_process_gets_its_error_and_a_new_process(
    built_dist: Path,
) -> None:
    """Issue 8: one query that builds a long string over a product of the data reached
    2.4 GiB before its time limit; the kernel now stops it at the memory limit."""
    pool = QueryPool(
        str(built_dist / "store"),
        1,
        dump=str(built_dist / "dumps" / "ombudsman-kg.nq"),
        memory_limit_bytes=64 << 20,
    )
    hungry = QueryRequest(
        "SELECT (GROUP_CONCAT(STR(?o1)) AS ?x) WHERE { ?s1 ?p1 ?o1 . ?s2 ?p2 ?o2 . ?s3 ?p3 ?o3 }",
        "SELECT",
        "text/csv",
    )
    try:
        started = time.monotonic()
        with pytest.raises(QueryMemoryLimit, match="memory limit of 64 MiB"):
            pool.run(hungry, timeout_s=60)
        assert time.monotonic() - started < 30
        small = QueryRequest("ASK { ?s ?p ?o }", "ASK", "text/csv")
        assert pool.run(small, timeout_s=30).strip() == b"true"
    finally:
        pool.close()
