"""The document model: what every writer sees instead of Markdown.

Everything is a frozen dataclass holding tuples, so a writer cannot change the
document another writer is about to read. Each block remembers the source line
it came from, so later checks (the report, the lint) can point editors at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one set of attributes.

    ``link`` is None for plain text, the address for a link, and "" for a link
    whose target does not exist yet (the words are kept, the reader warned).
    """

    text: str
    strong: bool = False
    emphasis: bool = False
    link: str | None = None


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
    ordered: bool
    items: tuple[Runs, ...]
    line: int
    start: int = 1


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
    blocks: tuple["Block", ...]
    line: int


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, checked to exist inside the source folder
    alt: str
    line: int
    caption: str = ""


Block = Union[Heading, Paragraph, ListBlock, Quote, Callout, Image]


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


@dataclass(frozen=True)
class Document:
    slug: str
    source: Path
    meta: Metadata
    sections: tuple[Section, ...]
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

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
