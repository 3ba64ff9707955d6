"""Speech synthesis: every utterance once, cached by content, on both cores.

Each utterance is synthesised once by the house style's provider
(``providers``: eSpeak NG through pyttsx3, or Piper) and kept in a
content-addressed cache (``<cache>/speech/<sha256>.pcm``: 16-bit mono PCM),
keyed by the text the engine is given (lexicon applied), the engine, its
version, voice and rate; an edit to one sentence misses the cache for that
sentence only. Every result is checked for sound: an engine that gives
silence fails the build naming the sentence, never leaves a silent gap.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...files import replacing
from .providers import SAMPLE_RATE

if TYPE_CHECKING:
    from .providers import Provider

UTTERANCE_TIMEOUT = 30.0  # seconds: the longest one utterance may take


class SynthesisError(RuntimeError):
    """The engine failed or gave silence for an utterance: never a silent gap."""


def cached_path(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.pcm"


def load(cache: Path, key: str) -> np.ndarray:
    return np.frombuffer(cached_path(cache, key).read_bytes(), dtype="<i2")


def synthesise_missing(
    jobs: list[tuple[str, str, str]], voice: Provider, cache: Path, pool: Callable[[], Executor], progress
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
    budget = UTTERANCE_TIMEOUT + 5.0 * len(futures)
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


def _synthesise_to_cache(say: str, label: str, voice: Provider, cache: str, key: str) -> None:
    pcm = synthesise(say, label, voice)
    target = cached_path(Path(cache), key)
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        temporary.write_bytes(pcm.astype("<i2").tobytes())


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
