"""The VoID and DCAT description of the data set (SPEC §3 `/dataset`), computed at build time.

Counts, partitions, sizes and checksums come from what `build` just wrote, so the description can
never disagree with the dumps it lists; tests download each dump and check both.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph

from ombudsman_kg.build import linksets
from ombudsman_kg.build.dumps import DumpFile
from ombudsman_kg.build.releases import release_iri
from ombudsman_kg.rdf.namespaces import (
    ADMS,
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
    PROV,
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
    graphs: dict[str, Sequence[pyoxigraph.Triple]],
    dumps: Sequence[DumpFile],
    version: str,
    releases: Sequence[dict[str, Any]] = (),
) -> list[pyoxigraph.Triple]:
    """VoID + DCAT + the SPARQL service of the whole data set, every node an IRI.

    Counts and partitions are of the default graph of /sparql (the three graphs of SPEC §7, each
    triple once); every named graph, source graphs included, is a `void:subset` with its size,
    and a source graph is `prov:wasDerivedFrom` its source.
    """
    out: list[pyoxigraph.Triple] = []
    dataset = pyoxigraph.NamedNode(DATASET)
    add = _adder(out)

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

    out.extend(describe_releases(releases))
    out.extend(linksets.describe(graphs))
    service = _iri(BASE + "sparql")
    add(dataset, DCAT + "accessService", service)
    add(service, RDF_TYPE, _iri(DCAT + "DataService"))
    add(service, RDF_TYPE, _iri(SD + "Service"))
    add(service, DCAT + "endpointURL", service)
    add(service, DCAT + "servesDataset", dataset)
    return out


def describe_releases(releases: Sequence[dict[str, Any]]) -> list[pyoxigraph.Triple]:
    """B + dataset as a DCAT 3 `dcat:DatasetSeries` of its releases (`build/releases.py`):
    each release a `dcat:Dataset` `dcat:inSeries` the series, with `dcat:version`, its notes
    (`adms:versionNotes`, the changelog's counts), `prov:wasRevisionOf` and `dcat:prev` the
    release before it, and its own dumps; the series names its current release."""
    out: list[pyoxigraph.Triple] = []
    if not releases:
        return out
    series = _iri(DATASET)
    add = _adder(out)

    add(series, RDF_TYPE, _iri(DCAT + "DatasetSeries"))
    add(series, DCAT + "first", _iri(release_iri(releases[0]["version"])))
    add(series, DCAT + "last", _iri(release_iri(releases[-1]["version"])))
    add(series, DCAT + "hasCurrentVersion", _iri(release_iri(releases[-1]["version"])))
    for release in releases:
        node = _iri(release_iri(release["version"]))
        folder = f"{BASE}releases/{release['version']}/"
        add(series, DCAT + "hasVersion", node)
        add(node, RDF_TYPE, _iri(DCAT + "Dataset"))
        add(node, DCAT + "inSeries", series)
        add(node, DCAT + "isVersionOf", series)
        add(node, DCAT + "version", pyoxigraph.Literal(release["version"]))
        add(node, DCAT + "landingPage", _iri(folder))
        add(
            node, RDFS + "label", pyoxigraph.Literal("Release " + release["version"], language="en")
        )
        add(
            node,
            RDFS + "label",
            pyoxigraph.Literal("Buraxılış " + release["version"], language="az"),
        )
        for language, text in _release_notes(release).items():
            add(node, ADMS + "versionNotes", pyoxigraph.Literal(text, language=language))
        if "previous" in release:
            previous = _iri(release_iri(release["previous"]))
            add(node, PROV + "wasRevisionOf", previous)
            add(node, DCAT + "previousVersion", previous)
            add(node, DCAT + "prev", previous)
        for dump in release["dumps"]:
            name = dump["file"]
            distribution = _iri(f"{folder}{name}")
            add(node, DCAT + "distribution", distribution)
            add(distribution, RDF_TYPE, _iri(DCAT + "Distribution"))
            add(distribution, DCAT + "downloadURL", distribution)
            add(distribution, DCAT + "mediaType", _iri(IANA + dump["media_type"]))
            add(distribution, DCAT + "byteSize", _integer(dump["bytes"], "nonNegativeInteger"))
            checksum = _iri(f"{folder}{name}#sha256")
            add(distribution, SPDX + "checksum", checksum)
            add(checksum, RDF_TYPE, _iri(SPDX + "Checksum"))
            add(checksum, SPDX + "algorithm", _iri(SPDX + "checksumAlgorithm_sha256"))
            value = pyoxigraph.Literal(dump["sha256"], datatype=_iri(XSD + "hexBinary"))
            add(checksum, SPDX + "checksumValue", value)
    return out


def _release_notes(release: dict[str, Any]) -> dict[str, str]:
    """The changelog in one sentence per language, from its counts."""
    changes = release.get("changes")
    if changes is None:
        return {
            "en": f"The first release: {release['quads']} quads.",
            "az": f"İlk buraxılış: {release['quads']} dördlük (quad).",
        }
    graphs = len(changes["graphs"])
    return {
        "en": (
            f"Against release {release['previous']}: {changes['added']} quads added and "
            f"{changes['removed']} removed, in {graphs} named graphs; {release['quads']} in all."
        ),
        "az": (
            f"{release['previous']} buraxılışına qarşı: {changes['added']} dördlük (quad) "
            f"əlavə edildi, {changes['removed']} silindi, {graphs} adlı qrafda; "
            f"cəmi {release['quads']}."
        ),
    }


def _adder(
    out: list[pyoxigraph.Triple],
) -> Callable[[pyoxigraph.NamedNode, str, pyoxigraph.NamedNode | pyoxigraph.Literal], None]:
    """`add(subject, predicate, value)`, appending the triple to `out`."""

    def add(
        subject: pyoxigraph.NamedNode,
        predicate: str,
        value: pyoxigraph.NamedNode | pyoxigraph.Literal,
    ) -> None:
        out.append(pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), value))

    return add


def _graph_label(name: str) -> str:
    if name.startswith(GRAPH_SOURCE):
        return "What the source " + name.removeprefix(GRAPH_SOURCE) + " states"
    return GRAPH_LABELS.get(name, name)


def _iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)


def _integer(value: int, datatype: str = "integer") -> pyoxigraph.Literal:
    return pyoxigraph.Literal(str(value), datatype=_iri(XSD + datatype))
