"""What an HTML page shows of a graph: labels in the reader's language, local links, sources.

Templates never build IRIs (STYLE): every `href` is made here, pointing at this server's own
origin so that a local copy can be browsed, while the canonical IRI stays visible.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph

from ombudsman_kg.rdf import jsonld
from ombudsman_kg.rdf.namespaces import PROV, RDF_TYPE, RDFS_LABEL, SKOS
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web.i18n import (
    LANGUAGES,
    PRECISION_OF,
    chosen_in_url,
    format_when,
    reader_language,
)
from ombudsman_kg.web.provenance import Attribution, attribute, key_of

__all__ = ["LANGUAGES", "reader_language", "Linker", "statement_rows"]
DERIVED_FROM = PROV + "wasDerivedFrom"
ALT_LABEL = SKOS + "altLabel"


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    iri: str
    external: bool = False


@dataclass(frozen=True)
class Value:
    """One object of a statement, as a link or as text with its language or datatype."""

    link: Link | None = None
    text: str = ""
    note: str = ""
    #: a date at its precision in the reader's language, beside its lexical form in `text`
    when: str = ""


@dataclass(frozen=True)
class Said:
    """Who states a value on a page: links to its sources, or publisher / inferred / ontology."""

    sources: tuple[Link, ...] = ()
    publisher: bool = False
    inferred: bool = False
    ontology: bool = False


@dataclass
class Row:
    predicate: Link
    values: list[tuple[Value, Said]] = field(default_factory=list)
    differs: bool = False
    """The data records a disagreement between sources on this property of the thing."""


class Linker:
    """Turns IRIs into links and labels for one request's origin and language."""

    def __init__(
        self, base_iri: str, origin: str, language: str, labels: dict[str, dict[str, str]]
    ) -> None:
        self.base_iri = base_iri
        self.origin = origin.rstrip("/")
        self.language = language
        self.labels = labels
        #: the `?lang=` of this request's URL, which local links keep
        self.kept_language = chosen_in_url()

    def href(self, iri: str) -> str:
        """A local URL for IRIs under the base; the IRI itself elsewhere."""
        if not iri.startswith(self.base_iri):
            return iri
        path = iri[len(self.base_iri) :]
        if path.startswith("id/"):
            path = "doc/" + path[3:]
        elif path.startswith("ontology#"):
            path = "ontology.html#" + path[len("ontology#") :]
        elif path.startswith("shapes#"):
            path = "shapes.html#" + path[len("shapes#") :]
        if self.kept_language:
            path, hash_sign, fragment = path.partition("#")
            joiner = "&" if "?" in path else "?"
            path += joiner + "lang=" + self.kept_language + hash_sign + fragment
        return f"{self.origin}/{path}"

    def label(self, iri: str) -> str:
        by_language = self.labels.get(iri, {})
        for language in (self.language, *LANGUAGES, ""):
            if language in by_language:
                return by_language[language]
        if by_language:
            return next(iter(by_language.values()))
        return compact(iri)

    def link(self, iri: str) -> Link:
        return Link(
            self.href(iri), self.label(iri), iri, external=not iri.startswith(self.base_iri)
        )

    def value(self, term: object) -> Value:
        if isinstance(term, pyoxigraph.NamedNode):
            return Value(link=self.link(term.value))
        if isinstance(term, pyoxigraph.Literal):
            note = f"@{term.language}" if term.language else compact(term.datatype.value)
            when = ""
            if term.datatype.value in PRECISION_OF:
                when = format_when(term.value, term.datatype.value, self.language)
            return Value(text=term.value, note="" if note == "xsd:string" else note, when=when)
        return Value(text=str(term))


compact = jsonld.compact


def collect_labels(
    quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], into: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """Add every `rdfs:label` among `quads` to `into` (IRI → language → text)."""
    for quad in quads:
        if quad.predicate.value == RDFS_LABEL and isinstance(quad.object, pyoxigraph.Literal):
            into.setdefault(term_value(quad.subject), {}).setdefault(
                quad.object.language or "", quad.object.value
            )
    return into


def rows_by_subject(quads: Sequence[pyoxigraph.Quad], linker: Linker) -> dict[str, list[Row]]:
    """`statement_rows` for every subject of `quads` at once: a document page (the ontology, the
    VoID description) lists each of its subjects, and grouping first keeps that linear."""
    said = attribute(quads)
    grouped: dict[str, list[pyoxigraph.Quad]] = {}
    for quad in quads:
        grouped.setdefault(term_value(quad.subject), []).append(quad)
    return {
        subject: statement_rows(own, linker, subject=subject, attributions=said)
        for subject, own in grouped.items()
    }


def statement_rows(
    quads: Sequence[pyoxigraph.Quad],
    linker: Linker,
    *,
    subject: str,
    incoming: bool = False,
    attributions: dict[tuple[str, str, str], Attribution] | None = None,
    disputed: Iterable[str] = (),
) -> list[Row]:
    """Statements about `subject` grouped by predicate, each triple once, each value with who
    states it; rows of a `disputed` property are marked."""
    said = attributions if attributions is not None else attribute(quads)
    disputed = set(disputed)
    rows: dict[str, Row] = {}
    seen: set[tuple[str, str, str]] = set()
    for quad in sorted(quads, key=lambda q: (q.predicate.value, str(q.object), str(q.subject))):
        if incoming:
            if term_value(quad.object) != subject or term_value(quad.subject) == subject:
                continue
            other: object = quad.subject
        else:
            if term_value(quad.subject) != subject:
                continue
            other = quad.object
        key = key_of(quad)
        if key in seen:
            continue
        seen.add(key)
        row = rows.setdefault(
            quad.predicate.value,
            Row(linker.link(quad.predicate.value), differs=quad.predicate.value in disputed),
        )
        row.values.append((linker.value(other), _said(said.get(key), linker)))
    order = {RDF_TYPE: 0, RDFS_LABEL: 1, ALT_LABEL: 2, DERIVED_FROM: 99}
    return sorted(rows.values(), key=lambda r: (order.get(r.predicate.iri, 50), r.predicate.iri))


def _said(attribution: Attribution | None, linker: Linker) -> Said:
    if attribution is None:
        return Said(publisher=True)
    return Said(
        sources=tuple(linker.link(s) for s in attribution.sources),
        publisher=attribution.publisher,
        inferred=attribution.inferred,
        ontology=attribution.ontology,
    )


def embedded_jsonld(triples: Sequence[pyoxigraph.Triple]) -> str:
    """JSON-LD for `<script type="application/ld+json">`, safe inside HTML."""
    text = jsonld.serialize(triples, indent=None).decode("utf-8").strip()
    return text.replace("</", "<\\/")


def pretty_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
