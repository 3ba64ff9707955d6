"""Benchmarks: our build against Pandoc and eSpeak NG, side by side, medians of repeated runs.

Run by ``make bench`` (or ``.venv/bin/python bench/run.py [--repeat N]``).
Every task runs as a separate process in a temporary copy of source/, so the
project's own output/ and .cache/ are never touched, and each repetition runs
ours and the reference one after the other, so both meet the same machine
load. Time is wall-clock; memory is the peak resident size of the process and
everything it waited for (``os.wait4``: the per-child form of
``resource.getrusage(RUSAGE_CHILDREN)``). Prints a table of ratios and writes
it, with the machine, to bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = ROOT / "source"
SLUG = "infant-mental-health"
EDITED_SENTENCE = "Babies suffer when they are ignored."
TEXT_FORMATS = ("docx", "pdf", "epub")  # everything but the audio: what 50 publications at once build
SCALES = (1, 10, 50)

from publisher.writers import WRITERS  # the table says which formats exist


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def run(command: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one command to completion; its wall time and peak memory (it and its children)."""
    start = time.perf_counter()
    process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(map(str, command))}\n"
                         f"{process.stderr.read().decode(errors='replace')[-2000:]}")
    process.stderr.close()
    return Run(seconds, usage.ru_maxrss / 1024)


def runs(*steps: Callable[[], Run]) -> Run:
    """Several commands as one task: times add up, the peak is the highest."""
    done = [step() for step in steps]
    return Run(sum(r.seconds for r in done), max(r.peak_mb for r in done))


def median(results: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in results), statistics.median(r.peak_mb for r in results))


class Project:
    """A throwaway copy of source/ with its own output and cache folders."""

    def __init__(self, root: Path, code: Path, copies: int = 1):
        self.root = root
        self.source = root / "source"
        shutil.copytree(SOURCE, self.source, ignore=shutil.ignore_patterns(f"{SLUG}.md"))
        text = (SOURCE / f"{SLUG}.md").read_text(encoding="utf-8")
        self.slugs = [SLUG] if copies == 1 else [f"{SLUG}-{n:02d}" for n in range(1, copies + 1)]
        for slug in self.slugs:
            (self.source / f"{slug}.md").write_text(text, encoding="utf-8")
        self.env = dict(os.environ, PUBLISHER_CACHE=str(root / "cache"), PYTHONPATH=str(code))

    @property
    def main_source(self) -> Path:
        return self.source / f"{self.slugs[0]}.md"

    def build(self, formats: Sequence[str]) -> Run:
        return run([sys.executable, "-m", "publisher", "build", "--quiet", "--output", self.root / "output",
                    "--formats", ",".join(formats)], self.root, self.env)

    def forget_outputs(self) -> None:
        shutil.rmtree(self.root / "output", ignore_errors=True)

    def forget_everything(self) -> None:
        self.forget_outputs()
        shutil.rmtree(self.root / "cache", ignore_errors=True)


@dataclass
class Row:
    task: str
    ours: Run
    reference: str = ""
    theirs: Run | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        return f"{self.ours.seconds / self.theirs.seconds:.2f}" if self.theirs else "—"


def available(formats: Sequence[str]) -> list[str]:
    """The formats whose writers exist; say which are skipped."""
    present = [name for name in formats if importlib.util.find_spec(WRITERS[name]) is not None]
    for name in sorted(set(formats) - set(present)):
        print(f"skipping {name}: its writer ({WRITERS[name]}) does not exist yet", file=sys.stderr)
    return present


def reference_text(path: Path, into: Path) -> Path:
    """The publication's words as plain text, in reading order: what eSpeak NG is given."""
    from publisher.reader import read
    from publisher.text import reading_chunks

    into.write_text("\n\n".join(reading_chunks(read(path))) + "\n", encoding="utf-8")
    return into


def bench(repeat: int, scale_repeat: int, work: Path) -> list[Row]:
    rows: list[Row] = []
    all_formats = available(list(WRITERS))
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    # Build with a snapshot of the program: the build hashes its own code, so an
    # edit to publisher/ during the run would otherwise turn rebuilds into cold builds.
    code = work / "code"
    shutil.copytree(ROOT / "publisher", code / "publisher", ignore=shutil.ignore_patterns("__pycache__"))
    project = Project(work / "one", code)

    # 1. Word + EPUB from the same Markdown, from nothing (no outputs, no cache).
    ours_formats = available(["docx", "epub"])
    if ours_formats and shutil.which("pandoc"):
        say(f"Word + EPUB vs pandoc, {repeat} times")
        ours, theirs = [], []
        for _ in range(repeat):
            project.forget_everything()
            ours.append(project.build(ours_formats))
            theirs.append(runs(
                lambda: run(["pandoc", project.main_source, "-o", work / "pandoc.docx"], project.source),
                lambda: run(["pandoc", project.main_source, "-o", work / "pandoc.epub"], project.source)))
        rows.append(Row(f"Word + EPUB ({' + '.join(ours_formats)}), cold", median(ours),
                        "pandoc → docx, then → epub", median(theirs)))

    # 2. The PDF booklet: nothing comparable here turns Markdown into an imposed booklet.
    if available(["pdf"]):
        say(f"PDF booklet, {repeat} times")
        results = []
        for _ in range(repeat):
            project.forget_everything()
            results.append(project.build(["pdf"]))
        rows.append(Row("PDF booklet (A5, imposed, large print), cold", median(results),
                        note="no reference: pandoc's PDF needs LaTeX and imposes nothing"))

    # 3. Audio against eSpeak NG + lame on the same words.
    if available(["audio"]) and shutil.which("espeak-ng") and shutil.which("lame"):
        say(f"audio vs espeak-ng + lame, {repeat} times")
        text = reference_text(project.main_source, work / "speech.txt")
        cold, cached, theirs = [], [], []
        for _ in range(repeat):
            project.forget_everything()
            cold.append(project.build(["audio"]))
            project.forget_outputs()  # keep the sentence cache: an editor's second build
            cached.append(project.build(["audio"]))
            theirs.append(runs(
                lambda: run(["espeak-ng", "-v", "en-gb", "-w", work / "speech.wav", "-f", text], work),
                lambda: run(["lame", "--quiet", work / "speech.wav", work / "speech.mp3"], work)))
        reference = "espeak-ng -v en-gb -w, then lame"
        rows.append(Row("Audio, cold (no cached sentences)", median(cold), reference, median(theirs),
                        "ours: a track per section + whole book + playlist"))
        rows.append(Row("Audio, sentences cached, outputs deleted", median(cached), reference, median(theirs)))

    # 4. The edit loop, against a cold build of everything.
    if all_formats:
        say(f"no-change rebuild and one-sentence edit, {repeat} times")
        full, unchanged, edited = [], [], []
        text = project.main_source.read_text(encoding="utf-8")
        assert EDITED_SENTENCE in text, "the benchmark's edit target is gone from the guidance"
        for number in range(repeat):
            project.forget_everything()
            project.main_source.write_text(text, encoding="utf-8")
            full.append(project.build(all_formats))
            unchanged.append(project.build(all_formats))
            # A new wording each time, so every edit is new to the sentence cache too.
            project.main_source.write_text(
                text.replace(EDITED_SENTENCE, EDITED_SENTENCE.replace("ignored", f"ignored {number + 1} times")),
                encoding="utf-8")
            edited.append(project.build(all_formats))
        everything = f"cold build of all ({','.join(all_formats)})"
        rows.append(Row("Cold build, all formats", median(full)))
        rows.append(Row("No-change rebuild", median(unchanged), everything, median(full)))
        rows.append(Row("One-sentence edit, rebuild", median(edited), everything, median(full)))

    # 5. Many publications at once: how time and memory grow.
    text_formats = available(list(TEXT_FORMATS))
    if text_formats:
        single: Run | None = None
        for copies in SCALES:
            say(f"{copies} publications ({','.join(text_formats)}), {scale_repeat} times")
            many = Project(work / f"many-{copies}", code, copies)
            results = []
            for _ in range(scale_repeat):
                many.forget_everything()
                results.append(many.build(text_formats))
            result = median(results)
            single = single or result
            rows.append(Row(f"{copies} publication{'s' if copies > 1 else ''} at once ({','.join(text_formats)})",
                            result, "1 publication" if copies > 1 else "", single if copies > 1 else None,
                            f"{result.seconds / copies:.2f} s each"))
            shutil.rmtree(many.root)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| task | ours (s) | ours peak (MB) | compared with | theirs (s) | theirs peak (MB) | ours ÷ theirs | note |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        theirs = row.theirs
        lines.append(
            f"| {row.task} | {row.ours.seconds:.2f} | {row.ours.peak_mb:.0f} | {row.reference or '—'} | "
            f"{f'{theirs.seconds:.2f}' if theirs else '—'} | {f'{theirs.peak_mb:.0f}' if theirs else '—'} | "
            f"{row.ratio} | {row.note} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)

    def version(command: list[str]) -> str:
        if not shutil.which(command[0]):
            return f"{command[0]} missing"
        done = subprocess.run(command, capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0]

    return (f"{cpu}, {os.cpu_count()} cores, {memory} MB RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {version(['pandoc', '--version'])}; "
            f"{version(['espeak-ng', '--version'])}; {version(['lame', '--version'])}")


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5, help="runs per comparison (median taken); default 5")
    options.add_argument("--scale-repeat", type=int, default=3, help="runs per publication count; default 3")
    args = options.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publisher-bench-") as work:
        rows = bench(args.repeat, args.scale_repeat, Path(work))
    result = table(rows)
    header = (f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC in {time.perf_counter() - started:.0f} s, "
              f"medians of {args.repeat} runs ({args.scale_repeat} for the publication counts), on: {machine()}")
    print(result)
    (HERE / "results.md").write_text(f"# Benchmark results\n\n{header}\n\n{result}\n", encoding="utf-8")
    print(f"\nwritten to {(HERE / 'results.md').relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
