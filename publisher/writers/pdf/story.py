"""The document model as platypus flowables, part by part, in reading order.

Pages: 1 the front cover, 2 the contents, then the guidance and the sources
it cites, then any "Notes" pages that pad the booklet to a multiple of 4,
then "This guidance in other formats", and last the back cover (contact
details, rights, disclaimer, version and date). Every fixed word comes from
the terms of the document's language.

Each part also builds its piece of the structure tree (``self.root``; see
tagging.py) in source order, and whatever draws words is a ``TaggedParagraph``
of its element: ``self.paragraph(markup, style, parent, role)`` makes both.
Words drawn with no element (``parent=None``) are an artifact.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import FrameBreak, NextPageTemplate, PageBreak, Spacer, TableStyle

from ...model import Callout, Document, Heading, Image, ListBlock, Quote, Runs, Section, Table, plain
from ...model import Paragraph as ParagraphBlock
from ...terms import Terms
from ...visit import Visitor
from .editions import Edition, review_line
from .flowables import Bookmark, Figure, RuledLines, TaggedParagraph, TaggedTable, qr_code
from .fonts import Glyphs
from .layout import Layout
from .localbox import local_contact
from .styles import Styles
from .tagging import Element

NESTED_BULLET = "\u2013"  # an en dash: a nested item's bullet, unlike its parent's
LIST = {True: {"O": "List", "ListNumbering": "Decimal"}, False: {"O": "List", "ListNumbering": "Disc"}}


def runs_markup(runs: Runs, glyphs: Glyphs, size: float, element: Element | None = None) -> str:
    """Runs as reportlab paragraph markup: emphasis and strong both bold;
    a link keeps its words, clickable, with a web address printed after them
    (paper cannot be clicked); "#id" goes to that heading. A link with no
    target yet is plain words. A source's number is raised, at full size
    (clear print has nothing smaller), and links to the source. ``element``
    learns each link's words: its annotation's description."""
    parts = []
    for run in runs:
        text = glyphs.markup(run.text)
        if run.note is not None:
            target = f"#note-{run.note}"
            text = f'<super size="{size:g}" rise="{size * 0.3:g}"><a href="{target}">{run.note}</a></super>'
            if element is not None:
                element.links[target] = str(run.note)
        elif run.link:
            address = escape(run.link, {'"': "&quot;"})
            text = f'<a href="{address}">{text}</a>'
            if not run.link.startswith("#") and run.link.rstrip("/") != run.text.strip().rstrip("/"):
                text += f" ({escape(run.link)})"
            if element is not None:
                element.links[run.link] = run.text
        if run.strong or run.emphasis:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def anchored(markup: str, anchor: str) -> str:
    """Markup that starts with a link destination named ``anchor`` (a heading's id)."""
    return f'<a name="{escape(anchor)}"/>{markup}' if anchor else markup


class Story(Visitor[list]):
    """The flowables of each part of one edition; ``visit(block)`` sets a block."""

    def __init__(self, document: Document, edition: Edition, styles: Styles, terms: Terms,
                 layout: Layout, known: Layout):
        """``layout`` collects where the headings fall in this pass; ``known``
        is an earlier pass's, whose page numbers the contents print."""
        self.document, self.edition, self.styles, self.terms = document, edition, styles, terms
        self.layout, self.known = layout, known
        self._outline_level = 0
        self.root = Element("Document")  # the structure tree, in source order
        self._parent = self.root  # where the blocks being visited go
        self._heading_level = 1  # the last heading's, so a callout's title nests under it

    def text(self, key: str, **values: object) -> str:
        """A fixed word as paragraph markup."""
        return self.styles.glyphs.markup(self.terms(key, **values))

    def paragraph(self, markup: str, style, parent: Element | None, role: str = "P",
                  links: dict[str, str] | None = None) -> TaggedParagraph:
        """A paragraph tagged as a new ``role`` element of ``parent`` (an artifact when ``parent`` is None);
        ``links``: the words that describe each link in it."""
        return TaggedParagraph(markup, style, parent.add(role, links=links or {}) if parent is not None else None)

    def runs(self, runs: Runs, style, parent: Element, role: str = "P", anchor: str = "",
             **settings) -> TaggedParagraph:
        element = parent.add(role, **settings)
        markup = runs_markup(runs, self.styles.glyphs, self.styles.size, element)
        return TaggedParagraph(anchored(markup, anchor), style, element)

    def heading(self, markup: str, parent: Element, level: int, anchor: str = "", style=None) -> TaggedParagraph:
        self._heading_level = level
        return TaggedParagraph(anchored(markup, anchor), style or self.styles.heading,
                               parent.add(f"H{min(level, 6)}"))

    # The parts ---------------------------------------------------------------

    def cover(self) -> list:
        meta, s = self.document.meta, self.styles
        flowables = [Spacer(0, s.size * 2), self.bookmark("cover", self.terms("pdf_cover"), 0),
                     *([self.paragraph(self.text("pdf_draft"), s.strong, self.root)] if self.edition.draft else []),
                     self.heading(s.glyphs.markup(meta.title), self.root, 1, style=s.cover_title)]
        if meta.subtitle:
            flowables.append(self.paragraph(s.glyphs.markup(meta.subtitle), s.cover_subtitle, self.root))
        flowables += [s.rule(), FrameBreak(),
                      self.paragraph(s.glyphs.markup(meta.publisher), s.strong, self.root),
                      NextPageTemplate("body"), PageBreak()]
        return flowables

    def contents(self) -> list:
        s = self.styles
        entries = [(f"section-{section.number}", self.section_title(section)) for section in self.document.sections]
        if self.document.notes:
            entries.append(("sources", self.terms("pdf_sources")))
        entries += [("other-formats", self.terms("pdf_other_formats")), ("contact", self.contact_heading())]
        part = self.root.add("Sect")
        heading = self.heading(self.text("pdf_contents"), part, 2)
        toc = part.add("TOC")
        rows = []
        for key, title in entries:
            # An entry's words and page number are one link to where it starts,
            # once a pass has found that page (a trial pass has none yet).
            link = toc.add("TOCI").add("Link", links={f"#{key}": title})
            page = self.known.page_of(key)
            words, number = s.glyphs.markup(title), str(page or "")
            if page:
                words, number = (f'<a href="#{key}">{text}</a>' for text in (words, number))
            rows.append([TaggedParagraph(words, s.body, link), TaggedParagraph(number, s.strong, link)])
        widths = [self.width() - s.size * 2.5, s.size * 2.5]
        if s.right_to_left:  # the numbers at the end of the line: on the left
            rows, widths = [row[::-1] for row in rows], widths[::-1]
        table = TaggedTable(rows, colWidths=widths, hAlign=s.start)
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   *s.mirrored([("LEFTPADDING", (0, 0), (-1, -1), 0)]),
                                   ("LINEBELOW", (0, 0), (-1, -2), 0.5, s.accent)]))
        return [self.bookmark("contents", self.terms("pdf_contents"), 0), heading, table, PageBreak()]

    def guidance(self) -> list:
        flowables: list = []
        for section in self.document.sections:
            flowables.append(self.bookmark(f"section-{section.number}", self.section_title(section), 0))
            self._parent = self.root.add("Sect")
            if section.heading is not None:
                self._heading_level = 2
                flowables.append(self.runs(section.heading.runs, self.styles.heading, self._parent, "H2",
                                           anchor=section.heading.id))
            else:
                # The opening section has no heading of its own: it is printed
                # under the title, the name the contents and bookmarks give it.
                flowables.append(self.heading(self.styles.glyphs.markup(self.document.meta.title), self._parent, 2,
                                              anchor=section.id))
            for block in section.blocks:
                flowables += self.visit(block)
        self._parent = self.root
        return flowables

    def sources(self) -> list:
        """The sources cited, numbered; each the target of its raised number in the text."""
        if not self.document.notes:
            return []
        s = self.styles
        part = self.root.add("Sect")
        flowables = [self.bookmark("sources", self.terms("pdf_sources"), 0),
                     self.heading(self.text("pdf_sources"), part, 2)]
        for note in self.document.notes:
            element = part.add("Note", identifier=f"note-{note.number}")
            label, body = element.add("Lbl"), element.add("P")
            markup = anchored(runs_markup(note.runs, s.glyphs, s.size, body), f"note-{note.number}")
            flowables.append(TaggedParagraph(markup, s.item, body, label, bulletText=f"{note.number}."))
        return flowables + [Spacer(0, s.size * 0.3)]

    def notes(self, pages: int) -> list:
        """Pages that pad the booklet to a multiple of 4: somewhere to write.
        Their heading and lines are for the pen, not the reader: artifacts."""
        s = self.styles
        flowables = []
        for number in range(pages):
            flowables += [PageBreak()]
            if number == 0:
                flowables.append(self.bookmark("notes", self.terms("pdf_notes"), 0))
            flowables += [self.paragraph(self.text("pdf_notes"), s.heading, None), RuledLines(s.size * 2.2, s.accent)]
        return flowables

    def other_formats(self, editions: tuple[str, ...], url: str) -> list:
        """The inside back page: the other editions, and where to get them."""
        s = self.styles
        part = self.root.add("Sect")
        flowables = [PageBreak(), self.bookmark("other-formats", self.terms("pdf_other_formats"), 0),
                     self.heading(self.text("pdf_other_formats"), part, 2),
                     self.paragraph(self.text("pdf_also_published_as"), s.body, part)]
        listed = part.add("L", attributes=LIST[False])
        flowables += [self.item(s.glyphs.markup(item), "•", listed, 0) for item in editions]
        if url:
            # The address is a link, in bold, wherever the language puts it in the sentence.
            before, _, after = self.terms("pdf_download_from", url="\0").partition("\0")
            link = f'<a href="{escape(url)}"><b>{escape(url)}</b></a>'
            download = self.paragraph(s.glyphs.markup(before) + link + s.glyphs.markup(after), s.body, part,
                                      links={url: url})
            scan = self.paragraph(self.text("pdf_scan_code"), s.body, part)
            download.keepWithNext = scan.keepWithNext = 1  # the address, the words and the code: one page
            flowables += [Spacer(0, s.size * 0.4), download, scan, qr_code(url, s.size * 9, s.text, s.regular)]
        else:
            flowables.append(self.paragraph(self.text("pdf_ask_for_edition"), s.body, part))
        return flowables + self.other_languages()

    def other_languages(self) -> list:
        """"This guidance in other languages": each edition's own name for its language, and its title."""
        others = [edition for edition in self.edition.languages if edition.language != self.document.meta.language]
        if not others:
            return []
        s = self.styles
        part = self.root.add("Sect")
        heading = self.heading(self.text("pdf_other_languages"), part, 3, style=s.subheading)
        listed = part.add("L", attributes=LIST[False])  # after the heading: tags in reading order
        items = []
        for edition in others:
            items.append(self.item(f"<b>{s.glyphs.markup(edition.name)}</b>: {s.glyphs.markup(edition.title)}",
                                   "•", listed, 0, lang=edition.language))  # read in its own language's voice
        return [heading, *items]

    def back_cover(self, build_date: dt.datetime) -> list:
        meta, s = self.document.meta, self.styles
        part = self.root.add("Sect")
        flowables: list = [NextPageTemplate("back"), PageBreak()]
        contact = meta.contact
        if contact is not None:
            flowables += [self.bookmark("contact", contact.heading, 0),
                          self.heading(s.glyphs.markup(contact.heading), part, 2)]
            if contact.address:
                flowables.append(self.paragraph(s.glyphs.markup(contact.address_label), s.strong, part))
                flowables.append(self.paragraph("<br/>".join(s.glyphs.markup(line) for line in contact.address),
                                                s.body, part))
            for key, value in (("phone", contact.phone), ("email", contact.email), ("website", contact.website)):
                if value:
                    flowables.append(self.paragraph(f"<b>{self.text(key)}</b> {s.glyphs.markup(value)}", s.body, part))
        if meta.disclaimer is not None:
            text = s.glyphs.markup(meta.disclaimer.text)
            link = meta.disclaimer.link
            linked = f'<a href="{escape(link)}">{text}</a>: {escape(link)}' if link else text
            flowables.append(self.paragraph(linked, s.body, part))
            if link:
                flowables[-1].element.links[link] = meta.disclaimer.text
        flowables.append(Spacer(0, s.size))
        if meta.rights:
            flowables.append(self.paragraph(s.glyphs.markup(meta.rights), s.body, part))
        flowables.append(self.paragraph(s.glyphs.markup(review_line(meta, self.terms, build_date)), s.body, part))
        if self.edition.name == "booklet":  # where a family worker adds the local service, or a local edition has it
            flowables += local_contact(self, self.edition.local)
        return flowables

    # Blocks ---------------------------------------------------------------------

    def visit_Heading(self, block: Heading) -> list:
        level = min(block.level - 2, self._outline_level + 1)
        self._heading_level = block.level
        return [self.bookmark(f"heading-{block.line}", block.text, max(level, 1)),
                self.runs(block.runs, self.styles.subheading, self._parent, f"H{min(block.level, 6)}",
                          anchor=block.id)]

    def visit_Paragraph(self, block: ParagraphBlock) -> list:
        return [self.runs(block.runs, self.styles.body, self._parent)]

    def visit_ListBlock(self, block: ListBlock) -> list:
        """``L`` → ``LI`` → ``Lbl`` + ``LBody``; a nested list is an ``L`` in
        its parent item's body, indented one step, numbered from 1 again."""
        s = self.styles
        lists = [self._parent.add("L", attributes=LIST[block.ordered])]
        flowables: list[TaggedParagraph] = []
        for index, (runs, marker) in enumerate(zip(block.items, block.markers(), strict=True)):
            level = block.level(index)
            if level and len(lists) == 1:  # the first nested item opens a list in the body of the item above
                above = flowables[-1]
                body = above.element
                assert body is not None  # an item is tagged
                # whose words then go in a P of their own, so they come before the nested list
                above.element = body.add("P", links=body.links)
                lists.append(body.add("L", attributes=LIST[block.nested_ordered]))
            elif not level:
                del lists[1:]
            bullet = f"{marker}." if marker is not None else NESTED_BULLET if level else "•"
            flowables.append(self.item(runs, bullet, lists[-1], level))
        return [*flowables, Spacer(0, s.size * 0.3)]  # the list ends: back to the paragraph gap

    def item(self, content: Runs | str, bullet: str, parent: Element, level: int, lang: str = "") -> TaggedParagraph:
        """One list item (``LI``: its bullet or number as ``Lbl``, its words as ``LBody``)."""
        item = parent.add("LI")
        label, body = item.add("Lbl"), item.add("LBody", lang=lang)
        s = self.styles
        markup = content if isinstance(content, str) else runs_markup(content, s.glyphs, s.size, body)
        style = s.item
        if level:
            step = s.size * 1.6
            style = ParagraphStyle(f"item {level}", parent=s.item, leftIndent=s.item.leftIndent + step * level,
                                   bulletIndent=s.item.bulletIndent + step * level)
        return TaggedParagraph(markup, style, body, label, bulletText=bullet)

    def visit_Quote(self, quote: Quote) -> list:
        """Set off by a rule in the accent colour and an indent; upright,
        with the attribution on its own line after an em dash. The box may
        break between paragraphs, but the attribution stays with the last."""
        s = self.styles
        element = self._parent.add("BlockQuote")
        cells = [[self.runs(p.runs, s.quote, element)] for p in quote.paragraphs]
        if quote.attribution:
            attribution = element.add("P")
            markup = "— " + runs_markup(quote.attribution, s.glyphs, s.size, attribution)
            cells[-1].append(TaggedParagraph(markup, s.attribution, attribution))
        return [self.boxed(cells, [("LINEBEFORE", (0, 0), (0, -1), s.size * 0.25, s.accent),
                                   ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9)], inset=s.size * 0.6)]

    def visit_Callout(self, callout: Callout) -> list:
        """A tinted box; its text keeps the body colour, 15:1 on the tint.
        The title shares a cell with the first block, so it is never left
        alone at the foot of a page. Tagged as an aside with a heading one
        level under the heading before it."""
        s = self.styles
        outer, level = self._parent, self._heading_level
        self._parent = aside = outer.add("Aside")
        title = self.heading(s.glyphs.markup(callout.title), aside, level + 1, style=s.callout_title) \
            if callout.title else None
        cells = [[flowable] for block in callout.blocks for flowable in self.visit(block)] or [[]]
        self._parent, self._heading_level = outer, level
        if title is not None:
            cells[0].insert(0, title)
        return [self.boxed(cells, [("BACKGROUND", (0, 0), (-1, -1), s.tint),
                                   ("LEFTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), s.size * 0.9),
                                   ("TOPPADDING", (0, 0), (-1, 0), s.size * 0.7),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), s.size * 0.5)], inset=0)]

    def visit_Image(self, block: Image) -> list:
        from reportlab.lib.utils import ImageReader

        image_width, image_height = ImageReader(str(block.path)).getSize()
        scale = min(1.0, self.width() / image_width)
        figure = self._parent.add("Figure", alt=block.alt)
        picture = Figure(str(block.path), image_width * scale, image_height * scale, figure, hAlign="LEFT")
        picture.spaceAfter = self.styles.size * 0.6
        if not block.caption:
            return [picture]
        # Kept with its caption by keepWithNext, not KeepTogether: reportlab
        # does not keep a heading with a KeepTogether that follows it.
        picture.keepWithNext = 1
        return [picture, self.paragraph(self.styles.glyphs.markup(block.caption), self.styles.body, self._parent,
                                        "Caption")]

    def visit_Table(self, table: Table) -> list:
        """A table with its caption above and its header row repeated on each
        page it runs onto (tagged once: the repeats are artifacts). In a page
        too narrow for its columns, each row is stacked instead: every cell
        under its column's name."""
        s = self.styles
        element = self._parent.add("Table")
        flowables = []
        if table.caption:
            caption = self.paragraph(s.glyphs.markup(table.caption), s.strong, element, "Caption")
            caption.keepWithNext = 1
            flowables.append(caption)
        header = element.add("TR")
        widths = self.column_widths(table)
        # In a grid the header row is drawn again atop each page the table runs onto.
        names = [self.runs(cell, s.strong, header, "TH", attributes={"O": "Table", "Scope": "Column"},
                           repeats=widths is not None) for cell in table.header]
        if widths is None:
            return flowables + [self.stacked(table, element, names)]
        rows = [names] + [[self.runs(cell, s.body, row, "TD") for cell in cells]
                          for row, cells in ((element.add("TR"), cells) for cells in table.rows)]
        grid = TaggedTable(rows, colWidths=widths, hAlign="LEFT", repeatRows=1, splitByRow=1, splitInRow=1,
                           spaceBefore=s.size * 0.3, spaceAfter=s.size * 0.9)
        grid.opening_rows = 3  # starts on this page below its caption if the header and two rows fit
        grid.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  *self.cell_padding(),
                                  ("BACKGROUND", (0, 0), (-1, 0), s.tint),
                                  ("LINEBELOW", (0, 0), (-1, 0), s.size * 0.1, s.accent),
                                  ("LINEBELOW", (0, 1), (-1, -1), 0.5, s.accent)]))
        return flowables + [grid]

    def stacked(self, table: Table, element: Element, names: list[TaggedParagraph]) -> TaggedTable:
        """Each row as a block of (column name, cell) lines. The first block's
        names are the header row's ``TH``; the later blocks' are artifacts."""
        s = self.styles
        label = ParagraphStyle("column name", parent=s.strong, spaceAfter=s.size * 0.15)  # close to its cell
        for name in names:
            name.style = label
        blocks = []
        for number, cells in enumerate(table.rows):
            row = element.add("TR")
            block = []
            for column, cell in enumerate(cells):
                name = names[column] if number == 0 else self.paragraph(
                    s.glyphs.markup(plain(table.header[column])), label, None)
                block += [name, self.runs(cell, s.body, row, "TD")]
            blocks.append([block])
        grid = TaggedTable(blocks, colWidths=[self.width()], hAlign="LEFT", splitByRow=1, splitInRow=1,
                           spaceBefore=s.size * 0.3, spaceAfter=s.size * 0.9)
        grid.opening_rows = 1  # starts on this page below its caption if its first row fits
        grid.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"), *self.cell_padding(),
                                  ("LINEABOVE", (0, 0), (-1, -1), s.size * 0.1, s.accent)]))
        return grid

    def column_widths(self, table: Table) -> list[float] | None:
        """Widths that give each column at least its longest word, the rest
        shared out by how much text each column holds; None when even the
        longest words do not fit side by side."""
        s = self.styles
        padding = s.size * 0.8  # left and right, from cell_padding
        columns = list(zip(table.header, *table.rows, strict=True))

        def width(text: str, font: str) -> float:
            return stringWidth(text, font, s.size)

        # A paragraph's last two words are kept together (bidi.last_words_together): they count as one.
        least = [max(width(word, s.bold) for cell in column for word in _unbroken(plain(cell))) + padding
                 for column in columns]
        # A column also wants room for about 8 characters, however short its words.
        least = [max(low, width("n" * 8, s.regular) + padding) for low in least]
        room = self.width()
        if sum(least) > room:
            return None
        wants = [max(width(plain(cell), s.regular) for cell in column) + padding for column in columns]
        spare = room - sum(least)
        extra = [max(want - low, 0.0) for want, low in zip(wants, least, strict=True)]
        total = sum(extra)
        if total <= spare:
            return [low + more for low, more in zip(least, extra, strict=True)]
        return [low + spare * more / total for low, more in zip(least, extra, strict=True)]

    def cell_padding(self) -> list:
        size = self.styles.size
        return [("LEFTPADDING", (0, 0), (-1, -1), size * 0.4), ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.4),
                ("TOPPADDING", (0, 0), (-1, -1), size * 0.3), ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.1)]

    # Helpers ------------------------------------------------------------------

    def boxed(self, cells: list[list], commands: list, inset: float) -> TaggedTable:
        """A one-column table, one row per cell (a list of flowables). A row
        that does not fit the space left is split like a paragraph (widows
        and orphans still kept), so a box longer than a page flows on."""
        size = self.styles.size
        table = TaggedTable([[cell] for cell in cells], colWidths=[self.width() - inset], hAlign=self.styles.end,
                            splitByRow=1, splitInRow=1, spaceBefore=size * 0.3, spaceAfter=size * 0.9)
        table.setStyle(TableStyle([*self.table_font(), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   # cells drop their paragraphs' space after: give it back between rows
                                   ("BOTTOMPADDING", (0, 0), (-1, -2), size * 0.5),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 0), *self.styles.mirrored(commands)]))
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
        # The first section opens straight into the text; the title names it.
        return section.title if section.heading is not None else self.document.meta.title

    def contact_heading(self) -> str:
        contact = self.document.meta.contact
        return contact.heading if contact else self.terms("contact_us")


def _unbroken(text: str) -> list[str]:
    """The pieces of a cell no line break parts: its words, the last two as one when there are four or more."""
    pieces = text.split()
    return pieces[:-2] + [" ".join(pieces[-2:])] if len(pieces) >= 4 else pieces or [""]
