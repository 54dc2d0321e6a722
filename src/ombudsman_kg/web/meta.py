"""The data set's own documents: home page, ontology, shapes, VoID, health, JSON-LD context."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from ombudsman_kg import jsonld, sparql
from ombudsman_kg.namespaces import BASE, OKG, OWL, RDF_TYPE, RDFS, VOID
from ombudsman_kg.terms import term_value
from ombudsman_kg.web.negotiation import HTML
from ombudsman_kg.web.pages import (
    LANGUAGES,
    Linker,
    collect_labels,
    reader_language,
    statement_rows,
)
from ombudsman_kg.web.representation import add_vary, graph_response
from ombudsman_kg.web.site import Site

bp = Blueprint("meta", __name__)
HOME_ITEMS_PER_KIND = 60


def _site() -> Site:
    site: Site = current_app.extensions["okg"]
    return site


@bp.route("/", methods=["GET", "HEAD"])
def home() -> Response:
    site = _site()
    language = reader_language()
    linker = Linker(site.settings.base_iri, request.host_url, language, {})
    kinds = site.cached("things_by_kind", lambda: _things_by_kind(site))
    entries = []
    for kind, things in kinds.items():
        items = sorted(
            (
                (linker.href(iri), labels.get(language) or labels.get("en") or iri)
                for iri, labels in things.items()
            ),
            key=lambda item: item[1].casefold(),
        )
        entries.append({"kind": kind, "count": len(items), "items": items[:HOME_ITEMS_PER_KIND]})
    classes = [
        (linker.link(cls), count)
        for cls, count in site.cached("class_counts", lambda: _class_counts(site))
    ]
    body = render_template(
        "home.html",
        language=language,
        graphs=site.info["graphs"],
        total=sum(site.info["graphs"].values()),
        version=site.version,
        kinds=entries,
        classes=classes,
        dumps=site.info["dumps"],
        queries=site.queries,
    )
    response = Response(body, mimetype=HTML)
    add_vary(response, "Accept-Language")
    return response


@bp.route("/ontology", methods=["GET", "HEAD"])
@bp.route("/ontology.<extension>", methods=["GET", "HEAD"])
def ontology(extension: str | None = None) -> Response:
    site = _site()
    return graph_response(
        site.ontology, extension=extension, path="/ontology", html=lambda: _ontology_page(site)
    )


@bp.route("/shapes", methods=["GET", "HEAD"])
@bp.route("/shapes.<extension>", methods=["GET", "HEAD"])
def shapes(extension: str | None = None) -> Response:
    site = _site()
    return graph_response(
        site.shapes,
        extension=extension,
        path="/shapes",
        html=lambda: render_template("shapes.html", shapes=site.shapes_text),
    )


@bp.route("/dataset", methods=["GET", "HEAD"])
@bp.route("/dataset.<extension>", methods=["GET", "HEAD"])
@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def dataset(extension: str | None = None) -> Response:
    site = _site()
    path = "/dataset"
    return graph_response(
        site.void, extension=extension, path=path, html=lambda: _dataset_page(site)
    )


@bp.route("/health", methods=["GET", "HEAD"])
def health() -> Response:
    site = _site()
    triples = site.cached("triple_count", site.store.triple_count)
    return jsonify(
        {"status": "ok", "triples": triples, "version": site.version, "store": site.settings.store}
    )


@bp.route("/context.jsonld", methods=["GET", "HEAD"])
def context() -> Response:
    response = jsonify(jsonld.context())
    response.mimetype = "application/ld+json"
    return response


def _things_by_kind(site: Site) -> dict[str, dict[str, dict[str, str]]]:
    kinds: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    prefix = site.settings.base_iri + "id/"
    for row in site.store.select(sparql.load("things")):
        iri = row["thing"].value
        kind = iri[len(prefix) :].split("/", 1)[0]
        label = row["label"]
        language = label.language if isinstance(label, pyoxigraph.Literal) else ""
        kinds[kind].setdefault(iri, {})[language or ""] = label.value
    return dict(sorted(kinds.items()))


def _class_counts(site: Site) -> list[tuple[str, int]]:
    """Instances by class from the VoID class partitions the build computed."""
    by_part: dict[str, dict[str, Any]] = defaultdict(dict)
    for triple in site.void:
        subject = term_value(triple.subject)
        if triple.predicate.value == VOID + "class":
            by_part[subject]["class"] = term_value(triple.object)
        elif triple.predicate.value == VOID + "entities" and "#class-" in subject:
            by_part[subject]["count"] = int(term_value(triple.object))
    pairs = [(p["class"], p["count"]) for p in by_part.values() if "class" in p and "count" in p]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _ontology_page(site: Site) -> str:
    language = reader_language()
    labels = collect_labels(site.ontology, {})
    linker = Linker(site.settings.base_iri, request.host_url, language, labels)
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in site.ontology]
    kinds = {
        OWL + "Class": "Classes",
        OWL + "ObjectProperty": "Object properties",
        OWL + "DatatypeProperty": "Datatype properties",
        OWL + "AnnotationProperty": "Annotation properties",
    }
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in kinds.values()}
    terms = sorted(
        {term_value(t.subject) for t in site.ontology if term_value(t.subject).startswith(OKG)}
    )
    for term in terms:
        types = {
            term_value(t.object)
            for t in site.ontology
            if term_value(t.subject) == term and t.predicate.value == RDF_TYPE
        }
        section = next((kinds[k] for k in kinds if k in types), "Classes")
        sections[section].append(
            {
                "anchor": term[len(OKG) :],
                "iri": term,
                "title": linker.label(term),
                "labels": labels.get(term, {}),
                "rows": statement_rows(quads, linker, subject=term),
            }
        )
    header = statement_rows(quads, linker, subject=BASE + "ontology")
    return render_template(
        "ontology.html",
        sections=sections,
        header=header,
        language=language,
        languages=LANGUAGES,
        rdfs=RDFS,
    )


def _dataset_page(site: Site) -> str:
    language = reader_language()
    linker = Linker(
        site.settings.base_iri, request.host_url, language, collect_labels(site.void, {})
    )
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in site.void]
    subjects = sorted(
        {term_value(t.subject) for t in site.void}, key=lambda s: (s != BASE + "dataset", s)
    )
    blocks = [
        {"iri": s, "title": linker.label(s), "rows": statement_rows(quads, linker, subject=s)}
        for s in subjects
    ]
    return render_template("dataset.html", blocks=blocks, language=language)
