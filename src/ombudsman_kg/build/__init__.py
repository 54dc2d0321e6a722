"""`ombudsman-kg build`: validate, reason, and write everything `serve` publishes into `dist/`.

All the expensive work happens here, once, so that the server only opens what was written:
the dumps, the VoID description, the ontology and shapes documents, the validation report, and a
read-only Oxigraph store that every server process shares through the page cache.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from tqdm import tqdm

from ombudsman_kg.build import dumps, reason, releases, void
from ombudsman_kg.build.outputs import (
    BUILD_INFO,
    DUMPS_DIR,
    NQUADS_FILE,
    ONTOLOGY_FILE,
    REPORT_RDF,
    REPORT_TEXT,
    SHAPES_FILE,
    STORE_DIR,
    VOID_FILE,
)
from ombudsman_kg.build.report_rdf import report_turtle
from ombudsman_kg.build.sources import DataSet, read_directory, to_oxigraph, to_rdflib_graph
from ombudsman_kg.build.statements import Statements, gather
from ombudsman_kg.build.validate import ValidationReport, validate
from ombudsman_kg.errors import DataError, ValidationFailed
from ombudsman_kg.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPHS
from ombudsman_kg.rdf.serialize import write
from ombudsman_kg.settings import Settings

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, with the counts and timings `build` prints at the end."""

    dist: Path
    counts: dict[str, int]
    dumps: list[dumps.DumpFile]
    version: str
    seconds: dict[str, float]


def run_validation(
    settings: Settings, progress: Progress = print
) -> tuple[Statements, DataSet, ValidationReport]:
    """Read, sort out who states what, and validate; the report is returned whether or not it
    conforms.

    :raises DataError: for unreadable data and for statements the model of SPEC §7 forbids.
    """
    progress(f"reading {settings.data} and {settings.ontology}")
    data = read_directory(settings.data)
    ontology = read_directory(settings.ontology)
    statements = gather(data)
    progress(
        f"validating {len(statements.data)} triples ({len(statements.sources)} source graphs) "
        f"against {settings.shapes}"
    )
    report = validate(
        data, ontology, settings.shapes, engine=settings.validator, statements=statements
    )
    return statements, ontology, report


def build(
    settings: Settings, progress: Progress = print, *, progress_bar: bool = False
) -> BuildResult:
    """Write `settings.dist`; `progress_bar` draws tqdm bars over the long steps.

    :raises DataError: for unreadable data.
    :raises ValidationFailed: for SHACL violations; the report is written to `dist/` first.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    dist = settings.dist
    dist.mkdir(parents=True, exist_ok=True)
    statements, ontology, report = run_validation(settings, progress)
    (dist / REPORT_TEXT).write_text(report.text(), encoding="utf-8")
    (dist / REPORT_RDF).write_bytes(report_turtle(report))
    seconds["validate"] = time.perf_counter() - started
    if not report.conforms:
        raise ValidationFailed(report.text().rstrip())

    mark = time.perf_counter()
    progress("reasoning (OWL RL)")
    data_triples = statements.data
    ontology_triples = dumps.sort_triples(ontology.triples())
    closure_input = to_rdflib_graph(
        tqdm(
            [*data_triples, *ontology_triples],
            desc="reasoner input",
            unit="triple",
            disable=not progress_bar,
            leave=False,
        )
    )
    inferred = [
        pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in reason.infer(closure_input, engine=settings.reasoner)
    ]
    graphs: dict[str, Sequence[pyoxigraph.Triple]] = {
        GRAPH_DATA: data_triples,
        GRAPH_ONTOLOGY: ontology_triples,
        GRAPH_INFERRED: dumps.sort_triples(inferred),
    }
    _assert_disjoint(graphs)
    graphs.update(statements.sources)
    seconds["reason"] = time.perf_counter() - mark

    mark = time.perf_counter()
    progress("writing dumps")
    written = dumps.write_dumps(
        dist / DUMPS_DIR, graphs, published=(GRAPH_DATA, GRAPH_ONTOLOGY), bar=progress_bar
    )
    version = void.data_version(written)
    current = releases.current_release(dist / DUMPS_DIR / NQUADS_FILE, data_triples)
    published = releases.write_releases(dist, settings.releases, current, written)
    description = void.describe(graphs, written, version, published)
    _write_turtle(dist / VOID_FILE, description)
    _write_turtle(dist / ONTOLOGY_FILE, ontology_triples)
    _write_shapes(settings.shapes, dist / SHAPES_FILE)
    _copy_queries(settings.queries, dist / "queries")
    seconds["dumps"] = time.perf_counter() - mark

    mark = time.perf_counter()
    progress("loading the embedded store")
    _write_store(dist / STORE_DIR, dist / DUMPS_DIR / NQUADS_FILE)
    seconds["store"] = time.perf_counter() - mark

    counts = {name: len(graphs[name]) for name in GRAPHS}
    info = {
        "version": version,
        "release": current.version,
        "releases": published,
        "graphs": counts,
        "source_graphs": {name: len(triples) for name, triples in statements.sources.items()},
        "dumps": [
            {
                "file": d.format.filename,
                "media_type": d.format.media_type,
                "bytes": d.byte_size,
                "sha256": d.sha256,
            }
            for d in written
        ],
    }
    (dist / BUILD_INFO).write_text(
        json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    seconds["total"] = time.perf_counter() - started
    return BuildResult(dist, counts, written, version, seconds)


def _assert_disjoint(graphs: dict[str, Sequence[pyoxigraph.Triple]]) -> None:
    """The default graph of /sparql is these three (SPEC §7): a triple in two would count twice.

    :raises DataError: naming a shared triple, e.g. a data file restating the ontology.
    """
    seen: dict[pyoxigraph.Triple, str] = {}
    for name in GRAPHS:
        for triple in graphs[name]:
            if triple in seen:
                raise DataError(f"{triple} is in both <{seen[triple]}> and <{name}>")
            seen[triple] = name


def _write_turtle(path: Path, triples: Sequence[pyoxigraph.Triple]) -> None:
    path.write_bytes(write(dumps.sort_triples(triples), pyoxigraph.RdfFormat.TURTLE))


def _write_shapes(shapes_dir: Path, target: Path) -> None:
    """The shapes as written (for people), and as canonical N-Triples (for machines).

    Shapes use blank nodes, whose labels a parser invents anew in every process; canonical
    labels (RDFC-1.0) make every server process serialize the same bytes, hence the same ETag.
    """
    parts = [p.read_text(encoding="utf-8") for p in sorted(shapes_dir.glob("*.ttl"))]
    target.write_text("\n".join(parts), encoding="utf-8")
    dataset = pyoxigraph.Dataset(
        pyoxigraph.parse(input="\n".join(parts).encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    )
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    triples = dumps.sort_triples(q.triple for q in dataset)
    target.with_suffix(".nt").write_bytes(write(triples, pyoxigraph.RdfFormat.N_TRIPLES))


def _copy_queries(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for query in sorted(source.glob("*.rq")):
        shutil.copyfile(query, target / query.name)


def _write_store(path: Path, nquads: Path) -> None:
    """A fresh on-disk store: `serve` opens it read-only in every process."""
    if path.exists():
        shutil.rmtree(path)
    store = pyoxigraph.Store(str(path))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store
