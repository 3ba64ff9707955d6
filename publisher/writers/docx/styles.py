"""The house style as Word styles: page, document defaults, paragraph and
character styles, list numbering, and the styles a leaflet keeps.

Everything a Word user (or their screen reader) relies on is a real style:
Title, Subtitle, Heading 1-9, List Bullet / List Number with real numbering
two levels deep, an upright Quote with a Quote Attribution, a shaded Callout,
Table Text and Table Heading, a Caption above each table, Write-in Line for
the local box a family worker fills in by hand, Note Reference for the
numbers that cite a source, and a Header for the draft marking. Sizes and
colours come from the ``docx:`` block of the house style (``Look``); no words
are set here. The document's language and, for a right-to-left script, its
direction and complex-script font are set once, in the document defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...style import Style
from .ooxml import W_NS, borders, complex_script_sizes, remove, rgb, shade
from .scripts import Writing

TWIPS_PER_POINT = 20
BOX_PADDING = 6  # points between the callout's text and its border
# Styles the template lacks: paragraph styles, then character styles.
EXTRA_PARAGRAPH_STYLES = ("Quote Attribution", "Callout Title", "Callout Text", "Table Text", "Table Heading",
                          "Write-in Line")
EXTRA_CHARACTER_STYLES = ("Note Reference", "Hyperlink")
# Styles kept even when this leaflet does not use them, so a family worker
# adding to it in Word finds them in the house style (by style id).
KEPT_STYLES = ("Heading2", "Heading3", "ListBullet", "ListNumber", "Quote", "QuoteAttribution", "CalloutTitle",
               "CalloutText", "TableText", "TableHeading", "Hyperlink", "Caption")
# The list definitions, by (top level numbered, nested level numbered): a
# bullet or a number at level 0, each with its own bullet or number at level 1.
ABSTRACT_LIST = {(False, False): 1, (True, False): 2, (False, True): 3, (True, True): 4}
LEVEL_MARKERS = {(False, 0): ("bullet", "•"), (True, 0): ("decimal", "%1."),
                 (False, 1): ("bullet", "–"), (True, 1): ("decimal", "%2.")}


@dataclass(frozen=True)
class Look:
    """The house style for one edition, in the units Word is written in."""

    font: str
    writing: Writing  # the language's script: its direction and complex-script font
    colours: Mapping[str, str]  # "1F4E79": Word's colours have no "#"
    sizes: Mapping[str, float]  # points: body, title, subtitle, heading1-3, footer
    margin_mm: float
    line_spacing: float  # a multiple of single spacing
    paragraph_space: float  # space after a paragraph, as a multiple of the body size

    @classmethod
    def of(cls, style: Style, sizes: Mapping[str, float], language: str) -> Look:
        settings = style["docx"]
        return cls(style["fonts"]["word"], Writing.of(language, settings["complex_script_fonts"]),
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

    @property
    def nested_indent(self):
        """How much further a nested list item sits in than its parent."""
        from docx.shared import Pt

        return Pt(round(self.sizes["body"] * 1.8))

    @property
    def write_in_pitch(self):
        """The distance between write-in lines: room for handwriting (about 10 mm at 14 pt)."""
        from docx.shared import Pt

        return Pt(round(self.sizes["body"] * 2))

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

    for names, kind in ((EXTRA_PARAGRAPH_STYLES, WD_STYLE_TYPE.PARAGRAPH),
                        (EXTRA_CHARACTER_STYLES, WD_STYLE_TYPE.CHARACTER)):
        for name in names:
            if name not in styles:
                styles.add_style(name, kind)

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
        # "left" is the start of the line: Word and LibreOffice set a
        # right-to-left (w:bidi) paragraph with it flush right.
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
    paragraph_style("Table Heading", bold=True, colour=rgb(look.colours["background"]), base="Table Text",
                    before=Pt(body * 0.25), after=Pt(body * 0.25))
    # A table's caption sits above it (a picture's below it), in the accent colour.
    paragraph_style("Caption", bold=True, colour=accent, before=Pt(body * 0.6), after=Pt(body * 0.4))
    # A line to write on (ruled underneath, ooxml.write_in_line), spaced for handwriting.
    write_in = paragraph_style("Write-in Line", base="Table Text", before=0, after=Pt(body * 0.25))
    write_in.paragraph_format.line_spacing = look.write_in_pitch
    for name in ("Header", "Footer"):
        remove(paragraph_style(name, look.sizes["footer"], after=0).element.pPr, "w:tabs")
    styles["Header"].font.bold = True
    styles["Header"].font.color.rgb = accent

    hyperlink = styles["Hyperlink"]
    hyperlink.font.bold, hyperlink.font.italic, hyperlink.font.underline = True, False, False
    hyperlink.font.color.rgb = accent
    # A source's number, raised; bold so it stays legible at the smaller size.
    note = styles["Note Reference"]
    note.font.bold, note.font.superscript = True, True
    note.font.color.rgb = accent
    for name in (*EXTRA_CHARACTER_STYLES, *EXTRA_PARAGRAPH_STYLES):
        styles[name].quick_style = True  # shown in Word's style gallery
    if look.writing.complex:
        complex_script_sizes(root)


def _set_defaults(root, look: Look, language: str) -> None:
    """Font, size, colour, language and direction for everything, in the document defaults.

    Word keeps three languages and fonts per run: w:val/ascii for Latin text,
    w:eastAsia for Chinese, Japanese and Korean, w:bidi/cs for complex scripts
    (Arabic, Hebrew, the Indian scripts). The source's language goes in the
    slot of its script; the complex-script font is one that has the script.
    A right-to-left language makes every paragraph right-to-left (w:bidi).
    """
    from docx.oxml import parse_xml

    font, body, writing = look.font, round(look.sizes["body"] * 2), look.writing
    line = round(240 * look.line_spacing)
    slots = {"val": language} | ({"eastAsia": language} if writing.east_asian else {}) | (
        {"bidi": language} if writing.complex else {})
    lang = " ".join(f'w:{slot}="{tag}"' for slot, tag in slots.items())
    direction = "<w:bidi/>" if writing.rtl else ""
    defaults = parse_xml(
        f'<w:docDefaults xmlns:w="{W_NS}"><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{writing.font or font}"/>'
        f'<w:color w:val="{look.colours["text"]}"/>'
        f'<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>'
        f'<w:lang {lang}/>'
        f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{direction}'
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
    """Four list definitions, two levels each (a bullet or a number at level 0,
    a bullet or a number at level 1); every list gets its own instance of one.
    A numbered level 1 starts again at 1 under each level-0 item (Word's rule
    when a level has no w:lvlRestart)."""
    from docx.oxml import parse_xml

    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    left, hanging = round(look.sizes["body"] * 2.2 * TWIPS_PER_POINT), round(look.hanging.pt * TWIPS_PER_POINT)
    nested = round(look.nested_indent.pt * TWIPS_PER_POINT)
    font = look.font
    for (ordered, nested_ordered), number in ABSTRACT_LIST.items():
        levels = ""
        for level, numbered in enumerate((ordered, nested_ordered)):
            kind, text = LEVEL_MARKERS[(numbered, level)]
            levels += (
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left + level * nested}" w:hanging="{hanging}"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{look.writing.font or font}"/></w:rPr>'
                f'</w:lvl>')
        numbering.append(parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{number}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        ))
    # The styles point at a base instance, so a list typed in Word with
    # the List Bullet / List Number style is numbered too.
    for name, ordered in (("List Bullet", False), ("List Number", True)):
        num_pr = doc.styles[name].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = numbering.add_num(ABSTRACT_LIST[(ordered, ordered)]).numId


def new_list(doc, ordered: bool, nested_ordered: bool, start: int) -> int:
    """A numbering instance of its own, so a list restarts at ``start``
    instead of continuing the last one; its numId."""
    num = doc.part.numbering_part.element.add_num(ABSTRACT_LIST[(ordered, nested_ordered)])
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def prune_styles(doc) -> None:
    """Keep the styles this leaflet uses (and those they build on), not the
    template's 160: Word's style pane then shows the house style only."""
    from docx.oxml.ns import qn

    root = doc.styles.element
    parts = [doc.element, *(part._element for s in doc.sections for part in (s.footer, s.header)
                            if not part.is_linked_to_previous)]
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


def remember_style_lookups(doc) -> None:
    """Answer each style lookup once per document.

    python-docx resolves a style name to its id, and a paragraph's id back to
    its style, by scanning every style of the document in Python for the
    default one (``CT_Styles.default_for``), on every paragraph: a fifth of a
    leaflet's time. Once ``set_up_styles`` has run the styles no longer change,
    so each answer is kept (a style object is looked up by its element).
    Header and footer parts ask the document part, so they share the memo.
    """
    part = doc.part
    find_id, find_style = part.get_style_id, part.get_style
    ids: dict = {}
    styles: dict = {}

    def get_style_id(style_or_name, style_type):
        key = (getattr(style_or_name, "element", style_or_name), style_type)
        if key not in ids:
            ids[key] = find_id(style_or_name, style_type)
        return ids[key]

    def get_style(style_id, style_type):
        key = (style_id, style_type)
        if key not in styles:
            styles[key] = find_style(style_id, style_type)
        return styles[key]

    part.get_style_id, part.get_style = get_style_id, get_style
