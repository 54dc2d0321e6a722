"""Comunica, a real TPF/QPF client, answers every saved query over `/fragments` as `/sparql` does.

Issue 12's acceptance test. `comunica-sparql` (npm `@comunica/query-sparql`, installed by
`npm ci` from package.json's devDependencies) runs each query of `queries/` against a live
server's fragments: over Triple Pattern Fragments (`/fragments`, the default graph) for a query
that reads only the default graph, over Quad Pattern Fragments (`/fragments/quads`, every named
graph, and the default graph through `sd:defaultGraph`) for one with `GRAPH`. Its bindings must
be those of `/sparql`, compared as multisets of rows (the order of a query without `ORDER BY`
is free, and Comunica's order is its own). Both run on the embedded and the remote store.

The client does the joins, OPTIONALs, FILTERs and aggregates itself, from pages of 100 triples;
so this is also a test that the fragments' counts, paging and metadata graph are what a client
needs: a page it missed, or a metadata triple it took for data, changes an answer.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
COMUNICA = ROOT / "node_modules" / ".bin" / "comunica-sparql"
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
RESULTS_JSON = "application/sparql-results+json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: `GRAPH` as a keyword, not the end of a variable's name (`?graph`)
GRAPH_KEYWORD = re.compile(r"(?<![?$\w])GRAPH\s*[?$<]", re.IGNORECASE)
#: `(GROUP_CONCAT(… ; separator="…") AS ?name)`: SPARQL leaves the order of the parts to the
#: engine, so they are compared as a multiset; and only as text, since the engines differ on its
#: type: SPARQL 1.1 makes it a simple literal (Comunica), Oxigraph keeps a language tag that all
#: the parts share ("…"@en), as SPARQL 1.2 proposes
GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?P<inner>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*AS\s*[?$](?P<name>\w+)",
    re.IGNORECASE,
)
SEPARATOR = re.compile(r"separator\s*=\s*\"(?P<separator>[^\"]*)\"", re.IGNORECASE)
#: saved queries Comunica cannot answer over fragments, with the reason; none at present, and
#: one added here fails when it passes again (strict xfail)
CANNOT_ANSWER: dict[str, str] = {}

Row = frozenset[tuple[str, tuple[str, str, str, str]]]


def comunica_version() -> str:
    package = ROOT / "node_modules" / "@comunica" / "query-sparql" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def reads_named_graphs(text: str) -> bool:
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return GRAPH_KEYWORD.search(code) is not None


def run_comunica(source: str, query: str) -> dict[str, Any]:
    """`comunica-sparql SOURCE -q QUERY -t application/sparql-results+json`, parsed."""
    if not COMUNICA.is_file():
        pytest.fail(f"{COMUNICA} is missing: run `npm ci` (make setup does)")
    result = subprocess.run(
        [str(COMUNICA), source, "-q", query, "-t", RESULTS_JSON],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"comunica-sparql failed on {source}:\n{result.stderr[-3000:]}"
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def run_sparql(server: str, query: str) -> dict[str, Any]:
    response = requests.post(
        server + "/sparql", data={"query": query}, headers={"Accept": RESULTS_JSON}, timeout=60
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def concatenated(query: str) -> dict[str, str]:
    """The variables a GROUP_CONCAT binds, with its separator (" " unless given)."""
    found = {}
    for match in GROUP_CONCAT.finditer(query):
        separator = SEPARATOR.search(match.group("inner"))
        found[match.group("name")] = separator.group("separator") if separator else " "
    return found


def rows(answer: dict[str, Any], concatenated: dict[str, str] | None = None) -> Counter[Row]:
    """The bindings as a multiset of rows; each term as (kind, value, language, datatype), with
    RDF 1.1's implicit datatypes made explicit so that both writers' forms compare equal, and
    the parts of a GROUP_CONCAT in sorted order."""
    found: Counter[Row] = Counter()
    for binding in answer["results"]["bindings"]:
        row = []
        for name, term in binding.items():
            kind, value, language, datatype = _term(term)
            separator = (concatenated or {}).get(name)
            if separator is not None:
                value = separator.join(sorted(value.split(separator)))
                language, datatype = "", "(any string)"
            row.append((name, (kind, value, language, datatype)))
        found[frozenset(row)] += 1
    return found


def _term(term: dict[str, str]) -> tuple[str, str, str, str]:
    kind = "literal" if term["type"] in ("literal", "typed-literal") else term["type"]
    language = term.get("xml:lang", "").lower()
    datatype = term.get("datatype", "")
    if kind == "literal" and not datatype:
        datatype = RDF_LANG_STRING if language else XSD_STRING
    return kind, term["value"], language, datatype


def _marks(path: Path) -> list[Any]:
    reason = CANNOT_ANSWER.get(path.stem)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize(
    "path", [pytest.param(path, id=path.stem, marks=_marks(path)) for path in QUERIES]
)
def test_comunica_over_fragments_answers_each_saved_query_as_sparql_does(
    live_server: str, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    interface = "/fragments/quads" if reads_named_graphs(text) else "/fragments"
    expected = run_sparql(live_server, text)
    answer = run_comunica(live_server + interface, text)
    assert set(answer["head"]["vars"]) == set(expected["head"]["vars"])
    parts = concatenated(text)
    assert rows(expected), f"{path.name} has no answer on /sparql: nothing to compare"
    missing = rows(expected, parts) - rows(answer, parts)
    extra = rows(answer, parts) - rows(expected, parts)
    assert not missing and not extra, (
        f"Comunica {comunica_version()} over {interface} differs from /sparql on {path.name}"
        f" ({len(missing)} rows missing, {len(extra)} extra):\n"
        f"missing {sorted(map(sorted, missing))[:2]}\nextra {sorted(map(sorted, extra))[:2]}"
    )


def test_quad_fragments_answer_a_default_graph_query_through_sd_default_graph(
    live_server: str,
) -> None:
    """A QPF client reaches the default graph as `urn:ldf:defaultGraph`: a query without
    GRAPH gets the same answer over `/fragments/quads` as over `/fragments`."""
    text = (ROOT / "queries" / "sources.rq").read_text(encoding="utf-8")
    assert not reads_named_graphs(text)
    over_triples = rows(run_comunica(live_server + "/fragments", text))
    assert over_triples
    assert rows(run_comunica(live_server + "/fragments/quads", text)) == over_triples


def test_group_concat_parts_are_compared_in_any_order_as_text() -> None:
    query = 'SELECT (GROUP_CONCAT(DISTINCT STR(?x); separator=" | ") AS ?all)'
    query += " (GROUP_CONCAT(?y) AS ?ys) {}"
    assert concatenated(query) == {"all": " | ", "ys": " "}
    one = {"results": {"bindings": [{"all": {"type": "literal", "value": "b | a"}}]}}
    other = {
        "results": {"bindings": [{"all": {"type": "literal", "value": "a | b", "xml:lang": "en"}}]}
    }
    assert rows(one, {"all": " | "}) == rows(other, {"all": " | "})
    assert rows(one) != rows(other)


def test_the_graph_keyword_is_told_from_a_variable_named_graph() -> None:
    assert reads_named_graphs("SELECT * { GRAPH ?g { ?s ?p ?o } }")
    assert reads_named_graphs("SELECT * { graph <http://x> { ?s ?p ?o } }")
    assert not reads_named_graphs("SELECT ?graph { ?graph ?p ?o }")
    assert not reads_named_graphs("# GRAPH ?g in a comment\nSELECT * { ?s ?p ?o }")
