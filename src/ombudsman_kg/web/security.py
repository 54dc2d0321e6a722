"""The headers that keep a browser to our own origin (issue 8, item 9), on every answer.

Every answer says `nosniff`, so that a browser never runs a dump or a query result as a script
or a page whatever its bytes look like, and a `Referrer-Policy`, so that the URL of a page
(a `/sparql?query=…` carries the query) never leaves this origin. Every HTML answer also carries a
Content-Security-Policy allowing only this origin for scripts, styles, images, connections and
form targets: the pages show text written by the data's editors and by whoever types a query, so
even if some of it reached the page as markup, or a future feature tried, the browser would not
fetch from or post to anywhere else. The pages need nothing more: their styles are files under
`/static/` (no inline `<style>` or `style=`); the pages that draw, and the query page, run only
scripts of `/static/build/` (issue 11), which read what they draw from data blocks
(`<script type="application/json">`), as the schema.org JSON-LD in
`<script type="application/ld+json">` is one: CSP does not govern data blocks. No inline code.
The one page that sets a policy of its own keeps it: the reconciliation preview, which other
sites frame (`web.reconcile`; stricter still: nothing to run, no `frame-ancestors`).

The same headers go on the answers gunicorn writes itself (`web.worker`), so they are plain
name/value pairs here, not Flask calls.
"""

from __future__ import annotations

from werkzeug import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)
# On every answer: the type we send is the type it is; a link followed elsewhere tells the
# other site our origin at most, never the path or the query.
COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def secure(response: Response) -> None:
    """Add the headers above to `response`: the common ones always, the policy to HTML."""
    for name, value in COMMON_HEADERS:
        response.headers[name] = value
    if (response.mimetype or "").lower() in ("text/html", "application/xhtml+xml"):
        # a page that must be framed elsewhere (the reconciliation preview) brings its own
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
