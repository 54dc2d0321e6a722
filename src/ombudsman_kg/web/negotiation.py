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

HTML = "text/html"
TURTLE = "text/turtle"
JSONLD = "application/ld+json"
NTRIPLES = "application/n-triples"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQUADS = "application/n-quads"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

GRAPH_TYPES = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV, HTML)
QUERY_GRAPH_TYPES = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS, HTML)

EXTENSIONS = {
    "html": HTML,
    "ttl": TURTLE,
    "jsonld": JSONLD,
    "nt": NTRIPLES,
    "rdf": RDFXML,
    "trig": TRIG,
    "nq": NQUADS,
}
ALIASES = {
    "application/json": (JSONLD, SPARQL_JSON),
    "application/xml": (RDFXML, SPARQL_XML),
    "text/xml": (RDFXML, SPARQL_XML),
    "application/x-turtle": (TURTLE,),
    "text/plain": (NTRIPLES,),
    "application/xhtml+xml": (HTML,),
    "text/rdf+n3": (TURTLE,),
}


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
        return choose(accept_header, (HTML, "text/plain"), "text/plain") == HTML
    except NotAcceptable:
        return False
