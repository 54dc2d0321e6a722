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
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

from ombudsman_kg.store.base import QueryRequest
from ombudsman_kg.store.engine import blank_constants

#: A shape is trusted when its last run took at most this share of the time limit...
FAST_SHARE = 0.1
#: ...and at most this many seconds, whatever the limit.
FAST_MAX_S = 1.0
MAX_SHAPES = 10_000

_retire: Callable[[], None] | None = None
_retiring = threading.Event()
_running = 0
_running_lock = threading.Lock()


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

    def __init__(self, timeout_s: float, threads: int) -> None:
        self.fast_s = min(FAST_MAX_S, timeout_s * FAST_SHARE)
        self._trusted: OrderedDict[str, bool] = OrderedDict()
        self._lock = threading.Lock()
        self._runner = _Runner(threads)

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
        """
        try:
            return self._runner.run(work, timeout_s)
        except TimeoutError:
            self.learn(shape, float("inf"))
            retire()
            raise


def retire() -> None:
    """Ask the server to replace this worker, once."""
    if _retire is not None and not _retiring.is_set():
        _retiring.set()
        _retire()


class _Runner:
    """Daemon threads that run queries, so that the request thread can give up at the limit
    (and so that a runaway one never keeps the process from exiting)."""

    def __init__(self, size: int) -> None:
        self._tasks: queue.SimpleQueue[tuple[Callable[[], bytes], Future[bytes]]] = (
            queue.SimpleQueue()
        )
        self._size = max(1, size)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._pid = -1

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
                self._threads = [
                    threading.Thread(target=self._serve, daemon=True, name="okg-inline-query")
                    for _ in range(self._size)
                ]
                for thread in self._threads:
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
            try:
                future.set_result(work())
            except BaseException as error:  # noqa: BLE001 - handed to the waiting request
                future.set_exception(error)
            finally:
                with _running_lock:
                    _running -= 1
