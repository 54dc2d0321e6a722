"""The names of what `build` writes into `dist/`, apart from the build itself.

The server needs these names but none of the build's machinery (SHACL, OWL RL, rdflib's SPARQL
parser): keeping them here lets `serve` start without importing it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ombudsman_kg.rdf.namespaces import GRAPHS

BUILD_INFO = "build.json"
STORE_DIR = "store"
DUMPS_DIR = "dumps"
NQUADS_FILE = "ombudsman-kg.nq"  # the dump the server and `load` read
VOID_FILE = "void.ttl"
ONTOLOGY_FILE = "ontology.ttl"
SHAPES_FILE = "shapes.ttl"
REPORT_TEXT = "validation-report.txt"
REPORT_RDF = "validation.ttl"  # the same report in SHACL's own terms, for /validation
RELEASES_DIR = "releases"  # dist/releases/{version}/: each release's dumps and changelog
ADDED_FILE = "added.nq"  # in a release's folder: the quads added since the release before it
REMOVED_FILE = "removed.nq"  # … and those removed
PATCH_FILE = "changes.rdfp"  # both as one RDF Patch
PRECOMPRESSED = "gzip"  # in DUMPS_DIR: gzip copies of the plain dumps, for Content-Encoding


def published_graphs(dist: Path) -> tuple[str, ...]:
    """Every named graph of the build in `dist`: the three of the default graph, then the source
    graphs; the three alone when there is no readable build (a store loaded by other means)."""
    try:
        info = json.loads((dist / BUILD_INFO).read_text(encoding="utf-8"))
        return (*GRAPHS, *sorted(info.get("source_graphs", {})))
    except (OSError, ValueError, AttributeError, TypeError):
        return GRAPHS
