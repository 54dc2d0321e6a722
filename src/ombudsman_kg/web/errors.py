"""One handler turns every failure into a clean answer: HTML for browsers, plain text otherwise.

No route ever shows a traceback (SPEC §4): unexpected exceptions are logged server-side and
answered with a generic 500.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ombudsman_kg.errors import OkgError
from ombudsman_kg.web.negotiation import wants_html

LOG = logging.getLogger("ombudsman_kg.web")
TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request too large",
    415: "Unsupported media type",
    500: "Server error",
    502: "Store unavailable",
    503: "Query limit reached",
}


def register(app: Flask) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(OkgError)
    def okg_error(error: OkgError) -> Response:
        return error_response(error.status, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = {
            404: "no such page or resource here",
            413: f"request body over the limit of {app.config['MAX_CONTENT_LENGTH']} bytes",
        }.get(status, error.description or TITLES.get(status, "error"))
        response = error_response(status, message)
        if status == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods or ())
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        LOG.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "the server failed to answer this request")


def error_response(status: int, message: str) -> Response:
    """The error page or text for `status`, never with a traceback."""
    title = TITLES.get(status, "Error")
    if wants_html(request.headers.get("Accept")):
        body = render_template("error.html", status=status, title=title, message=message)
        return Response(body, status=status, mimetype="text/html")
    return Response(f"{status} {title}: {message}\n", status=status, mimetype="text/plain")
