"""A page of a Triple or Quad Pattern Fragment as RDF: its data, metadata and controls.

The shapes follow the HydraCG TPF specification and the QPF extension, as `@ldf/server` writes
them and Comunica reads them (see `web/fragments.py`). Two orders matter to Comunica and are
kept here: the metadata graph comes first with its `foaf:primaryTopic`, and the fragment's
`void:subset <page>` is the last `void:subset` of the page, since Comunica takes the metadata
graph to be the one about the subject of the last such triple
(`actor-rdf-metadata-primary-topic`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from ombudsman_kg.rdf import formats, jsonld
from ombudsman_kg.rdf.namespaces import DATASET, DCT, RDF, SD, VOID, XSD
from ombudsman_kg.rdf.serialize import write

HYDRA = "http://www.w3.org/ns/hydra/core#"
#: how a QPF client names the default graph (`@ldf/server`'s `QuadPatternRouter`)
DEFAULT_GRAPH_NAME = "urn:ldf:defaultGraph"
FOAF_PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
#: what each mapping's variable selects (`QuerySourceQpf` matches forms by these properties)
Object = pyoxigraph.NamedNode | pyoxigraph.Literal
MAPPINGS = (
    ("subject", RDF + "subject"),
    ("predicate", RDF + "predicate"),
    ("object", RDF + "object"),
    ("graph", SD + "graph"),
)


@dataclass(frozen=True)
class Fragment:
    """One page: what was selected, where it was asked for, and what matched."""

    #: the interface's URL (`…/fragments`): the template's base; the data set is `#dataset`
    dataset_url: str
    #: the URL exactly as requested: the subject of the page's metadata
    page_url: str
    #: subject, predicate and object as the template writes them ('' for a variable)
    terms: tuple[str, ...]
    #: None for a triple fragment; else the graph as the template writes it ('' for any)
    graph: str | None
    page: int
    page_size: int
    count: int
    matches: Sequence[pyoxigraph.Quad]

    @property
    def fragment_url(self) -> str:
        """The page's URL without its `page`: the fragment, whose first page it is."""
        path, _, query = self.page_url.partition("?")
        kept = [part for part in query.split("&") if part and part.split("=")[0] != "page"]
        return path + ("?" + "&".join(kept) if kept else "")

    @property
    def first_item(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def previous_url(self) -> str | None:
        return self.page_link(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_link(self.page + 1) if self.page * self.page_size < self.count else None

    @property
    def template(self) -> str:
        names = [name for name, _ in MAPPINGS[: 3 if self.graph is None else 4]]
        return self.dataset_url + "{?" + ",".join(names) + "}"

    def page_link(self, number: int) -> str:
        fragment = self.fragment_url
        if number == 1:
            return fragment
        return fragment + ("&" if "?" in fragment else "?") + f"page={number}"

    @property
    def metadata_graph(self) -> str:
        return self.page_url + "#metadata"


def serialize(fragment: Fragment, media_type: str) -> bytes:
    """The page as `media_type`: in a quad format the data in its graphs (a triple fragment's in
    the default graph) and the metadata in `<page#metadata>`; in a triple format all together.

    :raises KeyError: for a media type that is not RDF.
    """
    parts = metadata(fragment)
    if media_type == formats.JSONLD.media_type:
        return _jsonld(fragment, parts)
    rdf_format = formats.rdf_format(media_type)
    if not rdf_format.supports_datasets:
        triples = [q.triple for q in fragment.matches] + [t for part in parts for t in part]
        return write(triples, rdf_format)
    graph = pyoxigraph.NamedNode(fragment.metadata_graph)
    quads = list(fragment.matches) + [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
        for t in _primary_topic(fragment) + [t for part in parts for t in part]
    ]
    return write(quads, rdf_format)


def metadata(fragment: Fragment) -> list[list[pyoxigraph.Triple]]:
    """The data set's subset, the data set and its form, the page, and last the fragment's
    links to the page: parts whose order a client reading in order relies on."""
    dataset = _iri(fragment.dataset_url + "#dataset")
    form = _iri(fragment.dataset_url + "#search")
    page, whole = _iri(fragment.page_url), _iri(fragment.fragment_url)
    # first, and apart (JSON-LD sorts a node's properties): Comunica reads sd:defaultGraph
    # only of a data set it has already seen hold the page (`…-extract-sparql-service`)
    listed: list[tuple[pyoxigraph.NamedNode, str, Object]] = [(dataset, VOID + "subset", whole)]
    described: list[tuple[pyoxigraph.NamedNode, str, Object]] = [
        (dataset, RDF + "type", _iri(VOID + "Dataset")),
        (dataset, RDF + "type", _iri(HYDRA + "Collection")),
        (dataset, DCT + "source", _iri(DATASET)),
    ]
    if fragment.graph is not None:
        described.append((dataset, SD + "defaultGraph", _iri(DEFAULT_GRAPH_NAME)))
    described += [
        (dataset, HYDRA + "search", form),
        (form, HYDRA + "template", pyoxigraph.Literal(fragment.template)),
        (form, HYDRA + "variableRepresentation", _iri(HYDRA + "ExplicitRepresentation")),
    ]
    for name, selects in MAPPINGS[: 3 if fragment.graph is None else 4]:
        mapping = _iri(fragment.dataset_url + "#" + name)
        described += [
            (form, HYDRA + "mapping", mapping),
            (mapping, HYDRA + "variable", pyoxigraph.Literal(name)),
            (mapping, HYDRA + "property", _iri(selects)),
        ]
    count = pyoxigraph.Literal(str(fragment.count), datatype=_iri(XSD + "integer"))
    size = pyoxigraph.Literal(str(fragment.page_size), datatype=_iri(XSD + "integer"))
    paged: list[tuple[pyoxigraph.NamedNode, str, Object]] = [
        (page, RDF + "type", _iri(HYDRA + "PartialCollectionView")),
        (page, VOID + "triples", count),
        (page, HYDRA + "totalItems", count),
        (page, HYDRA + "itemsPerPage", size),
        (page, HYDRA + "first", whole),
    ]
    for link, url in (("previous", fragment.previous_url), ("next", fragment.next_url)):
        if url is not None:
            paged.append((page, HYDRA + link, _iri(url)))
    linked: list[tuple[pyoxigraph.NamedNode, str, Object]] = []
    if whole != page:
        linked += [(whole, VOID + "triples", count), (whole, HYDRA + "totalItems", count)]
    linked += [(whole, HYDRA + "view", page), (whole, VOID + "subset", page)]
    return [
        [pyoxigraph.Triple(s, _iri(p), o) for s, p, o in part]
        for part in (listed, described, paged, linked)
    ]


def _primary_topic(fragment: Fragment) -> list[pyoxigraph.Triple]:
    return [
        pyoxigraph.Triple(
            _iri(fragment.metadata_graph), _iri(FOAF_PRIMARY_TOPIC), _iri(fragment.fragment_url)
        )
    ]


def _jsonld(fragment: Fragment, parts: list[list[pyoxigraph.Triple]]) -> bytes:
    """JSON-LD with the context inline (SPEC §3): the default graph's nodes, then each named
    graph, then the metadata graph, whose parts keep their order (`jsonld.serialize` sorts the
    nodes of what it is given)."""
    by_graph: dict[str, list[pyoxigraph.Triple]] = {}
    for quad in fragment.matches:
        name = "" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
        by_graph.setdefault(name, []).append(quad.triple)
    nodes: list[Any] = _nodes(by_graph.pop("", []))
    for name in sorted(by_graph):
        nodes.append({"@id": jsonld.compact(name), "@graph": _nodes(by_graph[name])})
    described = [node for part in [_primary_topic(fragment), *parts] for node in _nodes(part)]
    nodes.append({"@id": fragment.metadata_graph, "@graph": described})
    document = {**jsonld.context(), "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _nodes(triples: list[pyoxigraph.Triple]) -> list[Any]:
    nodes: list[Any] = json.loads(jsonld.serialize(triples))["@graph"] if triples else []
    return nodes


def _iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)
