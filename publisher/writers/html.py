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

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

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
    Table,
    plain,
    walk,
)
from ..terms import Terms, terms_for
from ..text import (
    contact_chunks,
    contact_sentences,
    note_sentences,
    section_sentences,
    sentence_spans,
    title_sentences,
)
from ..visit import Visitor, part_runs

if TYPE_CHECKING:
    from ..contract import Job

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
    """The pieces of ``runs`` between two offsets of their joined text.

    A source's marker (a run with no text of its own) goes with the character
    it follows, so "pace.[^1]" keeps its number inside the sentence it ends;
    every marker lands in exactly one of the ranges that tile the text."""
    pieces, offset = [], 0
    for run in runs:
        if run.note is not None and not run.text:
            anchor = max(offset - 1, 0)
            if start <= anchor < end:
                pieces.append(run)
            continue
        a, b = max(start, offset), min(end, offset + len(run.text))
        if a < b:
            pieces.append(replace(run, text=run.text[a - offset : b - offset]))
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
    """Renders the pages of one edition; ``visit_<Block>`` writes a block into ``self.parent``.

    ``job``, when given, brings what the closing page prints besides the
    contact details (the other formats and languages, the review line) and
    the draft mark; its terms give every fixed word. Without it (a page
    written on its own) the terms are the document language's."""

    notes_file = "notes.xhtml"  # the sources cited; a web edition may serve them under another name
    own_format = "epub"  # left out of "This guidance in other formats"

    def __init__(self, document: Document, marks: PageMarks, *, wrap_sentences: bool, epub_types: bool,
                 job: Job | None = None):
        self.document = document
        self.marks = marks
        self.wrap_sentences = wrap_sentences
        self.epub_types = epub_types
        self.job = job
        self.terms: Terms = job.terms if job is not None else terms_for(document.meta.language)
        self.language = document.meta.language
        self.right_to_left = self.terms.right_to_left
        self.current: Page  # the page being written, from page() on
        self.parent = None  # the element blocks are written into
        self.pieces: dict[tuple[int, int], list[Piece]] = {}  # (id(block), part) → its sentences
        self.cited: set[int] = set()  # notes whose first marker (the back-link's target) is written
        # Where each heading lives, for "[words](#id)": the content document of its section.
        self.heading_files = {section.id: self.section_file(section) for section in document.sections}
        for section in document.sections:
            for block in walk(section.blocks):
                if isinstance(block, Heading) and block.id:
                    self.heading_files[block.id] = self.section_file(section)

    def element(self, parent, tag: str, text: str | None = None, **attributes: str):
        if not self.epub_types:
            attributes.pop("epub_type", None)
        return element(parent, tag, text, **attributes)

    def section_file(self, section: Section) -> str:
        return section_file(section)

    def href(self, link: str) -> str:
        """A link's address: "#id" becomes the id in the content document that holds it."""
        if link.startswith("#") and link[1:] in self.heading_files:
            return f"{self.heading_files[link[1:]]}{link}"
        return link

    # Inline content ---------------------------------------------------------

    def runs(self, parent, runs: Iterable[Run]) -> None:
        for run in runs:
            if run.note is not None and not run.text:
                self.note_marker(parent, run.note)
                continue
            target = parent
            if not run.text.strip():
                # The gap between two sentences cut from one styled run: plain
                # space, never an empty link or bold space.
                add_text(parent, run.text)
                continue
            if run.link:  # a link with no target yet ("") keeps its words, unlinked
                target = self.element(target, "a", href=self.href(run.link))
            if run.strong:
                target = self.element(target, "strong")
            if run.emphasis:  # <em> for meaning; the stylesheet sets it upright and bold
                target = self.element(target, "em")
            self.text(target, run.text)

    def text(self, parent, text: str) -> None:
        """Text into an element. In a right-to-left page, each stretch of
        left-to-right text with more than one piece (an English name, a
        street, a phone number "01274 000000") is isolated in a
        ``dir="ltr"`` span: else the bidi algorithm would show "1 High
        Street" as "High Street 1" and the two groups of a phone number swapped."""
        if not self.right_to_left:
            add_text(parent, text)
            return
        cursor = 0
        for start, end in left_to_right_runs(text):
            add_text(parent, text[cursor:start])
            self.element(parent, "span", text[start:end], dir="ltr")
            cursor = end
        add_text(parent, text[cursor:])

    def note_marker(self, parent, number: int) -> None:
        """The number of a cited source, raised, linking to its note; the first
        marker of each note is the target of the note's link back."""
        attributes = {"id": f"noteref-{number}"} if number not in self.cited else {}
        self.cited.add(number)
        sup = self.element(parent, "sup", **{"class": "noteref"})
        self.element(sup, "a", str(number), href=f"{self.notes_file}#note-{number}", epub_type="noteref",
                     role="doc-noteref", aria_label=self.terms("epub_note_ref", number=number), **attributes)

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
        self.runs(parent, cut_runs(runs, cursor, len(plain(runs))))

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
        self.heading(self.parent, f"h{min(block.level - 1, 6)}", runs, pieces, **({"id": block.id} if block.id else {}))

    def visit_Paragraph(self, block: Paragraph) -> None:
        [(runs, pieces)] = self.parts(block)
        self.part(self.element(self.parent, "p"), runs, pieces)

    def visit_ListBlock(self, block: ListBlock) -> None:
        """A list; an item of level 1 goes into a list inside the item before it,
        numbered from 1 again (``ListBlock.markers``)."""
        markers = block.markers()
        attributes = {"start": str(markers[0])} if block.ordered and markers[0] != 1 else {}
        listing = self.element(self.parent, "ol" if block.ordered else "ul", **attributes)
        item = inner = None
        for index, (runs, pieces) in enumerate(self.parts(block)):
            if block.level(index) == 0 or item is None:
                item, inner = self.element(listing, "li"), None
                self.part(item, runs, pieces)
            else:
                if inner is None:
                    add_text(item, "\n")  # the item's words end here, for tools reading the bare text
                    inner = self.element(item, "ol" if block.nested_ordered else "ul")
                self.part(self.element(inner, "li"), runs, pieces)

    def visit_Table(self, block: Table) -> None:
        """A table with its caption and column headers. It sits in a region
        that scrolls sideways on a narrow screen (the page itself never
        does), which keyboard users reach and screen readers name by the caption."""
        parts = self.parts(block)
        caption_id = f"table-{block.line}"
        named = {"aria_labelledby": caption_id} if block.caption else {"aria_label": self.terms("epub_table")}
        region = self.element(self.parent, "div", role="region", tabindex="0", **{"class": "table"}, **named)
        table = self.element(region, "table")
        if block.caption:
            self.part(self.element(table, "caption", id=caption_id), *parts[0])
        row = self.element(self.element(table, "thead"), "tr")
        for column in range(len(block.header)):
            self.part(self.element(row, "th", scope="col"), *parts[block.part_of(-1, column)])
        body = self.element(table, "tbody")
        for number, cells in enumerate(block.rows):
            row = self.element(body, "tr")
            for column in range(len(cells)):
                self.part(self.element(row, "td"), *parts[block.part_of(number, column)])

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
        """A new XHTML page and its <body>, in the source's language and direction."""
        self.current = content
        html = etree.Element(f"{{{XHTML}}}html", nsmap=NSMAP if self.epub_types else {None: XHTML})
        html.set("lang", self.language)
        html.set(XML_LANG, self.language)
        direction = {"dir": "rtl"} if self.right_to_left else {}
        if direction:
            html.set("dir", "rtl")
        head = self.element(html, "head")
        self.element(head, "meta", charset="utf-8")
        self.element(head, "title", content.title)
        self.element(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
        body = self.element(html, "body", **({"epub_type": body_type} if body_type else {}), **direction)
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
        content = Page(self.section_file(section), section.title)
        html, body = self.page(content, body_type="bodymatter")
        # The heading carries the id links to the section use ("#when-to-get-help").
        heading_id = (section.heading.id if section.heading else section.id) or f"h-{section.slug}"
        chapter = self.element(body, "section", epub_type="chapter", role="doc-chapter", aria_labelledby=heading_id)
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
        return self.finish(content, html)

    def title_header(self, chapter, heading_id: str | None) -> None:
        """The title and subtitle open the book, read aloud and highlighted like
        every other sentence; given ``heading_id`` (the first section has no
        heading of its own), the title heads the section. A draft says so first."""
        meta = self.document.meta
        header = self.element(chapter, "header")
        if self.job is not None and self.job.options.get("draft"):
            self.element(header, "p", self.terms("epub_draft"), **{"class": "draft"})
        ids = iter(identifier for identifier, _ in title_sentences(self.document))

        def sentences(text: str) -> tuple[Runs, list[Piece]]:
            return (Run(text),), [Piece(next(ids), a, b) for a, b in sentence_spans(text)]

        if heading_id:
            self.heading(header, "h1", *sentences(meta.title), id=heading_id)
        else:
            self.part(self.element(header, "p", **{"class": "title"}), *sentences(meta.title))
        if meta.subtitle:
            self.part(self.element(header, "p", **{"class": "subtitle"}), *sentences(meta.subtitle))

    def notes(self) -> Page | None:
        """The sources cited, numbered, each linking back to where it is first cited."""
        notes = self.document.notes
        if not notes:
            return None
        heading = self.terms("epub_sources")
        content = Page(self.notes_file, heading, kind="backmatter")
        html, body = self.page(content, body_type="backmatter")
        section = self.element(body, "section", id="sources", epub_type="endnotes", role="doc-endnotes",
                               aria_labelledby="h-sources")
        self.element(section, "h1", heading, id="h-sources")
        listing = self.element(section, "ol")
        ids = iter(identifier for identifier, _ in note_sentences(self.document))
        for note in notes:
            item = self.element(listing, "li", id=f"note-{note.number}", epub_type="endnote",
                                value=str(note.number))
            paragraph = self.element(item, "p")
            self.part(paragraph, note.runs, [Piece(next(ids), a, b) for a, b in sentence_spans(plain(note.runs))])
            if note.number in self.cited:
                add_text(paragraph, " ")
                self.element(paragraph, "a", "↩", href=self.note_source(note.number), role="doc-backlink",
                             aria_label=self.terms("epub_note_back", number=note.number))
        return self.finish(content, html)

    def note_source(self, number: int) -> str:
        """Where a note is first cited: its marker in the content document that holds it."""
        for section in self.document.sections:
            for block in section.reading_order():
                if any(run.note == number for runs in part_runs(block) for run in runs):
                    return f"{self.section_file(section)}#noteref-{number}"
        return f"#note-{number}"  # never cited in the text: a link to itself

    def contact(self) -> Page:
        """The closing page: how to reach the publisher, the disclaimer, the
        other formats and languages of this guidance, and when it was reviewed."""
        meta = self.document.meta
        chunks = list(contact_chunks(self.document))
        ids = iter(identifier for identifier, _ in contact_sentences(self.document))
        chunk_pieces = iter([[Piece(next(ids), a, b) for a, b in sentence_spans(chunk)] for chunk in chunks])
        # Titled by the contact heading, else the disclaimer, else what follows.
        content = Page("contact.xhtml", chunks[0] if chunks else self.terms("epub_other_formats"), kind="backmatter")
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
        self.about(section, heading="h2" if chunks else "h1")
        self.page_markers(section, self.marks.trailing)
        return self.finish(content, html)

    def about(self, parent, heading: str) -> None:
        """The closing page's fixed part: the other formats and languages, and the review line."""
        terms = self.terms
        first_id = {} if heading == "h2" else {"id": "h-contact"}  # the page's own heading, when it has no contact
        part = self.element(parent, "section", **{"class": "other-formats"})
        self.element(part, "h2" if heading == "h2" else "h1", terms("epub_other_formats"), **first_id)
        self.element(part, "p", terms("epub_also_published_as"))
        listing = self.element(part, "ul")
        for description in other_formats(terms, self.own_format):
            self.element(listing, "li", description)
        url = self.formats_url()
        if url:
            download = self.element(part, "p")
            before, _, after = terms("epub_download_from", url="\0").partition("\0")
            add_text(download, before)
            self.element(download, "a", url, href=url)
            add_text(download, after)
        else:
            self.element(part, "p", terms("epub_ask_for_edition"))
        editions = [e for e in (self.job.editions if self.job is not None else ()) if e.language != self.language]
        if editions:
            part = self.element(parent, "section", **{"class": "other-languages"})
            self.element(part, "h2", terms("epub_other_languages"))
            listing = self.element(part, "ul")
            for edition in editions:
                # each in its own language and direction, so screen readers switch voice
                own = {"dir": "rtl" if terms_for(edition.language).right_to_left else "ltr"}
                item = self.element(listing, "li", lang=edition.language, **own)
                item.set(XML_LANG, edition.language)
                self.element(item, "strong", edition.name)
                add_text(item, f": {edition.title}")
        meta = self.document.meta
        if meta.approved_by:
            self.element(parent, "p", terms("epub_approved_by", name=meta.approved_by), **{"class": "review"})
        if meta.feedback:  # an email address, a phone number or a web address, linked as what it is
            feedback = self.element(parent, "p", **{"class": "review"})
            before, _, after = terms("epub_feedback", contact="\0").partition("\0")
            add_text(feedback, before)
            self.text(self.element(feedback, "a", href=contact_href(meta.feedback)), meta.feedback)
            add_text(feedback, after)
        review = review_line(self.document, terms)
        if review:
            self.element(parent, "p", review, **{"class": "review"})

    def formats_url(self) -> str:
        """Where the other editions can be downloaded: the source's address, else the house style's."""
        if self.document.meta.formats_url:
            return self.document.meta.formats_url
        style = self.job.style if self.job is not None else None
        return str(style["pdf"].get("formats_url") or "") if style is not None else ""


def other_formats(terms: Terms, own: str) -> list[str]:
    """Every other format, in the order readers are offered them (paper, screen, sound)."""
    from ..formats import offered

    return [terms(f"format_{fmt.name}") for fmt in offered(leaving_out=own)]


def contact_href(value: str) -> str:
    """A link to an email address, a web address or a phone number."""
    if "@" in value and not value.startswith(("http://", "https://")):
        return "mailto:" + value
    if value.startswith(("http://", "https://")):
        return value
    return "tel:" + re.sub(r"[^+0-9]", "", value)


def review_line(document: Document, terms: Terms) -> str:
    """ "Version 2.1 · Reviewed January 2024 · Next review January 2027", of what the source gives."""
    meta = document.meta
    pieces = [terms("epub_version", version=meta.version) if meta.version else ""]
    for date, key in ((meta.reviewed, "epub_reviewed"), (meta.next_review, "epub_next_review")):
        if date:
            pieces.append(terms(key, month=terms.month(dt.date.fromisoformat(date))))
    return " · ".join(piece for piece in pieces if piece)


def left_to_right_runs(text: str) -> list[tuple[int, int]]:
    """Stretches of left-to-right text (letters of a left-to-right script and
    digits, with the spaces and punctuation between them) that the bidi
    algorithm could break up: those with a space or a mark inside. A single
    word or number ("NHS", "2023", "BD1") keeps its order by itself."""
    strong = [unicodedata.bidirectional(c) in ("L", "EN") for c in text]
    found, index = [], 0
    while index < len(text):
        if not strong[index]:
            index += 1
            continue
        start = end = index
        while index < len(text) and (strong[index] or text[index] in " .,-+/:@()&'’"):
            if strong[index]:
                end = index + 1
            index += 1
        if not all(strong[start:end]):
            found.append((start, end))
        index = end
    return found


BLOCKS = frozenset(f"{{{XHTML}}}{tag}" for tag in (
    "head", "meta", "title", "link", "body", "section", "header", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "ul", "ol", "li", "figure", "blockquote", "figcaption", "aside", "address", "img",
    "div", "table", "caption", "thead", "tbody", "tr", "th", "td"))


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


PICTURE_SUFFIXES = {".jpeg": ".jpg"}  # one spelling per kind (the reader has matched the name to the kind)


def image_href(image: Image) -> str:
    """A picture's address in the EPUB and the web edition: ``images/<name>-<hash>.<ext>``.

    The file's own name is not enough: two pictures called ``photo.png`` in
    different folders, names differing only in case (one file on Windows and
    macOS), a picture called ``cover.png`` beside the drawn cover, or a name
    with spaces and accents (which must be escaped in an href) would collide
    or break. So the name is cut down to lower-case ASCII letters, digits and
    hyphens (for a person reading the package) and followed by the first 12
    hex digits of the SHA-256 of the bytes: the same file, shown twice, has
    one address (one manifest item); different files never share one; and the
    address is a function of the picture alone, so every page and package
    that names it agrees without keeping a table.
    """
    data = image.path.read_bytes()
    ascii_name = unicodedata.normalize("NFKD", image.path.stem).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "picture"
    suffix = image.path.suffix.lower()
    return f"images/{name}-{hashlib.sha256(data).hexdigest()[:12]}{PICTURE_SUFFIXES.get(suffix, suffix)}"
