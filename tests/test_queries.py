"""Every saved query in queries/ gives the source's answer to its question.

The expected answers are data here, keyed by file name, so that a query added without one fails
(`test_every_query_has_an_expected_answer`) instead of running unchecked. Rows are compared on the
listed columns only, as plain strings (IRIs and lexical forms); None stands for a variable the
query leaves unbound, which is how a silence of the source shows.

The queries run as `/sparql` runs them (SPEC §7): the default graph is exactly `graph/data`,
`graph/ontology` and `graph/inferred`, and every named graph, source graphs included, is there for
`GRAPH`. A query about what one source says reads that source's graph; a query about what all
sources say reads the default graph, where each triple is once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"
B = "https://w3id.org/ombudsman-kg/"
ID = B + "id/"
OKG = B + "ontology#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TIME = "http://www.w3.org/2006/time#"
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
    `includes`: at least these rows; `count`: exactly this many rows. `sets`: columns whose value
    is a space-separated list (a GROUP_CONCAT), compared as a sorted list, since SPARQL leaves the
    order inside a group open.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...] | None = None
    includes: tuple[tuple[str | None, ...], ...] = field(default_factory=tuple)
    count: int | None = None
    sets: tuple[str, ...] = ()


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _disagreement_rows() -> tuple[tuple[str | None, ...], ...]:
    """Every side of every disagreement (data/*.trig, the publisher's blocks "Disagreements"):
    (disagreement, kind, about, property, side, value, sources); the side's slug is the
    disagreement's plus the side's suffix."""
    conference = ID + "event/oicoa-founding-conference"
    missions = ID + "event/fact-finding-missions"
    seed_reports = ID + "report/fact-finding-mission-reports"
    karabakh = ID + "report/karabakh-human-rights-report"
    start, has_time = SCHEMA + "startDate", TIME + "hasTime"
    table = (
        (
            "asif-mahmood-jah-secretary-general-election",
            "precision",
            "membership/asif-mahmood-jah-secretary-general-brecorder-40267307 "
            "membership/asif-mahmood-jah-secretary-general-daily-times-1143630",
            OKG + "attainedBy",
            (
                ("elected", OKG + "election", "brecorder-40267307"),
                ("re-elected", OKG + "reElection", "daily-times-1143630"),
            ),
        ),
        (
            "fact-finding-visit-identity",
            "identity",
            "event/fact-finding-missions event/fact-finding-visit-modern-az-307708",
            None,
            (
                ("seed", missions, "cooperation-document"),
                ("visit", ID + "event/fact-finding-visit-modern-az-307708", "modern-az-307708"),
            ),
        ),
        (
            "ganja-mission-identity",
            "identity",
            "event/fact-finding-missions event/ganja-fact-finding-mission-ombudsman-az-news-1078",
            None,
            (
                ("seed", missions, "cooperation-document"),
                (
                    "ganja",
                    ID + "event/ganja-fact-finding-mission-ombudsman-az-news-1078",
                    "ombudsman-az-news-1078",
                ),
            ),
        ),
        (
            "karabakh-report-identity",
            "identity",
            "report/fact-finding-mission-reports report/karabakh-human-rights-report",
            None,
            (
                ("seed", seed_reports, "cooperation-document"),
                ("karabakh", karabakh, "kdk-annual-report-2022-page-553 memur5-29635"),
            ),
        ),
        (
            "karabakh-report-presentation-identity",
            "identity",
            "event/karabakh-report-presentation-kdk-annual-report-2022-page-553 "
            "event/karabakh-report-press-conference-memur5-29635",
            None,
            (
                (
                    "kdk",
                    ID + "event/karabakh-report-presentation-kdk-annual-report-2022-page-553",
                    "kdk-annual-report-2022-page-553",
                ),
                (
                    "memur5",
                    ID + "event/karabakh-report-press-conference-memur5-29635",
                    "memur5-29635",
                ),
            ),
        ),
        (
            "oic-cfm-39th-session-date",
            "precision",
            "event/oic-cfm-39th-session",
            start,
            (
                ("2012", "2012", "brecorder-40267307"),
                ("2012-11-15", "2012-11-15", "oicoa-aboutus-aspx"),
            ),
        ),
        (
            "oicoa-first-session-founding-conference-identity",
            "identity",
            "event/oicoa-first-session-ru24-403455932 event/oicoa-founding-conference",
            None,
            (
                (
                    "first-session",
                    ID + "event/oicoa-first-session-ru24-403455932",
                    "ru24-403455932",
                ),
                (
                    "founding-conference",
                    conference,
                    "cooperation-document ioi-islamabad-meeting-2014 oicoa-aboutus-aspx",
                ),
            ),
        ),
        (
            "oicoa-founding-conference-date",
            "precision",
            "event/oicoa-founding-conference",
            start,
            (
                ("2014", "2014", "cooperation-document"),
                ("2014-04-28", "2014-04-28", "ioi-islamabad-meeting-2014 oicoa-aboutus-aspx"),
            ),
        ),
        (
            "oicoa-founding-date",
            "precision",
            "event/oicoa-founding",
            start,
            (
                ("2014", "2014", "brecorder-40267307 cooperation-document"),
                ("2014-04-29", "2014-04-29", "oicoa-home-page"),
            ),
        ),
        (
            "oicoa-general-assembly-2022-board-meeting-in-baku-identity",
            "identity",
            "event/oicoa-board-meeting-in-baku-daily-times-1143630"
            " event/oicoa-general-assembly-2022",
            None,
            (
                (
                    "board-meeting",
                    ID + "event/oicoa-board-meeting-in-baku-daily-times-1143630",
                    "daily-times-1143630",
                ),
                (
                    "general-assembly",
                    ID + "event/oicoa-general-assembly-2022",
                    "cooperation-document ombudsman-az-news-465",
                ),
            ),
        ),
        (
            "oicoa-general-assembly-3-date",
            "precision",
            "event/oicoa-general-assembly-3",
            None,
            (
                ("1402-sh", ID + "time/1402-sh", "ru24-403455932", has_time),
                ("2023-10-05", "2023-10-05", "amp-uemoa-togo-new-member", start),
            ),
        ),
        (
            "oicoa-founding-year-1391-sh",
            "substance",
            "event/oicoa-founding",
            start,
            (
                ("1391-sh", ID + "time/1391-sh", "ru24-403455932", has_time),
                ("2014", "2014", "brecorder-40267307 cooperation-document"),
                ("2014-04-29", "2014-04-29", "oicoa-home-page"),
            ),
        ),
        (
            "karabakh-report-attribution",
            "substance",
            "report/karabakh-human-rights-report",
            None,
            (
                (
                    "kdk",
                    ID + "organization/kdk",
                    "kdk-annual-report-2022-page-553 memur5-29635",
                    SCHEMA + "author",
                ),
                ("oicoa", ID + "organization/oicoa", "memur5-29635", OKG + "onBehalfOf"),
            ),
        ),
        (
            "training-seminar-identity",
            "identity",
            "event/online-training-seminar event/training-seminar-ombudsman-az-news-976",
            None,
            (
                (
                    "february-2021",
                    ID + "event/training-seminar-ombudsman-az-news-976",
                    "ombudsman-az-news-976",
                ),
                ("seed", ID + "event/online-training-seminar", "cooperation-document"),
            ),
        ),
    )
    rows = []
    for slug, kind, about, prop, sides in table:
        for side in sides:
            suffix, value, sources, *own = side
            rows.append(
                (
                    ID + "disagreement/" + slug,
                    OKG + kind,
                    " ".join(sorted(ID + thing for thing in about.split())),
                    own[0] if own else prop,
                    ID + "disagreement/" + slug + "-" + suffix,
                    value,
                    " ".join(sorted(ID + "source/" + s for s in sources.split())),
                )
            )
    return tuple(rows)


DISAGREEMENT_ROWS = _disagreement_rows()


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
            (SCHEMA + "DigitalDocument", None, "az", None),
            (SCHEMA + "WebPage", "https://oicoa.org/about.html", None, "000_e879f1925df36061"),
            (SCHEMA + "WebPage", "https://ombudsman.az/az/news/465", "az", "000_e879f1925df36061"),
            (SCHEMA + "WebPage", "http://oicoa.org/", "en", None),
            (SCHEMA + "WebPage", "http://oicoa.org/aboutus.aspx", "en", None),
            (
                SCHEMA + "WebPage",
                "https://oicoa.org/the-10th-oicoa-board-meeting-a-milestone-in-the-fight-for-"
                "global-justice-and-human-rights",
                "en",
                None,
            ),
            (SCHEMA + "WebPage", "https://ombudsman.az/en/news/1078", "en", None),
            (SCHEMA + "WebPage", "https://ombudsman.az/en/news/976", "en", None),
            (
                SCHEMA + "NewsArticle",
                "https://amp-uemoa.org/index.php/component/content/article/16-actualites/"
                "echos-du-togo/80-le-mediateur-de-la-republique-togolaise-nouveau-membre-de-l-oicoa"
                "?Itemid=101",
                "fr",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://dailytimes.com.pk/1143630/dr-asif-jah-re-elected-secretary-general-of-"
                "oic-ombudsmen-association/",
                "en",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://ednews.net/en/news/country/682783-azerbaijani-ombudsperson-urges-human-"
                "rights",
                "en",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://memur5.com/kdk-nin-olusturdugu--karabag-insan-haklari-inceleme-raporu--"
                "paylasildi/29635",
                "tr",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://modern.az/aktual/307708/ombudsmanlar-susada-seferdediler/",
                "az",
                None,
            ),
            (
                SCHEMA + "Report",
                "https://paylasim.ombudsman.gov.tr/dokuman/documentuploads/2022-yillik-rapor-web/"
                "files/basic-html/page553.html",
                "tr",
                None,
            ),
            (SCHEMA + "NewsArticle", "https://ru24.pro/foreign/403455932", "fa", None),
            (
                SCHEMA + "NewsArticle",
                "https://theioi.org/ioi-news/current-news/organisation-of-islamic-countries-held-"
                "ombudsman-meeting",
                "en",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://www.app.com.pk/national/fauzia-viqar-appointed-as-inaugural-chair-of-"
                "oicoa-sub-committee/",
                "en",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://www.brecorder.com/news/40267307/fto-dr-asif-elected-secretary-general-of-"
                "oicoa",
                "en",
                None,
            ),
            (
                SCHEMA + "NewsArticle",
                "https://www.thenews.com.pk/print/896434-dr-asif-mahmood-jah-appointed-federal-"
                "tax-ombudsman",
                "en",
                None,
            ),
        ),
    ),
    "things-by-source.rq": Expected(
        ("source", "things"),
        # The things a source's graph describes (its subjects), the disagreements and sides that
        # name the source, and what only the publisher's description of the source names (its
        # publisher or author). The document's 72: the seed's 54 and 18 disagreement resources.
        rows=(
            (ID + "source/cooperation-document", "72"),
            (ID + "source/app-fauzia-viqar-chair", "42"),
            (ID + "source/oicoa-10th-board-meeting", "40"),
            (ID + "source/ru24-403455932", "37"),
            (ID + "source/daily-times-1143630", "37"),
            (ID + "source/brecorder-40267307", "36"),
            (ID + "source/ioi-islamabad-meeting-2014", "33"),
            (ID + "source/amp-uemoa-togo-new-member", "30"),
            (ID + "source/oicoa-aboutus-aspx", "28"),
            (ID + "source/modern-az-307708", "24"),
            (ID + "source/memur5-29635", "19"),
            (ID + "source/ombudsman-az-news-1078", "17"),
            (ID + "source/ombudsman-az-news-976", "17"),
            (ID + "source/oicoa-home-page", "16"),
            (ID + "source/kdk-annual-report-2022-page-553", "14"),
            (ID + "source/ombudsman-az-news-465", "10"),
            (ID + "source/ednews-682783", "9"),
            (ID + "source/thenews-896434", "8"),
            (ID + "source/oicoa-about-page", "5"),
        ),
    ),
    "things-and-their-sources.rq": Expected(
        ("thing", "sourceCount"),
        includes=(
            (ID + "organization/oicoa", "8"),
            (ID + "event/oicoa-founding", "6"),
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
            (ID + "person/sabina-aliyeva", "7"),
        ),
        count=331,
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
            # shared/sources/more-sources.md, "New Wikidata identifiers"
            ("Togo", WD + "Q945"),
            ("Bahrain", WD + "Q398"),
            ("Tehran", WD + "Q3616"),
            ("Istanbul", WD + "Q406"),
        ),
    ),
    "events-by-year.rq": Expected(
        ("year", "events"),
        rows=(
            ("2011", "1"),  # the Forum of Pakistan Ombudsman set up (S04)
            ("2012", "1"),  # the 39th CFM session (S01, S26)
            ("2014", "2"),  # the founding and its conference (the document, S01, S02, S04, S26)
            ("2020", "1"),  # the fact-finding missions, 2020-2021 (the document)
            ("2021", "3"),  # the missions' end, the February seminar (S17), Shusha (S19)
            ("2022", "2"),  # the October General Assembly; the Karabakh report shown (S36)
            ("2023", "2"),  # the 9th Board meeting (S25), the third General Assembly (S28)
            ("2024", "1"),  # the 10th Board meeting (S12)
        ),
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
                "event/oicoa-founding-conference-closing-session",
                "post/secretary-general",
                "time/1391-sh",
            )
        ),
        count=262,
    ),
    "founding-by-source.rq": Expected(
        ("source", "date", "datatype", "year", "calendar", "within"),
        rows=(
            (
                ID + "source/cooperation-document",
                "2014",
                XSD + "gYear",
                None,
                None,
                ID + "event/oicoa-founding-conference",
            ),
            (ID + "source/brecorder-40267307", "2014", XSD + "gYear", None, None, None),
            (ID + "source/oicoa-home-page", "2014-04-29", XSD + "date", None, None, None),
            (ID + "source/ru24-403455932", None, None, "1391", OKG + "SolarHijriCalendar", None),
            (
                ID + "source/oicoa-aboutus-aspx",
                None,
                None,
                None,
                None,
                ID + "event/oicoa-founding-conference",
            ),
            (
                ID + "source/ioi-islamabad-meeting-2014",
                None,
                None,
                None,
                None,
                ID + "event/oicoa-founding-conference",
            ),
        ),
    ),
    "source-statements.rq": Expected(
        ("subject", "predicate", "object"),
        # data/memberships.trig, S15's block: Malkoç as President, attested on 22 October 2020.
        includes=tuple(
            (ID + "membership/seref-malkoc-oicoa-president-ombudsman-az-news-1078", p, o)
            for p, o in (
                (RDF_TYPE, "http://www.w3.org/ns/org#Membership"),
                ("http://www.w3.org/ns/org#member", ID + "person/seref-malkoc"),
                ("http://www.w3.org/ns/org#organization", ID + "organization/oicoa"),
                ("http://www.w3.org/ns/org#role", ID + "role/president"),
                (OKG + "forPost", ID + "post/oicoa-president"),
                (
                    "http://www.w3.org/ns/org#memberDuring",
                    ID + "time/seref-malkoc-oicoa-president-ombudsman-az-news-1078",
                ),
            )
        )
        + (
            (ID + "time/2020-10-22", TIME + "inXSDDate", "2020-10-22"),
            (ID + "place/ganja", RDF_TYPE, SCHEMA + "City"),
        ),
        count=51,
    ),
    "disagreements.rq": Expected(
        ("disagreement", "kind", "about", "property", "side", "value", "sources"),
        sets=("about", "sources"),
        rows=DISAGREEMENT_ROWS,
    ),
    "office-holders.rq": Expected(
        ("member", "role", "post", "attested", "source"),
        includes=tuple(
            (
                ID + member,
                ID + "role/" + role,
                post and ID + "post/" + post,
                attested,
                ID + "source/" + source,
            )
            for member, role, post, attested, source in (
                ("organization/azerbaijan-ombudsman", "member", None, None, "cooperation-document"),
                ("person/sabina-aliyeva", "board-member", None, None, "cooperation-document"),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2020-10-22",
                    "ombudsman-az-news-1078",
                ),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2021-03-11",
                    "ombudsman-az-news-976",
                ),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2021-09-16",
                    "modern-az-307708",
                ),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2023-10-05",
                    "daily-times-1143630",
                ),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2023-10-10",
                    "brecorder-40267307",
                ),
                (
                    "person/seref-malkoc",
                    "president",
                    "oicoa-president",
                    "2024-01-30",
                    "oicoa-10th-board-meeting",
                ),
                ("person/seref-malkoc", "president", "oicoa-president", None, "memur5-29635"),
                (
                    "person/asif-mahmood-jah",
                    "secretary-general",
                    "secretary-general",
                    "2023-10-05",
                    "daily-times-1143630",
                ),
                (
                    "person/asif-mahmood-jah",
                    "secretary-general",
                    "secretary-general",
                    "2023-10-10",
                    "brecorder-40267307",
                ),
                (
                    "person/asif-mahmood-jah",
                    "secretary-general",
                    "secretary-general",
                    "2024-01-30",
                    "oicoa-10th-board-meeting",
                ),
                (
                    "person/mehmet-akarca",
                    "president",
                    "oicoa-president",
                    "2025-10-24",
                    "app-fauzia-viqar-chair",
                ),
                (
                    "person/fauzia-viqar",
                    "chair",
                    "womens-rights-sub-committee-chair",
                    "2025-10-24",
                    "app-fauzia-viqar-chair",
                ),
                (
                    "person/muhammad-javed-ghani",
                    "adviser",
                    "adviser-to-the-secretary-general",
                    "2021-09-16",
                    "modern-az-307708",
                ),
                (
                    "post/turkiye-chief-ombudsman",
                    "president",
                    "oicoa-president",
                    None,
                    "oicoa-home-page",
                ),
            )
        ),
        count=46,
    ),
    "single-source-counts.rq": Expected(
        ("source", "singleSource", "stated"),
        rows=tuple(
            (ID + "source/" + slug, single, stated)
            for slug, single, stated in (
                ("cooperation-document", "137", "192"),
                ("oicoa-10th-board-meeting", "119", "145"),
                ("app-fauzia-viqar-chair", "116", "135"),
                ("daily-times-1143630", "90", "114"),
                ("amp-uemoa-togo-new-member", "89", "103"),
                ("ru24-403455932", "84", "101"),
                ("brecorder-40267307", "56", "91"),
                ("ioi-islamabad-meeting-2014", "54", "95"),
                ("modern-az-307708", "50", "65"),
                ("ombudsman-az-news-976", "46", "58"),
                ("ombudsman-az-news-1078", "40", "51"),
                ("oicoa-aboutus-aspx", "37", "81"),
                ("memur5-29635", "24", "36"),
                ("oicoa-home-page", "24", "37"),
                ("thenews-896434", "18", "22"),
                ("ednews-682783", "17", "25"),
                ("kdk-annual-report-2022-page-553", "16", "22"),
                ("oicoa-about-page", "0", "11"),
                ("ombudsman-az-news-465", "0", "18"),
            )
        ),
    ),
    "single-source-statements.rq": Expected(
        ("predicate", "object", "source"),
        rows=(
            (RDFS_LABEL, "İƏT-OA-nın təsisi", ID + "source/cooperation-document"),
            (SCHEMA + "startDate", "2014-04-29", ID + "source/oicoa-home-page"),
            (TIME + "hasTime", ID + "time/1391-sh", ID + "source/ru24-403455932"),
        ),
    ),
    "document-confirmed.rq": Expected(
        ("thing", "source", "describes", "sameStatements", "kind"),
        includes=tuple(
            (ID + thing, ID + "source/" + source, describes, same, kind and OKG + kind)
            for thing, source, describes, same, kind in (
                # data/founding.trig: S26 states 2014, Islamabad and OICOA's org:resultedFrom
                ("event/oicoa-founding", "brecorder-40267307", "true", "3", None),
                ("event/oicoa-founding", "oicoa-home-page", "true", "2", "precision"),
                ("event/oicoa-founding", "oicoa-home-page", "true", "2", "substance"),
                ("event/oicoa-founding", "ru24-403455932", "true", "1", "substance"),
                ("event/oicoa-founding", "oicoa-aboutus-aspx", "true", "2", None),
                ("event/oicoa-founding-conference", "oicoa-aboutus-aspx", "true", "2", "precision"),
                (
                    "event/oicoa-founding-conference",
                    "ioi-islamabad-meeting-2014",
                    "true",
                    "2",
                    "precision",
                ),
                ("event/oicoa-founding-conference", "ru24-403455932", "false", "0", "identity"),
                ("event/fact-finding-missions", "ombudsman-az-news-1078", "false", "0", "identity"),
                ("event/fact-finding-missions", "modern-az-307708", "false", "0", "identity"),
                (
                    "event/online-training-seminar",
                    "ombudsman-az-news-976",
                    "false",
                    "0",
                    "identity",
                ),
                ("event/oicoa-general-assembly-2022", "ombudsman-az-news-465", "true", "10", None),
                (
                    "event/oicoa-general-assembly-2022",
                    "daily-times-1143630",
                    "false",
                    "0",
                    "identity",
                ),
                (
                    "report/fact-finding-mission-reports",
                    "kdk-annual-report-2022-page-553",
                    "false",
                    "0",
                    "identity",
                ),
                ("report/fact-finding-mission-reports", "memur5-29635", "false", "0", "identity"),
                ("purpose/joint-activities", "oicoa-about-page", "true", "1", None),
                ("purpose/institutional-capacity", "oicoa-about-page", "true", "1", None),
                ("purpose/exchange-of-experience", "oicoa-about-page", "true", "2", None),
                ("purpose/cooperation-within-oic", "oicoa-about-page", "true", "2", None),
                ("organization/oicoa", "oicoa-about-page", "true", "4", None),
            )
        ),
        count=76,
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


@pytest.fixture(scope="module")
def endpoint(built_dist: Path) -> pyoxigraph.Store:
    """The built N-Quads dump (all named graphs) in a fresh in-memory store."""
    store = pyoxigraph.Store()
    store.load(
        path=str(built_dist / "dumps" / "ombudsman-kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS
    )
    return store


def run_as_sparql_endpoint(store: pyoxigraph.Store, text: str) -> list[dict[str, str]]:
    """Rows as {variable: IRI or lexical form}, the default graph as /sparql's (SPEC §7)."""
    results = store.query(text, default_graph=[pyoxigraph.NamedNode(g) for g in DEFAULT_GRAPH])
    assert isinstance(results, pyoxigraph.QuerySolutions), "a saved query is a SELECT"
    names = [v.value for v in results.variables]
    return [
        {name: solution[name].value for name in names if solution[name] is not None}
        for solution in results
    ]


DEFAULT_GRAPH = (B + "graph/data", B + "graph/ontology", B + "graph/inferred")


@pytest.mark.parametrize("name", QUERY_FILES)
def test_query_gives_the_sources_answer(endpoint: pyoxigraph.Store, name: str) -> None:
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name} has no expected answer in tests/test_queries.py"
    text = (QUERY_DIR / name).read_text(encoding="utf-8")

    def value(row: dict[str, str], column: str) -> str | None:
        got = row.get(column)
        if got is not None and column in expected.sets:
            return " ".join(sorted(got.split()))
        return got

    got = [
        tuple(value(row, column) for column in expected.columns)
        for row in run_as_sparql_endpoint(endpoint, text)
    ]
    if expected.rows is not None:
        assert Counter(got) == Counter(expected.rows)
    missing = [row for row in expected.includes if row not in got]
    assert missing == []
    if expected.count is not None:
        assert len(got) == expected.count


def test_the_saved_queries_read_source_graphs_that_exist(endpoint: pyoxigraph.Store) -> None:
    """A GRAPH <graph/source/...> constant in a saved query names a graph the build holds: a
    misspelt slug would make the query silently answer nothing."""
    graphs = {g.value for g in endpoint.named_graphs()}
    for name in QUERY_FILES:
        text = (QUERY_DIR / name).read_text(encoding="utf-8")
        for slug in re.findall(r"<https://w3id\.org/ombudsman-kg/graph/source/([a-z0-9-]+)>", text):
            assert B + "graph/source/" + slug in graphs, (name, slug)
        for slug in re.findall(r"<https://w3id\.org/ombudsman-kg/id/source/([a-z0-9-]+)>", text):
            assert B + "graph/source/" + slug in graphs, (name, slug)
