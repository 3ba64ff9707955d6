"""Publications written at once in forked processes: results in order, failures as the child raised them."""

from __future__ import annotations

import os
from pathlib import Path

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


def test_children_end_when_the_build_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = f"""
import os, time
from pathlib import Path
from publisher.forking import in_forked_processes

def linger(number):
    Path({str(tmp_path)!r}, f"{{number}}.pid").write_text(str(os.getpid()))
    time.sleep(60)

in_forked_processes(linger, [1, 2], limit=2)
"""
    build = subprocess.Popen([sys.executable, "-c", script])
    pids = [tmp_path / "1.pid", tmp_path / "2.pid"]
    deadline = time.monotonic() + 30
    while not all(p.exists() and p.read_text() for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = [int(p.read_text()) for p in pids]
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if alive(pid)], "a child wrote on after its build was killed"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # An exited child of a killed parent is reaped by init at once; a zombie counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False
