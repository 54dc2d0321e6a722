"""`ombudsman-kg load --into URL`: push the built named graphs to a Graph Store Protocol endpoint.

The graphs come from `dist/dumps/ombudsman-kg.nq`, read as a stream, so that a million triples
never sit in memory at once. Each graph is replaced, not merged: its first chunk goes with `PUT`,
the rest with `POST` (one request per graph would be hundreds of megabytes at scale). At the end
every graph is counted in the store, because a store that accepts a request has not always kept
all of it: by reading it back with `GET`, which every Graph Store answers, or, on Oxigraph server,
with a SPARQL COUNT at its `/query`, because its `GET` is slow (12 s for 300,000 triples here,
against 1.4 s for the COUNT).

Oxigraph server is recognised by its `Server` header; it is also sent `no_transaction`, which
makes it use its bulk loader (Oxigraph's `cli/src/main.rs`, `web_load_graph`).
"""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

import pyoxigraph
import requests
from tqdm import tqdm

from ombudsman_kg.build.outputs import BUILD_INFO, DUMPS_DIR, NQUADS_FILE
from ombudsman_kg.errors import NotBuilt, StoreUnavailable
from ombudsman_kg.rdf import formats
from ombudsman_kg.settings import Settings
from ombudsman_kg.store import queries
from ombudsman_kg.store.answers import graph_parser
from ombudsman_kg.store.http import USER_AGENT, http_errors, http_url, message_of
from ombudsman_kg.store.remote import RemoteStore

N_TRIPLES = formats.NTRIPLES.media_type
CHUNK_TRIPLES = 50_000
PROBE_TIMEOUT_S = 10.0
REQUEST_TIMEOUT_S = 600.0

Progress = Callable[[str], None]


@dataclass
class GraphLoad:
    """What was sent for one named graph and what the store holds afterwards."""

    graph: str
    expected: int
    sent: int = 0
    requests: int = 0
    seconds: float = 0.0
    stored: int = field(default=-1)


def load_into(
    settings: Settings,
    url: str,
    *,
    progress: Progress,
    chunk_triples: int = CHUNK_TRIPLES,
    show_bar: bool | None = None,
) -> list[GraphLoad]:
    """Replace each named graph of `settings.dist` at the Graph Store `url`, then check counts.

    The bar (tqdm, over triples) is drawn on a terminal only, unless `show_bar` says otherwise;
    messages go to `progress`.

    :raises NotBuilt: when `dist/` has no build to load.
    :raises SettingsError: for a URL that is not http(s).
    :raises StoreUnavailable: when the store refuses a request or holds other counts afterwards.
    """
    http_url(url, "load --into")
    expected = _built_counts(Path(settings.dist))
    dump = Path(settings.dist) / DUMPS_DIR / NQUADS_FILE
    if not dump.is_file():
        raise NotBuilt(f"no {dump}: run `ombudsman-kg build` first")
    loads = {graph: GraphLoad(graph, count) for graph, count in sorted(expected.items())}
    total = sum(expected.values())
    progress(f"loading {total} triples in {len(loads)} graphs from {dump} into {url}")
    started = time.perf_counter()
    with (
        requests.Session() as session,
        tqdm(
            total=total,
            unit="triple",
            unit_scale=True,
            file=sys.stderr,
            disable=not (sys.stderr.isatty() if show_bar is None else show_bar),
            desc="load",
        ) as bar,
    ):
        session.headers["User-Agent"] = USER_AGENT
        session.trust_env = False
        oxigraph = _is_oxigraph(session, url, next(iter(loads)))
        options = {"no_transaction": ""} if oxigraph else {}
        for graph, triples in _chunks(dump, chunk_triples):
            if graph not in loads:
                raise NotBuilt(f"{dump} holds graph <{graph}>, which {BUILD_INFO} does not list")
            record = loads[graph]
            _send(session, url, record, triples, options)
            bar.update(len(triples))
        for record in loads.values():
            if record.requests == 0:
                _send(session, url, record, [], options)
        sent_seconds = time.perf_counter() - started
        mark = time.perf_counter()
        query_url = _oxigraph_query_url(url) if oxigraph else None
        if query_url is not None:
            stored = _count_by_query(settings, query_url)
            for record in loads.values():
                record.stored = stored.get(record.graph, 0)
        else:
            for record in loads.values():
                record.stored = _count_stored(session, url, record.graph)
        check_seconds = time.perf_counter() - mark
    for record in loads.values():
        rate = record.sent / record.seconds if record.seconds else 0.0
        progress(
            f"{record.stored:>10} triples in <{record.graph}>: {record.requests} requests,"
            f" {record.seconds:.1f} s ({rate:,.0f} triples/s)"
        )
    wrong = [r for r in loads.values() if r.stored != r.expected]
    if wrong:
        details = "; ".join(
            f"<{r.graph}> holds {r.stored}, the build has {r.expected}" for r in wrong
        )
        raise StoreUnavailable(f"the store at {url} did not keep what was sent: {details}")
    how = f"with a COUNT at {query_url}" if query_url else "by reading each graph back"
    progress(
        f"loaded {total} triples into {url} in {sent_seconds:.1f} s;"
        f" counts checked {how} in {check_seconds:.1f} s"
    )
    return list(loads.values())


def _built_counts(dist: Path) -> dict[str, int]:
    try:
        info = json.loads((dist / BUILD_INFO).read_text(encoding="utf-8"))
        graphs = {**info["graphs"], **info.get("source_graphs", {})}
        return {str(graph): int(count) for graph, count in graphs.items()}
    except FileNotFoundError:
        raise NotBuilt(f"no {dist / BUILD_INFO}: run `ombudsman-kg build` first") from None
    except (ValueError, KeyError, AttributeError, TypeError) as error:
        raise NotBuilt(f"{dist / BUILD_INFO} is not a build description ({error})") from None


def _chunks(dump: Path, size: int) -> Iterator[tuple[str, list[pyoxigraph.Triple]]]:
    """(graph, up to `size` triples) in the dump's order; a chunk never spans two graphs."""
    graph: str | None = None
    triples: list[pyoxigraph.Triple] = []
    for quad in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, pyoxigraph.NamedNode):
            raise NotBuilt(f"{dump} holds a triple outside the named graphs: {quad}")
        name = quad.graph_name.value
        if (name != graph or len(triples) >= size) and triples:
            assert graph is not None  # noqa: S101
            yield graph, triples
            triples = []
        graph = name
        triples.append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
    if triples:
        assert graph is not None  # noqa: S101
        yield graph, triples


def _is_oxigraph(session: requests.Session, url: str, graph: str) -> bool:
    """Whether the store is Oxigraph server; first of all, whether anything answers at `url`.

    Uploads wait long (clearing a large graph before reading the new one takes a while), so a
    dead address is found here, with a short time limit.

    :raises StoreUnavailable: when nothing answers.
    """
    with http_errors(_where(url)):
        response = session.head(url, params={"graph": graph}, timeout=PROBE_TIMEOUT_S)
    return response.headers.get("Server", "").lower().startswith("oxigraph/")


def _oxigraph_query_url(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    if not parts.path.endswith("/store") or parts.query:
        return None
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.removesuffix("store") + "query"))


def _count_by_query(settings: Settings, query_url: str) -> dict[str, int]:
    store = RemoteStore(query_url, settings)
    try:
        rows = store.select(queries.load("count-by-graph"))
    finally:
        store.close()
    return {row["key"].value: int(row["count"].value) for row in rows}


def _send(
    session: requests.Session,
    url: str,
    record: GraphLoad,
    triples: list[pyoxigraph.Triple],
    options: dict[str, str],
) -> None:
    """PUT the graph's first chunk (replacing what the store held), POST the others.

    :raises StoreUnavailable: when the store cannot be reached or refuses.
    """
    method = "PUT" if record.requests == 0 else "POST"
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) if triples else b""
    mark = time.perf_counter()
    with http_errors(_where(url)):
        response = session.request(
            method,
            url,
            params={"graph": record.graph, **options},
            data=body,
            headers={"Content-Type": N_TRIPLES},
            timeout=REQUEST_TIMEOUT_S,
        )
    if response.status_code >= 300:
        raise StoreUnavailable(
            f"{_where(url)} refused {method} of <{record.graph}>:"
            f" {response.status_code} {_short(response)}"
        )
    record.requests += 1
    record.sent += len(triples)
    record.seconds += time.perf_counter() - mark


def _count_stored(session: requests.Session, url: str, graph: str) -> int:
    """Triples the store returns for `graph`, read back as a stream (`GET ?graph=`)."""
    try:
        with (
            http_errors(_where(url)),
            session.get(
                url,
                params={"graph": graph},
                headers={"Accept": formats.GRAPH_READ_BACK_ACCEPT},
                timeout=REQUEST_TIMEOUT_S,
                stream=True,
            ) as response,
        ):
            if response.status_code == 404:
                return 0
            if response.status_code >= 300:
                raise StoreUnavailable(
                    f"{_where(url)} refused GET of <{graph}>:"
                    f" {response.status_code} {_short(response)}"
                )
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            rdf_format = graph_parser(media_type)
            if rdf_format is None:
                raise StoreUnavailable(f"the store at {url} sent <{graph}> as {media_type!r}")
            response.raw.decode_content = True
            # pyoxigraph reads any binary file-like object; its stub asks for IO[bytes], which
            # urllib3's HTTPResponse (an io.IOBase) is not declared as.
            raw = cast(IO[bytes], response.raw)
            return sum(1 for _ in pyoxigraph.parse(raw, format=rdf_format))
    except SyntaxError as error:
        raise StoreUnavailable(f"the store at {url} sent <{graph}> unreadable: {error}") from None


def _where(url: str) -> str:
    return f"the store at {url}"


def _short(response: requests.Response) -> str:
    return message_of(response.content, response.headers.get("Content-Type", ""))
