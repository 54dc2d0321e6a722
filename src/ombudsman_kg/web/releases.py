"""`/releases/`: every release with its dumps, checksums and changelog (issue 12, SPEC §7).

A release's IRI, B + `release/{version}`, answers `303 See Other` to its page,
`/releases/{version}/`, which lists its dumps with their SHA-256 and, against the release before
it, the quads added and removed in each named graph (so per source), with the changelog's files:
`removed.nq`, `added.nq` and `changes.rdfp` (RDF Patch). Pages and their RDF (the release's
part of the VoID/DCAT description) come from what `build` wrote; files are sent as written,
their SHA-256 as their `ETag`, so that a mirror can check what it saved.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pyoxigraph
import werkzeug
from flask import Blueprint, Response, redirect, render_template, send_file

from ombudsman_kg.build.outputs import ADDED_FILE, PATCH_FILE, RELEASES_DIR, REMOVED_FILE
from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.namespaces import BASE, DATASET, GRAPH_SOURCE, RDF_TYPE
from ombudsman_kg.web.i18n import N_, keep_language
from ombudsman_kg.web.representation import Wanted, html_response, rdf_response
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("releases", __name__)

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.-]{0,63}")
RDF_PATCH = "application/rdf-patch"
#: the changelog's files and what they are, for the page
CHANGELOG = (
    (REMOVED_FILE, formats.NQUADS.media_type, N_("the quads removed, as N-Quads")),
    (ADDED_FILE, formats.NQUADS.media_type, N_("the quads added, as N-Quads")),
    (PATCH_FILE, RDF_PATCH, N_("both, as one RDF Patch")),
)
CHECKSUMS = ("SHA256SUMS", formats.PLAIN)
DCAT_SERIES = "http://www.w3.org/ns/dcat#DatasetSeries"
_SERIES = frozenset(
    "http://www.w3.org/ns/dcat#" + name
    for name in ("first", "last", "hasCurrentVersion", "hasVersion")
)


@bp.route("/release/<version>", methods=["GET", "HEAD"])
def identify(version: str) -> werkzeug.Response:
    """The release's IRI names the release, not a document: 303 to its page."""
    _release(current_site(), version)
    return redirect(keep_language(f"/releases/{version}/"), code=303)


@bp.route("/releases/", methods=["GET", "HEAD"])
@bp.route("/releases/index.<extension>", methods=["GET", "HEAD"])
def listing(extension: str | None = None) -> Response:
    site = current_site()
    wanted = Wanted.of_request(extension)
    releases = list(reversed(site.info.get("releases", [])))
    if wanted.is_html:
        page = render_template(
            "releases.html",
            releases=releases,
            current=site.info.get("release"),
        )
        return html_response(page, wanted, path="/releases/index")
    triples = [t for t in site.void if _about_releases(t)]
    return rdf_response(triples, wanted, path="/releases/index")


@bp.route("/releases/<version>/", methods=["GET", "HEAD"])
@bp.route("/releases/<version>/index.<extension>", methods=["GET", "HEAD"])
def release(version: str, extension: str | None = None) -> Response:
    site = current_site()
    entry = _release(site, version)
    wanted = Wanted.of_request(extension)
    path = f"/releases/{version}/index"
    if wanted.is_html:
        page = render_template(
            "release.html",
            release=entry,
            current=site.info.get("release"),
            graphs=_graph_rows(entry),
            changelog=CHANGELOG if "changes" in entry else (),
            checksums=CHECKSUMS[0],
        )
        return html_response(page, wanted, path=path)
    folder = f"{BASE}releases/{version}/"
    node = f"{BASE}release/{version}"
    triples = [
        t
        for t in site.void
        if t.subject.value == node or t.subject.value.startswith(folder)  # type: ignore[union-attr]
    ]
    return rdf_response(triples, wanted, path=path)


@bp.route("/releases/<version>/<filename>", methods=["GET", "HEAD"])
def download(version: str, filename: str) -> Response:
    site = current_site()
    entry = _release(site, version)
    media_type = _file_type(entry, filename)
    path = site.dist / RELEASES_DIR / version / filename
    if media_type is None or not path.is_file():
        raise NotFound(f"release {version} has no file {filename}; see /releases/{version}/")
    sha256 = next((d["sha256"] for d in entry["dumps"] if d["file"] == filename), None)
    if sha256 is None:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    if filename.endswith(".gz"):
        media_type = formats.GZIP
    response = send_file(path, mimetype=media_type, conditional=True, etag=sha256, max_age=3600)
    if media_type in formats.CHARSET_UTF8 or media_type in (formats.PLAIN, RDF_PATCH):
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _release(site: Site, version: str) -> dict[str, Any]:
    """:raises NotFound: for a version that is not a published release."""
    if VERSION.fullmatch(version):
        for entry in site.info.get("releases", []):
            if entry["version"] == version:
                return dict(entry)
    raise NotFound(f"no release {version}; see /releases/")


def _file_type(entry: dict[str, Any], filename: str) -> str | None:
    for dump in entry["dumps"]:
        if dump["file"] == filename:
            return str(dump["media_type"])
    if "changes" in entry:
        for name, media_type, _ in CHANGELOG:
            if name == filename:
                return media_type
    return CHECKSUMS[1] if filename == CHECKSUMS[0] else None


def _graph_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The changelog's counts per named graph, source graphs named by their source."""
    rows = []
    for graph, counts in entry.get("changes", {}).get("graphs", {}).items():
        source = graph.removeprefix(GRAPH_SOURCE) if graph.startswith(GRAPH_SOURCE) else None
        rows.append({"graph": graph, "source": source, **counts})
    return rows


def _about_releases(triple: pyoxigraph.Triple) -> bool:
    subject = triple.subject.value  # type: ignore[union-attr]
    if subject == DATASET:
        return triple.predicate.value in _SERIES or (
            triple.predicate.value == RDF_TYPE
            and triple.object == pyoxigraph.NamedNode(DCAT_SERIES)
        )
    return subject.startswith((BASE + "release/", BASE + "releases/"))
