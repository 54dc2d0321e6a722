"""`ombudsman-kg serve`: the app under gunicorn, never Flask's development server.

gthread workers: each worker process answers several requests at once in threads. Users' SPARQL
runs in the worker when its shape is known to be quick, else in killable child processes (see
`store.placement` and `store.pool`).

The workers are gthread workers whose `414` for a request line over `REQUEST_LINE_LIMIT` bytes
tells the client to POST its query instead (`web.worker`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from ombudsman_kg.settings import Settings
from ombudsman_kg.store import placement
from ombudsman_kg.store.embedded import EmbeddedStore
from ombudsman_kg.web.worker import REQUEST_LINE_LIMIT

#: How long a stopping worker may finish the requests in hand: queries are stopped at once
#: (`QueryWorker.handle_exit`), so this bounds only page and dump answers still being sent.
GRACEFUL_S = 3


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "threads": settings.threads,
            "worker_class": "ombudsman_kg.web.worker.QueryWorker",
            "limit_request_line": REQUEST_LINE_LIMIT,
            "timeout": max(30, int(settings.query_timeout_s * 3)),
            "graceful_timeout": GRACEFUL_S,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "when_ready": self._ready,
            "post_worker_init": _allow_inline_queries,
            "worker_exit": _exit_worker,
            "proc_name": "ombudsman-kg",
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from ombudsman_kg.web.app import create_app

        return create_app(self.settings)

    def _ready(self, _arbiter: Any) -> None:
        host = "localhost" if self.settings.host in ("127.0.0.1", "0.0.0.0") else self.settings.host  # noqa: S104
        print(
            f"ombudsman-kg: serving {self.settings.dist} at http://{host}:{self.settings.port}/",
            file=sys.stderr,
            flush=True,
        )


def _allow_inline_queries(worker: Any) -> None:
    """Let this worker run quick queries itself; it retires if one overruns (`store.placement`).

    Retiring is gunicorn's graceful stop: no new connections, the requests in hand finished,
    then exit; the arbiter starts a replacement.
    """

    def retire() -> None:
        print(
            f"ombudsman-kg: worker {os.getpid()} retires: a query ran past the time limit in it",
            file=sys.stderr,
            flush=True,
        )
        worker.alive = False

    placement.allow_inline(retire)


def _exit_worker(_arbiter: Any, _worker: Any) -> None:
    """A runaway query still computing would keep the interpreter's shutdown waiting on the
    store: leave at once instead (the query processes see their pipes close and end too)."""
    if placement.busy():
        os._exit(0)


def serve(settings: Settings) -> None:
    """Run until interrupted. Checks the dist and store first, so errors come before the fork.

    :raises NotBuilt: when `dist` has not been built.
    """
    from ombudsman_kg.store import open_store
    from ombudsman_kg.web.site import Site

    store = open_store(settings)
    Site.load(settings, store)
    # Import the app's modules once, here, so that each worker forks with them loaded instead
    # of importing Flask and the views itself: the workers are ready sooner.
    import ombudsman_kg.web.app  # noqa: F401

    if isinstance(store, EmbeddedStore):
        store.close()
    _Server(settings).run()
