"""The w3id.org redirect rules of `deploy/w3id/`, run in Debian's Apache in front of a live
server (issue 12, item 4).

w3id.org serves each project's `.htaccess` from a directory with `AllowOverride All`; here a
minimal Apache does the same on a free port, as an unprivileged process (`nobody` when the tests
run as root), with the rules' placeholder host replaced by a real `ombudsman-kg serve`. Clients
are real: requests follows the redirects, and `http.client` sends paths byte for byte.

Apache comes from Debian's `apache2-bin` (the Makefile's system packages); without it these
tests fail, saying so, rather than pass unseen.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from conftest import ROOT, free_port, start_server, stop_server
from httpcheck import (
    BROWSER_ACCEPT,
    DATASET,
    EXTENSIONS,
    RDF_EXTENSIONS,
    THING,
    THING_IRI,
    TIMEOUT,
    B,
    assert_same_graph,
    get,
    media_type,
    parse_response,
    raw_request,
)
from rdflib import URIRef

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
RULES = ROOT / "deploy" / "w3id" / ".htaccess"
PLACEHOLDER = "https://ombudsman-kg.example.org"
DCAT = "http://www.w3.org/ns/dcat#"
CONFIG = """\
ServerRoot "{root}"
Listen 127.0.0.1:{port}
ServerName localhost
PidFile "{root}/run/httpd.pid"
DefaultRuntimeDir "{root}/run"
ErrorLog "{root}/logs/error.log"
LogLevel warn
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule rewrite_module {modules}/mod_rewrite.so
LoadModule headers_module {modules}/mod_headers.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule dir_module {modules}/mod_dir.so
DocumentRoot "{root}/htdocs"
<Directory "/">
    AllowOverride None
    Require all denied
</Directory>
<Directory "{root}/htdocs">
    AllowOverride All
    Options FollowSymLinks
    Require all granted
</Directory>
"""
# Paths and queries that a rule built on the decoded path would change: an encoded #, ?, space,
# Azerbaijani letters, a SPARQL query with braces, + and &.
RAW_TARGETS = [
    "doc/organization/oicoa.ttl",
    "doc/a%20b%23c%3Fd",
    "doc/%C9%99%C4%9F?lang=az&q=%C9%99+x%26y%23z",
    "sparql?query=" + quote("SELECT * { ?s ?p ?o } LIMIT 1", safe=""),
    "fragments?subject=" + quote(THING_IRI, safe="") + "&page=2",
    "?lang=az",
    "",
]


@dataclass(frozen=True)
class Redirector:
    """Apache with the w3id rules: `base` stands for https://w3id.org/ombudsman-kg/."""

    base: str
    origin: str


@pytest.fixture(scope="module")
def origin(built_dist: Path) -> Iterator[str]:
    process, url = start_server(built_dist)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def w3id(origin: str) -> Iterator[Redirector]:
    if not APACHE.is_file():
        pytest.fail(f"{APACHE} is missing: apt-get install --no-install-recommends apache2-bin")
    root = Path(tempfile.mkdtemp(prefix="okg-w3id-"))
    try:
        os.chmod(root, 0o755)  # noqa: S103 - readable by `nobody`, unlike pytest's tmp directories
        (root / "htdocs" / "ombudsman-kg").mkdir(parents=True)
        (root / "run").mkdir()
        (root / "logs").mkdir()
        rules = RULES.read_text(encoding="utf-8")
        assert PLACEHOLDER in rules
        (root / "htdocs" / "ombudsman-kg" / ".htaccess").write_text(
            rules.replace(PLACEHOLDER, origin), encoding="utf-8"
        )
        port = free_port()
        config = root / "httpd.conf"
        config.write_text(CONFIG.format(root=root, port=port, modules=MODULES), encoding="utf-8")
        for path in (root, *root.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)  # noqa: S103 - read by `nobody`
        uid = gid = None
        if os.geteuid() == 0:  # Apache is not run as root: as `nobody`, as w3id.org's would be
            nobody = pwd.getpwnam("nobody")
            uid, gid = nobody.pw_uid, nobody.pw_gid
            for writable in (root / "run", root / "logs"):
                os.chown(writable, uid, gid)
        process = subprocess.Popen(
            [str(APACHE), "-f", str(config), "-DFOREGROUND"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            user=uid,
            group=gid,
            extra_groups=[] if uid is not None else None,
        )
        base = f"http://127.0.0.1:{port}/ombudsman-kg/"
        try:
            _wait_for(process, base, root)
            yield Redirector(base, origin)
        finally:
            stop_server(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(process: subprocess.Popen[bytes], base: str, root: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "logs" / "error.log").read_text(errors="replace")
            stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"apache2 exited {process.returncode}: {stderr}\n{log}")
        try:
            requests.head(base, allow_redirects=False, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("apache2 did not answer within 30 s")


def redirect_of(response: requests.Response) -> requests.Response:
    """The first answer of a followed chain: Apache's."""
    assert response.history, f"{response.url}: no redirect at all"
    return response.history[0]


def assert_cors(response: requests.Response) -> None:
    assert response.headers.get("Access-Control-Allow-Origin") == "*", response.headers
    exposed = response.headers.get("Access-Control-Expose-Headers", "").lower()
    assert "location" in exposed and "link" in exposed, exposed


# ---------------------------------------------------------------- the file itself


def test_the_rules_redirect_with_303_and_307_only_and_name_the_placeholder_host() -> None:
    rules = RULES.read_text(encoding="utf-8")
    active = [line for line in rules.splitlines() if line.strip() and not line.startswith("#")]
    flags = [flag for line in active for flag in re.findall(r"\[([^\]]*)\]\s*$", line)]
    assert flags, "no RewriteRule with flags"
    for flag in flags:
        assert " " not in flag, f"a space in [{flag}] breaks the whole file (w3id.org #5207)"
        codes = re.findall(r"R(?:=(\d+))?(?:,|$)", flag)
        assert all(code in ("303", "307", "204") for code in codes), (
            f"[{flag}]: only 303, 307 (and 204 for OPTIONS); a bare R is a 302"
        )
    assert {code for f in flags for code in re.findall(r"R=(\d+)", f)} == {"303", "307", "204"}
    assert all(PLACEHOLDER in line for line in active if line.startswith("RewriteRule ^ http"))
    readme = (RULES.parent / "README.md").read_text(encoding="utf-8")
    assert "ombudsman-kg.example.org" in readme and "Contacts" in readme


# ---------------------------------------------------------------- reading: 303


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_an_id_303s_to_the_origin_which_303s_to_the_document_in_the_wanted_format(
    w3id: Redirector, extension: str
) -> None:
    wanted = EXTENSIONS[extension]
    response = requests.get(w3id.base + "id/" + THING, headers={"Accept": wanted}, timeout=TIMEOUT)
    assert [r.status_code for r in response.history] == [303, 303], response.history
    first = redirect_of(response)
    assert first.headers["Location"] == f"{w3id.origin}/id/{THING}"
    assert_cors(first)
    assert response.status_code == 200
    assert response.url == f"{w3id.origin}/doc/{THING}.{extension}"
    assert media_type(response) == wanted
    if extension == "html":
        assert THING_IRI in response.text
    else:
        graph = parse_response(response)
        assert any(graph.triples((URIRef(THING_IRI), None, None)))


@pytest.mark.parametrize(
    "path", ["doc/" + THING, "ontology", "shapes", "dataset", "validation", "disagreements"]
)
def test_every_format_arrives_by_extension_and_by_accept(w3id: Redirector, path: str) -> None:
    for extension, wanted in EXTENSIONS.items():
        by_extension = requests.get(f"{w3id.base}{path}.{extension}", timeout=TIMEOUT)
        negotiated = requests.get(w3id.base + path, headers={"Accept": wanted}, timeout=TIMEOUT)
        direct = get(f"{w3id.origin}/{path}.{extension}", accept=None)
        for response in (by_extension, negotiated):
            assert [r.status_code for r in response.history] == [303], (path, extension)
            assert_cors(redirect_of(response))
            assert response.status_code == 200, (response.url, response.status_code)
            assert media_type(response) == wanted, (path, extension)
            if extension in RDF_EXTENSIONS:
                assert_same_graph(parse_response(direct), parse_response(response), path)
        assert by_extension.url == f"{w3id.origin}/{path}.{extension}"
        assert negotiated.headers["Content-Location"] == f"/{path}.{extension}"


@pytest.mark.parametrize("target", RAW_TARGETS)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_the_path_and_query_go_on_byte_for_byte(w3id: Redirector, target: str, method: str) -> None:
    status, headers, _ = raw_request(
        w3id.base, method, "/ombudsman-kg/" + target, body=b"x=1" if method == "POST" else b""
    )
    assert status == (307 if method == "POST" else 303), (method, target, status)
    assert headers["location"] == f"{w3id.origin}/{target}", (method, target)
    assert headers["access-control-allow-origin"] == "*"


def test_a_sparql_query_in_the_query_string_arrives_whole(w3id: Redirector) -> None:
    query = (
        f"SELECT ?label WHERE {{ <{THING_IRI}> <http://www.w3.org/2000/01/rdf-schema#label> "
        '?label FILTER(LANG(?label) = "az" && CONTAINS(?label, "İ") || ?label = "a+b&c#d") }'
    )
    params, accept = {"query": query}, {"Accept": "application/sparql-results+json"}
    through = requests.get(w3id.base + "sparql", params=params, headers=accept, timeout=TIMEOUT)
    direct = requests.get(w3id.origin + "/sparql", params=params, headers=accept, timeout=TIMEOUT)
    assert [r.status_code for r in through.history] == [303]
    assert through.status_code == direct.status_code == 200, through.text
    assert through.json() == direct.json()
    assert through.json()["results"]["bindings"], "the query found nothing: it arrived changed"


def test_head_is_303_too(w3id: Redirector) -> None:
    response = requests.head(w3id.base + "dataset", allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 303
    assert response.headers["Location"] == w3id.origin + "/dataset"


# ---------------------------------------------------------------- writing: 307


@pytest.mark.parametrize("body_kind", ["form", "sparql-query"])
def test_post_to_sparql_is_307_and_keeps_method_and_body(w3id: Redirector, body_kind: str) -> None:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{THING_IRI}> ?p ?o }}"
    headers = {"Accept": "application/sparql-results+json"}
    if body_kind == "form":
        body: dict[str, str] | bytes = {"query": query}
    else:
        body = query.encode()
        headers["Content-Type"] = "application/sparql-query"
    through = requests.post(w3id.base + "sparql", data=body, headers=headers, timeout=TIMEOUT)
    direct = requests.post(w3id.origin + "/sparql", data=body, headers=headers, timeout=TIMEOUT)
    assert [r.status_code for r in through.history] == [307], through.history
    first = redirect_of(through)
    assert first.headers["Location"] == w3id.origin + "/sparql"
    assert_cors(first)
    assert through.request.method == "POST"
    assert through.request.body == direct.request.body
    assert through.status_code == direct.status_code == 200, through.text
    assert through.json() == direct.json()
    assert int(through.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_post_to_reconcile_is_307_and_keeps_method_and_body(w3id: Redirector) -> None:
    queries = json.dumps({"q0": {"query": "Ombudsman", "limit": 3}})
    through = requests.post(w3id.base + "reconcile", data={"queries": queries}, timeout=TIMEOUT)
    direct = requests.post(w3id.origin + "/reconcile", data={"queries": queries}, timeout=TIMEOUT)
    assert [r.status_code for r in through.history] == [307], through.history
    assert redirect_of(through).headers["Location"] == w3id.origin + "/reconcile"
    assert_cors(redirect_of(through))
    assert through.request.method == "POST"
    assert through.status_code == direct.status_code == 200, through.text
    assert through.json() == direct.json()
    assert through.json()["q0"]["result"], "the batch was answered empty: the body was lost"


def test_options_is_answered_for_a_cors_preflight_not_redirected(w3id: Redirector) -> None:
    response = requests.options(
        w3id.base + "sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


# ---------------------------------------------------------------- every route


def current_release(origin: str) -> str:
    """The version of the release the data set names as current (SPEC §7)."""
    void = parse_response(get(origin + "/dataset", accept="text/turtle"))
    current = [str(o) for o in void.objects(URIRef(DATASET), URIRef(DCAT + "hasCurrentVersion"))]
    assert len(current) == 1, current
    assert current[0].startswith(B + "release/"), current
    return current[0][len(B + "release/") :]


def test_every_route_of_the_spec_is_reachable_through_w3id(w3id: Redirector) -> None:
    version = current_release(w3id.origin)
    routes = [
        # SPEC §3
        "",
        "id/" + THING,
        "doc/" + THING,
        "ontology",
        "ontology.html",
        "shapes",
        "sparql",
        "dumps/",
        "dumps/ombudsman-kg.nt",
        "dumps/ombudsman-kg.nq.gz",
        "dataset",
        "health",
        "context.jsonld",
        "graph/data",
        # SPEC §7, last paragraph
        "disagreements",
        "reconcile",
        "fragments",
        "releases/",
        f"releases/{version}/",
        f"release/{version}",
        "validation",
        "sitemap.xml",
        "robots.txt",
    ]
    failures = []
    for route in routes:
        for accept in (BROWSER_ACCEPT, "text/turtle, application/json;q=0.9, */*;q=0.1"):
            response = requests.get(w3id.base + route, headers={"Accept": accept}, timeout=TIMEOUT)
            first = response.history[0] if response.history else response
            if first.status_code != 303 or first.headers.get("Access-Control-Allow-Origin") != "*":
                failures.append(f"/{route} ({accept[:9]}): Apache answered {first.status_code}")
            elif response.status_code != 200:
                failures.append(
                    f"/{route} ({accept[:9]}): {response.status_code} at {response.url}"
                )
            elif not response.url.startswith(w3id.origin + "/"):
                failures.append(f"/{route}: ended at {response.url}, not on the origin")
    assert not failures, "\n".join(failures)
