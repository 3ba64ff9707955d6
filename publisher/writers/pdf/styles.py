"""Every paragraph style of one edition, in clear print.

Clear print (RNIB, UKAAF) is built into the styles rather than checked
afterwards: one sans-serif family, every size a multiple of the body size (so
nothing is smaller), left-aligned, leading about 1.4, bold for every kind of
emphasis (the family is registered with no italic), headings kept with what
follows, no widows or orphans, no hyphenation.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from .editions import Edition
from .fonts import Glyphs


class Styles:
    """The edition's paragraph styles and colours, derived from its body size."""

    def __init__(self, edition: Edition, colours):
        size, leading = edition.body, edition.leading
        self.glyphs = Glyphs(edition.font, edition.fallback_font)
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
        self.size = size
