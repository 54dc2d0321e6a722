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

from ombudsman_kg import jsonld
from ombudsman_kg.namespaces import PREFIXES
from ombudsman_kg.terms import serialized

NAME = "ombudsman-kg"
PRECOMPRESSED = "gzip"  # gzip copies of the plain dumps, sent as Content-Encoding: gzip


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
    DumpFormat("ttl", "text/turtle", all_graphs=False),
    DumpFormat("nt", "application/n-triples", all_graphs=False),
    DumpFormat("jsonld", "application/ld+json", all_graphs=False),
    DumpFormat("trig", "application/trig", all_graphs=True),
    DumpFormat("nq", "application/n-quads", all_graphs=True),
    DumpFormat("nt.gz", "application/n-triples", all_graphs=False, gzipped=True),
    DumpFormat("nq.gz", "application/n-quads", all_graphs=True, gzipped=True),
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
    if extension == "jsonld":
        return jsonld.serialize(union)
    rdf_format = pyoxigraph.RdfFormat.from_extension(extension)
    assert rdf_format is not None  # noqa: S101 - FORMATS lists only known extensions
    items = quads if dump_format.all_graphs else union
    if extension not in ("ttl", "trig"):
        return serialized(pyoxigraph.serialize(items, format=rdf_format))
    return sorted_prefixes(
        serialized(pyoxigraph.serialize(items, format=rdf_format, prefixes=PREFIXES))
    )


def sorted_prefixes(text: bytes) -> bytes:
    """The same Turtle or TriG with its `@prefix` header in name order.

    pyoxigraph writes the header in its own map's order, which nothing promises to keep stable.
    """
    lines = text.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])
