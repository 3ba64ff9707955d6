"""Speech text: how the guidance is spoken, rule by rule, on small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.diagnostics import SourceError
from publisher.model import (
    Callout,
    Contact,
    Document,
    Heading,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Run,
    Section,
)
from publisher.speech import Lexicon, load_lexicon, spoken, tracks
from publisher.style import load_style
from publisher.text import contact_sentences, document_sentences, reading_chunks, words

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


def test_a_quote_is_introduced_with_who_said_it_and_its_attribution_spoken_in_place():
    quote = Quote((para("Play matters. It heals."),), (Run("From a talk by Sue Gerhardt, 2004"),), 7)
    utterances = spoken_track(document(quote))[1:]
    assert [u.text for u in utterances] == [
        "A quote from a talk by Sue Gerhardt, 2004.", "Play matters.", "It heals.",
        "End of the quote from a talk by Sue Gerhardt, 2004.",
    ]
    assert [u.sentence for u in utterances] == [None, "s2-2", "s2-3", "s2-4"]
    assert utterances[1].pause == PAUSES["sentence"] and utterances[2].pause == PAUSES["paragraph"]


def test_lists_are_announced_and_numbered_items_say_their_numbers():
    numbered = ListBlock(True, ((Run("Provides safety"),), (Run("Offers a base"),)), 9, start=1)
    bullets = ListBlock(False, ((Run("Smile"),), (Run("Talk"),)), 12)
    utterances = spoken_track(document(numbered, bullets, para("Then rest.")))[1:]
    assert [u.text for u in utterances] == [
        "A numbered list of 2 steps.", "1: Provides safety.", "2: Offers a base.",
        "A list of 2 points.", "Smile.", "Talk.", "Then rest.",
    ]
    assert [u.pause for u in utterances[3:6]] == [PAUSES["announcement"], PAUSES["list_item"], PAUSES["paragraph"]]


def test_a_callout_is_introduced_and_closed():
    box = Callout("Did you know...?", (para("Brains grow."),), 14)
    assert said(document(box))[1:] == ["A box of facts.", "Did you know?", "Brains grow.", "End of the box."]


def test_the_contact_address_is_read_line_by_line_with_the_postcode_letter_by_letter():
    contact = Contact("Contact Test Press ©", "Write to:", ("One Angel", "Angel Square", "Northampton NN1 1ED"),
                      email="hello@example.org")
    doc = document(para("We play."), contact=contact)
    closing = tracks(doc, Lexicon(), STYLE)[-1]
    assert closing.slug == "contact" and closing.number == 3
    assert [u.text for u in closing.utterances] == [
        "Contact Test Press copyright.", "Write to:", "One Angel.", "Angel Square.", "Northampton N N 1, 1 E D.",
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
    doc = document(para("Sing, e.g. rhymes & songs/tunes by 50% on 2024-03-05 © etc. www.example.org/x"),
                   ListBlock(False, ((Run("Smile"),),), 9),
                   Callout("Look", (para("Grow."),), 14),
                   Quote((para("Play."),), (), 7), contact=contact)
    heard = " ".join(u.text for t in tracks(doc, Lexicon(), STYLE, terms) for u in t.utterances)
    for word in ("for example", "that is", " and ", " or ", "percent", "copyright", "a web link", "End of the",
                 "A box", "A list", "Section", "Email:", "Website:", " dot ", " at ", " slash "):
        assert word not in heard, word
    for key in ("speechforexample", "speechand", "speechor", "speechpercent", "speechcopyright", "speechandsoon",
                "speechweblink", "speechlistone", "speechbox", "speechboxend", "speechquote", "speechquoteend",
                "speechsection", "speechend", "email", "website", "speechat", "speechdot", "speechslash"):
        assert f"Q{key.upper()}Q" in heard, key
    assert "5 March 2024" in heard  # dates in the language's own month names (here the fallback's)
