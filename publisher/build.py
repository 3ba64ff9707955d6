"""The build: which sources, which formats, and only what changed.

Every source is read before anything is written, so bad input leaves every
earlier output untouched. Each format records a hash of everything it was
built from; a format whose inputs have not changed is not built again.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import __version__
from .errors import SourceError
from .files import locked, write_bytes
from .local import load_all as load_local_details
from .model import Document
from .reader import display_path, read
from .style import Style, load_style, style_files
from .writers import WRITERS

PACKAGE = Path(__file__).resolve().parent
MANIFEST = ".build-manifest.json"


@dataclass(frozen=True)
class Job:
    """Everything one writer needs to write one document."""

    document: Document
    style: Style
    out_dir: Path  # output/<slug>
    cache_dir: Path  # content-addressed pieces shared between builds
    build_date: dt.datetime  # the date stamped into files, fixed for reproducibility
    options: Mapping[str, Any] = field(default_factory=dict)  # e.g. "local": local-details files
    results: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # data from earlier formats
    progress: Callable[[str], None] = lambda message: None

    def path(self, name: str) -> Path:
        """An output file's path: output/<slug>/<name>."""
        return self.out_dir / name


@dataclass(frozen=True)
class Written:
    """What a writer made: its files, data later writers may use (JSON-able),
    and warnings for the editor (each "file:line: message")."""

    files: tuple[Path, ...]
    data: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def writer(format_name: str) -> Callable[[Job], Written]:
    return importlib.import_module(WRITERS[format_name]).write


def sources_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


def build_date(document: Document) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the source's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.fromisoformat(document.meta.date).replace(tzinfo=dt.timezone.utc)


def code_files(module: str) -> list[Path]:
    """The package's source files that ``module`` runs: itself and, through
    its relative imports, everything it uses, without importing anything.

    So editing the lint or the report does not rebuild the audio book, and
    editing the PDF writer rebuilds only what reads its results.
    """
    found: dict[str, Path] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        path = _module_path(name)
        if name in found or path is None:
            continue
        found[name] = path
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                pending += [target] + [f"{target}.{alias.name}" for alias in node.names]
    return sorted(found.values()) + sorted(PACKAGE.glob("*.yaml"))


def _module_path(name: str) -> Path | None:
    relative = Path(*name.split(".")[1:])
    for candidate in (PACKAGE / relative / "__init__.py", (PACKAGE / relative).with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def input_hash(document: Document, options: Mapping[str, Any], format_name: str,
               earlier: Mapping[str, Any]) -> str:
    """A hash of everything that can change one format's files: the source, its
    images, the house style, the lexicon and local details, the code that
    writes the format, and what earlier formats handed it (page numbers, timings)."""
    digest = hashlib.sha256(__version__.encode())
    folder = document.source.resolve().parent
    files = [document.source, *(image.path for image in document.images), *style_files(folder)]
    files += sorted(p for p in folder.glob("*.yaml") if p not in files)
    files += [Path(p) for p in options.get("local", ())]
    files += code_files(WRITERS[format_name])
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(json.dumps(earlier, sort_keys=True).encode())
    return digest.hexdigest()


@dataclass
class Summary:
    built: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(
    sources: Sequence[Path],
    formats: Sequence[str],
    output: Path,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] = lambda message: None,
    cache_dir: Path | None = None,
) -> Summary:
    options = MappingProxyType(dict(options or {}))
    unknown = [name for name in formats if name not in WRITERS]
    if unknown:
        raise SourceError("--formats", 0, f"unknown format '{unknown[0]}'", f"the formats are: {', '.join(WRITERS)}")
    ordered = [name for name in WRITERS if name in formats]
    # Read and check every source (and its house style, and any local
    # details) before writing anything.
    documents = [read(source) for source in sources]
    styles = [load_style(doc.source.resolve().parent) for doc in documents]
    load_local_details(options.get("local", ()))
    summary = Summary()
    cache = cache_dir or Path(os.environ.get("PUBLISHER_CACHE", ".cache"))
    for document, style in zip(documents, styles):
        summary.warnings += [str(w) for w in document.warnings]
        out_dir = output / document.slug
        with locked(out_dir):
            _build_one(document, style, ordered, out_dir, cache, options, progress, summary)
    return summary


def _build_one(document, style, formats, out_dir, cache, options, progress, summary) -> None:
    manifest_path = out_dir / MANIFEST
    manifest = _load_manifest(manifest_path)
    results: dict[str, Mapping[str, Any]] = {}
    for name in WRITERS:  # in table order, so each format sees what the earlier ones made
        inputs = input_hash(document, options, name, results)
        entry = manifest.get(name, {})
        files = [out_dir / f for f in entry.get("files", [])]
        up_to_date = entry.get("inputs") == inputs and files and all(f.exists() for f in files)
        if up_to_date:
            # Unchanged (or not asked for but current): reuse its data, repeat its warnings.
            results[name] = entry.get("data", {})
            if name in formats:
                summary.unchanged.append(f"{document.slug} {name}")
                summary.warnings += entry.get("warnings", [])
            continue
        if name not in formats:
            continue
        progress(f"{document.slug}: writing {name}")
        job = Job(document, style, out_dir, cache, build_date(document), options,
                  MappingProxyType(dict(results)), progress)
        written = writer(name)(job)
        results[name] = written.data
        summary.warnings += list(written.warnings)
        summary.built += written.files
        manifest[name] = {
            "inputs": inputs,
            "files": [str(f.relative_to(out_dir)) for f in written.files],
            "data": written.data,
            "warnings": list(written.warnings),
        }
        # Record progress after each format, so an interrupted build keeps what it finished.
        write_bytes(manifest_path, json.dumps(manifest, indent=1, sort_keys=True).encode())


def _load_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def shown(path: Path) -> str:
    return str(display_path(path))


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
