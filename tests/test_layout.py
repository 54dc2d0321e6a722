"""The folder tree is the pipeline, and each folder keeps to what it may import (issue 9).

Read from the source with `ast`, so that a lazy import inside a function counts as much as one at
the top. Each folder's README states its rule in words; this test holds it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ombudsman_kg"
SHARED = ("ombudsman_kg.errors", "ombudsman_kg.settings")
RULES = {
    "rdf": ("ombudsman_kg.rdf", "ombudsman_kg.errors"),
    "build": ("ombudsman_kg.rdf", "ombudsman_kg.build", *SHARED),
    "store": ("ombudsman_kg.rdf", "ombudsman_kg.store", "ombudsman_kg.build.outputs", *SHARED),
    "web": (
        "ombudsman_kg.rdf",
        "ombudsman_kg.store",
        "ombudsman_kg.web",
        "ombudsman_kg.build.outputs",
        *SHARED,
    ),
}
#: what a module may import from the package root itself (`from ombudsman_kg import X`)
ROOT_NAMES = {"__version__"}
MAX_LINES = 300


def imports_of(path: Path) -> list[str]:
    """Every `ombudsman_kg` module `path` imports, `from X import Y` as X.Y when Y is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (dotted.replace(".", "/") + ".py")).is_file() or (
                    PACKAGE.parent / dotted.replace(".", "/")
                ).is_dir()
                found.append(dotted if is_module else node.module)
                if node.module == "ombudsman_kg" and not is_module:
                    found[-1] = f"ombudsman_kg:{alias.name}"
    return [name for name in found if name.startswith("ombudsman_kg")]


def allowed(name: str, rule: tuple[str, ...]) -> bool:
    if name.startswith("ombudsman_kg:"):
        return name.split(":", 1)[1] in ROOT_NAMES
    return any(name == prefix or name.startswith(prefix + ".") for prefix in rule)


@pytest.mark.parametrize("folder", sorted(RULES))
def test_each_folder_imports_only_what_its_readme_allows(folder: str) -> None:
    assert (PACKAGE / folder / "README.md").is_file(), f"{folder}/ has no README"
    broken = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for name in imports_of(path)
        if not allowed(name, RULES[folder])
    ]
    assert not broken, broken


def test_the_top_level_holds_only_settings_errors_and_the_cli() -> None:
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules == {"__init__.py", "settings.py", "errors.py", "cli.py"}, modules
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        "rdf",
        "build",
        "store",
        "web",
    }


def test_no_module_is_over_about_300_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_the_rule_catches_a_wrong_way_import(tmp_path: Path) -> None:
    """The check itself: a store module importing the build's dumps is reported."""
    module = tmp_path / "bad.py"
    module.write_text("from ombudsman_kg.build.dumps import sort_triples\n", encoding="utf-8")
    assert not all(allowed(name, RULES["store"]) for name in imports_of(module))
