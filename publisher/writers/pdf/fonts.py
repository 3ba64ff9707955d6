"""The print fonts: the house style's family registered with reportlab, a
font for each further script the text needs (Arabic script for Urdu), and
which characters they can draw.

A script's font is shaped (reportlab's shaping, through uharfbuzz): joined
Arabic letters take the form their neighbours ask for. A shaped glyph has no
character of its own, so the PDF's ToUnicode map is rewritten to give each
one the letters it was shaped from: copying, searching and screen readers get
the words back, not presentation forms or private-use codes.

One glyph can stand for different letters (Noto Sans Arabic draws خ as ح's
glyph and a dot, چ as ح's glyph and three dots): text set right to left
(bidi.py) gives each glyph a code of its own for each set of letters it shows
(``reading_code``), so the ToUnicode map alone spells every word, in the
order it is read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import groupby, pairwise
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, TTFontFile

from ...contract import Job
from ...diagnostics import WARNING, Diagnostic
from ...model import walk
from ...sourcefiles import display_path
from ...text import block_parts
from .scripts import script_of

# The ToUnicode map reportlab writes, looked up by the name it registers it under.
_TO_UNICODE = "toUnicodeCMap:"
PRIVATE_USE = range(0xE000, 0xF900)  # where reportlab, and reading_code, name glyphs that have no character


def family_file(family: str, weight: int, cache_dir: Path) -> Path:
    """The family's font file at ``weight``, from its fontpkg package. A
    variable font (Noto Sans Arabic ships only as one) is instanced at that
    weight and normal width with fontTools, once: reportlab embeds static
    TrueType only. The instance is kept in ``cache_dir`` under a name from
    the variable font's bytes, so an updated package makes a new one."""
    import fontpkg

    chosen = fontpkg.select_file(fontpkg.family(family), weight, "normal", nearest=True)
    if not chosen.variable:
        return chosen.path
    source = chosen.path.read_bytes()
    digest = hashlib.sha256(source + str(weight).encode()).hexdigest()[:16]
    target = cache_dir / "fonts" / f"{fontpkg.slugify(family)}-{weight}-{digest}.ttf"
    if not target.is_file():
        _instance(chosen.path, weight, target)
    return target


def _instance(variable: Path, weight: int, target: Path) -> None:
    from fontTools.ttLib import TTFont as FontFile
    from fontTools.varLib.instancer import instantiateVariableFont

    font = FontFile(variable)
    axes = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    axes["wght"] = float(weight)
    static = instantiateVariableFont(font, axes, updateFontNames=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    static.save(partial)
    partial.replace(target)  # whole or not at all: a killed build leaves no broken font


class ShapedFont(TTFont):
    """A TrueType font whose ToUnicode map names the letters behind each
    shaped glyph, learnt by shaping the same words the same way first
    (``learn``). Until it learns something it is reportlab's TTFont, byte
    for byte."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename, shapable=True)
        self.letters: dict[int, str] = {}  # glyph id → the text it was shaped from
        self.words: dict[tuple[int, ...], str] = {}  # a shaped word's glyph ids, as drawn → the word
        self.spelled: dict[int, str] = {}  # code → its letters, for codes handed out by reading_code
        self._reading_codes: dict[tuple[int, str], int] = {}  # (glyph id, letters) → code

    def learn(self, text: str) -> None:
        """Shape each word of ``text`` as reportlab will (one word at a time,
        kerning and ligatures on) and note which letters each glyph shows."""
        import uharfbuzz

        font = self.hbFont(10)
        single = [word for word in re.split(r"[ \t\r\n]+", text) if word]  # a no-break space joins two
        # bidi.Paragraph joins a paragraph's last two words with a no-break space: learn every pair so
        pairs = [f"{first}\u00a0{second}" for first, second in pairwise(single)]
        for word in single + pairs:
            buffer = uharfbuzz.Buffer()
            buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
            buffer.add_str(word)
            buffer.guess_segment_properties()
            uharfbuzz.shape(font, buffer, {"kern": True, "liga": True, "dlig": True})
            self.words[tuple(info.codepoint for info in buffer.glyph_infos)] = word
            clusters = sorted({info.cluster for info in buffer.glyph_infos}) + [len(word)]
            ends = dict(pairwise(clusters))
            seen: set[int] = set()
            # In logical order, the first glyph of a cluster carries its letters, the rest (marks) none.
            for info in sorted(buffer.glyph_infos, key=lambda info: info.cluster):
                letters = "" if info.cluster in seen else word[info.cluster:ends[info.cluster]]
                seen.add(info.cluster)
                self.letters.setdefault(info.codepoint, letters)

    def actual_text(self, text: str) -> str | None:
        """The word a shaped piece of text shows (its spaces kept), or None
        when it is not one this font learnt: what a PDF's ActualText gives
        back when the glyphs alone cannot (Noto Sans Arabic draws the dots of
        پ and چ apart from letters they share with ب and ح)."""
        word = text.strip(" ")  # the word drawn, without the space reportlab adds after it
        glyphs = tuple(self.face.charToGlyph.get(ord(c), -1) for c in word)
        found = self.words.get(glyphs)
        if found is None or found == word:
            return None
        return text[: len(text) - len(text.lstrip(" "))] + found + text[len(text.rstrip(" ")):]

    def glyph_letters(self, text: str, clusters: list[int]) -> list[str]:
        """The letters each glyph of a shaped piece shows (``text``: its codes
        as drawn, a space left as it is; ``clusters``: HarfBuzz's cluster of
        each), when the piece is a word this font learnt: in reading order the
        first glyph of a cluster shows the cluster's letters, the others
        (dots, marks) none. An unknown piece: each glyph's learnt letters."""
        ink = [index for index, char in enumerate(text) if char != " "]
        word = self.words.get(tuple(self.face.charToGlyph.get(ord(text[i]), -1) for i in ink))
        letters = [char if char == " " else self._letters(ord(char)) for char in text]
        if word is None:
            return letters
        bounds = sorted({clusters[i] for i in ink}) + [len(word)]
        ends = dict(pairwise(bounds))
        seen: set[int] = set()
        for index in sorted(ink, key=lambda i: clusters[i]):
            cluster = clusters[index]
            letters[index] = "" if cluster in seen else word[cluster:ends[cluster]]
            seen.add(cluster)
        return letters

    def reading_code(self, code: int, letters: str) -> int:
        """A code that draws ``code``'s glyph and whose ToUnicode entry is
        ``letters``: ``code`` itself while nothing else claims it, else a
        private-use code of its own (the glyph, under another name)."""
        glyph = self.face.charToGlyph.get(code, 0)
        found = self._reading_codes.get((glyph, letters))
        if found is not None:
            return found
        if self.spelled.get(code, letters) == letters and self._letters(code) == letters:
            found = code
        else:
            found = max([PRIVATE_USE.start, *(c for c in self.spelled if c in PRIVATE_USE)]) + 1
            while found in self.face.charToGlyph:
                found += 1
            assert found < PRIVATE_USE.stop, "the private-use codes are used up"
            self.face.charToGlyph[found] = glyph
            self.face.charWidths[found] = self.face.getCharWidth(code)
        self.spelled[found] = letters
        self._reading_codes[(glyph, letters)] = found
        return found

    def addObjects(self, doc):
        subsets = [list(subset) for subset in self.state[doc].subsets] if doc in self.state else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            # A mark a glyph-learnt map gives no letters is written <0000>, as it always
            # was; a reading-order code (reading_code) that shows none, as nothing.
            texts = [self._letters(code) or ("" if code in self.spelled else "\0") for code in subset]
            if texts == [chr(code) for code in subset]:
                continue  # nothing shaped differently: reportlab's own map stands
            name = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            stream = doc.idToObject.get(_TO_UNICODE + name)
            if stream is not None:
                stream.content = _to_unicode(name, texts)

    def _letters(self, code: int) -> str:
        if code in self.spelled:
            return self.spelled[code]
        text = self.letters.get(self.face.charToGlyph.get(code, -1))
        return chr(code) if text is None else text


def _to_unicode(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap: code i shows ``texts[i]`` (a mark shaped into its letter shows nothing: ``<>``)."""
    entries = [f"<{index:02X}> <{''.join(f'{ord(c):04X}' for c in text)}>"
               for index, text in enumerate(texts)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(texts) - 1:02X}>", "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


def register_fonts(family: str, cache_dir: Path | None = None) -> tuple[str, str]:
    """The family's regular and bold faces, from its fontpkg package (by
    default Atkinson Hyperlegible, designed for low-vision readers), as
    reportlab font names. Italic maps to the upright faces on purpose: clear
    print has no italics, whatever the markup says. Raises fontpkg's
    FontpkgError when the family is not installed."""

    regular, bold = face_names(family)
    if regular not in pdfmetrics.getRegisteredFontNames():
        folder = cache_dir or Path(".cache")
        pdfmetrics.registerFont(ShapedFont(regular, str(family_file(family, 400, folder))))
        pdfmetrics.registerFont(ShapedFont(bold, str(family_file(family, 700, folder))))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    return regular, bold


def face_names(family: str) -> tuple[str, str]:
    """The reportlab names ``register_fonts`` gives the family's regular and bold faces."""
    import fontpkg

    return f"{fontpkg.slugify(family)}-regular", f"{fontpkg.slugify(family)}-bold"


@cache
def family_characters(family: str) -> frozenset[int]:
    """The characters the family's regular face has, read from its file as
    installed (a variable font's are its instances'), without registering it."""
    import fontpkg

    chosen = fontpkg.select_file(fontpkg.family(family), 400, "normal", nearest=True)
    return frozenset(TTFontFile(str(chosen.path)).charToGlyph)


@cache
def _characters(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


class Glyphs:
    """Text as paragraph markup in fonts that can draw it.

    The print font covers English, but not Welsh ŵ, Greek or Cyrillic; those
    characters are set in the fallback family instead of vanishing. A word
    with letters of a script that has a font of its own (``scripts``: Arabic
    script → Noto Sans Arabic) is set whole in that font, its punctuation and
    digits too, so HarfBuzz shapes it with one font. What no font has (emoji,
    Chinese…) cannot be printed: ``missing`` names it so the build can warn,
    and it stays in the other formats.

    ``shaping``: the edition is shaped, so every piece of text is also shaped
    here once, to learn which letters each glyph shows (``ShapedFont``).
    """

    def __init__(self, family: str, fallback_family: str, scripts: Mapping[str, str] | None = None,
                 cache_dir: Path | None = None, shaping: bool = False):
        self.regular, self.bold = register_fonts(family, cache_dir)
        # The fallback is registered only when a character needs it: Noto Sans
        # ships as a variable font, and making its static weights costs seconds,
        # which text the print font covers (most English) should never pay.
        self._fallback = (fallback_family, cache_dir)
        self.fallback, fallback_bold = face_names(fallback_family)
        self.own = _characters(self.regular)
        self.spare = family_characters(fallback_family)
        # script → (regular, bold) reportlab names of its font
        self.scripts = {script: register_fonts(name, cache_dir) for script, name in (scripts or {}).items()}
        self.shaping = shaping
        self._faces = {None: (self.regular, self.bold), self.fallback: (self.fallback, fallback_bold)}
        self._faces.update({pair[0]: pair for pair in self.scripts.values()})

    @classmethod
    def of(cls, job: Job) -> Glyphs:
        """The house style's print font, its fallback, and the fonts for the scripts the job's text needs."""
        from .scripts import script_fonts

        fonts = job.style["fonts"]
        return cls(fonts["print"], fonts["print_fallback"], script_fonts(job), job.cache_dir)

    def _char_font(self, char: str) -> str | None:
        code = ord(char)
        if code not in self.own and code in self.spare:
            return self._use_fallback()
        return None

    def _use_fallback(self) -> str:
        register_fonts(*self._fallback)
        return self.fallback

    def _word_font(self, word: str) -> str | None:
        """A word with a letter of a script of its own: that script's font,
        for all of it it can draw. In a shaped edition, a word with a
        character only the fallback has (Welsh ŵ) is set whole in the
        fallback: HarfBuzz shapes a word in one font."""
        for script in map(script_of, word):
            if script in self.scripts:
                face = self.scripts[script][0]
                return face if all(ord(c) in _characters(face) for c in word) else None
        if self.shaping and any(ord(c) not in self.own for c in word) and all(ord(c) in self.spare for c in word):
            return self._use_fallback()
        return None

    def runs(self, text: str) -> Iterator[tuple[str | None, str]]:
        """(font or None for the print font, text) pieces of ``text``."""
        pieces: list[tuple[str | None, str]] = []
        for word in re.split(r"(\s+)", text):
            whole = self._word_font(word) if word and not word.isspace() else None
            if whole is None and word.isspace() and pieces and pieces[-1][0] in self.scripts_faces():
                whole = pieces[-1][0]  # the space between two words of the script stays in its font
            pieces += [(whole, c) for c in word] if whole else [(self._char_font(c), c) for c in word]
        for face, chars in groupby(pieces, key=lambda piece: piece[0]):
            yield face, "".join(c for _, c in chars)

    def scripts_faces(self) -> set[str]:
        return {pair[0] for pair in self.scripts.values()}

    def markup(self, text: str) -> str:
        # Invisible format characters (bidi marks, zero-width joiners) have no glyph to draw.
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        text = text.replace(" ©", "\u00a0©")  # © stays with the name before it, never first on a line
        pieces = []
        for face, piece in self.runs(text):
            if self.shaping:
                for name in self._faces[face]:  # the regular and the bold: <b> may pick either
                    pdfmetrics.getFont(name).learn(piece)
            pieces.append(f'<font face="{face}">{escape(piece)}</font>' if face else escape(piece))
        return "".join(pieces)

    def missing(self, text: str) -> str:
        drawable = self.own | self.spare
        for regular, _ in self.scripts.values():
            drawable |= _characters(regular)
        return "".join(sorted({c for c in text if not c.isspace() and unicodedata.category(c) != "Cf"
                               and ord(c) not in drawable}))


def unprintable(job: Job) -> tuple[Diagnostic, ...]:
    """Warnings, by source line, for characters no print font can draw."""
    glyphs = Glyphs.of(job)
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


def actual_text(font_name: str, text: str) -> str | None:
    """For the text object: the letters behind a shaped word, if it is one."""
    font = pdfmetrics.getFont(font_name)
    return font.actual_text(text) if isinstance(font, ShapedFont) and font.words else None


def marked_actual_text(code: str, actual: str) -> str:
    """Drawing operators wrapped in a span whose ActualText is ``actual`` (UTF-16BE, as PDF strings are)."""
    return f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC {code} EMC"
