"""The pictures of issue 11 as a reader without JavaScript gets them, over real HTTP: the timeline
(home page, an organization's and a person's page), the organization graph, and `/countries`
(issue 11, "pages that show").

Each picture is a list or a table in the page and a JSON data block the browser draws from; both
are read here and checked against what the data says (SPARQL over the built dump): every event,
each date at its precision with the sources that state it, where sources differ every date, a
Solar Hijri year as the source gives it and never on the Gregorian axis; every organ, post and
holding, one row per source's attestation; every country with its roles and sources. The pure
pieces (the period a date names, how the times of an event are read from its graphs) have unit
tests of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import KnowledgeGraph

from ombudsman_kg.web import picture_data
from ombudsman_kg.web.picture_data import When, period, times_of

B = "https://w3id.org/ombudsman-kg/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
FOUNDING = B + "id/event/oicoa-founding"
SOLAR_HIJRI = B + "ontology#SolarHijriCalendar"
PREFIXES = """
PREFIX okg:    <https://w3id.org/ombudsman-kg/ontology#>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX time:   <http://www.w3.org/2006/time#>
"""


@pytest.fixture(scope="module")
def site(built_dist: Path) -> Iterator[str]:
    from conftest import start_server, stop_server

    process, url = start_server(built_dist)
    yield url
    stop_server(process)


# ------------------------------------------------------------------ reading a page


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(
            " ".join(c if isinstance(c, str) else c.text for c in self.children).split()
        )

    def all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and (
                    cls is None or cls in child.attrs.get("class", "").split()
                ):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def by_id(self, wanted: str) -> Node:
        for node in self._walk():
            if node.attrs.get("id") == wanted:
                return node
        raise AssertionError(f"no element #{wanted}")

    def _walk(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child._walk()

    def hrefs(self) -> list[str]:
        return [a.attrs.get("href", "") for a in self.all("a")]

    def own_items(self) -> list[Node]:
        """The `li` children of this list."""
        return [c for c in self.children if isinstance(c, Node) and c.tag == "li"]


VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr", "area", "base", "col"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page(site: str, path: str, language: str = "en") -> tuple[Node, str]:
    joiner = "&" if "?" in path else "?"
    response = requests.get(f"{site}{path}{joiner}lang={language}", timeout=30)
    assert response.status_code == 200, (path, response.status_code)
    builder = _Builder()
    builder.feed(response.text)
    builder.close()
    return builder.root, response.text


def data_block(body: str, block_id: str) -> Any:
    match = re.search(
        rf'<script type="application/json" id="{block_id}">(.*?)</script>', body, re.DOTALL
    )
    assert match, f"no data block #{block_id}"
    return json.loads(match.group(1))


def timeline_items(root: Node) -> dict[str, Node]:
    """The timeline's list: event page path → its item."""
    root.by_id("timeline-title")
    lists = root.all("ol", "events")
    assert len(lists) == 1, "one list of events"
    items = {}
    for item in lists[0].own_items():
        href = item.all("a")[0].attrs["href"]
        items[href.split("/doc/", 1)[1].split("?")[0]] = item
    return items


def slugs(hrefs: list[str], kind: str) -> set[str]:
    return {h.split(f"/doc/{kind}/", 1)[1].split("?")[0] for h in hrefs if f"/doc/{kind}/" in h}


def founding_dates(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """What each source graph says of the founding's time: value → the sources' slugs."""
    rows = kg.select(
        PREFIXES
        + f"""
        SELECT ?graph ?value WHERE {{
          GRAPH ?graph {{
            {{ <{FOUNDING}> schema:startDate|schema:endDate ?value }}
            UNION {{ <{FOUNDING}> time:hasTime/time:hasDateTimeDescription/time:year ?value }}
          }}
          FILTER(STRSTARTS(STR(?graph), "{B}graph/source/"))
        }}"""
    )
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        found[row["value"]].add(row["graph"].rsplit("/", 1)[1])
    return found


# ------------------------------------------------------------------ pure pieces


@pytest.mark.parametrize(
    ("lexical", "datatype", "first", "after"),
    [
        ("2014", "gYear", "2014-01-01", "2015-01-01"),
        ("2022-10", "gYearMonth", "2022-10-01", "2022-11-01"),
        ("2022-12", "gYearMonth", "2022-12-01", "2023-01-01"),
        ("2014-04-29", "date", "2014-04-29", "2014-04-30"),
        ("2024-02-29", "date", "2024-02-29", "2024-03-01"),
        ("2014-04-29T10:00:00Z", "dateTime", "2014-04-29", "2014-04-30"),
    ],
)
def test_a_date_names_the_whole_period_of_its_precision(
    lexical: str, datatype: str, first: str, after: str
) -> None:
    assert period((lexical, XSD + datatype)) == (
        dt.date.fromisoformat(first),
        dt.date.fromisoformat(after),
    )


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("1391", "http://www.w3.org/2006/time#generalYear"),  # another calendar: never placed
        ("2014-13", XSD + "gYearMonth"),
        ("2023-02-30", XSD + "date"),
        ("-0044", XSD + "gYear"),
        ("2014", XSD + "string"),
    ],
)
def test_what_is_not_a_gregorian_date_the_drawing_can_place_has_no_period(
    lexical: str, datatype: str
) -> None:
    assert period((lexical, datatype)) is None


def test_each_graph_states_its_own_times_and_the_publisher_only_what_no_source_says() -> None:
    start, end, inside, has_time = (
        SCHEMA + "startDate",
        SCHEMA + "endDate",
        "http://www.w3.org/2006/time#inside",
        "http://www.w3.org/2006/time#hasTime",
    )
    day = XSD + "date"
    by_graph = {
        B + "graph/source/a": [(start, ("2014-04-28", day), ""), (end, ("2014-04-29", day), "")],
        B + "graph/source/b": [(start, ("2014", XSD + "gYear"), "")],
        B + "graph/source/c": [(start, ("2014", XSD + "gYear"), "")],
        B + "graph/source/d": [(has_time, ("1391", "generalYear"), SOLAR_HIJRI)],
        B + "graph/source/e": [(inside, ("2014-04-28", day), "")],
        # graph/data holds every value again, and one of the publisher's own
        B + "graph/data": [
            (start, ("2014-04-28", day), ""),
            (start, ("2014", XSD + "gYear"), ""),
            (end, ("2014-04-29", day), ""),
            (has_time, ("1391", "generalYear"), SOLAR_HIJRI),
            (start, ("2015", XSD + "gYear"), ""),
        ],
    }
    assert set(times_of(by_graph)) == {
        When("span", ("2014-04-28", day), ("2014-04-29", day), sources=(B + "id/source/a",)),
        When("span", ("2014", XSD + "gYear"), sources=(B + "id/source/b", B + "id/source/c")),
        When(
            "calendar", ("1391", "generalYear"), calendar=SOLAR_HIJRI, sources=(B + "id/source/d",)
        ),
        When("under-way", ("2014-04-28", day), sources=(B + "id/source/e",)),
        When("span", ("2015", XSD + "gYear"), sources=()),
    }


def test_two_starts_in_one_graph_are_kept_apart_not_paired() -> None:
    start, end = SCHEMA + "startDate", SCHEMA + "endDate"
    by_graph = {
        B + "graph/source/a": [
            (start, ("2014", XSD + "gYear"), ""),
            (start, ("2014-04-29", XSD + "date"), ""),
            (end, ("2014-04-30", XSD + "date"), ""),
        ]
    }
    kinds = {(w.start, w.end) for w in times_of(by_graph)}
    assert kinds == {
        (("2014", XSD + "gYear"), None),
        (("2014-04-29", XSD + "date"), None),
        (None, ("2014-04-30", XSD + "date")),
    }


def test_the_sources_of_graphs_are_the_source_graphs_only() -> None:
    assert picture_data.sources_of(
        [B + "graph/data", B + "graph/source/x", B + "graph/source/a", B + "graph/inferred"]
    ) == (B + "id/source/a", B + "id/source/x")


# ------------------------------------------------------------------ the timeline


def test_every_event_of_the_data_is_on_the_home_timeline(site: str, kg: KnowledgeGraph) -> None:
    events = {
        r["event"]
        for r in kg.select(
            PREFIXES + f"SELECT ?event WHERE {{ ?event a schema:Event . "
            f"GRAPH <{B}graph/data> {{ ?event a ?kind }} }}"
        )
    }
    root, body = page(site, "/")
    items = timeline_items(root)
    assert set(items) == {e.removeprefix(B + "id/") for e in events}
    drawn = data_block(body, "timeline-data")
    assert len(drawn) == len(events)
    assert {e["href"].split("/doc/", 1)[1].split("?")[0] for e in drawn} == set(items)


def test_the_founding_is_listed_with_every_date_the_sources_give_each_with_its_sources(
    site: str, kg: KnowledgeGraph
) -> None:
    """Four sources, three dates: 2014 (the document, Business Recorder), 29 April 2014 (OICOA's
    home page), the Solar Hijri year 1391 (ru24.pro); none chosen, none converted."""
    said = founding_dates(kg)
    assert said == {
        "2014": {"cooperation-document", "brecorder-40267307"},
        "2014-04-29": {"oicoa-home-page"},
        "1391": {"ru24-403455932"},
    }, "the data changed: update this test's expectations"
    root, _ = page(site, "/")
    item = timeline_items(root)["event/oicoa-founding"]
    times = {t.text.split(" · ")[0]: slugs(t.hrefs(), "source") for t in item.all("li")}
    assert times == {
        "2014": said["2014"],
        "April 29, 2014": said["2014-04-29"],
        "1391 (Solar Hijri calendar) (not placed on the Gregorian axis)": said["1391"],
    }
    event_sources = slugs(item.all("p", "note")[-1].hrefs(), "source")
    assert set().union(*said.values()) <= event_sources


def test_the_drawing_places_each_date_at_its_precision_and_the_other_calendar_nowhere(
    site: str,
) -> None:
    _, body = page(site, "/")
    drawn = {e["label"]: e for e in data_block(body, "timeline-data")}
    founding = {t["text"]: t for t in drawn["Founding of the OICOA"]["times"]}
    assert (founding["2014"]["start"], founding["2014"]["end"]) == ("2014-01-01", "2015-01-01")
    day = founding["April 29, 2014"]
    assert (day["start"], day["end"], day["precision"]) == ("2014-04-29", "2014-04-30", "day")
    other = founding["1391 (Solar Hijri calendar)"]
    assert (other["kind"], other["start"], other["end"]) == ("calendar", "", "")
    assembly = drawn["OICOA General Assembly, October 2022"]["times"]
    assert [(t["start"], t["end"], t["precision"]) for t in assembly] == [
        ("2022-10-01", "2022-11-01", "month")
    ]
    for event in drawn.values():
        for time in event["times"]:
            assert time["sources"] or time["kind"] != "calendar", event["label"]
            if time["kind"] == "calendar":
                assert not time["start"] and not time["end"], event["label"]
            elif time["precision"] == "year":
                assert time["start"].endswith("-01-01") and time["end"].endswith("-01-01")
            elif time["precision"] == "month":
                assert time["start"].endswith("-01") and time["end"].endswith("-01")


def test_in_azerbaijani_the_dates_and_the_other_calendar_read_as_the_language_writes_them(
    site: str,
) -> None:
    root, body = page(site, "/", "az")
    item = timeline_items(root)["event/oicoa-founding"]
    texts = [t.text for t in item.all("li")]
    assert any(t.startswith("29 aprel 2014 ") for t in texts), texts
    assert any(t.startswith("1391 (Şəmsi hicri təqvimi)") for t in texts), texts
    drawn = {
        e["href"].split("/doc/")[1].split("?")[0]: e for e in data_block(body, "timeline-data")
    }
    assert drawn["event/oicoa-founding"]["label"] == "İƏT-OA-nın təsisi"
    assembly = drawn["event/oicoa-general-assembly-2022"]["times"]
    assert [t["text"] for t in assembly] == ["oktyabr 2022"]
    assert 'data-months="yan,fev,mar,apr,may,iyn,iyl,avq,sen,okt,noy,dek"' in body


def test_an_organization_page_lists_the_events_it_takes_part_in_and_how(
    site: str, kg: KnowledgeGraph
) -> None:
    root, _ = page(site, "/doc/organization/oicoa")
    items = timeline_items(root)
    founding = items["event/oicoa-founding"].text
    assert "resulted from this event" in founding
    assembly = items["event/oicoa-general-assembly-2022"]
    assert "session of" in assembly.text
    assert "unit/oicoa-general-assembly" in " ".join(assembly.all("p", "roles")[0].hrefs())
    sessions = {
        r["event"].removeprefix(B + "id/")
        for r in kg.select(
            PREFIXES
            + f"SELECT ?event WHERE {{ GRAPH <{B}graph/data> {{ ?event okg:sessionOf ?unit }} "
            f"?unit org:unitOf <{B}id/organization/oicoa> }}"
        )
    }
    assert sessions and sessions <= set(items)


def test_a_person_page_lists_the_events_the_data_links_to_them(
    site: str, kg: KnowledgeGraph
) -> None:
    person = B + "id/person/sabina-aliyeva"
    linked = {
        r["event"].removeprefix(B + "id/")
        for r in kg.select(
            PREFIXES + f"SELECT ?event WHERE {{ ?event a schema:Event . "
            f"GRAPH <{B}graph/data> {{ ?event ?p <{person}> }} }}"
        )
    }
    root, _ = page(site, "/doc/person/sabina-aliyeva")
    items = timeline_items(root)
    assert linked and linked <= set(items)
    assert "attendee" in items["event/oicoa-board-meetings"].text
    assert "event/oicoa-founding" not in items, "she takes no part in the founding"


def test_a_page_that_draws_nothing_carries_no_picture_and_no_script(site: str) -> None:
    for path in ("/doc/event/oicoa-founding", "/doc/post/azerbaijan-ombudsman", "/dumps/"):
        _, body = page(site, path)
        assert 'id="timeline"' not in body and 'id="org-graph"' not in body, path
        assert "/static/build/draw.js" not in body and "visuals.css" not in body, path


# ------------------------------------------------------------------ the organization graph


def test_the_oicoa_graph_has_its_organs_posts_and_one_row_per_attested_holding(
    site: str, kg: KnowledgeGraph
) -> None:
    oicoa = B + "id/organization/oicoa"
    organs = {
        r["unit"].removeprefix(B + "id/unit/")
        for r in kg.select(PREFIXES + f"SELECT ?unit WHERE {{ ?unit org:unitOf <{oicoa}> }}")
    }
    assert {"oicoa-secretariat", "oicoa-board-of-directors", "oicoa-general-assembly"} <= organs
    root, body = page(site, "/doc/organization/oicoa")
    table = root.all("table", "org-graph")
    assert len(table) == 1
    rows = table[0].all("tr")[1:]
    first_cells = [slugs(r.all("td")[0].hrefs(), "unit") for r in rows]
    assert organs <= set().union(*first_cells)
    nodes = data_block(body, "org-graph-data")["nodes"]
    assert {
        n["id"].removeprefix(B + "id/unit/") for n in nodes if n["category"] == "unit"
    } == organs
    # every membership of Şeref Malkoç in the OICOA is a row of its own, with its date and source
    held = kg.select(
        PREFIXES
        + f"""SELECT ?membership ?graph ?date WHERE {{
          GRAPH ?graph {{ ?membership org:member <{B}id/person/seref-malkoc> ;
                                      org:organization <{oicoa}> .
            OPTIONAL {{ ?membership org:memberDuring/time:inside/time:inXSDDate ?date }} }}
          FILTER(STRSTARTS(STR(?graph), "{B}graph/source/")) }}"""
    )
    assert len(held) >= 7
    shown = {}
    for row in rows:
        cells = row.all("td")
        membership = slugs(cells[2].hrefs(), "membership")
        if membership:
            shown[membership.pop()] = (cells[3].text, slugs(cells[4].hrefs(), "source"))
    for holding in held:
        when, sources = shown[holding["membership"].removeprefix(B + "id/membership/")]
        assert sources == {holding["graph"].rsplit("/", 1)[1]}
        if "date" in holding:
            day = dt.date.fromisoformat(holding["date"])
            assert when.startswith(f"{day:%B} {day.day}, {day.year}"), (when, holding)
        else:
            assert when.startswith("no date given")


def test_an_organization_without_organs_posts_or_memberships_draws_no_graph(site: str) -> None:
    _, body = page(site, "/doc/organization/european-union")
    assert 'id="org-graph"' not in body


# ------------------------------------------------------------------ /countries


def countries_of(kg: KnowledgeGraph, language: str = "en") -> dict[str, tuple[str, str]]:
    rows = kg.select(
        PREFIXES
        + f"""SELECT ?country ?numeric ?label WHERE {{
          GRAPH <{B}graph/data> {{ ?country a schema:Country }}
          ?country okg:iso3166Numeric ?numeric ; rdfs:label ?label
          FILTER(lang(?label) = "{language}") }}"""
    )
    return {r["country"].removeprefix(B + "id/place/"): (r["numeric"], r["label"]) for r in rows}


def country_rows(root: Node) -> dict[str, Node]:
    table = root.all("table", "countries")
    assert len(table) == 1
    rows = {}
    for row in table[0].all("tr")[1:]:
        rows[slugs(row.all("td")[0].hrefs(), "place").pop()] = row
    return rows


def test_the_countries_table_and_map_hold_every_country_of_the_data(
    site: str, kg: KnowledgeGraph
) -> None:
    countries = countries_of(kg)
    assert {"azerbaijan", "bahrain", "pakistan", "turkiye", "togo"} <= set(countries)
    root, body = page(site, "/countries")
    rows = country_rows(root)
    assert set(rows) == set(countries)
    for slug, (numeric, label) in countries.items():
        assert rows[slug].all("td")[0].text == label
        assert numeric in rows[slug].all("td")[1].text
    drawn = data_block(body, "map-data")
    assert {c["id"] for c in drawn} == {numeric for numeric, _ in countries.values()}
    assert 'data-atlas="/static/build/countries-50m.json"' in body
    assert "/static/build/map.js" in body and "/static/build/draw.js" not in body


def test_each_country_has_its_roles_with_the_sources_that_state_them(
    site: str, kg: KnowledgeGraph
) -> None:
    root, _ = page(site, "/countries")
    rows = country_rows(root)
    bahrain = {li.text: slugs(li.hrefs(), "source") for li in rows["bahrain"].all("li")}
    seats = [t for t in bahrain if t.startswith("Seat on an organ: OICOA Board of Directors")]
    assert seats, bahrain
    assert set().union(*(bahrain[t] for t in seats)) == {
        "ru24-403455932",
        "oicoa-10th-board-meeting",
        "amp-uemoa-togo-new-member",
    }
    azerbaijan = " ".join(li.text for li in rows["azerbaijan"].all("li"))
    assert "Represented at a meeting: OICOA General Assembly, October 2022" in azerbaijan
    # the list of the Steering Committee's members is the data's, each with its sources
    members = {
        r["country"].removeprefix(B + "id/place/")
        for r in kg.select(
            PREFIXES + f"SELECT ?country WHERE {{ <{B}id/unit/oicoa-steering-committee> "
            "okg:memberCountry ?country }"
        )
    }
    assert len(members) == 9
    heading = root.by_id("role-member-country")
    section = root.all("section", "countries-roles")[0]
    lists = section.all("ul")
    position = [
        i
        for i, child in enumerate(c for c in section.children if isinstance(c, Node))
        if child is heading
    ][0]
    following = [c for c in section.children if isinstance(c, Node)][position + 1]
    assert following in lists
    assert slugs([li.all("a")[0].attrs["href"] for li in following.own_items()], "place") == members
    for item in following.own_items():
        assert slugs(item.hrefs(), "source"), item.text


def test_the_countries_page_reads_in_azerbaijani(site: str, kg: KnowledgeGraph) -> None:
    countries = countries_of(kg, "az")
    root, body = page(site, "/countries", "az")
    rows = country_rows(root)
    assert rows["azerbaijan"].all("td")[0].text == countries["azerbaijan"][1] == "Azərbaycan"
    assert {c["label"] for c in data_block(body, "map-data")} == {
        label for _, label in countries.values()
    }
    assert '<html lang="az">' in body


# ------------------------------------------------------------------ over a remote store


def test_the_pictures_are_the_same_over_a_remote_sparql_store(
    site: str, built_dist: Path, oxigraph_endpoint: str
) -> None:
    """The queries are plain SPARQL 1.1 with GRAPH: a remote store (issue 4) gives the same."""
    from conftest import start_server, stop_server

    process, remote = start_server(
        built_dist, "--store", "sparql:" + oxigraph_endpoint, env={"OKG_QUERY_TIMEOUT_S": "10"}
    )
    try:
        for path, block in (
            ("/", "timeline-data"),
            ("/doc/organization/oicoa", "timeline-data"),
            ("/doc/organization/oicoa", "org-graph-data"),
            ("/doc/person/sabina-aliyeva", "timeline-data"),
            ("/countries", "map-data"),
        ):
            for language in ("en", "az"):
                ours = data_block(page(site, path, language)[1], block)
                theirs = data_block(page(remote, path, language)[1], block)
                assert json.loads(json.dumps(theirs).replace(remote, site)) == ours, (path, block)
    finally:
        stop_server(process)
