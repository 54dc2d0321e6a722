"""Every fact of the source document, one test each, and the silences of the data model.

Each test is named for the statement of the source it checks (the Azerbaijani original governs;
see shared/sources/). The silences are tested too: what the source does not say must not be in
the graph, not even a day of a month (SPEC §2, §6).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/ombudsman-kg/id/"
GRAPH_DATA = "https://w3id.org/ombudsman-kg/graph/data"
GRAPH_ONTOLOGY = "https://w3id.org/ombudsman-kg/graph/ontology"

PREFIXES = """
PREFIX dct:    <http://purl.org/dc/terms/>
PREFIX foaf:   <http://xmlns.com/foaf/0.1/>
PREFIX okg:    <https://w3id.org/ombudsman-kg/ontology#>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX owl:    <http://www.w3.org/2002/07/owl#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX doc:    <https://w3id.org/ombudsman-kg/id/source/>
"""

DOCUMENT = f"<{ID}source/cooperation-document>"
ABOUT_PAGE = f"<{ID}source/oicoa-about-page>"
NEWS_ITEM = f"<{ID}source/ombudsman-az-news-465>"
OICOA = f"<{ID}organization/oicoa>"
OIC = f"<{ID}organization/oic>"
INSTITUTION = f"<{ID}organization/azerbaijan-ombudsman>"
PAKISTANI_OFFICE = f"<{ID}organization/pakistan-federal-tax-ombudsman-office>"
SECRETARIAT = f"<{ID}unit/oicoa-secretariat>"
BOARD = f"<{ID}unit/oicoa-board-of-directors>"
GENERAL_ASSEMBLY = f"<{ID}unit/oicoa-general-assembly>"
SUB_COMMITTEE = f"<{ID}unit/oicoa-sub-committee-on-womens-rights>"
SABINA_ALIYEVA = f"<{ID}person/sabina-aliyeva>"
OMBUDSMAN_POST = f"<{ID}post/azerbaijan-ombudsman>"
TAX_OMBUDSMAN_POST = f"<{ID}post/pakistan-federal-tax-ombudsman>"
PRESIDENT_POST = f"<{ID}post/oicoa-president>"
SECRETARY_GENERAL_POST = f"<{ID}post/secretary-general>"
ADVISER_POST = f"<{ID}post/adviser-to-the-secretary-general>"
FOUNDING = f"<{ID}event/oicoa-founding>"
CONFERENCE = f"<{ID}event/oicoa-founding-conference>"
GA_2022 = f"<{ID}event/oicoa-general-assembly-2022>"
GENERAL_ASSEMBLIES = f"<{ID}event/oicoa-general-assemblies>"
BOARD_MEETINGS = f"<{ID}event/oicoa-board-meetings>"
SEMINAR = f"<{ID}event/online-training-seminar>"
MISSIONS = f"<{ID}event/fact-finding-missions>"
REPORTS = f"<{ID}report/fact-finding-mission-reports>"
INTERNATIONAL_ORGANIZATIONS = f"<{ID}group/international-organizations>"
MEMBER_STATE_INSTITUTIONS = f"<{ID}group/member-state-ombudsman-institutions>"
MEMBER_COUNTRY_OMBUDSMEN = f"<{ID}group/member-country-ombudsmen-and-nhris>"
AZERBAIJAN = f"<{ID}place/azerbaijan>"
PAKISTAN = f"<{ID}place/pakistan>"
ARMENIA = f"<{ID}place/armenia>"
ISLAMABAD = f"<{ID}place/islamabad>"

# The source's own words (shared/sources/000_e879f1925df36061.txt), paragraph by paragraph as
# numbered in the translation; the accounts in the data must quote them verbatim.
SOURCE_TEXT = {
    0: "Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman) təsisatı ilə İslam "
    "Əməkdaşlıq Təşkilatının Ombudsmanlar Assosiasiyası (İƏT-OA) arasında əməkdaşlıq",
    1: "İslam Əməkdaşlıq Təşkilatının Ombudsmanlar Assosiasiyası (İƏT-OA) üzv ölkələrin "
    "ombudsmanları və milli insan hüquqları təsisatları (MİHT-lər) arasında əməkdaşlığın "
    "gücləndirilməsi məqsədi ilə yaradılmış beynəlxalq platformadır. Assosiasiya 2014-cü ildə "
    "Pakistanın İslamabad şəhərində keçirilmiş beynəlxalq konfransda, İƏT regionunda insan "
    "hüquqlarının müdafiəsinin, hesabatlılığın və yaxşı idarəçiliyin təşviq edilməsinin "
    "zəruriliyi əsasında təsis olunmuşdur. İƏT-OA-nın Katibliyi Pakistanın Federal Vergi "
    "Ombudsmanının Ofisi nəzdində fəaliyyət göstərir.",
    2: "İƏT-OA-nın əsas məqsədləri üzv dövlətlərin ombudsman təsisatları arasında təcrübə "
    "mübadiləsinə təşviq etmək, birgə fəaliyyətləri dəstəkləmək, insan hüquqlarının müdafiəsi "
    "sahəsində institusional potensialı gücləndirmək və İƏT çərçivəsində əməkdaşlığı inkişaf "
    "etdirməkdən ibarətdir.",
    4: "İƏT-OA-nın İdarə Heyətinin üzvü qismində Ombudsman Səbinə Əliyeva Assosiasiyanın Baş "
    "Assambleyalarında, İdarə Heyətinin iclaslarında və digər beynəlxalq tədbirlərdə iştirak "
    "edərək, insan hüquqlarının müdafiəsi, əhalinin həssas qruplarının və qadınların hüquqları, "
    "habelə regional əməkdaşlıq məsələləri üzrə Azərbaycanın mövqeyini təqdim etmişdir.",
    6: "Beynəlxalq əməkdaşlıq çərçivəsində Azərbaycan Ombudsman təsisatı İƏT-OA ilə birgə üzv "
    "dövlətlərin ombudsman təsisatları üçün onlayn təlim seminarı təşkil etmişdir. Seminarın "
    "məqsədi insan hüquqlarının səmərəli müdafiəsi sahəsində bilik və bacarıqların artırılması, "
    "eləcə də təcrübə mübadiləsinin gücləndirilməsi olmuşdur.",
    8: "Ombudsman Səbinə Əliyevanın dəvəti ilə 2020 və 2021-ci illərdə İƏT-OA-nın Prezidenti və "
    "Baş katibin müşaviri rəhbərliyi ilə nümayəndə heyətləri Ermənistanın Azərbaycana qarşı "
    "törətdiyi müharibə cinayətlərini, mədəni irsin dağıdılmasını və ekoloji terror faktlarını "
    "yerində araşdırmaq məqsədilə faktaraşdırıcı missiyalar həyata keçirmişlər. Missiyaların "
    "nəticələri əsasında hazırlanmış hesabatlar beynəlxalq təşkilatlara təqdim olunmuşdur.",
}

DESCRIBED_THINGS = sorted(
    ID + thing
    for thing in """
    account/fact-finding-missions-aim account/oicoa-founding-motive
    account/online-training-seminar-aim account/sabina-aliyeva-board-conduct
    event/fact-finding-missions event/oicoa-board-meetings event/oicoa-founding
    event/oicoa-founding-conference event/oicoa-general-assemblies
    event/oicoa-general-assembly-2022 event/online-training-seminar
    group/international-organizations group/member-country-ombudsmen-and-nhris
    group/member-state-ombudsman-institutions
    membership/azerbaijan-ombudsman-in-oicoa membership/azerbaijan-ombudsman-on-oicoa-board
    membership/azerbaijan-ombudsman-on-womens-rights-sub-committee
    membership/sabina-aliyeva-on-oicoa-board
    organization/azerbaijan-ombudsman organization/oic organization/oicoa
    organization/pakistan-federal-tax-ombudsman-office
    person/sabina-aliyeva
    place/armenia place/azerbaijan place/indonesia place/iran place/islamabad place/morocco
    place/pakistan place/turkiye
    post/adviser-to-the-secretary-general post/azerbaijan-ombudsman post/oicoa-president
    post/pakistan-federal-tax-ombudsman post/secretary-general
    purpose/cooperation-within-oic purpose/exchange-of-experience
    purpose/institutional-capacity purpose/joint-activities
    purpose/strengthen-cooperation-between-ombudsmen-and-nhris
    report/fact-finding-mission-reports
    role/adviser role/board-member role/member role/organ-representation role/president
    source/cooperation-document source/oicoa-about-page source/ombudsman-az-news-465
    unit/oicoa-board-of-directors unit/oicoa-general-assembly unit/oicoa-secretariat
    unit/oicoa-sub-committee-on-womens-rights
    """.split()
)


def ask(kg, body: str) -> bool:
    return kg.ask(PREFIXES + "ASK {" + body + "}")


def select(kg, query: str) -> list[dict[str, str]]:
    return kg.select(PREFIXES + query)


def values(kg, subject: str, predicate: str) -> set[str]:
    """Every value of one property of one thing, as strings."""
    rows = select(kg, f"SELECT DISTINCT ?v WHERE {{ {subject} {predicate} ?v }}")
    return {row["v"] for row in rows}


def label(kg, thing: str, lang: str) -> str:
    rows = select(
        kg,
        f'SELECT DISTINCT ?l WHERE {{ {thing} rdfs:label ?l FILTER (lang(?l) = "{lang}") }}',
    )
    assert len(rows) == 1, rows
    return rows[0]["l"]


def derived_from(kg, thing: str) -> set[str]:
    return {f"<{iri}>" for iri in values(kg, thing, "prov:wasDerivedFrom")}


# ¶0 ------------------------------------------------------------------------------------------


def test_the_document_is_about_the_cooperation_between_the_azerbaijani_ombudsman_and_oicoa(kg):
    """¶0: Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman) təsisatı ilə
    İƏT-OA arasında əməkdaşlıq."""
    assert values(kg, DOCUMENT, "dct:title") == {SOURCE_TEXT[0]}
    assert label(kg, DOCUMENT, "az") == SOURCE_TEXT[0]
    assert ask(kg, f"{INSTITUTION} org:linkedTo {OICOA}")


def test_the_document_is_in_azerbaijani_and_gives_no_url_author_or_date_of_its_own(kg):
    assert values(kg, DOCUMENT, "schema:inLanguage") == {"az"}
    assert values(kg, DOCUMENT, "schema:identifier") == {"000_e879f1925df36061"}
    for predicate in ("schema:url", "schema:author", "dct:creator", "schema:datePublished"):
        assert values(kg, DOCUMENT, predicate) == set(), predicate


# ¶1 ------------------------------------------------------------------------------------------


def test_the_association_is_the_ombudsmen_association_of_the_organisation_of_islamic_cooperation(
    kg,
):
    """¶1: İslam Əməkdaşlıq Təşkilatının Ombudsmanlar Assosiasiyası (İƏT-OA)."""
    assert ask(kg, f"{OICOA} a org:FormalOrganization")
    assert label(kg, OICOA, "az") == "İslam Əməkdaşlıq Təşkilatının Ombudsmanlar Assosiasiyası"
    assert {"İƏT-OA", "OICOA"} <= values(kg, OICOA, "skos:altLabel")
    assert label(kg, OIC, "az") == "İslam Əməkdaşlıq Təşkilatı"
    assert label(kg, OIC, "en") == "Organisation of Islamic Cooperation"
    assert "İƏT" in values(kg, OIC, "skos:altLabel")


def test_oicoa_is_an_international_platform(kg):
    """¶1: ... yaradılmış beynəlxalq platformadır."""
    descriptions = values(kg, OICOA, "schema:description")
    assert any("beynəlxalq platforma" in d for d in descriptions)
    assert any("international platform" in d for d in descriptions)


def test_oicoa_was_created_to_strengthen_cooperation_of_member_country_ombudsmen_and_nhris(kg):
    """¶1: üzv ölkələrin ombudsmanları və MİHT-lər arasında əməkdaşlığın gücləndirilməsi məqsədi
    ilə yaradılmış."""
    purpose = f"<{ID}purpose/strengthen-cooperation-between-ombudsmen-and-nhris>"
    assert ask(kg, f"{OICOA} org:purpose {purpose} . {purpose} a okg:Objective")
    assert label(kg, purpose, "az") in SOURCE_TEXT[1]
    assert ask(kg, f"{purpose} dct:relation {MEMBER_COUNTRY_OMBUDSMEN}")
    assert label(kg, MEMBER_COUNTRY_OMBUDSMEN, "az") in SOURCE_TEXT[1]


def test_oicoa_was_founded_in_2014_at_an_international_conference_in_islamabad_pakistan(kg):
    """¶1: Assosiasiya 2014-cü ildə Pakistanın İslamabad şəhərində keçirilmiş beynəlxalq
    konfransda ... təsis olunmuşdur."""
    assert ask(
        kg,
        f"""{OICOA} org:resultedFrom {FOUNDING} .
        {FOUNDING} a okg:Founding ;
            schema:startDate "2014"^^xsd:gYear ;
            schema:location {ISLAMABAD} ;
            schema:superEvent {CONFERENCE} .
        {CONFERENCE} a okg:FoundingConference ;
            schema:startDate "2014"^^xsd:gYear ;
            schema:location {ISLAMABAD} .""",
    )
    assert label(kg, CONFERENCE, "az") == "beynəlxalq konfrans"


def test_islamabad_is_a_city_in_pakistan(kg):
    """¶1: Pakistanın İslamabad şəhərində."""
    assert ask(kg, f"{ISLAMABAD} a schema:City ; schema:containedInPlace {PAKISTAN}")
    assert label(kg, ISLAMABAD, "az") == "İslamabad"


def test_oicoa_was_founded_for_the_need_to_promote_rights_accountability_and_good_governance(kg):
    """¶1: İƏT regionunda insan hüquqlarının müdafiəsinin, hesabatlılığın və yaxşı idarəçiliyin
    təşviq edilməsinin zəruriliyi əsasında: the source's account of the motive, attributed to
    it."""
    account = f"<{ID}account/oicoa-founding-motive>"
    assert ask(
        kg,
        f"{account} a okg:MotiveAccount ; schema:about {FOUNDING} ; okg:accordingTo {DOCUMENT}",
    )
    texts = values(kg, account, "schema:text")
    assert any("zəruriliyi əsasında" in t for t in texts)
    assert any("accountability and good governance in the OIC region" in t for t in texts)


def test_the_oicoa_secretariat_operates_under_the_office_of_the_federal_tax_ombudsman_of_pakistan(
    kg,
):
    """¶1: İƏT-OA-nın Katibliyi Pakistanın Federal Vergi Ombudsmanının Ofisi nəzdində fəaliyyət
    göstərir."""
    assert ask(
        kg,
        f"""{SECRETARIAT} a org:OrganizationalUnit ; org:unitOf {OICOA} ;
            okg:hostedBy {PAKISTANI_OFFICE} .
        {PAKISTANI_OFFICE} a org:FormalOrganization .
        {TAX_OMBUDSMAN_POST} org:postIn {PAKISTANI_OFFICE} .""",
    )
    assert label(kg, SECRETARIAT, "az") == "İƏT-OA-nın Katibliyi"
    assert label(kg, PAKISTANI_OFFICE, "az") == "Pakistanın Federal Vergi Ombudsmanının Ofisi"
    assert label(kg, TAX_OMBUDSMAN_POST, "az") == "Federal Vergi Ombudsmanı"


# ¶2 ------------------------------------------------------------------------------------------


def test_main_objectives_are_experience_exchange_joint_work_capacity_and_cooperation_in_the_oic(kg):
    """¶2: İƏT-OA-nın əsas məqsədləri ... ibarətdir (footnote ¹: oicoa.org/about.html)."""
    rows = select(
        kg,
        f"""SELECT DISTINCT ?purpose WHERE {{
            {OICOA} org:purpose ?purpose .
            ?purpose prov:wasDerivedFrom {ABOUT_PAGE}, {DOCUMENT} }}""",
    )
    assert {row["purpose"] for row in rows} == {
        ID + "purpose/exchange-of-experience",
        ID + "purpose/joint-activities",
        ID + "purpose/institutional-capacity",
        ID + "purpose/cooperation-within-oic",
    }
    for row in rows:
        az = label(kg, f"<{row['purpose']}>", "az")
        assert az in SOURCE_TEXT[2], az
    assert ask(kg, f"<{ID}purpose/cooperation-within-oic> dct:relation {OIC}")


# ¶3 ------------------------------------------------------------------------------------------


def test_the_azerbaijani_ombudsman_cooperates_actively_with_oicoa(kg):
    """¶3: ... İƏT-OA ilə fəal əməkdaşlıq edir."""
    assert ask(kg, f"{INSTITUTION} a org:FormalOrganization ; org:linkedTo {OICOA}")
    assert label(kg, INSTITUTION, "az") == (
        "Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman) təsisatı"
    )
    assert "Azərbaycan Ombudsman təsisatı" in values(kg, INSTITUTION, "skos:altLabel")


def test_the_azerbaijani_ombudsman_institution_is_a_member_of_the_association(kg):
    """¶3: Azərbaycan Ombudsman təsisatı Assosiasiyanın ... üzvü."""
    assert ask(
        kg,
        f"""?m a org:Membership ; org:member {INSTITUTION} ; org:organization {OICOA} ;
            org:role <{ID}role/member> .""",
    )


def test_the_azerbaijani_ombudsman_institution_is_also_represented_on_the_board_of_directors(kg):
    """¶3: eyni zamanda onun İdarə Heyətində də təmsil olunur."""
    assert ask(
        kg,
        f"""?m a org:Membership ; org:member {INSTITUTION} ; org:organization {BOARD} ;
            org:role <{ID}role/organ-representation> .
        {BOARD} a org:OrganizationalUnit ; org:unitOf {OICOA} .""",
    )
    assert label(kg, BOARD, "az") == "İdarə Heyəti"


# ¶4 ------------------------------------------------------------------------------------------


def test_ombudsman_sabina_aliyeva_is_a_member_of_the_oicoa_board_of_directors(kg):
    """¶4: İƏT-OA-nın İdarə Heyətinin üzvü qismində Ombudsman Səbinə Əliyeva."""
    assert ask(
        kg,
        f"""?m a org:Membership ; org:member {SABINA_ALIYEVA} ; org:organization {BOARD} ;
            org:role <{ID}role/board-member> .""",
    )
    assert label(kg, SABINA_ALIYEVA, "az") == "Səbinə Əliyeva"
    assert label(kg, SABINA_ALIYEVA, "en") == "Sabina Aliyeva"
    assert label(kg, f"<{ID}role/board-member>", "az") == "İdarə Heyətinin üzvü"


def test_sabina_aliyeva_is_the_ombudsman_of_the_republic_of_azerbaijan(kg):
    """¶4, ¶8: Ombudsman Səbinə Əliyeva."""
    assert ask(
        kg,
        f"""{SABINA_ALIYEVA} a foaf:Person ; org:holds {OMBUDSMAN_POST} .
        {OMBUDSMAN_POST} a org:Post ; org:heldBy {SABINA_ALIYEVA} ; org:postIn {INSTITUTION} .""",
    )
    assert label(kg, OMBUDSMAN_POST, "az") == (
        "Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman)"
    )


def test_as_a_board_member_she_took_part_in_the_general_assemblies_and_the_board_meetings(kg):
    """¶4: Assosiasiyanın Baş Assambleyalarında, İdarə Heyətinin iclaslarında ... iştirak
    edərək."""
    assert ask(
        kg,
        f"""{GENERAL_ASSEMBLIES} a okg:MeetingSeries ; schema:attendee {SABINA_ALIYEVA} ;
            okg:sessionOf {GENERAL_ASSEMBLY} .
        {BOARD_MEETINGS} a okg:MeetingSeries ; schema:attendee {SABINA_ALIYEVA} ;
            okg:sessionOf {BOARD} .
        {GENERAL_ASSEMBLY} a org:OrganizationalUnit ; org:unitOf {OICOA} .""",
    )
    assert label(kg, BOARD_MEETINGS, "az") == "İdarə Heyətinin iclasları"


def test_she_presented_azerbaijans_position_on_rights_vulnerable_groups_women_and_cooperation(kg):
    """¶4: ... məsələləri üzrə Azərbaycanın mövqeyini təqdim etmişdir: the source's account of
    her conduct, attributed to it."""
    account = f"<{ID}account/sabina-aliyeva-board-conduct>"
    assert ask(
        kg,
        f"""{account} a okg:ConductAccount ; schema:about {SABINA_ALIYEVA} ;
            okg:accordingTo {DOCUMENT} ; schema:mentions {AZERBAIJAN} .""",
    )
    assert SOURCE_TEXT[4] in values(kg, account, "schema:text")


# ¶5 ------------------------------------------------------------------------------------------


def test_the_azerbaijani_institution_is_also_represented_on_the_womens_rights_sub_committee(kg):
    """¶5: Azərbaycan Ombudsman təsisatı İƏT-OA-nın Qadın Hüquqları üzrə Alt Komitəsində də
    təmsil olunur."""
    assert ask(
        kg,
        f"""?m a org:Membership ; org:member {INSTITUTION} ; org:organization {SUB_COMMITTEE} ;
            org:role <{ID}role/organ-representation> .
        {SUB_COMMITTEE} a org:OrganizationalUnit ; org:unitOf {OICOA} .""",
    )
    assert label(kg, SUB_COMMITTEE, "az") == "Qadın Hüquqları üzrə Alt Komitə"


# ¶6 ------------------------------------------------------------------------------------------


def test_the_institution_and_oicoa_organised_an_online_seminar_for_member_state_institutions(kg):
    """¶6: Azərbaycan Ombudsman təsisatı İƏT-OA ilə birgə üzv dövlətlərin ombudsman təsisatları
    üçün onlayn təlim seminarı təşkil etmişdir."""
    assert ask(
        kg,
        f"""{SEMINAR} a okg:TrainingSeminar ;
            schema:organizer {INSTITUTION} , {OICOA} ;
            schema:audience {MEMBER_STATE_INSTITUTIONS} ;
            schema:eventAttendanceMode schema:OnlineEventAttendanceMode .""",
    )
    assert values(kg, SEMINAR, "schema:organizer") == {
        ID + "organization/azerbaijan-ombudsman",
        ID + "organization/oicoa",
    }
    assert label(kg, SEMINAR, "az") == "onlayn təlim seminarı"


def test_the_seminar_aimed_to_increase_knowledge_and_skills_and_the_exchange_of_experience(kg):
    """¶6: Seminarın məqsədi ... olmuşdur: the source's account of the aim."""
    account = f"<{ID}account/online-training-seminar-aim>"
    assert ask(
        kg,
        f"{account} a okg:AimAccount ; schema:about {SEMINAR} ; okg:accordingTo {DOCUMENT}",
    )
    texts = values(kg, account, "schema:text")
    assert any(t in SOURCE_TEXT[6] and "bilik və bacarıqların artırılması" in t for t in texts)


# ¶7 ------------------------------------------------------------------------------------------


def test_in_october_2022_the_oicoa_general_assembly_was_held_in_azerbaijan(kg):
    """¶7: 2022-ci ilin oktyabr ayında ... Azərbaycanda İƏT-OA-nın Baş Assambleyası
    keçirilmişdir (footnote ²)."""
    assert ask(
        kg,
        f"""{GA_2022} a okg:GeneralAssembly ;
            schema:startDate "2022-10"^^xsd:gYearMonth ;
            schema:location {AZERBAIJAN} ;
            okg:sessionOf {GENERAL_ASSEMBLY} .""",
    )
    assert derived_from(kg, GA_2022) == {DOCUMENT, NEWS_ITEM}
    assert label(kg, GA_2022, "az") == "Baş Assambleya (2022, oktyabr)"


def test_the_2022_general_assembly_was_held_on_the_ombudsmans_initiative(kg):
    """¶7: Ombudsmanın təşəbbüsü ilə."""
    assert values(kg, GA_2022, "okg:initiatedBy") == {ID + "post/azerbaijan-ombudsman"}
    assert NEWS_ITEM in derived_from(kg, OMBUDSMAN_POST)


def test_representatives_from_azerbaijan_turkiye_pakistan_morocco_iran_and_indonesia_took_part(kg):
    """¶7: Tədbirdə Azərbaycanla yanaşı, Türkiyə, Pakistan, Mərakeş, İran və İndoneziyadan
    nümayəndələr iştirak etmişdir."""
    countries = {"azerbaijan", "turkiye", "pakistan", "morocco", "iran", "indonesia"}
    assert values(kg, GA_2022, "okg:representedCountry") == {ID + "place/" + c for c in countries}
    for country in countries:
        place = f"<{ID}place/{country}>"
        assert ask(kg, f"{place} a schema:Country")
        assert derived_from(kg, place) == {DOCUMENT, NEWS_ITEM}


# ¶8 ------------------------------------------------------------------------------------------


def test_in_2020_and_2021_fact_finding_missions_came_at_the_invitation_of_sabina_aliyeva(kg):
    """¶8: Ombudsman Səbinə Əliyevanın dəvəti ilə 2020 və 2021-ci illərdə ... faktaraşdırıcı
    missiyalar həyata keçirmişlər."""
    assert ask(
        kg,
        f"""{MISSIONS} a okg:FactFindingMissionSeries ;
            schema:startDate "2020"^^xsd:gYear ;
            schema:endDate "2021"^^xsd:gYear ;
            okg:invitedBy {SABINA_ALIYEVA} .""",
    )
    assert label(kg, MISSIONS, "az") == "faktaraşdırıcı missiya"


def test_the_delegations_were_led_by_the_oicoa_president_and_the_adviser_to_the_secretary_general(
    kg,
):
    """¶8: İƏT-OA-nın Prezidenti və Baş katibin müşaviri rəhbərliyi ilə nümayəndə heyətləri."""
    assert values(kg, MISSIONS, "okg:ledBy") == {
        ID + "post/oicoa-president",
        ID + "post/adviser-to-the-secretary-general",
    }
    assert ask(
        kg,
        f"""{PRESIDENT_POST} a org:Post ; org:postIn {OICOA} .
        {ADVISER_POST} a org:Post ; okg:adviserTo {SECRETARY_GENERAL_POST} .
        {SECRETARY_GENERAL_POST} a org:Post .""",
    )
    assert label(kg, PRESIDENT_POST, "az") == "İƏT-OA-nın Prezidenti"
    assert label(kg, ADVISER_POST, "az") == "Baş katibin müşaviri"
    assert label(kg, SECRETARY_GENERAL_POST, "az") == "Baş katib"


def test_the_missions_aimed_to_investigate_war_crimes_heritage_destruction_and_ecological_terror(
    kg,
):
    """¶8: Ermənistanın Azərbaycana qarşı törətdiyi müharibə cinayətlərini, mədəni irsin
    dağıdılmasını və ekoloji terror faktlarını yerində araşdırmaq məqsədilə: the source's
    account, attributed to it, not the publisher's claim."""
    account = f"<{ID}account/fact-finding-missions-aim>"
    assert ask(
        kg,
        f"""{account} a okg:AimAccount ; schema:about {MISSIONS} ; okg:accordingTo {DOCUMENT} ;
            schema:mentions {ARMENIA} , {AZERBAIJAN} .""",
    )
    texts = values(kg, account, "schema:text")
    assert any(t in SOURCE_TEXT[8] and "müharibə cinayətlərini" in t for t in texts)
    assert not ask(kg, f"{MISSIONS} ?p ?o FILTER (CONTAINS(LCASE(STR(?o)), 'war crime'))")


def test_reports_prepared_on_the_missions_results_were_submitted_to_international_organisations(kg):
    """¶8: Missiyaların nəticələri əsasında hazırlanmış hesabatlar beynəlxalq təşkilatlara təqdim
    olunmuşdur."""
    assert ask(
        kg,
        f"""{REPORTS} a okg:MissionReport ; okg:basedOnResultsOf {MISSIONS} ;
            okg:submittedTo {INTERNATIONAL_ORGANIZATIONS} .
        {INTERNATIONAL_ORGANIZATIONS} a okg:AgentGroup .""",
    )
    assert label(kg, INTERNATIONAL_ORGANIZATIONS, "az") == "beynəlxalq təşkilatlar"


# Footnotes -----------------------------------------------------------------------------------


def test_footnote_1_cites_oicoa_org_about_html_for_the_objectives(kg):
    """Footnote ¹: <https://oicoa.org/about.html>, after ¶2."""
    assert ask(
        kg,
        f"""{DOCUMENT} schema:citation {ABOUT_PAGE} .
        {ABOUT_PAGE} a schema:WebPage ; schema:url <https://oicoa.org/about.html> .""",
    )
    assert ABOUT_PAGE in derived_from(kg, OICOA)
    assert values(kg, ABOUT_PAGE, "schema:inLanguage") == set()


def test_footnote_2_cites_ombudsman_az_news_465_for_the_2022_general_assembly(kg):
    """Footnote ²: <https://ombudsman.az/az/news/465>, after ¶7."""
    assert ask(
        kg,
        f"""{DOCUMENT} schema:citation {NEWS_ITEM} .
        {NEWS_ITEM} a schema:WebPage ; schema:url <https://ombudsman.az/az/news/465> ;
            schema:inLanguage "az" .""",
    )
    rows = select(kg, f"SELECT DISTINCT ?thing WHERE {{ ?thing prov:wasDerivedFrom {NEWS_ITEM} }}")
    assert {row["thing"] for row in rows} == {
        ID + "event/oicoa-general-assembly-2022",
        ID + "post/azerbaijan-ombudsman",
    } | {
        ID + "place/" + c
        for c in ("azerbaijan", "turkiye", "pakistan", "morocco", "iran", "indonesia")
    }


# Identities ----------------------------------------------------------------------------------

ISO_CODES = {
    "azerbaijan": ("AZ", "AZE", "031", "Q227", "Azərbaycan"),
    "pakistan": ("PK", "PAK", "586", "Q843", "Pakistan"),
    "turkiye": ("TR", "TUR", "792", "Q43", "Türkiyə"),
    "morocco": ("MA", "MAR", "504", "Q1028", "Mərakeş"),
    "iran": ("IR", "IRN", "364", "Q794", "İran"),
    "indonesia": ("ID", "IDN", "360", "Q252", "İndoneziya"),
    "armenia": ("AM", "ARM", "051", "Q399", "Ermənistan"),
}


@pytest.mark.parametrize("country", sorted(ISO_CODES))
def test_each_country_carries_its_verified_iso_codes_and_wikidata_item(kg, country):
    alpha2, alpha3, numeric, qid, name_az = ISO_CODES[country]
    place = f"<{ID}place/{country}>"
    assert ask(kg, f"{place} a schema:Country")
    assert values(kg, place, "okg:iso3166Alpha2") == {alpha2}
    assert values(kg, place, "okg:iso3166Alpha3") == {alpha3}
    assert values(kg, place, "okg:iso3166Numeric") == {numeric}
    assert values(kg, place, "owl:sameAs") == {"http://www.wikidata.org/entity/" + qid}
    assert label(kg, place, "az") == name_az


def test_only_verified_wikidata_items_are_linked(kg):
    rows = select(
        kg,
        f"""SELECT DISTINCT ?thing ?item WHERE {{
            ?thing owl:sameAs ?item FILTER (STRSTARTS(STR(?thing), "{ID}")) }}""",
    )
    assert {(row["thing"][len(ID) :], row["item"].rsplit("/", 1)[1]) for row in rows} == {
        ("place/" + country, codes[3]) for country, codes in ISO_CODES.items()
    } | {("place/islamabad", "Q1362"), ("organization/oic", "Q47543")}


def test_q7172_the_arab_league_appears_nowhere(kg):
    """identifiers.md: Q7172 is the League of Arab States, not the OIC."""
    assert not ask(
        kg,
        "GRAPH ?g { ?s ?p ?o } FILTER (CONTAINS(STR(?s), 'Q7172') || CONTAINS(STR(?o), 'Q7172'))",
    )
    for path in sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "ontology").glob("*.ttl")):
        assert "Q7172" not in path.read_text(encoding="utf-8"), path


# Silences ------------------------------------------------------------------------------------


def test_no_person_holds_the_oicoa_president_or_the_adviser_post(kg):
    """¶8 names neither the President nor the Adviser."""
    for post in (PRESIDENT_POST, ADVISER_POST):
        assert not ask(kg, f"{{ {post} org:heldBy ?x }} UNION {{ ?x org:holds {post} }}")
        assert values(kg, post, "skos:editorialNote")


def test_no_holder_is_named_for_the_federal_tax_ombudsman_or_the_secretary_general(kg):
    for post in (TAX_OMBUDSMAN_POST, SECRETARY_GENERAL_POST):
        assert not ask(kg, f"{{ {post} org:heldBy ?x }} UNION {{ ?x org:holds {post} }}")


def test_only_the_ombudsman_post_has_a_holder(kg):
    rows = select(
        kg, "SELECT DISTINCT ?post WHERE { { ?post org:heldBy ?x } UNION { ?x org:holds ?post } }"
    )
    assert {row["post"] for row in rows} == {ID + "post/azerbaijan-ombudsman"}


def test_the_secretary_generals_organization_is_not_stated(kg):
    """¶8: Baş katib has no organization attached to it."""
    assert values(kg, SECRETARY_GENERAL_POST, "org:postIn") == set()
    assert values(kg, ADVISER_POST, "org:postIn") == set()


def test_no_date_is_more_precise_than_the_source(kg):
    """No day of a month anywhere: only xsd:gYear and xsd:gYearMonth."""
    rows = select(
        kg,
        """SELECT ?d WHERE { ?s ?p ?d FILTER (isLiteral(?d) && DATATYPE(?d) IN
            (xsd:date, xsd:dateTime, xsd:gYearMonth, xsd:gYear, xsd:gMonthDay, xsd:gDay)) }""",
    )
    assert rows
    for row in rows:
        assert re.fullmatch(r"\d{4}(-\d{2})?", row["d"]), row
    assert not ask(
        kg,
        """?s ?p ?d FILTER (isLiteral(?d) && DATATYPE(?d) IN (xsd:date, xsd:dateTime,
            xsd:gMonthDay, xsd:gDay))""",
    )


def test_the_dates_carry_the_sources_precision(kg):
    def datatype(event: str, predicate: str) -> list[str]:
        rows = select(
            kg, f"SELECT DISTINCT (DATATYPE(?d) AS ?t) WHERE {{ {event} {predicate} ?d }}"
        )
        return [row["t"].rsplit("#", 1)[1] for row in rows]

    assert datatype(FOUNDING, "schema:startDate") == ["gYear"]
    assert datatype(CONFERENCE, "schema:startDate") == ["gYear"]
    assert datatype(MISSIONS, "schema:startDate") == ["gYear"]
    assert datatype(MISSIONS, "schema:endDate") == ["gYear"]
    assert datatype(GA_2022, "schema:startDate") == ["gYearMonth"]


def test_the_2022_general_assembly_is_located_in_a_country_and_in_no_city(kg):
    """¶7 gives the place only as the country."""
    assert values(kg, GA_2022, "schema:location") == {ID + "place/azerbaijan"}
    assert not ask(kg, f"{GA_2022} schema:location ?p . ?p a schema:City")


def test_the_2022_general_assembly_is_not_attributed_to_sabina_aliyeva(kg):
    """¶7 says 'on the Ombudsman's initiative' and does not name her; nor that she attended."""
    assert not ask(kg, f"{GA_2022} ?p {SABINA_ALIYEVA}")
    assert not ask(kg, f"{SABINA_ALIYEVA} ?p {GA_2022}")
    assert not ask(kg, f"{GA_2022} schema:superEvent ?x")
    assert not ask(kg, f"?x schema:subEvent {GA_2022}")


def test_the_seminar_has_no_date_no_place_and_no_participant_count(kg):
    for predicate in (
        "schema:startDate",
        "schema:endDate",
        "schema:location",
        "schema:maximumAttendeeCapacity",
        "schema:attendee",
    ):
        assert values(kg, SEMINAR, predicate) == set(), predicate


def test_the_missions_have_no_site_and_no_findings(kg):
    for predicate in ("schema:location", "schema:result", "schema:description"):
        assert values(kg, MISSIONS, predicate) == set(), predicate


def test_the_reports_name_no_author_no_date_and_no_named_recipient(kg):
    for predicate in (
        "schema:author",
        "schema:creator",
        "dct:creator",
        "schema:dateCreated",
        "schema:datePublished",
        "prov:wasAttributedTo",
    ):
        assert values(kg, REPORTS, predicate) == set(), predicate
    assert values(kg, REPORTS, "okg:submittedTo") == {ID + "group/international-organizations"}
    assert not ask(kg, f"{INTERNATIONAL_ORGANIZATIONS} foaf:member|org:hasMember ?x")


def test_no_membership_has_a_time(kg):
    assert not ask(kg, "?m org:memberDuring ?t")
    assert not ask(kg, "?m a org:Membership ; schema:startDate|schema:endDate ?t")


def test_the_conference_has_no_name_and_no_organiser(kg):
    for predicate in ("schema:organizer", "schema:name", "skos:altLabel"):
        assert values(kg, CONFERENCE, predicate) == set(), predicate


def test_oicoa_and_the_oic_are_not_linked_beyond_the_name(kg):
    """The source states no formal link between the Association and the OIC."""
    assert not ask(kg, f"{OICOA} ?p {OIC}")
    assert not ask(kg, f"{OIC} ?p {OICOA}")


def test_sabina_aliyeva_the_oicoa_and_the_institutions_have_no_wikidata_link(kg):
    for thing in (SABINA_ALIYEVA, OICOA, INSTITUTION, PAKISTANI_OFFICE, OMBUDSMAN_POST):
        assert values(kg, thing, "owl:sameAs") == set(), thing


# Every described thing -----------------------------------------------------------------------


def test_the_data_describes_exactly_the_things_the_source_names(kg):
    rows = select(
        kg,
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }}
            FILTER (STRSTARTS(STR(?s), "{ID}")) }}""",
    )
    assert sorted(row["s"] for row in rows) == DESCRIBED_THINGS
    rows = select(
        kg,
        f"""SELECT DISTINCT ?o WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s ?p ?o }}
            FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{ID}")) }}""",
    )
    assert {row["o"] for row in rows} <= set(DESCRIBED_THINGS)


@pytest.mark.parametrize("thing", DESCRIBED_THINGS)
def test_every_described_thing_has_one_english_and_one_azerbaijani_label(kg, thing):
    rows = select(kg, f"SELECT DISTINCT ?l WHERE {{ <{thing}> rdfs:label ?l }}")
    labels = [row["l"] for row in rows]
    langs = sorted(
        r["lang"]
        for r in select(
            kg, f"SELECT DISTINCT ?l (LANG(?l) AS ?lang) WHERE {{ <{thing}> rdfs:label ?l }}"
        )
    )
    assert langs == ["az", "en"], labels


@pytest.mark.parametrize("thing", DESCRIBED_THINGS)
def test_every_described_thing_has_one_specific_type(kg, thing):
    rows = select(kg, f"SELECT ?t WHERE {{ GRAPH <{GRAPH_DATA}> {{ <{thing}> a ?t }} }}")
    assert len(rows) == 1, rows
    assert not rows[0]["t"].startswith("http://www.w3.org/2002/07/owl#")


@pytest.mark.parametrize("thing", DESCRIBED_THINGS)
def test_every_described_thing_cites_the_document(kg, thing):
    assert DOCUMENT in derived_from(kg, f"<{thing}>")


def test_azerbaijani_labels_keep_the_azerbaijani_letters(kg):
    rows = select(
        kg,
        f"""SELECT ?l WHERE {{ GRAPH <{GRAPH_DATA}> {{ ?s rdfs:label ?l }}
            FILTER (lang(?l) = "az") }}""",
    )
    text = " ".join(row["l"] for row in rows)
    for letter in "əğıöüçşİƏ":
        assert letter in text, letter
    for transliteration in ("Sabina", "Aliyeva", "Azerbaycan", "Islamabad"):
        assert transliteration not in text.split(), transliteration


@pytest.mark.parametrize(
    "paragraph_account",
    [
        ("oicoa-founding-motive", 1),
        ("sabina-aliyeva-board-conduct", 4),
        ("online-training-seminar-aim", 6),
        ("fact-finding-missions-aim", 8),
    ],
)
def test_every_source_account_quotes_the_source_verbatim_and_translates_it(kg, paragraph_account):
    account, paragraph = paragraph_account
    iri = f"<{ID}account/{account}>"
    rows = select(kg, f"SELECT ?t (LANG(?t) AS ?lang) WHERE {{ {iri} schema:text ?t }}")
    assert sorted(row["lang"] for row in rows) == ["az", "en"]
    az = next(row["t"] for row in rows if row["lang"] == "az")
    assert az in SOURCE_TEXT[paragraph]
    assert values(kg, iri, "okg:accordingTo") == {ID + "source/cooperation-document"}


def test_no_blank_nodes_in_the_data_or_the_ontology(kg):
    assert not ask(
        kg,
        f"""VALUES ?g {{ <{GRAPH_DATA}> <{GRAPH_ONTOLOGY}> }}
        GRAPH ?g {{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }}""",
    )
    for folder in ("data", "ontology"):
        for path in sorted((ROOT / folder).glob("*.ttl")):
            graph = rdflib.Graph().parse(path, format="turtle")
            assert not any(isinstance(term, rdflib.BNode) for triple in graph for term in triple), (
                path
            )
