"""Text folding for matching names typed by people against labels in English and Azerbaijani.

Two spellings of one name must meet: "Səbinə Əliyeva", "Sabina Aliyeva" and "SABINA ALIYEVA";
"İƏT-OA" typed on a keyboard without Azerbaijani letters. Unicode alone does not get there:
NFKD leaves `ə` and dotless `ı` as they are (they are letters, not letters with marks), and
`"İ".lower()` is `i` followed by a combining dot. So an explicit table for Azerbaijani runs
*before* NFKD and the stripping of marks: ə→e, ı→i, İ→i, ğ→g, ö→o, ü→u, ç→c, ş→s; `x` stays `x`
(it is a letter of its own, not "kh"). English data also holds Latin look-alikes: Cyrillic and
Greek letters that render as Latin ones, typographic apostrophes and dashes; they fold to ASCII.

Azerbaijani transliterates `ə` to English as `a` as often as `e` (Səbinə → Sabina, Mədinə →
Madina), so `keys` gives both readings; and acronyms are written with and without hyphens
("OIC-OA", "OICOA"), so it also gives each reading without spaces and punctuation.

Pure: no I/O, no Flask, no store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Azerbaijani letters that NFKD would keep or mangle, folded first (both cases; ə's look-alike
#: U+01DD "turned e" is typed for it), then what renders as Latin in English text: Cyrillic and
#: Greek homoglyphs, typographic apostrophes, quotation marks and dashes.
AZERBAIJANI = {
    "ə": "e",
    "Ə": "e",
    "ǝ": "e",
    "Ǝ": "e",
    "ı": "i",
    "İ": "i",
    "ğ": "g",
    "Ğ": "g",
    "ö": "o",
    "Ö": "o",
    "ü": "u",
    "Ü": "u",
    "ç": "c",
    "Ç": "c",
    "ş": "s",
    "Ş": "s",
    "ș": "s",
    "Ș": "s",
}
LOOK_ALIKES = {
    # Cyrillic
    "а": "a", "А": "a", "в": "b", "В": "b", "е": "e", "Е": "e", "ё": "e", "Ё": "e",
    "і": "i", "І": "i", "ј": "j", "Ј": "j", "к": "k", "К": "k", "м": "m", "М": "m",
    "н": "h", "Н": "h", "о": "o", "О": "o", "р": "p", "Р": "p", "с": "c", "С": "c",
    "т": "t", "Т": "t", "у": "y", "У": "y", "х": "x", "Х": "x", "ѕ": "s", "Ѕ": "s",
    "ԛ": "q", "Ԛ": "q", "ԝ": "w", "Ԝ": "w", "һ": "h", "Һ": "h",
    # Greek
    "α": "a", "Α": "a", "β": "b", "Β": "b", "ε": "e", "Ε": "e", "ι": "i", "Ι": "i",
    "κ": "k", "Κ": "k", "ν": "v", "Ν": "n", "ο": "o", "Ο": "o", "ρ": "p", "Ρ": "p",
    "τ": "t", "Τ": "t", "υ": "u", "Υ": "y", "χ": "x", "Χ": "x", "Ζ": "z", "Η": "h",
    "Μ": "m",
    # typography
    "ʼ": "'", "’": "'", "‘": "'", "‛": "'", "`": "'", "´": "'", "ʹ": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
}  # fmt: skip
TABLE = str.maketrans(AZERBAIJANI | LOOK_ALIKES)
#: what `ə` reads as in English spellings besides `e`
SCHWA_AS_A = str.maketrans({"ə": "a", "Ə": "a", "ǝ": "a", "Ǝ": "a"})
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lowercase ASCII-like form of `text`: the table above, case folding, NFKD, no marks, every
    dash a hyphen, runs of white space one space.

    Idempotent (`fold(fold(t)) == fold(t)`): a second pass catches what NFKD itself produces
    (`Ⅸ` → `IX`, the full-width letters), so the table and the case folding run again on it.
    """
    for _ in range(2):
        text = unicodedata.normalize("NFKD", text.translate(TABLE).casefold())
        text = "".join(
            "-" if unicodedata.category(ch) == "Pd" else ch
            for ch in text
            if not unicodedata.combining(ch)
        )
    return " ".join(text.split())


def compact(folded: str) -> str:
    """`folded` without spaces and punctuation: "oic-oa" and "oicoa" are one key."""
    return _NOT_WORD.sub("", folded)


def keys(text: str) -> frozenset[str]:
    """Every key a name is found by: its fold, the fold with `ə` read as `a`, and both compact.

    Two names are the same name when their key sets meet.
    """
    readings = {fold(text), fold(text.translate(SCHWA_AS_A))}
    return frozenset(readings | {compact(reading) for reading in readings} - {""})


def words(folded: str) -> list[str]:
    """The words of a folded text, punctuation dropped."""
    return [word for word in _NOT_WORD.split(folded) if word]


def trigrams(folded: str) -> frozenset[str]:
    """Character trigrams of each word, padded so that short words and word starts count."""
    grams: set[str] = set()
    for word in words(folded):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(query: str, label: str) -> float:
    """Dice coefficient of the trigrams of two folded texts, from 0 (none shared) to 1."""
    left, right = trigrams(query), trigrams(label)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def prefix_rank(prefix: str, names: Iterable[str]) -> int | None:
    """How well one of `names` answers a prefix search (0.2 "Suggest Services"): 0 the same
    name, 1 a name that starts with it, 2 a name with a word that starts with it; None none."""
    wanted = fold(prefix)
    wanted_keys = keys(prefix)
    word_start = re.compile(r"(?:^|\W)" + re.escape(wanted))
    best: int | None = None
    for name in names:
        folded = fold(name)
        if keys(name) & wanted_keys:
            return 0
        short = compact(wanted)
        if folded.startswith(wanted) or (short and compact(folded).startswith(short)):
            best = 1
        elif best is None and word_start.search(folded):
            best = 2
    return best
