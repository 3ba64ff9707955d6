"""Media overlays: one SMIL file per content document, a clip per sentence.

The audio writer reports, for each track, when every sentence starts and ends
(ids from ``publisher.text``, the same ones wrapped in the XHTML). A reading
system plays each clip while it gives the sentence the active class. A clip
is the sentence's own speech and nothing more: the pauses, and announcements
such as "A quote." that tell a listener what a reader sees, lie in the gaps
between clips (EPUB 3 allows them), and media:duration is the clips' sum.
Times are kept in whole milliseconds so the per-document durations add up to
the total exactly, as EPUBCheck verifies.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ...contract import AudioData, sentence_clips

SMIL = "http://www.w3.org/ns/SMIL"
OPS = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True)
class Clip:
    audio: str  # the track's path inside the EPUB folder
    start_ms: int
    end_ms: int


def clips_by_sentence(audio: AudioData, href_for: Callable[[str], str]) -> dict[str, Clip]:
    """Every timed sentence of the audio build, by id."""
    clips = {}
    for track in audio["sections"]:
        href = href_for(track["file"])
        for identifier, (start, end) in sentence_clips(track).items():
            clips[identifier] = Clip(href, round(start * 1000), round(end * 1000))
    return clips


def smil(text_href: str, sentence_ids: list[str], clips: dict[str, Clip], smil_href: str) -> tuple[bytes, int]:
    """The overlay of one content document, and its duration in milliseconds."""
    missing = [sid for sid in sentence_ids if sid not in clips]
    if missing:
        raise RuntimeError(f"the audio build has no timing for sentences {', '.join(missing[:5])} of {text_href}")
    folder = posixpath.dirname(smil_href)
    root = etree.Element(f"{{{SMIL}}}smil", nsmap={None: SMIL, "epub": OPS}, version="3.0")
    body = etree.SubElement(root, f"{{{SMIL}}}body")
    seq = etree.SubElement(body, f"{{{SMIL}}}seq", id="seq-1")
    seq.set(f"{{{OPS}}}textref", posixpath.relpath(text_href, folder))
    duration = 0
    for sid in sentence_ids:
        # The sentence's own speech: the pause and any announcement after it
        # ("A quote.", "A table of 3 rows.") lie between the clips, so the
        # sentence is no longer shown once its words are spoken.
        clip = clips[sid]
        par = etree.SubElement(seq, f"{{{SMIL}}}par", id=f"par-{sid}")
        etree.SubElement(par, f"{{{SMIL}}}text", src=f"{posixpath.relpath(text_href, folder)}#{sid}")
        etree.SubElement(par, f"{{{SMIL}}}audio", src=posixpath.relpath(clip.audio, folder),
                         clipBegin=seconds(clip.start_ms), clipEnd=seconds(clip.end_ms))
        duration += clip.end_ms - clip.start_ms
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), duration


def seconds(ms: int) -> str:
    return f"{ms // 1000}.{ms % 1000:03d}s"


def clock(ms: int) -> str:
    """A SMIL full clock value, as media:duration wants it: 0:01:02.345."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
