"""What ``publisher check`` found, as data: the lint's and the build's
diagnostics about the source, and each format's checked files. The check
makes it; the report renders it; neither imports the other's internals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, INFO, WARNING, Diagnostic
from ..model import Document

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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def verdict(result: FormatResult) -> str:
    """A few words on one format: "passed", "2 errors, 1 warning", "not built", …"""
    if result.status != CHECKED:
        return result.status
    counts = [(sum(1 for f in result.findings if f.severity == severity), noun) for severity, noun in NOUNS]
    said = [plural(n, noun) for n, noun in counts if n]
    return ", ".join(said) or "passed"
