"""The inferred graph: the entailments a user needs, none of the axiomatic noise (issue 2 §5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from conftest import ROOT, KnowledgeGraph

from ombudsman_kg.build import reason
from ombudsman_kg.build.sources import read_directory, to_rdflib_graph

INFERRED = "https://w3id.org/ombudsman-kg/graph/inferred"
B = "https://w3id.org/ombudsman-kg/id/"


def inferred(kg: KnowledgeGraph, pattern: str) -> bool:
    return kg.ask(f"ASK {{ GRAPH <{INFERRED}> {{ {pattern} }} }}")


@pytest.mark.parametrize(
    "pattern",
    [
        # types up the class hierarchies into ORG, FOAF, schema.org and PROV
        f"<{B}organization/oicoa> a <http://www.w3.org/ns/org#Organization>",
        f"<{B}organization/oicoa> a <http://xmlns.com/foaf/0.1/Agent>",
        f"<{B}unit/oicoa-board-of-directors> a <http://www.w3.org/ns/org#Organization>",
        f"<{B}event/oicoa-general-assembly-2022> a <https://schema.org/Event>",
        f"<{B}event/online-training-seminar> a <https://schema.org/Event>",
        f"<{B}event/oicoa-founding> a <http://www.w3.org/ns/prov#Activity>",
        f"<{B}person/sabina-aliyeva> a <http://xmlns.com/foaf/0.1/Agent>",
        f"<{B}place/azerbaijan> a <https://schema.org/Place>",
        # inverse properties
        f"<{B}organization/oicoa> <http://www.w3.org/ns/org#hasUnit> <{B}unit/oicoa-secretariat>",
        (
            f"<{B}organization/pakistan-federal-tax-ombudsman-office>"
            f" <https://w3id.org/ombudsman-kg/ontology#hosts> <{B}unit/oicoa-secretariat>"
        ),
        (
            f"<{B}person/sabina-aliyeva> <http://www.w3.org/ns/org#hasMembership>"
            f" <{B}membership/sabina-aliyeva-on-oicoa-board>"
        ),
        (
            f"<{B}event/oicoa-founding> <http://www.w3.org/ns/org#resultingOrganization>"
            f" <{B}organization/oicoa>"
        ),
    ],
)
def test_useful_entailment_is_in_the_inferred_graph(kg: KnowledgeGraph, pattern: str) -> None:
    assert inferred(kg, pattern), pattern


def test_each_member_has_its_memberships_through_the_inverse_of_org_member(
    kg: KnowledgeGraph,
) -> None:
    assert inferred(
        kg, f"<{B}organization/azerbaijan-ombudsman> <http://www.w3.org/ns/org#hasMembership> ?m"
    )


@pytest.mark.parametrize(
    "noise",
    [
        "?s ?p ?o FILTER(isLiteral(?s))",
        "?s a <http://www.w3.org/2002/07/owl#Thing>",
        "?s a <http://www.w3.org/2000/01/rdf-schema#Resource>",
        "?s <http://www.w3.org/2002/07/owl#sameAs> ?s",
        "?s <http://www.w3.org/2002/07/owl#sameAs> ?o",
        "?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://www.wikidata.org/'))",
        "?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), 'http://www.wikidata.org/'))",
        "?s ?p ?o FILTER(!STRSTARTS(STR(?s), 'https://w3id.org/ombudsman-kg/id/'))",
        "?s a ?c FILTER(STRSTARTS(STR(?c), 'http://www.w3.org/2001/XMLSchema#'))",
        "?s ?p ?o FILTER(isBlank(?s) || isBlank(?o))",
    ],
)
def test_noise_is_absent_from_the_inferred_graph(kg: KnowledgeGraph, noise: str) -> None:
    assert not inferred(kg, noise), noise


def test_inferred_graph_repeats_nothing_stated(kg: KnowledgeGraph) -> None:
    assert not kg.ask(
        f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} "
        "GRAPH ?g { ?s ?p ?o } FILTER(?g != <" + INFERRED + ">) }"
    )


def test_reasonable_and_owlrl_publish_the_same_entailments() -> None:
    """owlrl is the reference semantics; the Rust reasoner that carries large data must agree."""
    data = read_directory(ROOT / "data")
    ontology = read_directory(ROOT / "ontology")
    graph = to_rdflib_graph([*data.triples(), *ontology.triples()])
    by_owlrl = reason.infer(graph, engine="owlrl")
    by_reasonable = reason.infer(graph, engine="reasonable")
    assert len(by_owlrl) > 100
    assert by_owlrl == by_reasonable


def test_keep_filters_each_kind_of_noise() -> None:
    thing = rdflib.URIRef(B + "place/azerbaijan")
    rdf_type = rdflib.RDF.type
    assert reason.keep((thing, rdf_type, rdflib.URIRef("https://schema.org/Place")))
    assert not reason.keep((thing, rdf_type, rdflib.OWL.Thing))
    assert not reason.keep((thing, rdflib.OWL.sameAs, thing))
    assert not reason.keep(
        (
            rdflib.URIRef("http://www.wikidata.org/entity/Q227"),
            rdf_type,
            rdflib.URIRef("https://schema.org/Place"),
        )
    )
    assert not reason.keep(
        (
            thing,
            rdflib.URIRef("https://schema.org/containsPlace"),
            rdflib.URIRef("http://www.wikidata.org/entity/Q1362"),
        )
    )
    assert not reason.keep(
        (
            rdflib.URIRef("https://schema.org/Place"),
            rdflib.RDFS.subClassOf,
            rdflib.URIRef("https://schema.org/Thing"),
        )
    )


def test_inferred_graph_is_built_by_the_cli(built_dist: Path) -> None:
    assert (built_dist / "dumps" / "ombudsman-kg.nq").read_text(encoding="utf-8").count(
        INFERRED
    ) > 100
