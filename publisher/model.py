"""The document model: what every writer sees instead of Markdown.

Everything is a frozen dataclass holding tuples, so a writer cannot change the
document another writer is about to read. Each block remembers the source line
it came from, so later checks (the report, the lint) can point editors at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one set of attributes.

    ``link`` is None for plain text, the address for a link, "#id" for a
    heading of the same document, and "" for a link whose target does not
    exist yet (the words are kept, the reader warned). ``note`` marks a
    reference to a source: the run's text is the note's number, as printed.
    """

    text: str
    strong: bool = False
    emphasis: bool = False
    link: str | None = None
    note: int | None = None  # the number of the Note it refers to


Runs = tuple[Run, ...]


def plain(runs: Runs) -> str:
    """The text of some runs with every attribute dropped."""
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class Heading:
    level: int  # 2 starts a section; 3 and deeper are headings inside one
    runs: Runs
    line: int
    # Unique in the document, the target of "[words](#id)": the heading's words
    # as a slug, "-2", "-3" … for a repeat. Every writer gives it the same id
    # (an XHTML id, a PDF destination, a Word bookmark).
    id: str = ""

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    line: int

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class ListBlock:
    """A list, nested at most two deep, kept flat in reading order: each item
    has a level (0, or 1 under the item before it), so every writer that
    reads ``items`` in order has every word, and nesting is a matter of indent."""

    ordered: bool
    items: tuple[Runs, ...]
    line: int
    start: int = 1
    levels: tuple[int, ...] = ()  # per item; () when nothing is nested
    nested_ordered: bool = False  # whether the nested items are numbered

    def level(self, index: int) -> int:
        return self.levels[index] if self.levels else 0

    def markers(self) -> tuple[int | None, ...]:
        """The number printed before each item (None for a bullet): the top
        level counts from ``start``; each nested run counts from 1 again."""
        numbers: list[int | None] = []
        top, nested = self.start - 1, 0
        for index in range(len(self.items)):
            if self.level(index) == 0:
                top, nested = top + 1, 0
                numbers.append(top if self.ordered else None)
            else:
                nested += 1
                numbers.append(nested if self.nested_ordered else None)
        return tuple(numbers)


@dataclass(frozen=True)
class Quote:
    """A quotation; ``attribution`` is who said it, without the em dash."""

    paragraphs: tuple[Paragraph, ...]
    attribution: Runs
    line: int


@dataclass(frozen=True)
class Callout:
    """A boxed aside such as "Did you know...?"."""

    title: str
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, checked to exist inside the source folder
    alt: str
    line: int
    caption: str = ""


@dataclass(frozen=True)
class Table:
    """A table read row by row: a header row naming the columns, then the rows.
    Every row has as many cells as the header (the reader pads short rows)."""

    header: tuple[Runs, ...]
    rows: tuple[tuple[Runs, ...], ...]
    line: int
    caption: str = ""  # from a "Table: …" line after it

    def part_of(self, row: int, column: int) -> int:
        """Where a cell is among ``visit.part_runs(table)``: row -1 is the header."""
        return (1 if self.caption else 0) + (row + 1) * len(self.header) + column


@dataclass(frozen=True)
class Note:
    """A source cited in the text ("[^1]"), collected at the end of every format."""

    number: int  # 1, 2, … in order of first reference
    runs: Runs
    line: int


Block = Heading | Paragraph | ListBlock | Quote | Callout | Image | Table


@dataclass(frozen=True)
class Section:
    """A run of blocks that becomes an EPUB chapter and an audio track.

    The first section may have no heading (the guidance opens straight into
    its text); writers then use the document title for navigation.
    """

    number: int  # 1-based, in reading order
    slug: str
    title: str
    heading: Heading | None
    blocks: tuple[Block, ...]
    line: int
    id: str = ""  # the heading's id; for an opening section without one, the title's (unique too)

    def reading_order(self) -> tuple[Block, ...]:
        """The heading (when there is one), then every block, callouts opened up."""
        return ((self.heading,) if self.heading else ()) + tuple(walk(self.blocks))


@dataclass(frozen=True)
class Contact:
    """How readers reach the publisher; family workers add their own too."""

    heading: str
    address_label: str = "Write to:"
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class Disclaimer:
    text: str
    link: str | None = None  # "" when the target does not exist yet


@dataclass(frozen=True)
class Metadata:
    title: str
    language: str
    publisher: str
    identifier: str
    date: str  # ISO 8601 (YYYY-MM-DD), also the reproducible build date
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    version: str = ""
    rights: str = ""
    description: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    formats_url: str = ""  # where the other editions can be downloaded
    contact: Contact | None = None
    disclaimer: Disclaimer | None = None
    cover: Image | None = None
    # Review facts health-information standards ask for (NHS standard for
    # creating health content, PIF TICK): printed on every format.
    reviewed: str = ""  # ISO date the content was last checked
    next_review: str = ""  # ISO date it is due to be checked again
    approved_by: str = ""
    feedback: str = ""  # where readers send comments: an email address, phone number or web address
    translation_of: str = ""  # the slug of the publication this translates (its own language's edition)


@dataclass(frozen=True)
class Document:
    slug: str
    source: Path
    meta: Metadata
    sections: tuple[Section, ...]
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)
    notes: tuple[Note, ...] = ()  # the sources cited, in number order

    @property
    def images(self) -> tuple[Image, ...]:
        found = [self.meta.cover] if self.meta.cover else []
        for section in self.sections:
            for block in walk(section.blocks):
                if isinstance(block, Image):
                    found.append(block)
        return tuple(found)


def walk(blocks: tuple[Block, ...]):
    """Every block, callouts opened up, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Callout):
            yield from walk(block.blocks)
