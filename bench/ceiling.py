"""How fast can Python on the request path be? A bare Flask endpoint beside Oxigraph server.

Issue 4 asks for ≥ 0.8× Oxigraph server's throughput on the light queries. This run measures,
interleaved and on the data `bench/run.py` built, the light SPARQL items at 32 clients for:
Oxigraph server; `bench/bare_flask.py` under gunicorn with ours's worker settings, once over the
built store read-only (as ours) and once over an in-memory store; and `ombudsman-kg serve`. The
bare app does nothing but evaluate and serialize, so it is the most any Flask/gunicorn server
can reach here, and the gap between it and ours is what our checks and headers cost.

    python bench/ceiling.py --triples 100000      # after bench/run.py --triples 100000

Writes bench/results/ceiling-<size>.md and .json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shlex
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as runner  # noqa: E402 - bench/run.py, beside this file

ITEMS = ("ask", "construct", "page", "unit-tree", "memberships")
PEERS = ("oxigraph", "bare-rocksdb", "bare-memory", "ours")
NAMES = {
    "oxigraph": "Oxigraph server",
    "bare-rocksdb": "bare Flask, read-only store",
    "bare-memory": "bare Flask, in-memory store",
    "ours": "ombudsman-kg serve",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; best kept")
    parser.add_argument("--quiet-load", type=float, default=4.0)
    parser.add_argument("--wait-quiet", type=float, default=120.0)
    args = parser.parse_args(argv)
    label = runner.size_label(args.triples)
    work = runner.BENCH / "work"
    data, dist = work / f"data-{label}", work / f"dist-{label}"
    if not (dist / "store").is_dir():
        print(f"no {dist}: run bench/run.py --triples {args.triples} first", file=sys.stderr)
        return 2
    manifest = json.loads((data / "bench-manifest.json").read_text(encoding="utf-8"))
    items = {
        item.name: item for item in runner.load_items(manifest, ("oxigraph",)) if item.name in ITEMS
    }
    run = runner.Run(args, label, work)
    runner.wait_quiet(run)
    started = dt.datetime.now(dt.UTC)
    servers = start(work, dist)
    rps: dict[str, dict[str, float]] = {name: {} for name in ITEMS}
    try:
        for name in ITEMS:
            item = items[name]
            for peer in PEERS:  # warm each once, so that no round pays a first query
                measure(servers[peer], item, args, duration_s=2)
            for _ in range(args.rounds):
                for peer in PEERS:
                    value = measure(servers[peer], item, args, duration_s=args.duration)
                    rps[name][peer] = max(rps[name].get(peer, 0.0), value)
                    run.log(f"{name:12} {peer:13} {value:8.1f} req/s")
    finally:
        for server in servers.values():
            server.stop()
    results = {
        "command": "python bench/ceiling.py " + shlex.join(argv or sys.argv[1:]),
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": runner.machine(),
        "load_before": run.results["load_before"],
        "load_after": runner.load_average(),
        "rps": rps,
    }
    out = runner.BENCH / "results" / f"ceiling-{label}"
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(report(results, label), encoding="utf-8")
    print(out.with_suffix(".md").read_text(encoding="utf-8"))
    return 0


def start(work: Path, dist: Path) -> dict[str, runner.Server]:
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    location = work / f"oxigraph-{dist.name.removeprefix('dist-')}"
    if not location.is_dir():
        raise SystemExit(f"no {location}: bench/run.py loads it")
    settings = runner_settings()
    servers: dict[str, runner.Server] = {}
    for peer in PEERS:
        port = runner.free_port()
        env: dict[str, str] = {}
        if peer == "oxigraph":
            command = runner.oxigraph_command(location, port)
            probe = runner.OXIGRAPH_PROBE
        elif peer == "ours":
            command = [
                str(runner.VENV_BIN / "ombudsman-kg"),
                "serve",
                "--dist",
                str(dist),
                "--port",
                str(port),
            ]
            probe = "/health"
        else:
            command = [
                str(runner.VENV_BIN / "gunicorn"),
                "--chdir",
                str(runner.BENCH),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(settings.workers),
                "--threads",
                str(settings.threads),
                "--worker-class",
                "gthread",
                "--keep-alive",
                "5",
                "bare_flask:app",
            ]
            if peer == "bare-memory":
                env["BARE_DUMP"] = str(dist / "dumps" / "ombudsman-kg.nq")
            else:
                env["BARE_STORE"] = str(dist / "store")
            probe = "/health"
        server = runner.Server(peer, command, port, probe)
        server.start(logs, env=env)
        servers[peer] = server
    return servers


def runner_settings() -> Any:
    from ombudsman_kg.settings import Settings

    return Settings.load()


def measure(
    server: runner.Server, item: runner.Item, args: argparse.Namespace, duration_s: float
) -> float:
    paths = item.paths["oxigraph"]
    if server.peer == "ours":
        paths = ["/sparql" + p.removeprefix("/query") for p in paths]
    summary = runner.wrk(
        server.port,
        paths,
        item.accept["oxigraph"],
        clients=args.clients,
        threads=2,
        duration_s=duration_s,
        timeout_s=30,
        script_path=server.log.with_suffix(".lua") if server.log else Path("/tmp/ceiling.lua"),  # noqa: S108
    )
    if summary["errors"]:
        raise RuntimeError(f"{server.peer} {item.name}: {summary}")
    return float(summary["rps"])


def report(results: dict[str, Any], label: str) -> str:
    machine = results["machine"]
    lines = [
        f"# Python on the request path, at {label}: a bare Flask endpoint beside Oxigraph server",
        "",
        f"Command: `{results['command']}` (from the repository root)  ",
        f"Run: {results['started']} to {results['finished']}, git {machine['git_commit']}  ",
        f"Machine: {machine['nproc']} cores ({machine['cpu']}), Python {machine['python']}, "
        f"{machine['wrk']}; load average {results['load_before']['load1']:.2f} before, "
        f"{results['load_after']:.2f} after",
        "",
        "Throughput at 32 clients (successful requests/s, the best of the rounds), and each "
        "as a ratio to Oxigraph server. The bare app is `bench/bare_flask.py` under gunicorn "
        "with the worker settings of `ombudsman-kg serve` (gthread, same workers and threads).",
        "",
        "| item | " + " | ".join(NAMES[p] for p in PEERS) + " |",
        "|---|" + "---|" * len(PEERS),
    ]
    ratios: dict[str, list[float]] = {p: [] for p in PEERS}
    for name, values in results["rps"].items():
        base = values["oxigraph"]
        cells = []
        for peer in PEERS:
            ratio = values[peer] / base if base else math.nan
            ratios[peer].append(ratio)
            cells.append(f"{values[peer]:.0f} ({ratio:.2f}×)")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    geo = [math.exp(sum(math.log(r) for r in ratios[p]) / len(ratios[p])) for p in PEERS]
    lines.append("| geometric mean | " + " | ".join(f"{g:.2f}×" for g in geo) + " |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
