"""The house style as Word styles: page, document defaults, paragraph and
character styles, list numbering, and the styles a leaflet keeps.

Everything a Word user (or their screen reader) relies on is a real style:
Title, Subtitle, Heading 1-9, List Bullet / List Number with real numbering,
an upright Quote with a Quote Attribution, a shaded Callout, Table Text and a
Local Placeholder. Sizes and colours come from the ``docx:`` block of the
house style (``Look``); no words are set here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...style import Style
from .ooxml import W_NS, borders, remove, rgb, shade

TWIPS_PER_POINT = 20
BOX_PADDING = 6  # points between the callout's text and its border
# Styles the template lacks: four paragraph styles, then one character style.
EXTRA_STYLES = ("Quote Attribution", "Callout Title", "Callout Text", "Table Text", "Local Placeholder")
# Styles kept even when this leaflet does not use them, so a family worker
# adding to it in Word finds them in the house style (by style id).
KEPT_STYLES = ("Heading2", "Heading3", "ListBullet", "ListNumber", "Quote", "QuoteAttribution", "CalloutTitle",
               "CalloutText", "TableText", "LocalPlaceholder", "Hyperlink", "Caption")
ABSTRACT_LIST = {False: 1, True: 2}  # bullet and decimal list definitions, by "ordered"


@dataclass(frozen=True)
class Look:
    """The house style for one edition, in the units Word is written in."""

    font: str
    colours: Mapping[str, str]  # "1F4E79": Word's colours have no "#"
    sizes: Mapping[str, float]  # points: body, title, subtitle, heading1-3, footer
    margin_mm: float
    line_spacing: float  # a multiple of single spacing
    paragraph_space: float  # space after a paragraph, as a multiple of the body size

    @classmethod
    def of(cls, style: Style, sizes: Mapping[str, float]) -> Look:
        settings = style["docx"]
        return cls(style["fonts"]["word"],
                   {name: value.lstrip("#").upper() for name, value in style["colours"].items()},
                   sizes, settings["margin_mm"], settings["line_spacing"], settings["paragraph_space"])

    @property
    def hanging(self):
        """A list marker's room; also the callout box's side padding."""
        from docx.shared import Pt

        return Pt(round(self.sizes["body"] * 1.3))

    @property
    def box_indent(self):
        """How far a callout's text sits in from the margins, inside its box."""
        from docx.shared import Pt

        return Pt(round(self.sizes["body"] * 0.6) + self.hanging.pt)

    def text_width(self, doc):
        from docx.shared import Mm

        return doc.sections[0].page_width - 2 * Mm(self.margin_mm)


def set_up_page(doc, look: Look) -> None:
    """A4 with the house margins."""
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margin = Mm(look.margin_mm)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Mm(10)


def set_up_styles(doc, look: Look, language: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles
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
    _set_defaults(root, look, language)

    for name, kind in zip(EXTRA_STYLES, (WD_STYLE_TYPE.PARAGRAPH,) * 4 + (WD_STYLE_TYPE.CHARACTER,), strict=True):
        if name not in styles:
            styles.add_style(name, kind)
    if "Hyperlink" not in styles:
        styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)

    body, accent, text = look.sizes["body"], rgb(look.colours["accent"]), rgb(look.colours["text"])
    space = Pt(body * look.paragraph_space)

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
    title = paragraph_style("Title", look.sizes["title"], True, accent, after=Pt(body * 0.4))
    title.paragraph_format.line_spacing = 1.0
    title.font.underline = False
    borders(title.element.get_or_add_pPr(), {"bottom": 4}, size=12, colour=look.colours["accent"])
    subtitle = paragraph_style("Subtitle", look.sizes["subtitle"], False, text, after=Pt(body * 1.2))
    remove(subtitle.element.pPr, "w:numPr")  # the template numbers its subtitle; ours is plain text
    for level in range(1, 10):
        size = look.sizes[f"heading{min(level, 3)}"]
        heading = paragraph_style(f"Heading {level}", size, True, accent,
                                  before=Pt(body * (1.4 if level == 1 else 1.0)), after=Pt(body * 0.4))
        heading.paragraph_format.keep_with_next = True
    quote = paragraph_style("Quote", after=Pt(body * 0.3))
    quote.paragraph_format.left_indent = Pt(body * 1.5)
    # The quote's rule down its left side.
    borders(quote.element.get_or_add_pPr(), {"left": 12}, size=24, colour=look.colours["accent"])
    attribution = paragraph_style("Quote Attribution", base="Quote", after=space)
    attribution.paragraph_format.left_indent = Pt(body * 1.5)
    # No rule beside the attribution: it closes its quote, so two quotes
    # in a row read as two (the rules of adjacent paragraphs join).
    borders(attribution.element.get_or_add_pPr(), {"left": 0}, size=0, colour=look.colours["accent"], kind="nil")
    for name in ("Callout Title", "Callout Text"):
        callout = paragraph_style(name, bold=True if name == "Callout Title" else None,
                                  colour=accent if name == "Callout Title" else text,
                                  base="Normal", after=space)
        callout.paragraph_format.left_indent = callout.paragraph_format.right_indent = look.box_indent
        box(callout.element.get_or_add_pPr(), look)
    styles["Callout Title"].paragraph_format.space_before = Pt(body * 0.6)
    for name in ("List Bullet", "List Number"):
        remove(paragraph_style(name, after=Pt(body * 0.25)).element.pPr, "w:contextualSpacing")
    paragraph_style("Table Text", base="Normal", before=Pt(body * 0.25), after=Pt(body * 0.25))
    paragraph_style("Caption", after=space)
    footer = paragraph_style("Footer", look.sizes["footer"], after=0)
    remove(footer.element.pPr, "w:tabs")

    hyperlink = styles["Hyperlink"]
    hyperlink.font.bold, hyperlink.font.italic, hyperlink.font.underline = True, False, False
    hyperlink.font.color.rgb = accent
    placeholder = styles["Local Placeholder"]
    placeholder.font.bold, placeholder.font.italic = True, False
    placeholder.font.color.rgb = accent
    for name in ("Local Placeholder", "Hyperlink", *EXTRA_STYLES[:4]):
        styles[name].quick_style = True  # shown in Word's style gallery


def _set_defaults(root, look: Look, language: str) -> None:
    """Font, size, colour and language for everything, in the document defaults."""
    from docx.oxml import parse_xml

    font, body = look.font, round(look.sizes["body"] * 2)
    line = round(240 * look.line_spacing)
    defaults = parse_xml(
        f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'<w:color w:val="{look.colours["text"]}"/>'
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        f'<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="{language}"/>'
        f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        f'<w:spacing w:after="0" w:line="{line}" w:lineRule="auto"/><w:jc w:val="left"/>'
        f'</w:pPr></w:pPrDefault></w:docDefaults>'
    )
    old = root.find(f"{{{W_NS}}}docDefaults")
    old.addprevious(defaults)
    root.remove(old)


def box(p_pr, look: Look) -> None:
    """The callout's shaded, ruled box: paragraph borders and shading, which
    Word and LibreOffice join into one box across adjacent paragraphs with
    the same borders and indents (no floating text box, so it reflows and
    screen readers read it in place). The sides are padded by a list's
    hanging indent, so a bullet inside the box hangs inside it too."""
    side = round(look.hanging.pt) + BOX_PADDING
    borders(p_pr, {"top": BOX_PADDING, "left": side, "bottom": BOX_PADDING, "right": side}, size=12,
            colour=look.colours["accent"])
    shade(p_pr, look.colours["tint"])


def set_up_numbering(doc, look: Look) -> None:
    """Two list definitions (bullet, decimal); every list gets its own instance of one."""
    from docx.oxml import parse_xml

    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    left, hanging = round(look.sizes["body"] * 2.2 * TWIPS_PER_POINT), round(look.hanging.pt * TWIPS_PER_POINT)
    font = look.font
    for ordered, (kind, text) in ((False, ("bullet", "•")), (True, ("decimal", "%1."))):
        numbering.append(parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{ABSTRACT_LIST[ordered]}">'
            f'<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/></w:rPr>'
            f'</w:lvl></w:abstractNum>'
        ))
    # The styles point at a base instance, so a list typed in Word with
    # the List Bullet / List Number style is numbered too.
    for name, ordered in (("List Bullet", False), ("List Number", True)):
        num_pr = doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = numbering.add_num(ABSTRACT_LIST[ordered]).numId


def new_list(doc, ordered: bool, start: int) -> int:
    """A numbering instance of its own, so a list restarts at ``start``
    instead of continuing the last one; its numId."""
    num = doc.part.numbering_part.element.add_num(ABSTRACT_LIST[ordered])
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def prune_styles(doc) -> None:
    """Keep the styles this leaflet uses (and those they build on), not the
    template's 160: Word's style pane then shows the house style only."""
    from docx.oxml.ns import qn

    root = doc.styles.element
    parts = [doc.element, *(s.footer._element for s in doc.sections)]
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
