"""Checks of the Word leaflets: each file reopened with python-docx, then
converted by LibreOffice the way a family worker's computer would open it.

The rules are those of Word's own accessibility checker and of clear print
(RNIB, UKAAF): title and language, headings in order, alt text, header rows,
no empty paragraphs used as spacing, no floating text boxes, contrast, no
italics or underlining, never justified, sizes from the file not the writer.
And the content: tables with a marked header row, nested list items on
numbering level 1, a bookmark for every "#id" link, each printed link with
its address, the sources, the version and review dates in the footer, lines
to write on (no placeholder) in the generic leaflets, the draft header
exactly when the build was a draft, every other format of the table listed
under "Other formats". The fixed words it looks for ("Your
local contact", "Page X of Y", "Reviewed …") are the terms of the document's
language, as the writer printed them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import outputs
from ..colour import MIN_CONTRAST, contrast, hex_rgb
from ..diagnostics import ERROR, INFO, Diagnostic
from ..formats import offered
from ..local import FIELDS as LOCAL_FIELDS
from ..manifest import Manifest
from ..model import (
    Callout,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Run,
    Runs,
    Table,
    walk,
)
from ..style import Style, formats_url, load_style
from ..terms import Terms, terms_for
from ..text import document_words, missing_in_order, words
from ..visit import Visitor

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FLOORS = {"standard": (12.0, 14.0), "large_print": (16.0, 18.0)}  # smallest text, body
SANS_SERIF = {"Arial", "Verdana", "Tahoma", "Calibri", "Helvetica", "Segoe UI", "Atkinson Hyperlegible"}
A4_POINTS = (595, 842)
FLOATING = ("wp:anchor", "w:txbxContent", "w:pict", "w:framePr", "mc:AlternateContent")
NAMESPACES = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}


LARGE_PRINT = "large-print"  # the large-print edition's name in outputs.leaflet


def leaflets(out_dir: Path) -> list[Path]:
    """The leaflets the build wrote (its manifest lists them): standard, large print, local editions."""
    return [out_dir / name for name in Manifest(out_dir).files("docx")]


def edition(path: Path, document: Document) -> str:
    """Which house-style sizes a file was made with: "large_print" or "standard"."""
    return "large_print" if path.name == outputs.leaflet(document.slug, LARGE_PRINT) else "standard"


def is_local(path: Path, document: Document) -> bool:
    """A local edition, its box filled from a local-details file (not the standard or large print)."""
    return path.name not in (outputs.leaflet(document.slug), outputs.leaflet(document.slug, LARGE_PRINT))


def rights_line(document: Document, terms: Terms) -> str:
    """The footer's last line, as the writer prints it."""
    meta = document.meta
    return meta.rights or terms("docx_rights", publisher=meta.publisher)


def review_parts(document: Document, terms: Terms) -> list[str]:
    """The footer's version and review dates, each as the terms write it, of what the source gives."""
    meta = document.meta
    parts = [terms("docx_version", version=meta.version)] if meta.version else []
    for key, day in (("docx_reviewed", meta.reviewed), ("docx_next_review", meta.next_review)):
        if day:
            parts.append(terms(key, month=terms.month(dt.date.fromisoformat(day))))
    return parts


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    style = load_style(document.source.resolve().parent)
    files = leaflets(out_dir)
    if not files:
        return [Diagnostic(ERROR, outputs.leaflet(document.slug), "not built")]
    draft = bool(Manifest(out_dir).data("docx").get("draft"))
    findings = [Diagnostic(ERROR, path.name, message)
                for path in files for message in problems(path, document, style, draft)]
    if not shutil.which("soffice"):
        return findings + [Diagnostic(INFO, files[0].name, "LibreOffice (soffice) is not installed: pages not checked")]
    with tempfile.TemporaryDirectory(prefix="docx-check-") as scratch:
        pdfs = to_pdf(files, Path(scratch))
        for path in files:
            findings += [Diagnostic(ERROR, path.name, message)
                         for message in pdf_problems(pdfs.get(path), path, document, style)]
    return findings


# One file, reopened with python-docx ---------------------------------------------


def problems(path: Path, document: Document, style: Style, draft: bool = False) -> list[str]:
    """Everything wrong with one Word leaflet, as messages (``draft``: the build was asked for a draft)."""
    import docx

    try:
        word = docx.Document(str(path))
    except Exception as error:  # a file Word would refuse to open
        return [f"python-docx cannot open it: {type(error).__name__}: {error}"]
    terms = terms_for(document.meta.language)
    found = metadata_problems(word, document)
    found += clear_print_problems(word, style, edition(path, document))
    found += accessibility_problems(word, document, style)
    found += structure_problems(word, document)
    found += numbering_problems(word, document, terms)
    found += other_formats_problems(word, terms)
    found += table_problems(word, document, terms)
    found += link_problems(word, document)
    found += local_contact_problems(word, terms, is_local(path, document))
    found += footer_problems(word, document, terms)
    found += draft_problems(word, terms, draft)
    lost = missing_in_order(document_words(document), words(leaflet_text(word)))
    if lost:
        found.append(f"{len(lost)} words of the source missing or out of order, first: {lost[:8]}")
    return found


def metadata_problems(word, document: Document) -> list[str]:
    found = []
    properties = word.core_properties
    if properties.title != document.meta.title:
        found.append(f"core property title is {properties.title!r}, not {document.meta.title!r}")
    if properties.language != document.meta.language:
        found.append(f"core property language is {properties.language!r}, not {document.meta.language!r}")
    if not properties.author:
        found.append("core property author is empty")
    default = word.styles.element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    if default is None or default.get(f"{{{W}}}val") != document.meta.language:
        found.append(f"the styles' default language (w:lang in docDefaults) is not {document.meta.language}")
    return found


def clear_print_problems(word, style: Style, kind: str) -> list[str]:
    """No italics, underlining or justification anywhere; one sans-serif font; sizes and contrast."""
    found = []
    for name, root in xml_parts(word).items():
        for element in root.iter(f"{{{W}}}i", f"{{{W}}}iCs"):
            if _on(element):
                found.append(f"italics ({_local(element)}) in {name}")
                break
        for element in root.iter(f"{{{W}}}u"):
            if element.get(f"{{{W}}}val", "single") != "none":
                found.append(f"underlining in {name}")
                break
        for element in root.iter(f"{{{W}}}jc"):
            if element.get(f"{{{W}}}val") in ("both", "distribute", "mediumKashida", "highKashida", "lowKashida"):
                found.append(f"justified text in {name}")
                break
        for element in root.iter(f"{{{W}}}rFonts"):
            if any(attribute.endswith("Theme") for attribute in element.attrib):
                found.append(f"a theme font (not the house font) in {name}")
                break
            fonts = {element.get(f"{{{W}}}{a}") for a in ("ascii", "hAnsi")} - {None}
            if fonts - {style["fonts"]["word"]} or fonts - SANS_SERIF:
                found.append(f"font {sorted(fonts)} in {name}: the house font is {style['fonts']['word']}")
                break
    floor, body = FLOORS[kind]
    runs = list(text_runs(word))
    normal = effective(word, None, word.styles["Normal"], "size")
    if normal is None or normal < body:
        found.append(f"body text (Normal) is {normal} pt, under {body:g} pt")
    if runs:
        smallest = min(runs, key=lambda r: r["size"])
        if smallest["size"] < floor:
            found.append(f"text {smallest['text'][:30]!r} is {smallest['size']:g} pt, under {floor:g} pt")
        lowest = min(runs, key=lambda r: r["contrast"])
        if lowest["contrast"] < MIN_CONTRAST:
            found.append(f"text {lowest['text'][:30]!r} has contrast {lowest['contrast']:.1f}:1, "
                         f"under {MIN_CONTRAST:g}:1")
    return found


def accessibility_problems(word, document: Document, style: Style) -> list[str]:
    """Word's accessibility checker: alt text, tables, empty paragraphs, floating objects."""
    found = []
    body = word.element.body
    pictures = body.findall(".//wp:docPr", NAMESPACES)
    expected = len(document.images) + (1 if formats_url(document.meta.formats_url, style) else 0)  # the QR code
    if len(pictures) != expected:
        found.append(f"{len(pictures)} pictures, but the source and its QR code make {expected}")
    for picture in pictures:
        if not (picture.get("descr") or "").strip():
            found.append(f"picture {picture.get('name')!r} has no alt text")
    for name, root in xml_parts(word).items():
        for tag in FLOATING:
            if root.find(f".//{tag}", NAMESPACES) is not None:
                found.append(f"a floating object ({tag}) in {name}")
    for number, table in enumerate(body.iter(f"{{{W}}}tbl"), start=1):
        first_row = table.find(f"{{{W}}}tr")
        if first_row is None or first_row.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is None:
            found.append(f"table {number} has no header row marked")
        properties = table.find(f"{{{W}}}tblPr")
        if properties is None or (properties.find(f"{{{W}}}tblCaption") is None
                                  and properties.find(f"{{{W}}}tblDescription") is None):
            found.append(f"table {number} has no title or description")
    # Lines to write on are empty on purpose; so is a paragraph Word needs to end a section after a table.
    ruled = {s.style_id for s in word.styles if s.name == "Write-in Line"}
    for name, root in xml_parts(word).items():
        if name.startswith(("word/document", "word/footer", "word/header")):
            empty = [p for p in root.iter(f"{{{W}}}p") if not _has_content(p)
                     and p.xpath("string(w:pPr/w:pStyle/@w:val)") not in ruled
                     and p.find(f"{{{W}}}pPr/{{{W}}}sectPr") is None]
            if empty:
                found.append(f"{len(empty)} empty paragraphs in {name} (spacing belongs in the styles)")
    levels = [int(level) for level in heading_levels(word)]
    previous = 0
    for level in levels:
        if level > previous + 1:
            found.append(f"heading level {level} follows level {previous}: a level is skipped")
            break
        previous = level
    if not levels:
        found.append("no headings")
    return found


def structure_problems(word, document: Document) -> list[str]:
    """Each kind of block is written in its own Word style, in reading order."""
    found = []
    paragraphs = [(p.style.name, _spaces(p.text)) for p in body_paragraphs(word)]
    position = 0
    for style_name, text in expected_styles(document):
        for index in range(position, len(paragraphs)):
            if paragraphs[index][1] == text:
                if paragraphs[index][0] != style_name:
                    found.append(f"{text[:40]!r} is in style {paragraphs[index][0]!r}, not {style_name!r}")
                position = index + 1
                break
        else:
            found.append(f"no paragraph {text[:40]!r} (style {style_name}) in reading order")
    return found


Expected = list[tuple[str, str]]  # (Word style, paragraph text), in reading order


class _ExpectedStyles(Visitor[Expected]):
    """The paragraphs each block should become, with their Word styles."""

    def __init__(self) -> None:
        self.boxed = False  # inside a callout, paragraphs are Callout Text

    def visit_Heading(self, block: Heading) -> Expected:
        return []  # their levels are checked by heading order

    def visit_Paragraph(self, block: Paragraph) -> Expected:
        return [("Callout Text" if self.boxed else "Normal", printed(block.runs))]

    def visit_ListBlock(self, block: ListBlock) -> Expected:
        style = "List Number" if block.ordered else "List Bullet"
        return [(style, printed(item)) for item in block.items]

    def visit_Quote(self, block: Quote) -> Expected:
        found = [("Quote", printed(paragraph.runs)) for paragraph in block.paragraphs]
        if block.attribution:
            found.append(("Quote Attribution", _spaces("— " + printed(block.attribution))))
        return found

    def visit_Table(self, block: Table) -> Expected:
        found = [("Caption", _spaces(block.caption))] if block.caption else []
        found += [("Table Heading", printed(cell)) for cell in block.header]
        return found + [("Table Text", printed(cell)) for row in block.rows for cell in row]

    def visit_Callout(self, block: Callout) -> Expected:
        found = [("Callout Title", _spaces(block.title))] if block.title else []
        outer, self.boxed = self.boxed, True
        for inner in self.visit_all(block.blocks):
            found += inner
        self.boxed = outer
        return found

    def visit_Image(self, block: Image) -> Expected:
        return [("Caption", _spaces(block.caption))] if block.caption else []


def expected_styles(document: Document) -> Iterator[tuple[str, str]]:
    """(Word style, paragraph text) for every block of the source, in order."""
    meta = document.meta
    yield "Title", meta.title
    if meta.subtitle:
        yield "Subtitle", meta.subtitle
    visitor = _ExpectedStyles()
    for section in document.sections:
        if section.heading is not None:
            yield "Heading 1", _spaces(section.heading.text)
        for expected in visitor.visit_all(section.blocks):
            yield from expected
    for note in document.notes:
        yield "List Number", printed(note.runs)


def printed(runs: Runs) -> str:
    """A paragraph's text as the leaflet prints it: a source's number where it
    is cited, and after a link to an outside address the address in brackets
    (without mailto:), unless the words are the address."""
    text = []
    for run in runs:
        if run.note is not None:
            text.append(str(run.note))
            continue
        text.append(run.text)
        if run.link and not run.link.startswith("#"):
            address = re.sub(r"^(mailto|tel):", "", run.link)
            bare = [re.sub(r"^(https?://)?(www\.)?", "", t.strip()).rstrip("/").lower() for t in (address, run.text)]
            if bare[0] != bare[1]:
                text.append(f" ({address})")
    return _spaces("".join(text))


def numbering_problems(word, document: Document, terms: Terms) -> list[str]:
    """Lists use real numbering: one instance per list, numbered lists restarting
    at their start, nested items on level 1 with their own bullet or number;
    the sources are a numbered list too, and the other formats a bulleted one."""
    found = []
    numbering = word.part.numbering_part.element
    formats = {
        a.get(f"{{{W}}}abstractNumId"): {lvl.get(f"{{{W}}}ilvl"): lvl.find(f"{{{W}}}numFmt").get(f"{{{W}}}val")
                                         for lvl in a.findall(f"{{{W}}}lvl")}
        for a in numbering.findall(f"{{{W}}}abstractNum")
    }
    nums = {n.get(f"{{{W}}}numId"): n for n in numbering.findall(f"{{{W}}}num")}
    lists: list[tuple[str, str]] = []  # (style, numId) of each run of list paragraphs
    levels: list[list[int]] = []  # the numbering level of each item, per list
    previous = None
    for paragraph in body_paragraphs(word):
        style_name = paragraph.style.name
        num_pr = paragraph._p.find(f"{{{W}}}pPr/{{{W}}}numPr")
        num_id = num_pr.find(f"{{{W}}}numId") if num_pr is not None else None
        if style_name not in ("List Bullet", "List Number"):
            previous = None
            continue
        if num_id is None:
            found.append(f"list item {paragraph.text[:30]!r} has no numbering of its own")
            continue
        key = (style_name, num_id.get(f"{{{W}}}val"))
        if key != previous:
            lists.append(key)
            levels.append([])
        levels[-1].append(int(num_pr.xpath("string(w:ilvl/@w:val)") or 0))
        previous = key
    blocks = [b for s in document.sections for b in walk(s.blocks) if isinstance(b, ListBlock)]
    if document.notes:  # the sources: a numbered list from the first note's number
        blocks.append(ListBlock(True, tuple(n.runs for n in document.notes), 0, document.notes[0].number))
    blocks.append(ListBlock(False, tuple((Run(text),) for text in other_formats(terms)), 0))
    expected = [("List Number" if b.ordered else "List Bullet", b.start) for b in blocks]
    if [style for style, _ in lists] != [style for style, _ in expected]:
        found.append(f"{len(lists)} lists in the file, {len(expected)} in the source")
    if len({num_id for _, num_id in lists}) != len(lists):
        found.append("two lists share one numbering instance: the second would continue the first's numbers")
    for (style_name, num_id), (_, start), block, item_levels in zip(lists, expected, blocks, levels, strict=False):
        wanted = [block.level(i) for i in range(len(block.items))]
        if item_levels != wanted:
            found.append(f"the list at source line {block.line} has its items on numbering levels "
                         f"{item_levels}, not {wanted} (a nested item is on level 1)")
        num = nums.get(num_id)
        if num is None:
            found.append(f"numbering instance {num_id} is not defined")
            continue
        kinds = formats.get(num.find(f"{{{W}}}abstractNumId").get(f"{{{W}}}val"), {})
        kind = kinds.get("0")
        if kind != ("decimal" if style_name == "List Number" else "bullet"):
            found.append(f"a {style_name} list is numbered as {kind!r}")
        if block.levels and kinds.get("1") != ("decimal" if block.nested_ordered else "bullet"):
            found.append(f"the nested items of the list at source line {block.line} are numbered as "
                         f"{kinds.get('1')!r}")
        override = num.find(f"{{{W}}}lvlOverride/{{{W}}}startOverride")
        if style_name == "List Number" and (override is None or int(override.get(f"{{{W}}}val")) != start):
            found.append(f"numbered list {num_id} does not restart at {start}")
    return found


def table_problems(word, document: Document, terms: Terms) -> list[str]:
    """Each table of the source is a Word table, in order, with its columns and
    rows, its header row marked to repeat on every page, and its caption (if
    any) as a Caption paragraph straight above it."""
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

    found = []
    heading = terms("docx_local_contact")
    tables = [t for t in word.element.body.iter(f"{{{W}}}tbl")
              if t.xpath("string(w:tblPr/w:tblCaption/@w:val)") != heading]
    expected = [b for s in document.sections for b in walk(s.blocks) if isinstance(b, Table)]
    if len(tables) != len(expected):
        return [f"{len(tables)} tables in the file (besides the local contact box), {len(expected)} in the source"]
    for element, table in zip(tables, expected, strict=True):
        where = f"the table at source line {table.line}"
        word_table = WordTable(element, word._body)
        shape = (len(word_table.rows), len(word_table.columns))
        if shape != (len(table.rows) + 1, len(table.header)):
            found.append(f"{where} is {shape[0]} rows by {shape[1]} columns in Word, not "
                         f"{len(table.rows) + 1} by {len(table.header)}")
        first = element.find(f"{{{W}}}tr")
        if first is None or first.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is None:
            found.append(f"{where} has no header row marked to repeat (w:tblHeader)")
        if table.caption:
            before = element.getprevious()
            caption = WordParagraph(before, word._body) if before is not None and before.tag == f"{{{W}}}p" else None
            style = caption.style.name if caption is not None and caption.style is not None else None
            if caption is None or style != "Caption" or _spaces(caption.text) != _spaces(table.caption):
                found.append(f"{where} has no Caption paragraph {table.caption!r} straight above it")
    return found


def link_problems(word, document: Document) -> list[str]:
    """Every internal link ("#id", a cited source's number) leads to a bookmark,
    and every heading a link can name has its bookmark (named by its id)."""
    body = word.element.body
    names = {b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    found = []
    for link in body.iter(f"{{{W}}}hyperlink"):
        anchor = link.get(f"{{{W}}}anchor")
        if anchor is not None and anchor not in names:
            words_of = "".join(t.text or "" for t in link.iter(f"{{{W}}}t"))
            found.append(f"the link {words_of!r} leads to #{anchor}, which has no bookmark")
    ids = [s.heading.id if s.heading else s.id for s in document.sections]
    ids += [b.id for s in document.sections for b in walk(s.blocks) if isinstance(b, Heading)]
    found += [f"the heading with id {i!r} has no bookmark of that name" for i in ids if i and i not in names]
    return found


def other_formats(terms: Terms) -> list[str]:
    """What the leaflet lists under "Other formats": every format of the table but
    the Word leaflet, in the order readers are offered them, as the terms name them."""
    return [terms(f"format_{fmt.name}") for fmt in offered(leaving_out="docx")]


def other_formats_problems(word, terms: Terms) -> list[str]:
    """Under "Other formats", the bulleted list of every other format (from the
    format table, not a hand-kept sentence), then a link and a QR code or whom to ask."""
    paragraphs = list(body_paragraphs(word))
    heading = terms("docx_other_formats")
    starts = [n for n, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == heading]
    if len(starts) != 1:
        return [f"{len(starts)} headings {heading!r}, not one"]
    after = paragraphs[starts[0] + 1:]
    end = next((n for n, p in enumerate(after) if p.style.name.startswith("Heading")), len(after))
    listed = [p.text for p in after[:end] if p.style.name == "List Bullet"]
    found = [] if listed == other_formats(terms) else [
        f"{heading!r} lists {listed}, not every other format of the table: {other_formats(terms)}"]
    linked = any(p._p.find(f"{{{W}}}hyperlink") is not None and p._p.getnext() is not None
                 and p._p.getnext().find(f".//{{{W}}}drawing") is not None for p in after[:end])
    if not linked and terms("docx_ask_for_edition") not in [p.text for p in after[:end]]:
        found.append(f"{heading!r} gives neither a link with a QR code nor whom to ask")
    return found


def local_contact_problems(word, terms: Terms, local: bool) -> list[str]:
    """The box a family worker fills in: a table titled with the terms' heading,
    labelled rows, the service's name first; the standard and large-print
    editions show lines to write on in every row (nothing printed as an
    instruction), a local edition the details."""
    heading = terms("docx_local_contact")
    tables = [table for table in word.tables
              if table._tbl.tblPr.xpath("string(w:tblCaption/@w:val)") == heading]
    if len(tables) != 1:
        return [f"{len(tables)} tables titled {heading!r}, not one (the box for local contact details)"]
    keys = {terms(f"docx_local_{key}"): key for key in LOCAL_FIELDS}  # label → LocalDetails field
    rows = [(row.cells[0].text, row.cells[1]) for row in tables[0].rows]
    found = [f"the row {label!r} is not one of the terms' labels" for label, _ in rows if label not in keys]
    if not rows or keys.get(rows[0][0]) != "service":
        found.append(f"the first row of {heading!r} does not name the service")
    for label, cell in rows:
        value = cell.text
        ruled = [p for p in cell.paragraphs
                 if p.style.name == "Write-in Line" and p._p.find(f"{{{W}}}pPr/{{{W}}}pBdr/{{{W}}}bottom") is not None]
        if local and not value.strip():
            found.append(f"the row {label!r} of a local edition is not filled in")
        elif not local and value.strip():
            found.append(f"the row {label!r} prints {value.strip()[:40]!r}: a generic leaflet leaves a line to "
                         "write on, not a placeholder")
        elif not local and not ruled:
            found.append(f"the row {label!r} has no line to write on (a ruled Write-in Line paragraph)")
    return found


def footer_problems(word, document: Document, terms: Terms) -> list[str]:
    found = []
    for section in word.sections:
        root = section.footer._element
        instructions = " ".join(t.text or "" for t in root.iter(f"{{{W}}}instrText")).split()
        if "PAGE" not in instructions or "NUMPAGES" not in instructions:
            found.append("the footer has no 'Page X of Y' fields")
        text = "\n".join(p.text for p in section.footer.paragraphs)
        if rights_line(document, terms) not in text:
            found.append("the footer has no rights line")
        found += [f"the footer does not say {part!r}" for part in review_parts(document, terms) if part not in text]
    return found


def draft_problems(word, terms: Terms, draft: bool) -> list[str]:
    """A draft build says so at the top of every page; any other build never does."""
    mark = terms("docx_draft")
    unmarked = [number for number, section in enumerate(word.sections, start=1)
                if mark not in "".join(p.text for p in section.header.paragraphs)]
    if draft and unmarked:
        return [f"a draft build, but the header of section {unmarked[0]} does not say {mark!r}"]
    if not draft and len(unmarked) < len(word.sections):
        return [f"the header says {mark!r}, but the build was not a draft"]
    return []


# Reading the file ------------------------------------------------------------------


def body_paragraphs(word) -> Iterator:
    """Every paragraph of the body, table cells included, in document order."""
    from docx.text.paragraph import Paragraph as WordParagraph

    for element in word.element.body.iter(f"{{{W}}}p"):
        yield WordParagraph(element, word._body)


def leaflet_text(word) -> str:
    """The text a reader meets, paragraphs and table cells in document order."""
    if isinstance(word, (str, Path)):
        import docx

        word = docx.Document(str(word))
    return "\n".join(p.text for p in body_paragraphs(word))


def heading_levels(word) -> Iterator[str]:
    for paragraph in body_paragraphs(word):
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match:
            yield match.group(1)


def xml_parts(word) -> dict[str, Any]:
    """The XML of the parts that carry text or formatting, by part name."""
    from lxml import etree

    parts = {}
    for part in word.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if name.startswith("word/") and name.endswith(".xml"):
            element = getattr(part, "element", None)
            parts[name] = element if element is not None else etree.fromstring(part.blob)
    return parts


def text_runs(word) -> Iterator[dict]:
    """Every run of text in the body and footers, with its effective size and contrast."""
    from docx.text.paragraph import Paragraph as WordParagraph
    from docx.text.run import Run as WordRun

    roots = [word.element.body] + [s.footer._element for s in word.sections]
    for root in roots:
        for p in root.iter(f"{{{W}}}p"):
            paragraph = WordParagraph(p, word._body)
            background = _background(word, paragraph)
            for r in p.iter(f"{{{W}}}r"):
                run = WordRun(r, paragraph)
                if not run.text.strip():
                    continue
                size = effective(word, run, paragraph.style, "size")
                colour = effective(word, run, paragraph.style, "colour") or "000000"
                yield {"text": run.text, "size": size,
                       "contrast": contrast(_rgb(str(colour)), _rgb(background))}


def effective(word, run, paragraph_style, what: str):
    """A run's size (pt) or colour (hex) after Word's inheritance: run, its
    character style, the paragraph style and its bases, the document defaults."""
    def value(font):
        if what == "size":
            return font.size.pt if font.size is not None else None
        return str(font.color.rgb) if font.color is not None and font.color.rgb is not None else None

    fonts = []
    if run is not None:
        fonts.append(run.font)
        fonts += [s.font for s in _chain(run.style)]
    fonts += [s.font for s in _chain(paragraph_style)]
    for font in fonts:
        found = value(font)
        if found is not None:
            return found
    defaults = word.styles.element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    if defaults is not None:
        if what == "size" and defaults.find(f"{{{W}}}sz") is not None:
            return int(defaults.find(f"{{{W}}}sz").get(f"{{{W}}}val")) / 2
        if what == "colour" and defaults.find(f"{{{W}}}color") is not None:
            return defaults.find(f"{{{W}}}color").get(f"{{{W}}}val")
    return 10.0 if what == "size" else None  # Word's own default: 10 pt, automatic colour


def _background(word, paragraph) -> str:
    """The fill behind a paragraph: its own shading, its style's, its table cell's, else white."""
    candidates = [paragraph._p.pPr] + [s.element.pPr for s in _chain(paragraph.style)]
    for properties in candidates:
        shading = properties.find(f"{{{W}}}shd") if properties is not None else None
        if shading is not None and shading.get(f"{{{W}}}fill") not in (None, "auto"):
            return shading.get(f"{{{W}}}fill")
    cell = paragraph._p.getparent()
    if cell.tag == f"{{{W}}}tc":
        shading = cell.find(f"{{{W}}}tcPr/{{{W}}}shd")
        if shading is not None and shading.get(f"{{{W}}}fill") not in (None, "auto"):
            return shading.get(f"{{{W}}}fill")
    return "FFFFFF"


def _chain(style) -> Iterator:
    while style is not None:
        yield style
        style = style.base_style


def _rgb(colour: str) -> tuple[float, float, float]:
    # Word's "auto" (or no colour) is black on the white page.
    return hex_rgb("000000" if colour.lstrip("#") in ("auto", "") else colour)


def _on(element) -> bool:
    return element.get(f"{{{W}}}val", "true") not in ("0", "false", "off")


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _has_content(p) -> bool:
    text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
    return bool(text.strip()) or p.find(f".//{{{W}}}drawing") is not None


def _spaces(text: str) -> str:
    return " ".join(text.split())


# LibreOffice: the files open, convert, and print on the pages intended -------------------


def to_pdf(files: list[Path], out_dir: Path, timeout: int = 180) -> dict[Path, Path]:
    """Convert Word files to PDF with LibreOffice (headless, a private profile
    so it never meets another LibreOffice running on the machine)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "libreoffice-profile"
    command = ["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    converted = {path: out_dir / f"{path.stem}.pdf" for path in files}
    return {path: pdf for path, pdf in converted.items() if pdf.is_file()}


def pdf_problems(pdf: Path | None, source: Path, document: Document, style: Style) -> list[str]:
    """What LibreOffice made of one leaflet: A4 pages (either way up: a wide
    table turns its page), no more than intended, none blank, "Page X of Y" filled in, every word in order."""
    from pypdf import PdfReader

    if pdf is None:
        return ["LibreOffice could not convert it to PDF"]
    reader = PdfReader(pdf)
    terms = terms_for(document.meta.language)
    found = []
    limit = style["docx"][edition(source, document)]["max_pages"]
    pages = len(reader.pages)
    if pages > limit:
        found.append(f"{pages} pages when printed, more than the {limit} intended")
    texts = [page.extract_text() or "" for page in reader.pages]
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        if tuple(sorted(size)) != A4_POINTS:
            found.append(f"page {number} is {size[0]}×{size[1]} pt, not A4")
        page_of = terms("docx_page_of", page=number, pages=pages)
        if page_of not in text:
            found.append(f"page {number} does not say {page_of!r}")
        body = text
        for furniture in (page_of, rights_line(document, terms), terms("docx_draft"),
                          *review_parts(document, terms), "·"):
            body = body.replace(furniture, "")
        if not body.strip():
            found.append(f"page {number} is blank apart from its footer")
    lost = missing_in_order(document_words(document), words("\n".join(texts)))
    if lost:
        found.append(f"{len(lost)} words missing from the PDF or out of order, first: {lost[:8]}")
    return found
