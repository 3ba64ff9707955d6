"""Speech text: the document as a listener hears it.

The only module that knows how the guidance is spoken. It turns the model into
tracks (one per section, then the contact details), each a list of utterances:
what to say, the pause after it, and which displayed sentence it speaks, so
the read-aloud EPUB can highlight the words as they are heard.

Sentences come from ``publisher.text`` (the EPUB splits with the same rules);
this module only adds what a listener needs and a reader sees for themselves:
announced title, headings, quotes, lists and boxes; symbols, abbreviations,
dates and postcodes turned into words; link addresses left out; names said
right through the pronunciation lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import SourceError
from .model import (
    Callout,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Table,
    plain,
)
from .sourcefiles import display_path, load_yaml_mapping
from .terms import FALLBACK, Terms, terms_for
from .text import Sentence, contact_sentences, section_sentences, title_sentences
from .visit import Visitor

LEXICON_FILE = "pronunciations.yaml"


@dataclass(frozen=True)
class Utterance:
    """One piece of speech, synthesised on its own and cached by its text.

    ``text`` is what the listener hears, in ordinary spelling (the reference
    for transcription checks); ``say`` is what the engine is given: the same
    words with the lexicon's respellings. ``sentence`` is the id of the
    displayed sentence it speaks ("s2-5", "c-3"), or None for announcements
    that are heard but not printed ("A quote from …").
    """

    text: str
    say: str
    pause: int  # milliseconds of silence after it
    sentence: str | None
    line: int = 0  # the source line, for messages about it


@dataclass(frozen=True)
class Track:
    """One audio file: a section of the guidance, or the closing contact details."""

    number: int
    slug: str
    title: str
    utterances: tuple[Utterance, ...]

    @property
    def sentence_ids(self) -> list[str]:
        return [u.sentence for u in self.utterances if u.sentence]


# -- the pronunciation lexicon -------------------------------------------------


class Lexicon:
    """Words the engine says wrong, mapped to respellings it says right.

    Matching is by whole word, ignoring case, so "Porges" and "Porges's" are
    both caught but "vagal" does not touch "extravagant".
    """

    def __init__(self, entries: Mapping[str, str] | None = None):
        self.entries = dict(sorted((entries or {}).items()))
        # Longest first, so "Polyvagal" wins over "vagal".
        names = sorted(self.entries, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE) if names else None
        self._lookup = {name.lower(): say for name, say in self.entries.items()}

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._lookup[match.group(0).lower()], text)

    def __len__(self) -> int:
        return len(self.entries)


_LEXICON_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")


def load_lexicon(source_folder: Path) -> Lexicon:
    """``<source folder>/pronunciations.yaml``: ``Word: respelling`` lines (none is fine)."""
    path = source_folder / LEXICON_FILE
    if not path.is_file():
        return Lexicon()
    data, lines = load_yaml_mapping(path, path.read_text(encoding="utf-8"))
    shown = display_path(path)
    for word, say in data.items():
        line = lines.get(str(word), 1)
        if not isinstance(word, str) or not _LEXICON_WORD.match(word):
            raise SourceError(shown, line, f"'{word}' is not a single word",
                              "give one word per line, e.g. 'Porges: Porjes'")
        if not isinstance(say, str) or not say.strip():
            raise SourceError(shown, line, f"'{word}' has no respelling",
                              f"write how it should sound, e.g. '{word}: {word.lower()}'")
    return Lexicon({word: say.strip() for word, say in data.items()})


# -- words for symbols, abbreviations, dates, addresses ------------------------
# The patterns are the printed forms; the words said for them are terms
# (publisher/terms/<language>.yaml, the "speech_" keys), so a translation
# speaks its own.

_URL = re.compile(r"\b(?:https?://|www\.)\S+[^\s.,;:!?)\]]", re.IGNORECASE)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
# A UK postcode: outward code (area letters, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_DASH_RUN = re.compile(r"\s*[—–][—–-]*\s*|\s+-\s+")
_SLASHED_WORDS = re.compile(r"\b([^\W\d_]+)/([^\W\d_]+)\b")

# (pattern, the term said for it, what follows the words), applied in order;
# the case of abbreviations varies.
REPLACEMENTS: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"\be\.\s?g\.,?", re.IGNORECASE), "speech_for_example", ","),
    (re.compile(r"\bi\.\s?e\.,?", re.IGNORECASE), "speech_that_is", ","),
    (re.compile(r"\betc\.", re.IGNORECASE), "speech_and_so_on", "."),
    (re.compile(r"\bapprox\.", re.IGNORECASE), "speech_approximately", ""),
    (re.compile(r"©"), "speech_copyright", " "),
    (re.compile(r"&"), "speech_and", " "),
)
_PERCENT = re.compile(r"(\d)\s?%")
_EDITORIAL_BRACKETS = re.compile(r"[\[\]]")  # their words are read, the marks are not


def _date(terms: Terms, year: str, month: str, day: str) -> str:
    try:
        return terms.date(dt.date(int(year), int(month), int(day)))
    except ValueError:
        return f"{day} {month} {year}"


def spell_out(code: str) -> str:
    """Letters and digits one by one: "NN1" → "N N 1"."""
    return " ".join(code)


def spoken(text: str, terms: Terms | None = None) -> str:
    """Printed text → the words a listener should hear, in ordinary spelling."""
    terms = terms or terms_for(FALLBACK)
    at, dot = terms("speech_at"), terms("speech_dot")
    text = _URL.sub(lambda m: terms("speech_web_link"), text)  # link addresses are never read out
    text = _EMAIL.sub(lambda m: f"{m.group(1)} {at} {m.group(2).replace('.', f' {dot} ')}", text)
    text = _ISO_DATE.sub(lambda m: _date(terms, *m.groups()), text)
    text = _UK_DATE.sub(lambda m: _date(terms, m.group(3), m.group(2), m.group(1)), text)
    text = _POSTCODE.sub(lambda m: f"{spell_out(m.group(1))}, {spell_out(m.group(2))}", text)
    for pattern, key, after in REPLACEMENTS:
        words = terms(key) + after
        if after == " ":  # a symbol: its word stands apart from its neighbours
            words = " " + words
        text = pattern.sub(lambda m, words=words: words, text)
    text = _PERCENT.sub(lambda m: f"{m.group(1)} {terms('speech_percent')}", text)
    text = _EDITORIAL_BRACKETS.sub(" ", text)
    text = _ELLIPSIS.sub(", ", text)  # a trailing pause; "know...?" becomes "know?" below
    text = _DASH_RUN.sub(", ", text)
    text = _SLASHED_WORDS.sub(lambda m: f"{m.group(1)} {terms('speech_or')} {m.group(2)}", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)*\s*([.;:!?])", r"\1", text)  # a comma before a stop adds nothing
    text = re.sub(r",(?:\s*,)+", ",", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


# -- the document as tracks -----------------------------------------------------


class _Speaker:
    """Builds one track's utterances with the house style's pauses, in the document's words."""

    def __init__(self, lexicon: Lexicon, pauses: Mapping[str, Any], terms: Terms):
        self.lexicon = lexicon
        self.pauses = pauses
        self.terms = terms
        self.utterances: list[Utterance] = []

    def say(self, text: str, pause: str, sentence: str | None = None, line: int = 0) -> None:
        words = spoken(text, self.terms)
        if words and words[-1].isalnum():
            words += "."  # a full stop gives the voice its falling, finished tone
        if words:
            self.utterances.append(Utterance(words, self.lexicon.apply(words), int(self.pauses[pause]), sentence, line))

    def announce(self, key: str, line: int = 0, **values: object) -> None:
        """A fixed phrase (a term) heard but not printed: "A box of facts."."""
        self.say(self.terms(key, **values), "announcement", None, line)

    def pause_last(self, pause: str) -> None:
        if self.utterances:
            last = self.utterances[-1]
            self.utterances[-1] = Utterance(last.text, last.say, int(self.pauses[pause]), last.sentence, last.line)

    def finish(self) -> tuple[Utterance, ...]:
        """The last utterance's pause becomes the gap before the next track."""
        self.pause_last("section")
        return tuple(self.utterances)


def tracks(document: Document, lexicon: Lexicon, style: Mapping[str, Any], terms: Terms | None = None) -> list[Track]:
    """The whole document as audio tracks: one per section, then the contact details.

    ``terms`` are the fixed words spoken (the job's; by default the document's language's).
    """
    terms = terms or terms_for(document.meta.language)
    pauses = style["audio"]["pauses"]

    def speaker() -> _Speaker:
        return _Speaker(lexicon, pauses, terms)

    result = [Track(section.number, section.slug, section.title, _section(document, section, speaker()))
              for section in document.sections]
    closing = _contact(document, speaker())
    if closing:
        result.append(Track(result[-1].number + 1, "contact", _contact_title(document, terms), closing))
    # The listener is told the book has ended, whichever track ends it.
    ending = speaker()
    ending.announce("speech_end", title=document.meta.title)
    last = result[-1]
    result[-1] = Track(last.number, last.slug, last.title, last.utterances + ending.finish())
    return result


def _contact_title(document: Document, terms: Terms) -> str:
    contact = document.meta.contact
    return contact.heading if contact else terms("contact_details")


def _section(document: Document, section: Section, speaker: _Speaker) -> tuple[Utterance, ...]:
    by_block: dict[int, list[Sentence]] = {}
    for sentence in section_sentences(section):
        by_block.setdefault(id(sentence.block), []).append(sentence)

    if section.number == 1:
        for sentence_id, text in title_sentences(document):
            speaker.say(text, "title", sentence_id)
        speaker.announce("speech_from", publisher=document.meta.publisher)
    if section.heading is not None:
        first, *rest = by_block[id(section.heading)]
        speaker.say(speaker.terms("speech_section", number=section.number, heading=first.text), "heading",
                    first.id, section.heading.line)
        for sentence in rest:
            speaker.say(sentence.text, "heading", sentence.id, section.heading.line)
    _BlockSpeaker(speaker, by_block).visit_all(section.blocks)
    return speaker.finish()


class _BlockSpeaker(Visitor[None]):
    """Each kind of block, spoken: announced where a reader would see what it is."""

    def __init__(self, speaker: _Speaker, by_block: dict[int, list[Sentence]]):
        self.speaker = speaker
        self.by_block = by_block

    def sentences(self, block) -> list[Sentence]:
        return self.by_block.get(id(block), [])

    def visit_Heading(self, block: Heading) -> None:
        for sentence in self.sentences(block):
            self.speaker.say(sentence.text, "heading", sentence.id, block.line)

    def visit_Paragraph(self, block: Paragraph) -> None:
        self.parts(self.sentences(block), block.line, "paragraph")

    def visit_Callout(self, block: Callout) -> None:
        self.speaker.announce("speech_box", block.line)
        self.parts(self.sentences(block), block.line, "heading")
        self.visit_all(block.blocks)
        self.speaker.announce("speech_box_end", block.line)

    def visit_Image(self, block: Image) -> None:
        self.speaker.announce("speech_picture", block.line, alt=block.alt)
        self.parts(self.sentences(block), block.line, "paragraph")

    def visit_Table(self, block: Table) -> None:
        """Its caption, the column names, then the cells row by row, each with a list item's pause."""
        self.speaker.announce("speech_table", block.line)
        self.parts(self.sentences(block), block.line, "list_item")
        self.speaker.announce("speech_table_end", block.line)

    def parts(self, sentences: list[Sentence], line: int, last_pause: str) -> None:
        """Sentences of one block: a short pause between them, a longer one after each part."""
        for number, sentence in enumerate(sentences):
            ends_part = number + 1 == len(sentences) or sentences[number + 1].part != sentence.part
            self.speaker.say(sentence.text, last_pause if ends_part else "sentence", sentence.id, line)

    def visit_ListBlock(self, block: ListBlock) -> None:
        sentences = self.sentences(block)
        count = len(block.items)
        kind = "speech_numbered_list" if block.ordered else "speech_list"
        self.speaker.announce(f"{kind}_{'one' if count == 1 else 'many'}", block.line, count=count)
        for number, sentence in enumerate(sentences):
            starts_item = number == 0 or sentences[number - 1].part != sentence.part
            ends_item = number + 1 == len(sentences) or sentences[number + 1].part != sentence.part
            text = sentence.text
            if block.ordered and starts_item:
                text = f"{block.start + sentence.part}: {text}"
            self.speaker.say(text, "list_item" if ends_item else "sentence", sentence.id, block.line)
        if sentences:
            self.speaker.pause_last("paragraph")

    def visit_Quote(self, block: Quote) -> None:
        """Introduced with who said it, and closed with it, so the printed
        attribution is also heard in its place (the read-aloud EPUB highlights it)."""
        sentences = self.sentences(block)
        attribution = _without_from(plain(block.attribution))
        if attribution:
            self.speaker.announce("speech_quote_from", block.line, attribution=attribution)
        else:
            self.speaker.announce("speech_quote", block.line)
        said = [s for s in sentences if s.part < len(block.paragraphs)]
        self.parts(said, block.line, "paragraph")
        credits = [s for s in sentences if s.part >= len(block.paragraphs)]
        for number, sentence in enumerate(credits):
            text = self.speaker.terms("speech_quote_end_from", attribution=_without_from(sentence.text)) \
                if number == 0 else sentence.text
            self.speaker.say(text, "paragraph", sentence.id, block.line)
        if not credits:
            self.speaker.announce("speech_quote_end", block.line)


def _without_from(attribution: str) -> str:
    """"From Forward to …" is introduced as "A quote from Forward to …"."""
    return re.sub(r"^from\s+", "", attribution, flags=re.IGNORECASE)


def _contact(document: Document, speaker: _Speaker) -> tuple[Utterance, ...]:
    """The contact details, read as an address is read aloud: line by line."""
    contact = document.meta.contact
    terms = speaker.terms
    address = set(contact.address) if contact else set()
    headings = {contact.heading} if contact else set()
    lines = address | ({contact.address_label} if contact else set())
    labelled = {
        contact.phone: f"{terms('phone')} {contact.phone}",
        contact.email: f"{terms('email')} {contact.email}",
        contact.website: f"{terms('website')} {_website(contact.website or '', terms)}",
    } if contact else {}
    for sentence_id, text in contact_sentences(document):
        if text in headings:
            speaker.say(text, "heading", sentence_id)
        elif text in lines:
            speaker.say(text, "address_line", sentence_id)
        elif text and text in labelled:
            speaker.say(labelled[text], "paragraph", sentence_id)
        else:
            speaker.say(text, "paragraph", sentence_id)
    return speaker.finish()


def _website(address: str, terms: Terms) -> str:
    """A website the listener may type: its name, without the scheme."""
    name = re.sub(r"^https?://", "", address).rstrip("/")
    return name.replace(".", f" {terms('speech_dot')} ").replace("/", f" {terms('speech_slash')} ")
