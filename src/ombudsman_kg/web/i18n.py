"""The site in Azerbaijani and English: message catalogs, the reader's language, dates and numbers.

The messages are written in English in the templates and the code (`_("Sources")`); their
Azerbaijani is in `translations/az/LC_MESSAGES/messages.po`, a gettext catalog that
`pybabel extract`/`update` maintain and a translator can edit. The catalog is read with Babel
when the app starts (no compiled `.mo` to keep in step). Dates and numbers are formatted by
Babel from the CLDR data of each locale, at the precision the data states: a year stays a year,
a month a month ("oktyabr 2022", "October 2022"), a day a day ("29 aprel 2014").
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from flask import Flask, has_request_context, request
from jinja2 import pass_context

from ombudsman_kg.rdf.namespaces import XSD

LANGUAGES = ("en", "az")
#: the language the messages are written in
SOURCE_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "az": "Azərbaycanca"}
TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for extraction only")
    """Mark a message for the catalog where it is defined; it is translated where shown."""
    return message


@cache
def catalog(language: str) -> NullTranslations:
    """The language's catalog, compiled in memory from its `.po`; English needs none."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        messages = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, messages, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def reader_language() -> str:
    """`?lang=` if given, else the best of `Accept-Language`, else English."""
    if not has_request_context():
        return SOURCE_LANGUAGE
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=SOURCE_LANGUAGE) or "en"


def chosen_in_url() -> str | None:
    """The language the URL itself asks for (`?lang=`), which the page's links keep."""
    if not has_request_context():
        return None
    chosen = request.args.get("lang")
    return chosen if chosen in LANGUAGES else None


def current_language() -> str:
    """The language of this request, decided once (kept in the WSGI environ: one proxy lookup,
    where `flask.g` took several; a page asks for it on every message)."""
    if not has_request_context():
        return SOURCE_LANGUAGE
    environ = request.environ
    language: str | None = environ.get(_LANGUAGE_KEY)
    if language is None:
        language = environ[_LANGUAGE_KEY] = reader_language()
    return language


_LANGUAGE_KEY = "ombudsman_kg.language"


def gettext(message: str, **variables: Any) -> str:
    text = catalog(current_language()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, number: int, **variables: Any) -> str:
    text = catalog(current_language()).ungettext(singular, plural, number)
    variables.setdefault("num", format_number(number))
    return text % variables


_ = gettext


def format_number(number: float | int, language: str | None = None) -> str:
    """4,782 in English, 4.782 in Azerbaijani."""
    return format_decimal(number, locale=language or current_language())


_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?")
#: CLDR skeletons by the precision an XSD datatype states
_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMMd"}
PRECISION_OF = {
    XSD + "gYear": "year",
    XSD + "gYearMonth": "month",
    XSD + "date": "day",
    XSD + "dateTime": "day",
    XSD + "dateTimeStamp": "day",
}


def format_when(lexical: str, datatype: str, language: str | None = None) -> str:
    """A Gregorian date literal in the reader's language at the precision its datatype states;
    anything else (another datatype, a value the pattern does not read) as it is written."""
    precision = PRECISION_OF.get(datatype)
    match = _DATE.match(lexical)
    if precision is None or match is None:
        return lexical
    year = int(match.group(1))
    if not 1 <= year <= 9999:
        return lexical
    month = int(match.group(2) or 1)
    day = int(match.group(3) or 1)
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return lexical
    return format_skeleton(_SKELETONS[precision], value, locale=language or current_language())


@cache
def locale(language: str) -> Locale:
    return Locale.parse(language)


def language_links() -> list[tuple[str, str, str, bool]]:
    """(language, its name, this page in it, is it the current one) for the switch on every
    page: the same path and query, `lang` set."""
    if not has_request_context():
        return []
    links = []
    for language in LANGUAGES:
        arguments = request.args.copy()
        arguments["lang"] = language
        href = request.path + "?" + urlencode(list(arguments.items(multi=True)))
        links.append((language, LANGUAGE_NAMES[language], href, language == current_language()))
    return links


def keep_language(href: str) -> str:
    """`href` on this origin with the `?lang=` the URL chose, so that a choice survives a click."""
    chosen = chosen_in_url()
    if chosen is None or not href.startswith("/") or href.startswith("//"):
        return href
    path, _, fragment = href.partition("#")
    joiner = "&" if "?" in path else "?"
    return path + joiner + "lang=" + chosen + ("#" + fragment if fragment else "")


def install(app: Flask) -> None:
    """gettext and the formatters in every template, for the request's language."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        languages=LANGUAGES,
        format_when=format_when,
        current_language=current_language,
        language_links=language_links,
    )
    # Jinja folds a filter of a constant when it compiles the template, in whichever request
    # comes first: a filter that reads the request must say it depends on its context.
    app.jinja_env.filters["number"] = pass_context(lambda _context, n: format_number(n))
    app.jinja_env.filters["keep_language"] = pass_context(
        lambda _context, href: keep_language(href)
    )
