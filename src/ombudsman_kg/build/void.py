"""The VoID and DCAT description of the data set (SPEC §3 `/dataset`), computed at build time.

Counts, partitions, sizes and checksums come from what `build` just wrote, so the description can
never disagree with the dumps it lists; tests download each dump and check both.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

import pyoxigraph

from ombudsman_kg.build.dumps import DumpFile
from ombudsman_kg.rdf.namespaces import (
    BASE,
    DATASET,
    DCAT,
    DCT,
    GRAPH_DATA,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_SOURCE,
    GRAPHS,
    LICENSE,
    OKG,
    PROV_DERIVED,
    RDF_TYPE,
    RDFS,
    SD,
    SPDX,
    VOID,
    XSD,
    graph_source,
)
from ombudsman_kg.rdf.terms import term_value

TITLE_EN = "OIC Ombudsman Association and the Ombudsman of Azerbaijan: a knowledge graph"
TITLE_AZ = "İƏT Ombudsmanlar Assosiasiyası və Azərbaycan Ombudsmanı: bilik qrafı"
DESCRIPTION_EN = (
    "Every fact of a source document on the cooperation between the Commissioner for Human "
    "Rights (Ombudsman) of the Republic of Azerbaijan and the Ombudsmen Association of the "
    "Organisation of Islamic Cooperation, each traced to its source, with OWL RL entailments."
)
GRAPH_LABELS = {
    GRAPH_DATA: "What the sources state",
    GRAPH_ONTOLOGY: "The ontology and the standard axioms it relies on",
    GRAPH_INFERRED: "OWL RL entailments of the data and the ontology",
}
IANA = "https://www.iana.org/assignments/media-types/"
VOCABULARIES = (
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://xmlns.com/foaf/0.1/",
    "http://purl.org/dc/terms/",
    OKG,
)


def data_version(dumps: Sequence[DumpFile]) -> str:
    """A short content hash: changes exactly when any dump's content changes."""
    digest = hashlib.sha256("".join(d.sha256 for d in dumps).encode()).hexdigest()
    return digest[:16]


def describe(
    graphs: dict[str, Sequence[pyoxigraph.Triple]], dumps: Sequence[DumpFile], version: str
) -> list[pyoxigraph.Triple]:
    """VoID + DCAT + the SPARQL service of the whole data set, every node an IRI.

    Counts and partitions are of the default graph of /sparql (the three graphs of SPEC §7, each
    triple once); every named graph, source graphs included, is a `void:subset` with its size,
    and a source graph is `prov:wasDerivedFrom` its source.
    """
    out: list[pyoxigraph.Triple] = []
    dataset = pyoxigraph.NamedNode(DATASET)

    def add(
        subject: pyoxigraph.NamedNode,
        predicate: str,
        value: pyoxigraph.NamedNode | pyoxigraph.Literal,
    ) -> None:
        out.append(pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), value))

    all_triples = [t for name in GRAPHS for t in graphs[name]]
    add(dataset, RDF_TYPE, _iri(VOID + "Dataset"))
    add(dataset, RDF_TYPE, _iri(DCAT + "Dataset"))
    add(dataset, DCT + "title", pyoxigraph.Literal(TITLE_EN, language="en"))
    add(dataset, DCT + "title", pyoxigraph.Literal(TITLE_AZ, language="az"))
    add(dataset, RDFS + "label", pyoxigraph.Literal(TITLE_EN, language="en"))
    add(dataset, RDFS + "label", pyoxigraph.Literal(TITLE_AZ, language="az"))
    add(dataset, DCT + "description", pyoxigraph.Literal(DESCRIPTION_EN, language="en"))
    add(dataset, DCT + "license", _iri(LICENSE))
    add(dataset, DCT + "hasVersion", pyoxigraph.Literal(version))
    add(dataset, VOID + "triples", _integer(len(all_triples)))
    add(dataset, VOID + "uriSpace", pyoxigraph.Literal(BASE + "id/"))
    add(dataset, VOID + "sparqlEndpoint", _iri(BASE + "sparql"))
    add(dataset, VOID + "rootResource", _iri(BASE + "id/organization/oicoa"))
    for vocabulary in VOCABULARIES:
        add(dataset, VOID + "vocabulary", _iri(vocabulary))
    subjects = {t.subject for t in all_triples if term_value(t.subject).startswith(BASE + "id/")}
    add(dataset, VOID + "entities", _integer(len(subjects)))
    add(dataset, VOID + "distinctSubjects", _integer(len({t.subject for t in all_triples})))
    add(dataset, VOID + "properties", _integer(len({t.predicate for t in all_triples})))
    add(dataset, VOID + "distinctObjects", _integer(len({t.object for t in all_triples})))

    classes = Counter(term_value(t.object) for t in all_triples if t.predicate.value == RDF_TYPE)
    for number, (cls, count) in enumerate(sorted(classes.items())):
        part = _iri(f"{DATASET}#class-{number + 1}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", _iri(cls))
        add(part, VOID + "entities", _integer(count))
    properties = Counter(t.predicate.value for t in all_triples)
    for number, (prop, count) in enumerate(sorted(properties.items())):
        part = _iri(f"{DATASET}#property-{number + 1}")
        add(dataset, VOID + "propertyPartition", part)
        add(part, VOID + "property", _iri(prop))
        add(part, VOID + "triples", _integer(count))
    for name in sorted(graphs):
        graph = _iri(name)
        add(dataset, VOID + "subset", graph)
        add(graph, RDF_TYPE, _iri(VOID + "Dataset"))
        add(graph, RDFS + "label", pyoxigraph.Literal(_graph_label(name), language="en"))
        add(graph, VOID + "triples", _integer(len(graphs[name])))
        add(graph, VOID + "inDataset", dataset)
        if name.startswith(GRAPH_SOURCE):
            add(graph, PROV_DERIVED, _iri(graph_source(name)))

    for dump in dumps:
        url = _iri(f"{BASE}dumps/{dump.format.filename}")
        distribution = _iri(f"{DATASET}#dump-{dump.format.extension.replace('.', '-')}")
        checksum = _iri(f"{DATASET}#checksum-{dump.format.extension.replace('.', '-')}")
        add(dataset, VOID + "dataDump", url)
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE, _iri(DCAT + "Distribution"))
        add(distribution, DCT + "title", pyoxigraph.Literal(dump.format.filename))
        add(distribution, DCAT + "downloadURL", url)
        add(distribution, DCAT + "accessURL", _iri(BASE + "dumps/"))
        add(distribution, DCAT + "mediaType", _iri(IANA + dump.format.media_type))
        if dump.format.gzipped:
            add(distribution, DCAT + "compressFormat", _iri(IANA + "application/gzip"))
        add(distribution, DCAT + "byteSize", _integer(dump.byte_size, "nonNegativeInteger"))
        add(distribution, DCT + "license", _iri(LICENSE))
        add(distribution, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE, _iri(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", _iri(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            pyoxigraph.Literal(dump.sha256, datatype=_iri(XSD + "hexBinary")),
        )

    service = _iri(BASE + "sparql")
    add(dataset, DCAT + "accessService", service)
    add(service, RDF_TYPE, _iri(DCAT + "DataService"))
    add(service, RDF_TYPE, _iri(SD + "Service"))
    add(service, DCAT + "endpointURL", service)
    add(service, DCAT + "servesDataset", dataset)
    return out


def _graph_label(name: str) -> str:
    if name.startswith(GRAPH_SOURCE):
        return "What the source " + name.removeprefix(GRAPH_SOURCE) + " states"
    return GRAPH_LABELS.get(name, name)


def _iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)


def _integer(value: int, datatype: str = "integer") -> pyoxigraph.Literal:
    return pyoxigraph.Literal(str(value), datatype=_iri(XSD + datatype))
