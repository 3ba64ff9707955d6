"""The EPUB 3 writer: a text edition, and a read-aloud edition when there is audio.

``<slug>.epub`` is the small text edition. ``<slug>-read-aloud.epub`` adds the
audio build's tracks and a media overlay per content document, so a reading
system can speak the text while it highlights each sentence.

Both carry page-break markers and a page list matching the printed booklet
when the PDF writer ran first (``job.results["pdf"]``), and EPUB Accessibility
1.1 metadata stated from what each edition really contains.

The parts: ``xhtml`` (content documents, sentence by sentence), ``cover``
(the generated cover), ``overlays`` (SMIL), ``package`` (package document,
navigation, stylesheet, reproducible zip).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ...contract import Job, Written
from ...files import replacing
from ...model import Callout, Document, ListBlock, Quote, walk
from .cover import cover_alt, cover_png, font_file
from .overlays import clips_by_sentence, clock, smil
from .package import (
    FOLDER,
    Resource,
    item_id,
    nav_document,
    package_document,
    stylesheet,
    zip_epub,
)
from .xhtml import ContentDocument, PageMarks, Writer, image_href

ACTIVE_CLASS = "reading-now"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def write(job: Job) -> Written:
    document = job.document
    text, facts = write_edition(job, job.path(f"{document.slug}.epub"), audio=None)
    files = [text]
    data = {"editions": [text.name], "pages": facts.pages, "sentences": facts.sentences}
    audio = job.results.get("audio")
    if audio and audio.get("sections"):
        job.progress(f"{document.slug}: writing the read-aloud EPUB with {len(audio['sections'])} audio tracks")
        read_aloud, facts = write_edition(job, job.path(f"{document.slug}-read-aloud.epub"), audio=audio)
        files.append(read_aloud)
        data["editions"].append(read_aloud.name)
        data["overlay_seconds"] = facts.overlay_ms / 1000
    return Written(tuple(files), data)


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


def write_edition(job: Job, target: Path, audio: dict | None) -> tuple[Path, Facts]:
    document = job.document
    meta = document.meta
    pdf_pages = (job.results.get("pdf") or {}).get("pages") or []
    marks = PageMarks.from_pages(pdf_pages)
    writer = Writer(document, marks, read_aloud=audio is not None)

    cover_href, alt, cover_data = cover(job)
    documents = [writer.cover(cover_href, alt)]
    documents += [writer.section(section) for section in document.sections]
    contact = writer.contact()
    documents += [contact] if contact else []

    placed = [label for d in documents for label, _ in d.pages]
    wanted = [str(page["label"]) for page in pdf_pages]
    if placed != wanted:
        raise RuntimeError(f"the booklet's pages {wanted} could not all be placed in order in the EPUB (placed {placed})")

    overlays, overlay_ms = read_aloud_resources(job, audio, documents) if audio is not None else ([], {})

    images = document.images  # the cover from the front matter among them
    facts = Facts(
        sections=len(document.sections),
        has_contact=contact is not None,
        images=len(images) + (0 if meta.cover else 1),
        all_alt=all(image.alt.strip() for image in images) and bool(alt.strip()),
        pages=len(wanted),
        sentences=sum(len(d.sentences) for d in documents),
        overlay_ms=sum(overlay_ms.values()) if audio is not None else None,
    )
    landmarks = [("cover", "cover.xhtml", "Cover"), ("toc", "nav.xhtml#toc", "Contents"),
                 ("bodymatter", documents[1].name, "Start of the guidance")]
    content_resources = [
        Resource(d.name, d.xhtml, overlay=item_id(overlay_href(d.name)) if d.name in overlay_ms else "")
        for d in documents
    ]
    resources = [
        Resource("nav.xhtml", nav_document(meta.language, meta.title, documents, landmarks), properties="nav"),
        Resource("style.css", stylesheet(job.style, job.style["epub"]["embed_font"], ACTIVE_CLASS)),
        *content_resources,
        Resource(cover_href, cover_data, properties="cover-image"),
        # one manifest item per picture file, however often the text shows it
        *{image_href(i): Resource(image_href(i), i.path.read_bytes()) for i in images if i is not meta.cover}.values(),
        *([Resource(f"fonts/{font_file(w).name}", font_file(w).read_bytes()) for w in ("Regular", "Bold")]
          if job.style["epub"]["embed_font"] else []),
        *overlays,
    ]
    metadata = package_metadata(job, facts, overlay_ms)
    # The contents page follows the cover in the reading order, as in print; it
    # must be in the spine anyway for the landmarks to point at it.
    spine = [documents[0].name, "nav.xhtml"] + [d.name for d in documents[1:]]
    opf = package_document(metadata, resources, spine, meta.language)
    entries = [(f"{FOLDER}/package.opf", opf)] + [(f"{FOLDER}/{r.href}", r.data) for r in resources]
    with replacing(target) as temporary:
        zip_epub(temporary, entries, job.build_date)
    return target, facts


def cover(job: Job) -> tuple[str, str, bytes]:
    """The cover's path in the EPUB, its description and its bytes: the
    front matter's picture if it names one, else one drawn from the title."""
    meta = job.document.meta
    if meta.cover:
        return image_href(meta.cover), meta.cover.alt, meta.cover.path.read_bytes()
    colours = job.style["colours"]
    drawn = cover_png(meta.title, meta.subtitle, meta.publisher,
                      background=colours["accent"], text=colours["background"], rule=colours["tint"])
    return "images/cover.png", cover_alt(meta.title, meta.subtitle, meta.publisher), drawn


def overlay_href(document_name: str) -> str:
    return f"overlays/{Path(document_name).stem}.smil"


def read_aloud_resources(job: Job, audio: dict, documents: list[ContentDocument]) -> tuple[list[Resource], dict[str, int]]:
    """The SMIL overlay of every document that has sentences, and the audio
    tracks they play; with each overlay's length in milliseconds."""
    clips = clips_by_sentence(audio, lambda file: f"audio/{Path(file).name}")
    resources, lengths = [], {}
    for content in documents:
        if content.sentences:
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
    items += [("schema:accessibilitySummary", summary(job.document, facts), {}),
              ("dcterms:conformsTo", CONFORMANCE, {}),
              ("a11y:certifiedBy", job.style["epub"]["certified_by"], {})]
    if facts.pages:
        items.append(("pageBreakSource", f"{meta.title}: the printed A5 booklet ({job.document.slug}-booklet.pdf)", {}))
    if facts.overlay_ms is not None:
        items.append(("media:duration", clock(facts.overlay_ms), {}))
        items += [("media:duration", clock(ms), {"refines": "#" + item_id(overlay_href(name))})
                  for name, ms in overlay_ms.items()]
        items.append(("media:active-class", ACTIVE_CLASS, {}))
    return items


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


def summary(document: Document, facts: Facts) -> str:
    """The accessibility summary, in plain words, from what the edition holds."""
    parts = [
        f"The full text of {document.meta.title} in {facts.sections} sections"
        + (" and a closing page of contact details" if facts.has_contact else "")
        + ", in reading order, with a table of contents and a heading for every section.",
        "The text reflows: readers can change its font, size, spacing and colours.",
        "Emphasis is shown in bold, never in italics.",
    ]
    kinds = Counter(type(block) for section in document.sections for block in walk(section.blocks))
    marked = [counted(kinds[kind], noun) + extra for kind, noun, extra in (
        (Quote, "quotation", " with its source" if kinds[Quote] == 1 else " with their sources"),
        (ListBlock, "list", ""), (Callout, "boxed note", "")) if kinds[kind]]
    if marked:
        listed = ", ".join(marked[:-1]) + " and " + marked[-1] if len(marked) > 1 else marked[0]
        parts.append(f"Screen readers find its structure marked up: {listed}.")
    if facts.images:
        if not facts.all_alt:
            parts.append("Some images have no text description.")
        elif facts.images == 1:
            parts.append("The only image, the cover, has a text description.")
        else:
            parts.append(f"All {facts.images} images, the cover among them, have text descriptions.")
    if facts.pages:
        parts.append(f"Page-break markers and a page list match the {facts.pages} pages of the printed A5 booklet.")
    if facts.overlay_ms is not None:
        minutes, seconds = divmod(round(facts.overlay_ms / 1000), 60)
        parts.append(f"Every sentence of the guidance and its contact details ({facts.sentences} in all) is read "
                     f"aloud by synthetic speech, {minutes} min {seconds} s in all, and highlighted while it is read.")
    parts.append("There are no flashing, motion or sound hazards.")
    return " ".join(parts)


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
