"""Colours: parsing "#RRGGBB" and WCAG's contrast ratio, for the house-style
validation and for the checks that measure the built files."""

from __future__ import annotations

import re

MIN_CONTRAST = 7.0  # clear print (and WCAG AAA) for body text
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def is_hex(colour: object) -> bool:
    return isinstance(colour, str) and _HEX.fullmatch(colour) is not None


def hex_rgb(colour: str) -> tuple[float, float, float]:
    """"#1F4E79" → (0.12, 0.31, 0.47)."""
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    """WCAG 2's contrast ratio, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
