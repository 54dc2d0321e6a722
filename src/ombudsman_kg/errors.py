"""One exception per failure a user sees, each carrying its HTTP status and CLI exit code.

The web layer maps them to responses and the CLI to one-line messages, so neither ever shows a
traceback (SPEC §4).
"""

from __future__ import annotations


class OkgError(Exception):
    """Base of every failure that is reported to a user rather than crashing."""

    status = 500
    exit_code = 1


class SettingsError(OkgError):
    status = 500
    exit_code = 2


class DataError(OkgError):
    """A data file that cannot be read: syntax error, missing directory."""

    exit_code = 3


class ValidationFailed(OkgError):
    """SHACL found violations; the message is the report."""

    exit_code = 4


class UnsupportedShape(OkgError):
    """A SHACL feature the SPARQL validation engine does not compile; pyshacl still can."""

    exit_code = 8


class NotBuilt(OkgError):
    """The dist directory is missing something `build` writes."""

    exit_code = 5


class NotFound(OkgError):
    status = 404


class NotAcceptable(OkgError):
    status = 406


class BadRequest(OkgError):
    status = 400
    exit_code = 2


class QuerySyntaxError(BadRequest):
    """The SPARQL parser's message, passed on as it is."""


class UpdateRefused(OkgError):
    status = 403
    exit_code = 2


class ServiceRefused(OkgError):
    """SERVICE and LOAD would make the server fetch from the network (SPEC §4)."""

    status = 403
    exit_code = 2


class PayloadTooLarge(OkgError):
    status = 413


class MethodNotAllowed(OkgError):
    status = 405


class QueryLimit(OkgError):
    """A user's query stopped at one of its limits; the server goes on (SPEC §4)."""

    status = 503
    exit_code = 6

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        #: where the query was stopped (`Server-Timing`); empty when unknown
        self.where = where

    def __reduce__(self) -> tuple[type[QueryLimit], tuple[str, str]]:
        return (type(self), (str(self), self.where))


class QueryTimeout(QueryLimit):
    """Past `query_timeout_s`."""


class QueryMemoryLimit(QueryLimit):
    """Past `query_memory_mb` beyond what the evaluating process held before it."""


class StoreUnavailable(OkgError):
    """The remote SPARQL store did not answer."""

    status = 502
    exit_code = 7


class ServerStopping(OkgError):
    """The server was told to stop (SIGTERM) while this request's query ran."""

    status = 503
    exit_code = 7
