"""The accessibility and readability lint: each rule fires on a source that
breaks it, stays quiet on one that does not, and names the right line."""

from __future__ import annotations

import pytest

from conftest import SOURCE
from publisher.diagnostics import ERROR, INFO, WARNING
from publisher.quality.lint import lint, readability
from publisher.reader import read


@pytest.fixture
def source(make_source):
    """``source(body, **front_matter)``: a publication with that body (from line 8), read."""
    return lambda body, **front_matter: read(make_source(body, **front_matter))


def findings_about(document, words: str):
    return [f for f in lint(document) if words in f.message]


# -- links -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["click here", "Here", "read more", "Click here."])
def test_link_text_that_says_nothing_is_a_warning(source, text):
    document = source(f"Some words.\n\n[{text}](https://example.org/a)\n")
    found = findings_about(document, "says nothing")
    assert [(f.severity, f.line) for f in found] == [(WARNING, 10)]


def test_link_text_leaning_on_here_is_a_warning(source):
    document = source("Words first.\n\n[Read the PDF here](https://example.org/a.pdf)\n")
    assert [f.line for f in findings_about(document, "leans on 'here'")] == [10]


def test_link_text_naming_its_destination_passes(source):
    document = source("Find help on the [NHS website](https://www.nhs.uk/) and [where to get help](https://x.org/h).\n")
    assert lint(document) == []


def test_link_with_no_target_is_a_warning(source):
    document = source("The [emotional milestones chart]() is coming.\n")
    assert [(f.severity, f.line) for f in findings_about(document, "has no target")] == [(WARNING, 8)]


def test_disclaimer_link_with_no_target_names_its_front_matter_line(source):
    document = source("Words.\n", disclaimer={"text": "Read our disclaimer", "link": ""})
    assert [f.line for f in findings_about(document, "has no target")] == [6]
    with_target = source("Words.\n", disclaimer={"text": "Read our disclaimer", "link": "https://x.org/d"})
    assert findings_about(with_target, "has no target") == []


def test_the_guidance_link_read_the_pdf_here_is_found_on_its_line(document):
    line = SOURCE.read_text(encoding="utf-8").splitlines().index("[Read the PDF here]()") + 1
    found = [f for f in lint(document) if f.line == line]
    assert {f.severity for f in found} == {WARNING}
    assert any("no target" in f.message for f in found) and any("'here'" in f.message for f in found)


# -- images ------------------------------------------------------------------------


@pytest.mark.parametrize("alt", ["smile.png", "smile", "image", "Picture"])
def test_alt_text_that_describes_nothing_is_an_error(source, alt):
    document = source(f"Words.\n\n![{alt}](images/smile.png)\n")
    found = findings_about(document, "describes nothing")
    assert [(f.severity, f.line) for f in found] == [(ERROR, 10)]


def test_alt_text_starting_image_of_is_a_warning(source):
    document = source("Words.\n\n![Image of a parent smiling at a baby](images/smile.png)\n")
    assert [f.severity for f in findings_about(document, "already say it is an image")] == [WARNING]


def test_real_alt_text_passes(source):
    document = source("Words.\n\n![A parent smiling at a baby who smiles back](images/smile.png)\n")
    assert lint(document) == []


# -- headings ----------------------------------------------------------------------


def test_a_skipped_heading_level_is_a_warning(source):
    document = source("## Section\n\nWords.\n\n#### Too deep\n\nMore words.\n")
    found = findings_about(document, "heading level 4")
    assert [(f.severity, f.line) for f in found] == [(WARNING, 12)]


def test_headings_in_order_pass(source):
    document = source("## Section\n\nWords.\n\n### Inside\n\nMore words.\n\n## Next\n\nText.\n")
    assert lint(document) == []


# -- sentence and paragraph length ----------------------------------------------------


def sentence(count: int) -> str:
    return " ".join(["Word"] + ["word"] * (count - 2)) + " end."


def test_a_sentence_over_25_words_is_a_warning(source):
    document = source(f"Short one. {sentence(26)}\n")
    found = findings_about(document, "sentence of 26 words")
    assert [(f.severity, f.line) for f in found] == [(WARNING, 8)]


def test_a_sentence_of_25_words_passes(source):
    assert findings_about(source(f"{sentence(25)}\n"), "a sentence of") == []


def test_a_long_sentence_in_a_quotation_is_only_a_note(source):
    document = source(f"Words.\n\n> {sentence(30)}\n>\n> — Someone, 2020\n")
    assert [(f.severity, f.line) for f in findings_about(document, "in a quotation")] == [(INFO, 10)]


def test_a_paragraph_over_five_sentences_is_a_warning(source):
    document = source("Intro.\n\nOne. Two. Three. Four. Five. Six.\n")
    found = findings_about(document, "paragraph of 6 sentences")
    assert [(f.severity, f.line) for f in found] == [(WARNING, 10)]


def test_a_paragraph_of_five_sentences_passes(source):
    assert findings_about(source("One. Two. Three. Four. Five.\n"), "paragraph of") == []


# -- readability -------------------------------------------------------------------


def test_reading_ease_and_grade_follow_the_flesch_formulas(source):
    document = source("The cat sat on the mat. The dog ran to the tree.\n")
    figures = readability(document.sections[0])
    assert (figures.words, figures.sentences, figures.syllables, figures.longest_sentence) == (12, 2, 12, 6)
    assert figures.reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1)
    assert figures.grade == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)


def test_the_heading_counts_as_a_sentence_of_its_section(source):
    document = source("## Tuning in\n\nBabies crave interactions.\n")
    assert readability(document.sections[0]).sentences == 2


HARD = ("Notwithstanding considerable methodological heterogeneity, contemporary neurodevelopmental "
        "investigations consistently demonstrate that intersubjective attunement substantially "
        "facilitates physiological self-regulation. ")
EASY = "We play with our baby. We smile and we talk. Our baby smiles back at us. "


def test_a_hard_section_gets_a_warning_with_its_figures(source):
    document = source(f"## Research\n\n{HARD * 4}\n")
    found = findings_about(document, "hard to read")
    assert [(f.severity, f.line) for f in found] == [(WARNING, 8)]
    assert "reading ease" in found[0].message and "grade" in found[0].message


def test_an_easy_section_passes(source):
    document = source("## Play\n\n" + "\n\n".join([EASY] * 4) + "\n")
    assert readability(document.sections[0]).reading_ease > 80
    assert lint(document) == []


def test_findings_come_in_source_order_whichever_rule_found_them(source):
    # The link rules run before the image rules, so a picture above a vague link
    # is found second and must still be listed first.
    document = source("Words.\n\n![smile.png](images/smile.png)\n\n[click here](https://example.org/a)\n")
    assert [(f.line, f.severity) for f in lint(document)] == [(10, ERROR), (12, WARNING)]
