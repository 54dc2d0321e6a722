"""The requests OpenRefine 3.x sends to a reconciliation service, replayed on both stores.

Taken from OpenRefine's source (`OpenRefine/OpenRefine` at ff43aa1, 2026-08-16), not from the
spec, because OpenRefine is the client people use:

1. registering the service: a GET of the endpoint for the manifest, CORS JSON first
   (`main/webapp/modules/core/scripts/reconciliation/recon-manager.js`);
2. guessing the column's type: a form POST of `queries` holding the first 10 distinct
   non-blank cells as `{"qN": {"query": cell, "limit": 3}}`, ranked by candidate rank and by the
   type's position in the candidate's `type` list, the types seen in most queries first
   (`main/src/com/google/refine/commands/recon/GuessTypesOfColumnCommand.java`, `guessTypes`);
3. reconciling: batches of `min(max(rows / 10, 10), batchSize)` cells, each a form POST of
   `queries` `{"q0": {"query", "type", "type_strict": "should"}, ...}` (no `type` nor
   `type_strict` against "no particular type"; no `limit` when it is 0), the candidates re-sorted
   by score, auto-matched when the top one says `match: true`
   (`modules/core/src/main/java/com/google/refine/model/recon/StandardReconConfig.java`,
   `ReconQuery`, `batchRecon`, `createReconServiceResults`, `DEFAULT_BATCH_SIZE`);
4. adding columns from the reconciled values: property proposals by a GET of the
   `propose_properties` URL + `"?type=" + typeID`, the id unencoded
   (`main/webapp/modules/core/scripts/dialogs/add-column-by-reconciliation.js`,
   `getAllProperties`), then a form POST of `extend` `{"ids": [...], "properties": [{"id"}]}`,
   read as `meta` and `rows[id][pid]`, values `id`/`str`/`float`/`int`/`date`/`bool`
   (`modules/core/src/main/java/com/google/refine/model/recon/ReconciledDataExtensionJob.java`).

The table (`fixtures/reconcile/institutions.csv`) has institutions, people and countries in
English and Azerbaijani spellings and acronyms, names that are not in the data, and names the
data gives to two things (ambiguous unless a type settles it).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import KnowledgeGraph
from httpcheck import TIMEOUT
from test_http_reconcile import check_extension, check_manifest, check_proposal, check_result_batch

TABLE = Path(__file__).parent / "fixtures" / "reconcile" / "institutions.csv"
ID = "https://w3id.org/ombudsman-kg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ISO_ALPHA2 = "https://w3id.org/ombudsman-kg/ontology#iso3166Alpha2"
#: the type a user picks from OpenRefine's guess, per column (None: "no particular type")
COLUMN_TYPES = {
    "institution": "http://www.w3.org/ns/org#FormalOrganization",
    "person": "http://xmlns.com/foaf/0.1/Person",
    "country": "https://schema.org/Country",
    "mixed": None,
}
SAMPLE_SIZE = 10  # GuessTypesOfColumnCommand.sampleSize
DEFAULT_BATCH_SIZE = 10  # StandardReconConfig.DEFAULT_BATCH_SIZE


@dataclass(frozen=True)
class Row:
    column: str
    cell: str
    expected: tuple[str, ...]
    auto_match: bool
    why: str


@dataclass
class Recon:
    """What OpenRefine keeps of a cell: its candidates by score and the auto-match."""

    candidates: list[dict[str, Any]]
    match: dict[str, Any] | None


def table() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                r["column"],
                r["cell"],
                tuple(ID + e for e in r["expected"].split("|") if e),
                r["auto_match"] == "yes",
                r["why"],
            )
            for r in csv.DictReader(handle)
        ]


def column(name: str) -> list[Row]:
    return [row for row in table() if row.column == name]


def post_queries(service: str, queries: dict[str, Any]) -> dict[str, Any]:
    """`HttpClient.postNameValue(url, "queries", ...)`: one form field."""
    response = requests.post(service, data={"queries": json.dumps(queries)}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    batch: dict[str, Any] = response.json()
    check_result_batch(batch, queries)
    return batch


def guess_types(service: str, cells: list[str]) -> list[str]:
    """`GuessTypesOfColumnCommand.guessTypes`: the type ids, best first."""
    samples: list[str] = []
    for cell in cells:
        if cell.strip() and cell.strip() not in samples and len(samples) < SAMPLE_SIZE:
            samples.append(cell.strip())
    batch = post_queries(
        service, {f"q{i}": {"query": s, "limit": 3} for i, s in enumerate(samples)}
    )
    groups: dict[str, list[float]] = {}  # type id -> [score, count]
    for answer in batch.values():
        for rank, result in enumerate(answer["result"]):
            score = 1.0 / (1 + rank)
            types = [t["id"] if isinstance(t, dict) else t for t in result.get("type", [])]
            for position, type_id in enumerate(types):
                weighted = score * (len(types) - position) / len(types)
                group = groups.setdefault(type_id, [0.0, 0])
                group[0] += weighted
                group[1] += 1

    def order(type_id: str) -> tuple[int, float]:
        score, count = groups[type_id]
        return (-min(SAMPLE_SIZE, int(count)), -(score / count))

    return sorted(groups, key=order)


def batches(rows: list[Row], batch_size: int) -> Iterator[list[Row]]:
    size = min(max(len(rows) // DEFAULT_BATCH_SIZE, DEFAULT_BATCH_SIZE), batch_size)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def reconcile_column(
    service: str, rows: list[Row], type_id: str | None, batch_size: int
) -> list[Recon]:
    """`StandardReconConfig.batchRecon` over the column, auto-match on."""
    recons: list[Recon] = []
    for batch in batches(rows, batch_size):
        queries: dict[str, Any] = {}
        for i, row in enumerate(batch):
            query: dict[str, Any] = {"query": row.cell}
            if type_id is not None:
                query |= {"type": type_id, "type_strict": "should"}
            queries[f"q{i}"] = query
        answer = post_queries(service, queries)
        for i in range(len(batch)):
            candidates = sorted(answer[f"q{i}"]["result"], key=lambda c: -c["score"])
            top = candidates[0] if candidates and candidates[0].get("match") else None
            recons.append(Recon(candidates, top))
    return recons


@pytest.fixture
def service(live_server: str) -> str:
    """The service as a user adds it: its manifest read first (`recon-manager.js`)."""
    manifest = requests.get(live_server + "/reconcile", timeout=TIMEOUT)
    assert manifest.status_code == 200 and manifest.headers["Access-Control-Allow-Origin"] == "*"
    check_manifest(manifest.json())
    return live_server + "/reconcile"


def batch_size(service: str) -> int:
    size: int = requests.get(service, timeout=TIMEOUT).json()["batchSize"]
    return size


@pytest.mark.parametrize("name", ["institution", "person", "country"])
def test_the_guessed_type_is_the_columns(service: str, name: str) -> None:
    rows = column(name)
    assert guess_types(service, [r.cell for r in rows])[0] == COLUMN_TYPES[name]


@pytest.mark.parametrize("name", list(COLUMN_TYPES))
def test_each_cell_reconciles_as_the_table_says(service: str, name: str) -> None:
    rows = column(name)
    recons = reconcile_column(service, rows, COLUMN_TYPES[name], batch_size(service))
    assert len(recons) == len(rows)
    for row, recon in zip(rows, recons, strict=True):
        shown = [
            (c["id"].removeprefix(ID), c["score"], c.get("match")) for c in recon.candidates[:3]
        ]
        what = f"{name} {row.cell!r} ({row.why}): {shown}"
        if row.auto_match:
            assert recon.match is not None and recon.match["id"] == row.expected[0], what
        else:
            assert recon.match is None, what
        top_ids = {c["id"] for c in recon.candidates[: len(row.expected)]}
        assert top_ids == set(row.expected), what


def test_a_column_is_extended_with_the_data_of_its_matches(
    service: str, kg: KnowledgeGraph
) -> None:
    """Reconcile the countries, propose properties for their type, add two columns."""
    rows = column("country")
    recons = reconcile_column(service, rows, COLUMN_TYPES["country"], batch_size(service))
    ids = sorted({r.match["id"] for r in recons if r.match is not None})
    assert len(ids) >= 6
    manifest = requests.get(service, timeout=TIMEOUT).json()
    endpoint = manifest["extend"]["propose_properties"]
    type_id = COLUMN_TYPES["country"]
    assert type_id is not None
    proposed = requests.get(
        endpoint["service_url"] + endpoint["service_path"] + "?type=" + type_id, timeout=TIMEOUT
    )
    assert proposed.status_code == 200 and proposed.headers["Access-Control-Allow-Origin"] == "*"
    check_proposal(proposed.json(), type_id, None)
    offered = {p["id"] for p in proposed.json()["properties"]}
    assert {ISO_ALPHA2, RDFS_LABEL} <= offered
    properties = [ISO_ALPHA2, RDFS_LABEL]
    query = {"ids": ids, "properties": [{"id": p} for p in properties]}
    response = requests.post(service, data={"extend": json.dumps(query)}, timeout=TIMEOUT)
    assert response.status_code == 200
    answer = response.json()
    check_extension(answer, ids, properties, ID)
    for iri in ids:
        codes = {r["c"] for r in kg.select(f"SELECT ?c {{ <{iri}> <{ISO_ALPHA2}> ?c }}")}
        assert {v["str"] for v in answer["rows"][iri][ISO_ALPHA2]} == codes, iri
        assert len(answer["rows"][iri][RDFS_LABEL]) == 2, (
            f"{iri}: its English and Azerbaijani labels"
        )


def test_the_institutions_columns_type_cut_at_its_hash_still_gets_properties(service: str) -> None:
    """`org#FormalOrganization` appended unencoded loses its fragment on the way."""
    endpoint = requests.get(service, timeout=TIMEOUT).json()["extend"]["propose_properties"]
    type_id = COLUMN_TYPES["institution"]
    assert type_id is not None and "#" in type_id
    proposed = requests.get(
        endpoint["service_url"] + endpoint["service_path"] + "?type=" + type_id, timeout=TIMEOUT
    )
    assert proposed.status_code == 200
    assert RDFS_LABEL in {p["id"] for p in proposed.json()["properties"]}
