"""The default store: the Oxigraph database that `build` wrote to `dist/store`, opened read-only.

Pages query it in the server process through the quad-pattern API (no SPARQL parse per page);
users' queries run in the server worker when their shape is known to be quick, and otherwise in
a `QueryPool` process that can be stopped at the time limit (`store.placement`).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path

import pyoxigraph

from ombudsman_kg.build.outputs import BUILD_INFO, DUMPS_DIR, NQUADS_FILE, STORE_DIR
from ombudsman_kg.errors import (
    BadRequest,
    NotBuilt,
    OkgError,
    QueryMemoryLimit,
    QueryTimeout,
)
from ombudsman_kg.rdf.namespaces import RDFS_LABEL
from ombudsman_kg.settings import Settings
from ombudsman_kg.store.base import (
    PATTERN_COUNT_MAX,
    Answer,
    PatternGraph,
    PatternTerm,
    QueryRequest,
    Store,
)
from ombudsman_kg.store.engine import DEFAULT_GRAPH, execute, in_memory_copy
from ombudsman_kg.store.placement import Placement, shape_of
from ombudsman_kg.store.pool import QueryPool

Term = pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode


class EmbeddedStore(Store):
    """Read-only access to `dist/store`; safe to create before gunicorn forks its workers."""

    immutable = True  # `build` wrote it; the server only reads it

    def __init__(self, settings: Settings) -> None:
        self._path = Path(settings.dist) / STORE_DIR
        if not self._path.is_dir():
            raise NotBuilt(f"no store at {self._path}: run `ombudsman-kg build` first")
        self._dump = Path(settings.dist) / DUMPS_DIR / NQUADS_FILE
        self.in_memory = 0 < _quads(settings.dist) <= settings.memory_max_quads and (
            self._dump.is_file()
        )
        #: set once this process answers from the in-memory copy
        self.in_memory_ready = threading.Event()
        self._memory_pid = -1
        self._pool_size = settings.query_workers
        self._pool_max = max(
            settings.query_workers, min(settings.max_query_workers, settings.threads)
        )
        self._pid = -1
        self._store: pyoxigraph.Store | None = None
        self._pool: QueryPool | None = None
        self._placement: Placement | None = None
        self._timeout_s = settings.query_timeout_s
        self._memory_limit_bytes = settings.query_memory_mb << 20
        self._threads = settings.threads
        self._lock = threading.Lock()

    @property
    def store(self) -> pyoxigraph.Store:
        self._ensure_open()
        assert self._store is not None  # noqa: S101
        return self._store

    def describe(self, iri: str) -> list[pyoxigraph.Quad]:
        node = pyoxigraph.NamedNode(iri)
        quads = list(self.store.quads_for_pattern(node, None, None, None))
        quads += self.store.quads_for_pattern(None, None, node, None)
        named = {q.object for q in quads if isinstance(q.object, pyoxigraph.NamedNode)}
        named |= {q.subject for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}
        named |= {q.predicate for q in quads}
        named.discard(node)
        label = pyoxigraph.NamedNode(RDFS_LABEL)
        for other in sorted(named, key=lambda n: n.value):
            quads += self.store.quads_for_pattern(other, label, None, None)
        return quads

    def exists(self, iri: str) -> bool:
        node = pyoxigraph.NamedNode(iri)
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    def select(self, query: str) -> list[dict[str, Term]]:
        results = self.store.query(query, default_graph=list(DEFAULT_GRAPH))
        assert isinstance(results, pyoxigraph.QuerySolutions)  # noqa: S101
        names = [v.value for v in results.variables]
        return [
            {name: solution[name] for name in names if solution[name] is not None}
            for solution in results
        ]

    def run(self, request: QueryRequest, *, timeout_s: float) -> Answer:
        """In this process when the query's shape is known to be quick, else in a query
        process (see `store.placement`)."""
        self._ensure_open()
        assert self._pool is not None and self._placement is not None  # noqa: S101
        shape = shape_of(request)
        if self._placement.inline(shape):
            timed = _Timed(partial(_execute, self.store, request))
            try:
                body = self._placement.run(shape, timed, timeout_s)
            except TimeoutError:
                raise QueryTimeout.after(timeout_s, where="inline") from None
            except MemoryError:
                raise QueryMemoryLimit.past(self._memory_limit_bytes, where="inline") from None
            # the evaluation alone: time spent waiting for a thread says nothing of the shape
            self._placement.learn(shape, timed.seconds)
            return Answer(body, "inline")
        started = time.monotonic()
        body = self._pool.run(request, timeout_s=timeout_s)
        self._placement.learn(shape, time.monotonic() - started)
        return Answer(body, "child")

    def quads(self, graph: str | None = None) -> list[pyoxigraph.Quad]:
        target = None if graph is None else pyoxigraph.NamedNode(graph)
        return list(self.store.quads_for_pattern(None, None, None, target))

    def pattern(
        self,
        subject: PatternTerm,
        predicate: PatternTerm,
        object: PatternTerm,
        graph: PatternGraph,
        *,
        offset: int,
        limit: int,
    ) -> tuple[list[pyoxigraph.Quad], int]:
        """Through the quad index, reading at most `PATTERN_COUNT_MAX + 1` matches, which are
        then sorted: the on-disk store and the in-memory copy that `warm` swaps in iterate in
        different orders, and a client's pages may be answered by either, or by two workers."""
        if offset < 0 or limit < 0 or offset + limit > PATTERN_COUNT_MAX:
            raise ValueError(f"a page ends past the {PATTERN_COUNT_MAX} matches a fragment counts")
        matches = list(
            islice(_matching(self.store, subject, predicate, object, graph), PATTERN_COUNT_MAX + 1)
        )
        if len(matches) <= PATTERN_COUNT_MAX:
            matches.sort(key=_quad_order)
        return matches[offset : offset + limit], len(matches)

    def triple_count(self) -> int:
        """Triples in the default graph (SPEC §7), not quads: source graphs repeat its triples."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)

    def warm(self) -> None:
        """Open the store now and start the query processes (in the background), not on the
        first request. When the build is small enough, read it into memory in the background:
        the on-disk store answers until the copy, several times faster to query, takes its
        place. (Only here, in a server worker: a thread running at gunicorn's fork would be
        unsafe.) Query processes do the same, so that answers without an order come in the
        same order wherever they run."""
        self._ensure_open()
        with self._lock:
            if not self.in_memory or self._memory_pid == os.getpid():
                return
            self._memory_pid = os.getpid()
        threading.Thread(
            target=self._read_into_memory,
            args=(os.getpid(),),
            daemon=True,
            name="okg-read-into-memory",
        ).start()

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.close()
        self._pool = None
        self._store = None
        self._pid = -1
        self._memory_pid = -1
        self.in_memory_ready.clear()

    def _read_into_memory(self, pid: int) -> None:
        try:
            memory = in_memory_copy(str(self._dump))
        except (OSError, SyntaxError, ValueError) as error:
            print(f"ombudsman-kg: kept the on-disk store: {error}", file=sys.stderr, flush=True)
            return
        with self._lock:
            if self._pid == pid:
                self._store = memory
                self.in_memory_ready.set()

    def _ensure_open(self) -> None:
        """Open per process: handles and child processes must not cross gunicorn's fork."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                # the on-disk store, at once; `warm` may swap in an in-memory copy
                self._store = pyoxigraph.Store.read_only(str(self._path))
                self._pool = QueryPool(
                    str(self._path),
                    self._pool_size,
                    self._pool_max,
                    dump=str(self._dump) if self.in_memory else None,
                    memory_limit_bytes=self._memory_limit_bytes,
                )
                self._placement = Placement(
                    self._timeout_s, self._threads, memory_limit_bytes=self._memory_limit_bytes
                )
                self._pid = os.getpid()


class _Timed:
    """A call that remembers how long it took."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        self._work = work
        self.seconds = 0.0

    def __call__(self) -> bytes:
        started = time.monotonic()
        try:
            return self._work()
        finally:
            self.seconds = time.monotonic() - started


def _execute(store: pyoxigraph.Store, request: QueryRequest) -> bytes:
    """As a query process does it: every failure becomes an error the client can read."""
    try:
        return execute(
            store,
            request.text,
            request.media_type,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
        )
    except OkgError:
        raise
    except Exception as error:  # noqa: BLE001 - reported to the client, never a traceback
        raise BadRequest(f"query failed: {error}") from None


def _matching(
    store: pyoxigraph.Store,
    subject: PatternTerm,
    predicate: PatternTerm,
    object: PatternTerm,
    graph: PatternGraph,
) -> Iterator[pyoxigraph.Quad]:
    """The matches in index order: the default graph's as triples of its three graphs, which
    share none (SPEC §7), so nothing repeats. A literal subject or predicate matches nothing."""
    if isinstance(subject, pyoxigraph.Literal) or isinstance(predicate, pyoxigraph.Literal):
        return
    if isinstance(graph, pyoxigraph.DefaultGraph):
        for name in DEFAULT_GRAPH:
            for quad in store.quads_for_pattern(subject, predicate, object, name):
                yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object)
        return
    for quad in store.quads_for_pattern(subject, predicate, object, graph):
        if graph is not None or not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            yield quad


def _quad_order(quad: pyoxigraph.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def _quads(dist: Path) -> int:
    """Quads in the build, from its `build.json`; 0 when unknown."""
    try:
        info = json.loads((Path(dist) / BUILD_INFO).read_text(encoding="utf-8"))
        counts = [*info["graphs"].values(), *info.get("source_graphs", {}).values()]
        return sum(int(count) for count in counts)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0
