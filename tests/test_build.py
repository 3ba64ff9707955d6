"""The build as editors meet it: exit codes, messages, and outputs that are never half-written."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import SOURCE
from publisher import build as build_module
from publisher import cli, outputs
from publisher import manifest as manifest_module
from publisher.files import replacing

TEXT_FORMATS = "docx,pdf,epub"


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=600)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder (temporary files included) with a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the guidance built once into its own output folder (text formats)."""
    root = tmp_path_factory.mktemp("project")
    (root / "source").mkdir()
    source = root / "source" / SOURCE.name
    source.write_bytes(SOURCE.read_bytes())
    result = run("build", str(source), "--output", str(root / "output"), "--formats", TEXT_FORMATS, cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_a_no_change_build_does_nothing_and_says_so(project):
    result = run("build", "source/infant-mental-health.md", "--formats", TEXT_FORMATS, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "nothing to do" in result.stdout


def test_bad_input_exits_2_names_file_and_line_and_keeps_earlier_outputs(project):
    before = snapshot(project / "output")
    source = project / "source" / "infant-mental-health.md"
    good = source.read_text(encoding="utf-8")
    try:
        source.write_text(good.replace("language: en-GB", "language: en-GB\ncolour: blue"), encoding="utf-8")
        result = run("build", "--formats", TEXT_FORMATS, cwd=project)
    finally:
        source.write_text(good, encoding="utf-8")
    assert result.returncode == 2
    assert "source/infant-mental-health.md:5: unknown front-matter key 'colour'" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "output") == before


def test_an_unknown_format_is_bad_input(project):
    result = run("build", "--formats", "docx,semaphore", cwd=project)
    assert (result.returncode, "unknown format 'semaphore'" in result.stderr) == (2, True)


def test_a_fault_of_the_program_exits_1_and_keeps_earlier_outputs(project, monkeypatch, capsys):
    before = snapshot(project / "output")

    def broken_writer(job):
        with replacing(job.path("half.docx")) as temporary:
            temporary.write_bytes(b"half a file")
            raise RuntimeError("the writer broke")

    monkeypatch.setattr(build_module, "writer", lambda name: broken_writer)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # new inputs, so the format is not skipped
    status = cli.main(["build", "--formats", "docx", "--quiet"])
    assert status == 1
    assert "a bug, not a problem with your source" in capsys.readouterr().err
    assert snapshot(project / "output") == before


def complete(path: Path) -> bool:
    """A whole file of its kind: a zip with every entry intact, a PDF with its end marker."""
    data = path.read_bytes()
    if path.suffix in (".docx", ".epub"):
        try:
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    return bool(data)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_the_previous_outputs_intact(project, how):
    before = snapshot(project / "output")
    # A different build date changes every file, so the build really rewrites them.
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", "--formats", TEXT_FORMATS],
        cwd=project, env={**os.environ, "SOURCE_DATE_EPOCH": str(1_000_000_000 + how)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Kill it while a writer is provably at work: the PDF writer announces
    # itself after the Word files are in place and before the EPUB is begun.
    seen = []
    for line in process.stderr:
        seen.append(line)
        if ": writing pdf" in line:
            process.send_signal(how)
            break
    rest = process.stderr.read()
    process.wait(timeout=60)
    assert process.returncode in (-how, 128 + how), ("the build was not killed", process.returncode, seen, rest)
    after = snapshot(project / "output")
    out = project / "output" / SOURCE.stem
    word, book = outputs.leaflet(SOURCE.stem), outputs.epub(SOURCE.stem)
    assert after[f"{SOURCE.stem}/{word}"] != before[f"{SOURCE.stem}/{word}"], "the Word writer had not run"
    assert after[f"{SOURCE.stem}/{book}"] == before[f"{SOURCE.stem}/{book}"], "the EPUB writer had already run"
    if how == signal.SIGKILL:
        # A killed process cannot clean up; the next build (which takes the lock) does.
        assert run("build", "--formats", "docx", cwd=project).returncode == 0
        after = snapshot(project / "output")
    assert not [name for name in after if name.endswith(".partial")]
    for name in before:
        if name != f"{SOURCE.stem}/{manifest_module.NAME}":  # the manifest records finished formats as it goes
            assert name in after, f"{name} was lost"
            assert complete(project / "output" / name), f"{name} is not a whole file"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        Path(name).name for name in before if not Path(name).name.startswith("."))
    # The next build finishes the job.
    assert run("build", "--formats", TEXT_FORMATS, cwd=project).returncode == 0


def test_two_builds_at_once_take_turns(project):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1200000000"}
    processes = [subprocess.Popen([sys.executable, "-m", "publisher", "build", "--formats", TEXT_FORMATS, "--quiet"],
                                  cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    # One built, the other found everything up to date once it got the lock.
    assert sum("nothing to do" in out for out, _ in outputs) == 1
    assert not [n for n in snapshot(project / "output") if n.endswith(".partial")]


def test_the_same_source_gives_the_same_bytes(project, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for output in (first, second):
        result = run("build", "--formats", TEXT_FORMATS, "--output", str(output), cwd=project)
        assert result.returncode == 0, result.stderr
        time.sleep(1.1)  # a clock read anywhere would now show
    files = {name: digest for name, digest in snapshot(first).items() if name != manifest_module.NAME}
    assert len(files) >= 4
    assert files == {name: snapshot(second)[name] for name in files}
