"""A graph written in any of our RDF formats, the same bytes for the same triples.

Pages, `/sparql` answers, dumps and both stores write through here, so JSON-LD always carries
its context inline (SPEC §3) and Turtle always has our prefixes, in a stable order.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph

from ombudsman_kg.rdf import formats, jsonld
from ombudsman_kg.rdf.namespaces import PREFIXES
from ombudsman_kg.rdf.terms import serialized


def serialize_graph(triples: Sequence[pyoxigraph.Triple], media_type: str) -> bytes:
    """The triples as `media_type` (a quad format puts them in the default graph).

    :raises KeyError: for a media type that is not RDF.
    """
    if media_type == formats.JSONLD.media_type:
        return jsonld.serialize(list(triples))
    rdf_format = formats.rdf_format(media_type)
    if rdf_format.supports_datasets:
        return write(
            [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples], rdf_format
        )
    return write(triples, rdf_format)


def write(
    items: Sequence[pyoxigraph.Triple] | Sequence[pyoxigraph.Quad], rdf_format: pyoxigraph.RdfFormat
) -> bytes:
    """Triples or quads as `rdf_format`; Turtle and TriG with our prefixes, sorted."""
    if rdf_format in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG):
        return sorted_prefixes(
            serialized(pyoxigraph.serialize(items, format=rdf_format, prefixes=PREFIXES))
        )
    return serialized(pyoxigraph.serialize(items, format=rdf_format))


def sorted_prefixes(text: bytes) -> bytes:
    """The same Turtle or TriG with its `@prefix` header in name order.

    pyoxigraph writes the header in its own map's order, which nothing promises to keep stable.
    """
    lines = text.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])
