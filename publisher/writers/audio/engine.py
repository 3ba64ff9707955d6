"""Speech synthesis: every utterance once, cached by content, on both cores.

Each utterance is synthesised once by the house style's provider
(``providers``: eSpeak NG through pyttsx3, or Piper) and kept in a
content-addressed cache (``<cache>/speech/<sha256>.pcm``: 16-bit mono PCM
after its checksum, see ``cache``), keyed by the text the engine is given
(lexicon applied), the engine, its version, voice and rate; an edit to one
sentence misses the cache for that sentence only, and an entry spoiled since
(cut short, emptied, overwritten) is spoken again. Every result is checked for
sound: an engine that gives silence fails the build naming the sentence,
never leaves a silent gap.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import cache as entries
from .providers import SAMPLE_RATE

if TYPE_CHECKING:
    from .providers import Provider

UTTERANCE_TIMEOUT = 30.0  # seconds: the longest one utterance may take
WORKERS = min(2, os.cpu_count() or 1)  # utterances spoken at once


class SynthesisError(RuntimeError):
    """The engine failed or gave silence for an utterance: never a silent gap."""


def cached_path(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.pcm"


def load(cache: Path, key: str) -> np.ndarray | None:
    """The cached PCM of an utterance, or None when it is missing or spoiled."""
    data = entries.read(cached_path(cache, key))
    return None if data is None else np.frombuffer(data, dtype="<i2")


def store(cache: Path, key: str, pcm: np.ndarray) -> None:
    entries.write(cached_path(cache, key), pcm.astype("<i2").tobytes())


def synthesise_missing(jobs: list[tuple[str, str, str]], voice: Provider, cache: Path, progress,
                       ready: Callable[[str], None] = lambda key: None) -> int:
    """Synthesise every (key, say, label) not yet in the cache; return how many were.

    ``label`` names the utterance (its sentence id and source line) in errors;
    ``ready(key)`` is called for each utterance as soon as it is in the cache
    (at once for those that were), so the caller can go on with it while the
    rest are spoken. The speech runs in a zygote process (``zygote``), started
    only when something is missing: a no-change rebuild never starts eSpeak;
    it is started before any ``ready``, whose caller may start threads.
    """
    from .zygote import Zygote

    missing = {key: (say, label) for key, say, label in jobs if load(cache, key) is None}
    spoiled = sum(1 for key in missing if cached_path(cache, key).exists())
    if spoiled:
        progress(f"audio: {spoiled} cached utterances did not match their checksums: speaking them again")
    zygote = Zygote(voice, cache, WORKERS, UTTERANCE_TIMEOUT) if missing else None
    for key, _, _ in jobs:
        if key not in missing:
            ready(key)
    if zygote is None:
        return 0
    done: list[str] = []

    def answered(key: str, error: str | None) -> None:
        if error:
            raise SynthesisError(error)  # names the sentence
        done.append(key)
        ready(key)
        if len(done) == len(missing) or len(done) % 10 == 0:
            progress(f"audio: synthesised {len(done)}/{len(missing)} utterances")

    # A stuck engine must fail the build, not hang it: each utterance has its
    # time in the zygote, and the whole a generous budget here.
    budget = UTTERANCE_TIMEOUT + 5.0 * len(missing)
    try:
        zygote.run([(key, say, label) for key, (say, label) in missing.items()], budget, answered)
    except TimeoutError:
        waiting = [label for key, (_, label) in missing.items() if key not in done]
        raise SynthesisError(f"the speech engine did not finish within {budget:.0f} s; "
                             f"still waiting for {', '.join(waiting[:5])}") from None
    finally:
        zygote.close()
    return len(missing)


def synthesise(say: str, label: str, voice: Provider) -> np.ndarray:
    """One utterance → 16-bit PCM at SAMPLE_RATE, checked for sound."""
    pcm = voice.speak(say, label)
    _check_sound(pcm, say, label)
    return pcm


def _check_sound(pcm: np.ndarray, say: str, label: str) -> None:
    seconds = len(pcm) / SAMPLE_RATE
    peak = int(np.abs(pcm.astype(np.int32)).max()) if len(pcm) else 0
    if seconds < 0.1 or peak < 328:  # shorter than a syllable, or quieter than -40 dBFS
        raise SynthesisError(f"{label}: the speech engine gave {'silence' if len(pcm) else 'nothing'} "
                             f"({seconds:.2f} s, peak {peak}) for: {say!r}")
