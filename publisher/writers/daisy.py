"""The DAISY 2.02 talking book: ``<slug>-daisy/`` and ``<slug>-daisy.zip``.

A full-text, full-audio book for DAISY players (Victor Reader, Plextalk,
Daisy Player) and library services for blind readers:

``ncc.html``        the navigation centre: every heading and every page of the
                    printed booklet, each pointing at the SMIL par that reads it
``content.html``    the text, one span per sentence (the ids of publisher.text)
``NN-<section>.smil``  SMIL 1.0, one per audio track: a par per sentence, its text
                    and its clip of the section's MP3 (the same timings as the
                    read-aloud EPUB's overlays)
``master.smil``     the SMIL files in reading order
the section MP3s, copied from the audio book.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..archive import reproducible_zip
from ..contract import Job, Written
from ..files import write_bytes
from ..model import Heading
from ..outputs import daisy as daisy_folder
from ..outputs import daisy_zip
from ..text import contact_sentences, section_sentences, title_sentences
from .m4b import audio_data

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


def elements(job: Job) -> list[list[tuple[str, int, list[tuple[str, str]]]]]:
    """Per audio track: its text elements, each (tag, heading level or 0,
    [(sentence id, text)]): the title, the sections' blocks, the contact details."""
    document = job.document
    groups = []
    for number, section in enumerate(document.sections):
        items: list[tuple[str, int, list[tuple[str, str]]]] = []
        if number == 0:
            items += [("h1", 1, [pair]) for pair in title_sentences(document)[:1]]
            items += [("p", 0, [pair]) for pair in title_sentences(document)[1:]]
        last = None
        for sentence in section_sentences(section):
            key = (id(sentence.block), sentence.part)
            if key != last:
                block = sentence.block
                level = block.level - 1 if isinstance(block, Heading) else 0
                items.append((f"h{min(level, 6)}" if isinstance(block, Heading) else "p", level, []))
                last = key
            items[-1][2].append((sentence.id, sentence.text))
        groups.append(items)
    contact = contact_sentences(document)
    if contact:
        groups.append([("h1", 1, contact[:1])] + [("p", 0, [pair]) for pair in contact[1:]])
    return groups


def write(job: Job) -> Written:
    audio = audio_data(job, "daisy")
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
    elapsed = 0.0
    smil_names = []
    for items, track in zip(groups, tracks, strict=True):
        name = Path(track["file"]).with_suffix(".smil").name
        smil_names.append((name, track["title"]))
        files[name] = smil(job, items, track, elapsed)
        for tag, level, sentences in items:
            first = sentences[0][0]
            # A printed page that begins with a heading comes before it; any other, where it begins.
            for identifier, _ in sentences:
                if identifier in pages:
                    ncc_items.append(("page", pages[identifier], f"{name}#par-{identifier}",
                                      f"page-{pages[identifier]}"))
                if level and identifier == first:
                    ncc_items.append((tag, " ".join(text for _, text in sentences),
                                      f"{name}#par-{first}", f"nav-{first}"))
        elapsed += track["duration"]
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
        for tag, _, sentences in items:
            element = etree.SubElement(body, tag)
            for number, (identifier, text) in enumerate(sentences):
                span = etree.SubElement(element, "span", id=identifier)
                span.text = text
                span.tail = " " if number < len(sentences) - 1 else None
    return _xml(html, XHTML_DOCTYPE)


def smil(job: Job, items, track: dict, elapsed: float) -> bytes:
    """One track's SMIL: a par per sentence; each clip runs on to the next
    sentence's start, so the pauses between sentences are kept."""
    audio_file = Path(track["file"]).name
    timings = track["sentences"]
    by_id = {timing["id"]: timing for timing in timings}
    order = [identifier for _, _, sentences in items for identifier, _ in sentences]
    missing = [identifier for identifier in order if identifier not in by_id]
    if missing:
        raise RuntimeError(f"the audio book has no timing for sentences {', '.join(missing[:5])}")
    root = etree.Element("smil")
    head = etree.SubElement(root, "head")
    head_meta(job, head)
    etree.SubElement(head, "meta", name="ncc:generator", content=GENERATOR)
    etree.SubElement(head, "meta", name="ncc:totalElapsedTime", content=clock(elapsed))
    etree.SubElement(head, "meta", name="ncc:timeInThisSmil", content=clock(track["duration"]))
    etree.SubElement(etree.SubElement(head, "layout"), "region", id="txtView")
    seq = etree.SubElement(etree.SubElement(root, "body"), "seq", dur=f"{track['duration']:.3f}s")
    for identifier, following in zip(order, [*order[1:], None], strict=True):
        timing = by_id[identifier]
        end = by_id[following]["start"] if following else min(track["duration"], timing["end"])
        par = etree.SubElement(seq, "par", endsync="last", id=f"par-{identifier}")
        etree.SubElement(par, "text", src=f"content.html#{identifier}", id=f"text-{identifier}")
        etree.SubElement(par, "audio", src=audio_file, id=f"audio-{identifier}",
                         **{"clip-begin": npt(timing["start"]), "clip-end": npt(max(end, timing["end"]))})
    return _xml(root, SMIL_DOCTYPE)


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
