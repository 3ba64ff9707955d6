"""What every test module shares: the guidance they test against, small sources
made on the spot, the policy for a missing external tool, and the markers.

- The guidance is a frozen copy (tests/fixtures/guidance/): text-specific
  assertions read it, so editors can improve source/ without breaking the suite.
  tests/test_sources.py builds the live source/*.md without such assertions.
- ``make_source(body, **front_matter)`` writes a small source into tmp_path.
- ``require(tool)`` skips a test whose validator is missing, naming how to
  install it, and fails it under CI (CI=true): CI must run every check.
- Markers: ``slow`` (builds audio, or runs LibreOffice, EPUBCheck, Ace,
  Chromium or speech recognition) and ``validator`` (needs an external tool).
  ``make test-fast`` runs ``-m "not slow"``. Other modules' tests are marked
  here, in MARKS, so their owners can mark without editing this file's logic.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import unicodedata
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml
from PIL import Image as PictureFile

from publisher.build import build
from publisher.reader import read
from publisher.text import document_words, missing_in_order, reading_chunks, words

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE = FIXTURES / "guidance" / "infant-mental-health.md"
SLUG = SOURCE.stem
LIVE_SOURCES = sorted((ROOT / "source").glob("*.md"))


# -- the guidance -------------------------------------------------------------------


@pytest.fixture(scope="session")
def document():
    return read(SOURCE)


@pytest.fixture(scope="session")
def build_output(tmp_path_factory):
    """``build_output("pdf", …)`` builds those formats of the guidance into a
    temporary output folder shared by the test run and returns output/<slug>/.
    The build itself skips what is up to date, and rebuilds a format when an
    earlier one it uses appears (the EPUB's read-aloud edition after the audio)."""
    output = tmp_path_factory.mktemp("output")
    cache = tmp_path_factory.mktemp("cache")

    def ensure(*formats: str) -> Path:
        build([SOURCE], list(formats), output, cache_dir=cache)
        return output / SLUG

    return ensure


# -- small sources ------------------------------------------------------------------

# A date, so that a small source is complete (no warning) and builds the same bytes any day.
FRONT_MATTER = {"title": "Test", "language": "en-GB", "publisher": "Test Press", "date": dt.date(2024, 1, 1)}


@pytest.fixture
def make_source(tmp_path):
    """``make_source(body, **front_matter)`` writes ``<folder>/<slug>.md`` (tmp_path/test.md
    unless ``folder=`` or ``slug=`` say otherwise) and returns its path. The front matter
    is title, language, publisher and date, then the keywords (None drops a key), so the
    body starts on line 8; ``images/smile.png`` sits beside it for bodies that show a picture."""

    def make(body: str, *, folder: Path = tmp_path, slug: str = "test", **front_matter) -> Path:
        fields = {key: value for key, value in {**FRONT_MATTER, **front_matter}.items() if value is not None}
        (folder / "images").mkdir(parents=True, exist_ok=True)
        PictureFile.new("RGB", (4, 4), "white").save(folder / "images" / "smile.png")
        path = folder / f"{slug}.md"
        front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
        path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
        return path

    return make


# -- every word arrives -------------------------------------------------------------


def assert_words_in_order(document, extracted_text: str, where: str = "") -> None:
    """Every word of the source arrives, in order, in the text taken back out of a file."""
    expected = document_words(document)
    missing = missing_in_order(expected, words(extracted_text))
    assert not missing, (f"{where}: {len(missing)} of {len(expected)} source words missing or out of order, "
                         f"first: {missing[:10]}")


@functools.cache
def font_characters(family: str) -> frozenset[int]:
    """The characters a font family can draw, read from its regular face's file
    (the tests' own reading, not the PDF writer's)."""
    import fontpkg
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(fontpkg.path(family, 400))).charToGlyph)


def assert_every_word_arrives(document, out_dir: Path, warnings) -> None:
    """The Word leaflet, the A5 booklet and the EPUB built into ``out_dir`` each carry
    every word of the source in order. Paper shows only what its fonts can draw: the
    booklet must carry every word they can set, and the build must warn about the rest."""
    import pypdf

    from publisher import outputs
    from publisher.checks.docx import leaflet_text
    from publisher.checks.epub import Epub
    from publisher.style import load_style

    slug = document.slug
    assert_words_in_order(document, leaflet_text(out_dir / outputs.leaflet(slug)), "docx")

    style = load_style(document.source.parent)
    fonts = style["fonts"]
    drawable = font_characters(fonts["print"]) | font_characters(fonts["print_fallback"])
    for family in (style["pdf"]["script_fonts"] or {}).values():  # Arabic script's font, and any other
        drawable |= font_characters(family)
    printable = [word for word in document_words(document)
                 if all(ord(c) in drawable for c in word if unicodedata.category(c) != "Cf")]
    # Known limit: a paragraph mixing right-to-left words into left-to-right text
    # is drawn in order, but pypdf reads a shaped right-to-left word reversed and
    # can lose the word after it (test_pdf_languages reads right-to-left text
    # through the tags instead). Such paragraphs are left out here; the Word and
    # EPUB checks below still read every word of them.
    mixed = {word for chunk in reading_chunks(document) if re.search(r"[\u0590-\u08ff]", chunk)
             for word in words(chunk)}
    readable = [word for word in printable if word not in mixed]
    booklet = pypdf.PdfReader(out_dir / outputs.pdf(slug, "booklet"))
    assert len(booklet.pages) % 4 == 0
    text = "\n".join(page.extract_text() for page in booklet.pages)
    assert missing_in_order(readable, words(text)) == []
    if len(printable) < len(document_words(document)):
        assert any("print fonts have no" in warning.message for warning in warnings)

    assert_words_in_order(document, Epub(out_dir / outputs.epub(slug)).text(), "epub")


# -- a missing external tool ----------------------------------------------------------


def unavailable(reason: str) -> None:
    """Skip for want of something outside the project; under CI, fail instead: a CI run
    that skips a validator would pass without having checked."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason} (CI runs every check: `make test` installs it)", pytrace=False)
    pytest.skip(reason)


def listed_tools() -> dict[str, str]:
    """tools/test-tools.txt: each command the tests run and the Debian package that has it."""
    listed = (ROOT / "tools" / "test-tools.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split() for line in listed if line.strip() and not line.startswith("#"))


def require(tool: str) -> str:
    """The command a test is about to run: a command listed in tools/test-tools.txt, or
    "ace" (Ace by DAISY, with Chromium). When it is missing, the test is skipped with how
    to install it, or fails under CI."""
    if tool == "ace":
        from publisher.checks.epub import ACE, ace_command

        if ace_command() is None:
            unavailable(f"Ace by DAISY ({ACE}) or chromium is not installed: run tools/install-tools and "
                        "tools/install-ace")
        return str(ACE)
    package = listed_tools()[tool]  # a KeyError here: list the command in tools/test-tools.txt
    found = shutil.which(tool)
    if found is None:
        unavailable(f"{tool} is not installed: install the Debian package {package} (tools/install-tools does, "
                    "as root)")
    return str(found)


# -- markers ------------------------------------------------------------------------

SLOW, VALIDATOR = "slow", "validator"

# Tests in other modules, by file, then by a fixture they use (directly or through
# another fixture) or a test-name pattern: "*" marks the whole file.
MARKS: dict[str, dict[str, tuple[str, ...]]] = {
    "test_audio.py": {
        "audio": (SLOW,),  # the guidance spoken
        "test_changing_one_sentence_*": (SLOW,),
        "test_the_neural_voice_*": (SLOW,),
    },
    "test_daisy.py": {"built": (SLOW,)},  # a small source spoken
    "test_m4b.py": {"built": (SLOW,)},  # a small source spoken
    "test_epub.py": {
        "out": (SLOW,),  # builds the audio for the read-aloud edition
        "test_any_document_keeps_*": (SLOW,),  # 25 generated documents, as test_fuzz.py
        "findings": (SLOW, VALIDATOR),  # EPUBCheck, Ace, Calibre
        "test_*epubcheck*": (SLOW, VALIDATOR),
        "test_ace_*": (SLOW, VALIDATOR),
        "test_pictures_keep_descriptions_and_captions": (SLOW, VALIDATOR),  # EPUBCheck
    },
    "test_docx.py": {
        "pdfs": (SLOW, VALIDATOR),  # LibreOffice
        "test_the_check_command_finds_nothing_wrong": (SLOW, VALIDATOR),  # the check runs LibreOffice
        "test_sample_passes_every_check": (SLOW, VALIDATOR),
        "test_qr_code_*": (VALIDATOR,),  # zbarimg
    },
    "test_pdf.py": {
        "test_each_imposed_half_*": (VALIDATOR,),  # pdftotext
        "test_every_font_is_embedded_*": (VALIDATOR,),  # pdffonts
        "test_every_source_word_arrives_in_order": (VALIDATOR,),  # pdftotext
        "test_qr_code_*": (VALIDATOR,),  # pdftoppm, zbarimg
        "test_the_print_checks_find_nothing_wrong": (VALIDATOR,),  # pdfinfo (the tag checks)
        "test_padding_pages_are_deliberate_notes": (VALIDATOR,),
        "test_a_quote_or_callout_longer_than_a_page_*": (VALIDATOR,),
    },
    "test_pdf_tags.py": {"*": (VALIDATOR,)},  # pdfinfo -struct-text
    "test_pdf_content.py": {"*": (VALIDATOR,)},  # pdfinfo -struct-text, pdftotext
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for key, markers in MARKS.get(item.path.name, {}).items():
            if key == "*" or key in item.fixturenames or fnmatch(item.originalname, key):
                for marker in markers:
                    item.add_marker(marker)
