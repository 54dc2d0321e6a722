"""`/dumps/`: the list of dumps with sizes and SHA-256, and the files themselves (SPEC §3).

Files are sent as `build` wrote them, with their SHA-256 as the `ETag`; the `.gz` dumps are
`application/gzip`, not a `Content-Encoding`, so that what a client saves is the file whose
checksum VoID publishes.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    jsonify,
    render_template,
    request,
    send_file,
)

from ombudsman_kg.build.outputs import DUMPS_DIR, PRECOMPRESSED
from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf import formats
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.representation import add_vary
from ombudsman_kg.web.site import current_site

bp = Blueprint("dumps", __name__)


@bp.route("/dumps/", methods=["GET", "HEAD"])
def listing() -> Response:
    site = current_site()
    dumps = site.info["dumps"]
    html = formats.HTML.media_type
    media_type = negotiation.choose(
        request.headers.get("Accept"), (html, formats.JSON, formats.PLAIN), html
    )
    if media_type == formats.JSON:
        response = jsonify({"dumps": dumps})
    elif media_type == formats.PLAIN:
        lines = [f"{d['sha256']}  {d['bytes']:>12}  {d['file']}" for d in dumps]
        response = Response("\n".join(lines) + "\n", mimetype=formats.PLAIN)
    else:
        page = render_template("dumps.html", dumps=dumps, version=site.version)
        response = Response(page, mimetype=html)
    add_vary(response, "Accept")
    return response


@bp.route("/dumps/<filename>", methods=["GET", "HEAD"])
def download(filename: str) -> Response:
    site = current_site()
    entry = next((d for d in site.info["dumps"] if d["file"] == filename), None)
    if entry is None:
        raise NotFound(f"no dump named {filename}; see /dumps/")
    path = site.dist / DUMPS_DIR / filename
    if filename.endswith(".gz"):
        return send_file(
            path, mimetype=formats.GZIP, conditional=True, etag=entry["sha256"], max_age=3600
        )
    precompressed = site.dist / DUMPS_DIR / PRECOMPRESSED / (filename + ".gz")
    # werkzeug's Accept.__contains__ takes a str; mypy checks the list item type, (str, float)
    if "gzip" in request.accept_encodings and precompressed.is_file():  # type: ignore[comparison-overlap]
        response = send_file(
            precompressed,
            mimetype=entry["media_type"],
            conditional=True,
            etag=entry["sha256"] + "-gzip",
            max_age=3600,
        )
        if response.status_code != 304:
            response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(
            path, mimetype=entry["media_type"], conditional=True, etag=entry["sha256"], max_age=3600
        )
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    add_vary(response, "Accept-Encoding")
    return response
