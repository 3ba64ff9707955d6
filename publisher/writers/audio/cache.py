"""Cache entries that are verified, not trusted.

Synthesised utterances and encoded pieces are kept by content address (the
hash of what went in), which says nothing about what is in the file now: an
entry cut short by a full disk, emptied, or overwritten by something else
would become silent, clipped or noisy audio in a build that exits 0. So each
entry starts with the SHA-256 of the bytes after it; an entry whose bytes do
not match (or that is too short to hold a digest) counts as missing, and the
caller makes it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ...files import replacing

DIGEST = 32  # bytes of SHA-256 at the start of every entry


def write(path: Path, data: bytes) -> None:
    """Store ``data`` with its digest, whole or not at all (renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        temporary.write_bytes(hashlib.sha256(data).digest() + data)


def read(path: Path) -> bytes | None:
    """The entry's bytes, or None when it is missing or does not match its digest."""
    try:
        stored = path.read_bytes()
    except FileNotFoundError:
        return None
    data = stored[DIGEST:]
    if len(stored) <= DIGEST or hashlib.sha256(data).digest() != stored[:DIGEST]:
        return None
    return data
