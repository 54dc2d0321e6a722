"""`/disagreements` (SPEC §7): every place where the sources differ, each side with its value
and its sources, as HTML and as RDF by negotiation.

The disagreements are the publisher's records, written beside the facts and checked by the
build (each side's value is in its sources' graphs); this page reads them from the store, so
it shows what a SPARQL client would find.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph
from flask import Blueprint, Response, render_template

from ombudsman_kg.rdf.namespaces import BASE, OKG, RDF_TYPE, SCHEMA, SKOS
from ombudsman_kg.rdf.terms import Term, term_value
from ombudsman_kg.store import queries
from ombudsman_kg.web.pages import Link, Linker, Value, collect_labels
from ombudsman_kg.web.representation import Wanted, html_response, rdf_response
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("disagreements", __name__)
DISAGREEMENT = OKG + "Disagreement"


@dataclass
class Side:
    link: Link
    value: Value
    sources: list[Link]
    properties: list[Link]


@dataclass
class Entry:
    link: Link
    kind: list[Link] = field(default_factory=list)
    about: list[Link] = field(default_factory=list)
    properties: list[Link] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@bp.route("/disagreements", methods=["GET", "HEAD"])
@bp.route("/disagreements.<extension>", methods=["GET", "HEAD"])
def disagreements(extension: str | None = None) -> Response:
    """Every disagreement between sources, with both (or all) sides."""
    site = current_site()
    wanted = Wanted.of_request(extension)
    triples = site.cached("disagreement_triples", lambda: _triples(site))
    if wanted.is_html:
        return html_response(_page(site, triples, wanted), wanted, path="/disagreements")
    return rdf_response(triples, wanted, path="/disagreements")


def _triples(site: Site) -> list[pyoxigraph.Triple]:
    rows = site.store.select(queries.load("disagreements"))
    return [pyoxigraph.Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[arg-type]


def _page(site: Site, triples: list[pyoxigraph.Triple], wanted: Wanted) -> str:
    labels = collect_labels(triples, dict(site.ontology_labels()))
    linker = Linker(BASE, wanted.origin, wanted.language, labels)
    values: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for triple in triples:
        values[(term_value(triple.subject), triple.predicate.value)].append(triple.object)

    def links(subject: str, predicate: str) -> list[Link]:
        return sorted(
            (linker.link(term_value(o)) for o in values[(subject, predicate)]),
            key=lambda link: link.text,
        )

    entries = []
    for triple in triples:
        if triple.predicate.value != RDF_TYPE or term_value(triple.object) != DISAGREEMENT:
            continue
        iri = term_value(triple.subject)
        entry = Entry(
            linker.link(iri),
            kind=links(iri, OKG + "disagreementKind"),
            about=links(iri, SCHEMA + "about"),
            properties=links(iri, OKG + "onProperty"),
            notes=_in_language(values[(iri, SKOS + "editorialNote")], wanted.language),
        )
        for side in sorted(values[(iri, OKG + "side")], key=str):
            side_iri = term_value(side)
            entry.sides += [
                Side(
                    linker.link(side_iri),
                    linker.value(value),
                    links(side_iri, OKG + "statedBy"),
                    links(side_iri, OKG + "onProperty"),
                )
                for value in values[(side_iri, OKG + "sideValue")]
            ]
        entries.append(entry)
    entries.sort(key=lambda e: e.link.text)
    return render_template("disagreements.html", entries=entries, language=wanted.language)


def _in_language(notes: list[Term], language: str) -> list[str]:
    """The editorial notes in the reader's language, else all of them."""
    texts = [n for n in notes if isinstance(n, pyoxigraph.Literal)]
    chosen = [n.value for n in texts if n.language == language]
    return chosen or [n.value for n in texts]
