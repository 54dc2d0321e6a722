"""SPARQL text for SHACL terms and paths, and the data read as rdflib reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Literal, Node, URIRef

from ombudsman_kg.errors import UnsupportedShape

Term = ox.NamedNode | ox.BlankNode | ox.Literal
SETS_GRAPH = "urn:okg:shacl:sets"
MEMBER = "urn:okg:shacl:member"
ILL_TYPED = "urn:okg:shacl:ill-typed"
# pyshacl's DatatypeConstraintComponent._assert_actual_datatype: the Python value rdflib makes.
PYTHON_TYPES: dict[Node | None, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), XSD.integer: int, XSD.float: float, XSD.decimal: Decimal,
    XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}  # fmt: skip


def as_rdflib_quads(triples: Iterable[ox.Triple]) -> Iterator[ox.Quad]:
    """Triples as rdflib reads them, and a marker for each literal pyshacl finds ill-typed."""
    default, sets = ox.DefaultGraph(), ox.NamedNode(SETS_GRAPH)
    for triple in triples:
        obj = triple.object
        if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value != XSD.string:
            obj, ill_typed = _as_rdflib_reads(obj.value, obj.datatype.value)
            if ill_typed:
                yield ox.Quad(ox.NamedNode(ILL_TYPED), ox.NamedNode(MEMBER), obj, sets)
        yield ox.Quad(triple.subject, triple.predicate, obj, default)


@lru_cache(maxsize=1 << 16)
def _as_rdflib_reads(lexical: str, datatype: str) -> tuple[ox.Literal, bool]:
    literal = Literal(lexical, datatype=URIRef(datatype))
    kind = PYTHON_TYPES.get(literal.datatype)
    ill = literal.ill_typed is True or (kind is not None and not isinstance(literal.value, kind))
    return ox.Literal(str(literal), datatype=ox.NamedNode(datatype)), ill


def python_regex(pattern: str, flags: str) -> tuple[str, str]:
    """Python's `re` in Oxigraph's regex: without m, `$` also matches before a final newline."""
    used = "".join(f for f in "im" if f in flags.lower())
    out, escaped, in_class = [], False, False
    for char in pattern:
        if not escaped and not in_class and char == "$" and "m" not in used:
            out.append("(?:\\n?$)")
            continue
        in_class = (in_class or (char == "[" and not escaped)) and not (char == "]" and not escaped)
        escaped = char == "\\" and not escaped
        out.append(char)
    return "".join(out), used


def path_text(shapes: rdflib.Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    inverse, alternatives = (
        shapes.value(node, SH.inversePath),
        shapes.value(node, SH.alternativePath),
    )
    if inverse is not None:
        return f"^({path_text(shapes, inverse)})"
    if alternatives is not None:
        return "(" + "|".join(path_text(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(path_text(shapes, p) for p in Collection(shapes, node)) + ")"
    raise UnsupportedShape(f"path {node}: only predicate, inverse, sequence, alternative paths")


def term_text(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        suffix = f"@{node.language}" if node.language else f"^^<{node.datatype or XSD.string}>"
        return string(str(node)) + suffix
    raise UnsupportedShape(f"a blank node {node} cannot be matched in the data graph")


def string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'
