"""Checks of built files, shared by the tests and ``publisher check``.

One module per format, each with ``check(out_dir, document) -> list[Finding]``
that opens the files the way a real client would (EPUBCheck, pypdf, python-docx,
LibreOffice, a speech recogniser) and says what is wrong with them.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    severity: str  # ERROR, WARNING or INFO
    file: str  # the output file (or source file) it is about
    message: str
    line: int = 0  # the source line, when the finding is about the source

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.severity}: {where}: {self.message}"


# format name → module with check(out_dir, document) -> list[Finding]
CHECKS: dict[str, str] = {
    "docx": "publisher.checks.docx",
    "pdf": "publisher.checks.pdf",
    "audio": "publisher.checks.audio",
    "epub": "publisher.checks.epub",
}
