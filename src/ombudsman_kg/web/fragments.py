"""`/fragments` and `/fragments/quads` (issue 12): Triple and Quad Pattern Fragments.

`/fragments` is a Triple Pattern Fragments interface over the default graph of `/sparql`
(graph/data, graph/ontology and graph/inferred, SPEC §7); `/fragments/quads` is a Quad Pattern
Fragments interface over every published named graph, source graphs included, so that a TPF
client such as Comunica can run `GRAPH` queries too. Both follow the HydraCG specification and
what `@ldf/server` and Comunica do with it:

- one `hydra:search` form on the data set `…#dataset`, one `hydra:template`, and mappings to
  `rdf:subject`, `rdf:predicate`, `rdf:object` (and `sd:graph`): Comunica tells a QPF form from a
  TPF one by exactly these (`QuerySourceQpf.getSearchForm`);
- the QPF data set names its default graph `urn:ldf:defaultGraph` (`sd:defaultGraph`), the name
  `@ldf/server` gives it, so that a QPF client reaches SPEC §7's default graph as well;
- pages of 100 in one stable order, `void:triples` and `hydra:totalItems` on every page,
  `hydra:next` and `hydra:previous` only where those pages exist, all about the exact URL the
  client asked for (the spec requires it, and Comunica looks its links up by it);
- in TriG, N-Quads and JSON-LD the metadata is in the graph `<page#metadata>`, which is
  `foaf:primaryTopic` of the fragment; Comunica takes as metadata the graph whose primary topic
  is the subject of the *last* `void:subset <page>`, so that triple comes last.

Every request does bounded work: the store counts at most `PATTERN_COUNT_MAX` matches, and pages
end there (SPEC §4).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph
from flask import Blueprint, Response, render_template, request

from ombudsman_kg.errors import BadRequest
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.fragment_terms import Selected, format_term, parse_term
from ombudsman_kg.store.base import PATTERN_COUNT_MAX, PatternGraph
from ombudsman_kg.web import fragment_documents
from ombudsman_kg.web.fragment_documents import DEFAULT_GRAPH_NAME, Fragment
from ombudsman_kg.web.i18n import gettext as _
from ombudsman_kg.web.representation import Wanted, add_vary
from ombudsman_kg.web.site import current_site

bp = Blueprint("fragments", __name__)

PAGE_SIZE = 100
MAX_PAGE = PATTERN_COUNT_MAX // PAGE_SIZE
TRIPLE_TYPES = tuple(
    f.media_type
    for f in (
        formats.HTML,
        formats.TRIG,
        formats.NQUADS,
        formats.JSONLD,
        formats.TURTLE,
        formats.NTRIPLES,
    )
)
#: a quad fragment in a format without graphs would lose what it selects by
QUAD_TYPES = tuple(
    f.media_type for f in (formats.HTML, formats.TRIG, formats.NQUADS, formats.JSONLD)
)

_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")
#: what a URL may carry as it is (RFC 3986's reserved and unreserved characters, and `%`)
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


@bp.route("/fragments", methods=["GET", "HEAD"])
def triple_fragments() -> Response:
    """A page of the default graph's triples that match `subject`, `predicate`, `object`."""
    if "graph" in request.args:
        raise BadRequest(
            "/fragments selects from the default graph and takes no graph:"
            " /fragments/quads selects by graph"
        )
    return _answer("/fragments", quads=False)


@bp.route("/fragments/quads", methods=["GET", "HEAD"])
def quad_fragments() -> Response:
    """A page of the named graphs' quads that match `subject`, `predicate`, `object`, `graph`."""
    return _answer("/fragments/quads", quads=True)


def _answer(path: str, *, quads: bool) -> Response:
    wanted = Wanted.of_request(None, QUAD_TYPES if quads else TRIPLE_TYPES)
    subject, predicate, object_ = (_parameter(name) for name in ("subject", "predicate", "object"))
    graph = _graph() if quads else pyoxigraph.DefaultGraph()
    page = _page_number()
    page_url = _requested_url()
    matches, count = current_site().store.pattern(
        subject, predicate, object_, graph, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    base = request.url_root.rstrip("/")
    fragment = Fragment(
        dataset_url=base + path,
        page_url=page_url,
        terms=tuple(format_term(term) for term in (subject, predicate, object_)),
        graph=_graph_text(graph) if quads else None,
        page=page,
        page_size=PAGE_SIZE,
        count=count,
        matches=matches,
    )
    if wanted.is_html:
        response = Response(_html(fragment, wanted, path), mimetype=formats.HTML.media_type)
        add_vary(response, "Accept-Language")
    else:
        body = fragment_documents.serialize(fragment, wanted.media_type)
        response = Response(body, mimetype=wanted.media_type)
        if wanted.media_type in formats.CHARSET_UTF8:
            response.headers["Content-Type"] = f"{wanted.media_type}; charset=utf-8"
    add_vary(response, "Accept")
    return response


def _parameter(name: str) -> Selected | None:
    """:raises BadRequest: for a term given twice or malformed (`parse_term`)."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"{name} is given {len(values)} times; a fragment takes one")
    return parse_term(values[0], name) if values else None


def _graph() -> PatternGraph:
    """A named graph, `urn:ldf:defaultGraph` for the default graph, or None for any graph."""
    values = request.args.getlist("graph")
    if len(values) > 1:
        raise BadRequest(f"graph is given {len(values)} times; a fragment takes one")
    if values and values[0] == DEFAULT_GRAPH_NAME:
        return pyoxigraph.DefaultGraph()
    term = parse_term(values[0], "graph") if values else None
    assert not isinstance(term, pyoxigraph.Literal)  # noqa: S101 - parse_term refuses one
    return term


def _graph_text(graph: PatternGraph) -> str:
    if isinstance(graph, pyoxigraph.DefaultGraph):
        return DEFAULT_GRAPH_NAME
    return "" if graph is None else graph.value


def _page_number() -> int:
    """:raises BadRequest: for a page that is not a whole number from 1 to `MAX_PAGE`."""
    values = request.args.getlist("page")
    if not values:
        return 1
    text = values[0]
    if len(values) > 1 or not _PAGE_NUMBER.fullmatch(text) or not 1 <= int(text) <= MAX_PAGE:
        raise BadRequest(
            f"page must be one whole number from 1 to {MAX_PAGE} (pages of {PAGE_SIZE}"
            f" triples; a fragment is paged through its first {PATTERN_COUNT_MAX} matches,"
            " /sparql and /dumps/ give the rest)"
        )
    return int(text)


def _requested_url() -> str:
    """The URL exactly as the client asked for it, as the spec requires of a page's metadata:
    the raw request line (gunicorn's `RAW_URI`), not werkzeug's re-encoding of it; characters
    that may not stand in an IRI, which no URL template writes, are percent-encoded.

    :raises BadRequest: when even that is not an IRI.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if not raw.startswith("/"):
        raw = request.full_path if request.query_string else request.path
    url = request.host_url.rstrip("/") + raw
    for candidate in (url, quote(url, safe=_URL_SAFE)):
        try:
            pyoxigraph.NamedNode(candidate)
        except ValueError:
            continue
        return candidate
    raise BadRequest("the request's URL is not an IRI")


def _html(fragment: Fragment, wanted: Wanted, path: str) -> str:
    """The page for a browser: the form filled in, the matches linking to their own fragments."""
    quads = fragment.graph is not None
    names = ["subject", "predicate", "object"] + (["graph"] if quads else [])
    values = [*fragment.terms, *([fragment.graph] if fragment.graph is not None else [])]
    rows = []
    for quad in fragment.matches:
        cells = [
            _cell(path, name, term)
            for name, term in zip(names, (quad.subject, quad.predicate, quad.object), strict=False)
        ]
        graph = quad.graph_name
        rows.append((cells, _cell(path, "graph", graph) if quads else ("", "")))
    return render_template(
        "fragments.html",
        title=_("Quad Pattern Fragments") if quads else _("Triple Pattern Fragments"),
        labels={
            "subject": _("subject"),
            "predicate": _("predicate"),
            "object": _("object"),
            "graph": _("graph"),
        },
        fields=list(zip(names, values, strict=True)),
        action=path,
        quads=quads,
        rows=rows,
        count=fragment.count,
        estimate=fragment.count > PATTERN_COUNT_MAX,
        first=fragment.first_item,
        last=fragment.first_item + len(rows) - 1,
        previous=fragment.previous_url,
        next=fragment.next_url,
        default_graph=DEFAULT_GRAPH_NAME,
        language_field=wanted.language if wanted.language_in_url else "",
    )


def _cell(path: str, name: str, term: object) -> tuple[str, str]:
    """(text, href): a term as the form writes it, linking to the fragment that selects it in
    the same place (a literal selects only as an object)."""
    if isinstance(term, pyoxigraph.DefaultGraph):
        return DEFAULT_GRAPH_NAME, f"{path}?graph={quote(DEFAULT_GRAPH_NAME, safe='')}"
    if not isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return str(term), ""
    text = format_term(term)
    if isinstance(term, pyoxigraph.Literal) and name != "object":
        return text, ""
    return text, f"{path}?{name}={quote(text, safe='')}"
