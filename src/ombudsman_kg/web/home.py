"""The home page: what the data set is in one sentence, its numbers, its things by kind and
the timeline of its events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph
from flask import Blueprint, Response, render_template, request

from ombudsman_kg.rdf.namespaces import BASE, GRAPH_DATA, VOID
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.store import queries
from ombudsman_kg.web.i18n import N_, gettext
from ombudsman_kg.web.negotiation import HTML
from ombudsman_kg.web.pages import Linker, reader_language
from ombudsman_kg.web.provenance import disagreements
from ombudsman_kg.web.representation import add_vary
from ombudsman_kg.web.schema_org import dataset_jsonld
from ombudsman_kg.web.site import Site, current_site
from ombudsman_kg.web.visuals import home_timeline

bp = Blueprint("home", __name__)
#: the kinds of `id/{kind}/…`, as the home page names them
KIND_NAMES = {
    "account": N_("accounts"),
    "disagreement": N_("disagreements"),
    "document": N_("documents"),
    "event": N_("events"),
    "group": N_("groups"),
    "membership": N_("memberships"),
    "organization": N_("organizations"),
    "person": N_("people"),
    "place": N_("places"),
    "post": N_("posts"),
    "purpose": N_("purposes"),
    "report": N_("reports"),
    "role": N_("roles"),
    "source": N_("sources"),
    "time": N_("times"),
    "unit": N_("units"),
}
HOME_ITEMS_PER_KIND = 60


@bp.route("/", methods=["GET", "HEAD"])
def home() -> Response:
    site = current_site()
    language = reader_language()
    linker = Linker(BASE, request.host_url, language, site.ontology_labels())
    kinds = site.cached("things_by_kind", lambda: things_by_kind(site))
    entries = []
    for kind, things in kinds.items():
        items = sorted(
            (
                (linker.href(iri), labels.get(language) or labels.get("en") or iri)
                for iri, labels in things.items()
            ),
            key=lambda item: item[1].casefold(),
        )
        entries.append(
            {
                "kind": gettext(KIND_NAMES.get(kind, kind)),
                "anchor": kind + "s",
                "count": len(items),
                "items": items[:HOME_ITEMS_PER_KIND],
            }
        )
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
        release=site.info.get("release"),
        release_count=len(site.info.get("releases", [])),
        queries=site.queries,
        things=sum(len(things) for things in kinds.values()),
        statements=site.info["graphs"].get(GRAPH_DATA, 0),
        sources=len(site.info.get("source_graphs", {})),
        disagreements=len({d.iri for ds in disagreements(site).values() for d in ds}),
        timeline=home_timeline(site, linker),
        dataset_jsonld=dataset_jsonld(site),
    )
    response = Response(body, mimetype=HTML)
    add_vary(response, "Accept-Language")
    return response


def things_by_kind(site: Site) -> dict[str, dict[str, dict[str, str]]]:
    """kind → thing → language → label, for the home page and the sitemaps."""
    kinds: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    prefix = BASE + "id/"
    for row in site.store.select(queries.load("things")):
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
