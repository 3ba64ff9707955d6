"""Every fixed word the tool prints or speaks, per language, as data.

Pandoc's translations are the model: a fixed set of keys, one YAML file per
language (``publisher/terms/<tag>.yaml``), looked up by the writers. A source
in a language with no file, or a file missing keys, falls back to British
English key by key, and the build says which keys it borrowed.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).with_name("terms")
FALLBACK = "en-GB"
# Languages written in a right-to-left script (Arabic, Hebrew, Thaana, …), for those with no terms file yet.
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})


@dataclass(frozen=True)
class Terms:
    """The words of one language; ``terms("key", name=…)`` fills its ``{name}`` fields."""

    language: str
    entries: Mapping[str, str]
    borrowed: tuple[str, ...] = field(default=(), compare=False)  # keys taken from the fallback

    def __call__(self, key: str, **values: object) -> str:
        template = self.entries[key]  # a KeyError here is a bug: every key is in the fallback
        return template.format(**values) if values else template

    @property
    def right_to_left(self) -> bool:
        """Whether the language is written right to left: its terms say
        ``text_direction: rtl``, or, with no terms of its own, it is one of the
        languages written in a right-to-left script."""
        if "text_direction" in self.borrowed:
            return self.language.split("-")[0].lower() in RIGHT_TO_LEFT
        return self.entries["text_direction"] == "rtl"

    def date(self, day: dt.date) -> str:
        """A date as the language writes it: "1 January 2024"."""
        month = self.entries["months"].split()[day.month - 1]
        return self("date", day=day.day, month=month, year=day.year)

    def month(self, day: dt.date) -> str:
        """A month as the language writes it: "January 2024" (Polish names a
        month differently alone than in a date, hence ``months_standalone``)."""
        month = self.entries["months_standalone"].split()[day.month - 1]
        return self("month_year", month=month, year=day.year)


def files_for(language: str) -> list[Path]:
    """The terms files a language uses, most general first: en-GB, cy, cy-GB."""
    parts = language.split("-")
    tags = [FALLBACK] + ["-".join(parts[: n + 1]) for n in range(len(parts))]
    found: list[Path] = []
    for tag in tags:
        path = FOLDER / f"{tag}.yaml"
        if path.is_file() and path not in found:
            found.append(path)
    return found


@cache
def terms_for(language: str) -> Terms:
    fallback = _load(FOLDER / f"{FALLBACK}.yaml")
    entries = dict(fallback)
    own: dict[str, str] = {}
    for path in files_for(language)[1:]:
        own.update(_load(path))
    entries.update(own)
    borrowed = () if language == FALLBACK else tuple(sorted(set(fallback) - set(own)))
    return Terms(language, entries, borrowed)


def _load(path: Path) -> dict[str, str]:
    # libyaml's parser: the terms are the package's own files, so no error needs placing
    # on its line by the pure-Python parser, which takes ten times as long (~20 ms for en-GB).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {str(key): str(value) for key, value in data.items()}


def fields(template: str) -> set[str]:
    """The ``{name}`` fields a term fills, so a translation can be checked against English."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
