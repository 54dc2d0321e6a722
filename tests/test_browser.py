"""What a person sees: headless Chromium renders the home page and a page per thing.

Chromium runs the pages as a browser does (parsing, layout, the embedded JSON-LD script), with
no JavaScript of ours involved: the pages must read without it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Chromium is missing: apt-get install chromium (make test does it as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _dump_dom(url: str, tmp_path: Path) -> str:
    result = subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _screenshot(url: str, tmp_path: Path) -> bytes:
    target = tmp_path / "shot.png"
    result = subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,1600",
            f"--screenshot={target}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return target.read_bytes()


@pytest.fixture(scope="module")
def site(built_dist: Path) -> str:
    from conftest import start_server, stop_server

    process, url = start_server(built_dist)
    yield url
    stop_server(process)


def test_the_home_page_renders_with_entry_points_by_kind(site: str, tmp_path: Path) -> None:
    dom = _dump_dom(site + "/", tmp_path)
    assert "The OIC Ombudsman Association and the Ombudsman of Azerbaijan" in dom
    for kind in ("organization", "person", "event", "place", "source"):
        assert f">{kind} <" in dom or f">{kind}<" in dom, kind
    assert 'href="' + site + '/doc/organization/oicoa"' in dom
    assert "Sabina Aliyeva" in dom


def test_a_thing_page_reads_in_english_and_in_azerbaijani(site: str, tmp_path: Path) -> None:
    english = _dump_dom(site + "/doc/person/sabina-aliyeva?lang=en", tmp_path)
    azerbaijani = _dump_dom(site + "/doc/person/sabina-aliyeva?lang=az", tmp_path)
    assert re.search(r"<h1>\s*Sabina Aliyeva\s*</h1>", english)
    assert re.search(r"<h1>\s*Səbinə Əliyeva\s*</h1>", azerbaijani)
    assert "Sources" in english and "Mənbələr" in azerbaijani
    assert site + "/doc/post/azerbaijan-ombudsman" in english
    assert '<script type="application/ld+json">' in english


def test_the_screenshot_of_a_page_is_a_real_picture(site: str, tmp_path: Path) -> None:
    picture = _screenshot(site + "/doc/event/oicoa-general-assembly-2022", tmp_path)
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(picture) > 20_000, "a blank page compresses to a few kilobytes"
