"""Benchmarks: our build against Pandoc and eSpeak NG, side by side, medians of repeated runs.

Run by ``make bench`` (or ``.venv/bin/python bench/run.py [--repeat N]``).
Every task runs as a separate process in a temporary copy of source/, so the
project's own output/ and .cache/ are never touched, and each repetition runs
ours and the reference one after the other, in alternating order, so both
meet the same machine load and neither always finds the disk cache warmed by
the other. Time is wall-clock and CPU (user + system, of the process and
everything it waited for: ``os.wait4``, the per-child form of
``getrusage(RUSAGE_CHILDREN)``); memory is the peak resident size. The
processes a command starts are counted in one more, untimed run under
``strace -f`` (every process that ends, itself included; threads are not). Prints a
table of ratios against the targets and writes it, with the machine, to
bench/results.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from publisher.formats import BY_NAME, NAMES  # the table says which formats exist

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = ROOT / "source"
SLUG = "infant-mental-health"
EDITED_SENTENCE = "Babies suffer when they are ignored."
TEXT_FORMATS = ("docx", "pdf", "epub")  # everything but the audio: what 50 publications at once build
SCALES = (1, 10, 50)
TIMEOUT = 600  # seconds; no single build here takes a tenth of that

EDIT_TARGET = 0.25  # a one-sentence edit of the audio: at most this share of a cold audio build
# Issue 18's targets: cold Word + PDF + EPUB at most 1.5 x pandoc's Word + EPUB; 50
# publications at most half of pandoc run once per file; a one-sentence edit of every
# format at most a tenth of a cold build; a no-change rebuild under 0.2 s.
COLD_TARGET, MANY_TARGET, FULL_EDIT_TARGET, NO_CHANGE_SECONDS = 1.5, 0.5, 0.1, 0.2
# What any fresh process of ours pays before its first byte: Python and the libraries
# a Word + PDF + EPUB build cannot do without.
IMPORT_FLOOR = "import reportlab.platypus, docx, lxml.etree, PIL.Image, pypdf, markdown_it, yaml"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds, children included
    processes: int = 0  # it and every process it started (counted apart: ``processes``); 0 uncounted


# A process ends in exit_group (a thread in exit), or is killed: one such line each, its pid first.
_PROCESS_END = re.compile(r"^(\d+)\s+(?:exit_group\(|\+\+\+ killed by)", re.MULTILINE)


def processes(command: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> int:
    """How many processes a command is, itself included: run once more under strace -f."""
    if not shutil.which("strace"):
        return 0
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "strace.log"
        run(["strace", "-f", "-e", "trace=exit_group", "-o", log, *command], cwd, env)
        return len(set(_PROCESS_END.findall(log.read_text(errors="replace"))))


class Failed(Exception):
    """A command of the benchmark failed: its row says so, the other rows still run."""


def run(command: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one command to completion; its wall time and peak memory (it and its children)."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty command cannot block on it
        start = time.perf_counter()
        process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        # A hung build must not hang the benchmark: end its whole process group.
        timer = threading.Timer(TIMEOUT, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if seconds >= TIMEOUT:
            raise Failed(f"{Path(str(command[0])).name} … stopped after {TIMEOUT} s")
        if process.returncode:
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines() or [""]
            # The exception line says more than the publisher's closing apology.
            cause = next((line for line in reversed(lines) if re.match(r"^[\w.]+(Error|Exception)\b", line)), lines[-1])
            raise Failed(f"{Path(str(command[0])).name} … exited {process.returncode}: {cause[:300]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def runs(*steps: Callable[[], Run]) -> Run:
    """Several commands as one task: times and processes add up, the peak is the highest."""
    done = [step() for step in steps]
    return Run(sum(r.seconds for r in done), max(r.peak_mb for r in done), sum(r.cpu for r in done),
               sum(r.processes for r in done))


def median(results: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in results), statistics.median(r.peak_mb for r in results),
               statistics.median(r.cpu for r in results), max(r.processes for r in results))


def alternating(number: int, ours: Callable[[], None], theirs: Callable[[], None]) -> None:
    """Ours first in even repetitions, theirs first in odd ones."""
    for step in ((ours, theirs) if number % 2 == 0 else (theirs, ours)):
        step()


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

    def command(self, formats: Sequence[str]) -> list:
        return [sys.executable, "-m", "publisher", "build", "--quiet", "--output", self.root / "output",
                "--formats", ",".join(formats)]

    def build(self, formats: Sequence[str]) -> Run:
        return run(self.command(formats), self.root, self.env)

    def processes(self, formats: Sequence[str]) -> int:
        return processes(self.command(formats), self.root, self.env)

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
    target: float | None = None  # the wall-time ratio to stay at or below
    seconds: float | None = None  # or the wall time to stay under, for a row with no reference

    @property
    def ratio(self) -> str:
        return f"{self.ours.seconds / self.theirs.seconds:.2f}" if self.theirs else "—"

    @property
    def cpu_ratio(self) -> str:
        return f"{self.ours.cpu / self.theirs.cpu:.2f}" if self.theirs and self.theirs.cpu else "—"

    @property
    def verdict(self) -> str:
        if self.seconds is not None:
            return f"< {self.seconds:.2f} s: {'met' if self.ours.seconds < self.seconds else 'MISSED'}"
        if self.target is None or not self.theirs:
            return "—"
        met = self.ours.seconds / self.theirs.seconds <= self.target
        return f"≤ {self.target:.2f}: {'met' if met else 'MISSED'}"


def available(formats: Sequence[str]) -> list[str]:
    """The formats whose writers exist and this machine can build; say which are skipped."""
    present = []
    for name in formats:
        fmt = BY_NAME[name]
        if importlib.util.find_spec(fmt.writer) is None:
            print(f"skipping {name}: its writer ({fmt.writer}) does not exist yet", file=sys.stderr)
        elif reason := fmt.unavailable():
            print(f"skipping {name}: {reason}", file=sys.stderr)
        else:
            present.append(name)
    return present


def reference_text(path: Path, into: Path) -> Path:
    """The publication's words as plain text, in reading order: what eSpeak NG is given."""
    from publisher.reader import read
    from publisher.text import reading_chunks

    into.write_text("\n\n".join(reading_chunks(read(path))) + "\n", encoding="utf-8")
    return into


@dataclass(frozen=True)
class Bench:
    repeat: int
    scale_repeat: int
    scales: tuple[int, ...]
    work: Path
    code: Path  # a snapshot of publisher/: the build hashes its own code, so an edit
    # to publisher/ during the run would otherwise turn rebuilds into cold builds
    project: Project

    @staticmethod
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)


def word_and_epub(bench: Bench) -> list[Row]:
    """Word + EPUB from the same Markdown, from nothing (no outputs, no cache)."""
    formats = available(["docx", "epub"])
    if not formats or not shutil.which("pandoc"):
        return []
    project, work = bench.project, bench.work
    ours, theirs = [], []
    for _ in range(bench.repeat):
        project.forget_everything()
        ours.append(project.build(formats))
        theirs.append(runs(
            lambda: run(["pandoc", project.main_source, "-o", work / "pandoc.docx"], project.source),
            lambda: run(["pandoc", project.main_source, "-o", work / "pandoc.epub"], project.source)))
    return [Row(f"Word + EPUB ({' + '.join(formats)}), cold", median(ours), "pandoc → docx, then → epub",
                median(theirs),
                "ours: standard and large-print leaflets, and the EPUB (the read-aloud EPUB needs the audio)")]


def pandoc_word_and_epub(project: Project, work: Path, source: Path) -> Run:
    return runs(lambda: run(["pandoc", source, "-o", work / "pandoc.docx"], project.source),
                lambda: run(["pandoc", source, "-o", work / "pandoc.epub"], project.source))


def cold_text_formats(bench: Bench) -> list[Row]:
    """Word + PDF + EPUB from nothing against pandoc's Word + EPUB, and the floor under it."""
    formats = available(list(TEXT_FORMATS))
    if not formats or not shutil.which("pandoc"):
        return []
    project, work = bench.project, bench.work
    cold, outputs_only, theirs, floor = [], [], [], []
    floor_command = [sys.executable, "-c", IMPORT_FLOOR]
    for number in range(bench.repeat):
        def ours() -> None:
            project.forget_everything()
            cold.append(project.build(formats))
            project.forget_outputs()  # the build cache kept: fonts instanced, cover drawn
            outputs_only.append(project.build(formats))
            floor.append(run(floor_command, project.root))

        alternating(number, ours, lambda: theirs.append(pandoc_word_and_epub(project, work, project.main_source)))
    pandoc = "pandoc → docx, then → epub"
    note = "ours: two Word leaflets, booklet + imposed + large-print PDF, EPUB; pandoc: one Word file, one EPUB"
    return [
        Row(f"Word + PDF + EPUB ({','.join(formats)}), cold", median(cold), pandoc, median(theirs),
            note + "; cold includes instancing the fallback font into the empty build cache", target=COLD_TARGET),
        Row(f"Word + PDF + EPUB ({','.join(formats)}), outputs deleted, build cache kept", median(outputs_only),
            pandoc, median(theirs), note, target=COLD_TARGET),
        Row("Floor: a fresh Python importing the libraries a Word + PDF + EPUB build needs", median(floor), pandoc,
            median(theirs), f"python -c '{IMPORT_FLOOR}': no fresh process of ours can be faster"),
    ]


def pdf_booklet(bench: Bench) -> list[Row]:
    """The PDF booklet: nothing comparable here turns Markdown into an imposed booklet."""
    if not available(["pdf"]):
        return []
    results = []
    for _ in range(bench.repeat):
        bench.project.forget_everything()
        results.append(bench.project.build(["pdf"]))
    return [Row("PDF booklet (A5, imposed, large print), cold", median(results),
                note="no reference: pandoc's PDF needs LaTeX and imposes nothing")]


def padded_wav(source: Path, seconds: float, into: Path) -> Path:
    """``source`` (a mono 16-bit WAV) with silence after it, to last ``seconds``."""
    import wave

    with wave.open(str(source), "rb") as wav:
        rate, frames = wav.getframerate(), wav.readframes(wav.getnframes())
    silence = max(round(seconds * rate) - len(frames) // 2, 0)
    with wave.open(str(into), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames + b"\0\0" * silence)
    return into


def audio(bench: Bench) -> list[Row]:
    """The audio book against eSpeak NG + lame reading the same words at the same rate and bitrate."""
    if not available(["audio"]) or not (shutil.which("espeak-ng") and shutil.which("lame")):
        print("skipping audio: needs its writer, espeak-ng and lame", file=sys.stderr)
        return []
    from publisher.manifest import Manifest
    from publisher.style import load_style

    project, work = bench.project, bench.work
    style = load_style(project.source)["audio"]
    text = reference_text(project.main_source, work / "speech.txt")
    source_text = project.main_source.read_text(encoding="utf-8")
    assert EDITED_SENTENCE in source_text, "the benchmark's edit target is gone from the guidance"
    wav, padded, mp3 = work / "speech.wav", work / "speech-padded.wav", work / "speech.mp3"
    # eSpeak NG's British English voice (gmw/en is its id in the PyPI build, en-gb in Debian's), our rate;
    # lame: mono, constant bitrate, at eSpeak's sample rate, as ours.
    espeak = ["espeak-ng", "-v", "en-gb", "-s", str(style["rate"]), "-w", wav, "-f", text]

    def lame(source: Path) -> list:
        return ["lame", "--quiet", "-m", "m", "--cbr", "-b", str(style["bitrate"]),
                "--resample", f"{int(style['sample_rate']) / 1000:g}", source, mp3]

    run(espeak, work)  # once untimed: the WAV to pad to our duration
    cold, cached, edited, theirs, same_duration = [], [], [], [], []
    duration = 0.0
    for number in range(bench.repeat):
        def ours(number: int = number) -> None:
            nonlocal duration
            project.main_source.write_text(source_text, encoding="utf-8")
            project.forget_everything()
            cold.append(project.build(["audio"]))
            duration = Manifest(project.root / "output" / SLUG).data("audio")["duration"]
            project.forget_outputs()  # keep the sentence and piece caches: an editor's next build
            cached.append(project.build(["audio"]))
            # A new wording each time, so every edit is new to the caches too.
            project.main_source.write_text(source_text.replace(
                EDITED_SENTENCE, EDITED_SENTENCE.replace("ignored", f"ignored {number + 1} times")), encoding="utf-8")
            edited.append(project.build(["audio"]))
            project.main_source.write_text(source_text, encoding="utf-8")

        def reference() -> None:
            theirs.append(runs(lambda: run(espeak, work), lambda: run(lame(wav), work)))
            padded_wav(wav, duration or 1.0, padded)  # untimed preparation
            same_duration.append(runs(lambda: run(espeak, work), lambda: run(lame(padded), work)))

        alternating(number, ours, reference)
    # The processes each task starts, in one more untimed pass of each.
    project.forget_everything()
    cold_processes = project.processes(["audio"])
    project.forget_outputs()
    cached_processes = project.processes(["audio"])
    edit = EDITED_SENTENCE.replace("ignored", "ignored again")
    project.main_source.write_text(source_text.replace(EDITED_SENTENCE, edit), encoding="utf-8")
    edited_processes = project.processes(["audio"])
    project.main_source.write_text(source_text, encoding="utf-8")
    their_processes = processes(espeak, work) + processes(lame(wav), work)
    cold = [dataclasses.replace(median(cold), processes=cold_processes)]
    cached = [dataclasses.replace(median(cached), processes=cached_processes)]
    edited = [dataclasses.replace(median(edited), processes=edited_processes)]
    theirs = [dataclasses.replace(median(theirs), processes=their_processes)]
    same_duration = [dataclasses.replace(median(same_duration), processes=their_processes)]
    reference_name = f"espeak-ng -s {style['rate']}, then lame -b {style['bitrate']} (same words)"
    return [
        Row("Audio, cold (no cached sentences)", median(cold), reference_name, median(theirs),
            "ours: a track per section + whole book + playlist, with announcements and pauses, so more audio",
            target=1.0),
        Row("Audio, cold, against the same duration", median(cold),
            f"the same, lame given {duration:.0f} s (its WAV padded with silence)", median(same_duration),
            "both encode as many seconds of audio", target=1.0),
        Row("Audio, sentences cached, outputs deleted", median(cached), reference_name, median(theirs)),
        Row("Audio, one-sentence edit", median(edited), "our cold audio build", median(cold),
            "one utterance synthesised, one piece encoded", target=EDIT_TARGET),
    ]


def edit_loop(bench: Bench) -> list[Row]:
    """A no-change rebuild and a one-sentence edit, against a cold build of everything."""
    formats = available(list(NAMES))
    if not formats:
        return []
    project = bench.project
    text = project.main_source.read_text(encoding="utf-8")
    assert EDITED_SENTENCE in text, "the benchmark's edit target is gone from the guidance"
    full, unchanged, edited = [], [], []
    for number in range(bench.repeat):
        project.forget_everything()
        project.main_source.write_text(text, encoding="utf-8")
        full.append(project.build(formats))
        unchanged.append(project.build(formats))
        # A new wording each time, so every edit is new to the sentence cache too.
        project.main_source.write_text(
            text.replace(EDITED_SENTENCE, EDITED_SENTENCE.replace("ignored", f"ignored {number + 1} times")),
            encoding="utf-8")
        edited.append(project.build(formats))
    project.main_source.write_text(text, encoding="utf-8")
    everything = f"cold build of all ({','.join(formats)})"
    try:
        under_watch = Row("One-sentence edit under publisher watch", median(watched_edits(bench, formats, text)),
                          everything, median(full), target=FULL_EDIT_TARGET,
                          note="from saving the file to the rebuild's end, polling every 0.05 s; "
                               "libraries, fonts and code hash already loaded")
    except Failed as failure:  # e.g. a commit whose watch has no --interval yet
        under_watch = Row("One-sentence edit under publisher watch", Run(float("nan"), float("nan")),
                          note=f"FAILED: {failure}")
    return [Row("Cold build, all formats", median(full)),
            Row("No-change rebuild", median(unchanged), everything, median(full), seconds=NO_CHANGE_SECONDS),
            Row("One-sentence edit, rebuild", median(edited), everything, median(full), target=FULL_EDIT_TARGET,
                note="a fresh process: Python and the libraries of every format rebuilt come first"),
            under_watch]


def _process_cpu(pid: int) -> float:
    """User + system seconds of a running process and the children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def watched_edits(bench: Bench, formats: Sequence[str], text: str) -> list[Run]:
    """One-sentence edits saved while ``publisher watch`` runs: each from the save to the
    line saying it watches again, with the CPU the watching process spent meanwhile."""
    import queue

    project = bench.project
    project.main_source.write_text(text, encoding="utf-8")
    project.build(formats)  # up to date: watch's first build has nothing to do
    command = [sys.executable, "-m", "publisher", "watch", "--quiet", "--interval", "0.05",
               "--output", project.root / "output", "--formats", ",".join(formats)]
    process = subprocess.Popen([str(part) for part in command], cwd=project.root, env=project.env,
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()  # type: ignore

    def watching_again() -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.01)
            except queue.Empty:
                if process.poll() is not None and lines.empty():  # e.g. an older watch without --interval
                    raise Failed(f"publisher watch … exited {process.returncode}") from None
                continue
            if line.startswith("watching"):
                return
            if "Traceback" in line or line.startswith("error") or ": error:" in line:
                raise Failed(f"publisher watch … {line.strip()}")
        raise Failed(f"publisher watch … no rebuild within {TIMEOUT} s")

    results = []
    try:
        watching_again()
        for number in range(bench.repeat):
            time.sleep(0.2)  # a save in a later clock tick than the last one
            cpu, start = _process_cpu(process.pid), time.perf_counter()
            project.main_source.write_text(text.replace(
                EDITED_SENTENCE, EDITED_SENTENCE.replace("ignored", f"ignored {number + 1} times under watch")),
                encoding="utf-8")
            watching_again()
            results.append(Run(time.perf_counter() - start, _peak_mb(process.pid), _process_cpu(process.pid) - cpu))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        project.main_source.write_text(text, encoding="utf-8")
    return results


def many_publications(bench: Bench) -> list[Row]:
    """Many publications in one build: how time and memory grow."""
    formats = available(list(TEXT_FORMATS))
    rows: list[Row] = []
    single: Run | None = None
    for copies in bench.scales if formats else ():
        bench.say(f"  {copies} publications")
        many = Project(bench.work / f"many-{copies}", bench.code, copies)
        results = []
        for _ in range(bench.scale_repeat):
            many.forget_everything()
            results.append(many.build(formats))
        result = median(results)
        single = single or result
        rows.append(Row(f"{copies} publication{'s' if copies > 1 else ''} at once ({','.join(formats)})", result,
                        "1 publication" if copies > 1 else "", single if copies > 1 else None,
                        f"{result.seconds / copies:.2f} s and {result.peak_mb / copies:.1f} MB a publication"))
        if copies > 1 and shutil.which("pandoc"):
            theirs = [runs(*(lambda slug=slug, many=many: pandoc_word_and_epub(many, bench.work,
                                                                              many.source / f"{slug}.md")
                             for slug in many.slugs)) for _ in range(bench.scale_repeat)]
            rows.append(Row(f"{copies} publications at once ({','.join(formats)})", result,
                            f"pandoc → docx, then → epub, once per file ({2 * copies} runs)", median(theirs),
                            "ours also writes the PDFs; pandoc no PDF", target=MANY_TARGET))
        shutil.rmtree(many.root)
    return rows


COMPARISONS = (word_and_epub, cold_text_formats, pdf_booklet, audio, edit_loop, many_publications)


def snapshot(code: Path, working_tree: bool, commit: str = "HEAD") -> Path:
    """A copy of publisher/ to build with: a commit (the last by default), or with --working-tree
    the files as they are."""
    if working_tree or not (ROOT / ".git").exists():
        shutil.copytree(ROOT / "publisher", code / "publisher", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        code.mkdir()
        archive = subprocess.run(["git", "-C", ROOT, "archive", commit, "publisher"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", code], input=archive.stdout, check=True)
    # Compiled once, as pip compiles an installed package: with PYTHONDONTWRITEBYTECODE set
    # (as in some containers) every run would otherwise compile the package again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", code / "publisher"], check=True,
                   stdout=subprocess.DEVNULL)
    return code


def run_all(repeat: int, scale_repeat: int, scales: tuple[int, ...], work: Path, working_tree: bool,
            commit: str = "HEAD", only: tuple[str, ...] = ()) -> list[Row]:
    code = snapshot(work / "code", working_tree, commit)
    bench = Bench(repeat, scale_repeat, scales, work, code, Project(work / "one", code))
    rows: list[Row] = []
    for comparison in COMPARISONS:
        if only and comparison.__name__ not in only:
            continue
        bench.say(f"{comparison.__doc__.splitlines()[0]}")
        try:
            rows += comparison(bench)
        except Failed as failure:  # one failing writer must not lose the other figures
            bench.say(f"  failed: {failure}")
            rows.append(Row(comparison.__name__.replace("_", " "), Run(float("nan"), float("nan")),
                            note=f"FAILED: {failure}"))
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| task | ours wall (s) | ours CPU (s) | ours processes | ours peak (MB) | compared with | theirs wall (s) "
        "| theirs CPU (s) | theirs processes | theirs peak (MB) | ours ÷ theirs, wall | ours ÷ theirs, CPU "
        "| target (wall) | note |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        ours, theirs = row.ours, row.theirs
        if math.isnan(ours.seconds):
            lines.append(f"| {row.task} | failed | | | | | | | | | | | | {row.note} |")
            continue
        them = (f"{theirs.seconds:.2f} | {theirs.cpu:.2f} | {theirs.processes or '—'} | {theirs.peak_mb:.0f}"
                if theirs else "— | — | — | —")
        lines.append(
            f"| {row.task} | {ours.seconds:.2f} | {ours.cpu:.2f} | {ours.processes or '—'} | {ours.peak_mb:.0f} | "
            f"{row.reference or '—'} | {them} | {row.ratio} | {row.cpu_ratio} | {row.verdict} | {row.note} |")
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
        first = (done.stdout or done.stderr).strip().splitlines()[0]
        return re.split(r"\s{2,}|\(http", first)[0].strip()  # "eSpeak NG …: 1.51  Data at: …" → the name and version

    return (f"{cpu}, {os.cpu_count()} cores, {memory} MB RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {version(['pandoc', '--version'])}; "
            f"{version(['espeak-ng', '--version'])}; {version(['lame', '--version'])}")


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5, help="runs per comparison (median taken); default 5")
    options.add_argument("--scale-repeat", type=int, default=3, help="runs per publication count; default 3")
    options.add_argument("--publications", type=lambda text: tuple(int(n) for n in text.split(",")), default=SCALES,
                         help=f"publication counts to build at once; default {','.join(map(str, SCALES))}")
    options.add_argument("--only", type=lambda text: tuple(text.split(",")), default=(),
                         help=f"only these comparisons: {','.join(c.__name__ for c in COMPARISONS)}")
    options.add_argument("--results", type=Path, default=HERE / "results.md", help="where to write the table")
    options.add_argument("--commit", default="HEAD", help="bench publisher/ as of this commit (default: HEAD)")
    options.add_argument("--working-tree", action="store_true",
                         help="bench publisher/ as it is on disk, uncommitted edits included "
                              "(default: the last commit)")
    args = options.parse_args(argv)
    started = time.perf_counter()
    # Named now: a commit made while the benchmark runs must not take the credit.
    built = "the working tree" if args.working_tree else "commit " + subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--short", args.commit], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="publisher-bench-") as work:
        rows = run_all(args.repeat, args.scale_repeat, args.publications, Path(work), args.working_tree,
                       args.commit, args.only)
    result = table(rows)
    header = (f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC in {time.perf_counter() - started:.0f} s "
              f"with {built}, "
              f"medians of {args.repeat} runs ({args.scale_repeat} for the publication counts), on: {machine()}")
    print(result)
    args.results.write_text(f"# Benchmark results\n\n{header}\n\n{result}\n", encoding="utf-8")
    print(f"\nwritten to {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
