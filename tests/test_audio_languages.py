"""The audio book in other languages: a voice per language from the house
style's table, a lexicon per language, and the Welsh, Polish and Urdu test
guides built to audio, decoded and timed."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3

from conftest import FIXTURES
from publisher.build import build
from publisher.checks.audio import check, decode, expected_tracks, track_file
from publisher.diagnostics import ERROR, SourceError
from publisher.manifest import Manifest
from publisher.reader import read
from publisher.speech import lexicon_for, tracks
from publisher.style import load_style
from publisher.terms import terms_for
from publisher.text import sentence_groups, words
from publisher.writers.audio.espeak import espeak_voices, voice_tag
from publisher.writers.audio.providers import from_style

LANGUAGES = FIXTURES / "languages"


def test_every_voice_in_the_house_style_is_one_espeak_has():
    known = set(espeak_voices())
    table = load_style()["audio"]["voices"]
    assert {"en", "cy", "pl", "ur", "ro", "pa", "bn", "ar"} <= set(table)
    assert not {tag: voice for tag, voice in table.items() if voice not in known}


@pytest.mark.parametrize("language, voice", [
    ("en-GB", "gmw/en"), ("en", "gmw/en"), ("en-US", "gmw/en-us"), ("cy", "cel/cy"), ("cy-GB", "cel/cy"),
    ("pl", "zlw/pl"), ("ur", "inc/ur"), ("ur-PK", "inc/ur"), ("ro", "roa/ro"), ("pa", "inc/pa"),
    ("bn", "inc/bn"), ("ar", "sem/ar"), ("zh-Hans-CN", "sit/cmn"),
])
def test_the_voice_follows_the_language_tag_most_specific_first(tmp_path, language, voice):
    assert from_style(load_style()["audio"], tmp_path, language).voice == voice


def test_voice_tag_ignores_case_and_tries_shorter_forms():
    table = {"en": "gmw/en", "pa-arab": "x"}
    assert voice_tag(table, "EN-gb") == "en"
    assert voice_tag(table, "pa-Arab-PK") == "pa-arab"
    assert voice_tag(table, "pa") is None


def _copy(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(LANGUAGES / name, folder / name))


def test_a_source_folder_changes_a_language_s_voice(tmp_path):
    source = _copy("sleep.cy.md", tmp_path / "src")
    (tmp_path / "src" / "house-style.yaml").write_text("audio:\n  voices:\n    cy: gmw/en\n", encoding="utf-8")
    assert from_style(load_style(source.parent)["audio"], source.parent, "cy").voice == "gmw/en"
    (tmp_path / "src" / "house-style.yaml").write_text("# ours\naudio:\n  voices:\n    cy: cel/welsh\n",
                                                      encoding="utf-8")
    with pytest.raises(SourceError, match="no voice 'cel/welsh'") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert error.value.diagnostic.line == 4 and "cel/cy" in error.value.diagnostic.hint


def test_a_language_with_no_voice_is_bad_input_naming_the_tag_unless_audio_is_not_asked_for(tmp_path, make_source):
    source = make_source("## One\n\nWaa.\n", language="so")  # Somali: eSpeak NG has no voice for it
    with pytest.raises(SourceError, match="no voice for the language 'so'"):
        build([source], ["docx", "audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out" / "test").exists()  # refused in prepare: nothing written, Word file included
    build([source], ["docx"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert (tmp_path / "out" / "test" / "test-leaflet.docx").is_file()


def test_a_language_espeak_has_but_the_table_lacks_gets_a_hint_naming_the_voice(tmp_path, make_source):
    source = make_source("## One\n\nTere.\n", language="et")  # Estonian: urj/et, not in the table
    with pytest.raises(SourceError, match="no voice for the language 'et'") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert "et: urj/et" in error.value.diagnostic.hint


# -- lexicons per language ------------------------------------------------------------


def test_each_language_has_its_own_lexicon_and_a_translation_never_borrows_the_original_s(tmp_path):
    folder = tmp_path / "src"
    english, welsh, polish = (_copy(name, folder) for name in ("sleep.md", "sleep.cy.md", "sleep.pl.md"))
    (folder / "pronunciations.yaml").write_text("babies: bay-bees\n", encoding="utf-8")
    (folder / "pronunciations.cy.yaml").write_text("babanod: baban-od\n", encoding="utf-8")
    assert lexicon_for(read(english)).entries == {"babies": "bay-bees"}
    assert lexicon_for(read(welsh)).entries == {"babanod": "baban-od"}
    assert len(lexicon_for(read(polish))) == 0  # Polish has none: not the English one
    says = " ".join(u.say for t in tracks(read(welsh), lexicon_for(read(welsh)), load_style(folder))
                    for u in t.utterances)
    assert "baban-od" in says


def test_a_lexicon_is_read_as_text_as_typed(tmp_path):
    from publisher.speech import read_lexicon

    path = tmp_path / "pronunciations.yaml"
    path.write_text("No: Noh\nOn: 0n\nNHS: N H S\n", encoding="utf-8")  # YAML 1.1 would make No and On booleans
    assert read_lexicon(path).entries == {"NHS": "N H S", "No": "Noh", "On": "0n"}


# -- the test guides, built to audio ---------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The Welsh, Polish and Urdu guides (with the English original beside them), built to audio."""
    folder = tmp_path_factory.mktemp("src")
    for name in ("sleep.md", "sleep.cy.md", "sleep.pl.md", "sleep.ur.md"):
        _copy(name, folder)
    output, cache = tmp_path_factory.mktemp("out"), tmp_path_factory.mktemp("cache")
    sources = [folder / name for name in ("sleep.cy.md", "sleep.pl.md", "sleep.ur.md")]
    build(sources, ["audio"], output, cache_dir=cache)
    return {read(source).meta.language: (read(source), output / read(source).slug) for source in sources}


@pytest.mark.slow
@pytest.mark.parametrize("language, voice", [("cy", "cel/cy"), ("pl", "zlw/pl"), ("ur", "inc/ur")])
def test_a_translation_is_spoken_in_its_own_voice_and_words_at_a_plausible_length(built, language, voice):
    document, out = built[language]
    data = dict(Manifest(out).data("audio"))
    assert [[t["id"] for t in s["sentences"]] for s in data["sections"]] == \
        [[identifier for identifier, _ in group] for group in sentence_groups(document)]
    assert from_style(load_style(document.source.parent)["audio"], document.source.parent, language).voice == voice
    terms = terms_for(language)
    heard = [u.text for t in expected_tracks(document) for u in t.utterances]
    assert terms("speech_quote") in heard and terms("speech_list_many", count=3) in heard
    total_words = total_seconds = 0.0
    for track in expected_tracks(document):
        path = out / track_file(track)
        pcm = decode(path, 22050)
        seconds = len(pcm) / 22050
        assert abs(seconds - MP3(path).info.length) < 0.2
        assert np.abs(pcm.astype(np.int32)).max() > 3000, f"{path.name} is silent"
        total_words += sum(len(words(u.text)) for u in track.utterances)
        total_seconds += seconds
    # 150 words a minute and the pauses between: between 0.3 and 1.0 s a word over the whole book
    assert 0.3 < total_seconds / total_words < 1.0, f"{total_seconds:.1f} s for {total_words:.0f} words"
    findings = [str(f) for f in check(out, document, recognise=False) if f.severity == ERROR]
    assert not findings
