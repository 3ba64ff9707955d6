"""Checks of the DAISY 2.02 talking book, against the rules that can be checked
without a player: the NCC and every SMIL file parse; the NCC's first element
is the title heading; every NCC heading and page target points at a par of
a SMIL file the master SMIL lists; page targets come in the booklet's order;
every clip lies inside its MP3 (its length as mutagen reads the frames);
every SMIL text points at an element of the content document; ncc:totalTime
is the MP3s' total; every sentence of the source is read, in order.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..diagnostics import ERROR, Diagnostic
from ..manifest import Manifest
from ..model import Document
from ..outputs import daisy
from ..text import document_sentences

XHTML = "{http://www.w3.org/1999/xhtml}"


def seconds(npt: str) -> float:
    return float(npt.removeprefix("npt=").removesuffix("s"))


def ncc_entries(folder: Path) -> list[tuple[str, str, str, str]]:
    """The NCC's body in order: (tag, class, text, href) of each heading and page target."""
    body = etree.parse(str(folder / "ncc.html")).getroot().find(f"{XHTML}body")
    entries = []
    for element in body:
        link = element.find(f"{XHTML}a")
        text, href = ("".join(link.itertext()), link.get("href", "")) if link is not None else ("", "")
        entries.append((etree.QName(element).localname, element.get("class", ""), text, href))
    return entries


def check(out_dir: Path, document: Document) -> list[Diagnostic]:

    folder = out_dir / daisy(document.slug)
    if not (folder / "ncc.html").is_file():
        return [Diagnostic(ERROR, str(folder), "the DAISY book was not built")]
    findings: list[Diagnostic] = []

    def error(file: str, message: str) -> None:
        findings.append(Diagnostic(ERROR, str(folder / file), message))

    try:
        ncc = etree.parse(str(folder / "ncc.html"))
        master = etree.parse(str(folder / "master.smil"))
        content_ids = set(etree.parse(str(folder / "content.html")).xpath("//@id"))
    except (OSError, etree.XMLSyntaxError) as problem:
        return [Diagnostic(ERROR, str(folder), f"a DAISY file does not parse: {problem}")]
    smil_names = [ref.get("src") for ref in master.getroot().iter("ref")]
    pars: dict[str, set[str]] = {}
    read: list[str] = []
    total = 0.0
    for name in smil_names:
        try:
            smil = etree.parse(str(folder / name))
        except (OSError, etree.XMLSyntaxError) as problem:
            error(name, f"does not parse: {problem}")
            continue
        pars[name] = {par.get("id") for par in smil.getroot().iter("par")}
        lengths: dict[str, float] = {}
        for par in smil.getroot().iter("par"):
            text, audio = par.find("text"), par.find("audio")
            target = text.get("src").partition("#")[2] if text is not None else ""
            if target not in content_ids:
                error(name, f"par '{par.get('id')}' shows '{target}', which content.html does not have")
            read.append(target)
            if audio is None:
                error(name, f"par '{par.get('id')}' has no audio")
                continue
            source = audio.get("src")
            if source not in lengths:
                lengths[source] = _seconds(folder / source)
            begin, end = seconds(audio.get("clip-begin")), seconds(audio.get("clip-end"))
            if not 0 <= begin < end <= lengths[source] + 0.001:
                error(name, f"par '{par.get('id')}' plays {begin:.3f}–{end:.3f} s of {source}, "
                            f"which lasts {lengths[source]:.3f} s")
        total += sum(lengths.values())

    entries = ncc_entries(folder)
    if not entries or entries[0][0] != "h1" or "title" not in entries[0][1].split():
        error("ncc.html", "the NCC does not begin with the title heading (h1 class=\"title\")")
    for tag, _, text, href in entries:
        name, _, target = href.partition("#")
        if target not in pars.get(name, ()):
            error("ncc.html", f"'{text}' ({tag}) points at '{href}', not at a par of a SMIL file the master lists")
    pages = [text for tag, kind, text, _ in entries if kind == "page-normal"]
    booklet = [str(p["label"]) for p in Manifest(out_dir).data("pdf").get("pages", []) if p.get("sentence")]
    if pages != booklet:
        error("ncc.html", f"the page targets are {pages}, the booklet's pages that begin a sentence are {booklet}")
    meta = {m.get("name"): m.get("content") for m in ncc.getroot().iter(f"{XHTML}meta")}
    hours, minutes, secs = (int(part) for part in meta.get("ncc:totalTime", "0:0:0").split(":"))
    if abs(hours * 3600 + minutes * 60 + secs - total) > 1:
        error("ncc.html", f"ncc:totalTime is {meta.get('ncc:totalTime')}, the MP3s last {total:.1f} s")
    if meta.get("dc:format") != "Daisy 2.02" or not meta.get("ncc:narrator"):
        error("ncc.html", "dc:format is not 'Daisy 2.02' or ncc:narrator is missing")
    wanted = [identifier for identifier, _ in document_sentences(document)]
    if read != wanted:
        lost = [identifier for identifier in wanted if identifier not in read]
        error("master.smil", f"the SMIL files read {len(read)} sentences, the source has {len(wanted)} "
                             f"(missing or out of order, first: {lost[:5] or read[:5]})")
    return findings


def _seconds(path: Path) -> float:
    """An MP3's length, 0 when it is missing or unreadable (the clips are then all past its end)."""
    from mutagen.mp3 import MP3

    info = MP3(path).info if path.is_file() else None
    return float(info.length) if info is not None else 0.0
