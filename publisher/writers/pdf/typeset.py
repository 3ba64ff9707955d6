"""Typesetting one print edition with reportlab's platypus, in clear print.

Clear print (RNIB, UKAAF) is built into the styles rather than checked
afterwards: one sans-serif family, every size a multiple of the body size (so
nothing is smaller), left-aligned, leading about 1.4, bold for every kind of
emphasis (the family is registered with no italic), headings kept with what
follows, no widows or orphans, no hyphenation.

Pages: 1 the front cover, 2 the contents, then the guidance, then any "Notes"
pages that pad the booklet to a multiple of 4, then "This guidance in other
formats", and last the back cover (contact details, rights, disclaimer,
version and date). Every page between the covers shows its number, which is
also its PDF page label.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ...model import Callout, Document, Heading, ListBlock, Quote, Runs
from ...model import Image as ImageBlock
from ...model import Paragraph as ParagraphBlock

PAGE_SIZES = {"A4": A4, "A5": A5}


def register_fonts(family: str) -> tuple[str, str]:
    """The family's regular and bold faces, from its fontpkg package (by
    default Atkinson Hyperlegible, designed for low-vision readers), as
    reportlab font names. Italic maps to the upright faces on purpose: clear
    print has no italics, whatever the markup says. Raises fontpkg's
    FontpkgError when the family is not installed."""
    import fontpkg

    regular, bold = f"{fontpkg.slugify(family)}-regular", f"{fontpkg.slugify(family)}-bold"
    if regular not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(regular, str(fontpkg.path(family, 400))))
        pdfmetrics.registerFont(TTFont(bold, str(fontpkg.path(family, 700, nearest=True))))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    return regular, bold


class Glyphs:
    """Text as paragraph markup in fonts that can draw it.

    The print font covers English, but not Welsh ŵ, Greek or Cyrillic; those
    characters are set in the fallback family instead of vanishing. What
    neither font has (emoji, Hebrew, Chinese…) cannot be printed: ``missing``
    names it so the build can warn, and it stays in the other formats.
    """

    def __init__(self, family: str, fallback_family: str):
        self.regular, self.bold = register_fonts(family)
        self.fallback, _ = register_fonts(fallback_family)
        self.own = frozenset(pdfmetrics.getFont(self.regular).face.charToGlyph)
        self.spare = frozenset(pdfmetrics.getFont(self.fallback).face.charToGlyph)

    def markup(self, text: str) -> str:
        # Invisible format characters (bidi marks, zero-width joiners) have no glyph to draw.
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        pieces = []
        for borrowed, chars in groupby(text, key=lambda c: ord(c) not in self.own and ord(c) in self.spare):
            piece = escape("".join(chars))
            pieces.append(f'<font face="{self.fallback}">{piece}</font>' if borrowed else piece)
        return "".join(pieces)

    def missing(self, text: str) -> str:
        return "".join(sorted({c for c in text if not c.isspace() and unicodedata.category(c) != "Cf"
                               and ord(c) not in self.own and ord(c) not in self.spare}))


@dataclass(frozen=True)
class Edition:
    """One printed edition: its name, file suffix and page geometry."""

    name: str  # the house-style key: "booklet" or "large_print"
    suffix: str  # "-booklet.pdf"
    page_size: tuple[float, float]
    body: float  # body text size in points
    margin: float  # points
    bottom_margin: float
    leading: float  # multiple of the text size
    font: str  # the font family (a fontpkg package provides it)
    pad_to: int  # the page count is padded to a multiple of this
    fallback_font: str = "Noto Sans"  # for characters ``font`` lacks


@dataclass
class Layout:
    """What typesetting found out: the page count and where each heading fell."""

    pages: int = 0
    notes: int = 0  # pages of "Notes" added to pad the booklet
    outline: list[tuple[str, str, int, int]] = field(default_factory=list)  # (key, title, level, page)

    def page_of(self, key: str) -> int:
        return next((page for k, _, _, page in self.outline if k == key), 0)


@dataclass(frozen=True)
class Editions:
    """The other editions, as the inside back page lists them."""

    url: str
    items: tuple[str, ...]


class Styles:
    """Every paragraph style of one edition, derived from its body size."""

    def __init__(self, edition: Edition, colours):
        size, leading = edition.body, edition.leading
        self.glyphs = Glyphs(edition.font, edition.fallback_font)
        self.regular, self.bold = self.glyphs.regular, self.glyphs.bold
        self.text = colors.HexColor(colours["text"])
        self.accent = colors.HexColor(colours["accent"])
        self.tint = colors.HexColor(colours["tint"])
        self.background = colors.HexColor(colours["background"])

        def style(name: str, scale: float = 1.0, bold: bool = False, colour=None, **extra) -> ParagraphStyle:
            settings = dict(fontName=self.bold if bold else self.regular, fontSize=size * scale,
                            leading=size * scale * leading, textColor=colour or self.text, alignment=TA_LEFT,
                            allowWidows=0, allowOrphans=0, spaceAfter=size * 0.6,
                            # reportlab squeezes spaces by up to 5% to fit a word on a
                            # line: a little justification; word spacing stays even here
                            spaceShrinkage=0, bulletFontSize=size * scale)
            return ParagraphStyle(name, **{**settings, **extra})

        self.body = style("body")
        self.heading = style("heading", 1.5, True, self.accent, spaceBefore=size * 0.8, keepWithNext=1)
        self.subheading = style("subheading", 1.25, True, self.accent, spaceBefore=size * 0.6, keepWithNext=1)
        self.item = style("item", leftIndent=size * 1.6, bulletIndent=size * 0.2, bulletFontName=self.regular,
                          spaceAfter=size * 0.35)
        self.quote = style("quote", spaceAfter=size * 0.4)
        self.attribution = style("attribution", spaceAfter=0)
        self.callout_title = style("callout title", 1.15, True, self.accent, keepWithNext=1)
        self.cover_title = style("cover title", 2.4, True, self.accent, spaceAfter=size * 0.8)
        self.cover_subtitle = style("cover subtitle", 1.4, spaceAfter=size * 0.8)
        self.strong = style("strong", bold=True)
        self.size = size


def runs_markup(runs: Runs, glyphs: Glyphs) -> str:
    """Runs as reportlab paragraph markup: emphasis and strong both bold;
    a link keeps its words, clickable, with its address printed after them
    (paper cannot be clicked). A link with no target yet is plain words."""
    parts = []
    for run in runs:
        text = glyphs.markup(run.text)
        if run.link:
            address = escape(run.link, {'"': "&quot;"})
            text = f'<a href="{address}">{text}</a>'
            if run.link.rstrip("/") != run.text.strip().rstrip("/"):
                text += f" ({escape(run.link)})"
        if run.strong or run.emphasis:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


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


class Booklet(BaseDocTemplate):
    """The page templates: cover, body (numbered), back cover."""

    def __init__(self, target, edition: Edition, styles: Styles, document: Document, build_date):
        width, height = edition.page_size
        margin, bottom = edition.margin, edition.bottom_margin
        meta = document.meta
        super().__init__(
            target, pagesize=edition.page_size, title=meta.title, author=", ".join(meta.authors) or meta.publisher,
            subject=meta.subject or meta.description, keywords=list(meta.keywords), creator=meta.publisher,
            lang=meta.language, invariant=1, initialFontName=styles.regular, initialFontSize=edition.body,
            displayDocTitle=1, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=bottom)
        self.edition, self.styles, self.build_date = edition, styles, build_date
        inner = Frame(margin, bottom, width - 2 * margin, height - margin - bottom, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        band = height * 0.14  # the cover's colour band: decoration only, no text on it
        cover_main = Frame(margin, height * 0.35, width - 2 * margin, height - band - margin - height * 0.35,
                           id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_foot = Frame(margin, margin, width - 2 * margin, height * 0.35 - 2 * margin, id="cover foot",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_main, cover_foot], onPage=self.draw_cover),
            PageTemplate("body", [inner], onPage=self.draw_page_number),
            PageTemplate("back", [inner]),
        ])

    def draw_cover(self, canvas, doc):
        width, height = self.edition.page_size
        band = height * 0.14
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
        canvas.saveState()
        canvas.setFont(self.styles.bold, size)
        canvas.setFillColor(self.styles.text)
        y = self.edition.bottom_margin / 2 - size / 3
        if canvas.getPageNumber() % 2:  # odd pages are right-hand pages
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

    def canvas_with_date(self, *args, **kwargs):
        canvas = Canvas(*args, **kwargs)
        canvas._doc._timeStamp = _timestamp(self.build_date)
        return canvas


def _timestamp(build_date) -> TimeStamp:
    """reportlab's creation date, set to the build date so builds are reproducible."""
    stamp = TimeStamp(invariant=1)
    stamp.t = build_date.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def typeset(document: Document, edition: Edition, colours, editions: Editions, build_date,
            padding: int = 0, known: Layout | None = None) -> tuple[bytes, Layout]:
    """The edition as PDF bytes, and where its headings fell.

    ``known`` is the layout of an earlier pass: the contents page prints its
    page numbers (the contents fill page 2 alone, so they cannot move them).
    """
    styles = Styles(edition, colours)
    layout = Layout()
    out = BytesIO()
    doc = Booklet(out, edition, styles, document, build_date)
    story = Story(document, styles, layout, known or Layout(), edition)
    flowables = (story.cover() + story.contents() + story.guidance() + story.notes(padding)
                 + story.other_formats(editions) + story.back_cover(build_date))
    doc.build(flowables, canvasmaker=doc.canvas_with_date)
    layout.pages, layout.notes = doc.page, padding
    return out.getvalue(), layout


class Story:
    """The flowables of each part of the edition, in reading order."""

    def __init__(self, document: Document, styles: Styles, layout: Layout, known: Layout, edition: Edition):
        self.document, self.styles, self.layout, self.known, self.edition = document, styles, layout, known, edition
        self._outline_level = 0

    # The parts ---------------------------------------------------------------

    def cover(self) -> list:
        meta, s = self.document.meta, self.styles
        flowables = [Spacer(0, s.size * 2), self.bookmark("cover", "Cover", 0),
                     Paragraph(s.glyphs.markup(meta.title), s.cover_title)]
        if meta.subtitle:
            flowables.append(Paragraph(s.glyphs.markup(meta.subtitle), s.cover_subtitle))
        flowables += [Rule(s.accent, s.size * 0.3), FrameBreak(),
                      Paragraph(s.glyphs.markup(meta.publisher), s.strong),
                      NextPageTemplate("body"), PageBreak()]
        return flowables

    def contents(self) -> list:
        s = self.styles
        rows = [[Paragraph(s.glyphs.markup(self.section_title(section)), s.body),
                 Paragraph(str(self.known.page_of(f"section-{section.number}") or ""), s.strong)]
                for section in self.document.sections]
        rows += [[Paragraph(s.glyphs.markup(title), s.body), Paragraph(str(self.known.page_of(key) or ""), s.strong)]
                 for key, title in (("other-formats", OTHER_FORMATS), ("contact", self.contact_heading()))]
        width = self.edition.page_size[0] - 2 * self.edition.margin
        table = Table(rows, colWidths=[width - s.size * 2.5, s.size * 2.5], hAlign="LEFT")
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("LINEBELOW", (0, 0), (-1, -2), 0.5, s.accent)]))
        return [self.bookmark("contents", "Contents", 0), Paragraph("Contents", s.heading), table, PageBreak()]

    def guidance(self) -> list:
        flowables: list = []
        for section in self.document.sections:
            key = f"section-{section.number}"
            flowables.append(self.bookmark(key, self.section_title(section), 0))
            if section.heading is not None:
                flowables.append(Paragraph(runs_markup(section.heading.runs, self.styles.glyphs), self.styles.heading))
            for block in section.blocks:
                flowables += self.block(block)
        return flowables

    def notes(self, pages: int) -> list:
        """Pages that pad the booklet to a multiple of 4: somewhere to write."""
        s = self.styles
        flowables = []
        for number in range(pages):
            flowables += [PageBreak()]
            if number == 0:
                flowables.append(self.bookmark("notes", "Notes", 0))
            flowables += [Paragraph("Notes", s.heading), RuledLines(s.size * 2.2, s.accent)]
        return flowables

    def other_formats(self, editions: Editions) -> list:
        s = self.styles
        flowables = [PageBreak(), self.bookmark("other-formats", OTHER_FORMATS, 0),
                     Paragraph(OTHER_FORMATS, s.heading),
                     Paragraph("The same guidance is also published as:", s.body)]
        flowables += [Paragraph(escape(item), s.item, bulletText="•") for item in editions.items]
        if editions.url:
            side = s.size * 9
            flowables += [Spacer(0, s.size * 0.4),
                          Paragraph(f'Download them from <a href="{escape(editions.url)}">'
                                    f"<b>{escape(editions.url)}</b></a>", s.body),
                          Paragraph("or scan this code with a phone camera:", s.body),
                          qr_code(editions.url, side, s.text, s.regular)]
        else:
            flowables.append(Paragraph("Ask the person who gave you this guidance for the edition you need, "
                                       "or contact us: our details are on the back cover.", s.body))
        return flowables

    def back_cover(self, build_date) -> list:
        meta, s = self.document.meta, self.styles
        flowables: list = [NextPageTemplate("back"), PageBreak()]
        contact = meta.contact
        if contact is not None:
            flowables += [self.bookmark("contact", contact.heading, 0), Paragraph(s.glyphs.markup(contact.heading), s.heading)]
            if contact.address:
                flowables.append(Paragraph(s.glyphs.markup(contact.address_label), s.strong))
                flowables.append(Paragraph("<br/>".join(s.glyphs.markup(line) for line in contact.address), s.body))
            for label, value in (("Phone:", contact.phone), ("Email:", contact.email), ("Website:", contact.website)):
                if value:
                    flowables.append(Paragraph(f"<b>{label}</b> {s.glyphs.markup(value)}", s.body))
        if meta.disclaimer is not None:
            text = s.glyphs.markup(meta.disclaimer.text)
            link = meta.disclaimer.link
            flowables.append(Paragraph(f'<a href="{escape(link)}">{text}</a>: {escape(link)}' if link else text, s.body))
        flowables.append(Spacer(0, s.size))
        if meta.rights:
            flowables.append(Paragraph(s.glyphs.markup(meta.rights), s.body))
        version = f"Version {s.glyphs.markup(meta.version)}, " if meta.version else ""
        flowables.append(Paragraph(f"{version}{build_date.day} {build_date:%B %Y}", s.body))
        return flowables

    # Blocks ---------------------------------------------------------------------

    def block(self, block) -> list:
        s = self.styles
        if isinstance(block, Heading):
            level = min(block.level - 2, self._outline_level + 1)
            title = block.text
            return [self.bookmark(f"heading-{block.line}", title, max(level, 1)),
                    Paragraph(runs_markup(block.runs, s.glyphs), s.subheading)]
        if isinstance(block, ParagraphBlock):
            return [Paragraph(runs_markup(block.runs, s.glyphs), s.body)]
        if isinstance(block, ListBlock):
            items = [self.list_item(block, number, item) for number, item in enumerate(block.items, block.start)]
            return items + [Spacer(0, s.size * 0.3)]  # the list ends: back to the paragraph gap
        if isinstance(block, Quote):
            return [self.quote(block)]
        if isinstance(block, Callout):
            return [self.callout(block)]
        if isinstance(block, ImageBlock):
            return self.image(block)
        raise TypeError(f"the PDF writer cannot set {type(block).__name__}")

    def list_item(self, block: ListBlock, number: int, item: Runs) -> Paragraph:
        bullet = f"{number}." if block.ordered else "•"
        return Paragraph(runs_markup(item, self.styles.glyphs), self.styles.item, bulletText=bullet)

    def quote(self, quote: Quote) -> Table:
        """Set off by a rule in the accent colour and an indent; upright,
        with the attribution on its own line after an em dash. The box may
        break between paragraphs, but the attribution stays with the last."""
        s = self.styles
        cells = [[Paragraph(runs_markup(p.runs, s.glyphs), s.quote)] for p in quote.paragraphs]
        if quote.attribution:
            cells[-1].append(Paragraph("— " + runs_markup(quote.attribution, s.glyphs), s.attribution))
        return self.boxed(cells, [("LINEBEFORE", (0, 0), (0, -1), s.size * 0.25, s.accent),
                                  ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9)], inset=s.size * 0.6)

    def callout(self, callout: Callout) -> Table:
        """A tinted box; its text keeps the body colour, 15:1 on the tint.
        The title shares a cell with the first block, so it is never left
        alone at the foot of a page."""
        s = self.styles
        cells = [[flowable] for block in callout.blocks for flowable in self.block(block)] or [[]]
        if callout.title:
            cells[0].insert(0, Paragraph(s.glyphs.markup(callout.title), s.callout_title))
        return self.boxed(cells, [("BACKGROUND", (0, 0), (-1, -1), s.tint),
                                  ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                  ("TOPPADDING", (0, 0), (-1, 0), s.size * 0.7),
                                  ("BOTTOMPADDING", (0, -1), (-1, -1), s.size * 0.5)], inset=0)

    def boxed(self, cells: list[list], commands: list, inset: float) -> Table:
        """A one-column table, one row per cell (a list of flowables). A row
        that does not fit the space left is split like a paragraph (widows
        and orphans still kept), so a box longer than a page flows on."""
        width = self.edition.page_size[0] - 2 * self.edition.margin - inset
        table = Table([[cell] for cell in cells], colWidths=[width], hAlign="RIGHT", splitByRow=1,
                      splitInRow=1, spaceBefore=self.styles.size * 0.3,
                      spaceAfter=self.styles.size * 0.9)
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   # cells drop their paragraphs' space after: give it back between rows
                                   ("BOTTOMPADDING", (0, 0), (-1, -2), self.styles.size * 0.5),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 0), *commands]))
        return table

    def image(self, block: ImageBlock) -> list:
        from reportlab.lib.utils import ImageReader

        width = self.edition.page_size[0] - 2 * self.edition.margin
        image_width, image_height = ImageReader(str(block.path)).getSize()
        scale = min(1.0, width / image_width)
        picture = Image(str(block.path), image_width * scale, image_height * scale, hAlign="LEFT")
        picture.spaceAfter = self.styles.size * 0.6
        if not block.caption:
            return [picture]
        # Kept with its caption by keepWithNext, not KeepTogether: reportlab
        # does not keep a heading with a KeepTogether that follows it.
        picture.keepWithNext = 1
        return [picture, Paragraph(self.styles.glyphs.markup(block.caption), self.styles.body)]

    # Helpers ------------------------------------------------------------------

    def table_font(self) -> list:
        # Tables set a default font even when every cell is a Paragraph;
        # without this, an unembedded Helvetica would be named in the file.
        return [("FONT", (0, 0), (-1, -1), self.styles.regular, self.styles.size),
                ("TEXTCOLOR", (0, 0), (-1, -1), self.styles.text)]

    def bookmark(self, key: str, title: str, level: int) -> Bookmark:
        self._outline_level = level
        return Bookmark(key, title, level, self.layout)

    def section_title(self, section) -> str:
        # The first section opens straight into the text, with no heading.
        return section.title if section.heading is not None else self.document.meta.title

    def contact_heading(self) -> str:
        contact = self.document.meta.contact
        return contact.heading if contact else "Contact us"


OTHER_FORMATS = "This guidance in other formats"


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
    widget = QrCodeWidget(url, barLevel="M", barFillColor=colour, barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    # The drawing sets a font even with no text in it: name ours, not Helvetica.
    drawing.initialFontName, drawing.initialFontSize = font, 12
    drawing.hAlign = "LEFT"
    return drawing
