"""The terms of a Triple (or Quad) Pattern Fragment's selector, as a client writes them.

The TPF specification fixes how a term goes into the `hydra:template` (§ "Hypermedia controls",
the encodings every server MUST support): an IRI as its bare text, a literal in double quotes
with `@lang` (lowercase) or `^^datatype` written *without* angle brackets, a variable as the
empty string or `?name`. Comunica writes exactly this (`rdf-string`'s `termToString`). Blank
nodes are not allowed in a selector. Anything else is refused with the reason, never guessed.
"""

from __future__ import annotations

import re

import pyoxigraph

from ombudsman_kg.errors import BadRequest

Selected = pyoxigraph.NamedNode | pyoxigraph.Literal

#: where a term stands in the selector; only an object may be a literal
POSITIONS = ("subject", "predicate", "object", "graph")

_VARIABLE = re.compile(r"\?\w+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def parse_term(text: str, position: str) -> Selected | None:
    """The IRI or literal that `text` writes, or None for a variable.

    :raises BadRequest: for a blank node, a quoted triple, a literal anywhere but the object,
        a malformed literal or language tag, or text that is not an absolute IRI.
    """
    if position not in POSITIONS:
        raise ValueError(f"no such position: {position}")
    if text == "" or _VARIABLE.fullmatch(text):
        return None
    if text.startswith("_:"):
        raise BadRequest(
            f"{position} {text!r} is a blank node: a fragment selects by IRI, literal or variable"
            " (TPF §Selector), and this data set has no blank nodes"
        )
    if text.startswith("<<"):
        raise BadRequest(f"{position} {text!r}: quoted triples are not supported")
    if text.startswith('"'):
        if position != "object":
            raise BadRequest(f"{position} {text!r}: only an object can be a literal")
        return _literal(text)
    if text.startswith("?"):
        raise BadRequest(
            f"{position} {text!r}: a variable is empty or '?' followed by letters, digits or _"
        )
    return _iri(text, position)


def format_term(term: Selected | None) -> str:
    """The text `parse_term` reads back as `term` (the template's encoding); '' for a variable."""
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if term.language:
        return f'"{term.value}"@{term.language}'
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return f'"{term.value}"'
    return f'"{term.value}"^^{term.datatype.value}'


def _literal(text: str) -> pyoxigraph.Literal:
    """`"v"`, `"v"@lang` or `"v"^^IRI`: the value runs to the last double quote, since neither a
    language tag nor an IRI may hold one (the value is not escaped in this encoding)."""
    end = text.rfind('"')
    if end == 0:
        raise BadRequest(f"object {text!r}: a literal needs a closing double quote")
    value, rest = text[1:end], text[end + 1 :]
    if rest == "":
        return pyoxigraph.Literal(value)
    if rest.startswith("@"):
        language = rest[1:]
        if not _LANGUAGE.fullmatch(language):
            raise BadRequest(f"object {text!r}: {language!r} is not a language tag (BCP 47)")
        return pyoxigraph.Literal(value, language=language.lower())
    if rest.startswith("^^"):
        datatype = _iri(rest[2:], "the datatype of the object")
        if (
            datatype.value.startswith(_RDF + "dirLangString")
            or datatype.value == _RDF + "langString"
        ):
            raise BadRequest(f'object {text!r}: write a language-tagged literal as "v"@lang')
        try:
            return pyoxigraph.Literal(value, datatype=datatype)
        except ValueError as error:
            raise BadRequest(f"object {text!r}: {error}") from None
    raise BadRequest(
        f"object {text!r}: after a literal's closing quote comes nothing, @lang or ^^datatype"
    )


def _iri(text: str, position: str) -> pyoxigraph.NamedNode:
    """An absolute IRI, bare as the specification writes it or in angle brackets."""
    bare = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if not _SCHEME.match(bare):
        what = (
            "an absolute IRI"
            if position.endswith("datatype of the object")
            else ("an absolute IRI, a literal or a variable")
        )
        raise BadRequest(f"{position} {text!r} is not {what}")
    try:
        return pyoxigraph.NamedNode(bare)
    except ValueError as error:
        raise BadRequest(f"{position} {text!r} is not a valid IRI: {error}") from None
