"""The reconciliation index: every described thing's names, types and values, and its scoring.

Built lazily, once per process, with the store's own SELECT queries (`reconcile-*.rq`) through
the `Store` interface, so both stores give the same index; the data is immutable (`Site.cached`).

Scores (W3C reconciliation 0.2 leaves them to the service; ours run from 0 to 100):

* the **name score** is 100 when the query and one of the thing's names are the same name after
  folding (`rdf.folding.keys`: case, Azerbaijani letters, marks, look-alikes, `ə` as `e` or `a`,
  spaces and punctuation); a query that is the thing's IRI scores 100 too. Otherwise it is
  90 × the trigram Dice similarity of the folded query and the closest name, so that a name
  that is not the same never reaches 95.
* each supplied **property** counts 100 if one of the thing's values for it is the value given
  (the same IRI, or the same text after folding), else 0; the score is the mean of the name
  score (when a query text is given) and the property scores.
* with `type` and `type_strict` "should" (OpenRefine's only value), a thing of none of the types
  scores half (Wikidata's rule); "any" keeps only things of one of them, "all" of all of them.
  Candidates under `MIN_SCORE` are not returned.

`match` is true on the top candidate only when it is unambiguous: its score is at least
`MATCH_THRESHOLD` (95) **and** it beats the runner-up by more than `MATCH_GAP` (10), the
runner-up being looked for before `limit` is applied (as the Wikidata service does).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyoxigraph

from ombudsman_kg.rdf import folding
from ombudsman_kg.rdf.namespaces import BASE, GRAPH_DATA, RDFS_LABEL
from ombudsman_kg.store import queries
from ombudsman_kg.store.base import Store

IDENTIFIER_SPACE = BASE + "id/"
MATCH_THRESHOLD = 95.0
MATCH_GAP = 10.0
MIN_SCORE = 30.0
#: what a name that is not the same name can score at most, as a fraction
NEAR_NAME = 0.9
#: the things scored in full for one query, the most trigrams shared first
SHORTLIST = 60
#: the type filters of the 0.2 query: `type_strict`
STRICTNESS = ("should", "any", "all")

Value = pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode


@dataclass(frozen=True)
class Name:
    """One name of a thing, with the folded form and the keys it is found by."""

    text: str
    language: str
    property: str

    @cached_property
    def folded(self) -> str:
        return folding.fold(self.text)

    @cached_property
    def keys(self) -> frozenset[str]:
        return folding.keys(self.text)


@dataclass
class Entity:
    """A described thing: its names, its types (most specific first) and its statements."""

    iri: str
    names: list[Name] = field(default_factory=list)
    types: tuple[str, ...] = ()
    values: dict[str, list[Value]] = field(default_factory=dict)

    def label(self, language: str) -> str:
        """Its `rdfs:label` in `language`, else in English, else any name, else its IRI."""
        labels = {n.language: n.text for n in self.names if n.property == RDFS_LABEL}
        chosen = next((labels[c] for c in (language, "en", *sorted(labels)) if c in labels), "")
        return chosen or (self.names[0].text if self.names else self.iri)


@dataclass(frozen=True)
class Query:
    """One reconciliation query, checked (`web.reconcile_protocol.read_query`)."""

    text: str = ""
    types: tuple[str, ...] = ()
    type_strict: str = "should"
    properties: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    limit: int = 10


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: float
    name: str
    features: tuple[tuple[str, bool | float | int], ...]
    match: bool = False


@dataclass
class ReconcileIndex:
    """Names, types, classes and values of the whole data, with the lookups of the API."""

    entities: dict[str, Entity]
    term_labels: dict[str, dict[str, str]]
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_gram: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        for entity in self.entities.values():
            for name in entity.names:
                for key in name.keys:
                    self.by_key[key].add(entity.iri)
                for gram in folding.trigrams(name.folded):
                    self.by_gram[gram].add(entity.iri)

    def reconcile(self, query: Query, *, language: str) -> list[Candidate]:
        """The candidates for `query`, best first, `match` decided as the module says."""
        scored = [c for c in self._scored(query, language) if c.score >= MIN_SCORE]
        scored.sort(key=lambda c: (-c.score, c.entity.iri))
        if scored and scored[0].score >= MATCH_THRESHOLD:
            if len(scored) == 1 or scored[0].score - scored[1].score > MATCH_GAP:
                top = scored[0]
                scored[0] = Candidate(top.entity, top.score, top.name, top.features, True)
        return scored[: query.limit]

    def types_in_use(self) -> Counter[str]:
        """Each type and the number of things of it."""
        return Counter(t for entity in self.entities.values() for t in entity.types)

    def properties_of(self, types: Iterable[str] | None = None) -> Counter[str]:
        """Each property stated of things (of any of `types`), and of how many."""
        wanted = None if types is None else set(types)
        return Counter(
            prop
            for entity in self.entities.values()
            if wanted is None or wanted & set(entity.types)
            for prop in entity.values
        )

    def _scored(self, query: Query, language: str) -> Iterable[Candidate]:
        folded = folding.fold(query.text)
        query_keys = folding.keys(query.text) if folded else frozenset()
        for entity in self._shortlist(query, folded, query_keys):
            if not _type_allowed(entity, query):
                continue
            features: list[tuple[str, bool | float | int]] = []
            parts: list[float] = []
            name = entity.label(language)
            if folded:
                exact = _closest(entity.names, folded, query_keys, language)
                is_id = query.text.strip() == entity.iri
                best = max(
                    (folding.similarity(folded, n.folded) for n in entity.names), default=0.0
                )
                parts.append(100.0 if exact or is_id else 100.0 * NEAR_NAME * best)
                name = _shown_name(entity, exact, language)
                features += [("name_exact", exact is not None), ("name_similarity", round(best, 3))]
                features += [("id_match", True)] if is_id else []
            hits = [_property_hit(entity, pid, values) for pid, values in query.properties]
            parts += [100.0 if hit else 0.0 for hit in hits]
            if query.properties:
                features.append(("property_matches", sum(hits)))
            score = sum(parts) / len(parts) if parts else 0.0
            if query.types:
                typed = bool(set(query.types) & set(entity.types))
                features.append(("type_match", typed))
                score = score if typed else score / 2
            yield Candidate(entity, round(score, 2), name, tuple(features))

    def _shortlist(self, query: Query, folded: str, query_keys: frozenset[str]) -> list[Entity]:
        """The things worth scoring: the same name, the IRI itself, the most trigrams shared;
        with properties and no text, the things that have one of the values."""
        chosen: set[str] = set()
        for key in query_keys:
            chosen |= self.by_key.get(key, set())
        if query.text.strip() in self.entities:
            chosen.add(query.text.strip())
        if folded:
            shared: Counter[str] = Counter()
            for gram in folding.trigrams(folded):
                shared.update(self.by_gram.get(gram, ()))
            # ties broken by IRI: set order changes with each process's string hashing
            ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
            chosen |= {iri for iri, _ in ranked[:SHORTLIST]}
        elif query.properties:
            chosen = {
                e.iri
                for e in self.entities.values()
                if any(_property_hit(e, pid, vs) for pid, vs in query.properties)
            }
        return [self.entities[iri] for iri in sorted(chosen)]


def build_index(store: Store) -> ReconcileIndex:
    """Read the index from `store` with the reconcile-*.rq queries (a few thousand rows)."""
    entities: dict[str, Entity] = {}

    def entity(term: Value) -> Entity:
        return entities.setdefault(term.value, Entity(term.value))

    for row in store.select(queries.load("reconcile-labels")):
        literal = row["name"]
        if isinstance(literal, pyoxigraph.Literal) and (text := literal.value).strip():
            entity(row["thing"]).names.append(
                Name(text, literal.language or "", row["property"].value)
            )
    broader: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.load("reconcile-classes")):
        broader[row["class"].value].add(row["broader"].value)
    asserted: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.select(queries.load("reconcile-types")):
        types[row["thing"].value].add(row["type"].value)
        if row["graph"].value == GRAPH_DATA:
            asserted[row["thing"].value].add(row["type"].value)
    for row in store.select(queries.load("reconcile-values")):
        if (thing := entities.get(row["thing"].value)) is not None:
            thing.values.setdefault(row["property"].value, []).append(row["value"])
    ancestors = _closure(broader)
    for iri, found in entities.items():
        kinds = types.get(iri, set())
        found.names.sort(key=lambda n: (n.property != RDFS_LABEL, n.language, n.text))
        # the most specific first: the type with the most of the others above it
        depth = {t: len(ancestors.get(t, set()) & kinds) for t in kinds}
        found.types = tuple(sorted(kinds, key=lambda t: (-depth[t], t not in asserted[iri], t)))
    term_labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(queries.load("reconcile-terms")):
        label = row["label"]
        if isinstance(label, pyoxigraph.Literal):
            term_labels[row["term"].value].setdefault(label.language or "en", label.value)
    return ReconcileIndex(entities, dict(term_labels))


def _closure(broader: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every class's broader classes, direct or not (the hierarchy has no cycles we rely on)."""
    result: dict[str, set[str]] = {}
    for start in broader:
        seen: set[str] = set()
        todo = list(broader[start])
        while todo:
            current = todo.pop()
            if current not in seen and current != start:
                seen.add(current)
                todo.extend(broader.get(current, ()))
        result[start] = seen
    return result


def _type_allowed(entity: Entity, query: Query) -> bool:
    wanted, have = set(query.types), set(entity.types)
    if not wanted or query.type_strict == "should":
        return True
    return wanted <= have if query.type_strict == "all" else bool(wanted & have)


def _closest(
    names: Sequence[Name], folded: str, query_keys: frozenset[str], language: str
) -> Name | None:
    """The name the query is the same name as, if any: spelled as the query first, then a
    label before an alias, then one in the reader's language."""
    same = [n for n in names if n.keys & query_keys]
    same.sort(key=lambda n: (n.folded != folded, n.property != RDFS_LABEL, n.language != language))
    return same[0] if same else None


def _shown_name(entity: Entity, exact: Name | None, language: str) -> str:
    """The label the query found, or the label in its language when it found an alias."""
    if exact is None:
        return entity.label(language)
    if exact.property == RDFS_LABEL:
        return exact.text
    return entity.label(exact.language or language)


def _property_hit(entity: Entity, pid: str, wanted: Sequence[Any]) -> bool:
    """Whether one of the thing's values for `pid` is one of `wanted` (IRIs exactly; texts,
    numbers and booleans by their folded text)."""
    have = entity.values.get(pid, [])
    for value in wanted:
        if isinstance(value, dict):
            if any(v.value == value.get("id") for v in have):
                return True
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        keys = folding.keys(text)
        if any(
            v.value == text or (isinstance(v, pyoxigraph.Literal) and folding.keys(v.value) & keys)
            for v in have
        ):
            return True
    return False
