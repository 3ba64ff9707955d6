"""The audiobook in one file: ``audio/<slug>.m4b``, AAC in MP4 with a chapter
for each section, title, author, cover and language, for audiobook apps.

Made from the audio book's section MP3s (``job.results["audio"]``), decoded
and encoded again as AAC by FFmpeg's libraries inside the PyAV wheel, so
nothing is downloaded or run outside Python. Each section is cut or padded to
the MP3's own length, so the chapters start exactly where the MP3 book's do.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from av.container.core import Chapter

from ..contract import AudioData, Job, Written, audio_book
from ..files import replacing
from ..outputs import m4b as m4b_name

BITRATE = 64_000  # AAC at 64 kbit/s, mono: clear speech, as the MP3's 48 kbit/s MP3 is
FRAME = 1024  # samples in an AAC frame
# ISO 639-2 codes for the MP4 track's language (it has no room for BCP 47).
ISO_639_2 = {"en": "eng", "cy": "cym", "ur": "urd", "pl": "pol", "fr": "fra", "de": "deu", "es": "spa",
             "pa": "pan", "bn": "ben", "ar": "ara", "ro": "ron", "pt": "por", "so": "som"}


def decode(path: Path, rate: int) -> np.ndarray:
    """A track as mono float32 samples at ``rate``."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    pieces = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    pieces += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)


def cover(audio: AudioData, out_dir: Path) -> tuple[bytes, str] | None:
    """The cover art the audio writer put in the first track, and its MIME type."""
    from mutagen.id3 import ID3

    frames = ID3(out_dir / audio["sections"][0]["file"]).getall("APIC")
    return (frames[0].data, frames[0].mime) if frames else None


def write(job: Job) -> Written:
    import av
    from mutagen.mp4 import MP4, MP4Cover

    audio = audio_book(job, "m4b")
    meta = job.document.meta
    rate = int(job.style["audio"]["sample_rate"])
    target = job.path(m4b_name(job.document.slug))
    chapters: list[Chapter] = []
    tracks: list[np.ndarray] = []
    position = 0
    for number, section in enumerate(audio["sections"], start=1):
        length = round(section["duration"] * rate)
        samples = decode(job.out_dir / section["file"], rate)[:length]
        tracks.append(np.pad(samples, (0, length - len(samples))))
        chapters.append({"id": number, "start": position, "end": position + length,
                         "time_base": Fraction(1, rate), "metadata": {"title": section["title"]}})
        position += length
    pcm = np.concatenate(tracks).astype(np.float32)
    job.progress(f"{job.document.slug}: encoding the M4B audiobook ({position / rate / 60:.1f} minutes)")
    with replacing(target) as temporary:
        # "ipod" is FFmpeg's muxer for .m4a/.m4b; the brand tells players it is an audiobook.
        with av.open(str(temporary), "w", format="ipod", options={"brand": "M4B "}) as container:
            container.metadata.update({
                "title": meta.title, "album": meta.title, "artist": ", ".join(meta.authors) or meta.publisher,
                "album_artist": meta.publisher, "genre": "Audiobook", "date": meta.date[:4],
                "copyright": meta.rights, "comment": meta.description,
            })
            # FFmpeg's "fast" AAC coder: a third of the default's time, no audible loss on speech at 64 kbit/s.
            stream = container.add_stream("aac", rate=rate, layout="mono", options={"aac_coder": "fast"})
            stream.bit_rate = BITRATE
            stream.metadata["language"] = ISO_639_2.get(meta.language.split("-")[0].lower(), "und")
            container.set_chapters(chapters)
            for start in range(0, len(pcm), FRAME):
                frame = av.AudioFrame.from_ndarray(pcm[None, start:start + FRAME], format="flt", layout="mono")
                frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
                container.mux(stream.encode(frame))
            container.mux(stream.encode(None))
        art = cover(audio, job.out_dir)
        if art is not None:
            tags = MP4(temporary)
            kind = MP4Cover.FORMAT_PNG if art[1] == "image/png" else MP4Cover.FORMAT_JPEG
            tags["covr"] = [MP4Cover(art[0], imageformat=kind)]
            tags.save()
    return Written((target,), {"duration": round(position / rate, 3),
                               "chapters": [[c["metadata"]["title"], round(c["start"] / rate, 3)] for c in chapters]})
