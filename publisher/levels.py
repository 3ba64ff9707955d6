"""Sound levels, measured one way: the audio writer levels its tracks with
these, and the audio check measures the decoded MP3s with the same rules."""

from __future__ import annotations

import numpy as np

FULL_SCALE = 32767.0
BLOCK_SECONDS = 0.4  # loudness blocks, as in EBU R 128's momentary loudness
ABSOLUTE_GATE = -50.0  # dBFS: blocks of pause do not count
RELATIVE_GATE = -10.0  # dB below the first-pass loudness: nor do the tails of words


def db(value: float) -> float:
    return 20 * np.log10(max(value, 1e-9))


def loudness(pcm: np.ndarray, rate: int) -> float:
    """Gated RMS in dBFS: the level of the speech, not of the pauses between it.

    A simplified EBU R 128 (no K-weighting): mean power of 400 ms blocks, with
    blocks below −50 dBFS and then blocks 10 dB below that mean left out.
    """
    samples = pcm.astype(np.float64) / FULL_SCALE
    size = int(rate * BLOCK_SECONDS)
    count = len(samples) // size
    if count == 0:
        return db(float(np.sqrt(np.mean(samples**2)))) if len(samples) else -120.0
    power = np.mean(samples[: count * size].reshape(count, size) ** 2, axis=1)
    gated = power[10 * np.log10(np.maximum(power, 1e-12)) > ABSOLUTE_GATE]
    if not len(gated):
        return -120.0
    relative = 10 * np.log10(np.mean(gated)) + RELATIVE_GATE
    gated = gated[10 * np.log10(gated) > relative]
    return float(10 * np.log10(np.mean(gated)))


def peak(pcm: np.ndarray) -> float:
    return db(float(np.abs(pcm.astype(np.int32)).max()) / FULL_SCALE) if len(pcm) else -120.0
