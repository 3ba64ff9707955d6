"""The EPUB 3 writer: a text edition, and a read-aloud edition when there is audio.

``<slug>.epub`` is the small text edition. ``<slug>-read-aloud.epub`` adds the
audio build's tracks and a media overlay per content document, so a reading
system can speak the text while it highlights each sentence.

Both carry page-break markers and a page list matching the printed booklet
when the PDF writer ran first (``job.results["pdf"]``), and EPUB Accessibility
1.1 metadata stated from what each edition really contains.

A thin package around the format-neutral pages of ``publisher.writers.html``
(as Sphinx's EpubBuilder is around its HTML builder), with EPUB's structural
vocabulary switched on. The parts here: ``overlays`` (SMIL) and ``package``
(package document, navigation, stylesheet, reproducible zip); the drawn cover
comes from ``publisher.artwork``. Every fixed word is a term (``epub_*`` in
``publisher/terms``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ... import artwork, outputs
from ...contract import AudioData, Job, Written
from ...diagnostics import WARNING, Diagnostic
from ...files import replacing
from ...model import Callout, Image, ListBlock, Quote, Table, walk
from ...terms import Terms
from ...text import reading_chunks
from ..html import HtmlWriter, Page, PageMarks, image_href
from .overlays import clips_by_sentence, clock, smil
from .package import (
    FOLDER,
    XML_LANG,
    Resource,
    item_id,
    nav_document,
    package_document,
    stylesheet,
    zip_epub,
)

ACTIVE_CLASS = "reading-now"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def prepare(job: Job) -> None:
    """The cover is drawn, and the font embedded, in the house style's print family: it must be installed."""
    artwork.check_print_faces(job.style, job.document.source.resolve().parent)


def write(job: Job) -> Written:
    document = job.document
    text, facts = write_edition(job, job.path(outputs.epub(document.slug)), audio=None)
    files = [text]
    data: dict[str, Any] = {"editions": [text.name], "pages": facts.pages, "sentences": facts.sentences}
    audio = cast("AudioData | None", job.results.get("audio"))
    if audio and audio.get("sections"):
        job.progress(f"{document.slug}: writing the read-aloud EPUB with {len(audio['sections'])} audio tracks")
        read_aloud, facts = write_edition(job, job.path(outputs.epub(document.slug, read_aloud=True)), audio=audio)
        files.append(read_aloud)
        data["editions"].append(read_aloud.name)
        data["overlay_seconds"] = (facts.overlay_ms or 0) / 1000
    warnings = tuple(Diagnostic(WARNING, outputs.epub(document.slug, read_aloud=True),
                                f"{name} is not read aloud: the audio book has no timings for its sentences",
                                hint="the read-aloud edition can highlight only what the audio book says")
                     for name in facts.unvoiced)
    return Written(tuple(files), data, warnings)


@dataclass(frozen=True)
class Facts:
    """What an edition contains, for the metadata that describes it."""

    sections: int
    has_contact: bool
    images: int
    all_alt: bool
    pages: int
    sentences: int
    overlay_ms: int | None
    unvoiced: tuple[str, ...] = ()  # content documents the audio does not read (no overlay)


def write_edition(job: Job, target: Path, audio: AudioData | None) -> tuple[Path, Facts]:
    document = job.document
    meta = document.meta
    pdf_pages = (job.results.get("pdf") or {}).get("pages") or []
    marks = PageMarks.from_pages(pdf_pages)
    writer = HtmlWriter(document, marks, wrap_sentences=audio is not None, epub_types=True, job=job)

    cover_href, alt, cover_data = cover(job)
    documents = [writer.cover(cover_href, alt)]
    documents += [writer.section(section) for section in document.sections]
    notes = writer.notes()  # the sources, before the closing page as in print
    documents += [notes] if notes else []
    documents.append(writer.contact())

    placed = [label for d in documents for label, _ in d.pages]
    wanted = [str(page["label"]) for page in pdf_pages]
    if placed != wanted:
        raise RuntimeError(f"the booklet's pages {wanted} could not all be placed in order in the EPUB "
                           f"(placed {placed})")

    overlays, overlay_ms = read_aloud_resources(job, audio, documents) if audio is not None else ([], {})
    unvoiced = tuple(d.name for d in documents if audio is not None and d.sentences and d.name not in overlay_ms)

    images = document.images  # the cover from the front matter among them
    facts = Facts(
        sections=len(document.sections),
        has_contact=bool(meta.contact or meta.disclaimer),
        images=len(images) + (0 if meta.cover else 1),
        all_alt=all(image.alt.strip() for image in images) and bool(alt.strip()),
        pages=len(wanted),
        sentences=sum(len(d.sentences) for d in documents if d.name not in unvoiced),
        overlay_ms=sum(overlay_ms.values()) if audio is not None else None,
        unvoiced=unvoiced,
    )
    terms = job.terms
    landmarks = [("cover", "cover.xhtml", terms("epub_landmark_cover")),
                 ("toc", "nav.xhtml#toc", terms("epub_landmark_contents")),
                 ("bodymatter", documents[1].name, terms("epub_landmark_start"))]
    embedded = artwork.print_faces(job.style) if job.style["epub"]["embed_font"] else None
    # Letters the print family lacks (Urdu's, Arabic's) come in a script family, embedded too:
    # not every reading system has a font for them.
    scripts = [(family, artwork.script_font_href(family), faces) for family, faces in
               artwork.script_faces(" ".join(reading_chunks(document)), job.style)] if embedded else []
    content_resources = [
        Resource(d.name, d.markup, overlay=item_id(overlay_href(d.name)) if d.name in overlay_ms else "")
        for d in documents
    ]
    resources = [
        Resource("nav.xhtml", nav_document(meta.language, meta.title, documents, landmarks, terms), properties="nav"),
        Resource("style.css", stylesheet(job.style, embedded, ACTIVE_CLASS, right_to_left=terms.right_to_left,
                                         scripts=[(family, name) for family, name, _ in scripts])),
        *content_resources,
        *pictures(cover_href, cover_data, images),
        *([Resource(f"fonts/{face.name}", face.read_bytes()) for face in (embedded.regular, embedded.bold)]
          if embedded else []),
        *[Resource(name, faces.regular.read_bytes()) for _, name, faces in scripts],
        *overlays,
    ]
    metadata = package_metadata(job, facts, overlay_ms)
    # The contents page follows the cover in the reading order, as in print; it
    # must be in the spine anyway for the landmarks to point at it.
    spine = [documents[0].name, "nav.xhtml"] + [d.name for d in documents[1:]]
    opf = package_document(metadata, resources, spine, meta.language, right_to_left=terms.right_to_left)
    entries = [(f"{FOLDER}/package.opf", opf)] + [(f"{FOLDER}/{r.href}", r.data) for r in resources]
    with replacing(target) as temporary:
        zip_epub(temporary, entries, job.build_date)
    return target, facts


def pictures(cover_href: str, cover_data: bytes, images: Iterable[Image]) -> list[Resource]:
    """The cover, then one manifest item per picture file however often the text
    shows it (``image_href`` gives one file one address); a picture that is also
    the cover keeps the cover's item."""
    found = {cover_href: Resource(cover_href, cover_data, properties="cover-image")}
    for image in images:
        href = image_href(image)
        if href not in found:
            found[href] = Resource(href, image.path.read_bytes())
    return list(found.values())


def cover(job: Job) -> tuple[str, str, bytes]:
    """The cover's path in the EPUB, its description and its bytes: the
    front matter's picture if it names one, else one drawn from the title."""
    meta = job.document.meta
    if meta.cover:
        return image_href(meta.cover), meta.cover.alt, meta.cover.path.read_bytes()
    # A picture of the source's is never called this: image_href adds a hash to every name.
    drawn = artwork.book_cover(meta, job.style, cache=job.cache_dir)  # drawn once, then read from the cache
    return "images/cover.png", artwork.book_cover_alt(meta, job.terms), drawn


def overlay_href(document_name: str) -> str:
    return f"overlays/{Path(document_name).stem}.smil"


def read_aloud_resources(job: Job, audio: AudioData, documents: list[Page]) -> tuple[list[Resource], dict[str, int]]:
    """The SMIL overlay of every document that has sentences, and the audio
    tracks they play; with each overlay's length in milliseconds. A document
    none of whose sentences the audio times (the sources, from an audio writer
    that does not read them yet) gets no overlay rather than failing the build;
    a document timed in part is a fault."""
    clips = clips_by_sentence(audio, lambda file: f"audio/{Path(file).name}")
    resources, lengths = [], {}
    for content in documents:
        if any(sentence in clips for sentence in content.sentences):
            data, lengths[content.name] = smil(content.name, content.sentences, clips, overlay_href(content.name))
            resources.append(Resource(overlay_href(content.name), data))
    resources += [Resource(f"audio/{Path(track['file']).name}", (job.out_dir / track["file"]).read_bytes())
                  for track in audio["sections"]]
    return resources, lengths


def package_metadata(job: Job, facts: Facts, overlay_ms: dict[str, int]) -> list[tuple]:
    meta = job.document.meta
    items: list[tuple] = [
        ("dc:identifier", meta.identifier, {"id": "pub-id"}),
        ("dc:title", meta.title, {"id": "title"}),
        ("title-type", "main", {"refines": "#title"}),
    ]
    if meta.subtitle:
        items += [("dc:title", meta.subtitle, {"id": "subtitle"}), ("title-type", "subtitle", {"refines": "#subtitle"})]
    items.append(("dc:language", meta.language, {}))
    for number, author in enumerate(meta.authors, start=1):
        items += [("dc:creator", author, {"id": f"creator-{number}"}),
                  ("role", "aut", {"refines": f"#creator-{number}", "scheme": "marc:relators"})]
    items += [("dc:publisher", meta.publisher, {}), ("dc:date", meta.date, {})]
    items += [(f"dc:{name}", value, {}) for name, value in
              (("rights", meta.rights), ("description", meta.description)) if value]
    subjects = {subject.lower(): subject for subject in reversed((meta.subject, *meta.keywords)) if subject}
    items += [("dc:subject", subject, {}) for subject in reversed(subjects.values())]
    items.append(("dcterms:modified", job.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"), {}))
    items += [(f"schema:{name}", value, {}) for name, value in accessibility(facts)]
    items += [("schema:accessibilitySummary", summary(job, facts), {}),
              ("dcterms:conformsTo", CONFORMANCE, {}),
              ("a11y:certifiedBy", job.style["epub"]["certified_by"], {})]
    items += collection(job)
    if facts.pages:
        source = job.terms("epub_page_source", title=meta.title, paper=booklet_paper(job),
                           file=outputs.pdf(job.document.slug, "booklet"))
        items.append(("pageBreakSource", source, {}))
    if facts.overlay_ms is not None:
        items.append(("media:duration", clock(facts.overlay_ms), {}))
        items += [("media:duration", clock(ms), {"refines": "#" + item_id(overlay_href(name))})
                  for name, ms in overlay_ms.items()]
        items.append(("media:active-class", ACTIVE_CLASS, {}))
    return items


def collection(job: Job) -> list[tuple]:
    """The series every language's edition of one publication belongs to, so a
    library shelves them together: named by the original's title, identified
    by its slug (each edition knows it: its own, or its ``translation_of``)."""
    if not job.editions:
        return []
    meta = job.document.meta
    original = meta.translation_of or job.document.slug
    first = next((e for e in job.editions if e.slug == original), job.editions[0])
    return [("belongs-to-collection", first.title, {"id": "series", XML_LANG: first.language}),
            ("collection-type", "series", {"refines": "#series"}),
            ("dcterms:identifier", f"urn:publisher:series:{original}", {"refines": "#series"})]


def accessibility(facts: Facts) -> list[tuple[str, str]]:
    """schema.org accessibility terms, each claimed only when it is true."""
    modes = ["textual"] + (["visual"] if facts.images else []) + (["auditory"] if facts.overlay_ms is not None else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if facts.images and facts.all_alt:
        features.append("alternativeText")
    if facts.pages:
        features += ["pageBreakMarkers", "pageNavigation"]
    if facts.overlay_ms is not None:
        features.append("synchronizedAudioText")
    terms = [("accessMode", mode) for mode in modes]
    if facts.all_alt:
        terms.append(("accessModeSufficient", "textual"))
    terms += [("accessibilityFeature", feature) for feature in features]
    terms.append(("accessibilityHazard", "none"))
    return terms


def summary(job: Job, facts: Facts) -> str:
    """The accessibility summary, in plain words (the terms' ``epub_summary_*``), from what the edition holds."""
    document, terms = job.document, job.terms
    sections = counted(terms, "epub_summary_sections", facts.sections)
    parts = [
        terms("epub_summary_text_contact" if facts.has_contact else "epub_summary_text",
              title=document.meta.title, sections=sections),
        terms("epub_summary_reflow"),
        terms("epub_summary_emphasis"),
    ]
    kinds = Counter(type(block) for section in document.sections for block in walk(section.blocks))
    marked = [counted(terms, key, kinds[kind]) for kind, key in (
        (Quote, "epub_summary_quotes"), (ListBlock, "epub_summary_lists"), (Callout, "epub_summary_callouts"),
        (Table, "epub_summary_tables")) if kinds[kind]]
    if document.notes:
        marked.append(counted(terms, "epub_summary_notes", len(document.notes)))
    if marked:
        listed = terms("epub_summary_and", items=", ".join(marked[:-1]), last=marked[-1]) if marked[1:] else marked[0]
        parts.append(terms("epub_summary_structure", kinds=listed))
    if facts.images:
        parts.append(counted(terms, "epub_summary_images", facts.images) if facts.all_alt
                     else terms("epub_summary_no_alt"))
    if facts.pages:
        parts.append(terms("epub_summary_pages", pages=facts.pages, paper=booklet_paper(job)))
    if facts.overlay_ms is not None:
        minutes, seconds = divmod(round(facts.overlay_ms / 1000), 60)
        parts.append(terms("epub_summary_read_aloud", sentences=facts.sentences, minutes=minutes, seconds=seconds))
    parts.append(terms("epub_summary_hazards"))
    return " ".join(parts)


def counted(terms: Terms, key: str, count: int) -> str:
    """A term with a count, in its singular (``key_one``) or plural (``key_other``) form."""
    return terms(f"{key}_{'one' if count == 1 else 'other'}", count=count)


def booklet_paper(job: Job) -> str:
    """The printed booklet's paper size (A5), which the page list follows."""
    return job.style["pdf"]["booklet"]["page_size"]
