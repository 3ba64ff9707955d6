"""Run one function over several items at once, each in a process forked from this one.

Forked, not spawned: a child starts with everything the parent has read,
checked and imported (reportlab, python-docx, the fonts), so it costs the
work, not Python's start-up. Plain ``os.fork`` rather than a
multiprocessing pool, for two reasons: a pool's workers are daemonic and may
not have children, but the audio writer forks its speech engine; and a pool
pickles its arguments, while a forked child simply has them.

Each child hands back its result (or what went wrong) in a file: a pipe
holds 64 kB, and a child blocked writing to one would never end. The results
come back in the items' order, whatever order the children finish in.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from .diagnostics import SourceError

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_forked_processes(function: Callable[[Item], Result], items: Sequence[Item], limit: int) -> list[Result]:
    """``[function(item) for item in items]``, at most ``limit`` at a time in
    forked children. The first item's failure (in the items' order) is raised
    here as the child raised it: bad input stays bad input, a full disk a full
    disk, and a bug carries the child's traceback as a note."""
    outcomes: dict[int, tuple[str, object, str]] = {}
    running: dict[int, tuple[int, Path]] = {}  # pid -> (index, where its outcome is written)
    with tempfile.TemporaryDirectory(prefix="publisher-") as folder:
        pending = list(enumerate(items))
        try:
            while pending or running:
                while pending and len(running) < max(limit, 1):
                    index, item = pending.pop(0)
                    path = Path(folder) / f"{index}.pickle"
                    running[_fork(function, item, path)] = (index, path)
                pid, status = os.wait()
                if pid not in running:  # not one of ours (cannot happen: the build starts no others meanwhile)
                    continue
                index, path = running.pop(pid)
                outcomes[index] = _outcome(path, status)
        finally:
            for pid in running:  # interrupted (Ctrl+C, SIGTERM): the children clean up their half-written files
                os.kill(pid, signal.SIGTERM)
            for pid in running:
                os.waitpid(pid, 0)
    for index in range(len(items)):
        kind, value, trace = outcomes[index]
        if kind != "ok":
            raise _rebuilt(kind, value, trace)
    return [outcomes[index][1] for index in range(len(items))]  # type: ignore[misc]


def _fork(function: Callable[[Item], Result], item: Item, path: Path) -> int:
    for stream in (sys.stdout, sys.stderr):  # else the child would print the parent's buffered lines again
        stream.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        _die_with(parent)
        try:
            outcome: tuple[str, object, str] = ("ok", function(item), "")
        except SourceError as error:
            outcome = ("source", error.diagnostic, "")
        except BaseException as error:  # noqa: BLE001 — every failure goes back to the parent
            outcome = ("error", error, traceback.format_exc())
        try:
            data = pickle.dumps(outcome)
        except Exception:  # an exception that cannot be pickled: its trace still can
            data = pickle.dumps(("error", RuntimeError(str(outcome[1])), outcome[2]))
        path.write_bytes(data)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 — the parent finds no outcome and says so
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code, nor run its exit handlers


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """A build killed outright (SIGKILL) must not leave its children writing on
    as orphans: on Linux the kernel sends this child SIGTERM when the parent
    ends (the build's handler turns it into an exit that removes half-written
    files). If the parent ended before the request (killed between the fork and
    here), this child has a new parent already, and ends at once."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def _outcome(path: Path, status: int) -> tuple[str, object, str]:
    try:
        outcome: tuple[str, object, str] = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        signalled = os.WIFSIGNALED(status) and signal.Signals(os.WTERMSIG(status)).name
        return ("error", RuntimeError(f"a build process ended without a result "
                                      f"({signalled or f'exit status {os.waitstatus_to_exitcode(status)}'})"), "")
    return outcome


def _rebuilt(kind: str, value: object, trace: str) -> BaseException:
    if kind == "source":
        diagnostic = value
        return SourceError(diagnostic.file, diagnostic.line, diagnostic.message, diagnostic.hint)  # type: ignore
    error = value if isinstance(value, BaseException) else RuntimeError(str(value))
    if trace:
        error.add_note(f"in the build process for one publication:\n{trace}")
    return error
