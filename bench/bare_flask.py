"""The least a Python SPARQL endpoint can do: Flask, pyoxigraph in the request thread, nothing else.

No checks, no time limit, no negotiation, no caching headers: a yardstick, not a server to run.
`bench/ceiling.py` serves it under gunicorn with the settings `ombudsman-kg serve` uses, to show
how far Python on the request path is from Oxigraph server, and where ours stands in between.

The store is `BARE_STORE` (a built `dist/store`, opened read-only as ours does) or, when
`BARE_DUMP` names an N-Quads file, an in-memory store loaded from it.
"""

from __future__ import annotations

import os

import pyoxigraph
from flask import Flask, Response, request


def _open() -> pyoxigraph.Store:
    dump = os.environ.get("BARE_DUMP")
    if dump:
        store = pyoxigraph.Store()
        store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_QUADS)
        return store
    return pyoxigraph.Store.read_only(os.environ["BARE_STORE"])


store = _open()
app = Flask(__name__)


@app.route("/query")
def query() -> Response:
    result = store.query(request.args["query"], use_default_graph_as_union=True)
    if isinstance(result, pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions):
        body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")
    body = pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE)
    return Response(body, mimetype="text/turtle")


@app.route("/health")
def health() -> str:
    return "ok"
