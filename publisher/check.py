"""``publisher check``: the lint over the source, every format's checks, one report.

The format checks (publisher.checks.CHECKS) are imported one by one and only
here, so a format whose check is not written yet, or whose files are not
built, is reported as such instead of stopping the others.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ERROR, INFO, WARNING, Diagnostic
from .files import locked
from .formats import FORMATS, Format
from .lint import lint
from .manifest import Manifest
from .model import Document
from .reader import read
from .sourcefiles import display_path

CHECKED, NOT_BUILT, NO_CHECK, FAILED = "checked", "not built", "no check yet", "check failed"
NOUNS = ((ERROR, "error"), (WARNING, "warning"), (INFO, "note"))


@dataclass(frozen=True)
class FormatResult:
    name: str
    status: str  # CHECKED, NOT_BUILT, NO_CHECK or FAILED
    files: tuple[str, ...]  # relative to output/<slug>/
    findings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Outcome:
    document: Document
    findings: tuple[Diagnostic, ...]  # about the source
    formats: tuple[FormatResult, ...]
    report: Path

    def all_findings(self) -> list[Diagnostic]:
        return [*self.findings, *(f for result in self.formats for f in result.findings)]

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.all_findings() if finding.severity == severity)


def source_findings(document: Document) -> list[Diagnostic]:
    """The lint, plus any warning of the reader's that the lint does not already make on that line."""
    findings = lint(document)
    covered = {finding.line for finding in findings}
    findings += [w for w in document.warnings if w.line not in covered]
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
    from .report import write_report

    out_dir = output / document.slug
    with locked(out_dir):  # never check a folder a build is halfway through
        progress(f"{document.slug}: linting the source")
        findings = tuple(source_findings(document))
        results = []
        for fmt in FORMATS:
            progress(f"{document.slug}: checking {fmt.name}")
            results.append(check_format(fmt, out_dir, document))
        outcome = Outcome(document, findings, tuple(results), out_dir / "report.html")
        write_report(outcome)
    return outcome


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def verdict(result: FormatResult) -> str:
    """A few words on one format: "passed", "2 errors, 1 warning", "not built", …"""
    if result.status != CHECKED:
        return result.status
    counts = [(sum(1 for f in result.findings if f.severity == severity), noun) for severity, noun in NOUNS]
    said = [plural(n, noun) for n, noun in counts if n]
    return ", ".join(said) or "passed"


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
