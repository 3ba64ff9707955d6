"""The command line: ``publisher build|…`` (also ``python -m publisher``).

Exit status: 0 success, 2 bad input (the message names file and line),
3 a fault of the machine (the output folder cannot be written, the disk is
full, SOURCE_DATE_EPOCH is malformed), 1 a fault of the program.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import traceback
from pathlib import Path

from .diagnostics import EnvironmentFault, SourceError
from .formats import FORMATS, NAMES

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT, EXIT_ENVIRONMENT = 0, 1, 2, 3
BUG_MESSAGE = ("error: the publisher failed (a bug, not a problem with your source); "
               "please report it with the lines above")


def _terminate(signum, frame):
    # Turn SIGTERM into an exception so every half-written file is cleaned up
    # by the writers' ``finally`` blocks and the last good output stays.
    raise SystemExit(128 + signum)


def _sources(args: argparse.Namespace) -> list[Path]:
    """The sources named on the command line, or every source/*.md."""
    from .build import sources_in

    sources = [Path(s) for s in args.sources] or sources_in(Path("source"))
    if not sources:
        raise SourceError("source", 0, "no sources found", "add a file source/<name>.md")
    return sources


def _formats(args: argparse.Namespace) -> list[str]:
    """The formats asked for; by default every format this machine can build,
    saying in one line each why any other is skipped."""
    if args.formats is not None:
        return [name.strip() for name in args.formats.split(",") if name.strip()]
    chosen = []
    for fmt in FORMATS:
        reason = fmt.unavailable()
        if reason is None:
            chosen.append(fmt.name)
        else:
            print(f"skipping {fmt.name}: {reason}", file=sys.stderr)
    return chosen


def command_build(args: argparse.Namespace) -> int:
    from .build import build, shown, stderr_progress

    sources = _sources(args)
    local = list(args.local or [])
    if not args.local and Path("local").is_dir():
        local = sorted(Path("local").glob("*.yaml"))
    formats = _formats(args)
    progress = (lambda message: None) if args.quiet else stderr_progress
    summary = build(sources, formats, Path(args.output), {"local": tuple(local), "draft": args.draft}, progress)
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    if summary.built:
        print(f"built {len(summary.built)} files:")
        for path in summary.built:
            print(f"  {shown(path)}")
    else:
        print(f"nothing to do: {args.output}/ is up to date")
    return EXIT_OK


def command_check(args: argparse.Namespace) -> int:
    from .build import stderr_progress
    from .quality.check import check

    clean = check(_sources(args), Path(args.output), stderr_progress, verbose=args.verbose)
    return EXIT_OK if clean else EXIT_BAD_INPUT  # warnings alone do not fail a check


def command_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold
    from .sourcefiles import display_path

    path = scaffold(args.slug)
    print(f"wrote {display_path(path)}: fill it in, then run make")
    return EXIT_OK


def command_watch(args: argparse.Namespace) -> int:
    from .watch import watch

    def rebuild() -> None:
        # Whatever goes wrong (an editor mid-edit, a full disk, a bug), say so
        # and keep watching: the next save builds the fix.
        try:
            run_reporting(command_build, args)
        except SystemExit:  # SIGTERM: stop watching
            raise
        print("watching source/ for changes (Ctrl+C to stop)", file=sys.stderr, flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        watch(Path("source"), rebuild, interval=getattr(args, "interval", 1.0))  # a Namespace made by hand has none
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="publisher", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build sources into every format")
    _build_arguments(build)
    build.set_defaults(run=command_build)

    check = commands.add_parser("check", help="lint the sources, check the built files, "
                                "write output/<slug>/report.html")
    check.add_argument("sources", nargs="*", metavar="SOURCE", help="source/<slug>.md files (default: all)")
    check.add_argument("--output", default="output", help="output folder (default: output)")
    check.add_argument("--verbose", action="store_true", help="print every warning, not only errors")
    check.set_defaults(run=command_check)

    new = commands.add_parser("new", help="start a new publication: source/<slug>.md with examples of every construct")
    new.add_argument("slug", help="the publication's file name, e.g. sleep-and-your-baby")
    new.set_defaults(run=command_new)

    watch = commands.add_parser("watch", help="build, then rebuild whenever a file in source/ is saved")
    _build_arguments(watch)
    watch.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                       help="how often to look for saved files (default: 1)")
    watch.set_defaults(run=command_watch)
    return top


def _build_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("sources", nargs="*", metavar="SOURCE", help="source/<slug>.md files (default: all)")
    command.add_argument("--formats", default=None,
                         help=f"comma-separated, from {','.join(NAMES)} (default: every one this machine can build)")
    command.add_argument("--output", default="output", help="output folder (default: output)")
    command.add_argument("--local", action="append", metavar="FILE",
                         help="local contact details (YAML) for a local leaflet edition; default: local/*.yaml")
    command.add_argument("--quiet", action="store_true", help="print nothing but errors and the summary")
    command.add_argument("--draft", action="store_true",
                         help="mark every output as a draft (cover, Word header, EPUB title page, first words heard)")


def run_reporting(command, args: argparse.Namespace) -> int:
    """Run a command; turn each kind of failure into its message and exit status."""
    try:
        return command(args)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except EnvironmentFault as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception:  # a fault of ours, not the editor's: say so, with the trace for a bug report
        traceback.print_exc()
        print(BUG_MESSAGE, file=sys.stderr)
        return EXIT_FAULT


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    args = parser().parse_args(argv)
    try:
        return run_reporting(args.run, args)
    except KeyboardInterrupt:
        print("interrupted: earlier outputs are untouched", file=sys.stderr)
        return 130
