"""The print fonts: the house style's family registered with reportlab, and
which characters it (or its fallback family) can draw."""

from __future__ import annotations

import unicodedata
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...contract import Job
from ...diagnostics import WARNING, Diagnostic
from ...model import walk
from ...sourcefiles import display_path
from ...text import block_parts


def register_fonts(family: str) -> tuple[str, str]:
    """The family's regular and bold faces, from its fontpkg package (by
    default Atkinson Hyperlegible, designed for low-vision readers), as
    reportlab font names. Italic maps to the upright faces on purpose: clear
    print has no italics, whatever the markup says. Raises fontpkg's
    FontpkgError when the family is not installed."""
    import fontpkg

    regular, bold = f"{fontpkg.slugify(family)}-regular", f"{fontpkg.slugify(family)}-bold"
    if regular not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(regular, str(fontpkg.path(family, 400))))
        pdfmetrics.registerFont(TTFont(bold, str(fontpkg.path(family, 700, nearest=True))))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    return regular, bold


class Glyphs:
    """Text as paragraph markup in fonts that can draw it.

    The print font covers English, but not Welsh ŵ, Greek or Cyrillic; those
    characters are set in the fallback family instead of vanishing. What
    neither font has (emoji, Hebrew, Chinese…) cannot be printed: ``missing``
    names it so the build can warn, and it stays in the other formats.
    """

    def __init__(self, family: str, fallback_family: str):
        self.regular, self.bold = register_fonts(family)
        self.fallback, _ = register_fonts(fallback_family)
        self.own = frozenset(pdfmetrics.getFont(self.regular).face.charToGlyph)
        self.spare = frozenset(pdfmetrics.getFont(self.fallback).face.charToGlyph)

    @classmethod
    def of(cls, style) -> Glyphs:
        """The house style's print font, with its fallback."""
        return cls(style["fonts"]["print"], style["fonts"]["print_fallback"])

    def markup(self, text: str) -> str:
        # Invisible format characters (bidi marks, zero-width joiners) have no glyph to draw.
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        pieces = []
        for borrowed, chars in groupby(text, key=lambda c: ord(c) not in self.own and ord(c) in self.spare):
            piece = escape("".join(chars))
            pieces.append(f'<font face="{self.fallback}">{piece}</font>' if borrowed else piece)
        return "".join(pieces)

    def missing(self, text: str) -> str:
        return "".join(sorted({c for c in text if not c.isspace() and unicodedata.category(c) != "Cf"
                               and ord(c) not in self.own and ord(c) not in self.spare}))


def unprintable(job: Job) -> tuple[Diagnostic, ...]:
    """Warnings, by source line, for characters no print font can draw."""
    glyphs = Glyphs.of(job.style)
    warnings = []
    for section in job.document.sections:
        for block in ((section.heading,) if section.heading else ()) + tuple(walk(section.blocks)):
            missing = glyphs.missing("".join(block_parts(block)))
            if missing:
                codes = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:6])
                codes += f" and {len(missing) - 6} more characters" if len(missing) > 6 else ""
                warnings.append(Diagnostic(WARNING, str(display_path(job.document.source)),
                                           f"the print fonts have no {codes}; the PDF leaves a gap there, "
                                           "the other formats keep them", block.line))
    return tuple(warnings)
