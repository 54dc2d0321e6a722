"""The Flask application factory: one app per settings and store, one blueprint per route family.

Cross-cutting promises of SPEC §3 live here, once, for every route: CORS, an `ETag` with `304`
for `If-None-Match`, gzip for clients that accept it, and the refusal of SPARQL Update on any
route (§4).
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask, Response, request

from ombudsman_kg.errors import UpdateRefused
from ombudsman_kg.rdf import formats
from ombudsman_kg.settings import Settings
from ombudsman_kg.store import open_store
from ombudsman_kg.store.base import Store
from ombudsman_kg.web import (
    countries,
    disagreements,
    dumps,
    errors,
    findability,
    fragments,
    home,
    i18n,
    links,
    meta,
    reconcile,
    releases,
    resources,
    sparql,
    validation,
)
from ombudsman_kg.web.cache import BoundedCache
from ombudsman_kg.web.input_guard import PROBLEM as INPUT_PROBLEM
from ombudsman_kg.web.input_guard import InputGuard
from ombudsman_kg.web.representation import add_vary
from ombudsman_kg.web.site import Site

GZIP_MIN_BYTES = 512
# gzip of bodies already sent, by their hash: the same page or answer is not compressed twice.
_GZIPPED: BoundedCache[bytes] = BoundedCache(max_entries=20_000, max_bytes=32 * 1024 * 1024)


def create_app(settings: Settings, store: Store | None = None) -> Flask:
    """Build the app for one store; tests and `serve` each create their own."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    site = Site.load(settings, store or open_store(settings))
    site.store.warm()
    app.extensions["okg"] = site
    app.jinja_env.autoescape = True
    i18n.install(app)
    app.url_map.strict_slashes = False
    for blueprint in (
        home.bp,
        meta.bp,
        resources.bp,
        sparql.bp,
        dumps.bp,
        disagreements.bp,
        countries.bp,
        findability.bp,
        reconcile.bp,
        fragments.bp,
        releases.bp,
        validation.bp,
    ):
        app.register_blueprint(blueprint)
    errors.register(app)
    app.wsgi_app = InputGuard(  # type: ignore[method-assign]
        app.wsgi_app, max_body_bytes=settings.max_body_bytes
    )
    app.before_request(_refuse_bad_input)
    app.before_request(_refuse_update)
    app.after_request(_finish)
    return app


def _refuse_bad_input(*_: object) -> None:
    """What `InputGuard` found (an oversized body, bytes that are not UTF-8), raised here so
    that the one error handler answers it; a body over the limit is a 413 whatever it holds."""
    problem = request.environ.get(INPUT_PROBLEM)
    if problem is not None:
        raise problem


def _refuse_update(*_: object) -> None:
    """SPEC §4: an `update` field or a `sparql-update` body is refused on every route."""
    content_type = (request.mimetype or "").lower()
    if content_type == formats.SPARQL_UPDATE:
        raise UpdateRefused()
    if "update" in request.args or (
        request.method == "POST" and content_type == formats.FORM and "update" in request.form
    ):
        raise UpdateRefused()


def _finish(response: Response) -> Response:
    from ombudsman_kg.web.security import secure

    secure(response)
    links.add(response)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Access-Control-Expose-Headers", "ETag, Content-Location, Link")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    if request.endpoint == "static" and response.status_code == 200:
        # the static files (Yasgui, the bundles, the world outline) are files `send_file` would
        # pass through uncompressed: read them, so that they are gzipped like every answer
        # (their gzip is kept in `_GZIPPED`, by content)
        response.direct_passthrough = False
        response.make_sequence()
    if response.direct_passthrough or response.is_streamed:
        return response
    body = response.get_data()
    if "ETag" not in response.headers:
        response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    etag, _ = response.get_etag()
    if response.status_code == 200 and request.method in ("GET", "HEAD") and etag:
        candidates = {etag, etag + "-gzip"}
        if any(tag in candidates for tag in request.if_none_match) or "*" in request.if_none_match:
            response.status_code = 304
            response.set_data(b"")
            return response
    _compress(response, body)
    return response


def _compress(response: Response, body: bytes) -> None:
    """gzip when the client accepts it and the type compresses well."""
    add_vary(response, "Accept-Encoding")
    # werkzeug's Accept.__contains__ takes a str; mypy checks the list item type, (str, float)
    if (
        len(body) < GZIP_MIN_BYTES
        or "gzip" not in request.accept_encodings  # type: ignore[comparison-overlap]
        or not (response.mimetype or "").startswith(formats.COMPRESSIBLE)
        or "Content-Encoding" in response.headers
        or response.status_code == 304
    ):
        return
    key = hashlib.blake2b(body, digest_size=16).digest()
    compressed = _GZIPPED.get(key)
    if compressed is None:
        compressed = gzip.compress(body, compresslevel=5, mtime=0)
        _GZIPPED.put(key, compressed, len(compressed))
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(etag + "-gzip", weak=bool(weak))
