"""liblouis, the braille translator, for the braille writer and its check.

Debian's ``python3-louis`` is a ctypes binding installed for the system
Python (the PyPI package named ``louis`` is an unrelated project), so from
the virtual environment it is found in Debian's dist-packages folder. It
loads ``liblouis.so.20``; the tables come from ``liblouis-data``.

Also the ASCII braille of a BRF file as Unicode braille: the North American
Braille ASCII code, one character per six-dot cell, which ``en-us-brf.dis``
writes and every embosser reads.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from .diagnostics import EnvironmentFault

DEBIAN_FOLDER = Path("/usr/lib/python3/dist-packages")
PACKAGES = "python3-louis liblouis-data"
HOW_TO_INSTALL = f"braille needs liblouis: as root, apt-get install {PACKAGES} (or make, run as root)"
BRF_DISPLAY = "en-us-brf.dis"  # cells as Braille ASCII, the BRF convention

# Braille ASCII: the character for cells U+2800 … U+283F, in order.
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="


@cache
def load() -> ModuleType | None:
    """The ``louis`` module, or None when liblouis is not installed here."""
    try:
        import louis  # noqa: F401  (installed into this Python's own path)
    except ImportError:
        if str(DEBIAN_FOLDER) not in sys.path and (DEBIAN_FOLDER / "louis").is_dir():
            sys.path.append(str(DEBIAN_FOLDER))
        try:
            import louis
        except (ImportError, OSError):  # no binding, or the binding without liblouis.so
            return None
    if not hasattr(louis, "translateString"):
        return None  # PyPI's unrelated "louis"
    return louis


def required() -> ModuleType:
    """The ``louis`` module, for code that runs only once liblouis is known to be here."""
    louis = load()
    if louis is None:
        raise EnvironmentFault(f"cannot make or read braille: {HOW_TO_INSTALL}")
    return louis


def missing_tables(tables: list[str]) -> list[str]:
    """The tables liblouis cannot compile, of those named."""
    louis = required()
    missing = []
    for table in tables:
        try:
            louis.checkTable([table])
        except RuntimeError:
            missing.append(table)
    return missing


def to_unicode(brf: str) -> str:
    """Braille ASCII as Unicode braille cells (spaces and line ends kept)."""
    return "".join(chr(0x2800 + BRAILLE_ASCII.index(c)) if c in BRAILLE_ASCII else c for c in brf.upper())


def unavailable() -> str | None:
    """Why braille cannot be made here, with how to fix it; None when it can."""
    return HOW_TO_INSTALL if load() is None else None
