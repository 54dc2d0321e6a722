"""A built wheel carries what the site serves (issue 11): the npm-installed files of
`static/build/` (never committed), the message catalogs and every template.

`make setup` runs `npm ci` and the bundle step before pip; a wheel built after it must be enough
to serve the site with Yasgui, the drawings and both languages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "ombudsman_kg" / "web"


def test_a_built_wheel_carries_the_browser_files_catalogs_and_templates(tmp_path: Path) -> None:
    built = WEB / "static" / "build"
    assert (built / "yasgui.min.js").is_file(), "static/build/ is empty: run `make setup`"
    # from a copy: setuptools reuses a build/ folder it finds, which would hide a change here
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = tmp_path.glob("ombudsman_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "ombudsman_kg/web/" + str(path.relative_to(WEB))
        for folder in ("static/build", "templates", "translations")
        for path in (WEB / folder).rglob("*")
        if path.is_file() and path.suffix in {".js", ".css", ".json", ".html", ".po"}
    }
    assert {n for n in expected if "yasgui" in n}, "Yasgui's files are not in static/build/"
    missing = sorted(expected - names)
    assert missing == [], f"the wheel lacks {missing}"
