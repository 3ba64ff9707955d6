"""Speech text: the document as a listener hears it.

The only module that knows how the guidance is spoken. It turns the model into
tracks (one per section, then the contact details), each a list of utterances:
what to say, the pause after it, and which displayed sentence it speaks, so
the read-aloud EPUB can highlight the words as they are heard.

Sentences come from ``publisher.text`` (the EPUB splits with the same rules);
this module only adds what a listener needs and a reader sees for themselves:
announced title, headings, quotes, lists, tables and boxes; symbols,
abbreviations, dates and postcodes turned into words; link addresses and
source markers left out (the sources are read once, in their own track);
names said right through the language's pronunciation lexicon.

Every announcement is an utterance of its own (``sentence`` None), so it is
synthesised, timed and highlighted apart from the sentences around it.
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
from .sourcefiles import decode_utf8, display_path, load_yaml_mapping
from .terms import FALLBACK, Terms, terms_for
from .text import (
    Sentence,
    contact_sentences,
    note_sentences,
    section_sentences,
    split_sentences,
    title_sentences,
)
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


def lexicon_path(document: Document) -> Path | None:
    """The lexicon a document is spoken with, beside its source:
    ``pronunciations.<language>.yaml`` (the full tag, then its language:
    ``.cy-GB``, ``.cy``), else, for an original (not a translation),
    ``pronunciations.yaml``. A translation never borrows the original's
    respellings: they spell sounds for the original's voice, and the Welsh
    voice reading "Gair-hart" would say something else."""
    folder = document.source.resolve().parent
    parts = document.meta.language.split("-")
    candidates = [folder / f"pronunciations.{'-'.join(parts[:n])}.yaml" for n in range(len(parts), 0, -1)]
    if not document.meta.translation_of:
        candidates.append(folder / LEXICON_FILE)
    return next((path for path in candidates if path.is_file()), None)


def lexicon_for(document: Document) -> Lexicon:
    path = lexicon_path(document)
    return read_lexicon(path) if path else Lexicon()


def load_lexicon(source_folder: Path) -> Lexicon:
    """``<source folder>/pronunciations.yaml``: ``Word: respelling`` lines (none is fine)."""
    path = source_folder / LEXICON_FILE
    return read_lexicon(path) if path.is_file() else Lexicon()


def read_lexicon(path: Path) -> Lexicon:
    """A lexicon file, every value as typed (YAML's "No" or "1.10" stay text)."""
    data, lines = load_yaml_mapping(path, decode_utf8(path, path.read_bytes()), as_text=True)
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
    (re.compile(r"&"), "speech_and", " "),
)
_PERCENT = re.compile(r"(\d)\s?%")
# "© 2024 Test Press" opening a text is a copyright statement, said as one;
# a © (or ®, ™) after a name is a mark on it, and a listener gains nothing
# from "Project copyright by Maria Robinson": it is not said.
_COPYRIGHT_STATEMENT = re.compile(r"^\s*©\s*")
_MARKS = re.compile(r"\s*[©®™]")
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
    text = _COPYRIGHT_STATEMENT.sub(lambda m: terms("speech_copyright") + " ", text)
    text = _MARKS.sub(" ", text)  # "Project©- practitioner": the dash still reads as a pause
    text = _URL.sub(lambda m: terms("speech_web_link"), text)  # link addresses are never read out
    text = _EMAIL.sub(lambda m: f"{m.group(1)} {at} {m.group(2).replace('.', f' {dot} ')}", text)
    text = _ISO_DATE.sub(lambda m: _date(terms, *m.groups()), text)
    text = _UK_DATE.sub(lambda m: _date(terms, m.group(3), m.group(2), m.group(1)), text)
    text = _POSTCODE.sub(lambda m: f"{spell_out(m.group(1))}, {spell_out(m.group(2))}", text)
    for pattern, key, after in REPLACEMENTS:
        words = terms(key) + after
        if after == " ":  # a symbol: its word stands apart from its neighbours
            words = " " + words
        text = pattern.sub(words.replace("\\", "\\\\"), text)  # the words as they are, no group references
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
        if words and words.rstrip(_CLOSING)[-1:].isalnum():
            words += "."  # a full stop gives the voice its falling, finished tone ('Says "dada".' too)
        if words:
            self.utterances.append(Utterance(words, self.lexicon.apply(words), int(self.pauses[pause]), sentence, line))

    def announce(self, key: str, line: int = 0, pause: str = "announcement", **values: object) -> None:
        """A fixed phrase (a term) heard but not printed ("A quote."): an
        utterance of its own, so it is timed apart from the sentences."""
        self.say(self.terms(key, **values), pause, None, line)

    def announce_count(self, key: str, count: int, line: int = 0) -> None:
        """``<key>_one`` for one, ``<key>_many`` for any other count: "A list of 3 points."."""
        self.announce(f"{key}_{'one' if count == 1 else 'many'}", line, count=count)

    def pause_last(self, pause: str) -> None:
        if self.utterances:
            last = self.utterances[-1]
            self.utterances[-1] = Utterance(last.text, last.say, int(self.pauses[pause]), last.sentence, last.line)

    def finish(self) -> tuple[Utterance, ...]:
        """The last utterance's pause becomes the gap before the next track."""
        self.pause_last("section")
        return tuple(self.utterances)


_CLOSING = "\"'”’)]"  # closing quotes and brackets, after a sentence's last word
SOURCES_SLUG = "sources"  # the track of the sources cited (audio/NN-sources.mp3)


def tracks(document: Document, lexicon: Lexicon, style: Mapping[str, Any], terms: Terms | None = None,
           draft: bool = False) -> list[Track]:
    """The whole document as audio tracks: one per section, then the sources
    cited (when any are), then the contact details: the groups of
    ``text.sentence_groups``, so each track times one group's sentences.

    ``terms`` are the fixed words spoken (the job's; by default the document's
    language's); a ``draft`` says so before anything else.
    """
    terms = terms or terms_for(document.meta.language)
    pauses = style["audio"]["pauses"]

    def speaker() -> _Speaker:
        return _Speaker(lexicon, pauses, terms)

    result = [Track(section.number, section.slug, section.title, _section(document, section, speaker(), draft))
              for section in document.sections]
    sources = _sources(document, speaker())
    if sources:
        result.append(Track(result[-1].number + 1, SOURCES_SLUG, terms("speech_sources"), sources))
    closing = _contact(document, speaker())
    if closing:
        result.append(Track(result[-1].number + 1, "contact", _contact_title(document, terms), closing))
    # The listener hears how current the guidance is, then that the book has ended, whichever track ends it.
    ending = speaker()
    review = _review_line(document, terms)
    if review:
        ending.say(review, "paragraph")
    ending.announce("speech_end", title=document.meta.title)
    last = result[-1]
    result[-1] = Track(last.number, last.slug, last.title, last.utterances + ending.finish())
    return result


def _review_line(document: Document, terms: Terms) -> str:
    """"Version 1.0. Reviewed January 2024. Next review January 2027.", of what the source gives."""
    meta = document.meta
    parts = [terms("speech_version", version=meta.version)] if meta.version else []
    for key, value in (("speech_reviewed", meta.reviewed), ("speech_next_review", meta.next_review)):
        if value:
            parts.append(terms(key, month=terms.month(dt.date.fromisoformat(value))))
    return " ".join(parts)


def _contact_title(document: Document, terms: Terms) -> str:
    contact = document.meta.contact
    return contact.heading if contact else terms("contact_details")


def _section(document: Document, section: Section, speaker: _Speaker, draft: bool) -> tuple[Utterance, ...]:
    by_block: dict[int, list[Sentence]] = {}
    for sentence in section_sentences(section):
        by_block.setdefault(id(sentence.block), []).append(sentence)

    if section.number == 1:
        if draft:
            speaker.announce("speech_draft")  # the first words a listener hears
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


def _by_part(sentences: list[Sentence]) -> dict[int, list[Sentence]]:
    parts: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        parts.setdefault(sentence.part, []).append(sentence)
    return parts


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
        """Introduced by its own title ("Did you know?"); only a box with no
        title is announced as one. "End of the box." is kept: nothing else tells
        a listener that the aside is over and the main text goes on."""
        if not block.title:
            self.speaker.announce("speech_box", block.line)
        self.parts(self.sentences(block), block.line, "heading")
        self.visit_all(block.blocks)
        self.speaker.announce("speech_box_end", block.line)

    def visit_Image(self, block: Image) -> None:
        self.speaker.announce("speech_picture", block.line, alt=block.alt)
        self.parts(self.sentences(block), block.line, "paragraph")

    def visit_Table(self, block: Table) -> None:
        """Its size and caption, the column names, then row by row: the first
        cell as it is (it names the row), every other after its column's name,
        "Smiles: First real smiles." Each cell keeps its sentence id."""
        parts = _by_part(self.sentences(block))
        speaker, line = self.speaker, block.line
        speaker.announce_count("speech_table", len(block.rows), line)
        if block.caption:
            self.parts(parts.get(0, []), line, "heading")
        columns = range(len(block.header))
        names = [parts.get(block.part_of(-1, column), []) for column in columns]
        if any(names):
            speaker.announce("speech_table_columns", line)
            self.parts([sentence for name in names for sentence in name], line, "sentence")
            speaker.pause_last("list_item")
        labels = [plain(cell).strip().rstrip(".:;,!?…").strip() for cell in block.header]
        for row in range(len(block.rows)):
            for column in columns:
                for number, sentence in enumerate(parts.get(block.part_of(row, column), [])):
                    named = number == 0 and column > 0 and labels[column]
                    speaker.say(f"{labels[column]}: {sentence.text}" if named else sentence.text, "sentence",
                                sentence.id, line)
            speaker.pause_last("list_item")
        speaker.announce("speech_table_end", line, pause="paragraph")

    def parts(self, sentences: list[Sentence], line: int, last_pause: str) -> None:
        """Sentences of one block: a short pause between them, a longer one after each part."""
        for number, sentence in enumerate(sentences):
            ends_part = number + 1 == len(sentences) or sentences[number + 1].part != sentence.part
            self.speaker.say(sentence.text, last_pause if ends_part else "sentence", sentence.id, line)

    def visit_ListBlock(self, block: ListBlock) -> None:
        """"A list of 3 points." (numbered or not: a numbered list in guidance
        is as often reasons or signs as steps), each item after its number; a
        nested run of items introduced under its item: "Under it, 2 points."."""
        parts = _by_part(self.sentences(block))
        speaker, line = self.speaker, block.line
        items = range(len(block.items))
        markers = block.markers()
        top = sum(1 for index in items if block.level(index) == 0)
        speaker.announce_count("speech_numbered_list" if block.ordered else "speech_list", top, line)
        for index in items:
            if block.level(index) == 1 and (index == 0 or block.level(index - 1) == 0):
                run = next((n for n in range(index, len(block.items)) if block.level(n) == 0), len(block.items))
                speaker.announce_count("speech_list_nested", run - index, line)
            item = parts.get(index, [])
            for number, sentence in enumerate(item):
                text = sentence.text
                if number == 0 and markers[index] is not None:
                    text = f"{markers[index]}: {text}"
                speaker.say(text, "list_item" if number + 1 == len(item) else "sentence", sentence.id, line)
        if parts:
            speaker.pause_last("paragraph")

    def visit_Quote(self, block: Quote) -> None:
        """"A quote.", the quotation, then who said it, once, in its place (the
        printed attribution, so the read-aloud EPUB highlights it as it is heard)."""
        sentences = self.sentences(block)
        self.speaker.announce("speech_quote", block.line)
        said = [s for s in sentences if s.part < len(block.paragraphs)]
        self.parts(said, block.line, "paragraph")
        credits = [s for s in sentences if s.part >= len(block.paragraphs)]
        for number, sentence in enumerate(credits):
            text = _credited(self.speaker.terms, sentence.text) if number == 0 else sentence.text
            self.speaker.say(text, "paragraph", sentence.id, block.line)
        if not credits:
            self.speaker.announce("speech_quote_end", block.line, pause="paragraph")


def _credited(terms: Terms, attribution: str) -> str:
    """"From {attribution}", unless the attribution already starts with the
    term's own first words ("From Forward to …" is said as written)."""
    lead = terms("speech_quote_source", attribution="\0").split("\0")[0].strip()
    if lead and attribution.lower().startswith(lead.lower() + " "):
        return attribution
    return terms("speech_quote_source", attribution=attribution)


def _sources(document: Document, speaker: _Speaker) -> tuple[Utterance, ...]:
    """The sources cited, read once at the end: "Sources." then each after its
    number, as a numbered list is read; ids "n-1" … as ``text.note_sentences``."""
    if not document.notes:
        return ()
    ids = iter(identifier for identifier, _ in note_sentences(document))
    speaker.say(speaker.terms("speech_sources"), "heading", None)
    for note in document.notes:
        pieces = split_sentences(plain(note.runs))
        for number, text in enumerate(pieces):
            speaker.say(f"{note.number}: {text}" if number == 0 else text,
                        "list_item" if number + 1 == len(pieces) else "sentence", next(ids), note.line)
    return speaker.finish()


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
