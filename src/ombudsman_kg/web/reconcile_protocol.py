"""The JSON of the reconciliation API 0.2: what a request may say, and what each answer holds.

`web.reconcile` reads the HTTP request and hands the parsed JSON here; this module checks it
against the 0.2 text ("Structure of a Reconciliation Query", "Data Extension Query Requests"),
asks the index, and shapes the answer ("Reconciliation Query Responses", "Suggest Responses",
"Data Extension Responses"). A request that is not as 0.2 says is refused whole, naming the
query and the field, rather than half answered.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph

from ombudsman_kg.errors import BadRequest, PayloadTooLarge
from ombudsman_kg.rdf.namespaces import OKG, PREFIXES, XSD
from ombudsman_kg.web.i18n import N_, gettext
from ombudsman_kg.web.reconcile_index import (
    IDENTIFIER_SPACE,
    STRICTNESS,
    Entity,
    Query,
    ReconcileIndex,
)

VERSIONS = ["0.2"]
SERVICE_NAME = "Ombudsman KG: the OIC Ombudsman Association and its members"
BATCH_SIZE = 50
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
PREVIEW_SIZE = {"width": 400, "height": 170}
#: offered in `defaultTypes` when the data has things of them
DEFAULT_TYPES = (
    "http://www.w3.org/ns/org#FormalOrganization",
    "http://xmlns.com/foaf/0.1/Person",
    "https://schema.org/Country",
    "http://www.w3.org/ns/org#Post",
    "http://www.w3.org/ns/org#OrganizationalUnit",
    "https://schema.org/City",
)
QUERY_KEYS = frozenset({"query", "type", "type_strict", "limit", "properties"})
_INTEGER_TYPES = "integer int long short byte nonNegativeInteger positiveInteger negativeInteger "
_INTEGER_TYPES += "nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte"
INTEGERS = {XSD + name for name in _INTEGER_TYPES.split()}
FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}
DATES = {XSD + n for n in ("date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth")}
SETTINGS: list[dict[str, Any]] = [
    {"name": "limit", "label": N_("Limit"), "type": "number", "default": 0,
     "help_text": N_("Maximum number of values per thing (0: all)")},
    {"name": "lang", "label": N_("Language"), "type": "select", "default": "",
     "help_text": N_("Texts in this language only"),
     "choices": [{"value": "", "name": N_("any")}, {"value": "en", "name": "English"},
                 {"value": "az", "name": "Azərbaycanca"}]},
]  # fmt: skip
#: the names of the types people reconcile against, for the catalog: the vocabularies we reuse
#: label none of them, so their names are their local names in words, translated where shown
TYPE_NAMES = (
    N_("Formal Organization"), N_("Organization"), N_("Organizational Unit"), N_("Person"),
    N_("Agent"), N_("Country"), N_("City"), N_("Administrative Area"), N_("Place"), N_("Post"),
)  # fmt: skip


def manifest(index: ReconcileIndex, *, service: str, origin: str, language: str) -> dict[str, Any]:
    """0.2 "Service Manifest"; `service` is this endpoint's URL as the client reached it."""
    in_use = index.types_in_use()
    return {
        "versions": VERSIONS,
        "name": SERVICE_NAME,
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": OKG,
        "defaultTypes": [
            {"id": t, "name": term_name(index, t, language)} for t in DEFAULT_TYPES if t in in_use
        ],
        "documentation": origin + "/",
        "view": {"url": service + "/view?id={{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", **PREVIEW_SIZE},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/propose_properties"},
            "property_settings": [_translated(setting) for setting in SETTINGS],
        },
        "batchSize": BATCH_SIZE,
    }


def answer_batch(index: ReconcileIndex, batch: Any, *, language: str) -> dict[str, Any]:
    """Each query answered on its own (0.2: "independently of the other queries").

    :raises BadRequest: when the batch or one of its queries is not as 0.2 says.
    :raises PayloadTooLarge: over `BATCH_SIZE` queries (0.2 "batchSize": 413).
    """
    if not isinstance(batch, dict):
        raise BadRequest("`queries` must be a JSON object of queries keyed by id (q0, q1, ...)")
    if len(batch) > BATCH_SIZE:
        raise PayloadTooLarge(
            f"{len(batch)} queries in one batch; this service takes at most {BATCH_SIZE}"
        )
    queries = {key: read_query(key, raw) for key, raw in batch.items()}
    answer = {}
    for key, query in queries.items():
        candidates = index.reconcile(query, language=language) if query else []
        answer[key] = {
            "result": [
                {
                    "id": c.entity.iri,
                    "name": c.name,
                    **description(c.entity, language),
                    "type": types_of(index, c.entity, language),
                    "score": c.score,
                    "features": [{"id": f, "value": v} for f, v in c.features],
                    "match": c.match,
                }
                for c in candidates
            ]
        }
    return answer


def read_query(key: str, raw: Any) -> Query | None:
    """One query; None when its text is empty and it has no properties (a blank cell): its
    result is empty and the rest of the batch is answered.

    :raises BadRequest: naming the query and the field that is not as 0.2 says.
    """
    if not isinstance(raw, dict):
        raise BadRequest(f"query {key!r} must be a JSON object")
    if unknown := set(raw) - QUERY_KEYS:
        raise BadRequest(f"query {key!r} has unknown fields: {', '.join(sorted(unknown))}")
    text, types, strict = raw.get("query", ""), raw.get("type", []), raw.get("type_strict")
    properties, limit = raw.get("properties", []), raw.get("limit", DEFAULT_LIMIT)
    if not isinstance(text, str):
        raise BadRequest(f"query {key!r}: `query` must be a string")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("pid"), str) and "v" in p for p in properties
    ):
        raise BadRequest(f"query {key!r}: `properties` must be a list of {{pid, v}} objects")
    if "query" not in raw and not properties:
        raise BadRequest(f"query {key!r} needs a `query` or `properties`")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadRequest(f"query {key!r}: `type` must be a type id or a list of them")
    if strict is not None and strict not in STRICTNESS:
        raise BadRequest(f"query {key!r}: `type_strict` must be one of {', '.join(STRICTNESS)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise BadRequest(f"query {key!r}: `limit` must be a positive integer")
    checked = []
    for prop in properties:
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        if not all(_is_property_value(v) for v in values):
            raise BadRequest(
                f"query {key!r}: a property value is text, a number, a boolean or {{id, name}}"
            )
        checked.append((prop["pid"], tuple(values)))
    if not text.strip() and not checked:
        return None
    kinds = tuple(t for t in types if t)
    return Query(text.strip(), kinds, strict or "should", tuple(checked), min(limit, MAX_LIMIT))


def extend(index: ReconcileIndex, request: Any, *, language: str) -> dict[str, Any]:
    """0.2 "Data Extension Responses": `meta` in the order asked, `rows` by id, then property.

    :raises BadRequest: when `extend` is not `{ids: [...], properties: [{id, settings?}]}`.
    """
    if not isinstance(request, dict):
        raise BadRequest("`extend` must be a JSON object {ids, properties}")
    ids, properties = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("`extend.ids` must be a list of identifiers")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        raise BadRequest("`extend.properties` must be a list of {id, settings} objects")
    if len(ids) > BATCH_SIZE * 10:
        raise PayloadTooLarge(f"at most {BATCH_SIZE * 10} ids in one data extension")
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for iri in ids:
        entity = index.entities.get(iri)
        rows[iri] = {}
        for prop in properties:
            settings = prop.get("settings") or {}
            if not isinstance(settings, dict):
                raise BadRequest(f"the settings of {prop['id']!r} must be an object")
            limit = count(str(settings.get("limit", 0) or 0), "settings.limit", minimum=0)
            wanted = str(settings.get("lang", "") or "")
            found = [
                value
                for value in (entity.values.get(prop["id"], []) if entity else [])
                if not wanted
                or not isinstance(value, pyoxigraph.Literal)
                or value.language in (None, wanted)
            ]
            typed = [typed_value(index, v, language) for v in found]
            rows[iri][prop["id"]] = typed[:limit] if limit else typed
    meta = [{"id": p["id"], "name": term_name(index, p["id"], language)} for p in properties]
    return {"meta": meta, "rows": rows}


def typed_value(index: ReconcileIndex, value: Any, language: str) -> dict[str, Any]:
    """A value as 0.2 types it: an entity of ours `{id, name}`, else `int`, `float`, `date`
    (ISO 8601 at the precision the data states: "2014" stays a year), `bool` or `str`."""
    if isinstance(value, pyoxigraph.Literal):
        datatype = value.datatype.value
        try:
            if datatype in INTEGERS:
                return {"int": int(value.value)}
            if datatype in FLOATS:
                return {"float": float(value.value)}
        except ValueError:
            return {"str": value.value}
        if datatype in DATES:
            return {"date": value.value}
        if datatype == XSD + "boolean":
            return {"bool": value.value in ("true", "1")}
        return {"str": value.value}
    entity = index.entities.get(value.value)
    if entity is not None or value.value.startswith(IDENTIFIER_SPACE):
        return {"id": value.value, "name": entity.label(language) if entity else value.value}
    # an IRI outside our identifier space (a class, a Wikidata item) would need another
    # service named in `meta` (0.2); it is given as text
    return {"str": value.value}


def proposals(index: ReconcileIndex, type_id: str, *, limit: int | None, language: str) -> Any:
    """0.2 "Data Extension Property Proposals": the properties things of `type_id` have, the
    most common first. OpenRefine does not encode the type (`add-column-by-reconciliation.js`),
    so an IRI with `#` arrives cut there: it stands for every type of that namespace."""
    in_use = index.types_in_use()
    types = [type_id] if type_id in in_use else [t for t in in_use if t.startswith(type_id + "#")]
    counts = index.properties_of(types)
    ranked = sorted(counts, key=lambda p: (-counts[p], term_name(index, p, language), p))
    answer: dict[str, Any] = {"type": type_id, **({"limit": limit} if limit else {})}
    answer["properties"] = [
        {"id": p, "name": term_name(index, p, language)} for p in ranked[:limit]
    ]
    return answer


def term_name(index: ReconcileIndex, iri: str, language: str) -> str:
    """The ontology's label of a type or property, else its local name in words."""
    labels = index.term_labels.get(iri, {})
    if chosen := labels.get(language) or labels.get("en"):
        return chosen
    local = re.split(r"[#/]", iri.rstrip("#/"))[-1] or iri
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)
    # a property's local name is lower camel case: "wasDerivedFrom" reads "was derived from"
    return words.lower() if local[:1].islower() else gettext(words)


def types_of(index: ReconcileIndex, entity: Entity, language: str) -> list[dict[str, str]]:
    """The thing's types, the most specific first (OpenRefine's type guess reads the order)."""
    return [{"id": t, "name": term_name(index, t, language)} for t in entity.types]


def description(entity: Entity, language: str) -> dict[str, str]:
    """The thing's label in the other language, which tells namesakes and spellings apart;
    nothing when it is the same (a description is optional in 0.2)."""
    other = entity.label("az" if language != "az" else "en")
    return {"description": other} if other != entity.label(language) else {}


def curie(iri: str) -> str:
    """`foaf:Person` for a term of a namespace we name, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def count(text: str, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number parameter. :raises BadRequest: when it is not one, or out of range."""
    try:
        number = int(text)
    except ValueError:
        raise BadRequest(f"`{name}` must be a whole number, not {text!r}") from None
    if number < minimum or (maximum is not None and number > maximum):
        raise BadRequest(f"`{name}` must be between {minimum} and {maximum or 'any'}")
    return number


def _translated(setting: dict[str, Any]) -> dict[str, Any]:
    """A property setting with its label, help and choices in the reader's language."""
    shown: dict[str, Any] = dict(setting)
    for key in ("label", "help_text"):
        shown[key] = gettext(setting[key])
    if "choices" in setting:
        shown["choices"] = [{**c, "name": gettext(c["name"])} for c in setting["choices"]]
    return shown


def _is_property_value(value: Any) -> bool:
    if isinstance(value, dict):
        return isinstance(value.get("id"), str)
    return isinstance(value, str | int | float | bool)
