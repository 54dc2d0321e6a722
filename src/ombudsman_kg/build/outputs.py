"""The names of what `build` writes into `dist/`, apart from the build itself.

The server needs these names but none of the build's machinery (SHACL, OWL RL, rdflib's SPARQL
parser): keeping them here lets `serve` start without importing it.
"""

from __future__ import annotations

BUILD_INFO = "build.json"
STORE_DIR = "store"
DUMPS_DIR = "dumps"
NQUADS_FILE = "ombudsman-kg.nq"  # the dump the server and `load` read
VOID_FILE = "void.ttl"
ONTOLOGY_FILE = "ontology.ttl"
SHAPES_FILE = "shapes.ttl"
REPORT_TEXT = "validation-report.txt"
PRECOMPRESSED = "gzip"  # in DUMPS_DIR: gzip copies of the plain dumps, for Content-Encoding
