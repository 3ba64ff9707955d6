"""Run one function over several items at once, in processes forked from this one.

Forked, not spawned: a child starts with everything the parent has read,
checked and imported (reportlab, python-docx, the fonts), so it costs the
work, not Python's start-up. Plain ``os.fork`` rather than a
multiprocessing pool, for two reasons: a pool's workers are daemonic and may
not have children, but the audio writer forks its speech engine; and a pool
pickles its arguments, while a forked child simply has them.

One child per core, each taking every ``limit``-th item in turn, rather than a
child per item: what a writer keeps for its next document (Word templates,
fonts, shaped words) is then made once per child, not once per publication;
a child per publication spent half as much CPU again, on 20 publications.

Each child hands back its results (or what went wrong) in a file: a pipe
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
Outcome = tuple[str, object, str]  # ("ok", result, "") or (kind of failure, what, the child's traceback)


def in_forked_processes(function: Callable[[Item], Result], items: Sequence[Item], limit: int) -> list[Result]:
    """``[function(item) for item in items]`` in at most ``limit`` forked
    children. The first item's failure (in the items' order) is raised here as
    the child raised it: bad input stays bad input, a full disk a full disk,
    and a bug carries the child's traceback as a note. A child stops at its
    first failure, as a build in one process would."""
    workers = max(min(limit, len(items)), 1)
    outcomes: dict[int, Outcome] = {}
    running: dict[int, tuple[list[int], Path]] = {}  # pid -> (its items' indexes, where its outcomes are written)
    with tempfile.TemporaryDirectory(prefix="publisher-") as folder:
        try:
            for worker in range(workers):
                share = list(range(worker, len(items), workers))
                path = Path(folder) / f"{worker}.pickle"
                running[_fork(function, [(index, items[index]) for index in share], path)] = (share, path)
            while running:
                pid, status = os.wait()
                if pid not in running:  # not one of ours (the build starts no others meanwhile)
                    continue
                share, path = running.pop(pid)
                outcomes.update(_outcomes(path, status, share))
        finally:
            for pid in running:  # interrupted (Ctrl+C, SIGTERM): the children clean up their half-written files
                os.kill(pid, signal.SIGTERM)
            for pid in running:
                os.waitpid(pid, 0)
    for index in range(len(items)):
        kind, value, trace = outcomes[index]  # a child records every item up to its first failure
        if kind != "ok":
            raise _rebuilt(kind, value, trace)
    return [outcomes[index][1] for index in range(len(items))]  # type: ignore[misc]


def _fork(function: Callable[[Item], Result], share: list[tuple[int, Item]], path: Path) -> int:
    for stream in (sys.stdout, sys.stderr):  # else the child would print the parent's buffered lines again
        stream.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        _die_with(parent)
        done: dict[int, Outcome] = {}
        for index, item in share:
            done[index] = _run(function, item)
            if done[index][0] != "ok":
                break
        try:
            data = pickle.dumps(done)
        except Exception:  # an exception that cannot be pickled: its trace still can
            data = pickle.dumps({index: (kind, value if kind == "ok" else RuntimeError(str(value)), trace)
                                 for index, (kind, value, trace) in done.items()})
        path.write_bytes(data)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 — the parent finds no outcome and says so
        status = 1
    finally:
        os._exit(status)  # never return into the parent's code, nor run its exit handlers


def _run(function: Callable[[Item], Result], item: Item) -> Outcome:
    try:
        return ("ok", function(item), "")
    except SourceError as error:
        return ("source", error.diagnostic, "")
    except BaseException as error:  # noqa: BLE001 — every failure goes back to the parent
        return ("error", error, traceback.format_exc())


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


def _outcomes(path: Path, status: int, share: list[int]) -> dict[int, Outcome]:
    try:
        done: dict[int, Outcome] = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        signalled = os.WIFSIGNALED(status) and signal.Signals(os.WTERMSIG(status)).name
        failure = RuntimeError(f"a build process ended without a result "
                               f"({signalled or f'exit status {os.waitstatus_to_exitcode(status)}'})")
        return {index: ("error", failure, "") for index in share}
    return done


def _rebuilt(kind: str, value: object, trace: str) -> BaseException:
    if kind == "source":
        diagnostic = value
        return SourceError(diagnostic.file, diagnostic.line, diagnostic.message, diagnostic.hint)  # type: ignore
    error = value if isinstance(value, BaseException) else RuntimeError(str(value))
    if trace:
        error.add_note(f"in the build process for one publication:\n{trace}")
    return error
