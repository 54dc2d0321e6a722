"""OWL RL entailments that help a user of the data, and none of the axiomatic noise.

owlrl is the reference semantics: a pure-Python forward chainer, exact but slow on large data
(44 s for 10^5 triples here). `reasonable` (Rust, OWL 2 RL) computes the same closure in a
fraction of that, so `auto` picks it above `OWLRL_LIMIT` triples; `tests/test_reasoning.py`
checks that both give the same published entailments on the real data.

The full closure is mostly noise for a reader (types on literals, reflexive sameAs, owl:Thing,
facts copied onto Wikidata IRIs through owl:sameAs, the TBox closure), so only triples that say
something new about a described thing (an IRI under `id/`) are kept; see `keep`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

import owlrl
import rdflib
from rdflib.term import Identifier

from ombudsman_kg.rdf.namespaces import (
    BASE,
    OWL,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    WIKIDATA,
    XSD,
)

OWLRL_LIMIT = 20_000
XSD_STRING = rdflib.URIRef(XSD + "string")

Triple = tuple[Identifier, Identifier, Identifier]

_NOISE_TYPES = frozenset(
    {
        OWL + "Thing",
        OWL + "NamedIndividual",
        OWL + "Class",
        RDFS + "Resource",
        RDFS + "Class",
        RDF + "Property",
        OWL + "ObjectProperty",
        OWL + "DatatypeProperty",
        RDFS + "Literal",
    }
)
_NOISE_PREDICATES = frozenset(
    {
        # The most generic super-properties only repeat a more specific triple: every
        # prov:wasDerivedFrom (one per thing and source, SPEC §7) is a prov:wasInfluencedBy,
        # every okg:sideValue a schema:value.
        PROV + "wasInfluencedBy",
        SCHEMA + "value",
        OWL + "sameAs",
        OWL + "differentFrom",
        RDFS + "subClassOf",
        RDFS + "subPropertyOf",
        OWL + "equivalentClass",
        OWL + "equivalentProperty",
    }
)


def infer(graph: rdflib.Graph, *, engine: str = "auto") -> list[Triple]:
    """The new triples OWL RL entails from `graph` (data plus ontology) that `keep` accepts.

    Returned sorted, so that dumps are byte-identical from build to build.
    """
    if engine == "auto":
        engine = "owlrl" if len(graph) <= OWLRL_LIMIT else "reasonable"
    closure = _owlrl_closure(graph) if engine == "owlrl" else _reasonable_closure(graph)
    base_iri = BASE + "id/"
    kept = {t for t in closure if keep(t, base_iri) and t not in graph}
    return sorted(kept, key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))


def keep(triple: Triple, base_iri: str = BASE + "id/") -> bool:
    """Whether an entailed triple is worth publishing: about a described thing, not noise."""
    subject, predicate, value = triple
    if not isinstance(subject, rdflib.URIRef) or not str(subject).startswith(base_iri):
        return False
    if str(predicate) in _NOISE_PREDICATES:
        return False
    if isinstance(value, rdflib.BNode):
        return False
    if isinstance(value, rdflib.URIRef) and str(value).startswith(WIKIDATA):
        return False
    return not (str(predicate) == RDF_TYPE and str(value) in _NOISE_TYPES)


def _owlrl_closure(graph: rdflib.Graph) -> Iterator[Triple]:
    closed = rdflib.Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closed)
    # rdflib types graph terms as Node (formulae included); a graph parsed from Turtle and
    # closed by owlrl holds only Identifiers.
    yield from cast(Iterator[Triple], iter(closed))


def _reasonable_closure(graph: rdflib.Graph) -> Iterable[Triple]:
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    return [(s, p, _plain(o)) for s, p, o in reasoner.reason()]


def _plain(term: Identifier) -> Identifier:
    """`reasonable` types simple literals as xsd:string; rdflib and owlrl leave them plain."""
    if isinstance(term, rdflib.Literal) and term.datatype == XSD_STRING and not term.language:
        return rdflib.Literal(str(term))
    return term
