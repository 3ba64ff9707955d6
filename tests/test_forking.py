"""Publications written at once in forked processes: results in order, failures as the child raised them."""

from __future__ import annotations

import os

import pytest

from publisher.diagnostics import SourceError
from publisher.forking import in_forked_processes


def square_in_a_child(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_back_in_order_from_other_processes():
    results = in_forked_processes(square_in_a_child, [3, 1, 4, 1, 5], limit=2)
    assert [value for value, _ in results] == [9, 1, 16, 1, 25]
    assert os.getpid() not in {pid for _, pid in results}, "the function ran in this process, not a child"


def test_bad_input_in_a_child_is_bad_input_here():
    def refuse(number: int) -> int:
        if number == 2:
            raise SourceError("source/x.md", 7, "a broken table", "close its last row")
        return number

    with pytest.raises(SourceError) as caught:
        in_forked_processes(refuse, [1, 2, 3], limit=2)
    assert (caught.value.diagnostic.file, caught.value.diagnostic.line) == ("source/x.md", 7)
    assert caught.value.diagnostic.hint == "close its last row"


def test_a_bug_in_a_child_carries_its_trace():
    def fail(number: int) -> int:
        if number:
            raise ZeroDivisionError(f"bug {number}")
        return number

    with pytest.raises(ZeroDivisionError, match="bug 1") as caught:  # the first in the items' order
        in_forked_processes(fail, [0, 1, 2], limit=2)
    assert any("in fail" in note for note in caught.value.__notes__)


def test_a_child_that_dies_is_a_failure_not_a_missing_result():
    def die(number: int) -> int:
        os._exit(9)

    with pytest.raises(RuntimeError, match="exit status 9"):
        in_forked_processes(die, [1], limit=1)
