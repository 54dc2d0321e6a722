"""The store behind any SPARQL 1.1 endpoint (SPEC §5 `--store sparql:URL`), over the Protocol.

For data that outgrows one machine: Oxigraph server, Fuseki, Virtuoso or QLever hold the graphs
that `ombudsman-kg load --into` pushed, and every page, `/sparql` answer and count is a query
sent over HTTP. Three traps shape this module:

- Endpoints disagree on the default graph. Ours is the three graphs of SPEC §7 (`GRAPHS`), so
  every query names them with `default-graph-uri`, and every published graph, source graphs
  included, with `named-graph-uri` (a `default-graph-uri` alone would leave `GRAPH ?g` nothing
  to match), unless the query has its own FROM. The graphs' names come from the build's
  `build.json`, so graphs the endpoint holds for others stay out.
- The SPARQL Protocol cannot cancel a query. The client gets its `503` at the time limit; the
  endpoint's own time limit is what frees its CPU (docs/remote-store.md).
- gunicorn forks after the app is built, and a socket must not cross a fork: HTTP sessions are
  made lazily, one per thread of each process.

Nothing of a user's query is evaluated here: it is forwarded as written. What this process
does hold is the answer, so an answer larger than the memory limit is not read past it (`503`).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping, Sequence

import pyoxigraph
import requests

from ombudsman_kg.build.outputs import published_graphs
from ombudsman_kg.errors import QuerySyntaxError, QueryTimeout, StoreUnavailable
from ombudsman_kg.rdf import formats
from ombudsman_kg.rdf.namespaces import GRAPHS
from ombudsman_kg.rdf.serialize import serialize_graph
from ombudsman_kg.settings import Settings
from ombudsman_kg.store import queries, remote_fragments
from ombudsman_kg.store.answers import Term, convert_results, graph_parser, read_graph, read_results
from ombudsman_kg.store.base import Answer, QueryRequest, Store
from ombudsman_kg.store.engine import declares_dataset
from ombudsman_kg.store.http import (
    USER_AGENT,
    ConnectionLost,
    http_errors,
    http_url,
    message_of,
    read_within,
)

RESULTS_JSON = formats.SPARQL_JSON.media_type
#: where a query stopped at a limit ran (`Server-Timing`)
REMOTE = "remote"
OWN_QUERY_MIN_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0
READ_CHUNK_BYTES = 1 << 16

_NOT_IN_IRIREF = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PLACEHOLDER = re.compile(r"\$([A-Za-z_]\w*)")


class RemoteStore(Store):
    """Read-only access to the published graphs in a SPARQL 1.1 endpoint at `url`."""

    def __init__(self, url: str, settings: Settings) -> None:
        """:raises SettingsError: for a URL that is not http(s)."""
        self.url = http_url(url, "store sparql:URL")
        self._page_timeout_s = settings.query_timeout_s
        self._own_timeout_s = max(settings.query_timeout_s, OWN_QUERY_MIN_TIMEOUT_S)
        self._max_answer_bytes = settings.query_memory_mb << 20
        self._local = threading.local()
        self._sessions: list[tuple[int, requests.Session]] = []
        self._graphs = published_graphs(settings.dist)

    def describe(self, iri: str) -> list[pyoxigraph.Quad]:
        """As the embedded store's; an IRI that cannot be written in SPARQL holds nothing."""
        iri_ref = sparql_iri(iri)
        if iri_ref is None:
            return []
        rows = self._solutions(
            _fill(queries.load("remote-describe"), this=iri_ref), timeout_s=self._page_timeout_s
        )
        return [_quad(row) for row in rows]

    def exists(self, iri: str) -> bool:
        iri_ref = sparql_iri(iri)
        if iri_ref is None:
            return False
        text = _fill(queries.load("remote-exists"), this=iri_ref)
        body, media_type = self._post(
            text, self._our_dataset(), accept=RESULTS_JSON, timeout_s=self._page_timeout_s
        )
        answer = read_results(body, media_type)
        if not isinstance(answer, bool):
            raise self._unavailable(answer if isinstance(answer, str) else "answered ASK with rows")
        return answer

    def select(self, query: str) -> list[dict[str, Term]]:
        return self._solutions(query, timeout_s=self._own_timeout_s)

    def run(self, request: QueryRequest, *, timeout_s: float) -> Answer:
        return Answer(self._answer(request, timeout_s), REMOTE)

    def _answer(self, request: QueryRequest, timeout_s: float) -> bytes:
        """Forward a checked query; graphs come back as N-Triples and are written here, so that
        every format (JSON-LD with its context inline, Turtle with our prefixes) is the same as the
        embedded store's whatever the endpoint supports."""
        graph_form = request.form in ("CONSTRUCT", "DESCRIBE")
        if graph_form:
            accept = formats.GRAPH_READ_BACK_ACCEPT
        elif request.media_type == RESULTS_JSON:
            accept = RESULTS_JSON
        else:
            accept = f"{request.media_type}, {RESULTS_JSON};q=0.5"
        dataset = self._request_dataset(request)
        body, media_type = self._post(
            request.text, dataset, accept=accept, timeout_s=timeout_s, user_query=True
        )
        if graph_form and graph_parser(media_type) is not None:
            triples = read_graph(body, media_type)
            if isinstance(triples, str):
                raise self._unavailable(triples)
            return serialize_graph(triples, request.media_type)
        if media_type == request.media_type:
            return body
        output = convert_results(body, media_type, formats.results_format(request.media_type))
        if isinstance(output, str):
            raise self._unavailable(output)
        return output

    def quads(self, graph: str | None = None) -> list[pyoxigraph.Quad]:
        """:raises ValueError: for a graph name that is not an IRI."""
        if graph is None:
            text = queries.load("remote-quads")
        else:
            graph_ref = sparql_iri(graph)
            if graph_ref is None:
                raise ValueError(f"not an IRI: {graph!r}")
            text = _fill(queries.load("remote-graph"), graph=graph_ref)
        return [_quad(row) for row in self._solutions(text, timeout_s=self._own_timeout_s)]

    #: a page of a Triple or Quad Pattern Fragment, in two bounded queries
    pattern = remote_fragments.pattern

    def triple_count(self) -> int:
        rows = self._solutions(queries.load("remote-count"), timeout_s=self._own_timeout_s)
        count = rows[0].get("count") if rows else None
        if not isinstance(count, pyoxigraph.Literal):
            raise StoreUnavailable(f"the SPARQL endpoint {self.url} did not count the triples")
        return int(count.value)

    def _our_dataset(self) -> dict[str, Sequence[str]]:
        return {"default-graph-uri": GRAPHS, "named-graph-uri": self._graphs}

    def _request_dataset(self, request: QueryRequest) -> dict[str, Sequence[str]]:
        """The Protocol's dataset, as the embedded store builds it (engine.execute).

        Unnamed defaults become the three graphs of the default graph, and every published
        graph stays available to `GRAPH ?g`. A query's own FROM is left to the endpoint, which
        then answers it from its store, because a Protocol dataset would override it.
        """
        if not (request.default_graphs or request.named_graphs) and declares_dataset(request.text):
            return {}
        return {
            "default-graph-uri": list(request.default_graphs) or GRAPHS,
            "named-graph-uri": list(request.named_graphs) or self._graphs,
        }

    def close(self) -> None:
        pid = os.getpid()
        for owner, session in self._sessions:
            if owner == pid:
                session.close()
        self._sessions = []
        self._local = threading.local()

    def _solutions(self, text: str, *, timeout_s: float) -> list[dict[str, Term]]:
        body, media_type = self._post(
            text, self._our_dataset(), accept=RESULTS_JSON, timeout_s=timeout_s
        )
        rows = read_results(body, media_type)
        if not isinstance(rows, list):
            raise self._unavailable(
                rows if isinstance(rows, str) else "answered SELECT with a boolean"
            )
        return rows

    def _post(
        self,
        text: str,
        dataset: Mapping[str, Sequence[str]],
        *,
        accept: str,
        timeout_s: float,
        user_query: bool = False,
    ) -> tuple[bytes, str]:
        """The answer's bytes and media type, read whole before `timeout_s` has passed.

        `requests` times each socket read, not the whole answer, so the deadline is checked
        between chunks and each read may wait only for what is left of it.

        :raises QueryTimeout: past `timeout_s`, naming the limit, or for a partial answer
            (Virtuoso's "Anytime" queries: status 206, or 200 with `X-SQL-State: S1TAT`).
        :raises QueryMemoryLimit: for an answer larger than the memory limit.
        :raises QuerySyntaxError: when the endpoint answers 400, with its message.
        :raises StoreUnavailable: when it cannot be reached or answers another error.
        """
        deadline = time.monotonic() + timeout_s
        form = {"query": text, **{key: list(values) for key, values in dataset.items()}}
        headers = {"Accept": accept, "User-Agent": USER_AGENT}
        where = f"the SPARQL endpoint {self.url}"
        response = None
        for attempt in (1, 2):
            remaining = max(deadline - time.monotonic(), 0.001)
            try:
                with http_errors(where, deadline=deadline, limit_s=timeout_s, stopped=REMOTE):
                    response = self._session().post(
                        self.url,
                        data=form,
                        headers=headers,
                        timeout=(min(CONNECT_TIMEOUT_S, remaining), remaining),
                        stream=True,
                    )
                break
            except ConnectionLost:
                if attempt == 1 and time.monotonic() < deadline:
                    continue  # a kept-alive connection that the endpoint had closed meanwhile
                raise
        assert response is not None  # noqa: S101 - the loop either breaks with one or raises
        with response:
            with http_errors(
                where, deadline=deadline, limit_s=timeout_s, doing="its answer", stopped=REMOTE
            ):
                body = read_within(response, deadline, self._max_answer_bytes, stopped=REMOTE)
            if body is None:
                raise QueryTimeout.after(timeout_s, where=REMOTE)
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            status = response.status_code
            partial = status == 206 or (
                status == 200 and response.headers.get("X-SQL-State") == "S1TAT"
            )
        if partial:
            raise QueryTimeout(
                f"the SPARQL endpoint stopped the query at its own time limit (ours is"
                f" {timeout_s:g} s) and sent a partial answer, which is not passed on",
                REMOTE,
            )
        if status == 400:
            if user_query:
                # The store's parser is the only one that reads the query: its words, whole.
                message = message_of(body, media_type, one_line=False)
                raise QuerySyntaxError(f"the SPARQL endpoint rejected the query: {message}")
            message = message_of(body, media_type)
            raise StoreUnavailable(f"{where} rejected a query: {message}")
        if status in (408, 504):
            raise QueryTimeout.after(timeout_s, where=REMOTE)
        if status >= 300:
            raise StoreUnavailable(f"{where} answered {status}: {message_of(body, media_type)}")
        return body, media_type

    def _session(self) -> requests.Session:
        """This thread's session, made anew in a forked child (gunicorn)."""
        pid = os.getpid()
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None or getattr(self._local, "pid", None) != pid:
            session = requests.Session()
            session.trust_env = False
            self._local.session = session
            self._local.pid = pid
            self._sessions.append((pid, session))
        return session

    def _unavailable(self, what: str) -> StoreUnavailable:
        return StoreUnavailable(f"the SPARQL endpoint {self.url} {what}")


def sparql_iri(iri: str) -> str | None:
    """`<iri>` when `iri` is an absolute IRI that is safe to put into a query, else None.

    SPARQL has no parameters over HTTP, so IRIs are written into the query text; an IRI holding
    any of `<>"{}|^`\\` or a space could end the IRI early and inject SPARQL, so none is accepted.
    """
    if not _SCHEME.match(iri) or _NOT_IN_IRIREF.search(iri):
        return None
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return None
    return f"<{iri}>"


def _fill(template: str, **iri_refs: str) -> str:
    """A query with each `$name` replaced by its already checked `<IRI>`."""
    return _PLACEHOLDER.sub(lambda match: iri_refs[match.group(1)], template)


def _quad(row: Mapping[str, Term]) -> pyoxigraph.Quad:
    return pyoxigraph.Quad(row["s"], row["p"], row["o"], row["g"])  # type: ignore[arg-type]
