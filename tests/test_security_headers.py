"""Security headers on every answer (issue 8, item 9), over real HTTP.

Every answer, whatever route and status, says `X-Content-Type-Options: nosniff` and a
`Referrer-Policy`; every HTML answer carries a Content-Security-Policy that allows only our own
origin for scripts, styles, images, connections and forms, with nothing inline. The pages
themselves must live within that policy: no inline style or script, no event handler attribute,
styles from a file of ours served as `text/css`. (The browser test checks the policy holds in
Chromium.)
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
import requests
from httpcheck import BROWSER_ACCEPT, THING, TIMEOUT, media_type, raw_request

SELECT = "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#FormalOrganization> } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
# Directives whose sources must be our origin only. form-action does not fall back to
# default-src, so it must be there itself.
OWN_ORIGIN_ONLY = ("script-src", "style-src", "img-src", "connect-src", "form-action")
FETCH_DIRECTIVES = ("script-src", "style-src", "img-src", "connect-src")
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}

# (what, method, path, headers, body, expected status): one or more per route family.
ROUTES = [
    ("home page", "GET", "/", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("home page, HEAD", "HEAD", "/", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("thing IRI", "GET", f"/id/{THING}", {"Accept": "text/turtle"}, b"", 303),
    ("thing page", "GET", f"/doc/{THING}", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("thing page, az", "GET", f"/doc/{THING}.html?lang=az", {}, b"", 200),
    ("thing Turtle", "GET", f"/doc/{THING}.ttl", {}, b"", 200),
    ("thing JSON-LD", "GET", f"/doc/{THING}", {"Accept": "application/ld+json"}, b"", 200),
    ("thing RDF/XML", "GET", f"/doc/{THING}.rdf", {}, b"", 200),
    ("thing gzip", "GET", f"/doc/{THING}.nt", {"Accept-Encoding": "gzip"}, b"", 200),
    ("ontology page", "GET", "/ontology.html", {}, b"", 200),
    ("ontology Turtle", "GET", "/ontology", {"Accept": "text/turtle"}, b"", 200),
    ("ontology version", "GET", "/ontology/1.0.0", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("shapes page", "GET", "/shapes.html", {}, b"", 200),
    ("shapes N-Triples", "GET", "/shapes.nt", {}, b"", 200),
    ("VoID page", "GET", "/dataset", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("VoID Turtle", "GET", "/.well-known/void", {"Accept": "text/turtle"}, b"", 200),
    ("graph IRI", "GET", "/graph/data", {"Accept": "text/turtle"}, b"", 303),
    ("releases page", "GET", "/releases/", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("release IRI", "GET", "/release/2022-10-ddaca4d0", {}, b"", 303),
    ("release file", "GET", "/releases/2022-10-ddaca4d0/ombudsman-kg.ttl", {}, b"", 200),
    ("graph page", "GET", "/graph/inferred.html", {}, b"", 200),
    ("query page", "GET", "/sparql", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("service description", "GET", "/sparql", {"Accept": "text/turtle"}, b"", 200),
    (
        "SELECT as JSON",
        "GET",
        "/sparql?query=" + quote(SELECT),
        {"Accept": "application/sparql-results+json"},
        b"",
        200,
    ),
    ("SELECT as CSV", "GET", "/sparql?query=" + quote(SELECT), {"Accept": "text/csv"}, b"", 200),
    (
        "SELECT as a results page",
        "GET",
        "/sparql?query=" + quote(SELECT),
        {"Accept": BROWSER_ACCEPT},
        b"",
        200,
    ),
    (
        "CONSTRUCT as N-Triples, POSTed",
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
        CONSTRUCT.encode(),
        200,
    ),
    ("dump list", "GET", "/dumps/", {"Accept": BROWSER_ACCEPT}, b"", 200),
    ("dump list, text", "GET", "/dumps/", {"Accept": "text/plain"}, b"", 200),
    ("dump", "GET", "/dumps/ombudsman-kg.ttl", {}, b"", 200),
    ("dump, gzip", "GET", "/dumps/ombudsman-kg.nq", {"Accept-Encoding": "gzip"}, b"", 200),
    ("dump .gz", "GET", "/dumps/ombudsman-kg.nt.gz", {}, b"", 200),
    ("health", "GET", "/health", {}, b"", 200),
    ("JSON-LD context", "GET", "/context.jsonld", {}, b"", 200),
    ("style sheet", "GET", "/static/site.css", {}, b"", 200),
    ("CORS preflight", "OPTIONS", "/sparql", {"Origin": "http://example.org"}, b"", 200),
    ("404, HTML", "GET", "/no/such/page", {"Accept": BROWSER_ACCEPT}, b"", 404),
    ("404, text", "GET", "/id/organization/no-such-thing", {}, b"", 404),
    ("406", "GET", f"/doc/{THING}", {"Accept": "image/png"}, b"", 406),
    ("400", "GET", "/sparql?query=" + quote("SELECT nonsense"), {}, b"", 400),
    (
        "400, HTML",
        "GET",
        "/sparql?query=" + quote("SELECT {"),
        {"Accept": BROWSER_ACCEPT},
        b"",
        400,
    ),
    ("update refused", "GET", "/sparql?update=" + quote("CLEAR ALL"), {}, b"", 403),
    ("405", "DELETE", "/sparql", {}, b"", 405),
    (
        "413",
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-query"},
        b"#" * ((1 << 20) + 10),
        413,
    ),
    (
        "414, written by the WSGI server's worker",
        "GET",
        "/sparql?query=" + "%20" * 9000,
        {},
        b"",
        414,
    ),
]


def csp_directives(policy: str) -> dict[str, list[str]]:
    """{directive: sources} of one Content-Security-Policy header value."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def assert_own_origin_policy(policy: str, what: str) -> None:
    directives = csp_directives(policy)
    assert directives.get("default-src") in (["'self'"], ["'none'"]), (what, policy)
    for name in OWN_ORIGIN_ONLY:
        sources = directives.get(name)
        if sources is None and name in FETCH_DIRECTIVES:
            sources = directives["default-src"]
        assert sources in (["'self'"], ["'none'"]), f"{what}: {name} allows {sources}: {policy}"
    for name, sources in directives.items():
        for source in sources:
            assert source in ("'self'", "'none'"), f"{what}: {name} allows {source}: {policy}"


@pytest.mark.parametrize("route", ROUTES, ids=[route[0] for route in ROUTES])
def test_every_answer_has_the_security_headers(live_server: str, route: tuple) -> None:
    what, method, path, headers, body, expected = route
    status, answer, _ = raw_request(live_server, method, path, headers=headers, body=body)
    assert status == expected, f"{what}: {method} {path[:80]} answered {status}"
    assert answer.get("x-content-type-options") == "nosniff", f"{what}: {answer}"
    assert answer.get("referrer-policy") in REFERRER_POLICIES, f"{what}: {answer}"
    if answer.get("content-type", "").split(";")[0].strip() == "text/html":
        assert "content-security-policy" in answer, f"{what}: an HTML answer without a CSP"
        assert_own_origin_policy(answer["content-security-policy"], what)


class _InlineFinder(HTMLParser):
    """Whatever in a page a strict CSP would block or that escapes our origin."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.problems: list[str] = []
        self.stylesheets: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "style":
            self.problems.append("an inline <style>")
        for name in values:
            if name == "style":
                self.problems.append(f"a style= attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}= on <{tag}>")
        for name in ("href", "src", "action"):
            if values.get(name, "").lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL in <{tag} {name}>")
        if tag == "script":
            # a data block (JSON-LD, a drawing's or Yasgui's JSON), or a file of our origin
            # (issue 11: the pages that draw, and the query page); never code inline
            data_block = values.get("type") in ("application/ld+json", "application/json")
            if not data_block and not values.get("src"):
                self.problems.append(f"an inline <script> that is not a data block: {values}")
            if data_block and values.get("src"):
                self.problems.append(f"a data block loaded from a file: {values}")
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.stylesheets.append(urljoin(self.url, values.get("href", "")))
        for name in ("src", "action"):
            if name in values and urlsplit(urljoin(self.url, values[name])).netloc != (
                urlsplit(self.url).netloc
            ):
                self.problems.append(f"<{tag} {name}={values[name]}> loads from elsewhere")


def test_the_pages_need_nothing_the_policy_forbids(live_server: str) -> None:
    checked = 0
    stylesheets: set[str] = set()
    for what, method, path, headers, _, _ in ROUTES:
        if method != "GET":
            continue
        response = requests.get(live_server + path, headers=headers, timeout=TIMEOUT)
        if media_type(response) != "text/html":
            continue
        finder = _InlineFinder(response.url)
        finder.feed(response.text)
        assert not finder.problems, f"{what} ({path}): {finder.problems}"
        assert finder.stylesheets, f"{what}: no style sheet linked"
        stylesheets.update(finder.stylesheets)
        checked += 1
    assert checked >= 10, f"only {checked} HTML pages checked"
    for sheet in stylesheets:
        assert urlsplit(sheet).netloc == urlsplit(live_server).netloc, sheet
        response = requests.get(sheet, timeout=TIMEOUT)
        assert response.status_code == 200, sheet
        assert media_type(response) == "text/css", "nosniff makes a browser drop a mistyped sheet"
        assert re.search(r"\S+\s*\{[^}]*\}", response.text), f"{sheet} holds no style rule"
    site_css = [s for s in stylesheets if s.endswith("/static/site.css")]
    assert site_css, "the pages do not link the site's style sheet"
    assert re.search(r"body\s*\{", requests.get(site_css[0], timeout=TIMEOUT).text)
