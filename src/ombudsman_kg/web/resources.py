"""`/id/{kind}/{slug}` (303 to the document) and `/doc/{kind}/{slug}[.ext]` (SPEC §3)."""

from __future__ import annotations

import re

import pyoxigraph
import werkzeug
from flask import Blueprint, Response, current_app, redirect, render_template

from ombudsman_kg.errors import NotFound, OkgError
from ombudsman_kg.rdf.namespaces import BASE, GRAPH_DATA, RDF_TYPE, SOURCE, source_graph
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.cache import BoundedCache
from ombudsman_kg.web.pages import (
    DERIVED_FROM,
    Link,
    Linker,
    Row,
    collect_labels,
    statement_rows,
)
from ombudsman_kg.web.provenance import attribute, disagreements, distinct_triples, source_labels
from ombudsman_kg.web.query_ui import query_this_href
from ombudsman_kg.web.representation import (
    Wanted,
    add_vary,
    html_response,
    negotiate,
    rdf_response,
)
from ombudsman_kg.web.schema_org import thing_jsonld
from ombudsman_kg.web.site import Site, current_site
from ombudsman_kg.web.visuals import page_visuals

bp = Blueprint("resources", __name__)
NAME = re.compile(r"^[a-z]+$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Rendered /doc/ answers, (body, status, headers) by request key: at most 64 MiB per app.
PAGE_CACHE_ENTRIES = 20_000
PAGE_CACHE_BYTES = 64 * 1024 * 1024


@bp.route("/id/<kind>/<slug>", methods=["GET", "HEAD"])
def identify(kind: str, slug: str) -> werkzeug.Response:
    """303 See Other to the document in the negotiated format; 404 for IRIs not in the data."""
    site = current_site()
    iri = _thing_iri(site, kind, slug)
    media_type = negotiate(None)
    extension = negotiation.extension_of(media_type)
    response = redirect(f"/doc/{kind}/{slug}.{extension}", code=303)
    add_vary(response, "Accept")
    response.headers["Link"] = f'<{iri}>; rel="canonical"'
    return response


@bp.route("/doc/<kind>/<name>", methods=["GET", "HEAD"])
def document(kind: str, name: str) -> Response:
    """The description of one thing: its statements, those pointing at it, and their labels.

    Over a store that cannot change while the server runs, each answer is kept in a bounded
    per-process cache under everything it depends on: path, extension, negotiated type, and for
    HTML the reader's language and this server's origin (the links point at it).
    """
    slug, _, extension = name.partition(".")
    site = current_site()
    try:
        wanted: Wanted | None = Wanted.of_request(extension or None)
    except OkgError as refusal:
        # reported after the thing is found: a 404 for an unknown thing comes before a 406
        wanted, refused = None, refusal
    key = (kind, name, *wanted.cache_key()) if wanted and site.store.immutable else None
    if key is not None:
        hit = _pages().get(key)
        if hit is not None:
            body, status, headers = hit
            return Response(body, status=status, headers=headers)
    iri = _thing_iri(site, kind, slug)
    if wanted is None:
        raise refused
    quads = site.store.describe(iri)
    path = f"/doc/{kind}/{slug}"
    if wanted.is_html:
        response = html_response(_render(site, iri, quads, wanted, path), wanted, path=path)
    else:
        response = rdf_response(distinct_triples(quads), wanted, path=path)
    if key is not None and response.status_code == 200 and not response.is_streamed:
        body = response.get_data()
        _pages().put(key, (body, response.status_code, list(response.headers.items())), len(body))
    return response


def _render(site: Site, iri: str, quads: list[pyoxigraph.Quad], wanted: Wanted, path: str) -> str:
    language = wanted.language
    labels = collect_labels(quads, dict(site.ontology_labels()))
    for source, by_language in source_labels(site).items():
        labels.setdefault(source, by_language)
    linker = Linker(BASE, wanted.origin, language, labels)
    in_data = [q for q in quads if getattr(q.graph_name, "value", "") == GRAPH_DATA]
    sources = sorted(
        {
            term_value(q.object)
            for q in quads
            if term_value(q.subject) == iri and q.predicate.value == DERIVED_FROM
        }
    )
    types = sorted(
        {
            term_value(q.object)
            for q in in_data
            if term_value(q.subject) == iri and q.predicate.value == RDF_TYPE
        }
    )
    differences = disagreements(site).get(iri, [])
    disputed = {p for d in differences for p in d.properties}
    attributions = attribute(quads)
    return render_template(
        "resource.html",
        iri=iri,
        title=linker.label(iri),
        language=language,
        types=[linker.link(t) for t in types],
        rows=statement_rows(
            quads, linker, subject=iri, attributions=attributions, disputed=disputed
        ),
        incoming=statement_rows(
            quads, linker, subject=iri, incoming=True, attributions=attributions
        ),
        sources=[linker.link(s) for s in sources],
        disagreements=[(linker.link(d.iri), linker.link(d.kind)) for d in differences],
        statements=_source_statements(site, iri, linker) if iri.startswith(SOURCE) else [],
        alternates=[
            (ext, f"{path}.{ext}", negotiation.EXTENSIONS[ext])
            for ext in ("ttl", "jsonld", "nt", "rdf")
        ],
        jsonld=thing_jsonld(iri, quads),
        query_this=query_this_href(iri),
        **page_visuals(site, linker, iri, types),
    )


def _source_statements(site: Site, source: str, linker: Linker) -> list[tuple[Link, list[Row]]]:
    """What a source states, thing by thing: its named graph, grouped by subject."""
    quads = site.store.quads(source_graph(source))
    for label, by_language in collect_labels(quads, {}).items():
        linker.labels.setdefault(label, by_language)
    subjects = sorted({term_value(q.subject) for q in quads}, key=linker.label)
    return [(linker.link(s), statement_rows(quads, linker, subject=s)) for s in subjects]


def _pages() -> BoundedCache[tuple[bytes, int, list[tuple[str, str]]]]:
    cache: BoundedCache[tuple[bytes, int, list[tuple[str, str]]]] = (
        current_app.extensions.setdefault(
            "okg-pages", BoundedCache(PAGE_CACHE_ENTRIES, PAGE_CACHE_BYTES)
        )
    )
    return cache


def _thing_iri(site: Site, kind: str, slug: str) -> str:
    """The IRI B + id/kind/slug, if the data holds it.

    :raises NotFound: for malformed names and IRIs the data does not hold.
    """
    iri = f"{BASE}id/{kind}/{slug}"
    if not NAME.match(kind) or not SLUG.match(slug) or not site.store.exists(iri):
        raise NotFound(f"the data holds nothing about <{iri}>")
    return iri
