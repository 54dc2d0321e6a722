"""Where a user's query runs: in the server worker itself, or in a killable query process.

A query process costs a pipe round trip, a second copy of the answer and a storage cache of its
own; in the worker, the same query answers several times faster, and pyoxigraph releases the GIL
while it evaluates, so other requests go on meanwhile. But pyoxigraph cannot stop a query. So
only shapes of query (the text with its IRIs, literals and comments blanked) that were seen to
finish quickly run in the worker; every other query runs in a query process (`store.pool`).

Should a query of a trusted shape still overrun the time limit (one constant can make a cheap
shape slow), its client gets its `503` on time, the shape goes back to the query processes, and
the worker retires: it stops taking connections, finishes the requests it holds, and exits,
which stops the runaway computation; gunicorn starts a fresh worker in its place. Without a
way to retire (the CLI, a test client) nothing runs in the worker.

The memory limit holds here too, watched rather than set: every 10 ms while a query runs in the
worker, what the process holds (`VmData`) is compared with what it held when the query began.
Past the limit, the client gets its `503`, the shape goes back to the query processes and the
worker retires, as for the time limit. A kernel limit on the worker would abort it, and every
other request it holds with it, instead of answering.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError

from ombudsman_kg.errors import ServerStopping
from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.engine import blank_constants
from ombudsman_kg.store.memory import held_bytes

#: A shape is trusted when its last run took at most this share of the time limit...
FAST_SHARE = 0.1
#: ...and at most this many seconds, whatever the limit.
FAST_MAX_S = 1.0
MAX_SHAPES = 10_000
#: How often the memory of a query running in the worker is looked at.
WATCH_S = 0.01

_retire: Callable[[], None] | None = None
_retiring = threading.Event()
_running = 0
_running_lock = threading.Lock()
_RUNNERS: weakref.WeakSet[_Runner] = weakref.WeakSet()


def allow_inline(retire: Callable[[], None]) -> None:
    """Let this process run trusted queries itself; `retire()` must make it exit soon after."""
    global _retire  # noqa: PLW0603 - one hook per worker process, set once by the server
    _retire = retire


def busy() -> bool:
    """Whether a query is still computing in this process (then only `os._exit` ends it)."""
    return _running > 0


def shape_of(request: QueryRequest) -> str:
    """The query with constants blanked: the same shape with other IRIs usually costs the same."""
    blanked = blank_constants(request.text)
    return f"{len(request.default_graphs)} {len(request.named_graphs)} {blanked}"


class Placement:
    """Which shapes this worker trusts to run itself; learned from each run's duration."""

    def __init__(
        self, timeout_s: float, threads: int, *, memory_limit_bytes: int | None = None
    ) -> None:
        self.fast_s = min(FAST_MAX_S, timeout_s * FAST_SHARE)
        self._trusted: OrderedDict[str, bool] = OrderedDict()
        self._lock = threading.Lock()
        self._runner = _Runner(threads, memory_limit_bytes)

    def inline(self, shape: str) -> bool:
        if _retire is None or _retiring.is_set():
            return False
        with self._lock:
            return self._trusted.get(shape, False)

    def learn(self, shape: str, seconds: float) -> None:
        """Trust the shape if this run was fast, and stop trusting it if not."""
        with self._lock:
            self._trusted[shape] = seconds <= self.fast_s
            self._trusted.move_to_end(shape)
            while len(self._trusted) > MAX_SHAPES:
                self._trusted.popitem(last=False)

    def run(self, shape: str, work: Callable[[], bytes], timeout_s: float) -> bytes:
        """`work()` in this process, or `TimeoutError` after `timeout_s` (and the worker retires).

        :raises TimeoutError: past `timeout_s`.
        :raises MemoryError: past the memory limit.
        """
        try:
            return self._runner.run(work, timeout_s)
        except (TimeoutError, MemoryError):
            self.learn(shape, float("inf"))
            retire()
            raise


def stop_inline() -> None:
    """Fail every query running in this process's workers' threads at once (`ServerStopping`),
    so that their requests end and the worker can exit without waiting for the time limit."""
    for runner in list(_RUNNERS):
        runner.stop()


def retire() -> None:
    """Ask the server to replace this worker, once."""
    if _retire is not None and not _retiring.is_set():
        _retiring.set()
        _retire()


class _Runner:
    """Daemon threads that run queries, so that the request thread can give up at a limit
    (and so that a runaway one never keeps the process from exiting), and one that watches
    their memory."""

    def __init__(self, size: int, memory_limit_bytes: int | None = None) -> None:
        self._tasks: queue.SimpleQueue[tuple[Callable[[], bytes], Future[bytes]]] = (
            queue.SimpleQueue()
        )
        self._size = max(1, size)
        self._memory_limit_bytes = memory_limit_bytes
        #: running queries, and what the process held when each began
        self._watched: dict[Future[bytes], int] = {}
        self._watch_lock = threading.Lock()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._pid = -1
        _RUNNERS.add(self)

    def stop(self) -> None:
        with self._watch_lock:
            running = list(self._watched)
        for future in running:
            _settle(future.set_exception, ServerStopping())

    def run(self, work: Callable[[], bytes], timeout_s: float) -> bytes:
        self._start()
        future: Future[bytes] = Future()
        self._tasks.put((work, future))
        return future.result(timeout=timeout_s)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                threads = [
                    threading.Thread(target=self._serve, daemon=True, name="okg-inline-query")
                    for _ in range(self._size)
                ]
                if self._memory_limit_bytes:
                    threads.append(
                        threading.Thread(target=self._watch, daemon=True, name="okg-inline-memory")
                    )
                for thread in threads:
                    thread.start()
                self._pid = os.getpid()

    def _serve(self) -> None:
        global _running  # noqa: PLW0603 - a counter shared by this process's runner threads
        while True:
            work, future = self._tasks.get()
            if not future.set_running_or_notify_cancel():
                continue
            with _running_lock:
                _running += 1
            with self._watch_lock:
                self._watched[future] = held_bytes() if self._memory_limit_bytes else 0
                self._wake.set()
            try:
                result = work()
                _settle(future.set_result, result)
            except BaseException as error:  # noqa: BLE001 - handed to the waiting request
                _settle(future.set_exception, error)
            finally:
                with self._watch_lock:
                    self._watched.pop(future, None)
                with _running_lock:
                    _running -= 1

    def _watch(self) -> None:
        limit = self._memory_limit_bytes or 0
        while True:
            self._wake.wait()
            with self._watch_lock:
                watched = list(self._watched.items())
                if not watched:
                    self._wake.clear()
                    continue
            held = held_bytes()
            for future, before in watched:
                if held - before > limit:
                    _settle(future.set_exception, MemoryError(held - before))
            time.sleep(WATCH_S)


def _settle(settle: Callable[..., None], value: object) -> None:
    """Give a future its outcome unless the memory watch gave it one first."""
    try:
        settle(value)
    except InvalidStateError:
        pass
