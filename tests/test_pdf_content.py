"""Tables, nested lists, cross-references and sources in print (issue 14).

The milestones fixture (a table with a caption, a nested list, a link to a
heading, two sources) and two made-up tables (one longer than a page, one
too wide for large print's columns) are built, then read back: the words in
tag order and on the page (poppler), the tags and links (pikepdf), where the
words stand on the page (pypdf).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import FIXTURES, assert_words_in_order, require
from publisher import outputs
from publisher.build import build
from publisher.checks import pdf as checks
from publisher.checks import pdf_tags
from publisher.reader import read
from publisher.terms import terms_for
from publisher.text import words

MILESTONES = FIXTURES / "content" / "milestones.md"
EDITIONS = ("booklet", "large_print")


@pytest.fixture(scope="module")
def milestones(tmp_path_factory):
    require("pdfinfo")
    output = tmp_path_factory.mktemp("milestones")
    build([MILESTONES], ["pdf"], output, cache_dir=output / "cache")
    document = read(MILESTONES)
    return document, {name: output / document.slug / outputs.pdf(document.slug, name) for name in EDITIONS}


def structure(path: Path) -> list[tuple[str, int]]:
    """(role, depth) of every element, in tag order."""
    found = []

    def visit(element, depth):
        found.append((str(element.S)[1:], depth))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid, depth + 1)

    with pikepdf.open(path) as pdf:
        visit(pdf.Root.StructTreeRoot.K, 0)
    return found


@pytest.mark.parametrize("name", EDITIONS)
def test_every_word_arrives_in_order_in_tags_and_on_the_page(milestones, name):
    document, files = milestones
    assert pdf_tags.check_file(files[name], document) == []
    assert_words_in_order(document, pdf_tags.tagged_text(files[name]), f"{name} (tag order)")
    # On the page too, as pypdf reads it (poppler's pdftotext reads a table's columns side by side as it likes).
    assert_words_in_order(document, "\n".join(page.extract_text() for page in PdfReader(files[name]).pages),
                          f"{name} (pypdf)")


def test_the_whole_print_check_passes(milestones):
    """All but the document information the fixture does not give (no subject, no keywords)."""
    document, files = milestones
    found = [str(finding) for finding in checks.check(files["booklet"].parent, document) if finding.severity != "info"]
    assert [message for message in found if not message.endswith(("no subject in the document information",
                                                                    "no keywords in the document information"))] == []


def test_the_table_is_tagged_with_its_caption_header_and_cells(milestones):
    document, files = milestones
    table = next(block for section in document.sections for block in section.blocks if type(block).__name__ == "Table")
    for name in EDITIONS:
        roles = [role for role, _ in structure(files[name])]
        start = roles.index("Table")
        assert roles[start + 1:start + 3] == ["Caption", "TR"]
        assert roles.count("TH") == len(table.header)
        assert roles.count("TD") == len(table.header) * len(table.rows)
        assert roles.count("TR") == 1 + len(table.rows)
    text = pdf_tags.tagged_text(files["booklet"])
    caption, first_name = text.index(table.caption), text.index(table.header[0][0].text)
    assert caption < first_name  # the caption comes first, above the table


def test_the_nested_list_is_indented_and_numbered_from_the_model(milestones):
    document, files = milestones
    listing = next(block for section in document.sections for block in section.blocks
                   if type(block).__name__ == "ListBlock" and block.levels)
    roles = structure(files["booklet"])
    outer = next(i for i, (role, _) in enumerate(roles) if role == "L")
    depth = roles[outer][1]
    # L > LI > LBody > L: the nested list sits in its parent item's body, after its words (a P)
    assert ("L", depth + 3) in roles[outer + 1:outer + 12]
    assert [role for role, d in roles[outer + 1:outer + 6]] == ["LI", "Lbl", "LBody", "P", "L"]
    # printed: the top level's numbers from the model, nested items further right
    page = next(p for p in PdfReader(files["booklet"]).pages if listing.items[1][0].text in p.extract_text())
    pieces = checks.positioned_text(page)

    def left(text: str) -> float:
        return min(x for x, _, piece in pieces if text in piece)

    top, nested = listing.items[0][0].text, listing.items[1][0].text
    assert left(nested) > left(top) + 10
    numbers = [str(marker) for marker in listing.markers() if marker is not None]
    shown = " ".join(piece for _, _, piece in pieces)
    assert all(f"{number}." in shown for number in numbers[:2])


def link_targets(path: Path) -> list[tuple[int, int, str]]:
    """(page of the link, page it goes to, its description) for every internal link, from page 3."""
    found = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.obj.get("/Annots") or []:
                destination = annotation.get("/Dest")
                if destination is None and "/A" in annotation and "/D" in annotation.A:
                    destination = annotation.A.D
                if isinstance(destination, pikepdf.Array) and number > 2:
                    found.append((number, pages[destination[0].objgen], str(annotation.Contents)))
    return found


def page_with(path: Path, text: str) -> int:
    """The first page after the contents that shows ``text``."""
    reader = PdfReader(path)
    return next(number for number, page in enumerate(reader.pages, start=1)
                if number > 2 and " ".join(words(text)) in " ".join(words(page.extract_text())))


def test_a_cross_reference_links_to_its_heading(milestones):
    """'[when to get help](#when-to-get-help)': an internal link to the page where the heading is."""
    document, files = milestones
    heading = next(s.heading for s in document.sections if s.heading and s.heading.id == "when-to-get-help")
    for name in EDITIONS:
        links = link_targets(files[name])
        assert (page_with(files[name], "Read more in"), page_with(files[name], heading.text),
                "when to get help") in links


def test_sources_are_raised_numbers_linking_to_a_sources_section_before_the_contact(milestones):
    document, files = milestones
    heading = terms_for("en-GB")("pdf_sources")
    for name in EDITIONS:
        path = files[name]
        roles = [role for role, _ in structure(path)]
        assert roles.count("Note") == len(document.notes)
        sources = page_with(path, f"{heading} 1 " + "".join(run.text for run in document.notes[0].runs))
        assert sources < page_with(path, document.meta.contact.heading)
        links = [(page, target) for page, target, description in link_targets(path) if description == "1"]
        assert (page_with(path, "Every baby grows at their own pace"), sources) in links
        text = pdf_tags.tagged_text(path)
        assert text.index(heading) < text.index(document.meta.contact.heading)
    # raised (a text rise, Ts), at full size: clear print has nothing smaller than the body
    with pikepdf.open(files["booklet"]) as pdf:
        page = pdf.pages[page_with(files["booklet"], "Every baby grows") - 1]
        operations = [(str(operator), list(operands)) for operands, operator in pikepdf.parse_content_stream(page)]
    assert any(operator == "Ts" and float(operands[0]) > 0 for operator, operands in operations)
    sizes = {float(operands[1]) for operator, operands in operations if operator == "Tf"}
    assert min(sizes) >= checks.FLOORS["booklet"][0]


def test_the_first_page_of_the_guidance_has_the_heading_the_contents_names(milestones):
    document, files = milestones
    for name in EDITIONS:
        reader = PdfReader(files[name])
        shown = [word for word in words(reader.pages[2].extract_text()) if not word.isdigit()]  # not its number
        assert shown[:len(words(document.meta.title))] == words(document.meta.title)
    roles = structure(files["booklet"])
    sections = [i for i, (role, _) in enumerate(roles) if role == "Sect"]
    assert roles[sections[1] + 1][0] == "H2"


# Tables longer than a page, and wider than large print's columns ------------------------------------


def table_source(folder: Path, columns: int, rows: int, cell: str) -> Path:
    header = "| " + " | ".join(f"Column{n}" for n in range(1, columns + 1)) + " |"
    rule = "| " + " | ".join("---" for _ in range(columns)) + " |"
    lines = [f"| {cell} {r} " + " ".join(f"| {cell}" for _ in range(columns - 1)) + " |" for r in range(1, rows + 1)]
    text = ("---\ntitle: Tables\nlanguage: en-GB\npublisher: Test Press\ndate: 2024-01-01\n---\n\n"
            "Some words first.\n\n## A table\n\n" + "\n".join([header, rule, *lines])
            + "\n\nTable: The caption\n\nSome words after.\n")
    source = folder / "tables.md"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_long_table_splits_across_pages_with_its_header_repeated_and_tagged_once(tmp_path):
    require("pdfinfo")
    source = table_source(tmp_path, 3, 60, "Breastfeeding")
    build([source], ["pdf"], tmp_path / "out", cache_dir=tmp_path / "cache")
    document = read(source)
    path = tmp_path / "out" / "tables" / outputs.pdf("tables", "booklet")
    pages = [page.extract_text() for page in PdfReader(path).pages]
    with_rows = [n for n, text in enumerate(pages) if "Breastfeeding 3" in text or "Breastfeeding 59" in text]
    spread = range(with_rows[0], with_rows[-1] + 1)
    assert len(spread) > 1, "the table was meant to run over a page"
    assert all("Column1" in pages[n] for n in spread)  # the header atop every page of the table
    # It starts below the words before it (not on a page of its own, leaving a gap), and ends where it ends.
    assert "Some words first" in pages[with_rows[0]] and "The caption" in pages[with_rows[0]]
    roles = [role for role, _ in structure(path)]
    assert roles.count("TH") == 3 and roles.count("TR") == 61  # the repeats are artifacts
    assert pdf_tags.check_file(path, document) == []


def test_large_print_stacks_a_table_too_wide_for_its_columns(tmp_path):
    require("pdfinfo")
    source = table_source(tmp_path, 7, 3, "Overwhelmingly")
    build([source], ["pdf"], tmp_path / "out", cache_dir=tmp_path / "cache")
    document = read(source)
    large = tmp_path / "out" / "tables" / outputs.pdf("tables", "large_print")
    text = "\n".join(page.extract_text() for page in PdfReader(large).pages)
    # each row under the column names: every name printed once per row
    assert all(text.count(f"Column{n}") == 3 for n in range(1, 8))
    lines = [line.strip() for line in text.splitlines()]
    assert "Column1" in lines and "Overwhelmingly 1" in lines  # a name and its cell on lines of their own
    roles = [role for role, _ in structure(large)]
    assert roles.count("TH") == 7 and roles.count("TD") == 21 and roles.count("TR") == 4
    assert pdf_tags.check_file(large, document) == []  # the words in tag order: the header, then row by row
    found = [str(f) for f in checks.check(large.parent, document) if f.severity != "info"]
    assert [message for message in found if "document information" not in message] == []  # (no subject, keywords)
    for page in PdfReader(large).pages:
        assert max((len(line) for line in page.extract_text().splitlines()), default=0) <= checks.MAX_LINE
