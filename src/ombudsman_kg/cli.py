"""The `ombudsman-kg` command (SPEC §5): every failure a one-line message and an exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ombudsman_kg import __version__
from ombudsman_kg.errors import OkgError
from ombudsman_kg.rdf import formats
from ombudsman_kg.settings import Settings

#: `query --format` names: the results formats, then the graph formats of a page
QUERY_FORMATS = {
    f.name: f.media_type for f in (*formats.RESULTS, *formats.GRAPHS) if f.name != "html"
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    overrides = {
        name: value
        for name, value in vars(args).items()
        if name not in ("command", "handler", "sparql", "format", "into", "quiet")
    }
    try:
        settings = Settings.load(overrides)
        result: int = args.handler(settings, args)
        return result
    except OkgError as error:
        print(f"ombudsman-kg {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _build(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.build import build

    progress = _progress(args)
    result = build(settings, progress, progress_bar=not args.quiet and sys.stderr.isatty())
    for graph, count in result.counts.items():
        progress(f"{count:>10} triples in <{graph}>")
    for dump in result.dumps:
        progress(f"{dump.byte_size:>10} bytes  {dump.path}")
    timings = ", ".join(f"{name} {secs:.1f} s" for name, secs in result.seconds.items())
    progress(f"built {result.dist} (data version {result.version}): {timings}")
    return 0


def _release(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from ombudsman_kg.build.outputs import BUILD_INFO
    from ombudsman_kg.build.releases import register_current
    from ombudsman_kg.errors import DataError

    try:
        info = json.loads((settings.dist / BUILD_INFO).read_text(encoding="utf-8"))
        version = info["releases"][-1]["version"]
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise DataError(
            f"no built release in {settings.dist} (run `ombudsman-kg build`)"
        ) from error
    added = register_current(settings.dist, settings.releases, version)
    where = settings.releases / version
    _progress(args)(f"{'registered' if added else 'already registered'}: {version} in {where}")
    return 0


def _validate(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.build import run_validation
    from ombudsman_kg.errors import ValidationFailed

    _, _, report = run_validation(settings, _progress(args))
    if not report.conforms:
        raise ValidationFailed(report.text().rstrip())
    print(report.text(), end="")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.web.server import serve

    serve(settings)
    return 0


def _query(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.store import open_store
    from ombudsman_kg.store.base import QueryRequest
    from ombudsman_kg.store.engine import probe

    text = args.sparql
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    form = probe(text)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    name = args.format or ("ttl" if graph_form else "tsv")
    media_type = QUERY_FORMATS[name]
    if graph_form != (name in ("ttl", "nt", "jsonld", "rdf")):
        from ombudsman_kg.errors import BadRequest

        raise BadRequest(f"--format {name} does not fit a {form} query")
    store = open_store(settings)
    try:
        answer = store.run(QueryRequest(text, form, media_type), timeout_s=settings.query_timeout_s)
    finally:
        store.close()
    sys.stdout.buffer.write(answer.body)
    return 0


def _stats(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.store.stats import count

    counts = count(settings)
    for section, rows in counts.items():
        print(f"# {section}")
        for key, value in rows:
            print(f"{value:>10}  {key}")
    return 0


def _load(settings: Settings, args: argparse.Namespace) -> int:
    from ombudsman_kg.store.gsp import load_into

    load_into(settings, args.into, progress=_progress(args))
    return 0


def _progress(args: argparse.Namespace) -> Any:
    if getattr(args, "quiet", False):
        return lambda message: None
    return lambda message: print(message, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ombudsman-kg",
        description="Build, validate, query and publish the ombudsman-kg knowledge graph.",
        epilog="Every option also reads OKG_<NAME> from the environment; a flag wins.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        sub.add_argument("--quiet", "-q", action="store_true", help="no progress messages")
        return sub

    build = command("build", _build, "validate, reason and write dist/ (dumps, VoID, report)")
    validate = command("validate", _validate, "validate the data against the SHACL shapes")
    for sub in (build, validate):
        sub.add_argument("--data", type=Path, help="data directory (default: data/)")
        sub.add_argument("--ontology", type=Path, help="ontology directory (default: ontology/)")
        sub.add_argument("--shapes", type=Path, help="shapes directory (default: shapes/)")
        sub.add_argument("--validator", choices=("auto", "pyshacl", "sparql"))
    build.add_argument("--dist", type=Path, help="output directory (default: dist/)")
    build.add_argument("--queries", type=Path, help="saved queries (default: queries/)")
    build.add_argument("--reasoner", choices=("auto", "owlrl", "reasonable"))
    build.add_argument("--releases", type=Path, help="release register (default: releases/)")

    release = command(
        "release", _release, "add the build in dist/ to the release register (releases/)"
    )
    release.add_argument("--dist", type=Path, help="built directory (default: dist/)")
    release.add_argument("--releases", type=Path, help="release register (default: releases/)")

    serve = command("serve", _serve, "publish a built dist/ over HTTP with gunicorn")
    serve.add_argument("--host", help="interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: 8000)")
    serve.add_argument("--dist", type=Path, help="built directory (default: dist/)")
    serve.add_argument("--store", help="'embedded' (default) or sparql:URL")
    serve.add_argument("--query-timeout-s", dest="query_timeout_s", type=float)
    serve.add_argument("--query-memory-mb", dest="query_memory_mb", type=int)
    serve.add_argument("--workers", type=int, help="gunicorn worker processes (default: 2)")
    serve.add_argument("--threads", type=int, help="threads per worker (default: 8)")
    serve.add_argument("--query-workers", dest="query_workers", type=int)
    serve.add_argument("--max-query-workers", dest="max_query_workers", type=int)

    query = command("query", _query, "run a SPARQL query against the built data")
    query.add_argument("sparql", help="the query, @FILE, or - for standard input")
    query.add_argument("--format", choices=sorted(QUERY_FORMATS))
    query.add_argument("--dist", type=Path, help="built directory (default: dist/)")
    query.add_argument("--store", help="'embedded' (default) or sparql:URL")

    stats = command("stats", _stats, "triples by graph, instances by class, triples by property")
    stats.add_argument("--dist", type=Path, help="built directory (default: dist/)")
    stats.add_argument("--store", help="'embedded' (default) or sparql:URL")

    load = command("load", _load, "push the built named graphs to a store (Graph Store Protocol)")
    load.add_argument("--into", required=True, help="the store's Graph Store Protocol URL")
    load.add_argument("--dist", type=Path, help="built directory (default: dist/)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
