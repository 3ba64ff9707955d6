"""Property-based tests: the reader never crashes, and the writers keep every word.

Budgets are set per test (``max_examples``) so the suite stays quick; raise them
locally with ``HYPOTHESIS_PROFILE=deep`` to search harder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import assert_every_word_arrives
from publisher.build import build
from publisher.diagnostics import SourceError
from publisher.reader import read

settings.register_profile("deep", max_examples=500, deadline=None)
# In make test the generated documents are the same every run (derandomize),
# so CI judges the code, not the luck of a draw, and a failing build is
# reported as found, not shrunk (that rebuilds every format for minutes).
# HYPOTHESIS_PROFILE=deep explores at random, 500 documents, and shrinks.
ALL_PHASES = tuple(Phase)
NO_SHRINKING = tuple(phase for phase in Phase if phase is not Phase.shrink)
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
FRONT = "---\ntitle: Fuzzed guidance\nlanguage: en-GB\npublisher: Fuzz Press\n---\n\n"

# Words from several scripts, with combining marks and apostrophes, but no
# Markdown punctuation: the constructs themselves are generated below.
LETTERS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHXYZéüßøçñ") + ["e\u0301", "ŵ"])
WORD = st.lists(LETTERS, min_size=1, max_size=12).map("".join)
OTHER_SCRIPT_WORD = st.sampled_from(["привет", "γειά", "שלום", "مرحبا", "नमस्ते", "你好", "😀"])
# A sentence starts with a word of letters: a paragraph of only an emoji is refused
# by the reader (it has no words), which the reader's own tests above cover.
SENTENCE = st.tuples(WORD, st.lists(st.one_of(WORD, WORD, WORD, OTHER_SCRIPT_WORD), max_size=13)).map(
    lambda ws: " ".join([ws[0], *ws[1]]).capitalize() + ".")


@st.composite
def inline(draw) -> str:
    text = draw(SENTENCE)
    words = text.split(" ")
    if len(words) > 2 and draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 2))
        marker = draw(st.sampled_from(["**", "*"]))
        words[i] = f"{marker}{words[i]}{marker}"
    if len(words) > 2 and draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 2))
        words[i] = f"[{words[i]}](https://example.org/{i})"
    return " ".join(words)


@st.composite
def block(draw) -> str:
    kind = draw(st.sampled_from(["paragraph", "bullets", "numbers", "quote", "callout", "heading"]))
    if kind == "paragraph":
        return " ".join(draw(st.lists(inline(), min_size=1, max_size=4)))
    if kind in ("bullets", "numbers"):
        items = draw(st.lists(inline(), min_size=1, max_size=5))
        return "\n".join(f"{'-' if kind == 'bullets' else f'{n}.'} {item}" for n, item in enumerate(items, 1))
    if kind == "quote":
        lines = [f"> {p}\n>" for p in draw(st.lists(inline(), min_size=1, max_size=3))]
        return "\n".join(lines) + f"\n> — {draw(SENTENCE)}"
    if kind == "callout":
        return f"::: callout {draw(SENTENCE)}\n{draw(inline())}\n:::"
    return f"### {draw(SENTENCE)}"


@st.composite
def markdown_document(draw) -> str:
    parts = [draw(block()) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(0, 3))):
        parts.append(f"## {draw(SENTENCE)}")
        parts += [draw(block()) for _ in range(draw(st.integers(1, 3)))]
    return FRONT + "\n\n".join(parts) + "\n"


@settings(max_examples=500 if DEEP else 150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=not DEEP)
@given(text=st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400),
    # Markdown's own punctuation, densely, to reach every construct and its edges.
    st.lists(st.sampled_from(list("#*_>-:[]()!`<>|=+.1a \n\t—\"'~")
                             + ["::: callout ", "\n:::\n", "](", "<!--", "-->", "![x](", "\n\n", "1. ", "- "]),
             max_size=120).map("".join),
))
def test_the_reader_raises_only_its_own_error_on_any_text(tmp_path, text):
    path = tmp_path / "any.md"
    path.write_text(FRONT + text, encoding="utf-8")
    try:
        read(path)
    except SourceError as error:
        assert str(error).startswith(f"{path}:") or "any.md:" in str(error)


@settings(max_examples=500 if DEEP else 150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=not DEEP)
@given(data=st.binary(max_size=300))
def test_the_reader_raises_only_its_own_error_on_any_bytes(tmp_path, data):
    path = tmp_path / "bytes.md"
    path.write_bytes(data)
    with contextlib.suppress(SourceError):
        read(path)


@pytest.mark.slow
@settings(max_examples=200 if DEEP else 25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=ALL_PHASES if DEEP else NO_SHRINKING, derandomize=not DEEP)
@given(source=markdown_document())
def test_every_writer_keeps_every_word_of_any_document(tmp_path_factory, source):
    root = Path(tmp_path_factory.mktemp("fuzz"))
    path = root / "fuzzed.md"
    path.write_text(source, encoding="utf-8")
    summary = build([path], ["docx", "pdf", "epub"], root / "output", cache_dir=root / "cache")
    assert_every_word_arrives(read(path), root / "output" / "fuzzed", summary.warnings)
