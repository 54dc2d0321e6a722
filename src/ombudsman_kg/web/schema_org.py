"""schema.org JSON-LD for pages, in schema.org's own terms only (issue 11).

Search engines read a page's `<script type="application/ld+json">` as schema.org, and nothing
else in it; our statements also use ORG, PROV, OWL-Time, SKOS and okg:. So a thing's JSON-LD
holds what the data already says in schema.org terms, stated or entailed (`graph/inferred`
holds the schema: types and properties that `ontology/alignments.ttl` entails), plus the few
exact equivalents of `EQUIVALENTS` (an `rdfs:label` is a `schema:name`); the rest is dropped,
never mapped by guess. A thing without a schema: type in the data gets no `@type`.

The context is inline, `{"@vocab": "https://schema.org/", ...}`, not the string
"https://schema.org/": the data's terms are `https://schema.org/` ones (as rdflib's `SDO`),
while the context document schema.org serves maps its terms to `http://schema.org/`, so the
string would turn every term into an IRI the data does not use; and an inline context needs no
fetch, so any JSON-LD processor reads the page offline. Search engines take http and https
schema.org terms alike. URL-valued properties are coerced to IRIs in the context, so that the
JSON carries them as plain strings, the form search engines document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph

from ombudsman_kg.rdf.namespaces import (
    BASE,
    DATASET,
    DCT,
    OWL,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA,
    SKOS,
    XSD,
)
from ombudsman_kg.rdf.terms import term_value
from ombudsman_kg.web.site import Site

#: properties whose values are IRIs written as plain strings
URL_PROPERTIES = ("url", "sameAs", "mainEntityOfPage", "license", "contentUrl")
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA,
    **{name: {"@type": "@id"} for name in URL_PROPERTIES},
}
#: properties of other vocabularies that mean exactly a schema.org property
EQUIVALENTS = {
    RDFS_LABEL: "name",
    SKOS + "altLabel": "alternateName",
    OWL + "sameAs": "sameAs",
    DCT + "title": "headline",
    DCT + "publisher": "publisher",
    DCT + "issued": "datePublished",
}
DATE_TYPES = frozenset(XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth"))
#: schema.org properties whose values must be dates: other values are left out
DATE_PROPERTIES = frozenset({"datePublished", "dateModified"})
_INTEGERS = frozenset(
    XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")
)
_NUMBERS = frozenset(XSD + t for t in ("decimal", "double", "float"))
_FIRST = ("@context", "@id", "@type", "name", "alternateName")
_LAST = ("url", "mainEntityOfPage")


def page_url(iri: str) -> str:
    """The public URL of the page about `iri`: B + `doc/{kind}/{slug}` for a thing."""
    prefix = BASE + "id/"
    return BASE + "doc/" + iri[len(prefix) :] if iri.startswith(prefix) else iri


def thing_jsonld(iri: str, quads: Sequence[pyoxigraph.Quad]) -> str:
    """The JSON-LD a thing's page embeds in `<script type="application/ld+json">`: the same in
    every language (names carry their language), so the page caches hold it once per page."""
    labels = _labels(quads)
    types: set[str] = set()
    values: dict[str, set[tuple[str, str, str]]] = {}
    for quad in quads:
        if not isinstance(quad.subject, pyoxigraph.NamedNode) or quad.subject.value != iri:
            continue
        predicate, obj = quad.predicate.value, quad.object
        if predicate == RDF_TYPE:
            local = _schema_local(term_value(obj))
            if local:
                types.add(local)
            continue
        name = EQUIVALENTS.get(predicate) or _schema_local(predicate)
        if name and not isinstance(obj, pyoxigraph.BlankNode | pyoxigraph.Triple):
            if name in DATE_PROPERTIES and not _is_date(obj):
                continue
            values.setdefault(name, set()).add(_key(obj))
    node: dict[str, Any] = {"@context": CONTEXT, "@id": iri}
    if types:
        node["@type"] = _one_or_list(sorted(types))
    for name in sorted(values):
        node[name] = _one_or_list([_json_value(name, key, labels) for key in sorted(values[name])])
    node.setdefault("url", page_url(iri))
    node["mainEntityOfPage"] = page_url(iri)
    return _for_html(_ordered(node))


def dataset_jsonld(site: Site) -> str:
    """The home page's schema.org `Dataset`: its names, description, licence and version as
    the VoID description states them, and a `DataDownload` for every dump the build wrote.
    Dates, creator and publisher only where the description states them (today it does not:
    builds are reproducible, byte for byte, so the build records no date)."""

    def compute() -> str:
        about = [t for t in site.void if term_value(t.subject) == DATASET]

        def objects(*predicates: str) -> list[pyoxigraph.NamedNode | pyoxigraph.Literal]:
            return [
                t.object
                for t in about
                if t.predicate.value in predicates
                and isinstance(t.object, pyoxigraph.NamedNode | pyoxigraph.Literal)
            ]

        node: dict[str, Any] = {"@context": CONTEXT, "@id": DATASET, "@type": "Dataset"}
        fields = {
            "name": objects(DCT + "title", RDFS_LABEL),
            "description": objects(DCT + "description"),
            "license": objects(DCT + "license"),
            "version": objects(DCT + "hasVersion") or [pyoxigraph.Literal(site.version)],
            "dateModified": [o for o in objects(DCT + "modified") if _is_date(o)],
            "datePublished": [o for o in objects(DCT + "issued") if _is_date(o)],
            "creator": objects(DCT + "creator"),
            "publisher": objects(DCT + "publisher"),
        }
        for name, found in fields.items():
            keys = sorted({_key(o) for o in found})
            if keys:
                node[name] = _one_or_list([_json_value(name, k, {}) for k in keys])
        node["url"] = BASE
        node["mainEntityOfPage"] = BASE
        node["distribution"] = [
            {
                "@type": "DataDownload",
                "name": dump["file"],
                "contentUrl": f"{BASE}dumps/{dump['file']}",
                "encodingFormat": _encoding(dump),
                "sha256": dump["sha256"],
            }
            for dump in site.info["dumps"]
        ]
        return _for_html(node)

    result: str = site.cached("dataset_jsonld", compute)
    return result


def _encoding(dump: dict[str, Any]) -> str:
    """The media type of a dump; a gzipped one with the `+gzip` suffix (RFC 8460 registers it),
    as schema.org suggests `+zip` for a zipped file."""
    media_type = str(dump["media_type"])
    return media_type + "+gzip" if str(dump["file"]).endswith(".gz") else media_type


def _schema_local(iri: str) -> str:
    """The local name of a schema.org term, "" for any other IRI (and for a name that would
    not expand back to the same IRI under `@vocab`)."""
    if not iri.startswith(SCHEMA):
        return ""
    local = iri[len(SCHEMA) :]
    return local if local.isalnum() and local.isascii() else ""


def _labels(quads: Iterable[pyoxigraph.Quad]) -> dict[str, set[tuple[str, str, str]]]:
    labels: dict[str, set[tuple[str, str, str]]] = {}
    for quad in quads:
        if quad.predicate.value == RDFS_LABEL and isinstance(quad.object, pyoxigraph.Literal):
            labels.setdefault(term_value(quad.subject), set()).add(_key(quad.object))
    return labels


def _key(term: pyoxigraph.NamedNode | pyoxigraph.Literal) -> tuple[str, str, str]:
    """A term as a sortable, hashable triple: (kind, value, language or datatype)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value, "")
    if term.language:
        return ("text", term.value, "@" + term.language)
    return ("text", term.value, term.datatype.value)


def _is_date(term: object) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.datatype.value in DATE_TYPES


def _json_value(
    name: str, key: tuple[str, str, str], labels: dict[str, set[tuple[str, str, str]]]
) -> Any:
    """A value as schema.org expects it: an IRI as a node (named where the label is known), or
    as a plain string under a URL property; text with its language; a number as a number; a
    date as its ISO lexical form, at the precision the data states."""
    kind, value, extra = key
    if kind == "iri":
        if name in URL_PROPERTIES:
            return value
        node: dict[str, Any] = {"@id": value}
        names = sorted(labels.get(value, ()))
        if names:
            node["name"] = _one_or_list([_json_value("name", n, {}) for n in names])
        return node
    if extra.startswith("@"):
        return {"@value": value, "@language": extra[1:]}
    if extra in _INTEGERS and value.lstrip("+-").isdigit():
        return int(value)
    if extra in _NUMBERS:
        try:
            number = float(value)
        except ValueError:
            return value
        return number if number == number and abs(number) != float("inf") else value
    if extra == XSD + "boolean":
        return value in ("true", "1")
    return value


def _one_or_list(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _ordered(node: dict[str, Any]) -> dict[str, Any]:
    first = {k: node[k] for k in _FIRST if k in node}
    last = {k: node[k] for k in _LAST if k in node}
    middle = {k: v for k, v in node.items() if k not in first and k not in last}
    return {**first, **middle, **last}


def _for_html(node: dict[str, Any]) -> str:
    """JSON that cannot end its `<script>` element: `<`, `>` and `&` as JSON escapes, so no
    `</script>` or `<!--` can appear, and the JSON parses to the same values."""
    text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
