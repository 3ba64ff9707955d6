"""The marker table in conftest.py names real files, fixtures and tests: a renamed
fixture would otherwise quietly let a slow test into ``make test-fast``."""

from __future__ import annotations

import re
from fnmatch import fnmatch

import pytest

from conftest import MARKS, ROOT

ENTRIES = [(file, key) for file, keys in MARKS.items() for key in keys]


@pytest.mark.parametrize("file, key", ENTRIES, ids=[f"{file}:{key}" for file, key in ENTRIES])
def test_each_marks_entry_names_a_fixture_or_test_of_its_file(file, key):
    path = ROOT / "tests" / file
    assert path.is_file(), f"MARKS names {file}, which is not in tests/"
    defined = re.findall(r"^def (\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert key == "*" or any(fnmatch(name, key) for name in defined), f"{file}: '{key}' matches no fixture or test"


def test_the_markers_are_registered(pytestconfig):
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {"slow", "validator"} <= registered
