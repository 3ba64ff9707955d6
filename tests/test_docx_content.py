"""The Word leaflet's content constructs, built from the milestones fixture
(a table with its caption, a nested list, a cross-reference, two cited sources
and review facts) and from small sources: a wide table, a draft build, a
right-to-left language. Each new check is shown to fail on a spoilt file."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import FIXTURES, assert_words_in_order
from publisher.build import build
from publisher.checks.docx import leaflet_text, pdf_problems, problems, to_pdf
from publisher.formats import FORMATS
from publisher.model import Table, walk
from publisher.outputs import leaflet
from publisher.reader import read
from publisher.style import load_style
from publisher.terms import terms_for
from publisher.writers.docx.scripts import Writing, script_of

MILESTONES = FIXTURES / "content" / "milestones.md"
TERMS = terms_for("en-GB")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build_docx(source: Path, output: Path, **options) -> Path:
    build([source], ["docx"], output, {"local": (), **options}, cache_dir=output / ".cache")
    return output / source.stem / leaflet(source.stem)


@pytest.fixture(scope="module")
def milestones(tmp_path_factory):
    path = build_docx(MILESTONES, tmp_path_factory.mktemp("milestones"))
    return read(MILESTONES), path


@pytest.fixture(scope="module")
def style():
    return load_style(MILESTONES.parent)


def test_passes_every_check_and_every_word_arrives_in_order(milestones, style):
    document, path = milestones
    assert problems(path, document, style) == []
    assert_words_in_order(document, leaflet_text(path), path.name)


def test_the_table_is_a_word_table_with_a_repeating_header_and_a_caption_above(milestones):
    document, path = milestones
    (source,) = [b for s in document.sections for b in walk(s.blocks) if isinstance(b, Table)]
    word = docx.Document(str(path))
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == [c[0].text for c in source.header]
    assert len(table.rows) == len(source.rows) + 1
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert {c.paragraphs[0].style.name for c in table.rows[0].cells} == {"Table Heading"}
    caption = table._tbl.getprevious()
    assert caption.xpath("string(w:pPr/w:pStyle/@w:val)") == "Caption"
    assert "".join(t.text for t in caption.iter(qn("w:t"))) == source.caption
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == source.caption
    sizes = {word.styles[name].font.size or word.styles["Normal"].font.size for name in ("Table Text",)}
    assert {size.pt for size in sizes} == {14}  # clear print: the table is body size


def test_nested_items_are_on_level_1_of_their_list_with_their_own_bullets(milestones):
    document, path = milestones
    word = docx.Document(str(path))
    items = [p for p in word.paragraphs if p.style.name == "List Number" and p._p.pPr.numPr is not None]
    block = next(b for s in document.sections for b in walk(s.blocks) if getattr(b, "levels", ()))
    levels = [p._p.pPr.numPr.ilvl.val for p in items[: len(block.items)]]
    assert levels == list(block.levels)
    num_id = items[0]._p.pPr.numPr.numId.val
    numbering = word.part.numbering_part.element
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    (definition,) = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract)]
    formats = [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in definition.findall(qn("w:lvl"))]
    assert formats == ["decimal", "bullet"]


def test_cross_reference_is_an_internal_link_to_the_headings_bookmark(milestones):
    document, path = milestones
    body = docx.Document(str(path)).element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))}
    heading_ids = {s.heading.id for s in document.sections if s.heading}
    assert heading_ids <= bookmarks
    assert "when-to-get-help" in anchors and anchors <= bookmarks


def test_sources_are_superscript_numbers_and_a_numbered_list_before_the_contact(milestones):
    document, path = milestones
    word = docx.Document(str(path))
    markers = [r for r in word.element.body.iter(qn("w:r"))
               if r.xpath("string(w:rPr/w:rStyle/@w:val)") == "NoteReference"]
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in markers] == ["1", "2"]
    assert word.styles["Note Reference"].font.superscript is True
    texts = [p.text for p in word.paragraphs]
    start = texts.index(TERMS("docx_sources"))
    assert texts[start + 1: start + 3] == [note.runs[0].text for note in document.notes]
    assert start < texts.index(document.meta.contact.heading)


def test_footer_carries_version_and_review_dates(milestones):
    _, path = milestones
    footer = docx.Document(str(path)).sections[0].footer
    assert "Version 2.1 · Reviewed January 2024 · Next review January 2027" in [p.text for p in footer.paragraphs]


def test_libreoffice_renders_the_table_and_nested_list(milestones, style, tmp_path):
    from pypdf import PdfReader

    document, path = milestones
    pdf = to_pdf([path], tmp_path)[path]
    assert pdf_problems(pdf, path, document, style) == []
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Six weeks" in text and "– over 38 degrees" in text.replace("\u2013 ", "– ")


# Printed links, a wide table, a draft, right to left ----------------------------------


def test_a_printed_link_keeps_its_address(make_source, tmp_path):
    source = make_source("See [the NHS page](https://www.nhs.uk/baby) or <https://example.org>, "
                         "or [the top](#test).\n")
    path = build_docx(source, tmp_path / "out")
    text = leaflet_text(path)
    assert "the NHS page (https://www.nhs.uk/baby)" in text
    assert "(https://example.org)" not in text and "the top (" not in text
    assert problems(path, read(source), load_style(source.parent)) == []


def test_a_table_too_wide_for_the_page_gets_a_landscape_page(make_source, tmp_path):
    names = " | ".join(f"Column{n}" for n in range(9))
    cells = " | ".join("Developmentally" for _ in range(9))
    source = make_source(f"Before.\n\n| {names} |\n|{' --- |' * 9}\n| {cells} |\n\nAfter.\n")
    path = build_docx(source, tmp_path / "out")
    word = docx.Document(str(path))
    orientations = [(s.page_width > s.page_height) for s in word.sections]
    assert orientations == [False, True, False]
    assert problems(path, read(source), load_style(source.parent)) == []


def test_a_draft_build_marks_every_page_and_the_check_knows(make_source, tmp_path):
    from publisher.checks.docx import check

    source = make_source("Some words.\n")
    path = build_docx(source, tmp_path / "out", draft=True)
    word = docx.Document(str(path))
    assert [p.text for p in word.sections[0].header.paragraphs] == [TERMS("docx_draft")]
    assert not [f for f in check(path.parent, read(source)) if f.severity == "error"]
    document, style = read(source), load_style(source.parent)
    assert any("does not say" in m for m in problems(path, document, style, draft=True) if "header" in m) is False
    plain = build_docx(source, tmp_path / "plain")
    assert any("header of section 1" in m for m in problems(plain, document, style, draft=True))
    assert any("was not a draft" in m for m in problems(path, document, style, draft=False))


def test_scripts_from_language_tags():
    assert script_of("ur") == "Arab" and script_of("pa") == "Guru" and script_of("pa-Arab") == "Arab"
    assert script_of("cy") == "Latn" and script_of("pl-PL") == "Latn"
    assert Writing.of("ur", {"Arab": "Arial"}).rtl and not Writing.of("cy", {}).rtl


def test_urdu_is_right_to_left_with_a_complex_script_font(make_source, tmp_path):
    source = make_source("یہ ایک جملہ ہے۔ **اہم** بات، فون 01604 123456۔\n\n## حصہ\n\n- ایک\n- دو\n",
                         language="ur", title="بچے کی صحت")
    path = build_docx(source, tmp_path / "out")
    word = docx.Document(str(path))
    defaults = word.styles.element.find(f"{W}docDefaults")
    lang = defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "ur" and lang.get(f"{W}bidi") == "ur"
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts").get(f"{W}cs") == "Arial"
    body = word.element.body
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in body.iter(f"{W}p"))
    urdu_runs = [r for r in body.iter(f"{W}r") if "ایک" in "".join(t.text for t in r.iter(f"{W}t"))]
    assert urdu_runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in urdu_runs)
    assert problems(path, read(source), load_style(source.parent)) == []
    assert_words_in_order(read(source), leaflet_text(path), path.name)


# The new checks can fail -----------------------------------------------------------------


def spoil(source: Path, target: Path, change) -> Path:
    word = docx.Document(str(source))
    change(word)
    word.save(str(target))
    return target


def _drop(element, tag):
    for found in list(element.iter(qn(tag))):
        found.getparent().remove(found)


@pytest.mark.parametrize("change, complaint", [
    (lambda w: _drop(w.tables[0]._tbl, "w:tblHeader"), "no header row marked to repeat"),
    (lambda w: w.tables[0]._tbl.getprevious().getparent().remove(w.tables[0]._tbl.getprevious()),
     "no Caption paragraph"),
    (lambda w: [p._p.pPr.numPr.ilvl.set(qn("w:val"), "0") for p in w.paragraphs
                if p._p.pPr is not None and p._p.pPr.numPr is not None], "numbering levels"),
    (lambda w: _drop(w.element.body, "w:bookmarkStart"), "which has no bookmark"),
    (lambda w: w.sections[0].footer.paragraphs[-1]._p.getparent().remove(w.sections[0].footer.paragraphs[-1]._p),
     "footer does not say"),
    (lambda w: w.sections[0].header.paragraphs[0].add_run(TERMS("docx_draft")), "was not a draft"),
    (lambda w: w.tables[1].rows[2].cells[1].paragraphs[0].add_run(TERMS("docx_placeholder_phone")),
     "not a placeholder"),
    (lambda w: _drop(w.tables[1]._tbl, "w:pBdr"), "no line to write on"),
    (lambda w: w.element.body.remove(w.tables[0]._tbl), "tables in the file"),
    (lambda w: [r._r.getparent().remove(r._r) for p in w.paragraphs if p.style.name == "List Number"
                for r in p.runs[:1]], "words of the source missing"),
], ids=["header row", "caption", "nested level", "bookmark", "review line", "draft header", "placeholder",
        "write-in line", "table lost", "note text lost"])
def test_the_new_checks_catch_a_spoilt_leaflet(milestones, style, tmp_path, change, complaint):
    document, path = milestones
    found = problems(spoil(path, tmp_path / path.name, change), document, style)
    assert any(complaint in message for message in found), found


def test_the_check_catches_a_printed_link_without_its_address(make_source, tmp_path):
    source = make_source("See [the NHS page](https://www.nhs.uk/baby).\n")
    path = build_docx(source, tmp_path / "out")

    def drop_address(word):
        for run in word.paragraphs[1].runs:
            if "nhs.uk" in run.text:
                run.text = "."

    found = problems(spoil(path, tmp_path / path.name, drop_address), read(source), load_style(source.parent))
    assert any("in reading order" in message for message in found), found


# Other formats: the format table, and the web edition at formats_url ------------------------------


@pytest.mark.parametrize("formats_url, web_edition", [
    ("https://example.org/guides/sleep", "https://example.org/guides/sleep/web/index.html"),
    ("https://example.org/guides/sleep/", "https://example.org/guides/sleep/web/index.html"),
    ("https://example.org/guides/sleep/editions.html", "https://example.org/guides/sleep/web/index.html"),
    ("https://example.org", "https://example.org/web/index.html"),
    ("https://example.org/guides/sleep?from=leaflet#top", "https://example.org/guides/sleep/web/index.html"),
    ("", ""),
])
def test_the_web_edition_is_web_index_html_in_the_editions_folder(formats_url, web_edition):
    from publisher.outputs import web_url as web_edition_url

    assert web_edition_url(formats_url, "sleep") == web_edition


def other_formats_section(word) -> list:
    """The body paragraphs from the "Other formats" heading to the next heading."""
    paragraphs = list(word.paragraphs)
    start = next(n for n, p in enumerate(paragraphs) if p.text == TERMS("docx_other_formats"))
    end = next((n for n, p in enumerate(paragraphs[start + 1:], start + 1) if p.style.name.startswith("Heading")),
               len(paragraphs))
    return paragraphs[start + 1:end]


# Read from the table here, not through the writer's or the check's helper.
OFFERED = [TERMS(f"format_{fmt.name}") for fmt in sorted(FORMATS, key=lambda fmt: fmt.offered) if fmt.name != "docx"]


def test_other_formats_list_the_format_table_and_lead_to_the_web_edition(make_source, tmp_path):
    source = make_source("Words.\n", formats_url="https://example.org/guides/test")
    path = build_docx(source, tmp_path / "out")
    assert problems(path, read(source), load_style(source.parent)) == []
    section = other_formats_section(docx.Document(str(path)))
    assert [p.text for p in section if p.style.name == "List Bullet"] == OFFERED
    assert {"braille", "daisy", "m4b", "web"} <= {fmt.name for fmt in FORMATS}  # the newest formats listed too
    web_edition = "https://example.org/guides/test/web/index.html"
    [sentence] = [p for p in section if web_edition in p.text]
    assert sentence.text == TERMS("docx_web_edition", url=web_edition)
    [link] = sentence._p.findall(f"{W}hyperlink")
    assert sentence.part.rels[link.get(qn("r:id"))].target_ref == web_edition
    assert section[-1]._p.find(f".//{W}drawing") is not None  # the QR code (test_docx.py scans one)


def test_other_formats_without_an_address_say_whom_to_ask(make_source, tmp_path):
    source = make_source("Words.\n")
    path = build_docx(source, tmp_path / "out")
    assert problems(path, read(source), load_style(source.parent)) == []
    word = docx.Document(str(path))
    section = other_formats_section(word)
    assert [p.text for p in section if p.style.name == "List Bullet"] == OFFERED
    assert section[-1].text == TERMS("docx_ask_for_edition")
    assert len(word.inline_shapes) == 0  # no QR code without an address


def _drop_format(word):
    item = next(p for p in word.paragraphs if p.text == OFFERED[-1])
    item._p.getparent().remove(item._p)


def _drop_qr_code(word):
    drawing = word.element.body.findall(f".//{W}drawing")[-1]
    drawing.getparent().remove(drawing)


@pytest.mark.parametrize("change, complaint", [
    (_drop_format, "not every other format of the table"),
    (_drop_qr_code, "neither a link with a QR code nor whom to ask"),
], ids=["a format missing", "QR code missing"])
def test_the_check_catches_other_formats_spoilt(make_source, tmp_path, change, complaint):
    source = make_source("Words.\n", formats_url="https://example.org/guides/test")
    path = build_docx(source, tmp_path / "out")
    found = problems(spoil(path, tmp_path / path.name, change), read(source), load_style(source.parent))
    assert any(complaint in message for message in found), found
