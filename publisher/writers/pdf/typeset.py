"""One typesetting pass of one edition: the page templates, what is drawn on
every page around the text (the cover's band, the page numbers: artifacts),
and the canvas that stamps the build date, notes each page's text as it is
drawn and marks it as tagged content (tagging.MarkedContent).
"""

from __future__ import annotations

import time
from io import BytesIO

from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from ...contract import Job
from ...model import Document
from .editions import Edition
from .flowables import KeepWithTable
from .fonts import actual_text, marked_actual_text
from .layout import Layout
from .story import Story
from .styles import Styles
from .tagging import MarkedContent


class Booklet(BaseDocTemplate):
    """The page templates: cover, body (numbered), back cover."""

    def __init__(self, target, edition: Edition, styles: Styles, document: Document):
        width, height = edition.page_size
        margin, bottom = edition.margin, edition.bottom_margin
        meta = document.meta
        super().__init__(
            target, pagesize=edition.page_size, title=meta.title, author=", ".join(meta.authors) or meta.publisher,
            subject=meta.subject or meta.description, keywords=list(meta.keywords), creator=meta.publisher,
            lang=meta.language, invariant=1, initialFontName=styles.regular, initialFontSize=edition.body,
            displayDocTitle=1, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=bottom,
            keepTogetherClass=KeepWithTable)  # a long table may start below its heading and caption
        self.edition, self.styles = edition, styles
        inner = Frame(margin, bottom, width - 2 * margin, height - margin - bottom, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_main = Frame(margin, height * 0.35, width - 2 * margin, height - self.band() - margin - height * 0.35,
                           id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_foot = Frame(margin, margin, width - 2 * margin, height * 0.35 - 2 * margin, id="cover foot",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_main, cover_foot], onPage=self.draw_cover),
            PageTemplate("body", [inner], onPage=self.draw_page_number),
            PageTemplate("back", [inner]),
        ])

    def band(self) -> float:
        """The height of the cover's colour band: decoration only, no text on it."""
        return self.edition.page_size[1] * 0.14

    def draw_cover(self, canvas, doc):
        width, height = self.edition.page_size
        band = self.band()
        with canvas.artifact():
            canvas.saveState()
            canvas.setFillColor(self.styles.accent)
            canvas.rect(0, height - band, width, band, stroke=0, fill=1)
            canvas.setFillColor(self.styles.tint)
            canvas.rect(0, height - band - 0.25 * band, width, 0.25 * band, stroke=0, fill=1)
            canvas.restoreState()

    def draw_page_number(self, canvas, doc):
        """The number at the outer bottom corner, at body size, in bold."""
        width, _ = self.edition.page_size
        number = str(canvas.getPageNumber())
        size, margin = self.edition.body, self.edition.margin
        with canvas.artifact("Pagination", "Footer"):
            canvas.saveState()
            canvas.setFont(self.styles.bold, size)
            canvas.setFillColor(self.styles.text)
            y = self.edition.bottom_margin / 2 - size / 3
            # Odd pages are right-hand pages; in a booklet bound on the right (Urdu, Arabic), left-hand.
            if canvas.getPageNumber() % 2 != self.edition.right_to_left:
                canvas.drawRightString(width - margin, y, number)
            else:
                canvas.drawString(margin, y, number)
            canvas.restoreState()

    def handle_pageBegin(self):
        # Every printed number is also the page's PDF label, so "go to page 7"
        # in a viewer finds the page that says 7.
        super().handle_pageBegin()
        if self.canv.getPageNumber() == 1:
            self.canv.addPageLabel(0, style="D", start=1)


class _NotedText(PDFTextObject):
    """A text object that also tells its canvas the text it shows: the
    characters its font can draw (the others are printed as gaps)."""

    def _formatText(self, text):
        letters = getattr(text, "letters", None)  # drawn in reading order, its codes spell it (bidi.py)
        if letters is not None:
            self._canvas.note_text(letters)
            return super()._formatText(text)
        actual = actual_text(self._fontname, text)  # a shaped word's letters (fonts.py)
        if actual is not None:
            self._canvas.note_text(actual)
            return marked_actual_text(super()._formatText(text), actual)
        drawable = getattr(pdfmetrics.getFont(self._fontname).face, "charToGlyph", None)  # TrueType fonts
        self._canvas.note_text(text if drawable is None else "".join(c for c in text if ord(c) in drawable))
        return super()._formatText(text)

    def setRise(self, rise):
        # reportlab 5.1 compares with the last operator before a shaped word has
        # any, when the word's first glyph is a raised mark (Arabic script)
        if not self._code:
            self._code.append("")
        super().setRise(rise)

    # A line ends with a space, invisible on the page, so that text read out
    # of the file in tag order (which has no positions) keeps its words apart.

    def _textOut(self, text, TStar=0):
        super()._textOut(_spaced(text) if TStar else text, TStar)
        if TStar:
            self._canvas.note_line_end()

    def textLine(self, text=""):
        super().textLine(_spaced(text))
        self._canvas.note_line_end()


def _spaced(text: str) -> str:
    return text if text[-1:].isspace() else text + " "


class PageCanvas(MarkedContent, Canvas):
    """reportlab's canvas with the build date as its creation date (so builds
    are reproducible), each page's text noted in ``layout.page_text``,
    line by line in drawing order, so no later step reads the PDF back, and
    marked content for the structure tree.
    A trial pass (``trial``) lays the pages out and writes no file."""

    def __init__(self, *args, layout: Layout, build_date, trial: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_marking()
        self._doc._timeStamp = _timestamp(build_date)
        self._layout, self._trial = layout, trial
        layout.page_text = [[""]]

    def save(self):
        if not self._trial:
            super().save()
        elif len(self._code):
            self.showPage()  # the last page, as save() would finish it

    def beginText(self, x=0, y=0, direction=None):
        self.note_line_end()  # a text object starts on a line of its own
        return _NotedText(self, x, y, direction=direction)

    def note_text(self, text: str) -> None:
        self._layout.page_text[-1][-1] += text

    def note_line_end(self) -> None:
        if self._layout.page_text[-1][-1]:
            self._layout.page_text[-1].append("")

    def showPage(self):
        super().showPage()
        self._layout.page_text.append([""])


def _timestamp(build_date) -> TimeStamp:
    """reportlab's creation date, set to the build date."""
    stamp = TimeStamp(invariant=1)
    stamp.t = build_date.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def typeset(job: Job, edition: Edition, other_editions: tuple[str, ...], url: str,
            padding: int = 0, known: Layout | None = None) -> tuple[bytes, Layout]:
    """The edition as PDF bytes (marked content, not yet its structure tree:
    ``layout.structure``), and its layout.

    ``padding`` is the number of "Notes" pages; ``known`` the layout of an
    earlier pass, whose page numbers the contents page prints (the contents
    fill page 2 alone, so they cannot move them). Without ``known`` the pass
    is a trial that only finds the layout: no bytes (its contents page has no
    numbers, so it is never the one printed).
    """
    styles = Styles(edition, job.style["colours"])
    layout = Layout()
    out = BytesIO()
    doc = Booklet(out, edition, styles, job.document)
    story = Story(job.document, edition, styles, job.terms, layout, known or Layout())
    flowables = (story.cover() + story.contents() + story.guidance() + story.sources() + story.notes(padding)
                 + story.other_formats(other_editions, url) + story.back_cover(job.build_date))
    doc.build(flowables, canvasmaker=lambda *args, **kwargs: PageCanvas(
        *args, layout=layout, build_date=job.build_date, trial=known is None, **kwargs))
    layout.pages, layout.notes, layout.structure = doc.page, padding, story.root
    layout.page_text = [[line for line in lines if line] for lines in layout.page_text[:doc.page]]
    return out.getvalue(), layout
