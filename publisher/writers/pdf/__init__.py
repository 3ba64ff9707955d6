"""The print editions: the A5 booklet, its A4 imposition, and large print.

``outputs.pdf(slug, "booklet")``      A5 pages in reading order, padded to a multiple of 4
``outputs.pdf(slug, "imposed")``      the same pages two-up on A4 for duplex printing and folding
``outputs.pdf(slug, "large_print")``  A4, body 18 pt, the same content and order

The modules, one job each: editions.py reads the house style; fonts.py the
print fonts; styles.py the clear-print paragraph styles; story.py turns the
document into flowables; flowables.py draws what platypus lacks; typeset.py
lays out one pass; tagging.py makes it tagged PDF/UA-1 (marked content while
drawing, the structure tree after); imposition.py folds paper; pages.py finds
where each booklet page starts for the EPUB.
"""

from __future__ import annotations

from dataclasses import replace

from ... import outputs
from ...contract import Job, PdfData, Written
from ...files import write_bytes
from ...outputs import web_url
from ...style import formats_url, style_error
from .editions import PAGE_SIZES, Edition, editions, other_editions
from .fonts import Glyphs, unprintable
from .imposition import impose
from .layout import Layout
from .pages import page_starts
from .tagging import write_structure, xmp_packet
from .typeset import typeset


def typeset_padded(job: Job, edition: Edition, others: tuple[str, ...], url: str) -> tuple[bytes, Layout]:
    """Typeset until the page count is a multiple of ``edition.pad_to`` and
    the contents page names the pages the headings really fell on.

    The first pass, a trial that writes no PDF, finds the page count and the headings' pages; Notes pages
    then pad the booklet, which moves only the closing pages; a last pass
    prints the final numbers in the contents. Three passes at most.
    """
    padding, known = 0, None
    for _ in range(4):
        pdf, layout = typeset(job, edition, others, url, padding, known)
        missing = -layout.pages % edition.pad_to
        if not missing and known is not None and known.outline == layout.outline:
            return pdf, layout
        padding, known = padding + missing, layout
    raise RuntimeError(f"the {edition.name} page layout did not settle")


def tagged(job: Job, pdf: bytes, layout: Layout) -> bytes:
    """The edition as tagged PDF/UA-1: its structure tree and identification
    added to the marked content typesetting drew (the imposed file, for the
    printer, is made from the untagged pages)."""
    meta = job.document.meta
    xmp = xmp_packet(meta.title, meta.language, list(meta.authors) or [meta.publisher], job.build_date,
                     "ReportLab PDF Library, tagged by publisher")
    assert layout.structure is not None
    return write_structure(pdf, layout.structure, meta.language, xmp)


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
        Glyphs.of(job)  # the print font, its fallback, and a font for each further script the text needs
    except fontpkg.FontpkgError as error:
        raise style_error(folder, "print", f"the print font cannot be used: {error}",
                          "install the family's fontpkg package (pip install fontpkg-<family>) "
                          "and add it to pyproject.toml") from None


def write(job: Job) -> Written:
    document = job.document
    # The link and QR code lead to the web edition, where every other edition can be had too.
    url = web_url(formats_url(document.meta.formats_url, job.style), document.slug)
    every_edition = editions(job)
    files, data = [], PdfData()
    for edition in every_edition:
        job.progress(f"{document.slug}: typesetting the {edition.name.replace('_', ' ')} PDF")
        pdf, layout = typeset_padded(job, edition, other_editions(edition, every_edition, job.terms), url)
        files.append(write_bytes(job.path(outputs.pdf(document.slug, edition.name)), tagged(job, pdf, layout)))
        data[edition.name] = {  # type: ignore[literal-required]  # "booklet" or "large_print"
            "pages": layout.pages,
            "notes_pages": layout.notes,
            # the page each section starts on, by section number (for the EPUB's page list)
            "section_pages": {str(s.number): layout.page_of(f"section-{s.number}") for s in document.sections},
        }
        if edition.name == "booklet":
            data["pages"] = page_starts(document, layout)  # the EPUB's page list follows the booklet
            imposed = impose(pdf, layout, edition.right_to_left)  # bound on the right for right-to-left text
            files.append(write_bytes(job.path(outputs.pdf(document.slug, "imposed")), imposed))
            files += local_booklets(job, edition, every_edition, url)
    return Written(tuple(files), data, unprintable(job))


def local_booklets(job: Job, booklet: Edition, every_edition: list[Edition], url: str) -> list:
    """The booklet once more for each local edition (--local), its service's
    details on the back cover instead of the lines to write them on."""
    files = []
    for details in job.options.get("local", ()):
        job.progress(f"{job.document.slug}: typesetting the booklet for {details.name}")
        edition = replace(booklet, local=details)
        pdf, layout = typeset_padded(job, edition, other_editions(edition, every_edition, job.terms), url)
        slug = job.document.slug
        files.append(write_bytes(job.path(outputs.local_booklet(slug, details.name)), tagged(job, pdf, layout)))
        imposed = impose(pdf, layout, edition.right_to_left)
        files.append(write_bytes(job.path(outputs.local_booklet(slug, details.name, imposed=True)), imposed))
    return files
