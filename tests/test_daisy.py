"""The DAISY 2.02 talking book: NCC, SMIL and clips checked, and spoiled on purpose."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, require
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


@pytest.fixture(scope="module")
def milestones(tmp_path_factory) -> tuple[Path, object]:
    """A source citing two sources: the audio book reads them as a track of their own."""
    root = tmp_path_factory.mktemp("daisy-milestones")
    source = FIXTURES / "content" / "milestones.md"
    build([source], ["pdf", "audio", "daisy"], root / "output", cache_dir=tmp_path_factory.getbasetemp() / "speech")
    return root / "output" / "milestones", read(source)


def test_a_source_with_notes_builds_and_reads_every_sentence_in_order(milestones):
    folder, document = milestones
    assert len(document.notes) == 2
    assert check(folder, document) == []  # every sentence read in order: the check compares them one by one
    book = folder / "milestones-daisy"
    smil = etree.parse(str(book / "04-sources.smil")).getroot()
    assert [par.get("id") for par in smil.iter("par")] == ["par-n-1", "par-n-2"]
    assert {audio.get("src") for audio in smil.iter("audio")} == {"04-sources.mp3"}
    headings = [(tag, text, href) for tag, _, text, href in ncc_entries(book) if tag.startswith("h")]
    assert headings[-2:] == [("h1", "Sources", "04-sources.smil#par-n-1"),
                             ("h1", document.meta.contact.heading, "05-contact.smil#par-c-1")]
    content = etree.parse(str(book / "content.html")).getroot()
    sources = [e for e in content.iter("{*}h1") if e.text == "Sources"]
    assert len(sources) == 1
    following = sources[0].getnext()
    assert [span.get("id") for span in following.iter("{*}span")] == ["n-1"]  # one paragraph per source


def test_a_book_that_skips_the_sources_is_found(milestones, tmp_path):
    folder, document = milestones
    copy = tmp_path / "milestones"
    shutil.copytree(folder, copy)
    master = copy / "milestones-daisy" / "master.smil"
    text = master.read_text(encoding="utf-8")
    [ref] = re.findall(r'<ref src="04-sources.smil"[^>]*/>', text)
    master.write_text(text.replace(ref, ""), encoding="utf-8")
    messages = [finding.message for finding in check(copy, document)]
    assert any("the source has" in message and "n-1" in message for message in messages), messages
    assert any("ncc:totalTime" in message for message in messages)
    assert any("'Sources' (h1) points at" in message for message in messages)


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


@pytest.mark.slow
@pytest.mark.validator
def test_daisy_player_lists_the_sources_before_the_contact_details(milestones):
    folder, document = milestones
    for tool in player_tools():
        require(tool)
    listed = [(level, title) for level, title, _ in player_listing(folder / "milestones-daisy")]
    assert listed[-2:] == [(1, "Sources"), (1, document.meta.contact.heading)]
    assert len(listed) == len(document.sections) + 2  # the opening section is listed as the title
