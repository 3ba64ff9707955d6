"""The default speech engine: eSpeak NG, driven through pyttsx3.

eSpeak NG comes from the PyPI package espeakng-loader, so every machine speaks
with the same engine version and the same source gives the same MP3 bytes.

pyttsx3's eSpeak driver has traps, measured here: ``runAndWait()`` can return
before the WAV exists; two ``save_to_file`` calls before one ``runAndWait()``
write only the second; a voice id eSpeak does not know fails only through the
error callback and can hang a later ``runAndWait()``. So each utterance gets
its own ``save_to_file``/``runAndWait`` pair, the file is awaited, the voice
is checked against the engine's list before it is set, and every result is
checked for sound (``engine``).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import tempfile
import time
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...style import style_error
from .engine import UTTERANCE_TIMEOUT as WAV_TIMEOUT
from .engine import SynthesisError
from .providers import Provider


@dataclass(frozen=True)
class Espeak(Provider):
    name: ClassVar[str] = "espeak"
    # eSpeak carries state from one utterance to the next (the same sentence
    # comes out a few samples different the second time), so each utterance
    # starts from a freshly started engine: the same audio in every build,
    # whatever the cache held.
    fresh_process_each_time: ClassVar[bool] = True

    @classmethod
    def from_style(cls, audio: Mapping[str, Any], folder: Path) -> Espeak:
        provider = cls(str(audio["voice"]), int(audio["rate"]))
        known = espeak_voices()
        if provider.voice not in known:
            english = [v for v in known if "/en" in v]
            raise style_error(folder, "voice", f"eSpeak NG has no voice '{provider.voice}' (audio.voice)",
                              f"British English is gmw/en; the English voices are: {', '.join(english)}")
        return provider

    @property
    def version(self) -> str:
        return f"pyttsx3 {version('pyttsx3')} espeakng-loader {version('espeakng-loader')}"

    def speak(self, say: str, label: str) -> np.ndarray:
        global _engine
        if _engine is None:
            _engine = _Engine()
        return _engine.speak(say, label, self)


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


_engine: _Engine | None = None  # one per process: eSpeak initialises once per process


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

    def use(self, voice: Espeak) -> None:
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

    def speak(self, say: str, label: str, voice: Espeak) -> np.ndarray:
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
