"""Render the bench's /doc/ pages in one process, cold then warm.

Run from the repository with the bench's work folder of a 10^4 run; for another version of the
server, PYTHONPATH=<checkout>/src.
"""

import re
import time
from pathlib import Path

from ombudsman_kg.settings import Settings
from ombudsman_kg.web.app import create_app

WORK = Path("/tmp/benchwork")  # noqa: S108 (the --work of the command in NOTES.md)
app = create_app(Settings.load(None, environ={"OKG_DIST": str(WORK / "dist-10k")}))
client = app.test_client()
lua = (WORK / "logs" / "wrk-doc-html-baseline.lua").read_text()
paths = sorted(set(re.findall(r"/doc/[a-z]+/[a-z0-9-]+", lua)))[:300]
html = {"Accept": "text/html"}
client.get(paths[-1], headers=html)
client.get("/", headers=html)
for state in ("cold", "warm"):
    start, size = time.perf_counter(), 0
    for path in paths:
        size += len(client.get(path, headers=html).get_data())
    elapsed = (time.perf_counter() - start) / len(paths) * 1000
    print(f"{state}: {elapsed:.1f} ms per page, {size // len(paths)} bytes on average")
