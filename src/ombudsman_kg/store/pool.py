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
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ombudsman_kg import errors
from ombudsman_kg.errors import OkgError, QueryTimeout, StoreUnavailable
from ombudsman_kg.store.base import QueryRequest

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["pyoxigraph", "ombudsman_kg.store.engine"])


#: A query process beyond the pool's starting size ends after this long without a query.
IDLE_S = 30.0


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
    ) -> None:
        self._store_path = store_path
        self._dump = dump
        self._idle: queue.Queue[_Worker] = queue.Queue()
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
        """
        deadline = time.monotonic() + timeout_s
        worker = self._acquire(timeout_s)
        try:
            worker.connection.send(request)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                worker = self._replace(worker)
                raise _timeout(timeout_s)
            reply: tuple[str, Any, Any] = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker = self._replace(worker)
            raise StoreUnavailable("the query process ended unexpectedly; try again") from None
        finally:
            worker.last_used = time.monotonic()
            self._idle.put(worker)
        status, kind, payload = reply
        if status == "ok":
            assert isinstance(payload, bytes)  # noqa: S101
            return payload
        error_class = getattr(errors, kind, OkgError)
        raise error_class(payload)

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
            raise _timeout(timeout_s) from None

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
            args=(child_end, self._store_path, self._dump),
            daemon=True,
            name="okg-query",
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        return self._start()


def limit_message(limit: float) -> str:
    return f"the query did not finish within the time limit of {limit:g} s"


def _timeout(limit: float) -> QueryTimeout:
    return QueryTimeout(limit_message(limit))


def _serve(connection: Connection, store_path: str, dump: str | None = None) -> None:
    """A query process: answer requests until the pipe closes.

    With `dump`, it reads the data into memory in the background and answers from that copy
    once read, as the server worker does: the same storage gives the same order to answers that
    have none (no ORDER BY), wherever a query runs.
    """
    import pyoxigraph

    from ombudsman_kg.store.engine import execute, in_memory_copy

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    stores = [pyoxigraph.Store.read_only(store_path)]
    if dump:

        def read_into_memory() -> None:
            try:
                stores[0] = in_memory_copy(dump)
            except (OSError, SyntaxError, ValueError):
                pass  # the on-disk store keeps answering; the worker reports the same failure

        threading.Thread(target=read_into_memory, daemon=True).start()
    while True:
        try:
            request: QueryRequest = connection.recv()
        except (EOFError, OSError):
            return
        try:
            output = execute(
                stores[0],
                request.text,
                request.media_type,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
            )
            connection.send(("ok", "", output))
        except OkgError as error:
            connection.send(("error", type(error).__name__, str(error)))
        except Exception as error:  # noqa: BLE001 - reported to the client, never a traceback
            connection.send(("error", "BadRequest", f"query failed: {error}"))
