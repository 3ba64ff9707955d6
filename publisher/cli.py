"""The command line: ``publisher build|…`` (also ``python -m publisher``).

Exit status: 0 success, 2 bad input (the message names file and line),
1 a fault of the program.
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from pathlib import Path

from .errors import SourceError
from .writers import WRITERS

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2


def _terminate(signum, frame):
    # Turn SIGTERM into an exception so every half-written file is cleaned up
    # by the writers' ``finally`` blocks and the last good output stays.
    raise SystemExit(128 + signum)


def command_build(args: argparse.Namespace) -> int:
    from .build import build, shown, sources_in, stderr_progress

    sources = [Path(s) for s in args.sources] or sources_in(Path("source"))
    if not sources:
        raise SourceError("source", 0, "no sources to build", "add a file source/<name>.md")
    local = list(args.local or [])
    if not args.local and Path("local").is_dir():
        local = sorted(Path("local").glob("*.yaml"))
    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    progress = (lambda message: None) if args.quiet else stderr_progress
    summary = build(sources, formats, Path(args.output), {"local": tuple(local)}, progress)
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if summary.built:
        print(f"built {len(summary.built)} files:")
        for path in summary.built:
            print(f"  {shown(path)}")
    else:
        print(f"nothing to do: {args.output}/ is up to date")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="publisher", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build sources into every format")
    build.add_argument("sources", nargs="*", metavar="SOURCE", help="source/<slug>.md files (default: all)")
    build.add_argument("--formats", default=",".join(WRITERS), help=f"comma-separated, from {','.join(WRITERS)}")
    build.add_argument("--output", default="output", help="output folder (default: output)")
    build.add_argument("--local", action="append", metavar="FILE",
                       help="local contact details (YAML) for a local leaflet edition; default: local/*.yaml")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors and the summary")
    build.set_defaults(run=command_build)
    return top


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: earlier outputs are untouched", file=sys.stderr)
        return 130
    except Exception:  # a fault of ours, not the editor's: say so, with the trace for a bug report
        traceback.print_exc()
        print("error: the publisher failed (a bug, not a problem with your source); "
              "please report it with the lines above", file=sys.stderr)
        return EXIT_FAULT
