"""The one error type for bad input, so the command line can tell it apart.

Bad input (exit status 2) is the editor's to fix and gets a message naming file
and line; anything else is a fault of the program (exit status 1).
"""

from __future__ import annotations

from pathlib import Path

from .model import Diagnostic


class SourceError(Exception):
    """Bad input: a source, style, lexicon or local-details file is wrong."""

    def __init__(self, path: Path | str, line: int, message: str, hint: str = ""):
        self.diagnostic = Diagnostic(Path(path), line, message, hint)
        super().__init__(str(self.diagnostic))
