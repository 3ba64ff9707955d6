"""The print editions as the house style describes them, in the source's
language and scripts, and what each one's inside back page lists as the
other editions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, A5

from ...contract import Edition as Language
from ...contract import Job
from ...formats import FORMATS
from ...local import LocalDetails
from ...model import Metadata
from ...terms import Terms
from .scripts import script_fonts

PAGE_SIZES = {"A4": A4, "A5": A5}
MM = 72 / 25.4


@dataclass(frozen=True)
class Edition:
    """One printed edition: its name and page geometry."""

    name: str  # the house-style key and outputs.pdf's edition: "booklet" or "large_print"
    paper: str  # a key of PAGE_SIZES
    body: float  # body text size in points
    margin: float  # points
    bottom_margin: float
    leading: float  # multiple of the text size
    font: str  # the font family (a fontpkg package provides it)
    fallback_font: str  # for characters ``font`` lacks
    pad_to: int  # the page count is padded to a multiple of this
    language: str = "en-GB"  # the source's, BCP 47
    right_to_left: bool = False  # set from the right, bound on the right
    scripts: tuple[tuple[str, str], ...] = ()  # (ISO 15924 script, font family) beside ``font``
    cache_dir: Path = Path(".cache")  # where variable fonts' static instances are kept
    draft: bool = False  # a --draft build: "Draft" on the cover
    languages: tuple[Language, ...] = ()  # the publication in every language (empty: only this one)
    local: LocalDetails | None = None  # a local edition's service (--local); None: the write-in box

    @property
    def page_size(self) -> tuple[float, float]:
        return PAGE_SIZES[self.paper]


def editions(job: Job) -> list[Edition]:
    pdf, fonts = job.style["pdf"], job.style["fonts"]
    scripts = tuple(script_fonts(job).items())

    def edition(name: str, pad_to: int) -> Edition:
        data = pdf[name]
        return Edition(name, data["page_size"], float(data["body_size"]), data["margin_mm"] * MM,
                       data["bottom_margin_mm"] * MM, float(pdf["line_spacing"]), fonts["print"],
                       fonts["print_fallback"], pad_to, job.document.meta.language, job.terms.right_to_left,
                       scripts, job.cache_dir, bool(job.options.get("draft")), job.editions)

    # Only the booklet is folded, so only it needs a multiple of 4 pages.
    return [edition("booklet", 4), edition("large_print", 1)]


def other_editions(edition: Edition, every_edition: list[Edition], terms: Terms) -> tuple[str, ...]:
    """What the inside back page lists: the other print edition, then every
    other format in the order readers are offered them."""
    prints = [terms(f"pdf_edition_{other.name}", paper=other.paper, size=other.body)
              for other in every_edition if other.name != edition.name]
    others = [terms(f"format_{fmt.name}") for fmt in sorted(FORMATS, key=lambda fmt: fmt.offered)
              if fmt.name != "pdf"]
    return tuple(prints + others)


def review_line(meta: Metadata, terms: Terms, build_date: dt.datetime) -> str:
    """The back cover's last line, of what the source gives: "Version 2.1 ·
    Reviewed January 2024 · Next review January 2027". A source with no
    review dates keeps "Version 1.0, 1 January 2024" (the build date)."""
    if not (meta.reviewed or meta.next_review):
        date = terms.date(build_date)
        return terms("pdf_version_date", version=meta.version, date=date) if meta.version else date
    parts = [terms("pdf_version_number", version=meta.version)] if meta.version else []
    for key, value in (("pdf_reviewed", meta.reviewed), ("pdf_next_review", meta.next_review)):
        if value:
            parts.append(terms(key, month=terms.month(dt.date.fromisoformat(value))))
    return " · ".join(parts)
