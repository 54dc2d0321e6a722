"""What a request may send, checked on the bytes actually read, before any view sees it (§4).

Werkzeug enforces `MAX_CONTENT_LENGTH` against a declared `Content-Length`; a body sent with
`Transfer-Encoding: chunked` declares none, and was read whole (issue 8). So the body is read
here, once, at most one byte past the limit, whatever its framing: past it, the rest is never
read by the app and the request is a `413` (gunicorn then discards at most 64 KiB more, in at
most 5 s, before it closes the connection). Werkzeug also decodes paths, query strings and
forms with replacement characters, so a query holding bytes that are not UTF-8 was answered as
if it held U+FFFD: here such bytes are a `400` that says where they are.

The problem found is left in the WSGI environment and raised by the app's first
`before_request`, so the one error handler renders it like every other failure.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from ombudsman_kg.errors import BadRequest, OkgError, PayloadTooLarge
from ombudsman_kg.rdf import formats

PROBLEM = "ombudsman_kg.input_problem"
READ_CHUNK_BYTES = 1 << 16
#: Bodies whose bytes are text by their protocol: the SPARQL 1.1 Protocol says UTF-8.
TEXT_BODIES = (formats.SPARQL_QUERY, formats.SPARQL_UPDATE, "text/")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class InputGuard:
    """WSGI middleware: bounded body, valid UTF-8 in path, query string and body."""

    def __init__(self, app: WsgiApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            check_request(environ, self.max_body_bytes)
        except OkgError as problem:
            environ[PROBLEM] = problem
        return self.app(environ, start_response)


def check_request(environ: dict[str, Any], max_body_bytes: int) -> None:
    """Read the body into memory (at most `max_body_bytes`) and check every part's encoding.

    :raises PayloadTooLarge: for a body over the limit, declared or read.
    :raises BadRequest: for bytes that are not UTF-8, naming the part that holds them.
    """
    _require_utf8(_wsgi_bytes(environ.get("PATH_INFO", "")), "the path")
    query_string = _wsgi_bytes(environ.get("QUERY_STRING", ""))
    _require_utf8(_percent_decoded(query_string), "the query string")
    body = _read_body(environ, max_body_bytes)
    if not body:
        return
    media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if media_type == formats.FORM:
        _require_utf8(_percent_decoded(body), "the form body")
    elif media_type.startswith(TEXT_BODIES):
        _require_utf8(body, "the request body")


def _read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The body, which then replaces `wsgi.input` with its exact length; empty on a `413`."""
    declared = environ.get("CONTENT_LENGTH") or ""
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked and not declared.strip():
        return b""
    try:
        length = int(declared) if declared.strip() else None
    except ValueError:
        raise BadRequest(f"Content-Length is not a number: {declared[:40]!r}") from None
    if length is not None and length > limit:
        _replace_input(environ, b"")
        raise PayloadTooLarge(f"request body of {length} bytes is over the limit of {limit} bytes")
    stream = environ["wsgi.input"]
    wanted = limit + 1 if length is None else length
    parts: list[bytes] = []
    received = 0
    while received < wanted:
        chunk = stream.read(min(READ_CHUNK_BYTES, wanted - received))
        if not chunk:
            break
        parts.append(chunk)
        received += len(chunk)
    if received > limit:
        _replace_input(environ, b"")
        raise PayloadTooLarge(f"request body over the limit of {limit} bytes")
    body = b"".join(parts)
    _replace_input(environ, body)
    return body


def _replace_input(environ: dict[str, Any], body: bytes) -> None:
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = True


def _wsgi_bytes(value: str) -> bytes:
    """PEP 3333 hands the request's bytes over as Latin-1 text; this gives the bytes back."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # a server that decoded already: the text is what was meant
        return value.encode("utf-8", errors="surrogateescape")


def _percent_decoded(raw: bytes) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _require_utf8(raw: bytes, where: str) -> None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.end]
        percent = "".join(f"%{byte:02X}" for byte in bad)
        raise BadRequest(
            f"{where} is not valid UTF-8: the bytes {percent} at byte {error.start}"
            " (percent-encode text as UTF-8)"
        ) from None
