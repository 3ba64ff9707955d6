"""The braille edition: ``<slug>.brf`` for embossers and braille displays, and
the same pages as ``<slug>.pef`` (Portable Embosser Format, Unicode braille).

Unified English Braille through liblouis (grade 2 by default, grade 1 as a
house-style option; other languages use their own tables), laid out as
UKAAF's braille guidance does: pages of 40 cells by 25 lines, the braille
page number at the top right, a title page with a transcriber's note, a
contents page, section headings centred, smaller headings from cell 5,
paragraphs from cell 3 with runovers from cell 1, list items hanging, quotes
blocked, boxed notes between box lines, and a print page indicator wherever
a page of the printed booklet begins (``job.results["pdf"]["pages"]``), so a
braille reader and a sighted helper with the booklet can find the same place.
"""

from __future__ import annotations

from collections import defaultdict

from ...contract import Job, Written
from ...diagnostics import EnvironmentFault
from ...files import write_bytes
from ...liblouis import BRF_DISPLAY, HOW_TO_INSTALL, load, missing_tables, required
from ...model import Callout, Document, Heading, Image, ListBlock, Paragraph, Quote, Section, plain
from ...outputs import braille as braille_name
from ...style import style_error
from ...text import contact_chunks, section_sentences, sentence_spans
from ...visit import Visitor
from .pages import Pager, brf, centred, wrap
from .pef import pef

BULLET = "\u2022"  # UEB's bullet (dots 4-5-6, 2-5-6)


def table(job: Job) -> str:
    """The liblouis table for the document's language and the house style's grade."""
    settings, folder = job.style["braille"], job.document.source.resolve().parent
    language = job.document.meta.language.split("-")[0].lower()
    tables = settings["tables"]
    if language not in tables:
        raise style_error(folder, "tables", f"no braille table for the language '{language}' (braille.tables)",
                          f"add a line '{language}: <grade 1 table> <grade 2 table>' naming liblouis tables")
    if settings["grade"] not in (1, 2):
        raise style_error(folder, "grade", f"braille grade {settings['grade']} does not exist (braille.grade)",
                          "2 (contracted) or 1 (uncontracted)")
    return str(tables[language]).split()[settings["grade"] - 1]


def prepare(job: Job) -> None:
    """Refuse, before any format writes a file, when liblouis or the table is missing."""
    if load() is None:
        raise EnvironmentFault(f"cannot build braille: {HOW_TO_INSTALL}")
    name = table(job)
    if missing_tables([name]):
        raise style_error(job.document.source.resolve().parent, "tables",
                          f"liblouis has no table '{name}' (braille.tables)",
                          "the tables are in /usr/share/liblouis/tables (Debian's liblouis-data)")


def write(job: Job) -> Written:
    document = job.document
    pages = transcribe(job)
    target = job.path(braille_name(document.slug))
    written = [write_bytes(target, brf(pages)), write_bytes(target.with_suffix(".pef"), pef(pages, job))]
    job.progress(f"{document.slug}: {len(pages)} braille pages")
    return Written(tuple(written), {"pages": len(pages), "table": table(job)})


class Translator:
    """Print to Braille ASCII with one table."""

    def __init__(self, table_name: str):
        self.louis = required()
        self.tables = [BRF_DISPLAY, table_name]

    def __call__(self, text: str) -> str:
        return self.louis.translateString(self.tables, " ".join(text.split())) if text.strip() else ""

    def number(self, number: int | str) -> str:
        return self(str(number))


def transcribe(job: Job) -> list[list[str]]:
    """Every page, as lines of Braille ASCII: the title page and contents,
    then the text. The contents give each section's braille page, which
    depends on how many pages the contents take: lay out until they agree."""
    braille = Translator(table(job))
    settings = job.style["braille"]
    cells, lines = int(settings["cells"]), int(settings["lines"])
    labels = {page["sentence"]: str(page["label"])
              for page in (job.results.get("pdf") or {}).get("pages", ()) if page.get("sentence")}
    first_text_page = 3
    while True:
        body = Body(job.document, job.terms, braille, Pager(cells, lines, braille.number, first_text_page), labels)
        starts = body.write()
        front = Pager(cells, lines, braille.number)
        title_page(front, job, braille)
        contents_page(front, job, braille, starts)
        if len(front.pages) + 1 == first_text_page:
            return front.pages + body.pager.pages
        first_text_page = len(front.pages) + 1


def title_page(pager: Pager, job: Job, braille: Translator) -> None:
    meta, cells, terms = job.document.meta, pager.cells, job.terms
    pager.new_page()
    pager.add(centred(braille(meta.title), cells))
    if meta.subtitle:
        pager.blank()
        pager.add(centred(braille(meta.subtitle), cells))
    pager.blank()
    pager.add(centred(braille(meta.publisher), cells))
    pager.blank()
    grade = job.style["braille"]["grade"]
    pager.add(wrap(braille(terms("braille_note_heading")), cells, 4, 4), keep=2)
    pager.add(wrap(braille(terms("braille_note", code=terms("braille_code"), grade=grade)), cells, 2, 0))


def contents_page(pager: Pager, job: Job, braille: Translator, starts: list[tuple[str, int]]) -> None:
    """Each section's title, guide dots (dots 5) and its braille page number."""
    cells = pager.cells
    pager.new_page()
    pager.add(centred(braille(job.terms("braille_contents")), cells))
    pager.blank()
    for title, page in starts:
        number = braille.number(page)
        lines = wrap(braille(title), cells - len(number) - 3, 0, 2)
        last = lines[-1] + " "
        lines[-1] = last + '"' * (cells - len(last) - len(number) - 1) + " " + number
        pager.add(lines, keep=len(lines))


class Body(Visitor[None]):
    """The text, section after section, then the contact details."""

    def __init__(self, document: Document, terms, braille: Translator, pager: Pager, labels: dict[str, str]):
        self.document, self.terms, self.braille, self.pager, self.labels = document, terms, braille, pager, labels
        self.cells = pager.cells
        self.breaks: dict[tuple[int, int], list[tuple[int, str]]] = {}

    def write(self) -> list[tuple[str, int]]:
        """Lay out the text; return each section's title and first braille page."""
        starts: list[tuple[str, int]] = []
        self.pager.new_page()
        for section in self.document.sections:
            starts.append((section.title, self.pager.page_number))
            self.section(section)
        contact, disclaimer = self.document.meta.contact, self.document.meta.disclaimer
        closing = contact.heading if contact else disclaimer.text if disclaimer else None
        if closing is not None:
            starts.append((closing, self.pager.page_number))
            self.contact()
        return starts

    def section(self, section: Section) -> None:
        # Where each sentence begins in its block, for the print page indicators.
        self.breaks = defaultdict(list)
        for sentence in section_sentences(section):
            self.breaks[(id(sentence.block), sentence.part)].append((sentence.start, sentence.id))
        if section.heading is None:
            self.centred_heading(section.title, ())  # the opening section: the title leads it
        self.visit_all(((section.heading,) if section.heading else ()) + section.blocks)

    def flow(self, text: str, first: int, runover: int, sentences=(), keep: int = 2) -> None:
        """Text wrapped from cell ``first`` + 1 (runovers from ``runover`` + 1),
        broken by a print page indicator where a printed page begins."""
        cuts = [(start, self.labels[sid]) for start, sid in sentences if sid in self.labels]
        pieces: list[tuple[str, str | None]] = []
        position, label = 0, None
        for start, next_label in cuts:
            pieces.append((text[position:start], label))
            position, label = start, next_label
        pieces.append((text[position:], label))
        indent = first
        for piece, page in pieces:
            if page is not None:
                self.pager.print_page(self.braille.number(page))
            if piece.strip():
                self.pager.add(wrap(self.braille(piece), self.cells, indent, runover), keep=keep)
                indent = runover

    def part(self, block, part: int, text: str, first: int, runover: int, keep: int = 2) -> None:
        self.flow(text, first, runover, self.breaks.get((id(block), part), ()), keep)

    def centred_heading(self, text: str, sentences) -> None:
        self.pager.blank()
        cuts = [self.labels[sid] for _, sid in sentences if sid in self.labels]
        for label in cuts:
            self.pager.print_page(self.braille.number(label))
        lines = centred(self.braille(text), self.cells)
        self.pager.add(lines, keep=len(lines) + 2)
        self.pager.blank()

    def visit_Heading(self, block: Heading) -> None:
        if block.level <= 2:
            self.centred_heading(block.text, self.breaks.get((id(block), 0), ()))
        else:  # a cell-5 heading, kept with the first lines after it
            self.pager.blank()
            self.part(block, 0, block.text, 4, 4, keep=3)

    def visit_Paragraph(self, block: Paragraph) -> None:
        self.part(block, 0, block.text, 2, 0)

    def visit_ListBlock(self, block: ListBlock) -> None:
        self.pager.blank()
        for number, item in enumerate(block.items):
            marker = f"{block.start + number}." if block.ordered else BULLET
            self.marked(marker, plain(item), self.breaks.get((id(block), number), ()), 0, 2)
        self.pager.blank()

    def visit_Quote(self, block: Quote) -> None:
        self.pager.blank()
        for number, paragraph in enumerate(block.paragraphs):
            self.part(block, number, paragraph.text, 2, 2)
        if block.attribution:
            sentences = self.breaks.get((id(block), len(block.paragraphs)), ())
            self.marked("\u2014", plain(block.attribution), sentences, 4, 4)
        self.pager.blank()

    def marked(self, marker: str, text: str, sentences, first: int, runover: int) -> None:
        """Text after a marker the source does not have (a bullet, a dash, a
        label): a printed page that begins with the text begins before the marker."""
        sentences = list(sentences)
        if sentences and sentences[0][0] == 0 and sentences[0][1] in self.labels:
            self.pager.print_page(self.braille.number(self.labels[sentences.pop(0)[1]]))
        shift = len(marker) + 1
        self.flow(f"{marker} {text}", first, runover, [(start + shift, sid) for start, sid in sentences])

    def visit_Callout(self, block: Callout) -> None:
        self.pager.blank()
        self.pager.box_line()
        if block.title:
            self.part(block, 0, block.title, 4, 4, keep=3)
        self.visit_all(block.blocks)
        self.pager.box_line()
        self.pager.blank()

    def visit_Image(self, block: Image) -> None:
        self.flow(self.terms("braille_image", alt=block.alt), 2, 0)
        if block.caption:
            self.part(block, 0, block.caption, 2, 0)

    def contact(self) -> None:
        """The closing contact details, each on its own lines, sentences numbered c-1, c-2, …."""
        contact, terms = self.document.meta.contact, self.terms
        labelled = {}
        if contact is not None:
            labelled = {contact.phone: terms("phone"), contact.email: terms("email"), contact.website: terms("website")}
        counter = 0
        for index, chunk in enumerate(contact_chunks(self.document)):
            spans = sentence_spans(chunk)
            sentences = [(start, f"c-{counter + n}") for n, (start, _) in enumerate(spans, start=1)]
            counter += len(spans)
            if index == 0 and contact is not None:
                self.centred_heading(chunk, sentences)
                continue
            label = labelled.get(chunk) if chunk else None
            if label:
                self.marked(label, chunk, sentences, 0, 2)
            else:
                self.flow(chunk, 0, 2, sentences)
