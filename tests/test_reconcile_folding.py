"""The folding that lets names typed by people meet the data's labels (`rdf.folding`).

Examples are the spellings the reconciliation issue names (the data's own labels: "Səbinə
Əliyeva"@az, "Sabina Aliyeva"@en, the acronyms "İƏT-OA"@az and "OICOA"); properties are
checked with hypothesis over any text, and over the Azerbaijani alphabet where a claim is
about it.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ombudsman_kg.rdf.folding import compact, fold, keys, similarity, trigrams

AZERBAIJANI_LOWER = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
AZERBAIJANI_UPPER = "ABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ"
azerbaijani_text = st.text(alphabet=AZERBAIJANI_LOWER + AZERBAIJANI_UPPER + " -", max_size=40)


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        ("ə", "e"),
        ("Ə", "e"),
        ("ı", "i"),
        ("İ", "i"),
        ("I", "i"),
        ("ğ", "g"),
        ("Ğ", "g"),
        ("ö", "o"),
        ("Ö", "o"),
        ("ü", "u"),
        ("Ü", "u"),
        ("ç", "c"),
        ("Ç", "c"),
        ("ş", "s"),
        ("Ş", "s"),
        ("x", "x"),
        ("X", "x"),
        ("q", "q"),
    ],
)
def test_each_azerbaijani_letter_folds_by_the_table(letter: str, folded: str) -> None:
    assert fold(letter) == folded


def test_the_traps_unicode_alone_falls_into() -> None:
    """NFKD keeps ə and ı; `"İ".lower()` leaves a combining dot; ASCII encoding drops letters."""
    assert unicodedata.normalize("NFKD", "Şəki").encode("ascii", "ignore") == b"Ski"
    assert fold("Şəki") == "seki"
    assert "İnsan".lower() != "insan"
    assert fold("İnsan") == "insan"
    assert fold("Əliyev") == "eliyev"
    assert fold("Xudaiyan") == "xudaiyan"  # x is a letter of its own, not "kh"


def test_the_names_of_the_issue_are_one_name() -> None:
    assert keys("Sabina Aliyeva") & keys("Səbinə Əliyeva") & keys("SABINA ALIYEVA")
    assert keys("Sebine Eliyeva") & keys("Səbinə Əliyeva")
    assert keys("OIC-OA") & keys("OICOA")
    assert keys("IET-OA") & keys("İƏT-OA")
    assert keys("iət oa") & keys("İƏT-OA")


def test_different_names_stay_different() -> None:
    assert not keys("Sabina Aliyeva") & keys("Madina Mammadova")
    assert not keys("OIC") & keys("OICOA")
    assert not keys("Xudaiyan") & keys("Khudaiyan")


def test_latin_look_alikes_and_typography_fold_to_latin() -> None:
    cyrillic_a_o = "Sаbinа Аliyevа Оmbudsmаn"  # Cyrillic а, А, О
    assert any(ord(ch) > 0x400 for ch in cyrillic_a_o)
    assert fold(cyrillic_a_o) == "sabina aliyeva ombudsman"
    assert fold("Women’s Rights") == fold("Women's Rights")
    assert fold("OIC–OA") == fold("OIC-OA") == "oic-oa"
    assert fold("  Sabina\u00a0\tAliyeva ") == "sabina aliyeva"


def test_compatibility_characters_fold_once_and_for_all() -> None:
    assert fold("Ⅸ") == "ix"
    assert fold("ＯＩＣＯＡ") == "oicoa"
    assert fold("ﬁ") == "fi"


@given(st.text(max_size=60))
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=60))
def test_folding_has_no_capitals_no_marks_and_no_runs_of_space(text: str) -> None:
    folded = fold(text)
    assert folded == folded.casefold()
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "  " not in folded and folded == folded.strip()


@given(azerbaijani_text)
def test_folding_ignores_case_in_azerbaijani(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(azerbaijani_text)
def test_azerbaijani_text_folds_to_ascii_letter_for_letter(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert len(folded) == len(" ".join(text.split()))


@given(azerbaijani_text)
def test_schwa_is_found_as_e_and_as_a(text: str) -> None:
    found = keys(text)
    assert fold(text) in found or not fold(text)
    assert fold(text.replace("ə", "a").replace("Ə", "A")) in found or not fold(text)


@given(st.text(max_size=40))
def test_a_text_and_its_fold_are_the_same_name(text: str) -> None:
    assert keys(fold(text)) & keys(text) or not fold(text)
    assert compact(fold(text)) in keys(text) or not compact(fold(text))


@given(st.text(max_size=40), st.text(max_size=40))
def test_similarity_is_symmetric_and_between_0_and_1(left: str, right: str) -> None:
    a, b = fold(left), fold(right)
    assert 0.0 <= similarity(a, b) <= 1.0
    assert similarity(a, b) == similarity(b, a)
    if trigrams(a):
        assert similarity(a, a) == 1.0


def test_similarity_ranks_a_typo_above_another_name() -> None:
    typo = similarity(fold("Sabina Aliyva"), fold("Sabina Aliyeva"))
    other = similarity(fold("Sabina Aliyva"), fold("Madina Mammadova"))
    assert typo > 0.7 > other
