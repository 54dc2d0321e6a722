"""Typed access to the text of pyoxigraph terms.

pyoxigraph types a subject as `NamedNode | BlankNode | Triple` and an object as that or a
`Literal`; a quoted triple (RDF 1.2) has no `.value`, and our data never holds one.
"""

from __future__ import annotations

import pyoxigraph

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple


def term_value(term: Term) -> str:
    """The IRI, blank node label or lexical form of `term`; a quoted triple has none."""
    if isinstance(term, pyoxigraph.Triple):
        raise TypeError(f"a quoted triple has no value: {term}")
    return term.value


def serialized(content: bytes | None) -> bytes:
    """What `pyoxigraph.serialize` returns without `output`: bytes, never None."""
    if content is None:
        raise TypeError("pyoxigraph.serialize gave None without an output")
    return content
