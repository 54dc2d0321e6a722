"""gunicorn's gthread worker, with a `414` that tells the client what to do (issue 8, item 7).

A GET request line longer than `REQUEST_LINE_LIMIT` bytes never reaches the app: gunicorn's
parser stops it (`LimitRequestLine`) and the worker's `handle_error` writes a bare HTML `414`
itself. A SPARQL client that sent a long query by GET needs to hear that the same query goes
through as a POST, which has a far larger limit (`max_body_bytes`), so this worker writes that
answer instead, with the headers every answer of ours carries (`web.security`). Every other
error gunicorn handles as it always does.
"""

from __future__ import annotations

import threading
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from ombudsman_kg.store import placement, pool
from ombudsman_kg.web.security import COMMON_HEADERS

# gunicorn's maximum (its default is 4094): the request line is the method, the path with its
# query string, and the protocol, so a GET query of up to about 8 KiB once percent-encoded.
REQUEST_LINE_LIMIT = 8190


class QueryWorker(ThreadWorker):  # type: ignore[misc]
    """The gthread worker `serve` runs; see the module docstring."""

    def handle_exit(self, sig: Any, frame: Any) -> None:
        """SIGTERM: stop at once the queries in hand (their clients get `503`), so that the
        graceful stop does not wait for them to reach the time limit (issue 8: the server
        stops within seconds even with runaway queries in flight). The queries end in a
        thread: a signal handler must not wait on the locks the request threads hold."""
        super().handle_exit(sig, frame)
        threading.Thread(target=_stop_queries, daemon=True, name="okg-stop-queries").start()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        settings = getattr(self.app, "settings", None)
        body_limit = getattr(settings, "max_body_bytes", None)
        self.log.warning("request line too long from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(
                client, too_long_answer(exc.size, self.cfg.limit_request_line, body_limit)
            )
        except OSError:
            self.log.debug("could not send the 414 answer")


def too_long_answer(size: int, line_limit: int, body_limit: int | None) -> bytes:
    """The whole HTTP `414` answer, status line to body, as bytes for the socket."""
    posted = f"up to {body_limit} bytes" if body_limit else "a much longer query"
    message = (
        f"414 URI Too Long: the request line is {size} bytes, over this server's limit of "
        f"{line_limit} bytes (method, path, query string and protocol together). Send a long "
        f"SPARQL query with POST to /sparql instead, {posted}: either as a form, "
        "Content-Type: application/x-www-form-urlencoded with the body query=<the query, "
        "percent-encoded>, or directly, Content-Type: application/sparql-query with the query "
        "itself as the body.\n"
    ).encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(message))),
        ("Connection", "close"),
        ("Access-Control-Allow-Origin", "*"),
        *COMMON_HEADERS,
    ]
    head = "HTTP/1.1 414 URI Too Long\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return (head + "\r\n").encode("latin-1") + message


def _stop_queries() -> None:
    placement.stop_inline()
    pool.stop_all()
