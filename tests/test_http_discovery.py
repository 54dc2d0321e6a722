"""Discovery (issue 12, item 4): `Link` headers, the build's SHACL report at `/validation`, and
the VoID linkset of the `owl:sameAs` links to Wikidata, through HTTP on both stores.

`Link` headers are read with requests' own parser, `requests.utils.parse_header_links`, as a
list: `response.links` keys them by `rel`, so of several `rel="alternate"` it keeps one. Every
alternate is followed, and must answer `200` in the type it claims, with the same triples.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph
import pytest
import requests
from conftest import ROOT, run_cli, start_server, stop_server
from httpcheck import (
    BROWSER_ACCEPT,
    DATASET,
    EXTENSIONS,
    RDF,
    RDF_EXTENSIONS,
    RDFS,
    TIMEOUT,
    VOID,
    B,
    assert_same_graph,
    get,
    local,
    media_type,
    parse_graph,
    parse_response,
    read_html,
    select_json,
    vary_has,
)
from rdflib import Graph, Literal, URIRef

SH = "http://www.w3.org/ns/shacl#"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DCT_CONFORMS_TO = "http://purl.org/dc/terms/conformsTo"
WIKIDATA = "http://www.wikidata.org/entity/"
VALIDATION = B + "validation"
THING = "/doc/organization/oicoa"
# Documents of every kind that negotiates among the graph formats, with and without extension.
DOCUMENTS = [
    THING,
    THING + ".ttl",
    THING + ".html",
    "/ontology",
    "/ontology.jsonld",
    "/ontology/1.0.0.nt",
    "/shapes.nt",
    "/dataset",
    "/.well-known/void",
    "/graph/data.ttl",
    "/disagreements",
    "/validation",
    "/validation.rdf",
]
DUMP_MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
}


def links_of(response: requests.Response) -> list[dict[str, str]]:
    """Every link of the `Link` header, in order, each as {url, rel, type, …}."""
    header = response.headers.get("Link", "")
    return requests.utils.parse_header_links(header) if header else []


def with_rel(response: requests.Response, relation: str) -> list[dict[str, str]]:
    return [link for link in links_of(response) if link.get("rel") == relation]


def follow(response: requests.Response, link: dict[str, str]) -> requests.Response:
    """The link's target, asked for with no `Accept`: its URL alone must give its type."""
    return get(urljoin(response.url, link["url"]), accept=None)


# ---------------------------------------------------------------- Link headers


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_document_links_each_other_format_and_each_answers_in_the_type_it_claims(
    live_server: str, path: str
) -> None:
    response = get(live_server + path, accept="text/turtle")
    assert response.status_code == 200, (path, response.status_code)
    alternates = with_rel(response, "alternate")
    claimed = {link.get("type") for link in alternates}
    served_by_extension = path.rpartition(".")[2] in EXTENSIONS and "." in path.rsplit("/", 1)[1]
    offered = set(EXTENSIONS.values())
    if served_by_extension:
        offered.discard(media_type(response))
    assert claimed == offered, f"{path}: alternates {claimed}, expected {offered}"
    reference = parse_response(response) if media_type(response) != "text/html" else None
    for link in alternates:
        answer = follow(response, link)
        assert answer.status_code == 200, (path, link, answer.status_code)
        assert media_type(answer) == link["type"], (path, link, media_type(answer))
        if link["type"] == "text/html":
            assert "<html" in answer.text
            continue
        # parse_graph reads it with pyoxigraph and rdflib and checks the two agree
        graph = parse_graph(answer.content, link["type"], base=answer.url)
        if reference is None:
            reference = graph
        assert_same_graph(reference, graph, f"{path} vs its alternate {link['url']}")


@pytest.mark.parametrize(
    "path", [*DOCUMENTS, "/", "/sparql", "/dumps/", THING.replace("doc", "id")]
)
def test_every_answer_but_the_description_itself_is_describedby_the_void(
    live_server: str, path: str
) -> None:
    response = get(live_server + path, accept=BROWSER_ACCEPT)
    assert response.status_code in (200, 303), (path, response.status_code)
    described_by = with_rel(response, "describedby")
    if path in ("/dataset", "/.well-known/void"):
        assert described_by == [], "the VoID description is not described by itself"
        return
    assert len(described_by) == 1, (path, links_of(response))
    void = follow(response, described_by[0])
    assert void.status_code == 200
    assert media_type(void) == described_by[0]["type"] == "text/turtle"
    graph = parse_response(void)
    assert (URIRef(DATASET), URIRef(RDF + "type"), URIRef(VOID + "Dataset")) in graph
    assert "link" in response.headers.get("Access-Control-Expose-Headers", "").lower()


def test_the_303_keeps_the_link_its_view_set(live_server: str) -> None:
    response = get(live_server + THING.replace("doc", "id"), accept="text/turtle")
    assert response.status_code == 303
    canonical = with_rel(response, "canonical")
    assert [link["url"] for link in canonical] == [B + "id/organization/oicoa"]
    assert links_of(response)[0]["rel"] == "canonical", "the view's own Link comes first"


def test_an_error_answer_links_no_alternate(live_server: str) -> None:
    for path in ("/doc/organization/no-such-thing", "/validation.xyz", "/dumps/nothing.ttl"):
        response = get(live_server + path, accept="text/turtle")
        assert response.status_code == 404, path
        assert links_of(response) == [], (path, response.headers.get("Link"))


def test_each_dump_links_the_other_dumps_of_the_same_content(live_server: str) -> None:
    listing = get(live_server + "/dumps/", accept="application/json").json()["dumps"]
    files = [entry["file"] for entry in listing]
    plain = [name for name in files if not name.endswith(".gz")]
    contents: dict[str, set[pyoxigraph.Quad]] = {}
    for name in files:
        response = requests.get(f"{live_server}/dumps/{name}", timeout=TIMEOUT)
        assert response.status_code == 200, name
        quads = name.removesuffix(".gz").endswith((".trig", ".nq"))
        expected = {
            other for other in plain if other != name and other.endswith((".trig", ".nq")) == quads
        }
        alternates = with_rel(response, "alternate")
        assert {link["url"].rsplit("/", 1)[-1] for link in alternates} == expected, name
        assert len(with_rel(response, "describedby")) == 1, name
        for link in alternates:
            target = link["url"].rsplit("/", 1)[-1]
            if target not in contents:
                answer = follow(response, link)
                assert answer.status_code == 200, link
                assert media_type(answer) == link["type"], link
                assert link["type"] == DUMP_MEDIA_TYPES[target[target.rindex(".") :]]
                rdf_format = pyoxigraph.RdfFormat.from_media_type(link["type"])
                assert rdf_format is not None
                contents[target] = set(pyoxigraph.parse(answer.content, format=rdf_format))
        sizes = {target: len(contents[target]) for target in expected}
        assert len({frozenset(contents[t]) for t in expected}) == 1, f"{name}: {sizes}"


# ---------------------------------------------------------------- /validation


@pytest.mark.parametrize("extension", sorted(RDF_EXTENSIONS))
def test_validation_report_in_every_format_by_extension_and_by_accept(
    live_server: str, extension: str
) -> None:
    wanted = RDF_EXTENSIONS[extension]
    by_extension = get(f"{live_server}/validation.{extension}", accept=None)
    negotiated = get(live_server + "/validation", accept=wanted)
    graphs = []
    for response in (by_extension, negotiated):
        assert response.status_code == 200, (response.url, response.status_code)
        assert media_type(response) == wanted
        graph = parse_response(response)  # by rdflib and by pyoxigraph, which must agree
        report = URIRef(VALIDATION)
        assert (report, URIRef(RDF + "type"), URIRef(SH + "ValidationReport")) in graph
        assert set(graph.objects(report, URIRef(SH + "conforms"))) == {Literal(True)}
        assert not set(graph.objects(report, URIRef(SH + "result")))
        labels = {label.language for label in graph.objects(report, URIRef(RDFS + "label"))}
        assert labels == {"en", "az"}
        graphs.append(graph)
    assert_same_graph(graphs[0], graphs[1], f"/validation.{extension} vs negotiated")
    assert negotiated.headers["Content-Location"] == f"/validation.{extension}"
    assert vary_has(negotiated, "Accept")
    turtle = parse_response(get(live_server + "/validation.ttl", accept=None))
    assert_same_graph(turtle, graphs[0], f"/validation.{extension} vs .ttl")


def test_validation_report_as_html_says_the_data_conforms(live_server: str) -> None:
    for path in ("/validation", "/validation.html"):
        response = get(live_server + path, accept=BROWSER_ACCEPT)
        assert response.status_code == 200
        assert media_type(response) == "text/html"
        page = read_html(response.text, response.url)
        assert "conforms to the shapes" in page.text
        assert VALIDATION in response.text
        for extension in RDF_EXTENSIONS:
            assert f"{live_server}/validation.{extension}" in page.links, extension
        assert any(link.startswith(live_server + "/shapes") for link in page.links)
    azerbaijani = get(live_server + "/validation?lang=az", accept=BROWSER_ACCEPT)
    assert "SHACL yoxlama hesabatı" in azerbaijani.text


def test_a_validation_report_the_server_does_not_offer_is_404(live_server: str) -> None:
    for path in ("/validation.xyz", "/validation.trig"):
        response = get(live_server + path, accept="text/turtle")
        assert response.status_code == 404, path


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the data plus one violation (a second English label), which fails after
    writing its report; the data the build reads is a copy, the repository is untouched."""
    work = tmp_path_factory.mktemp("invalid-build")
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "organizations.trig").open("a", encoding="utf-8") as extra:
        extra.write(
            "\n<https://w3id.org/ombudsman-kg/id/organization/oicoa>\n"
            '    <http://www.w3.org/2000/01/rdf-schema#label> "A second English name"@en .\n'
        )
    result = run_cli("build", "--data", str(data), "--dist", str(work / "dist"))
    assert result.returncode != 0, "a build with a violation succeeded"
    assert "oicoa" in result.stderr + result.stdout
    return work / "dist"


@pytest.fixture(scope="module")
def server_with_violations(
    built_dist: Path, failed_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The good build served with the failed build's report in place of its own: a report with
    results, as /validation would serve one."""
    dist = tmp_path_factory.mktemp("served") / "dist"
    shutil.copytree(built_dist, dist)
    shutil.copyfile(failed_build / "validation.ttl", dist / "validation.ttl")
    process, url = start_server(dist)
    yield url
    stop_server(process)


def test_a_failed_build_writes_the_same_report_bytes_twice(
    failed_build: Path, tmp_path: Path
) -> None:
    """Results are blank nodes: their labels are canonical, so the bytes repeat."""
    data = failed_build.parent / "data"
    again = run_cli("build", "--data", str(data), "--dist", str(tmp_path / "dist"))
    assert again.returncode != 0
    first = (failed_build / "validation.ttl").read_bytes()
    assert first == (tmp_path / "dist" / "validation.ttl").read_bytes()
    assert b"_:" in first, "the report has no result"


def test_a_report_with_results_shows_each_in_rdf_and_html(server_with_violations: str) -> None:
    server = server_with_violations
    graph = parse_response(get(server + "/validation.ttl", accept=None))
    report = URIRef(VALIDATION)
    assert set(graph.objects(report, URIRef(SH + "conforms"))) == {Literal(False)}
    results = list(graph.objects(report, URIRef(SH + "result")))
    assert len(results) == 1, results
    result = results[0]
    assert graph.value(result, URIRef(SH + "focusNode")) == URIRef(B + "id/organization/oicoa")
    assert graph.value(result, URIRef(SH + "resultPath")) == URIRef(RDFS + "label")
    assert graph.value(result, URIRef(SH + "resultSeverity")) == URIRef(SH + "Violation")
    message = str(graph.value(result, URIRef(SH + "resultMessage")))
    assert "English" in message
    for extension in RDF_EXTENSIONS:
        other = parse_response(get(f"{server}/validation.{extension}", accept=None))
        assert_same_graph(graph, other, f"/validation.{extension} with results")

    page = get(server + "/validation", accept=BROWSER_ACCEPT)
    assert page.status_code == 200
    shown = read_html(page.text, page.url)
    assert "does not conform" in shown.text
    assert server + "/doc/organization/oicoa" in shown.links  # the focus node, linked locally
    assert "rdfs:label" in shown.text  # the path
    assert message in shown.text
    assert "sh:Violation" in shown.text  # the severity


# ---------------------------------------------------------------- VoID


@pytest.fixture(scope="module")
def void(live_server: str) -> Graph:
    return parse_response(get(live_server + "/dataset", accept="text/turtle"))


def test_the_void_links_the_validation_report_and_the_shapes(live_server: str, void: Graph) -> None:
    dataset = URIRef(DATASET)
    assert (dataset, URIRef(RDFS + "seeAlso"), URIRef(VALIDATION)) in void
    assert (dataset, URIRef(DCT_CONFORMS_TO), URIRef(B + "shapes")) in void
    report = parse_response(get(local(live_server, VALIDATION), accept="text/turtle"))
    assert (URIRef(VALIDATION), URIRef(RDF + "type"), URIRef(SH + "ValidationReport")) in report


def test_the_void_linkset_counts_the_same_as_links_to_wikidata(
    live_server: str, void: Graph
) -> None:
    dataset = URIRef(DATASET)
    linksets = [
        linkset
        for linkset in void.subjects(URIRef(RDF + "type"), URIRef(VOID + "Linkset"))
        if (linkset, URIRef(VOID + "linkPredicate"), URIRef(OWL_SAME_AS)) in void
    ]
    assert len(linksets) == 1, linksets
    linkset = linksets[0]
    assert str(linkset).startswith(DATASET + "#"), "named where /dataset describes it"
    assert (dataset, URIRef(VOID + "subset"), linkset) in void
    assert set(void.objects(linkset, URIRef(VOID + "subjectsTarget"))) == {dataset}
    targets = set(void.objects(linkset, URIRef(VOID + "objectsTarget")))
    assert len(targets) == 1
    target = targets.pop()
    assert {str(o) for o in void.objects(target, URIRef(VOID + "uriSpace"))} == {WIKIDATA}
    assert (target, URIRef(RDF + "type"), URIRef(VOID + "Dataset")) in void
    counted = [int(o) for o in void.objects(linkset, URIRef(VOID + "triples"))]
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{OWL_SAME_AS}> ?o "
        f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{WIKIDATA}") && STRSTARTS(STR(?s), "{B}")) }}'
    )
    rows = select_json(live_server, query)
    in_store = int(rows[0]["n"]["value"])
    assert in_store > 0, "the data holds no owl:sameAs to Wikidata"
    assert counted == [in_store], (counted, in_store)
