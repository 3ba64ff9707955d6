"""Right-to-left paragraphs: Urdu and Arabic set from the right, with an
English name or a phone number inside them in the right order.

reportlab orders right-to-left text only through ``rlbidi``, which is not on
PyPI; its HarfBuzz shaping (``uharfbuzz``) joins the letters of each word
and returns them in visual order. What is left is the order of the words on
each line, done here after reportlab has broken the lines (in reading order,
so breaking, splitting across pages, widows and orphans all work as for
English): the Unicode bidirectional algorithm's rules for strong letters,
numbers and neutral punctuation (W7, N1, N2, I1, I2, L2), at the level of
words. A run of numbers keeps its reading order, so "01274 000000" stays one
phone number. A line whose first letter is Latin (an English address line)
can be set with a left-to-right base (``direction: auto``), as HTML's
``dir="auto"`` does.

A right-to-left line is drawn in reading order: word after word, each glyph
at the place the visual order gives it (``reading_order``), each glyph coded
for the letters it shows (fonts.ShapedFont.reading_code). The page looks the
same; text read out of the file in drawing order (a screen reader following
the tags, ``pdfinfo -struct-text``) gets the words as they are read.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus import Paragraph as PlainParagraph
from reportlab.platypus.paragraph import _FK_TEXT

from .fonts import PRIVATE_USE, ShapedFont

RIGHT, LEFT, NUMBER, NEUTRAL = "R", "L", "N", "O"


def char_class(char: str) -> str:
    if ord(char) in PRIVATE_USE:  # only the shaper makes these: a joined form of a right-to-left letter
        return RIGHT
    kind = unicodedata.bidirectional(char)
    return {"R": RIGHT, "AL": RIGHT, "L": LEFT, "EN": NUMBER, "AN": NUMBER}.get(kind, NEUTRAL)


def word_class(word: str) -> str:
    kinds = {char_class(c) for c in word}
    for kind in (RIGHT, LEFT, NUMBER):
        if kind in kinds:
            return kind
    return NEUTRAL


def first_strong(words: list[str]) -> str | None:
    """The direction of the first letter: HTML's dir="auto"."""
    for word in words:
        for char in word:
            kind = char_class(char)
            if kind in (RIGHT, LEFT):
                return kind
    return None


def levels(classes: list[str], right_to_left: bool) -> list[int]:
    """Each word's embedding level (even: left to right, odd: right to left)."""
    base = RIGHT if right_to_left else LEFT
    resolved = list(classes)
    strong = base
    for i, kind in enumerate(resolved):  # W7: a number after Latin letters is Latin
        if kind in (RIGHT, LEFT):
            strong = kind
        elif kind == NUMBER and strong == LEFT:
            resolved[i] = LEFT
    for i, kind in enumerate(resolved):  # N1, N2: neutrals take their neighbours' direction if they agree
        if kind == NEUTRAL:
            before = next((k for k in reversed(resolved[:i]) if k != NEUTRAL), base)
            after = next((k for k in resolved[i + 1:] if k != NEUTRAL), base)
            before, after = (RIGHT if k == NUMBER else k for k in (before, after))
            resolved[i] = before if before == after else base
    if right_to_left:  # I2
        return [1 if kind == RIGHT else 2 for kind in resolved]
    return [{RIGHT: 1, NUMBER: 2}.get(kind, 0) for kind in resolved]  # I1


def visual_order(word_levels: list[int]) -> list[int]:
    """L2: the words' indices left to right: from the highest level down,
    every run at that level or above is reversed."""
    order = list(range(len(word_levels)))
    for level in range(max(word_levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if word_levels[order[i]] >= level:
                j = i
                while j < len(order) and word_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def ordered(words: list[str], right_to_left: bool = True, auto: bool = False) -> list[int]:
    """The visual order of a line's words; ``auto``: the base direction from the first letter.

    Numbers side by side stay in one left-to-right run ("01274 000000"),
    unless the first ends in punctuation ("1.0، 1 جنوری": a version, then a
    date), where the line's own direction parts them as the bidi algorithm does."""
    if auto:
        right_to_left = first_strong(words) != LEFT
    classes = [word_class(word) for word in words]
    word_levels = levels(classes, right_to_left)
    items: list[int | None] = []  # word indices, None where a run of numbers is parted
    item_levels: list[int] = []
    for index, level in enumerate(word_levels):
        if (right_to_left and index and classes[index] == classes[index - 1] == NUMBER
                and char_class(words[index - 1][-1]) == NEUTRAL):
            items.append(None)
            item_levels.append(1)
        items.append(index)
        item_levels.append(level)
    return [i for i in (items[k] for k in visual_order(item_levels)) if i is not None]


NO_BREAK = "\u00a0"


def last_words_together(markup: str) -> str:
    """Paragraph markup whose last two words cannot be parted by a line
    break (a no-break space between them), so no paragraph ends with one
    word alone on its last line; a paragraph of three words or fewer, or
    whose last two words are in different fonts, is left as it is. Spaces
    inside tags (``<a href=…>``) are not words' spaces."""
    spaces, in_tag = [], False
    for index, char in enumerate(markup):
        if char in "<>":
            in_tag = char == "<"
        elif char == " " and not in_tag:
            spaces.append(index)
    if len(spaces) < 3 or not markup[spaces[-1] + 1:].strip() or "font" in markup[spaces[-2]:]:
        return markup  # (two words in different fonts: HarfBuzz would shape them as one, in one font)
    return markup[:spaces[-1]] + NO_BREAK + markup[spaces[-1] + 1:]


class Paragraph(PlainParagraph):
    """reportlab's Paragraph, which sets a style with ``wordWrap="RTL"``
    right to left: lines broken in reading order, then each line's words put
    in visual order. ``wordWrap="LTR"`` orders a left-to-right paragraph
    that holds right-to-left words. Any other style is set as reportlab sets
    it. Every paragraph keeps its last two words on one line."""

    def __init__(self, text, *args, **kwargs):
        super().__init__(last_words_together(text) if isinstance(text, str) else text, *args, **kwargs)
        # reportlab 5.1's shaper drops into a bad word a link destination
        # (<a name>) that shares a word with text: a shaped paragraph keeps its
        # destinations aside and marks them at its top when drawn.
        self._anchors: list[str] = []
        if self.style.shaping:
            kept = []
            for frag in self.frags:
                definition = getattr(frag, "cbDefn", None)
                if definition is not None and getattr(definition, "kind", "") == "anchor":
                    self._anchors.append(definition.name)
                else:
                    kept.append(frag)
            self.frags = kept

    def draw(self):
        for name in self._anchors:
            self.canv.bookmarkHorizontal(name, 0, self.height)
        super().draw()

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if parts and parts[0] is not self:
            parts[0]._anchors = self._anchors  # the destinations stay at the start
        return parts

    def breakLines(self, width):
        result = super().breakLines(width)
        if self.style.wordWrap not in ("RTL", "LTR") or getattr(result, "kind", 0) != 1:
            return result
        auto = getattr(self.style, "direction", "") == "auto"
        words = self.frags  # after breaking: the paragraph's words, each [width, (frag, text), …]
        starts = [line.sFW for line in result.lines] + [len(words)]
        for line, (start, end) in zip(result.lines, pairwise(starts), strict=True):
            line_words = [w for w in words[start:end] if any(f._fkind == _FK_TEXT and t.strip() for f, t in w[1:])]
            texts = ["".join(t for _, t in w[1:]) for w in line_words]
            breaks = [f for f in line.words if f._fkind != _FK_TEXT]  # a <br/> ending the line stays last
            rebuilt, readings = [], []
            for position, index in enumerate(ordered(texts, self.style.wordWrap == "RTL", auto)):
                pieces = [(f, t) for f, t in line_words[index][1:] if t]
                for number, (frag, text) in enumerate(pieces):
                    copy = frag.clone()
                    last = number == len(pieces) - 1 and position < len(line_words) - 1
                    copy.text = text + " " if last else text
                    rebuilt.append(copy)
                    readings.append((index, number))
            if self.style.wordWrap == "RTL":
                rebuilt = reading_order(rebuilt, readings) or rebuilt
                rebuilt.reverse()  # reportlab draws a right-to-left line's words last first
            line.words = rebuilt + breaks
        return result


class ReadingStr(ShapedStr):
    """Glyphs drawn in reading order, wherever each stands on the line;
    ``letters``: what they spell."""

    def __new__(cls, codes: str, shape_data: list, letters: str):
        self = super().__new__(cls, codes, shapeData=shape_data)
        self.letters = letters
        return self


@dataclass
class _Glyph:
    code: int
    x: float  # where it is drawn, in points from the start of the line
    rise: float  # HarfBuzz's vertical offset, in thousandths of the font size
    letters: str  # what it shows ("" for a dot or mark drawn apart from its letter)
    cluster: int


def _glyphs(text: str, font: ShapedFont, size: float, x: float) -> tuple[list[_Glyph], float]:
    """A piece's glyphs as reportlab draws it from ``x`` (a shaped piece by its
    HarfBuzz positions, a plain one glyph after glyph), and the x after it."""
    scale = size / 1000
    data = text.__shapeData__ if isinstance(text, ShapedStr) else None
    # A plain space added to a shaped piece has no shaping of its own (reportlab's
    # _sdSimple: no advance, no width): its glyph's own width moves the pen.
    clusters = [d.cluster for d in data] if data else list(range(len(text)))
    letters = font.glyph_letters(text, clusters) if data else list(text)
    glyphs = []
    for index, char in enumerate(text):
        code = 32 if char == "\u00a0" else ord(char)  # reportlab draws a no-break space as a space
        width = font.face.getCharWidth(code)
        if data:
            shape = data[index]
            glyphs.append(_Glyph(code, x + shape.x_offset * scale, shape.y_offset, letters[index], shape.cluster))
            x += (width + shape.x_advance - shape.width) * scale
        else:
            glyphs.append(_Glyph(code, x, 0, letters[index], index))
            x += width * scale
    return glyphs, x


def reading_order(visual: list, readings: list[tuple[int, int]]) -> list | None:
    """A line's pieces (``visual``: frags, left to right) drawn in reading
    order (``readings``: each piece's word and place in the word), every glyph
    where it stood, every word followed by a space. None when a piece is in a
    font that cannot be drawn this way (not a ShapedFont)."""
    fonts = [pdfmetrics.getFont(frag.fontName) for frag in visual]
    if not all(isinstance(font, ShapedFont) for font in fonts):
        return None
    x, placed = 0.0, []
    for frag, font in zip(visual, fonts, strict=True):
        glyphs, x = _glyphs(frag.text, font, frag.fontSize, x)
        # reading order in the piece; the spaces between words are set anew below (a no-break space stays)
        ink = sorted((g for g in glyphs if g.letters != " "), key=lambda g: g.cluster)
        placed.append(ink)
    words = sorted(range(len(visual)), key=lambda i: readings[i])
    pen, drawn = 0.0, []
    for position, i in enumerate(words):
        frag, font, ink = visual[i], fonts[i], placed[i]
        ends_word = position == len(words) - 1 or readings[words[position + 1]][0] != readings[i][0]
        if ends_word:  # the space after the word, left of it (invisible: it only parts the words)
            space = font.face.getCharWidth(32) * frag.fontSize / 1000
            ink = ink + [_Glyph(32, min((g.x for g in ink), default=pen) - space, 0, " ", 0x7FFFFFFF)]
        copy = frag.clone()
        copy.text, pen = _drawn_at(ink, font, frag.fontSize, pen)
        drawn.append(copy)
    return drawn


def _drawn_at(glyphs: list[_Glyph], font: ShapedFont, size: float, pen: float) -> tuple[ReadingStr, float]:
    """The glyphs as one piece of shaped text that, drawn from ``pen``, puts
    each where it stood: each offset from the pen, which stays put until the
    last glyph moves it on by the piece's width. And the pen after it."""
    codes = [g.code if g.code == 32 else font.reading_code(g.code, g.letters) for g in glyphs]
    widths = [font.face.getCharWidth(code) for code in codes]
    data = [ShapeData(g.cluster, 0, 0, (g.x - pen) * 1000 / size, g.rise, width)
            for g, width in zip(glyphs, widths, strict=True)]
    if data:
        data[-1] = data[-1]._replace(x_advance=sum(widths))
    text = ReadingStr("".join(map(chr, codes)), data, "".join(g.letters for g in glyphs))
    return text, pen + sum(widths) * size / 1000
