"""Writing outputs safely: complete files only, one build per folder at a time."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import EnvironmentFault

PARTIAL_SUFFIX = ".partial"
LOCK_NAME = ".lock"


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it into place on success.

    The rename is atomic on the same file system, so a reader (or a printer
    queue) sees either yesterday's complete file or today's, never half of one.
    On any failure the temporary file is removed and the old file stays.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.parent.is_symlink():
        raise EnvironmentFault(f"{target.parent} is a link to another folder; outputs are written only into "
                               "real folders, so nothing of yours is replaced. Remove the link")
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


def check_output_folder(folder: Path) -> None:
    """Refuse, before anything is written, an output folder the build cannot
    use safely: a file where a folder should be, a folder that cannot be
    written, or one that is (or holds, like audio/) a link to another folder,
    whose files a build would replace or delete. The top output folder itself
    may be a link (to a shared drive, say)."""
    for ancestor in (folder, *folder.parents):
        if ancestor.exists() and not ancestor.is_dir():
            raise EnvironmentFault(f"the output folder {folder} cannot be made: {ancestor} is a file")
    if folder.is_symlink():
        raise EnvironmentFault(f"the output folder {folder} is a link to another folder; remove the link")
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        if entry.is_symlink() and entry.is_dir():
            raise EnvironmentFault(f"{entry} is a link to another folder; outputs are written only into real "
                                   "folders, so nothing of yours is replaced or deleted. Remove the link")
    handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-test.", suffix=PARTIAL_SUFFIX)
    os.close(handle)
    os.unlink(probe)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder for the length of a build.

    Two builds started at once take turns instead of interleaving their
    renames. While the lock is held, any partial file left by a build that was
    killed outright (SIGKILL cannot be caught) is known to be stale: remove it.
    The lock file is opened without following a link and without truncating,
    so a link planted in its place empties nothing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    if path.is_symlink():
        path.unlink()  # removes the link only, never what it points to
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        for root, _, names in os.walk(folder):  # os.walk does not enter linked folders
            for name in names:
                stale = Path(root, name)
                if name.startswith(".") and name.endswith(PARTIAL_SUFFIX) and not stale.is_symlink():
                    stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(handle)
