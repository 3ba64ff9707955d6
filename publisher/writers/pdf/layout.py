"""What one typesetting pass found out, for the next pass and for later formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from .tagging import Element


@dataclass
class Layout:
    """The page count, where each heading fell, and the text each page shows."""

    pages: int = 0
    notes: int = 0  # pages of "Notes" added to pad the booklet
    outline: list[tuple[str, str, int, int]] = field(default_factory=list)  # (key, title, level, page)
    # Each page's text in drawing order (the order a PDF reader extracts it),
    # one line of text a line: the EPUB's page list is found in it.
    page_text: list[list[str]] = field(default_factory=list)
    structure: Element | None = None  # the structure tree whose marked content the pages hold

    def page_of(self, key: str) -> int:
        return next((page for k, _, _, page in self.outline if k == key), 0)
