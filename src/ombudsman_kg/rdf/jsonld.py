"""JSON-LD with the `@context` inline and compact IRIs, written deterministically.

Every JSON-LD answer must be readable with no network (SPEC §3), so the context travels inside
each document. rdflib's serializer can compact, but its output order follows Python's randomised
string hashing, and dumps must be byte-identical from build to build (SPEC §4); pyoxigraph's
writes no context. The data has no blank nodes, so flat node objects sorted by `@id` are a
complete, faithful rendering.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph

from ombudsman_kg.rdf.namespaces import PREFIXES, RDF_TYPE, XSD

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
XSD_STRING = XSD + "string"


def context() -> dict[str, Any]:
    """The context every JSON-LD answer carries, also served at `/context.jsonld`."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def serialize(triples: Iterable[pyoxigraph.Triple], *, indent: int | None = 1) -> bytes:
    """A JSON-LD document `{"@context": …, "@graph": [node objects sorted by @id]}`."""
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        node = nodes.setdefault(_node_id(triple.subject), {})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(triple.predicate.value), []).append(_value(triple.object))
    graph = []
    for node_id in sorted(nodes):
        node_object: dict[str, Any] = {"@id": node_id}
        for key in sorted(nodes[node_id]):
            values = sorted(nodes[node_id][key], key=_sort_key)
            node_object[key] = values[0] if len(values) == 1 else values
        graph.append(node_object)
    document = {**context(), "@graph": graph}
    text = json.dumps(document, ensure_ascii=False, indent=indent, sort_keys=False)
    return (text + "\n").encode("utf-8")


def compact(iri: str) -> str:
    """`prefix:local` where a prefix fits and the result cannot be mistaken for an IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and not local.startswith("//"):
                return f"{prefix}:{local}"
    return iri


def _node_id(term: object) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, pyoxigraph.NamedNode)  # noqa: S101 - RDF 1.1 subjects
    return compact(term.value)


def _value(term: object) -> Any:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"@id": f"_:{term.value}"}
    assert isinstance(term, pyoxigraph.Literal)  # noqa: S101
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def _sort_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
