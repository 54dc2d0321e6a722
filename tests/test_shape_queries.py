"""The SPARQL validation engine gives pyshacl's results: same conforms, same results, same text.

pyshacl is the reference (`build/validate.py`); `build/shacl_sparql/` compiles the same
shapes into SPARQL for large data (issue 4). Compared on `_valid-base.ttl` and every snippet of
tests/invalid/ (with the ontology's rdfs:subClassOf links, as tests/test_shapes.py validates
them: the shapes follow them, and pyshacl takes twice as long with the whole ontology mixed in;
a snippet is one graph of the publisher's, so its statements are given to `validate` as such,
without `statements.gather`, which would refuse its hand-written prov:wasDerivedFrom), and, with
the ontology as pyshacl's ont_graph exactly as `build` runs it, on the real data (TriG, per
source and on the union) and on generated bench data broken in several ways.
A result is compared with its focus node, path, source shape, messages, value, severity and
constraint component, and with the results under its sh:detail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ombudsman_kg.build.sources import DataSet, read_directory, read_file
from ombudsman_kg.build.statements import Statements
from ombudsman_kg.build.validate import ValidationReport, validate
from ombudsman_kg.errors import UnsupportedShape

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes"
INVALID_DIR = ROOT / "tests" / "invalid"
SNIPPETS = sorted(INVALID_DIR.glob("*.ttl"))

Row = tuple[object, ...]

# Each appended to generated data; each breaks a rule where the engines could differ: literals
# rdflib normalizes or finds ill-typed, Python's `$`, literal and blank values under sh:node,
# inverse paths, SPARQL constraints, qualified counts, uniqueLang.
BREAKAGES = """
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix okg:    <https://w3id.org/ombudsman-kg/ontology#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/ombudsman-kg/id/event/broken-dates>
    a                     okg:GeneralAssembly ;
    rdfs:label            "Broken"@en , "Sınıq"@az , "Kaputt"@de ;
    schema:startDate      "2021-02-30"^^xsd:date ;
    schema:endDate        "2021-03-01+05:00"^^xsd:date , "2020"^^xsd:gYear ;
    schema:location       "Baku" ;
    schema:organizer      _:someone .

<https://w3id.org/ombudsman-kg/id/place/newline>
    a                     schema:Country ;
    rdfs:label            "Newline"@en , "Yeni sətir"@az , "Second"@en ;
    okg:iso3166Alpha2     "NL\\n" ;
    okg:iso3166Alpha3     "NLD"^^xsd:token ;
    okg:iso3166Numeric    "0528"^^xsd:integer ;
    owl:sameAs            <http://www.wikidata.org/entity/Q7172> , <https://example.org/nl> .

<https://w3id.org/ombudsman-kg/id/role/member-role>
    a                     org:Role ;
    rdfs:label            "Role"@en-GB , "Rol"@AZ .

<https://w3id.org/ombudsman-kg/id/membership/role-as-member>
    a                     org:Membership ;
    org:member            <https://w3id.org/ombudsman-kg/id/role/member-role> ;
    org:organization      <https://w3id.org/ombudsman-kg/id/place/newline> .

<https://w3id.org/ombudsman-kg/id/source/doc-two-titles>
    a                     schema:DigitalDocument , schema:WebPage ;
    dct:title             "One"@en , "Two"@EN ;
    schema:inLanguage     "az-Latn" ;
    schema:url            "https://example.org/not-an-iri" ;
    schema:citation       <https://w3id.org/ombudsman-kg/id/source/missing> .

<https://w3id.org/ombudsman-kg/id/Bad_Slug>
    a                     <https://w3id.org/ombudsman-kg/ontology#NoSuchClass> .

<https://w3id.org/ombudsman-kg/id/person/wrong-kind>
    a                     org:Role ;
    rdfs:label            "Wrong kind"@en , "Səhv növ"@az .
"""


def results(report: ValidationReport) -> Counter[Row]:
    """Every result, details included, as comparable rows; a detail row names its parent's."""
    graph = report.report_graph
    rows: Counter[Row] = Counter()

    def walk(result: rdflib.term.Node, parent: Row | None) -> None:
        row: Row = (
            parent,
            term(graph, graph.value(result, SH.focusNode)),
            path(graph, graph.value(result, SH.resultPath)),
            path(graph, graph.value(result, SH.sourceShape)),
            frozenset(str(m) for m in graph.objects(result, SH.resultMessage)),
            term(graph, graph.value(result, SH.value)),
            term(graph, graph.value(result, SH.resultSeverity)),
            term(graph, graph.value(result, SH.sourceConstraintComponent)),
        )
        rows[row] += 1
        for detail in graph.objects(result, SH.detail):
            walk(detail, row)

    for result in graph.objects(None, SH.result):
        walk(result, None)
    return rows


def term(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str | None:
    """IRIs and literals as N3, data blank nodes by label (both engines keep the data's)."""
    return None if node is None else node.n3()


def path(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str | None:
    """A path by its structure in SPARQL syntax, a blank-node shape as [] (labels differ)."""
    if not isinstance(node, rdflib.BNode):
        return term(graph, node)
    inverse, alternatives = graph.value(node, SH.inversePath), graph.value(node, SH.alternativePath)
    if inverse is not None:
        return f"^{path(graph, inverse)}"
    if alternatives is not None:
        return "(" + "|".join(str(path(graph, p)) for p in Collection(graph, alternatives)) + ")"
    if graph.value(node, RDF.first) is not None:
        return "(" + "/".join(str(path(graph, p)) for p in Collection(graph, node)) + ")"
    return "[]"


def assert_same(
    data: DataSet, ontology: DataSet, statements: Statements | None = None
) -> ValidationReport:
    reference = validate(data, ontology, SHAPES, engine="pyshacl", statements=statements)
    compiled = validate(data, ontology, SHAPES, engine="sparql", statements=statements)
    assert compiled.conforms == reference.conforms
    # As sets: with engine="sparql" the per-source maxima (shacl_sparql.maxima_per_graph) are not
    # in the report graph, with "pyshacl" they are, beside the same results of the union run; the
    # violations (and the text) compare the per-source results.
    expected, actual = set(results(reference)), set(results(compiled))
    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, (
        f"missing {sorted(map(str, missing))}\nextra {sorted(map(str, extra))}"
    )
    assert compiled.text() == reference.text()
    assert [(v.key, v.graph, v.location) for v in compiled.violations] == [
        (v.key, v.graph, v.location) for v in reference.violations
    ]
    return reference


@pytest.fixture(scope="module")
def ontology() -> DataSet:
    return read_directory(ROOT / "ontology")


@pytest.fixture(scope="module")
def subclass_links(tmp_path_factory: pytest.TempPathFactory, ontology: DataSet) -> DataSet:
    """The ontology's rdfs:subClassOf triples alone, as tests/test_shapes.py gives them."""
    path = tmp_path_factory.mktemp("ontology") / "subclasses.ttl"
    subclass = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    path.write_text(
        "".join(f"{t} .\n" for t in ontology.triples() if t.predicate.value == subclass),
        encoding="utf-8",
    )
    return DataSet([read_file(path)])


def as_publishers(data: DataSet) -> Statements:
    """A snippet's triples, all of them the publisher's (a Turtle file has no blocks)."""
    triples = sorted(set(data.triples()), key=str)
    return Statements(sources={}, publisher=triples, data=triples)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: p.stem)
def test_snippet_same_results(snippet: Path, subclass_links: DataSet) -> None:
    data = DataSet([read_file(snippet)])
    report = assert_same(data, subclass_links, as_publishers(data))
    assert report.conforms == snippet.name.startswith("_")


def test_real_data_same_results(ontology: DataSet) -> None:
    assert assert_same(read_directory(ROOT / "data"), ontology).conforms


def test_generated_data_broken_same_results(tmp_path: Path, ontology: DataSet) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", "3000", "--out",
         str(tmp_path)], check=True, capture_output=True,
    )  # fmt: skip
    assert assert_same(read_directory(tmp_path), ontology).conforms
    people = tmp_path / "people-and-posts.trig"
    text = people.read_text(encoding="utf-8")
    text = re.sub(r'"@az ', '"@tr ', text, count=3)  # three things lose their Azerbaijani label
    people.write_text(text.replace("org:heldBy", "org:holds", 2), encoding="utf-8")
    (tmp_path / "zz-broken.ttl").write_text(BREAKAGES, encoding="utf-8")
    report = assert_same(read_directory(tmp_path), ontology)
    shapes = {v.shape.rsplit("#", 1)[-1] for v in report.violations}
    broken = {"LabelAzShape", "EventDateOrderShape", "CountryAlpha3Shape", "RoleNotAgentShape",
              "SourceTitleShape", "NoBlankObjectShape", "KindTypeShape", "IriShape"}  # fmt: skip
    assert broken <= shapes
    assert "CountryAlpha2Shape" not in shapes, "Python's $ matches before a final newline"


@pytest.mark.parametrize(
    "constraint",
    [
        "sh:path rdfs:label ; sh:minLength 2",
        "sh:path [ sh:zeroOrMorePath rdfs:label ] ; sh:minCount 1",
        "sh:path rdfs:label ; sh:or ( [ sh:path rdfs:label ; sh:minCount 1 ] )",
        "sh:path rdfs:label ; sh:node [ sh:nodeKind sh:Literal ]",
        "sh:target [ a sh:JSTarget ]",
        'sh:rule [ a sh:SPARQLRule ; sh:construct "CONSTRUCT { $this a $this } WHERE { }" ]',
    ],
)
def test_unsupported_shape_is_refused(constraint: str, tmp_path: Path, ontology: DataSet) -> None:
    """A feature the compiler lacks fails loudly (here an sh:node shape without a message too)."""
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<urn:shape> sh:targetClass rdfs:Class ; sh:message "m" ; {constraint} .\n',
        encoding="utf-8",
    )
    data = DataSet([read_file(INVALID_DIR / "_valid-base.ttl")])
    with pytest.raises(UnsupportedShape):
        validate(data, ontology, tmp_path, engine="sparql", statements=as_publishers(data))


GENERAL_SHAPES = """
@prefix ex:   <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

ex:ClassShape a sh:NodeShape , rdfs:Class ;
    sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:message "two p" ] .
ex:NodeTargets a sh:NodeShape ; sh:targetNode ex:a , "lit" ; sh:nodeKind sh:IRI ;
    sh:message "an IRI" .
ex:Subjects a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:severity sh:Warning ;
    sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ; sh:message "A or B, not both" .
ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:message "an integer, {$this}" ;
    sh:and ( [ sh:nodeKind sh:Literal ] [ sh:datatype xsd:integer ] ) .
ex:Paths a sh:PropertyShape ; sh:targetClass ex:A ; sh:message "starts with x" ;
    sh:path ( ex:p [ sh:alternativePath ( ex:q ex:r ) ] ) ; sh:pattern "^x" ; sh:flags "i" .
ex:Off a sh:NodeShape ; sh:targetClass ex:A ; sh:deactivated true ; sh:nodeKind sh:Literal ;
    sh:message "never" .
ex:Sparql a sh:NodeShape ; sh:targetClass ex:B ; sh:sparql [
    sh:message "literal {?value} on {$this}" ;
    sh:select "SELECT $this ?value { $this <http://example.org/p> ?value FILTER isLiteral(?value) }"
] .
"""
GENERAL_DATA = """
@prefix ex:   <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

ex:a   a ex:A ; ex:p ex:b , "7"^^xsd:integer , "x" .
ex:b   a ex:B ; ex:p "X1" ; ex:q "xyz" ; ex:r "nope" .
ex:c   a ex:ClassShape ; ex:p 1 .
ex:d   a ex:A , ex:B ; ex:p "01"^^xsd:integer .
ex:sub rdfs:subClassOf ex:A .
ex:e   a ex:sub ; ex:p ex:b .
"""


def test_general_features_same_results(tmp_path: Path) -> None:
    """SHACL the shapes file does not use yet, compiled the way pyshacl evaluates it."""
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "general.ttl").write_text(GENERAL_SHAPES, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(GENERAL_DATA, encoding="utf-8")
    data = DataSet([read_file(tmp_path / "data.ttl")])
    reference = validate(data, DataSet([]), tmp_path / "shapes", engine="pyshacl")
    compiled = validate(data, DataSet([]), tmp_path / "shapes", engine="sparql")
    assert compiled.conforms == reference.conforms is False
    assert results(compiled) == results(reference)
    assert len(reference.violations) >= 8
