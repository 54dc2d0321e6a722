"""`ombudsman-kg build`: reproducible dumps, faithful to the store, and violations located."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from conftest import ROOT, run_cli
from rdflib.compare import isomorphic

SOURCE_GRAPH = "https://w3id.org/ombudsman-kg/graph/source/"
GRAPHS = {
    "data": "https://w3id.org/ombudsman-kg/graph/data",
    "ontology": "https://w3id.org/ombudsman-kg/graph/ontology",
    "inferred": "https://w3id.org/ombudsman-kg/graph/inferred",
}
SINGLE_GRAPH_DUMPS = {
    "ombudsman-kg.ttl": "ttl",
    "ombudsman-kg.nt": "nt",
    "ombudsman-kg.jsonld": "jsonld",
    "ombudsman-kg.nt.gz": "nt",
}
DATASET_DUMPS = {"ombudsman-kg.trig": "trig", "ombudsman-kg.nq": "nq", "ombudsman-kg.nq.gz": "nq"}


def _files(dist: Path) -> dict[str, bytes]:
    """Every file of a build except the store's own database files."""
    return {
        str(p.relative_to(dist)): p.read_bytes()
        for p in sorted(dist.rglob("*"))
        if p.is_file() and "store" not in p.relative_to(dist).parts
    }


def _parse(path: Path, extension: str) -> list[pyoxigraph.Quad]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return list(pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.from_extension(extension)))


def _rdflib_graph(triples: list[pyoxigraph.Triple]) -> rdflib.Graph:
    from ombudsman_kg.build.sources import to_rdflib_graph

    return to_rdflib_graph(triples)


def test_two_builds_with_different_hash_seeds_are_byte_identical(
    built_dist: Path, tmp_path: Path
) -> None:
    second = tmp_path / "dist"
    result = run_cli("build", "--dist", str(second), env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    first_files, second_files = _files(built_dist), _files(second)
    assert sorted(first_files) == sorted(second_files)
    assert "dumps/ombudsman-kg.nq.gz" in first_files and "void.ttl" in first_files
    for name, content in first_files.items():
        assert content == second_files[name], f"{name} differs between builds"


@pytest.fixture(scope="module")
def store_quads(built_dist: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """What the built embedded store holds, graph by graph."""
    store = pyoxigraph.Store.read_only(str(built_dist / "store"))
    graphs = {}
    for name, iri in GRAPHS.items():
        graphs[name] = [
            q.triple for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(iri))
        ]
    assert not list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    return graphs


@pytest.mark.parametrize("filename,extension", sorted(SINGLE_GRAPH_DUMPS.items()))
def test_single_graph_dump_is_the_data_plus_ontology_in_the_store(
    built_dist: Path, store_quads: dict[str, list[pyoxigraph.Triple]], filename: str, extension: str
) -> None:
    parsed = _parse(built_dist / "dumps" / filename, extension)
    assert all(isinstance(q.graph_name, pyoxigraph.DefaultGraph) for q in parsed)
    expected = _rdflib_graph(store_quads["data"] + store_quads["ontology"])
    assert len(parsed) == len(expected)
    assert isomorphic(_rdflib_graph([q.triple for q in parsed]), expected)
    rdflib_parsed = rdflib.Graph().parse(
        data=gzip.decompress((built_dist / "dumps" / filename).read_bytes())
        if filename.endswith(".gz")
        else (built_dist / "dumps" / filename).read_bytes(),
        format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[extension],
    )
    assert isomorphic(rdflib_parsed, expected)


@pytest.mark.parametrize("filename,extension", sorted(DATASET_DUMPS.items()))
def test_dataset_dump_holds_every_named_graph_of_the_store(
    built_dist: Path, store_quads: dict[str, list[pyoxigraph.Triple]], filename: str, extension: str
) -> None:
    parsed = _parse(built_dist / "dumps" / filename, extension)
    for name, iri in GRAPHS.items():
        in_dump = [q.triple for q in parsed if getattr(q.graph_name, "value", None) == iri]
        assert in_dump, f"{name} graph missing from {filename}"
        assert isomorphic(_rdflib_graph(in_dump), _rdflib_graph(store_quads[name]))
    store = pyoxigraph.Store.read_only(str(built_dist / "store"))
    assert set(parsed) == set(store), "the quad dump and the store differ"
    sources = {q.graph_name for q in parsed} - {pyoxigraph.NamedNode(g) for g in GRAPHS.values()}
    info = json.loads((built_dist / "build.json").read_text(encoding="utf-8"))
    assert {g.value for g in sources} == set(info["source_graphs"]), "source graphs missing"
    assert all(g.value.startswith(SOURCE_GRAPH) for g in sources)


def test_the_data_and_ontology_graphs_have_no_blank_nodes(
    store_quads: dict[str, list[pyoxigraph.Triple]],
) -> None:
    for name in ("data", "ontology", "inferred"):
        for triple in store_quads[name]:
            assert not isinstance(triple.subject, pyoxigraph.BlankNode), triple
            assert not isinstance(triple.object, pyoxigraph.BlankNode), triple


def test_validation_report_is_written_and_says_the_data_conforms(built_dist: Path) -> None:
    assert (built_dist / "validation-report.txt").read_text(encoding="utf-8").startswith("conforms")


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def test_a_violation_names_the_file_line_node_property_and_message(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    target = data / "people-and-posts.trig"
    lines = target.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if '"Sabina Aliyeva"@en' in line)
    lines[number] = lines[number].replace(
        '"Sabina Aliyeva"@en', '"Sabina Aliyeva"@en , "Sabina Aliyeva (a second English label)"@en'
    )
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", "--data", str(data), "--dist", str(tmp_path / "dist"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{target}:{number + 1}:" in result.stderr
    assert "<https://w3id.org/ombudsman-kg/id/person/sabina-aliyeva>" in result.stderr
    assert "http://www.w3.org/2000/01/rdf-schema#label" in result.stderr
    assert "@en" in result.stderr


def test_a_missing_statement_points_at_the_subjects_block(tmp_path: Path) -> None:
    """A statement removed from the document's block: the report names a line where the
    subject's statements stand (in the file, whichever block), and the missing property."""
    data = _copy_data(tmp_path)
    target = data / "memberships.trig"
    lines = target.read_text(encoding="utf-8").splitlines()
    subject = "<https://w3id.org/ombudsman-kg/id/membership/sabina-aliyeva-on-oicoa-board>"
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(subject)]
    assert len(starts) >= 2, "the document's block and the publisher's statements"
    role_line = next(
        i for i in range(starts[0], len(lines)) if lines[i].strip().startswith("org:role ")
    )
    del lines[role_line]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", "--data", str(data))
    assert result.returncode != 0
    reported = {f"{target}:{i + 1}" for i in starts if i < role_line} | {
        f"{target}:{i}" for i in starts if i > role_line
    }
    assert any(where + ":" in result.stderr for where in reported), result.stderr
    assert subject in result.stderr
    assert "http://www.w3.org/ns/org#role" in result.stderr


def test_a_turtle_syntax_error_is_one_clear_line_without_a_traceback(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "broken.ttl").write_text(
        "<https://w3id.org/ombudsman-kg/id/x/y> <p> .\n", encoding="utf-8"
    )
    result = run_cli("build", "--data", str(data), "--dist", str(tmp_path / "dist"))
    assert result.returncode == 3
    assert "broken.ttl" in result.stderr and "syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("build", "--data", str(tmp_path / "nowhere"), "--dist", str(tmp_path / "dist"))
    assert result.returncode == 3
    assert "no such data directory" in result.stderr
    assert "Traceback" not in result.stderr
