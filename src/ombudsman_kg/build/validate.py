"""SHACL validation of the data with pyshacl, reported in terms a data editor can act on.

pyshacl reports focus node, path and message; the editor also needs the file and line where the
offending statement was written (SPEC §5), which `loading.DataSet.locate` finds. pyshacl is the
reference but takes hours at 10^6 triples (issue 4); above `PYSHACL_MAX_TRIPLES` the shapes run
as SPARQL on Oxigraph instead (`build/shacl_sparql`), with the same results and the same report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib
from rdflib.namespace import SH

from ombudsman_kg.build import shacl_sparql
from ombudsman_kg.build.sources import DataSet, Location, to_oxigraph, to_rdflib_graph
from ombudsman_kg.errors import SettingsError

ENGINES = ("auto", "pyshacl", "sparql")
PYSHACL_MAX_TRIPLES = 20_000


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
    data: DataSet,
    ontology: DataSet,
    shapes_dir: Path,
    *,
    data_graph: rdflib.Graph | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate `data` (with the ontology for class hierarchies) against every shape file.

    Inference is off: the shapes check what editors wrote, not what a reasoner adds. `engine`:
    "pyshacl", "sparql", or "auto" (pyshacl up to `PYSHACL_MAX_TRIPLES` data triples).

    :raises UnsupportedShape: when the sparql engine meets a SHACL feature it does not compile.
    """
    if engine not in ENGINES:
        raise SettingsError(f"validator must be one of {', '.join(ENGINES)}, not {engine!r}")
    shapes = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    ontology_graph = to_rdflib_graph(ontology.triples())
    if engine == "sparql" or (engine == "auto" and len(data) > PYSHACL_MAX_TRIPLES):
        triples = data.triples() if data_graph is None else _oxigraph_triples(data_graph)
        conforms, report_graph = shacl_sparql.validate(triples, ontology_graph, shapes)
    else:
        graph = data_graph if data_graph is not None else to_rdflib_graph(data.triples())
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


def _oxigraph_triples(graph: rdflib.Graph) -> Iterator[pyoxigraph.Triple]:
    for s, p, o in graph:
        yield pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


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
