"""Unit tests of the pure pieces: negotiation, JSON-LD, source positions, query checks."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from ombudsman_kg.build.sources import DataSet, Location, read_directory, read_file, to_rdflib_graph
from ombudsman_kg.errors import NotAcceptable, QuerySyntaxError, ServiceRefused, UpdateRefused
from ombudsman_kg.rdf import jsonld
from ombudsman_kg.store.engine import execute, probe
from ombudsman_kg.web.negotiation import GRAPH_TYPES, HTML, JSONLD, NTRIPLES, TURTLE, choose

B = "https://w3id.org/ombudsman-kg/id/"


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, HTML),
        ("*/*", HTML),
        ("text/turtle", TURTLE),
        ("application/ld+json;q=0.5, text/turtle;q=0.9", TURTLE),
        ("text/turtle;q=0.1, application/ld+json", JSONLD),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", HTML),
        ("text/*", HTML),
        ("application/json", JSONLD),
        ("text/html;q=0, */*", TURTLE),
        ("text/plain", NTRIPLES),
    ],
)
def test_choose_honours_q_values_and_defaults(accept: str | None, expected: str) -> None:
    assert choose(accept, GRAPH_TYPES, HTML) == expected


def test_choose_refuses_what_is_not_available_and_lists_what_is() -> None:
    with pytest.raises(NotAcceptable) as raised:
        choose("image/png", GRAPH_TYPES, HTML)
    assert "text/turtle" in str(raised.value)


def test_jsonld_round_trips_through_two_parsers_with_its_context_inline() -> None:
    triples = [
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "place/azerbaijan"),
            pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            pyoxigraph.Literal("Azərbaycan", language="az"),
        ),
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "place/azerbaijan"),
            pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            pyoxigraph.NamedNode("https://schema.org/Country"),
        ),
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "event/x"),
            pyoxigraph.NamedNode("https://schema.org/startDate"),
            pyoxigraph.Literal(
                "2022-10",
                datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth"),
            ),
        ),
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "event/x"),
            pyoxigraph.NamedNode("https://schema.org/location"),
            pyoxigraph.NamedNode(B + "place/azerbaijan"),
        ),
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "event/x"),
            pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
            pyoxigraph.Literal("plain"),
        ),
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + "place/azerbaijan"),
            pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
            pyoxigraph.NamedNode("http://www.wikidata.org/entity/Q227"),
        ),
    ]
    document = jsonld.serialize(triples)
    parsed = json.loads(document)
    assert isinstance(parsed["@context"], dict)
    assert parsed["@graph"][0]["@id"] == B + "event/x"
    by_oxigraph = [
        q.triple for q in pyoxigraph.parse(input=document, format=pyoxigraph.RdfFormat.JSON_LD)
    ]
    assert isomorphic(to_rdflib_graph(by_oxigraph), to_rdflib_graph(triples))
    assert isomorphic(
        rdflib.Graph().parse(data=document, format="json-ld"), to_rdflib_graph(triples)
    )


def test_jsonld_is_the_same_bytes_whatever_the_input_order() -> None:
    triples = [
        pyoxigraph.Triple(
            pyoxigraph.NamedNode(B + f"x/{i}"),
            pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            pyoxigraph.Literal(str(i), language="en"),
        )
        for i in range(20)
    ]
    assert jsonld.serialize(triples) == jsonld.serialize(list(reversed(triples)))


def test_locate_finds_the_predicate_line_in_the_subjects_block(tmp_path: Path) -> None:
    path = tmp_path / "t.ttl"
    path.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "\n"
        f"<{B}a/one>\n"
        "    a                     rdfs:Class ;\n"
        '    rdfs:label            "One"@en .\n'
        "\n"
        f"<{B}a/two>\n"
        '    rdfs:label            "Two"@en ,\n'
        '                          "İki"@az .\n',
        encoding="utf-8",
    )
    turtle = read_file(path)
    assert turtle.locate(B + "a/one") == 3
    assert turtle.locate(B + "a/one", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == 4
    assert turtle.locate(B + "a/one", "http://www.w3.org/2000/01/rdf-schema#label") == 5
    assert turtle.locate(B + "a/two", "http://www.w3.org/2000/01/rdf-schema#label") == 8
    assert turtle.locate(B + "a/two", "http://example.org/missing") == 7


GS = "https://w3id.org/ombudsman-kg/graph/source/"
TRIG = (
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"  # 1
    "@prefix source: <https://w3id.org/ombudsman-kg/graph/source/> .\n"  # 2
    "\n"  # 3
    "GRAPH source:first {\n"  # 4
    f"    <{B}a/one>\n"  # 5
    "        a                     rdfs:Class ;\n"  # 6
    '        rdfs:label            "One"@en .\n'  # 7
    "}\n"  # 8
    "\n"  # 9
    f"GRAPH <{GS}second> {{\n"  # 10
    f"    <{B}a/one>\n"  # 11
    "        a                     rdfs:Class ;\n"  # 12
    '        rdfs:comment          "Second\'s"@en ;\n'  # 13
    '        rdfs:label            "Bir"@az .\n'  # 14
    "}\n"  # 15
    "\n"  # 16
    f"<{B}a/one>\n"  # 17
    '    rdfs:label            "One, the publisher\'s"@en .\n'  # 18
)


def test_read_file_returns_quads_with_each_blocks_graph(tmp_path: Path) -> None:
    path = tmp_path / "t.trig"
    path.write_text(TRIG, encoding="utf-8")
    graphs = {
        (q.predicate.value.rsplit("#", 1)[1], getattr(q.graph_name, "value", None))
        for q in read_file(path).quads
    }
    assert graphs == {
        ("type", GS + "first"),
        ("label", GS + "first"),
        ("type", GS + "second"),
        ("comment", GS + "second"),
        ("label", GS + "second"),
        ("label", None),
    }


def test_locate_inside_graph_blocks(tmp_path: Path) -> None:
    """The same subject in two blocks and outside: each graph's block gives its own line."""
    path = tmp_path / "t.trig"
    path.write_text(TRIG, encoding="utf-8")
    trig = read_file(path)
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert trig.locate(B + "a/one", label, GS + "first") == 7
    assert trig.locate(B + "a/one", label, GS + "second") == 14
    assert trig.locate(B + "a/one", rdf_type, GS + "second") == 12
    assert trig.locate(B + "a/one", None, GS + "second") == 11
    # no graph: the publisher's statement (outside the blocks) first
    assert trig.locate(B + "a/one", label) == 18
    assert trig.locate(B + "a/one") == 17
    data = DataSet([trig])
    assert data.locate(B + "a/one", label, GS + "second") == Location(path, 14)
    comment = "http://www.w3.org/2000/01/rdf-schema#comment"
    assert data.locate(B + "a/one", comment, GS + "second") == Location(path, 13)
    # a predicate the block does not hold: the block's statement, not another block's line
    assert data.locate(B + "a/one", comment, GS + "first") == Location(path, 5)
    assert data.locate(B + "a/one", label, GS + "none") is None


def test_read_directory_reads_trig_and_turtle_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.trig").write_text(TRIG, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ttl").write_text(
        f'<{B}a/two> <http://www.w3.org/2000/01/rdf-schema#label> "Two"@en .\n', encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("not data", encoding="utf-8")
    data = read_directory(tmp_path)
    assert [f.path.name for f in data.files] == ["b.trig", "a.ttl"]
    assert len(data) == 7
    assert all(isinstance(q.graph_name, pyoxigraph.DefaultGraph) for q in data.files[1].quads)


@pytest.mark.parametrize(
    "query,form",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/x>", "DESCRIBE"),
        ('SELECT * WHERE { ?s ?p "SERVICE" }', "SELECT"),
        ("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE _:SERVICE }", "SELECT"),
        ("BASE <http://example.org/> PREFIX : <x#> ASK { ?s :with ?o } # INSERT", "ASK"),
        ('select ("""it\'\'s SERVICE""" AS ?x) {}', "SELECT"),
    ],
)
def test_probe_names_the_query_form(query: str, form: str) -> None:
    assert probe(query) == form


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "# a comment\nPREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:1/x>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
        "PREFIX ex: <http://example.org/> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <a:b> <a:c> <a:d> }",
        r"\u0049NSERT DATA { <a:b> <a:c> <a:d> }",
    ],
)
def test_probe_refuses_every_update(query: str) -> None:
    with pytest.raises(UpdateRefused):
        probe(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "select * { service silent ?endpoint { ?s ?p ?o } }",
        "SELECT * {?s ?p ?o FILTER(?o<1)SERVICE<http://127.0.0.1:1/>{}}",
        r"SELECT * { \u0053ERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ],
)
def test_probe_refuses_service(query: str) -> None:
    with pytest.raises(ServiceRefused):
        probe(query)


def test_probe_leaves_syntax_to_the_parser_where_the_query_runs() -> None:
    """The check only reads words; the parser's message comes from the evaluation."""
    assert probe("SELECT * WHERE { ?s ?p }") == "SELECT"
    with pytest.raises(QuerySyntaxError) as raised:
        execute(pyoxigraph.Store(), "SELECT * WHERE { ?s ?p }", "text/csv")
    assert "1:" in str(raised.value)


def test_a_query_that_needs_no_data_is_not_evaluated_by_the_check() -> None:
    """Issue 8: the check asked an empty store to run the query, and a product of VALUES
    under an aggregate is a full evaluation there, where no time limit stops it."""
    values = " ".join(str(number) for number in range(300))
    text = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}"
        f" VALUES ?c {{ {values} }} }}"
    )
    started = time.process_time()
    assert probe(text) == "SELECT"
    assert time.process_time() - started < 1.0
