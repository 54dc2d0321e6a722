"""What a request wants, decided once, and the answer in it: HTML the view rendered, or RDF.

Every route that answers a graph (`/doc/`, `/ontology`, `/shapes`, `/dataset`, `/graph/`, the
service description) decides here, once per request, the media type (the extension's, else the
best for `Accept`), the reader's language and this server's origin (`Wanted`); the view then
renders HTML itself or hands the triples to `rdf_response`. `Content-Location` and `Vary` come
out the same on every route (SPEC §3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph
import werkzeug
from flask import Response, request

from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.serialize import serialize_graph
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.i18n import chosen_in_url, reader_language
from ombudsman_kg.web.negotiation import GRAPH_TYPES, HTML


@dataclass(frozen=True)
class Wanted:
    """What this request asked for: a media type and, for HTML, the reader's language and the
    origin the links point to (left empty for RDF, which depends on neither)."""

    media_type: str
    language: str
    origin: str
    #: chosen by an extension (`.ttl`), not by `Accept`: no `Content-Location`, no `Vary`
    by_extension: bool = False
    #: the language was chosen in the URL (`?lang=`), so the page's links carry it
    language_in_url: bool = False

    @classmethod
    def of_request(cls, extension: str | None, available: Sequence[str] = GRAPH_TYPES) -> Wanted:
        """:raises NotFound: for an extension the route does not offer.
        :raises NotAcceptable: when `Accept` allows nothing available."""
        media_type = negotiate(extension, available)
        if media_type != HTML:  # RDF is the same in every language and at every origin
            return cls(media_type, "", "", extension is not None)
        return cls(
            media_type,
            reader_language(),
            request.host_url,
            extension is not None,
            chosen_in_url() is not None,
        )

    @property
    def is_html(self) -> bool:
        return self.media_type == HTML

    def cache_key(self) -> tuple[str, ...]:
        """What an answer in this representation depends on: HTML links to the origin and is
        in the reader's language; RDF is the same for everyone."""
        if self.is_html:
            return (self.media_type, self.language, self.origin, str(self.language_in_url))
        return (self.media_type,)


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


def html_response(body: str, wanted: Wanted, *, path: str) -> Response:
    """A page the view rendered, for the document at `path`."""
    response = Response(body, mimetype=HTML)
    add_vary(response, "Accept-Language")
    return _located(response, wanted, path)


def rdf_response(
    triples: Sequence[pyoxigraph.Triple], wanted: Wanted, *, path: str | None = None
) -> Response:
    """The triples in the wanted RDF format, for the document at `path` (None: no document,
    as for a query's answer)."""
    response = Response(serialize_graph(triples, wanted.media_type), mimetype=wanted.media_type)
    if wanted.media_type in formats.CHARSET_UTF8:
        response.headers["Content-Type"] = f"{wanted.media_type}; charset=utf-8"
    return response if path is None else _located(response, wanted, path)


def add_vary(response: werkzeug.Response, *headers: str) -> None:
    """Add to `Vary` without dropping what another layer put there."""
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    response.headers["Vary"] = ", ".join([*present, *(h for h in headers if h not in present)])


def _located(response: Response, wanted: Wanted, path: str) -> Response:
    """Without an extension the answer names the specific document and varies on `Accept`."""
    if not wanted.by_extension:
        extension = negotiation.extension_of(wanted.media_type)
        response.headers["Content-Location"] = f"{path}.{extension}"
        add_vary(response, "Accept")
    return response
