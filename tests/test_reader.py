"""The reader: the guidance as a model, and every kind of bad input refused by file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from publisher.diagnostics import SourceError
from publisher.model import Callout, ListBlock, Paragraph, Quote
from publisher.reader import read

FRONT = "---\ntitle: T\nlanguage: en-GB\npublisher: P\n---\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def write(tmp_path: Path, text: str, name: str = "guide.md") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- the guidance -------------------------------------------------------------


def test_the_guidance_has_its_structure(document):
    assert document.meta.language == "en-GB"
    assert document.meta.publisher == "The Northamptonshire Baby Room Project"
    assert [s.title for s in document.sections] == [
        "Infant Mental Health", "Emotional Milestones", "Tuning into your baby"]
    blocks = [b for s in document.sections for b in s.blocks]
    quotes = [b for b in blocks if isinstance(b, Quote)]
    assert [q.attribution[0].text.split()[0] for q in quotes] == ["From", "Delegate", "Stephen", "Sue"]
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(found.ordered, len(found.items)) for found in lists] == [(False, 3), (True, 3)]
    callout = next(b for b in blocks if isinstance(b, Callout))
    assert callout.title == "Did you know...?" and len(callout.blocks) == 2
    assert document.meta.contact.address[-1] == "Northampton NN1 1ED"


def test_a_link_without_a_target_keeps_its_words_and_warns(document):
    link = next(b for s in document.sections for b in s.blocks
                if isinstance(b, Paragraph) and b.text == "Read the PDF here")
    assert link.runs[0].link == ""
    assert any("has no target yet" in w.message and w.line == link.line for w in document.warnings)


def test_emphasis_and_links_become_runs(tmp_path):
    doc = read(write(tmp_path, FRONT + "\nSome *gentle* and **strong** [words](https://example.org).\n"))
    runs = doc.sections[0].blocks[0].runs
    assert [(r.text, r.emphasis, r.strong, r.link) for r in runs] == [
        ("Some ", False, False, None), ("gentle", True, False, None), (" and ", False, False, None),
        ("strong", False, True, None), (" ", False, False, None),
        ("words", False, False, "https://example.org"), (".", False, False, None)]


def test_the_model_cannot_be_changed(document):
    with pytest.raises(AttributeError):
        document.sections[0].title = "changed"


def test_an_image_with_alt_text_inside_the_source_folder(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "dot.png").write_bytes(PNG)
    doc = read(write(tmp_path, FRONT + "\n![A single dot](images/dot.png)\n"))
    assert doc.images[0].alt == "A single dot"


def test_html_comments_are_editors_notes(tmp_path):
    doc = read(write(tmp_path, FRONT + "\n<!-- note to the editor -->\n\nText.\n"))
    assert [b.text for b in doc.sections[0].blocks] == ["Text."]


# -- bad input: one message, naming file and line ------------------------------

def test_a_file_that_is_not_utf8_names_the_byte_and_line(tmp_path):
    path = tmp_path / "guide.md"
    path.write_bytes((FRONT + "\nCaf").encode() + b"\xe9 au lait.\n")
    with pytest.raises(SourceError) as raised:
        read(path)
    assert raised.value.diagnostic.line == 7
    assert "byte 0xe9" in raised.value.diagnostic.message


def test_an_unreadable_file_is_bad_input(tmp_path):
    with pytest.raises(SourceError, match="cannot read the file"):
        read(tmp_path / "missing.md")


def test_a_skipped_heading_level_is_a_warning(tmp_path):
    doc = read(write(tmp_path, FRONT + "\n## Part\n\n#### Detail\n\nText.\n"))
    levels = [w for w in doc.warnings if "heading level" in w.message]
    assert [(w.line, "level 4 follows level 2" in w.message) for w in levels] == [(9, True)]
