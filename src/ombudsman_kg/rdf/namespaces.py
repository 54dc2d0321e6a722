"""The IRIs of SPEC §1 and the prefixes every serialization shares.

Kept in one place so that the build, the dumps and the server agree on every name; the base
IRI itself is a setting, and these are its canonical values.
"""

from __future__ import annotations

BASE = "https://w3id.org/ombudsman-kg/"
ONTOLOGY = BASE + "ontology"
OKG = ONTOLOGY + "#"
SHAPES = BASE + "shapes"
DATASET = BASE + "dataset"
GRAPH_DATA = BASE + "graph/data"
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_INFERRED = BASE + "graph/inferred"
GRAPHS = (GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_INFERRED)
"""The default graph of /sparql (SPEC §7): exactly these three, each triple in one of them."""
GRAPH_SOURCE = BASE + "graph/source/"
SOURCE = BASE + "id/source/"
DISAGREEMENT = BASE + "id/disagreement/"


def source_graph(source: str) -> str:
    """The named graph of what the source `B + id/source/{slug}` states."""
    return GRAPH_SOURCE + source.removeprefix(SOURCE)


def graph_source(graph: str) -> str:
    """The source whose statements the graph `B + graph/source/{slug}` holds."""
    return SOURCE + graph.removeprefix(GRAPH_SOURCE)


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
ADMS = "http://www.w3.org/ns/adms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
WIKIDATA = "http://www.wikidata.org/entity/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
PROV_DERIVED = PROV + "wasDerivedFrom"

PREFIXES: dict[str, str] = {
    "dcat": DCAT,
    "dct": DCT,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "okg": OKG,
    "org": "http://www.w3.org/ns/org#",
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sd": SD,
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": SKOS,
    "spdx": SPDX,
    "time": "http://www.w3.org/2006/time#",
    "void": VOID,
    "wd": WIKIDATA,
    "xsd": XSD,
}
