"""`ombudsman-kg serve`: the app under gunicorn, never Flask's development server.

gthread workers: each worker process answers several requests at once in threads, while its
query pool runs users' SPARQL in killable child processes (see `store.pool`).
"""

from __future__ import annotations

import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from ombudsman_kg.settings import Settings
from ombudsman_kg.store.embedded import EmbeddedStore


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
            "worker_class": "gthread",
            "timeout": max(30, int(settings.query_timeout_s * 3)),
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "when_ready": self._ready,
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
