"""The audio book: one MP3 per section, the whole book with chapters, a playlist.

speech.tracks   → utterances per track (what to say, pauses, sentence ids)
providers       → the speech engine, from the house style (eSpeak NG or Piper)
engine, zygote  → each utterance synthesised once, cached by content, on both cores
sound           → each utterance levelled and encoded with its pause as one
                  piece (cached by content, on threads); a track is its pieces
tags            → ID3 tags, chapter frames, cover art, M3U

The whole-book MP3 is the section MP3s' frames joined, so audio is encoded
once; its chapter marks are the sections' exact frame durations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...contract import Job, Written
from ...files import replacing
from ...levels import loudness, peak
from ...outputs import audio_book, audio_track, playlist
from ...speech import Track, load_lexicon, tracks
from ...style import style_error
from . import engine, providers, sound, tags
from .providers import SAMPLE_RATE, Provider


@dataclass
class _Assembled:
    track: Track
    pieces: list[sound.Piece]
    timings: list[dict]  # {"id", "start", "end"} in seconds, inside the track's file
    loudness: float  # of the levelled track, dBFS: measured once, for the report
    peak: float


def settings(job: Job) -> tuple[Provider, sound.Encoding, dict]:
    """The speech provider (its settings checked) and the encoding, from the house style."""
    audio, folder = job.style["audio"], job.document.source.resolve().parent
    voice = providers.from_style(audio, folder)
    if int(audio["sample_rate"]) != SAMPLE_RATE:  # the pieces' frame arithmetic counts the engine's samples
        raise style_error(folder, "sample_rate", f"audio.sample_rate must be {SAMPLE_RATE} (the speech engine's rate)",
                          f"sample_rate: {SAMPLE_RATE}")
    return voice, sound.Encoding(SAMPLE_RATE, int(audio["sample_rate"]), int(audio["bitrate"])), audio


def prepare(job: Job) -> None:
    """Refuse an unknown engine or voice before any format is written."""
    settings(job)


def write(job: Job) -> Written:
    document = job.document
    voice, encoding, audio = settings(job)
    lexicon = load_lexicon(document.source.resolve().parent)
    track_list = tracks(document, lexicon, job.style, job.terms)
    speech_cache = job.cache_dir / "speech"
    requests = {}
    for track in track_list:
        for utterance in track.utterances:
            label = f"{utterance.sentence or 'announcement'} (source line {utterance.line})" \
                if utterance.line else (utterance.sentence or "announcement")
            requests.setdefault(voice.key(utterance.say), (utterance.say, label))
    job.progress(f"audio: {len(track_list)} tracks, {len(requests)} distinct utterances")
    synthesised = engine.synthesise_missing(
        [(key, say, label) for key, (say, label) in requests.items()], voice, speech_cache, job.progress)
    assembled = [_assemble(track, voice, audio, speech_cache, encoding) for track in track_list]
    everything = [p for item in assembled for p in item.pieces]
    mp3s, fresh = sound.encode_pieces(everything, encoding, job.cache_dir / "mp3", engine.WORKERS)
    job.progress(f"audio: encoded {fresh} of {len(everything)} pieces")
    encoded, start = [], 0
    for item in assembled:
        encoded.append(b"".join(mp3s[start: start + len(item.pieces)]))
        start += len(item.pieces)
    return _write_files(job, assembled, encoded, synthesised, fresh)


def _assemble(track: Track, voice: Provider, audio, cache, encoding: sound.Encoding) -> _Assembled:
    """A track's pieces from cached utterances, levelled, with each sentence's time in the file."""
    rate = SAMPLE_RATE
    target, ceiling = float(audio["loudness"]), float(audio["peak"])
    # The first piece's own codec delay is part of the lead-in.
    lead = max(round(rate * int(audio["lead_in"]) / 1000) - sound.CODEC_DELAY, 0)
    pieces, timings = [], []
    position = 0  # samples into the file where the piece starts
    for utterance in track.utterances:
        speech = sound.levelled(sound.trimmed(engine.load(cache, voice.key(utterance.say))), rate, target, ceiling)
        piece = sound.piece(speech, lead, round(rate * utterance.pause / 1000))
        if utterance.sentence:
            start = position + sound.CODEC_DELAY + piece.lead
            timings.append({"id": utterance.sentence, "start": round(start / rate, 3),
                            "end": round((start + piece.speech) / rate, 3)})
        pieces.append(piece)
        position += piece.frames * sound.FRAME
        lead = 0
    pcm = np.concatenate([p.pcm for p in pieces])
    return _Assembled(track, pieces, timings, loudness(pcm, rate), peak(pcm))


def _write_files(job: Job, assembled, encoded, synthesised: int, fresh: int) -> Written:
    document = job.document
    cover = tags.cover_png(document, job.style)
    files = []
    sections = []
    total = len(assembled)
    chapters = []
    start = 0.0
    for item, data in zip(assembled, encoded, strict=True):
        track = item.track
        name = audio_track(track.number, track.slug)
        target = job.path(name)
        with replacing(target) as temporary:
            temporary.write_bytes(data)
            tags.tag(temporary, document, job.build_date, cover, track.title, track=(track.number, total))
        files.append(target)
        seconds = sound.duration(data)
        chapters.append((track.title, start, start + seconds))
        start += seconds
        sections.append({
            "number": track.number, "slug": track.slug, "title": track.title, "file": name,
            "duration": round(seconds, 3), "sentences": item.timings,
            "loudness": round(item.loudness, 2), "peak": round(item.peak, 2),
        })
    whole = job.path(audio_book(document.slug))
    with replacing(whole) as temporary:
        temporary.write_bytes(b"".join(encoded))
        tags.tag(temporary, document, job.build_date, cover, document.meta.title, chapters=chapters)
    listing = job.path(playlist(document.slug))
    with replacing(listing) as temporary:
        entries = [(s["file"].removeprefix("audio/"), s["title"], s["duration"]) for s in sections]
        temporary.write_text(tags.playlist(document, entries), encoding="utf-8")
    files += [whole, listing]
    _remove_stale(job.path("audio"), files)
    job.progress(f"audio: {total} tracks, {start / 60:.1f} minutes; {synthesised} utterances synthesised, "
                 f"{fresh} pieces encoded")
    return Written(files=tuple(files), data={
        "sections": sections, "duration": round(start, 3), "synthesised": synthesised, "encoded": fresh,
    })


def _remove_stale(folder, keep) -> None:
    """Tracks of sections that no longer exist must not linger in the playlist's folder."""
    for path in folder.glob("*.mp3"):
        if path not in keep:
            path.unlink()
