"""An organization's graph (issue 11): its organs, its posts, the memberships in it and its own,
and the holders of its posts on the dates sources attest them, as a table and as the nodes and
links `assets/draw.js` draws.

Each membership is one source's attestation (docs/model.md "Time"): the table keeps one row per
membership, never joined or widened across sources; the drawing joins those of one member, one
organization and one role into one link whose tooltip lists each attestation with its source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ombudsman_kg.rdf.namespaces import BASE, OKG
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web.i18n import gettext as _
from ombudsman_kg.web.pages import Link, Linker
from ombudsman_kg.web.picture_data import Pair, links, pair_of, sources_of, written
from ombudsman_kg.web.site import Site

#: what a node is, by the kind of its IRI (`id/{kind}/…`, SPEC §1)
CATEGORIES = ("this", "unit", "post", "person", "organization", "place", "other")


@dataclass(frozen=True)
class Holding:
    """One membership: a member's role in an organization (or its post), as one source attests
    it, with the instants inside its interval, a beginning, and the events it was attested at."""

    iri: str
    member: str
    organization: str
    role: str
    post: str
    attested: tuple[Pair, ...]
    beginning: tuple[Pair, ...]
    events: tuple[tuple[str, str], ...]  # (okg:attainedAt or okg:attestedAt, event)
    sources: tuple[str, ...]


@dataclass
class Structure:
    """Every organ (unit → parent), post (post → organization), timeless holding (post →
    holder) with its sources, and every membership."""

    units: dict[tuple[str, str], tuple[str, ...]]
    posts: dict[tuple[str, str], tuple[str, ...]]
    held: dict[tuple[str, str], tuple[str, ...]]
    holdings: list[Holding]


@dataclass(frozen=True)
class At:
    """An event a membership was attained or attested at, and which (the ontology's words)."""

    how: str
    event: Link


@dataclass
class TableRow:
    what: Link
    who: Link | None
    role: str
    when: str
    at: list[At]
    sources: list[Link]
    membership: Link | None = None
    first_date: str = ""  # for the order of rows: the earliest date a source gives


@dataclass
class OrgGraph:
    """The table a page shows and the graph it draws (`data`)."""

    subject: str
    rows: list[TableRow]
    nodes: dict[str, dict[str, Any]]
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes.values()), "links": list(self.edges.values())}


def read(site: Site, text: str) -> Structure:
    """The answer of `org-graph.rq` (`text`), grouped; for `site.cached`."""
    plain: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    rows_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in site.store.select(text):
        kind = term_value(row["kind"])
        if kind in ("unit", "post", "held"):
            key = (kind, term_value(row["subject"]), term_value(row["object"]))
            plain[key].add(term_value(row["graph"]))
        else:
            rows_of[kind].append(row)
    grouped: dict[str, dict[tuple[str, str], tuple[str, ...]]] = defaultdict(dict)
    for (kind, subject, obj), graphs in plain.items():
        grouped[kind][(subject, obj)] = sources_of(graphs)
    return Structure(
        grouped["unit"],
        grouped["post"],
        grouped["held"],
        [_holding(i, r) for i, r in rows_of.items()],
    )


def graph_of(structure: Structure, linker: Linker, iri: str) -> OrgGraph | None:
    """`iri`'s organs (and theirs), posts, members, holders and own memberships; None if the
    data gives it none."""
    graph = OrgGraph(linker.label(iri), [], {})
    _node(graph, linker, iri, "", "this")
    for (unit, parent), sources in sorted(structure.units.items()):
        if unit == iri:
            _node(graph, linker, parent, iri)
            _edge(graph, linker, iri, parent, _("organ of"), "", sources)
            role = _("organ of %(organization)s", organization=linker.label(parent))
            graph.rows.append(_row(linker, iri, "", role, "", [], sources))
    scope, growing = {iri}, True
    while growing:
        growing = False
        for (unit, parent), sources in sorted(structure.units.items()):
            if parent in scope and unit not in scope:
                scope.add(unit)
                growing = True
                _node(graph, linker, unit, parent)
                _edge(graph, linker, unit, parent, _("organ of"), "", sources)
                role = _("organ of %(organization)s", organization=linker.label(parent))
                graph.rows.append(_row(linker, unit, "", role, "", [], sources))
    held = {post for post, _holder in structure.held} | {h.post for h in structure.holdings}
    for (post, organization), sources in sorted(structure.posts.items()):
        if organization in scope:
            _node(graph, linker, post, organization)
            _edge(graph, linker, post, organization, _("post in"), "", sources)
            if post not in held:
                graph.rows.append(_row(linker, post, "", _("no holder named"), "", [], sources))
    for (post, holder), sources in sorted(structure.held.items()):
        if post in graph.nodes:
            _node(graph, linker, holder, post)
            when = _("no date given")
            _edge(graph, linker, holder, post, _("holder"), when, sources)
            graph.rows.append(_row(linker, post, holder, _("holder"), when, [], sources))
    for holding in sorted(structure.holdings, key=_chronological):
        _add_holding(graph, linker, holding, iri, scope)
    if len(graph.nodes) < 2:
        return None
    graph.rows.sort(
        key=lambda r: (r.what.text.casefold(), r.who.text if r.who else "", r.first_date)
    )
    return graph


def _add_holding(
    graph: OrgGraph, linker: Linker, holding: Holding, iri: str, scope: set[str]
) -> None:
    """A membership in `iri` or one of its organs (the member links to the post it holds, or
    to the organization), or one `iri` itself holds (it links to that organization)."""
    target = holding.post or holding.organization
    if holding.organization in scope:
        if holding.post:
            _node(graph, linker, holding.post, holding.organization)
        _node(graph, linker, holding.member, target)
    elif holding.member == iri:
        _node(graph, linker, target, iri)
    else:
        return
    role = linker.label(holding.role) if holding.role else ""
    dates = [written(p, linker) for p in holding.attested]
    dates += [_("from %(date)s", date=written(p, linker)) for p in holding.beginning]
    when = "; ".join(dates) or _("no date given")
    at = [At(linker.label(prop), linker.link(event)) for prop, event in holding.events]
    _edge(graph, linker, holding.member, target, role, when, holding.sources, at)
    row = _row(linker, target, holding.member, role, when, at, holding.sources)
    row.membership = linker.link(holding.iri)
    row.first_date = _chronological(holding)[0]
    graph.rows.append(row)


def _chronological(holding: Holding) -> tuple[str, str]:
    """Holdings in the order of the first date a source gives them; undated ones last."""
    dates = sorted(p[0] for p in holding.attested + holding.beginning)
    return (dates[0] if dates else "~", holding.iri)


def _node(graph: OrgGraph, linker: Linker, iri: str, parent: str, category: str = "") -> None:
    if iri in graph.nodes:
        return
    kind = iri.removeprefix(BASE + "id/").split("/", 1)[0]
    graph.nodes[iri] = {
        "id": iri,
        "label": linker.label(iri),
        "href": linker.href(iri),
        "category": category or (kind if kind in CATEGORIES else "other"),
        "parent": parent if parent in graph.nodes else "",
    }


def _edge(
    graph: OrgGraph,
    linker: Linker,
    source: str,
    target: str,
    role: str,
    when: str,
    sources: tuple[str, ...],
    at: list[At] | None = None,
) -> None:
    edge = graph.edges.setdefault(
        (source, target, role),
        {"source": source, "target": target, "role": role, "attested": []},
    )
    said = ", ".join(s.text for s in links(linker, sources)) or _("publisher")
    where = " · ".join(f"{a.how}: {a.event.text}" for a in at or [])
    edge["attested"].append(" — ".join(p for p in (when, where, said) if p))


def _row(
    linker: Linker,
    what: str,
    who: str,
    role: str,
    when: str,
    at: list[At],
    sources: tuple[str, ...],
) -> TableRow:
    return TableRow(
        linker.link(what), linker.link(who) if who else None, role, when, at, links(linker, sources)
    )


def _holding(iri: str, rows: list[dict[str, Any]]) -> Holding:
    def values(name: str) -> list[Any]:
        return sorted({r[name] for r in rows if name in r}, key=str)

    first = rows[0]
    return Holding(
        iri=iri,
        member=term_value(first["subject"]),
        organization=term_value(first["object"]),
        role=term_value(first["role"]) if "role" in first else "",
        post=term_value(first["post"]) if "post" in first else "",
        attested=tuple(pair_of(v) for v in values("attested")),
        beginning=tuple(pair_of(v) for v in values("beginning")),
        events=tuple(
            (OKG + name, term_value(v))
            for name in ("attainedAt", "attestedAt")
            for v in values(name)
        ),
        sources=sources_of(term_value(r["graph"]) for r in rows),
    )
