"""Sound: assembling utterances into tracks, steady loudness, MP3 encoding.

Tracks are built from cached utterances and silences of house-style length;
each track is brought to the same loudness (a gated RMS, peaks held below the
ceiling) and encoded once with LAME, the result cached by content: encoding
costs several times what eSpeak's synthesis does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from ...files import replacing
from ...levels import FULL_SCALE, loudness, peak

# LAME's encoder delay plus the decoder's (576 + 529 samples): without a LAME
# tag, which lameenc does not write, players start this much before our first
# sample, so sentence timings in the file are shifted by it. Measured on
# lameenc 1.9 output decoded by miniaudio.
CODEC_DELAY = 1105


def trimmed(pcm: np.ndarray, threshold: int = 160, margin: int = 330) -> np.ndarray:
    """The utterance without the engine's own leading and trailing silence
    (pauses are the house style's to set), keeping 15 ms around the sound."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold)
    if not len(loud):
        return pcm
    return pcm[max(loud[0] - margin, 0): loud[-1] + margin + 1]


def silence(milliseconds: int, rate: int) -> np.ndarray:
    return np.zeros(int(rate * milliseconds / 1000), dtype=np.int16)


def levelled(pcm: np.ndarray, rate: int, target: float, ceiling: float) -> np.ndarray:
    """The track at the target loudness, with no sample above the ceiling."""
    gain_db = min(target - loudness(pcm, rate), ceiling - peak(pcm))
    gain = 10 ** (gain_db / 20)
    return np.clip(np.round(pcm.astype(np.float64) * gain), -FULL_SCALE, FULL_SCALE).astype(np.int16)


@dataclass(frozen=True)
class Encoding:
    in_rate: int  # the engine's sample rate
    rate: int  # the MP3's (LAME resamples when they differ)
    bitrate: int  # kbit/s

    @property
    def delay_seconds(self) -> float:
        return CODEC_DELAY / self.rate

    def key(self, pcm: np.ndarray) -> str:
        digest = hashlib.sha256(json.dumps([self.in_rate, self.rate, self.bitrate, version("lameenc")]).encode())
        digest.update(pcm.astype("<i2").tobytes())
        return digest.hexdigest()


def cached_mp3(pcm: np.ndarray, encoding: Encoding, cache: Path) -> bytes | None:
    target = cache / f"{encoding.key(pcm)}.mp3"
    return target.read_bytes() if target.exists() else None


def encode_to_cache(pcm: np.ndarray, encoding: Encoding, cache: Path) -> bytes:
    """MP3 (mono, constant bitrate) of a track, kept by content: encoded once."""
    data = encode(pcm, encoding)
    target = cache / f"{encoding.key(pcm)}.mp3"
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        temporary.write_bytes(data)
    return data


def encode(pcm: np.ndarray, encoding: Encoding) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(encoding.in_rate)
    encoder.set_out_sample_rate(encoding.rate)
    encoder.set_bit_rate(encoding.bitrate)
    encoder.set_quality(2)  # LAME's "high quality": slower, clearer consonants
    return bytes(encoder.encode(pcm.astype("<i2").tobytes()) + encoder.flush())


# -- MPEG audio frames -------------------------------------------------------------

_BITRATES = {  # kbit/s by index, layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}


def frames(data: bytes) -> tuple[int, int, int]:
    """(frame count, samples per frame, sample rate) of a bare MPEG layer III stream.

    Counting frames gives exact durations: the whole book's chapter marks are
    sums of its sections' frames, so they fall exactly where each section starts.
    """
    position = count = 0
    samples = rate = 0
    while position + 4 <= len(data):
        header = int.from_bytes(data[position: position + 4], "big")
        if header >> 21 != 0x7FF:
            raise ValueError(f"no MPEG frame at byte {position}")
        version_bits = (header >> 19) & 3
        mpeg = {3: 1, 2: 2, 0: 25}[version_bits]
        rate = _RATES[mpeg][(header >> 10) & 3]
        bitrate = _BITRATES[1 if mpeg == 1 else 2][(header >> 12) & 15] * 1000
        samples = 1152 if mpeg == 1 else 576
        padding = (header >> 9) & 1
        position += samples // 8 * bitrate // rate + padding
        count += 1
    return count, samples, rate


def duration(data: bytes) -> float:
    count, samples, rate = frames(data)
    return count * samples / rate if rate else 0.0
