"""The print editions as the house style describes them, in the source's
language and scripts, and what each one's inside back page lists as the
other editions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, A5

from ...contract import Job
from ...formats import FORMATS
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
    local: str = ""  # a local edition's name (local/<name>.yaml), "" for the generic booklet

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
                       scripts, job.cache_dir)

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
