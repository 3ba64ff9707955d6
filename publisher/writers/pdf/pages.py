"""Which sentence each printed page begins with, for the EPUB's page list.

The EPUB marks where each booklet page starts (``job.results["pdf"]["pages"]``:
a list of ``{"label": "5", "sentence": "s1-23"}``), so a reader with the EPUB
and a family worker with the booklet can find the same place. The sentence
ids are the shared ones (``publisher.text``): "sN-M" in the sections, "c-N"
in the closing contact details.

The words each page shows, as the typesetting drew them (``Layout.page_text``),
are walked along the document's words in reading order; a sentence begins on
the page where its first word is found. Words a page adds (its number, list
numbers, the "Notes" pages) are skipped: a page word is looked for only a few
words ahead.
"""

from __future__ import annotations

from ...contract import PageStart
from ...model import Document
from ...text import document_sentences, title_sentences, words
from .layout import Layout

LOOKAHEAD = 8  # how many source words a page may skip over (never expected)


def sentence_starts(document: Document) -> list[tuple[str, str | None]]:
    """The document's words in reading order, each with the id of the
    sentence it begins (None inside a sentence)."""
    stream: list[tuple[str, str | None]] = []
    # The title and subtitle are on the cover, outside the pages matched here.
    for identifier, text in document_sentences(document)[len(title_sentences(document)):]:
        stream += [(word, identifier if index == 0 else None) for index, word in enumerate(words(text))]
    return stream


def page_starts(document: Document, layout: Layout) -> list[PageStart]:
    """One entry per page, in order: its label and the first sentence that
    begins on it (None for the covers, contents, notes and formats pages,
    and for a page inside one long sentence)."""
    first_text = layout.page_of("section-1")
    end_of_text = layout.page_of("notes") or layout.page_of("other-formats")
    contact = layout.page_of("contact")
    stream = sentence_starts(document)
    cursor = 0
    pages: list[PageStart] = []
    for number, lines in enumerate(layout.page_text, start=1):
        first = None
        if first_text <= number < end_of_text or number == contact:
            for word in words("\n".join(lines)):
                window = range(cursor, min(cursor + LOOKAHEAD, len(stream)))
                found = next((index for index in window if stream[index][0] == word), None)
                if found is None:
                    continue  # a word the page adds
                first = first or next((stream[i][1] for i in range(cursor, found + 1) if stream[i][1]), None)
                cursor = found + 1
        pages.append({"label": str(number), "sentence": first})
    return pages
