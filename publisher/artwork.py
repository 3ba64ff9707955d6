"""Cover artwork drawn from the title page's words, in the house colours and print typeface.

Bookshops, e-reader libraries and music players show a cover image; a
publication with none looks broken in a grid of thumbnails. Two layouts: the
e-book's tall cover and the audio book's square cover art. Both are drawn with
Pillow in the house style's print family (``fonts.print``, found through its
fontpkg package as the PDF writer finds it), light text on the accent colour
(the house style checks that pair reaches 7:1). They are the same images on
every build: Pillow writes no timestamp into a PNG. That is what lets the
e-book's cover be drawn once: it is kept in the build cache under a hash of
everything it is drawn from (``book_cover(..., cache=)``), so the text and
read-aloud editions, and every later build, read it back instead of spending
about 150 ms compressing 1600 × 2400 pixels again.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .model import Metadata
from .style import Style, style_error
from .terms import Terms

BOOK_WIDTH, BOOK_HEIGHT = 1600, 2400  # 2:3, the shape most stores ask for
BOOK_MARGIN = 140
AUDIO_SIZE = 600  # pixels square: sharp on a phone's lock screen, about 20 kB
AUDIO_MARGIN = 48
# Families for scripts the print family has no letters for (each from its fontpkg
# package), tried in order for the characters a text needs: Noto Sans Arabic sets
# Arabic, Urdu, Persian, Pashto. The house style's fonts.print_scripts, when it
# names them, wins. The e-book embeds the ones its text needs and the cover draws
# with them; one variable font file serves every weight.
SCRIPT_FAMILIES = ("Noto Sans Arabic",)


@dataclass(frozen=True)
class Faces:
    """The font files of the print family: upright regular and bold (clear print has no italics)."""

    regular: Path
    bold: Path


def print_faces(style: Style) -> Faces:
    """The house style's print family, from its fontpkg package. Raises
    fontpkg's FontpkgError when the family is not installed."""
    import fontpkg

    family = style["fonts"]["print"]
    return Faces(fontpkg.path(family, 400), fontpkg.path(family, 700, nearest=True))


def family_faces(family: str) -> Faces:
    """A family's regular and bold faces (one file twice for a variable font)."""
    import fontpkg

    return Faces(fontpkg.path(family, 400), fontpkg.path(family, 700, nearest=True))


@cache
def coverage(font_file: Path) -> frozenset[int]:
    """The characters a font file has letters for."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(font_file)).charToGlyph)


def script_faces(text: str, style: Style) -> list[tuple[str, Faces]]:
    """The script families (``SCRIPT_FAMILIES``) needed for the characters of
    ``text`` that the print family lacks, as (family, faces), in order."""
    import fontpkg

    missing = {ord(c) for c in text if not c.isspace() and unicodedata.category(c)[0] != "C"}
    missing -= coverage(print_faces(style).regular)
    found = []
    for family in tuple(style["fonts"].get("print_scripts", {}).values()) or SCRIPT_FAMILIES:
        if not missing:
            break
        try:
            faces = family_faces(family)
        except fontpkg.FontpkgError:
            continue  # not installed: reading systems fall back to their own fonts
        covered = missing & coverage(faces.regular)
        if covered:
            found.append((family, faces))
            missing -= covered
    return found


def script_font_href(family: str) -> str:
    """A script family's file in an e-book or web edition: one variable font,
    named without the brackets of its axes."""
    return "fonts/" + re.sub(r"[^A-Za-z0-9]+", "-", family).strip("-") + ".ttf"


def check_print_faces(style: Style, source_folder: Path) -> None:
    """For a writer's ``prepare``: a print family that is not installed is bad
    input, named at its line of the house style, before any file is written."""
    import fontpkg

    try:
        print_faces(style)
    except fontpkg.FontpkgError as error:
        raise style_error(source_folder, "print", f"the print font cannot be used: {error}",
                          "install the family's fontpkg package (pip install fontpkg-<family>) "
                          "and add it to pyproject.toml") from None


def wrap(draw, text: str, font, width: int) -> list[str]:
    """Greedy line filling: as many words per line as fit the width."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def book_cover(meta: Metadata, style: Style, cache: Path | None = None) -> bytes:
    """The e-book's cover: the title, a rule and the subtitle from the top, the
    publisher at the foot; read from ``cache`` (the build cache) when it was
    drawn before from the same inputs, and kept there when it was not."""
    if cache is None:
        return _draw_book_cover(meta, style)
    from .files import write_bytes

    kept = cache / "covers" / f"{_book_cover_key(meta, style)}.png"
    try:
        data = kept.read_bytes()
        if data.startswith(PNG_SIGNATURE):  # written whole (write_bytes renames a complete file into place)
            return data
    except OSError:
        pass
    data = _draw_book_cover(meta, style)
    write_bytes(kept, data)
    return data


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _book_cover_key(meta: Metadata, style: Style) -> str:
    """A hash of everything the e-book cover is drawn from: its words, the
    colours, the font files it may draw with (their bytes: an upgraded font
    draws differently), this module's code and Pillow's version."""
    import zlib

    import fontpkg
    import PIL

    digest = hashlib.sha256()
    fonts = style["fonts"]
    families = tuple(fonts.get("print_scripts", {}).values()) or SCRIPT_FAMILIES
    files = [print_faces(style)]
    for family in families:
        try:
            files.append(family_faces(family))
        except fontpkg.FontpkgError:
            continue
    parts = [Path(__file__).read_bytes(), PIL.__version__, zlib.ZLIB_RUNTIME_VERSION, meta.title, meta.subtitle,
             meta.publisher, *(style["colours"][name] for name in ("accent", "background", "tint")),
             fonts["print"], *families]
    parts += [_file_digest(path) for faces in files for path in (faces.regular, faces.bold)]
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "big") + data)  # length first: no two lists hash alike
    return digest.hexdigest()


@cache
def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def _draw_book_cover(meta: Metadata, style: Style) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    colours = style["colours"]
    image = Image.new("RGB", (BOOK_WIDTH, BOOK_HEIGHT), colours["accent"])
    draw = ImageDraw.Draw(image)

    def block(text: str, bold: bool, size: int, line_height: int, *, top: int = 0, bottom: int = 0) -> int:
        """Lines at the margin, from ``top`` or up to ``bottom``; returns the y below them.
        A text in a script the print family cannot set is drawn in a script family,
        shaped, and set from the right margin when it is written right to left."""
        faces, right_to_left = cover_faces(text, style)
        font = ImageFont.truetype(str(faces.bold if bold else faces.regular), size)
        if faces.bold == faces.regular and bold:
            font.set_variation_by_axes(_bold_axes(font))
        lines = wrap(draw, text, font, BOOK_WIDTH - 2 * BOOK_MARGIN)
        y = top or bottom - len(lines) * line_height
        below: float = y
        for line in lines:
            x = BOOK_WIDTH - BOOK_MARGIN - draw.textlength(line, font=font) if right_to_left else BOOK_MARGIN
            draw.text((x, y), line, font=font, fill=colours["background"])
            below = max(below, draw.textbbox((x, y), line, font=font)[3])  # deep descenders (Arabic script)
            y += line_height
        return max(y, int(below))

    y = block(meta.title, True, 170, int(170 * 1.2), top=420) + 60
    rule = (BOOK_WIDTH - BOOK_MARGIN - 360, BOOK_WIDTH - BOOK_MARGIN) if cover_faces(meta.title, style)[1] \
        else (BOOK_MARGIN, BOOK_MARGIN + 360)
    draw.rectangle((rule[0], y, rule[1], y + 18), fill=colours["tint"])
    block(meta.subtitle, False, 84, int(84 * 1.2), top=y + 18 + 80)
    block(meta.publisher, True, 64, 80, bottom=BOOK_HEIGHT - BOOK_MARGIN)
    return _png(image)


def cover_faces(text: str, style: Style) -> tuple[Faces, bool]:
    """The faces to draw ``text`` with, and whether it runs right to left: the
    print family, or the first script family when the text needs one."""
    needed = script_faces(text, style)
    if not needed:
        return print_faces(style), False
    right_to_left = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    return needed[0][1], right_to_left


def _bold_axes(font) -> list[float]:
    """A variable font's axes set to their defaults, with the weight at bold (700)."""
    return [700.0 if axis["name"] in (b"Weight", "Weight") else float(axis["default"])
            for axis in font.get_variation_axes()]


def book_cover_alt(meta: Metadata, terms: Terms) -> str:
    """The e-book cover's text description: the words it shows, a sentence each."""
    shown = (terms("cover_alt", title=meta.title), meta.subtitle, meta.publisher)
    return " ".join(f"{part}." for part in shown if part)


def audio_cover(meta: Metadata, style: Style, terms: Terms) -> bytes:
    """The audio book's cover art: the title and subtitle on the accent colour, and
    a band at the foot saying what it is ("Audio book") and who publishes it."""
    from PIL import Image, ImageDraw, ImageFont

    colours, faces = style["colours"], print_faces(style)
    image = Image.new("RGB", (AUDIO_SIZE, AUDIO_SIZE), colours["accent"])
    draw = ImageDraw.Draw(image)

    def block(text: str, face: Path, size: int, y: float, fill: str) -> int:
        """Left-aligned lines at the margin; returns the y below them."""
        font = ImageFont.truetype(str(face), size)
        lines = wrap(draw, text, font, AUDIO_SIZE - 2 * AUDIO_MARGIN)
        height = font.size * 1.2
        for number, line in enumerate(lines):
            draw.text((AUDIO_MARGIN, y + number * height), line, font=font, fill=fill)
        return int(y + len(lines) * height)

    y = block(meta.title, faces.bold, 68, AUDIO_MARGIN, colours["background"])
    if meta.subtitle:
        block(meta.subtitle, faces.regular, 34, y + 24, colours["background"])
    band = AUDIO_SIZE - 150
    draw.rectangle((0, band, AUDIO_SIZE, AUDIO_SIZE), fill=colours["tint"])
    block(terms("cover_audio_book"), faces.bold, 30, band + 22, colours["text"])
    block(meta.publisher, faces.regular, 24, band + 66, colours["text"])
    return _png(image)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
