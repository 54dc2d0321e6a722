"""/reconcile: the W3C Entity Reconciliation CG API, version 0.2, which OpenRefine 3.x speaks.

One endpoint: `GET /reconcile` without parameters is the manifest; `queries=` (GET, or a POST
form as OpenRefine sends it) is a batch of reconciliation queries; `extend=` is data extension.
Around it: suggest for entities, types and properties, a preview card for OpenRefine's iframe,
property proposals for data extension, and a view link to the thing's page here. This module is
the HTTP side; the JSON of 0.2 is `web.reconcile_protocol`, the index and scores
`web.reconcile_index`, the folding of names `rdf.folding`.

Why each choice (0.2, `reconciliation-api/specs 0.2/source.html`):

* Candidates' ids are the full IRIs (B + id/...), so `identifierSpace` is an honest IRI prefix;
  the view and preview templates take the id as a query parameter, because OpenRefine puts it
  in unencoded (`recon-renderer.js`: `encodeURI` of the whole URL).
* Scores and `match` follow the rule documented in `web.reconcile_index`.
* CORS is on every answer, errors included (`app._finish`); JSONP (`callback=`, a JavaScript
  identifier) on GET answers, for the clients that still fall back to it. Errors are JSON with
  their status: 400 for a batch that is not the JSON 0.2 describes, 413 over `BATCH_SIZE`.
* The preview is framed by other sites (OpenRefine's), so it carries its own
  Content-Security-Policy: nothing to run, its one style by hash, and no `frame-ancestors`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Response, redirect, render_template_string, request
from werkzeug.exceptions import HTTPException

from ombudsman_kg import errors
from ombudsman_kg.errors import BadRequest, NotFound, OkgError
from ombudsman_kg.rdf import folding
from ombudsman_kg.rdf.namespaces import BASE
from ombudsman_kg.web import reconcile_protocol as protocol
from ombudsman_kg.web.i18n import current_language, gettext
from ombudsman_kg.web.reconcile_index import ReconcileIndex, build_index
from ombudsman_kg.web.reconcile_protocol import MAX_LIMIT, count, curie
from ombudsman_kg.web.site import current_site

bp = Blueprint("reconcile", __name__)
LOG = logging.getLogger("ombudsman_kg.web")

SUGGEST_PAGE = 10
#: werkzeug's errors (routing, form parsing) as ours
FROM_HTTP: dict[int, type[OkgError]] = {
    400: BadRequest,
    404: NotFound,
    405: errors.MethodNotAllowed,
    413: errors.PayloadTooLarge,
}
JSONP_CALLBACK = re.compile(r"[A-Za-z_$][\w$]{0,99}(?:\.[A-Za-z_$][\w$]{0,99}){0,4}")
PREVIEW_STYLE = (
    "body{font:14px/1.35 system-ui,sans-serif;margin:8px;color:#222}"
    "h1{font-size:16px;margin:0 0 4px}p{margin:2px 0}.k{color:#555}a{color:#0645ad}"
)
PREVIEW_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'sha256-"
        + base64.b64encode(hashlib.sha256(PREVIEW_STYLE.encode()).digest()).decode()
        + "'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)
PREVIEW = """<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ name }}</title>
<style>{{ style|safe }}</style></head><body>
{% if entity %}<h1>{{ name }}</h1>
{% if other %}<p lang="{{ other_language }}">{{ other }}</p>{% endif %}
<p><span class="k">{{ t_type }}:</span> {{ types }}</p>
{% if aliases %}<p><span class="k">{{ t_aliases }}:</span> {{ aliases }}</p>{% endif %}
<p><a href="{{ href }}" target="_blank" rel="noopener">{{ t_open }}</a></p>
{% else %}<p>{{ t_missing }}</p>{% endif %}
</body></html>
"""


@bp.route("/reconcile", methods=["GET", "POST"])
def endpoint() -> Response:
    """The manifest, a query batch or a data extension, by which parameter is given."""
    values = request.form if request.method == "POST" else request.args
    index, language = _index(), current_language()
    if "queries" in values:
        batch = _parse_json(values["queries"], "queries")
        return _json(protocol.answer_batch(index, batch, language=language))
    if "extend" in values:
        query = _parse_json(values["extend"], "extend")
        return _json(protocol.extend(index, query, language=language))
    if request.method == "POST":
        raise BadRequest("a POST to /reconcile needs a form field `queries` or `extend`")
    origin = request.host_url.rstrip("/")
    service = origin + "/reconcile"
    return _json(protocol.manifest(index, service=service, origin=origin, language=language))


@bp.route("/reconcile/suggest/<kind>")
def suggest(kind: str) -> Response:
    """Prefix search (`prefix=`, `cursor=` to skip) over entities, types or properties."""
    index, language = _index(), current_language()
    prefix = request.args.get("prefix", "")
    cursor = count(request.args.get("cursor", "0"), "cursor", minimum=0)
    page = count(request.args.get("limit", str(SUGGEST_PAGE)), "limit", maximum=MAX_LIMIT)
    if kind == "entity":
        found = _suggest_entities(index, prefix, language=language)
    elif kind in ("type", "property"):
        terms = index.types_in_use() if kind == "type" else index.properties_of()
        found = _suggest_terms(index, prefix, terms, language=language)
    else:
        raise NotFound(f"no suggest service for {kind!r}: entity, type or property")
    return _json({"result": found[cursor : cursor + page]})


@bp.route("/reconcile/propose_properties")
def propose_properties() -> Response:
    """The properties things of `type` have (data extension), `limit=` of them."""
    type_id = request.args.get("type", "").strip()
    if not type_id:
        raise BadRequest("propose_properties needs a `type`")
    limit = count(request.args.get("limit", "0"), "limit", minimum=0) or None
    answer = protocol.proposals(_index(), type_id, limit=limit, language=current_language())
    return _json(answer)


@bp.route("/reconcile/preview")
def preview() -> Response:
    """A small card for OpenRefine's iframe, in the reader's language."""
    index, language = _index(), current_language()
    entity = index.entities.get(request.args.get("id", "").strip())
    fields: dict[str, Any] = {"entity": entity, "language": language, "style": PREVIEW_STYLE}
    fields["t_missing"] = gettext("This identifier is not in the data set.")
    if entity is not None:
        other_language = "az" if language == "en" else "en"
        name, other = entity.label(language), entity.label(other_language)
        fields.update(
            name=name,
            other=other if other != name else "",
            other_language=other_language,
            types=", ".join(t["name"] for t in protocol.types_of(index, entity, language)[:2]),
            aliases=", ".join(
                sorted({n.text for n in entity.names if n.text not in (name, other)})[:6]
            ),
            href=_local(entity.iri),
            t_type=gettext("Type"),
            t_aliases=gettext("Also known as"),
            t_open=gettext("Open the full description"),
        )
    response = Response(
        render_template_string(PREVIEW, **fields),
        status=200 if entity else 404,
        mimetype="text/html",
    )
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@bp.route("/reconcile/view")
def view() -> Response:
    """The manifest's view link: to this server's page of the thing (`id` is its IRI)."""
    iri = request.args.get("id", "").strip()
    if iri not in _index().entities:
        raise NotFound(f"no described thing has the identifier {iri!r}")
    return redirect(_local(iri), code=303)  # type: ignore[return-value]


@bp.errorhandler(OkgError)
def _okg_error(error: OkgError) -> Response:
    return _error(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    kind = FROM_HTTP.get(error.code or 500)
    ours = (kind or OkgError)(error.description)
    if kind is None:
        ours.status, ours.title = error.code or 500, error.name
    return _error(ours)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    LOG.exception("unexpected error on %s %s", request.method, request.path)
    return _error(OkgError())


def _error(error: OkgError) -> Response:
    """Errors as JSON with their status (0.2 leaves the body open), never a traceback."""
    body = {"status": error.status, "title": error.title, "message": str(error)}
    return Response(json.dumps(body), status=error.status, mimetype="application/json")


def _suggest_entities(index: ReconcileIndex, prefix: str, *, language: str) -> list[Any]:
    """Things whose name, or a word of it, starts with `prefix`; the same name or the IRI
    itself first (0.2 "General Expectations about Suggest Services")."""
    ranked: dict[str, tuple[int, int, str]] = {}
    for entity in index.entities.values():
        texts = [n.text for n in entity.names]
        rank = 0 if prefix.strip() == entity.iri else folding.prefix_rank(prefix, texts)
        if rank is not None:
            ranked[entity.iri] = (rank, min(map(len, texts), default=0), entity.iri)
    return [
        {
            "id": e.iri,
            "name": e.label(language),
            **protocol.description(e, language),
            "notable": protocol.types_of(index, e, language)[:3],
        }
        for e in (index.entities[iri] for iri in sorted(ranked, key=ranked.__getitem__))
    ]


def _suggest_terms(
    index: ReconcileIndex, prefix: str, terms: Iterable[str], *, language: str
) -> list[Any]:
    """Types or properties whose name, local name, CURIE or IRI starts with `prefix`."""
    ranked: dict[str, tuple[int, str]] = {}
    for term in terms:
        names = [*index.term_labels.get(term, {}).values(), protocol.term_name(index, term, "en")]
        rank = 0 if prefix.strip() == term else folding.prefix_rank(prefix, names)
        if rank is None and prefix and prefix in (term[: len(prefix)], curie(term)[: len(prefix)]):
            rank = 3
        if rank is not None:
            ranked[term] = (rank, protocol.term_name(index, term, "en"))
    return [
        {"id": t, "name": protocol.term_name(index, t, language), "description": curie(t)}
        for t in sorted(ranked, key=ranked.__getitem__)
    ]


def _index() -> ReconcileIndex:
    site = current_site()
    index: ReconcileIndex = site.cached("reconcile_index", lambda: build_index(site.store))
    return index


def _local(iri: str) -> str:
    """This server's address of the thing (SPEC §1: `/X` answers for B + `X`)."""
    return request.host_url.rstrip("/") + "/" + iri.removeprefix(BASE)


def _parse_json(text: str, field: str) -> Any:
    """:raises BadRequest: with the parser's message, when `text` is not JSON."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise BadRequest(f"`{field}` is not valid JSON: {error}") from None


def _json(body: Any) -> Response:
    """JSON, or JSONP when a GET names a valid `callback` (0.2: "MAY support JSONP").

    :raises BadRequest: for a `callback` that is not a JavaScript identifier (a script
        injection otherwise).
    """
    text = json.dumps(body, ensure_ascii=False)
    callback = request.args.get("callback")
    if callback is None or request.method != "GET":
        return Response(text, mimetype="application/json")
    if not JSONP_CALLBACK.fullmatch(callback):
        raise BadRequest("`callback` must be a JavaScript identifier such as jQuery123_456")
    return Response(f"/**/{callback}({text});", mimetype="application/javascript")
