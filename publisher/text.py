"""Text services shared by every writer and check.

The audio and the EPUB's read-aloud edition must split sentences identically,
or the highlighted text drifts away from the voice; the word checks must
normalise text identically in every format. So these rules live here, once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .model import Block, Document, Section, plain
from .visit import part_runs

# Abbreviations whose full stop does not end a sentence, in the languages with
# terms (English, Welsh e.e. "er enghraifft", Polish ul. "ulica", np. "na przykład").
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "cf", "approx", "no", "fig", "ed", "eds",
    "vol", "p", "pp",
    "e.e", "h.y",
    "ul", "np", "tzn", "tzw", "nr", "al", "godz",
})

# A sentence ends at a full stop, question or exclamation mark or ellipsis —
# Latin, Arabic-script (۔ Urdu's full stop, ؟ the Arabic question mark) or
# Devanagari (।) — with any closing quote or bracket, then space.
_SENTENCE_END = re.compile(r"""(?<=[.!?…۔؟।])[\"'”’)\]]*\s+""")
_OPENING = "\"'“‘(["


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the text after a gap starts a sentence: a capital letter or a
    digit, or a letter of a script with no capitals (Arabic, Devanagari …),
    after any opening quote or bracket. A lower-case letter does not ("e.g. this")."""
    while position < len(text) and text[position] in _OPENING:
        position += 1
    if position >= len(text):
        return False
    char = text[position]
    return char.isdigit() or char.isupper() or (char.isalpha() and not char.islower())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a paragraph starts and ends, as offsets into ``text``.

    A rule-based splitter: a sentence ends at a stop (with any closing quote
    or bracket) followed by space and the start of a sentence, unless the word
    before the stop is a known abbreviation. Offsets let a writer cut styled
    runs at sentence edges; surrounding spaces are left out.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if not _starts_sentence(text, match.end()):
            continue
        words_before = text[start : match.start()].split()
        if words_before and words_before[-1].rstrip(".").strip("\"'“‘(").lower() in ABBREVIATIONS:
            continue
        end = match.start() + len(match.group(0).rstrip())  # keep closing quotes, drop the gap
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def block_parts(block: Block) -> tuple[str, ...]:
    """The plain text of each part of a block (see ``visit.part_runs``)."""
    return tuple(plain(runs) for runs in part_runs(block))


@dataclass(frozen=True)
class Sentence:
    """One sentence of the displayed text, addressed the same way everywhere.

    ``id`` ("s2-5": section 2, fifth sentence) is shared by the audio's timings
    and the read-aloud EPUB's markup; ``part`` indexes ``block_parts(block)``
    and ``start``/``end`` are offsets into that part's text.
    """

    id: str
    block: Block
    part: int
    start: int
    end: int
    text: str


def section_sentences(section: Section) -> list[Sentence]:
    """Every sentence of a section (its heading first), in reading order."""
    sentences: list[Sentence] = []
    for block in section.reading_order():
        for part, text in enumerate(block_parts(block)):
            for start, end in sentence_spans(text):
                number = len(sentences) + 1
                sentences.append(Sentence(f"s{section.number}-{number}", block, part, start, end, text[start:end]))
    return sentences


def slugify(text: str, fallback: str = "section") -> str:
    """A lowercase ASCII name for files and ids: "Tuning into your baby" → tuning-into-your-baby."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


_WORD = re.compile(r"[\w]+(?:['’][\w]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text, lowercased, punctuation and symbols dropped.

    Used to compare what a reader gets out of a file with what the source
    says, so it ignores what formats legitimately change: quote marks, dashes,
    hyphenation, line breaks, case (a heading may be set in small capitals).
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("\u00ad", "")
    return [w.lower() for w in _WORD.findall(text.replace("_", " "))]


def section_chunks(section: Section) -> Iterator[str]:
    """The text of one section, in reading order, one chunk per line or item."""
    for block in section.reading_order():
        yield from block_parts(block)


def contact_chunks(document: Document) -> Iterator[str]:
    """The closing contact details and disclaimer, in reading order."""
    contact = document.meta.contact
    if contact is not None:
        yield contact.heading
        if contact.address:
            yield contact.address_label
            yield from contact.address
        for value in (contact.phone, contact.email, contact.website):
            if value:
                yield value
    if document.meta.disclaimer is not None:
        yield document.meta.disclaimer.text


def title_sentences(document: Document) -> list[tuple[str, str]]:
    """The title and subtitle as (id, text) pairs: ids "t-1", "t-2", …."""
    meta = document.meta
    return _numbered("t", [meta.title] + ([meta.subtitle] if meta.subtitle else []))


def note_chunks(document: Document) -> Iterator[str]:
    """The text of each cited source, in number order (its number is a marker, like a list item's)."""
    for note in document.notes:
        yield plain(note.runs)


def note_sentences(document: Document) -> list[tuple[str, str]]:
    """The sources as (id, text) pairs: ids "n-1", "n-2", …."""
    return _numbered("n", list(note_chunks(document)))


def contact_sentences(document: Document) -> list[tuple[str, str]]:
    """The closing contact details as (id, text) pairs: ids "c-1", "c-2", …."""
    return _numbered("c", list(contact_chunks(document)))


def _numbered(prefix: str, chunks: list[str]) -> list[tuple[str, str]]:
    pieces = [text for chunk in chunks for text in split_sentences(chunk)]
    return [(f"{prefix}-{number}", text) for number, text in enumerate(pieces, start=1)]


def sentence_groups(document: Document) -> list[list[tuple[str, str]]]:
    """Every displayed sentence as (id, text), grouped as the audio tracks and the
    EPUB's content documents group them: the title opens the first section,
    each section follows, then the sources and the contact details (when there are any)."""
    groups = [[(s.id, s.text) for s in section_sentences(section)] for section in document.sections]
    groups[0] = title_sentences(document) + groups[0]
    notes = note_sentences(document)
    contact = contact_sentences(document)
    return groups + ([notes] if notes else []) + ([contact] if contact else [])


def document_sentences(document: Document) -> list[tuple[str, str]]:
    """Every displayed sentence as (id, text), in reading order."""
    return [pair for group in sentence_groups(document) for pair in group]


def reading_chunks(document: Document) -> Iterator[str]:
    """Every piece of the source's text in the order a reader meets it.

    This is the contract every format keeps: whatever else a writer adds
    (covers, page numbers, announcements), these words arrive, in this order.
    """
    yield document.meta.title
    if document.meta.subtitle:
        yield document.meta.subtitle
    for section in document.sections:
        yield from section_chunks(section)
    yield from note_chunks(document)
    yield from contact_chunks(document)


def document_words(document: Document) -> list[str]:
    return [w for chunk in reading_chunks(document) for w in words(chunk)]


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """The expected words that do not appear, in order, within ``actual``.

    Empty when ``expected`` is a subsequence of ``actual``: every word arrived
    in order, whatever the format added around them. On a miss, the search
    resumes after it, so one lost word is reported once, not as a cascade.
    """
    missing: list[str] = []
    position = 0
    for word in expected:
        found = _index(actual, word, position)
        if found is None:
            missing.append(word)
        else:
            position = found + 1
    return missing


def _index(haystack: list[str], needle: str, start: int) -> int | None:
    try:
        return haystack.index(needle, start)
    except ValueError:
        return None
