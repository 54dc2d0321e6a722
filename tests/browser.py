"""Playwright helpers for the browser tests: Debian's Chromium, a page visit that records what the
page asked for, drawings awaited, axe-core, and the bytes a page costs on the wire.

Playwright's own browser download cannot run here, so Chromium is Debian's (`/usr/bin/chromium`)
with the flags of `tests/test_browser.py`. Nothing here imports the application: the tests see
the site only through the browser and through HTTP.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from test_browser import CHROMIUM_FLAGS  # one list of Chromium's flags for every browser test

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: the WCAG 2 success criteria of levels A and AA, as axe-core tags them (2.0, 2.1 and 2.2)
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: an axe violation of these impacts fails a test; "minor" and "moderate" are reported only
FAILING_IMPACTS = ("serious", "critical")
#: how long a navigation or an action may take before the test fails (Playwright's is 30 s)
TIMEOUT_MS = 15_000
#: schemes a page may use without a request to anyone (inline data, its own blobs)
LOCAL_SCHEMES = ("data", "blob", "about")

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push({
    directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
  });
});
"""
RUN_AXE = r"""
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    criteria: v.tags.filter((tag) => /^wcag\d+a*$/.test(tag)),
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}
"""


def require(found: bool, message: str) -> None:
    """Fail under CI (env CI set), skip elsewhere, when something the test needs is missing."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    require(
        found is not None,
        "Chromium is missing: apt-get install chromium (make test does it as root)",
    )
    return str(found)


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, for one test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright is missing: .venv/bin/pip install -e '.[test]' (issue 8)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Any, **options: Any) -> Any:
    """A fresh context (no cookies, no cache) at a desktop size, whose waits end at TIMEOUT_MS."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Visit:
    """One page load and what the page did meanwhile: every request, every request to another
    origin (aborted before it left), console errors, uncaught exceptions."""

    page: Any
    status: int | None
    requests: list[Any] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def console_errors(self) -> list[str]:
        """The console's errors, but Chromium's report of the document's own status (a 404)."""
        own_status = f"the server responded with a status of {self.status} "
        return [
            f"{text} (at {where or '?'})"
            for text, where in self.console
            if not (where == self.page.url and own_status in text)
        ]

    def violations(self) -> list[dict[str, Any]]:
        """The Content-Security-Policy violations the page reported so far."""
        found: list[dict[str, Any]] = self.page.evaluate("window.__violations || []")
        return found

    def foreign_requests(self, ours: str) -> list[str]:
        """Requests the page made to any origin but `ours`, whether or not they were let out."""
        return [
            f"{r.method} {r.url} ({r.resource_type})"
            for r in self.requests
            if urlsplit(r.url).scheme not in LOCAL_SCHEMES and origin(r.url) != ours
        ]

    def scripts(self) -> list[str]:
        """The paths of the JavaScript files the page loaded."""
        return sorted(
            {
                urlsplit(r.url).path
                for r in self.requests
                if r.resource_type == "script" or urlsplit(r.url).path.endswith(".js")
            }
        )


def visit(context: Any, url: str, *, ours: str) -> Visit:
    """Open `url` in a new page of `context` (one visit per context), recording everything;
    returns after `load`.

    Every request of the context (its popups and workers too) goes through a route: one to our
    origin continues, any other is recorded and aborted, so nothing reaches another origin even
    where the policy would let it (a navigation). A console error that only reports the
    document's own status (a 404 page) is not counted: the test asserts the status itself.
    """
    page = context.new_page()
    seen = Visit(page=page, status=None)

    def route(route: Any, request: Any) -> None:
        if origin(request.url) == ours:
            route.continue_()
        else:
            seen.elsewhere.append(f"{request.method} {request.url} ({request.resource_type})")
            route.abort("blockedbyclient")

    def console(message: Any) -> None:
        if message.type == "error":
            seen.console.append((message.text, (message.location or {}).get("url", "")))

    context.route("**/*", route)
    context.on("request", lambda request: seen.requests.append(request))
    page.on("console", console)
    page.on("pageerror", lambda error: seen.page_errors.append(describe_error(error)))
    page.add_init_script(WATCH_VIOLATIONS)
    response = page.goto(url, wait_until="load")
    seen.status = response.status if response is not None else None
    return seen


def describe_error(error: Any) -> str:
    """An uncaught exception as its message and the frame it was thrown in."""
    frames = [line.strip() for line in (error.stack or "").splitlines() if line.strip()]
    where = next((line for line in frames if line.startswith("at ")), "")
    return f"{error.message} ({where})" if where else str(error.message)


def wait_for_drawings(page: Any, selectors: tuple[str, ...], *, timeout_ms: float) -> list[str]:
    """Wait, all at once, until each drawing container is marked `data-drawn="true"`; returns
    the problems (a container missing, or not drawn in time), empty when all are drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    present = [s for s in selectors if page.locator(s).count() > 0]
    problems = [f"no drawing container {s} on the page" for s in selectors if s not in present]
    if not present:
        return problems
    try:
        page.wait_for_function(
            "(selectors) => selectors.every("
            "(s) => document.querySelector(s).getAttribute('data-drawn') === 'true')",
            arg=present,
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        for selector in present:
            state = page.get_attribute(selector, "data-drawn")
            if state != "true":
                problems.append(
                    f'{selector} not drawn within {timeout_ms / 1000:g} s (data-drawn="{state}")'
                )
    return problems


def settle(page: Any, *, timeout_ms: float = 5000) -> None:
    """Wait for the network to be quiet (a drawing's data, Yasgui's parts) after `load`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass  # a page that keeps fetching is caught by what it fetched, not by this wait


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2 A/AA violations of the page as it is now (needs `bypass_csp=True`:
    the site's policy forbids the injected script, as it should)."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_A_AA)
    return found


def describe_axe(violation: dict[str, Any], *, targets: int = 3) -> str:
    shown = ", ".join(violation["targets"][:targets])
    more = len(violation["targets"]) - targets
    return (
        f"{violation['id']} ({violation['impact']}, {' '.join(violation['criteria'])}): "
        f"{violation['help']}; "
        f"{len(violation['targets'])} node(s): {shown}{f', … {more} more' if more > 0 else ''}"
    )


def wire_bytes(url: str, *, accept: str) -> tuple[int, str]:
    """What `url` costs on the wire to a client that accepts gzip: the body's bytes as sent,
    not decoded; and the Content-Encoding it came with ("identity" if none)."""
    response = requests.get(
        url, headers={"Accept-Encoding": "gzip", "Accept": accept}, stream=True, timeout=30
    )
    body = response.raw.read(decode_content=False)
    return len(body), response.headers.get("Content-Encoding", "identity")
