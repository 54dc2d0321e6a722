"""The downloadable dumps of SPEC §3, written so that two builds give the same bytes.

Triples are sorted before they are written and gzip members carry no name or time, so a dump's
SHA-256 changes only when its content does.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from tqdm import tqdm

from ombudsman_kg.build.outputs import PRECOMPRESSED
from ombudsman_kg.rdf import formats, jsonld
from ombudsman_kg.rdf.serialize import write

NAME = "ombudsman-kg"


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: its extension, media type, and whether it holds every named graph."""

    extension: str
    media_type: str
    all_graphs: bool
    gzipped: bool = False

    @property
    def filename(self) -> str:
        return f"{NAME}.{self.extension}"


FORMATS: tuple[DumpFormat, ...] = (
    *(
        DumpFormat(f.extension, f.media_type, all_graphs=f.quads)
        for f in (formats.TURTLE, formats.NTRIPLES, formats.JSONLD, formats.TRIG, formats.NQUADS)
    ),
    *(
        DumpFormat(f.extension + ".gz", f.media_type, all_graphs=f.quads, gzipped=True)
        for f in (formats.NTRIPLES, formats.NQUADS)
    ),
)


@dataclass(frozen=True)
class DumpFile:
    """A written dump and what VoID and `/dumps/` say of it."""

    format: DumpFormat
    path: Path
    byte_size: int
    sha256: str


def sort_triples(triples: Iterable[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """Distinct triples in N-Triples order of subject, predicate, object."""
    unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in triples}
    return [unique[key] for key in sorted(unique)]


def write_dumps(
    directory: Path,
    graphs: dict[str, Sequence[pyoxigraph.Triple]],
    published: Sequence[str],
    *,
    bar: bool = False,
) -> list[DumpFile]:
    """Write every format of FORMATS into `directory`.

    `graphs` maps each named graph's IRI to its sorted triples; `published` names the graphs
    whose union the single-graph dumps hold (SPEC §3: what the sources state plus the ontology).
    """
    directory.mkdir(parents=True, exist_ok=True)
    union = sort_triples(t for name in published for t in graphs[name])
    quads = [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(name))
        for name in sorted(graphs)
        for t in graphs[name]
    ]
    written = []
    for dump_format in tqdm(FORMATS, desc="dumps", unit="file", disable=not bar, leave=False):
        content = _render(dump_format, union, quads)
        if dump_format.gzipped:
            content = gzip.compress(content, compresslevel=9, mtime=0)
        path = directory / dump_format.filename
        path.write_bytes(content)
        if not dump_format.gzipped:
            precompressed = directory / PRECOMPRESSED / (dump_format.filename + ".gz")
            precompressed.parent.mkdir(exist_ok=True)
            precompressed.write_bytes(gzip.compress(content, compresslevel=9, mtime=0))
        written.append(
            DumpFile(dump_format, path, len(content), hashlib.sha256(content).hexdigest())
        )
    return written


def _render(
    dump_format: DumpFormat, union: list[pyoxigraph.Triple], quads: list[pyoxigraph.Quad]
) -> bytes:
    extension = dump_format.extension.removesuffix(".gz")
    if extension == formats.JSONLD.extension:
        return jsonld.serialize(union)
    rdf_format = pyoxigraph.RdfFormat.from_extension(extension)
    assert rdf_format is not None  # noqa: S101 - FORMATS lists only known extensions
    return write(quads if dump_format.all_graphs else union, rdf_format)
