"""The build: which sources, which formats, and only what changed.

Everything is read and validated before anything is written: every source,
its house style, its terms, the local details, and each format's own
settings (``prepare``), so bad input leaves every earlier output untouched.
Each format records a hash of everything it was built from; a format whose
inputs have not changed is not built again.
"""

from __future__ import annotations

import datetime as dt
import errno
import glob
import hashlib
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import __version__
from .contract import Edition, Job, Written, no_progress
from .diagnostics import WARNING, Diagnostic, EnvironmentFault, SourceError
from .files import check_output_folder, locked
from .formats import BY_NAME, FORMATS, NAMES, Format
from .local import load_all as load_local_details
from .manifest import Entry, Manifest
from .model import Document
from .reader import read
from .readiness import draft_reasons
from .sourcefiles import display_path, source_date_epoch
from .style import load_style, style_files
from .terms import files_for, terms_for

PACKAGE = Path(__file__).resolve().parent
# Files a writer package ships beside its code (the web edition's script and
# styles): editing one must rebuild that format, as editing its code does.
DATA_SUFFIXES = (".js", ".css", ".yaml", ".html")


def sources_in(folder: Path) -> list[Path]:
    """Every source in a folder: hidden files (".x.md", macOS's "._x.md") are not sources."""
    return sorted(path for path in folder.glob("*.md") if not path.name.startswith("."))


def build_date(document: Document) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the source's date."""
    return source_date_epoch() or dt.datetime.fromisoformat(document.meta.date).replace(tzinfo=dt.UTC)


def distinct_sources(sources: Sequence[Path]) -> list[Path]:
    """Each source once; two different files that would share an output folder
    (en/guide.md and cy/guide.md, or Guide.md and guide.md on a disk that
    ignores case) are refused rather than one silently overwriting the other."""
    chosen: dict[str, Path] = {}
    for source in sources:
        key = source.name.casefold()
        other = chosen.get(key)
        if other is None:
            chosen[key] = source
        elif other.resolve() != source.resolve():
            raise SourceError(display_path(source), 0,
                              f"another source has the same file name, {display_path(other)}, and each file's "
                              "name is its output folder's", "rename one of them, e.g. guide-cy.md")
    return list(chosen.values())


# The machine, not the source or the program, is in the way.
ENVIRONMENT_ERRORS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                      errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied",
                      errno.EPERM: "permission denied", errno.ENOTDIR: "a file stands where a folder should be",
                      errno.EEXIST: "a file stands where a folder should be", errno.EIO: "the disk failed"}


def environment_fault(error: OSError) -> EnvironmentFault | None:
    """The fault to report for an error of the file system, or None when it is not one."""
    if error.errno not in ENVIRONMENT_ERRORS:
        return None
    where = f" ({shown(Path(error.filename))})" if error.filename else ""
    return EnvironmentFault(f"cannot write the output{where}: {ENVIRONMENT_ERRORS[error.errno]}; "
                            "the earlier files are untouched")


_RELATIVE_IMPORT = re.compile(r"^\s*from\s+(\.+)([\w.]*)\s+import\s+\(?([^)#\n]*)", re.MULTILINE)


@cache
def code_files(module: str) -> tuple[Path, ...]:
    """The package's source files that ``module`` runs: itself and, through
    its relative imports, everything it uses, without importing anything.

    So editing the lint or the report does not rebuild the audio book, and
    editing the PDF writer rebuilds only what reads its results. A line scan,
    not a parse, and once per process: it is on every build's path.
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
        for dots, module_name, names in _RELATIVE_IMPORT.findall(path.read_text(encoding="utf-8")):
            level = len(dots)
            base = package.rsplit(".", level - 1)[0] if level > 1 else package
            target = f"{base}.{module_name}" if module_name else base
            pending += [target] + [f"{target}.{alias.split(' as ')[0].strip()}"
                                   for alias in names.split(",") if alias.strip()]
    data = [file for path in found.values() if path.name == "__init__.py"
            for file in path.parent.iterdir() if file.is_file() and file.suffix in DATA_SUFFIXES]
    return tuple(sorted([*found.values(), *data]))


def _module_path(name: str) -> Path | None:
    relative = Path(*name.split(".")[1:])
    for candidate in (PACKAGE / relative / "__init__.py", (PACKAGE / relative).with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


@cache
def code_digest(module: str) -> bytes:
    """The hash of the code that writes a format, once per process (the code
    does not change while it runs; the sources and styles may, under watch)."""
    digest = hashlib.sha256()
    for path in code_files(module):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def input_hash(job: Job, fmt: Format, earlier: Mapping[str, Any]) -> str:
    """A hash of everything that can change one format's files: the source, its
    images, the house style, the lexicon, the terms, local details for the
    formats that print them, the code that writes the format, and what earlier
    formats handed it (page numbers, timings), the other languages' editions,
    and whether it is a draft."""
    document, options = job.document, job.options
    digest = hashlib.sha256(__version__.encode())
    folder = document.source.resolve().parent
    files = [document.source, *(image.path for image in document.images), *style_files(folder)]
    files += sorted(p for p in folder.glob("*.yaml") if p not in files)
    files += files_for(document.meta.language)
    if fmt.local:
        files += [local.path for local in options.get("local", ())]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(code_digest(fmt.writer))
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(json.dumps(earlier, sort_keys=True).encode())
    digest.update(json.dumps([asdict(edition) for edition in job.editions]).encode())
    digest.update(b"draft" if options.get("draft") else b"final")
    return digest.hexdigest()


def editions_of(document: Document, known: Mapping[Path, Document]) -> tuple[Edition, ...]:
    """The publication in every language its folder holds: ``<slug>.md`` and
    its translations ``<slug>.<language>.md`` (each names the original in
    ``translation_of``), the original first, then by language tag. ``known``:
    the sources this build has read already, by resolved path, not read again."""
    base = document.meta.translation_of or document.slug
    folder = document.source.resolve().parent
    found = {document.slug: document}
    for path in [folder / f"{base}.md", *sorted(folder.glob(f"{glob.escape(base)}.*.md"))]:
        if path.is_file() and path.resolve() != document.source.resolve():
            sibling = known.get(path.resolve()) or read(path)
            if sibling.slug == base or sibling.meta.translation_of == base:
                found[sibling.slug] = sibling
    if len(found) == 1:
        return ()
    ordered = sorted(found.values(), key=lambda d: (d.slug != base, d.meta.language))
    return tuple(Edition(d.meta.language, terms_for(d.meta.language)("language_name"), d.slug, d.meta.title)
                 for d in ordered)


def draft_warning(document: Document) -> list[Diagnostic]:
    """One line when the publication would send families to a dead end."""
    reasons = draft_reasons(document)
    if not reasons:
        return []
    return [Diagnostic(WARNING, str(display_path(document.source)),
                       f"a draft, not ready for families: {len(reasons)} "
                       f"{'thing sends' if len(reasons) == 1 else 'things send'} readers to a dead end "
                       f"(the first: {reasons[0]})", 0, "publisher check lists them all in report.html")]


@dataclass
class Summary:
    built: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def writer(fmt: Format) -> Any:
    return importlib.import_module(fmt.writer)


def build(
    sources: Sequence[Path],
    formats: Sequence[str],
    output: Path,
    options: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] = no_progress,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> Summary:
    """Build ``formats`` of every source into ``output``; ``workers`` bounds how
    many publications are written at once (default: one per core)."""
    unknown = [name for name in formats if name not in BY_NAME]
    if unknown:
        raise SourceError("--formats", 0, f"unknown format '{unknown[0]}'", f"the formats are: {', '.join(NAMES)}")
    chosen = [fmt for fmt in FORMATS if fmt.name in formats]
    options = dict(options or {})
    # Read and check everything before writing anything.
    options["local"] = load_local_details(options.get("local", ()))
    frozen = MappingProxyType(options)
    cache = cache_dir or Path(os.environ.get("PUBLISHER_CACHE", ".cache"))
    jobs, stale = [], []
    documents = {source.resolve(): read(source) for source in distinct_sources(sources)}
    for document in documents.values():
        style = load_style(document.source.resolve().parent)
        job = Job(document, style, terms_for(document.meta.language), output / document.slug, cache,
                  build_date(document), frozen, MappingProxyType({}), progress, editions_of(document, documents))
        # A format whose inputs are those it was last built from passed its
        # checks then and is not written again: its writer (reportlab, the
        # speech engine) is not even imported.
        to_write = out_of_date(job, chosen)
        for fmt in to_write:
            prepare = getattr(writer(fmt), "prepare", None)
            if prepare is not None:
                prepare(job)
        jobs.append(job)
        stale.append(bool(to_write))
    summary = Summary()
    try:
        for job in jobs:  # every output folder checked before the first is written
            check_output_folder(job.out_dir)
        for job in jobs:
            summary.warnings += job.document.warnings
            summary.warnings += _borrowed_terms(job)
            summary.warnings += draft_warning(job.document)
        # Several publications to write: one per core, each in a process forked
        # from this one, which has read everything and imported every writer.
        if sum(stale) > 1 and (workers or os.cpu_count() or 1) > 1:
            from .forking import in_forked_processes

            done = in_forked_processes(lambda job: _build_locked(job, chosen), jobs,
                                       workers or os.cpu_count() or 1)
        else:
            done = [_build_locked(job, chosen) for job in jobs]
        for one in done:
            summary.built += one.built
            summary.unchanged += one.unchanged
            summary.warnings += one.warnings
    except OSError as error:
        fault = environment_fault(error)
        if fault is None:
            raise
        raise fault from error
    return summary


def out_of_date(job: Job, chosen: Sequence[Format]) -> list[Format]:
    """The chosen formats that may need writing: those whose recorded inputs
    differ, or that use the data of a format that will be written again."""
    manifest = Manifest(job.out_dir)
    results: dict[str, Mapping[str, Any]] = {}
    stale = []
    for fmt in FORMATS:
        earlier = {name: results[name] for name in fmt.uses if name in results}
        entry = manifest.complete(fmt.name)
        if entry is not None and entry.inputs == input_hash(job, fmt, earlier) \
                and all(name in results for name in fmt.uses if BY_NAME[name] in chosen):
            results[fmt.name] = entry.data
        elif fmt in chosen:
            stale.append(fmt)
    return stale


def _build_locked(job: Job, chosen: list[Format]) -> Summary:
    summary = Summary()
    with locked(job.out_dir):
        _build_one(job, chosen, summary)
    return summary


def _borrowed_terms(job: Job) -> list[Diagnostic]:
    if not job.terms.borrowed:
        return []
    shown = ", ".join(job.terms.borrowed[:8]) + (" …" if len(job.terms.borrowed) > 8 else "")
    return [Diagnostic(WARNING, str(display_path(job.document.source)),
                       f"no terms for '{job.document.meta.language}' for {len(job.terms.borrowed)} fixed words "
                       f"({shown}): they are printed and spoken in English",
                       1, f"add them to publisher/terms/{job.document.meta.language}.yaml")]


def _build_one(base: Job, chosen: list[Format], summary: Summary) -> None:
    manifest = Manifest(base.out_dir)
    results: dict[str, Mapping[str, Any]] = {}
    slug = base.document.slug
    for fmt in FORMATS:  # in table order, so each format sees what the earlier ones made
        earlier = {name: results[name] for name in fmt.uses if name in results}
        inputs = input_hash(base, fmt, earlier)
        entry = manifest.complete(fmt.name)
        if entry is not None and entry.inputs == inputs:
            # Unchanged (or not asked for but current): reuse its data, repeat its warnings.
            results[fmt.name] = entry.data
            if fmt in chosen:
                summary.unchanged.append(f"{slug} {fmt.name}")
                summary.warnings += entry.warnings
            continue
        if fmt not in chosen:
            continue
        base.progress(f"{slug}: writing {fmt.name}")
        job = replace(base, results=MappingProxyType(earlier))
        written: Written = writer(fmt).write(job)
        results[fmt.name] = written.data
        summary.warnings += written.warnings
        summary.built += written.files
        manifest.record(fmt.name, Entry(inputs, tuple(str(f.relative_to(base.out_dir)) for f in written.files),
                                        written.data, written.warnings))


def shown(path: Path) -> str:
    return str(display_path(path))


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

