"""The document model as Word paragraphs, in reading order: the title, every
section's blocks (one ``visit_<Block>`` each), then the "Your local contact"
box, the other formats with their QR code, the publisher's contact details
and the footer. Every fixed word comes from the terms; every look from the
styles (``styles.py``)."""

from __future__ import annotations

import io
import string

from ...contract import Job
from ...local import LocalDetails
from ...model import Callout, Heading, Image, ListBlock, Paragraph, Quote, Runs
from ...style import formats_url
from ...visit import Visitor
from . import ooxml
from .styles import Look, box, new_list

# The rows of the "Your local contact" box, in order (LocalDetails' fields),
# and those the blank box shows for a family worker to type over.
LOCAL_ROWS = ("service", "address", "phone", "email", "website", "opening_hours")
PLACEHOLDER_ROWS = ("service", "address", "phone", "opening_hours")
FOOTER_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}  # the fields of the "Page X of Y" term


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

    def write(self) -> None:
        meta = self.document.meta
        self.paragraph(meta.title, "Title")
        if meta.subtitle:
            self.paragraph(meta.subtitle, "Subtitle")
        if meta.cover:
            self.visit(meta.cover)
        for section in self.document.sections:
            if section.heading is not None:
                self.visit(section.heading)
            self.visit_all(section.blocks)
        self.local_contact()
        self.other_formats()
        self.publisher_contact()
        self.footer()

    # -- blocks -----------------------------------------------------------------

    def visit_Heading(self, heading: Heading) -> list:
        # "##" is Heading 1 (the title uses Title); deeper headings follow,
        # never more than one level below the last, as Word's checker requires.
        level = max(1, min(heading.level - 1, self.heading_level + 1, 9))
        self.heading_level = level
        return [self.runs_paragraph(heading.runs, f"Heading {level}")]

    def visit_Paragraph(self, block: Paragraph) -> list:
        return [self.runs_paragraph(block.runs, "Callout Text" if self.boxed else None)]

    def visit_ListBlock(self, block: ListBlock) -> list:
        num_id = new_list(self.doc, block.ordered, block.start)
        style = "List Number" if block.ordered else "List Bullet"
        paragraphs = []
        for item in block.items:
            paragraph = self.runs_paragraph(item, style)
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
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

    # -- what every leaflet ends with ----------------------------------------------

    def local_contact(self) -> None:
        """The "Your local contact" table: labels left, the service's details (or placeholders) right.

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
        for number, (row, (key, lines, placeholder)) in enumerate(zip(table.rows, rows, strict=True)):
            ooxml.keep_row_whole(row, header=number == 0)
            label_cell, value_cell = row.cells
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
            label = label_cell.paragraphs[0]
            label.style = self.doc.styles["Table Text"]
            label.add_run(self.label(key)).bold = True
            value = value_cell.paragraphs[0]
            value.style = self.doc.styles["Table Text"]
            self.lines(value, lines, key, placeholder)
        for cell in table.rows[0].cells:
            ooxml.shade(cell._tc.get_or_add_tcPr(), self.look.colours["accent"])
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = ooxml.rgb(self.look.colours["background"])
                run.bold = True
        for row in table.rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        details = ", ".join(self.label(key).lower() for key, _, _ in rows)
        ooxml.describe_table(table, heading, self.terms("docx_local_description", details=details),
                             self.look.colours["accent"])

    def label(self, key: str) -> str:
        return self.terms(f"docx_local_{key}")

    def local_rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(key, lines, placeholder) for each row: a local edition's filled
        rows, else the blank box's placeholders."""
        if self.local is None:
            return [(key, (), self.terms(f"docx_placeholder_{key}")) for key in PLACEHOLDER_ROWS]
        rows = []
        for key in LOCAL_ROWS:
            value = getattr(self.local, key)
            lines = value if isinstance(value, tuple) else ((value,) if value else ())
            if lines:
                rows.append((key, lines, ""))
        return rows

    def lines(self, paragraph, lines: tuple[str, ...], key: str, placeholder: str) -> None:
        if not lines:
            paragraph.add_run(placeholder, style=self.doc.styles["Local Placeholder"])
            return
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            self.value(paragraph, key, line)

    def value(self, paragraph, key: str, value: str) -> None:
        if key == "email":
            ooxml.hyperlink(paragraph, value, f"mailto:{value}")
        elif key == "website" and value.startswith(("http://", "https://")):
            ooxml.hyperlink(paragraph, value, value)
        else:
            paragraph.add_run(value)

    def other_formats(self) -> None:
        """Where to download the other editions, with a QR code, when the address is known."""
        url = formats_url(self.document.meta.formats_url, self.job.style)
        if not url:
            return
        from docx.shared import Pt

        self.paragraph(self.terms("docx_other_formats"), "Heading 1")
        self.heading_level = 1
        paragraph = self.doc.add_paragraph(style="Normal")
        self.fill(paragraph, self.terms.entries["docx_other_formats_text"],
                  url=lambda: ooxml.hyperlink(paragraph, url, url))
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
                ooxml.hyperlink(paragraph, meta.disclaimer.text, meta.disclaimer.link)
            else:
                paragraph.add_run(meta.disclaimer.text)

    def footer(self) -> None:
        """"Page X of Y" (fields Word and LibreOffice fill in), then the rights line."""
        footer = self.doc.sections[0].footer
        pages = footer.paragraphs[0]
        pages.style = self.doc.styles["Footer"]
        self.fill(pages, self.terms.entries["docx_page_of"],
                  **{name: (lambda code=code: ooxml.field(pages, code)) for name, code in FOOTER_FIELDS.items()})
        meta = self.document.meta
        footer.add_paragraph(meta.rights or self.terms("docx_rights", publisher=meta.publisher), style="Footer")

    # -- paragraphs and runs --------------------------------------------------------

    def paragraph(self, text: str, style: str):
        return self.doc.add_paragraph(text, style=style)

    def runs_paragraph(self, runs: Runs, style: str | None):
        paragraph = self.doc.add_paragraph(style=style)
        self.add_runs(paragraph, runs)
        return paragraph

    def add_runs(self, paragraph, runs: Runs) -> None:
        for run in runs:
            if run.link:
                ooxml.hyperlink(paragraph, run.text, run.link, bold=run.strong or run.emphasis)
            else:  # plain text, or a link with no target yet: its words only
                word_run = paragraph.add_run(run.text)
                if run.strong or run.emphasis:  # clear print: emphasis is bold, never italic
                    word_run.bold = True

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
