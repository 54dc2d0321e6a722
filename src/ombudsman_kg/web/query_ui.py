"""The browser's query page: Yasgui, its configuration, and "query this" links (issue 11).

The page is one HTML document for two kinds of reader. Without JavaScript it is a form that
posts to `/sparql` and a table the server renders; with it, `static/build/query.js` starts
Yasgui (served from this origin) in its place, configured from the page's JSON data block
(`page_config`): CSP allows no inline script, and a data block is not one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ombudsman_kg.rdf.namespaces import BASE, GRAPH_SOURCE, PREFIXES
from ombudsman_kg.web.i18n import _, keep_language
from ombudsman_kg.web.site import SavedQuery

#: the path Yasgui sends its queries to, on the page's own origin
ENDPOINT_PATH = "/sparql"
#: the prefixes the dumps declare, and `source:` for the source graphs, which every data file
#: declares: what new queries start with and all the prefix autocompletion offers
QUERY_PREFIXES: dict[str, str] = dict(sorted({**PREFIXES, "source": GRAPH_SOURCE}.items()))
#: the default graph's parts, as the page names them
DEFAULT_GRAPH_PARTS = "graph/data, graph/ontology, graph/inferred"


def query_this_href(iri: str) -> str:
    """A link that opens the query page on the thing `iri` and runs a query for it.

    A SELECT of the thing's statements with `GRAPH ?graph`, not `DESCRIBE`: this graph keeps
    every statement in the named graph of the source that makes it (`graph/source/{slug}`),
    beside `graph/data` and `graph/inferred`, and who says what is the point of the data; a
    DESCRIBE answers one merged graph and drops that. The rows are bindings, so both the page
    without JavaScript and Yasgui's table show them, with the server's links.
    """
    text = (
        "SELECT ?property ?value ?graph WHERE {\n"
        f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n"
        "}\n"
        "ORDER BY ?property STR(?value) ?graph\n"
    )
    return query_href(text)


def query_href(text: str) -> str:
    """The query page, running `text`: the link a saved query and a shared query are."""
    return ENDPOINT_PATH + "?query=" + quote(text, safe="")


def default_query(language: str) -> str:
    """What a new query starts with: every prefix of the data, then a first question."""
    declarations = "".join(
        f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in QUERY_PREFIXES.items()
    )
    return (
        declarations
        + "\nSELECT ?thing ?label WHERE {\n"
        + "  ?thing rdfs:label ?label .\n"
        + f'  FILTER (lang(?label) = "{language}")\n'
        + "}\nLIMIT 20\n"
    )


def saved_links(queries: Sequence[SavedQuery], language: str) -> list[dict[str, str]]:
    """The saved queries as the page lists them, in the reader's language: each a link that
    runs it without JavaScript, the reader's language kept."""
    return [
        {
            "name": query.name,
            "question": query.asks(language),
            "href": keep_language(query_href(query.text)),
        }
        for query in queries
    ]


def page_config(queries: Sequence[SavedQuery], *, language: str) -> dict[str, Any]:
    """The JSON data block `query.js` reads: endpoint, prefixes, saved queries, and the strings
    it shows, in the reader's language (Yasgui's own are English only)."""
    return {
        "endpoint": ENDPOINT_PATH,
        "method": "POST",
        "base": BASE,
        "prefixes": QUERY_PREFIXES,
        "defaultQuery": default_query(language),
        "saved": [{"name": q.name, "question": q.asks(language), "text": q.text} for q in queries],
        "messages": {
            "tab": _("Query"),
            "editorLabel": _("SPARQL query"),
            "endpoint": _("Endpoint"),
            "chart": _("Chart"),
            "chartLabel": _("A bar chart of %(numbers)s by %(labels)s"),
            "chartDownload": _("Download the chart as SVG"),
            "invalidLine": _("This line is invalid. Expected: %(expected)s"),
        },
    }
