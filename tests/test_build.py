"""The build as editors meet it: exit codes, messages, and outputs that are never half-written."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SOURCE
from publisher import build as build_module
from publisher import manifest as manifest_module
from publisher import cli
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
    result = run("build", "--formats", "docx,braille", cwd=project)
    assert (result.returncode, "unknown format 'braille'" in result.stderr) == (2, True)


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


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_the_previous_outputs_intact(project, how):
    before = snapshot(project / "output")
    # A different build date changes every file, so the build really rewrites them.
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", "--formats", TEXT_FORMATS, "--quiet"],
        cwd=project, env={**os.environ, "SOURCE_DATE_EPOCH": "1000000000"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.send_signal(how)
    process.wait(timeout=60)
    after = snapshot(project / "output")
    if how == signal.SIGKILL:
        # A killed process cannot clean up; the next build (which takes the lock) does.
        assert run("build", "--formats", TEXT_FORMATS, cwd=project).returncode == 0
        after = snapshot(project / "output")
    assert not [name for name in after if name.endswith(".partial")]
    for name in before:
        if name != manifest_module.NAME:  # the manifest records finished formats as it goes
            assert name in after, f"{name} was lost"
    # Whatever was replaced was replaced by a complete file of the new build.
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
