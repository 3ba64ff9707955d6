"""The flowables platypus lacks: a bookmark that records its page, writing
lines, the cover's rule, and a QR code."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable

from .layout import Layout


class Bookmark(Flowable):
    """A zero-size mark that makes a PDF bookmark (and records its page).

    It is kept with the next flowable, so it lands on the page where the
    heading it names is actually printed.
    """

    def __init__(self, key: str, title: str, level: int, layout: Layout):
        super().__init__()
        self.key, self.title, self.level, self.layout = key, title, level, layout
        self.keepWithNext = 1
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        canvas = self.canv
        if any(key == self.key for key, *_ in self.layout.outline):
            return
        canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        self.layout.outline.append((self.key, self.title, self.level, canvas.getPageNumber()))


class RuledLines(Flowable):
    """Writing lines filling the rest of the frame (the "Notes" pages)."""

    def __init__(self, spacing: float, colour):
        super().__init__()
        self.spacing, self.colour = spacing, colour

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, available_height - 1
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(self.colour)
        canvas.setLineWidth(0.75)
        y = self.height - self.spacing
        while y > 0:
            canvas.line(0, y, self.width, y)
            y -= self.spacing


class Rule(Flowable):
    """A short, thick rule in the accent colour (the cover's only ornament)."""

    def __init__(self, colour, thickness: float):
        super().__init__()
        self.colour, self.thickness = colour, thickness

    def wrap(self, available_width, available_height):
        self.width = available_width / 3
        return self.width, self.thickness * 4

    def draw(self):
        self.canv.setFillColor(self.colour)
        self.canv.rect(0, self.thickness * 2, self.width, self.thickness, stroke=0, fill=1)


def qr_code(url: str, side: float, colour, font: str) -> Drawing:
    """A QR code drawn as vector squares (reportlab encodes it), with its quiet zone."""
    # Imported here: reportlab's barcode package costs about 0.1 s to load,
    # and only an edition with a download address draws a code.
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(url, barLevel="M", barFillColor=colour, barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    # The drawing sets a font even with no text in it: name ours, not Helvetica.
    drawing.initialFontName, drawing.initialFontSize = font, 12
    drawing.hAlign = "LEFT"
    return drawing
