"""The DAISY 2.02 talking book: NCC, SMIL and clips checked, and spoiled on purpose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import require
from publisher.build import build
from publisher.checks.daisy import check, ncc_entries, player_listing, player_tools
from publisher.reader import read
from test_braille import small_source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("daisy")
    source = small_source(root / "source")
    # One speech cache for the session: the M4B tests reuse these sentences.
    build([source], ["pdf", "audio", "daisy"], root / "output", cache_dir=tmp_path_factory.getbasetemp() / "speech")
    return root / "output" / "sleep", read(source)


def spoiled_copy(built, tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    """A copy of the built output folder with ``old`` replaced by ``new`` in one file of the book."""
    folder, _ = built
    copy = tmp_path / "sleep"
    shutil.copytree(folder, copy)
    path = copy / "sleep-daisy" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return copy


def spoiled(built, tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> list[str]:
    _, document = built
    return [finding.message for finding in check(spoiled_copy(built, tmp_path, name, old, new, count), document)]


def test_the_daisy_book_passes_its_check(built):
    folder, document = built
    assert check(folder, document) == []
    assert (folder / "sleep-daisy.zip").is_file()


def test_the_ncc_lists_the_headings_and_pages(built):
    folder, document = built
    entries = ncc_entries(folder / "sleep-daisy")
    headings = [text for tag, _, text, _ in entries if tag.startswith("h")]
    assert headings == [document.meta.title, "Settling", "A smaller heading", "Contact us"]
    assert [tag for tag, _, _, _ in entries if tag.startswith("h")] == ["h1", "h1", "h2", "h1"]
    ncc = (folder / "sleep-daisy" / "ncc.html").read_text(encoding="utf-8")
    assert 'name="ncc:narrator" content="synthetic speech (eSpeak NG)"' in ncc


def test_a_clip_past_the_end_of_its_mp3_is_found(built, tmp_path):
    messages = spoiled(built, tmp_path, "02-settling.smil", 'clip-end="npt=', 'clip-end="npt=9999')
    assert any("which lasts" in message for message in messages)


def test_an_ncc_heading_pointing_nowhere_is_found(built, tmp_path):
    messages = spoiled(built, tmp_path, "ncc.html", "#par-s2-1", "#par-missing")
    assert any("not at a par" in message for message in messages)


def test_page_targets_out_of_order_are_found(built, tmp_path):
    folder, _ = built
    pages = [text for _, kind, text, _ in ncc_entries(folder / "sleep-daisy") if kind == "page-normal"]
    assert len(pages) >= 2
    messages = spoiled(built, tmp_path, "ncc.html", f">{pages[0]}</a>", f">{pages[1]}</a>")
    assert any("page targets" in message for message in messages)


def test_a_file_that_does_not_parse_is_found(built, tmp_path):
    messages = spoiled(built, tmp_path, "master.smil", "</smil>", "")
    assert any("does not parse" in message for message in messages)


# daisy-player, a DAISY 2.02 reader from Debian, opens the book -----------------------------

HEADINGS = [(1, "Sleep and your baby"), (1, "Settling"), (2, "A smaller heading"), (1, "Contact us")]


def listing(folder: Path) -> list[tuple[int, str]]:
    for tool in player_tools():  # tmux, daisy-player, and cc where there is no sound driver
        require(tool)
    return [(level, title) for level, title, _ in player_listing(folder / "sleep-daisy")]


@pytest.mark.slow
@pytest.mark.validator
def test_daisy_player_opens_the_book_and_lists_its_headings(built):
    folder, document = built
    assert HEADINGS[0][1] == document.meta.title
    assert listing(folder) == HEADINGS


@pytest.mark.slow
@pytest.mark.validator
def test_daisy_player_lists_no_heading_the_ncc_lost(built, tmp_path):
    """Spoiled: the NCC without its level-2 heading; the player lists one item fewer."""
    ncc = (built[0] / "sleep-daisy" / "ncc.html").read_text(encoding="utf-8")
    [lost] = re.findall(r"<h2\b.*?</h2>", ncc, flags=re.DOTALL)
    assert listing(spoiled_copy(built, tmp_path, "ncc.html", lost, "")) == HEADINGS[:2] + HEADINGS[3:]
