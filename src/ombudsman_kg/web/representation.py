"""Answering with a graph: pick the format (extension or `Accept`), serialize, set the headers.

Shared by every route that returns RDF, so that negotiation, `Content-Location` and `Vary`
behave the same on `/doc/`, `/ontology`, `/dataset` and `/sparql` (SPEC §3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph
import werkzeug
from flask import Response, request

from ombudsman_kg.errors import NotFound
from ombudsman_kg.store.engine import serialize_graph
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.negotiation import GRAPH_TYPES, HTML


def negotiate(
    extension: str | None, available: Sequence[str] = GRAPH_TYPES, default: str = HTML
) -> str:
    """The media type for this request: the extension's if any, else `Accept`'s best.

    :raises NotFound: for an extension the route does not offer.
    :raises NotAcceptable: when `Accept` allows nothing available.
    """
    if extension is not None:
        media_type = negotiation.extension_type(extension, available)
        if media_type is None:
            raise NotFound(
                f"no .{extension} representation here; available: "
                + ", ".join("." + negotiation.extension_of(t) for t in available)
            )
        return media_type
    return negotiation.choose(request.headers.get("Accept"), available, default)


def graph_response(
    triples: Sequence[pyoxigraph.Triple],
    *,
    extension: str | None,
    path: str,
    html: Callable[[], str],
    available: Sequence[str] = GRAPH_TYPES,
) -> Response:
    """The graph as the negotiated type; HTML comes from `html()`, only when chosen.

    Without an extension the answer names the specific document in `Content-Location` and
    varies on `Accept`.
    """
    media_type = negotiate(extension, available)
    if media_type == HTML:
        response = Response(html(), mimetype=HTML)
        add_vary(response, "Accept-Language")
    else:
        response = rdf_response(triples, media_type)
    if extension is None:
        response.headers["Content-Location"] = f"{path}.{negotiation.extension_of(media_type)}"
        add_vary(response, "Accept")
    return response


def add_vary(response: werkzeug.Response, *headers: str) -> None:
    """Add to `Vary` without dropping what another layer put there."""
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    response.headers["Vary"] = ", ".join([*present, *(h for h in headers if h not in present)])


def rdf_response(triples: Sequence[pyoxigraph.Triple], media_type: str) -> Response:
    body = serialize_graph(list(triples), media_type)
    mimetype = media_type
    response = Response(body, mimetype=mimetype)
    if media_type in (
        negotiation.TURTLE,
        negotiation.NTRIPLES,
        negotiation.TRIG,
        negotiation.NQUADS,
    ):
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    return response
