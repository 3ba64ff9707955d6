"""The offline web edition: built from small sources, checked by its own check
(files, Nu validator, axe-core and Chromium), and each check shown to fail
on a file spoiled on purpose."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from PIL import Image as PictureFile

from conftest import FIXTURES, unavailable
from publisher import outputs
from publisher.build import build
from publisher.checks.web import browser_command, check, look, page_names, validator_command, weights
from publisher.diagnostics import ERROR
from publisher.reader import read

GUIDE = """---
title: Settling your baby
subtitle: A short guide
language: en-GB
publisher: Test Press
date: 2024-01-01
version: "1.0"
contact:
  heading: Contact Test Press
  address: [Test Press, 1 High Street, Cardiff CF10 1AA]
  phone: "029 2000 0000"
---

Babies like to be held. Every baby is different.

## Feeding

Feed your baby when they are hungry. **Watch** for early signs, such as *rooting*.

![A baby asleep in a cot](images/cot.png)

::: callout Did you know...?
Babies cry less when they are carried.
:::

## Crying

All babies cry. Read [the NHS page](https://www.nhs.uk/) for more.

1. Check their nappy.
2. Offer a feed.
"""


def require_browser() -> None:
    if browser_command() is None:
        unavailable("chromium, node, axe-core or puppeteer-core is missing: run tools/install-tools and "
                    "tools/install-web-checks")
    if validator_command() is None:
        unavailable("the Nu HTML checker (vnu-jar) or Java is missing: run tools/install-web-checks")


def write_sources(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    PictureFile.new("RGB", (40, 30), "lightblue").save(folder / "images" / "cot.png")
    (folder / "guide.md").write_text(GUIDE, encoding="utf-8")
    for name in ("sleep.md", "sleep.ur.md"):
        shutil.copy(FIXTURES / "languages" / name, folder / name)
    shutil.copy(FIXTURES / "content" / "milestones.md", folder / "milestones.md")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web") / "source"
    write_sources(folder)
    return folder


@pytest.fixture(scope="module")
def spoken(sources, tmp_path_factory) -> Path:
    """The guide (with the booklet's pages) and the milestones, with their audio."""
    output = sources.parent / "output"
    speech = tmp_path_factory.getbasetemp() / "speech"
    build([sources / "guide.md"], ["audio", "pdf", "web"], output, cache_dir=speech)
    build([sources / "milestones.md"], ["audio", "web"], output, cache_dir=speech)  # a table, notes, nesting
    return output


def errors(findings) -> list[str]:
    return [finding.message for finding in findings if finding.severity == ERROR]


# -- without a browser: the files ---------------------------------------------------------


def test_every_language_gets_its_direction_and_links_to_the_others(sources, tmp_path):
    build([sources / "sleep.md", sources / "sleep.ur.md"], ["web"], tmp_path)
    urdu = tmp_path / "sleep.ur" / "web"
    for name in ["index.html", *page_names(urdu)]:
        root = lxml.html.parse(str(urdu / name)).getroot()
        assert (root.get("lang"), root.get("dir")) == ("ur", "rtl"), name
    index = lxml.html.parse(str(urdu / "index.html")).getroot()
    [english] = index.xpath("//a[@hreflang='en-GB']")
    assert english.xpath("ancestor::li/@dir") == ["ltr"]
    assert (urdu / english.get("href")).resolve() == (tmp_path / "sleep" / "web" / "index.html").resolve()
    english_index = lxml.html.parse(str(tmp_path / "sleep" / "web" / "index.html")).getroot()
    assert english_index.get("dir") is None
    assert english_index.xpath("//li[@lang='ur']/@dir") == ["rtl"]
    # Without audio there is no player, and the text is all there.
    assert not list((tmp_path / "sleep" / "web").glob("audio/*"))
    from publisher.checks.web import file_findings
    assert file_findings(urdu, read(sources / "sleep.ur.md"), page_names(urdu)) == []


def test_a_draft_says_so_on_every_page_and_asks_not_to_be_indexed(sources, tmp_path):
    build([sources / "sleep.md"], ["web"], tmp_path, options={"draft": True})
    folder = tmp_path / "sleep" / "web"
    for name in ["index.html", *page_names(folder)]:
        root = lxml.html.parse(str(folder / name)).getroot()
        assert root.xpath("//header//p[@class='draft']"), name
        assert root.xpath("//meta[@name='robots']/@content") == ["noindex"], name
    build([sources / "sleep.md"], ["web"], tmp_path)
    assert "noindex" not in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow  # the audio is spoken
def test_the_pages_share_the_epubs_sentence_ids_and_nothing_epub_only(spoken, sources):
    folder = spoken / "guide" / "web"
    html = "".join((folder / name).read_text(encoding="utf-8") for name in page_names(folder))
    assert 'id="s2-2"' in html and 'id="t-1"' in html and 'id="c-1"' in html
    assert "epub:" not in html and "doc-pagebreak" not in html and "<?xml" not in html
    assert 'class="page-start"' in html  # the booklet's pages, as plain anchors


@pytest.mark.slow  # the audio is spoken
def test_the_zip_holds_the_folder(spoken):
    folder = spoken / "guide" / "web"
    with zipfile.ZipFile(spoken / "guide" / outputs.web_zip("guide")) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert names == {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    assert {"index.html", "style.css", "player.js"} <= names
    assert any(re.fullmatch(r"images/cot-[0-9a-f]{12}\.png", name) for name in names)
    assert any(name.startswith("audio/") and name.endswith(".mp3") for name in names)
    assert any(name.startswith("fonts/") for name in names)


# -- in a browser ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.validator
@pytest.mark.parametrize("slug", ["guide", "milestones"])
def test_the_web_edition_passes_its_check(spoken, sources, slug):
    require_browser()
    findings = check(spoken / slug, read(sources / f"{slug}.md"))
    assert errors(findings) == []
    measured = [f.message for f in findings if "kB without audio" in f.message]
    assert len(measured) == 1 + len(page_names(spoken / slug / "web"))
    assert all("first contentful paint" in line and "not measured" not in line for line in measured)


@pytest.mark.slow
@pytest.mark.validator
def test_a_section_page_is_light_and_paints_fast(spoken):
    require_browser()
    folder = spoken / "guide" / "web"
    section = page_names(folder)[1]
    seen = look(folder, [section])
    [weight] = weights(folder, seen).values()
    assert weight < 200_000  # the two font files are most of it
    assert seen[section]["paint"] < 2000


def spoil(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.validator
def test_each_check_fails_on_a_spoiled_file(spoken, sources, tmp_path):
    require_browser()
    copy = tmp_path / "guide"
    shutil.copytree(spoken / "guide", copy)
    folder = copy / "web"
    index, (first, second, *_, contact) = "index.html", page_names(folder)
    spoil(folder, second, 'alt="A baby asleep in a cot"', "")
    spoil(folder, first, "</head>", '<script src="https://example.org/track.js"></script></head>')
    sentence = re.search(r'<span id="(c-2)">([^<]*)</span>', (folder / contact).read_text(encoding="utf-8"))
    assert sentence
    spoil(folder, contact, sentence.group(0), "")  # its words and its span gone
    spoil(folder, index, '<main id="main">', '<main id="main"><span id="main"></span>')  # a duplicate id
    spoil(folder, index, ' lang="en-GB"', "")
    spoil(folder, "player.js", "var element = document.getElementById(clips[n].id);",
          "var element = document.getElementById(clips[Math.max(0, n - 1)].id);")  # the highlight lags
    messages = errors(check(copy, read(sources / "guide.md")))

    def found(*pieces: str) -> bool:
        return any(all(piece in message for piece in pieces) for message in messages)

    assert found("has no alt text")
    assert found("axe-core at 390 light: image-alt")
    assert found("https://example.org/track.js", "fetched from outside")
    assert found("requested https://example.org/track.js")
    assert found("sentences have no span", sentence.group(1))
    assert found("with JavaScript off", "source words are missing")
    assert found("Nu HTML checker", "Duplicate ID")
    assert found("lang is None")
    assert found("axe-core at 1280 dark: html-has-lang")
    assert found("the highlight is on")


@pytest.mark.slow
@pytest.mark.validator
def test_a_player_that_seeks_wrong_or_steals_focus_fails(spoken, sources, tmp_path):
    require_browser()
    copy = tmp_path / "guide"
    shutil.copytree(spoken / "guide", copy)
    folder = copy / "web"
    spoil(folder, "player.js", "audio.currentTime = clips[n].start + 0.001;", "audio.currentTime = 0;")
    spoil(folder, "player.js", "element.classList.add(ACTIVE);",
          "element.classList.add(ACTIVE); element.tabIndex = -1; element.focus();")
    messages = errors(check(copy, read(sources / "guide.md")))
    assert any("a click on" in message and "went to 0.00 s" in message for message in messages)
    assert any("moved the focus" in message for message in messages)
