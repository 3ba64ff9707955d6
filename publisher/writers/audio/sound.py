"""Sound: utterances levelled, encoded piece by piece, joined into tracks.

A track is a run of pieces: one utterance, brought to the house loudness (a
gated RMS, peaks held below the ceiling; each utterance measured once), and
the pause after it. Each piece is encoded on its own with LAME and cached by
content, so an edited sentence re-encodes only its piece, and the pieces are
encoded on threads (lameenc releases the GIL); a cached piece that no longer
matches its checksum is encoded again. MPEG frames join end to end,
so a track is its pieces' bytes one after another.

LAME delays a separately encoded piece by ``CODEC_DELAY`` samples and pads it
to whole frames. Each piece is cut to the whole number of frames nearest its
intended length (its delay stands in for the end of the pause before it), so
every gap between sentences stays within half a frame (13 ms) of the house
style's pause, and sentence timings, counted from the frames, are exact.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...levels import FULL_SCALE, loudness, peak
from . import cache as entries
from .providers import installed

# LAME's encoder delay plus the decoder's (576 + 529 samples): without a LAME
# tag, which lameenc does not write, players start this much before our first
# sample, so sentence timings in the file are shifted by it. Measured on
# lameenc 1.9 output decoded by miniaudio.
CODEC_DELAY = 1105
FRAME = 576  # samples in an MPEG-2 layer III frame (22,050 Hz)
# LAME turns n samples into ceil(n / FRAME) + 2 frames (measured, lameenc 1.9):
# the delay's frame and the flush's.
EXTRA_FRAMES = 2
# LAME's quality 7 ("fast"): 48 kbit/s mono speech gains nothing measurable from
# quality 2's slower psychoacoustics (the whole book: 0.9 s against 2.4 s, and
# its decoded speech no further from the source: 24 dB signal-to-noise against
# 20 dB; the recogniser's word error rates alike). The house style says so too.
QUALITY = 7


def trimmed(pcm: np.ndarray, threshold: int = 160, margin: int = 330) -> np.ndarray:
    """The utterance without the engine's own leading and trailing silence
    (pauses are the house style's to set), keeping 15 ms around the sound."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold)
    if not len(loud):
        return pcm
    return pcm[max(loud[0] - margin, 0): loud[-1] + margin + 1]


def levelled(pcm: np.ndarray, rate: int, target: float, ceiling: float) -> np.ndarray:
    """The sound at the target loudness, with no sample above the ceiling."""
    gain_db = min(target - loudness(pcm, rate), ceiling - peak(pcm))
    gain = 10 ** (gain_db / 20)
    return np.clip(np.round(pcm.astype(np.float64) * gain), -FULL_SCALE, FULL_SCALE).astype(np.int16)


@dataclass(frozen=True)
class Encoding:
    in_rate: int  # the engine's sample rate
    rate: int  # the MP3's (LAME resamples when they differ)
    bitrate: int  # kbit/s

    def key(self, pcm: np.ndarray) -> str:
        fields = [self.in_rate, self.rate, self.bitrate, QUALITY, installed("lameenc")]
        digest = hashlib.sha256(json.dumps(fields).encode())
        digest.update(pcm.astype("<i2").tobytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class Piece:
    """One utterance and the pause after it, as LAME is given it."""

    pcm: np.ndarray  # levelled: silence, the speech, silence
    lead: int  # samples of silence before the speech
    speech: int  # samples of speech

    @property
    def frames(self) -> int:
        return math.ceil(len(self.pcm) / FRAME) + EXTRA_FRAMES


def piece(speech: np.ndarray, lead: int, pause: int) -> Piece:
    """``speech`` (levelled) after ``lead`` samples of silence, lasting as near
    ``lead + speech + pause`` samples as whole frames allow once encoded."""
    frames = max(round((lead + len(speech) + pause) / FRAME),
                 math.ceil((lead + len(speech)) / FRAME) + EXTRA_FRAMES)
    pcm = np.zeros((frames - EXTRA_FRAMES) * FRAME, dtype=np.int16)
    pcm[lead: lead + len(speech)] = speech
    return Piece(pcm, lead, len(speech))


def encoded(piece: Piece, encoding: Encoding, cache: Path) -> tuple[bytes, bool]:
    """A piece's MP3 from the cache, or encoded and cached; and whether it was encoded now."""
    key = encoding.key(piece.pcm)
    path = cache / key[:2] / f"{key}.mp3"
    data = entries.read(path)  # None when missing or spoiled: encoded again
    if data is not None:
        return data, False
    data = encode(piece.pcm, encoding)
    if frames(data)[0] != piece.frames:  # the delay compensation rests on this count
        raise RuntimeError(f"LAME gave {frames(data)[0]} frames for {len(piece.pcm)} samples, expected {piece.frames}")
    entries.write(path, data)
    return data, True


def encode(pcm: np.ndarray, encoding: Encoding) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(encoding.in_rate)
    encoder.set_out_sample_rate(encoding.rate)
    encoder.set_bit_rate(encoding.bitrate)
    encoder.set_quality(QUALITY)
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
