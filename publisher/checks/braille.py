"""Checks of the braille edition: read back as a braille reader would.

The BRF is back-translated with liblouis (``en-us-brf.dis`` and the table of
the document's language) and every word of the source must be found, in
order; no line is longer and no page longer than the house style allows; the
braille page numbers run 1, 2, 3 … at the top right; the print page
indicators name the booklet's pages in order; the PEF holds the same cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..diagnostics import ERROR, Diagnostic
from ..liblouis import BRAILLE_ASCII, BRF_DISPLAY, HOW_TO_INSTALL, load, required, to_unicode
from ..manifest import Manifest
from ..model import Document
from ..outputs import braille
from ..style import load_style
from ..text import missing_in_order, reading_chunks, words

PRINT_PAGE = re.compile(r"^-{4,}(#[A-J]+)$")  # dots 3-6 across, then the page number
PAGE_NUMBER = re.compile(r"^ +(#[A-J]+)$")
REPEATED_CELL = re.compile(r"^(\S)\1{9,}$")  # a box line
PEF = "{http://www.daisy.org/ns/2008/pef}"


def table_for(document: Document) -> str:
    settings = load_style(document.source.resolve().parent)["braille"]
    language = document.meta.language.split("-")[0].lower()
    return str(settings["tables"][language]).split()[settings["grade"] - 1]


def read_pages(path: Path) -> list[list[str]]:
    """The BRF's pages, each a list of lines (form feed between pages, CR LF between lines)."""
    pages = path.read_bytes().decode("ascii").split("\f")
    return [page.split("\r\n")[:-1] for page in pages if page]


def expected_words(document: Document, tables: list[str]) -> list[str]:
    """The source's words as liblouis reads its own braille of them back.

    Grade 2 is not always reversible: "i.e." is brailled correctly as
    I4E4, whose lone E reads back as the wordsign "every". So each chunk of
    the source makes the round trip first; a word the edition dropped or
    moved is still missed, whatever liblouis does with spelling.
    """
    louis = required()
    round_trip = [louis.backTranslateString(tables, louis.translateString(tables, " ".join(chunk.split())))
                  for chunk in reading_chunks(document)]
    return [word for text in round_trip for word in words(text)]


def number(louis, tables: list[str], cells: str) -> str:
    return louis.backTranslateString(tables, cells)


def read_back(pages: list[list[str]], tables: list[str]) -> tuple[str, list[str], list[str]]:
    """The text, the braille page numbers and the print page indicators, back-translated."""
    louis = required()
    text, numbers, print_pages = [], [], []
    for page in pages:
        header = PAGE_NUMBER.match(page[0]) if page else None
        numbers.append(number(louis, tables, header.group(1)) if header else "")
        for line in page[1:]:
            indicator = PRINT_PAGE.match(line)
            if indicator:
                print_pages.append(number(louis, tables, indicator.group(1)))
            elif line.strip() and not REPEATED_CELL.match(line.strip()):
                text.append(louis.backTranslateString(tables, line.strip()))
    return "\n".join(text), numbers, print_pages


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    path = out_dir / braille(document.slug)
    shown = str(path)
    if not path.is_file():
        return [Diagnostic(ERROR, shown, "the braille edition was not built")]
    if load() is None:
        return [Diagnostic(ERROR, shown, "cannot read the braille back", hint=HOW_TO_INSTALL)]
    findings: list[Diagnostic] = []
    style = load_style(document.source.resolve().parent)["braille"]
    cells, lines = int(style["cells"]), int(style["lines"])
    pages = read_pages(path)
    for page_number, page in enumerate(pages, start=1):
        if len(page) > lines:
            findings.append(Diagnostic(ERROR, shown, f"braille page {page_number} has {len(page)} lines, over {lines}"))
        for line_number, line in enumerate(page, start=1):
            if len(line) > cells:
                findings.append(Diagnostic(ERROR, shown, f"braille page {page_number}, line {line_number} has "
                                                         f"{len(line)} cells, over {cells}"))
            if any(c not in BRAILLE_ASCII for c in line):
                findings.append(Diagnostic(ERROR, shown, f"braille page {page_number}, line {line_number} has "
                                                         f"characters that are not Braille ASCII: {line!r}"))
    text, numbers, print_pages = read_back(pages, [BRF_DISPLAY, table_for(document)])
    if numbers != [str(n) for n in range(1, len(pages) + 1)]:
        findings.append(Diagnostic(ERROR, shown, f"the braille page numbers read {numbers}, not 1 to {len(pages)}"))
    booklet = Manifest(out_dir).data("pdf").get("pages", [])
    wanted = [str(page["label"]) for page in booklet if page.get("sentence")]
    if print_pages != wanted:
        findings.append(Diagnostic(ERROR, shown, f"the print page indicators read {print_pages}, "
                                                 f"the booklet's pages that begin a sentence are {wanted}"))
    missing = missing_in_order(expected_words(document, [BRF_DISPLAY, table_for(document)]), words(text))
    if missing:
        findings.append(Diagnostic(ERROR, shown, f"{len(missing)} words of the source are missing or out of "
                                                 f"order in the back-translated braille, first: {missing[:8]}"))
    findings += _check_pef(path.with_suffix(".pef"), pages)
    return findings


def _check_pef(path: Path, pages: list[list[str]]) -> list[Diagnostic]:
    if not path.is_file():
        return [Diagnostic(ERROR, str(path), "the PEF edition was not built")]
    root = etree.parse(str(path)).getroot()
    rows = [[row.text or "" for row in page.iter(f"{PEF}row")] for page in root.iter(f"{PEF}page")]
    expected = [[to_unicode(line) for line in page] for page in pages]
    if rows != expected:
        return [Diagnostic(ERROR, str(path), "the PEF's pages differ from the BRF's")]
    return []
