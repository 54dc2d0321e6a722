"""What the pictures of issue 11 read: their queries (`queries/*.rq` beside this module), the
label of everything they name, who states what (a source graph, or graph/data alone: the
publisher), every event with its times, who takes part in it, and the period a date names.

A picture names things its page's description does not (an event's sources, a holder's post),
so its links are made with the labels of every thing and term, read once per process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ombudsman_kg.rdf.namespaces import (
    GRAPH_DATA,
    GRAPH_SOURCE,
    PROV_DERIVED,
    RDF_TYPE,
    SCHEMA,
    graph_source,
)
from ombudsman_kg.rdf.terms import Term, term_value
from ombudsman_kg.store import queries as store_queries
from ombudsman_kg.web.i18n import PRECISION_OF, format_when
from ombudsman_kg.web.pages import Link, Linker
from ombudsman_kg.web.site import Site

#: a literal's lexical form and datatype IRI
Pair = tuple[str, str]
#: thing → event → (property, the organ, post or membership between them) → sources
Involvement = dict[str, dict[str, dict[tuple[str, str], tuple[str, ...]]]]
TIME = "http://www.w3.org/2006/time#"
_YMD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class When:
    """One time of an event as one or more graphs state it: a Gregorian span (a start, an end or
    both), a day on which it was under way (`time:inside`), or a year in another calendar."""

    kind: str  # "span" | "under-way" | "calendar"
    start: Pair | None = None
    end: Pair | None = None
    calendar: str = ""
    sources: tuple[str, ...] = ()  # none: the publisher's


@dataclass(frozen=True)
class EventRecord:
    iri: str
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    times: tuple[When, ...]


@cache
def query(name: str) -> str:
    """The text of `queries/<name>.rq`.

    :raises FileNotFoundError: for an unknown name.
    """
    folder = resources.files("ombudsman_kg.web").joinpath("queries")
    return folder.joinpath(f"{name}.rq").read_text(encoding="utf-8")


def sources_of(graphs: Iterable[str]) -> tuple[str, ...]:
    """The sources whose graphs are among `graphs`; none: the publisher's statement alone."""
    return tuple(sorted({graph_source(g) for g in graphs if g.startswith(GRAPH_SOURCE)}))


def links(linker: Linker, iris: Iterable[str]) -> list[Link]:
    """Links to `iris`, in the order of their labels."""
    return sorted((linker.link(i) for i in set(iris)), key=lambda link: link.text.casefold())


def labelled(site: Site, linker: Linker) -> Linker:
    """`linker` with the labels of every thing, term and source (a new one: the page's own
    labels stay as they are, and the home page's are the ontology's, shared by every request)."""
    terms = site.ontology_labels()  # not inside `compute`, which runs under `site.cached`'s lock

    def compute() -> dict[str, dict[str, str]]:
        labels = {iri: dict(by) for iri, by in terms.items()}
        for row in site.store.select(store_queries.load("things")):
            label = row["label"]
            language = getattr(label, "language", None) or ""
            labels.setdefault(term_value(row["thing"]), {}).setdefault(language, label.value)
        return labels

    labels: dict[str, dict[str, str]] = site.cached("visuals:labels", compute)
    return Linker(linker.base_iri, linker.origin, linker.language, labels)


def events(site: Site) -> dict[str, EventRecord]:
    """Every event with its kinds, sources and times, read once per process."""

    def compute() -> dict[str, EventRecord]:
        kinds: dict[str, set[str]] = defaultdict(set)
        derived: dict[str, set[str]] = defaultdict(set)
        said: dict[str, dict[str, list[tuple[str, Pair, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for row in site.store.select(query("timeline")):
            event, prop, value = term_value(row["event"]), term_value(row["property"]), row["value"]
            if prop == RDF_TYPE:
                kinds[event].add(term_value(value))
            elif prop == PROV_DERIVED:
                derived[event].add(term_value(value))
            else:
                calendar = term_value(row["calendar"]) if "calendar" in row else ""
                said[event][term_value(row["graph"])].append((prop, pair_of(value), calendar))
        return {
            event: EventRecord(
                event,
                tuple(sorted(kinds[event])),
                tuple(sorted(derived[event])),
                times_of(said[event]),
            )
            for event in kinds
        }

    result: dict[str, EventRecord] = site.cached("visuals:events", compute)
    return result


def involvement(site: Site) -> Involvement:
    """Thing → event → (property, via) → the sources that link them, read once per process."""

    def compute() -> Involvement:
        graphs: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
        for row in site.store.select(query("involvement")):
            via = term_value(row["via"]) if "via" in row else ""
            key = (
                term_value(row["thing"]),
                term_value(row["event"]),
                term_value(row["property"]),
                via,
            )
            graphs[key].add(term_value(row["graph"]))
        found: Involvement = defaultdict(dict)
        for (thing, event, prop, via), where in graphs.items():
            found[thing].setdefault(event, {})[(prop, via)] = sources_of(where)
        return dict(found)

    result: Involvement = site.cached("visuals:involvement", compute)
    return result


def pair_of(term: Term) -> Pair:
    datatype = getattr(term, "datatype", None)
    return (term_value(term), datatype.value if datatype is not None else "")


def written(pair: Pair, linker: Linker) -> str:
    """A date in the reader's language at the precision its datatype states."""
    return format_when(pair[0], pair[1], linker.language)


def period(pair: Pair) -> tuple[dt.date, dt.date] | None:
    """The first day of the period a Gregorian literal names and the day after its last, at the
    precision of its datatype (a year is the whole year); None for what cannot be placed."""
    precision, match = PRECISION_OF.get(pair[1]), _YMD.match(pair[0])
    if precision is None or match is None:
        return None
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        first = dt.date(year, month, day)
        if precision == "year":
            return first, dt.date(year + 1, 1, 1)
        if precision == "month":
            return first, dt.date(year + month // 12, month % 12 + 1, 1)
        return first, first + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None


def times_of(by_graph: dict[str, list[tuple[str, Pair, str]]]) -> tuple[When, ...]:
    """Each distinct time with the graphs that state it. A graph's start and end make one span;
    graph/data counts (as the publisher's) only for values that no source graph holds."""
    in_sources = {(p, v) for g, said in by_graph.items() if g != GRAPH_DATA for p, v, _c in said}
    stated: dict[When, set[str]] = defaultdict(set)
    for graph, said in by_graph.items():
        if graph == GRAPH_DATA:
            said = [(p, v, c) for p, v, c in said if (p, v) not in in_sources]
        starts = [v for p, v, _c in said if p == SCHEMA + "startDate"]
        ends = [v for p, v, _c in said if p == SCHEMA + "endDate"]
        found: list[When] = []
        if len(starts) <= 1 and len(ends) <= 1 and (starts or ends):
            found.append(When("span", starts[0] if starts else None, ends[0] if ends else None))
        else:
            found += [When("span", start=v) for v in starts] + [When("span", end=v) for v in ends]
        for prop, value, calendar in said:
            if prop == TIME + "inside":
                found.append(When("under-way", start=value))
            elif prop == TIME + "hasTime":
                found.append(When("calendar", start=value, calendar=calendar))
        for when in found:
            stated[when].add(graph)
    return tuple(
        sorted(
            (When(w.kind, w.start, w.end, w.calendar, sources_of(g)) for w, g in stated.items()),
            key=lambda w: ((w.start or w.end or ("", ""))[0], w.kind, w.sources),
        )
    )
