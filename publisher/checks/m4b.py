"""Checks of the M4B audiobook, reopened by two readers that did not write it.

mutagen reads its chapters (the Nero chapter list audiobook apps use) and
tags; each chapter must start and last within 50 ms of the whole-book MP3's
chapter of the same title. PyAV (FFmpeg's demuxer) decodes the file to the
end and reads the track's language.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import ERROR, Diagnostic
from ..model import Document
from ..outputs import audio_book, m4b

TOLERANCE = 0.050  # seconds
ISO_639_2_ENGLISH = "eng"


def mp3_chapters(path: Path) -> list[tuple[str, float, float]]:
    """The whole-book MP3's chapters: title, start and end in seconds."""
    from mutagen.id3 import ID3

    frames = sorted(ID3(path).getall("CHAP"), key=lambda frame: frame.start_time)
    return [(str(frame.sub_frames["TIT2"].text[0]), frame.start_time / 1000, frame.end_time / 1000)
            for frame in frames]


def m4b_chapters(path: Path) -> tuple[list[tuple[str, float, float]], dict]:
    """The M4B's chapters (title, start, end) and its tags, as mutagen reads them."""
    from mutagen.mp4 import MP4

    file = MP4(path)
    chapters = list(file.chapters or [])
    length = file.info.length if file.info is not None else 0.0
    ends = [c.start for c in chapters[1:]] + [length]
    return [(c.title, c.start, end) for c, end in zip(chapters, ends, strict=True)], dict(file.tags or {})


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    path = out_dir / m4b(document.slug)
    shown = str(path)
    if not path.is_file():
        return [Diagnostic(ERROR, shown, "the M4B audiobook was not built")]
    from mutagen import MutagenError

    findings = []
    try:
        chapters, tags = m4b_chapters(path)
    except MutagenError as error:
        return [Diagnostic(ERROR, shown, f"mutagen cannot read the M4B: {error}")]
    expected = mp3_chapters(out_dir / audio_book(document.slug))
    if [c[0] for c in chapters] != [c[0] for c in expected]:
        findings.append(Diagnostic(ERROR, shown, f"the chapters are {[c[0] for c in chapters]}, "
                                                 f"the MP3's are {[c[0] for c in expected]}"))
    for (title, start, end), (_, mp3_start, mp3_end) in zip(chapters, expected, strict=False):
        if abs(start - mp3_start) > TOLERANCE or abs((end - start) - (mp3_end - mp3_start)) > TOLERANCE:
            findings.append(Diagnostic(ERROR, shown, f"chapter '{title}' runs {start:.3f}–{end:.3f} s, "
                                                     f"the MP3's {mp3_start:.3f}–{mp3_end:.3f} s"))
    meta = document.meta
    wanted = {"©nam": meta.title, "©ART": ", ".join(meta.authors) or meta.publisher}
    for key, value in wanted.items():
        if list(tags.get(key, [])) != [value]:
            findings.append(Diagnostic(ERROR, shown, f"the tag {key} is {tags.get(key)}, not '{value}'"))
    if not tags.get("covr"):
        findings.append(Diagnostic(ERROR, shown, "the M4B has no cover art"))
    findings += _decoded(path, document, expected[-1][2] if expected else 0.0)
    return findings


def _decoded(path: Path, document: Document, length: float) -> list[Diagnostic]:
    """Decode every frame with FFmpeg's libraries; the length and language must be right."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            language = stream.metadata.get("language", "")
            samples = sum(frame.samples for frame in container.decode(stream))
            rate = stream.rate
    except (av.FFmpegError, IndexError) as error:
        return [Diagnostic(ERROR, str(path), f"FFmpeg cannot decode the M4B: {error}")]
    findings = []
    if abs(samples / rate - length) > TOLERANCE:
        findings.append(Diagnostic(ERROR, str(path),
                                   f"it decodes to {samples / rate:.3f} s, the MP3 book lasts {length:.3f} s"))
    if document.meta.language.lower().startswith("en") and language != ISO_639_2_ENGLISH:
        findings.append(Diagnostic(ERROR, str(path), f"the audio track's language is '{language}', not English"))
    return findings
