"""The M4B audiobook: chapters, durations and tags read back, and spoiled on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.build import build
from publisher.checks.m4b import check, m4b_chapters, mp3_chapters
from publisher.reader import read
from test_braille import small_source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("m4b")
    source = small_source(root / "source")
    build([source], ["audio", "m4b"], root / "output", cache_dir=tmp_path_factory.getbasetemp() / "speech")
    return root / "output" / "sleep", read(source)


def spoiled(built, tmp_path: Path, change) -> list[str]:
    folder, document = built
    copy = tmp_path / "sleep"
    shutil.copytree(folder, copy)
    change(copy / "audio" / "sleep.m4b")
    return [finding.message for finding in check(copy, document)]


def test_the_m4b_passes_its_check(built):
    folder, document = built
    assert check(folder, document) == []


def test_its_chapters_are_the_mp3_books(built):
    folder, _ = built
    chapters, tags = m4b_chapters(folder / "audio" / "sleep.m4b")
    expected = mp3_chapters(folder / "audio" / "sleep.mp3")
    assert [c[0] for c in chapters] == ["Sleep and your baby", "Settling", "Contact us"] == [c[0] for c in expected]
    for (_, start, end), (_, mp3_start, mp3_end) in zip(chapters, expected, strict=True):
        assert abs(start - mp3_start) < 0.05 and abs(end - mp3_end) < 0.05
    assert tags["©nam"] == ["Sleep and your baby"] and tags["covr"]


def test_lost_tags_and_cover_are_found(built, tmp_path):
    from mutagen.mp4 import MP4

    def strip(path: Path) -> None:
        file = MP4(path)
        del file["covr"], file["©nam"]
        file.save()
    messages = spoiled(built, tmp_path, strip)
    assert any("no cover art" in message for message in messages)
    assert any("©nam" in message for message in messages)


def test_a_cut_file_is_found(built, tmp_path):
    def cut(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    assert check(built[0], built[1]) == []
    assert spoiled(built, tmp_path, cut)


def test_audio_is_needed(tmp_path):
    from publisher.diagnostics import SourceError

    source = small_source(tmp_path / "source")
    with pytest.raises(SourceError, match="--formats audio,m4b"):
        build([source], ["m4b"], tmp_path / "output", cache_dir=tmp_path / "cache")
