"""The document model as platypus flowables, part by part, in reading order.

Pages: 1 the front cover, 2 the contents, then the guidance, then any "Notes"
pages that pad the booklet to a multiple of 4, then "This guidance in other
formats", and last the back cover (contact details, rights, disclaimer,
version and date). Every fixed word comes from the terms of the document's
language.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.platypus import (
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Image as Picture

from ...model import Callout, Document, Heading, Image, ListBlock, Quote, Runs, Section
from ...model import Paragraph as ParagraphBlock
from ...terms import Terms
from ...visit import Visitor
from .editions import Edition
from .flowables import Bookmark, Rule, RuledLines, qr_code
from .fonts import Glyphs
from .layout import Layout
from .styles import Styles


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


class Story(Visitor[list]):
    """The flowables of each part of one edition; ``visit(block)`` sets a block."""

    def __init__(self, document: Document, edition: Edition, styles: Styles, terms: Terms,
                 layout: Layout, known: Layout):
        """``layout`` collects where the headings fall in this pass; ``known``
        is an earlier pass's, whose page numbers the contents print."""
        self.document, self.edition, self.styles, self.terms = document, edition, styles, terms
        self.layout, self.known = layout, known
        self._outline_level = 0

    def text(self, key: str, **values: object) -> str:
        """A fixed word as paragraph markup."""
        return self.styles.glyphs.markup(self.terms(key, **values))

    # The parts ---------------------------------------------------------------

    def cover(self) -> list:
        meta, s = self.document.meta, self.styles
        flowables = [Spacer(0, s.size * 2), self.bookmark("cover", self.terms("pdf_cover"), 0),
                     Paragraph(s.glyphs.markup(meta.title), s.cover_title)]
        if meta.subtitle:
            flowables.append(Paragraph(s.glyphs.markup(meta.subtitle), s.cover_subtitle))
        flowables += [Rule(s.accent, s.size * 0.3), FrameBreak(),
                      Paragraph(s.glyphs.markup(meta.publisher), s.strong),
                      NextPageTemplate("body"), PageBreak()]
        return flowables

    def contents(self) -> list:
        s = self.styles
        entries = [(f"section-{section.number}", self.section_title(section)) for section in self.document.sections]
        entries += [("other-formats", self.terms("pdf_other_formats")), ("contact", self.contact_heading())]
        rows = [[Paragraph(s.glyphs.markup(title), s.body), Paragraph(str(self.known.page_of(key) or ""), s.strong)]
                for key, title in entries]
        table = Table(rows, colWidths=[self.width() - s.size * 2.5, s.size * 2.5], hAlign="LEFT")
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("LINEBELOW", (0, 0), (-1, -2), 0.5, s.accent)]))
        return [self.bookmark("contents", self.terms("pdf_contents"), 0),
                Paragraph(self.text("pdf_contents"), s.heading), table, PageBreak()]

    def guidance(self) -> list:
        flowables: list = []
        for section in self.document.sections:
            flowables.append(self.bookmark(f"section-{section.number}", self.section_title(section), 0))
            if section.heading is not None:
                flowables.append(Paragraph(runs_markup(section.heading.runs, self.styles.glyphs), self.styles.heading))
            for block in section.blocks:
                flowables += self.visit(block)
        return flowables

    def notes(self, pages: int) -> list:
        """Pages that pad the booklet to a multiple of 4: somewhere to write."""
        s = self.styles
        flowables = []
        for number in range(pages):
            flowables += [PageBreak()]
            if number == 0:
                flowables.append(self.bookmark("notes", self.terms("pdf_notes"), 0))
            flowables += [Paragraph(self.text("pdf_notes"), s.heading), RuledLines(s.size * 2.2, s.accent)]
        return flowables

    def other_formats(self, editions: tuple[str, ...], url: str) -> list:
        """The inside back page: the other editions, and where to get them."""
        s = self.styles
        flowables = [PageBreak(), self.bookmark("other-formats", self.terms("pdf_other_formats"), 0),
                     Paragraph(self.text("pdf_other_formats"), s.heading),
                     Paragraph(self.text("pdf_also_published_as"), s.body)]
        flowables += [Paragraph(s.glyphs.markup(item), s.item, bulletText="•") for item in editions]
        if url:
            # The address is a link, in bold, wherever the language puts it in the sentence.
            before, _, after = self.terms("pdf_download_from", url="\0").partition("\0")
            link = f'<a href="{escape(url)}"><b>{escape(url)}</b></a>'
            download = Paragraph(s.glyphs.markup(before) + link + s.glyphs.markup(after), s.body)
            scan = Paragraph(self.text("pdf_scan_code"), s.body)
            download.keepWithNext = scan.keepWithNext = 1  # the address, the words and the code: one page
            flowables += [Spacer(0, s.size * 0.4), download, scan, qr_code(url, s.size * 9, s.text, s.regular)]
        else:
            flowables.append(Paragraph(self.text("pdf_ask_for_edition"), s.body))
        return flowables

    def back_cover(self, build_date: dt.datetime) -> list:
        meta, s = self.document.meta, self.styles
        flowables: list = [NextPageTemplate("back"), PageBreak()]
        contact = meta.contact
        if contact is not None:
            flowables += [self.bookmark("contact", contact.heading, 0),
                          Paragraph(s.glyphs.markup(contact.heading), s.heading)]
            if contact.address:
                flowables.append(Paragraph(s.glyphs.markup(contact.address_label), s.strong))
                flowables.append(Paragraph("<br/>".join(s.glyphs.markup(line) for line in contact.address), s.body))
            for key, value in (("phone", contact.phone), ("email", contact.email), ("website", contact.website)):
                if value:
                    flowables.append(Paragraph(f"<b>{self.text(key)}</b> {s.glyphs.markup(value)}", s.body))
        if meta.disclaimer is not None:
            text = s.glyphs.markup(meta.disclaimer.text)
            link = meta.disclaimer.link
            linked = f'<a href="{escape(link)}">{text}</a>: {escape(link)}' if link else text
            flowables.append(Paragraph(linked, s.body))
        flowables.append(Spacer(0, s.size))
        if meta.rights:
            flowables.append(Paragraph(s.glyphs.markup(meta.rights), s.body))
        date = self.terms.date(build_date)
        dated = self.terms("pdf_version_date", version=meta.version, date=date) if meta.version else date
        flowables.append(Paragraph(s.glyphs.markup(dated), s.body))
        return flowables

    # Blocks ---------------------------------------------------------------------

    def visit_Heading(self, block: Heading) -> list:
        level = min(block.level - 2, self._outline_level + 1)
        return [self.bookmark(f"heading-{block.line}", block.text, max(level, 1)),
                Paragraph(runs_markup(block.runs, self.styles.glyphs), self.styles.subheading)]

    def visit_Paragraph(self, block: ParagraphBlock) -> list:
        return [Paragraph(runs_markup(block.runs, self.styles.glyphs), self.styles.body)]

    def visit_ListBlock(self, block: ListBlock) -> list:
        items = [Paragraph(runs_markup(item, self.styles.glyphs), self.styles.item,
                           bulletText=f"{number}." if block.ordered else "•")
                 for number, item in enumerate(block.items, block.start)]
        return items + [Spacer(0, self.styles.size * 0.3)]  # the list ends: back to the paragraph gap

    def visit_Quote(self, quote: Quote) -> list:
        """Set off by a rule in the accent colour and an indent; upright,
        with the attribution on its own line after an em dash. The box may
        break between paragraphs, but the attribution stays with the last."""
        s = self.styles
        cells = [[Paragraph(runs_markup(p.runs, s.glyphs), s.quote)] for p in quote.paragraphs]
        if quote.attribution:
            cells[-1].append(Paragraph("— " + runs_markup(quote.attribution, s.glyphs), s.attribution))
        return [self.boxed(cells, [("LINEBEFORE", (0, 0), (0, -1), s.size * 0.25, s.accent),
                                   ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9)], inset=s.size * 0.6)]

    def visit_Callout(self, callout: Callout) -> list:
        """A tinted box; its text keeps the body colour, 15:1 on the tint.
        The title shares a cell with the first block, so it is never left
        alone at the foot of a page."""
        s = self.styles
        cells = [[flowable] for block in callout.blocks for flowable in self.visit(block)] or [[]]
        if callout.title:
            cells[0].insert(0, Paragraph(s.glyphs.markup(callout.title), s.callout_title))
        return [self.boxed(cells, [("BACKGROUND", (0, 0), (-1, -1), s.tint),
                                   ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                   ("TOPPADDING", (0, 0), (-1, 0), s.size * 0.7),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), s.size * 0.5)], inset=0)]

    def visit_Image(self, block: Image) -> list:
        from reportlab.lib.utils import ImageReader

        image_width, image_height = ImageReader(str(block.path)).getSize()
        scale = min(1.0, self.width() / image_width)
        picture = Picture(str(block.path), image_width * scale, image_height * scale, hAlign="LEFT")
        picture.spaceAfter = self.styles.size * 0.6
        if not block.caption:
            return [picture]
        # Kept with its caption by keepWithNext, not KeepTogether: reportlab
        # does not keep a heading with a KeepTogether that follows it.
        picture.keepWithNext = 1
        return [picture, Paragraph(self.styles.glyphs.markup(block.caption), self.styles.body)]

    # Helpers ------------------------------------------------------------------

    def boxed(self, cells: list[list], commands: list, inset: float) -> Table:
        """A one-column table, one row per cell (a list of flowables). A row
        that does not fit the space left is split like a paragraph (widows
        and orphans still kept), so a box longer than a page flows on."""
        size = self.styles.size
        table = Table([[cell] for cell in cells], colWidths=[self.width() - inset], hAlign="RIGHT", splitByRow=1,
                      splitInRow=1, spaceBefore=size * 0.3, spaceAfter=size * 0.9)
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   # cells drop their paragraphs' space after: give it back between rows
                                   ("BOTTOMPADDING", (0, 0), (-1, -2), size * 0.5),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 0), *commands]))
        return table

    def width(self) -> float:
        """The text's width: the page's less its side margins."""
        return self.edition.page_size[0] - 2 * self.edition.margin

    def table_font(self) -> list:
        # Tables set a default font even when every cell is a Paragraph;
        # without this, an unembedded Helvetica would be named in the file.
        return [("FONT", (0, 0), (-1, -1), self.styles.regular, self.styles.size),
                ("TEXTCOLOR", (0, 0), (-1, -1), self.styles.text)]

    def bookmark(self, key: str, title: str, level: int) -> Bookmark:
        self._outline_level = level
        return Bookmark(key, title, level, self.layout)

    def section_title(self, section: Section) -> str:
        # The first section opens straight into the text, with no heading.
        return section.title if section.heading is not None else self.document.meta.title

    def contact_heading(self) -> str:
        contact = self.document.meta.contact
        return contact.heading if contact else self.terms("contact_us")
