"""Writing outputs safely: complete files only, one build per folder at a time."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_SUFFIX = ".partial"


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place on success.

    The rename is atomic on the same file system, so a reader (or a printer
    queue) sees either yesterday's complete file or today's, never half of one.
    On any failure the temporary file is removed and the old file stays.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if not temporary.exists() or temporary.stat().st_size == 0:
            raise RuntimeError(f"the writer produced no {target.name}")
        # mkstemp makes private files; outputs are for sharing (a web server, a colleague).
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> Path:
    with replacing(target) as temporary:
        temporary.write_bytes(data)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder for the length of a build.

    Two builds started at once take turns instead of interleaving their
    renames. While the lock is held, any partial file left by a build that was
    killed outright (SIGKILL cannot be caught) is known to be stale: remove it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in folder.rglob(f".*{PARTIAL_SUFFIX}"):
            stale.unlink(missing_ok=True)
        yield
