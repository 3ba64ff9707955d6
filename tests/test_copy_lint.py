"""The lint catches the copy errors a proof-reader would mark: each rule has
a line that triggers it and a near miss that must not."""

from __future__ import annotations

import pytest

from publisher.quality.lint import lint
from publisher.reader import read

FRONT = "---\ntitle: Copy\nlanguage: {language}\npublisher: Test Press\n---\n\n"

CASES = [
    # (rule words in the message, a line that triggers it, a near miss that must not)
    ("unbalanced quotation marks", "She said “play with me.", "She said “play with me.”"),
    ("unbalanced quotation marks", 'He said "sleep now.', 'He said "sleep now."'),
    ("no space before '['", "early patterns[of brain development].", "early patterns [of brain development]."),
    ("doubled dash", "mind-minded talk—-for example, this.", "mind-minded talk — for example, this."),
    ("doubled dash", "talk--that is, this.", "a well-known rule."),
    ("© in the text", "The Baby Room Project© course.", "The Baby Room Project course."),
    ("is in capitals", "The brain is a SOCIAL organ.", "The NHS and your GP can help."),
    ("US spelling 'vocalizations'", "Babies' vocalizations matter.", "Babies' vocalisations matter."),
    ("US spelling 'color'", "Choose a color.", "Choose a colour."),
    ("US spelling 'organized'", "Keep things organized.", "Keep the right size of nappy."),
]


def _messages(tmp_path, body: str, language: str = "en-GB") -> list[str]:
    source = tmp_path / "copy.md"
    source.write_text(FRONT.format(language=language) + body + "\n", encoding="utf-8")
    return [finding.message for finding in lint(read(source))]


@pytest.mark.parametrize(("rule", "wrong", "right"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_each_copy_rule_triggers_on_the_slip_and_not_on_the_near_miss(tmp_path, rule, wrong, right):
    assert any(rule in message for message in _messages(tmp_path, wrong)), rule
    assert not any(rule in message for message in _messages(tmp_path, right)), rule


def test_us_spellings_are_only_flagged_in_british_english(tmp_path):
    assert any("US spelling" in m for m in _messages(tmp_path, "Choose a color.", "en-GB"))
    assert not any("US spelling" in m for m in _messages(tmp_path, "Choose a color.", "en-US"))


def test_the_copy_finding_names_the_line_of_the_slip(tmp_path):
    source = tmp_path / "copy.md"
    source.write_text(FRONT.format(language="en-GB") + "Fine words.\n\nA SHOUTING line.\n", encoding="utf-8")
    lines = [f.line for f in lint(read(source)) if "capitals" in f.message]
    assert lines == [9]


def test_the_lint_names_the_fixed_words_a_language_has_no_translation_for(tmp_path):
    romanian = [m for m in _messages(tmp_path, "Bebelușii dorm mult.", "ro") if "fixed words" in m]
    assert len(romanian) == 1 and "'ro' translation" in romanian[0]
    assert not [m for m in _messages(tmp_path, "Mae babanod yn cysgu.", "cy") if "fixed words" in m]
