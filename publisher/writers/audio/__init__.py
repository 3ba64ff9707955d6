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

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ...contract import AnnouncementTiming, Job, SentenceTiming, TrackData, Written
from ...files import replacing
from ...levels import loudness, peak
from ...outputs import audio_book, audio_track, playlist
from ...speech import Track, lexicon_for, tracks
from ...style import style_error
from . import engine, providers, sound, tags
from .providers import SAMPLE_RATE, Provider


@dataclass
class _Assembled:
    track: Track
    mp3: bytes  # its pieces' frames, one after another
    timings: list[SentenceTiming]  # in seconds, inside the track's file
    announcements: list[AnnouncementTiming]  # the words heard between sentences
    loudness: float  # of the levelled track, dBFS: measured once, for the report
    peak: float


@dataclass(frozen=True)
class _Made:
    """One piece, levelled and encoded."""

    piece: sound.Piece
    mp3: bytes
    fresh: bool  # encoded in this build


def settings(job: Job) -> tuple[Provider, sound.Encoding, dict]:
    """The speech provider (its settings checked) and the encoding, from the house style."""
    audio, folder = job.style["audio"], job.document.source.resolve().parent
    voice = providers.from_style(audio, folder, job.document.meta.language)
    if int(audio["sample_rate"]) != SAMPLE_RATE:  # the pieces' frame arithmetic counts the engine's samples
        raise style_error(folder, "sample_rate", f"audio.sample_rate must be {SAMPLE_RATE} (the speech engine's rate)",
                          f"sample_rate: {SAMPLE_RATE}")
    return voice, sound.Encoding(SAMPLE_RATE, int(audio["sample_rate"]), int(audio["bitrate"])), audio


def prepare(job: Job) -> None:
    """Refuse an unknown engine, a voice eSpeak NG lacks, a language with no
    voice and a bad lexicon before any format is written."""
    settings(job)
    lexicon_for(job.document)


def write(job: Job) -> Written:
    document = job.document
    voice, encoding, audio = settings(job)
    track_list = tracks(document, lexicon_for(document), job.style, job.terms, draft=bool(job.options.get("draft")))
    speech_cache, mp3_cache = job.cache_dir / "speech", job.cache_dir / "mp3"
    requests: dict[str, tuple[str, str]] = {}
    uses: dict[str, list[tuple[int, int]]] = {}  # utterance key → (track, utterance) places
    for number, track in enumerate(track_list):
        for place, utterance in enumerate(track.utterances):
            label = f"{utterance.sentence or 'announcement'} (source line {utterance.line})" \
                if utterance.line else (utterance.sentence or "announcement")
            key = voice.key(utterance.say)
            requests.setdefault(key, (utterance.say, label))
            uses.setdefault(key, []).append((number, place))
    job.progress(f"audio: {len(track_list)} tracks, {len(requests)} distinct utterances")
    rate, target, ceiling = SAMPLE_RATE, float(audio["loudness"]), float(audio["peak"])
    # The first piece's own codec delay is part of the lead-in.
    lead_in = max(round(rate * int(audio["lead_in"]) / 1000) - sound.CODEC_DELAY, 0)

    def make(key: str, number: int, place: int) -> _Made:
        utterance = track_list[number].utterances[place]
        pcm = engine.load(speech_cache, key)
        if pcm is None:  # verified a moment ago: something else is writing to the cache
            raise engine.SynthesisError(f"{requests[key][1]}: its cached speech changed during the build")
        speech = sound.levelled(sound.trimmed(pcm), rate, target, ceiling)
        piece = sound.piece(speech, lead_in if place == 0 else 0, round(rate * utterance.pause / 1000))
        return _Made(piece, *sound.encoded(piece, encoding, mp3_cache))

    # Each piece is levelled and encoded on a thread as soon as its utterance is
    # in the cache, while the engine speaks the rest (lameenc releases the GIL).
    futures: dict[tuple[int, int], Future[_Made]] = {}
    cover: list[Future[bytes]] = []
    with ThreadPoolExecutor(max_workers=engine.WORKERS) as threads:
        def ready(key: str) -> None:
            if not cover:  # the first call comes after the zygote is forked: threads may start now
                cover.append(threads.submit(tags.cover_png, document, job.style))
            for number, place in uses[key]:
                futures[number, place] = threads.submit(make, key, number, place)

        synthesised = engine.synthesise_missing(
            [(key, say, label) for key, (say, label) in requests.items()], voice, speech_cache, job.progress, ready)
        made = [[futures[number, place].result() for place in range(len(track.utterances))]
                for number, track in enumerate(track_list)]
    fresh = sum(m.fresh for pieces in made for m in pieces)
    job.progress(f"audio: encoded {fresh} of {len(futures)} pieces")
    assembled = [_assemble(track, pieces) for track, pieces in zip(track_list, made, strict=True)]
    return _write_files(job, assembled, synthesised, fresh, cover[0].result())


def _assemble(track: Track, made: list[_Made]) -> _Assembled:
    """A track: its pieces' MP3 frames joined, each utterance's time in the file counted from the frames.

    A sentence's time is its own speech, never the pause after it nor an
    announcement that follows ("A quote.", "A table of 3 rows."): those are
    timed apart, so a player that highlights sentences can tell when none is
    being read.
    """
    rate = SAMPLE_RATE
    timings: list[SentenceTiming] = []
    announcements: list[AnnouncementTiming] = []
    position = 0  # samples into the file where the piece starts
    for utterance, item in zip(track.utterances, made, strict=True):
        start = position + sound.CODEC_DELAY + item.piece.lead
        begins, ends = round(start / rate, 3), round((start + item.piece.speech) / rate, 3)
        if utterance.sentence:
            timings.append({"id": utterance.sentence, "start": begins, "end": ends})
        else:
            announcements.append({"text": utterance.text, "start": begins, "end": ends})
        position += item.piece.frames * sound.FRAME
    pcm = np.concatenate([item.piece.pcm for item in made])
    return _Assembled(track, b"".join(item.mp3 for item in made), timings, announcements, loudness(pcm, rate),
                      peak(pcm))


def _write_files(job: Job, assembled: list[_Assembled], synthesised: int, fresh: int, cover: bytes) -> Written:
    document = job.document
    files = []
    sections: list[TrackData] = []
    total = len(assembled)
    chapters = []
    start = 0.0
    for item in assembled:
        data = item.mp3
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
            "duration": round(seconds, 3), "sentences": item.timings, "announcements": item.announcements,
            "loudness": round(item.loudness, 2), "peak": round(item.peak, 2),
        })
    whole = job.path(audio_book(document.slug))
    with replacing(whole) as temporary:
        temporary.write_bytes(b"".join(item.mp3 for item in assembled))
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
