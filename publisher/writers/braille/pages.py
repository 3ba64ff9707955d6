"""Braille pages: lines of cells wrapped, indented and paged as UKAAF lays them out.

Everything here is Braille ASCII (one character a cell, as a BRF holds it),
already translated by liblouis; this module knows only space and position.
The first line of every page carries nothing but the braille page number,
at the right margin; a print page indicator is a line of dots 3-6 ending in
the print page's number, where that printed page begins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

BLANK = ""
PRINT_PAGE_CELL = "-"  # dots 3-6, repeated across the line
BOX_CELL = "7"  # dots 2-3-5-6: the box lines around a boxed note (UEB §16)


def wrap(braille: str, width: int, first: int = 0, runover: int = 0) -> list[str]:
    """Lines of at most ``width`` cells, broken between braille words: the
    first line starts at cell ``first`` + 1, the rest at ``runover`` + 1. A
    word longer than a line (a web address) is cut where it reaches the margin."""
    lines: list[str] = []
    line = ""
    for word in braille.split():
        if line and len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        if line:
            lines.append(line)
        line = " " * (runover if lines else first) + word
        while len(line) > width:
            lines.append(line[:width])
            line = " " * runover + line[width:]
    if line:
        lines.append(line)
    return lines


def centred(braille: str, width: int, margin: int = 3) -> list[str]:
    """Lines centred between ``margin`` cells clear at either side."""
    return [(" " * ((width - len(line)) // 2) + line).rstrip() for line in wrap(braille, width - 2 * margin)]


@dataclass
class Pager:
    """Fills pages of ``lines`` lines (the number line included) with lines of text."""

    cells: int
    lines: int
    number: Callable[[int], str]  # a braille page number, as cells
    first_page: int = 1
    pages: list[list[str]] = field(default_factory=list)

    @property
    def page_number(self) -> int:
        """The number of the page the next line will go on."""
        if not self.pages or self._room() == 0:
            return self.first_page + len(self.pages)
        return self.first_page + len(self.pages) - 1

    def new_page(self) -> None:
        number = self.number(self.first_page + len(self.pages))
        self.pages.append([number.rjust(self.cells)])

    def _room(self) -> int:
        return self.lines - len(self.pages[-1]) if self.pages else 0

    def at_top(self) -> bool:
        return not self.pages or len(self.pages[-1]) == 1

    def add(self, lines: list[str], keep: int = 1) -> None:
        """Lines of text; the first ``keep`` of them kept on one page (a heading
        and the start of what follows it)."""
        if self._room() < min(keep, len(lines), self.lines - 1):
            self.new_page()
        for line in lines:
            if self._room() == 0:
                self.new_page()
            self.pages[-1].append(line)

    def blank(self) -> None:
        """A blank line, except at the top or the foot of a page, where it would be wasted."""
        if not self.at_top() and self._room() > 1 and self.pages[-1][-1] != BLANK:
            self.pages[-1].append(BLANK)

    def print_page(self, label: str) -> None:
        """Where a printed page begins: dots 3-6 across the line, then its number."""
        self.add([PRINT_PAGE_CELL * (self.cells - len(label)) + label])

    def box_line(self) -> None:
        self.add([BOX_CELL * self.cells])


def brf(pages: list[list[str]]) -> bytes:
    """A BRF file: ASCII lines ending CR LF, each page ending with a form feed."""
    text = "".join("".join(line.rstrip() + "\r\n" for line in page) + "\f" for page in pages)
    return text.encode("ascii")
