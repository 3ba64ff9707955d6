"""A publication that sends families to a dead end is a draft, and says so."""

from __future__ import annotations

import datetime as dt

from lxml import html

from publisher.quality.outcome import Outcome
from publisher.quality.report import render
from publisher.reader import read
from publisher.readiness import draft_reasons

FRONT = "---\ntitle: Ready\nlanguage: en-GB\npublisher: Test Press\n---\n\n"


def _document(tmp_path, body: str):
    source = tmp_path / "ready.md"
    source.write_text(FRONT + body, encoding="utf-8")
    return read(source)


def _verdict(document) -> str:
    page = html.fromstring(render(Outcome(document, (), (), document.source.with_name("report.html"))))
    return page.xpath("string(//p[contains(@class, 'verdict')])")


def test_a_link_to_nowhere_makes_a_draft_with_the_reason_listed(tmp_path):
    document = _document(tmp_path, "## Milestones\n\n[Read the chart]()\n\n## Sleep\n\nBabies sleep.\n")
    reasons = draft_reasons(document)
    assert any("'Read the chart' goes nowhere" in reason for reason in reasons)
    assert any("'Milestones' holds only a link" in reason for reason in reasons)
    assert _verdict(document).startswith("Draft: not ready")


def test_a_placeholder_left_in_the_text_makes_a_draft(tmp_path):
    document = _document(tmp_path, "Call [Add the phone number] to book.\n")
    assert any("placeholder '[Add the phone number]'" in reason for reason in draft_reasons(document))
    assert _verdict(document).startswith("Draft: not ready")


def test_a_finished_text_is_ready(tmp_path):
    document = _document(tmp_path, "Babies sleep. [The NHS](https://www.nhs.uk) can help.\n")
    assert draft_reasons(document) == []
    assert _verdict(document).startswith("Ready to publish")


def test_a_review_date_that_has_passed_makes_the_report_a_draft(tmp_path, monkeypatch):
    source = tmp_path / "ready.md"
    front = FRONT.replace("---\n\n", "next_review: 2025-01-01\n---\n\n")
    source.write_text(front + "Babies sleep.\n", encoding="utf-8")
    document = read(source)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert _verdict(document).startswith("Draft: not ready")
    assert any("review due on 2025-01-01 has passed" in r for r in draft_reasons(document, dt.date(2026, 1, 1)))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")  # 2024-01-01: not due yet
    assert _verdict(document).startswith("Ready to publish")
    assert draft_reasons(document) == []  # the build itself never judges by the clock
