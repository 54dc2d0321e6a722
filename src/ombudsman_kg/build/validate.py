"""SHACL validation of the data with pyshacl, reported in terms a data editor can act on.

pyshacl reports focus node, path and message; the editor also needs the file and line where the
offending statement was written (SPEC §5), which `sources.DataSet.locate` finds. pyshacl is the
reference but takes hours at 10^6 triples (issue 4); above `PYSHACL_MAX_TRIPLES` (of the whole
data, not of one graph) the shapes run as SPARQL on Oxigraph instead (`build/shacl_sparql`),
with the same results and the same report.

Sources and the union (SPEC §7) are checked apart, because neither check alone is right:

- **per source**: each source graph, with the publisher's statements about its things and the
  kinds (`rdf:type`) any graph gives them (so that each thing meets the shapes of its kind), is
  checked against the maxima of the shapes (`per_source.maxima_only` says why only those): a
  source need not say everything about a thing, but it may not give two values where one is
  allowed. The publisher's own statements are checked the same way, as one more graph.
- **on the union** (`graph/data`): every constraint. A maximum (`sh:maxCount`,
  `sh:qualifiedMaxCount`, `sh:uniqueLang`) exceeded only because different sources give
  different values passes, since no per-source check found it exceeded; the shapes marked
  `okgsh:strictOnUnion true` (one label per language) hold on the union without that exception.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph
import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from ombudsman_kg.build import shacl_sparql
from ombudsman_kg.build.per_source import STRICT_ON_UNION, maxima_only, per_source_inputs
from ombudsman_kg.build.sources import DataSet, Location, to_rdflib_graph
from ombudsman_kg.build.statements import Statements, gather
from ombudsman_kg.errors import SettingsError

ENGINES = ("auto", "pyshacl", "sparql")
PYSHACL_MAX_TRIPLES = 20_000
OKGSH = "https://w3id.org/ombudsman-kg/shapes#"
PUBLISHER_GRAPH = "urn:okg:validate:publisher"
"""The name the per-graph count gives the publisher's statements, checked as one more graph."""
MAXIMA = frozenset(
    {
        str(SH.MaxCountConstraintComponent),
        str(SH.QualifiedMaxCountConstraintComponent),
        str(SH.UniqueLangConstraintComponent),
    }
)


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
    component: str = ""
    graph: str | None = None
    """The source graph whose check found it; None for the union or the publisher's."""

    def __str__(self) -> str:
        where = str(self.location) if self.location else "(not found in any data file)"
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        graph = f" [in <{self.graph}>]" if self.graph else ""
        return f"{where}: {self.severity}: <{self.focus}>{path}: {self.message}{value}{graph}"

    @property
    def key(self) -> tuple[str, str | None, str | None, str, str]:
        return (self.focus, self.path, self.value, self.shape, self.message)


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
    engine: str = "auto",
    statements: Statements | None = None,
) -> ValidationReport:
    """Validate `data` (with the ontology for class hierarchies) against every shape file, per
    source and on the union (module docstring).

    Inference is off: the shapes check what editors wrote, not what a reasoner adds. `engine`:
    "pyshacl" or "sparql" for every check, or "auto": the union with pyshacl up to
    `PYSHACL_MAX_TRIPLES` data triples (the size of the whole data, never of one graph), and the
    per-source maxima with the SPARQL engine, because pyshacl's fixed cost of about a second per
    run would be paid once per source graph.

    :raises DataError: when the files break the rules of who states what (`statements.gather`).
    :raises UnsupportedShape: when the sparql engine meets a SHACL feature it does not compile.
    """
    if engine not in ENGINES:
        raise SettingsError(f"validator must be one of {', '.join(ENGINES)}, not {engine!r}")
    statements = statements or gather(data)
    shapes = rdflib.Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    per_source_shapes = maxima_only(shapes)
    ontology_graph = to_rdflib_graph(ontology.triples())
    use_sparql = engine == "sparql" or (
        engine == "auto" and len(statements.data) > PYSHACL_MAX_TRIPLES
    )

    def run(
        triples: list[pyoxigraph.Triple], shapes_graph: rdflib.Graph, *, sparql: bool
    ) -> tuple[bool, rdflib.Graph]:
        if sparql:
            return shacl_sparql.validate(triples, ontology_graph, shapes_graph)
        conforms, report_graph, _ = pyshacl.validate(
            to_rdflib_graph(triples),
            shacl_graph=shapes_graph,
            ont_graph=ontology_graph,
            inference="none",
            advanced=True,
            allow_warnings=False,
        )
        return bool(conforms), report_graph

    report_graphs = []
    per_source: list[Violation] = []
    inputs = per_source_inputs(statements)
    if engine == "pyshacl":
        for graph, triples in inputs.items():
            conforms, report_graph = run(triples, per_source_shapes, sparql=False)
            if not conforms:
                report_graphs.append(report_graph)
                per_source += [replace(v, graph=graph) for v in _violations(report_graph)]
    else:
        named = {graph or PUBLISHER_GRAPH: triples for graph, triples in inputs.items()}
        results = shacl_sparql.maxima_per_graph(
            statements.data, named, ontology_graph, per_source_shapes
        )
        per_source = [_from_result(result) for result in results]
        if results:
            report_graphs.append(_report_of(results, per_source_shapes))
    conforms, report_graph = run(statements.data, shapes, sparql=use_sparql)
    report_graphs.append(report_graph)
    # never excused: the shapes marked strict, and a maximum of zero (no number of sources
    # makes more than none allowed)
    strict = {str(s) for s in shapes.subjects(STRICT_ON_UNION, rdflib.Literal(True))}
    strict |= {str(s) for s in shapes.subjects(SH.maxCount, rdflib.Literal(0))}
    exceeded_in_a_source = {(v.focus, v.path, v.component) for v in per_source}
    union = [
        v
        for v in _violations(report_graph)
        if not (
            v.component in MAXIMA
            and v.shape not in strict
            and (v.focus, v.path, v.component) not in exceeded_in_a_source
        )
    ]
    # Located last, only what is reported. A union result that a per-source check found too
    # stays when it points at another line: the per-source one names the source's block, the
    # union one the first place the subject stands (the publisher's statements first).
    located: dict[tuple[object, ...], Violation] = {}
    for violation in [*per_source, *union]:
        where = data.locate(violation.focus, violation.path, violation.graph)
        located.setdefault((violation.key, where), replace(violation, location=where))
    violations = sorted(
        located.values(),
        key=lambda v: (str(v.location or ""), v.focus, v.path or "", v.message, v.graph or ""),
    )
    combined = rdflib.Graph()
    for graph_part in report_graphs:
        combined += graph_part
    return ValidationReport(not violations, violations, combined)


def _report_of(results: list[shacl_sparql.Result], shapes: rdflib.Graph) -> rdflib.Graph:
    """The per-graph results as a report graph, as pyshacl's per-source runs give one."""
    graph = rdflib.Graph()
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(False)))
    for result in results:
        graph.add((report, SH.result, shacl_sparql.add_result(graph, result, shapes)))
    return graph


def _from_result(result: shacl_sparql.Result) -> Violation:
    """A per-graph result of the compiled engine, located in the block of its graph."""
    graph = str(result.graph) if result.graph is not None else None
    graph = None if graph == PUBLISHER_GRAPH else graph
    focus = str(result.focus)
    path = str(result.path) if isinstance(result.path, rdflib.URIRef) else None
    message = str(result.messages[0]) if result.messages else "constraint not satisfied"
    return Violation(
        focus=focus,
        path=path,
        value=None if result.value is None else str(result.value),
        message=message,
        severity=str(result.severity).rsplit("#", 1)[-1],
        shape=str(result.shape),
        location=None,
        component=str(result.component),
        graph=graph,
    )


def _violations(report_graph: rdflib.Graph) -> list[Violation]:
    """The results of a report, not yet located: only the ones reported are (a lookup reads the
    files, and at 10^6 most union results are dropped as values from different sources)."""
    return [
        violation_of(report_graph, result)
        for result in report_graph.subjects(SH.resultSeverity, None)
    ]


def violation_of(report: rdflib.Graph, result: rdflib.term.Node) -> Violation:
    """One result of a report graph, as the build reports it."""

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
        location=None,
        component=one(SH.sourceConstraintComponent) or "",
    )
