"""Who says what, as a page shows it (SPEC §7 "Pages").

A thing's description comes back from the store as quads, one per graph that holds a triple;
here they become one statement each, tagged with the sources whose graphs hold it, or
"publisher" (in `graph/data` and in no source graph), "inferred", "ontology". Where the data
records a disagreement about the thing on a property, that property's row is marked, and
the page links the disagreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from ombudsman_kg.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_SOURCE,
    graph_source,
)
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.store import queries
from ombudsman_kg.web.site import Site

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Attribution:
    """Who states one triple: source IRIs, or the publisher, or the reasoner."""

    sources: tuple[str, ...] = ()
    publisher: bool = False
    inferred: bool = False
    ontology: bool = False


@dataclass(frozen=True)
class DisagreementRef:
    """A disagreement about a thing: its IRI, its kind, and the property it is on (if any)."""

    iri: str
    kind: str
    properties: tuple[str, ...]


def key_of(quad: pyoxigraph.Quad | pyoxigraph.Triple) -> Key:
    return (str(quad.subject), str(quad.predicate), str(quad.object))


def attribute(quads: Iterable[pyoxigraph.Quad]) -> dict[Key, Attribution]:
    """Each distinct triple among `quads`, with who states it."""
    graphs: dict[Key, set[str]] = defaultdict(set)
    for quad in quads:
        graphs[key_of(quad)].add(getattr(quad.graph_name, "value", ""))
    return {key: _attribution(names) for key, names in graphs.items()}


def _attribution(names: set[str]) -> Attribution:
    sources = tuple(sorted(graph_source(g) for g in names if g.startswith(GRAPH_SOURCE)))
    return Attribution(
        sources=sources,
        publisher=GRAPH_DATA in names and not sources,
        inferred=GRAPH_INFERRED in names,
        ontology=GRAPH_ONTOLOGY in names,
    )


def distinct_triples(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Triple]:
    """Each triple once, whatever graphs hold it (SPEC §7 "RDF answers"), in a stable order."""
    return list({key_of(q): q.triple for q in quads}.values())


def source_labels(site: Site) -> dict[str, dict[str, str]]:
    """IRI → {language: label} of every source, for the tags of a page's statements."""

    def compute() -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for row in site.store.select(queries.load("source-labels")):
            label = row["label"]
            if isinstance(label, pyoxigraph.Literal):
                labels.setdefault(term_value(row["source"]), {})[label.language or ""] = label.value
        return labels

    result: dict[str, dict[str, str]] = site.cached("source_labels", compute)
    return result


def disagreements(site: Site) -> dict[str, list[DisagreementRef]]:
    """Thing IRI → the disagreements about it, read once per process."""

    def compute() -> dict[str, list[DisagreementRef]]:
        found: dict[tuple[str, str], tuple[str, set[str]]] = {}
        for row in site.store.select(queries.load("disagreements-about")):
            key = (term_value(row["about"]), term_value(row["disagreement"]))
            kind, properties = found.setdefault(key, (term_value(row["kind"]), set()))
            if "property" in row:
                properties.add(term_value(row["property"]))
        by_thing: dict[str, list[DisagreementRef]] = defaultdict(list)
        for (thing, iri), (kind, properties) in sorted(found.items()):
            by_thing[thing].append(DisagreementRef(iri, kind, tuple(sorted(properties))))
        return dict(by_thing)

    result: dict[str, list[DisagreementRef]] = site.cached("disagreements", compute)
    return result
