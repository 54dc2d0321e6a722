"""SHACL validation of the data with pyshacl, reported in terms a data editor can act on.

pyshacl reports focus node, path and message; the editor also needs the file and line where the
offending statement was written (SPEC §5), which `loading.DataSet.locate` finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH

from ombudsman_kg.loading import DataSet, Location, to_rdflib_graph


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with where it was written."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str
    location: Location | None

    def __str__(self) -> str:
        where = str(self.location) if self.location else "(not found in any data file)"
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.severity}: <{self.focus}>{path}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    report_graph: rdflib.Graph

    def text(self) -> str:
        """The report for people: one line per result, in a stable order."""
        if self.conforms:
            return "conforms: no SHACL violations\n"
        lines = [f"{len(self.violations)} SHACL violation(s):"]
        lines += [str(v) for v in self.violations]
        return "\n".join(lines) + "\n"


def validate(
    data: DataSet, ontology: DataSet, shapes_dir: Path, *, data_graph: rdflib.Graph | None = None
) -> ValidationReport:
    """Validate `data` (with the ontology for class hierarchies) against every shape file.

    Inference is off: the shapes check what editors wrote, not what a reasoner adds.
    """
    shapes = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    graph = data_graph if data_graph is not None else to_rdflib_graph(data.triples())
    ontology_graph = to_rdflib_graph(ontology.triples())
    conforms, report_graph, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology_graph,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    violations = sorted(
        (
            _violation(report_graph, result, data)
            for result in report_graph.subjects(SH.resultSeverity, None)
        ),
        key=lambda v: (str(v.location or ""), v.focus, v.path or "", v.message),
    )
    return ValidationReport(bool(conforms), violations, report_graph)


def _violation(report: rdflib.Graph, result: rdflib.term.Node, data: DataSet) -> Violation:
    def one(predicate: rdflib.URIRef) -> str | None:
        value = report.value(result, predicate)
        return None if value is None else str(value)

    focus = one(SH.focusNode) or ""
    path = report.value(result, SH.resultPath)
    path_iri = str(path) if isinstance(path, rdflib.URIRef) else None
    severity = (one(SH.resultSeverity) or "").rsplit("#", 1)[-1]
    return Violation(
        focus=focus,
        path=path_iri,
        value=one(SH.value),
        message=one(SH.resultMessage) or "constraint not satisfied",
        severity=severity,
        shape=one(SH.sourceShape) or "",
        location=data.locate(focus, path_iri),
    )
