"""Which way a language is written, and with which font, from its tag.

Word sets complex scripts (Arabic, Hebrew, the Indian scripts …) with the
run's complex-script font (w:cs) and language (w:bidi), and lays out a
right-to-left paragraph only when it is marked w:bidi. The script comes from
the tag's own script subtag when it has one ("pa-Arab"), else from the
language's usual script in the small table below; a language not in it is
written in the Latin script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The usual script (ISO 15924) of languages families in the UK read, where it is not Latin.
USUAL_SCRIPT = {
    "ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab", "sd": "Arab", "ckb": "Arab", "ug": "Arab",
    "he": "Hebr", "yi": "Hebr", "dv": "Thaa", "syr": "Syrc",
    "pa": "Guru", "bn": "Beng", "hi": "Deva", "ne": "Deva", "mr": "Deva", "gu": "Gujr", "ta": "Taml",
    "te": "Telu", "ml": "Mlym", "kn": "Knda", "si": "Sinh", "am": "Ethi", "ti": "Ethi",
    "th": "Thai", "km": "Khmr", "my": "Mymr", "ka": "Geor", "hy": "Armn",
    "el": "Grek", "ru": "Cyrl", "uk": "Cyrl", "bg": "Cyrl",
    "zh": "Hani", "ja": "Jpan", "ko": "Kore",
}
RIGHT_TO_LEFT = {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"}
EAST_ASIAN = {"Hani", "Hans", "Hant", "Jpan", "Kore"}
# Scripts Word treats as simple (set with the Latin font and language).
SIMPLE = {"Latn", "Grek", "Cyrl", "Armn", "Geor"} | EAST_ASIAN


def script_of(language: str) -> str:
    """The ISO 15924 script of a BCP 47 tag: its script subtag, else the language's usual one."""
    subtags = language.split("-")
    for subtag in subtags[1:]:
        if len(subtag) == 4 and subtag.isalpha():
            return subtag.title()
    return USUAL_SCRIPT.get(subtags[0].lower(), "Latn")


@dataclass(frozen=True)
class Writing:
    """How a language is written: its script, its direction, its complex-script font."""

    script: str
    font: str  # "" when the house font serves (a simple script, or none given for this one)

    @classmethod
    def of(cls, language: str, fonts: Mapping[str, str]) -> Writing:
        """``fonts`` is the house style's docx.complex_script_fonts (script → font)."""
        script = script_of(language)
        return cls(script, "" if script in SIMPLE else fonts.get(script, ""))

    @property
    def rtl(self) -> bool:
        return self.script in RIGHT_TO_LEFT

    @property
    def complex(self) -> bool:
        return self.script not in SIMPLE

    @property
    def east_asian(self) -> bool:
        return self.script in EAST_ASIAN
