"""The one shape of message for an editor: severity, file, line, words, hint.

The reader, the house-style and local-details loaders, the writers, the lint
and the format checks all speak in ``Diagnostic``s, so a build warning, a
lint finding and a validator's error reach the terminal and ``report.html``
the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # ERROR, WARNING or INFO
    file: str  # the source, style or output file it is about, as the editor would type it
    message: str
    line: int = 0  # the line in ``file``, when it is a text the editor wrote
    hint: str = ""  # what to do about it, when that is not obvious

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def located(self) -> str:
        """"file:line: message", with the hint on its own line."""
        text = f"{self.where}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return f"{self.severity}: {self.located()}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Diagnostic:
        return cls(**data)


class SourceError(Exception):
    """Bad input (exit status 2): a source, style, lexicon or local-details
    file is wrong, and the message names it and its line."""

    def __init__(self, path: Path | str, line: int, message: str, hint: str = ""):
        self.diagnostic = Diagnostic(ERROR, str(path), message, line, hint)
        super().__init__(self.diagnostic.located())


class EnvironmentFault(Exception):
    """The machine, not the source, is in the way (exit status 3): the output
    folder cannot be written, the disk is full, a tool is missing."""
