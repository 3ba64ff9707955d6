"""Zip packages that are the same bytes on every build (EPUB, Word, web zip).

Every entry is dated with the build date, in the order given, with fixed
attributes, so two builds of the same source give identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable

MEDIA = (".mp3", ".m4a", ".png", ".jpg", ".jpeg", ".gif", ".woff2", ".zip")


def already_compressed(name: str) -> bool:
    return name.lower().endswith(MEDIA)


def reproducible_zip(entries: Iterable[tuple[str, bytes]], when: dt.datetime, *,
                     stored: Callable[[str], bool] = lambda name: False,
                     unix: bool = True, level: int | None = None) -> bytes:
    """The entries zipped, each dated ``when`` (1980 at the earliest: the zip
    format starts there); ``stored`` names the entries kept uncompressed;
    ``unix`` marks entries as made on Unix with mode 644 (EPUB readers and
    unzip expect it), else as DOS entries with no attributes (as Word writes them)."""
    date_time = max(when.utctimetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_STORED if stored(name) else zipfile.ZIP_DEFLATED
            info.create_system = 3 if unix else 0
            info.external_attr = (0o644 << 16) if unix else 0
            archive.writestr(info, data, compresslevel=level)
    return out.getvalue()
