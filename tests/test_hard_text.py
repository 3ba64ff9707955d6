"""Text that breaks naive publishers: long words, long addresses, emoji, other scripts, size."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

import pypdf
import pytest

from conftest import require
from publisher.build import build
from publisher.checks.docx import leaflet_text
from publisher.reader import read

HARD = textwrap.dedent("""\
    ---
    title: Hard text
    language: en-GB
    publisher: Test Press
    ---

    Pneumonoultramicroscopicsilicovolcanoconiosis is a long word, and so is Llanfairpwllgwyngyll.

    See https://example.org/a/very/long/path/that/goes/on/and/on/without/any/spaces/index.html today.

    A smile 😀 here, a right-to-left mark\u200f there, and cafe\u0301 with a combining accent.

    Croeso i Gymru: ŵ ŷ. Cyrillic привет мир. Greek καλημέρα.

    Hebrew שלום and Chinese 你好.
""")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hard")
    source = root / "hard.md"
    source.write_text(HARD, encoding="utf-8")
    summary = build([source], ["docx", "pdf", "epub"], root / "output", cache_dir=root / "cache")
    return read(source), root / "output" / "hard", summary


def test_combining_characters_are_composed(built):
    document, _, _ = built
    assert "café" in document.sections[0].blocks[2].text


@pytest.mark.validator
def test_nothing_overflows_the_pdf_page(built):
    _, out, _ = built
    pdftotext = require("pdftotext")
    for name in ("hard-booklet.pdf", "hard-large-print.pdf"):
        width = float(pypdf.PdfReader(out / name).pages[0].mediabox.width)
        # Long words and addresses are broken, never pushed past the edge: every word's box is on the page.
        boxes = subprocess.run([pdftotext, "-bbox", str(out / name), "-"], capture_output=True, text=True).stdout
        left_edges = [float(part.split('"')[1]) for part in boxes.split("<word xMin=")[1:]]
        right_edges = [float(part.split('"')[1]) for part in boxes.split("xMax=")[1:]]
        assert len(right_edges) > 50, name
        assert min(left_edges) >= 0 and max(right_edges) <= width, f"{name}: text runs off the page"


@pytest.mark.validator
def test_other_scripts_reach_the_pdf_through_the_fallback_font(built):
    _, out, summary = built
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out / "hard-booklet.pdf").pages)
    for word in ("ŵ", "привет", "καλημέρα", "café"):
        assert word in text
    fonts = subprocess.run([require("pdffonts"), str(out / "hard-booklet.pdf")], capture_output=True, text=True).stdout
    assert "NotoSans" in fonts


def test_what_no_print_font_has_is_warned_about_by_line(built):
    _, _, summary = built
    warnings = [w for w in summary.warnings if "print fonts have no" in w.message]
    assert [w.line for w in warnings] == [11, 15]
    assert "😀" in warnings[0].message and "ש" in warnings[1].message


def test_word_and_epub_keep_every_character(built):
    _, out, _ = built
    word = leaflet_text(out / "hard-leaflet.docx")
    with zipfile.ZipFile(out / "hard.epub") as epub:
        xhtml = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    for text in ("😀", "שלום", "你好", "привет", "Pneumonoultramicroscopicsilicovolcanoconiosis"):
        assert text in word and text in xhtml, text


@pytest.mark.slow
def test_a_5_mb_source_builds_in_bounded_memory(tmp_path):
    paragraph = ("Babies crave interactions with responsive, loving and nurturing people. " * 8).strip()
    sections = [f"## Part {n}\n\n" + "\n\n".join([paragraph] * 40) for n in range(220)]
    source = tmp_path / "big.md"
    source.write_text("---\ntitle: Big\nlanguage: en-GB\npublisher: P\n---\n\n" + "\n\n".join(sections),
                      encoding="utf-8")
    assert source.stat().st_size > 5_000_000
    # In a process of its own, so that the peak it reports is the build's alone.
    script = (
        "import resource; from publisher.build import build; from pathlib import Path; "
        f"build([Path({str(source)!r})], ['docx', 'epub'], Path({str(tmp_path / 'out')!r}), "
        f"cache_dir=Path({str(tmp_path)!r})); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    peak_mib = int(result.stdout.split()[-1]) / 1024
    assert peak_mib < 2048, f"peak memory {peak_mib:.0f} MiB"
    assert (tmp_path / "out" / "big" / "big.epub").stat().st_size > 100_000
