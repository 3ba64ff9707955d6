"""The offline web edition: output/<slug>/web/, a folder of static pages that
work from the file system, a USB stick or any static host, and <slug>-web.zip.

One page per section (plus the sources and the contact page), each playing
its own audio track: a phone loads one section's text and, when asked, one
section's sound, the highlighting's timings are exactly one track's, and the
pages are the EPUB's content documents (``WebPages`` in ``pages``), so ids
and sentence spans are the same. ``index.html`` is the front page: contents,
other formats, other languages. Nothing is fetched from elsewhere: the
fonts, pictures and audio are copied in. The listen-while-you-read player and
the reading settings are ``player.js``, an enhancement the text never needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from ... import artwork, outputs
from ...archive import reproducible_zip
from ...contract import AudioData, Job, TrackData, Written
from ...files import write_bytes
from ...text import reading_chunks
from ..html import Page, PageMarks, image_href
from .pages import INDEX, PLAYER, Chrome, WebPages, serialise
from .stylesheet import stylesheet


def prepare(job: Job) -> None:
    """The print family is served as the web font: it must be installed."""
    artwork.check_print_faces(job.style, job.document.source.resolve().parent)


def write(job: Job) -> Written:
    document = job.document
    folder = job.path(outputs.web(document.slug))
    writer = WebPages(job, PageMarks.from_pages((job.results.get("pdf") or {}).get("pages") or []))
    pages = [writer.section(section) for section in document.sections]
    pages += [page for page in (writer.notes(), writer.contact()) if page is not None]
    audio = cast("AudioData | None", job.results.get("audio"))
    chrome = Chrome(job, pages, tracks_by_page(audio, pages))

    files: dict[str, bytes] = {INDEX: chrome.index(writer)}
    for page in pages:
        tree = writer.trees[page.name]
        chrome.dress(page, tree)
        files[page.name] = serialise(tree)
    faces = artwork.print_faces(job.style)
    # Letters the print family lacks (Urdu's, Arabic's) come in a script family, shipped too:
    # a phone may have no font for them.
    scripts = [(family, artwork.script_font_href(family), script)
               for family, script in artwork.script_faces(" ".join(reading_chunks(document)), job.style)]
    files["style.css"] = stylesheet(job.style, (faces.regular.name, faces.bold.name),
                                    [(family, href) for family, href, _ in scripts])
    for _, href, script in scripts:
        files[href] = script.regular.read_bytes()
    files[PLAYER] = Path(__file__).with_name(PLAYER).read_bytes()
    for face in (faces.regular, faces.bold):
        files[f"fonts/{face.name}"] = face.read_bytes()
    for image in document.images:
        if image is not document.meta.cover:  # the cover is the EPUB's; the front page is text
            files[image_href(image)] = image.path.read_bytes()  # the address its pages show
    for track in chrome.tracks.values():
        files[f"audio/{Path(track['file']).name}"] = (job.out_dir / track["file"]).read_bytes()

    written = [write_bytes(folder / name, data) for name, data in files.items()]
    for stale in sorted(folder.rglob("*"), reverse=True):
        if stale.is_file() and stale not in written:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
    archive = write_bytes(job.path(outputs.web_zip(document.slug)), reproducible_zip(
        [(f"{document.slug}-web/{name}", data) for name, data in sorted(files.items())], job.build_date,
        stored=lambda name: name.endswith((".mp3", ".png", ".jpg", ".jpeg", ".gif"))))
    job.progress(f"{document.slug}: web edition, {len(pages)} pages, {len(chrome.tracks)} with audio")
    return Written((*written, archive), {"pages": [page.name for page in pages],
                                         "audio": sorted(chrome.tracks)})


def tracks_by_page(audio: AudioData | None, pages: list[Page]) -> dict[str, TrackData]:
    """Each page's audio track: the one that speaks the page's first sentence."""
    if not audio:
        return {}
    track_of = {timing["id"]: track for track in audio.get("sections", ()) for timing in track["sentences"]}
    return {page.name: track_of[page.sentences[0]] for page in pages
            if page.sentences and page.sentences[0] in track_of}
