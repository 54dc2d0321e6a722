"""The per-source half of validation (SPEC §7): what each source graph is checked with, and
against which shapes. `validate.py` runs it beside the check of the union.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from ombudsman_kg.build.statements import Statements
from ombudsman_kg.rdf.namespaces import RDF_TYPE

OKGSH = "https://w3id.org/ombudsman-kg/shapes#"
STRICT_ON_UNION = rdflib.URIRef(OKGSH + "strictOnUnion")
SHAPE_WIRING = {RDF.type, RDFS.comment, SH.severity, SH.message, SH.name, SH.deactivated}
TARGETS = frozenset(
    {SH.targetClass, SH.targetNode, SH.target, SH.targetSubjectsOf, SH.targetObjectsOf}
)
KEEP_ON_PROPERTY = frozenset(
    {*SHAPE_WIRING, *TARGETS, SH.path, SH.maxCount, SH.qualifiedMaxCount}
    | {SH.qualifiedValueShape, SH.qualifiedValueShapesDisjoint, SH.uniqueLang, STRICT_ON_UNION}
)
KEEP_ON_NODE = frozenset({*SHAPE_WIRING, *TARGETS, SH.property, SH.prefixes})


def maxima_only(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes reduced to their maxima, for the per-source checks.

    Minima cannot hold per source (a source need not say everything), and every other
    constraint that fails on a source's values fails on the union too, since a source's values
    are some of the union's and the kinds come from every graph. What only a per-source check
    can find is a source giving more values than one allowed. The nodes that the kept
    constraints read (qualified value shapes, SPARQL targets) are kept whole.
    """
    shape_nodes = {
        s
        for s in [
            *shapes.subjects(RDF.type, SH.NodeShape),
            *shapes.subjects(RDF.type, SH.PropertyShape),
            *shapes.subjects(SH.path, None),
            *shapes.objects(None, SH.property),
        ]
    }
    protected: set[rdflib.term.Node] = set()
    pending = [
        o for p in (SH.qualifiedValueShape, SH.target, SH.prefixes) for o in shapes.objects(None, p)
    ]
    while pending:
        node = pending.pop()
        if node not in protected:
            protected.add(node)
            pending += [o for o in shapes.objects(node, None) if isinstance(o, rdflib.BNode)]
    kept = rdflib.Graph()
    for triple in shapes:
        subject, predicate, _ = triple
        if subject in shape_nodes and subject not in protected:
            keep = KEEP_ON_PROPERTY if (subject, SH.path, None) in shapes else KEEP_ON_NODE
            if predicate not in keep:
                continue
            if (
                predicate == SH.qualifiedValueShape
                and (subject, SH.qualifiedMaxCount, None) not in shapes
            ):
                continue
        kept.add(triple)
    return kept


def per_source_inputs(statements: Statements) -> dict[str | None, list[pyoxigraph.Triple]]:
    """Each source graph (and, under None, the publisher's statements), with the publisher's
    statements about its things and the kinds every graph gives the things it names."""
    types: dict[pyoxigraph.NamedNode, list[pyoxigraph.Triple]] = defaultdict(list)
    for triple in statements.data:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.subject, pyoxigraph.NamedNode):
            types[triple.subject].append(triple)
    about: dict[object, list[pyoxigraph.Triple]] = defaultdict(list)
    for triple in statements.publisher:
        about[triple.subject].append(triple)
    inputs: dict[str | None, list[pyoxigraph.Triple]] = {}
    for graph, triples in [*statements.sources.items(), (None, statements.publisher)]:
        subjects = {t.subject for t in triples}
        named = subjects | {t.object for t in triples if isinstance(t.object, pyoxigraph.NamedNode)}
        extra = [t for s in subjects for t in about.get(s, ())] if graph else []
        kinds = [t for n in named if isinstance(n, pyoxigraph.NamedNode) for t in types.get(n, ())]
        inputs[graph] = list({*triples, *extra, *kinds})
    return inputs
