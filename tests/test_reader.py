"""The reader: the guidance as a model, and every kind of bad input refused by file and line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from publisher.diagnostics import SourceError
from publisher.model import Callout, ListBlock, Paragraph, Quote
from publisher.reader import read
from publisher.text import document_words, missing_in_order, words

SEED = ROOT.parent / "shared" / "seeds" / "infant-mental-health.txt"
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


@pytest.mark.skipif(not SEED.exists(), reason="the seed text lives in ../shared/seeds")
def test_every_word_of_the_seed_is_in_the_source_in_order(document):
    # List numbers are markers, not words: every format numbers lists its own way.
    seed = words(re.sub(r"(?m)^\s*\d+\.\s", "", SEED.read_text(encoding="utf-8")))
    assert missing_in_order(seed, document_words(document)) == []
    # …and nothing of substance was added: the front matter's subtitle is the only new text.
    extra = len(document_words(document)) - len(seed)
    assert 0 <= extra <= len(words(document.meta.subtitle))


def test_the_guidance_has_its_structure(document):
    assert document.meta.language == "en-GB"
    assert document.meta.publisher == "The Northamptonshire Baby Room Project"
    assert [s.title for s in document.sections] == [
        "Infant Mental Health", "Emotional Milestones", "Tuning into your baby"]
    blocks = [b for s in document.sections for b in s.blocks]
    quotes = [b for b in blocks if isinstance(b, Quote)]
    assert [q.attribution[0].text.split()[0] for q in quotes] == ["From", "Delegate", "Stephen", "Sue"]
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(l.ordered, len(l.items)) for l in lists] == [(False, 3), (True, 3)]
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

BAD = {
    "empty file": ("", 1, "the file is empty"),
    "no front matter": ("Just text.\n", 1, "no front matter"),
    "front matter not a mapping": ("---\n- a\n- b\n---\nText.\n", 2, "YAML mapping"),
    "unknown key": (FRONT.replace("publisher: P\n", "publisher: P\ncolour: red\n") + "\nText.\n", 5,
                    "unknown front-matter key 'colour'"),
    "wrong type": (FRONT.replace("title: T", "title: [a, b]") + "\nText.\n", 2, "'title' should be text"),
    "invalid language": (FRONT.replace("en-GB", "English") + "\nText.\n", 3, "not a language tag"),
    "invalid YAML": ("---\ntitle: T\nlanguage: en-GB\npublisher: [P\n---\nText.\n", 4, "YAML is not valid"),
    "missing title": ("---\nlanguage: en-GB\npublisher: P\n---\nText.\n", 1, "no 'title'"),
    "unknown container": (FRONT + "\nText.\n\n::: warning\nCareful.\n:::\n", 9, "unknown container '::: warning'"),
    "unclosed container": (FRONT + "\nText.\n\n::: callout Note\nCareful.\n", 9, "never closed"),
    "image without alt text": (FRONT + "\n![](images/dot.png)\n", 7, "has no alt text"),
    "missing image": (FRONT + "\n![A dot](images/none.png)\n", 7, "does not exist"),
    "image outside the source folder": (FRONT + "\n![Secrets](../../etc/passwd)\n", 7, "outside the source folder"),
    "image that is not an image": (FRONT + "\n![Notes](notes.txt)\n", 7, "is not a PNG, JPEG or GIF"),
    "raw HTML block": (FRONT + "\n<script>alert(1)</script>\n", 7, "raw HTML is not allowed"),
    "raw HTML inline": (FRONT + "\nText <b onclick='x()'>bold</b>.\n", 7, "raw HTML is not allowed"),
    "a level-1 heading": (FRONT + "\n# Title again\n", 7, "a '#' heading"),
    "no text": (FRONT, 1, "no text"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_is_refused_with_file_and_line(tmp_path, case):
    text, line, message = BAD[case]
    (tmp_path / "notes.txt").write_text("not an image")
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as raised:
        read(path)
    diagnostic = raised.value.diagnostic
    assert Path(diagnostic.file).name == "guide.md"
    assert (diagnostic.line, message in diagnostic.message) == (line, True), str(diagnostic)


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
