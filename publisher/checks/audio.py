"""Checks of the audio book, by decoding and listening to it.

Every track is decoded (miniaudio, a decoder independent of the LAME encoder
that made it), its tags and the whole book's chapters read back with mutagen,
its loudness and peak measured, its sentence timings checked against the
speech text, and (optionally, it takes a minute) the speech transcribed with
the pocketsphinx recogniser and compared with what should have been said.
"""

from __future__ import annotations

import collections
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..diagnostics import ERROR, INFO, WARNING, Diagnostic
from ..levels import loudness, peak
from ..manifest import Manifest
from ..model import Document
from ..outputs import audio_book, audio_track, playlist
from ..speech import Track, lexicon_for, tracks
from ..style import load_style
from ..terms import terms_for
from ..text import words

RECOGNISER_RATE = 16000
SPEAKING_RATE = (100, 220)  # words a minute while speaking: outside this, speech is garbled or missing
# A track this short is not held to the rate: in a contact track of 15 words,
# a phone number (one "word" of digits, a dozen spoken) or a postcode spelt
# letter by letter moves it by half (the Polish guide's: 92 words a minute).
RATE_MIN_WORDS = 40
LOUDNESS_SPREAD = 1.0  # dB between the quietest and loudest track
WER_BOUND = 0.7  # with the book's own language model; measured 0.12–0.57 for eSpeak NG, 0.9+ for wrong audio


@dataclass(frozen=True)
class Measured:
    """What was measured of one track's file."""

    file: str
    seconds: float  # from the MPEG frames (mutagen)
    decoded_seconds: float
    loudness: float  # gated RMS, dBFS, of the decoded audio
    peak: float  # dBFS
    words: int  # of the displayed sentences
    speaking_seconds: float  # inside the sentence timings
    wer: float | None = None


def expected_tracks(document: Document) -> list[Track]:
    folder = document.source.resolve().parent
    return tracks(document, lexicon_for(document), load_style(folder), terms_for(document.meta.language))


def track_file(track: Track) -> str:
    return audio_track(track.number, track.slug)


def decode(path: Path, rate: int) -> np.ndarray:
    """16-bit mono PCM at ``rate``, decoded independently of the encoder."""
    import miniaudio

    decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.SIGNED16,
                                    nchannels=1, sample_rate=rate)
    return np.asarray(decoded.samples, dtype=np.int16)


def built_data(out_dir: Path) -> dict:
    """The timings the last build recorded (output/<slug>/.build-manifest.json)."""
    return dict(Manifest(out_dir).data("audio"))


def check(out_dir: Path, document: Document, recognise: bool = True) -> list[Diagnostic]:
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    findings: list[Diagnostic] = []
    expected = expected_tracks(document)
    data = built_data(out_dir)
    recorded = {s["file"]: s for s in data.get("sections", [])}
    measured: list[Measured] = []
    lm = _book_language_model(expected) if recognise else None
    for track in expected:
        name = track_file(track)
        path = out_dir / name
        if not path.is_file():
            findings.append(Diagnostic(ERROR, name, f"missing: section {track.number} '{track.title}' has no track"))
            continue
        info = MP3(path).info
        if info is None:
            findings.append(Diagnostic(ERROR, name, "not an MP3: no audio frames found"))
            continue
        if info.channels != 1:
            findings.append(Diagnostic(ERROR, name, f"{info.channels} channels, expected mono"))
        tags = ID3(path)
        if str(tags.get("TIT2")) != track.title or str(tags.get("TRCK")).split("/")[0] != str(track.number):
            findings.append(Diagnostic(ERROR, name, f"tagged '{tags.get('TIT2')}' track {tags.get('TRCK')}, "
                                                 f"expected '{track.title}' track {track.number}"))
        if not tags.getall("APIC"):
            findings.append(Diagnostic(WARNING, name, "no cover art"))
        pcm = decode(path, info.sample_rate)
        decoded_seconds = len(pcm) / info.sample_rate
        if abs(decoded_seconds - info.length) > 0.2:
            findings.append(Diagnostic(ERROR, name, f"decodes to {decoded_seconds:.2f} s, "
                                                 f"its frames say {info.length:.2f} s"))
        timings = recorded.get(name, {}).get("sentences")
        findings += _timing_findings(name, track, timings, info.length)
        sentence_words = sum(len(words(u.text)) for u in track.utterances if u.sentence)
        speaking = sum(t["end"] - t["start"] for t in timings or [] if t["id"] in _ids(track))
        wer = None
        if lm is not None:
            heard = transcribe(decode(path, RECOGNISER_RATE), lm)
            wer = word_error_rate(track_words(track), heard)
        measured.append(Measured(name, info.length, decoded_seconds, loudness(pcm, info.sample_rate), peak(pcm),
                                 sentence_words, speaking, wer))
    findings += _whole_findings(out_dir, document, expected, measured)
    findings += _level_findings(measured)
    for m in measured:
        rate = m.words / (m.speaking_seconds / 60) if m.speaking_seconds else 0
        if m.speaking_seconds and m.words >= RATE_MIN_WORDS and not SPEAKING_RATE[0] <= rate <= SPEAKING_RATE[1]:
            findings.append(Diagnostic(ERROR, m.file, f"{rate:.0f} words a minute while speaking, outside "
                                                   f"{SPEAKING_RATE[0]}–{SPEAKING_RATE[1]}: garbled or missing speech"))
        if m.wer is not None and m.wer > WER_BOUND:
            findings.append(Diagnostic(ERROR, m.file, f"the recogniser's word error rate is {m.wer:.2f}, above "
                                                   f"{WER_BOUND}: speech missing, garbled or in the wrong track"))
        wer_note = f", word error rate {m.wer:.2f}" if m.wer is not None else ""
        findings.append(Diagnostic(INFO, m.file, f"{m.seconds:.1f} s, {m.words} words at {rate:.0f} words a minute "
                                              f"while speaking, loudness {m.loudness:.1f} dBFS, peak {m.peak:.1f} dBFS"
                                              f"{wer_note}"))
    return findings


def _ids(track: Track) -> set[str]:
    return set(track.sentence_ids)


def _timing_findings(name: str, track: Track, timings: list[dict] | None, seconds: float) -> list[Diagnostic]:
    if timings is None:
        return [Diagnostic(WARNING, name, "no sentence timings recorded by the build")]
    findings = []
    if [t["id"] for t in timings] != track.sentence_ids:
        findings.append(Diagnostic(ERROR, name, "the sentence timings do not list the section's sentences in order"))
    previous_end = 0.0
    for timing in timings:
        if not previous_end <= timing["start"] < timing["end"] <= seconds:
            findings.append(Diagnostic(ERROR, name, f"sentence {timing['id']} at {timing['start']}–{timing['end']} s "
                                                 f"overlaps the one before or lies outside the {seconds:.2f} s file"))
            break
        previous_end = timing["end"]
    return findings


def _whole_findings(out_dir: Path, document: Document, expected: list[Track],
                    measured: list[Measured]) -> list[Diagnostic]:
    """The whole book: one chapter per track, back to back, in order; the playlist."""
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    findings = []
    name = audio_book(document.slug)
    path = out_dir / name
    if not path.is_file():
        return [Diagnostic(ERROR, name, "missing: the whole book")]
    tags = ID3(path)
    tocs = tags.getall("CTOC")
    chapters = sorted(tags.getall("CHAP"), key=lambda chap: chap.start_time)
    titles = [str(chap.sub_frames.get("TIT2")) for chap in chapters]
    if [t.title for t in expected] != titles:
        findings.append(Diagnostic(ERROR, name, f"chapters {titles}, expected {[t.title for t in expected]}"))
    if not tocs or list(tocs[0].child_element_ids) != [chap.element_id for chap in chapters]:
        findings.append(Diagnostic(ERROR, name, "the table of contents (CTOC) does not list the chapters in order"))
    start = 0.0
    for chap, m in zip(chapters, measured, strict=False):  # a missing chapter is reported above
        length = (chap.end_time - chap.start_time) / 1000
        if abs(chap.start_time / 1000 - start) > 0.01 or abs(length - m.seconds) > 0.01:
            findings.append(Diagnostic(ERROR, name, f"chapter '{chap.sub_frames.get('TIT2')}' at "
                                                 f"{chap.start_time}–{chap.end_time} ms does not match its track"))
        start += m.seconds
    info = MP3(path).info
    length = info.length if info is not None else 0.0
    if abs(length - start) > 0.1:
        findings.append(Diagnostic(ERROR, name, f"lasts {length:.2f} s, its tracks {start:.2f} s"))
    listing = out_dir / playlist(document.slug)
    listed = [line for line in listing.read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")] if listing.is_file() else []
    if listed != [Path(track_file(t)).name for t in expected]:
        findings.append(Diagnostic(ERROR, listing.name, f"lists {listed}, expected the tracks in order"))
    findings.append(Diagnostic(INFO, name, f"{len(chapters)} chapters, {length / 60:.1f} minutes"))
    return findings


def _level_findings(measured: list[Measured]) -> list[Diagnostic]:
    findings = [Diagnostic(ERROR, m.file, f"peaks at {m.peak:.2f} dBFS, above −1 dBFS")
                for m in measured if m.peak > -1.0]
    levels = [m.loudness for m in measured]
    if levels and max(levels) - min(levels) > LOUDNESS_SPREAD:
        findings.append(Diagnostic(ERROR, "audio", f"loudness varies by {max(levels) - min(levels):.1f} dB between "
                                                f"tracks (more than {LOUDNESS_SPREAD} dB)"))
    return findings


# -- intelligibility ------------------------------------------------------------------


def track_words(track: Track) -> list[str]:
    """What a listener should hear: every utterance, announcements included."""
    return [w for u in track.utterances for w in words(u.text)]


def transcribe(pcm: np.ndarray, language_model: Path | None = None) -> list[str]:
    """The words pocketsphinx hears in 16 kHz speech.

    With ``language_model`` the recogniser expects the book's own word
    sequences (as a listener who has the text would): eSpeak's robotic voice
    is then recognised well enough for errors of ours to stand out. Without
    it, its general US English model is used (a harsher, noisier measure).
    """
    from pocketsphinx import Decoder

    options = {"samprate": RECOGNISER_RATE, "loglevel": "FATAL"}
    if language_model is not None:
        # Narrower beams: about 5× faster, at no loss on a small vocabulary.
        options.update(lm=str(language_model), beam=1e-40, wbeam=1e-20, pbeam=1e-40, maxhmmpf=3000)
    decoder = Decoder(**options)
    decoder.start_utt()
    decoder.process_raw(pcm.astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr.split() if hypothesis else []


def _book_language_model(track_list: list[Track]) -> Path:
    """A bigram ARPA language model of the speech text, for the recogniser."""
    from pocketsphinx import get_model_path

    dictionary = Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"
    known = {line.split(maxsplit=1)[0] for line in dictionary.read_text(encoding="utf-8").splitlines() if line}
    unigrams: collections.Counter = collections.Counter()
    bigrams: collections.Counter = collections.Counter()
    for track in track_list:
        for utterance in track.utterances:
            sentence = ["<s>", *(w for w in words(utterance.text) if w in known), "</s>"]
            unigrams.update(sentence)
            bigrams.update(zip(sentence, sentence[1:], strict=False))
    total = sum(unigrams.values())
    backoff = math.log10(0.3)  # a fixed share for unseen pairs: crude, and enough here
    lines = ["\\data\\", f"ngram 1={len(unigrams)}", f"ngram 2={len(bigrams)}", "", "\\1-grams:"]
    lines += [f"{math.log10(count / total):.4f} {word} {backoff:.4f}" for word, count in sorted(unigrams.items())]
    lines += ["", "\\2-grams:"]
    lines += [f"{math.log10(0.7 * count / unigrams[a]):.4f} {a} {b}" for (a, b), count in sorted(bigrams.items())]
    lines += ["", "\\end\\", ""]
    path = Path(tempfile.mkdtemp(prefix="publisher-lm-")) / "book.lm"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def word_error_rate(reference: list[str], heard: list[str]) -> float:
    """(substitutions + deletions + insertions) / reference words: Levenshtein over words."""
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(reference, start=1):
        current = [i]
        for j, other in enumerate(heard, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1] / max(len(reference), 1)
