"""The flowables platypus lacks: a bookmark that records its page, writing
lines, the cover's rule, and a QR code; and platypus's own paragraph, table
and picture, drawn as tagged content (see tagging.py). Whatever draws no
words for a reader (rules, lines, table borders and backgrounds, the QR code
beside its printed address) is drawn as an artifact."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, Table
from reportlab.platypus import Image as Picture
from reportlab.platypus.flowables import _listWrapOn

from .bidi import Paragraph  # reportlab's, also setting right-to-left styles
from .layout import Layout
from .tagging import Element


class TaggedParagraph(Paragraph):
    """A paragraph drawn as the content of ``element``; with ``label``, its
    bullet or number is drawn as that label (``Lbl``). Its pieces, when it
    splits across pages, stay one element. ``element=None`` is an artifact."""

    def __init__(self, text, style, element: Element | None = None, label: Element | None = None, **kwargs):
        super().__init__(text, style, **kwargs)
        self.element, self.label = element, label

    def split(self, available_width, available_height):
        pieces = super().split(available_width, available_height)
        for index, piece in enumerate(pieces):
            piece.element = self.element
            piece.label = self.label if index == 0 else None  # only the first piece draws the bullet
        return pieces

    def drawOn(self, canvas, x, y, _sW=0):
        element = self.element
        if element is None or (element.repeats and element.drawn):
            with canvas.artifact("Pagination" if element is not None else "Layout"):
                return super().drawOn(canvas, x, y, _sW)
        with canvas.marked(element, self.label if self.bulletText else None):
            return super().drawOn(canvas, x, y, _sW)


class TaggedTable(Table):
    """A table whose backgrounds and rules are artifacts; its cells' paragraphs tag themselves.
    ``opening_rows``: how many rows (header included) must fit below what is
    kept with it (a heading, a caption) for the table to start on this page."""

    opening_rows = 0

    def opening_height(self, available_width: float) -> float:
        self.wrapOn(getattr(self, "canv", None), available_width, 0x7FFFFFFF)
        return self.getSpaceBefore() + sum(self._rowHeights[:self.opening_rows])

    def _drawBkgrnd(self):
        with self.canv.artifact():
            super()._drawBkgrnd()

    def _drawLines(self):
        with self.canv.artifact():
            super()._drawLines()


class KeepWithTable(KeepTogether):
    """platypus's keep-with-next group (a heading, a caption, what follows),
    which moves to the next page whenever the whole group does not fit. When
    it ends with a data table, the table may start here instead, once its
    opening rows fit: it splits across pages, repeating its header row."""

    def split(self, available_width, available_height):
        *lead, last = self._content
        if getattr(last, "opening_rows", 0):
            _, height = _listWrapOn(lead, available_width, self.canv)
            if height + last.opening_height(available_width) <= available_height:
                return self._content[:]
        return super().split(available_width, available_height)


class Figure(Picture):
    """A picture tagged as a ``Figure`` with its alt text."""

    def __init__(self, path: str, width: float, height: float, element: Element, **kwargs):
        super().__init__(path, width, height, **kwargs)
        self.element = element

    def drawOn(self, canvas, x, y, _sW=0):
        with canvas.marked(self.element):
            return super().drawOn(canvas, x, y, _sW)


class ArtifactDrawing(Drawing):
    """A drawing that is decoration: the QR code repeats the address printed above it."""

    def drawOn(self, canvas, x, y, _sW=0):
        with canvas.artifact():
            return super().drawOn(canvas, x, y, _sW)


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
        with canvas.artifact():
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
        with self.canv.artifact():
            self.canv.setFillColor(self.colour)
            self.canv.rect(0, self.thickness * 2, self.width, self.thickness, stroke=0, fill=1)


def qr_code(url: str, side: float, colour, font: str) -> Drawing:
    """A QR code drawn as vector squares (reportlab encodes it), with its quiet zone."""
    # Imported here: reportlab's barcode package costs about 0.1 s to load,
    # and only an edition with a download address draws a code.
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(url, barLevel="M", barFillColor=colour, barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = ArtifactDrawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    # The drawing sets a font even with no text in it: name ours, not Helvetica.
    drawing.initialFontName, drawing.initialFontSize = font, 12
    drawing.hAlign = "LEFT"
    return drawing
