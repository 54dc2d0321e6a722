"""What the server says about each of its named graphs (B + `graph/...`, SPEC §1; issue 8, item 5).

Every graph name appears in the quad dumps, in the VoID description and in the service
description, so each must dereference. Its description is what VoID already says of it (a
`void:Dataset` in the data set, its label and triple count) plus where its triples are: the quad
dumps, which keep the graph names, and the SPARQL endpoint, where it is a named graph.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph

from ombudsman_kg.rdf.namespaces import BASE, DATASET, RDFS, RDFS_LABEL, VOID
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web.negotiation import NQUADS, TRIG

GRAPH_PREFIX = BASE + "graph/"


def graph_names(info: dict[str, Any]) -> set[str]:
    """Every graph the build wrote (`build.json`): the three of the default graph and the
    source graphs."""
    return set(info["graphs"]) | set(info.get("source_graphs", {}))


def describe_graph(
    iri: str, *, void: list[pyoxigraph.Triple], info: dict[str, Any]
) -> list[pyoxigraph.Triple]:
    """The triples of a named graph's description, every node an IRI (no blank nodes, SPEC §2)."""
    graph = pyoxigraph.NamedNode(iri)
    triples = [t for t in void if term_value(t.subject) == iri]

    def add(predicate: str, value: pyoxigraph.NamedNode | pyoxigraph.Literal) -> None:
        triples.append(pyoxigraph.Triple(graph, pyoxigraph.NamedNode(predicate), value))

    add(VOID + "sparqlEndpoint", pyoxigraph.NamedNode(BASE + "sparql"))
    for dump in info["dumps"]:
        if dump["media_type"] in (TRIG, NQUADS):
            add(VOID + "dataDump", pyoxigraph.NamedNode(f"{BASE}dumps/{dump['file']}"))
    label = next(
        (term_value(t.object) for t in triples if t.predicate.value == RDFS_LABEL), "a graph"
    )
    count = {**info["graphs"], **info.get("source_graphs", {})}[iri]
    add(
        RDFS + "comment",
        pyoxigraph.Literal(
            f"A named graph of the data set <{DATASET}>: {label}, {count} triples. Its triples "
            "are in the quad dumps (TriG, N-Quads), under this graph name, and at the SPARQL "
            f"endpoint as the named graph <{iri}> (GRAPH <{iri}> {{ ?s ?p ?o }}).",
            language="en",
        ),
    )
    return triples
