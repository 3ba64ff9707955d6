"""Checks of the offline web edition (output/<slug>/web/), by reading its files
and by opening every page in a browser.

Read from the files: every page has its language (and direction), every
picture its alt text, nothing is fetched from outside the folder, every
sentence of the source is in a span with its id, in reading order, and each
page's timings name sentences on that page. The Nu HTML checker (vnu.jar,
npm ``vnu-jar``) validates the HTML. In Debian's Chromium, driven by
puppeteer-core (``web_browser.js``): axe-core at WCAG 2.2 AA on every page,
at a phone's width and a laptop's, light and dark; the requests each page
makes; setting the audio's time moves the highlight through the sentences
in order; a click on a sentence seeks to it; "next sentence" from the
keyboard leaves the focus where it was; and with JavaScript off, every word
of the source is in the pages' text, in order. ``measure`` gives each page's
weight without its audio and its first paint, from what the browser loaded.
``tools/install-web-checks`` installs axe-core, puppeteer-core and vnu-jar.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html

from .. import outputs
from ..diagnostics import ERROR, INFO, Diagnostic
from ..model import Document
from ..terms import terms_for
from ..text import document_sentences, document_words, missing_in_order, words

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / ".tools" / "node_modules"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROWSER_SCRIPT = Path(__file__).with_name("web_browser.js")
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
WIDTHS = (390, 1280)  # a phone, a laptop
THEMES = ("light", "dark")
INDEX = "index.html"
# Attributes that make a browser fetch something (a link's href is only a way to go).
FETCHED = {"img": ("src", "srcset"), "script": ("src",), "link": ("href",), "audio": ("src",),
           "video": ("src", "poster"), "source": ("src", "srcset"), "iframe": ("src",), "embed": ("src",),
           "object": ("data",), "track": ("src",), "input": ("src",)}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    folder = out_dir / outputs.web(document.slug)
    if not (folder / INDEX).is_file():
        return [Diagnostic(ERROR, f"{folder.name}/{INDEX}", "the web edition is missing: build it with --formats web")]
    pages = page_names(folder)
    findings = file_findings(folder, document, pages)
    findings += validate(folder, pages)
    seen = look(folder, [INDEX, *pages])
    if seen is None:
        findings.append(Diagnostic(INFO, folder.name, "the web edition was not opened in a browser: install "
                                   "chromium and run tools/install-web-checks"))
    else:
        findings += browser_findings(folder, document, pages, seen)
        findings += [Diagnostic(INFO, f"{folder.name}/{name}", line) for name, line in measure(folder, seen).items()]
    return findings


def page_names(folder: Path) -> list[str]:
    """The pages in reading order: the front page's contents."""
    index = lxml.html.parse(str(folder / INDEX)).getroot()
    return [str(a.get("href")) for a in index.xpath("//nav[contains(@class, 'contents')]//a[@href]")]


# -- read from the files ------------------------------------------------------------


def file_findings(folder: Path, document: Document, pages: Sequence[str]) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    direction = "rtl" if terms_for(document.meta.language).right_to_left else None
    placed: list[str] = []
    for name in [INDEX, *pages]:
        where = f"{folder.name}/{name}"
        path = folder / name
        if not path.is_file():
            findings.append(Diagnostic(ERROR, where, "the contents link to a page that is not there"))
            continue
        root = lxml.html.parse(str(path)).getroot()
        if root.get("lang") != document.meta.language:
            findings.append(Diagnostic(ERROR, where, f"the page's lang is {root.get('lang')!r}, "
                                       f"not the source's {document.meta.language!r}"))
        if root.get("dir") != direction:
            findings.append(Diagnostic(ERROR, where, f"the page's dir is {root.get('dir')!r}, not {direction!r}"))
        for image in root.iter("img"):
            if image.get("alt") is None:
                findings.append(Diagnostic(ERROR, where, f"the picture {image.get('src')} has no alt text"))
        for address in fetched(root):
            problem = outside(folder, path, address)
            if problem:
                findings.append(Diagnostic(ERROR, where, f"{address!r} {problem}"))
        ids = [str(e.get("id")) for e in root.xpath("//*[@id]")]
        placed += ids
        timings = root.xpath("//script[@id='timings']")
        if timings:
            clips = json.loads(timings[0].text or "[]")
            strays = [clip["id"] for clip in clips if clip["id"] not in ids]
            if strays:
                findings.append(Diagnostic(ERROR, where, f"timings for sentences not on the page: {strays[:5]}"))
            starts = [clip["start"] for clip in clips]
            if starts != sorted(starts):
                findings.append(Diagnostic(ERROR, where, "the sentence timings are not in order"))
    css = folder / "style.css"
    for match in CSS_URL.finditer(css.read_text(encoding="utf-8") if css.is_file() else ""):
        address = match.group(1) or match.group(2)
        problem = outside(folder, css, address)
        if problem:
            findings.append(Diagnostic(ERROR, f"{folder.name}/style.css", f"{address!r} {problem}"))
    expected = [identifier for identifier, _ in document_sentences(document)]
    found = [identifier for identifier in placed if identifier in set(expected)]
    if found != expected:
        missing = [identifier for identifier in expected if identifier not in found]
        findings.append(Diagnostic(ERROR, folder.name, (f"{len(missing)} sentences have no span, first: {missing[:5]}"
                                                        if missing else "the sentence spans are out of order")))
    return findings


def fetched(root) -> list[str]:
    """Every address the page makes the browser fetch: attributes, and url() in style attributes and elements."""
    found = []
    for tag, attributes in FETCHED.items():
        for node in root.iter(tag):
            for attribute in attributes:
                value = node.get(attribute)
                if value:
                    found += [part.split()[0] for part in value.split(",")] if attribute == "srcset" else [value]
    for text in [*root.xpath("//@style"), *(node.text or "" for node in root.iter("style"))]:
        found += [m.group(1) or m.group(2) for m in CSS_URL.finditer(str(text))]
    return found


def outside(folder: Path, page: Path, address: str) -> str:
    """Why fetching ``address`` from ``page`` would leave the folder or fail, or ""."""
    parts = urlsplit(address)
    if parts.scheme == "data":
        return ""
    if parts.scheme or parts.netloc or address.startswith("/"):
        return "is fetched from outside the web edition's folder"
    relative = posixpath.normpath(posixpath.join(page.parent.relative_to(folder).as_posix(), unquote(parts.path)))
    if relative.startswith(".."):
        return "lies outside the web edition's folder"
    if not (folder / relative).is_file():
        return "is not in the web edition's folder"
    return ""


# -- the Nu HTML checker --------------------------------------------------------------


def validator_command() -> list[str] | None:
    java = shutil.which("java")
    return [java, "-jar", str(VNU)] if java and VNU.is_file() else None


def validate(folder: Path, pages: Sequence[str]) -> list[Diagnostic]:
    command = validator_command()
    if command is None:
        return [Diagnostic(INFO, folder.name, "the HTML was not validated: run tools/install-web-checks (needs Java)")]
    files = [str(folder / name) for name in [INDEX, *pages] if (folder / name).is_file()]
    result = subprocess.run([*command, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        return [Diagnostic(ERROR, folder.name, f"the Nu HTML checker failed: {(result.stderr or '')[:300]}")]
    return [Diagnostic(ERROR, f"{folder.name}/{Path(unquote(urlsplit(m.get('url', '')).path)).name}",
                       f"Nu HTML checker: {m.get('message')}", int(m.get("lastLine") or 0))
            for m in messages if m.get("type") == "error"]


# -- in a browser -------------------------------------------------------------------


def browser_command() -> list[str] | None:
    node = shutil.which("node")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not (node and chromium and (MODULES / "axe-core" / "axe.min.js").is_file()
            and (MODULES / "puppeteer-core").is_dir()):
        return None
    return [node, str(BROWSER_SCRIPT), chromium]


def look(folder: Path, pages: Sequence[str], screenshots: Path | None = None,
         shots: Sequence[str] = ()) -> dict[str, Any] | None:
    """What Chromium sees of each page (web_browser.js), or None without a browser;
    ``screenshots``: a folder for the PNGs of the pages named in ``shots``."""
    command = browser_command()
    if command is None:
        return None
    node, script, chromium = command
    settings = {"chromium": chromium, "modules": str(MODULES), "folder": str(folder.resolve()), "pages": list(pages),
                "widths": list(WIDTHS), "themes": list(THEMES), "tags": list(AXE_TAGS),
                "screenshots": str(screenshots.resolve()) if screenshots else None, "shots": list(shots)}
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([node, script, json.dumps(settings)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"the browser check failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def browser_findings(folder: Path, document: Document, pages: Sequence[str],
                     seen: Mapping[str, Any]) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for name, page in seen.items():
        where = f"{folder.name}/{name}"
        for setting, violations in page["axe"].items():
            for violation in violations:
                findings.append(Diagnostic(ERROR, where, f"axe-core at {setting}: {violation['id']} "
                                           f"({violation['help']}) at {', '.join(violation['nodes'])}"))
        for address in page["outside"]:
            findings.append(Diagnostic(ERROR, where, f"the page requested {address}, outside its folder"))
        player = page.get("player")
        if player:
            wanted = [[timing["id"]] for timing in player["timings"]]
            if player["sequence"] != wanted:
                wrong = next(n for n, (a, b) in enumerate(zip(player["sequence"], wanted, strict=True)) if a != b)
                findings.append(Diagnostic(ERROR, where, f"at {player['timings'][wrong]['id']}'s time the highlight "
                                           f"is on {player['sequence'][wrong] or 'nothing'}"))
        click = page.get("click")
        if click:
            timing = click["timing"]
            if not (timing["start"] <= click["time"] < timing["end"]) or click["highlighted"] != [timing["id"]]:
                findings.append(Diagnostic(ERROR, where, f"a click on {timing['id']} went to {click['time']:.2f} s "
                                           f"with {click['highlighted'] or 'nothing'} highlighted"))
        keyboard = page.get("keyboard")
        if keyboard is not None and (keyboard["focused"] != "1" or not keyboard["highlighted"]):
            findings.append(Diagnostic(ERROR, where, "'next sentence' from the keyboard moved the focus or "
                                       "highlighted nothing"))
    text = "\n".join(seen[name]["text"] for name in pages if name in seen)
    missing = missing_in_order(document_words(document), words(text))
    if missing:
        findings.append(Diagnostic(ERROR, folder.name, f"with JavaScript off, {len(missing)} source words are missing "
                                   f"from the pages or out of order, first: {missing[:8]}"))
    return findings


def measure(folder: Path, seen: Mapping[str, Any]) -> dict[str, str]:
    """Each page's weight without its audio (the files the browser loaded) and its first contentful paint."""
    lines = {}
    for name, size in weights(folder, seen).items():
        paint = seen[name].get("paint")
        lines[name] = (f"{size / 1000:.1f} kB without audio; first contentful paint "
                       + (f"{paint:.0f} ms" if paint is not None else "not measured"))
    return lines


def weights(folder: Path, seen: Mapping[str, Any]) -> dict[str, int]:
    """Bytes each page loaded, its audio left out."""
    return {name: sum((folder / f).stat().st_size for f in page["requests"]
                      if not f.endswith(".mp3") and (folder / f).is_file()) for name, page in seen.items()}
