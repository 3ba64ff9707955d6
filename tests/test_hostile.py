"""Careless and hostile input (issue 12), class by class: each table tries
several inputs of its kind, and says which are refused (with the line) and
which are accepted as typed. Nothing here depends on the guidance's wording."""

from __future__ import annotations

import argparse
import errno
import json
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as Picture

from publisher import cli
from publisher.build import build, sources_in
from publisher.diagnostics import EnvironmentFault, SourceError
from publisher.files import check_output_folder, locked, replacing
from publisher.local import load_local
from publisher.manifest import NAME as MANIFEST
from publisher.manifest import Manifest
from publisher.reader import read
from publisher.style import load_style

FRONT = "---\ntitle: T\nlanguage: en-GB\npublisher: P\ndate: 2024-01-01\n---\n"
BODY_LINE = 8  # the first line after FRONT and a blank line


def source(folder: Path, text: str, name: str = "guide.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> SourceError:
    with pytest.raises(SourceError) as raised:
        read(path)
    return raised.value


def body(tmp_path: Path, text: str):
    return read(source(tmp_path, FRONT + "\n" + text + "\n"))


def front(tmp_path: Path, line: str, text: str = "Words.") -> Path:
    """A source whose front matter has one more line (line 6 of the file)."""
    return source(tmp_path, FRONT.replace("date: 2024-01-01\n", f"date: 2024-01-01\n{line}\n") + "\n" + text + "\n")


# -- 1. data loss -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["...md", ".x.md", "._x.md", "..md", "a..b.md", "-x.md", "a b.md", "x..md"])
def test_a_file_name_that_cannot_name_an_output_folder_is_refused(tmp_path, name):
    error = refused(source(tmp_path, FRONT + "\nWords.\n", name))
    assert "cannot name an output folder" in error.diagnostic.message


@pytest.mark.parametrize("name", ["guide.md", "guide.cy.md", "Guide_2.md", "sleep-and-your-baby.md", "gofal-ŵyr.md"])
def test_plain_file_names_are_sources(tmp_path, name):
    assert read(source(tmp_path, FRONT + "\nWords.\n", name)).slug == name[:-3]


def test_hidden_files_are_not_sources(tmp_path):
    for name in ("guide.md", ".guide.md", "._guide.md", "...md"):
        source(tmp_path, FRONT + "\nWords.\n", name)
    assert [p.name for p in sources_in(tmp_path)] == ["guide.md"]


@pytest.mark.parametrize("names", [("en/guide.md", "cy/guide.md"), ("a/Guide.md", "b/guide.md")])
def test_two_sources_with_one_file_name_are_refused_before_anything_is_written(tmp_path, names):
    paths = [source(tmp_path, FRONT + "\nWords.\n", name) for name in names]
    with pytest.raises(SourceError, match="same file name"):
        build(paths, ["docx"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out").exists()


def test_the_same_source_named_twice_is_built_once(tmp_path):
    path = source(tmp_path, FRONT + "\nWords.\n")
    summary = build([path, tmp_path / "." / "guide.md"], ["docx"], tmp_path / "out", cache_dir=tmp_path / "c")
    assert len([p for p in summary.built if p.name == "guide-leaflet.docx"]) == 1


def test_a_linked_lock_file_empties_nothing(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    folder = tmp_path / "out" / "guide"
    folder.mkdir(parents=True)
    (folder / ".lock").symlink_to(precious)
    with locked(folder):
        pass
    assert precious.read_text() == "keep me" and not (folder / ".lock").is_symlink()


@pytest.mark.parametrize("linked", ["audio", "web", "."])
def test_a_linked_output_folder_is_refused(tmp_path, linked):
    mine = tmp_path / "my-music"
    mine.mkdir()
    (mine / "song.mp3").write_bytes(b"mine")
    folder = tmp_path / "out" / "guide"
    if linked == ".":
        folder.parent.mkdir(parents=True)
        folder.symlink_to(mine)
    else:
        folder.mkdir(parents=True)
        (folder / linked).symlink_to(mine)
    with pytest.raises(EnvironmentFault, match="link"):
        check_output_folder(folder)
    target = (folder / linked / "x.mp3") if linked != "." else folder / "x"
    with pytest.raises(EnvironmentFault, match="link"), replacing(target) as temporary:
        temporary.write_bytes(b"new")
    assert sorted(p.name for p in mine.iterdir()) == ["song.mp3"]


def test_a_bad_picture_is_found_before_any_file_is_written(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(png_header(100, 100)[:40])  # cut short
    path = source(tmp_path, FRONT + "\nWords.\n\n![A picture](images/x.png)\n")
    with pytest.raises(SourceError, match="damaged"):
        build([path], ["docx", "pdf", "epub"], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out").exists()


# -- 2 and 6. links and strings that enter markup --------------------------------

@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd",
                                    "vbscript:x", "ftp://example.org/x", "smb://server/share"])
def test_a_body_link_with_another_scheme_keeps_its_words_without_the_link_and_warns(tmp_path, target):
    doc = body(tmp_path, f"Read [these words]({target}) now.")
    runs = doc.sections[0].blocks[0].runs
    assert "".join(r.text for r in runs) == "Read these words now." and all(r.link is None for r in runs)
    assert [w.line for w in doc.warnings if "kept without the link" in w.message] == [BODY_LINE]


@pytest.mark.parametrize("target", ["/url", "page.html", "../x.md", "images/x.png", "www.example.org", "//example.org"])
def test_a_relative_link_is_refused_with_the_line(tmp_path, target):
    error = refused(source(tmp_path, FRONT + "\nText [x](" + target + ").\n"))
    assert (error.diagnostic.line, "not a full address" in error.diagnostic.message) == (BODY_LINE, True)


@pytest.mark.parametrize("target", ["https://example.org/a?b=c#d", "http://example.org", "mailto:a@example.org",
                                    "tel:+441604123456"])
def test_web_mail_and_phone_links_are_kept(tmp_path, target):
    runs = body(tmp_path, f"[words]({target})").sections[0].blocks[0].runs
    assert runs[0].link == target


def test_headings_have_unique_ids_and_internal_links_must_name_one(tmp_path):
    text = "Intro [down](#notes-2).\n\n## Notes\n\nA.\n\n### Notes\n\nB [up](#notes).\n\n## Tuning in\n\nC.\n"
    doc = body(tmp_path, text)
    assert [s.id for s in doc.sections] == ["t", "notes", "tuning-in"]
    assert doc.sections[1].heading.id == "notes" and doc.sections[1].blocks[1].id == "notes-2"
    for missing in ("#contact", "#Notes", "#", "#notes-3"):
        error = refused(source(tmp_path, FRONT + "\n## Notes\n\nSee [x](" + missing + ").\n"))
        assert (error.diagnostic.line, "names no heading" in error.diagnostic.message) == (BODY_LINE + 2, True)


FRONT_ADDRESSES = {
    "disclaimer": "disclaimer: {{text: Read it, link: '{}'}}",
    "formats_url": "formats_url: '{}'",
    "website": "contact: {{heading: Contact us, website: '{}'}}",
}


@pytest.mark.parametrize("field", FRONT_ADDRESSES)
@pytest.mark.parametrize("address", ["javascript:alert(1)", 'https://x.org/" onclick="y', "/downloads", "www.x.org",
                                     "https://x.org/a b", "https://x.org/<b>"])
def test_front_matter_addresses_pass_the_same_filter(tmp_path, field, address):
    error = refused(front(tmp_path, FRONT_ADDRESSES[field].format(address)))
    assert error.diagnostic.line == 6


def test_front_matter_web_addresses_are_kept(tmp_path):
    doc = read(front(tmp_path, "formats_url: https://example.org/guides?x=1"))
    assert doc.meta.formats_url == "https://example.org/guides?x=1"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="()\n\r"), max_size=40))
def test_any_link_target_is_kept_warned_or_refused_never_a_crash(tmp_path, target):
    try:
        doc = body(tmp_path, f"[words]({target})")
    except SourceError:
        return
    for run in doc.sections[0].blocks[0].runs if doc.sections[0].blocks else ():
        assert run.link is None or run.link == "" or run.link.split(":")[0].lower() in (
            "http", "https", "mailto", "tel") or run.link.startswith("#")


# -- 3. YAML as data ------------------------------------------------------------------

KEPT_AS_TYPED = ["01604123456", "+441604123456", "1.10", "10:30", "0x1F", "1e3", "yes", "no", "~", "null", "0o17",
                 "1_000", ".inf", "2024-01-01"]


@pytest.mark.parametrize("typed", KEPT_AS_TYPED)
def test_front_matter_keeps_every_value_as_typed(tmp_path, typed):
    doc = read(front(tmp_path, f"version: {typed}\ncontact: {{heading: Us, phone: {typed}}}"))
    assert (doc.meta.version, doc.meta.contact.phone) == (typed, typed)


@pytest.mark.parametrize("typed", ["01536000000", "+441536000000", "10:30"])
def test_local_details_keep_every_value_as_typed(tmp_path, typed):
    path = tmp_path / "hub.yaml"
    path.write_text(f"service: Hub\nphone: {typed}\nopening_hours: {typed}\n", encoding="utf-8")
    details = load_local(path)
    assert (details.phone, details.opening_hours) == (typed, (typed,))


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13-01", "2108-01-01", "0001-01-01", "1979-12-31", "20240101",
                                  "2024-W01-1", "tomorrow", "2024-1-1", "'2024-01-01T10:00'"])
def test_a_date_that_cannot_be_stamped_is_refused_with_the_line(tmp_path, date):
    path = source(tmp_path, FRONT.replace("date: 2024-01-01", f"date: {date}") + "\nWords.\n")
    assert refused(path).diagnostic.line == 5


def test_a_missing_date_is_the_build_date_or_the_files_never_1970(tmp_path, monkeypatch):
    path = source(tmp_path, FRONT.replace("date: 2024-01-01\n", "") + "\nWords.\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = read(path)
    assert doc.meta.date == "2023-11-14" and any("no 'date'" in w.message for w in doc.warnings)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    assert read(path).meta.date == "2017-07-14"


@pytest.mark.parametrize("yaml_text, line", [
    ("title: A\ntitle: B", 3),
    ("contact: {heading: A, heading: B}", 2),
    ("contact:\n  heading: A\n  phone: '1'\n  phone: '2'", 5),
    ("keywords: [a]\nkeywords: [b]", 3),
])
def test_a_key_given_twice_is_refused(tmp_path, yaml_text, line):
    path = source(tmp_path, "---\n" + yaml_text + "\nlanguage: en\npublisher: P\n---\n\nWords.\n")
    error = refused(path)
    assert ("given twice" in error.diagnostic.message, error.diagnostic.line) == (True, line)


BOMBS = {
    "billion laughs": "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8)) + "title: *i",
    "one alias": "title: &t T\nsubtitle: *t",
    "deep flow": "title: " + "[" * 50_000 + "]" * 50_000,
    "deep blocks": "title:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),
    "deep mapping": "title: " + "{a: " * 1000 + "x" + "}" * 1000,
    "many values": "keywords: [" + ",".join(["k"] * 30_000) + "]",
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_yaml_bombs_are_refused_quickly_without_printing_the_expansion(tmp_path, bomb):
    path = source(tmp_path, "---\n" + BOMBS[bomb] + "\nlanguage: en\npublisher: P\n---\n\nWords.\n")
    started = time.perf_counter()
    error = refused(path)
    assert time.perf_counter() - started < 3
    assert len(str(error)) < 400 and "lol, lol" not in str(error)


@pytest.mark.parametrize("tag", ["en-GB", "cy", "pl", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996", "en-US-u-ca-gregory",
                                 "x-private", "i-klingon", "yue-HK", "es-419", "sgn-BE-FR", "en-GB-oed", "zh-yue-HK",
                                 "EN-gb", "ar-x-nbrp", "sl-rozaj-biske"])
def test_any_well_formed_bcp47_tag_is_accepted(tmp_path, tag):
    path = source(tmp_path, FRONT.replace("language: en-GB", f"language: {tag}") + "\nWords.\n")
    assert read(path).meta.language == tag


@pytest.mark.parametrize("tag", ["English", "en_GB", "e", "en-", "123", "en--GB", "en-GB-", "x", "en-a", "english-GB"])
def test_a_malformed_language_tag_is_refused(tmp_path, tag):
    path = source(tmp_path, FRONT.replace("language: en-GB", f"language: '{tag}'") + "\nWords.\n")
    assert "not a language tag" in refused(path).diagnostic.message


# -- 4. pictures --------------------------------------------------------------------------

def png_header(width: int, height: int, mode: int = 2) -> bytes:
    """A PNG that claims a size: the header and a few bytes of pixels (441 bytes or so)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, mode, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 300)) + chunk(b"IEND", b""))


def picture(path: Path, mode: str = "RGB", kind: str = "PNG", orientation: int | None = None) -> bytes:
    image = Picture.new(mode, (40, 30), "white" if mode != "CMYK" else (0, 0, 0, 0))
    extra = {}
    if orientation is not None:
        exif = Picture.Exif()
        exif[0x0112] = orientation
        extra["exif"] = exif
    image.save(path, kind, **extra)
    return path.read_bytes()


def image_source(tmp_path: Path, name: str, data: bytes) -> Path:
    (tmp_path / "images").mkdir(exist_ok=True)
    (tmp_path / "images" / name).write_bytes(data)
    return source(tmp_path, FRONT + f"\n![A picture](<images/{name}>)\n")


def made(tmp_path: Path, **kwargs) -> bytes:
    return picture(tmp_path / "made", **kwargs)


PICTURES_REFUSED = {
    "30000 × 30000 in 441 bytes": ("huge.png", lambda t: png_header(30_000, 30_000), "too large"),
    "13000 × 13000": ("big.png", lambda t: png_header(13_000, 13_000), "too large"),
    "50000 × 10": ("wide.png", lambda t: png_header(50_000, 10), "too large"),
    "truncated": ("cut.png", lambda t: made(t)[:60], "damaged"),
    "a header and nothing": ("empty.png", lambda t: png_header(40, 30)[:33], "damaged"),
    "junk": ("junk.png", lambda t: os.urandom(2000), "not a PNG, JPEG or GIF"),
    "text": ("notes.png", lambda t: b"not a picture\n", "not a PNG, JPEG or GIF"),
    "CMYK": ("print.jpg", lambda t: made(t, mode="CMYK", kind="JPEG"), "CMYK"),
    "no extension": ("picture", lambda t: made(t), "does not end in .png"),
    "a PNG named .jpg": ("photo.jpg", lambda t: made(t), "does not end in .png"),
    "a JPEG named .png": ("photo.png", lambda t: made(t, kind="JPEG"), "does not end in .jpg"),
    "a BMP": ("x.bmp", lambda t: made(t, kind="BMP"), "not a PNG, JPEG or GIF"),
    "turned by EXIF": ("turned.jpg", lambda t: made(t, kind="JPEG", orientation=6), "orientation 6"),
}


@pytest.mark.parametrize("case", PICTURES_REFUSED)
def test_a_picture_no_writer_can_use_is_refused_with_the_line(tmp_path, case):
    name, data, message = PICTURES_REFUSED[case]
    started = time.perf_counter()
    error = refused(image_source(tmp_path, name, data(tmp_path)))
    assert (error.diagnostic.line, message in error.diagnostic.message) == (BODY_LINE, True), str(error)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("name, kind, mode, orientation", [
    ("a.png", "PNG", "RGB", None), ("b.png", "PNG", "RGBA", None), ("c.png", "PNG", "L", None),
    ("d.jpg", "JPEG", "RGB", None), ("e.jpeg", "JPEG", "L", 1), ("f.gif", "GIF", "P", None),
    ("G.PNG", "PNG", "P", None),
    ("with space é.png", "PNG", "RGB", None),
])
def test_pictures_every_writer_can_use_are_accepted(tmp_path, name, kind, mode, orientation):
    doc = read(image_source(tmp_path, name, made(tmp_path, kind=kind, mode=mode, orientation=orientation)))
    assert doc.images[0].path.name == name


# -- 5. text that breaks a writer ------------------------------------------------------

@pytest.mark.parametrize("pasted", ["\x0b", "\x0c", "\u2028", "\u2029", "\x85"])
def test_a_pasted_line_break_is_a_space_and_keeps_the_line_numbers(tmp_path, pasted):
    doc = body(tmp_path, f"One{pasted}two.\n\nThree.")
    assert [(b.text, b.line) for b in doc.sections[0].blocks] == [("One two.", BODY_LINE), ("Three.", BODY_LINE + 2)]


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f", "\x9b", "\ufffe", "\uffff", "\ufdd0",
                                       "\U0001fffe", "\U0010ffff"])
def test_an_invisible_character_is_refused_with_its_line(tmp_path, character):
    error = refused(source(tmp_path, FRONT + "\nFine.\n\nBad" + character + "word.\n"))
    assert (error.diagnostic.line, f"U+{ord(character):04X}" in error.diagnostic.message) == (BODY_LINE + 2, True)


@pytest.mark.parametrize("escape", ["\\ud800", "\\x01", "\\x1b", "\\uFFFE", "\\0"])
def test_an_invisible_character_from_a_yaml_escape_is_refused(tmp_path, escape):
    assert refused(front(tmp_path, f'subject: "a{escape}b"')).diagnostic.line == 6


def test_a_byte_that_makes_a_lone_surrogate_is_not_utf8(tmp_path):
    path = tmp_path / "guide.md"
    path.write_bytes(FRONT.encode() + b"\nA \xed\xa0\x80 b.\n")
    assert "not UTF-8" in refused(path).diagnostic.message


LONG = "word " * 60


@pytest.mark.parametrize("line", [f"title: {LONG}", f"description: {LONG}", f"subtitle: {LONG}",
                                  f"keywords: [{', '.join(['keyword'] * 40)}]",
                                  f"authors: [{', '.join(['An Author'] * 30)}]",
                                  f"publisher: {LONG}", f"subject: {LONG}"])
def test_a_document_property_over_255_characters_is_refused_with_the_line(tmp_path, line):
    key = line.split(":")[0]
    text = FRONT.replace("title: T\n", "").replace("publisher: P\n", "")
    text = text.replace("---\n", f"---\ntitle: T\npublisher: P\n{line}\n", 1)
    if key in ("title", "publisher"):
        text = text.replace(f"{key}: {key[0].upper()}\n", "", 1)
    error = refused(source(tmp_path, text + "\nWords.\n"))
    assert "255" in error.diagnostic.message and error.diagnostic.line > 1


@pytest.mark.parametrize("text, line", [
    ("—", BODY_LINE), ("...", BODY_LINE), (".", BODY_LINE), ("##", BODY_LINE), ("## ...", BODY_LINE),
    ("### —", BODY_LINE), ("- —", BODY_LINE), ("1. .", BODY_LINE), ("> …", BODY_LINE), ("**—**", BODY_LINE),
    ("::: callout ...\nWords.\n:::", BODY_LINE), ("[ ](https://example.org)", BODY_LINE),
])
def test_a_block_that_speaks_as_nothing_is_refused(tmp_path, text, line):
    error = refused(source(tmp_path, FRONT + "\n" + text + "\n"))
    assert ("has no words" in error.diagnostic.message, error.diagnostic.line) == (True, line), str(error)


@pytest.mark.parametrize("field", ["title", "subtitle", "publisher"])
@pytest.mark.parametrize("value", ["'—'", "'...'", "'.'", "'?!'"])
def test_a_title_that_speaks_as_nothing_is_refused(tmp_path, field, value):
    text = FRONT.replace("title: T\n", "title: T\nsubtitle: S\n")
    text = text.replace(f"{field}: {field[0].upper()}\n", f"{field}: {value}\n")
    assert "has no words" in refused(source(tmp_path, text + "\nWords.\n")).diagnostic.message


@pytest.mark.parametrize("size", [201, 10_000, 100_000])
def test_an_unbroken_token_is_refused_quickly(tmp_path, size):
    started = time.perf_counter()
    error = refused(source(tmp_path, FRONT + "\nA " + "x" * size + " b.\n"))
    assert (error.diagnostic.line, f"{size} characters" in error.diagnostic.message) == (BODY_LINE, True)
    assert time.perf_counter() - started < 2


def test_a_long_word_under_the_limit_is_kept(tmp_path):
    word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch-" * 3
    assert body(tmp_path, f"A {word} b.").sections[0].blocks[0].text == f"A {word} b."


@pytest.mark.parametrize("depth, message", [(2, "a quote inside a quote"), (5, "a quote inside a quote"),
                                            (20, "past the Markdown parser's limit"),
                                            (60, "past the Markdown parser's limit")])
def test_a_nested_quote_is_named_as_such(tmp_path, depth, message):
    error = refused(source(tmp_path, FRONT + "\n" + "> " * depth + "deep\n"))
    assert (error.diagnostic.line, message in error.diagnostic.message) == (BODY_LINE, True), str(error)


@pytest.mark.parametrize("text", ['[Note]: remember "to smile"', "[1]: https://example.org", "[a]: <b>",
                                  '  [Important]: always "on their back"'])
def test_a_line_that_would_vanish_as_a_link_definition_is_refused(tmp_path, text):
    error = refused(source(tmp_path, FRONT + "\nBefore.\n\n" + text + "\n"))
    assert (error.diagnostic.line, "would vanish" in error.diagnostic.message) == (BODY_LINE + 2, True)


@pytest.mark.parametrize("first, start", [("0", 0), ("1", 1), ("5", 5), ("007", 7)])
def test_a_numbered_list_keeps_its_first_number(tmp_path, first, start):
    block = body(tmp_path, f"{first}. one\n{int(first) + 1}. two").sections[0].blocks[0]
    assert (block.ordered, block.start, len(block.items)) == (True, start, 2)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80))
def test_any_pasted_text_is_read_or_refused_never_a_crash(tmp_path, text):
    try:
        doc = body(tmp_path, text)
    except SourceError as error:
        assert error.diagnostic.line >= 1, str(error)
        return
    for section in doc.sections:
        for block in section.blocks:
            assert any(c.isalnum() for c in getattr(block, "text", "x") or "x")


# -- 7. environment faults -----------------------------------------------------------------

def project(tmp_path: Path) -> Path:
    source(tmp_path, FRONT + "\nWords.\n", "source/guide.md")
    return tmp_path


def test_an_output_folder_that_is_a_file_exits_3(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(project(tmp_path))
    (tmp_path / "out").write_text("a file")
    assert cli.main(["build", "--formats", "docx", "--output", "out", "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "is a file" in err and "a bug" not in err


@pytest.mark.parametrize("epoch", ["abc", "1e9", "-5", "99999999999", "1.5", " 100", "0x10"])
def test_a_malformed_source_date_epoch_exits_3(tmp_path, monkeypatch, capsys, epoch):
    monkeypatch.chdir(project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert cli.main(["build", "--formats", "docx", "--quiet"]) == 3
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"),
                                         (errno.EACCES, "permission denied"), (errno.EDQUOT, "quota")])
def test_a_disk_that_refuses_writes_exits_3_and_keeps_earlier_outputs(tmp_path, monkeypatch, capsys, code, words):
    monkeypatch.chdir(project(tmp_path))
    assert cli.main(["build", "--formats", "docx", "--quiet"]) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(args[1] if len(args) > 1 else args[0]))

    monkeypatch.setattr("publisher.files.os.replace", refuse)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # new inputs, so the build writes
    assert cli.main(["build", "--formats", "docx", "--quiet"]) == 3
    assert words in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()} == before


# -- 8. the manifest is verified, not trusted -------------------------------------------------

@pytest.mark.parametrize("manifest", ["not json", "[]", "5", '{"docx": 5}', '{"docx": {"inputs": 5, "files": ["a"]}}',
                                      '{"docx": {"inputs": "x", "files": "a"}}', '{"docx": {"inputs": "x"}}',
                                      '{"docx": {"inputs": "x", "files": ["missing.docx"]}}',
                                      '{"docx": {"inputs": "x", "files": ["empty.docx"]}}',
                                      '{"docx": {"inputs": "x", "files": []}}',
                                      '{"docx": {"inputs": "x", "files": ["a"], "warnings": [{"bad": 1}]}}'])
def test_a_manifest_of_the_wrong_shape_or_with_missing_files_means_build_again(tmp_path, manifest):
    (tmp_path / MANIFEST).write_text(manifest)
    (tmp_path / "empty.docx").write_bytes(b"")
    assert Manifest(tmp_path).complete("docx") is None


def test_an_output_emptied_by_something_else_is_built_again(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path))
    assert cli.main(["build", "--formats", "docx", "--quiet"]) == 0
    leaflet = tmp_path / "output" / "guide" / "guide-leaflet.docx"
    good = leaflet.read_bytes()
    leaflet.write_bytes(b"")
    assert cli.main(["build", "--formats", "docx", "--quiet"]) == 0
    assert leaflet.read_bytes() == good
    manifest = json.loads((tmp_path / "output" / "guide" / MANIFEST).read_text())
    assert "guide-leaflet.docx" in manifest["docx"]["files"]


# -- 9. watch survives ---------------------------------------------------------------------

def test_watch_survives_every_kind_of_error_and_builds_the_fix(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(project(tmp_path))
    failures = iter([SourceError("source/guide.md", 3, "mid-edit"), EnvironmentFault("disk full"),
                     RuntimeError("a bug"), OSError(errno.EIO, "gone")])
    built = []

    def flaky_build(args):
        failure = next(failures, None)
        if failure:
            raise failure
        built.append(True)
        return 0

    def polls(folder, rebuild, **kwargs):
        for _ in range(5):
            rebuild()

    monkeypatch.setattr(cli, "command_build", flaky_build)
    monkeypatch.setattr("publisher.watch.watch", polls)
    args = argparse.Namespace()
    assert cli.command_watch(args) == 0
    err = capsys.readouterr().err
    assert built == [True]
    for seen in ("mid-edit", "disk full", "a bug, not a problem", "gone"):
        assert seen in err


# -- 10. a Windows editor's file -------------------------------------------------------------

def test_a_byte_order_mark_builds(tmp_path):
    path = tmp_path / "guide.md"
    path.write_bytes(b"\xef\xbb\xbf" + (FRONT + "\r\nWords.\r\n").replace("\n", "\r\n").encode())
    doc = read(path)
    assert (doc.meta.title, doc.sections[0].blocks[0].text) == ("T", "Words.")


def test_a_byte_order_mark_in_the_house_style_and_local_details(tmp_path):
    (tmp_path / "house-style.yaml").write_bytes(b"\xef\xbb\xbfvoice_unused: 1\n".replace(b"voice_unused: 1",
                                                                                       b"organisation: Hub"))
    assert load_style(tmp_path)["organisation"] == "Hub"
    (tmp_path / "hub.yaml").write_bytes(b"\xef\xbb\xbfservice: Hub\r\n")
    assert load_local(tmp_path / "hub.yaml").service == "Hub"
