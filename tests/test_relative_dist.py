"""A server started with a relative `dist` serves every file of it, from any working directory.

Issue 8: started as the README starts it, every `.gz` dump and every dump asked for with
`Accept-Encoding: gzip` answered `500`: Flask's `send_file` read the relative path against the
package. Every server of the suite now starts beside its `dist` with the default setting
(`conftest.start_server`); this one starts a level above it, with `--dist build/dist`.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import start_server, stop_server

from ombudsman_kg.settings import Settings


@pytest.fixture(scope="module")
def server_elsewhere(built_dist: Path) -> Iterator[str]:
    process, url = start_server(built_dist, cwd=built_dist.parent.parent)
    try:
        yield url
    finally:
        stop_server(process)


def test_dumps_download_with_compression_from_a_relative_dist(server_elsewhere: str) -> None:
    listing = requests.get(
        server_elsewhere + "/dumps/", headers={"Accept": "application/json"}, timeout=30
    )
    dumps = listing.json()["dumps"]
    assert any(d["file"].endswith(".gz") for d in dumps)
    for dump in dumps:
        url = f"{server_elsewhere}/dumps/{dump['file']}"
        for encoding in ("gzip", "identity"):
            response = requests.get(
                url, headers={"Accept-Encoding": encoding}, timeout=60, stream=True
            )
            assert response.status_code == 200, (dump["file"], encoding, response.text[:300])
            raw = response.raw.read(decode_content=False)
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            assert hashlib.sha256(raw).hexdigest() == dump["sha256"], (dump["file"], encoding)
            assert len(raw) == dump["bytes"]


def test_settings_paths_are_absolute_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(None, environ={})
    assert settings.dist == tmp_path / "dist"
    assert Settings.load({"dist": Path("x/dist")}, environ={}).dist == tmp_path / "x" / "dist"
