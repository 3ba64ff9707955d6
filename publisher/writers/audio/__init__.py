"""The audio book: one MP3 per section, the whole book with chapters, a playlist.

speech.tracks   → utterances per track (what to say, pauses, sentence ids)
engine          → each utterance synthesised once, cached by content, on both cores
sound           → tracks assembled, levelled, encoded once (cached by content)
tags            → ID3 tags, chapter frames, cover art, M3U

The whole-book MP3 is the section MP3s' frames joined, so audio is encoded
once; its chapter marks are the sections' exact frame durations.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from ...contract import Job, Written
from ...files import replacing
from ...outputs import audio_book, audio_track, playlist
from ...speech import Track, load_lexicon, tracks
from . import engine, providers, sound, tags
from .providers import SAMPLE_RATE, Provider

WORKERS = min(2, os.cpu_count() or 1)


@dataclass
class _Assembled:
    track: Track
    pcm: np.ndarray
    timings: list[dict]  # {"id", "start", "end"} in seconds, inside the track's file


class _LazyPool:
    """A pool of speech workers, started only when there is work for it:
    a no-change rebuild never pays for starting eSpeak."""

    def __init__(self, fresh_workers: bool):
        self.fresh_workers = fresh_workers
        self.executor: ProcessPoolExecutor | None = None

    def __call__(self) -> ProcessPoolExecutor:
        if self.executor is None:
            # With eSpeak, a fresh worker per task, so it starts from the same
            # state for every utterance (see engine._espeak); forked from a clean server,
            # so nothing the build's own process holds (threads, an engine)
            # leaks into the workers.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["publisher.writers.audio.engine"])  # numpy imported once
            self.executor = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context,
                                                max_tasks_per_child=1 if self.fresh_workers else None)
        return self.executor

    def close(self, failed: bool = False) -> None:
        if self.executor is None:
            return
        if failed:  # a worker may be stuck inside eSpeak: end it rather than wait for it
            for process in list(getattr(self.executor, "_processes", {}).values()):
                process.kill()
        self.executor.shutdown(wait=True, cancel_futures=failed)


def settings(job: Job) -> tuple[Provider, sound.Encoding, dict]:
    """The speech provider (its settings checked) and the encoding, from the house style."""
    audio = job.style["audio"]
    voice = providers.from_style(audio, job.document.source.resolve().parent)
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
    pool = _LazyPool(fresh_workers=voice.fresh_process_each_time)
    try:
        requests = {}
        for track in track_list:
            for utterance in track.utterances:
                label = f"{utterance.sentence or 'announcement'} (source line {utterance.line})" \
                    if utterance.line else (utterance.sentence or "announcement")
                requests.setdefault(voice.key(utterance.say), (utterance.say, label))
        job.progress(f"audio: {len(track_list)} tracks, {len(requests)} distinct utterances")
        synthesised = engine.synthesise_missing(
            [(key, say, label) for key, (say, label) in requests.items()], voice, speech_cache, pool, job.progress)
        assembled = [_assemble(track, voice, audio, speech_cache, encoding) for track in track_list]
        encoded, fresh = _encode_all(assembled, encoding, job.cache_dir / "mp3", pool, job.progress)
    except BaseException:
        pool.close(failed=True)
        raise
    pool.close()
    return _write_files(job, assembled, encoded, synthesised, fresh)


def _assemble(track: Track, voice: Provider, audio, cache, encoding: sound.Encoding) -> _Assembled:
    """A track's PCM from cached utterances and pauses, with each sentence's time."""
    rate = SAMPLE_RATE
    pieces = [sound.silence(int(audio["lead_in"]), rate)]
    timings = []
    position = len(pieces[0])
    delay = encoding.delay_seconds
    for utterance in track.utterances:
        speech = sound.trimmed(engine.load(cache, voice.key(utterance.say)))
        if utterance.sentence:
            timings.append({"id": utterance.sentence,
                            "start": round(position / rate + delay, 3),
                            "end": round((position + len(speech)) / rate + delay, 3)})
        pause = sound.silence(utterance.pause, rate)
        pieces += [speech, pause]
        position += len(speech) + len(pause)
    pcm = sound.levelled(np.concatenate(pieces), rate, float(audio["loudness"]), float(audio["peak"]))
    return _Assembled(track, pcm, timings)


def _encode_all(assembled, encoding, cache, pool, progress) -> tuple[list[bytes], int]:
    """Each track's MP3, from the cache or encoded on both cores."""
    results: list[bytes | None] = [sound.cached_mp3(item.pcm, encoding, cache) for item in assembled]
    todo = [number for number, data in enumerate(results) if data is None]
    futures = {number: pool().submit(sound.encode_to_cache, assembled[number].pcm, encoding, cache)
               for number in todo}
    for done, (number, future) in enumerate(futures.items(), start=1):
        results[number] = future.result()
        progress(f"audio: encoded {done}/{len(todo)} tracks")
    return results, len(todo)


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
            "loudness": round(sound.loudness(item.pcm, SAMPLE_RATE), 2), "peak": round(sound.peak(item.pcm), 2),
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
                 f"{fresh} tracks encoded")
    return Written(files=tuple(files), data={
        "sections": sections, "duration": round(start, 3), "synthesised": synthesised, "encoded": fresh,
    })


def _remove_stale(folder, keep) -> None:
    """Tracks of sections that no longer exist must not linger in the playlist's folder."""
    for path in folder.glob("*.mp3"):
        if path not in keep:
            path.unlink()
