"""The print editions: the A5 booklet, its imposition for folding, large print.

Each test reopens the built PDFs with pypdf or poppler's command-line tools
(pdffonts, pdftotext, pdftoppm) and zbarimg, the way a printer or a reader's
viewer would see them, and never with the writer's own constants.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from conftest import SOURCE, assert_words_in_order
from publisher import outputs
from publisher.build import build
from publisher.checks import pdf as checks
from publisher.reader import read
from publisher.terms import terms_for
from publisher.text import section_chunks, words

FORMATS_URL = "https://example.org/guidance/infant-mental-health"
EDITIONS = ("booklet", "large_print")


@pytest.fixture(scope="module")
def out(build_output):
    return build_output("pdf")


@pytest.fixture(scope="module")
def files(out, document):
    return checks.edition_files(out, document)


@pytest.fixture(scope="module")
def readers(files):
    return {name: PdfReader(path) for name, path in files.items()}


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdftotext(path: Path, page: int, crop: tuple[float, float, float, float] | None = None) -> str:
    """One page's text as poppler reads it, optionally cropped to (x, y, w, h) in points (72 dpi)."""
    x, y, w, h = (str(round(v)) for v in crop) if crop else ("",) * 4
    area = [] if crop is None else ["-r", "72", "-x", x, "-y", y, "-W", w, "-H", h]
    return run("pdftotext", "-f", str(page), "-l", str(page), *area, str(path), "-")


# The whole contract, as `publisher check` sees it ----------------------------------


def errors(findings) -> list[str]:
    return [str(finding) for finding in findings if finding.severity != "info"]


def test_the_print_checks_find_nothing_wrong(out, document):
    findings = checks.check(out, document)
    assert errors(findings) == []
    assert sum(finding.severity == "info" for finding in findings) == 2  # the measurements, per edition


# Pages and imposition ----------------------------------------------------------------


def test_booklet_page_count_is_a_multiple_of_four(readers):
    assert len(readers["booklet"].pages) % 4 == 0


def test_the_writers_page_order_reads_1_to_n_once_printed_stacked_and_folded():
    """The writer's order against the check's simulation of the paper: two derivations, one answer."""
    from publisher.writers.pdf.imposition import saddle_stitch_sides

    # The issue's own example: sheet 1 front 8|1, back 2|7; sheet 2 front 6|3, back 4|5.
    assert saddle_stitch_sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    for pages in (4, 8, 12, 20):
        sides = saddle_stitch_sides(pages)
        placed = [dict(zip((checks.LEFT, checks.RIGHT), side, strict=True)) for side in sides]
        assert [placed[side][half] for side, half in checks.folded_booklet(len(sides))] == list(range(1, pages + 1))


def folded_pages(sides: int) -> dict[int, tuple[int, str]]:
    """Booklet page number → (imposed side from 1, half), by the check's folding."""
    return {page: (side + 1, half) for page, (side, half) in enumerate(checks.folded_booklet(sides), start=1)}


def test_each_imposed_half_carries_the_right_booklet_page(files, readers):
    """Cropped with pdftotext, each half of each A4 side reads as the booklet page folding puts there."""
    booklet, imposed = files["booklet"], files["imposed"]
    pages = len(readers["booklet"].pages)
    assert len(readers["imposed"].pages) == pages // 2  # N/4 sheets, two sides each
    width = float(readers["booklet"].pages[0].mediabox.width)
    sheet_width, sheet_height = (float(v) for v in readers["imposed"].pages[0].mediabox.upper_right)
    fold = sheet_width / 2
    for number, (side, half) in folded_pages(pages // 2).items():
        x = fold if half == checks.RIGHT else fold - width
        assert words(pdftotext(imposed, side, (x, 0, width, sheet_height))) == words(pdftotext(booklet, number)), \
            f"the {half} half of side {side} is not page {number}"


def test_each_imposed_side_is_a_true_a4_landscape_sheet_with_the_pages_centred_on_the_fold(files, readers):
    """297 × 210 mm, so an office driver matches the paper without scaling;
    the pages' words lie on their own side of the centre line."""
    mm = 25.4 / 72
    for page in readers["imposed"].pages:
        assert (round(float(page.mediabox.width) * mm), round(float(page.mediabox.height) * mm)) == (297, 210)
    fold = float(readers["imposed"].pages[0].mediabox.width) / 2
    width = float(readers["booklet"].pages[0].mediabox.width)
    margin = float(readers["booklet"].pages[0].mediabox.width) - max(
        x for page in readers["booklet"].pages for x, _, _ in checks.positioned_text(page))
    for page in readers["imposed"].pages:
        xs = [x for x, _, _ in checks.positioned_text(page)]
        assert min(xs) >= fold - width and all(abs(x - fold) > 1 for x in xs)
    assert margin > 0


def test_the_check_wants_a4_sheets(files, readers, monkeypatch):
    from io import BytesIO

    from reportlab.lib.pagesizes import A4, landscape

    from publisher.writers.pdf import imposition
    from publisher.writers.pdf.layout import Layout

    two_a5_pages = (2 * float(readers["booklet"].pages[0].mediabox.width), landscape(A4)[1])
    monkeypatch.setattr(imposition, "landscape", lambda size: two_a5_pages)  # the old 296 mm sides
    imposed = PdfReader(BytesIO(imposition.impose(files["booklet"].read_bytes(), Layout())))
    found = checks.imposition_problems(readers["booklet"], imposed)
    assert found and all("not A4 landscape (297 × 210 mm)" in message for message in found), found


def test_imposed_file_asks_for_short_edge_duplex_at_actual_size(readers):
    preferences = readers["imposed"].trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/Duplex"] == "/DuplexFlipShortEdge"
    assert preferences["/PrintScaling"] == "/None"
    # Each side's label names its two pages, left|right.
    halves = {place: page for page, place in folded_pages(len(readers["imposed"].pages)).items()}
    assert readers["imposed"].page_labels == [f"{halves[side, checks.LEFT]}|{halves[side, checks.RIGHT]}"
                                              for side in range(1, len(readers["imposed"].pages) + 1)]


def spoiled_order(sides: list[tuple[int, int]], spoil: str) -> list[tuple[int, int]]:
    if spoil == "printed flipped on the long edge":  # every back's halves change places
        return [(right, left) if index % 2 else (left, right) for index, (left, right) in enumerate(sides)]
    if spoil == "sheets in reverse order":
        sheets = [sides[index:index + 2] for index in range(0, len(sides), 2)]
        return [side for sheet in reversed(sheets) for side in sheet]
    return sides


@pytest.mark.parametrize("spoil", ["none", "printed flipped on the long edge", "sheets in reverse order"])
def test_the_check_folds_the_imposed_file_and_catches_a_wrong_order(files, readers, monkeypatch, spoil):
    from io import BytesIO

    from publisher.writers.pdf import imposition
    from publisher.writers.pdf.layout import Layout

    right_order = imposition.saddle_stitch_sides
    monkeypatch.setattr(imposition, "saddle_stitch_sides", lambda pages: spoiled_order(right_order(pages), spoil))
    imposed = PdfReader(BytesIO(imposition.impose(files["booklet"].read_bytes(), Layout())))
    found = checks.imposition_problems(readers["booklet"], imposed)
    if spoil == "none":
        assert found == []
    else:
        assert found and all("folded, page" in message for message in found), found


def test_the_check_wants_short_edge_duplex(files, readers):
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=files["imposed"])
    writer._root_object["/ViewerPreferences"][NameObject("/Duplex")] = NameObject("/DuplexFlipLongEdge")
    spoiled = BytesIO()
    writer.write(spoiled)
    found = checks.imposition_problems(readers["booklet"], PdfReader(spoiled))
    assert found == ["the file does not ask to be printed duplex, flipped on the short edge"]


def test_no_page_is_blank_and_page_labels_match_printed_numbers(readers):
    for name in EDITIONS:
        reader = readers[name]
        assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]
        assert checks.page_problems(reader) == [], name


# Fonts and typography ------------------------------------------------------------------


def test_every_font_is_embedded_as_a_subset_and_none_is_type3(files):
    for name, path in files.items():
        rows = run("pdffonts", str(path)).splitlines()[2:]
        assert rows, f"{name}: no fonts"
        for row in rows:
            font, kind = row.split()[0], row.split()[1]
            emb, sub = row.split()[-5:-3]
            assert (emb, sub) == ("yes", "yes"), f"{name}: {row}"
            assert kind != "Type" or "Type 3" not in row, f"{name}: {row}"
            assert re.match(r"^[A-Z]{6}\+AtkinsonHyperlegible", font), f"{name}: {font}"
            assert "Italic" not in font


@pytest.mark.parametrize("name", EDITIONS)
def test_smallest_text_is_at_least_the_floor(readers, name):
    floor, body = checks.FLOORS[name]
    measured = checks.measurements(readers[name])
    assert measured["smallest_size"] >= floor
    assert measured["body_size"] >= body


@pytest.mark.parametrize("name", EDITIONS)
def test_text_contrast_is_at_least_7_to_1(readers, name):
    draws = [draw for page in readers[name].pages for draw in checks.text_draws(page)]
    # The callout's tinted box is really under some text: the walk sees it.
    assert any(draw.background != checks.WHITE for draw in draws)
    assert min(draw.contrast for draw in draws) >= checks.MIN_CONTRAST


@pytest.mark.parametrize("name", EDITIONS)
def test_clear_print_left_aligned_upright_short_lines(readers, name):
    reader = readers[name]
    assert not any(checks.justified(page) for page in reader.pages)
    assert not any(draw.skewed for page in reader.pages for draw in checks.text_draws(page))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert max(map(len, lines)) <= checks.MAX_LINE


# Words, metadata, navigation ---------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_every_source_word_arrives_in_order(files, readers, document, name):
    assert_words_in_order(document, "\n".join(p.extract_text() for p in readers[name].pages), f"{name} (pypdf)")
    assert_words_in_order(document, run("pdftotext", str(files[name]), "-"), f"{name} (pdftotext)")


def test_metadata_and_language_in_every_pdf(readers, document):
    for name, reader in readers.items():
        info = reader.metadata
        assert info.title == document.meta.title, name
        assert info.author and info.subject and info["/Keywords"], name
        assert reader.trailer["/Root"]["/Lang"] == document.meta.language, name
        assert info["/CreationDate"].startswith("D:" + document.meta.date.replace("-", "")), name


@pytest.mark.parametrize("name", EDITIONS)
def test_bookmarks_open_the_page_where_each_heading_is_printed(readers, document, name):
    reader = readers[name]
    marks = {item.title: reader.get_destination_page_number(item) for item in checks.flat_outline(reader.outline)}
    for section in document.sections:
        title = section.heading.text if section.heading else document.meta.title
        assert title in marks, f"no bookmark for {title}"
        opening = " ".join(words(next(section_chunks(section))))  # the heading, or the first text
        assert opening in " ".join(words(reader.pages[marks[title]].extract_text())), title


def test_two_builds_are_byte_identical(files, tmp_path):
    build([SOURCE], ["pdf"], tmp_path, cache_dir=tmp_path / "cache")
    for path in files.values():
        assert (tmp_path / SOURCE.stem / path.name).read_bytes() == path.read_bytes(), path.name


# A variant with a web address for the other formats, and pages to pad --------------------


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    """The guidance with a formats_url and one more section with a picture,
    long enough that the booklet needs Notes pages to reach a multiple of 4."""
    folder = tmp_path_factory.mktemp("variant")
    text = SOURCE.read_text(encoding="utf-8").replace("\ndate:", f"\nformats_url: {FORMATS_URL}\ndate:", 1)
    (folder / "images").mkdir()
    Image.new("RGB", (600, 300), "#1F4E79").save(folder / "images" / "face-to-face.png")
    text += "\n## Looking after yourself\n\n![A parent and baby face to face](images/face-to-face.png)\n\n"
    text += "\n\n".join(
        f"Point {n}: rest when the baby rests, ask for help, and talk with someone you trust." for n in range(1, 9))
    source = folder / SOURCE.name
    source.write_text(text, encoding="utf-8")
    output = folder / "output"
    build([source], ["pdf"], output, cache_dir=folder / "cache")
    return read(source), output / source.stem


def test_padding_pages_are_deliberate_notes(variant):
    document, out = variant
    reader = PdfReader(out / outputs.pdf(document.slug, "booklet"))
    pages = len(reader.pages)
    assert pages % 4 == 0
    terms = terms_for(document.meta.language)
    heading = words(terms("pdf_notes"))
    # A Notes page reads its number, then its heading.
    notes = [n for n, page in enumerate(reader.pages, 1) if words(page.extract_text())[1:len(heading) + 1] == heading]
    assert notes, "this variant is meant to need padding: lengthen or shorten its extra section"
    # Notes come straight before the closing pages: the other formats (as long as the
    # list of formats makes them) and the back cover.
    marks = {item.title: reader.get_destination_page_number(item) + 1 for item in checks.flat_outline(reader.outline)}
    closing = marks[terms("pdf_other_formats")]
    assert notes == list(range(closing - len(notes), closing))
    assert marks[document.meta.contact.heading] == pages
    assert errors(checks.check(out, document)) == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_qr_code_decodes_to_the_web_edition_where_the_editions_are(variant, tmp_path, edition):
    document, out = variant
    path = out / outputs.pdf(document.slug, edition)
    reader = PdfReader(path)
    page = len(reader.pages) - 1  # the inside back page, "This guidance in other formats"
    web_edition = outputs.web_url(FORMATS_URL, document.slug)
    assert web_edition.startswith(FORMATS_URL) and web_edition.endswith("/web/index.html")
    assert web_edition in "".join(reader.pages[page - 1].extract_text().split())
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(path), str(tmp_path / "page")], check=True)
    decoded = run("zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")).strip()
    assert decoded == web_edition


# The checks themselves can fail -------------------------------------------------------


def test_checks_catch_small_grey_justified_helvetica(tmp_path):
    """A PDF breaking the rules on purpose: each rule's check must say so."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "bad.pdf"
    canvas = Canvas(str(path))
    canvas.setFillColor(HexColor("#999999"))  # 2.8:1 on white
    text = canvas.beginText(72, 700)
    text.setFont("Helvetica-Oblique", 9)
    text.setWordSpace(1.5)
    text.textLine("Small grey slanted words stretched to fill the line,")
    text.textLine("CRAMMED TOGETHER AND SHOUTING.")  # leading 1.2: too tight
    text.setTextTransform(1, 0, 0.3, 1, 72, 600)  # a slant faked by shearing upright letters
    text.textLine("Leaning words.")
    canvas.drawText(text)
    canvas.save()
    reader = PdfReader(path)
    found = " | ".join(checks.typography_problems(reader, 12, 12) + checks.font_problems(reader))
    for expected in ("under the 12 pt floor", "contrast", "justified", "not embedded", "italic",
                     "line spacing", "capitals", "slanted"):
        assert expected in found


# What the EPUB takes from the booklet ---------------------------------------------------


def test_each_booklet_page_names_the_first_sentence_that_begins_on_it(out, readers, document):

    from publisher.manifest import Manifest
    from publisher.text import document_sentences, title_sentences

    pages = Manifest(out).data("pdf")["pages"]
    reader = readers["booklet"]
    assert [page["label"] for page in pages] == reader.page_labels
    body = document_sentences(document)[len(title_sentences(document)):]  # the title is on the cover
    ordered = [identifier for identifier, _ in body]
    texts = dict(body)
    named = [(index, page["sentence"]) for index, page in enumerate(pages) if page["sentence"]]
    assert pages[0]["sentence"] is None  # the cover
    assert named[0][1] == ordered[0] and named[-1][1] == "c-1"
    assert [ordered.index(s) for _, s in named] == sorted(ordered.index(s) for _, s in named)
    for index, sentence in named:
        opening = " ".join(words(texts[sentence])[:4])
        assert opening in " ".join(words(reader.pages[index].extract_text())), (index + 1, sentence)


# Fixed words are data: they come from the terms of the document's language --------------


@pytest.mark.parametrize("url", ["", FORMATS_URL])
def test_every_fixed_word_comes_from_the_terms(tmp_path, monkeypatch, url):
    """Terms marked with a nonsense word each: every one printed, none of the English left."""
    import publisher.terms as terms

    english = terms.terms_for("en-GB")
    marked = {key: f"Zq{key.replace('_', '')} " + " ".join(f"{{{name}}}" for name in sorted(terms.fields(value)))
              for key, value in english.entries.items()
              if key.startswith(("pdf_", "format_")) or key in ("phone", "email", "website")}
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "en-GB.yaml").write_text(yaml.safe_dump({**english.entries, **marked}), encoding="utf-8")
    monkeypatch.setattr(terms, "FOLDER", folder)
    text = SOURCE.read_text(encoding="utf-8").replace(
        "\ncontact:\n", "\ncontact:\n  phone: 01604 000000\n  email: hello@example.org\n"
        "  website: https://example.org\n", 1)
    if url:
        text = text.replace("\ndate:", f"\nformats_url: {url}\ndate:", 1)
    source = tmp_path / SOURCE.name
    source.write_text(text, encoding="utf-8")
    terms.terms_for.cache_clear()
    try:
        build([source], ["pdf"], tmp_path / "output", cache_dir=tmp_path / "cache")
    finally:
        terms.terms_for.cache_clear()
    # What this source calls for: a contact with every detail; no padding pages.
    expected = {"pdf_cover", "pdf_contents", "pdf_other_formats", "pdf_also_published_as", "pdf_version_date",
                "phone", "email", "website"}
    expected |= {"pdf_download_from", "pdf_scan_code"} if url else {"pdf_ask_for_edition"}
    for edition in EDITIONS:
        reader = PdfReader(tmp_path / "output" / source.stem / outputs.pdf(source.stem, edition))
        shown = " ".join(words("\n".join(page.extract_text() for page in reader.pages)))
        shown += " " + " ".join(words(" ".join(item.title for item in checks.flat_outline(reader.outline))))
        printed = {key for key in marked if f"zq{key.replace('_', '')}" in shown}
        others = {f"pdf_edition_{other}" for other in EDITIONS if other != edition}
        formats = {key for key in marked if key.startswith("format_") and key != "format_pdf"}
        # the booklet's back cover also has the lines a family worker writes the local service on
        write_in = {"pdf_local_contact", "pdf_local_service", "pdf_local_address", "pdf_local_phone",
                    "pdf_local_opening_hours"} if edition == "booklet" else set()
        assert printed == expected | others | formats | write_in, edition
        for key in printed:  # none of the English they replace (phrases long enough to be unmistakable)
            phrase = words(english(key, **dict.fromkeys(terms.fields(english.entries[key]), 0)))
            assert len(phrase) < 3 or " ".join(phrase) not in shown, (edition, key)


# The house style is data an editor can change --------------------------------------------


def styled_source(folder: Path, house_style: str) -> Path:
    source = folder / SOURCE.name
    source.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "house-style.yaml").write_text(house_style, encoding="utf-8")
    return source


def test_an_editor_changes_sizes_and_colours_in_the_house_style(tmp_path):
    source = styled_source(tmp_path, 'colours:\n  accent: "#5A1F4E"\npdf:\n  booklet:\n    body_size: 14.0\n'
                                     '    margin_mm: 12.0\n')
    build([source], ["pdf"], tmp_path / "output", cache_dir=tmp_path / "cache")
    reader = PdfReader(tmp_path / "output" / SOURCE.stem / outputs.pdf(SOURCE.stem, "booklet"))
    measured = checks.measurements(reader)
    assert measured["smallest_size"] == 14 and measured["body_size"] == 14
    colours = {draw.colour for page in reader.pages for draw in checks.text_draws(page)}
    assert any(abs(r - 0x5A / 255) < 0.01 and abs(b - 0x4E / 255) < 0.01 for r, _, b in colours)
    assert len(reader.pages) % 4 == 0


@pytest.mark.parametrize("house_style, message", [
    ('colours:\n  text: "#999999"\n', "house-style.yaml:2: text #999999 on background #FFFFFF has a contrast of 2.8:1"),
    ('colours:\n  tint: "#9DB9D6"\n', "house-style.yaml:2: accent #1F4E79 on tint #9DB9D6 has a contrast"),
    ("fonts:\n  print: Comic Sans MS\n", "house-style.yaml:2: the print font cannot be used"),
    ("pdf:\n  large_print:\n    page_size: Letter\n", "house-style.yaml:3: unknown paper size 'Letter'"),
])
def test_a_house_style_that_cannot_make_clear_print_is_refused(tmp_path, house_style, message):
    from publisher.diagnostics import SourceError

    source = styled_source(tmp_path, house_style)
    with pytest.raises(SourceError) as refused:
        build([source], ["pdf"], tmp_path / "output", cache_dir=tmp_path / "cache")
    assert message in str(refused.value)
    assert not list((tmp_path / "output").rglob("*.pdf"))


def test_a_quote_or_callout_longer_than_a_page_breaks_across_pages(tmp_path):
    """A box taller than a page must flow on, not stop the build (reportlab's LayoutError)."""
    long = " ".join(["Babies need calm adults around them, every day and every night."] * 60)
    text = SOURCE.read_text(encoding="utf-8").replace("> The brain is a SOCIAL organ.", f"> {long}\n>\n> The brain "
                                                      "is a SOCIAL organ.", 1)
    source = tmp_path / SOURCE.name
    source.write_text(text + f"\n::: callout A long box\n{long}\n:::\n", encoding="utf-8")
    build([source], ["pdf"], tmp_path / "output", cache_dir=tmp_path / "cache")
    assert errors(checks.check(tmp_path / "output" / SOURCE.stem, read(source))) == []
