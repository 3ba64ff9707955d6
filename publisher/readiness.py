"""Is the publication ready for families? The reasons it is still a draft.

A link that goes nowhere, a placeholder left in the text, or a review date
that has passed sends a parent to a dead end or to out-of-date advice. The
build says so in one line, the report's verdict becomes "Draft: not ready"
with these reasons, and the words stay: the editors decide what to cut.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .model import Document, plain
from .visit import part_runs

# Text an editor leaves to be filled in later.
_PLACEHOLDER = re.compile(r"\[(?:add|insert|enter|tbc|todo)\b[^\]]*\]|\b(?:TODO|TBC|XXX|FIXME)\b|lorem ipsum",
                          re.IGNORECASE)


def draft_reasons(document: Document, today: dt.date | None = None) -> list[str]:
    """Why the publication is not ready, one plain sentence each (none when it is).

    ``today`` (for the report only: never stamped into a file) makes a review
    date that has passed a reason too."""
    reasons: list[str] = []
    for section in document.sections:
        blocks = section.reading_order()
        for block in blocks:
            for runs in part_runs(block):
                for run in runs:
                    if run.link == "":
                        reasons.append(f"line {block.line}: the link '{run.text.strip()}' goes nowhere yet")
                text = plain(runs)
                for match in _PLACEHOLDER.finditer(text):
                    reasons.append(f"line {block.line}: a placeholder '{match.group(0)}' is still in the text")
        body = [block for block in blocks if block is not section.heading]
        if body and all(all(run.link == "" or not run.text.strip() for runs in part_runs(b) for run in runs)
                        and part_runs(b) for b in body):
            reasons.append(f"line {section.line}: the section '{section.title}' holds only a link that goes nowhere")
    disclaimer = document.meta.disclaimer
    if disclaimer is not None and disclaimer.link == "":
        reasons.append(f"the disclaimer link '{disclaimer.text}' goes nowhere yet")
    next_review = document.meta.next_review
    if today is not None and next_review and dt.date.fromisoformat(next_review) < today:
        reasons.append(f"the review due on {next_review} has passed: check the advice is still right")
    return reasons


def today() -> dt.date:
    """The day a report judges review dates by: SOURCE_DATE_EPOCH's when set
    (so a reproducible report stays reproducible), else the clock's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
