"""Every saved query in queries/ gives the source's answer to its question.

The expected answers are data here, keyed by file name, so that a query added without one fails
(`test_every_query_has_an_expected_answer`) instead of running unchecked. Rows are compared on the
listed columns only, as plain strings (IRIs and lexical forms, as `kg.select` gives them); None
stands for a variable the query leaves unbound, which is how a silence of the source shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"
ID = "https://w3id.org/ombudsman-kg/id/"
WD = "http://www.wikidata.org/entity/"

DOCUMENT_EN = (
    "Cooperation between the institution of the Commissioner for Human Rights (Ombudsman) of the "
    "Republic of Azerbaijan and the Ombudsmen Association of the Organisation of Islamic "
    "Cooperation (OICOA)"
)
OICOA = "Ombudsmen Association of the Organisation of Islamic Cooperation"
INSTITUTION = (
    "Institution of the Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan"
)
OMBUDSMAN_POST = "Commissioner for Human Rights (Ombudsman) of the Republic of Azerbaijan"
PAKISTANI_OFFICE = "Office of the Federal Tax Ombudsman of Pakistan"
MISSIONS = "Fact-finding missions of 2020 and 2021"
SEMINAR = "Online training seminar for the ombudsman institutions of the member states"
MEMBER_STATES = "ombudsman institutions of the member states"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"

CONDUCT_AZ = (
    "İƏT-OA-nın İdarə Heyətinin üzvü qismində Ombudsman Səbinə Əliyeva Assosiasiyanın Baş "
    "Assambleyalarında, İdarə Heyətinin iclaslarında və digər beynəlxalq tədbirlərdə iştirak "
    "edərək, insan hüquqlarının müdafiəsi, əhalinin həssas qruplarının və qadınların hüquqları, "
    "habelə regional əməkdaşlıq məsələləri üzrə Azərbaycanın mövqeyini təqdim etmişdir."
)
CONDUCT_EN = (
    "As a member of the İƏT-OA Board of Directors, Ombudsman Sabina Aliyeva has taken part in the "
    "Association's General Assemblies, in meetings of the Board of Directors and in other "
    "international events. There she has presented Azerbaijan's position on the protection of "
    "human rights, on the rights of vulnerable groups of the population and of women, and on "
    "questions of regional cooperation."
)
MISSION_AIM_AZ = (
    "Ermənistanın Azərbaycana qarşı törətdiyi müharibə cinayətlərini, mədəni irsin dağıdılmasını "
    "və ekoloji terror faktlarını yerində araşdırmaq məqsədilə"
)
MISSION_AIM_EN = (
    "Their aim was to investigate on the spot the war crimes that Armenia committed against "
    "Azerbaijan, the destruction of cultural heritage, and facts of environmental [ecological] "
    "terror."
)
SEMINAR_AIM_EN = (
    "The aim of the seminar was to increase knowledge and skills in the effective protection of "
    "human rights, and also to strengthen the exchange of experience."
)


@dataclass(frozen=True)
class Expected:
    """What a query must return, projected on `columns`.

    `rows`: exactly these rows (as a multiset: a duplicated row is a wrong answer);
    `includes`: at least these rows; `count`: exactly this many rows.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...] | None = None
    includes: tuple[tuple[str | None, ...], ...] = field(default_factory=tuple)
    count: int | None = None


EXPECTED: dict[str, Expected] = {
    "founding.rq": Expected(
        ("founding", "year", "city", "country"),
        rows=(("Founding of the OICOA", "2014", "Islamabad", "Pakistan"),),
    ),
    "secretariat-host.rq": Expected(
        ("unit", "host", "hostAz", "country"),
        rows=(
            (
                "OICOA Secretariat",
                PAKISTANI_OFFICE,
                "Pakistanın Federal Vergi Ombudsmanının Ofisi",
                "Pakistan",
            ),
        ),
    ),
    "objectives.rq": Expected(
        ("objective", "onAboutPage"),
        rows=(
            (
                "to strengthen cooperation between the ombudsmen and national human rights "
                "institutions (NHRIs) of the member countries",
                "false",
            ),
            (
                "to encourage the exchange of experience between the ombudsman institutions of "
                "the member states",
                "true",
            ),
            ("to support joint activities", "true"),
            (
                "to strengthen institutional capacity in the field of human rights protection",
                "true",
            ),
            ("to develop cooperation within the framework of the OIC", "true"),
        ),
    ),
    "azerbaijan-ombudsman-seats.rq": Expected(
        ("body", "role", "since"),
        rows=(
            (OICOA, "member", None),
            ("OICOA Board of Directors", "represented on an organ", None),
            ("OICOA Sub-Committee on Women's Rights", "represented on an organ", None),
        ),
    ),
    "board-members.rq": Expected(
        ("person", "personAz", "role", "post"),
        rows=(
            (
                "Sabina Aliyeva",
                "Səbinə Əliyeva",
                "member of the Board of Directors",
                OMBUDSMAN_POST,
            ),
        ),
    ),
    "board-conduct.rq": Expected(
        ("textAz", "textEn", "source"),
        rows=((CONDUCT_AZ, CONDUCT_EN, DOCUMENT_EN),),
    ),
    "general-assembly-2022.rq": Expected(
        ("date", "place", "initiator", "country", "iso2"),
        rows=tuple(
            ("2022-10", "Azerbaijan", OMBUDSMAN_POST, country, code)
            for country, code in (
                ("Azerbaijan", "AZ"),
                ("Türkiye", "TR"),
                ("Pakistan", "PK"),
                ("Morocco", "MA"),
                ("Iran", "IR"),
                ("Indonesia", "ID"),
            )
        ),
    ),
    "fact-finding-missions.rq": Expected(
        ("from", "to", "invitedBy", "ledBy", "holder"),
        rows=(
            ("2020", "2021", "Sabina Aliyeva", "President of the OICOA", None),
            ("2020", "2021", "Sabina Aliyeva", "Adviser to the Secretary General", None),
        ),
    ),
    "mission-aim.rq": Expected(
        ("textAz", "textEn", "source"),
        rows=((MISSION_AIM_AZ, MISSION_AIM_EN, DOCUMENT_EN),),
    ),
    "mission-reports.rq": Expected(
        ("report", "basedOn", "submittedTo"),
        rows=(
            (
                "Reports on the results of the fact-finding missions",
                MISSIONS,
                "international organisations (to which the mission reports were submitted)",
            ),
        ),
    ),
    "online-seminar.rq": Expected(
        ("organizer", "audience", "mode", "aim", "date"),
        rows=(
            (INSTITUTION, MEMBER_STATES, ONLINE, SEMINAR_AIM_EN, None),
            (OICOA, MEMBER_STATES, ONLINE, SEMINAR_AIM_EN, None),
        ),
    ),
    "sources.rq": Expected(
        ("kind", "url", "language", "citedBy"),
        rows=(
            ("https://schema.org/DigitalDocument", None, "az", None),
            (
                "https://schema.org/WebPage",
                "https://oicoa.org/about.html",
                None,
                "000_e879f1925df36061",
            ),
            (
                "https://schema.org/WebPage",
                "https://ombudsman.az/az/news/465",
                "az",
                "000_e879f1925df36061",
            ),
        ),
    ),
    "things-by-source.rq": Expected(
        ("source", "things"),
        rows=(
            (ID + "source/cooperation-document", "54"),
            (ID + "source/ombudsman-az-news-465", "8"),
            (ID + "source/oicoa-about-page", "5"),
        ),
    ),
    "things-and-their-sources.rq": Expected(
        ("thing", "sourceCount"),
        includes=(
            (ID + "organization/oicoa", "2"),
            (ID + "purpose/exchange-of-experience", "2"),
            (ID + "purpose/joint-activities", "2"),
            (ID + "purpose/institutional-capacity", "2"),
            (ID + "purpose/cooperation-within-oic", "2"),
            (ID + "purpose/strengthen-cooperation-between-ombudsmen-and-nhris", "1"),
            (ID + "event/oicoa-general-assembly-2022", "2"),
            (ID + "post/azerbaijan-ombudsman", "2"),
            (ID + "place/azerbaijan", "2"),
            (ID + "place/turkiye", "2"),
            (ID + "place/pakistan", "2"),
            (ID + "place/morocco", "2"),
            (ID + "place/iran", "2"),
            (ID + "place/indonesia", "2"),
            (ID + "place/armenia", "1"),
            (ID + "person/sabina-aliyeva", "1"),
        ),
        count=54,
    ),
    "wikidata-links.rq": Expected(
        ("label", "wikidata"),
        rows=(
            ("Azerbaijan", WD + "Q227"),
            ("Pakistan", WD + "Q843"),
            ("Türkiye", WD + "Q43"),
            ("Morocco", WD + "Q1028"),
            ("Iran", WD + "Q794"),
            ("Indonesia", WD + "Q252"),
            ("Armenia", WD + "Q399"),
            ("Islamabad", WD + "Q1362"),
            ("Organisation of Islamic Cooperation", WD + "Q47543"),
        ),
    ),
    "events-by-year.rq": Expected(
        ("year", "events"),
        rows=(("2014", "2"), ("2020", "1"), ("2021", "1"), ("2022", "1")),
    ),
    "posts-without-holder.rq": Expected(
        ("post", "organization"),
        rows=(
            ("Federal Tax Ombudsman of Pakistan", PAKISTANI_OFFICE),
            ("President of the OICOA", OICOA),
            ("Secretary General", None),
            ("Adviser to the Secretary General", None),
        ),
    ),
    "oicoa-organs.rq": Expected(
        ("organ", "organAz", "hostedBy"),
        rows=(
            ("OICOA Secretariat", "İƏT-OA-nın Katibliyi", PAKISTANI_OFFICE),
            ("OICOA Board of Directors", "İdarə Heyəti", None),
            ("OICOA General Assembly", "Baş Assambleya", None),
            ("OICOA Sub-Committee on Women's Rights", "Qadın Hüquqları üzrə Alt Komitə", None),
        ),
    ),
    "source-accounts.rq": Expected(
        ("kind", "about", "accordingTo"),
        rows=(
            ("motive account", "Founding of the OICOA", DOCUMENT_EN),
            ("conduct account", "Sabina Aliyeva", DOCUMENT_EN),
            ("aim account", SEMINAR, DOCUMENT_EN),
            ("aim account", MISSIONS, DOCUMENT_EN),
        ),
    ),
    "source-silences.rq": Expected(
        ("thing",),
        includes=tuple(
            (ID + thing,)
            for thing in (
                "event/oicoa-general-assembly-2022",
                "event/oicoa-founding",
                "event/oicoa-founding-conference",
                "event/online-training-seminar",
                "event/fact-finding-missions",
                "post/oicoa-president",
                "post/secretary-general",
                "post/adviser-to-the-secretary-general",
                "post/pakistan-federal-tax-ombudsman",
                "membership/azerbaijan-ombudsman-in-oicoa",
                "membership/azerbaijan-ombudsman-on-oicoa-board",
                "membership/sabina-aliyeva-on-oicoa-board",
                "membership/azerbaijan-ombudsman-on-womens-rights-sub-committee",
                "report/fact-finding-mission-reports",
                "group/international-organizations",
                "account/fact-finding-missions-aim",
                "source/oicoa-about-page",
                "source/ombudsman-az-news-465",
            )
        ),
        count=46,
    ),
}

QUERY_FILES = sorted(path.name for path in QUERY_DIR.glob("*.rq"))


def test_every_query_has_an_expected_answer() -> None:
    """A saved query without an expected answer here would never be checked."""
    assert QUERY_FILES, "no saved queries in queries/"
    assert [name for name in QUERY_FILES if name not in EXPECTED] == []


def test_every_expected_answer_has_its_query() -> None:
    assert [name for name in EXPECTED if name not in QUERY_FILES] == []


@pytest.mark.parametrize("name", QUERY_FILES)
def test_query_states_its_question_and_expected_answer(name: str) -> None:
    lines = (QUERY_DIR / name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Question: ")
    assert any(line.startswith("# Expected: ") for line in lines[1:])


@pytest.mark.parametrize("name", QUERY_FILES)
def test_query_gives_the_sources_answer(kg, name: str) -> None:
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name} has no expected answer in tests/test_queries.py"
    text = (QUERY_DIR / name).read_text(encoding="utf-8")
    got = [tuple(row.get(column) for column in expected.columns) for row in kg.select(text)]
    if expected.rows is not None:
        assert Counter(got) == Counter(expected.rows)
    missing = [row for row in expected.includes if row not in got]
    assert missing == []
    if expected.count is not None:
        assert len(got) == expected.count
