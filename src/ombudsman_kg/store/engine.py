"""Checking and evaluating SPARQL with pyoxigraph, shared by the embedded store and its workers.

A query is checked before it reaches any store, and the check only reads its words: refused if
it is an update (SPEC §4) or names a SERVICE (which Oxigraph would fetch over the network), and
its form told from its first keyword. It is never handed to an engine for the check: pyoxigraph
has no parse-only call, and `Store.query` on an empty store evaluates what needs no data (a
product of VALUES blocks under an aggregate), where no time limit could stop it (issue 8). The
parser's own verdict comes from the evaluation, which runs where the limits hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pyoxigraph

from ombudsman_kg.errors import QuerySyntaxError, ServiceRefused, UpdateRefused
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.namespaces import GRAPHS
from ombudsman_kg.rdf.serialize import serialize_graph

# A query's strings, IRIs and comments: SPARQL keywords inside them are not keywords.
_STRING = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
)
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_COMMENT = r"#[^\n]*"
# Names that are not keywords: blank nodes, variables, prefixed names (`ex:SERVICE`).
_NAME = r"_:[\w.-]*|[?$]\w+|(?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*"
_TOKEN = re.compile(rf"{_STRING}|{_IRI}|{_COMMENT}|{_NAME}|[A-Za-z_]\w*")
# The constants a query's shape leaves out: literals (with their language tags), IRIs, comments.
_CONSTANT = re.compile(rf"(?:{_STRING})(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?|{_IRI}|{_COMMENT}")
_KEYWORD = re.compile(r"[A-Za-z_]\w*")
# SPARQL 1.1 §19.2: \u and \U escapes are replaced before the query is parsed, so that
# `\u0053ERVICE` is SERVICE; the words are read after the same replacement (as Oxigraph does).
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Keywords of SPARQL Update that no query has (SPARQL 1.1 Update §3, grammar [29]-[44]).
UPDATE_KEYWORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
)
QUERY_FORMS = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


@lru_cache(maxsize=1024)
def blank_constants(text: str) -> str:
    """The text with IRIs, literals (with their language tags) and comments blanked and the
    whitespace normalized: queries that differ only in those have the same shape.

    Remembered by text: clients send the same query again and again (a page that polls, a
    benchmark), and a lookup is cheaper than blanking a long query."""
    return " ".join(_CONSTANT.sub(_blank, text).split())


def _blank(match: re.Match[str]) -> str:
    token = match.group()
    if token.startswith("#"):
        return " "
    return "<>" if token.startswith("<") else '""'


def keywords(text: str) -> list[str]:
    """The query's bare words, upper-cased: its keywords (and `a`, and function names), never
    what stands inside a string, an IRI or a comment, nor a variable or a prefixed name."""
    if "\\" in text:
        text = _CODEPOINT.sub(_codepoint, text)
    return [
        token.upper()
        for token in (match.group() for match in _TOKEN.finditer(text))
        if _KEYWORD.fullmatch(token)
    ]


def _codepoint(match: re.Match[str]) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF else match.group()


def probe(text: str) -> str:
    """The query form (`SELECT`, `ASK`, `CONSTRUCT`, `DESCRIBE`) of a safe query, read from its
    words alone; `SELECT` when the text starts with no form, so that the parser, wherever the
    query runs, gives its message.

    :raises UpdateRefused: for SPARQL Update, in any form.
    :raises ServiceRefused: for a query with a SERVICE clause.
    """
    words = keywords(text)
    if UPDATE_KEYWORDS.intersection(words):
        raise UpdateRefused()
    if "SERVICE" in words:
        raise ServiceRefused()
    # SPARQL 1.1 Query grammar [1]-[2]: a prologue of PREFIX and BASE, then the form.
    form = next((word for word in words if word not in ("PREFIX", "BASE")), "")
    return form if form in QUERY_FORMS else "SELECT"


DEFAULT_GRAPH: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph] = [
    pyoxigraph.NamedNode(g) for g in GRAPHS
]


def execute(
    store: pyoxigraph.Store,
    text: str,
    media_type: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> bytes:
    """Evaluate and serialize. The default graph is the three graphs of SPEC §7 (`GRAPHS`, not
    the union of all named graphs, which would count a triple of two graphs twice) unless the
    protocol's `default-graph-uri` or the query's FROM names graphs (taken from the store).
    Every named graph, source graphs included, stays available to `GRAPH`."""
    options: dict[str, object] = {}
    if default_graphs:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in default_graphs]
    elif not declares_dataset(text):
        options["default_graph"] = DEFAULT_GRAPH
    if named_graphs:
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(text, **options)  # type: ignore[arg-type]
    except SyntaxError as error:
        raise QuerySyntaxError(f"SPARQL syntax error: {error}") from None
    if isinstance(result, pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions):
        output = result.serialize(format=formats.results_format(media_type))
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


def declares_dataset(text: str) -> bool:
    """Whether a query has its own FROM or FROM NAMED (outside strings, IRIs and comments).

    Both stores need to know: a Protocol dataset or a union default graph would override it.
    """
    return "FROM" in keywords(text)
