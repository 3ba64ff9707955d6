"""Speech engines as providers, chosen from a table.

epub_to_audiobook's ``tts_providers/`` is the model: each engine is one class
that knows its own settings, refuses bad ones when it is made, names what
changes its sound (for the cache key) and speaks one utterance. The house
style's ``audio.engine`` picks the line of ``PROVIDERS``; nobody asks
``if engine ==``. Adding an engine: a module with a ``Provider`` subclass and
a line here.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ...style import style_error

SAMPLE_RATE = 22050  # what every provider speaks at (eSpeak NG's own rate; Piper's voices too)

# engine name (audio.engine) → "module:class"
PROVIDERS = {
    "espeak": "publisher.writers.audio.espeak:Espeak",  # pyttsx3 driving eSpeak NG: the default
    "piper": "publisher.writers.audio.neural:Piper",  # the optional neural voice
}


@functools.cache
def installed(package: str) -> str:
    """A package's version, looked up once (it is part of every cache key, and slow to read)."""
    return version(package)


@dataclass(frozen=True)
class Provider:
    """One speech engine with its settings; picklable, so a worker process can use it."""

    voice: str  # the engine's voice id, or the package bundling a neural voice
    rate: int  # words a minute

    name: ClassVar[str]  # as written in audio.engine
    # A fresh process for every utterance (eSpeak carries state from one to the next).
    fresh_process_each_time: ClassVar[bool] = False

    @classmethod
    def from_style(cls, audio: Mapping[str, Any], folder: Path, language: str) -> Provider:
        """The provider for the house style's audio block speaking ``language``
        (a BCP 47 tag), or SourceError naming the line or the tag."""
        raise NotImplementedError

    @property
    def version(self) -> str:
        """Everything installed that changes the sound (part of every cache key)."""
        raise NotImplementedError

    def preload(self) -> None:
        """Import what speaking needs, once, in the process that forks the speakers."""

    def may_fork_here(self) -> bool:
        """Whether this process may become the zygote by forking: not when it holds
        engine state a fresh process would not have (an engine that has started)."""
        return True

    def speak(self, say: str, label: str) -> np.ndarray:
        """One utterance → 16-bit mono PCM at SAMPLE_RATE (in a worker process)."""
        raise NotImplementedError

    def key(self, say: str) -> str:
        """The cache key of one utterance: everything that changes its sound."""
        fields = [say, self.name, self.version, self.voice, self.rate, SAMPLE_RATE]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def from_style(audio: Mapping[str, Any], folder: Path, language: str) -> Provider:
    """The house style's speech engine for a language, its settings checked: SourceError for a bad one."""
    name = audio["engine"]
    if name not in PROVIDERS:
        raise style_error(folder, "engine", f"unknown speech engine '{name}' (audio.engine)",
                          "'espeak' (pyttsx3 driving eSpeak NG) or 'piper' (the neural voice extra)")
    module, cls = PROVIDERS[name].split(":")
    provider: Provider = getattr(importlib.import_module(module), cls).from_style(audio, folder, language)
    return provider
