"""Shared fixtures: the guidance read once, and each format built once per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import build
from publisher.reader import read
from publisher.text import document_words, missing_in_order, words

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "infant-mental-health.md"
SLUG = SOURCE.stem


@pytest.fixture(scope="session")
def document():
    return read(SOURCE)


@pytest.fixture(scope="session")
def build_output(tmp_path_factory):
    """``build_output("pdf", …)`` builds those formats of the guidance into a
    temporary output folder shared by the test run and returns output/<slug>/.
    The build itself skips what is up to date, and rebuilds a format when an
    earlier one it uses appears (the EPUB's read-aloud edition after the audio)."""
    output = tmp_path_factory.mktemp("output")
    cache = tmp_path_factory.mktemp("cache")

    def ensure(*formats: str) -> Path:
        build([SOURCE], list(formats), output, cache_dir=cache)
        return output / SLUG

    return ensure


def assert_words_in_order(document, extracted_text: str, where: str = "") -> None:
    """Every word of the source arrives, in order, in the text taken back out of a file."""
    expected = document_words(document)
    missing = missing_in_order(expected, words(extracted_text))
    assert not missing, f"{where}: {len(missing)} of {len(expected)} source words missing or out of order, first: {missing[:10]}"
