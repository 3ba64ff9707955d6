"""Speech synthesis: pyttsx3 driving eSpeak NG, one utterance at a time, cached.

Each utterance is synthesised once and kept in a content-addressed cache
(``<cache>/speech/<sha256>.pcm``: 16-bit mono PCM), keyed by the text the
engine is given (lexicon applied), the engine, its version, voice and rate;
an edit to one sentence misses the cache for that sentence only.

pyttsx3's eSpeak driver has traps, measured here: ``runAndWait()`` can return
before the WAV exists; two ``save_to_file`` calls before one ``runAndWait()``
write only the second; a voice id eSpeak does not know fails only through the
error callback and can hang a later ``runAndWait()``. So each utterance gets
its own ``save_to_file``/``runAndWait`` pair, the file is awaited, the voice
is checked against the engine's list before it is set, and every result is
checked for sound.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import json
import os
import tempfile
import time
import wave
from collections.abc import Callable
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from ...files import replacing

SAMPLE_RATE = 22050  # what eSpeak NG produces
WAV_TIMEOUT = 30.0  # seconds to wait for the driver's WAV to appear


class SynthesisError(RuntimeError):
    """The engine failed or gave silence for an utterance: never a silent gap."""


@dataclass(frozen=True)
class Voice:
    engine: str  # "espeak" (the default) or "piper" (the optional neural voice)
    voice: str  # an eSpeak NG voice id, or the package bundling a Piper voice
    rate: int  # words a minute

    @property
    def version(self) -> str:
        if self.engine == "piper":
            from .neural import describe

            return describe(self.voice)
        return f"pyttsx3 {version('pyttsx3')} espeakng-loader {version('espeakng-loader')}"

    @property
    def fresh_process_each_time(self) -> bool:
        """eSpeak carries state between utterances (see ``_espeak``); Piper does not."""
        return self.engine == "espeak"

    def key(self, say: str) -> str:
        """The cache key of one utterance: everything that changes its sound."""
        fields = [say, self.engine, self.version, self.voice, self.rate, SAMPLE_RATE]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def cached_path(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.pcm"


def load(cache: Path, key: str) -> np.ndarray:
    return np.frombuffer(cached_path(cache, key).read_bytes(), dtype="<i2")


def synthesise_missing(
    jobs: list[tuple[str, str, str]], voice: Voice, cache: Path, pool: Callable[[], Executor], progress
) -> int:
    """Synthesise every (key, say, label) not yet in the cache; return how many were.

    ``label`` names the utterance (its sentence id and source line) in errors;
    ``pool()`` gives the worker processes, started only when needed.
    """
    missing = {key: (say, label) for key, say, label in jobs if not cached_path(cache, key).exists()}
    if not missing:
        return 0
    futures = {pool().submit(_synthesise_to_cache, say, label, voice, str(cache), key): label
               for key, (say, label) in missing.items()}
    # A stuck engine must fail the build, not hang it: a generous budget per utterance.
    budget = WAV_TIMEOUT + 5.0 * len(futures)
    try:
        for done, future in enumerate(as_completed(futures, timeout=budget), start=1):
            future.result()  # re-raises a worker's SynthesisError, naming the sentence
            if done == len(futures) or done % 10 == 0:
                progress(f"audio: synthesised {done}/{len(futures)} utterances")
    except TimeoutError:
        waiting = [label for future, label in futures.items() if not future.done()]
        raise SynthesisError(f"the speech engine did not finish within {budget:.0f} s; "
                             f"still waiting for {', '.join(waiting[:5])}") from None
    return len(missing)


# -- inside a worker process ----------------------------------------------------

_engine = None  # one engine per process: eSpeak initialises once per process


def _synthesise_to_cache(say: str, label: str, voice: Voice, cache: str, key: str) -> None:
    pcm = synthesise(say, label, voice)
    target = cached_path(Path(cache), key)
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        temporary.write_bytes(pcm.astype("<i2").tobytes())


def synthesise(say: str, label: str, voice: Voice) -> np.ndarray:
    """One utterance → 16-bit PCM at SAMPLE_RATE, checked for sound."""
    if voice.engine == "piper":
        from .neural import speak

        pcm = speak(say, voice.voice, voice.rate)
    else:
        pcm = _espeak(say, label, voice)
    _check_sound(pcm, say, label)
    return pcm


def _check_sound(pcm: np.ndarray, say: str, label: str) -> None:
    seconds = len(pcm) / SAMPLE_RATE
    peak = int(np.abs(pcm.astype(np.int32)).max()) if len(pcm) else 0
    if seconds < 0.1 or peak < 328:  # shorter than a syllable, or quieter than -40 dBFS
        raise SynthesisError(f"{label}: the speech engine gave {'silence' if len(pcm) else 'nothing'} "
                             f"({seconds:.2f} s, peak {peak}) for: {say!r}")


def espeak_voices() -> list[str]:
    """The voice ids eSpeak NG knows (as pyttsx3 lists them), read from its data
    folder so the build can refuse a bad one without starting the engine."""
    import espeakng_loader

    languages = Path(espeakng_loader.get_data_path()) / "lang"
    return sorted(str(p.relative_to(languages)).lower() for p in languages.rglob("*") if p.is_file())


def load_espeak_library() -> None:
    """Make pyttsx3 find the eSpeak NG shipped by espeakng-loader (no system install needed)."""
    import espeakng_loader

    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    data = Path(espeakng_loader.get_data_path())
    os.environ["ESPEAK_DATA_PATH"] = str(data.parent if data.name == "espeak-ng-data" else data)


class _Engine:
    """pyttsx3's eSpeak driver, started once per process (eSpeak cannot restart)."""

    def __init__(self):
        load_espeak_library()
        import pyttsx3

        self.engine = pyttsx3.init("espeak")
        self.voices = {v.id for v in self.engine.getProperty("voices")}
        self.errors: list[BaseException] = []
        self.finished = False
        self.engine.connect("error", lambda name=None, exception=None: self.errors.append(exception))
        self.engine.connect("finished-utterance", lambda name=None, completed=True: setattr(self, "finished", True))

    def use(self, voice: Voice) -> None:
        # An unknown id fails only through the error callback and can hang a
        # later runAndWait(), so it is refused before it reaches eSpeak.
        if voice.voice not in self.voices:
            english = sorted(v for v in self.voices if "en" in v.split("/")[-1])
            raise SynthesisError(f"eSpeak NG has no voice '{voice.voice}' (house style audio.voice); "
                                 f"English ones are: {', '.join(english)}")
        # Set directly and waited for: eSpeak changes voice at once but queues
        # a rate change for its own thread, and a voice change racing a queued
        # rate left some sentences at the driver's default 200 words a minute.
        from pyttsx3.drivers import _espeak

        _espeak.SetVoiceByName(voice.voice.encode())
        _espeak.Synchronize()
        _espeak.SetParameter(_espeak.RATE, voice.rate, 0)
        _espeak.Synchronize()
        current = _espeak.dll.espeak_GetParameter(_espeak.RATE, 1)
        if current != voice.rate:
            raise SynthesisError(f"eSpeak NG kept rate {current} instead of {voice.rate} (house style audio.rate)")

    def speak(self, say: str, label: str, voice: Voice) -> np.ndarray:
        self.use(voice)
        self.errors.clear()
        self.finished = False
        with tempfile.TemporaryDirectory(prefix="publisher-speech-") as folder:
            path = Path(folder) / "utterance.wav"
            self.engine.save_to_file(say, str(path))
            # The driver prints "Audio saved to …", sometimes after runAndWait() returns.
            with contextlib.redirect_stdout(io.StringIO()):
                self.engine.runAndWait()
                deadline = time.monotonic() + WAV_TIMEOUT
                while not (self.finished and path.exists()) and not self.errors:
                    if time.monotonic() > deadline:
                        raise SynthesisError(f"{label}: eSpeak NG wrote no audio within {WAV_TIMEOUT:.0f} s "
                                             f"for: {say!r}")
                    time.sleep(0.005)
            if self.errors:
                raise SynthesisError(f"{label}: eSpeak NG failed ({self.errors[0]}) for: {say!r}")
            with wave.open(str(path), "rb") as wav:
                return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").copy()


def _espeak(say: str, label: str, voice: Voice) -> np.ndarray:
    """eSpeak carries state from one utterance to the next (the same sentence
    comes out a few samples different the second time), so each utterance is
    spoken by a fresh worker process: the same audio in every build, whatever
    the cache held. (Forking workers from one where eSpeak has started does
    not work: its driver thread does not survive the fork.)"""
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine.speak(say, label, voice)
