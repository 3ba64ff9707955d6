"""The DAISY 2.02 talking book: ``<slug>-daisy/`` and ``<slug>-daisy.zip``.

A full-text, full-audio book for DAISY players (Victor Reader, Plextalk,
Daisy Player) and library services for blind readers:

``ncc.html``        the navigation centre: every heading (the sources' too) and
                    every page of the printed booklet, each pointing at the SMIL
                    par that reads it
``content.html``    the text, one span per sentence (the ids of publisher.text)
``NN-<name>.smil``  SMIL 1.0, one per audio track (the sections, the sources, the
                    contact details): a par per sentence, its text and its clip
                    of the track's MP3, the sentence's own speech (the timings of
                    the read-aloud EPUB's overlays); times are what a player plays,
                    the clips' sum
``master.smil``     the SMIL files in reading order
the section MP3s, copied from the audio book.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..archive import reproducible_zip
from ..contract import Job, TrackData, Written, audio_book, sentence_clips
from ..files import write_bytes
from ..model import Document, Heading
from ..outputs import daisy as daisy_folder
from ..outputs import daisy_zip
from ..text import (
    contact_sentences,
    note_chunks,
    note_sentences,
    section_sentences,
    sentence_groups,
    split_sentences,
    title_sentences,
)

XHTML = "http://www.w3.org/1999/xhtml"
XHTML_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                 '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
SMIL_DOCTYPE = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
GENERATOR = "publisher"
ENGINES = {"espeak": "eSpeak NG", "piper": "Piper"}


def clock(seconds: float) -> str:
    """hh:mm:ss, as ncc:totalTime wants it."""
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def npt(seconds: float) -> str:
    return f"npt={seconds:.3f}s"


@dataclass
class Element:
    """One element of content.html, and of the NCC when it is a heading."""

    tag: str  # h1 … h6 or p
    level: int  # its heading level in the NCC, 0 for text
    sentences: list[tuple[str, str]]  # (sentence id, text)
    label: str = ""  # a heading that is not a sentence (the sources'): its words; it leads to the next sentence


def elements(job: Job) -> list[list[Element]]:
    """Per audio track, its elements: the groups of publisher.text.sentence_groups
    (the title and the sections, the sources, the contact details), which are
    the audio book's tracks one to one. A sentence's element is its block: the
    title's and contact details' first sentence is a heading, each of their
    others a paragraph; the sources come under a heading of their own."""
    document = job.document
    kinds = element_kinds(document)
    sources = note_sentences(document)
    groups = []
    for group in sentence_groups(document):
        items: list[Element] = []
        if group == sources:
            items.append(Element("h1", 1, [], label=job.terms("daisy_sources")))
        last = None
        for identifier, text in group:
            tag, level, key = kinds[identifier]
            if key != last:
                items.append(Element(tag, level, []))
                last = key
            items[-1].sentences.append((identifier, text))
        groups.append(items)
    return groups


def element_kinds(document: Document) -> dict[str, tuple[str, int, tuple]]:
    """Each sentence id's element: (tag, heading level or 0, a key shared by the sentences of one element)."""
    kinds: dict[str, tuple[str, int, tuple]] = {}
    # The title and the contact details: the first sentence a heading, each other one a paragraph.
    for pairs in (title_sentences(document), contact_sentences(document)):
        for number, (identifier, _) in enumerate(pairs):
            kinds[identifier] = ("h1", 1, ("own", identifier)) if number == 0 else ("p", 0, ("own", identifier))
    for section in document.sections:
        for sentence in section_sentences(section):
            block = sentence.block
            level = block.level - 1 if isinstance(block, Heading) else 0
            tag = f"h{min(level, 6)}" if isinstance(block, Heading) else "p"
            kinds[sentence.id] = (tag, level, ("block", id(block), sentence.part))
    # A source's sentences stay together, one paragraph per source.
    owners = [number for number, chunk in enumerate(note_chunks(document)) for _ in split_sentences(chunk)]
    for (identifier, _), owner in zip(note_sentences(document), owners, strict=True):
        kinds[identifier] = ("p", 0, ("note", owner))
    return kinds


def write(job: Job) -> Written:
    audio = audio_book(job, "daisy")
    document = job.document
    folder = job.path(daisy_folder(document.slug))
    groups = elements(job)
    tracks = audio["sections"]
    if len(groups) != len(tracks):
        raise RuntimeError(f"the audio book has {len(tracks)} tracks for {len(groups)} groups of sentences")
    pages = {page["sentence"]: str(page["label"]) for page in (job.results.get("pdf") or {}).get("pages", ())
             if page.get("sentence")}
    files: dict[str, bytes] = {}
    ncc_items: list[tuple[str, str, str, str]] = []  # (kind, text, smil href#id, id)
    elapsed = 0.0  # seconds a player has played before each SMIL file: the sum of the clips so far
    smil_names = []
    for items, track in zip(groups, tracks, strict=True):
        name = Path(track["file"]).with_suffix(".smil").name
        smil_names.append((name, track["title"]))
        files[name], played = smil(job, items, track, elapsed)
        for number, element in enumerate(items):
            if element.label:  # a heading with no sentence of its own leads to the next one's par
                first = items[number + 1].sentences[0][0]
                ncc_items.append((element.tag, element.label, f"{name}#par-{first}", f"nav-{element.tag}-{first}"))
                continue
            first = element.sentences[0][0]
            # A printed page that begins with a heading comes before it; any other, where it begins.
            for identifier, _ in element.sentences:
                if identifier in pages:
                    ncc_items.append(("page", pages[identifier], f"{name}#par-{identifier}",
                                      f"page-{pages[identifier]}"))
                if element.level and identifier == first:
                    ncc_items.append((element.tag, " ".join(text for _, text in element.sentences),
                                      f"{name}#par-{first}", f"nav-{first}"))
        elapsed += played
        files[Path(track["file"]).name] = (job.out_dir / track["file"]).read_bytes()
    files["content.html"] = content(job, groups)
    files["master.smil"] = master(job, smil_names, elapsed)
    files = {"ncc.html": ncc(job, ncc_items, elapsed, len(files) + 1), **files}
    written = [write_bytes(folder / name, data) for name, data in files.items()]
    for stale in folder.iterdir():
        if stale not in written:
            stale.unlink()
    entries = [(f"{folder.name}/{name}", data) for name, data in files.items()]
    archive = write_bytes(job.path(daisy_zip(document.slug)),
                          reproducible_zip(entries, job.build_date, stored=lambda n: n.endswith(".mp3")))
    headings = [text for kind, text, _, _ in ncc_items if kind != "page"]
    job.progress(f"{document.slug}: DAISY 2.02 book, {len(headings)} headings, {len(smil_names)} SMIL files")
    return Written((*written, archive), {"headings": headings, "total": round(elapsed, 3)})


def _xml(root: etree._Element, doctype: str) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype=doctype, pretty_print=True)


def head_meta(job: Job, head: etree._Element, tag: str = "meta") -> None:
    meta = job.document.meta
    values = [("dc:title", meta.title), ("dc:format", "Daisy 2.02"), ("dc:identifier", meta.identifier)]
    for name, content_value in values:
        etree.SubElement(head, tag, name=name, content=content_value)


def ncc(job: Job, items: list[tuple[str, str, str, str]], total: float, files: int) -> bytes:
    meta, terms = job.document.meta, job.terms
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    html.set("lang", meta.language)
    html.set("{http://www.w3.org/XML/1998/namespace}lang", meta.language)
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"})
    etree.SubElement(head, "title").text = meta.title
    page_count = sum(1 for kind, *_ in items if kind == "page")
    pages = [int(label) for kind, label, *_ in items if kind == "page" and label.isdigit()]
    depth = max((int(kind[1]) for kind, *_ in items if kind != "page"), default=1)
    fields = [
        ("dc:title", meta.title), ("dc:creator", ", ".join(meta.authors) or meta.publisher),
        ("dc:publisher", meta.publisher), ("dc:date", meta.date), ("dc:format", "Daisy 2.02"),
        ("dc:identifier", meta.identifier), ("dc:language", meta.language),
        ("ncc:charset", "utf-8"), ("ncc:generator", GENERATOR),
        ("ncc:narrator", terms("daisy_narrator", engine=ENGINES.get(job.style["audio"]["engine"], "speech"))),
        ("ncc:multimediaType", "audioFullText"), ("ncc:totalTime", clock(total)),
        ("ncc:depth", str(depth)), ("ncc:tocItems", str(len(items))), ("ncc:files", str(files)),
        ("ncc:pageNormal", str(page_count)), ("ncc:maxPageNormal", str(max(pages, default=0))),
        ("ncc:pageFront", "0"), ("ncc:pageSpecial", "0"), ("ncc:footnotes", "0"), ("ncc:prodNotes", "0"),
        ("ncc:sidebars", "0"), ("ncc:setInfo", "1 of 1"), ("ncc:sourcePublisher", meta.publisher),
        ("ncc:sourceDate", meta.date),
    ]
    for name, value in fields:
        etree.SubElement(head, "meta", name=name, content=value)
    body = etree.SubElement(html, "body")
    for number, (kind, text, href, identifier) in enumerate(items):
        if kind == "page":
            element = etree.SubElement(body, "span", {"class": "page-normal", "id": identifier})
        else:
            element = etree.SubElement(body, kind, id=identifier)
            if number == 0:
                element.set("class", "title")
        etree.SubElement(element, "a", href=href).text = text
    return _xml(html, XHTML_DOCTYPE)


def content(job: Job, groups) -> bytes:
    meta = job.document.meta
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})
    html.set("lang", meta.language)
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"})
    etree.SubElement(head, "title").text = meta.title
    body = etree.SubElement(html, "body")
    for items in groups:
        for item in items:
            element = etree.SubElement(body, item.tag)
            element.text = item.label or None
            for number, (identifier, text) in enumerate(item.sentences):
                span = etree.SubElement(element, "span", id=identifier)
                span.text = text
                span.tail = " " if number < len(item.sentences) - 1 else None
    return _xml(html, XHTML_DOCTYPE)


def smil(job: Job, items: list[Element], track: TrackData, elapsed: float) -> tuple[bytes, float]:
    """One track's SMIL, and the seconds it plays: a par per sentence, whose
    clip is the sentence's own speech. The pause and any announcement after
    it ("A quote.", "A table of 3 rows.") are left between the clips, so no
    sentence is shown while words that are not its own are heard."""
    audio_file = Path(track["file"]).name
    by_id = sentence_clips(track)
    order = [identifier for item in items for identifier, _ in item.sentences]
    missing = [identifier for identifier in order if identifier not in by_id]
    if missing:
        raise RuntimeError(f"the audio book has no timing for sentences {', '.join(missing[:5])}")
    clips = [(identifier, round(by_id[identifier][0], 3), round(by_id[identifier][1], 3)) for identifier in order]
    played = round(sum(end - start for _, start, end in clips), 3)
    root = etree.Element("smil")
    head = etree.SubElement(root, "head")
    head_meta(job, head)
    etree.SubElement(head, "meta", name="ncc:generator", content=GENERATOR)
    etree.SubElement(head, "meta", name="ncc:totalElapsedTime", content=clock(elapsed))
    etree.SubElement(head, "meta", name="ncc:timeInThisSmil", content=clock(played))
    etree.SubElement(etree.SubElement(head, "layout"), "region", id="txtView")
    seq = etree.SubElement(etree.SubElement(root, "body"), "seq", dur=f"{played:.3f}s")
    for identifier, start, end in clips:
        par = etree.SubElement(seq, "par", endsync="last", id=f"par-{identifier}")
        etree.SubElement(par, "text", src=f"content.html#{identifier}", id=f"text-{identifier}")
        etree.SubElement(par, "audio", src=audio_file, id=f"audio-{identifier}",
                         **{"clip-begin": npt(start), "clip-end": npt(end)})
    return _xml(root, SMIL_DOCTYPE), played


def master(job: Job, smil_names: list[tuple[str, str]], total: float) -> bytes:
    root = etree.Element("smil")
    head = etree.SubElement(root, "head")
    head_meta(job, head)
    etree.SubElement(head, "meta", name="ncc:generator", content=GENERATOR)
    etree.SubElement(head, "meta", name="ncc:timeInThisSmil", content=clock(total))
    etree.SubElement(etree.SubElement(head, "layout"), "region", id="txtView")
    body = etree.SubElement(root, "body")
    for number, (name, title) in enumerate(smil_names, start=1):
        etree.SubElement(body, "ref", src=name, title=title, id=f"smil-{number}")
    return _xml(root, SMIL_DOCTYPE)
