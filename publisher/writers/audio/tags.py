"""What players show: ID3 tags, chapter marks, cover art, the playlist."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ... import artwork
from ...model import Document
from ...style import Style
from ...terms import terms_for


def cover_png(document: Document, style: Style) -> bytes:
    """Cover art: the title in the house colours and typeface, as a PNG (``publisher.artwork``).
    Its words are the document language's terms (``terms_for`` is cached: the job's own)."""
    return artwork.audio_cover(document.meta, style, terms_for(document.meta.language))


def tag(path: Path, document: Document, build_date, cover: bytes, title: str,
        track: tuple[int, int] | None = None, chapters: Sequence[tuple[str, float, float]] = ()) -> None:
    """Write ID3v2.4 tags (and chapters, for the whole book) to an MP3 file."""
    from mutagen.id3 import (
        APIC,
        CHAP,
        CTOC,
        ID3,
        TALB,
        TCON,
        TCOP,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        TPUB,
        TRCK,
        CTOCFlags,
    )

    meta = document.meta
    artist = ", ".join(meta.authors) or meta.publisher
    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TALB(encoding=3, text=[meta.title]))
    tags.add(TPE1(encoding=3, text=[artist]))
    tags.add(TPUB(encoding=3, text=[meta.publisher]))
    tags.add(TCON(encoding=3, text=["Audiobook"]))
    tags.add(TLAN(encoding=3, text=["eng"] if meta.language.lower().startswith("en") else [meta.language]))
    tags.add(TDRC(encoding=3, text=[build_date.strftime("%Y-%m-%d")]))
    if meta.rights:
        tags.add(TCOP(encoding=3, text=[meta.rights]))
    if track:
        tags.add(TRCK(encoding=3, text=[f"{track[0]}/{track[1]}"]))
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="Cover", data=cover))
    if chapters:
        ids = [f"chp{number}" for number in range(1, len(chapters) + 1)]
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text=[terms_for(meta.language)("audio_chapters")])]))
        for element_id, (name, start, end) in zip(ids, chapters, strict=True):
            tags.add(CHAP(element_id=element_id, start_time=round(start * 1000), end_time=round(end * 1000),
                          start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                          sub_frames=[TIT2(encoding=3, text=[name])]))
    tags.save(str(path), v2_version=4)


def playlist(document: Document, entries: list[tuple[str, str, float]]) -> str:
    """An extended M3U of the section files: (file name, title, seconds) each."""
    artist = ", ".join(document.meta.authors) or document.meta.publisher
    lines = ["#EXTM3U", f"#PLAYLIST:{document.meta.title}"]
    for name, title, seconds in entries:
        lines += [f"#EXTINF:{round(seconds)},{artist} - {title}", name]
    return "\n".join(lines) + "\n"
