"""The SHACL shapes, tested both ways: the data conforms; each broken snippet fails for its rule.

Every file in tests/invalid/ (but `_valid-base.ttl`) is a self-contained data graph that breaks
exactly one rule. Its first lines say which:

    # Breaks: <the rule, in words>
    # Expect: <sh:sourceShape local name> <sh:resultPath: prefixed name, ^ for inverse, or ->

Validation must fail, and every result must come from that shape, with that path and a message
declared on that shape: a snippet that trips a second rule is a bug in the snippet or the shapes.

The shapes reach classes through rdfs:subClassOf (a source is a schema:CreativeWork, an event a
schema:Event, through the ontology's alignments), so every snippet is validated with the
ontology's subclass links as pyshacl's ont_graph (the build passes the whole ontology). The real
data is validated as the build validates it (`build.validate`: per source graph and on the
union, SPEC §7).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDFS, SH

from ombudsman_kg.build.sources import read_directory
from ombudsman_kg.build.validate import validate as validate_data

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "shapes" / "okg-shapes.ttl"
INVALID_DIR = Path(__file__).resolve().parent / "invalid"
VALID_BASE = INVALID_DIR / "_valid-base.ttl"
INVALID_FILES = sorted(p for p in INVALID_DIR.glob("*.ttl") if not p.name.startswith("_"))

SHAPES_NS = "https://w3id.org/ombudsman-kg/shapes#"
SHAPES_GRAPH_IRI = rdflib.URIRef("https://w3id.org/ombudsman-kg/shapes")
LICENSE = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")

# The arguments the build uses (src/ombudsman_kg/validate.py): advanced=True for the SHACL-AF
# SPARQL targets, no inference (the shapes check what editors wrote).
VALIDATE_OPTIONS = {
    "inference": "none",
    "advanced": True,
    "abort_on_first": False,
    "allow_infos": False,
    "allow_warnings": False,
}

HEADER = re.compile(r"\A# Breaks: (?P<rule>.+)\n# Expect: (?P<shape>\S+) (?P<path>\S+)\n")

# Parameters that do not by themselves make a shape report results.
NON_CONSTRAINT_PARAMETERS = {
    SH.property,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.deactivated,
    SH.target,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.prefixes,
    SH.declare,
    SH.order,
    SH.group,
}
TARGET_PARAMETERS = {
    SH.target,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
}


@cache
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@cache
def ontology_graph() -> rdflib.Graph:
    """The ontology's rdfs:subClassOf links, all the shapes read of it (sh:class and the SPARQL
    targets follow them); the rest would only slow pyshacl down, mixed into every snippet."""
    ontology = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    graph = rdflib.Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    assert len(graph) > 20
    return graph


def validate(data: rdflib.Graph) -> tuple[bool, rdflib.Graph, str]:
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), **VALIDATE_OPTIONS
    )
    return bool(conforms), report, text


def local_name(node: rdflib.term.Node) -> str:
    text = str(node)
    return text[len(SHAPES_NS) :] if text.startswith(SHAPES_NS) else text


def path_name(report: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    """A result path as written in `# Expect:` lines: a prefixed name, `^` for inverse, or `-`."""
    if path is None:
        return "-"
    if isinstance(path, rdflib.BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + path_name(report, inverse)
        return "(complex path)"
    return shapes_graph().namespace_manager.normalizeUri(path)


def declared_messages(shape: rdflib.term.Node) -> list[re.Pattern[str]]:
    """The messages a shape may report: its own and its SPARQL constraints', {?var} filled in."""
    graph = shapes_graph()
    messages = list(graph.objects(shape, SH.message))
    for constraint in graph.objects(shape, SH.sparql):
        messages += graph.objects(constraint, SH.message)
    return [
        re.compile(".+".join(re.escape(part) for part in re.split(r"\{[?$]\w+\}", str(m))) + r"\Z")
        for m in messages
    ]


def rule_shapes() -> set[rdflib.term.Node]:
    """Shapes that can be a result's sh:sourceShape: targeted or a targeted shape's sh:property,
    and with a constraint of their own (value shapes used through sh:node, sh:or are not)."""
    graph = shapes_graph()
    targeted = {s for p in TARGET_PARAMETERS for s in graph.subjects(p, None)}
    active = targeted | {p for s in targeted for p in graph.objects(s, SH.property)}
    return {
        shape
        for shape in active
        if any(
            str(p).startswith(str(SH)) and p not in NON_CONSTRAINT_PARAMETERS
            for p in graph.predicates(shape, None)
        )
    }


def expectation(path: Path) -> tuple[str, str, str]:
    match = HEADER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must start with '# Breaks: …' and '# Expect: <shape> <path>'"
    return match["rule"], match["shape"], match["path"]


def describe(report: rdflib.Graph) -> list[tuple[str, str, str, str]]:
    """(source shape, path, focus node, message) for each top-level result (not sh:detail)."""
    rows = []
    for result in report.objects(None, SH.result):
        rows.append(
            (
                local_name(report.value(result, SH.sourceShape)),
                path_name(report, report.value(result, SH.resultPath)),
                str(report.value(result, SH.focusNode)),
                str(report.value(result, SH.resultMessage)),
            )
        )
    return sorted(rows)


def test_real_data_conforms() -> None:
    data = read_directory(ROOT / "data")
    assert any(f.path.suffix == ".trig" for f in data.files), "no data/*.trig to validate"
    report = validate_data(
        data, read_directory(ROOT / "ontology"), SHAPES_FILE.parent, engine="pyshacl"
    )
    assert report.conforms, report.text()


def test_the_ontology_gives_the_subclass_links_the_shapes_rely_on() -> None:
    """Without them _valid-base.ttl would not conform: the shapes name roots, the data leaves."""
    conforms, report, _ = pyshacl.validate(
        rdflib.Graph().parse(VALID_BASE, format="turtle"),
        shacl_graph=shapes_graph(),
        **VALIDATE_OPTIONS,
    )
    assert not conforms
    assert "KindTypeShape" in {row[0] for row in describe(report)}


def test_valid_base_conforms() -> None:
    conforms, _, text = validate(rdflib.Graph().parse(VALID_BASE, format="turtle"))
    assert conforms, text


def test_corpus_is_large_enough() -> None:
    assert len(INVALID_FILES) >= 20


@pytest.mark.parametrize("snippet", INVALID_FILES, ids=lambda p: p.stem)
def test_invalid_snippet_fails_for_its_rule(snippet: Path) -> None:
    _, shape_name, path = expectation(snippet)
    conforms, report, text = validate(rdflib.Graph().parse(snippet, format="turtle"))
    results = describe(report)
    assert not conforms and results, f"{snippet.name} conforms, but should break {shape_name}"
    unexpected = [r for r in results if (r[0], r[1]) != (shape_name, path)]
    assert not unexpected, f"{snippet.name}: expected only {shape_name} {path}, got:\n{text}"
    shape = rdflib.URIRef(SHAPES_NS + shape_name)
    patterns = declared_messages(shape)
    for _, _, focus, message in results:
        assert any(p.match(message) for p in patterns), f"{focus}: undeclared message {message!r}"
    severities = {
        report.value(result, SH.resultSeverity) for result in report.objects(None, SH.result)
    }
    assert severities == {SH.Violation}


def test_every_rule_is_broken_by_some_snippet() -> None:
    expected = {expectation(path)[1] for path in INVALID_FILES}
    rules = {local_name(s) for s in rule_shapes()}
    assert sorted(rules - expected) == [], "rules that no snippet breaks"
    assert sorted(expected - rules) == [], "snippets that expect a shape that is not a rule"


def test_every_rule_has_an_english_message_and_violation_severity() -> None:
    graph = shapes_graph()
    for shape in rule_shapes():
        assert str(shape).startswith(SHAPES_NS), f"rule shapes are named: {shape}"
        assert graph.value(shape, SH.severity) == SH.Violation, local_name(shape)
        assert declared_messages(shape), f"{local_name(shape)} has no sh:message"


def test_shapes_graph_header() -> None:
    graph = shapes_graph()
    labels = {label.language: str(label) for label in graph.objects(SHAPES_GRAPH_IRI, RDFS.label)}
    assert set(labels) == {"en", "az"}
    assert graph.value(SHAPES_GRAPH_IRI, DCTERMS.license) == LICENSE


def test_snippets_are_valid_turtle_with_one_rule_each() -> None:
    for path in INVALID_FILES:
        rule, shape, result_path = expectation(path)
        assert rule and shape and result_path
        assert len(rdflib.Graph().parse(path, format="turtle")) > 0
