"""Speech text: how the guidance is spoken, rule by rule, on small documents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FIXTURES
from publisher.diagnostics import SourceError
from publisher.model import (
    Callout,
    Contact,
    Document,
    Heading,
    ListBlock,
    Metadata,
    Note,
    Paragraph,
    Quote,
    Run,
    Section,
    Table,
)
from publisher.reader import read
from publisher.speech import Lexicon, lexicon_for, load_lexicon, spoken, tracks
from publisher.style import load_style
from publisher.terms import terms_for
from publisher.text import (
    contact_sentences,
    document_sentences,
    reading_chunks,
    section_sentences,
    sentence_groups,
    words,
)

STYLE = load_style()
PAUSES = STYLE["audio"]["pauses"]


def para(text: str, **run) -> Paragraph:
    return Paragraph((Run(text, **run),), 5)


def document(*blocks, heading: str | None = "Help", contact: Contact | None = None, number: int = 2) -> Document:
    meta = Metadata(title="Baby Days", subtitle="A short guide", language="en-GB", publisher="Test Press",
                    identifier="urn:x", date="2024-01-01", contact=contact)
    head = Heading(2, (Run(heading),), 3) if heading else None
    sections = (Section(number, "help", heading or meta.title, head, tuple(blocks), 3),)
    return Document("test", Path("test.md"), meta, sections)


def spoken_track(doc: Document, lexicon: Lexicon | None = None):
    """The first track's utterances, without "This is the end of …" (tested once, below)."""
    utterances = tracks(doc, lexicon or Lexicon(), STYLE)[0].utterances
    return utterances[:-1] if utterances[-1].text.startswith("This is the end of") else utterances


def said(doc: Document, lexicon: Lexicon | None = None) -> list[str]:
    return [u.text for u in spoken_track(doc, lexicon)]


def test_the_first_section_opens_with_the_title_announced_and_a_pause():
    utterances = tracks(document(para("We play."), heading=None, number=1), Lexicon(), STYLE)[0].utterances
    assert [u.text for u in utterances[:3]] == ["Baby Days.", "A short guide.", "From Test Press."]
    assert [u.sentence for u in utterances[:3]] == ["t-1", "t-2", None]  # the title is highlighted as it is read
    assert utterances[0].pause == PAUSES["title"]
    assert utterances[-2].text == "We play." and utterances[-2].sentence == "s1-1"
    assert utterances[-1].text == "This is the end of Baby Days." and utterances[-1].sentence is None


def test_a_section_heading_is_announced_with_its_number_and_a_pause():
    first = spoken_track(document(para("We play.")))[0]
    assert (first.text, first.sentence, first.pause) == ("Section 2: Help.", "s2-1", PAUSES["heading"])


def test_a_quote_is_led_in_and_its_attribution_said_once_in_its_place():
    quote = Quote((para("Play matters. It heals."),), (Run("Sue Gerhardt © Why Love Matters, 2004"),), 7)
    utterances = spoken_track(document(quote))[1:]
    assert [u.text for u in utterances] == [
        "A quote.", "Play matters.", "It heals.", "From Sue Gerhardt Why Love Matters, 2004.",
    ]
    assert [u.sentence for u in utterances] == [None, "s2-2", "s2-3", "s2-4"]  # the attribution keeps its id
    assert utterances[1].pause == PAUSES["sentence"] and utterances[2].pause == PAUSES["paragraph"]


def test_an_attribution_that_says_from_is_not_given_a_second_from():
    quote = Quote((para("Play matters."),), (Run("From a talk by Sue Gerhardt"),), 7)
    assert said(document(quote))[1:] == ["A quote.", "Play matters.", "From a talk by Sue Gerhardt."]


def test_a_quote_without_attribution_is_closed_instead():
    assert said(document(Quote((para("Play matters."),), (), 7)))[1:] == [
        "A quote.", "Play matters.", "End of the quote."]


def test_lists_are_announced_in_points_and_numbered_items_say_their_numbers():
    numbered = ListBlock(True, ((Run("Provides safety"),), (Run("Offers a base"),)), 9, start=1)
    bullets = ListBlock(False, ((Run("Smile"),), (Run("Talk"),)), 12)
    utterances = spoken_track(document(numbered, bullets, para("Then rest.")))[1:]
    assert [u.text for u in utterances] == [
        "A numbered list of 2 points.", "1: Provides safety.", "2: Offers a base.",
        "A list of 2 points.", "Smile.", "Talk.", "Then rest.",
    ]
    assert [u.pause for u in utterances[3:6]] == [PAUSES["announcement"], PAUSES["list_item"], PAUSES["paragraph"]]


def test_a_nested_list_is_counted_by_its_top_items_and_its_nested_run_introduced_under_its_item():
    nested = ListBlock(True, ((Run("a high temperature"),), (Run("over 38 degrees"),), (Run("over 39 degrees"),),
                              (Run("no wet nappies"),), (Run("a rash"),), (Run("that does not fade"),)), 9,
                       levels=(0, 1, 1, 0, 0, 1), nested_ordered=True)
    utterances = spoken_track(document(nested))[1:]
    assert [u.text for u in utterances] == [
        "A numbered list of 3 points.", "1: a high temperature.", "Under it, 2 points.", "1: over 38 degrees.",
        "2: over 39 degrees.", "2: no wet nappies.", "3: a rash.", "Under it, 1 point.", "1: that does not fade.",
    ]
    assert [u.sentence for u in utterances if u.sentence] == [f"s2-{n}" for n in range(2, 8)]
    bullets = ListBlock(False, ((Run("Fruit"),), (Run("apples"),), (Run("Bread"),)), 9, levels=(0, 1, 0))
    assert said(document(bullets))[1:] == ["A list of 2 points.", "Fruit.", "Under it, 1 point.", "apples.", "Bread."]


def test_a_table_is_announced_with_its_size_and_caption_then_read_row_by_row_with_the_column_names():
    table = Table(((Run("Age"),), (Run("Smiles"),), (Run("Babbles?"),)),
                  (((Run("Six weeks"),), (Run("First smiles. Real ones"),), (Run("Coos"),)),
                   ((Run("Nine months"),), (Run(""),), (Run("Says “dada”"),))), 11, caption="What you may notice")
    utterances = spoken_track(document(table))[1:]
    assert [u.text for u in utterances] == [
        "A table of 2 rows.", "What you may notice.", "The columns are:", "Age.", "Smiles.", "Babbles?",
        "Six weeks.", "Smiles: First smiles.", "Real ones.", "Babbles: Coos.",
        "Nine months.", "Babbles: Says “dada”.", "End of the table.",
    ]
    ids = [u.sentence for u in utterances]
    assert ids[1] == "s2-2" and ids[3:6] == ["s2-3", "s2-4", "s2-5"]
    # every cell's sentence keeps its id: the ones text.section_sentences gives the cells
    doc = document(table)
    cells = {s.id: s.text for s in section_sentences(doc.sections[0])}
    assert [cells[u.sentence] for u in utterances[6:12]] == [
        "Six weeks", "First smiles.", "Real ones", "Coos", "Nine months", "Says “dada”"]
    assert [u.pause for u in utterances[6:10]] == [PAUSES["sentence"]] * 3 + [PAUSES["list_item"]]
    assert said(document(Table(((Run("A"),),), (((Run("x"),),),), 3)))[1:] == [
        "A table of 1 row.", "The columns are:", "A.", "x.", "End of the table."]


def test_a_callout_is_introduced_by_its_own_title_and_closed():
    box = Callout("Did you know...?", (para("Brains grow."),), 14)
    assert said(document(box))[1:] == ["Did you know?", "Brains grow.", "End of the box."]
    assert said(document(Callout("", (para("Brains grow."),), 14)))[1:] == ["A box.", "Brains grow.", "End of the box."]


def test_a_cross_reference_says_its_words_and_a_source_marker_says_nothing():
    doc = document(Paragraph((Run("See "), Run("when to get help", link="#when-to-get-help"), Run(".")), 5),
                   Paragraph((Run("Babies grow."), Run("", note=1), Run(" Parents sing."), Run("", note=2)), 6))
    assert said(doc)[1:] == ["See when to get help.", "Babies grow.", "Parents sing."]


def test_the_sources_are_read_once_at_the_end_in_their_own_track_before_the_contact_details():
    notes = (Note(1, (Run("NHS, Start for Life, 2023"),), 20), Note(2, (Run("NHS 111. Any time of day"),), 21))
    doc = replace(document(Paragraph((Run("Babies grow."), Run("", note=1)), 6),
                           contact=Contact("Call us", address=("One Angel",))), notes=notes)
    result = tracks(doc, Lexicon(), STYLE)
    assert [t.slug for t in result] == ["help", "sources", "contact"]
    sources = result[1]
    assert sources.title == "Sources" and sources.number == 3
    assert [(u.text, u.sentence) for u in sources.utterances] == [
        ("Sources.", None), ("1: NHS, Start for Life, 2023.", "n-1"), ("2: NHS 111.", "n-2"),
        ("Any time of day.", "n-3")]
    assert [t.sentence_ids for t in result][1:] == [[i for i, _ in group] for group in sentence_groups(doc)][1:]
    assert not any("NHS" in u.text for u in result[0].utterances)  # never inline


def test_the_review_line_is_said_before_the_end_and_a_draft_says_so_first():
    doc = replace(document(para("We play."), heading=None, number=1), meta=replace(
        document(para("x")).meta, version="1.0", reviewed="2024-01-01", next_review="2027-01-01"))
    utterances = tracks(doc, Lexicon(), STYLE)[-1].utterances
    assert [u.text for u in utterances[-2:]] == [
        "Version 1.0. Reviewed January 2024. Next review January 2027.", "This is the end of Baby Days."]
    assert utterances[-2].sentence is None
    draft = tracks(doc, Lexicon(), STYLE, draft=True)[0].utterances
    assert (draft[0].text, draft[0].sentence, draft[1].text) == ("Draft.", None, "Baby Days.")
    assert tracks(doc, Lexicon(), STYLE)[0].utterances[0].text == "Baby Days."


def test_the_milestones_are_heard_table_nesting_sources_and_review_line_included():
    """The fixture with every new construct, read back in order as a listener hears it."""
    doc = read(FIXTURES / "content" / "milestones.md")
    result = tracks(doc, lexicon_for(doc), STYLE, terms_for(doc.meta.language))
    heard = [u.text for t in result for u in t.utterances]
    expected_in_order = ["A table of 3 rows.", "What you may notice in the first year.", "The columns are:", "Age.",
                         "Six weeks.", "Smiles: First real smiles.", "Babbles: Coos and gurgles.",
                         "Babbles: Says \"mama\" or \"dada\".", "End of the table.",
                         "Read more in when to get help.", "A numbered list of 3 points.", "1: a high temperature.",
                         "Under it, 2 points.", "over 38 degrees for a baby under three months.",
                         "2: no wet nappies for twelve hours.", "Call your GP or NHS 111.", "Sources.",
                         "1: NHS, Start for Life: baby development, 2023.",
                         "2: NHS 111 online and by phone, any time of day.", "Contact Test Press.",
                         "Version 2.1. Reviewed January 2024. Next review January 2027.",
                         "This is the end of Your Baby's First Year."]
    positions = [heard.index(text) for text in expected_in_order]
    assert positions == sorted(positions)
    assert [t.sentence_ids for t in result] == [[i for i, _ in group] for group in sentence_groups(doc)]
    assert not [text for text in heard if "#" in text or "[^" in text]


def test_the_contact_address_is_read_line_by_line_with_the_postcode_letter_by_letter():
    contact = Contact("Contact Test Press ©", "Write to:", ("One Angel", "Angel Square", "Northampton NN1 1ED"),
                      email="hello@example.org")
    doc = document(para("We play."), contact=contact)
    closing = tracks(doc, Lexicon(), STYLE)[-1]
    assert closing.slug == "contact" and closing.number == 3
    assert [u.text for u in closing.utterances] == [
        "Contact Test Press.", "Write to:", "One Angel.", "Angel Square.", "Northampton N N 1, 1 E D.",
        "Email: hello at example dot org.", "This is the end of Baby Days.",
    ]
    assert [u.sentence for u in closing.utterances[:-1]] == [i for i, _ in contact_sentences(doc)]
    assert {u.pause for u in closing.utterances[2:4]} == {PAUSES["address_line"]}
    assert closing.utterances[-1].pause == PAUSES["section"]


@pytest.mark.parametrize("printed, heard", [
    ("Talk—-i.e., comment on it", "Talk, that is, comment on it"),
    ("Sing, e.g. nursery rhymes", "Sing, for example, nursery rhymes"),
    ("Updated 2024-03-05 and 7/11/2023", "Updated 5 March 2024 and 7 November 2023"),
    ("© The Project", "copyright The Project"),
    ("our fight/flight systems", "our fight or flight systems"),
    ("patterns[of brain development]", "patterns of brain development"),
    ("the system… in which", "the system, in which"),
    ("Did you know...?", "Did you know?"),
    ("See https://example.org/help/page.pdf today", "See a web link today"),
    ("Fish & chips at 50%", "Fish and chips at 50 percent"),
])
def test_symbols_abbreviations_and_dates_are_spoken_as_words(printed, heard):
    assert spoken(printed) == heard


def test_link_addresses_are_never_read_only_their_words():
    doc = document(Paragraph((Run("Read "), Run("our guide", link="https://example.org/guide"), Run(".")), 5))
    assert said(doc)[1] == "Read our guide."
    assert not any("example" in text for text in said(doc))


def test_the_lexicon_respells_whole_words_in_what_the_engine_is_given_only():
    lexicon = Lexicon({"vagal": "vaygal", "Polyvagal": "Polly-vaygal"})
    doc = document(para("The Polyvagal idea: vagal tone, VAGAL, not extravagant."))
    utterance = spoken_track(doc, lexicon)[1]
    assert utterance.say == "The Polly-vaygal idea: vaygal tone, vaygal, not extravagant."
    assert utterance.text == "The Polyvagal idea: vagal tone, VAGAL, not extravagant."


def test_every_displayed_sentence_is_spoken_once_in_order(document_fixture):
    doc = document_fixture
    spoken_ids = [u.sentence for t in tracks(doc, load_lexicon(doc.source.parent), STYLE) for u in t.utterances
                  if u.sentence]
    assert spoken_ids == [identifier for identifier, _ in document_sentences(doc)]


def test_every_word_of_the_guidance_is_heard_in_order(document_fixture):
    from publisher.text import missing_in_order

    doc = document_fixture
    heard = [w for t in tracks(doc, load_lexicon(doc.source.parent), STYLE) for u in t.utterances
             for w in words(u.text)]
    # What a reader sees, in the words a listener hears it ("i.e." → "that is").
    expected = [w for chunk in reading_chunks(doc) for w in words(spoken(chunk))]
    assert not missing_in_order(expected, heard)


def test_the_guidance_lexicon_reaches_the_names_in_it(document_fixture):
    doc = document_fixture
    lexicon = load_lexicon(doc.source.parent)
    assert {"Divecha", "Gerhardt", "Balbernie", "vagal", "Polyvagal"} <= set(lexicon.entries)
    says = " ".join(u.say for t in tracks(doc, lexicon, STYLE) for u in t.utterances)
    assert "Gair-hart" in says and "Gerhardt" not in says and "Div-vaycha" in says


@pytest.mark.parametrize("text, line, message", [
    ("Porges: Porjes\nDivecha:\n", 2, "'Divecha' has no respelling"),
    ("Porges: Porjes\nSue Gerhardt: Sue Gair-hart\n", 2, "'Sue Gerhardt' is not a single word"),
    ("Porges: Porjes\n  bad: [\n", 2, "the YAML is not valid"),
    ("- Porges\n", 1, "expected 'key: value' lines"),
])
def test_a_bad_lexicon_is_named_by_file_and_line(tmp_path, text, line, message):
    (tmp_path / "pronunciations.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_lexicon(tmp_path)
    assert error.value.diagnostic.line == line and message in error.value.diagnostic.message
    assert Path(error.value.diagnostic.file).name == "pronunciations.yaml"


def test_no_lexicon_file_means_no_respellings(tmp_path):
    assert len(load_lexicon(tmp_path)) == 0


@pytest.fixture
def document_fixture(document):
    return document


def test_every_fixed_word_spoken_comes_from_the_terms():
    """A language's terms file speaks its own words: swap each speech term for a marker."""
    from publisher.terms import Terms, terms_for

    english = terms_for("en-GB")
    spoken_keys = [key for key in english.entries if key.startswith("speech_") or key in ("phone", "email", "website")]
    marked = dict(english.entries) | {key: f"Q{key.replace('_', '').upper()}Q" for key in spoken_keys}
    marked["speech_section"] = "{number} QSPEECHSECTIONQ"
    terms = Terms("xx", marked)
    contact = Contact("Call us", "Write to:", ("One Angel",), email="hi@example.org", website="https://example.org/a")
    doc = document(para("© 2024. Sing, i.e. rhymes & songs/tunes by 50% on 2024-03-05 etc. www.example.org/x"),
                   ListBlock(False, ((Run("Smile"),),), 9),
                   ListBlock(True, ((Run("One"),), (Run("Sub"),)), 10, levels=(0, 1)),
                   Callout("", (para("Grow."),), 14),
                   Table(((Run("A"),), (Run("B"),)), (((Run("x"),), (Run("y"),)),), 15),
                   Quote((para("Play."),), (), 7), Quote((para("Rest."),), (Run("Sue"),), 8), contact=contact,
                   number=1)
    doc = replace(doc, notes=(Note(1, (Run("NHS"),), 20),),
                  meta=replace(doc.meta, version="1.0", reviewed="2024-01-01", next_review="2027-01-01"))
    result = tracks(doc, Lexicon(), STYLE, terms, draft=True)
    heard = " ".join(u.text for t in result for u in t.utterances) + " " + " ".join(t.title for t in result)
    for word in ("that is", " and ", " or ", "percent", "copyright", "a web link", "End of the",
                 "A box", "A list", "Section", "Email:", "Website:", " dot ", " at ", " slash ", "Sources", "Draft",
                 "Version", "Reviewed", "Next review", "Under it", "A table", "columns", "From "):
        assert word not in heard, word
    # Not said here: the picture's (no image), approx. and e.g., phone, and the plural of each count (its _one is).
    used = [key for key in spoken_keys if key not in ("speech_approximately", "speech_for_example", "speech_picture",
                                                      "phone")
            and not key.endswith("_many")]
    for key in used:
        assert f"Q{key.replace('_', '').upper()}Q" in heard, key
    assert "5 March 2024" in heard  # dates in the language's own month names (here the fallback's)
