"""Reading the answers of another SPARQL store: results and graphs, in any format it sends.

Nothing of pyoxigraph's results parser leaves these calls, not even in a traceback: pyo3 will
not free those objects in another thread, and a traceback caught in a reference cycle is freed
by whichever thread collects it. So each returns what it read, or a string saying what is wrong.
"""

from __future__ import annotations

import pyoxigraph

from ombudsman_kg.rdf import formats

Term = pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode


def results_parser(media_type: str) -> pyoxigraph.QueryResultsFormat | None:
    """pyoxigraph's parser for a results answer; CSV loses term types, so it is not read."""
    found = formats.by_media_type(media_type)
    if found is None or found.results is None or found is formats.CSV:
        return None
    return found.results


def graph_parser(media_type: str) -> pyoxigraph.RdfFormat | None:
    found = formats.by_media_type(media_type)
    return None if found is None else found.rdf


def read_results(body: bytes, media_type: str) -> list[dict[str, Term]] | bool | str:
    """SELECT rows or an ASK answer, else what is wrong with the answer."""
    results_format = results_parser(media_type)
    if results_format is None:
        return f"answered {media_type or 'untyped'} data"
    try:
        result = pyoxigraph.parse_query_results(body, format=results_format)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return bool(result)
        names = [variable.value for variable in result.variables]
        rows = []
        for solution in result:
            rows.append({name: solution[name] for name in names if solution[name] is not None})
        return rows
    except (SyntaxError, ValueError) as error:
        return _unreadable(error)


def convert_results(
    body: bytes, media_type: str, results_format: pyoxigraph.QueryResultsFormat
) -> bytes | str:
    """The answer in another results format, else what is wrong with it."""
    parse_format = results_parser(media_type)
    if parse_format is None:
        return f"answered {media_type or 'untyped'} data"
    try:
        result = pyoxigraph.parse_query_results(body, format=parse_format)
        output = result.serialize(format=results_format)
    except (SyntaxError, ValueError) as error:
        return _unreadable(error)
    assert output is not None  # noqa: S101 - no file given, so bytes come back
    return output


def read_graph(body: bytes, media_type: str) -> list[pyoxigraph.Triple] | str:
    """The triples of a CONSTRUCT or DESCRIBE answer, else what is wrong with it."""
    rdf_format = graph_parser(media_type)
    if rdf_format is None:
        return f"answered {media_type or 'untyped'} data"
    triples = []
    try:
        for quad in pyoxigraph.parse(body, format=rdf_format):
            triples.append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    except (SyntaxError, ValueError) as error:
        return _unreadable(error)
    return triples


def _unreadable(error: Exception) -> str:
    return f"sent an answer that does not parse: {error}"
