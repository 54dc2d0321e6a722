"""Releases (issue 12): every published build is a release, kept with its dumps and changelog.

A release's version is taken from the data, never from the clock: the newest date the data
states (`2025-10-24`, or `2022-10` where that is the newest) and the first eight hex digits of
the SHA-256 of its sorted N-Quads, so that the same data is the same release whatever code wrote
it, and new data is a new release even on the same day.

Releases persist in the register, `releases/` of the repository: `releases.txt` lists their
versions oldest first, and `releases/{version}/ombudsman-kg.nq.gz` holds each one's quads (gzip
without a time, so a register rebuilt gives the same bytes). `ombudsman-kg release` adds the
current build to it; a clean clone holds every registered release, so `build` publishes all of
them under `dist/releases/{version}/`: every dump with its checksum, and the changelog against
the release before it, as the quads removed and added (two N-Quads files) and as one RDF Patch
(https://afs.github.io/rdf-delta/rdf-patch.html), with the counts per named graph (so per source
too). A current build not yet registered is published as the newest release.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from ombudsman_kg.build import dumps
from ombudsman_kg.build.outputs import (
    ADDED_FILE,
    PATCH_FILE,
    PRECOMPRESSED,
    RELEASES_DIR,
    REMOVED_FILE,
)
from ombudsman_kg.errors import DataError
from ombudsman_kg.rdf.namespaces import BASE, GRAPH_DATA, GRAPH_ONTOLOGY, XSD

REGISTER_FILE = "releases.txt"
REGISTER_DUMP = "ombudsman-kg.nq.gz"
CHECKSUMS_FILE = "SHA256SUMS"
DATES = frozenset(XSD + name for name in ("date", "dateTime", "gYearMonth", "gYear"))
_HEADER = "# The releases of ombudsman-kg, oldest first (`ombudsman-kg release` appends).\n"


@dataclass(frozen=True)
class Release:
    """One release: its version and its quads, source graphs included, as N-Quads lines.

    Lines, not parsed quads: a release of millions of quads is compared, hashed and written as
    text, and the lines are canonical (pyoxigraph writes each term one way)."""

    version: str
    lines: frozenset[str]


def release_iri(version: str) -> str:
    """SPEC §7: a release has the IRI B + `release/{version}`."""
    return f"{BASE}release/{version}"


def current_release(nquads_dump: Path, data: Iterable[pyoxigraph.Triple]) -> Release:
    """The release of this build: the lines of its N-Quads dump, versioned (module doc) by the
    newest date in `data` (graph/data)."""
    lines = frozenset(nquads_dump.read_text(encoding="utf-8").splitlines(keepends=True))
    return Release(release_version(lines, data), lines)


def release_version(lines: Iterable[str], data: Iterable[pyoxigraph.Triple]) -> str:
    """The newest date stated in `data`, and the hash of the sorted N-Quads (module doc)."""
    dates = [
        t.object.value[:10]
        for t in data
        if isinstance(t.object, pyoxigraph.Literal)
        and t.object.datatype.value in DATES
        and not t.object.value.startswith("-")
    ]
    digest = hashlib.sha256(nquads(lines)).hexdigest()
    return f"{max(dates, default='undated')}-{digest[:8]}"


def nquads(lines: Iterable[str]) -> bytes:
    """Distinct N-Quads lines in byte order: the same set, the same bytes."""
    return "".join(sorted(set(lines))).encode("utf-8")


def registered(register: Path) -> list[str]:
    """The versions in the register, oldest first (none when there is no register)."""
    path = register / REGISTER_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def read_release(register: Path, version: str) -> Release:
    """A registered release's quads.

    :raises DataError: when its file is missing or is not N-Quads.
    """
    path = register / version / REGISTER_DUMP
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        raise DataError(f"release {version} in {register}: {error}") from error
    return Release(version, frozenset(text.splitlines(keepends=True)))


def register_current(dist: Path, register: Path, version: str) -> bool:
    """Add the release `build` wrote into `dist` to the register; False if already there."""
    if version in registered(register):
        return False
    source = dist / RELEASES_DIR / version / (dumps.NAME + ".nq.gz")
    if not source.is_file():
        raise DataError(f"{source} is missing: run `ombudsman-kg build` first")
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines(keepends=True)
    (register / version).mkdir(parents=True, exist_ok=True)
    (register / version / REGISTER_DUMP).write_bytes(
        gzip.compress(nquads(lines), compresslevel=9, mtime=0)
    )
    path = register / REGISTER_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    path.write_text(text + version + "\n", encoding="utf-8")
    return True


def write_releases(
    dist: Path, register: Path, current: Release, current_dumps: Sequence[dumps.DumpFile]
) -> list[dict[str, Any]]:
    """Write `dist/releases/`: every registered release, and the current one last if it is not
    registered; return what VoID and `build.json` say of each, oldest first."""
    versions = registered(register)
    if current.version not in versions:
        versions.append(current.version)
    target = dist / RELEASES_DIR
    if target.exists():
        shutil.rmtree(target)
    published: list[dict[str, Any]] = []
    previous: Release | None = None
    for version in versions:
        release = current if version == current.version else read_release(register, version)
        folder = target / version
        if release is current:
            written = _copy_dumps(current_dumps, folder)
        else:
            written = dumps.write_dumps(
                folder, _graphs(release.lines), published=(GRAPH_DATA, GRAPH_ONTOLOGY)
            )
            shutil.rmtree(folder / PRECOMPRESSED)  # served as files, as the current one's are
        entry: dict[str, Any] = {
            "version": version,
            "quads": len(release.lines),
            "dumps": [_dump_entry(d) for d in written],
        }
        if previous is not None:
            entry["previous"] = previous.version
            entry["changes"] = write_changes(folder, previous, release)
        (folder / CHECKSUMS_FILE).write_text(
            "".join(f"{d['sha256']}  {d['file']}\n" for d in entry["dumps"]), encoding="utf-8"
        )
        published.append(entry)
        previous = release
    return published


def write_changes(folder: Path, older: Release, newer: Release) -> dict[str, Any]:
    """The changelog from `older` to `newer` in `folder`; return its counts, per named graph."""
    removed = older.lines - newer.lines
    added = newer.lines - older.lines
    (folder / REMOVED_FILE).write_bytes(nquads(removed))
    (folder / ADDED_FILE).write_bytes(nquads(added))
    (folder / PATCH_FILE).write_bytes(patch(older.version, newer.version, removed, added))
    removed_by_graph = Counter(_graph_of(line) for line in removed)
    added_by_graph = Counter(_graph_of(line) for line in added)
    return {
        "added": len(added),
        "removed": len(removed),
        "graphs": {
            graph: {"added": added_by_graph[graph], "removed": removed_by_graph[graph]}
            for graph in sorted(set(removed_by_graph) | set(added_by_graph))
        },
    }


def patch(older: str, newer: str, removed: Iterable[str], added: Iterable[str]) -> bytes:
    """One RDF Patch: the header naming this release and the one it follows (`H id`, `H prev`,
    so that patches chain), then one transaction deleting, then adding, quads in byte order."""
    rows = [
        f"H id <{release_iri(newer)}> .\n",
        f"H prev <{release_iri(older)}> .\n",
        "TX .\n",
        *("D " + line for line in sorted(removed)),
        *("A " + line for line in sorted(added)),
        "TC .\n",
    ]
    return "".join(rows).encode("utf-8")


def _graph_of(line: str) -> str:
    """The graph of an N-Quads line of a named graph: its last term, `<…> .`."""
    return line.rstrip().removesuffix(" .").rsplit(" ", 1)[-1].strip("<>")


def _graphs(lines: Iterable[str]) -> dict[str, Sequence[pyoxigraph.Triple]]:
    graphs: dict[str, list[pyoxigraph.Triple]] = {GRAPH_DATA: [], GRAPH_ONTOLOGY: []}
    quads = pyoxigraph.parse(input=nquads(lines), format=pyoxigraph.RdfFormat.N_QUADS)
    for quad in quads:
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return {name: dumps.sort_triples(triples) for name, triples in graphs.items()}


def _copy_dumps(written: Sequence[dumps.DumpFile], folder: Path) -> list[dumps.DumpFile]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for dump in written:
        target = folder / dump.format.filename
        shutil.copyfile(dump.path, target)
        copies.append(dumps.DumpFile(dump.format, target, dump.byte_size, dump.sha256))
    return copies


def _dump_entry(dump: dumps.DumpFile) -> dict[str, Any]:
    return {
        "file": dump.format.filename,
        "media_type": dump.format.media_type,
        "bytes": dump.byte_size,
        "sha256": dump.sha256,
    }
