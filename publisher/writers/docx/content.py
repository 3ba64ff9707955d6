"""The document model as Word paragraphs, in reading order: the title, every
section's blocks (one ``visit_<Block>`` each), the sources cited, then the
"Your local contact" box, the other formats with their QR code, the
publisher's contact details, the footer (with the review dates) and, for a
draft, the header. Every fixed word comes from the terms; every look from
the styles (``styles.py``)."""

from __future__ import annotations

import datetime as dt
import io
import string

from ... import outputs
from ...contract import Job
from ...diagnostics import WARNING, Diagnostic
from ...formats import offered
from ...local import LocalDetails
from ...model import Callout, Heading, Image, ListBlock, Paragraph, Quote, Runs, Table, plain
from ...sourcefiles import display_path
from ...style import formats_url
from ...visit import Visitor
from . import ooxml
from .styles import Look, box, new_list
from .tables import column_widths

# The rows of the "Your local contact" box, in order (LocalDetails' fields),
# and, for the blank box a family worker fills in by hand, how many lines to
# write on in each row.
LOCAL_ROWS = ("service", "address", "phone", "email", "website", "opening_hours")
WRITE_IN_LINES = {"service": 1, "address": 3, "phone": 1, "opening_hours": 2}
FOOTER_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}  # the fields of the "Page X of Y" term
REVIEW_SEPARATOR = " · "  # between the version and the review dates in the footer
ADDRESS_SCHEMES = ("mailto:", "tel:")  # printed without their scheme after a link's words


def note_bookmark(number: int) -> str:
    """A cited source's bookmark: capitals and an underscore, which no heading's id has."""
    return f"Source_{number}"


def printed_address(text: str, link: str) -> str:
    """The address a printed link shows after its words, or "" when the words are the address."""
    address = link
    for scheme in ADDRESS_SCHEMES:
        address = address.removeprefix(scheme)
    bare = address.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    words = text.strip().removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    return "" if words.lower() == bare.lower() else address


class Leaflet(Visitor[list]):
    """One edition being written into a python-docx document whose styles are
    set up; each visit writes one block and returns its paragraphs (a callout
    boxes them)."""

    def __init__(self, doc, look: Look, job: Job, local: LocalDetails | None):
        self.doc = doc
        self.look = look
        self.job = job
        self.terms = job.terms
        self.document = job.document
        self.local = local
        self.heading_level = 0  # the Word heading level last written, so none is skipped
        self.boxed = False  # inside a callout: its paragraphs are Callout Text
        self.bookmarks = 0  # bookmark ids given so far
        self.after_table = False  # the last thing written was a table
        self.warnings: list[Diagnostic] = []

    def write(self) -> None:
        meta = self.document.meta
        title = self.paragraph(meta.title, "Title")
        first = self.document.sections[0]
        if first.heading is None and first.id:
            self.bookmark(title, first.id)  # "#id" of an opening section with no heading: the title
        if meta.subtitle:
            self.paragraph(meta.subtitle, "Subtitle")
        if meta.cover:
            self.visit(meta.cover)
        for section in self.document.sections:
            if section.heading is not None:
                self.visit(section.heading)
            self.visit_all(section.blocks)
        self.sources()
        self.local_contact()
        self.other_formats()
        self.publisher_contact()
        self.footer()
        if self.job.options.get("draft"):
            self.draft_header()
        if self.look.writing.rtl:
            section = self.doc.sections[0]
            ooxml.right_to_left([self.doc.element.body, section.footer._element]
                                + ([section.header._element] if not section.header.is_linked_to_previous else []))

    # -- blocks -----------------------------------------------------------------

    def visit_Heading(self, heading: Heading) -> list:
        # "##" is Heading 1 (the title uses Title); deeper headings follow,
        # never more than one level below the last, as Word's checker requires.
        level = max(1, min(heading.level - 1, self.heading_level + 1, 9))
        self.heading_level = level
        paragraph = self.runs_paragraph(heading.runs, f"Heading {level}")
        if heading.id:
            self.bookmark(paragraph, heading.id)  # the target of "[words](#id)"
        return [paragraph]

    def visit_Paragraph(self, block: Paragraph) -> list:
        return [self.runs_paragraph(block.runs, "Callout Text" if self.boxed else None)]

    def visit_ListBlock(self, block: ListBlock) -> list:
        """One numbering instance per list; a nested item is level 1 of it, with
        its own bullet or number (restarting under each item above it)."""
        num_id = new_list(self.doc, block.ordered, block.nested_ordered, block.start)
        style = "List Number" if block.ordered else "List Bullet"
        paragraphs = []
        for index, item in enumerate(block.items):
            paragraph = self.runs_paragraph(item, style)
            self.number(paragraph, num_id, block.level(index))
            paragraphs.append(paragraph)
        # Items sit close together; the list as a whole is spaced like a paragraph.
        paragraphs[-1].paragraph_format.space_after = self.doc.styles["Normal"].paragraph_format.space_after
        return paragraphs

    def visit_Quote(self, quote: Quote) -> list:
        paragraphs = [self.runs_paragraph(p.runs, "Quote") for p in quote.paragraphs]
        if quote.attribution:
            attribution = self.doc.add_paragraph("— ", style="Quote Attribution")
            self.add_runs(attribution, quote.attribution)
            paragraphs.append(attribution)
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True  # a quote never loses its attribution
        return paragraphs

    def visit_Callout(self, callout: Callout) -> list:
        paragraphs = [self.paragraph(callout.title, "Callout Title")] if callout.title else []
        outer, self.boxed = self.boxed, True
        for paragraph in (p for block in callout.blocks for p in self.visit(block)):
            if paragraph.style.name not in ("Callout Title", "Callout Text"):
                self.into_box(paragraph)  # lists, quotes and headings inside the box
            paragraphs.append(paragraph)
        self.boxed = outer
        for paragraph in paragraphs:
            paragraph.paragraph_format.keep_together = True
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True  # the box stays on one page
        return paragraphs

    def visit_Table(self, table: Table) -> list:
        """A Word table: the caption above it (Caption style, kept with it), the
        column names as a marked header row repeated on every page, shaded; every
        row kept whole. Columns are as wide as their words need (``tables.py``);
        a table too wide for the page gets a landscape page of its own."""
        from docx.shared import Length, Pt

        size, page = self.look.sizes["body"], self.doc.sections[-1]
        available = Length(self.look.text_width(self.doc))
        widths, fits = column_widths(table.header, table.rows, size, available.pt)
        landscape = not fits
        if landscape:  # the page turned: its height less the same margins
            wide = Length(page.page_height - (page.page_width - available))
            widths, fits = column_widths(table.header, table.rows, size, wide.pt)
            if not fits:
                self.warnings.append(Diagnostic(
                    WARNING, str(display_path(self.document.source)),
                    "a table too wide even for a landscape page in the Word leaflet: its longest words are broken",
                    table.line, "split it into two tables, or shorten the words in its widest columns"))
            ooxml.section_break(self.doc, landscape=True)
        paragraphs = []
        if table.caption:
            caption = self.paragraph(table.caption, "Caption")
            caption.paragraph_format.keep_with_next = True
            paragraphs.append(caption)
        word_table = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
        word_table.style = self.doc.styles["Table Grid"]
        ooxml.set_widths(word_table, [Pt(width) for width in widths])
        for number, (row, cells) in enumerate(zip(word_table.rows, (table.header, *table.rows), strict=True)):
            ooxml.keep_row_whole(row, header=number == 0)
            for cell, runs in zip(row.cells, cells, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles["Table Heading" if number == 0 else "Table Text"]
                self.add_runs(paragraph, runs)
                if number == 0:
                    ooxml.shade(cell._tc.get_or_add_tcPr(), self.look.colours["accent"])
        names = ", ".join(plain(cell) for cell in table.header)
        ooxml.describe_table(word_table, table.caption or names,
                             self.terms("docx_table_description", columns=names, rows=len(table.rows)),
                             self.look.colours["accent"])
        if landscape:
            ooxml.section_break(self.doc, landscape=False)
        self.after_table = True
        return paragraphs

    def visit_Image(self, image: Image) -> list:
        paragraph = self.doc.add_paragraph()
        width = self.look.text_width(self.doc)
        picture = paragraph.add_run().add_picture(str(image.path))
        if picture.width > width:
            picture.height = int(picture.height * width / picture.width)
            picture.width = width
        ooxml.describe_picture(paragraph, image.alt)
        paragraphs = [paragraph]
        if image.caption:
            paragraph.paragraph_format.keep_with_next = True
            paragraphs.append(self.paragraph(image.caption, "Caption"))
        return paragraphs

    def into_box(self, paragraph) -> None:
        """Put a list item, quote or heading inside a callout: the box's borders
        and the box's indents (a list item's marker hangs into the padding)."""
        box(paragraph._p.get_or_add_pPr(), self.look)
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = self.look.box_indent
        if paragraph.style.name.startswith("List"):
            fmt.first_line_indent = -self.look.hanging
            if paragraph._p.pPr.numPr.ilvl.val:  # a nested item sits further in
                fmt.left_indent = self.look.box_indent + self.look.nested_indent

    def number(self, paragraph, num_id: int, level: int) -> None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    def bookmark(self, paragraph, name: str) -> None:
        self.bookmarks += 1
        ooxml.bookmark(paragraph, name, self.bookmarks)

    # -- what every leaflet ends with ----------------------------------------------

    def sources(self) -> None:
        """The sources cited, as a numbered list under their own heading, each
        bookmarked so the raised number in the text links to it. A list, not
        Word endnotes: endnotes print after everything else (after the contact
        details), and every text extractor would have to read a second part."""
        notes = self.document.notes
        if not notes:
            return
        self.paragraph(self.terms("docx_sources"), "Heading 1")
        self.heading_level = 1
        num_id = new_list(self.doc, True, False, notes[0].number)
        for note in notes:
            paragraph = self.runs_paragraph(note.runs, "List Number")
            self.number(paragraph, num_id, 0)
            self.bookmark(paragraph, note_bookmark(note.number))

    def local_contact(self) -> None:
        """The "Your local contact" table: labels left, the service's details (or lines to write on) right.

        The first row (the service's name) is the marked header row, so a
        screen reader announces the service with every detail below it.
        """
        from docx.shared import Pt

        heading = self.terms("docx_local_contact")
        self.paragraph(heading, "Heading 1")
        self.heading_level = 1
        rows = self.local_rows()
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        label_width = Pt(self.look.sizes["body"] * 9)  # room for "Opening hours" in bold
        widths = (label_width, self.look.text_width(self.doc) - label_width)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for number, (row, (key, lines, blanks)) in enumerate(zip(table.rows, rows, strict=True)):
            ooxml.keep_row_whole(row, header=number == 0)
            label_cell, value_cell = row.cells
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
            label = label_cell.paragraphs[0]
            label.style = self.doc.styles["Table Text"]
            label.add_run(self.label(key)).bold = True
            value = value_cell.paragraphs[0]
            value.style = self.doc.styles["Table Text"]
            if lines:
                self.lines(value, lines, key)
            else:
                self.write_in(value_cell, blanks)
        # The service's name is the header row; a line to write it on stays white.
        for cell in table.rows[0].cells[: 2 if self.local else 1]:
            ooxml.shade(cell._tc.get_or_add_tcPr(), self.look.colours["accent"])
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = ooxml.rgb(self.look.colours["background"])
                run.bold = True
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        details = ", ".join(self.label(key).lower() for key, _, _ in rows)
        ooxml.describe_table(table, heading, self.terms("docx_local_description", details=details),
                             self.look.colours["accent"])

    def label(self, key: str) -> str:
        return self.terms(f"docx_local_{key}")

    def local_rows(self) -> list[tuple[str, tuple[str, ...], int]]:
        """(key, lines, lines to write on) for each row: a local edition's
        filled rows, else the blank box's write-in lines."""
        if self.local is None:
            return [(key, (), blanks) for key, blanks in WRITE_IN_LINES.items()]
        rows = []
        for key in LOCAL_ROWS:
            value = getattr(self.local, key)
            lines = value if isinstance(value, tuple) else ((value,) if value else ())
            if lines:
                rows.append((key, lines, 0))
        return rows

    def write_in(self, cell, count: int) -> None:
        """``count`` blank lines to write on, across the cell."""
        for number in range(count):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            paragraph.style = self.doc.styles["Write-in Line"]
            ooxml.write_in_line(paragraph, self.look.colours["text"])

    def lines(self, paragraph, lines: tuple[str, ...], key: str) -> None:
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            self.value(paragraph, key, line)

    def value(self, paragraph, key: str, value: str) -> None:
        if key == "email":
            self.link(paragraph, value, f"mailto:{value}")
        elif key == "website" and value.startswith(("http://", "https://")):
            self.link(paragraph, value, value)
        else:
            paragraph.add_run(value)

    def other_formats(self) -> None:
        """Every other format, from the format table (``format_<name>`` terms, in
        the order readers are offered them), then where to find them: with the
        editions' address, the web edition there (``outputs.web_url``) as a link
        and a QR code, since its front page leads to every download; without
        it, whom to ask."""
        from docx.shared import Pt

        self.paragraph(self.terms("docx_other_formats"), "Heading 1")
        self.heading_level = 1
        self.paragraph(self.terms("docx_also_published_as"), "Normal").paragraph_format.keep_with_next = True
        num_id = new_list(self.doc, ordered=False, nested_ordered=False, start=1)
        for fmt in offered(leaving_out="docx"):
            item = self.paragraph(self.terms(f"format_{fmt.name}"), "List Bullet")
            self.number(item, num_id, 0)
        item.paragraph_format.space_after = self.doc.styles["Normal"].paragraph_format.space_after
        url = outputs.web_url(formats_url(self.document.meta.formats_url, self.job.style), self.document.slug)
        if not url:
            self.paragraph(self.terms("docx_ask_for_edition"), "Normal")
            return
        paragraph = self.doc.add_paragraph(style="Normal")
        self.fill(paragraph, self.terms.entries["docx_web_edition"], url=lambda: ooxml.hyperlink(paragraph, url, url))
        paragraph.paragraph_format.keep_with_next = True
        picture = self.doc.add_paragraph()
        side = Pt(self.look.sizes["body"] * 7)
        picture.add_run().add_picture(io.BytesIO(qr_png(url, self.look.colours["text"])), width=side, height=side)
        ooxml.describe_picture(picture, self.terms("docx_qr_alt", url=url))

    def publisher_contact(self) -> None:
        """The publisher's contact details and disclaimer, from the front matter."""
        meta = self.document.meta
        contact = meta.contact
        if contact is not None:
            self.paragraph(contact.heading, "Heading 1")
            if contact.address:
                address = self.doc.add_paragraph()
                address.add_run(contact.address_label).bold = True
                for line in contact.address:
                    run = address.add_run()
                    run.add_break()
                    run.add_text(line)
            for key in ("phone", "email", "website"):
                value = getattr(contact, key)
                if value:
                    paragraph = self.doc.add_paragraph()
                    paragraph.add_run(f"{self.terms(key)} ").bold = True
                    self.value(paragraph, key, value)
        if meta.disclaimer is not None:
            paragraph = self.doc.add_paragraph()
            if meta.disclaimer.link:
                self.link(paragraph, meta.disclaimer.text, meta.disclaimer.link)
            else:
                paragraph.add_run(meta.disclaimer.text)

    def footer(self) -> None:
        """"Page X of Y" (fields Word and LibreOffice fill in), the rights line,
        then the version and review dates when the source gives them."""
        footer = self.doc.sections[0].footer
        pages = footer.paragraphs[0]
        pages.style = self.doc.styles["Footer"]
        self.fill(pages, self.terms.entries["docx_page_of"],
                  **{name: (lambda code=code: ooxml.field(pages, code)) for name, code in FOOTER_FIELDS.items()})
        meta = self.document.meta
        footer.add_paragraph(meta.rights or self.terms("docx_rights", publisher=meta.publisher), style="Footer")
        review = self.review_line()
        if review:
            footer.add_paragraph(review, style="Footer")

    def review_line(self) -> str:
        """ "Version 2.1 · Reviewed January 2024 · Next review January 2027", of what the source gives."""
        meta, terms = self.document.meta, self.terms
        parts = [terms("docx_version", version=meta.version)] if meta.version else []
        for key, day in (("docx_reviewed", meta.reviewed), ("docx_next_review", meta.next_review)):
            if day:
                parts.append(terms(key, month=terms.month(dt.date.fromisoformat(day))))
        return REVIEW_SEPARATOR.join(parts)

    def draft_header(self) -> None:
        """A draft's mark at the top of every page (the sections share the header)."""
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.style = self.doc.styles["Header"]
        paragraph.add_run(self.terms("docx_draft"))

    # -- paragraphs and runs --------------------------------------------------------

    def paragraph(self, text: str, style: str):
        return self.spaced(self.doc.add_paragraph(text, style=style))

    def runs_paragraph(self, runs: Runs, style: str | None):
        paragraph = self.spaced(self.doc.add_paragraph(style=style))
        self.add_runs(paragraph, runs)
        return paragraph

    def spaced(self, paragraph):
        """A paragraph straight after a table is spaced from it (a table has no space after)."""
        if self.after_table and not paragraph.style.name.startswith("Heading"):
            paragraph.paragraph_format.space_before = self.doc.styles["Normal"].paragraph_format.space_after
        self.after_table = False
        return paragraph

    def add_runs(self, paragraph, runs: Runs) -> None:
        for run in runs:
            bold = run.strong or run.emphasis  # clear print: emphasis is bold, never italic
            if run.note is not None:  # a cited source: its number, raised, linked to it
                ooxml.internal_link(paragraph, str(run.note), note_bookmark(run.note), style="Note Reference")
            elif run.link and run.link.startswith("#"):  # a heading of this document
                ooxml.internal_link(paragraph, run.text, run.link[1:], bold=bold)
            elif run.link:
                self.link(paragraph, run.text, run.link, bold=bold)
            else:  # plain text, or a link with no target yet: its words only
                word_run = paragraph.add_run(run.text)
                if bold:
                    word_run.bold = True

    def link(self, paragraph, text: str, address: str, bold: bool = False) -> None:
        """A link to an outside address, with the address printed after its
        words (in brackets) unless the words are the address: a printed
        leaflet cannot be clicked."""
        ooxml.hyperlink(paragraph, text, address, bold=bold)
        shown = printed_address(text, address)
        if shown:
            paragraph.add_run(f" ({shown})")

    @staticmethod
    def fill(paragraph, template: str, **writers) -> None:
        """A term's words as runs, with each ``{name}`` written by ``writers[name]()``
        (a link, a page-number field) wherever the language puts it."""
        for text, name, _, _ in string.Formatter().parse(template):
            if text:
                paragraph.add_run(text)
            if name:
                writers[name]()


def qr_png(url: str, colour: str, module: int = 10, quiet_zone: int = 4) -> bytes:
    """A QR code as a PNG (reportlab encodes it, as for the PDF; Pillow draws it):
    square modules of ``module`` pixels in ``colour`` on white, with its quiet zone."""
    from PIL import Image as Picture
    from PIL import ImageDraw
    from reportlab.graphics.barcode.qr import QrCodeWidget

    code = QrCodeWidget(url, barLevel="M").qr
    code.make()
    count = code.getModuleCount()
    side = (count + 2 * quiet_zone) * module
    picture = Picture.new("RGB", (side, side), "white")
    draw = ImageDraw.Draw(picture)
    for row, cells in enumerate(code.modules):
        for column, dark in enumerate(cells):
            if dark:
                x, y = (column + quiet_zone) * module, (row + quiet_zone) * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=f"#{colour}")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
