"""The one interface both backends implement, as prez does with its `Repo` ABC.

Pages ask for the quads around one IRI; the SPARQL endpoint hands over a user's query with the
format already negotiated and gets bytes back. Both backends enforce the time limit themselves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph

#: how many matches a fragment counts, and pages through, at most: the bound on the work one
#: `/fragments` request causes (SPEC §4), whatever the size of the store
PATTERN_COUNT_MAX = 100_000

#: what `Store.pattern` selects: an IRI or literal to match, or None for any term
PatternTerm = pyoxigraph.NamedNode | pyoxigraph.Literal | None
#: the graphs `Store.pattern` reads: SPEC §7's default graph, one named graph, or (None) every
#: published named graph, source graphs included
PatternGraph = pyoxigraph.NamedNode | pyoxigraph.DefaultGraph | None


@dataclass(frozen=True)
class QueryRequest:
    """A user's query after the protocol layer has checked it and chosen the answer's format."""

    text: str
    form: str
    media_type: str
    default_graphs: Sequence[str] = field(default_factory=tuple)
    named_graphs: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Answer:
    """A serialized answer, and where it was computed (for the `Server-Timing` header)."""

    body: bytes
    where: str


class Store(ABC):
    """A read-only view of the published named graphs."""

    #: True when the data cannot change while the server runs, so answers may be cached.
    immutable: bool = False

    @abstractmethod
    def describe(self, iri: str) -> list[pyoxigraph.Quad]:
        """Every quad with `iri` as subject or object, and the labels of every IRI they name."""

    @abstractmethod
    def exists(self, iri: str) -> bool:
        """Whether `iri` is the subject of any quad."""

    @abstractmethod
    def select(
        self, query: str
    ) -> list[dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode]]:
        """Run one of the server's own SELECT queries (bounded cost, no time limit)."""

    @abstractmethod
    def run(self, request: QueryRequest, *, timeout_s: float) -> Answer:
        """Run a user's query, serialized as `request.media_type`.

        :raises QueryTimeout: past `timeout_s`.
        :raises QuerySyntaxError: when the engine rejects the query.
        :raises StoreUnavailable: when a remote store does not answer.
        """

    @abstractmethod
    def quads(self, graph: str | None = None) -> list[pyoxigraph.Quad]:
        """All quads, or one named graph's; used for small documents such as `/ontology`."""

    @abstractmethod
    def pattern(
        self,
        subject: PatternTerm,
        predicate: PatternTerm,
        object: PatternTerm,
        graph: PatternGraph,
        *,
        offset: int,
        limit: int,
    ) -> tuple[list[pyoxigraph.Quad], int]:
        """One page of the quads that match a pattern, and how many match in all (for TPF/QPF).

        `pyoxigraph.DefaultGraph()` reads SPEC §7's default graph (graph/data, graph/ontology
        and graph/inferred, which share no triple) and answers its triples in the default graph;
        a named graph, or None for every published one, answers quads in their graphs. Pages
        come in one order that does not change while the store does not, so that a client
        paging through a fragment sees each match once. Counting stops past
        `PATTERN_COUNT_MAX`: the count is exact up to it, and `PATTERN_COUNT_MAX + 1` means
        "more than that", for a pattern whose matches then come in the store's index order,
        unsorted, since sorting them would read them all.

        :raises ValueError: when `offset + limit` exceeds `PATTERN_COUNT_MAX`.
        :raises QueryTimeout: when a remote store does not answer within the time limit.
        :raises StoreUnavailable: when a remote store does not answer.
        """

    @abstractmethod
    def triple_count(self) -> int:
        """Quads in all named graphs."""

    def warm(self) -> None:
        """Prepare to answer (open files, start processes); nothing to do by default."""
        return None

    def close(self) -> None:
        """Release processes and connections; nothing to release by default."""
        return None
