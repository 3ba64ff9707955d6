"""Cases kept as readable files beside the tests, input next to expected output
(as markdown-it-py keeps its fixtures): an editor can read, add or correct a
case without reading Python.

- tests/fixtures/speech.txt: "printed → heard", one case a line.
- tests/fixtures/reader-errors.txt: a bad source and the error it must give.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from publisher.diagnostics import SourceError
from publisher.reader import read
from publisher.speech import spoken

ARROW = " → "
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


def speech_cases(path: Path) -> list[tuple[str, str]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.count(ARROW) != 1:
            raise ValueError(f"{path.name}:{number}: expected 'printed{ARROW}heard'")
        printed, heard = line.split(ARROW)
        cases.append((printed.strip(), heard.strip()))
    return cases


def dotted_cases(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it-py's fixture layout: a name line, then input and expected output,
    each closed by a line holding only "."; "#" lines between cases are comments."""
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    cases = []
    for name in lines:
        if not name.strip() or name.startswith("#"):
            continue
        if next(lines, None) != ".":
            raise ValueError(f"{path.name}: case '{name}' must be followed by a line '.'")
        parts = []
        for _ in range(2):
            part = []
            for line in lines:
                if line == ".":
                    break
                part.append(line)
            else:
                raise ValueError(f"{path.name}: case '{name}' is not closed by a line '.'")
            parts.append("\n".join(part))
        cases.append((name, *parts))
    return cases


SPEECH = speech_cases(FIXTURES / "speech.txt")
READER_ERRORS = dotted_cases(FIXTURES / "reader-errors.txt")


@pytest.mark.parametrize("printed, heard", SPEECH, ids=[printed for printed, _ in SPEECH])
def test_printed_text_is_spoken_as_the_fixture_says(printed, heard):
    assert spoken(printed) == heard


@pytest.mark.parametrize("name, source, expected", READER_ERRORS, ids=[name for name, _, _ in READER_ERRORS])
def test_a_bad_source_gives_the_error_the_fixture_says(tmp_path, name, source, expected):
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "dot.png").write_bytes(PNG)
    path = tmp_path / "guide.md"
    path.write_text(source + "\n" if source else "", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        read(path)
    diagnostic = raised.value.diagnostic
    assert Path(diagnostic.file).name == "guide.md"
    said = f"{diagnostic.line}: {diagnostic.message}"
    if expected.endswith("…"):
        assert said.startswith(expected[:-1]), said
    else:
        assert said == expected


def test_the_fixture_files_have_cases():
    # A layout slip (a missing ".") must not quietly leave a file with nothing to test.
    assert len(SPEECH) >= 10 and len(READER_ERRORS) >= 15
