"""Benchmark `ombudsman-kg serve` against Oxigraph server and rdflib-endpoint on the same data.

`python bench/run.py --triples N` generates (bench/generate.py) and builds the data, loads the
same N-Quads dump into each peer, starts all three on loopback ports, and measures in one run,
interleaved between peers so that machine noise hits all alike:

- time until each server answers after start ("ready"), and `ombudsman-kg build` wall time;
- single-client p50/p95 latency of each query of `bench/queries/*.rq` and of a page per thing
  (our `/doc/` route; the peers answer the equivalent SPARQL, `page.rq`), one request to each
  peer in turn;
- throughput at 32 concurrent clients (wrk, keep-alive) for the same items, peer after peer
  for each item, waiting for the server to go idle between runs;
- memory of each server's whole process tree (RSS and PSS from /proc) at idle, during a
  sustained page load and after it.

Results: `bench/results/results-<size>.{md,json,png}`, with the command line and the machine.
Issue 4's targets are judged on the 10^5 run; the 10^6 run is for memory and build time.
Everything listens on 127.0.0.1 only; every loop is bounded by a count or a deadline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
QUERIES = BENCH / "queries"
BASE = "https://w3id.org/ombudsman-kg/"
VENV_BIN = Path(sys.executable).parent
SPARQL_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
PAGE_SAMPLES = 200
PEERS = ("ours", "oxigraph", "rdflib")
#: peers that are this project's server: "baseline" is another checkout of it (--baseline)
OURS_LIKE = ("ours", "baseline")
PEER_NAMES = {
    "ours": "ombudsman-kg serve",
    "baseline": "ombudsman-kg serve (--baseline checkout)",
    "oxigraph": "Oxigraph server",
    "rdflib": "rdflib-endpoint",
}

# Issue 4's targets, as ratios ours/peer.
TARGET_THROUGHPUT_VS_OXIGRAPH = 0.8  # at least
TARGET_THROUGHPUT_VS_RDFLIB = 5.0  # at least
TARGET_HEAVY_P50_VS_OXIGRAPH = 1.0  # at most (geometric mean)
TARGET_HEAVY_P50_VS_RDFLIB = 0.1  # at most (geometric mean)
TARGET_MEMORY_BYTES = 1 << 30  # at 10^6 triples, all processes
TARGET_READY_S = 2.0  # at 10^5
TARGET_BUILD_S = 600.0  # at 10^6


# ---- items: what is measured ----------------------------------------------------------------


@dataclass
class Item:
    """One measured request kind: a query of the mix, or a page."""

    name: str
    weight: str  # "light" or "heavy"
    paths: dict[str, list[str]]  # peer -> request paths (rotated through)
    accept: dict[str, str]  # peer -> Accept header
    form: str  # SELECT, ASK, CONSTRUCT, PAGE
    peers: tuple[str, ...]
    note: str = ""
    throughput_paths: dict[str, list[str]] | None = None  # peer -> paths, if not `paths`
    warm: dict[str, str] | None = None  # peer -> a path for warming up, if not `paths[0]`

    def warm_path(self, peer: str) -> str:
        return self.warm[peer] if self.warm else self.paths[peer][0]


def load_items(
    manifest: dict[str, Any], peers: tuple[str, ...], latency_count: int = 60
) -> list[Item]:
    """Every query of bench/queries with its parameters, plus the pages."""
    params = {
        "thing": _things(manifest),
        "word": manifest["search_words"],
        "association": manifest["associations"],
        "institution": manifest["institutions"],
        "person": manifest["persons"],
    }
    items = []
    page_query = None
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        weight = _header(text, "weight") or "light"
        param = _header(text, "param")
        values = params[param][:PAGE_SAMPLES] if param else [""]
        queries = [text.replace("{{" + param + "}}", v) if param else text for v in values]
        form = _form(text)
        accept = TURTLE if form == "CONSTRUCT" else SPARQL_JSON
        item = Item(
            name=path.stem,
            weight=weight,
            paths={peer: [_sparql_path(peer, q) for q in queries] for peer in peers},
            accept={peer: accept for peer in peers},
            form=form,
            peers=peers,
        )
        items.append(item)
        if path.stem == "page":
            page_query = item
    assert page_query is not None, "bench/queries/page.rq is missing"
    things = params["thing"][:PAGE_SAMPLES]
    doc_paths = ["/" + t.removeprefix(BASE).replace("id/", "doc/", 1) for t in things]
    for suffix, accept, label in (("", "text/html", "html"), (".ttl", TURTLE, "ttl")):
        paths = {peer: page_query.paths[peer] for peer in peers if peer not in OURS_LIKE}
        accepts = {peer: SPARQL_JSON for peer in peers if peer not in OURS_LIKE}
        for ours in (peer for peer in peers if peer in OURS_LIKE):
            paths[ours] = [p + suffix for p in doc_paths]
            accepts[ours] = accept
        items.insert(
            0,
            Item(
                name=f"doc-{label}",
                weight="light",
                paths=paths,
                accept=accepts,
                form="PAGE",
                peers=peers,
                note=f"ours: GET /doc/{{kind}}/{{slug}}{suffix} ({accept}); peers: page.rq",
            ),
        )
    items[2:2] = _cold_pages(manifest, peers, things, latency_count)
    return items


def _cold_pages(
    manifest: dict[str, Any], peers: tuple[str, ...], warm: list[str], latency_count: int
) -> list[Item]:
    """Pages no cache has seen: each request of a run asks for a thing not asked for before.

    Our server keeps rendered pages in a per-process LRU (web/resources.py); the `doc-*` items
    rotate through 200 things, so after one pass they measure that cache. These items measure
    the work behind it: the latency requests and the throughput requests use disjoint slices
    of `page_pool`, which shares nothing with the warm items' things.
    """
    seen = set(warm)
    pool = [t for t in manifest.get("page_pool", []) if t not in seen]
    if len(pool) < latency_count * 2:
        return []
    page_text = (QUERIES / "page.rq").read_text(encoding="utf-8")
    latency_things, throughput_things = pool[:latency_count], pool[latency_count:]
    out = []
    for suffix, accept, label in (("", "text/html", "html"), (".ttl", TURTLE, "ttl")):
        paths: dict[str, list[str]] = {}
        tput: dict[str, list[str]] = {}
        accepts: dict[str, str] = {}
        warm_paths: dict[str, str] = {}
        for peer in peers:
            if peer in OURS_LIKE:
                paths[peer] = [_doc_path(t) + suffix for t in latency_things]
                tput[peer] = [_doc_path(t) + suffix for t in throughput_things]
                accepts[peer] = accept
                warm_paths[peer] = _doc_path(warm[0]) + suffix
            else:
                paths[peer] = [
                    _sparql_path(peer, page_text.replace("{{thing}}", t)) for t in latency_things
                ]
                tput[peer] = [
                    _sparql_path(peer, page_text.replace("{{thing}}", t)) for t in throughput_things
                ]
                accepts[peer] = SPARQL_JSON
                warm_paths[peer] = _sparql_path(peer, page_text.replace("{{thing}}", warm[0]))
        out.append(
            Item(
                name=f"doc-{label}-cold",
                weight="light",
                paths=paths,
                accept=accepts,
                form="PAGE",
                peers=peers,
                note=f"as doc-{label}, but every request asks for a thing not asked for before "
                f"({len(latency_things)} for latency, {len(throughput_things)} for throughput)",
                throughput_paths=tput,
                warm=warm_paths,
            )
        )
    return out


def _doc_path(iri: str) -> str:
    return "/" + iri.removeprefix(BASE).replace("id/", "doc/", 1)


def _things(manifest: dict[str, Any]) -> list[str]:
    """A mix of kinds for the pages, interleaved so that any prefix holds every kind."""
    lists = [
        manifest[k]
        for k in ("institutions", "persons", "units", "events", "associations", "countries")
    ]
    mixed: list[str] = []
    for i in range(max(len(x) for x in lists)):
        mixed += [x[i] for x in lists if i < len(x)]
    return mixed


def _header(text: str, key: str) -> str | None:
    match = re.search(rf"^#\s*{key}:\s*(\S+)", text, re.MULTILINE)
    return match.group(1) if match else None


def _form(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def _sparql_path(peer: str, query: str) -> str:
    route = {"ours": "/sparql", "baseline": "/sparql", "oxigraph": "/query", "rdflib": "/"}[peer]
    return route + "?" + urllib.parse.urlencode({"query": query})


# ---- servers ----------------------------------------------------------------------------------


@dataclass
class Server:
    peer: str
    command: list[str]
    port: int
    probe: str
    process: subprocess.Popen[bytes] | None = None
    ready_s: float = math.nan
    log: Path | None = None

    def start(
        self, log_dir: Path, env: dict[str, str] | None = None, timeout_s: float = 900
    ) -> None:
        """Start and wait until the probe answers 200; `ready_s` is the time that took."""
        self.log = log_dir / f"server-{self.peer}.log"
        handle = self.log.open("wb")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        deadline = started + timeout_s
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.peer} exited: see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.probe)
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    self.ready_s = time.perf_counter() - started
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{self.peer} did not answer within {timeout_s} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(root: int) -> list[int]:
    """`root` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def memory(root: int) -> dict[str, int]:
    """RSS and PSS (bytes) summed over the process tree; PSS shares common pages fairly."""
    rss = pss = 0
    pids = process_tree(root)
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return {"rss": rss, "pss": pss, "processes": len(pids)}


def cpu_seconds(root: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_tree(root):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / ticks


def wait_idle(server: Server, *, limit_s: float = 300) -> float:
    """Wait until the server's tree uses under 3 % CPU for 0.5 s; returns the seconds waited.

    wrk stops sending at its deadline, but a server may still be working on what it accepted.
    """
    started = time.perf_counter()
    quiet = 0
    last = cpu_seconds(server.pid)
    while time.perf_counter() - started < limit_s:
        time.sleep(0.25)
        now = cpu_seconds(server.pid)
        quiet = quiet + 1 if now - last < 0.25 * 0.03 else 0
        last = now
        if quiet >= 2:
            break
    return time.perf_counter() - started


# ---- single-client latency ----------------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects when the server closed it while idle."""

    IDLE_S = 2.0

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.last = 0.0

    def get(self, path: str, accept: str, timeout_s: float) -> tuple[int, float, int]:
        """(status, seconds, body bytes); status 0 for a client-side timeout or failure."""
        if self.connection is None or time.perf_counter() - self.last > self.IDLE_S:
            self._reconnect(timeout_s)
        assert self.connection is not None
        self.connection.timeout = timeout_s
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers={"Accept": accept})
                response = self.connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                self.last = time.perf_counter()
                if response.getheader("connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, elapsed, len(body)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt == 2:
                    raise
                self._reconnect(timeout_s)
            except TimeoutError:
                self._reconnect(timeout_s)
                return 0, time.perf_counter() - started, 0
        raise AssertionError("unreachable")

    def _reconnect(self, timeout_s: float) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout_s)
        self.connection.connect()
        self.last = time.perf_counter()


def measure_latency(
    item: Item,
    servers: dict[str, Server],
    clients: dict[str, Client],
    *,
    samples: int,
    min_samples: int,
    budget_s: float,
    timeout_s: float,
    log: Any,
) -> dict[str, dict[str, Any]]:
    """Round-robin: each round sends one request to each peer still measuring, in rotating
    order; a peer stops at `samples`, or at `budget_s` of its own time once it has
    `min_samples`."""
    times: dict[str, list[float]] = {p: [] for p in item.peers}
    failures: dict[str, dict[str, int]] = {p: {} for p in item.peers}
    spent = {p: 0.0 for p in item.peers}
    sizes: dict[str, int] = {}
    for peer in item.peers:  # warm-up, not counted
        clients[peer].get(item.warm_path(peer), item.accept[peer], timeout_s)
    for round_number in range(samples):
        order = list(item.peers[round_number % len(item.peers) :]) + list(
            item.peers[: round_number % len(item.peers)]
        )
        active = [
            p
            for p in order
            if len(times[p]) + sum(failures[p].values()) < samples
            and (spent[p] < budget_s or len(times[p]) + sum(failures[p].values()) < min_samples)
        ]
        if not active:
            break
        for peer in active:
            paths = item.paths[peer]
            status, elapsed, size = clients[peer].get(
                paths[round_number % len(paths)], item.accept[peer], timeout_s
            )
            spent[peer] += elapsed
            if status == 200:
                times[peer].append(elapsed)
                sizes[peer] = size
            else:
                failures[peer][str(status)] = failures[peer].get(str(status), 0) + 1
    result = {}
    for peer in item.peers:
        values = sorted(times[peer])
        result[peer] = {
            "samples": len(values),
            "failures": failures[peer],
            "p50_ms": _percentile(values, 50) * 1000 if values else None,
            "p95_ms": _percentile(values, 95) * 1000 if values else None,
            "mean_ms": statistics.fmean(values) * 1000 if values else None,
            "bytes": sizes.get(peer),
        }
        log(
            f"  latency {item.name:<26} {peer:<9} p50 {_ms(result[peer]['p50_ms'])} "
            f"p95 {_ms(result[peer]['p95_ms'])} n={len(values)} failures={failures[peer]}"
        )
    return result


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:9.2f} ms"


# ---- throughput (wrk) -------------------------------------------------------------------------

WRK_SCRIPT = """\
local paths = {%(paths)s}
local accept = "%(accept)s"
local threads_set_up = 0
counter = 0
function setup(thread)
  thread:set("offset", threads_set_up * 7)
  threads_set_up = threads_set_up + 1
end
function init(args)
  counter = offset or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept"] = accept})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk(
    port: int,
    paths: list[str],
    accept: str,
    *,
    clients: int,
    threads: int,
    duration_s: float,
    timeout_s: float,
    script_path: Path,
) -> dict[str, Any]:
    """Run wrk with keep-alive connections rotating through `paths`; its summary as a dict."""
    quoted = ", ".join(_lua_string(p) for p in paths)
    script_path.write_text(WRK_SCRIPT % {"paths": quoted, "accept": accept}, encoding="utf-8")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{max(1, round(duration_s))}s",
        f"--timeout={max(1, round(timeout_s))}s",
        "-s",
        str(script_path),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=duration_s + 120, check=False
    )
    line = next((x for x in output.stdout.splitlines() if x.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {output.stdout}\n{output.stderr}")
    summary: dict[str, Any] = json.loads(line[5:])
    seconds = summary["duration_us"] / 1e6
    errors = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    summary["errors"] = errors
    summary["ok"] = summary["requests"] - summary["status"]
    summary["rps"] = summary["ok"] / seconds if seconds else 0.0
    return summary


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- the run ------------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    label: str
    work: Path
    results: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def log(self, message: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] {message}", file=sys.stderr, flush=True)
        self.lines.append(message)


def size_label(triples: int) -> str:
    if triples >= 1_000_000 and triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}m"
    if triples >= 1000 and triples % 1000 == 0:
        return f"{triples // 1000}k"
    return str(triples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--peers", default=",".join(PEERS), help="comma-separated subset of ours,oxigraph,rdflib"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout of this repository, served beside ours as the peer 'baseline' "
        "over the same build (to compare two versions of the server in one run)",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds of wrk per item and peer"
    )
    parser.add_argument(
        "--samples", type=int, default=60, help="single-client requests per item and peer"
    )
    parser.add_argument("--min-samples", type=int, default=5)
    parser.add_argument(
        "--latency-budget",
        type=float,
        default=20.0,
        help="seconds of one peer's time per item, once it has --min-samples",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="client timeout per request")
    parser.add_argument(
        "--heavy-throughput-limit",
        type=float,
        default=1.0,
        help="skip throughput of an item on a peer whose p50 is above this (s)",
    )
    parser.add_argument(
        "--sustained",
        type=float,
        default=60.0,
        help="seconds of sustained page load per peer for the memory check",
    )
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=1.0,
        help="before measuring, wait until the 1-minute load average is below this",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=900.0,
        help="at most this many seconds of waiting for --quiet-load",
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate and rebuild the data")
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--shapes",
        type=Path,
        default=None,
        help="shapes directory for the build (default: the project's shapes/); a build with "
        "other shapes is labelled so in the results",
    )
    parser.add_argument(
        "--only-build",
        action="store_true",
        help="generate and build only (build time and peak memory)",
    )
    args = parser.parse_args(argv)
    peers = tuple(p for p in PEERS if p in args.peers.split(","))
    if args.baseline:
        peers = (peers[0], "baseline", *peers[1:]) if "ours" in peers else ("baseline", *peers)
    label = size_label(args.triples)
    run = Run(args, label, args.work)
    run.results = {
        "command": " ".join(["python", "bench/run.py", *map(shlex.quote, sys.argv[1:])]),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "size": label,
        "peers": list(peers),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    data, dist = prepare(run)
    if args.only_build:
        write_results(run)
        return 0
    manifest = json.loads((data / "bench-manifest.json").read_text(encoding="utf-8"))
    items = load_items(manifest, peers, latency_count=args.samples)
    wait_quiet(run)
    servers = start_servers(run, dist, peers)
    try:
        measure(run, servers, items)
    finally:
        for server in servers.values():
            server.stop()
    write_results(run)
    return 0


def load_average() -> float:
    return os.getloadavg()[0]


def wait_quiet(run: Run) -> None:
    """Other work on the machine skews every number: wait (bounded) for a quiet machine, and
    record the load average either way."""
    started = time.perf_counter()
    while (
        load_average() > run.args.quiet_load and time.perf_counter() - started < run.args.wait_quiet
    ):
        time.sleep(10)
    waited = time.perf_counter() - started
    run.results["load_before"] = {"load1": load_average(), "waited_s": round(waited)}
    run.log(
        f"load average {load_average():.2f} after waiting {waited:.0f} s for "
        f"< {run.args.quiet_load:g}"
    )


def machine() -> dict[str, Any]:
    def first(pattern: str, path: str) -> str:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError:
            return "?"
        match = re.search(pattern, text, re.MULTILINE)
        return match.group(1).strip() if match else "?"

    from importlib import metadata

    versions = {}
    for name in (
        "ombudsman-kg",
        "pyoxigraph",
        "oxigraph",
        "rdflib",
        "rdflib-endpoint",
        "pyshacl",
        "reasonable",
        "owlrl",
        "flask",
        "gunicorn",
        "uvicorn",
        "fastapi",
    ):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    wrk_version = (
        subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        .stdout.split("[")[0]
        .strip()
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src", "shapes", "ontology"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    return {
        "uncommitted": [line.strip() for line in dirty if line.strip()],
        "nproc": os.cpu_count(),
        "memory_gib": round(int(first(r"^MemTotal:\s+(\d+)", "/proc/meminfo")) / 2**20, 1),
        "cpu": first(r"^model name\s*:\s*(.+)$", "/proc/cpuinfo"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": wrk_version,
        "git_commit": commit,
    }


def prepare(run: Run) -> tuple[Path, Path]:
    """Generate and build (timed); reuse an earlier build of the same size unless --rebuild."""
    args = run.args
    data = run.work / f"data-{run.label}"
    dist = run.work / f"dist-{run.label}"
    record = run.work / f"build-{run.label}.json"
    if args.rebuild or not (data / "bench-manifest.json").exists():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "generate.py"),
                "--triples",
                str(args.triples),
                "--out",
                str(data),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
        run.log(f"generated {data} in {time.perf_counter() - started:.1f} s")
        record.unlink(missing_ok=True)
    if record.exists() and (dist / "build.json").exists():
        build = json.loads(record.read_text(encoding="utf-8"))
        run.log(f"reusing the build of {build['finished']} ({build['wall_s']:.1f} s)")
    else:
        build = timed_build(run, data, dist)
        record.write_text(json.dumps(build, indent=1) + "\n", encoding="utf-8")
    manifest = json.loads((data / "bench-manifest.json").read_text(encoding="utf-8"))
    info = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    run.results["data"] = {
        "generated_triples": manifest["triples"],
        "files": manifest["files"],
        "graphs": info["graphs"],
        "quads": sum(info["graphs"].values()),
        "dumps": {d["file"]: d["bytes"] for d in info["dumps"]},
    }
    run.results["build"] = build
    return data, dist


def timed_build(run: Run, data: Path, dist: Path) -> dict[str, Any]:
    command = [str(VENV_BIN / "ombudsman-kg"), "build", "--data", str(data), "--dist", str(dist)]
    # generated data is no release of ours: an empty register, no changelog against releases/
    command += ["--releases", str(run.work / "no-releases")]
    if run.args.shapes is not None:
        command += ["--shapes", str(run.args.shapes)]
    run.log("building: " + " ".join(command))
    log_path = run.work / f"build-{run.label}.log"
    load_start = load_average()
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(encoding="utf-8")
    if process.returncode != 0:
        raise RuntimeError(f"build failed ({process.returncode}): see {log_path}\n{text[-2000:]}")
    phases = {
        name: float(secs) for name, secs in re.findall(r"(\w+) ([\d.]+) s", text.splitlines()[-1])
    }
    run.log(f"built in {wall:.1f} s: {phases}")
    return {
        "command": " ".join(command),
        "wall_s": wall,
        "phases_s": phases,
        "peak_rss_bytes": usage.ru_maxrss * 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "load1": [load_start, load_average()],
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


OXIGRAPH_PROBE = "/query?query=ASK%7B%7D"


def oxigraph_command(location: Path, port: int) -> list[str]:
    """Oxigraph server over a loaded store, read-only, the union of its graphs as default."""
    return [
        str(VENV_BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]


def start_servers(run: Run, dist: Path, peers: tuple[str, ...]) -> dict[str, Server]:
    """Start each peer alone (so that ready times are not contended), then leave all running."""
    servers: dict[str, Server] = {}
    nquads = dist / "dumps" / "ombudsman-kg.nq"
    logs = run.work / "logs"
    logs.mkdir(exist_ok=True)
    run.results["ready_s"] = {}
    run.results["load_s"] = {}
    try:
        for peer in peers:
            port = free_port()
            if peer in OURS_LIKE:
                command = [
                    str(VENV_BIN / "ombudsman-kg"),
                    "serve",
                    "--dist",
                    str(dist),
                    "--port",
                    str(port),
                ]
                if peer == "baseline":
                    # the other checkout's code, over the same build: its package comes first
                    source = Path(run.args.baseline).resolve() / "src"
                    command = ["env", f"PYTHONPATH={source}", str(VENV_BIN / "python"), "-m"]
                    command += ["ombudsman_kg.cli", "serve", "--dist", str(dist), "--port"]
                    command += [str(port)]
                server = Server(peer, command, port, "/health")
            elif peer == "oxigraph":
                location = run.work / f"oxigraph-{run.label}"
                if location.exists():
                    shutil.rmtree(location)
                started = time.perf_counter()
                subprocess.run(
                    [
                        str(VENV_BIN / "oxigraph"),
                        "load",
                        "--location",
                        str(location),
                        "--file",
                        str(nquads),
                    ],
                    check=True,
                    capture_output=True,
                )
                # As `build` does for ours (bulk_load, then optimize): a compacted store, which
                # `oxigraph load` itself recommends before a read-only workload.
                subprocess.run(
                    [str(VENV_BIN / "oxigraph"), "optimize", "--location", str(location)],
                    check=True,
                    capture_output=True,
                )
                run.results["load_s"]["oxigraph"] = time.perf_counter() - started
                run.results["oxigraph_optimized"] = True
                server = Server(peer, oxigraph_command(location, port), port, OXIGRAPH_PROBE)
            else:
                command = [
                    str(VENV_BIN / "rdflib-endpoint"),
                    "serve",
                    str(nquads),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ]
                server = Server(peer, command, port, "/?query=ASK%7B%7D")
            run.log(f"starting {peer}: {' '.join(command)}")
            server.start(logs)
            servers[peer] = server
            run.results["ready_s"][peer] = server.ready_s
            run.log(f"  {peer} ready in {server.ready_s:.2f} s on port {port}")
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    run.results["commands"] = {peer: " ".join(s.command) for peer, s in servers.items()}
    return servers


def measure(run: Run, servers: dict[str, Server], items: list[Item]) -> None:
    args = run.args
    peers = tuple(servers)
    clients = {peer: Client(servers[peer].port) for peer in peers}
    results = run.results
    results["weights"] = {item.name: item.weight for item in items}
    results["items"] = {
        item.name: {
            "weight": item.weight,
            "form": item.form,
            "note": item.note,
            "parameters": len(item.paths[peers[0]]),
            "throughput_parameters": len((item.throughput_paths or item.paths)[peers[0]]),
        }
        for item in items
    }
    results["answers"] = check_answers(run, servers, items)
    results["client"] = client_ceiling(run, servers)
    for peer in peers:  # warm every peer on every item before the idle reading
        for item in items:
            for path in item.paths[peer][:3] if item.warm is None else [item.warm_path(peer)]:
                clients[peer].get(path, item.accept[peer], args.timeout)
        wait_idle(servers[peer])
    results["memory_idle"] = {peer: memory(servers[peer].pid) for peer in peers}
    run.log(
        "memory at idle: "
        + ", ".join(
            f"{p} {m['rss'] / 2**20:.0f} MiB RSS / {m['pss'] / 2**20:.0f} MiB PSS"
            for p, m in results["memory_idle"].items()
        )
    )

    results["latency"] = {}
    for item in items:
        results["latency"][item.name] = measure_latency(
            item,
            servers,
            clients,
            samples=args.samples,
            min_samples=args.min_samples,
            budget_s=args.latency_budget,
            timeout_s=args.timeout,
            log=run.log,
        )
        for peer in peers:
            wait_idle(servers[peer])
    results["load_after_latency"] = load_average()
    for client in clients.values():
        if client.connection is not None:
            client.connection.close()

    results["throughput"] = {}
    for index, item in enumerate(items):
        results["throughput"][item.name] = {}
        order = list(peers[index % len(peers) :]) + list(peers[: index % len(peers)])
        for peer in order:
            p50 = results["latency"][item.name][peer]["p50_ms"]
            if p50 is None or p50 / 1000 > args.heavy_throughput_limit:
                results["throughput"][item.name][peer] = {
                    "skipped": f"single-client p50 {_ms(p50).strip()} is above "
                    f"{args.heavy_throughput_limit:g} s"
                }
                run.log(f"  throughput {item.name:<24} {peer:<9} skipped (p50 {_ms(p50).strip()})")
                continue
            load1 = load_average()
            summary = wrk(
                servers[peer].port,
                (item.throughput_paths or item.paths)[peer],
                item.accept[peer],
                clients=args.clients,
                threads=args.wrk_threads,
                duration_s=args.duration,
                timeout_s=args.timeout,
                script_path=run.work / "logs" / f"wrk-{item.name}-{peer}.lua",
            )
            summary["drain_s"] = wait_idle(servers[peer])
            summary["load1_before"] = load1
            results["throughput"][item.name][peer] = summary
            run.log(
                f"  throughput {item.name:<24} {peer:<9} {summary['rps']:9.1f} req/s "
                f"(p50 {summary['p50_us'] / 1000:.1f} ms, errors {summary['errors']}, "
                f"drain {summary['drain_s']:.1f} s)"
            )

    results["load_after_throughput"] = load_average()
    results["sustained"] = sustained_load(run, servers, items[0])
    results["memory_after"] = {peer: memory(servers[peer].pid) for peer in peers}


def check_answers(
    run: Run, servers: dict[str, Server], items: list[Item]
) -> dict[str, dict[str, Any]]:
    """The first parameter of each item on each peer: status and size of the answer (rows,
    triples, boolean), so a peer that answers fast but wrong shows."""
    import pyoxigraph

    answers: dict[str, dict[str, Any]] = {}
    for item in items:
        answers[item.name] = {}
        for peer in item.peers:
            path = item.warm_path(peer)
            connection = http.client.HTTPConnection(
                "127.0.0.1", servers[peer].port, timeout=run.args.timeout * 5
            )
            connection.request("GET", path, headers={"Accept": item.accept[peer]})
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status != 200:
                answers[item.name][peer] = {"status": response.status}
                continue
            if item.accept[peer] == SPARQL_JSON:
                data = json.loads(body)
                size = data["boolean"] if "boolean" in data else len(data["results"]["bindings"])
            elif item.accept[peer] == TURTLE:
                size = len(list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE)))
            else:
                size = f"{len(body)} bytes"
            answers[item.name][peer] = {"status": 200, "size": size}
        run.log(
            f"  answer {item.name:<24} "
            + ", ".join(
                f"{p}: {a.get('size', a.get('status'))}" for p, a in answers[item.name].items()
            )
        )
    return answers


def client_ceiling(run: Run, servers: dict[str, Server]) -> dict[str, Any]:
    """What the client can do against the cheapest answer on this machine: Oxigraph's static
    home page (or our /health without Oxigraph). A peer measured near this is client-bound."""
    peer = "oxigraph" if "oxigraph" in servers else next(iter(servers))
    path = "/" if peer == "oxigraph" else "/health"
    summary = wrk(
        servers[peer].port,
        [path],
        "*/*",
        clients=run.args.clients,
        threads=run.args.wrk_threads,
        duration_s=run.args.duration,
        timeout_s=run.args.timeout,
        script_path=run.work / "logs" / "wrk-ceiling.lua",
    )
    client = Client(servers[peer].port)
    times = sorted(client.get(path, "*/*", 5)[1] for _ in range(500))
    result = {
        "server": peer,
        "path": path,
        "wrk_rps": summary["rps"],
        "python_p50_ms": _percentile(times, 50) * 1000,
        "python_p95_ms": _percentile(times, 95) * 1000,
    }
    run.log(
        f"client ceiling: wrk {summary['rps']:.0f} req/s, python single-client p50 "
        f"{result['python_p50_ms']:.3f} ms against {peer} {path}"
    )
    wait_idle(servers[peer])
    return result


def sustained_load(run: Run, servers: dict[str, Server], item: Item) -> dict[str, Any]:
    """Pages at 32 clients for `--sustained` seconds per peer, memory sampled every 2 s."""
    out: dict[str, Any] = {}
    duration = run.args.sustained
    if duration <= 0:
        return out
    for peer, server in servers.items():
        before = memory(server.pid)
        command = [
            "wrk",
            f"-t{run.args.wrk_threads}",
            f"-c{run.args.clients}",
            f"-d{round(duration)}s",
            f"--timeout={round(run.args.timeout)}s",
            "-s",
            str(run.work / "logs" / f"wrk-{item.name}-{peer}.lua"),
            f"http://127.0.0.1:{server.port}",
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        samples = []
        started = time.perf_counter()
        while process.poll() is None and time.perf_counter() - started < duration + 60:
            time.sleep(2)
            m = memory(server.pid)
            samples.append((round(time.perf_counter() - started, 1), m["rss"], m["pss"]))
        stdout, _ = process.communicate(timeout=120)
        line = next((x for x in stdout.splitlines() if x.startswith("JSON ")), "JSON {}")
        summary = json.loads(line[5:])
        wait_idle(server)
        after = memory(server.pid)
        out[peer] = {
            "before": before,
            "after": after,
            "samples": samples,
            "requests": summary.get("requests"),
            "status_errors": summary.get("status"),
            "rps": (summary.get("requests", 0) - summary.get("status", 0))
            / max(1e-9, summary.get("duration_us", 1) / 1e6),
        }
        run.log(
            f"sustained {peer}: RSS {before['rss'] / 2**20:.0f} -> "
            f"max {max(s[1] for s in samples) / 2**20:.0f} -> {after['rss'] / 2**20:.0f} MiB, "
            f"{out[peer]['rps']:.0f} req/s"
        )
    return out


# ---- reporting ----------------------------------------------------------------------------------


def write_results(run: Run) -> None:
    from report import render_build_table, render_markdown, render_plot

    run.results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    out = run.args.out
    if run.args.only_build:
        shapes = "" if run.args.shapes is None else "-" + run.args.shapes.name
        json_path = out / f"build-{run.label}{shapes}.json"
    else:
        json_path = out / f"results-{run.label}.json"
    json_path.write_text(json.dumps(run.results, indent=1) + "\n", encoding="utf-8")
    if "latency" in run.results:
        (out / f"results-{run.label}.md").write_text(render_markdown(run.results), encoding="utf-8")
        render_plot(run.results, out / f"results-{run.label}.png")
    (out / "build-scaling.md").write_text(render_build_table(out), encoding="utf-8")
    run.log(f"results in {out}")


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    sys.exit(main())
