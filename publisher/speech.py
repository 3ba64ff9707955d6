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
    Block,
    Callout,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    plain,
)
from .sourcefiles import display_path, load_yaml_mapping
from .text import Sentence, contact_sentences, section_sentences, title_sentences

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

MONTHS = "January February March April May June July August September October November December".split()

_URL = re.compile(r"\b(?:https?://|www\.)\S+[^\s.,;:!?)\]]", re.IGNORECASE)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
# A UK postcode: outward code (area letters, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_DASH_RUN = re.compile(r"\s*[—–][—–-]*\s*|\s+-\s+")
_SLASHED_WORDS = re.compile(r"\b([^\W\d_]+)/([^\W\d_]+)\b")

# (pattern, spoken words), applied in order; the case of abbreviations varies.
REPLACEMENTS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\be\.\s?g\.,?", re.IGNORECASE), "for example,"),
    (re.compile(r"\bi\.\s?e\.,?", re.IGNORECASE), "that is,"),
    (re.compile(r"\betc\.", re.IGNORECASE), "and so on."),
    (re.compile(r"\bapprox\.", re.IGNORECASE), "approximately"),
    (re.compile(r"©"), " copyright "),
    (re.compile(r"&"), " and "),
    (re.compile(r"(\d)\s?%"), r"\1 percent"),
    (re.compile(r"[\[\]]"), " "),  # editorial brackets: their words are read, the marks are not
)


def _date(year: str, month: str, day: str) -> str:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return f"{day} {month} {year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def spell_out(code: str) -> str:
    """Letters and digits one by one: "NN1" → "N N 1"."""
    return " ".join(code)


def spoken(text: str) -> str:
    """Printed text → the words a listener should hear, in ordinary spelling."""
    text = _URL.sub("a web link", text)  # link addresses are never read out
    text = _EMAIL.sub(lambda m: f"{m.group(1)} at {m.group(2).replace('.', ' dot ')}", text)
    text = _ISO_DATE.sub(lambda m: _date(*m.groups()), text)
    text = _UK_DATE.sub(lambda m: _date(m.group(3), m.group(2), m.group(1)), text)
    text = _POSTCODE.sub(lambda m: f"{spell_out(m.group(1))}, {spell_out(m.group(2))}", text)
    for pattern, words in REPLACEMENTS:
        text = pattern.sub(words, text)
    text = _ELLIPSIS.sub(", ", text)  # a trailing pause; "know...?" becomes "know?" below
    text = _DASH_RUN.sub(", ", text)
    text = _SLASHED_WORDS.sub(r"\1 or \2", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)*\s*([.;:!?])", r"\1", text)  # a comma before a stop adds nothing
    text = re.sub(r",(?:\s*,)+", ",", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


# -- the document as tracks -----------------------------------------------------


class _Speaker:
    """Builds one track's utterances with the house style's pauses."""

    def __init__(self, lexicon: Lexicon, pauses: Mapping[str, Any]):
        self.lexicon = lexicon
        self.pauses = pauses
        self.utterances: list[Utterance] = []

    def say(self, text: str, pause: str, sentence: str | None = None, line: int = 0) -> None:
        words = spoken(text)
        if words and words[-1].isalnum():
            words += "."  # a full stop gives the voice its falling, finished tone
        if words:
            self.utterances.append(Utterance(words, self.lexicon.apply(words), int(self.pauses[pause]), sentence, line))

    def announce(self, text: str, line: int = 0) -> None:
        self.say(text, "announcement", None, line)

    def finish(self) -> tuple[Utterance, ...]:
        """The last utterance's pause becomes the gap before the next track."""
        if self.utterances:
            last = self.utterances[-1]
            self.utterances[-1] = Utterance(last.text, last.say, int(self.pauses["section"]), last.sentence, last.line)
        return tuple(self.utterances)


def tracks(document: Document, lexicon: Lexicon, style: Mapping[str, Any]) -> list[Track]:
    """The whole document as audio tracks: one per section, then the contact details."""
    pauses = style["audio"]["pauses"]
    result = [Track(section.number, section.slug, section.title, _section(document, section, lexicon, pauses))
              for section in document.sections]
    closing = _contact(document, lexicon, pauses)
    if closing:
        result.append(Track(result[-1].number + 1, "contact", _contact_title(document), closing))
    # The listener is told the book has ended, whichever track ends it.
    ending = _Speaker(lexicon, pauses)
    ending.announce(f"This is the end of {document.meta.title}.")
    last = result[-1]
    result[-1] = Track(last.number, last.slug, last.title, last.utterances + ending.finish())
    return result


def _contact_title(document: Document) -> str:
    contact = document.meta.contact
    return contact.heading if contact else "Contact details"


def _section(document: Document, section: Section, lexicon: Lexicon, pauses: Mapping[str, Any]) -> tuple[Utterance, ...]:
    speaker = _Speaker(lexicon, pauses)
    by_block: dict[int, list[Sentence]] = {}
    for sentence in section_sentences(section):
        by_block.setdefault(id(sentence.block), []).append(sentence)

    if section.number == 1:
        meta = document.meta
        for sentence_id, text in title_sentences(document):
            speaker.say(text, "title", sentence_id)
        speaker.announce(f"From {meta.publisher}.")
    if section.heading is not None:
        first, *rest = by_block[id(section.heading)]
        speaker.say(f"Section {section.number}: {first.text}.", "heading", first.id, section.heading.line)
        for sentence in rest:
            speaker.say(sentence.text, "heading", sentence.id, section.heading.line)
    _blocks(speaker, section.blocks, by_block)
    return speaker.finish()


def _blocks(speaker: _Speaker, blocks: tuple[Block, ...], by_block: dict[int, list[Sentence]]) -> None:
    for block in blocks:
        sentences = by_block.get(id(block), [])
        if isinstance(block, Heading):
            for sentence in sentences:
                speaker.say(sentence.text, "heading", sentence.id, block.line)
        elif isinstance(block, Paragraph):
            _parts(speaker, sentences, block.line, "paragraph")
        elif isinstance(block, ListBlock):
            _list(speaker, block, sentences)
        elif isinstance(block, Quote):
            _quote(speaker, block, sentences)
        elif isinstance(block, Callout):
            speaker.announce("A box of facts.", block.line)
            _parts(speaker, sentences, block.line, "heading")
            _blocks(speaker, block.blocks, by_block)
            speaker.announce("End of the box.", block.line)
        elif isinstance(block, Image):
            speaker.announce(f"A picture: {block.alt}", block.line)
            _parts(speaker, sentences, block.line, "paragraph")


def _parts(speaker: _Speaker, sentences: list[Sentence], line: int, last_pause: str) -> None:
    """Sentences of one block: a short pause between them, a longer one after each part."""
    for number, sentence in enumerate(sentences):
        ends_part = number + 1 == len(sentences) or sentences[number + 1].part != sentence.part
        speaker.say(sentence.text, last_pause if ends_part else "sentence", sentence.id, line)


def _list(speaker: _Speaker, block: ListBlock, sentences: list[Sentence]) -> None:
    count = len(block.items)
    noun = "step" if block.ordered else "point"
    kind = "A numbered list" if block.ordered else "A list"
    speaker.announce(f"{kind} of {count} {noun}{'s' if count != 1 else ''}.", block.line)
    for number, sentence in enumerate(sentences):
        starts_item = number == 0 or sentences[number - 1].part != sentence.part
        ends_item = number + 1 == len(sentences) or sentences[number + 1].part != sentence.part
        text = sentence.text
        if block.ordered and starts_item:
            text = f"{block.start + sentence.part}: {text}"
        speaker.say(text, "list_item" if ends_item else "sentence", sentence.id, block.line)
    if sentences:
        last = speaker.utterances[-1]
        speaker.utterances[-1] = Utterance(last.text, last.say, int(speaker.pauses["paragraph"]), last.sentence, last.line)


def _quote(speaker: _Speaker, block: Quote, sentences: list[Sentence]) -> None:
    """Introduced with who said it, and closed with it, so the printed
    attribution is also heard in its place (the read-aloud EPUB highlights it)."""
    attribution = _without_from(plain(block.attribution))
    speaker.announce(f"A quote from {attribution}" if attribution else "A quote.", block.line)
    said = [s for s in sentences if s.part < len(block.paragraphs)]
    _parts(speaker, said, block.line, "paragraph")
    credits = [s for s in sentences if s.part >= len(block.paragraphs)]
    for number, sentence in enumerate(credits):
        text = f"End of the quote from {_without_from(sentence.text)}" if number == 0 else sentence.text
        speaker.say(text, "paragraph", sentence.id, block.line)
    if not credits:
        speaker.announce("End of the quote.", block.line)


def _without_from(attribution: str) -> str:
    """"From Forward to …" is introduced as "A quote from Forward to …"."""
    return re.sub(r"^from\s+", "", attribution, flags=re.IGNORECASE)


def _contact(document: Document, lexicon: Lexicon, pauses: Mapping[str, Any]) -> tuple[Utterance, ...]:
    """The contact details, read as an address is read aloud: line by line."""
    speaker = _Speaker(lexicon, pauses)
    contact = document.meta.contact
    address = set(contact.address) if contact else set()
    labels = {
        contact.phone: "Phone: ", contact.email: "Email: ", contact.website: "Website: ",
    } if contact else {}
    for sentence_id, text in contact_sentences(document):
        if contact and text == contact.heading:
            speaker.say(text, "heading", sentence_id)
        elif text in address or (contact and text == contact.address_label):
            speaker.say(text, "address_line", sentence_id)
        elif text in labels and text:
            speaker.say(labels[text] + _website(text) if text == contact.website else labels[text] + text,
                        "paragraph", sentence_id)
        else:
            speaker.say(text, "paragraph", sentence_id)
    return speaker.finish()


def _website(address: str) -> str:
    """A website the listener may type: its name, without the scheme."""
    name = re.sub(r"^https?://", "", address).rstrip("/")
    return name.replace(".", " dot ").replace("/", " slash ")

