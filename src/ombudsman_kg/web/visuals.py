"""The pictures a page draws (timeline, organization graph), as data its template lists (issue 11).

Each picture comes from the server's own queries (`queries/*.rq`, read by `picture_data`) once
per process, as IRIs and lexical forms (`site.cached`: they change only with a new build), and
is put into words and links per request, in the reader's language; the organization graph is
`org_structure`'s. The same data is the page's list or table (read without JavaScript, and by
assistive technology) and the JSON that `assets/draw.js` draws: the drawing shows nothing the
list does not. A date keeps the precision its sources give (a year is the whole year), each with
the sources that state it; where sources differ every date is kept; a year in another calendar
is written as given and never placed on the Gregorian axis (docs/model.md "Time").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from babel.dates import get_month_names

from ombudsman_kg.rdf.namespaces import SCHEMA
from ombudsman_kg.web import org_structure
from ombudsman_kg.web.i18n import N_, PRECISION_OF
from ombudsman_kg.web.i18n import gettext as _
from ombudsman_kg.web.pages import Link, Linker
from ombudsman_kg.web.picture_data import (
    EventRecord,
    When,
    events,
    involvement,
    labelled,
    links,
    period,
    query,
    written,
)
from ombudsman_kg.web.site import Site

ORG = "http://www.w3.org/ns/org#"
#: how a thing takes part in one event: (property, organ, post or membership between) → sources
Roles = dict[tuple[str, str], tuple[str, ...]]
#: the classes (in graph/data) whose pages draw a timeline, and an organization graph
TIMELINE_TYPES = frozenset(
    {"http://xmlns.com/foaf/0.1/Person", ORG + "FormalOrganization", ORG + "OrganizationalUnit"}
)
ORG_GRAPH_TYPES = frozenset({ORG + "FormalOrganization", ORG + "OrganizationalUnit"})
#: words for the standard properties that link a thing and an event; okg's are the ontology's
ROLE_WORDS = {
    SCHEMA + "attendee": N_("attendee"),
    SCHEMA + "organizer": N_("organizer"),
    SCHEMA + "participant": N_("participant"),
    SCHEMA + "performer": N_("performer"),
    SCHEMA + "about": N_("about it"),
    ORG + "resultedFrom": N_("resulted from this event"),
}


@dataclass
class TimeShown:
    kind: str
    text: str
    sources: list[Link]
    start: str = ""  # ISO day the drawing starts at, and the day after it ends (exclusive)
    end: str = ""
    precision: str = ""


@dataclass
class RoleShown:
    text: str
    via: Link | None
    sources: list[Link]


@dataclass
class EventShown:
    link: Link
    kind: str
    sources: list[Link]
    times: list[TimeShown]
    roles: list[RoleShown] = field(default_factory=list)


@dataclass
class Timeline:
    """The events a page lists and draws, in time order (`data`: what the browser draws)."""

    subject: str
    events: list[EventShown]
    language: str
    #: events left out past `MAX_EVENTS`, which SPARQL still finds
    more: int = 0

    @property
    def data(self) -> list[dict[str, Any]]:
        """Each event's name, page, kind, sources and times, in words: what draw.js shows."""
        return [
            {
                "label": event.link.text,
                "href": event.link.href,
                "kind": event.kind,
                "sources": [s.text for s in event.sources],
                "times": [
                    {**asdict(t), "sources": [s.text for s in t.sources]} for t in event.times
                ],
            }
            for event in self.events
        ]

    @property
    def months(self) -> str:
        """The months' short names for the axis, by Babel (the browser's may lack a language)."""
        return ",".join(get_month_names("abbreviated", locale=self.language).values())


def page_visuals(site: Site, linker: Linker, iri: str, types: list[str]) -> dict[str, Any]:
    """Context for a thing's page: `timeline` and `org_graph`, each None where nothing to draw."""
    linker = labelled(site, linker)
    timeline = None
    if TIMELINE_TYPES.intersection(types):
        involved = involvement(site).get(iri, {})
        timeline = _timeline(site, linker, involved, subject=linker.label(iri))
    org_graph = None
    if ORG_GRAPH_TYPES.intersection(types):
        structure = site.cached("visuals:org", lambda: org_structure.read(site, query("org-graph")))
        org_graph = org_structure.graph_of(structure, linker, iri)
    return {"timeline": timeline, "org_graph": org_graph}


#: the events one timeline lists and draws: a page stays light on a graph of millions of triples
MAX_EVENTS = 300


def home_timeline(site: Site, linker: Linker) -> Timeline | None:
    """Every event of the data, for the home page's timeline; None when there are none."""
    everything: dict[str, Roles] = {e: {} for e in events(site)}
    return _timeline(site, labelled(site, linker), everything, subject="")


def _timeline(
    site: Site, linker: Linker, involved: dict[str, Roles], *, subject: str
) -> Timeline | None:
    """The events of `involved` that the data holds, in time order; None if there are none."""
    records = events(site)
    shown = [
        _event_shown(records[event], roles, linker)
        for event, roles in involved.items()
        if event in records
    ]
    if not shown:
        return None
    ordered = sorted(shown, key=_order)
    return Timeline(
        subject, ordered[:MAX_EVENTS], linker.language, more=max(0, len(ordered) - MAX_EVENTS)
    )


def _event_shown(record: EventRecord, roles: Roles, linker: Linker) -> EventShown:
    kinds = [linker.label(k) for k in record.kinds if not k.startswith(SCHEMA)] or [
        linker.label(k) for k in record.kinds
    ]
    return EventShown(
        link=linker.link(record.iri),
        kind=", ".join(sorted(kinds)),
        sources=links(linker, record.sources),
        times=[_time_shown(when, linker) for when in record.times],
        roles=sorted(
            (
                RoleShown(
                    _(ROLE_WORDS[prop]) if prop in ROLE_WORDS else linker.label(prop),
                    linker.link(via) if via else None,
                    links(linker, sources),
                )
                for (prop, via), sources in roles.items()
            ),
            key=lambda r: (r.text, r.via.text if r.via else ""),
        ),
    )


def _time_shown(when: When, linker: Linker) -> TimeShown:
    sources = links(linker, when.sources)
    first, last = when.start or when.end, when.end or when.start
    if first is None or last is None:
        return TimeShown(when.kind, "", sources)
    if when.kind == "calendar":
        calendar = linker.label(when.calendar)
        return TimeShown(
            when.kind, _("%(year)s (%(calendar)s)", year=first[0], calendar=calendar), sources
        )
    if when.kind == "under-way":
        text = _("under way on %(date)s", date=written(first, linker))
    elif when.start and when.end:
        text = f"{written(when.start, linker)} – {written(when.end, linker)}"
    elif when.start:
        text = written(first, linker)
    else:
        text = _("ending %(date)s", date=written(last, linker))
    begin, finish = period(first), period(last)
    if begin is None or finish is None:
        return TimeShown(when.kind, text, sources)
    precision = PRECISION_OF.get(first[1], "")
    return TimeShown(
        when.kind, text, sources, begin[0].isoformat(), finish[1].isoformat(), precision
    )


def _order(event: EventShown) -> tuple[int, str, str]:
    placed = sorted(t.start for t in event.times if t.start)
    rank = 0 if placed else 1 if event.times else 2
    return (rank, placed[0] if placed else "", event.link.text.casefold())
