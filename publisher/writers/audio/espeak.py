"""The default speech engine: eSpeak NG, through pyttsx3's binding of it.

eSpeak NG comes from the PyPI package espeakng-loader, so every machine speaks
with the same engine version and the same source gives the same MP3 bytes.

eSpeak carries state from one utterance to the next (the same sentence comes
out a few samples different the second time), so every utterance must be
spoken by an engine that has spoken nothing before. The engine is started
once, in synchronous mode, in the zygote process (``zygote``), and each
utterance is spoken by a child forked from it: byte for byte the PCM a fresh
process gives, at a fifth of the cost. pyttsx3's own event loop is not used:
its driver runs eSpeak in retrieval mode, whose thread does not survive a
fork; its ctypes binding (``pyttsx3.drivers._espeak``) is, with the same
settings (buffer 1000 ms, end pause, UTF-8), and gives the same samples.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...diagnostics import EnvironmentFault
from ...style import style_error
from .engine import SynthesisError
from .providers import Provider, installed


@dataclass(frozen=True)
class Espeak(Provider):
    name: ClassVar[str] = "espeak"
    # eSpeak carries state from one utterance to the next (the same sentence
    # comes out a few samples different the second time), so each utterance
    # starts from a freshly started engine: the same audio in every build,
    # whatever the cache held.
    fresh_process_each_time: ClassVar[bool] = True

    @classmethod
    def from_style(cls, audio: Mapping[str, Any], folder: Path, language: str) -> Espeak:
        """The voice for ``language`` from the house style's ``audio.voices``
        table (or its ``audio.voice``, when a source folder sets one for all its
        sources), checked against the voices eSpeak NG has."""
        known = espeak_voices()
        table = {str(tag).lower(): str(voice) for tag, voice in audio["voices"].items()}
        tag = voice_tag(table, language)
        if not audio["voice"] and tag is None:
            primary = language.split("-")[0].lower()
            near = [v for v in known if v.split("/")[-1].split("-")[0] == primary]
            hint = (f"add '{language}: {near[0]}' under audio.voices in house-style.yaml ({', '.join(near)})" if near
                    else "eSpeak NG has no voice for this language: build the other formats with --formats")
            raise style_error(folder, "voices", f"no voice for the language '{language}' (the source's "
                              "language:) in the house style's audio.voices", hint)
        provider = cls(str(audio["voice"]) or table[str(tag)], int(audio["rate"]))
        if provider.voice not in known:
            where = "audio.voice" if audio["voice"] else f"audio.voices, for '{tag}'"
            primary = language.split("-")[0].lower()
            near = [v for v in known if v.split("/")[-1].split("-")[0] == primary] or [v for v in known if "/en" in v]
            raise style_error(folder, "voice" if audio["voice"] else str(tag),
                              f"eSpeak NG has no voice '{provider.voice}' ({where})",
                              f"British English is gmw/en; eSpeak NG's voices for '{primary}': {', '.join(near)}")
        return provider

    @property
    def version(self) -> str:
        return f"pyttsx3 {installed('pyttsx3')} espeakng-loader {installed('espeakng-loader')}"

    def preload(self) -> None:
        _engine(self)  # started, not yet spoken: what every forked child starts from

    def speak(self, say: str, label: str) -> np.ndarray:
        return _engine(self).speak(say, label)

    def may_fork_here(self) -> bool:
        return _started is None  # an engine started here (a test speaking in-process) may have spoken


def voice_tag(table: Mapping[str, str], language: str) -> str | None:
    """The table's key for a language tag: the whole tag, else its shorter
    forms ("pa-Arab-PK", "pa-Arab", "pa"), ignoring case; None when none is there."""
    parts = language.lower().split("-")
    return next((tag for n in range(len(parts), 0, -1) if (tag := "-".join(parts[:n])) in table), None)


def espeak_data() -> Path:
    """eSpeak NG's data folder from espeakng-loader; missing, it is the
    machine's fault (exit 3), not the house style's."""
    import espeakng_loader

    folder = Path(espeakng_loader.__file__).parent / "espeak-ng-data"
    if not (folder / "lang").is_dir() or not (folder / "phontab").is_file():
        raise EnvironmentFault(f"eSpeak NG's data is missing or incomplete ({folder}): the audio cannot be "
                               "made; reinstall it with: .venv/bin/pip install --force-reinstall espeakng-loader")
    return folder


def espeak_voices() -> list[str]:
    """The voice ids eSpeak NG knows (as pyttsx3 lists them), read from its data
    folder so the build can refuse a bad one without starting the engine."""
    languages = espeak_data() / "lang"
    return sorted(str(p.relative_to(languages)).lower() for p in languages.rglob("*") if p.is_file())


def load_espeak_library() -> None:
    """Make pyttsx3 find the eSpeak NG shipped by espeakng-loader (no system install needed)."""
    import espeakng_loader

    data = espeak_data()
    try:
        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    except OSError as error:
        raise EnvironmentFault(f"eSpeak NG's library cannot be loaded ({error}); reinstall it with: "
                               ".venv/bin/pip install --force-reinstall espeakng-loader") from None
    os.environ["ESPEAK_DATA_PATH"] = str(data.parent)


_started: _Engine | None = None  # eSpeak initialises once per process


def _engine(voice: Espeak) -> _Engine:
    global _started
    if _started is None:
        _started = _Engine()
    _started.use(voice)
    return _started


class _Engine:
    """eSpeak NG in synchronous mode: no thread of its own, so a fork keeps it whole."""

    def __init__(self):
        load_espeak_library()
        from pyttsx3.drivers import _espeak

        self.espeak = _espeak
        if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
            raise SynthesisError("eSpeak NG could not start")
        self.voices = {v.identifier.decode().lower() for v in _espeak.ListVoices(None)}
        self.samples: list[bytes] = []
        self.voice: tuple[str, int] | None = None

        @_espeak.t_espeak_callback
        def collect(wav, count, events) -> int:
            if count > 0:
                self.samples.append(ctypes.string_at(wav, count * 2))
            return 0

        self.callback = collect  # kept: eSpeak holds only a pointer to it
        _espeak.SetSynthCallback(collect)

    def use(self, voice: Espeak) -> None:
        if self.voice == (voice.voice, voice.rate):
            return
        # An unknown id can hang eSpeak, so it is refused before it reaches it.
        if voice.voice not in self.voices:
            raise SynthesisError(f"eSpeak NG has no voice '{voice.voice}' (house style audio.voices)")
        espeak = self.espeak
        espeak.SetVoiceByName(voice.voice.encode())
        espeak.SetParameter(espeak.RATE, voice.rate, 0)
        current = espeak.dll.espeak_GetParameter(espeak.RATE, 1)
        if current != voice.rate:
            raise SynthesisError(f"eSpeak NG kept rate {current} instead of {voice.rate} (house style audio.rate)")
        self.voice = (voice.voice, voice.rate)

    def speak(self, say: str, label: str) -> np.ndarray:
        self.samples.clear()
        espeak = self.espeak
        if espeak.Synth(say.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8) != 0:
            raise SynthesisError(f"{label}: eSpeak NG failed for: {say!r}")
        return np.frombuffer(b"".join(self.samples), dtype="<i2").copy()
