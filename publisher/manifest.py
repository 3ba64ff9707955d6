"""The build manifest, ``output/<slug>/.build-manifest.json``: for each format,
the hash of what it was built from, the files it wrote, the data it hands on
and its warnings. The build reads it to skip what is up to date; the checks
read it to find the files and the data. It is verified, not trusted: a
manifest of the wrong shape, or a listed file that is gone or emptied, means
"build again", never a crash or a false "up to date".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .files import write_bytes

NAME = ".build-manifest.json"


@dataclass(frozen=True)
class Entry:
    inputs: str
    files: tuple[str, ...]  # relative to output/<slug>/
    data: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "files": list(self.files), "data": self.data,
                "warnings": [w.to_json() for w in self.warnings]}

    @classmethod
    def from_json(cls, value: Any) -> Entry | None:
        try:
            files = tuple(str(f) for f in value["files"])
            warnings = tuple(Diagnostic.from_json(w) for w in value.get("warnings", ()))
            if not isinstance(value["inputs"], str) or not isinstance(value.get("data", {}), dict):
                return None
            return cls(value["inputs"], files, value.get("data", {}), warnings)
        except (KeyError, TypeError, AttributeError):
            return None


class Manifest:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.path = out_dir / NAME
        self.entries: dict[str, Entry] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if isinstance(raw, dict):
            for name, value in raw.items():
                entry = Entry.from_json(value)
                if entry is not None:
                    self.entries[name] = entry

    def complete(self, name: str) -> Entry | None:
        """The format's entry when every file it lists is still there and not empty."""
        entry = self.entries.get(name)
        if entry is None or not entry.files:
            return None
        for relative in entry.files:
            path = self.out_dir / relative
            if path.is_symlink() or not path.is_file() or path.stat().st_size == 0:
                return None
        return entry

    def files(self, name: str) -> tuple[str, ...]:
        entry = self.complete(name)
        return entry.files if entry else ()

    def data(self, name: str) -> Mapping[str, Any]:
        entry = self.entries.get(name)
        return entry.data if entry else {}

    def record(self, name: str, entry: Entry) -> None:
        """Record a finished format at once, so an interrupted build keeps what it finished."""
        self.entries[name] = entry
        document = {key: value.to_json() for key, value in sorted(self.entries.items())}
        write_bytes(self.path, json.dumps(document, indent=1, sort_keys=True).encode())
