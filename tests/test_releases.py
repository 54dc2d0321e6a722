"""Releases (issue 12): versions from the data, dumps kept per release, and changelogs that are
right: the patch applied to the older release gives the newer one, read back with an RDF Patch
reader and an N-Quads parser of these tests' own (pyoxigraph's parser, rdflib's for the dumps).

A second release is made here as a maintainer makes one: `ombudsman-kg release` registers the
build, the data changes, `ombudsman-kg build` publishes the new release with its changelog.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
from conftest import ROOT, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

B = "https://w3id.org/ombudsman-kg/"
DCAT = "http://www.w3.org/ns/dcat#"
FIRST = "2022-10-ddaca4d0"  # registered in releases/: the build of the first data commit
EXTRA_LABEL = "A label added for the release test"


def _info(dist: Path) -> dict:
    return json.loads((dist / "build.json").read_text(encoding="utf-8"))


def _quads(data: bytes) -> set[pyoxigraph.Quad]:
    return set(pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_QUADS))


def _release_quads(dist: Path, version: str) -> set[pyoxigraph.Quad]:
    return _quads((dist / "releases" / version / "ombudsman-kg.nq").read_bytes())


def apply_patch(quads: set[pyoxigraph.Quad], patch: bytes) -> set[pyoxigraph.Quad]:
    """RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html) read row by row: headers,
    one transaction, `D` and `A` rows of one quad each."""
    result = set(quads)
    rows = patch.decode("utf-8").splitlines()
    assert rows[0].startswith("H id <") and rows[1].startswith("H prev <"), rows[:2]
    assert rows[2] == "TX ." and rows[-1] == "TC .", (rows[2], rows[-1])
    for row in rows[3:-1]:
        kind, _, quad = row.partition(" ")
        (parsed,) = _quads(quad.encode("utf-8"))
        if kind == "D":
            assert parsed in result, f"the patch deletes a quad the older release lacks: {row}"
            result.discard(parsed)
        else:
            assert kind == "A", row
            assert parsed not in result, f"the patch adds a quad already there: {row}"
            result.add(parsed)
    return result


def test_the_register_holds_a_release_and_a_clean_build_publishes_it_with_the_current(
    built_dist: Path,
) -> None:
    versions = [r["version"] for r in _info(built_dist)["releases"]]
    assert versions[0] == FIRST and len(versions) >= 2, versions
    assert _info(built_dist)["release"] == versions[-1]
    for version in versions:
        assert (built_dist / "releases" / version / "ombudsman-kg.nq").is_file()


def test_a_version_is_the_newest_date_of_the_data_and_the_hash_of_its_quads(
    built_dist: Path,
) -> None:
    current = _info(built_dist)["release"]
    quads = _release_quads(built_dist, current)
    lines = sorted(
        {
            pyoxigraph.serialize([q], format=pyoxigraph.RdfFormat.N_QUADS).decode()  # type: ignore[union-attr]
            for q in quads
        }
    )
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    data_graph = pyoxigraph.NamedNode(B + "graph/data")
    dates = [
        q.object.value[:10]
        for q in quads
        if q.graph_name == data_graph
        and isinstance(q.object, pyoxigraph.Literal)
        and q.object.datatype.value.rsplit("#", 1)[-1]
        in ("date", "dateTime", "gYearMonth", "gYear")
    ]
    assert current == f"{max(dates)}-{digest[:8]}"


def test_the_changelog_applied_to_the_older_release_gives_the_newer(built_dist: Path) -> None:
    releases = _info(built_dist)["releases"]
    for older, newer in zip(releases, releases[1:], strict=False):
        folder = built_dist / "releases" / newer["version"]
        before = _release_quads(built_dist, older["version"])
        after = _release_quads(built_dist, newer["version"])
        assert before != after
        patched = apply_patch(before, (folder / "changes.rdfp").read_bytes())
        assert patched == after
        removed = _quads((folder / "removed.nq").read_bytes())
        added = _quads((folder / "added.nq").read_bytes())
        assert (before - removed) | added == after
        assert not removed & added
        changes = newer["changes"]
        assert (changes["added"], changes["removed"]) == (len(added), len(removed))
        by_graph = {
            graph: {"added": n, "removed": 0}
            for graph, n in Counter(q.graph_name.value for q in added).items()  # type: ignore[union-attr]
        }
        for graph, n in Counter(q.graph_name.value for q in removed).items():  # type: ignore[union-attr]
            by_graph.setdefault(graph, {"added": 0, "removed": 0})["removed"] = n
        assert changes["graphs"] == dict(sorted(by_graph.items()))
        assert any(graph.startswith(B + "graph/source/") for graph in changes["graphs"])


def test_every_release_dump_is_its_quads_and_matches_its_checksum(built_dist: Path) -> None:
    for release in _info(built_dist)["releases"]:
        folder = built_dist / "releases" / release["version"]
        quads = _release_quads(built_dist, release["version"])
        assert len(quads) == release["quads"]
        sums = dict(
            reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines()
        )
        for dump in release["dumps"]:
            content = (folder / dump["file"]).read_bytes()
            assert hashlib.sha256(content).hexdigest() == dump["sha256"] == sums[dump["file"]]
            assert len(content) == dump["bytes"]
        trig = rdflib.Dataset()
        trig.parse(data=(folder / "ombudsman-kg.trig").read_bytes(), format="trig")
        assert len(list(trig.quads((None, None, None, None)))) == len(quads)
        nq_gz = gzip.decompress((folder / "ombudsman-kg.nq.gz").read_bytes())
        assert _quads(nq_gz) == quads


def test_the_current_release_is_the_build_s_own_dumps(built_dist: Path) -> None:
    current = _info(built_dist)["release"]
    for name in ("ombudsman-kg.nq", "ombudsman-kg.ttl", "ombudsman-kg.jsonld"):
        assert (built_dist / "releases" / current / name).read_bytes() == (
            built_dist / "dumps" / name
        ).read_bytes()


@pytest.fixture(scope="module")
def two_new_releases(tmp_path_factory: pytest.TempPathFactory, built_dist: Path) -> Path:
    """The register copied; the current build registered by `ombudsman-kg release`; one label
    added to the data; built again: the new release follows the registered one."""
    work = tmp_path_factory.mktemp("releasing")
    register = work / "releases"
    shutil.copytree(ROOT / "releases", register)
    shutil.copytree(ROOT / "data", work / "data")
    first = work / "first" / "dist"
    done = run_cli("build", "--dist", str(first), "--releases", str(register))
    assert done.returncode == 0, done.stderr
    done = run_cli("release", "--dist", str(first), "--releases", str(register))
    assert done.returncode == 0, done.stderr
    assert "registered" in done.stdout + done.stderr
    places = work / "data" / "places.trig"
    text = places.read_text(encoding="utf-8")
    head, brace, rest = text.partition("{")
    places.write_text(
        head + brace + f"\n<{B}id/place/azerbaijan> <http://www.w3.org/2004/02/skos/core#altLabel>"
        f' "{EXTRA_LABEL}"@en .\n' + rest,
        encoding="utf-8",
    )
    second = work / "second" / "dist"
    done = run_cli(
        "build", "--dist", str(second), "--releases", str(register), "--data", str(work / "data")
    )
    assert done.returncode == 0, done.stderr
    return second


def test_a_registered_build_and_new_data_make_a_new_release_with_exactly_that_change(
    two_new_releases: Path, built_dist: Path
) -> None:
    releases = _info(two_new_releases)["releases"]
    registered_current = _info(built_dist)["release"]
    assert [r["version"] for r in releases][-2] == registered_current
    newest = releases[-1]
    assert newest["previous"] == registered_current and newest["version"] != registered_current
    folder = two_new_releases / "releases" / newest["version"]
    added = (folder / "added.nq").read_text(encoding="utf-8")
    assert EXTRA_LABEL in added
    assert newest["changes"]["graphs"][B + "graph/data"]["added"] >= 1
    before = _release_quads(two_new_releases, registered_current)
    after = _release_quads(two_new_releases, newest["version"])
    assert apply_patch(before, (folder / "changes.rdfp").read_bytes()) == after


def test_two_builds_of_the_same_releases_are_byte_identical(
    built_dist: Path, tmp_path: Path
) -> None:
    again = tmp_path / "dist"
    done = run_cli("build", "--dist", str(again), env={"PYTHONHASHSEED": "999"})
    assert done.returncode == 0, done.stderr
    first = {
        p.relative_to(built_dist): p for p in (built_dist / "releases").rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p for p in (again / "releases").rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second) and first
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), f"{name} differs"


def test_release_without_a_build_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("release", "--dist", str(tmp_path / "nothing"), "--releases", str(tmp_path))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "ombudsman-kg build" in done.stderr


# --- over HTTP, on both stores -------------------------------------------------------------


def test_the_releases_page_lists_every_release_and_the_current_one(live_server: str) -> None:
    listing = requests.get(live_server + "/releases/", timeout=10)
    assert listing.status_code == 200 and listing.headers["Content-Type"].startswith("text/html")
    info = requests.get(live_server + "/releases/index.ttl", timeout=10)
    graph = rdflib.Graph().parse(data=info.text, format="turtle")
    pyoxigraph.parse(input=info.content, format=pyoxigraph.RdfFormat.TURTLE)
    versions = [str(v) for v in graph.objects(None, rdflib.URIRef(DCAT + "version"))]
    assert FIRST in versions and len(versions) >= 2
    for version in versions:
        assert f"/releases/{version}/" in listing.text
    home = requests.get(live_server + "/", timeout=10).text
    current = graph.value(rdflib.URIRef(B + "dataset"), rdflib.URIRef(DCAT + "hasCurrentVersion"))
    assert current is not None and f"/releases/{str(current).rsplit('/', 1)[-1]}/" in home


def test_a_release_iri_303s_to_its_page_which_lists_its_changes(live_server: str) -> None:
    dataset = rdflib.Graph().parse(
        data=requests.get(live_server + "/dataset.ttl", timeout=10).text, format="turtle"
    )
    current = dataset.value(rdflib.URIRef(B + "dataset"), rdflib.URIRef(DCAT + "hasCurrentVersion"))
    version = str(current).rsplit("/", 1)[-1]
    answer = requests.get(f"{live_server}/release/{version}", allow_redirects=False, timeout=10)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(
        f"/releases/{version}/"
    )
    page = requests.get(live_server + answer.headers["Location"], timeout=10)
    assert page.status_code == 200
    for name in ("changes.rdfp", "added.nq", "removed.nq", "SHA256SUMS", "ombudsman-kg.nq.gz"):
        assert f"/releases/{version}/{name}" in page.text
    assert "cooperation-document" in page.text  # the counts per source graph
    az = requests.get(page.url, headers={"Accept-Language": "az"}, timeout=10).text
    assert 'lang="az"' in az and "əlavə" in az


def test_release_files_download_as_published(live_server: str, built_dist: Path) -> None:
    for release in _info(built_dist)["releases"]:
        base = f"{live_server}/releases/{release['version']}/"
        for dump in release["dumps"]:
            answer = requests.get(base + dump["file"], timeout=30)
            assert answer.status_code == 200, dump["file"]
            assert hashlib.sha256(answer.content).hexdigest() == dump["sha256"], dump["file"]
            assert answer.headers["ETag"].strip('"') == dump["sha256"]
        if "changes" in release:
            patch = requests.get(base + "changes.rdfp", timeout=30)
            assert patch.status_code == 200
            assert (
                patch.content
                == (built_dist / "releases" / release["version"] / "changes.rdfp").read_bytes()
            )


def test_the_void_describes_the_releases_as_a_dcat_series(live_server: str) -> None:
    text = requests.get(live_server + "/dataset.ttl", timeout=10).text
    pyoxigraph.parse(input=text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    graph = rdflib.Graph().parse(data=text, format="turtle")
    series = rdflib.URIRef(B + "dataset")
    assert (series, rdflib.RDF.type, rdflib.URIRef(DCAT + "DatasetSeries")) in graph
    members = list(graph.subjects(rdflib.URIRef(DCAT + "inSeries"), series))
    assert len(members) >= 2
    prov = rdflib.URIRef("http://www.w3.org/ns/prov#wasRevisionOf")
    notes = rdflib.URIRef("http://www.w3.org/ns/adms#versionNotes")
    revised = [m for m in members if graph.value(m, prov) is not None]
    assert len(revised) == len(members) - 1
    for member in members:
        languages = {n.language for n in graph.objects(member, notes)}
        assert languages == {"en", "az"}, member
        assert graph.value(member, rdflib.URIRef(DCAT + "version")) is not None


@settings(max_examples=60, deadline=None)
@given(version=st.text(min_size=1, max_size=80), filename=st.text(min_size=1, max_size=40))
def test_any_release_path_is_a_clear_answer(live_server: str, version: str, filename: str) -> None:
    from urllib.parse import quote

    for path in (
        f"/release/{quote(version, safe='')}",
        f"/releases/{quote(version, safe='')}/",
        f"/releases/{FIRST}/{quote(filename, safe='')}",
    ):
        answer = requests.get(live_server + path, allow_redirects=False, timeout=10)
        # 308: routing normalizes a path with an empty segment (%2F decoded), as a redirect
        assert answer.status_code in (200, 303, 308, 404), (path, answer.status_code)
        assert "Traceback" not in answer.text
