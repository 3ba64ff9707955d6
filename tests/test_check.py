"""``publisher check``: its exit status, the format checks it tolerates being
absent or broken, and the report a person reads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from lxml import etree

from publisher import formats
from publisher.cli import main
from publisher.formats import Format
from publisher.manifest import NAME as MANIFEST
from publisher.quality.check import CHECKED, FAILED, NO_CHECK, NOT_BUILT, check_document
from publisher.reader import read

WARNINGS_ONLY = "## Help\n\nFind it [here](https://example.org/help).\n\n## More\n\nWe play.\n"
WITH_ERROR = "## Help\n\nWords.\n\n![smile.png](images/smile.png)\n"


@pytest.fixture
def project(tmp_path, monkeypatch, make_source):
    """An editor's project folder (the current directory): ``project(body)`` writes source/test.md."""
    monkeypatch.chdir(tmp_path)
    return lambda body: make_source(body, folder=tmp_path / "source")


def test_check_exits_zero_with_warnings_only(project, capsys):
    project(WARNINGS_ONLY)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "test: 0 errors, 1 warning, 0 notes" in out
    assert Path("output/test/report.html").is_file()


def test_check_exits_non_zero_on_an_error_and_names_it(project, capsys):
    project(WITH_ERROR)
    assert main(["check"]) == 2
    captured = capsys.readouterr()
    assert "test: 1 error, 0 warnings" in captured.out
    assert "source/test.md:12" in captured.err and "describes nothing" in captured.err


def test_check_of_bad_source_is_bad_input(project, capsys):
    project("Words.\n").write_text("no front matter\n", encoding="utf-8")
    assert main(["check"]) == 2
    assert "has no front matter" in capsys.readouterr().err


def fake_build(out_dir: Path, name: str, files: list[str]) -> None:
    """What a build leaves: the files and the manifest naming them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for file in files:
        (out_dir / file).write_bytes(b"x")
    manifest = out_dir / MANIFEST
    entries = json.loads(manifest.read_text()) if manifest.exists() else {}
    entries[name] = {"inputs": "", "files": files, "data": {}}
    manifest.write_text(json.dumps(entries))


def test_missing_unbuilt_and_broken_checks_are_reported_not_crashed_on(project, tmp_path, monkeypatch):
    # Stand-in formats: a check that works, one not written yet, one that breaks,
    # one whose own import fails (a validator library missing), one not built.
    (tmp_path / "fakechecks").mkdir()
    (tmp_path / "fakechecks" / "good.py").write_text(
        "from publisher.diagnostics import Diagnostic, WARNING\n"
        "def check(out_dir, document):\n"
        "    return [Diagnostic(WARNING, 'test.good', 'a little wrong', 9)]\n")
    (tmp_path / "fakechecks" / "broken.py").write_text("def check(out_dir, document):\n    raise OSError('no java')\n")
    (tmp_path / "fakechecks" / "needs_more.py").write_text("import a_validator_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path / "fakechecks"))
    stand_ins = tuple(Format(name, "unused", check) for name, check in (
        ("good", "good"), ("absent", "no_such_check_module"), ("broken", "broken"),
        ("needs_more", "needs_more"), ("unbuilt", "good")))
    monkeypatch.setattr(sys.modules["publisher.quality.check"], "FORMATS", stand_ins)
    document = read(project(WARNINGS_ONLY))
    out_dir = tmp_path / "output" / "test"
    for name in ("good", "absent", "broken", "needs_more"):
        fake_build(out_dir, name, [f"test.{name}"])

    outcome = check_document(document, tmp_path / "output", lambda message: None)

    status = {result.name: result.status for result in outcome.formats}
    assert status == {"good": CHECKED, "absent": NO_CHECK, "broken": FAILED, "needs_more": FAILED, "unbuilt": NOT_BUILT}
    broken = next(r for r in outcome.formats if r.name == "broken")
    assert "no java" in broken.findings[0].message and broken.findings[0].severity == "error"
    page = etree.fromstring(outcome.report.read_bytes(), etree.HTMLParser(recover=False))
    validators = page.xpath("//table[starts-with(caption, 'Validators')]/tbody/tr")
    rows = {tuple(cell.xpath("string()") for cell in row) for row in validators}
    assert ("good", "test.good", "1 warning") in rows and ("broken", "test.broken", "check failed") in rows
    html = outcome.report.read_text(encoding="utf-8").lower()
    assert "a little wrong" in html and "no java" in html and "not built" in html and "no check yet" in html


# -- the report ------------------------------------------------------------------


@pytest.fixture(scope="module")
def guidance_report(tmp_path_factory, document):
    output = tmp_path_factory.mktemp("output")
    outcome = check_document(document, output, lambda message: None)
    parser = etree.HTMLParser(recover=False)
    return outcome, etree.fromstring(outcome.report.read_bytes(), parser)


def test_report_is_html_with_language_title_and_headings(guidance_report):
    outcome, page = guidance_report
    assert page.get("lang") == "en"
    assert page.findtext("head/title") == "Quality report: Infant Mental Health"
    assert [h.text for h in page.iter("h1")] == ["Quality report: Infant Mental Health"]
    assert not page.xpath("//script | //link[@rel='stylesheet'] | //img")  # self-contained


def test_report_has_a_readability_table_per_section(guidance_report):
    outcome, page = guidance_report
    captions = [c.xpath("string()") for c in page.iter("caption")]
    expected = [f"Readability of “{s.title}”" for s in outcome.document.sections]
    assert [c for c in captions if c.startswith("Readability")] == expected
    for table in page.xpath("//table[starts-with(caption, 'Readability')]"):
        assert table.xpath("thead/tr/th[@scope='col']") and len(table.xpath("tbody/tr/th[@scope='row']")) == 6
        assert "Flesch reading ease" in table.xpath("string()")


def test_every_source_finding_links_to_its_line_in_the_source(guidance_report):
    outcome, page = guidance_report
    links = {a.text: a.get("href") for a in page.iter("a") if (a.text or "").startswith("line ")}
    for finding in outcome.findings:
        href = links[f"line {finding.line}"]
        path, _, anchor = href.partition("#")
        assert (outcome.report.parent / path).resolve() == outcome.document.source.resolve()
        assert anchor == f"L{finding.line}"
    assert outcome.findings  # the guidance does have findings (the link that says "here")


def test_report_lists_every_output_format(guidance_report):
    outcome, page = guidance_report
    table = page.xpath("//table[starts-with(caption, 'Validators')]")[0]
    names = [th.text for th in table.xpath("tbody/tr/th")]
    assert list(dict.fromkeys(names)) == list(formats.NAMES)


def test_report_is_reproducible(guidance_report, document):
    outcome, _ = guidance_report
    first = outcome.report.read_bytes()
    check_document(document, outcome.report.parent.parent, lambda message: None)
    assert outcome.report.read_bytes() == first
