"""What keeps builds fast and must not quietly regress: a build imports only
the libraries of the formats it writes (none for a no-change rebuild), and
several publications written at once in forked processes give the files,
summary and warnings of one after another."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.build import build

HEAVY = ("reportlab", "docx", "numpy", "pypdf", "pikepdf", "PIL", "fontTools", "lameenc", "pyttsx3")


def imported_by(args: list[str], cwd: Path, cache: Path) -> set[str]:
    """The heavy libraries a build in a fresh process imports."""
    script = ("import json, sys; from publisher.cli import main; code = main(sys.argv[1:]); "
              f"print(json.dumps([code] + sorted(n for n in {HEAVY!r} if n in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script, "build", "--quiet", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={"PUBLISHER_CACHE": str(cache), "PATH": "/usr/bin:/bin"})
    code, *names = json.loads(done.stdout.strip().splitlines()[-1])
    assert code == 0, done.stderr
    return set(names)


def test_a_build_imports_only_what_its_formats_need_and_a_rebuild_nothing(make_source, tmp_path):
    make_source("## A heading\n\nWords.\n", folder=tmp_path / "source")
    cache = tmp_path / "cache"
    assert imported_by(["--formats", "docx"], tmp_path, cache) == {"docx"}
    assert "reportlab" in imported_by(["--formats", "docx,pdf"], tmp_path, cache)
    assert imported_by(["--formats", "docx,pdf"], tmp_path, cache) == set(), "a no-change rebuild loaded a writer"


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def test_publications_written_at_once_are_those_written_in_turn(make_source, tmp_path):
    sources = [make_source(f"## Part {n}\n\nWords [to nowhere]().\n", folder=tmp_path / "source", slug=f"p{n}")
               for n in range(3)]
    summaries = {}
    for workers in (1, 2):
        summaries[workers] = build(sources, ["docx", "epub"], tmp_path / f"out{workers}",
                                   cache_dir=tmp_path / f"cache{workers}", workers=workers)
    one, two = summaries[1], summaries[2]
    assert [p.relative_to(tmp_path / "out1") for p in one.built] == \
        [p.relative_to(tmp_path / "out2") for p in two.built]
    assert one.warnings == two.warnings and len(one.warnings) >= 3, "each publication's warning, in order"
    assert digests(tmp_path / "out1") == digests(tmp_path / "out2")


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_input_found_before_any_publication_is_written(make_source, tmp_path, workers):
    from publisher.diagnostics import SourceError

    good = make_source("## Fine\n\nWords.\n", folder=tmp_path / "source", slug="good")
    bad = make_source("## Broken\n\n![](images/missing.png)\n", folder=tmp_path / "source", slug="bad")
    with pytest.raises(SourceError):
        build([good, bad], ["docx"], tmp_path / "out", cache_dir=tmp_path / "cache", workers=workers)
    assert not (tmp_path / "out" / "good").exists()


def test_yaml_is_read_by_libyaml_with_the_same_result_and_lines_as_the_pure_parser(monkeypatch):
    from publisher import sourcefiles
    from publisher.style import DEFAULTS

    text = DEFAULTS.read_text(encoding="utf-8")
    assert sourcefiles._fast_load(text, as_text=False) is not None, "the house style fell back to the slow parser"
    fast = sourcefiles.load_yaml_mapping(DEFAULTS, text)
    monkeypatch.setattr(sourcefiles, "_CLoader", None)
    assert sourcefiles.load_yaml_mapping(DEFAULTS, text) == fast


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x", "a: 1\na: 2", "a: " + "[" * 20 + "]" * 20, "a: [1\n"])
def test_yaml_that_breaks_a_rule_goes_to_the_pure_parser_for_its_message(text):
    from publisher import sourcefiles

    assert sourcefiles._fast_load(text, as_text=True) is None


def test_the_book_cover_is_drawn_once_and_kept_by_its_inputs(document, tmp_path, monkeypatch):
    import dataclasses

    from publisher import artwork
    from publisher.style import load_style

    style = load_style(document.source.parent)
    drawn = artwork.book_cover(document.meta, style, cache=tmp_path)
    assert drawn == artwork.book_cover(document.meta, style), "the cached cover differs from one drawn afresh"

    def draw_again(*args):
        raise AssertionError("drawn again, though nothing it is drawn from changed")

    monkeypatch.setattr(artwork, "_draw_book_cover", draw_again)
    assert artwork.book_cover(document.meta, style, cache=tmp_path) == drawn
    retitled = dataclasses.replace(document.meta, title="Another title")
    with pytest.raises(AssertionError, match="drawn again"):  # a new title is a new cover
        artwork.book_cover(retitled, style, cache=tmp_path)
