"""VoID linksets of the build (issue 12): the `owl:sameAs` links to other data sets, counted.

A linkset is the part of B + `dataset` whose triples link it to another data set (VoID §5:
`void:Linkset`, `void:linkPredicate`, `void:subjectsTarget`, `void:objectsTarget`,
`void:triples`). Its count is of the default graph of /sparql (SPEC §7: `graph/data`,
`graph/ontology`, `graph/inferred`, each triple once), so that it equals what a `COUNT` over
/sparql finds; the entailed inverse links (Wikidata `owl:sameAs` ours) are not in it: a linkset
goes one way, from its subjects' data set to its objects'.

The nodes are named under B + `dataset#`, as the partitions are, so that they dereference to
the description that names them. The description also names what the build checked the data
against (`dct:conformsTo` the shapes) and, with `rdfs:seeAlso`, the report of that check at
B + `validation`, whose own document says it is a `sh:ValidationReport` and whether it conforms.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph

from ombudsman_kg.rdf.namespaces import (
    BASE,
    DATASET,
    DCT,
    GRAPHS,
    OWL,
    RDF_TYPE,
    RDFS,
    SHAPES,
    VOID,
    WIKIDATA,
    XSD,
)
from ombudsman_kg.rdf.terms import term_value

SAME_AS = OWL + "sameAs"
VALIDATION = BASE + "validation"
WIKIDATA_LINKSET = DATASET + "#linkset-wikidata"
WIKIDATA_DATASET = DATASET + "#wikidata"
WIKIDATA_HOME = "https://www.wikidata.org/"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage"


def describe(graphs: dict[str, Sequence[pyoxigraph.Triple]]) -> list[pyoxigraph.Triple]:
    """The linksets of the data set, and the validation report it is described by.

    A linkset with no link is left out: it would describe nothing.
    """
    dataset = pyoxigraph.NamedNode(DATASET)
    out: list[pyoxigraph.Triple] = [
        _triple(dataset, DCT + "conformsTo", pyoxigraph.NamedNode(SHAPES)),
        _triple(dataset, RDFS + "seeAlso", pyoxigraph.NamedNode(VALIDATION)),
    ]
    count = count_links(graphs, SAME_AS, WIKIDATA)
    if not count:
        return out
    linkset = pyoxigraph.NamedNode(WIKIDATA_LINKSET)
    target = pyoxigraph.NamedNode(WIKIDATA_DATASET)
    out += [
        _triple(dataset, VOID + "subset", linkset),
        _triple(linkset, RDF_TYPE, pyoxigraph.NamedNode(VOID + "Linkset")),
        _triple(linkset, RDFS + "label", _text("Identity links to Wikidata", "en")),
        _triple(linkset, RDFS + "label", _text("Vikidata ilə eynilik əlaqələri", "az")),
        _triple(linkset, VOID + "linkPredicate", pyoxigraph.NamedNode(SAME_AS)),
        _triple(linkset, VOID + "subjectsTarget", dataset),
        _triple(linkset, VOID + "objectsTarget", target),
        _triple(linkset, VOID + "triples", _integer(count)),
        _triple(target, RDF_TYPE, pyoxigraph.NamedNode(VOID + "Dataset")),
        _triple(target, DCT + "title", _text("Wikidata", "en")),
        _triple(target, RDFS + "label", _text("Wikidata", "en")),
        _triple(target, RDFS + "label", _text("Vikidata", "az")),
        _triple(target, FOAF_HOMEPAGE, pyoxigraph.NamedNode(WIKIDATA_HOME)),
        _triple(target, VOID + "uriSpace", pyoxigraph.Literal(WIKIDATA)),
        _triple(target, VOID + "sparqlEndpoint", pyoxigraph.NamedNode(WIKIDATA_SPARQL)),
    ]
    return out


def count_links(
    graphs: dict[str, Sequence[pyoxigraph.Triple]], predicate: str, target_space: str
) -> int:
    """Triples of the default graph with `predicate` from one of our IRIs (under B) to an IRI
    in `target_space`, each once."""
    return len(
        {
            triple
            for name in GRAPHS
            for triple in graphs.get(name, ())
            if triple.predicate.value == predicate
            and term_value(triple.subject).startswith(BASE)
            and isinstance(triple.object, pyoxigraph.NamedNode)
            and triple.object.value.startswith(target_space)
        }
    )


def _triple(
    subject: pyoxigraph.NamedNode,
    predicate: str,
    value: pyoxigraph.NamedNode | pyoxigraph.Literal,
) -> pyoxigraph.Triple:
    return pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), value)


def _text(value: str, language: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(value, language=language)


def _integer(value: int) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(XSD + "integer"))
