"""User queries run in child processes, so that one past the time limit can be stopped.

pyoxigraph has no time limit or cancellation of its own: a query runs until it is done, holding
its thread. A child process can be killed, so the client gets its `503` on time and the CPU is
freed; a new child takes the old one's place. Each child opens the built store read-only, so the
data lives once, in the page cache, however many children there are.

The pool grows on demand up to `max_size` children, so a quick query never queues behind a few
slow ones (SPEC §4), and shrinks back to its starting size when children sit idle (each holds
its own storage cache and a heavy query's heap). Children fork from a forkserver that has
already imported pyoxigraph, so a new one is ready in milliseconds rather than the second a
fresh interpreter takes.

Each child also has a memory limit, set by the kernel (`RLIMIT_DATA`: the heap and private
mappings, what a query allocates; the address-space limit would also count the store's mapped
files and every thread's reserved stack) at `memory_limit_bytes` beyond what the child holds
once ready, its copy of the data included. A query past it fails an allocation, and Rust aborts
the child: its client gets a `503` naming the limit, and a new child takes its place.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from ombudsman_kg.errors import (
    BadRequest,
    OkgError,
    QueryMemoryLimit,
    QueryTimeout,
    ServerStopping,
    StoreUnavailable,
)
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.memory import limit_memory

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["pyoxigraph", "ombudsman_kg.store.engine"])


#: A query process beyond the pool's starting size ends after this long without a query.
IDLE_S = 30.0
_POOLS: weakref.WeakSet[QueryPool] = weakref.WeakSet()


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    last_used: float = field(default_factory=time.monotonic)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class QueryPool:
    """Query processes over one read-only store directory: `size` at start, `max_size` at most."""

    def __init__(
        self,
        store_path: str,
        size: int,
        max_size: int | None = None,
        idle_s: float = IDLE_S,
        dump: str | None = None,
        memory_limit_bytes: int | None = None,
    ) -> None:
        self._store_path = store_path
        self._dump = dump
        self._memory_limit_bytes = memory_limit_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        #: every child, idle or busy, so that a stopping server can end them all at once
        self._children: set[BaseProcess] = set()
        self._children_lock = threading.Lock()  # apart: `_start` runs under `_lock` too
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._size = size
        self._max_size = max(size, max_size or size)
        self._idle_s = idle_s
        self._closed = threading.Event()
        # Children past `size` hold memory (their own storage cache, a heavy query's heap):
        # those idle for `idle_s` end, so that the pool shrinks back when the load does.
        threading.Thread(target=self._retire_idle, daemon=True, name="okg-query-reaper").start()
        # The first children start in the background, so that the server answers pages (and
        # /health) while they boot; a query that comes first waits for one, or starts its own.
        self._count = size
        self._starter = threading.Thread(
            target=self._start_initial, args=(size,), daemon=True, name="okg-query-start"
        )
        self._starter.start()
        _POOLS.add(self)

    def _start_initial(self, size: int) -> None:
        for _ in range(size):
            try:
                worker = self._start()
            except Exception:  # noqa: BLE001 - the slot is freed; a query starts its own child
                with self._lock:
                    self._count -= 1
                continue
            self._idle.put(worker)

    def run(self, request: QueryRequest, *, timeout_s: float) -> bytes:
        """The serialized answer, or an error within `timeout_s` seconds.

        :raises QueryTimeout: when no answer came in time (waiting for a free worker included).
        :raises QueryMemoryLimit: when the query went past the memory limit.
        :raises OkgError: what the query process raised, as it raised it.
        """
        deadline = time.monotonic() + timeout_s
        worker = self._acquire(timeout_s)
        try:
            worker.connection.send(request)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                worker = self._replace(worker)
                raise QueryTimeout.after(timeout_s, where="child")
            reply: bytes | OkgError = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            if self._stopping.is_set():
                raise ServerStopping() from None
            aborted = _aborted(worker)
            worker = self._replace(worker)
            if aborted and self._memory_limit_bytes:
                raise QueryMemoryLimit.past(self._memory_limit_bytes, where="child") from None
            raise StoreUnavailable("the query process ended unexpectedly; try again") from None
        finally:
            worker.last_used = time.monotonic()
            self._idle.put(worker)
        if isinstance(reply, OkgError):
            raise reply
        return reply

    def _acquire(self, timeout_s: float) -> _Worker:
        """An idle child, a new one while under `max_size`, or else the next one freed."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._count < self._max_size:
                self._count += 1
                return self._start()
        try:
            return self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise QueryTimeout.after(timeout_s, where="child") from None

    @property
    def size(self) -> int:
        """Query processes now running or starting."""
        return self._count

    def _retire_idle(self) -> None:
        while not self._closed.wait(min(5.0, self._idle_s / 2)):
            kept: list[_Worker] = []
            while True:
                try:
                    kept.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            kept.sort(key=lambda w: w.last_used, reverse=True)
            now = time.monotonic()
            for worker in kept:
                with self._lock:
                    retire = self._count > self._size and now - worker.last_used > self._idle_s
                    if retire:
                        self._count -= 1
                if retire:
                    worker.stop()
                else:
                    self._idle.put(worker)

    def stop(self) -> None:
        """End every child now, busy ones too: their clients get `ServerStopping` at once
        instead of waiting for the time limit, so that the server stops within seconds."""
        self._stopping.set()
        self._closed.set()
        with self._children_lock:
            children = list(self._children)
        for process in children:
            process.kill()

    def close(self) -> None:
        self._closed.set()
        self._starter.join()
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return

    def _start(self) -> _Worker:
        parent_end, child_end = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_serve,
            args=(child_end, self._store_path, self._dump, self._memory_limit_bytes),
            daemon=True,
            name="okg-query",
        )
        process.start()
        child_end.close()
        with self._children_lock:
            self._children = {child for child in self._children if child.exitcode is None}
            self._children.add(process)
        return _Worker(process, parent_end)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        return self._start()


def _aborted(worker: _Worker) -> bool:
    """Whether the child ended by SIGABRT: Rust's answer to a failed allocation."""
    worker.process.join(timeout=5)
    return worker.process.exitcode == -signal.SIGABRT


def _serve(
    connection: Connection,
    store_path: str,
    dump: str | None = None,
    memory_limit_bytes: int | None = None,
) -> None:
    """A query process: answer requests until the pipe closes.

    With `dump`, it reads the data into memory first and answers from that copy, as the server
    worker does: the same storage gives the same order to answers that have none (no ORDER BY),
    wherever a query runs. The copy is read before the memory limit is set, so that the limit
    is what a query may add.
    """
    import pyoxigraph

    from ombudsman_kg.store.engine import execute, in_memory_copy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # An aborted allocation is expected here, and answered; a Rust backtrace would only be noise.
    os.putenv("RUST_BACKTRACE", "0")
    store = pyoxigraph.Store.read_only(store_path)
    if dump:
        try:
            store = in_memory_copy(dump)
        except (OSError, SyntaxError, ValueError):
            pass  # the on-disk store answers; the worker reports the same failure
    if memory_limit_bytes:
        limit_memory(memory_limit_bytes)
    while True:
        try:
            request: QueryRequest = connection.recv()
        except (EOFError, OSError):
            return
        reply: bytes | OkgError
        try:
            reply = execute(
                store,
                request.text,
                request.media_type,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
            )
        except OkgError as error:
            reply = error
        except MemoryError:
            reply = QueryMemoryLimit.past(memory_limit_bytes or 0, where="child")
        except Exception as error:  # noqa: BLE001 - reported to the client, never a traceback
            reply = BadRequest(f"query failed: {error}")
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(QueryMemoryLimit.past(memory_limit_bytes or 0, where="child"))


def stop_all() -> None:
    """`QueryPool.stop` for every pool of this process (a server worker told to stop)."""
    for pool in list(_POOLS):
        pool.stop()
