"""The sources: the frozen copy of the guidance the tests read is the client's
text, and every live source/*.md builds with every word in every text format.

The live sources are what editors change, so they get no text-specific
assertions here; those read the frozen copy in tests/fixtures/guidance/.
"""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES, LIVE_SOURCES, assert_every_word_arrives
from publisher.build import build
from publisher.reader import read
from publisher.text import document_words, missing_in_order, words

# The client's text as it reached us (a copy of ../shared/seeds/infant-mental-health.txt,
# kept here so that no clone and no CI run can skip this test).
SEED = FIXTURES / "guidance" / "seed.txt"


def test_every_word_of_the_seed_is_in_the_guidance_in_order(document):
    # List numbers are markers, not words: every format numbers lists its own way.
    seed = words(re.sub(r"(?m)^\s*\d+\.\s", "", SEED.read_text(encoding="utf-8")))
    assert missing_in_order(seed, document_words(document)) == []
    # …and nothing of substance was added: the front matter's subtitle is the only new text.
    extra = len(document_words(document)) - len(seed)
    assert 0 <= extra <= len(words(document.meta.subtitle))


@pytest.mark.parametrize("source", LIVE_SOURCES, ids=[path.stem for path in LIVE_SOURCES])
def test_every_live_source_builds_with_every_word_in_every_text_format(source, tmp_path):
    summary = build([source], ["docx", "pdf", "epub"], tmp_path / "output", cache_dir=tmp_path / "cache")
    assert_every_word_arrives(read(source), tmp_path / "output" / source.stem, summary.warnings)


def test_there_is_a_live_source():
    assert LIVE_SOURCES, "source/ has no *.md: the smoke test above would test nothing"
