"""SHACL validation compiled into SPARQL: our shapes, evaluated set-at-a-time by Oxigraph.

pyshacl evaluates every constraint per focus node and per value node in Python: 70-90 s for
10^4 triples here, hours for the 10^6 that issue 4 asks `build` to validate in minutes. This
module compiles each (shape, constraint) into one SPARQL SELECT that finds every violating focus
node at once, and runs it in Rust on a pyoxigraph store.

pyshacl stays the reference (tests/test_shape_queries.py compares both engines), so what it
does is mirrored where it goes beyond the letter of SHACL: the ontology is mixed into the data
graph with pyshacl's own `inoculate` (as its `ont_graph` does); literals are read as rdflib
reads them (normalized lexical forms; ill-typed ones fail sh:datatype); sh:pattern follows
Python's `re` (`$` also matches before a final newline, only the i and m flags); sh:languageIn
compares tags as pyshacl does; sh:node results carry the nested shape's results as sh:detail.
Focus sets are materialized once per set of targets in a named graph that the shapes' own
queries, which see only the default graph, never read. Anything not compiled raises
UnsupportedShape, so a new shape never silently passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
import rdflib
from pyshacl.rdfutil.inoculate import inoculate
from pyshacl.validator import USE_FULL_MIXIN
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Literal

from ombudsman_kg.build.shacl_sparql.compile import Evaluator
from ombudsman_kg.build.shacl_sparql.per_graph import PerGraphEvaluator
from ombudsman_kg.build.shacl_sparql.results import Result, add_result
from ombudsman_kg.build.shacl_sparql.text import as_rdflib_quads
from ombudsman_kg.build.sources import to_oxigraph

__all__ = ["Result", "add_result", "evaluate", "load_store", "maxima_per_graph", "validate"]


def validate(
    data: Iterable[ox.Triple], ontology: rdflib.Graph, shapes: rdflib.Graph
) -> tuple[bool, rdflib.Graph]:
    """Conforms, and a minimal sh:ValidationReport with the results pyshacl gives (advanced).

    :raises UnsupportedShape: for a SHACL feature this module does not compile.
    """
    results = evaluate(load_store(data, ontology), shapes)
    graph = rdflib.Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not results)))
    for result in results:
        graph.add((report, SH.result, add_result(graph, result, shapes)))
    return not results, graph


def load_store(data: Iterable[ox.Triple], ontology: rdflib.Graph) -> ox.Store:
    """The data graph pyshacl validates: the data with the ontology mixed in, read by rdflib."""
    mixed = ontology if USE_FULL_MIXIN else inoculate(rdflib.Graph(), ontology)  # type: ignore[arg-type]
    store = ox.Store()
    store.extend(as_rdflib_quads(data))
    store.extend(as_rdflib_quads(ox.Triple(*map(to_oxigraph, triple)) for triple in mixed))  # type: ignore[arg-type]
    return store


def maxima_per_graph(
    default: Iterable[ox.Triple],
    graphs: Mapping[str, Iterable[ox.Triple]],
    ontology: rdflib.Graph,
    shapes: rdflib.Graph,
) -> list[Result]:
    """The maxima of `shapes` counted in each of `graphs` apart, in one store and one query
    per constraint: focus nodes (and qualified values) are found in `default` with the
    ontology, values are counted inside each graph. Each result names its graph.

    :raises UnsupportedShape: for a SHACL feature this module does not compile.
    """
    store = load_store(default, ontology)
    for name, triples in graphs.items():
        graph = ox.NamedNode(name)
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in as_rdflib_quads(triples)
            if isinstance(q.graph_name, ox.DefaultGraph)
        )
    return PerGraphEvaluator(store, shapes).run()


def evaluate(store: ox.Store, shapes: rdflib.Graph) -> list[Result]:
    """Every result of every targeted shape on `store`'s default graph."""
    return Evaluator(store, shapes).run()
