"""The audio book, opened as a listener's player would: decoded, tags and
chapters read back, timed, measured and transcribed."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image as Picture

from conftest import SLUG, SOURCE
from publisher.build import build, build_date
from publisher.checks.audio import (
    RECOGNISER_RATE,
    WER_BOUND,
    _book_language_model,
    check,
    decode,
    expected_tracks,
    track_file,
    track_words,
    transcribe,
    word_error_rate,
)
from publisher.diagnostics import ERROR
from publisher.levels import loudness, peak
from publisher.manifest import Manifest
from publisher.text import sentence_groups
from publisher.writers.audio.engine import SynthesisError


@pytest.fixture(scope="module")
def audio(build_output):
    return build_output("audio")


@pytest.fixture(scope="module")
def recorded(audio):
    return dict(Manifest(audio).data("audio"))


def test_the_audio_check_finds_nothing_wrong(audio, document):
    findings = check(audio, document, recognise=False)
    assert not [str(f) for f in findings if f.severity == ERROR]


def test_one_track_per_section_then_the_contact_details_and_a_playlist(audio, document):
    names = sorted(p.name for p in (audio / "audio").glob("*.mp3"))
    expected = [f"{s.number:02d}-{s.slug}.mp3" for s in document.sections]
    assert names == sorted(expected + [f"{len(expected) + 1:02d}-contact.mp3", f"{SLUG}.mp3"])
    playlist = (audio / "audio" / f"{SLUG}.m3u").read_text(encoding="utf-8").splitlines()
    assert playlist[0] == "#EXTM3U"
    listed = [line for line in playlist if not line.startswith("#")]
    assert listed == expected + [f"{len(expected) + 1:02d}-contact.mp3"]


def test_every_track_decodes_to_mono_speech_as_long_as_its_frames_say(audio, document):
    for track in expected_tracks(document):
        path = audio / track_file(track)
        info = MP3(path).info
        assert (info.channels, info.sample_rate, info.bitrate) == (1, 22050, 48000)
        pcm = decode(path, info.sample_rate)
        assert abs(len(pcm) / info.sample_rate - info.length) < 0.2
        assert np.abs(pcm.astype(np.int32)).max() > 3000, f"{path.name} is silent"


def test_durations_follow_word_counts(audio, document):
    tracks = expected_tracks(document)
    seconds = [MP3(audio / track_file(t)).info.length for t in tracks]
    counts = [len(track_words(t)) for t in tracks]
    assert np.argsort(seconds).tolist() == np.argsort(counts).tolist()
    for track, length, count in zip(tracks, seconds, counts, strict=True):
        # 150 words a minute plus pauses: between 0.3 and 0.9 s a word, whole tracks included
        assert 0.3 < length / count < 0.9, f"{track.slug}: {length:.1f} s for {count} words"


def frame_seconds(path: Path) -> float:
    """A file's length counted frame by frame (mutagen estimates a CBR file's from
    its size, which drifts by a few bytes for every separately encoded piece)."""
    from publisher.writers.audio.sound import duration

    return duration(path.read_bytes()[ID3(path).size:])


def test_the_whole_book_has_a_chapter_per_track_back_to_back(audio, document):
    whole = audio / "audio" / f"{SLUG}.mp3"
    tags = ID3(whole)
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    tracks = expected_tracks(document)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [t.title for t in tracks]
    assert list(tags.getall("CTOC")[0].child_element_ids) == [c.element_id for c in chapters]
    assert chapters[0].start_time == 0
    lengths = [frame_seconds(audio / track_file(t)) for t in tracks]
    for chapter, following, length in zip(chapters, chapters[1:], lengths, strict=False):
        assert chapter.end_time == following.start_time
        assert abs((chapter.end_time - chapter.start_time) / 1000 - length) < 0.001
    assert abs(chapters[-1].end_time / 1000 - MP3(whole).info.length) < 0.01


def test_tags_and_cover_art(audio, document):
    tracks = expected_tracks(document)
    for track in tracks:
        tags = ID3(audio / track_file(track))
        assert str(tags["TIT2"]) == track.title
        assert str(tags["TRCK"]) == f"{track.number}/{len(tracks)}"
        assert str(tags["TALB"]) == document.meta.title
        assert str(tags["TDRC"]) == build_date(document).strftime("%Y-%m-%d")  # never the clock
    cover = ID3(audio / "audio" / f"{SLUG}.mp3").getall("APIC")[0]
    picture = Picture.open(io.BytesIO(cover.data))
    assert cover.type == 3 and picture.format == "PNG" and picture.size == (600, 600)


def test_sentence_timings_cover_every_sentence_in_order_inside_each_file(recorded, document, audio):
    sections = recorded["sections"]
    expected = [[identifier for identifier, _ in group] for group in sentence_groups(document)]
    assert [[t["id"] for t in s["sentences"]] for s in sections] == expected
    for section in sections:
        length = frame_seconds(audio / section["file"])
        assert abs(section["duration"] - length) < 0.001
        assert abs(MP3(audio / section["file"]).info.length - length) < 0.02  # mutagen estimates from the size
        edges = [edge for t in section["sentences"] for edge in (t["start"], t["end"])]
        assert edges == sorted(edges) and edges[0] > 0 and edges[-1] <= length


def test_each_announcement_is_timed_apart_from_the_sentences_around_it(recorded, document):
    """"A quote." is a timed piece of its own, between the sentence before and the
    one after, so a sentence's clip never runs on over it."""
    for section, track in zip(recorded["sections"], expected_tracks(document), strict=True):
        said = [u.text for u in track.utterances if u.sentence is None]
        assert [a["text"] for a in section["announcements"]] == said
        pieces = sorted([(t["start"], t["end"], t["id"]) for t in section["sentences"]]
                        + [(a["start"], a["end"], a["text"]) for a in section["announcements"]])
        for (_, end, before), (start, _, after) in zip(pieces, pieces[1:], strict=False):
            assert end < start, f"{before} runs into {after}"
    first = recorded["sections"][0]["announcements"]
    assert any(a["text"] == "A quote." for a in first)


def test_sentence_timings_point_at_speech_and_the_pauses_between_at_silence(recorded, audio, document):
    track = expected_tracks(document)[2]
    section = recorded["sections"][2]
    timing = {t["id"]: t for t in section["sentences"]}
    pcm = decode(audio / section["file"], 22050).astype(np.float64)

    def level(start: float, end: float) -> float:
        part = pcm[int(start * 22050): int(end * 22050)]
        return float(np.sqrt(np.mean(part**2)))

    pairs = [(a.sentence, b.sentence) for a, b in zip(track.utterances, track.utterances[1:], strict=False)
             if a.sentence and b.sentence]
    assert len(pairs) >= 3
    for before, after in pairs:
        speech = level(timing[before]["start"], timing[before]["end"])
        pause = level(timing[before]["end"] + 0.03, timing[after]["start"] - 0.03)
        assert speech > 30 * pause, f"{before}: {speech:.0f} against {pause:.0f} in the pause after it"


def test_loudness_is_steady_across_tracks_and_peaks_stay_below_minus_1_dbfs(audio, document):
    """Measured on the decoded MP3s (not taken from the writer's own report)."""
    measured = [decode(audio / track_file(t), 22050) for t in expected_tracks(document)]
    levels = [loudness(pcm, 22050) for pcm in measured]
    assert max(levels) - min(levels) < 1.0
    assert max(peak(pcm) for pcm in measured) <= -1.0


def test_the_audio_check_measures_loudness_from_the_files_not_the_report(audio, document, tmp_path):
    """A track made 6 dB quieter is found by the check, though the build's report still says it is level."""
    import shutil

    import lameenc

    spoiled = tmp_path / "spoiled"
    shutil.copytree(audio, spoiled)
    track = expected_tracks(document)[1]
    path = spoiled / track_file(track)
    quieter = (decode(path, 22050).astype(np.float64) / 2).astype(np.int16)
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(22050)
    encoder.set_out_sample_rate(22050)
    encoder.set_bit_rate(48)
    tags = ID3(path)
    path.write_bytes(bytes(encoder.encode(quieter.tobytes()) + encoder.flush()))
    tags.save(str(path))
    findings = [str(f) for f in check(spoiled, document, recognise=False) if f.severity == ERROR]
    assert any("loudness varies" in finding for finding in findings), findings


def test_speech_is_recognised_in_the_right_tracks(audio, document):
    """Transcribed with pocketsphinx (the book's bigram model): each short track
    matches its own words and not its neighbour's; silence matches nothing."""
    tracks = expected_tracks(document)[1:]  # the short ones: the first takes a minute to transcribe
    model = _book_language_model(expected_tracks(document))
    heard = [transcribe(decode(audio / track_file(t), RECOGNISER_RATE), model) for t in tracks]
    for number, track in enumerate(tracks):
        own = word_error_rate(track_words(track), heard[number])
        other = word_error_rate(track_words(track), heard[number - 1])
        assert own <= WER_BOUND, f"{track.slug}: word error rate {own:.2f}"
        assert other > 0.85, f"{track.slug} matches the audio of the track before it"
    silence = transcribe(np.zeros(RECOGNISER_RATE * 3, dtype=np.int16), model)
    assert word_error_rate(track_words(tracks[0]), silence) > 0.9


def test_two_builds_give_identical_files_even_from_an_empty_cache(audio, tmp_path):
    build([SOURCE], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    again = tmp_path / "out" / SLUG / "audio"
    for path in sorted((audio / "audio").iterdir()):
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def _source(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "calm.md"
    path.write_text("---\ntitle: Calm\nlanguage: en-GB\npublisher: Test Press\ndate: 2024-01-01\n---\n\n" + body,
                    encoding="utf-8")
    return path


def _built(out: Path) -> dict:
    return dict(Manifest(out / "calm").data("audio"))


def test_changing_one_sentence_synthesises_only_that_sentence(tmp_path):
    source = _source(tmp_path / "src", "## One\n\nBabies smile. Babies sleep.\n\n## Two\n\nParents sing.\n")
    cache = tmp_path / "cache"
    build([source], ["audio"], tmp_path / "out", cache_dir=cache)
    first = _built(tmp_path / "out")
    assert first["synthesised"] == 8  # title, "From Test Press.", two headings, three sentences, the end
    _source(tmp_path / "src", "## One\n\nBabies smile. Babies rest.\n\n## Two\n\nParents sing.\n")
    build([source], ["audio"], tmp_path / "out", cache_dir=cache)
    second = _built(tmp_path / "out")
    assert (second["synthesised"], second["encoded"]) == (1, 1)
    assert second["sections"][1] == first["sections"][1]  # section two untouched


def test_a_draft_says_so_first_and_the_review_line_is_heard_before_the_end(tmp_path):
    source = _source(tmp_path / "src", "## One\n\nBabies smile.\n")
    text = source.read_text(encoding="utf-8").replace("date: 2024-01-01\n", "date: 2024-01-01\nversion: '1.0'\n"
                                                      "reviewed: 2024-01-01\nnext_review: 2027-01-01\n")
    source.write_text(text, encoding="utf-8")
    build([source], ["audio"], tmp_path / "out", {"draft": True}, cache_dir=tmp_path / "cache")
    sections = _built(tmp_path / "out")["sections"]
    first, last = sections[0]["announcements"], sections[-1]["announcements"]
    assert first[0]["text"] == "Draft." and first[0]["end"] < sections[0]["sentences"][0]["start"]
    assert [a["text"] for a in last[-2:]] == ["Version 1.0. Reviewed January 2024. Next review January 2027.",
                                              "This is the end of Calm."]


def test_a_voice_the_engine_lacks_is_bad_input_naming_it(tmp_path):
    from publisher.diagnostics import SourceError

    source = _source(tmp_path / "src", "## One\n\nBabies smile.\n")
    (tmp_path / "src" / "house-style.yaml").write_text("audio:\n  voice: en-gb\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no voice 'en-gb'") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert "gmw/en" in error.value.diagnostic.hint
    assert not (tmp_path / "out" / "calm" / "audio").exists()


def test_the_engine_itself_refuses_a_voice_it_lacks():
    """The same, inside a worker: an unknown id must never reach eSpeak (it can hang)."""
    from publisher.writers.audio.engine import synthesise
    from publisher.writers.audio.espeak import Espeak

    with pytest.raises(SynthesisError, match="no voice 'en-gb'"):
        synthesise("Babies smile.", "s1-2", Espeak("en-gb", 150))


def test_an_unknown_speech_engine_is_bad_input_naming_the_house_style(tmp_path):
    from publisher.diagnostics import SourceError

    source = _source(tmp_path / "src", "## One\n\nBabies smile.\n")
    (tmp_path / "src" / "house-style.yaml").write_text("# ours\naudio:\n  engine: festival\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown speech engine 'festival'") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert Path(error.value.diagnostic.file).name == "house-style.yaml" and error.value.diagnostic.line == 3


def test_silence_from_the_engine_is_an_error_naming_the_sentence():
    from publisher.writers.audio.engine import synthesise
    from publisher.writers.audio.espeak import Espeak

    with pytest.raises(SynthesisError, match=r"s1-3 \(source line 7\).*silence|s1-3 \(source line 7\).*nothing"):
        synthesise("   ", "s1-3 (source line 7)", Espeak("gmw/en", 150))


def test_the_neural_voice_extra_speaks_the_same_pipeline_reproducibly(tmp_path):
    pytest.importorskip("piper", reason="the neural extra is not installed: pip install '.[neural]'")
    source = _source(tmp_path / "src",
                     "## One\n\nBabies crave interactions with responsive, loving and nurturing people.\n")
    (tmp_path / "src" / "house-style.yaml").write_text("audio:\n  engine: piper\n", encoding="utf-8")
    for run in ("a", "b"):
        build([source], ["audio"], tmp_path / run, cache_dir=tmp_path / f"cache-{run}")
    files = sorted((tmp_path / "a" / "calm" / "audio").iterdir())
    assert [f.name for f in files] == ["01-one.mp3", "calm.m3u", "calm.mp3"]
    for path in files:
        assert path.read_bytes() == (tmp_path / "b" / "calm" / "audio" / path.name).read_bytes(), path.name
    timings = {t["id"]: t for t in _built(tmp_path / "a")["sections"][0]["sentences"]}
    spoken = timings["s1-2"]["end"] - timings["s1-2"]["start"]  # the sentence's ten words
    assert 10 / spoken * 60 == pytest.approx(150, rel=0.25)


def test_the_neural_voice_when_piper_is_missing_is_bad_input_naming_the_house_style(tmp_path):
    import importlib.util

    from publisher.diagnostics import SourceError

    if importlib.util.find_spec("piper") is not None:
        pytest.skip("Piper is installed here")
    source = _source(tmp_path / "src", "## One\n\nBabies smile.\n")
    (tmp_path / "src" / "house-style.yaml").write_text("audio:\n  engine: piper\n", encoding="utf-8")
    with pytest.raises(SourceError, match="Piper is not installed") as error:
        build([source], ["audio"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert Path(error.value.diagnostic.file).name == "house-style.yaml" and error.value.diagnostic.line == 2


def test_a_stuck_speech_engine_is_ended_and_named_not_waited_for(tmp_path):
    """The zygote kills an utterance that runs past its time and names it."""
    from publisher.writers.audio.espeak import Espeak
    from publisher.writers.audio.zygote import Zygote

    zygote = Zygote(Espeak("gmw/en", 150), tmp_path, workers=1, timeout=0.0)  # no time at all: every child is late
    answers = []
    try:
        zygote.run([("k1", "Babies smile.", "s1-2 (source line 7)")], 30, lambda key, error: answers.append(error))
    finally:
        zygote.close()
    assert answers and "s1-2 (source line 7)" in answers[0] and "did not finish" in answers[0]


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            children = {int(c) for c in task.read_text().split()}
            todo += children - found
            found |= children
    return found


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except OSError:
        return False


def _marked(marker: str) -> list[int]:
    """Live processes whose environment holds ``marker``: every process a build
    started (forks and the fresh zygote inherit it), wherever it was reparented."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environment = (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker.encode() in environment.split(b"\0") and _alive(int(entry.name)):
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_killed_build_leaves_no_speech_process_behind(tmp_path, signal_name):
    """Killed mid-synthesis, however it is killed: no zygote and no eSpeak child
    speaks on, looked for both among the processes seen and by the build's
    environment in every process on the machine (an orphan is reparented)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    # Long enough (a few seconds of speaking) that an orphan would still be at work when looked for.
    sentences = " ".join(f"Babies smile {number} times at {number + 1} people." for number in range(300))
    source = _source(tmp_path / "src", f"## One\n\n{sentences}\n")
    marker = f"PUBLISHER_CACHE={tmp_path / 'cache'}"
    build_process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", "--quiet", "--formats", "audio", "--output", str(tmp_path / "out"),
         str(source)], env=dict(os.environ, PUBLISHER_CACHE=str(tmp_path / "cache")),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(seen) < 3:  # the zygote and children speaking
        seen |= _descendants(build_process.pid)
        time.sleep(0.005)
    assert len(_marked(marker)) >= 2  # the way of looking finds the build and its speakers while they run
    build_process.send_signal(getattr(signal, signal_name))
    build_process.wait(timeout=30)
    assert len(seen) >= 3, "the build started no speech processes"
    time.sleep(0.5)  # the kernel ends them at once; an orphan would still be speaking
    assert not [pid for pid in seen if _alive(pid)]
    assert not _marked(marker)


def test_the_zygote_speaks_each_utterance_as_a_fresh_process_would(tmp_path):
    """Byte for byte: eSpeak's state must not carry from one utterance to the next."""
    import subprocess
    import sys

    from publisher.writers.audio.engine import load
    from publisher.writers.audio.espeak import Espeak
    from publisher.writers.audio.zygote import Zygote

    voice = Espeak("gmw/en", 150)
    sayings = ["Babies smile.", "Section 2: Emotional milestones.", "Babies smile, and parents sing back."]
    zygote = Zygote(voice, tmp_path, workers=2, timeout=30)
    try:
        zygote.run([(str(n), say, "test") for n, say in enumerate(sayings)], 60, lambda key, error: None)
    finally:
        zygote.close()
    for number, say in enumerate(sayings):
        fresh = subprocess.run(
            [sys.executable, "-c", "import sys; from publisher.writers.audio.engine import synthesise; "
             "from publisher.writers.audio.espeak import Espeak; "
             "sys.stdout.buffer.write(synthesise(sys.argv[1], 't', Espeak('gmw/en', 150)).astype('<i2').tobytes())",
             say], capture_output=True, check=True).stdout
        assert load(tmp_path, str(number)).tobytes() == fresh, say
