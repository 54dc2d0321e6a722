"""What search engines and link previews read: sitemaps, robots.txt, Open Graph (issue 11).

Every URL here is public, B + path (B the base IRI, SPEC §1; fixed, not a setting), whatever
origin serves the request: the published site is the base IRI and a sitemap describes it; a
crawler handed a localhost URL could do nothing with it.

Each page has three canonical URLs: B + path, negotiated by `Accept-Language` (hreflang
`x-default`), and B + path + `?lang=az|en`; every page names all three as alternates and its own
as canonical (Google's hreflang rules: each version names itself and the others, a canonical
stays in its own language), and the sitemap lists exactly these, so the two agree. A page reached
at another URL names its canonical one: a thing's document without extension (where `/id/`
redirects and every link points), the `.html` document of the ontology, shapes, data set and
graphs, whose extension-less URLs are the IRIs of those things; query parameters other than
`lang` dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, has_request_context, request
from flask.blueprints import BlueprintSetupState
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.exceptions import HTTPException

from ombudsman_kg.errors import NotFound
from ombudsman_kg.rdf.namespaces import BASE
from ombudsman_kg.web.graphs import GRAPH_PREFIX, graph_names
from ombudsman_kg.web.home import things_by_kind
from ombudsman_kg.web.i18n import N_, chosen_in_url, current_language, gettext, ngettext
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("findability", __name__)
#: the sitemaps.org limits of one file: 50,000 URLs and 50 MiB uncompressed
MAX_URLS_PER_SITEMAP = 50_000
MAX_SITEMAP_BYTES = 52_428_800
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML = "application/xml; charset=utf-8"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITE_NAME = "ombudsman-kg"
#: Open Graph locales (language_TERRITORY); the site's English is British ("Licence")
OG_LOCALES = {"az": "az_AZ", "en": "en_GB"}
LANGUAGES = ("az", "en")
ROBOTS = f"""\
# Every page may be crawled, not /sparql's answers: each is a query, up to the server's time and
# memory limits, and a crawler would run every query link again and again. The query page itself
# stays open, in each language (no `Disallow: /sparql?`, which some parsers read as /sparql).
User-agent: *
Disallow: /sparql?query=
Disallow: /sparql?*query=

Sitemap: {BASE}sitemap.xml
"""


HOME = N_(
    "Linked open data on the cooperation between the Ombudsman of Azerbaijan and the OIC "
    "Ombudsmen Association, each statement with the source that makes it."
)
#: canonical path → (title, description), in the order the sitemap lists them
PAGES = {
    "/": (N_("The OIC Ombudsman Association and the Ombudsman of Azerbaijan"), HOME),
    "/countries": (N_("Countries"), N_("The countries involved, on a map and in a table.")),
    "/disagreements": (
        N_("Where the sources disagree"),
        N_(
            "Where sources differ, each side is kept with its own sources; the publisher "
            "chooses none."
        ),
    ),
    "/sparql": (
        N_("SPARQL query"),
        N_("Query the graph in SPARQL 1.1: saved questions, answers as a table or a chart."),
    ),
    "/dumps/": (
        N_("Downloads"),
        N_("The whole graph as Turtle, N-Triples, JSON-LD, TriG and N-Quads, with SHA-256."),
    ),
    "/releases/": (N_("Releases"), N_("Every release, with its dumps, checksums and changelog.")),
    "/ontology.html": (
        N_("Ontology"),
        N_("The classes and properties of the ombudsman-kg ontology, in Azerbaijani and English."),
    ),
    "/dataset.html": (
        N_("Data set description"),
        N_("The VoID and DCAT description of the data set: named graphs, sources, licence."),
    ),
    "/shapes.html": (N_("SHACL shapes"), N_("The rules every build checks the data against.")),
}
GRAPH_DESCRIPTION = N_(
    "A named graph of the data set, with its size and where its triples are: the quad dumps "
    "and the SPARQL endpoint."
)
#: the kind of `id/{kind}/…`, in the singular, for a thing's description
KINDS = {
    "account": N_("Account"),
    "disagreement": N_("Disagreement"),
    "document": N_("Document"),
    "event": N_("Event"),
    "group": N_("Group"),
    "membership": N_("Membership"),
    "organization": N_("Organization"),
    "person": N_("Person"),
    "place": N_("Place"),
    "post": N_("Post"),
    "purpose": N_("Purpose"),
    "report": N_("Report"),
    "role": N_("Role"),
    "source": N_("Source"),
    "time": N_("Time"),
    "unit": N_("Unit"),
}
#: documents whose extension-less path is the IRI of a thing, not a page: canonical with .html
_HTML_DOCUMENTS = ("/ontology", "/shapes", "/dataset")
_EXTENSIONS = ("html", "ttl", "jsonld", "nt", "rdf", "trig", "nq", "json", "xml", "csv", "tsv")


@dataclass(frozen=True)
class PageMeta:
    """What `templates/head/meta.html` writes into a page's `<head>`; `og:type` is "website"
    for every page (a page about a person is not the person's profile)."""

    canonical: str
    alternates: list[tuple[str, str]]
    title: str
    description: str
    locale: str
    locale_alternates: list[str]
    type: str = "website"
    site_name: str = SITE_NAME


@bp.record_once
def _install(state: BlueprintSetupState) -> None:
    """`page_meta()` in every template, error pages included (no change to `create_app`)."""
    state.app.jinja_env.globals["page_meta"] = page_meta


@bp.route("/robots.txt", methods=["GET", "HEAD"])
def robots() -> Response:
    return Response(ROBOTS, content_type="text/plain; charset=utf-8")


@bp.route("/sitemap.xml", methods=["GET", "HEAD"])
def sitemap() -> Response:
    """The sitemap; past one file's limits, a sitemap index of `/sitemap-N.xml`."""
    files = _sitemap_files(current_site())
    if len(files) == 1:
        return Response(files[0], content_type=XML)
    numbers = range(1, len(files) + 1)
    locs = "".join(f"<sitemap><loc>{BASE}sitemap-{n}.xml</loc></sitemap>\n" for n in numbers)
    index = f'{DECLARATION}<sitemapindex xmlns="{SITEMAP_NS}">\n{locs}</sitemapindex>\n'
    return Response(index, content_type=XML)


@bp.route("/sitemap-<int:number>.xml", methods=["GET", "HEAD"])
def sitemap_part(number: int) -> Response:
    """:raises NotFound: unless the index lists this file."""
    files = _sitemap_files(current_site())
    if len(files) == 1 or not 1 <= number <= len(files):
        raise NotFound(f"no sitemap-{number}.xml here; see {BASE}sitemap.xml")
    return Response(files[number - 1], content_type=XML)


def canonical_path(path: str) -> str:
    """The path of the canonical URL of the page at `path` (see the module's docstring)."""
    if path == "/.well-known/void":
        return "/dataset.html"
    stem, dot, extension = path.rpartition(".")
    if not dot or "/" in extension or extension not in _EXTENSIONS:
        stem = path
    if stem.startswith("/doc/") or stem == "/disagreements":
        return stem
    if stem.startswith("/ontology/"):  # the version IRI's document is the current one
        return "/ontology.html"
    if stem in _HTML_DOCUMENTS or stem.startswith("/graph/"):
        return stem + ".html"
    return path


def public_versions(path: str) -> list[tuple[str, str]]:
    """(hreflang, URL) of every version of the page at canonical `path`."""
    public = BASE + path.removeprefix("/")
    return [*((lang, f"{public}?lang={lang}") for lang in LANGUAGES), ("x-default", public)]


def page_paths(site: Site) -> list[str]:
    """The canonical path of every page worth indexing: the site's own pages that this app
    serves, every named graph's description, every thing's document (as the home page lists
    them, from its cache)."""
    kinds = site.cached("things_by_kind", lambda: things_by_kind(site))
    graphs = sorted(g.removeprefix(GRAPH_PREFIX) for g in graph_names(site.info))
    things = sorted(iri.removeprefix(BASE + "id/") for t in kinds.values() for iri in t)
    return [*_own_pages(), *(f"/graph/{g}.html" for g in graphs), *("/doc/" + t for t in things)]


def _own_pages() -> Iterator[str]:
    adapter = current_app.url_map.bind("localhost")
    for path in PAGES:
        try:
            adapter.match(path, method="GET")
        except HTTPException:  # a page another part of the site does not serve (yet)
            continue
        yield path


@pass_context
def page_meta(context: Context) -> PageMeta | None:
    """Canonical link, language alternates and Open Graph for the page being rendered, from
    what the view passed (`title`, a thing's `sources`); None on an error page."""
    if not has_request_context() or context.get("status"):
        return None
    path = canonical_path(request.path)
    versions = public_versions(path)
    chosen = chosen_in_url()
    canonical = dict(versions)[chosen] if chosen else dict(versions)["x-default"]
    language = current_language()
    title = _title(context, path)
    return PageMeta(
        canonical=canonical,
        alternates=versions,
        title=title,
        description=_description(context, path, title),
        locale=OG_LOCALES[language],
        locale_alternates=[OG_LOCALES[other] for other in LANGUAGES if other != language],
    )


def _title(context: Context, path: str) -> str:
    if path in PAGES:
        return gettext(PAGES[path][0])
    title = str(context.get("title") or "")
    if path.startswith("/graph/"):
        return gettext("Named graph: %(graph)s", graph=title)
    return title or SITE_NAME


def _description(context: Context, path: str, title: str) -> str:
    if path.startswith("/doc/"):
        kind = path.split("/")[2]
        named = {"kind": gettext(KINDS.get(kind, kind)), "name": title}
        sources = context.get("sources")
        count = len(sources) if isinstance(sources, list) else 0
        if count == 0:
            return gettext("%(kind)s · %(name)s — the publisher’s statements", **named)
        return ngettext(
            "%(kind)s · %(name)s — statements from %(num)s source",
            "%(kind)s · %(name)s — statements from %(num)s sources",
            count,
            **named,
        )
    if path.startswith("/graph/"):
        return gettext(GRAPH_DESCRIPTION)
    return gettext(PAGES[path][1] if path in PAGES else HOME)


def _sitemap_files(site: Site) -> list[str]:
    """The sitemap as files within the protocol's limits (one file while the site fits);
    kept per process, since pages change only with a new build. The things are read first:
    `Site.cached` holds its lock while it computes, so a first `cached` inside would wait on it
    forever."""
    site.cached("things_by_kind", lambda: things_by_kind(site))

    def compute() -> list[str]:
        xhtml = "http://www.w3.org/1999/xhtml"
        head = f'{DECLARATION}<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{xhtml}">\n'
        tail = "</urlset>\n"
        files: list[str] = []
        entries: list[str] = []
        size = len(head) + len(tail)
        for entry in _entries(page_paths(site)):
            entry_bytes = len(entry.encode("utf-8"))
            if entries and (
                len(entries) >= MAX_URLS_PER_SITEMAP or size + entry_bytes > MAX_SITEMAP_BYTES
            ):
                files.append(head + "".join(entries) + tail)
                entries, size = [], len(head) + len(tail)
            entries.append(entry)
            size += entry_bytes
        files.append(head + "".join(entries) + tail)
        return files

    result: list[str] = site.cached("sitemap", compute)
    return result


def _entries(paths: list[str]) -> Iterator[str]:
    """One `<url>` per page and language version, each naming all versions."""
    for path in paths:
        versions = public_versions(path)
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(url)}"/>'
            for lang, url in versions
        )
        for _, url in versions:
            yield f"<url><loc>{escape(url)}</loc>{links}</url>\n"
