"""``publisher new``: a starter source that reads back cleanly and shows every
construct; and ``publisher watch``: a rebuild after each save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.model import Callout, ListBlock, Paragraph, Quote, walk
from publisher.quality.lint import lint
from publisher.reader import read
from publisher.watch import watch


@pytest.fixture
def starter(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "sleep-and-your-baby"]) == 0
    assert "source/sleep-and-your-baby.md" in capsys.readouterr().out
    return tmp_path / "source" / "sleep-and-your-baby.md"


def test_starter_reads_back_without_errors_or_warnings(starter):
    document = read(starter)
    assert document.warnings == ()
    assert document.meta.title == "Sleep and your baby"
    assert document.meta.language == "en-GB"
    assert document.meta.publisher  # from the house style
    assert document.meta.contact is not None


def test_starter_shows_every_construct(starter):
    document = read(starter)
    blocks = [block for section in document.sections for block in walk(section.blocks)]
    assert len(document.sections) >= 2 and document.sections[1].heading is not None
    quote = next(b for b in blocks if isinstance(b, Quote))
    assert quote.attribution  # the em-dash line became the attribution
    assert {b.ordered for b in blocks if isinstance(b, ListBlock)} == {True, False}
    assert any(isinstance(b, Callout) and b.title for b in blocks)
    assert any(run.link for b in blocks if isinstance(b, Paragraph) for run in b.runs)
    text = starter.read_text(encoding="utf-8")
    assert "<!--" in text and "![" in text and "](images/" in text  # the image, shown in a comment


def test_starter_passes_its_own_lint(starter):
    assert lint(read(starter)) == []


def test_new_refuses_to_overwrite(starter, capsys):
    starter.write_text("an editor's work", encoding="utf-8")
    assert main(["new", "sleep-and-your-baby"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert starter.read_text(encoding="utf-8") == "an editor's work"


def test_new_refuses_a_name_that_is_not_a_slug(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Sleep and Baby"]) == 2
    assert "sleep-and-baby" in capsys.readouterr().err
    assert not (tmp_path / "source").exists()


def test_watch_rebuilds_once_at_start_and_once_per_save(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("one", encoding="utf-8")
    rebuilds = []
    edits = iter([lambda: None, lambda: page.write_text("two words", encoding="utf-8"), lambda: None,
                  lambda: os.utime(page, ns=(0, 0))])

    def sleep(seconds):  # each "second" of waiting, the editor does the next thing
        next(edits)()

    watch(tmp_path, lambda: rebuilds.append(page.read_text(encoding="utf-8")), polls=4, sleep=sleep)
    assert rebuilds == ["one", "two words", "two words"]


def test_watch_ignores_editor_swap_files(tmp_path):
    rebuilds = []
    watch(tmp_path, lambda: rebuilds.append(1), polls=1,
          sleep=lambda seconds: Path(tmp_path / ".page.md.swp").write_text("x"))
    assert rebuilds == [1]
