"""The HTML pages of a publication: one per section, plus the cover and the contact page.

Format-neutral, as Sphinx's ``StandaloneHTMLBuilder`` is under its
``EpubBuilder``: the EPUB writer (``writers/epub``) packages these pages, and
an offline web edition can serve the very same ones, with the same semantics,
ids and sentence spans. What a format chooses:

- ``epub_types``: EPUB's structural vocabulary (``epub:type``) beside each ARIA role;
- ``wrap_sentences``: each sentence in a ``<span id>``, for the media overlay
  or a player that highlights the sentence being read aloud;
- ``page_marker``: how the start of a printed page is marked (a subclass may
  override it: axe-core refuses the empty ``role="doc-pagebreak"`` span that
  EPUB reading systems expect).

The sentence is the unit here. Every block part is cut at the offsets that
``publisher.text`` gives (the same segmentation the audio is spoken in), so a
page-break marker can sit right before the sentence that starts a printed
page, and each sentence can be wrapped in its own span. A sentence may cross
styled runs: runs are cut at the sentence's offsets and each piece keeps its style.
The pages are XHTML, which both EPUB and browsers read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from ..model import (
    Block,
    Callout,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Run,
    Runs,
    Section,
)
from ..text import (
    contact_chunks,
    contact_sentences,
    section_sentences,
    sentence_spans,
    title_sentences,
)
from ..visit import Visitor, part_runs

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: XHTML, "epub": OPS}
STYLESHEET = "style.css"


@dataclass(frozen=True)
class Piece:
    """A sentence to place: its id and where it lies in its part's text."""

    id: str
    start: int
    end: int


@dataclass
class PageMarks:
    """Where the booklet's printed pages begin, as sentence ids.

    ``before`` maps a sentence id to the labels of the pages that begin with
    it. A page on which no sentence begins (the booklet's cover and title
    pages, its "other formats" page, a page inside one long sentence, blank
    pages at the back) is placed where its content falls: before the title,
    before the next page that starts with a sentence, or at the very end.
    """

    before: dict[str, list[str]] = field(default_factory=dict)
    leading: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)

    @classmethod
    def from_pages(cls, pages: Sequence[dict]) -> PageMarks:
        marks = cls()
        pending: list[str] = []
        for page in pages:
            label, sentence = str(page["label"]), page.get("sentence")
            if not sentence:
                pending.append(label)
            elif not marks.before:
                marks.leading, pending = pending, []  # the pages before the first sentence precede the title
                marks.before[sentence] = [label]
            else:
                marks.before.setdefault(sentence, []).extend([*pending, label])
                pending = []
        marks.trailing = pending
        return marks


def page_id(label: str) -> str:
    return "page-" + re.sub(r"[^A-Za-z0-9_-]", "-", label)


@dataclass
class Page:
    """One written page and what a package needs to know about it."""

    name: str  # file name, relative to the other pages
    title: str  # for <title> and the table of contents
    markup: bytes = b""
    sentences: list[str] = field(default_factory=list)  # ids in document order
    pages: list[tuple[str, str]] = field(default_factory=list)  # printed pages begun here: (label, element id)
    kind: str = "chapter"  # bodymatter chapter, cover or backmatter


def cut_runs(runs: Runs, start: int, end: int) -> list[Run]:
    """The pieces of ``runs`` between two offsets of their joined text."""
    pieces, offset = [], 0
    for run in runs:
        a, b = max(start, offset), min(end, offset + len(run.text))
        if a < b:
            pieces.append(Run(run.text[a - offset : b - offset], run.strong, run.emphasis, run.link))
        offset += len(run.text)
    return pieces


def element(parent, tag: str, text: str | None = None, **attributes: str):
    """A child element; ``epub_type`` becomes epub:type, ``aria_x`` aria-x."""
    node = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in attributes.items():
        if name == "epub_type":
            node.set(f"{{{OPS}}}type", value)
        else:
            node.set(name.replace("_", "-"), value)
    if text:
        node.text = text
    return node


def add_text(parent, text: str) -> None:
    """Append text after the last child (lxml keeps it in that child's tail)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class HtmlWriter(Visitor[None]):
    """Renders the pages of one edition; ``visit_<Block>`` writes a block into ``self.parent``."""

    def __init__(self, document: Document, marks: PageMarks, *, wrap_sentences: bool, epub_types: bool):
        self.document = document
        self.marks = marks
        self.wrap_sentences = wrap_sentences
        self.epub_types = epub_types
        self.language = document.meta.language
        self.current: Page  # the page being written, from page() on
        self.parent = None  # the element blocks are written into
        self.pieces: dict[tuple[int, int], list[Piece]] = {}  # (id(block), part) → its sentences

    def element(self, parent, tag: str, text: str | None = None, **attributes: str):
        if not self.epub_types:
            attributes.pop("epub_type", None)
        return element(parent, tag, text, **attributes)

    # Inline content ---------------------------------------------------------

    def runs(self, parent, runs: Iterable[Run]) -> None:
        for run in runs:
            target = parent
            if not run.text.strip():
                # The gap between two sentences cut from one styled run: plain
                # space, never an empty link or bold space.
                add_text(parent, run.text)
                continue
            if run.link:  # a link with no target yet ("") keeps its words, unlinked
                target = self.element(target, "a", href=run.link)
            if run.strong:
                target = self.element(target, "strong")
            if run.emphasis:  # <em> for meaning; the stylesheet sets it upright and bold
                target = self.element(target, "em")
            add_text(target, run.text)

    def part(self, parent, runs: Runs, pieces: Sequence[Piece]) -> None:
        """One part's text, cut into sentences: markers before, spans around."""
        cursor = 0
        for piece in pieces:
            self.runs(parent, cut_runs(runs, cursor, piece.start))
            self.page_markers(parent, self.marks.before.get(piece.id, ()))
            self.current.sentences.append(piece.id)
            target = self.element(parent, "span", id=piece.id) if self.wrap_sentences else parent
            self.runs(target, cut_runs(runs, piece.start, piece.end))
            cursor = piece.end
        self.runs(parent, cut_runs(runs, cursor, len("".join(r.text for r in runs))))

    def heading(self, parent, tag: str, runs: Runs, pieces: Sequence[Piece], **attributes: str) -> None:
        """A heading, with the markers of pages it starts placed before it: inside,
        a marker would become part of the heading's spoken name."""
        starting = [label for piece in pieces if piece.start == 0 for label in self.marks.before.pop(piece.id, [])]
        self.page_markers(parent, starting)
        self.part(self.element(parent, tag, **attributes), runs, pieces)

    def page_markers(self, parent, labels: Iterable[str]) -> None:
        for label in labels:
            identifier = page_id(label)
            self.page_marker(parent, label, identifier)
            self.current.pages.append((label, identifier))

    def page_marker(self, parent, label: str, identifier: str) -> None:
        """Where a printed page begins: an empty span named by the page's label."""
        self.element(parent, "span", id=identifier, role="doc-pagebreak", epub_type="pagebreak", aria_label=label)

    # Blocks -----------------------------------------------------------------

    def blocks(self, parent, blocks: Sequence[Block]) -> None:
        outer, self.parent = self.parent, parent
        self.visit_all(blocks)
        self.parent = outer

    def parts(self, block: Block) -> list[tuple[Runs, list[Piece]]]:
        """Each separately read part of a block (``part_runs``) with its sentences."""
        return [(runs, self.pieces.get((id(block), n), [])) for n, runs in enumerate(part_runs(block))]

    def visit_Heading(self, block: Heading) -> None:
        [(runs, pieces)] = self.parts(block)
        self.heading(self.parent, f"h{min(block.level - 1, 6)}", runs, pieces)

    def visit_Paragraph(self, block: Paragraph) -> None:
        [(runs, pieces)] = self.parts(block)
        self.part(self.element(self.parent, "p"), runs, pieces)

    def visit_ListBlock(self, block: ListBlock) -> None:
        attributes = {"start": str(block.start)} if block.ordered and block.start != 1 else {}
        listing = self.element(self.parent, "ol" if block.ordered else "ul", **attributes)
        for runs, pieces in self.parts(block):
            self.part(self.element(listing, "li"), runs, pieces)

    def visit_Quote(self, block: Quote) -> None:
        # The attribution sits outside the quotation, in the figure's caption (HTML's own pattern).
        figure = self.element(self.parent, "figure", **{"class": "quote"})
        quotation = self.element(figure, "blockquote")
        parts = self.parts(block)
        for runs, pieces in parts[: len(block.paragraphs)]:
            self.part(self.element(quotation, "p"), runs, pieces)
        if block.attribution:
            self.part(self.element(figure, "figcaption", "— "), *parts[-1])

    def visit_Callout(self, block: Callout) -> None:
        box_id = f"box-{block.line}"
        attributes = {"aria_labelledby": box_id} if block.title else {}
        box = self.element(self.parent, "aside", epub_type="tip", role="doc-tip", **{"class": "callout"}, **attributes)
        for runs, pieces in self.parts(block):  # the title, when it has one
            self.part(self.element(box, "p", id=box_id, **{"class": "callout-title"}), runs, pieces)
        self.blocks(box, block.blocks)

    def visit_Image(self, block: Image) -> None:
        figure = self.element(self.parent, "figure", **{"class": "image"})
        self.element(figure, "img", src=image_href(block), alt=block.alt)
        for runs, pieces in self.parts(block):  # the caption, when it has one
            self.part(self.element(figure, "figcaption"), runs, pieces)

    # Pages ------------------------------------------------------------------

    def page(self, content: Page, *, body_type: str = ""):
        """A new XHTML page and its <body>."""
        self.current = content
        html = etree.Element(f"{{{XHTML}}}html", nsmap=NSMAP if self.epub_types else {None: XHTML})
        html.set("lang", self.language)
        html.set(XML_LANG, self.language)
        head = self.element(html, "head")
        self.element(head, "meta", charset="utf-8")
        self.element(head, "title", content.title)
        self.element(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
        body = self.element(html, "body", **({"epub_type": body_type} if body_type else {}))
        return html, body

    def finish(self, content: Page, html) -> Page:
        content.markup = serialise(html)
        return content

    def cover(self, image_href_: str, alt: str) -> Page:
        content = Page("cover.xhtml", self.document.meta.title, kind="cover")
        html, body = self.page(content)
        section = self.element(body, "section", epub_type="cover", **{"class": "cover"})
        self.element(section, "img", src=image_href_, alt=alt, role="doc-cover")
        return self.finish(content, html)

    def section(self, section: Section) -> Page:
        content = Page(section_file(section), section.title)
        html, body = self.page(content, body_type="bodymatter")
        heading_id = f"h-{section.slug}"
        chapter = self.element(body, "section", id=section.slug, epub_type="chapter", role="doc-chapter",
                               aria_labelledby=heading_id)
        self.pieces = {}
        for sentence in section_sentences(section):
            self.pieces.setdefault((id(sentence.block), sentence.part), []).append(
                Piece(sentence.id, sentence.start, sentence.end))
        if section.number == 1:
            self.page_markers(chapter, self.marks.leading)
            self.title_header(chapter, heading_id if section.heading is None else None)
        if section.heading is not None:
            [(runs, pieces)] = self.parts(section.heading)
            self.heading(chapter, "h1", runs, pieces, id=heading_id)
        self.blocks(chapter, section.blocks)
        if section is self.document.sections[-1] and not any(contact_chunks(self.document)):
            self.page_markers(chapter, self.marks.trailing)  # no contact page follows to hold them
        return self.finish(content, html)

    def title_header(self, chapter, heading_id: str | None) -> None:
        """The title and subtitle open the book, read aloud and highlighted like
        every other sentence; given ``heading_id`` (the first section has no
        heading of its own), the title heads the section."""
        meta = self.document.meta
        header = self.element(chapter, "header")
        ids = iter(identifier for identifier, _ in title_sentences(self.document))

        def sentences(text: str) -> tuple[Runs, list[Piece]]:
            return (Run(text),), [Piece(next(ids), a, b) for a, b in sentence_spans(text)]

        if heading_id:
            self.heading(header, "h1", *sentences(meta.title), id=heading_id)
        else:
            self.part(self.element(header, "p", **{"class": "title"}), *sentences(meta.title))
        if meta.subtitle:
            self.part(self.element(header, "p", **{"class": "subtitle"}), *sentences(meta.subtitle))

    def contact(self) -> Page | None:
        """The closing page: how to reach the publisher, and the disclaimer."""
        meta = self.document.meta
        chunks = list(contact_chunks(self.document))
        if not chunks:
            return None
        ids = iter(identifier for identifier, _ in contact_sentences(self.document))
        chunk_pieces = iter([[Piece(next(ids), a, b) for a, b in sentence_spans(chunk)] for chunk in chunks])
        content = Page("contact.xhtml", chunks[0], kind="backmatter")  # the contact heading, else the disclaimer
        html, body = self.page(content, body_type="backmatter")
        section = self.element(body, "section", id="contact", aria_labelledby="h-contact")

        def line(parent, tag: str, text: str, link: str | None = None, **attributes: str) -> None:
            runs, pieces = (Run(text, link=link),), next(chunk_pieces)
            if tag == "h1":
                self.heading(parent, tag, runs, pieces, **attributes)
            else:
                self.part(self.element(parent, tag, **attributes), runs, pieces)

        if meta.contact:
            contact = meta.contact
            line(section, "h1", contact.heading, id="h-contact")
            if contact.address:
                line(section, "p", contact.address_label)
                address = self.element(section, "address")
                for address_line in contact.address:
                    line(address, "p", address_line)
            for value, scheme in ((contact.phone, "tel:"), (contact.email, "mailto:"), (contact.website, "")):
                if value:
                    target = scheme + (re.sub(r"[^+0-9]", "", value) if scheme == "tel:" else value)
                    line(section, "p", value, target)
        if meta.disclaimer:
            tag = "p" if meta.contact else "h1"
            line(section, tag, meta.disclaimer.text, meta.disclaimer.link, **({"class": "disclaimer"}
                 if meta.contact else {"id": "h-contact"}))
        self.page_markers(section, self.marks.trailing)
        return self.finish(content, html)


BLOCKS = frozenset(f"{{{XHTML}}}{tag}" for tag in (
    "head", "meta", "title", "link", "body", "section", "header", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "ul", "ol", "li", "figure", "blockquote", "figcaption", "aside", "address", "img"))


def serialise(html) -> bytes:
    """The XHTML file. A line break follows every block element, where white
    space means nothing to a renderer, so that tools reading the bare text
    (search indexes, simple extractors) still see where blocks end. General
    pretty-printing is avoided: between inline elements it would add spaces
    inside words ("**un**usual")."""
    for node in html.iter(*BLOCKS):
        if not (node.tail or "").strip():
            node.tail = "\n"
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def section_file(section: Section) -> str:
    return f"section-{section.number:02d}-{section.slug}.xhtml"


def image_href(image: Image) -> str:
    return f"images/{image.path.name}"
