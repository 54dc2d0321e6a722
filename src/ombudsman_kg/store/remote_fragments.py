"""`RemoteStore.pattern`: a page of a Triple or Quad Pattern Fragment (`/fragments`) from a
SPARQL endpoint, in two queries of bounded cost (SPEC §4), whatever the endpoint holds.

First the count, stopped past `PATTERN_COUNT_MAX` (a `LIMIT` inside the `COUNT`); then the page,
with `OFFSET` and `LIMIT`, sorted by the endpoint only when the count says the matches are few
enough to sort, since an `ORDER BY` sorts every match before it skips any. The queries are the
server's own (`queries/fragment-*.rq`); the terms go in as `RemoteStore` writes every term,
checked (`sparql_iri`), so that nothing a client sends can change the query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph

from ombudsman_kg.store import queries
from ombudsman_kg.store.base import PATTERN_COUNT_MAX, PatternGraph, PatternTerm

if TYPE_CHECKING:
    from ombudsman_kg.store.remote import RemoteStore


def pattern(
    store: RemoteStore,
    subject: PatternTerm,
    predicate: PatternTerm,
    object: PatternTerm,
    graph: PatternGraph,
    *,
    offset: int,
    limit: int,
) -> tuple[list[pyoxigraph.Quad], int]:
    """As `Store.pattern`; a term that cannot be written in SPARQL matches nothing.

    :raises ValueError: when `offset + limit` exceeds `PATTERN_COUNT_MAX`.
    :raises QueryTimeout: past the time limit.
    :raises StoreUnavailable: when the endpoint does not answer, or answers no count.
    """
    from ombudsman_kg.store.remote import _fill, sparql_iri  # remote.py imports this module

    if offset < 0 or limit < 0 or offset + limit > PATTERN_COUNT_MAX:
        raise ValueError(f"a page ends past the {PATTERN_COUNT_MAX} matches a fragment counts")
    terms = {
        "subject": _sparql_term(subject, "?s"),
        "predicate": _sparql_term(predicate, "?p"),
        "object": _sparql_term(object, "?o"),
    }
    name, order = "fragment", "ORDER BY ?s ?p ?o"
    if not isinstance(graph, pyoxigraph.DefaultGraph):
        terms["graph"] = "?g" if graph is None else sparql_iri(graph.value)
        name, order = "fragment-quads", "ORDER BY ?g ?s ?p ?o"
    checked = {key: value for key, value in terms.items() if value is not None}
    if len(checked) < len(terms):
        return [], 0
    count_text = _fill(queries.load(name + "-count"), **checked, cap=str(PATTERN_COUNT_MAX + 1))
    rows = store._solutions(count_text, timeout_s=store._page_timeout_s)
    found = rows[0].get("count") if rows else None
    if not isinstance(found, pyoxigraph.Literal):
        raise store._unavailable("did not count the matches of a fragment")
    count = int(found.value)
    if offset >= count or limit == 0:
        return [], count
    page_text = _fill(
        queries.load(name + "-page"),
        **checked,
        order=order if count <= PATTERN_COUNT_MAX else "",
        offset=str(offset),
        limit=str(limit),
    )
    quads = []
    for row in store._solutions(page_text, timeout_s=store._page_timeout_s):
        terms_of_row = [row.get("s", subject), row.get("p", predicate), row.get("o", object)]
        if not isinstance(graph, pyoxigraph.DefaultGraph):
            terms_of_row.append(row.get("g", graph))
        quads.append(pyoxigraph.Quad(*terms_of_row))  # type: ignore[arg-type]
    return quads, count


def _sparql_term(term: PatternTerm, variable: str) -> str | None:
    """`variable` for any term, a checked `<IRI>`, or a literal as N-Triples writes it (a subset
    of SPARQL's literal syntax: quotes and line breaks escaped); None when it cannot be written."""
    from ombudsman_kg.store.remote import sparql_iri

    if term is None:
        return variable
    if isinstance(term, pyoxigraph.NamedNode):
        return sparql_iri(term.value)
    if sparql_iri(term.datatype.value) is None:
        return None
    return str(term)
