"""Clips that end with their sentence (issue 15, item 4).

The audio book announces what a reader sees ("A quote.", "A list of 2
points.") and times each announcement apart from the sentences. In the
read-aloud EPUB's media overlays and the DAISY book's SMIL files, a sentence's
clip is its speech and the breath after it, up to the next words heard: no
announcement is played while the sentence before it is lit. Read back here with lxml, not with the checks,
and the checks shown to catch a clip stretched over an announcement.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import require
from publisher import outputs
from publisher.build import build
from publisher.checks import daisy as daisy_check
from publisher.checks import epub as epub_check
from publisher.manifest import Manifest
from publisher.reader import read
from test_braille import small_source

SMIL = "{http://www.w3.org/ns/SMIL}"

Clip = tuple[str, float, float]  # (sentence id, begin, end) in seconds


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    """The small source (a quote, a list, a callout, a table-free page) with its audio book,
    read-aloud EPUB and DAISY book; the speech cache is the session's, shared with test_daisy."""
    root = tmp_path_factory.mktemp("clips")
    source = small_source(root / "source")
    build([source], ["pdf", "audio", "epub", "daisy"], root / "output",
          cache_dir=tmp_path_factory.getbasetemp() / "speech")
    return root / "output" / "sleep", read(source)


def read_aloud(folder: Path) -> Path:
    return folder / outputs.epub("sleep", read_aloud=True)


def seconds(value: str) -> float:
    """A clip time as the writers state it: "12.345s" (EPUB) or "npt=12.345s" (DAISY)."""
    return float(value.removeprefix("npt=").removesuffix("s"))


def epub_clips(path: Path) -> dict[str, list[Clip]]:
    """Each audio file's clips (by file name) as the EPUB's overlays play them."""
    clips: dict[str, list[Clip]] = {}
    with zipfile.ZipFile(path) as book:
        for name in (n for n in book.namelist() if n.endswith(".smil")):
            for par in etree.fromstring(book.read(name)).iter(f"{SMIL}par"):
                audio = par.find(f"{SMIL}audio")
                sentence = par.find(f"{SMIL}text").get("src").partition("#")[2]
                clips.setdefault(posixpath.basename(audio.get("src")), []).append(
                    (sentence, seconds(audio.get("clipBegin")), seconds(audio.get("clipEnd"))))
    return clips


def daisy_clips(folder: Path) -> dict[str, list[Clip]]:
    """Each MP3's clips as the DAISY book's SMIL files play them."""
    clips: dict[str, list[Clip]] = {}
    for smil in sorted((folder / outputs.daisy("sleep")).glob("*.smil")):
        for par in etree.parse(str(smil)).getroot().iter("par"):
            audio = par.find("audio")
            sentence = par.find("text").get("src").partition("#")[2]
            clips.setdefault(audio.get("src"), []).append(
                (sentence, seconds(audio.get("clip-begin")), seconds(audio.get("clip-end"))))
    return clips


def announcements(folder: Path) -> list[tuple[str, str, float, float]]:
    """(MP3 file name, words, start, end) of every announcement the audio book timed."""
    return [(Path(track["file"]).name, heard["text"], heard["start"], heard["end"])
            for track in Manifest(folder).data("audio")["sections"] for heard in track.get("announcements", ())]


def heard_inside(clips: dict[str, list[Clip]], folder: Path) -> list[str]:
    """Each announcement that is played while a sentence's clip plays."""
    return [f"'{words}' ({start:.3f}-{end:.3f} s of {file}) inside {sentence}'s clip ({begin:.3f}-{stop:.3f} s)"
            for file, words, start, end in announcements(folder)
            for sentence, begin, stop in clips.get(file, ())
            if start < stop and end > begin]


def own_speech(clips: dict[str, list[Clip]], folder: Path) -> list[str]:
    """Each clip that does not start with its sentence's speech, cuts it short,
    or runs on past the start of the next words heard (a sentence or an
    announcement): a clip is the sentence and the breath after it, no more."""
    tracks = Manifest(folder).data("audio")["sections"]
    timings = {(Path(track["file"]).name, timing["id"]): (timing["start"], timing["end"])
               for track in tracks for timing in track["sentences"]}
    starts = {Path(track["file"]).name: [t["start"] for t in track["sentences"]]
              + [a["start"] for a in track.get("announcements", ())] for track in tracks}
    wrong = []
    for file, file_clips in clips.items():
        for sentence, begin, stop in file_clips:
            own = timings.get((file, sentence))
            if own is None or abs(begin - own[0]) > 0.0015 or stop < own[1] - 0.0015 \
                    or any(begin + 0.0015 < start < stop - 0.0015 for start in starts[file]):
                wrong.append(f"{sentence}: {begin:.3f}-{stop:.3f} s, its speech {own}")
    return wrong


def test_the_source_has_announcements_between_sentences(built):
    """The quote and the list are announced, inside a track, between two sentences: what the clips must leave out."""
    folder, _ = built
    heard = announcements(folder)
    clips = epub_clips(read_aloud(folder))
    between = [words for file, words, start, end in heard
               if any(stop <= start for _, _, stop in clips.get(file, ()))
               and any(begin >= end for _, begin, _ in clips.get(file, ()))]
    assert len(between) >= 2, heard


def test_no_announcement_is_heard_inside_a_sentence_clip_of_the_read_aloud_epub(built):
    folder, _ = built
    clips = epub_clips(read_aloud(folder))
    assert heard_inside(clips, folder) == []
    assert own_speech(clips, folder) == []


def test_no_announcement_is_heard_inside_a_sentence_clip_of_the_daisy_book(built):
    folder, _ = built
    clips = daisy_clips(folder)
    assert heard_inside(clips, folder) == []
    assert own_speech(clips, folder) == []


def test_the_checks_pass_the_books(built):
    folder, document = built
    path = read_aloud(folder)
    assert epub_check.overlay_problems(epub_check.Epub(path), document, Manifest(folder).data("audio")) == []
    assert daisy_check.check(folder, document) == []


@pytest.mark.slow
@pytest.mark.validator
def test_overlays_with_gaps_between_clips_pass_epubcheck(built):
    require("java")
    assert epub_check.epubcheck(read_aloud(built[0])) == []


def stretched_over_an_announcement(clips: dict[str, list[Clip]], folder: Path) -> tuple[str, float, float]:
    """A sentence followed by an announcement in its track: (its id, its clip's end,
    the next clip's start), the old clip that ran on to the next sentence."""
    for file, _, start, end in announcements(folder):
        ordered = sorted(clips.get(file, ()), key=lambda clip: clip[1])
        for (sentence, _, stop), (_, following, _) in zip(ordered, ordered[1:], strict=False):
            if stop <= start and end <= following:
                return sentence, stop, following
    raise AssertionError("no announcement between two sentences")


def test_the_epub_check_catches_a_clip_that_runs_over_an_announcement(built, tmp_path):
    folder, document = built
    sentence, stop, following = stretched_over_an_announcement(epub_clips(read_aloud(folder)), folder)
    spoiled = tmp_path / "spoiled.epub"
    with zipfile.ZipFile(read_aloud(folder)) as book, zipfile.ZipFile(spoiled, "w") as copy:
        for info in book.infolist():
            data = book.read(info)
            if info.filename.endswith(".smil") and f'#{sentence}"'.encode() in data:
                old = f'clipEnd="{stop:.3f}s"'.encode()
                assert old in data
                data = data.replace(old, f'clipEnd="{following:.3f}s"'.encode())
            copy.writestr(info, data)
    problems = epub_check.overlay_problems(epub_check.Epub(spoiled), document, Manifest(folder).data("audio"))
    assert any(f"the clip of {sentence}" in p and "plays the announcement" in p for p in problems), problems
    assert any(f"the clip of {sentence}" in p and "not the sentence and its pause" in p for p in problems)


def test_the_daisy_check_catches_a_clip_that_runs_over_an_announcement(built, tmp_path):
    import shutil

    folder, document = built
    sentence, stop, following = stretched_over_an_announcement(daisy_clips(folder), folder)
    copy = tmp_path / "sleep"
    shutil.copytree(folder, copy)
    [smil] = [path for path in (copy / outputs.daisy("sleep")).glob("*.smil")
              if f'id="audio-{sentence}"' in path.read_text(encoding="utf-8")]
    text = smil.read_text(encoding="utf-8")
    old = f'clip-end="npt={stop:.3f}s"'
    assert old in text
    smil.write_text(text.replace(old, f'clip-end="npt={following:.3f}s"'), encoding="utf-8")
    messages = [finding.message for finding in daisy_check.check(copy, document)]
    assert any(f"the clip of {sentence}" in m and "plays the announcement" in m for m in messages), messages
    assert any("seq dur" in m for m in messages)  # its SMIL's stated time is no longer the clips' sum
