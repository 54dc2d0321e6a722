"""Choosing a representation from `Accept`, with q-values honoured (SPEC §3).

werkzeug parses the header; the rules here are the ones the contract adds: no `Accept` or
`*/*` gets the route's default, an explicit type wins over a wildcard of equal q, a tie keeps
the server's order, and nothing acceptable is a 406 that lists what is available.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ombudsman_kg.errors import NotAcceptable
from ombudsman_kg.rdf import formats

HTML = formats.HTML.media_type
TURTLE = formats.TURTLE.media_type
JSONLD = formats.JSONLD.media_type
NTRIPLES = formats.NTRIPLES.media_type
RDFXML = formats.RDFXML.media_type
TRIG = formats.TRIG.media_type
NQUADS = formats.NQUADS.media_type
SPARQL_JSON = formats.SPARQL_JSON.media_type
SPARQL_XML = formats.SPARQL_XML.media_type
CSV = formats.CSV.media_type
TSV = formats.TSV.media_type

GRAPH_TYPES = tuple(f.media_type for f in formats.GRAPHS)
RESULT_TYPES = tuple(f.media_type for f in formats.RESULTS)
QUERY_GRAPH_TYPES = tuple(f.media_type for f in formats.QUERY_GRAPHS)

#: a document's extensions: HTML and the RDF formats
EXTENSIONS = {f.extension: f.media_type for f in formats.ALL if f.rdf or f is formats.HTML}
ALIASES = formats.ALIASES


def choose(accept_header: str | None, available: Sequence[str], default: str) -> str:
    """The best of `available` for this `Accept` header.

    :raises NotAcceptable: when no available type has q > 0.
    """
    if not accept_header or not accept_header.strip():
        return default
    accept = parse_accept_header(accept_header, MIMEAccept)
    excluded = {v.lower() for v, q in accept if q <= 0}
    order = [default, *(c for c in available if c != default)]
    best: tuple[float, int, int, str] | None = None
    for value, quality in accept:
        if quality <= 0:
            continue
        for candidate, specificity in _matches(value.lower(), available, default):
            if candidate in excluded:
                continue
            rank = (quality, specificity, -order.index(candidate), candidate)
            if best is None or rank[:3] > best[:3]:
                best = rank
    if best is None:
        raise NotAcceptable(
            "none of the requested types is available; available: " + ", ".join(available)
        )
    return best[3]


def _matches(value: str, available: Sequence[str], default: str) -> list[tuple[str, int]]:
    if value == "*/*":
        return [(c, 0) for c in available]
    if value.endswith("/*"):
        major = value[:-1]
        return [(c, 1) for c in available if c.startswith(major)]
    if value in available:
        return [(value, 2)]
    return [(c, 2) for c in ALIASES.get(value, ()) if c in available][:1]


def extension_type(extension: str, available: Sequence[str]) -> str | None:
    """The media type an extension such as `ttl` names, if the route offers it."""
    media_type = EXTENSIONS.get(extension)
    return media_type if media_type in available else None


def extension_of(media_type: str) -> str:
    return next(ext for ext, value in EXTENSIONS.items() if value == media_type)


def wants_html(accept_header: str | None) -> bool:
    """For error pages: does the client prefer HTML to plain text? Browsers do."""
    if not accept_header:
        return False
    try:
        return choose(accept_header, (HTML, formats.PLAIN), formats.PLAIN) == HTML
    except NotAcceptable:
        return False
