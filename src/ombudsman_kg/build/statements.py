"""Who states what (SPEC §7): split the data files' quads into source graphs and the
publisher's statements, derive `prov:wasDerivedFrom`, and refuse what the model forbids.

The files say it by their blocks (docs/authoring.md); this module is where the rules of §7 that
a file could break are enforced, each refusal naming the file and line, so that a wrong
attribution stops the build instead of reaching a user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from ombudsman_kg.build.dumps import sort_triples
from ombudsman_kg.build.sources import DataSet
from ombudsman_kg.errors import DataError
from ombudsman_kg.rdf.namespaces import (
    BASE,
    DISAGREEMENT,
    GRAPH_SOURCE,
    OKG,
    OWL,
    PROV_DERIVED,
    RDF_TYPE,
    SCHEMA,
    SKOS,
    SOURCE,
    graph_source,
)
from ombudsman_kg.rdf.terms import Term, term_value

PUBLISHER_ONLY = frozenset(
    {
        SKOS + "editorialNote",
        PROV_DERIVED,
        OWL + "sameAs",
        OKG + "iso3166Alpha2",
        OKG + "iso3166Alpha3",
        OKG + "iso3166Numeric",
    }
)
"""Predicates that are always the publisher's (SPEC §7), never in a source graph."""

DISAGREEMENT_CLASS = OKG + "Disagreement"
BASE_ID = BASE + "id/"


@dataclass(frozen=True)
class Statements:
    """The data, by who states it.

    `sources` maps each source graph's IRI to its distinct, sorted triples; `publisher` holds
    the triples of `graph/data` that are in no source graph (derived provenance included);
    `data` is `graph/data`: every triple once.
    """

    sources: dict[str, list[pyoxigraph.Triple]]
    publisher: list[pyoxigraph.Triple]
    data: list[pyoxigraph.Triple]

    def graph_of(self, triple: pyoxigraph.Triple) -> list[str]:
        """The source graphs that hold `triple` (slow: for reports, not for loops)."""
        return [g for g, triples in self.sources.items() if triple in set(triples)]


def gather(data: DataSet) -> Statements:
    """:raises DataError: listing every breach of the rules of docs/authoring.md, with file:line."""
    by_graph: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    written: list[pyoxigraph.Triple] = []
    for quad in data.quads():
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            written.append(quad.triple)
        else:
            by_graph[term_value(quad.graph_name)].append(quad.triple)
    sources = {graph: sort_triples(triples) for graph, triples in sorted(by_graph.items())}
    problems = [
        *_check_graph_names(data, sources, written),
        *_check_source_graphs(data, sources),
        *_check_written_provenance(data, written),
    ]
    derived = _derived_provenance(sources, written)
    stated = {t for triples in sources.values() for t in triples}
    publisher = sort_triples(t for t in [*written, *derived] if t not in stated)
    union = sort_triples([*stated, *publisher])
    problems += _check_disagreements(data, sources, union)
    if problems:
        listed = sorted(set(problems))
        raise DataError(f"{len(listed)} problem(s) with who states what:\n" + "\n".join(listed))
    return Statements(sources, publisher, union)


def _derived_provenance(
    sources: dict[str, list[pyoxigraph.Triple]], written: list[pyoxigraph.Triple]
) -> list[pyoxigraph.Triple]:
    """`prov:wasDerivedFrom`, the publisher's, for every thing a source states something about.

    Three ways a thing comes from a source: it is the subject of a statement in the source's
    graph; it is named only by the publisher's description of a source (a page's publisher or
    author, known from the page itself); it is a disagreement, or a side of one, which rests on
    the sources its sides name.
    """
    derived_from = pyoxigraph.NamedNode(PROV_DERIVED)
    out: set[pyoxigraph.Triple] = set()
    described: set[object] = set()
    for graph, triples in sources.items():
        graph_source_node = pyoxigraph.NamedNode(graph_source(graph))
        for subject in {t.subject for t in triples}:
            out.add(pyoxigraph.Triple(subject, derived_from, graph_source_node))
            described.add(subject)
    written_subjects = {t.subject for t in written}
    for triple in written:
        subject, thing = triple.subject, triple.object
        if (
            isinstance(subject, pyoxigraph.NamedNode)
            and subject.value.startswith(SOURCE)
            and isinstance(thing, pyoxigraph.NamedNode)
            and thing.value.startswith(BASE_ID)
            and not thing.value.startswith(SOURCE)
            and thing not in described
            and thing in written_subjects
        ):
            out.add(pyoxigraph.Triple(thing, derived_from, subject))
    side_of: dict[object, object] = {}
    for triple in written:
        if triple.predicate.value == OKG + "side":
            side_of[triple.object] = triple.subject
    for triple in written:
        if triple.predicate.value == OKG + "statedBy" and triple.subject in side_of:
            source = triple.object
            for node in (triple.subject, side_of[triple.subject]):
                out.add(pyoxigraph.Triple(node, derived_from, source))  # type: ignore[arg-type]
    return sorted(out, key=str)


def _where(data: DataSet, subject: str, predicate: str | None, graph: str | None) -> str:
    location = data.locate(subject, predicate, graph)
    return str(location) if location else "(not found in any data file)"


def _check_graph_names(
    data: DataSet, sources: dict[str, list[pyoxigraph.Triple]], written: list[pyoxigraph.Triple]
) -> Iterable[str]:
    described = {term_value(t.subject) for t in written if t.predicate.value == RDF_TYPE}
    for graph, triples in sources.items():
        first = term_value(triples[0].subject)
        if not graph.startswith(GRAPH_SOURCE) or graph == GRAPH_SOURCE:
            yield (
                f"{_where(data, first, None, graph)}: the block's graph <{graph}> is not a "
                f"source graph ({GRAPH_SOURCE}{{slug}})"
            )
        elif graph_source(graph) not in described:
            yield (
                f"{_where(data, first, None, graph)}: the block names <{graph}>, but its source "
                f"<{graph_source(graph)}> is not described (no rdf:type outside the blocks)"
            )


def _check_source_graphs(
    data: DataSet, sources: dict[str, list[pyoxigraph.Triple]]
) -> Iterable[str]:
    for graph, triples in sources.items():
        typed = {t.subject for t in triples if t.predicate.value == RDF_TYPE}
        for triple in triples:
            subject = term_value(triple.subject)
            if triple.predicate.value in PUBLISHER_ONLY:
                yield (
                    f"{_where(data, subject, triple.predicate.value, graph)}: "
                    f"<{triple.predicate.value}> is the publisher's, never a source's: "
                    "move it out of the block"
                )
            if subject.startswith((SOURCE, DISAGREEMENT)):
                yield (
                    f"{_where(data, subject, triple.predicate.value, graph)}: <{subject}> is "
                    "described by the publisher, never inside a source's block"
                )
        for untyped in sorted({t.subject for t in triples} - typed, key=str):
            yield (
                f"{_where(data, term_value(untyped), None, graph)}: <{term_value(untyped)}> has "
                f"no rdf:type in the block of <{graph}>: a source that speaks of a thing states "
                "its kind"
            )


def _check_written_provenance(data: DataSet, written: list[pyoxigraph.Triple]) -> Iterable[str]:
    for triple in written:
        subject = term_value(triple.subject)
        if triple.predicate.value == PROV_DERIVED and not subject.startswith(SOURCE):
            yield (
                f"{_where(data, subject, PROV_DERIVED, None)}: prov:wasDerivedFrom on "
                f"<{subject}> is derived by the build from the blocks; do not write it"
            )


def _check_disagreements(
    data: DataSet, sources: dict[str, list[pyoxigraph.Triple]], union: list[pyoxigraph.Triple]
) -> Iterable[str]:
    """Every side's value is stated by each source the side names (SPEC §7)."""
    values: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for triple in union:
        values[(term_value(triple.subject), triple.predicate.value)].append(triple.object)
    sets = {graph: set(triples) for graph, triples in sources.items()}
    subjects = {graph: {t.subject for t in triples} for graph, triples in sources.items()}
    disagreements = [
        term_value(t.subject)
        for t in union
        if t.predicate.value == RDF_TYPE
        and isinstance(t.object, pyoxigraph.NamedNode)
        and t.object.value == DISAGREEMENT_CLASS
    ]
    for disagreement in disagreements:

        def of(subject: str, name: str) -> list[Term]:
            return values.get((subject, name), [])

        about = of(disagreement, SCHEMA + "about")
        sides = of(disagreement, OKG + "side")
        if not about:
            yield f"{_Where(data, disagreement, None)}: a disagreement names no schema:about"
        if len(sides) < 2:
            yield f"{_Where(data, disagreement, None)}: a disagreement has fewer than two sides"
        for side in sides:
            side_iri = term_value(side)
            where = _Where(data, side_iri, OKG + "sideValue")
            prop = of(side_iri, OKG + "onProperty") or of(disagreement, OKG + "onProperty")
            side_values = of(side_iri, OKG + "sideValue")
            stated_by = of(side_iri, OKG + "statedBy")
            if len(side_values) != 1 or not stated_by:
                yield f"{where}: a side needs one okg:sideValue and at least one okg:statedBy"
                continue
            value = side_values[0]
            for source in stated_by:
                graph = GRAPH_SOURCE + term_value(source).removeprefix(SOURCE)
                if prop:
                    held = any(
                        pyoxigraph.Triple(thing, prop[0], value) in sets.get(graph, set())  # type: ignore[arg-type]
                        for thing in about
                    )
                    claim = f"{_terms(about)} {prop[0]} {value}"
                else:
                    held = value in subjects.get(graph, set())
                    claim = f"a description of {value}"
                if not held:
                    yield (
                        f"{where}: the side <{side_iri}> says <{term_value(source)}> states "
                        f"{claim}, but its graph does not"
                    )


class _Where:
    """The file:line of a statement, looked up only when a problem is reported (a lookup reads
    every file, and a clean build has thousands of sides to check)."""

    def __init__(self, data: DataSet, subject: str, predicate: str | None) -> None:
        self.data, self.subject, self.predicate = data, subject, predicate

    def __str__(self) -> str:
        return _where(self.data, self.subject, self.predicate, None)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _terms(terms: list[Term]) -> str:
    return " or ".join(str(t) for t in terms)
