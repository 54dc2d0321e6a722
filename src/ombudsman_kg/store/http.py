"""The one boundary between `requests` and our errors, for every HTTP client of the project.

As httpx's `map_httpcore_exceptions` does, one context manager turns the client library's
failures into ours, so that the remote store and the Graph Store push say the same failure the
same way: a deadline passed is the time limit (`QueryTimeout`), anything else on the wire is a
store that cannot be reached (`StoreUnavailable`), with the operating system's words.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import urllib3

from ombudsman_kg import __version__
from ombudsman_kg.errors import QueryMemoryLimit, QueryTimeout, SettingsError, StoreUnavailable
from ombudsman_kg.rdf import formats

USER_AGENT = f"ombudsman-kg/{__version__}"
MESSAGE_LIMIT = 4000
READ_CHUNK_BYTES = 1 << 16
_ERRNO = re.compile(r"\[Errno -?\d+\][^'\")]*")


class ConnectionLost(StoreUnavailable):
    """The connection broke before an answer: a kept-alive one the server had closed, maybe,
    so one retry on a fresh connection is worth it."""


def http_url(url: str, what: str) -> str:
    """:raises SettingsError: for a URL that is not http(s)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{what} needs an http(s) URL, not {url!r}")
    return url


@contextmanager
def http_errors(
    where: str,
    *,
    deadline: float | None = None,
    limit_s: float | None = None,
    doing: str = "",
    stopped: str = "",
) -> Iterator[None]:
    """`requests` and urllib3 failures inside, as ours; `where` names the other end, `doing`
    what was under way ("" for a request, "its answer" while reading one), `stopped` where a
    query stopped at a limit is said to have been stopped (`QueryLimit.where`).

    :raises QueryTimeout: for a read that timed out, or any failure once `deadline` (a
        `time.monotonic()` value) has passed, naming `limit_s`.
    :raises ConnectionLost: when the connection broke before an answer.
    :raises StoreUnavailable: for any other failure to talk to `where`.
    """
    try:
        yield
    except requests.exceptions.ConnectTimeout:
        raise StoreUnavailable(f"{where} did not accept a connection") from None
    except requests.Timeout:
        if limit_s is not None:
            raise QueryTimeout.after(limit_s, where=stopped) from None
        raise StoreUnavailable(f"{where} did not answer in time") from None
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        if deadline is not None and limit_s is not None and time.monotonic() >= deadline:
            raise QueryTimeout.after(limit_s, where=stopped) from None
        reason = failure_reason(error)
        if doing:
            raise StoreUnavailable(f"{where} broke off {doing} ({reason})") from None
        if isinstance(error, requests.ConnectionError):
            raise ConnectionLost(f"{where} could not be reached ({reason})") from None
        raise StoreUnavailable(f"{where} could not be reached ({reason})") from None


def failure_reason(error: Exception) -> str:
    """The operating system's words (`[Errno 111] Connection refused`) rather than urllib3's."""
    found = _ERRNO.search(str(error))
    return found.group().strip() if found else type(error).__name__


def message_of(body: bytes, media_type: str, *, one_line: bool = True) -> str:
    """The other end's own words, shortened (on one line, unless a user reads them as the
    parser's message); QLever wraps them in JSON."""
    text = body.decode("utf-8", errors="replace").strip()
    if media_type == formats.JSON:
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        if isinstance(document, dict) and isinstance(document.get("exception"), str):
            text = document["exception"]
    if one_line:
        text = " ".join(text.split())
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + "…"
    return text or "(no message)"


def read_within(
    response: requests.Response, deadline: float, max_bytes: int, *, stopped: str = ""
) -> bytes | None:
    """The whole body, or None once `deadline` has passed.

    :raises QueryMemoryLimit: past `max_bytes`, before reading more.

    `read1` returns what has arrived; `read` (and so `iter_content`) would wait to fill its
    buffer, so an answer trickling in a byte at a time could outlive the limit many times over.
    """
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    parts: list[bytes] = []
    received = 0
    while True:
        if received > max_bytes:
            raise QueryMemoryLimit.past(max_bytes, where=stopped)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        _limit_next_read(response, remaining)
        if read1 is not None:
            chunk = read1(READ_CHUNK_BYTES, decode_content=True)
        else:
            chunk = raw.read(READ_CHUNK_BYTES, decode_content=True)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        received += len(chunk)


def _limit_next_read(response: requests.Response, remaining: float) -> None:
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(remaining)
