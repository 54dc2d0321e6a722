"""Who states what (SPEC §7, docs/authoring.md): `build/statements.py` and the per-source and
union checks of `build/validate.py`, on small TriG directories written for each test.

Each directory has `sources.trig`, the publisher's descriptions of two sources (`one`, `two`),
and one more file with the statements under test; every refusal must name that file and the line
of the offending statement.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from ombudsman_kg.build.sources import DataSet, read_directory
from ombudsman_kg.build.statements import Statements, gather
from ombudsman_kg.build.validate import validate
from ombudsman_kg.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/ombudsman-kg/id/"
GRAPH = "https://w3id.org/ombudsman-kg/graph/source/"
PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"

PREFIXES = """\
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix okg:    <https://w3id.org/ombudsman-kg/ontology#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix source: <https://w3id.org/ombudsman-kg/graph/source/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""
"""Ten lines: a test file's own text starts on line 11."""

SOURCES = (
    PREFIXES
    + f"""
<{ID}source/one>
    a                     schema:WebPage ;
    rdfs:label            "Page one"@en , "Birinci səhifə"@az ;
    schema:url            <https://example.org/one> ;
    dct:publisher         <{ID}organization/publisher-of-one> .

<{ID}source/two>
    a                     schema:NewsArticle ;
    rdfs:label            "Article two"@en , "İkinci məqalə"@az ;
    schema:url            <https://example.org/two> .

<{ID}organization/publisher-of-one>
    a                     org:FormalOrganization ;
    rdfs:label            "Publisher of one"@en , "Birincinin naşiri"@az .
"""
)

EVENT = f"<{ID}event/assembly>"


def directory(tmp_path: Path, text: str) -> tuple[DataSet, Path]:
    """sources.trig and t.trig (PREFIXES + text) in tmp_path/data."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.trig").write_text(SOURCES, encoding="utf-8")
    path = data / "t.trig"
    path.write_text(PREFIXES + text, encoding="utf-8")
    assert PREFIXES.count("\n") == 10
    return read_directory(data), path


def refused(tmp_path: Path, text: str) -> tuple[str, Path]:
    data, path = directory(tmp_path, text)
    with pytest.raises(DataError) as error:
        gather(data)
    return str(error.value), path


# Refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        'skos:editorialNote    "A note."@en',
        f"prov:wasDerivedFrom   <{ID}source/one>",
        "owl:sameAs            <http://www.wikidata.org/entity/Q227>",
        'okg:iso3166Alpha2     "AZ"',
    ],
)
def test_a_publisher_only_predicate_inside_a_block_is_refused(tmp_path, statement):
    message, path = refused(
        tmp_path,
        f"""GRAPH source:one {{
    <{ID}place/azerbaijan>
        a                     schema:Country ;
        {statement} .
}}
""",
    )
    predicate = statement.split()[0]
    assert f"{path}:14: " in message, message
    assert "is the publisher's, never a source's" in message
    assert message.count("\n") == 1, message
    assert predicate.split(":")[1] in message


@pytest.mark.parametrize("kind", ["source/two", "disagreement/a-disagreement"])
def test_a_statement_about_a_source_or_a_disagreement_inside_a_block_is_refused(tmp_path, kind):
    message, path = refused(
        tmp_path,
        f"""GRAPH source:one {{
    <{ID}{kind}>
        a                     schema:CreativeWork ;
        dct:title             "Two"@en .
}}
""",
    )
    assert f"{path}:13: " in message and f"{path}:14: " in message, message
    assert f"<{ID}{kind}> is described by the publisher, never inside a source's block" in message


def test_a_block_naming_an_undescribed_source_is_refused(tmp_path):
    message, path = refused(
        tmp_path,
        f"""
GRAPH source:three {{
    <{ID}place/azerbaijan>
        a                     schema:Country .
}}
""",
    )
    assert f"{path}:13: the block names <{GRAPH}three>" in message, message
    assert f"<{ID}source/three> is not described" in message


def test_a_block_whose_graph_is_not_a_source_graph_is_refused(tmp_path):
    message, path = refused(
        tmp_path,
        f"""GRAPH <https://example.org/graph> {{
    <{ID}place/azerbaijan>
        a                     schema:Country .
}}
""",
    )
    assert f"{path}:12: the block's graph <https://example.org/graph> is not a source graph" in (
        message
    ), message


def test_a_subject_without_its_type_in_the_block_is_refused(tmp_path):
    message, path = refused(
        tmp_path,
        f"""GRAPH source:one {{
    {EVENT}
        a                     okg:GeneralAssembly ;
        schema:location       <{ID}place/azerbaijan> .

    <{ID}place/azerbaijan>
        rdfs:label            "Azərbaycan"@az .
}}

<{ID}place/azerbaijan>
    a                     schema:Country .
""",
    )
    assert f"{path}:16: <{ID}place/azerbaijan> has no rdf:type in the block of <{GRAPH}one>" in (
        message
    ), message
    assert message.count("\n") == 1, message


def test_a_hand_written_provenance_on_a_thing_a_block_describes_is_refused(tmp_path):
    message, path = refused(
        tmp_path,
        f"""GRAPH source:one {{
    {EVENT}
        a                     okg:GeneralAssembly .
}}

{EVENT}
    rdfs:label            "The assembly"@en ;
    prov:wasDerivedFrom   <{ID}source/one> .
""",
    )
    assert f"{path}:18: prov:wasDerivedFrom on <{ID}event/assembly> is derived by the build" in (
        message
    ), message


DISAGREEMENT = f"""GRAPH source:one {{
    {EVENT}
        a                     okg:GeneralAssembly ;
        schema:startDate      "2014"^^xsd:gYear .
}}

GRAPH source:two {{
    <{ID}event/assembly-two>
        a                     okg:GeneralAssembly ;
        schema:startDate      "2014-04-29"^^xsd:date .
}}

<{ID}disagreement/when>
    a                     okg:Disagreement ;
    schema:about          {EVENT} ;
    okg:disagreementKind  okg:precision ;
    okg:onProperty        schema:startDate ;
    okg:side              <{ID}disagreement/when-2014> , <{ID}disagreement/when-day> .

<{ID}disagreement/when-2014>
    a                     okg:DisagreementSide ;
    okg:sideValue         "2014"^^xsd:gYear ;
    okg:statedBy          <{ID}source/one> .

<{ID}disagreement/when-day>
    a                     okg:DisagreementSide ;
    okg:sideValue         "2014-04-29"^^xsd:date ;
    okg:statedBy          <{ID}source/two> .
"""
"""Source two dates its own event, not the one the disagreement is about: the day side (line 37
of the file, its okg:sideValue) is not in source two's graph."""


def test_a_property_side_whose_value_is_not_in_its_sources_graph_is_refused(tmp_path):
    message, path = refused(tmp_path, DISAGREEMENT)
    assert f"{path}:37: the side <{ID}disagreement/when-day> says <{ID}source/two> states" in (
        message
    ), message
    assert message.count("\n") == 1, message


def test_an_identity_side_whose_thing_is_not_in_its_sources_graph_is_refused(tmp_path):
    text = DISAGREEMENT.replace(
        "okg:onProperty        schema:startDate ;",
        f"schema:about          <{ID}event/assembly-two> ;",
    ).replace('"2014"^^xsd:gYear ;\n    okg:statedBy', f"{EVENT} ;\n    okg:statedBy")
    text = text.replace(
        '"2014-04-29"^^xsd:date ;\n    okg:statedBy', f"{EVENT} ;\n    okg:statedBy"
    )
    text = text.replace("okg:precision", "okg:identity")
    message, path = refused(tmp_path, text)
    # the day side now says source two describes the assembly of source one
    assert f"{path}:37: the side <{ID}disagreement/when-day> says <{ID}source/two> states a " in (
        message
    ), message
    assert f"a description of {EVENT}" in message
    assert message.count("\n") == 1, message


def test_the_disagreement_fixture_passes_once_its_side_is_in_the_graph(tmp_path):
    """The two refusals above are about the side, not about something else in the fixture."""
    data, _ = directory(tmp_path, DISAGREEMENT.replace(f"<{ID}event/assembly-two>", EVENT))
    statements = gather(data)
    assert GRAPH + "two" in statements.sources


# What gather() returns ---------------------------------------------------------------------------

TWO_SOURCES = f"""GRAPH source:one {{
    {EVENT}
        a                     okg:GeneralAssembly ;
        rdfs:label            "Baş Assambleya"@az ;
        schema:location       <{ID}place/azerbaijan> .
}}

GRAPH source:two {{
    {EVENT}
        a                     okg:GeneralAssembly ;
        schema:startDate      "2022-10"^^xsd:gYearMonth .

    <{ID}place/azerbaijan>
        a                     schema:Country ;
        rdfs:label            "Azərbaycan"@az .
}}

{EVENT}
    rdfs:label            "The General Assembly"@en .

<{ID}place/azerbaijan>
    rdfs:label            "Azerbaijan"@en ;
    okg:iso3166Alpha2     "AZ" .
"""


def triple(subject: str, predicate: str, obj: str) -> pyoxigraph.Triple:
    return pyoxigraph.Triple(
        pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(predicate), pyoxigraph.NamedNode(obj)
    )


def test_provenance_is_derived_once_per_source_that_describes_a_thing(tmp_path):
    data, _ = directory(tmp_path, TWO_SOURCES)
    statements = gather(data)
    event = ID + "event/assembly"
    derived = {t for t in statements.publisher if t.predicate.value == PROV}
    assert triple(event, PROV, ID + "source/one") in derived
    assert triple(event, PROV, ID + "source/two") in derived
    # Azerbaijan is named by source one, described (typed) only by source two
    assert {t.object.value for t in derived if t.subject.value == ID + "place/azerbaijan"} == {
        ID + "source/two"
    }
    # the publisher of a page, named only in the page's description, comes from that page
    assert {
        t.object.value for t in derived if t.subject.value == ID + "organization/publisher-of-one"
    } == {ID + "source/one"}
    assert not any(t.predicate.value == PROV for ts in statements.sources.values() for t in ts)


def test_a_disagreement_and_its_sides_rest_on_the_sources_the_sides_name(tmp_path):
    data, _ = directory(tmp_path, DISAGREEMENT.replace(f"<{ID}event/assembly-two>", EVENT))
    statements = gather(data)
    derived = {
        (t.subject.value, t.object.value)
        for t in statements.publisher
        if t.predicate.value == PROV and "/disagreement/" in t.subject.value
    }
    assert derived == {
        (ID + "disagreement/when", ID + "source/one"),
        (ID + "disagreement/when", ID + "source/two"),
        (ID + "disagreement/when-2014", ID + "source/one"),
        (ID + "disagreement/when-day", ID + "source/two"),
    }


def test_a_triple_two_sources_state_is_once_in_data_and_in_both_graphs(tmp_path):
    data, _ = directory(tmp_path, TWO_SOURCES)
    statements = gather(data)
    typed = triple(
        ID + "event/assembly",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/ombudsman-kg/ontology#GeneralAssembly",
    )
    assert typed in statements.sources[GRAPH + "one"]
    assert typed in statements.sources[GRAPH + "two"]
    assert statements.data.count(typed) == 1
    assert typed not in statements.publisher
    assert statements.graph_of(typed) == [GRAPH + "one", GRAPH + "two"]
    assert len(statements.data) == len(set(statements.data))


def test_the_publishers_statements_are_the_data_less_the_sources(tmp_path):
    data, _ = directory(tmp_path, TWO_SOURCES)
    statements = gather(data)
    stated = {t for ts in statements.sources.values() for t in ts}
    assert set(statements.publisher) == set(statements.data) - stated
    assert set(statements.data) == stated | set(statements.publisher)
    iso = "https://w3id.org/ombudsman-kg/ontology#iso3166Alpha2"
    assert any(t.predicate.value == iso for t in statements.publisher)
    assert {GRAPH + "one", GRAPH + "two"} == set(statements.sources)


# validate(): maxima per source, everything on the union -------------------------------------


@pytest.fixture(scope="module")
def ontology() -> DataSet:
    return read_directory(ROOT / "ontology")


def assembly(one: str, two: str = "", publisher: str = "") -> str:
    """The assembly, labelled in both languages, with `one`/`two` more lines in the blocks of
    sources one and two and `publisher` outside. Line 14 is the first line of `one`."""
    return f"""GRAPH source:one {{
    {EVENT}
        a                     okg:GeneralAssembly ;
{one}        rdfs:label            "Baş Assambleya"@az .
}}

GRAPH source:two {{
    {EVENT}
{two}        a                     okg:GeneralAssembly .
}}

{EVENT}
{publisher}    rdfs:label            "The General Assembly"@en .
"""


def check(tmp_path: Path, ontology: DataSet, text: str, engine: str):
    data, path = directory(tmp_path, text)
    return validate(data, ontology, ROOT / "shapes", engine=engine), path


def two_english_labels() -> str:
    """Source one and source two each give the assembly an English label; the publisher none."""
    text = assembly(
        '        rdfs:label            "The General Assembly"@en ;\n',
        '        rdfs:label            "The Assembly"@en ;\n',
    )
    publishers = f'{EVENT}\n    rdfs:label            "The General Assembly"@en .\n'
    assert text.count(publishers) == 1
    return text.replace(publishers, "")


ENGINES = ["pyshacl", "sparql"]
START_2014 = '        schema:startDate      "2014"^^xsd:gYear ;\n'
START_DAY = '        schema:startDate      "2014-04-29"^^xsd:date ;\n'


@pytest.mark.parametrize("engine", ENGINES)
def test_two_values_from_two_sources_pass_where_one_is_allowed(tmp_path, ontology, engine):
    report, _ = check(tmp_path, ontology, assembly(START_2014, START_DAY), engine)
    assert report.conforms, report.text()


@pytest.mark.parametrize("engine", ENGINES)
def test_two_values_from_one_source_fail_naming_its_graph_and_line(tmp_path, ontology, engine):
    report, path = check(tmp_path, ontology, assembly(START_2014 + START_DAY), engine)
    assert not report.conforms
    found = [v for v in report.violations if v.shape.endswith("#EventStartDateShape")]
    assert found, report.text()
    assert {(v.graph, str(v.location)) for v in found} == {(GRAPH + "one", f"{path}:14")}
    assert all(v.shape.endswith("#EventStartDateShape") for v in report.violations)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_publishers_value_beside_a_sources_value_fails(tmp_path, ontology, engine):
    """The publisher is not a source: its value and a source's are not two sources' values
    (SPEC §7, Validation)."""
    publisher = '    schema:startDate      "2014-04"^^xsd:gYearMonth ;\n'
    report, _ = check(tmp_path, ontology, assembly(START_2014, "", publisher), engine)
    assert not report.conforms
    assert {v.shape.rsplit("#", 1)[1] for v in report.violations} == {"EventStartDateShape"}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_second_english_label_from_another_source_fails(tmp_path, ontology, engine):
    """okgsh:strictOnUnion: one label per language over all graphs, whoever gives it. Each
    source gives one (no per-source check finds two): only the union can see it."""
    report, _ = check(tmp_path, ontology, two_english_labels(), engine)
    assert not report.conforms
    assert {v.shape.rsplit("#", 1)[1] for v in report.violations} == {"LabelEnShape"}
    assert {v.focus for v in report.violations} == {ID + "event/assembly"}


@pytest.mark.parametrize(
    "case",
    [
        (START_2014, START_DAY, ""),
        (START_2014 + START_DAY, "", ""),
        (START_2014, "", '    schema:startDate      "2014-04"^^xsd:gYearMonth ;\n'),
        ("", '        rdfs:label            "The Assembly"@en ;\n', ""),
        None,
    ],
    ids=["two-sources", "one-source", "publisher-and-source", "second-label", "two-sources-labels"],
)
def test_both_engines_agree(tmp_path, ontology, case):
    data, _ = directory(tmp_path, assembly(*case) if case else two_english_labels())
    reports = [validate(data, ontology, ROOT / "shapes", engine=e) for e in ENGINES]
    rows = [[(v.key, v.graph, v.location) for v in r.violations] for r in reports]
    assert rows[0] == rows[1]
    assert reports[0].text() == reports[1].text()


def test_statements_given_to_validate_are_used_instead_of_gather(tmp_path, ontology):
    """So that callers who gathered once (the build) need not gather twice."""
    data, _ = directory(tmp_path, assembly(START_2014 + START_DAY))
    statements = gather(data)
    clean = Statements(
        {g: [t for t in ts if t.predicate.value != "https://schema.org/startDate"]
         for g, ts in statements.sources.items()},
        statements.publisher,
        [t for t in statements.data if t.predicate.value != "https://schema.org/startDate"],
    )  # fmt: skip
    assert validate(data, ontology, ROOT / "shapes", engine="sparql", statements=clean).conforms
