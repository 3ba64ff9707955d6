"""``publisher watch``: rebuild whenever a file under source/ is saved.

Polling once a second needs no extra dependency and works the same on every
system and on network drives; the build's manifest makes each rebuild redo
only the formats whose inputs changed. Each rebuild runs in this one
process, which keeps what the first build loaded (the libraries, the fonts
registered with reportlab, the code's hash), so an edit costs its work, not
Python's start-up: see bench/README.md for what an edit costs under watch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

Snapshot = dict[Path, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Each file's modification time and size (a save changes one or both)."""
    found: Snapshot = {}
    try:
        paths = list(folder.rglob("*"))
    except OSError:  # the folder itself moved or renamed mid-save: the next poll sees it
        return found
    for path in paths:
        try:
            if path.is_file() and not path.name.startswith("."):  # editors' swap and lock files
                stat = path.stat()
                found[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # deleted between listing and looking: the next poll sees it
            continue
    return found


def watch(folder: Path, rebuild: Callable[[], None], interval: float = 1.0,
          polls: int | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Call ``rebuild`` once now and again after every change; ``polls`` bounds it (for tests)."""
    seen = snapshot(folder)
    rebuild()
    count = 0
    while polls is None or count < polls:
        sleep(interval)
        count += 1
        now = snapshot(folder)
        if now != seen:
            seen = now
            rebuild()
