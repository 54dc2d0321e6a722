"""The site in two languages (issue 11, item 3): catalogs complete, language chosen and kept,
dates and numbers formatted by Babel at their precision.

The catalog test extracts the messages as `make messages` does (the mapping in pyproject.toml)
and checks the Azerbaijani catalog against them: a message added to a template without its
translation fails here, and so does a translation left behind by a removed message.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from ombudsman_kg.rdf.namespaces import XSD
from ombudsman_kg.web import i18n

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "ombudsman_kg" / "web"
CATALOG = WEB / "translations" / "az" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> dict[str | tuple[str, str], str]:
    """msgid → where, as `pybabel extract -F pyproject.toml` finds them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    method_map = [(m["pattern"], m["method"]) for m in config["tool"]["babel"]["mappings"]]
    found: dict[str | tuple[str, str], str] = {}
    for filename, lineno, message, _, _ in extract_from_dir(
        str(WEB), method_map=method_map, keywords=DEFAULT_KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message[:2])
        found.setdefault(key, f"{filename}:{lineno}")  # type: ignore[arg-type]
    return found


def _catalog() -> dict[str | tuple[str, str], object]:
    with CATALOG.open("rb") as po:
        catalog = read_po(po, locale="az")
    return {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}


def test_every_message_of_the_site_has_its_azerbaijani_translation() -> None:
    extracted, catalog = _extracted(), _catalog()
    assert len(extracted) > 100, "the extraction found almost nothing: is the mapping right?"
    missing = {k: where for k, where in extracted.items() if k not in catalog}
    assert missing == {}, f"not in {CATALOG.name} (run `make messages`, translate): {missing}"
    for key, message in catalog.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        assert all(s.strip() for s in strings), f"untranslated: {key!r}"
        assert "fuzzy" not in message.flags, f"fuzzy, so not used: {key!r}"  # type: ignore[attr-defined]
        ids = key if isinstance(key, tuple) else (key,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"placeholders differ: {key!r}"


def test_the_catalog_holds_no_message_the_site_no_longer_has() -> None:
    stale = set(_catalog()) - set(_extracted())
    assert stale == set(), f"in the catalog but nowhere in the site: {stale}"


# ---------------------------------------------------------------- dates and numbers, by Babel


@pytest.mark.parametrize(
    ("lexical", "datatype", "english", "azerbaijani"),
    [
        ("2014", "gYear", "2014", "2014"),
        ("2022-10", "gYearMonth", "October 2022", "oktyabr 2022"),
        ("2014-04-29", "date", "April 29, 2014", "29 aprel 2014"),
        ("2014-04-29T10:00:00Z", "dateTime", "April 29, 2014", "29 aprel 2014"),
    ],
)
def test_a_date_is_written_at_the_precision_its_datatype_states(
    lexical: str, datatype: str, english: str, azerbaijani: str
) -> None:
    assert i18n.format_when(lexical, XSD + datatype, "en") == english
    assert i18n.format_when(lexical, XSD + datatype, "az") == azerbaijani


def test_numbers_follow_the_locale() -> None:
    assert i18n.format_number(4782, "en") == "4,782"
    assert i18n.format_number(4782, "az") == "4.782"


@given(
    lexical=st.text(max_size=30),
    datatype=st.sampled_from([*i18n.PRECISION_OF, XSD + "string", "urn:x"]),
    language=st.sampled_from(i18n.LANGUAGES),
)
def test_any_literal_is_shown_without_an_error_and_a_bad_one_as_it_is_written(
    lexical: str, datatype: str, language: str
) -> None:
    shown = i18n.format_when(lexical, datatype, language)
    assert isinstance(shown, str)
    if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", lexical):
        assert shown == lexical


# ---------------------------------------------------------------- the language, over HTTP


@pytest.fixture(scope="module")
def site(built_dist: Path) -> Iterator[str]:
    from conftest import start_server, stop_server

    process, url = start_server(built_dist)
    yield url
    stop_server(process)


PAGES = (
    "/",
    "/doc/person/sabina-aliyeva",
    "/doc/organization/oicoa",
    "/doc/event/oicoa-founding",
    "/doc/source/oicoa-home-page",
    "/disagreements",
    "/dumps/",
    "/ontology.html",
    "/dataset.html",
    "/shapes.html",
    "/graph/data.html",
    "/sparql",
)


def _html(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers={"Accept": "text/html", **headers}, timeout=30)


def test_accept_language_chooses_and_lang_in_the_url_overrides(site: str) -> None:
    assert 'lang="az"' in _html(site + "/", **{"Accept-Language": "az,en;q=0.5"}).text[:200]
    assert 'lang="en"' in _html(site + "/", **{"Accept-Language": "fr"}).text[:200]
    overridden = _html(site + "/?lang=en", **{"Accept-Language": "az"})
    assert 'lang="en"' in overridden.text[:200]
    assert "Accept-Language" in overridden.headers["Vary"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_kind_switches_language_and_keeps_the_choice_in_its_links(
    site: str, path: str
) -> None:
    english_response = _html(site + path + "?lang=en")
    azerbaijani_response = _html(site + path + "?lang=az")
    assert english_response.status_code == azerbaijani_response.status_code == 200, path
    english, azerbaijani = english_response.text, azerbaijani_response.text
    assert '<html lang="en">' in english and '<html lang="az">' in azerbaijani
    # the switch is on every page, to this page in the other language
    assert f'href="{path}?lang=az"' in english, path
    assert f'href="{path}?lang=en"' in azerbaijani, path
    # the navigation is translated, and its links keep the chosen language (regression: Jinja
    # folded `'/disagreements'|keep_language` at compile time, so each server process kept the
    # language of the first request it served)
    assert ">Disagreements<" in english and ">Fikir ayrılıqları<" in azerbaijani
    assert 'href="/disagreements?lang=az"' in azerbaijani


def test_links_to_things_keep_the_language_chosen_in_the_url(site: str) -> None:
    page = _html(site + "/doc/person/sabina-aliyeva?lang=az").text
    assert re.search(r'href="[^"]*/doc/post/azerbaijan-ombudsman\?lang=az"', page)
    unchosen = _html(site + "/doc/person/sabina-aliyeva", **{"Accept-Language": "az"}).text
    assert '<html lang="az">' in unchosen
    assert "/doc/post/azerbaijan-ombudsman?lang=" not in unchosen


def test_dates_on_a_page_are_written_in_the_readers_language(site: str) -> None:
    english = _html(site + "/doc/event/oicoa-founding?lang=en").text
    azerbaijani = _html(site + "/doc/event/oicoa-founding?lang=az").text
    assert '<time datetime="2014-04-29">April 29, 2014</time>' in english
    assert '<time datetime="2014-04-29">29 aprel 2014</time>' in azerbaijani
    assert '<time datetime="2014">2014</time>' in english  # a year stays a year


def test_the_error_page_speaks_the_readers_language(site: str) -> None:
    response = _html(site + "/doc/person/nobody-at-all?lang=az")
    assert response.status_code == 404
    assert "<h1>404 Tapılmadı</h1>" in response.text
    assert "Burada belə səhifə və ya resurs yoxdur." in response.text
    # the message names the IRI in English words: marked as English for a screen reader
    assert '<p lang="en">' in response.text
    english = _html(site + "/doc/person/nobody-at-all")
    assert "<h1>404 Not found</h1>" in english.text


def test_the_home_page_numbers_are_formatted_by_locale(site: str) -> None:
    english = _html(site + "/?lang=en").text
    azerbaijani = _html(site + "/?lang=az").text
    statements = re.search(r"<strong>([\d.,]+)</strong> statements", english)
    assert statements and "," in statements.group(1)
    assert re.search(r"<strong>\d+\.\d{3}</strong> ifadə", azerbaijani)
