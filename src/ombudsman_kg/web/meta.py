"""The data set's own documents: home page, ontology, shapes, VoID, health, JSON-LD context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph
import werkzeug
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)

from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf import formats, jsonld
from ombudsman_kg.rdf.namespaces import BASE, OKG, ONTOLOGY, OWL, RDF_TYPE, RDFS
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.cache import BoundedCache
from ombudsman_kg.web.graphs import GRAPH_PREFIX, describe_graph, graph_names
from ombudsman_kg.web.i18n import N_
from ombudsman_kg.web.pages import (
    LANGUAGES,
    Linker,
    collect_labels,
    rows_by_subject,
    statement_rows,
)
from ombudsman_kg.web.representation import (
    Wanted,
    add_vary,
    html_response,
    negotiate,
    rdf_response,
)
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("meta", __name__)


@bp.route("/ontology", methods=["GET", "HEAD"])
@bp.route("/ontology.<extension>", methods=["GET", "HEAD"])
def ontology(extension: str | None = None) -> Response:
    site = current_site()
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        page = _document("ontology", wanted, lambda: _ontology_page(site, wanted))
        return html_response(page, wanted, path="/ontology")
    return rdf_response(site.ontology, wanted, path="/ontology")


@bp.route("/ontology/<name>", methods=["GET", "HEAD"])
def ontology_version(name: str) -> Response:
    """The ontology document at its `owl:versionIRI` (B + `ontology/1.0.0`), as `/ontology` is.

    The build holds one version of the ontology, so only its own version IRI answers; an older
    version would need its document kept by the build.

    :raises NotFound: for any other version.
    """
    site = current_site()
    version_path = site.cached("ontology_version", lambda: _ontology_version_path(site))
    version = version_path.rsplit("/", 1)[-1]
    if name == version:
        extension = None
    elif version and name.startswith(version + "."):
        extension = name[len(version) + 1 :]
    else:
        raise NotFound(f"no version {name} of the ontology here; this is version {version}")
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        return html_response(
            _document("ontology", wanted, lambda: _ontology_page(site, wanted)),
            wanted,
            path="/" + version_path,
        )
    return rdf_response(site.ontology, wanted, path="/" + version_path)


@bp.route("/graph/<path:name>", methods=["GET", "HEAD"])
def graph(name: str) -> werkzeug.Response:
    """A named graph's IRI: `303 See Other` to its description, `/graph/{name}.{ext}`.

    The IRI names the graph, a set of triples, not the few lines this server can say about it;
    answering `200` with those lines would make them the graph (and a Graph Store Protocol
    client, which takes a graph IRI's `200` body as the graph's content, would read them so).
    Linked Data practice for a hash-less IRI of a thing that is not the document (W3C "Cool URIs
    for the Semantic Web" §4.3, the TAG's httpRange-14 decision) is the `303` to a document
    about it, as `/id/` does; the document is negotiated, HTML included.

    :raises NotFound: for a name that is no graph of this build.
    """
    site = current_site()
    graphs = graph_names(site.info)
    if GRAPH_PREFIX + name in graphs:
        extension = negotiation.extension_of(negotiate(None))
        response = redirect(f"/graph/{name}.{extension}", code=303)
        add_vary(response, "Accept")
        return response
    stem, dot, extension = name.rpartition(".")
    iri = GRAPH_PREFIX + stem
    if not dot or iri not in graphs:
        raise NotFound(f"no graph named {GRAPH_PREFIX + name} here; see /dataset")
    triples = describe_graph(iri, void=site.void, info=site.info)
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        return html_response(_graph_page(iri, triples, wanted), wanted, path="/graph/" + stem)
    return rdf_response(triples, wanted, path="/graph/" + stem)


@bp.route("/shapes", methods=["GET", "HEAD"])
@bp.route("/shapes.<extension>", methods=["GET", "HEAD"])
def shapes(extension: str | None = None) -> Response:
    site = current_site()
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        page = render_template("shapes.html", shapes=site.shapes_text)
        return html_response(page, wanted, path="/shapes")
    return rdf_response(site.shapes, wanted, path="/shapes")


@bp.route("/dataset", methods=["GET", "HEAD"])
@bp.route("/dataset.<extension>", methods=["GET", "HEAD"])
@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def dataset(extension: str | None = None) -> Response:
    site = current_site()
    wanted = Wanted.of_request(extension)
    if wanted.is_html:
        page = _document("dataset", wanted, lambda: _dataset_page(site, wanted))
        return html_response(page, wanted, path="/dataset")
    return rdf_response(site.void, wanted, path="/dataset")


@bp.route("/health", methods=["GET", "HEAD"])
def health() -> Response:
    site = current_site()
    triples = site.cached("triple_count", site.store.triple_count)
    return jsonify(
        {"status": "ok", "triples": triples, "version": site.version, "store": site.settings.store}
    )


@bp.route("/context.jsonld", methods=["GET", "HEAD"])
def context() -> Response:
    response = jsonify(jsonld.context())
    response.mimetype = formats.JSONLD.media_type
    return response


#: the document pages kept per process: a few kinds × languages × origins
DOCUMENT_CACHE_ENTRIES = 64
DOCUMENT_CACHE_BYTES = 32 * 1024 * 1024


def _document(name: str, wanted: Wanted, render: Callable[[], str]) -> str:
    """A document page (built from what `build` wrote, so the same until the next build),
    rendered once per process for each language and origin it depends on."""
    cache: BoundedCache[str] = current_app.extensions.setdefault(
        "okg-documents", BoundedCache(DOCUMENT_CACHE_ENTRIES, DOCUMENT_CACHE_BYTES)
    )
    key = (name, request.path, *wanted.cache_key())  # the page names its own URL
    page = cache.get(key)
    if page is None:
        page = render()
        cache.put(key, page, len(page.encode("utf-8")))
    return page


def _ontology_page(site: Site, wanted: Wanted) -> str:
    language = wanted.language
    labels = collect_labels(site.ontology, {})
    linker = Linker(BASE, wanted.origin, language, labels)
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in site.ontology]
    kinds = {
        OWL + "Class": N_("Classes"),
        OWL + "ObjectProperty": N_("Object properties"),
        OWL + "DatatypeProperty": N_("Datatype properties"),
        OWL + "AnnotationProperty": N_("Annotation properties"),
    }
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in kinds.values()}
    rows = rows_by_subject(quads, linker)
    types: dict[str, set[str]] = {}
    for triple in site.ontology:
        if triple.predicate.value == RDF_TYPE:
            types.setdefault(term_value(triple.subject), set()).add(term_value(triple.object))
    for term in sorted(subject for subject in rows if subject.startswith(OKG)):
        section = next((kinds[k] for k in kinds if k in types.get(term, ())), N_("Classes"))
        sections[section].append(
            {
                "anchor": term[len(OKG) :],
                "iri": term,
                "title": linker.label(term),
                "labels": labels.get(term, {}),
                "rows": rows[term],
            }
        )
    header = rows.get(BASE + "ontology", [])
    return render_template(
        "ontology.html",
        sections=sections,
        header=header,
        language=language,
        languages=LANGUAGES,
        rdfs=RDFS,
    )


def _dataset_page(site: Site, wanted: Wanted) -> str:
    language = wanted.language
    linker = Linker(BASE, wanted.origin, language, collect_labels(site.void, {}))
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in site.void]
    rows = rows_by_subject(quads, linker)
    subjects = sorted(rows, key=lambda s: (s != BASE + "dataset", s))
    blocks = [{"iri": s, "title": linker.label(s), "rows": rows[s]} for s in subjects]
    return render_template("dataset.html", blocks=blocks, language=language)


def _ontology_version_path(site: Site) -> str:
    """The path of the ontology's `owl:versionIRI` under B, e.g. `ontology/1.0.0`; "" if none."""
    for triple in site.ontology:
        if term_value(triple.subject) == ONTOLOGY and triple.predicate.value == OWL + "versionIRI":
            version = term_value(triple.object)
            if version.startswith(ONTOLOGY + "/"):
                return version[len(BASE) :]
    return ""


def _graph_page(iri: str, triples: list[pyoxigraph.Triple], wanted: Wanted) -> str:
    language = wanted.language
    linker = Linker(BASE, wanted.origin, language, collect_labels(triples, {}))
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]
    local = linker.href(iri)
    alternates = [
        (name, f"{local}.{negotiation.extension_of(media_type)}")
        for name, media_type in (
            ("Turtle", negotiation.TURTLE),
            ("JSON-LD", negotiation.JSONLD),
            ("N-Triples", negotiation.NTRIPLES),
            ("RDF/XML", negotiation.RDFXML),
        )
    ]
    return render_template(
        "graph.html",
        iri=iri,
        title=linker.label(iri),
        rows=statement_rows(quads, linker, subject=iri),
        formats=alternates,
        language=language,
    )
