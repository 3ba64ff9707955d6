"""The audio build's caches are verified, not trusted, and the machine's faults
are named as such: a spoiled cache entry (cut short, emptied, replaced with
noise) is made again and the book comes out the same bytes; eSpeak NG's data
missing is an environment fault (exit 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from publisher.build import build
from publisher.diagnostics import EnvironmentFault
from publisher.manifest import Manifest
from publisher.writers.audio import cache as entries

BODY = "## One\n\nBabies smile. Babies sleep.\n\n## Two\n\nParents sing.\n"


def _audio(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / "test" / "audio").iterdir())}


def _spoil_one(path: Path, how: str) -> None:
    stored = path.read_bytes()
    if how == "cut short":
        path.write_bytes(stored[: len(stored) // 3])
    elif how == "emptied":
        path.write_bytes(b"")
    elif how == "noise":  # the same length, the digest kept: only the bytes after it are wrong
        noise = np.random.default_rng(1).integers(-20000, 20000, (len(stored) - entries.DIGEST) // 2, dtype="<i2")
        path.write_bytes(stored[: entries.DIGEST] + noise.tobytes())
    elif how == "raw, as an older build wrote it":  # no digest at all
        path.write_bytes(stored[entries.DIGEST:])


SPOILS = ["cut short", "emptied", "noise", "raw, as an older build wrote it"]


@pytest.mark.parametrize("how", SPOILS)
def test_a_spoiled_cached_utterance_is_spoken_again_and_the_book_is_unchanged(tmp_path, make_source, how):
    source = make_source(BODY)
    cache = tmp_path / "cache"
    build([source], ["audio"], tmp_path / "first", cache_dir=cache)
    speech = sorted((cache / "speech").rglob("*.pcm"))
    for path in speech[::3]:
        _spoil_one(path, how)
    build([source], ["audio"], tmp_path / "second", cache_dir=cache)
    data = dict(Manifest(tmp_path / "second" / "test").data("audio"))
    assert data["synthesised"] == len(speech[::3])
    assert _audio(tmp_path / "second") == _audio(tmp_path / "first")


@pytest.mark.parametrize("how", SPOILS)
def test_a_spoiled_cached_mp3_piece_is_encoded_again_and_the_book_is_unchanged(tmp_path, make_source, how):
    source = make_source(BODY)
    cache = tmp_path / "cache"
    build([source], ["audio"], tmp_path / "first", cache_dir=cache)
    pieces = sorted((cache / "mp3").rglob("*.mp3"))
    for path in pieces[1::2]:
        _spoil_one(path, how)
    build([source], ["audio"], tmp_path / "second", cache_dir=cache)
    data = dict(Manifest(tmp_path / "second" / "test").data("audio"))
    assert (data["synthesised"], data["encoded"]) == (0, len(pieces[1::2]))
    assert _audio(tmp_path / "second") == _audio(tmp_path / "first")


def test_a_cache_entry_is_read_back_only_when_whole(tmp_path):
    path = tmp_path / "ab" / "entry"
    entries.write(path, b"speech")
    assert entries.read(path) == b"speech"
    assert entries.read(tmp_path / "missing") is None
    for spoiled in (b"", path.read_bytes()[:-1], path.read_bytes()[:-1] + b"x", path.read_bytes()[:entries.DIGEST]):
        path.write_bytes(spoiled)
        assert entries.read(path) is None


def test_espeak_data_missing_is_an_environment_fault_not_the_house_style_s(tmp_path, make_source, monkeypatch,
                                                                          capsys):
    import espeakng_loader

    from publisher.cli import EXIT_ENVIRONMENT, main

    source = make_source(BODY)
    monkeypatch.setattr(espeakng_loader, "__file__", str(tmp_path / "gone" / "__init__.py"))
    with pytest.raises(EnvironmentFault, match="eSpeak NG's data is missing") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert "house-style" not in str(error.value)
    assert "pip install --force-reinstall espeakng-loader" in str(error.value)
    assert not (tmp_path / "out" / "test").exists()  # found in prepare: nothing written
    capsys.readouterr()
    import signal

    monkeypatch.setattr(signal, "signal", lambda *args: None)  # main() would take over pytest's SIGTERM
    code = main(["build", "--formats", "audio", "--output", str(tmp_path / "out"), str(source)])
    assert code == EXIT_ENVIRONMENT == 3
    assert "eSpeak NG's data is missing" in capsys.readouterr().err
