"""Column widths for a table of the source, so it prints in clear print.

Word's own autofit runs only when Word opens the file, and differently in
LibreOffice; fixed widths print the same everywhere. A column gets at least
its longest word (a word is never broken across lines) and shares what is
left by how much text it holds. A table whose words do not fit across the
portrait page is set on a landscape page; one that does not fit that either
is squeezed, and the writer warns.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Runs, plain
from .ooxml import CELL_MARGINS

CELL_PADDING = CELL_MARGINS + 3  # points: a cell's margins, with room for fonts a little wider than Arial
OTHER_CHARACTER = 0.6  # of the size: the width assumed for a character the metrics do not know


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points, in Arial's metrics (Helvetica's, which reportlab knows)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    known = "".join(c for c in text if ord(c) < 256)
    return stringWidth(known, "Helvetica-Bold" if bold else "Helvetica", size) + (
        (len(text) - len(known)) * size * OTHER_CHARACTER)


def column_widths(header: Sequence[Runs], rows: Sequence[Sequence[Runs]], size: float,
                  available: float) -> tuple[list[float], bool]:
    """Widths in points summing to ``available``, and whether every column's longest word fits."""
    columns = list(zip(header, *rows, strict=True))
    narrowest, widest = [], []
    for cells in columns:
        texts = [(plain(cell), number == 0) for number, cell in enumerate(cells)]  # the header is bold
        narrowest.append(max((text_width(word, size, bold) for text, bold in texts for word in text.split()),
                             default=0.0) + CELL_PADDING)
        widest.append(max(text_width(text, size, bold) for text, bold in texts) + CELL_PADDING)
    if sum(widest) <= available:  # every cell on one line: share out the rest by width
        return [width * available / sum(widest) for width in widest], True
    if sum(narrowest) <= available:  # wrap: each column its longest word, the rest by what it holds
        spare, wants = available - sum(narrowest), [w - n for w, n in zip(widest, narrowest, strict=True)]
        return [n + spare * want / sum(wants) for n, want in zip(narrowest, wants, strict=True)], True
    return [width * available / sum(narrowest) for width in narrowest], False
