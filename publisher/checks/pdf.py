"""Checks of the print editions, read back out of the PDFs with pypdf.

Nothing here trusts the writer's constants: text sizes, colours and the
backgrounds under the text are read from the pages' content streams, fonts
from their resources, words and page numbers from the extracted text. The
booklet and large print must also be tagged PDF/UA-1 (pdf_tags.py); the
imposed file is for the printer: A4 sheets that fold into the booklet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import outputs
from ..colour import MIN_CONTRAST, contrast
from ..diagnostics import ERROR, INFO, Diagnostic
from ..model import Document
from ..text import document_words, missing_in_order, words
from . import pdf_tags

# Clear print (RNIB, UKAAF): the smallest text allowed, and the body size.
FLOORS = {"booklet": (12.0, 12.0), "large_print": (16.0, 18.0)}
MAX_LINE = 70  # characters a line
LINE_SPACING = (1.3, 1.6)  # baseline to baseline, as a multiple of the text size
SHOUTING = re.compile(r"\b[A-Z]{2,}(?:\W+[A-Z]{2,}){2,}\b")  # three or more words in capitals
WHITE = (1.0, 1.0, 1.0)
A4_LANDSCAPE = (841.89, 595.28)  # 297 × 210 mm in points


def edition_files(out_dir: Path, document: Document) -> dict[str, Path]:
    """The PDFs by edition: "booklet", "imposed", "large_print"."""
    return {name: out_dir / outputs.pdf(document.slug, name) for name in ("booklet", "imposed", "large_print")}


def check(out_dir: Path, document: Document) -> list[Diagnostic]:
    from pypdf import PdfReader

    findings: list[Diagnostic] = []
    files = edition_files(out_dir, document)
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        return [Diagnostic(ERROR, name, "not built") for name in missing]
    readers = {name: PdfReader(path) for name, path in files.items()}
    for name, reader in readers.items():
        findings += [Diagnostic(ERROR, files[name].name, message) for message in problems(name, reader, document)]
    for name in FLOORS:  # the reading editions
        findings += [Diagnostic(ERROR, files[name].name, message)
                     for message in pdf_tags.check_file(files[name], document)]
    findings += [Diagnostic(ERROR, files["imposed"].name, message)
                 for message in imposition_problems(readers["booklet"], readers["imposed"])]
    for name in FLOORS:
        measured = measurements(readers[name])
        findings.append(Diagnostic(INFO, files[name].name,
                                f"{len(readers[name].pages)} pages; smallest text {measured['smallest_size']:g} pt, "
                                f"body {measured['body_size']:g} pt; lowest text contrast "
                                f"{measured['lowest_contrast']:.1f}:1"))
    return findings


def problems(name: str, reader, document: Document) -> list[str]:
    """Everything wrong with one PDF edition, as messages."""
    found = metadata_problems(reader, document) + font_problems(reader)
    if name == "imposed":
        return found
    if name == "booklet" and len(reader.pages) % 4:
        found.append(f"{len(reader.pages)} pages: a folded booklet needs a multiple of 4")
    found += typography_problems(reader, *FLOORS[name])
    found += page_problems(reader)
    found += stranded_headings(reader, document)
    if "/StructTreeRoot" not in reader.trailer["/Root"]:
        # (A tagged file's words are read in tag order, its reading order, by pdf_tags: on the page, a
        # table stacked row by row shows its column names among the cells.)
        text = "\n".join(page.extract_text() for page in reader.pages)
        lost = missing_in_order(document_words(document), words(text))
        if lost:
            found.append(f"{len(lost)} words of the source missing or out of order, first: {lost[:8]}")
    longest = max((line for page in reader.pages for line in page.extract_text().splitlines()), key=len)
    if len(longest) > MAX_LINE:
        found.append(f"a line of {len(longest)} characters (clear print: at most {MAX_LINE}): {longest!r}")
    headings = [s.heading.text for s in document.sections if s.heading is not None]
    titles = [item.title for item in flat_outline(reader.outline)]
    found += [f"no bookmark for the heading '{h}'" for h in headings if h not in titles]
    return found


def metadata_problems(reader, document: Document) -> list[str]:
    info = reader.metadata or {}
    found = [f"no {key[1:].lower()} in the document information"
             for key in ("/Title", "/Author", "/Subject", "/Keywords") if not str(info.get(key, "")).strip()]
    if str(info.get("/Title", "")) != document.meta.title:
        found.append(f"title is {info.get('/Title')!r}, not {document.meta.title!r}")
    language = reader.trailer["/Root"].get("/Lang")
    if language != document.meta.language:
        found.append(f"document language is {language!r}, not {document.meta.language!r}")
    if not reader.outline:
        found.append("no bookmarks")
    if not reader.trailer["/Root"].get("/PageLabels"):
        found.append("no page labels")
    return found


def font_problems(reader) -> list[str]:
    found = set()
    for font in fonts(reader):
        name = str(font.get("/BaseFont", "(unnamed)"))
        if font.get("/Subtype") == "/Type3":
            found.add(f"Type 3 font {name}")
            continue
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.add(f"font {name} is not embedded")
        elif "+" not in name:
            found.add(f"font {name} is embedded whole, not subset")
        if any(word in name.lower() for word in ("italic", "oblique")):
            found.add(f"italic font {name} (clear print sets emphasis in bold)")
    return sorted(found)


def fonts(reader):
    """Every font dictionary the pages (and their form XObjects) use."""
    seen = set()

    def visit(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            if id(font.get_object()) not in seen:
                seen.add(id(font.get_object()))
                yield font.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield from visit(xobject.get("/Resources"))

    for page in reader.pages:
        yield from visit(page.get("/Resources"))


# Typography, read from the content streams ---------------------------------------


@dataclass(frozen=True)
class Draw:
    """One piece of text shown on a page: its size, where, and in what colours."""

    size: float
    x: float
    y: float
    colour: tuple[float, float, float]
    background: tuple[float, float, float]
    skewed: bool
    characters: int
    line_gap: float | None = None  # baseline to baseline from the line above, within one text block

    @property
    def contrast(self) -> float:
        return contrast(self.colour, self.background)


def typography_problems(reader, floor: float, body: float) -> list[str]:
    draws = [draw for page in reader.pages for draw in text_draws(page)]
    found = []
    smallest = min(draw.size for draw in draws)
    if smallest < floor - 0.01:
        found.append(f"text at {smallest:.1f} pt, under the {floor:g} pt floor")
    sizes: Counter[float] = Counter()
    for draw in draws:
        sizes[round(draw.size, 1)] += draw.characters
    common = sizes.most_common(1)[0][0]
    if common < body - 0.01:
        found.append(f"body text at {common:g} pt, under {body:g} pt")
    lowest = min(draws, key=lambda draw: draw.contrast)
    if lowest.contrast < MIN_CONTRAST:
        found.append(f"text contrast {lowest.contrast:.1f}:1 at ({lowest.x:.0f}, {lowest.y:.0f}), "
                     f"under {MIN_CONTRAST:g}:1")
    spacing = [draw.line_gap / draw.size for draw in draws if draw.line_gap]
    if spacing and not (LINE_SPACING[0] <= min(spacing) and max(spacing) <= LINE_SPACING[1]):
        found.append(f"line spacing from {min(spacing):.2f} to {max(spacing):.2f} times the text size "
                     f"(clear print: about 1.4)")
    capitals = [run for page in reader.pages for run in SHOUTING.findall(page.extract_text())]
    if capitals:
        found.append(f"a block of capitals: {capitals[0]!r}")
    if any(draw.skewed for draw in draws):
        found.append("slanted (oblique) text")
    if any(justified(page) for page in reader.pages):
        found.append("justified text (word spacing stretched with Tw)")
    return found


def measurements(reader) -> dict[str, float]:
    """The figures a report quotes: smallest size, body size, lowest contrast."""
    draws = [draw for page in reader.pages for draw in text_draws(page)]
    sizes: Counter[float] = Counter()
    for draw in draws:
        sizes[round(draw.size, 1)] += draw.characters
    return {"smallest_size": min(d.size for d in draws), "body_size": sizes.most_common(1)[0][0],
            "lowest_contrast": min(d.contrast for d in draws)}


def text_draws(page) -> list[Draw]:
    """Walk a page's content stream as a renderer would, far enough to know
    the size, position and fill colour of every text-showing operator and the
    filled rectangle (if any) painted under it."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return []
    operations = ContentStream(contents, page.pdf).operations
    ctm, fill, size, leading = IDENTITY, (0.0, 0.0, 0.0), 0.0, 0.0
    stack: list = []
    tm = tlm = IDENTITY
    gap = None  # the move down to a new line, once a line has been shown
    shown_in_block = False
    pending: list = []  # rectangles of the path being built
    painted: list = []  # (x0, y0, x1, y1, colour), in painting order
    draws: list[Draw] = []
    for operands, operator in operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append((ctm, fill, size, leading))
        elif op == "Q" and stack:
            ctm, fill, size, leading = stack.pop()
        elif op == "cm":
            ctm = multiply([float(v) for v in operands], ctm)
        elif op in ("rg", "sc", "scn") and len(operands) == 3:
            fill = (float(operands[0]), float(operands[1]), float(operands[2]))
        elif op in ("g",) or (op in ("sc", "scn") and len(operands) == 1):
            fill = (float(operands[0]),) * 3
        elif op == "k" or (op in ("sc", "scn") and len(operands) == 4):
            c, m, y, k = (float(v) for v in operands)
            fill = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            (x0, y0), (x1, y1) = apply(ctm, x, y), apply(ctm, x + w, y + h)
            pending.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            painted += [(*rect, fill) for rect in pending]
            pending = []
        elif op in ("n", "S", "s"):
            pending = []
        elif op == "BT":
            tm = tlm = IDENTITY
            shown_in_block, gap = False, None
        elif op == "Tm":
            tm = tlm = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            tx, ty = float(operands[0]), float(operands[1])
            if op == "TD":
                leading = -ty
            tm = tlm = multiply([1, 0, 0, 1, tx, ty], tlm)
            gap = -ty if shown_in_block else None
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tf":
            size = float(operands[1])
        elif op in ("T*", "'", '"'):
            tm = tlm = multiply([1, 0, 0, 1, 0, -leading], tlm)
            gap = leading if shown_in_block else None
        if op in ("Tj", "TJ", "'", '"'):
            shown = operands[-1]
            characters = sum(len(part) for part in shown if not isinstance(part, (int, float))) \
                if op == "TJ" else len(shown)
            if characters:
                a, b, c, d, e, f = multiply(tm, ctm)
                scale = math.hypot(c, d)
                point = (e + 1, f + size * scale * 0.3)
                under = next((colour for x0, y0, x1, y1, colour in reversed(painted)
                              if x0 <= point[0] <= x1 and y0 <= point[1] <= y1), WHITE)
                draws.append(Draw(size * scale, e, f, fill, under, abs(a * c + b * d) > 1e-6, characters,
                                  None if gap is None else gap * scale))
                shown_in_block, gap = True, None
    return draws


def justified(page) -> bool:
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    operations = ContentStream(contents, page.pdf).operations if contents is not None else []
    return any(op == b"Tw" and abs(float(operands[0])) > 1e-6 for operands, op in operations)


IDENTITY = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]


def multiply(m, n):
    """The PDF matrix product m × n ([a b c d e f] rows)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


# Pages: labels, printed numbers, nothing blank --------------------------------------


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each piece of text pypdf extracts from a page."""
    pieces = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            pieces.append((cm[4] + tm[4], cm[5] + tm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return pieces


def page_problems(reader) -> list[str]:
    found = []
    labels = list(reader.page_labels)
    count = len(reader.pages)
    for index, page in enumerate(reader.pages):
        pieces = positioned_text(page)
        if len(words(" ".join(text for _, _, text in pieces))) < 2:  # more than a page number
            found.append(f"page {index + 1} is blank")
            continue
        if 0 < index < count - 1:  # the covers carry no number
            _, _, printed = min(pieces, key=lambda piece: piece[1])
            if printed != labels[index]:
                found.append(f"page {index + 1} prints '{printed}' at its foot but is labelled '{labels[index]}'")
    return found


def stranded_headings(reader, document: Document) -> list[str]:
    """Headings printed last on a page, cut off from the text they introduce."""
    headings = {words(s.heading.text) and " ".join(words(s.heading.text))
                for s in document.sections if s.heading is not None}
    found = []
    for index, page in enumerate(reader.pages[:-1]):
        pieces = sorted(positioned_text(page), key=lambda piece: -piece[1])
        text = [" ".join(words(t)) for *_, t in pieces]
        if index > 0:
            text = text[:-1]  # the page number at the foot
        if text and text[-1] in headings:
            found.append(f"the heading '{text[-1]}' ends page {index + 1}, away from its text")
    return found


# Imposition ---------------------------------------------------------------------------
#
# The writer's page order is not trusted here: the check follows the printing
# instructions with the paper itself (print duplex flipped on the short edge,
# stack the sheets in the order they come out, fold the stack in half) and
# reads the pages of the folded booklet back in order.

LEFT, RIGHT = "left", "right"


MM = 25.4 / 72  # millimetres in a point


def folded_booklet(sides: int) -> list[tuple[int, str]]:
    """The halves of the printed sides (side index from 0, LEFT or RIGHT) in
    the order a reader meets them once the sheets are stacked and folded.

    Sheet k is printed as side 2k on its front and side 2k+1 on its back.
    Stacked as they come out, fronts down, sheet 0 at the bottom; flipped on
    the short edge, a side that faces down shows its printed left half on the
    table's right. Folding lifts the stack's left halves over onto its right
    halves, so they land on top in reverse order; the topmost surface is then
    the cover, and turning each leaf shows the next surface down.
    """
    surfaces = [(side, side % 2 == 1) for side in range(sides)]  # (side, faces up), bottom to top

    def shown(side: int, faces_up: bool, region: str) -> tuple[int, str]:
        mirrored = {LEFT: RIGHT, RIGHT: LEFT}
        return side, region if faces_up else mirrored[region]

    staying = [shown(side, up, RIGHT) for side, up in surfaces]
    lifted = [shown(side, up, LEFT) for side, up in surfaces]
    pile = staying + lifted[::-1]  # bottom to top, once folded
    return pile[::-1]


def imposed_halves(imposed) -> list[dict[str, list[str]]]:
    """The words on the left and right half of every imposed side."""
    halves = []
    for page in imposed.pages:
        middle = float(page.mediabox.width) / 2
        pieces = sorted(positioned_text(page), key=lambda piece: (-piece[1], piece[0]))
        halves.append({half: words(" ".join(text for x, _, text in pieces if (x >= middle) == (half == RIGHT)))
                       for half in (LEFT, RIGHT)})
    return halves


def imposition_problems(booklet, imposed) -> list[str]:
    """The imposed file, printed as it asks and folded, must read as the booklet, page by page."""
    pages = len(booklet.pages)
    if len(imposed.pages) * 2 != pages:
        return [f"{len(imposed.pages)} imposed sides for {pages} pages (want {pages // 2}: {pages // 4} sheets)"]
    found = []
    preferences = imposed.trailer["/Root"].get("/ViewerPreferences") or {}
    if preferences.get("/Duplex") != "/DuplexFlipShortEdge":
        found.append("the file does not ask to be printed duplex, flipped on the short edge")
    if preferences.get("/PrintScaling") != "/None":
        found.append("the file does not ask to be printed at actual size")
    for number, page in enumerate(imposed.pages, start=1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if abs(size[0] - A4_LANDSCAPE[0]) > 1 or abs(size[1] - A4_LANDSCAPE[1]) > 1:
            found.append(f"side {number} is {size[0] * MM:.0f} × {size[1] * MM:.0f} mm, not A4 landscape "
                         "(297 × 210 mm)")
    page_words = [sorted(words(" ".join(t for *_, t in positioned_text(page)))) for page in booklet.pages]
    halves = imposed_halves(imposed)
    for page, (side, half) in enumerate(folded_booklet(len(imposed.pages)), start=1):
        shown = sorted(halves[side][half])
        if shown != page_words[page - 1]:
            actually = next((f"page {n}" for n, seen in enumerate(page_words, start=1) if seen == shown), "no page")
            found.append(f"folded, page {page} of the booklet is {actually} (the {half} half of side {side + 1})")
    return found


def flat_outline(outline) -> list:
    items = []
    for item in outline:
        items += flat_outline(item) if isinstance(item, list) else [item]
    return items
