"""Text services shared by every writer and check.

The audio and the EPUB's read-aloud edition must split sentences identically,
or the highlighted text drifts away from the voice; the word checks must
normalise text identically in every format. So these rules live here, once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from .model import Callout, Document, Heading, Image, ListBlock, Paragraph, Quote, Section

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "e.g i.e etc dr mr mrs ms prof st vs cf approx no fig ed eds vol p pp".split()
)

_SENTENCE_END = re.compile(
    r"""(?<=[.!?…])          # a full stop, question or exclamation mark, ellipsis
        [\"'”’)\]]*          # closing quotes or brackets that belong to it
        \s+                  # the gap between sentences
        (?=[\"'“‘(\[]*[A-Z0-9À-Ý])  # the next sentence starts with a capital or digit
    """,
    re.VERBOSE,
)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping every character.

    A rule-based splitter: a sentence ends at . ! ? or … followed by space and
    a capital letter, unless the word before the stop is a known abbreviation.
    Joining the result with single spaces gives back the normalised paragraph.
    """
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        last_word = candidate.split()[-1].rstrip(".").lower() if candidate.split() else ""
        if last_word.strip("\"'“‘(") in ABBREVIATIONS:
            continue
        end = match.end() - len(match.group(0).lstrip("\"'”’)]"))
        sentences.append(text[start:end].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


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
    if section.heading is not None:
        yield section.heading.text
    yield from _block_chunks(section.blocks)


def _block_chunks(blocks) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            yield block.text
        elif isinstance(block, ListBlock):
            yield from ("".join(r.text for r in item) for item in block.items)
        elif isinstance(block, Quote):
            yield from (p.text for p in block.paragraphs)
            yield "".join(r.text for r in block.attribution)
        elif isinstance(block, Callout):
            yield block.title
            yield from _block_chunks(block.blocks)
        elif isinstance(block, Image):
            if block.caption:
                yield block.caption


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
