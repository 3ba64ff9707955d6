"""The Word leaflet: an A4 clear-print leaflet family workers can print and make their own.

Three kinds of file come from one document:

- ``<slug>-leaflet.docx``: the standard edition (body 14 pt), with a
  "Your local contact" table holding placeholder text to type over in Word;
- ``<slug>-leaflet-large-print.docx``: the same at 18 pt;
- ``<slug>-leaflet-<name>.docx`` for each ``local/<name>.yaml``: the
  standard edition with that service's details filled in.

Everything a Word user (or their screen reader) relies on is a real style:
Title, Subtitle, Heading 1-3, List Bullet / List Number with real numbering
(each numbered list restarts), an upright Quote with a Quote Attribution, a
shaded Callout, a table with a marked header row. Sizes and colours come from
the ``docx:`` block of the house style. python-docx stamps the clock into the
zip and core properties; both are replaced by the build date, so two builds
of the same source are byte-identical.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from ..archive import reproducible_zip
from ..contract import Job, Written
from ..files import replacing
from ..local import LocalDetails
from ..model import Callout, Document, Heading, Image, ListBlock, Paragraph, Quote, Runs
from ..style import formats_url

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_POINT = 20
BOX_PADDING = 6  # points between the callout's text and its border
EXTRA_STYLES = ("Quote Attribution", "Callout Title", "Callout Text", "Table Text", "Local Placeholder")
# Styles kept even when this leaflet does not use them, so a family worker
# adding to it in Word finds them in the house style (by style id).
KEPT_STYLES = ("Heading2", "Heading3", "ListBullet", "ListNumber", "Quote", "QuoteAttribution", "CalloutTitle",
               "CalloutText", "TableText", "LocalPlaceholder", "Hyperlink", "Caption")
# Parts of python-docx's template that describe the template, not this leaflet.
DROPPED_RELATIONSHIPS = ("thumbnail", "stylesWithEffects", "customXml")
APP, THEME = "docProps/app.xml", "word/theme/theme1.xml"
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>publisher</Application><DocSecurity>0</DocSecurity></Properties>"
)


@dataclass(frozen=True)
class Edition:
    suffix: str  # "" for the standard file name, "-large-print", "-<local name>"
    sizes: Mapping[str, float]
    local: LocalDetails | None = None


def write(job: Job) -> Written:
    settings = job.style["docx"]
    local_editions: tuple[LocalDetails, ...] = job.options.get("local", ())  # read and checked by the build
    editions = [Edition("", settings["standard"]), Edition("-large-print", settings["large_print"])]
    editions += [Edition(f"-{local.name}", settings["standard"], local) for local in local_editions]
    files = []
    for edition in editions:
        target = job.path(f"{job.document.slug}-leaflet{edition.suffix}.docx")
        data = leaflet_bytes(job, edition)
        with replacing(target) as temporary:
            temporary.write_bytes(data)
        files.append(target)
    return Written(files=tuple(files), data={"editions": [f.name for f in files]})


def leaflet_bytes(job: Job, edition: Edition) -> bytes:
    leaflet = _Leaflet(job, edition)
    leaflet.write_document()
    buffer = io.BytesIO()
    leaflet.doc.save(buffer)
    data = buffer.getvalue()
    theme = zipfile.ZipFile(io.BytesIO(data)).read(THEME)
    replacements = {APP: APP_XML, THEME: _theme_in_house_font(theme, job.style["fonts"]["word"])}
    package = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(package.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
    return reproducible_zip(((name, replacements.get(name, package.read(name))) for name in names),
                            job.build_date, unix=False)


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


def _theme_in_house_font(theme: bytes, font: str) -> bytes:
    """The theme's heading and body fonts set to the house font, so text a
    family worker adds with Word's "Body" or "Headings" font matches too."""
    return re.sub(rb'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*', rb"\g<1>" + font.encode(), theme)


class _Leaflet:
    """One edition being written: the python-docx document and the house style."""

    def __init__(self, job: Job, edition: Edition):
        import docx

        self.job = job
        self.document: Document = job.document
        self.edition = edition
        self.house = job.style
        self.settings = job.style["docx"]
        self.sizes = edition.sizes
        self.colours = {name: value.lstrip("#").upper() for name, value in job.style["colours"].items()}
        self.doc = docx.Document()
        self.heading_level = 0  # the Word heading level last written, so none is skipped
        self._drop_template_parts()
        self._set_up_page()
        self._set_up_styles()
        self._set_up_numbering()

    # -- the document, in reading order ------------------------------------------

    def write_document(self) -> None:
        meta = self.document.meta
        self.paragraph(meta.title, "Title")
        if meta.subtitle:
            self.paragraph(meta.subtitle, "Subtitle")
        if meta.cover:
            self.image(meta.cover)
        for section in self.document.sections:
            if section.heading is not None:
                self.heading(section.heading)
            for block in section.blocks:
                self.block(block)
        self.local_contact()
        self.other_formats()
        self.publisher_contact()
        self.footer()
        self._set_core_properties()
        self._prune_styles()

    def block(self, block, boxed: bool = False) -> list:
        """Write one block; return its paragraphs (a callout boxes them)."""
        if isinstance(block, Heading):
            return [self.heading(block)]
        if isinstance(block, Paragraph):
            return [self.runs_paragraph(block.runs, "Callout Text" if boxed else None)]
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Quote):
            return self.quote(block)
        if isinstance(block, Callout):
            return self.callout(block)
        if isinstance(block, Image):
            return self.image(block)
        raise TypeError(f"the Word leaflet cannot write {type(block).__name__}")

    def heading(self, heading: Heading):
        # "##" is Heading 1 (the title uses Title); deeper headings follow,
        # never more than one level below the last, as Word's checker requires.
        level = max(1, min(heading.level - 1, self.heading_level + 1, 9))
        self.heading_level = level
        return self.runs_paragraph(heading.runs, f"Heading {level}")

    def list_block(self, block: ListBlock) -> list:
        # Each list gets its own numbering instance, so numbers restart at
        # ``start`` for every list instead of continuing the last one.
        num_id = self._new_list(block.ordered, block.start)
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

    def quote(self, quote: Quote) -> list:
        paragraphs = [self.runs_paragraph(p.runs, "Quote") for p in quote.paragraphs]
        if quote.attribution:
            attribution = self.doc.add_paragraph("— ", style="Quote Attribution")
            self.add_runs(attribution, quote.attribution)
            paragraphs.append(attribution)
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True  # a quote never loses its attribution
        return paragraphs

    def callout(self, callout: Callout) -> list:
        paragraphs = [self.paragraph(callout.title, "Callout Title")] if callout.title else []
        for block in callout.blocks:
            for paragraph in self.block(block, boxed=True):
                if paragraph.style.name not in ("Callout Title", "Callout Text"):
                    self._into_box(paragraph)  # lists, quotes and headings inside the box
                paragraphs.append(paragraph)
        for paragraph in paragraphs:
            paragraph.paragraph_format.keep_together = True
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True  # the box stays on one page
        return paragraphs

    def image(self, image: Image) -> list:
        from docx.shared import Mm

        paragraph = self.doc.add_paragraph()
        width = self.doc.sections[0].page_width - 2 * Mm(self.settings["margin_mm"])
        picture = paragraph.add_run().add_picture(str(image.path))
        if picture.width > width:
            picture.height = int(picture.height * width / picture.width)
            picture.width = width
        self._describe_picture(paragraph, image.alt)
        paragraphs = [paragraph]
        if image.caption:
            paragraph.paragraph_format.keep_with_next = True
            paragraphs.append(self.paragraph(image.caption, "Caption"))
        return paragraphs

    def local_contact(self) -> None:
        """The "Your local contact" table: labels left, the service's details (or placeholders) right.

        The first row (the service's name) is the marked header row, so a
        screen reader announces the service with every detail below it.
        """
        from docx.shared import Mm, Pt

        labels = self.settings["local_contact"]
        self.paragraph(labels["heading"], "Heading 1")
        self.heading_level = 1
        rows = self._local_rows()
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        text_width = self.doc.sections[0].page_width - 2 * Mm(self.settings["margin_mm"])
        label_width = Pt(self.sizes["body"] * 9)  # room for "Opening hours" in bold
        widths = (label_width, text_width - label_width)
        for column, width in zip(table.columns, widths):
            column.width = width
        for number, (row, (key, lines, placeholder)) in enumerate(zip(table.rows, rows)):
            self._row_properties(row, header=number == 0)
            label_cell, value_cell = row.cells
            for cell, width in zip(row.cells, widths):
                cell.width = width
            label = label_cell.paragraphs[0]
            label.style = self.doc.styles["Table Text"]
            label.add_run(labels[key]).bold = True
            value = value_cell.paragraphs[0]
            value.style = self.doc.styles["Table Text"]
            self._lines(value, lines, key, placeholder)
        header = table.rows[0]
        for cell in header.cells:
            self._shade(cell._tc.get_or_add_tcPr(), self.colours["accent"])
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = _rgb(self.colours["background"])
                run.bold = True
        for row in table.rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        self._describe_table(table, labels["heading"],
                             "Contact details of your local service: " + ", ".join(
                                 labels[key].lower() for key, _, _ in rows) + ".")

    def other_formats(self) -> None:
        """Where to download the other editions, with a QR code, when the address is known."""
        url = formats_url(self.document.meta.formats_url, self.house)
        if not url:
            return
        from docx.shared import Pt

        words = self.settings["other_formats"]
        self.paragraph(words["heading"], "Heading 1")
        self.heading_level = 1
        paragraph = self.paragraph(words["text"] + " ", "Normal")
        self._hyperlink(paragraph, url, url)
        paragraph.add_run(" " + words["scan"])
        paragraph.paragraph_format.keep_with_next = True
        picture = self.doc.add_paragraph()
        side = Pt(self.sizes["body"] * 7)
        picture.add_run().add_picture(io.BytesIO(qr_png(url, self.colours["text"])), width=side, height=side)
        self._describe_picture(picture, f"QR code: a link to {url}")

    def publisher_contact(self) -> None:
        """The publisher's contact details and disclaimer, from the front matter."""
        meta = self.document.meta
        contact = meta.contact
        labels = self.settings["local_contact"]
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
                    paragraph.add_run(f"{labels[key]}: ").bold = True
                    self._value(paragraph, key, value)
        if meta.disclaimer is not None:
            paragraph = self.doc.add_paragraph()
            self._link_or_text(paragraph, meta.disclaimer.text, meta.disclaimer.link)

    def footer(self) -> None:
        """"Page X of Y" (fields Word and LibreOffice fill in), then the rights line."""
        footer = self.doc.sections[0].footer
        pages = footer.paragraphs[0]
        pages.style = self.doc.styles["Footer"]
        pages.add_run("Page ")
        self._field(pages, "PAGE")
        pages.add_run(" of ")
        self._field(pages, "NUMPAGES")
        rights = self.document.meta.rights or f"© {self.document.meta.publisher}"
        footer.add_paragraph(rights, style="Footer")

    # -- paragraphs and runs ---------------------------------------------------

    def paragraph(self, text: str, style: str):
        return self.doc.add_paragraph(text, style=style)

    def runs_paragraph(self, runs: Runs, style: str | None):
        paragraph = self.doc.add_paragraph(style=style)
        self.add_runs(paragraph, runs)
        return paragraph

    def add_runs(self, paragraph, runs: Runs) -> None:
        for run in runs:
            if run.link:
                self._hyperlink(paragraph, run.text, run.link, bold=run.strong or run.emphasis)
            else:  # plain text, or a link with no target yet: its words only
                word_run = paragraph.add_run(run.text)
                if run.strong or run.emphasis:  # clear print: emphasis is bold, never italic
                    word_run.bold = True

    def _link_or_text(self, paragraph, text: str, link: str | None) -> None:
        if link:
            self._hyperlink(paragraph, text, link)
        else:
            paragraph.add_run(text)

    def _hyperlink(self, paragraph, text: str, address: str, bold: bool = False) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        r_id = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), r_id)
        paragraph._p.append(hyperlink)
        run = OxmlElement("w:r")
        hyperlink.append(run)
        from docx.text.run import Run as WordRun

        word_run = WordRun(run, paragraph)
        word_run.text = text
        word_run.style = self.doc.styles["Hyperlink"]
        if bold:
            word_run.bold = True

    def _describe_picture(self, paragraph, alt: str) -> None:
        doc_pr = paragraph._p.xpath(".//wp:docPr")[-1]
        doc_pr.set("descr", alt)  # the alt text Word's checker and screen readers read
        doc_pr.set("title", alt)

    def _lines(self, paragraph, lines: tuple[str, ...], key: str, placeholder: str) -> None:
        if not lines:
            paragraph.add_run(placeholder, style=self.doc.styles["Local Placeholder"])
            return
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            self._value(paragraph, key, line)

    def _value(self, paragraph, key: str, value: str) -> None:
        if key == "email":
            self._hyperlink(paragraph, value, f"mailto:{value}")
        elif key == "website" and value.startswith(("http://", "https://")):
            self._hyperlink(paragraph, value, value)
        else:
            paragraph.add_run(value)

    def _local_rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(key, lines, placeholder) for each row; empty lines show the placeholder."""
        local, placeholders = self.edition.local, self.settings["placeholders"]
        if local is None:
            return [(key, (), text) for key, text in placeholders.items()]
        rows = []
        for key in self.settings["local_contact"]:
            if key == "heading":
                continue
            value = getattr(local, key)
            lines = value if isinstance(value, tuple) else ((value,) if value else ())
            if lines:
                rows.append((key, lines, ""))
        return rows

    def _field(self, paragraph, instruction: str) -> None:
        """A complex field (begin, instruction, separate, result, end): Word and LibreOffice update it."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def run_with(tag: str, **attributes) -> None:
            run = paragraph.add_run()._r
            element = OxmlElement(tag)
            for name, value in attributes.items():
                element.set(qn(name), value)
            run.append(element)
            return element

        run_with("w:fldChar", **{"w:fldCharType": "begin"})
        instr = run_with("w:instrText", **{"xml:space": "preserve"})
        instr.text = f" {instruction} "
        run_with("w:fldChar", **{"w:fldCharType": "separate"})
        paragraph.add_run("1")  # the cached result, shown until the field is updated
        run_with("w:fldChar", **{"w:fldCharType": "end"})

    # -- set-up: page, styles, numbering, properties ------------------------------

    def _drop_template_parts(self) -> None:
        """Remove the template's thumbnail (a picture of an empty page), its
        second copy of the styles and its custom XML: python-docx saves only
        the parts still related, and lists them in [Content_Types].xml."""
        package = self.doc.part.package
        for owner in (package, self.doc.part):
            for r_id, relationship in list(owner.rels.items()):
                if relationship.reltype.rsplit("/", 1)[-1] in DROPPED_RELATIONSHIPS:
                    del owner.rels[r_id]
        settings = self.doc.settings.element
        for element in settings.findall(f"{{{W_NS}}}savePreviewPicture"):
            settings.remove(element)
        for element in settings.findall(f"{{{W_NS}}}themeFontLang"):
            element.set(f"{{{W_NS}}}val", self.document.meta.language)

    def _set_up_page(self) -> None:
        from docx.shared import Mm

        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        margin = Mm(self.settings["margin_mm"])
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
        section.header_distance = section.footer_distance = Mm(10)

    def _set_up_styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Pt

        styles = self.doc.styles
        root = styles.element
        # Clear print: no italics or underlining anywhere, and no theme fonts
        # (Calibri, Cambria) sneaking in under a style: every style inherits
        # the house font and complex-script size from the document defaults.
        # Linked character styles ("Heading 1 Char") would keep the
        # template's colours and sizes, so the links go too.
        for tag in ("w:i", "w:iCs", "w:u", "w:szCs", "w:link"):
            for element in list(root.iter(qn(tag))):
                element.getparent().remove(element)
        for expanded in list(root.iterfind(".//w:rPr/w:spacing", {"w": W_NS})):
            expanded.getparent().remove(expanded)  # letter-spacing: clear print keeps it normal
        for fonts in list(root.iter(qn("w:rFonts"))):
            fonts.getparent().remove(fonts)
        self._set_defaults(root)

        for name, kind in zip(EXTRA_STYLES, (WD_STYLE_TYPE.PARAGRAPH,) * 4 + (WD_STYLE_TYPE.CHARACTER,)):
            if name not in styles:
                styles.add_style(name, kind)
        if "Hyperlink" not in styles:
            styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)

        body, accent, text = self.sizes["body"], _rgb(self.colours["accent"]), _rgb(self.colours["text"])
        self.hanging = Pt(round(body * 1.3))  # a list marker's room; also the callout box's side padding
        self.box_indent = Pt(round(body * 0.6) + self.hanging.pt)
        space = Pt(body * self.settings["paragraph_space"])

        def paragraph_style(name, size=body, bold=None, colour=text, before=0, after=space, base=None):
            style = styles[name]
            if base:
                style.base_style = styles[base]
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.italic = False  # written explicitly: the Quote style must be upright
            style.font.color.rgb = colour
            fmt = style.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt.space_before, fmt.space_after = before, after
            return style

        paragraph_style("Normal")
        title = paragraph_style("Title", self.sizes["title"], True, accent, after=Pt(body * 0.4))
        title.paragraph_format.line_spacing = 1.0
        title.font.underline = False
        self._borders(title.element.get_or_add_pPr(), {"bottom": 4}, size=12)
        subtitle = paragraph_style("Subtitle", self.sizes["subtitle"], False, text, after=Pt(body * 1.2))
        _remove(subtitle.element.pPr, "w:numPr")  # the template numbers its subtitle; ours is plain text
        for level in range(1, 10):
            size = self.sizes[f"heading{min(level, 3)}"]
            heading = paragraph_style(f"Heading {level}", size, True, accent,
                                      before=Pt(body * (1.4 if level == 1 else 1.0)), after=Pt(body * 0.4))
            heading.paragraph_format.keep_with_next = True
        quote = paragraph_style("Quote", after=Pt(body * 0.3))
        quote.paragraph_format.left_indent = Pt(body * 1.5)
        self._bar(quote.element.get_or_add_pPr())
        attribution = paragraph_style("Quote Attribution", base="Quote", after=space)
        attribution.paragraph_format.left_indent = Pt(body * 1.5)
        # No rule beside the attribution: it closes its quote, so two quotes
        # in a row read as two (the rules of adjacent paragraphs join).
        self._borders(attribution.element.get_or_add_pPr(), {"left": 0}, size=0, kind="nil")
        for name in ("Callout Title", "Callout Text"):
            callout = paragraph_style(name, bold=True if name == "Callout Title" else None,
                                      colour=accent if name == "Callout Title" else text,
                                      base="Normal", after=space)
            callout.paragraph_format.left_indent = callout.paragraph_format.right_indent = self.box_indent
            self._box(callout.element.get_or_add_pPr())
        styles["Callout Title"].paragraph_format.space_before = Pt(body * 0.6)
        for name in ("List Bullet", "List Number"):
            _remove(paragraph_style(name, after=Pt(body * 0.25)).element.pPr, "w:contextualSpacing")
        paragraph_style("Table Text", base="Normal", before=Pt(body * 0.25), after=Pt(body * 0.25))
        paragraph_style("Caption", after=space)
        footer = paragraph_style("Footer", self.sizes["footer"], after=0)
        _remove(footer.element.pPr, "w:tabs")

        hyperlink = styles["Hyperlink"]
        hyperlink.font.bold, hyperlink.font.italic, hyperlink.font.underline = True, False, False
        hyperlink.font.color.rgb = accent
        placeholder = styles["Local Placeholder"]
        placeholder.font.bold, placeholder.font.italic = True, False
        placeholder.font.color.rgb = accent
        for name in ("Local Placeholder", "Hyperlink", *EXTRA_STYLES[:4]):
            styles[name].quick_style = True  # shown in Word's style gallery

    def _set_defaults(self, root) -> None:
        """Font, size, colour and language for everything, in the document defaults."""
        from docx.oxml import parse_xml

        font, body = self.house["fonts"]["word"], round(self.sizes["body"] * 2)
        language = self.document.meta.language
        line = round(240 * self.settings["line_spacing"])
        defaults = parse_xml(
            f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
            f'<w:color w:val="{self.colours["text"]}"/>'
            f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
            f'<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="{language}"/>'
            f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
            f'<w:spacing w:after="0" w:line="{line}" w:lineRule="auto"/><w:jc w:val="left"/>'
            f'</w:pPr></w:pPrDefault></w:docDefaults>'
        )
        old = root.find(f"{{{W_NS}}}docDefaults")
        old.addprevious(defaults)
        root.remove(old)

    def _set_up_numbering(self) -> None:
        """Two list definitions (bullet, decimal); every list gets its own instance of one."""
        from docx.oxml import parse_xml

        numbering = self.doc.part.numbering_part.element
        for child in list(numbering):
            numbering.remove(child)
        body = self.sizes["body"]
        left, hanging = round(body * 2.2 * TWIPS_PER_POINT), round(self.hanging.pt * TWIPS_PER_POINT)
        font = self.house["fonts"]["word"]
        for abstract_id, (kind, text) in enumerate((("bullet", "•"), ("decimal", "%1.")), start=1):
            numbering.append(parse_xml(
                f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
                f'<w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/></w:rPr>'
                f'</w:lvl></w:abstractNum>'
            ))
        self._abstract = {False: 1, True: 2}
        # The styles point at a base instance, so a list typed in Word with
        # the List Bullet / List Number style is numbered too.
        for name, ordered in (("List Bullet", False), ("List Number", True)):
            num_pr = self.doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_numId().val = numbering.add_num(self._abstract[ordered]).numId

    def _new_list(self, ordered: bool, start: int) -> int:
        num = self.doc.part.numbering_part.element.add_num(self._abstract[ordered])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    def _set_core_properties(self) -> None:
        meta = self.document.meta
        properties = self.doc.core_properties
        properties.title = meta.title
        properties.subject = meta.subject or meta.subtitle
        properties.author = "; ".join(meta.authors) or meta.publisher
        properties.keywords = ", ".join(meta.keywords)
        properties.comments = meta.description
        properties.language = meta.language
        properties.identifier = meta.identifier
        properties.version = meta.version
        properties.category = "Leaflet"
        properties.last_modified_by = meta.publisher
        properties.revision = 1
        date = self.job.build_date.replace(tzinfo=None, microsecond=0)
        properties.created = properties.modified = date

    def _prune_styles(self) -> None:
        """Keep the styles this leaflet uses (and those they build on), not the
        template's 160: Word's style pane then shows the house style only."""
        from docx.oxml.ns import qn

        root = self.doc.styles.element
        parts = [self.doc.element, *(s.footer._element for s in self.doc.sections)]
        wanted = {
            element.get(qn("w:val"))
            for part in parts
            for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
            for element in part.iter(qn(tag))
        }
        wanted |= set(KEPT_STYLES)
        by_id = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
        pending = [i for i in wanted if i in by_id] + [
            i for i, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")]
        keep: set[str] = set()
        while pending:
            style_id = pending.pop()
            if style_id in keep or style_id not in by_id:
                continue
            keep.add(style_id)
            for tag in ("w:basedOn", "w:next"):
                for element in by_id[style_id].findall(qn(tag)):
                    pending.append(element.get(qn("w:val")))
        for style_id, style in by_id.items():
            if style_id not in keep:
                root.remove(style)

    # -- small pieces of WordprocessingML ----------------------------------------

    def _box(self, p_pr) -> None:
        """The callout's shaded, ruled box: paragraph borders and shading, which
        Word and LibreOffice join into one box across adjacent paragraphs with
        the same borders and indents (no floating text box, so it reflows and
        screen readers read it in place). The sides are padded by a list's
        hanging indent, so a bullet inside the box hangs inside it too."""
        side = round(self.hanging.pt) + BOX_PADDING
        self._borders(p_pr, {"top": BOX_PADDING, "left": side, "bottom": BOX_PADDING, "right": side}, size=12)
        self._shade(p_pr, self.colours["tint"])

    def _into_box(self, paragraph) -> None:
        """Put a list item, quote or heading inside a callout: the box's borders
        and the box's indents (a list item's marker hangs into the padding)."""
        self._box(paragraph._p.get_or_add_pPr())
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = self.box_indent
        if paragraph.style.name.startswith("List"):
            fmt.first_line_indent = -self.hanging

    def _bar(self, p_pr) -> None:
        """The quote's rule down its left side."""
        self._borders(p_pr, {"left": 12}, size=24)

    def _borders(self, p_pr, sides: Mapping[str, int], size: int, kind: str = "single") -> None:
        """Paragraph borders: ``sides`` maps each side to its padding in points (at most 31)."""
        from docx.oxml import parse_xml

        _remove(p_pr, "w:pBdr")
        edges = "".join(
            f'<w:{side} w:val="{kind}" w:sz="{size}" w:space="{space}" w:color="{self.colours["accent"]}"/>'
            for side, space in sides.items()
        )
        borders = parse_xml(f'<w:pBdr xmlns:w="{W_NS}">{edges}</w:pBdr>')
        _insert_in_order(p_pr, borders)

    def _shade(self, properties, fill: str) -> None:
        from docx.oxml import parse_xml

        _remove(properties, "w:shd")
        _insert_in_order(properties, parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="{fill}"/>'))

    def _row_properties(self, row, header: bool) -> None:
        from docx.oxml import OxmlElement

        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))  # a header row, for Word's checker and screen readers

    def _describe_table(self, table, caption: str, description: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tbl_pr = table._tbl.tblPr
        for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            tbl_pr.append(element)
        borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = borders.makeelement(qn(f"w:{side}"), {
                qn("w:val"): "single", qn("w:sz"): "8", qn("w:space"): "0", qn("w:color"): self.colours["accent"]})
            borders.append(edge)
        _insert_in_order(tbl_pr, borders)
        look = tbl_pr.find(qn("w:tblLook"))
        if look is not None:
            look.set(qn("w:firstRow"), "1")
            look.set(qn("w:firstColumn"), "1")


# Child order inside w:pPr, w:tcPr and w:tblPr that the schema (and Word) insist on.
_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription"),
}


def _insert_in_order(parent, child) -> None:
    order = _ORDER[parent.tag.rsplit("}", 1)[-1]]
    name = child.tag.rsplit("}", 1)[-1]
    later = order[order.index(name) + 1:]
    for existing in parent:
        if existing.tag.rsplit("}", 1)[-1] in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _remove(parent, tag: str) -> None:
    from docx.oxml.ns import qn

    if parent is not None:
        for element in parent.findall(qn(tag)):
            parent.remove(element)


def _rgb(hex_colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour)

