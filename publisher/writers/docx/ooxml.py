"""Small pieces of WordprocessingML that python-docx has no API for: borders,
shading, fields, hyperlinks, alt text, table captions and header rows.

Each helper writes its element where the schema wants it among its
siblings (Word refuses a file whose properties are out of order)."""

from __future__ import annotations

from collections.abc import Mapping

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run as WordRun

    r_id = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), r_id)
    paragraph._p.append(element)
    run = OxmlElement("w:r")
    element.append(run)
    word_run = WordRun(run, paragraph)
    word_run.text = text
    word_run.style = "Hyperlink"
    if bold:
        word_run.bold = True


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
