"""Every paragraph style of one edition, in clear print.

Clear print (RNIB, UKAAF) is built into the styles rather than checked
afterwards: one sans-serif family, every size a multiple of the body size (so
nothing is smaller), aligned to the side the language starts its lines from
(left, or right for Urdu and Arabic) and never justified, leading about 1.4,
bold for every kind of emphasis (the family is registered with no italic),
headings kept with what follows, no widows or orphans, no hyphenation.

A right-to-left edition's styles are shaped (the letters of Arabic script
join) and carry ``wordWrap="RTL"``, which bidi.Paragraph sets right to left;
list bullets hang on the right.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .editions import Edition
from .flowables import Rule
from .fonts import Glyphs


class Styles:
    """The edition's paragraph styles and colours, derived from its body size."""

    def __init__(self, edition: Edition, colours):
        size, leading = edition.body, edition.leading
        self.right_to_left = rtl = edition.right_to_left
        # A script of its own (Arabic) is shaped, and its words put in order, even inside English.
        shaped = rtl or bool(edition.scripts)
        self.glyphs = Glyphs(edition.font, edition.fallback_font, dict(edition.scripts), edition.cache_dir, shaped)
        self.regular, self.bold = self.glyphs.regular, self.glyphs.bold
        self.text = colors.HexColor(colours["text"])
        self.accent = colors.HexColor(colours["accent"])
        self.tint = colors.HexColor(colours["tint"])

        def style(name: str, scale: float = 1.0, bold: bool = False, colour=None, **extra) -> ParagraphStyle:
            settings = dict(fontName=self.bold if bold else self.regular, fontSize=size * scale,
                            leading=size * scale * leading, textColor=colour or self.text, alignment=TA_LEFT,
                            allowWidows=0, allowOrphans=0, spaceAfter=size * 0.6,
                            # reportlab squeezes spaces by up to 5% to fit a word on a
                            # line: a little justification; word spacing stays even here
                            spaceShrinkage=0, bulletFontSize=size * scale)
            if shaped:
                settings.update(wordWrap="LTR", shaping=1)
            if rtl:  # the mirror image: from the right, indents on the right
                settings.update(alignment=TA_RIGHT, wordWrap="RTL")
                left, right = extra.pop("leftIndent", 0), extra.pop("rightIndent", 0)
                extra.update(leftIndent=right, rightIndent=left)
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
        # Contact details and address lines: an English address inside Urdu reads left to right.
        self.detail = style("detail")
        self.detail.direction = "auto"
        self.strong_detail = style("strong detail", bold=True)
        self.strong_detail.direction = "auto"
        self.size = size

    def mirrored(self, commands: list) -> list:
        """Table style commands as the language needs them: a rule or padding
        at the start of a line is on the right in a right-to-left edition."""
        if not self.right_to_left:
            return commands
        swap = {"LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE",
                "LEFTPADDING": "RIGHTPADDING", "RIGHTPADDING": "LEFTPADDING"}
        return [(swap.get(command[0], command[0]), *command[1:]) for command in commands]

    def rule(self) -> Rule:
        """The cover's short rule, on the side lines start from."""
        rule = Rule(self.accent, self.size * 0.3)
        rule.hAlign = self.start
        return rule

    @property
    def start(self) -> str:
        """The side lines start from, as platypus names it for hAlign: "LEFT" or "RIGHT"."""
        return "RIGHT" if self.right_to_left else "LEFT"

    @property
    def end(self) -> str:
        return "LEFT" if self.right_to_left else "RIGHT"
