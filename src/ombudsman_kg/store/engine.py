"""Checking and evaluating SPARQL with pyoxigraph, shared by the embedded store and its workers.

A query is checked before it reaches any store: parsed (pyoxigraph parses lazily, so asking an
empty store for a query costs a parse and nothing more), refused if it is an update (SPEC §4) or
names a SERVICE (which Oxigraph would fetch over the network).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import pyoxigraph

from ombudsman_kg import jsonld
from ombudsman_kg.dumps import sorted_prefixes
from ombudsman_kg.errors import QuerySyntaxError, ServiceRefused, UpdateRefused
from ombudsman_kg.namespaces import PREFIXES
from ombudsman_kg.terms import serialized

RESULT_FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/trig": pyoxigraph.RdfFormat.TRIG,
    "application/n-quads": pyoxigraph.RdfFormat.N_QUADS,
}

_UPDATE_START = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_SERVICE_WORD = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# A query's strings, IRIs and comments: SPARQL keywords inside them are not keywords.
_STRING = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_COMMENT = r"#[^\n]*"
_TOKEN = re.compile(rf"{_STRING}|{_IRI}|{_COMMENT}|[?$]?[A-Za-z_][\w.:-]*")
# The constants a query's shape leaves out: literals (with their language tags), IRIs, comments.
_CONSTANT = re.compile(rf"(?:{_STRING})(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?|{_IRI}|{_COMMENT}")
_UPDATE_WORD = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE
)
_EMPTY = pyoxigraph.Store()
_PROBED: OrderedDict[str, str] = OrderedDict()
_PROBED_MAX = 10_000
_PROBED_LOCK = threading.Lock()


def probe_by_shape(text: str) -> str:
    """`probe`, remembered by the query's shape (`blank_constants`): what it decides (update,
    SERVICE, the query form) depends only on the text outside IRIs, literals and comments, so a
    query of a shape already checked skips the second parse. A constant that does not parse
    still gets its syntax error, from the evaluation."""
    shape = blank_constants(text)
    with _PROBED_LOCK:
        form = _PROBED.get(shape)
    if form is not None:
        return form
    form = probe(text)
    with _PROBED_LOCK:
        _PROBED[shape] = form
        while len(_PROBED) > _PROBED_MAX:
            _PROBED.popitem(last=False)
    return form


@lru_cache(maxsize=1024)
def blank_constants(text: str) -> str:
    """The text with IRIs, literals (with their language tags) and comments blanked and the
    whitespace normalized: queries that differ only in those have the same shape.

    Remembered, since a request asks twice (the check, then where to run it)."""
    return " ".join(_CONSTANT.sub(_blank, text).split())


def _blank(match: re.Match[str]) -> str:
    token = match.group()
    if token.startswith("#"):
        return " "
    return "<>" if token.startswith("<") else '""'


def probe(text: str) -> str:
    """The query form (`SELECT`, `ASK`, `CONSTRUCT`, `DESCRIBE`) of a safe query.

    :raises UpdateRefused: for SPARQL Update, in any form.
    :raises ServiceRefused: for a query with a SERVICE clause.
    :raises QuerySyntaxError: with the parser's message for anything else that does not parse.
    """
    if _UPDATE_START.match(_strip_comments(text)):
        raise UpdateRefused("SPARQL Update is not accepted: this endpoint is read-only")
    if _SERVICE_WORD.search(text) and _has_service(text):
        raise ServiceRefused(
            "SERVICE is not allowed: this endpoint answers from its own store and fetches nothing"
        )
    try:
        result = _EMPTY.query(text)
    except SyntaxError as error:
        if _is_update(text):
            raise UpdateRefused(
                "SPARQL Update is not accepted: this endpoint is read-only"
            ) from None
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return "ASK"
    if isinstance(result, pyoxigraph.QuerySolutions):
        return "SELECT"
    return "CONSTRUCT"


def execute(
    store: pyoxigraph.Store,
    text: str,
    media_type: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> bytes:
    """Evaluate and serialize. The default graph is the union of all named graphs unless the
    protocol's `default-graph-uri` or the query's FROM names graphs (taken from the store)."""
    options: dict[str, object] = {}
    if default_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]
    elif not declares_dataset(text):
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(text, **options)  # type: ignore[arg-type]
    except SyntaxError as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    if isinstance(result, pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions):
        output = result.serialize(format=RESULT_FORMATS[media_type])
        assert output is not None  # noqa: S101 - no file given, so bytes come back
        return output
    triples = list(result)
    return serialize_graph(triples, media_type)


def in_memory_copy(dump: str) -> pyoxigraph.Store:
    """The data of an N-Quads dump in an in-memory store: several times faster to query than
    the on-disk store for the same data.

    :raises OSError: when the dump cannot be read.
    :raises SyntaxError: when it does not parse.
    """
    store = pyoxigraph.Store()
    store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def serialize_graph(triples: list[pyoxigraph.Triple], media_type: str) -> bytes:
    """A graph in any of GRAPH_FORMATS; JSON-LD with its context inline (SPEC §3)."""
    if media_type == "application/ld+json":
        return jsonld.serialize(triples)
    rdf_format = GRAPH_FORMATS[media_type]
    if rdf_format in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG):
        return sorted_prefixes(
            serialized(pyoxigraph.serialize(triples, format=rdf_format, prefixes=PREFIXES))
        )
    if rdf_format.supports_datasets:
        triples = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]  # type: ignore[misc]
    return serialized(pyoxigraph.serialize(triples, format=rdf_format))


def _strip_comments(text: str) -> str:
    return re.sub(r"(?m)#[^\n<>\"']*$", "", text)


def declares_dataset(text: str) -> bool:
    """Whether a query has its own FROM or FROM NAMED (outside strings, IRIs and comments).

    Both stores need to know: a Protocol dataset or a union default graph would override it.
    """
    return any(match.group().upper() == "FROM" for match in _TOKEN.finditer(text))


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    if not _UPDATE_WORD.search(text):
        return False
    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - not an update either: the query's syntax error stands
        return False
    return True


def _has_service(text: str) -> bool:
    """Whether rdflib's parser finds a SERVICE pattern; unparseable text counts as yes."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - any parser failure: refuse rather than risk a fetch
        return True
    return "ServiceGraphPattern" in repr(tree)
