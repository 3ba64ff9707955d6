"""The contract between the build and the writers: what a writer is given
(``Job``) and what it hands back (``Written``), with the typed data one
format passes to a later one.

A leaf module: writers import it, never ``build.py``; so editing the
orchestrator, the local-details loader or a check rebuilds no format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from .diagnostics import Diagnostic, SourceError
from .model import Document
from .style import Style
from .terms import Terms

# -- data a writer hands to later ones (JSON, kept in the build manifest) --------


class PageStart(TypedDict):
    """A printed booklet page: its label and the first sentence that starts on it."""

    label: str
    sentence: str | None


class PdfEditionData(TypedDict):
    pages: int
    notes_pages: int
    section_pages: dict[str, int]  # section number → the page it starts on


class PdfData(TypedDict, total=False):
    booklet: PdfEditionData
    large_print: PdfEditionData
    pages: list[PageStart]  # the booklet's pages, for the EPUB's page list


class SentenceTiming(TypedDict):
    id: str  # the displayed sentence's id ("s2-5", "t-1", "c-3")
    start: float  # seconds into the track's file
    end: float


class AnnouncementTiming(TypedDict):
    """Words heard but not printed ("A quote.", "A table of 3 rows."): timed
    apart from the sentences, so no sentence need stay highlighted while they play."""

    text: str
    start: float  # seconds into the track's file
    end: float


class TrackData(TypedDict):
    number: int
    slug: str
    title: str
    file: str  # relative to output/<slug>/
    duration: float
    sentences: list[SentenceTiming]  # each sentence's own speech: never the pause or announcement after it
    announcements: NotRequired[list[AnnouncementTiming]]
    loudness: float
    peak: float


class AudioData(TypedDict):
    sections: list[TrackData]  # every track: the sections, the sources (slug "sources"), the contact details
    duration: float
    synthesised: int
    encoded: int


def audio_book(job: Job, needed_by: str) -> AudioData:
    """The audio book's data, for a format made from it (M4B, DAISY), or bad
    input saying to build them together."""
    audio = job.results.get("audio")
    if not audio or not audio.get("sections"):
        raise SourceError("--formats", 0, f"the {needed_by} is made from the audio book, which has not been built",
                          f"build them together: --formats audio,{needed_by}")
    return cast(AudioData, audio)


def sentence_clips(track: TrackData) -> dict[str, tuple[float, float]]:
    """Each sentence's clip, for the formats that play a sentence at a time
    (media overlays, DAISY): its speech and the pause after it, up to the next
    words heard — the next sentence, or an announcement ("A quote.", "A table
    of 3 rows."), which is no sentence's — or the end of the track. So the
    breath between sentences is kept, and no sentence is lit while words that
    are not its own are heard."""
    starts = sorted([t["start"] for t in track["sentences"]] + [a["start"] for a in track.get("announcements", ())])
    clips = {}
    for timing in track["sentences"]:
        later = [start for start in starts if start >= timing["end"]]
        clips[timing["id"]] = (timing["start"], round(min(later, default=track["duration"]), 3))
    return clips


Results = Mapping[str, Mapping[str, Any]]  # format name → its data; see the TypedDicts above


@dataclass(frozen=True)
class Edition:
    """The publication in one language: what "This guidance in other languages" lists."""

    language: str  # BCP 47 tag
    name: str  # the language's own name for itself (Cymraeg, Polski, اردو), from its terms
    slug: str  # its output folder, output/<slug>/
    title: str


def no_progress(message: str) -> None:
    """Progress for a caller that wants none."""


@dataclass(frozen=True)
class Job:
    """Everything one writer needs to write one document."""

    document: Document
    style: Style
    terms: Terms  # every fixed word, in the document's language
    out_dir: Path  # output/<slug>
    cache_dir: Path  # content-addressed pieces shared between builds
    build_date: dt.datetime  # the date stamped into files, fixed for reproducibility
    options: Mapping[str, Any] = field(default_factory=dict)  # "local": local editions' details; "draft": bool
    results: Results = field(default_factory=dict)  # data from the formats this one uses
    progress: Callable[[str], None] = no_progress
    editions: tuple[Edition, ...] = ()  # this publication in every language there is, this one included

    def path(self, name: str) -> Path:
        """An output file's path: output/<slug>/<name>."""
        return self.out_dir / name


@dataclass(frozen=True)
class Written:
    """What a writer made: its files, data later writers may use (JSON-able),
    and warnings for the editor."""

    files: tuple[Path, ...]
    data: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
