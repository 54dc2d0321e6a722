"""The `ombudsman-kg` command as users run it: query, stats, validate, settings, errors."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from ombudsman_kg.errors import SettingsError
from ombudsman_kg.settings import Settings


def test_query_prints_results_in_the_chosen_format(built_dist: Path) -> None:
    query = (
        "SELECT ?year WHERE { GRAPH <https://w3id.org/ombudsman-kg/graph/source/cooperation-document>"
        " { <https://w3id.org/ombudsman-kg/id/event/oicoa-founding> "
        "<https://schema.org/startDate> ?year } }"
    )
    result = run_cli("query", query, "--format", "json", "--dist", str(built_dist))
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert bindings == [
        {
            "year": {
                "type": "literal",
                "value": "2014",
                "datatype": "http://www.w3.org/2001/XMLSchema#gYear",
            }
        }
    ]


def test_query_construct_prints_turtle(built_dist: Path) -> None:
    result = run_cli(
        "query",
        "CONSTRUCT WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> }",
        "--dist",
        str(built_dist),
    )
    assert result.returncode == 0, result.stderr
    assert "sabina-aliyeva" in result.stdout and "@prefix" in result.stdout


def test_query_refuses_an_update_without_a_traceback(built_dist: Path) -> None:
    result = run_cli("query", "INSERT DATA { <a:b> <a:c> <a:d> }", "--dist", str(built_dist))
    assert result.returncode != 0
    assert "read-only" in result.stderr and "Traceback" not in result.stderr


def test_query_reports_a_syntax_error(built_dist: Path) -> None:
    result = run_cli("query", "SELECT WHERE {", "--dist", str(built_dist))
    assert result.returncode == 2
    assert "syntax error" in result.stderr and "Traceback" not in result.stderr


def test_query_without_a_build_says_to_build_first(tmp_path: Path) -> None:
    result = run_cli("query", "ASK {}", "--dist", str(tmp_path / "nothing"))
    assert result.returncode != 0
    assert "ombudsman-kg build" in result.stderr and "Traceback" not in result.stderr


def test_stats_counts_by_graph_class_and_property(built_dist: Path) -> None:
    result = run_cli("stats", "--dist", str(built_dist))
    assert result.returncode == 0, result.stderr
    assert "# triples by graph" in result.stdout
    assert "# instances by class" in result.stdout
    assert "# triples by property" in result.stdout
    assert "http://www.w3.org/ns/org#FormalOrganization" in result.stdout
    info = json.loads((built_dist / "build.json").read_text())
    for graph, count in info["graphs"].items():
        assert f"{count:>10}  {graph}" in result.stdout


def test_validate_passes_on_the_real_data() -> None:
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("conforms")


def test_environment_variables_set_options_and_flags_win() -> None:
    settings = Settings.load(
        {"port": 9001}, environ={"OKG_PORT": "9000", "OKG_QUERY_TIMEOUT_S": "2.5"}
    )
    assert settings.port == 9001
    assert settings.query_timeout_s == 2.5
    assert Settings.load(None, environ={"OKG_PORT": "9000"}).port == 9000


@pytest.mark.parametrize(
    "environ",
    [
        {"OKG_PORT": "eighty"},
        {"OKG_STORE": "mysql:x"},
        {"OKG_QUERY_TIMEOUT_S": "0"},
        {"OKG_BASE_IRI": "w3id"},
    ],
)
def test_bad_settings_are_refused_with_a_message(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.load(None, environ=environ)


def test_a_bad_setting_from_the_environment_is_one_line_on_the_command_line() -> None:
    result = run_cli("stats", env={"OKG_PORT": "eighty"})
    assert result.returncode == 2
    assert "port" in result.stderr and "Traceback" not in result.stderr


def test_another_base_iri_is_refused_with_a_message_saying_the_base_is_fixed() -> None:
    """Issue 8: only the web layer read `base_iri`; with any other value every page was a 404.
    SPEC §1 fixes the base, so the setting is gone and the variable refused."""
    result = run_cli("serve", "--port", "1", env={"OKG_BASE_IRI": "https://example.org/kg/"})
    assert result.returncode == 2, result.stderr
    assert "fixed" in result.stderr and "https://w3id.org/ombudsman-kg/" in result.stderr
    assert "Traceback" not in result.stderr
    assert not hasattr(Settings(), "base_iri")
    canonical = Settings.load(None, environ={"OKG_BASE_IRI": "https://w3id.org/ombudsman-kg/"})
    assert canonical == Settings.load(None, environ={})
    flag = run_cli("serve", "--base-iri", "https://example.org/kg/")
    assert flag.returncode == 2 and "--base-iri" in flag.stderr


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(Settings):
        assert f"`{field.name}`" in readme, field.name
        assert f"`OKG_{field.name.upper()}`" in readme, field.name


def test_no_module_but_settings_reads_the_environment() -> None:
    for path in (ROOT / "src" / "ombudsman_kg").rglob("*.py"):
        if path.name != "settings.py":
            assert "os.environ" not in path.read_text(encoding="utf-8"), path
