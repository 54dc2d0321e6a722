"""The countries involved, on a map and in a table: `/countries` (issue 11).

Every country of the data is listed with each way the data involves it (a seat on an organ, a
member country of the Steering Committee, the country of a member institution, represented at
or host of a meeting, the place of an event, served by an institution, mentioned in an account)
and who says so. The map is drawn in the browser (`assets/map.js`, d3-geo) from the world
outline of the `world-atlas` package, whose features are named by their ISO 3166 numeric codes,
matched to the data's `okg:iso3166Numeric`: a country is drawn by its own outline, never placed
by coordinates of ours, and the countries the data does not name are drawn pale, as context.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, render_template, request

from ombudsman_kg.rdf.namespaces import BASE
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web.i18n import N_, reader_language
from ombudsman_kg.web.i18n import gettext as _
from ombudsman_kg.web.negotiation import HTML
from ombudsman_kg.web.pages import Link, Linker
from ombudsman_kg.web.picture_data import labelled, links, query, sources_of
from ombudsman_kg.web.representation import add_vary
from ombudsman_kg.web.site import Site, current_site

bp = Blueprint("countries", __name__)
#: each way the data involves a country (countries.rq's ?kind), in the order the page lists them
ROLES = {
    "seat": N_("Seat on an organ"),
    "member-country": N_("Member country of an organ"),
    "institution": N_("Country of a member institution"),
    "represented": N_("Represented at a meeting"),
    "host": N_("Host country of a meeting"),
    "venue": N_("Place of an event"),
    "served": N_("Served by an institution"),
    "mentioned": N_("Mentioned in a source’s account"),
}
#: the roles that make a country one of the association's, drawn darker than the others
INVOLVED = frozenset({"seat", "member-country", "institution", "represented", "host"})
ATLAS = "/static/build/countries-50m.json"
RoleKey = tuple[str, str, str, str]  # kind, thing, via, role


@dataclass(frozen=True)
class CountryRecord:
    iri: str
    numeric: str
    alpha2: str
    alpha3: str
    roles: tuple[tuple[RoleKey, tuple[str, ...]], ...]


@dataclass
class RoleShown:
    kind: str
    heading: str
    thing: Link
    role: str
    via: Link | None
    sources: list[Link]


@dataclass
class CountryShown:
    link: Link
    numeric: str
    alpha2: str
    alpha3: str
    roles: list[RoleShown] = field(default_factory=list)

    @property
    def involved(self) -> bool:
        return any(role.kind in INVOLVED for role in self.roles)


@bp.route("/countries", methods=["GET", "HEAD"])
def countries() -> Response:
    """The map, the table of countries with their roles and sources, and a list per role."""
    site = current_site()
    linker = labelled(site, Linker(BASE, request.host_url, reader_language(), {}))
    shown = sorted(
        (_shown(record, linker) for record in country_records(site)),
        key=lambda c: c.link.text.casefold(),
    )
    by_role = [
        (kind, _(heading), [(c, [r for r in c.roles if r.kind == kind]) for c in shown])
        for kind, heading in ROLES.items()
    ]
    body = render_template(
        "countries.html",
        countries=shown,
        by_role=[(k, h, [(c, r) for c, r in found if r]) for k, h, found in by_role],
        data=map_data(shown),
        atlas=ATLAS,
        on_map=sum(1 for c in shown if c.numeric),
    )
    response = Response(body, mimetype=HTML)
    add_vary(response, "Accept-Language")
    return response


def country_records(site: Site) -> list[CountryRecord]:
    """Every country with its ISO codes and roles, read once per process."""

    def compute() -> list[CountryRecord]:
        codes: dict[str, tuple[str, str, str]] = {}
        graphs: dict[str, dict[RoleKey, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in site.store.select(query("countries")):
            country = term_value(row["country"])
            numeric, alpha2, alpha3 = (
                term_value(row[n]) if n in row else "" for n in ("numeric", "alpha2", "alpha3")
            )
            codes[country] = (numeric, alpha2, alpha3)
            if "kind" not in row:  # a country the data involves in no way is still listed
                continue
            kind = term_value(row["kind"])
            # a seat's membership is one per source: the seat is the organization and the role
            via = term_value(row["via"]) if "via" in row and kind != "seat" else ""
            role = term_value(row["role"]) if "role" in row else ""
            graphs[country][(kind, term_value(row["thing"]), via, role)].add(
                term_value(row["graph"])
            )
        return [
            CountryRecord(
                iri,
                *codes[iri],
                tuple(sorted((key, sources_of(g)) for key, g in graphs.get(iri, {}).items())),
            )
            for iri in sorted(codes)
        ]

    result: list[CountryRecord] = site.cached("visuals:countries", compute)
    return result


def map_data(countries: list[CountryShown]) -> list[dict[str, Any]]:
    """What map.js draws: each country by its ISO numeric code, with its name, page, and roles."""
    return [
        {
            "id": c.numeric,
            "label": c.link.text,
            "href": c.link.href,
            "involved": c.involved,
            "title": c.link.text + ": " + "; ".join(dict.fromkeys(r.heading for r in c.roles)),
        }
        for c in countries
        if c.numeric
    ]


def _shown(record: CountryRecord, linker: Linker) -> CountryShown:
    order = list(ROLES)
    roles = [
        RoleShown(
            kind,
            _(ROLES.get(kind, kind)),
            linker.link(thing),
            linker.label(role) if role else "",
            linker.link(via) if via else None,
            links(linker, sources),
        )
        for (kind, thing, via, role), sources in record.roles
    ]
    roles.sort(key=lambda r: (order.index(r.kind) if r.kind in order else 99, r.thing.text))
    return CountryShown(
        linker.link(record.iri), record.numeric, record.alpha2, record.alpha3, roles
    )
