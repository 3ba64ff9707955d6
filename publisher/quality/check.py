"""``publisher check``: the lint over the source, the build's warnings, every
format's checks, one report.

The format checks (named in publisher.formats.FORMATS) are imported one by one and only
here, so a format whose check is not written yet, or whose files are not
built, is reported as such instead of stopping the others.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..files import locked
from ..formats import FORMATS, Format
from ..manifest import Manifest
from ..model import Document
from ..reader import read
from ..sourcefiles import display_path
from .lint import lint
from .outcome import (
    CHECKED,
    FAILED,
    NO_CHECK,
    NOT_BUILT,
    NOUNS,
    FormatResult,
    Outcome,
    plural,
    verdict,
)
from .report import write_report


def source_findings(document: Document, manifest: Manifest) -> list[Diagnostic]:
    """The lint, plus the reader's and the last build's warnings that the lint
    does not already make on that line (each said once, however many formats said it)."""
    findings = lint(document)
    covered = {(finding.line, finding.message) for finding in findings}
    lines = {finding.line for finding in findings}
    built = [w for entry in manifest.entries.values() for w in entry.warnings]
    for warning in [*document.warnings, *built]:
        if warning.line not in lines and (warning.line, warning.message) not in covered:
            findings.append(warning)
            covered.add((warning.line, warning.message))
    return sorted(findings, key=lambda finding: finding.line)


def check_format(fmt: Format, out_dir: Path, document: Document) -> FormatResult:
    name = fmt.name
    files = Manifest(out_dir).files(name)
    if not files:
        return FormatResult(name, NOT_BUILT, ())
    try:
        module = importlib.import_module(fmt.check)
        findings = module.check(out_dir, document)
    except ModuleNotFoundError as error:
        if error.name == fmt.check:  # the check itself is not written yet
            return FormatResult(name, NO_CHECK, files)
        return _failed(name, files, error)
    except Exception as error:  # one broken validator must not hide the others' results
        return _failed(name, files, error)
    return FormatResult(name, CHECKED, files, tuple(findings))


def _failed(name: str, files: tuple[str, ...], error: Exception) -> FormatResult:
    message = f"the {name} check could not run: {type(error).__name__}: {error}"
    return FormatResult(name, FAILED, files, (Diagnostic(ERROR, name, message),))


def check_document(document: Document, output: Path, progress: Callable[[str], None]) -> Outcome:
    out_dir = output / document.slug
    with locked(out_dir):  # never check a folder a build is halfway through
        progress(f"{document.slug}: linting the source")
        findings = tuple(source_findings(document, Manifest(out_dir)))
        results = []
        for fmt in FORMATS:
            progress(f"{document.slug}: checking {fmt.name}")
            results.append(check_format(fmt, out_dir, document))
        outcome = Outcome(document, findings, tuple(results), out_dir / "report.html")
        write_report(outcome)
    return outcome


def summary_line(outcome: Outcome) -> str:
    counts = ", ".join(plural(outcome.count(severity), noun) for severity, noun in NOUNS)
    formats = ", ".join(f"{result.name} {verdict(result)}" for result in outcome.formats)
    return f"{outcome.document.slug}: {counts} ({formats})\n  report: {display_path(outcome.report)}"


def check(sources: Sequence[Path], output: Path, progress: Callable[[str], None], verbose: bool = False) -> bool:
    """Check every source; print a short summary. True when nothing is an error."""
    documents = [read(source) for source in sources]
    clean = True
    for document in documents:
        outcome = check_document(document, output, progress)
        for finding in outcome.all_findings():
            if finding.severity == ERROR or (verbose and finding.severity == WARNING):
                print(f"  {finding}", file=sys.stderr)
        print(summary_line(outcome))
        clean = clean and outcome.count(ERROR) == 0
    return clean
