"""A cover drawn from the title page's words, in the house colours.

Bookshops and e-reader libraries show a cover image; a publication with none
looks broken in a grid of thumbnails. This one is drawn with Pillow from the
title, subtitle and publisher, in Atkinson Hyperlegible, light text on the
accent colour (the house style checks that pair reaches 7:1). It is the same
image on every build: Pillow writes no timestamp into a PNG.
"""

from __future__ import annotations

import io
from pathlib import Path

WIDTH, HEIGHT = 1600, 2400  # 2:3, the shape most stores ask for
MARGIN = 140


def font_file(weight: str) -> Path:
    from fontpkg_atkinson_hyperlegible import ROOT

    return ROOT / "files" / f"AtkinsonHyperlegible-{weight}.ttf"


def cover_png(title: str, subtitle: str, publisher: str, background: str, text: str, rule: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    y = 420
    for words, weight, size, gap in ((title, "Bold", 170, 60), (subtitle, "Regular", 84, 0)):
        font = ImageFont.truetype(str(font_file(weight)), size)
        for line in wrapped(draw, words, font, WIDTH - 2 * MARGIN):
            draw.text((MARGIN, y), line, font=font, fill=text)
            y += int(size * 1.2)
        y += gap
        if weight == "Bold":
            draw.rectangle((MARGIN, y, MARGIN + 360, y + 18), fill=rule)
            y += 18 + 80
    font = ImageFont.truetype(str(font_file("Bold")), 64)
    lines = wrapped(draw, publisher, font, WIDTH - 2 * MARGIN)
    y = HEIGHT - MARGIN - len(lines) * 80
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=text)
        y += 80
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def wrapped(draw, words: str, font, width: int) -> list[str]:
    """Greedy line filling: as many words per line as fit the width."""
    lines: list[str] = []
    for word in words.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def cover_alt(title: str, subtitle: str, publisher: str) -> str:
    return " ".join(f"{part}." for part in (f"Cover: {title}", subtitle, publisher) if part)
