"""The braille edition, read back with liblouis: words, layout, page numbers."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from publisher import cli, liblouis
from publisher.build import build
from publisher.checks.braille import check, read_pages
from publisher.diagnostics import EnvironmentFault
from publisher.reader import read
from publisher.text import words

pytestmark = pytest.mark.skipif(liblouis.load() is None, reason=liblouis.HOW_TO_INSTALL)

SMALL = textwrap.dedent("""\
    ---
    title: Sleep and your baby
    subtitle: A short guide for testing
    language: en-GB
    publisher: Test Publisher
    authors: [Test Publisher]
    date: 2024-01-01
    identifier: urn:uuid:00000000-0000-4000-8000-000000000001
    contact:
      heading: Contact us
      address: [One Street, Northampton NN1 1AA]
    ---

    Babies sleep a lot. They wake often in the night, i.e. every few hours.

    > Sleep is the best meditation for a tired parent.
    >
    > — A parent, 2020

    ## Settling

    - Keep the room cool and dark
    - Use the same words each night

    ::: callout Did you know...?
    Most babies sleep through the night by the age of one.
    :::

    ### A smaller heading

    1. Feed
    2. Change
    3. Settle
    """) + "\n".join(f"Paragraph number {n} says something about sleeping, feeding and playing with babies."
                      for n in range(1, 40)) + "\n"


def small_source(folder: Path, house_style: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "sleep.md"
    source.write_text(SMALL, encoding="utf-8")
    if house_style:
        (folder / "house-style.yaml").write_text(house_style, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("braille")
    source = small_source(root / "source")
    build([source], ["pdf", "braille"], root / "output", cache_dir=root / "cache")
    return root / "output" / "sleep", read(source)


def spoiled(built, tmp_path: Path, change) -> list[str]:
    """Copy the built folder, change its BRF's pages with ``change``, check it."""
    folder, document = built
    copy = tmp_path / f"spoiled-{len(list(tmp_path.iterdir()))}" / "sleep"
    shutil.copytree(folder, copy)
    brf = copy / "sleep.brf"
    pages = read_pages(brf)
    change(pages)
    brf.write_bytes("".join("".join(line + "\r\n" for line in page) + "\f" for page in pages).encode("ascii"))
    return [finding.message for finding in check(copy, document)]


def test_the_braille_edition_passes_its_check(built):
    folder, document = built
    assert check(folder, document) == []
    assert (folder / "sleep.pef").read_text(encoding="utf-8").count("<page>") == len(read_pages(folder / "sleep.brf"))


def test_title_page_contents_and_text_are_laid_out(built):
    folder, _ = built
    pages = read_pages(folder / "sleep.brf")
    assert pages[0][0].strip() == "#A" and pages[0][0].endswith("#A")  # braille page 1, top right
    louis = liblouis.load()
    back = [louis.backTranslateString([liblouis.BRF_DISPLAY, "en-ueb-g2.ctb"], line.strip()) for line in pages[0]]
    assert {"transcriber's", "note", "automatic"} <= set(words(" ".join(back)))
    assert any("Contents" in louis.backTranslateString([liblouis.BRF_DISPLAY, "en-ueb-g2.ctb"], line.strip())
               for line in pages[1])
    lines = [line for page in pages for line in page]
    assert any(line.startswith("7" * 40) for line in lines), "the callout's box line"
    assert any(line.startswith("_4 ") for line in lines), "a bullet (dots 456, 256) at cell 1"
    assert len(pages) > 3  # long enough to run over pages


def test_grade_1_is_a_house_style_option(tmp_path):
    source = small_source(tmp_path / "source", "braille:\n  grade: 1\n")
    build([source], ["braille"], tmp_path / "output", cache_dir=tmp_path / "cache")
    folder = tmp_path / "output" / "sleep"
    text = (folder / "sleep.brf").read_text(encoding="ascii")
    assert "BABIES" in text and " ! " not in text  # "the" is not contracted to "!"
    assert check(folder, read(source)) == []


def test_a_lost_word_is_found(built, tmp_path):
    def drop(pages):
        page = pages[-1]
        line = next(n for n, text in enumerate(page) if n and text.strip() and not text.startswith("-"))
        page[line] = " ".join(page[line].split()[:-1])
    assert any("missing or out of order" in message for message in spoiled(built, tmp_path, drop))


def test_a_long_line_and_a_long_page_are_found(built, tmp_path):
    messages = spoiled(built, tmp_path, lambda pages: (pages[2].append("A" * 41), pages[2].extend([""] * 25)))
    assert any("41 cells, over 40" in message for message in messages)
    assert any("lines, over 25" in message for message in messages)


def test_page_numbers_and_print_page_indicators_are_read_back(built, tmp_path):
    def renumber(pages):
        pages[1][0] = pages[1][0].replace("#B", "#C")
    assert any("braille page numbers" in message for message in spoiled(built, tmp_path, renumber))

    def lose_indicator(pages):
        for page in pages:
            page[:] = [line for line in page if not line.startswith("----")]
    assert any("print page indicators" in message for message in spoiled(built, tmp_path, lose_indicator))


def test_without_liblouis_braille_is_refused_and_a_default_build_skips_it(built, monkeypatch, capsys):
    _, document = built
    monkeypatch.setattr("publisher.writers.braille.load", lambda: None)
    with pytest.raises(EnvironmentFault, match="apt-get install python3-louis liblouis-data"):
        build([document.source], ["braille"], document.source.parent.parent / "refused")
    monkeypatch.setattr(liblouis, "load", lambda: None)
    chosen = cli._formats(cli.parser().parse_args(["build"]))
    assert "braille" not in chosen and "docx" in chosen
    assert capsys.readouterr().err.splitlines() == [f"skipping braille: {liblouis.HOW_TO_INSTALL}"]
