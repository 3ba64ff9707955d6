"""Clips that end with their sentence, for the formats that play the audio
book a sentence at a time (the read-aloud EPUB's media overlays, the DAISY
book's SMIL files).

The audio writer times each sentence's own speech and, apart, each
announcement ("A quote.", "A table of 3 rows."): its data in the build
manifest. A sentence's clip is its speech and the pause after it, up to the
next words heard (``contract.sentence_clips``): no sentence is shown while
an announcement is heard, and the breath between sentences is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from ..contract import sentence_clips

TOLERANCE = 0.0015  # seconds: the writers keep whole milliseconds


def clip_problems(clips: Iterable[tuple[str, str, float, float]], audio: Mapping[str, Any]) -> list[str]:
    """What is wrong with ``clips``, each (sentence id, audio file name, begin, end)
    in seconds, against the audio book's timings (``audio``: its AudioData)."""
    tracks = audio.get("sections") or []
    if not tracks:
        return ["the build manifest has no timings of the audio book to compare the clips with"]
    timings: dict[str, tuple[str, float, float]] = {}
    announcements: dict[str, list[Mapping[str, Any]]] = {}
    for track in tracks:
        name = PurePosixPath(track["file"]).name
        timings |= {identifier: (name, start, end) for identifier, (start, end) in sentence_clips(track).items()}
        announcements[name] = list(track.get("announcements") or ())
    found = []
    for identifier, name, begin, end in clips:
        if identifier not in timings:
            found.append(f"the audio book has no timing for {identifier}, which has a clip")
            continue
        file, start, stop = timings[identifier]
        if file != name or abs(begin - start) > TOLERANCE or abs(end - stop) > TOLERANCE:
            found.append(f"the clip of {identifier} plays {begin:.3f}-{end:.3f} s of {name}, "
                         f"not the sentence and its pause ({start:.3f}-{stop:.3f} s of {file})")
        for heard in announcements.get(name, ()):
            if heard["start"] < end - TOLERANCE and heard["end"] > begin + TOLERANCE:
                found.append(f"the clip of {identifier} ({begin:.3f}-{end:.3f} s of {name}) plays the "
                             f"announcement '{heard['text']}' ({heard['start']:.3f}-{heard['end']:.3f} s)")
    return found
