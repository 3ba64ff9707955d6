"""The print editions: the A5 booklet, its A4 imposition, and large print.

``<slug>-booklet.pdf``          A5 pages in reading order, padded to a multiple of 4
``<slug>-booklet-imposed.pdf``  the same pages two-up on A4 for duplex printing and folding
``<slug>-large-print.pdf``      A4, body 18 pt, the same content and order

Typesetting (typeset.py) knows clear print; imposition (impose.py) knows paper.
Sizes, margins and colours come from the house style's ``pdf`` and ``colours``.
"""

from __future__ import annotations

from ...contract import Job, Written
from ...diagnostics import WARNING, Diagnostic
from ...files import write_bytes
from ...sourcefiles import display_path
from ...style import formats_url, style_error
from .impose import impose
from .pages import page_starts
from .typeset import (
    PAGE_SIZES,
    Edition,
    Editions,
    Glyphs,
    Layout,
    register_fonts,
    typeset,
)

MM = 72 / 25.4


def editions(style) -> list[Edition]:
    pdf = style["pdf"]

    def edition(name: str, suffix: str, pad_to: int) -> Edition:
        data = pdf[name]
        return Edition(name, suffix, PAGE_SIZES[data["page_size"]], float(data["body_size"]),
                       data["margin_mm"] * MM, data["bottom_margin_mm"] * MM, float(pdf["line_spacing"]),
                       style["fonts"]["print"], pad_to, style["fonts"]["print_fallback"])

    # Only the booklet is folded, so only it needs a multiple of 4 pages.
    return [edition("booklet", "-booklet.pdf", 4), edition("large_print", "-large-print.pdf", 1)]


def other_editions(edition: Edition, url: str) -> Editions:
    """What the inside back page lists: every edition but the one in hand."""
    items = [
        "a Word leaflet, to print or to add your local contact details to",
        "an e-book (EPUB) for e-readers, phones and tablets, where you can change the "
        "size of the text and have it read aloud",
        "an audio book (MP3), one track for each section",
    ]
    if edition.name == "booklet":
        items.insert(0, "a large-print edition on A4 paper, in 18 point text")
    else:
        items.insert(0, "an A5 booklet to print and fold")
    return Editions(url, tuple(items))


def typeset_padded(job: Job, edition: Edition, url: str) -> tuple[bytes, Layout]:
    """Typeset until the page count is a multiple of ``edition.pad_to`` and
    the contents page names the pages the headings really fell on.

    The first pass finds the page count and the headings' pages; Notes pages
    then pad the booklet, which moves only the closing pages; a last pass
    prints the final numbers in the contents. Three passes at most.
    """
    padding, known = 0, None
    for _ in range(4):
        pdf, layout = typeset(job.document, edition, job.style["colours"], other_editions(edition, url),
                              job.build_date, padding, known)
        missing = -layout.pages % edition.pad_to
        if not missing and known is not None and known.outline == layout.outline:
            return pdf, layout
        padding, known = padding + missing, layout
    raise RuntimeError(f"the {edition.name} page layout did not settle")


def prepare(job: Job) -> None:
    """Refuse a house style that cannot make clear print, naming its line,
    before any format is written: an unknown paper size, a font that is not
    installed. (Colours are checked when the house style is loaded.)"""
    import fontpkg

    style, folder = job.style, job.document.source.resolve().parent
    for name in ("booklet", "large_print"):
        size = style["pdf"][name]["page_size"]
        if size not in PAGE_SIZES:
            raise style_error(folder, "page_size", f"unknown paper size '{size}' for the {name.replace('_', ' ')}",
                              f"use one of: {', '.join(PAGE_SIZES)}")
    try:
        register_fonts(style["fonts"]["print"])
        register_fonts(style["fonts"]["print_fallback"])
    except fontpkg.FontpkgError as error:
        raise style_error(folder, "print", f"the print font cannot be used: {error}",
                          "install the family's fontpkg package (pip install fontpkg-<family>) "
                          "and add it to pyproject.toml") from None


def unprintable(job: Job) -> tuple[Diagnostic, ...]:
    """Warnings, by source line, for characters no print font can draw."""
    from ...model import walk
    from ...text import block_parts

    glyphs = Glyphs(job.style["fonts"]["print"], job.style["fonts"]["print_fallback"])
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


def write(job: Job) -> Written:
    document = job.document
    url = formats_url(document.meta.formats_url, job.style)
    files, data = [], {}
    for edition in editions(job.style):
        job.progress(f"{document.slug}: typesetting the {edition.name.replace('_', ' ')} PDF")
        pdf, layout = typeset_padded(job, edition, url)
        files.append(write_bytes(job.path(f"{document.slug}{edition.suffix}"), pdf))
        data[edition.name] = {
            "pages": layout.pages,
            "notes_pages": layout.notes,
            # the page each section starts on, by section number (for the EPUB's page list)
            "section_pages": {str(s.number): layout.page_of(f"section-{s.number}") for s in document.sections},
        }
        if edition.name == "booklet":
            data["pages"] = page_starts(pdf, document, layout)  # the EPUB's page list follows the booklet
            files.append(write_bytes(job.path(f"{document.slug}-booklet-imposed.pdf"), impose(pdf, layout)))
    return Written(tuple(files), data, unprintable(job))
