"""The print editions in Welsh, Polish and Urdu (tests/fixtures/languages):
a font for every script, embedded; every word back out in reading order
(for Urdu, read right to left); the other languages listed in their own
names; the Urdu booklet set from the right and bound on the right; a draft
says so on its cover."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher import outputs
from publisher.build import build
from publisher.reader import read
from publisher.text import document_words, missing_in_order, words

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
LANGUAGES = ("cy", "pl", "ur")
EDITIONS = ("booklet", "imposed", "large_print")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every language of the guide, built as a draft."""
    folder = tmp_path_factory.mktemp("languages")
    build(sorted(FIXTURES.glob("sleep*.md")), ["pdf"], folder / "output", {"draft": True},
          cache_dir=folder / "cache")
    return folder / "output"


def pdf(built: Path, language: str, edition: str) -> Path:
    slug = f"sleep.{language}"
    return built / slug / outputs.pdf(slug, edition)


def unembedded_fonts(path: Path) -> list[str]:
    """The fonts a PDF uses without carrying them."""
    missing = []
    for page in PdfReader(path).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2")):
                missing.append(str(font.get("/BaseFont")))
    return missing


def right_to_left(word: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)


def text_read_back(path: Path, first: int = 1, last: int = 0) -> str:
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def logical(text: str) -> list[str]:
    """Words read back by poppler, in reading order. A right-to-left word is
    shaped, so its letters are given as its span's ActualText (a paragraph's
    last two words share one span, joined by a no-break space); poppler puts
    the spans of a right-to-left line in reading order but the letters of
    each span in drawing order, reversed: they are turned back here."""
    spans = re.split(r"[ \t\r\n]+", text)
    return words(" ".join(span[::-1] if right_to_left(span) else span for span in spans))


def pypdf_words(path: Path, first: int = 1, last: int = 0) -> list[str]:
    """Words read back by pypdf, in reading order. A right-to-left line is
    drawn in reading order (bidi.py), but pypdf takes the glyphs of a
    right-to-left run as drawn left to right and turns the run around: each
    word comes out reversed (no-break spaces part words too) and is turned
    back here."""
    pages = PdfReader(path).pages[first - 1:last or None]
    text = "\n".join(page.extract_text() for page in pages)
    return words(" ".join(span[::-1] if right_to_left(span) else span for span in text.split()))


def words_read_back(path: Path) -> list[str]:
    """An Urdu edition through pypdf: poppler's pdftotext puts every glyph of a
    word drawn right to left in reading order in a word of its own."""
    return pypdf_words(path) if "/sleep.ur/" in str(path) else logical(text_read_back(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_embedded(built, language):
    for edition in EDITIONS:
        assert unembedded_fonts(pdf(built, language, edition)) == [], (language, edition)
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(pdf(built, language, "booklet")).pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("NotoSansArabic" in font for font in fonts), fonts  # every edition names Urdu as اردو


def test_a_font_left_out_is_found(built, tmp_path):
    """The embedding check fails on a PDF whose font is not in the file."""
    import pikepdf

    spoilt = tmp_path / "spoilt.pdf"
    with pikepdf.open(pdf(built, "ur", "booklet")) as document:
        for font in document.pages[2].Resources.Font.values():
            del font.FontDescriptor["/FontFile2"]
        document.save(spoilt)
    assert unembedded_fonts(spoilt)


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_comes_back_in_order(built, language):
    expected = document_words(read(FIXTURES / f"sleep.{language}.md"))
    for edition in ("booklet", "large_print"):
        assert missing_in_order(expected, words_read_back(pdf(built, language, edition))) == [], edition


@needs_poppler
def test_urdu_read_left_to_right_is_out_of_order(built):
    """The order check can fail: Urdu's words taken in the order they stand on the page, left to right."""
    expected = document_words(read(FIXTURES / "sleep.ur.md"))
    drawn = [word for line in text_read_back(pdf(built, "ur", "booklet")).splitlines()
             for word in reversed(logical(line))]
    assert missing_in_order(expected, drawn)


def to_unicode_entries(path: Path, page: int, family: str) -> list[str]:
    """What each code of ``family``'s fonts on ``page`` stands for, by its ToUnicode map."""
    entries = []
    fonts = PdfReader(path).pages[page - 1]["/Resources"]["/Font"].values()
    for font in (f.get_object() for f in fonts):
        if family in str(font["/BaseFont"]):
            cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
            for table in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                entries += [bytes.fromhex(text).decode("utf-16-be") for text in re.findall(r"> <([0-9A-F]*)>", table)]
    return entries


def test_urdu_words_are_shaped_and_spelled_by_their_codes(built):
    """Arabic script's letters join: a letter is drawn in several forms (a code
    for each), a dot apart from its letter's shape has a code that stands for
    nothing, and no word needs ActualText (which tag-order readers ignore)."""
    path = pdf(built, "ur", "booklet")
    entries = to_unicode_entries(path, 3, "NotoSansArabic")
    assert entries.count("ی") >= 2 and "" in entries, entries
    assert b"/ActualText" not in PdfReader(path).pages[2].get_contents().get_data()


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_other_languages_are_listed(built, language):
    shown = " ".join(words_read_back(pdf(built, language, "booklet")))
    names = {"en-GB": "English", "cy": "Cymraeg", "pl": "Polski", "ur": "اردو"}
    for other, name in names.items():
        if other != language:
            assert name.lower() in shown, (language, name)


def page_number_side(path: Path, page: int) -> str:
    """Which half of the page its printed number stands in."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(\d+)</word>', html)
    x, _, _ = max(boxes, key=lambda box: float(box[1]))  # the lowest number on the page
    return "left" if float(x) < width / 2 else "right"


@needs_poppler
def test_the_urdu_booklet_is_bound_on_the_right(built):
    """Its odd pages are left-hand pages, numbered at the outer (left)
    corner, and the imposed sheets are mirrored: 1 left of 8."""
    for language, odd in (("cy", "right"), ("ur", "left")):
        path = pdf(built, language, "booklet")
        assert page_number_side(path, 3) == odd, language
        assert page_number_side(path, 2) != odd, language
    labels = {language: PdfReader(pdf(built, language, "imposed")).page_labels[0] for language in ("cy", "ur")}
    pages = len(PdfReader(pdf(built, "ur", "booklet")).pages)
    assert labels == {"cy": f"{pages}|1", "ur": f"1|{pages}"}


@needs_poppler
@pytest.mark.parametrize("language, draft", [("cy", "Drafft"), ("pl", "Wersja robocza"), ("ur", "مسودہ")])
def test_a_draft_says_so_on_its_cover(built, language, draft):
    path = pdf(built, language, "booklet")
    cover = " ".join(pypdf_words(path, 1, 1) if language == "ur" else logical(text_read_back(path, 1, 1)))
    assert " ".join(words(draft)) in cover


@needs_poppler
def test_the_booklet_has_lines_to_write_the_local_service_on(built):
    back = " ".join(words(text_read_back(pdf(built, "cy", "booklet"), 8, 8)))
    for label in ("Eich cyswllt lleol", "Gwasanaeth", "Cyfeiriad", "Ffôn", "Oriau agor"):
        assert " ".join(words(label)) in back, label
    assert "gwasanaeth" not in " ".join(words(text_read_back(pdf(built, "cy", "large_print"))))


@needs_poppler
def test_a_local_edition_of_the_booklet_prints_its_service(tmp_path):
    local = tmp_path / "bradford.yaml"
    local.write_text("service: Bradford Family Hub\nphone: 01274 111111\nopening_hours: [Monday to Friday]\n",
                     encoding="utf-8")
    build([FIXTURES / "sleep.md"], ["pdf"], tmp_path / "output", {"local": (local,)}, cache_dir=tmp_path / "cache")
    folder = tmp_path / "output" / "sleep"
    edition = folder / outputs.local_booklet("sleep", "bradford")
    assert (folder / outputs.local_booklet("sleep", "bradford", imposed=True)).is_file()
    pages = len(PdfReader(edition).pages)
    back = " ".join(words(text_read_back(edition, pages, pages)))
    assert "bradford family hub" in back and "01274 111111" in back and "monday to friday" in back
    generic = " ".join(words(text_read_back(folder / outputs.pdf("sleep", "booklet"), pages, pages)))
    assert "bradford" not in generic and "service" in generic


@pytest.mark.parametrize("words_in_reading_order, left_to_right", [
    (["نیند", "محفوظ"], ["محفوظ", "نیند"]),  # right to left
    (["فون:", "01274", "000000"], ["01274", "000000", "فون:"]),  # a phone number stays one
    (["ورژن", "1.0،", "1", "جنوری", "2024"], ["2024", "جنوری", "1", "1.0،", "ورژن"]),  # a version, then a date
    (["پتہ:", "1", "High", "Street"], ["1", "High", "Street", "پتہ:"]),  # an English address inside Urdu
    (["Bradford", "کی", "ہیلتھ"], ["ہیلتھ", "کی", "Bradford"]),  # an English name first
])
def test_words_are_set_in_visual_order(words_in_reading_order, left_to_right):
    from publisher.writers.pdf.bidi import ordered

    assert [words_in_reading_order[i] for i in ordered(words_in_reading_order)] == left_to_right
