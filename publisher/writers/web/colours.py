"""The web edition's colour themes, derived from the house colours.

Light is the house style as printed. Dark and cream are made here, each
colour moved towards white or black until it reaches the contrast it needs
on its background, so every theme passes WCAG 2.2 AA (and body text clear
print's 7:1) whatever colours a source folder's house style sets.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...colour import MIN_CONTRAST, contrast, hex_rgb

Rgb = tuple[float, float, float]
LINK_CONTRAST = 7.0  # links are read as text: the same contrast as body text
EDGE_CONTRAST = 3.0  # rules and borders (WCAG 1.4.11, non-text contrast)
DARK_BACKGROUND = "#121212"
DARK_TEXT = "#F2F2F2"
CREAM_BACKGROUND = "#FBF3DF"


@dataclass(frozen=True)
class Theme:
    text: str
    background: str
    accent: str  # headings' rules, borders, links
    tint: str  # the callout box's background
    highlight: str  # the sentence being read aloud
    highlight_text: str

    def css(self) -> str:
        return "".join(f" --{name.replace('_', '-')}: {value};" for name, value in vars(self).items())


def to_hex(rgb: Rgb) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def mix(one: str, other: str, share: float) -> str:
    """``share`` of ``other`` mixed into ``one``."""
    a, b = hex_rgb(one), hex_rgb(other)
    return to_hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def readable(colour: str, background: str, minimum: float) -> str:
    """``colour``, moved towards white on a dark background (black on a light
    one) in small steps until it reaches ``minimum`` contrast on ``background``."""
    towards = "#FFFFFF" if contrast(hex_rgb(background), (0, 0, 0)) < 10 else "#000000"
    for step in range(21):
        candidate = mix(colour, towards, step / 20)
        if contrast(hex_rgb(candidate), hex_rgb(background)) >= minimum:
            return candidate
    return towards


def themes(colours: dict[str, str], highlight: str) -> dict[str, Theme]:
    """light (the house colours), dark and cream."""
    text, background = colours["text"], colours["background"]
    light = Theme(text, background, readable(colours["accent"], background, LINK_CONTRAST),
                  readable(colours["tint"], text, MIN_CONTRAST), highlight, readable(text, highlight, MIN_CONTRAST))
    dark_accent = readable(colours["accent"], DARK_BACKGROUND, LINK_CONTRAST)
    dark_highlight = mix(highlight, DARK_BACKGROUND, 0.65)  # a dim gold: bright yellow glares on black
    dark = Theme(DARK_TEXT, DARK_BACKGROUND, dark_accent,
                 readable(mix(colours["accent"], DARK_BACKGROUND, 0.75), DARK_TEXT, MIN_CONTRAST),
                 dark_highlight, readable(DARK_TEXT, dark_highlight, MIN_CONTRAST))
    cream = Theme(text, CREAM_BACKGROUND, readable(colours["accent"], CREAM_BACKGROUND, LINK_CONTRAST),
                  readable(mix(colours["tint"], CREAM_BACKGROUND, 0.5), text, MIN_CONTRAST),
                  highlight, readable(text, highlight, MIN_CONTRAST))
    return {"light": light, "dark": dark, "cream": cream}
