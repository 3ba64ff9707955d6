"""Small pieces of WordprocessingML that python-docx has no API for: borders,
shading, fields, hyperlinks (to an address or to a bookmark), bookmarks, alt
text, table captions and header rows, write-in lines, section breaks and
right-to-left text.

Each helper writes its element where the schema wants it among its
siblings (Word refuses a file whose properties are out of order)."""

from __future__ import annotations

from collections.abc import Mapping

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CELL_MARGINS = 10.8  # points: a table cell's left and right margins together (Word's default, 108 twips each)

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


def insert_in_order(parent, child) -> None:
    order = _ORDER[parent.tag.rsplit("}", 1)[-1]]
    name = child.tag.rsplit("}", 1)[-1]
    later = order[order.index(name) + 1:]
    for existing in parent:
        if existing.tag.rsplit("}", 1)[-1] in later:
            existing.addprevious(child)
            return
    parent.append(child)


def remove(parent, tag: str) -> None:
    from docx.oxml.ns import qn

    if parent is not None:
        for element in parent.findall(qn(tag)):
            parent.remove(element)


def rgb(hex_colour: str):
    """python-docx's colour for "1F4E79"."""
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour)


def borders(p_pr, sides: Mapping[str, int], size: int, colour: str, kind: str = "single") -> None:
    """Paragraph borders: ``sides`` maps each side to its padding in points (at most 31)."""
    from docx.oxml import parse_xml

    remove(p_pr, "w:pBdr")
    edges = "".join(
        f'<w:{side} w:val="{kind}" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'
        for side, space in sides.items()
    )
    insert_in_order(p_pr, parse_xml(f'<w:pBdr xmlns:w="{W_NS}">{edges}</w:pBdr>'))


def shade(properties, fill: str) -> None:
    """A paragraph's or table cell's background."""
    from docx.oxml import parse_xml

    remove(properties, "w:shd")
    insert_in_order(properties, parse_xml(f'<w:shd xmlns:w="{W_NS}" w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def field(paragraph, instruction: str) -> None:
    """A complex field (begin, instruction, separate, result, end): Word and LibreOffice update it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(tag: str, **attributes):
        run = paragraph.add_run()._r
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        run.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText", **{"xml:space": "preserve"}).text = f" {instruction} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")  # the cached result, shown until the field is updated
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def hyperlink(paragraph, text: str, address: str, bold: bool = False) -> None:
    """A link to an outside address, in the Hyperlink character style."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    _link(paragraph, {qn("r:id"): r_id}, text, "Hyperlink", bold)


def internal_link(paragraph, text: str, bookmark_name: str, style: str = "Hyperlink", bold: bool = False) -> None:
    """A link to a bookmark in this document (w:anchor): Word and LibreOffice
    jump to it, and a PDF made from the file keeps it as an internal link."""
    from docx.oxml.ns import qn

    _link(paragraph, {qn("w:anchor"): bookmark_name, qn("w:history"): "1"}, text, style, bold)


def _link(paragraph, attributes: Mapping[str, str], text: str, style: str, bold: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.text.run import Run as WordRun

    element = OxmlElement("w:hyperlink")
    for name, value in attributes.items():
        element.set(name, value)
    paragraph._p.append(element)
    run = OxmlElement("w:r")
    element.append(run)
    word_run = WordRun(run, paragraph)
    word_run.text = text
    word_run.style = style
    if bold:
        word_run.bold = True


def bookmark(paragraph, name: str, number: int) -> None:
    """A bookmark around the paragraph's text, the target of internal links."""
    from docx.oxml.ns import qn

    p = paragraph._p
    start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): str(number), qn("w:name"): name})
    end = p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): str(number)})
    p_pr = p.find(qn("w:pPr"))
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def write_in_line(paragraph, colour: str) -> None:
    """A blank line to write on: an empty paragraph ruled underneath (and, in a
    run of them, between), so a screen reader meets a blank, not a row of
    underscores, and text typed in Word sits on the line."""
    borders(paragraph._p.get_or_add_pPr(), {"bottom": 1, "between": 1}, size=6, colour=colour)


def describe_picture(paragraph, alt: str) -> None:
    """The alt text Word's checker and screen readers read, on the paragraph's last picture."""
    doc_pr = paragraph._p.xpath(".//wp:docPr")[-1]
    doc_pr.set("descr", alt)
    doc_pr.set("title", alt)


def keep_row_whole(row, header: bool) -> None:
    """A row never split across pages; the first is marked as the header row."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # a header row, for Word's checker and screen readers


def set_widths(table, widths) -> None:
    """Fixed column widths (the grid and every cell), as Word and LibreOffice both honour them."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def describe_table(table, caption: str, description: str, colour: str) -> None:
    """A table's title and description (its alt text), its ruled borders, and
    the look that marks the first row and column as headers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)
    edges = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edges.append(edges.makeelement(qn(f"w:{side}"), {
            qn("w:val"): "single", qn("w:sz"): "8", qn("w:space"): "0", qn("w:color"): colour}))
    insert_in_order(tbl_pr, edges)
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "1")
        look.set(qn("w:firstColumn"), "1")


def section_break(doc, landscape: bool) -> None:
    """End the section here and start a new page in portrait or landscape; the
    new section shares the headers and footers. The break is carried by the
    last paragraph when there is one, so it adds no empty paragraph (after a
    table Word needs a paragraph of its own to carry it)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml.ns import qn

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    # add_section put the ending section's w:sectPr in a new, empty paragraph;
    # move it into the paragraph before when there is one.
    ending = doc.sections[-2]._sectPr
    carrier = ending.getparent().getparent()  # w:sectPr < w:pPr < w:p
    previous = carrier.getprevious()
    if previous is not None and previous.tag == qn("w:p"):
        previous.get_or_add_pPr().append(ending)
        carrier.getparent().remove(carrier)
    width, height = sorted((section.page_width, section.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)


RTL_CLASSES = ("R", "AL")  # Unicode bidi classes of right-to-left letters


def right_to_left(roots) -> None:
    """Mark a right-to-left document's paragraphs w:bidi, its tables
    w:bidiVisual (the first column on the right), and each run holding
    right-to-left letters w:rtl, so Word orders and shapes them."""
    import unicodedata

    from docx.oxml.ns import qn

    for root in roots:
        for p in root.iter(qn("w:p")):
            p_pr = p.get_or_add_pPr()
            if p_pr.find(qn("w:bidi")) is None:
                insert_in_order(p_pr, p_pr.makeelement(qn("w:bidi"), {}))
        for tbl_pr in root.iter(qn("w:tblPr")):
            if tbl_pr.find(qn("w:bidiVisual")) is None:
                insert_in_order(tbl_pr, tbl_pr.makeelement(qn("w:bidiVisual"), {}))
        for r in root.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if any(unicodedata.bidirectional(c) in RTL_CLASSES for c in text):
                r_pr = r.get_or_add_rPr()
                r_pr.get_or_add_rtl()
                if r_pr.find(qn("w:b")) is not None:
                    r_pr.get_or_add_bCs()  # bold, for the complex-script letters too


def complex_script_sizes(styles_root) -> None:
    """Give each style's complex-script text (w:szCs, w:bCs) the size and
    weight of its Latin text, which Word keeps apart."""
    from docx.oxml.ns import qn

    for r_pr in styles_root.iter(qn("w:rPr")):
        size = r_pr.find(qn("w:sz"))
        if size is not None and r_pr.find(qn("w:szCs")) is None:
            size.addnext(r_pr.makeelement(qn("w:szCs"), {qn("w:val"): size.get(qn("w:val"))}))
        bold = r_pr.find(qn("w:b"))
        if bold is not None and r_pr.find(qn("w:bCs")) is None:
            bold.addnext(r_pr.makeelement(qn("w:bCs"), dict(bold.attrib)))
