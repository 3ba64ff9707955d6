"""The content documents: one XHTML file per section, plus cover and contact page.

The sentence is the unit here. Every block part is cut at the offsets that
``publisher.text`` gives (the same segmentation the audio is spoken in), so a
page-break marker can sit right before the sentence that starts a printed
page, and the read-aloud edition can wrap each sentence in ``<span id>`` for
its media overlay. A sentence may cross styled runs: runs are cut at the
sentence's offsets and each piece keeps its style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from ...model import (
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
from ...text import (
    contact_chunks,
    contact_sentences,
    section_sentences,
    sentence_spans,
    title_sentences,
)
from ...visit import part_runs

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
    def from_pages(cls, pages: Sequence[dict]) -> "PageMarks":
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
class ContentDocument:
    name: str  # file name inside the EPUB folder
    title: str  # for <title> and the table of contents
    xhtml: bytes = b""
    sentences: list[str] = field(default_factory=list)  # ids in document order
    pages: list[tuple[str, str]] = field(default_factory=list)  # (label, element id), in order
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


class Writer:
    """Renders the content documents of one edition."""

    def __init__(self, document: Document, marks: PageMarks, read_aloud: bool):
        self.document = document
        self.marks = marks
        self.read_aloud = read_aloud
        self.language = document.meta.language
        self.current: ContentDocument | None = None

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
                target = element(target, "a", href=run.link)
            if run.strong:
                target = element(target, "strong")
            if run.emphasis:  # <em> for meaning; the stylesheet sets it upright and bold
                target = element(target, "em")
            add_text(target, run.text)

    def part(self, parent, runs: Runs, pieces: Sequence[Piece]) -> None:
        """One part's text, cut into sentences: markers before, spans around."""
        cursor = 0
        for piece in pieces:
            self.runs(parent, cut_runs(runs, cursor, piece.start))
            self.page_markers(parent, self.marks.before.get(piece.id, ()))
            self.current.sentences.append(piece.id)
            target = element(parent, "span", id=piece.id) if self.read_aloud else parent
            self.runs(target, cut_runs(runs, piece.start, piece.end))
            cursor = piece.end
        self.runs(parent, cut_runs(runs, cursor, len("".join(r.text for r in runs))))

    def heading(self, parent, tag: str, runs: Runs, pieces: Sequence[Piece], **attributes: str) -> None:
        """A heading, with the markers of pages it starts placed before it: inside,
        a marker would become part of the heading's spoken name."""
        starting = [label for piece in pieces if piece.start == 0 for label in self.marks.before.pop(piece.id, [])]
        self.page_markers(parent, starting)
        self.part(element(parent, tag, **attributes), runs, pieces)

    def page_markers(self, parent, labels: Iterable[str]) -> None:
        for label in labels:
            identifier = page_id(label)
            element(parent, "span", id=identifier, role="doc-pagebreak", epub_type="pagebreak", aria_label=label)
            self.current.pages.append((label, identifier))

    # Blocks -----------------------------------------------------------------

    def blocks(self, parent, blocks: Sequence[Block], pieces: dict) -> None:
        for block in blocks:
            self.block(parent, block, [pieces.get((id(block), n), []) for n in range(len(part_runs(block)))], pieces)

    def block(self, parent, block: Block, parts: list[list[Piece]], pieces: dict) -> None:
        runs = part_runs(block)
        if isinstance(block, Heading):
            self.heading(parent, f"h{min(block.level - 1, 6)}", runs[0], parts[0])
        elif isinstance(block, Paragraph):
            self.part(element(parent, "p"), runs[0], parts[0])
        elif isinstance(block, ListBlock):
            attributes = {"start": str(block.start)} if block.ordered and block.start != 1 else {}
            listing = element(parent, "ol" if block.ordered else "ul", **attributes)
            for item, item_pieces in zip(runs, parts):
                self.part(element(listing, "li"), item, item_pieces)
        elif isinstance(block, Quote):
            # The attribution sits outside the quotation, in the figure's caption (HTML's own pattern).
            figure = element(parent, "figure", **{"class": "quote"})
            quotation = element(figure, "blockquote")
            for paragraph_runs, paragraph_pieces in zip(runs[: len(block.paragraphs)], parts):
                self.part(element(quotation, "p"), paragraph_runs, paragraph_pieces)
            if block.attribution:
                caption = element(figure, "figcaption", "— ")
                self.part(caption, runs[-1], parts[-1])
        elif isinstance(block, Callout):
            box_id = f"box-{block.line}"
            attributes = {"aria_labelledby": box_id} if block.title else {}
            box = element(parent, "aside", epub_type="tip", role="doc-tip", **{"class": "callout"}, **attributes)
            if block.title:
                self.part(element(box, "p", id=box_id, **{"class": "callout-title"}), runs[0], parts[0])
            self.blocks(box, block.blocks, pieces)
        elif isinstance(block, Image):
            figure = element(parent, "figure", **{"class": "image"})
            element(figure, "img", src=image_href(block), alt=block.alt)
            if block.caption:
                self.part(element(figure, "figcaption"), runs[0], parts[0])
        else:
            raise TypeError(block)

    # Documents --------------------------------------------------------------

    def page(self, content: ContentDocument, *, body_type: str = ""):
        """A new XHTML page and its <body>."""
        self.current = content
        html = etree.Element(f"{{{XHTML}}}html", nsmap=NSMAP)
        html.set("lang", self.language)
        html.set(XML_LANG, self.language)
        head = element(html, "head")
        element(head, "meta", charset="utf-8")
        element(head, "title", content.title)
        element(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
        body = element(html, "body", **({"epub_type": body_type} if body_type else {}))
        return html, body

    def finish(self, content: ContentDocument, html) -> ContentDocument:
        content.xhtml = serialise(html)
        return content

    def cover(self, image_href_: str, alt: str) -> ContentDocument:
        content = ContentDocument("cover.xhtml", self.document.meta.title, kind="cover")
        html, body = self.page(content)
        section = element(body, "section", epub_type="cover", **{"class": "cover"})
        element(section, "img", src=image_href_, alt=alt, role="doc-cover")
        return self.finish(content, html)

    def section(self, section: Section) -> ContentDocument:
        content = ContentDocument(section_file(section), section.title)
        html, body = self.page(content, body_type="bodymatter")
        heading_id = f"h-{section.slug}"
        chapter = element(body, "section", id=section.slug, epub_type="chapter", role="doc-chapter",
                          aria_labelledby=heading_id)
        pieces: dict[tuple[int, int], list[Piece]] = {}
        for sentence in section_sentences(section):
            pieces.setdefault((id(sentence.block), sentence.part), []).append(Piece(sentence.id, sentence.start, sentence.end))
        if section.number == 1:
            self.page_markers(chapter, self.marks.leading)
        if section.number == 1:
            # The title and subtitle open the book, read aloud and highlighted like
            # every other sentence; with no heading of its own, the title heads the section.
            header = element(chapter, "header")
            meta = self.document.meta
            ids = iter(identifier for identifier, _ in title_sentences(self.document))
            for text, tag in ((meta.title, "h1"), (meta.subtitle, "p")):
                if not text:
                    continue
                runs, spans = (Run(text),), [Piece(next(ids), a, b) for a, b in sentence_spans(text)]
                if tag == "h1" and section.heading is None:
                    self.heading(header, "h1", runs, spans, id=heading_id)
                else:
                    self.part(element(header, "p", **{"class": "title" if tag == "h1" else "subtitle"}), runs, spans)
        if section.heading is not None:
            heading = section.heading
            self.heading(chapter, "h1", heading.runs, pieces.get((id(heading), 0), []), id=heading_id)
        self.blocks(chapter, section.blocks, pieces)
        if section is self.document.sections[-1] and not any(contact_chunks(self.document)):
            self.page_markers(chapter, self.marks.trailing)  # no contact page follows to hold them
        return self.finish(content, html)

    def contact(self) -> ContentDocument | None:
        """The closing page: how to reach the publisher, and the disclaimer."""
        meta = self.document.meta
        chunks = list(contact_chunks(self.document))
        if not chunks:
            return None
        ids = iter(identifier for identifier, _ in contact_sentences(self.document))
        chunk_pieces = iter([[Piece(next(ids), a, b) for a, b in sentence_spans(chunk)] for chunk in chunks])
        title = meta.contact.heading if meta.contact else meta.disclaimer.text
        content = ContentDocument("contact.xhtml", title, kind="backmatter")
        html, body = self.page(content, body_type="backmatter")
        section = element(body, "section", id="contact", aria_labelledby="h-contact")

        def line(parent, tag: str, text: str, link: str | None = None, **attributes: str) -> None:
            runs, pieces = (Run(text, link=link),), next(chunk_pieces)
            if tag == "h1":
                self.heading(parent, tag, runs, pieces, **attributes)
            else:
                self.part(element(parent, tag, **attributes), runs, pieces)

        if meta.contact:
            contact = meta.contact
            line(section, "h1", contact.heading, id="h-contact")
            if contact.address:
                line(section, "p", contact.address_label)
                address = element(section, "address")
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
