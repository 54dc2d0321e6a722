"""Every representation the project reads or writes, in one table built on pyoxigraph's own.

pyoxigraph knows each RDF and results format's media type, file extension and W3C `formats`
IRI (`RdfFormat.media_type`, `.file_extension`, `.iri`); this table adds only what it does not:
the short name the CLI takes, HTML, and the aliases clients send. Negotiation, the engine, the
CLI, the remote store, the Graph Store push, the service description and compression read it,
so a new format is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One representation: its media type and extension, and pyoxigraph's format for it."""

    name: str
    media_type: str
    extension: str
    rdf: pyoxigraph.RdfFormat | None = None
    results: pyoxigraph.QueryResultsFormat | None = None
    #: the W3C `formats` IRI, for the service description
    iri: str | None = None

    @property
    def quads(self) -> bool:
        return self.rdf is not None and self.rdf.supports_datasets


def _rdf(rdf: pyoxigraph.RdfFormat, *, iri: str | None = None) -> Format:
    extension = rdf.file_extension
    return Format(extension, rdf.media_type, extension, rdf=rdf, iri=iri or rdf.iri)


def _results(results: pyoxigraph.QueryResultsFormat, name: str) -> Format:
    media_type = results.media_type.split(";")[0].strip()
    return Format(name, media_type, results.file_extension, results=results, iri=results.iri)


HTML = Format("html", "text/html", "html")
TURTLE = _rdf(pyoxigraph.RdfFormat.TURTLE)
# pyoxigraph names JSON-LD by its newer `formats/data/` IRI; the W3C list keeps this one.
JSONLD = _rdf(pyoxigraph.RdfFormat.JSON_LD, iri=W3C_FORMATS + "JSON-LD")
NTRIPLES = _rdf(pyoxigraph.RdfFormat.N_TRIPLES)
RDFXML = _rdf(pyoxigraph.RdfFormat.RDF_XML)
TRIG = _rdf(pyoxigraph.RdfFormat.TRIG)
NQUADS = _rdf(pyoxigraph.RdfFormat.N_QUADS)
SPARQL_JSON = _results(pyoxigraph.QueryResultsFormat.JSON, "json")
SPARQL_XML = _results(pyoxigraph.QueryResultsFormat.XML, "xml")
CSV = _results(pyoxigraph.QueryResultsFormat.CSV, "csv")
TSV = _results(pyoxigraph.QueryResultsFormat.TSV, "tsv")

#: what request bodies and plain answers are, beside the representations above
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
PLAIN = "text/plain"
JSON = "application/json"
GZIP = "application/gzip"

ALL = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS, SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: a page or document about things: HTML first, the default
GRAPHS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
#: what a CONSTRUCT or DESCRIBE may be answered in (HTML: the query page's table)
QUERY_GRAPHS = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS, HTML)
#: what a SELECT or ASK may be answered in
RESULTS = (SPARQL_JSON, SPARQL_XML, CSV, TSV, HTML)
#: types clients send that mean one of ours
ALIASES = {
    "application/json": (JSONLD.media_type, SPARQL_JSON.media_type),
    "application/xml": (RDFXML.media_type, SPARQL_XML.media_type),
    "text/xml": (RDFXML.media_type, SPARQL_XML.media_type),
    "application/x-turtle": (TURTLE.media_type,),
    "text/plain": (NTRIPLES.media_type,),
    "application/xhtml+xml": (HTML.media_type,),
    "text/rdf+n3": (TURTLE.media_type,),
}
#: what we ask of another store when we read a graph back, best first
GRAPH_READ_BACK_ACCEPT = (
    f"{NTRIPLES.media_type}, {TURTLE.media_type};q=0.9, {RDFXML.media_type};q=0.5"
)
#: types worth compressing: text, and every RDF and results format
COMPRESSIBLE = ("text/", "application/json", "application/xml", *(f.media_type for f in ALL))
#: the text encodings of our RDF answers that say their charset
CHARSET_UTF8 = frozenset(f.media_type for f in (TURTLE, NTRIPLES, TRIG, NQUADS))

_BY_MEDIA_TYPE = {f.media_type: f for f in ALL}
_BY_EXTENSION = {f.extension: f for f in ALL}
_BY_NAME = {f.name: f for f in ALL}


def by_media_type(media_type: str) -> Format | None:
    """Our format for a media type (parameters and case ignored), `text/plain` as N-Triples."""
    key = media_type.split(";")[0].strip().lower()
    if key == "text/plain":
        return NTRIPLES
    return _BY_MEDIA_TYPE.get(key)


def by_extension(extension: str) -> Format | None:
    return _BY_EXTENSION.get(extension)


def by_name(name: str) -> Format | None:
    """The format the CLI's `--format NAME` names (`ttl`, `json`, ...)."""
    return _BY_NAME.get(name)


def rdf_format(media_type: str) -> pyoxigraph.RdfFormat:
    """:raises KeyError: for a media type that is not RDF."""
    found = by_media_type(media_type)
    if found is None or found.rdf is None:
        raise KeyError(media_type)
    return found.rdf


def results_format(media_type: str) -> pyoxigraph.QueryResultsFormat:
    """:raises KeyError: for a media type that is not a SPARQL results format."""
    found = by_media_type(media_type)
    if found is None or found.results is None:
        raise KeyError(media_type)
    return found.results
