"""Every failure a user sees, one class each, carrying what they see of it.

The tree, by what a user sees (HTTP status · CLI exit code):

* OkgError (500 · 1)
  x SettingsError (500 · 2)       a setting no component can work with
  x DataError (500 · 3)           a data file that cannot be read
  x ValidationFailed (500 · 4)    SHACL found violations
  x NotBuilt (500 · 5)            `dist/` lacks what `build` writes
  x UnsupportedShape (500 · 8)    a SHACL feature the SPARQL engine does not compile
  x BadRequest (400 · 2)
  |  + QuerySyntaxError           the parser's message, as it is
  x Refused (403 · 2)
  |  + UpdateRefused              SPARQL Update, in any form
  |  + ServiceRefused             SERVICE: the server fetches nothing
  x NotFound (404)
  x MethodNotAllowed (405)
  x NotAcceptable (406)
  x PayloadTooLarge (413)
  x StoreUnavailable (502 · 7)    the remote store did not answer
  x QueryLimit (503 · 6)          carries `where`: inline | child | remote
  |  + QueryTimeout               past `query_timeout_s`
  |  + QueryMemoryLimit           past `query_memory_mb`
  x ServerStopping (503 · 7)      SIGTERM while the query ran

`web/errors.py` renders every one of them, HTML for browsers and text otherwise, never a
traceback (SPEC §4); the CLI prints its message and exits with its code. Errors cross the query
process's pipe as themselves (pickled), so a query process raises what the worker would.
"""

from __future__ import annotations


class OkgError(Exception):
    """Base of every failure that is reported to a user rather than crashing."""

    status = 500
    title = "Server error"
    exit_code = 1
    #: the message when none is given
    default = "the server failed to answer this request"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default)


class SettingsError(OkgError):
    exit_code = 2


class DataError(OkgError):
    """A data file that cannot be read: syntax error, missing directory."""

    exit_code = 3


class ValidationFailed(OkgError):
    """SHACL found violations; the message is the report."""

    exit_code = 4


class NotBuilt(OkgError):
    """The dist directory is missing something `build` writes."""

    exit_code = 5


class UnsupportedShape(OkgError):
    """A SHACL feature the SPARQL validation engine does not compile; pyshacl still can."""

    exit_code = 8


class BadRequest(OkgError):
    status = 400
    title = "Bad request"
    exit_code = 2


class QuerySyntaxError(BadRequest):
    """The SPARQL parser's message, passed on as it is."""


class Refused(OkgError):
    status = 403
    title = "Forbidden"
    exit_code = 2


class UpdateRefused(Refused):
    default = "SPARQL Update is not accepted: this endpoint is read-only"


class ServiceRefused(Refused):
    """SERVICE and LOAD would make the server fetch from the network (SPEC §4)."""

    default = "SERVICE is not allowed: this endpoint answers from its own store and fetches nothing"


class NotFound(OkgError):
    status = 404
    title = "Not found"
    default = "no such page or resource here"


class MethodNotAllowed(OkgError):
    status = 405
    title = "Method not allowed"


class NotAcceptable(OkgError):
    status = 406
    title = "Not acceptable"


class PayloadTooLarge(OkgError):
    status = 413
    title = "Request too large"


class StoreUnavailable(OkgError):
    """The remote SPARQL store did not answer."""

    status = 502
    title = "Store unavailable"
    exit_code = 7


class QueryLimit(OkgError):
    """A user's query stopped at one of its limits; the server goes on (SPEC §4)."""

    status = 503
    title = "Query limit reached"
    exit_code = 6

    def __init__(self, message: str | None = None, where: str = "") -> None:
        super().__init__(message)
        #: where the query was stopped (`Server-Timing`): inline, child, remote; "" if unknown
        self.where = where

    def __reduce__(self) -> tuple[type[QueryLimit], tuple[str, str]]:
        return (type(self), (str(self), self.where))


class QueryTimeout(QueryLimit):
    """Past `query_timeout_s`."""

    @classmethod
    def after(cls, limit_s: float, *, where: str = "") -> QueryTimeout:
        """The error for a query stopped at `limit_s`, in the words every store uses."""
        return cls(f"the query did not finish within the time limit of {limit_s:g} s", where)


class QueryMemoryLimit(QueryLimit):
    """Past `query_memory_mb` beyond what the evaluating process held before it."""

    @classmethod
    def past(cls, limit_bytes: int, *, where: str = "") -> QueryMemoryLimit:
        return cls(f"the query went past the memory limit of {limit_bytes >> 20} MiB", where)


class ServerStopping(OkgError):
    """The server was told to stop (SIGTERM) while this request's query ran."""

    status = 503
    title = "Server stopping"
    exit_code = 7
    default = "the server is stopping; try again"
