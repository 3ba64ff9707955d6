"""The quality report: ``output/<slug>/report.html``, for a person, not a log.

One self-contained page (inline CSS, no scripts, nothing fetched): a verdict
and counts first, then each section with its readability figures and what to
fix in it, each finding linked to its source line, then every output file
with its validators' results. No date or time is printed, so the same source
and outputs give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from html import escape
from pathlib import Path

from ..diagnostics import ERROR, INFO, WARNING, Diagnostic
from ..files import write_bytes
from ..model import Section
from ..readiness import draft_reasons, today
from ..sourcefiles import display_path
from .lint import (
    HARD_READING_EASE,
    LONG_SENTENCE_WORDS,
    MIN_WORDS_TO_SCORE,
    readability,
)
from .outcome import CHECKED, FormatResult, Outcome, plural, verdict

LABELS = {ERROR: "Error", WARNING: "Warning", INFO: "Note"}

# Colours: every text/background pair reaches 7:1 (WCAG AAA); severity is
# also written as a word, never shown by colour alone.
CSS = """
:root { color: #1a1a1a; background: #ffffff; }
body { font: 1.05rem/1.5 "Atkinson Hyperlegible", Arial, Helvetica, sans-serif; margin: 0 auto;
       max-width: 62rem; padding: 1.5rem; }
h1, h2, h3 { color: #1f4e79; line-height: 1.25; }
h1 { margin-bottom: .2rem; }
.subtitle { margin-top: 0; font-size: 1.15rem; }
.verdict { border-left: .4rem solid #1f4e79; background: #eaf1f8; padding: .8rem 1rem; font-size: 1.1rem; }
.verdict.failed { border-color: #8a1c1c; background: #fdecec; }
table { border-collapse: collapse; margin: .6rem 0 1rem; min-width: 60%; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #8c8c8c; padding: .35rem .7rem; text-align: left; vertical-align: top; }
thead th { background: #eaf1f8; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.over { font-weight: bold; }
ul.findings { list-style: none; padding: 0; }
ul.findings li { margin: 0 0 .7rem; padding: .4rem .6rem; border-left: .3rem solid #8c8c8c; }
ul.findings li.error { border-color: #8a1c1c; }
ul.findings li.warning { border-color: #7a4b00; }
.badge { display: inline-block; min-width: 4.5rem; font-weight: bold; }
.error .badge { color: #8a1c1c; }
.warning .badge { color: #6b4100; }
.info .badge { color: #1f4e79; }
code, .excerpt { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .92rem; }
.excerpt { display: block; margin-top: .25rem; color: #333333; white-space: pre-wrap; }
a { color: #1f4e79; }
a:focus { outline: 3px solid #1a1a1a; }
"""


def write_report(outcome: Outcome) -> None:
    write_bytes(outcome.report, render(outcome).encode("utf-8"))


def render(outcome: Outcome) -> str:
    document = outcome.document
    title = f"Quality report: {document.meta.title}"
    source_lines = _source_lines(document.source)
    link = _source_link(outcome)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="subtitle">Source: <a href="{escape(link)}"><code>{escape(_shown_source(outcome))}</code></a></p>',
        _summary(outcome),
    ]
    errors = [finding for finding in outcome.all_findings() if finding.severity == ERROR]
    if errors:  # what stops publication comes first, wherever it was found
        parts += ["<h2>Fix first</h2>", _findings(errors, link, source_lines, show_file=True)]
    parts.append("<h2>Sections</h2>")
    by_section = _group(outcome.findings, document.sections)
    front = by_section.pop(None, [])
    if front:
        parts += ["<section><h3>Front matter</h3>", _findings(front, link, source_lines), "</section>"]
    for section in document.sections:
        parts.append(_section(section, by_section.get(section.number, []), link, source_lines))
    parts += ["<h2>Output files</h2>", _formats(outcome, link, source_lines), _about(), "</main></body></html>"]
    return "\n".join(parts) + "\n"


def _summary(outcome: Outcome) -> str:
    errors, warnings, notes = (outcome.count(s) for s in (ERROR, WARNING, INFO))
    reasons = draft_reasons(outcome.document, today())
    draft = ""
    if errors:
        verdict_text = f"Not ready to publish: {plural(errors, 'error')} to fix first."
    elif reasons:
        verdict_text = f"Draft: not ready. {plural(len(reasons), 'thing')} would send families to a dead end:"
        draft = '<ul class="reasons">' + "".join(f"<li>{escape(reason)}</li>" for reason in reasons) + "</ul>"
    elif warnings:
        verdict_text = f"Ready to publish; {plural(warnings, 'warning')} worth a look before printing."
    else:
        verdict_text = "Ready to publish: nothing to fix."
    checked = [r for r in outcome.formats if r.status == CHECKED]
    return (
        f'<p class="verdict{" failed" if errors or reasons else ""}">{escape(verdict_text)}</p>{draft}'
        "<ul>"
        f"<li>{plural(errors, 'error')}, {plural(warnings, 'warning')} and {plural(notes, 'note')} in all.</li>"
        f"<li>{plural(len(outcome.findings), 'finding')} about the source text, over "
        f"{plural(len(outcome.document.sections), 'section')}.</li>"
        f"<li>{len(checked)} of {len(outcome.formats)} output formats checked.</li>"
        "</ul>"
    )


def _section(section: Section, findings: list[Diagnostic], link: str, source_lines: list[str]) -> str:
    figures = readability(section)
    scored = figures.words >= MIN_WORDS_TO_SCORE
    rows = [
        ("Words", f"{figures.words}", "", False),
        ("Sentences", f"{figures.sentences}", "", False),
        ("Words per sentence (average)", f"{figures.words_per_sentence:.1f}", "15 to 20",
         figures.words_per_sentence > 20),
        ("Longest sentence (words)", f"{figures.longest_sentence}", f"{LONG_SENTENCE_WORDS} or fewer",
         figures.longest_sentence > LONG_SENTENCE_WORDS),
        ("Flesch reading ease", f"{figures.reading_ease:.0f}" if scored else "too short to score",
         "60 or more", scored and figures.reading_ease < HARD_READING_EASE),
        ("Flesch–Kincaid grade", f"{figures.grade:.1f}" if scored else "too short to score",
         "8 or lower", scored and figures.grade > 8),
    ]
    body = "".join(
        f'<tr><th scope="row">{name}</th>'
        f'<td class="number{" over" if over else ""}">{escape(value)}{" (over)" if over else ""}</td>'
        f"<td>{aim}</td></tr>"
        for name, value, aim, over in rows
    )
    heading = f"{section.number}. {section.title}"
    return (
        f'<section><h3 id="section-{section.number}">{escape(heading)}</h3>'
        f"<p>Starts at <a href=\"{escape(link)}#L{section.line}\">line {section.line}</a>.</p>"
        f"<table><caption>Readability of “{escape(section.title)}”</caption>"
        '<thead><tr><th scope="col">Measure</th><th scope="col">This section</th><th scope="col">Aim</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
        + (_findings(findings, link, source_lines) if findings else "<p>Nothing to fix in this section.</p>")
        + "</section>"
    )


def _findings(findings: Iterable[Diagnostic], link: str, source_lines: list[str], show_file: bool = False) -> str:
    items = []
    for finding in findings:
        where = ""
        file = f"<code>{escape(finding.file)}</code>: " if show_file else ""
        if finding.line:
            excerpt = source_lines[finding.line - 1].strip() if 0 < finding.line <= len(source_lines) else ""
            where = (f' <a href="{escape(link)}#L{finding.line}">line {finding.line}</a>'
                     + (f'<span class="excerpt">{escape(excerpt)}</span>' if excerpt else ""))
        message = finding.message[:1].upper() + finding.message[1:]
        badge = LABELS.get(finding.severity, finding.severity)
        items.append(f'<li class="{finding.severity}"><span class="badge">{badge}</span> '
                     f"{file}{escape(message)}{where}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>'


def _file_rows(result: FormatResult) -> Iterator[tuple[str, str]]:
    """(file, result) for each file of a format; findings about no one file get a row of their own."""
    if result.status != CHECKED or not result.files:
        yield from ((file, result.status) for file in result.files or ("—",))
        return
    names = {Path(file).name for file in result.files}
    for file in result.files:
        about = tuple(f for f in result.findings if Path(f.file).name == Path(file).name)
        yield file, verdict(replace(result, findings=about))
    general = tuple(f for f in result.findings if Path(f.file).name not in names)
    if general:
        yield "(all its files)", verdict(replace(result, findings=general))


def _formats(outcome: Outcome, link: str, source_lines: list[str]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(result.name)}</th><td><code>{escape(file)}</code></td>'
        f"<td>{escape(said)}</td></tr>"
        for result in outcome.formats
        for file, said in _file_rows(result)
    )
    parts = [
        "<table><caption>Validators’ results per output file</caption>"
        '<thead><tr><th scope="col">Format</th><th scope="col">File</th><th scope="col">Result</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    ]
    for result in outcome.formats:
        if result.findings:
            parts += [f"<h3>{escape(result.name)}</h3>", _findings(result.findings, link, source_lines, show_file=True)]
    hints = {"not built": "run <code>make</code> to build it", "no check yet": "its validator is not written yet"}
    for status, hint in hints.items():
        names = [r.name for r in outcome.formats if r.status == status]
        if names:
            parts.append(f"<p>{escape(', '.join(names))}: {escape(status)}; {hint}.</p>")
    return "".join(parts)


def _about() -> str:
    return (
        "<h2>How to read this report</h2>"
        "<p><strong>Errors</strong> stop some readers altogether (a picture a screen reader cannot describe, "
        "a file a validator rejects). <strong>Warnings</strong> make reading harder. <strong>Notes</strong> are "
        "for information: a long sentence in a quotation cannot be reworded, but it may need a summary nearby.</p>"
        "<p>Reading ease is the Flesch score of each section: 60 to 70 is plain English, below 50 is hard for "
        "many adults. The grade is the Flesch–Kincaid estimate of the US school grade needed (a UK school year "
        "is about one more). Sentences are split exactly as in the audio book and the read-aloud EPUB; "
        "syllables are counted by textstat.</p>"
        "<p>The <strong>word error rate</strong> of each audio track is how far a speech recogniser "
        "(pocketsphinx, given the book's own words as its vocabulary) gets from the words that should be heard: "
        "the words it missed, added or got wrong, divided by the words there are. 0 would be perfect; a "
        "synthetic voice the recogniser was not trained on scores about 0.1 to 0.6 even when every word is "
        "clear, so it is a check that the right speech is in the right track, not a grade of the voice. "
        "Above 0.7 is an error: silence scores about 1.0, and the wrong track 0.9 or more.</p>"
    )


def _group(findings: Iterable[Diagnostic], sections: tuple[Section, ...]) -> dict[int | None, list[Diagnostic]]:
    """Findings by the number of the section their line falls in (None: the front matter)."""
    groups: dict[int | None, list[Diagnostic]] = {}
    for finding in findings:
        number = None
        for section in sections:
            if section.line <= finding.line:
                number = section.number
        groups.setdefault(number, []).append(finding)
    return groups


def _source_lines(path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _source_link(outcome: Outcome) -> str:
    """The source file relative to the report, so the link works wherever the project is."""
    relative = os.path.relpath(outcome.document.source.resolve(), outcome.report.parent.resolve())
    return relative.replace(os.sep, "/")


def _shown_source(outcome: Outcome) -> str:
    return str(display_path(outcome.document.source))
