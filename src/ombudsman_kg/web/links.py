"""`Link` headers on pages and dumps (issue 12): where else this answer is, and what describes it.

A client that got one representation learns from the headers alone, without parsing the body,
where the others are and where the data set's VoID description is (RFC 8288; the HTML pages
say the same with `<link rel="alternate">`):

- `rel="alternate"` with its `type`, for each format the URL's document offers other than the
  one asked for by extension: a document of `Wanted`'s negotiation (`/doc/…`, `/ontology`,
  `/shapes`, `/dataset`, `/graph/…`, `/disagreements`, `/validation`) at each extension it
  answers, and a dump at the other dumps that hold the same graph or graphs;
- `rel="describedby"`: the VoID description, `/dataset.ttl`, on every answer of the site but
  the description itself (RFC 5785 `/.well-known/void` is the same document).

Targets are paths on this server, as the HTML links are, so that a local copy is browsed
locally; behind w3id.org the answer comes from the publisher's origin and they resolve there.
A `Link` a view set itself (the canonical IRI on `/id/`'s `303`) is kept, first.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ombudsman_kg.rdf import formats
from ombudsman_kg.web import negotiation
from ombudsman_kg.web.site import current_site

DESCRIPTION = "/dataset.ttl"
DESCRIPTION_TYPE = negotiation.TURTLE
#: the views whose document negotiates among the graph formats, with an extension per format
DOCUMENTS = frozenset(
    {
        "resources.document",
        "meta.ontology",
        "meta.ontology_version",
        "meta.shapes",
        "meta.dataset",
        "meta.graph",
        "disagreements.disagreements",
        "validation.report",
    }
)
#: the dumps of every named graph (SPEC §3); the JSON-LD dump, though JSON-LD can hold named
#: graphs, is one graph, as the `.ttl` and `.nt` are
QUAD_DUMP_TYPES = frozenset({formats.TRIG.media_type, formats.NQUADS.media_type})
#: the description itself: no `describedby` to itself
DESCRIPTIONS = frozenset({"meta.dataset"})


def add(response: Response) -> None:
    """Add the `Link` headers this response's URL calls for."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or response.status_code >= 400:
        return
    links = []
    if response.status_code == 200:
        links += [_link(href, "alternate", media_type) for href, media_type in alternates()]
    if endpoint not in DESCRIPTIONS:
        links.append(_link(DESCRIPTION, "describedby", DESCRIPTION_TYPE))
    if not links:
        return
    present = response.headers.get("Link")
    response.headers["Link"] = ", ".join([present, *links] if present else links)


def alternates() -> list[tuple[str, str]]:
    """(path, media type) of every other representation of what this request's URL names."""
    endpoint = request.endpoint or ""
    if endpoint == "dumps.download":
        return _dump_alternates(str((request.view_args or {}).get("filename", "")))
    if endpoint not in DOCUMENTS:
        return []
    stem, extension = _document_path(request.path)
    return [
        (f"{stem}.{negotiation.extension_of(media_type)}", media_type)
        for media_type in negotiation.GRAPH_TYPES
        if negotiation.extension_of(media_type) != extension
    ]


def _document_path(path: str) -> tuple[str, str | None]:
    """A document's path without its extension, and the extension; `/.well-known/void` is
    `/dataset`."""
    if path == "/.well-known/void":
        return "/dataset", None
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension and extension in negotiation.EXTENSIONS:
        return stem, extension
    return path, None


def _dump_alternates(filename: str) -> list[tuple[str, str]]:
    """The other plain dumps of the same content: the graph dumps for a graph dump, the quad
    dumps for a quad dump (a `.gz` is its plain dump's content)."""
    dumps: list[dict[str, Any]] = current_site().info["dumps"]
    entry = next((d for d in dumps if d["file"] == filename), None)
    if entry is None:
        return []
    quads = _holds_quads(entry)
    return [
        (f"/dumps/{d['file']}", str(d["media_type"]))
        for d in dumps
        if d["file"] != filename and not d["file"].endswith(".gz") and _holds_quads(d) == quads
    ]


def _holds_quads(entry: dict[str, Any]) -> bool:
    return str(entry["media_type"]) in QUAD_DUMP_TYPES


def _link(href: str, relation: str, media_type: str) -> str:
    return f'<{href}>; rel="{relation}"; type="{media_type}"'
