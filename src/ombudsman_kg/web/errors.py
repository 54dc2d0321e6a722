"""One handler turns every failure into a clean answer: HTML for browsers, plain text otherwise.

Every failure is an `OkgError` (the tree is drawn in `ombudsman_kg.errors`), which carries its
status, title and message; werkzeug's own HTTP errors (a 405 from routing, say) are turned into
ours first, and anything unexpected is logged server-side and answered with a generic 500. No
route ever shows a traceback (SPEC §4). A route family may show its errors on its own page
instead (the query page keeps the query typed): `shown_on_page`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed

from ombudsman_kg import errors
from ombudsman_kg.errors import OkgError, QueryLimit
from ombudsman_kg.rdf import formats
from ombudsman_kg.web.i18n import N_, SOURCE_LANGUAGE, current_language, gettext
from ombudsman_kg.web.negotiation import wants_html

LOG = logging.getLogger("ombudsman_kg.web")
#: werkzeug's HTTP errors, as ours
FROM_WERKZEUG: dict[int, type[OkgError]] = {
    400: errors.BadRequest,
    404: errors.NotFound,
    405: errors.MethodNotAllowed,
    406: errors.NotAcceptable,
    413: errors.PayloadTooLarge,
}
#: the titles of `ombudsman_kg.errors`, for the catalog (the page translates `error.title`)
TITLES = (
    N_("Server error"),
    N_("Bad request"),
    N_("Forbidden"),
    N_("Not found"),
    N_("Method not allowed"),
    N_("Not acceptable"),
    N_("Request too large"),
    N_("Store unavailable"),
    N_("Query limit reached"),
)
#: what a status means to a reader, in their language; the message itself says what happened,
#: in English when it carries a parser's or a store's words
EXPLANATIONS = {
    400: N_("The request could not be read; the details are below."),
    403: N_("This endpoint is read-only and fetches nothing from elsewhere."),
    404: N_("There is no such page or resource here."),
    405: N_("This address does not accept that method."),
    406: N_("None of the formats the request accepts is available here."),
    413: N_("The request is larger than this server accepts."),
    500: N_("The server failed to answer this request."),
    502: N_("The store behind this server did not answer."),
    503: N_("The query reached one of this server’s limits and was stopped; the server goes on."),
}
#: blueprint → (statuses it shows on its page, the page for an error)
_PAGES: dict[str, tuple[frozenset[int], Callable[[OkgError], str]]] = {}


def register(app: Flask) -> None:
    """Install the handler on `app`."""

    @app.errorhandler(OkgError)
    def okg_error(error: OkgError) -> Response:
        return render(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = render(from_werkzeug(error, app))
        if isinstance(error, WerkzeugMethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        LOG.exception("unexpected error on %s %s", request.method, request.path)
        return render(OkgError())


def shown_on_page(blueprint: str, statuses: set[int], page: Callable[[OkgError], str]) -> None:
    """Let a browser see `blueprint`'s errors of these statuses on `page(error)`."""
    _PAGES[blueprint] = (frozenset(statuses), page)


def render(error: OkgError) -> Response:
    """The error's page or text, with `Server-Timing` where a query was stopped."""
    shown = _PAGES.get(request.blueprint or "")
    if shown and error.status in shown[0] and wants_html(request.headers.get("Accept")):
        response = Response(shown[1](error), status=error.status, mimetype=formats.HTML.media_type)
    else:
        response = error_response(error)
    if isinstance(error, QueryLimit) and error.where:
        response.headers["Server-Timing"] = f'query;desc="{error.where}"'
    return response


def error_response(error: OkgError) -> Response:
    """The error page for a browser, else one line of text; never a traceback."""
    status, title, message = error.status, error.title, str(error)
    if wants_html(request.headers.get("Accept")):
        explanation = EXPLANATIONS.get(status)
        translated = gettext(message)
        body = render_template(
            "error.html",
            status=status,
            title=title,
            explanation=gettext(explanation) if explanation else "",
            message=translated,
            message_language=SOURCE_LANGUAGE
            if translated == message and current_language() != SOURCE_LANGUAGE
            else "",
        )
        return Response(body, status=status, mimetype=formats.HTML.media_type)
    return Response(f"{status} {title}: {message}\n", status=status, mimetype=formats.PLAIN)


def from_werkzeug(error: HTTPException, app: Flask) -> OkgError:
    status = error.code or 500
    kind = FROM_WERKZEUG.get(status)
    if status == 413:
        return errors.PayloadTooLarge(
            f"request body over the limit of {app.config['MAX_CONTENT_LENGTH']} bytes"
        )
    if kind is errors.NotFound:
        return errors.NotFound()
    if kind is not None:
        return kind(error.description)
    ours = OkgError(error.description)
    ours.status, ours.title = status, error.name
    return ours
