"""The build's SHACL report as published at /validation (issue 12), written to `dist/`.

Kept apart from `validate.py`, which decides; this only writes down what it decided.
"""

from __future__ import annotations

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, SH

from ombudsman_kg.build.dumps import sort_triples
from ombudsman_kg.build.sources import to_oxigraph
from ombudsman_kg.build.validate import ValidationReport, violation_of
from ombudsman_kg.rdf.namespaces import BASE
from ombudsman_kg.rdf.serialize import write

Triple3 = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]
REPORT_IRI = BASE + "validation"
"""The report's name in what the build writes (`outputs.REPORT_RDF`), served at /validation."""
REPORT_LABELS = {
    "en": "The SHACL validation report of the build",
    "az": "Qurulmanın SHACL yoxlama hesabatı",
}


def report_turtle(report: ValidationReport) -> bytes:
    """The report in SHACL's own terms, as Turtle: one `sh:ValidationReport` named
    B + `validation` (issue 12), with the build's verdict and the results the build reported.

    Not the raw report graph: that says `sh:conforms false` for the union's maxima exceeded only
    because different sources give different values, which pass (module docstring), so it would
    contradict the build. A result found by more than one check is written once. Results are
    blank nodes, as SHACL writes them, labelled canonically (RDFC-1.0) and sorted, so that two
    builds of the same data write the same bytes.
    """
    node = rdflib.URIRef(REPORT_IRI)
    graph = rdflib.Graph()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(report.conforms)))
    for language, text in REPORT_LABELS.items():
        graph.add((node, rdflib.RDFS.label, rdflib.Literal(text, lang=language)))
    reported = {v.key for v in report.violations}
    candidates: dict[tuple[str, str | None, str | None, str, str], list[list[Triple3]]] = {}
    source = report.report_graph
    for result in set(source.subjects(SH.resultSeverity, None)):
        key = violation_of(source, result).key
        if key in reported:
            candidates.setdefault(key, []).append(_closure(source, result))
    for key in sorted(candidates, key=str):
        # the same result from two checks: the one that reads first with blank nodes blanked,
        # so that which check's copy is written does not depend on set order
        chosen = min(candidates[key], key=_shape_of)
        graph.add((node, SH.result, chosen[0][0]))
        for triple in chosen:
            graph.add(triple)
    dataset = pyoxigraph.Dataset(
        pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    )
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return write(sort_triples(q.triple for q in dataset), pyoxigraph.RdfFormat.TURTLE)


def _closure(graph: rdflib.Graph, node: rdflib.term.Node) -> list[Triple3]:
    """The triples of `node` and, through blank nodes, of what it points to (a complex path, a
    `sh:detail`): `node`'s own first."""
    out: list[Triple3] = []
    seen = {node}
    pending = [node]
    while pending:
        subject = pending.pop(0)
        for predicate, obj in sorted(graph.predicate_objects(subject), key=str):
            out.append((subject, predicate, obj))
            if isinstance(obj, rdflib.BNode) and obj not in seen:
                seen.add(obj)
                pending.append(obj)
    return out


def _shape_of(triples: list[Triple3]) -> list[str]:
    def text(term: rdflib.term.Node) -> str:
        return "_:" if isinstance(term, rdflib.BNode) else term.n3()

    return sorted(" ".join(text(t) for t in triple) for triple in triples)
