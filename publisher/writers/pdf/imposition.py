"""Saddle-stitch imposition: the A5 pages two-up on A4 landscape.

Print the sheets duplex, flipped on the short edge, stack them in order, fold
the stack in half and staple on the fold: the pages read 1…N. Each side is a
true A4 sheet in landscape (297 × 210 mm, so office drivers match the paper
without scaling), the two A5 pages (148 mm wide each, 296 mm together) meeting
on its centre line, the fold. Sheet k (from 0)
carries pages N-2k | 2k+1 on its front and 2k+2 | N-2k-1 on its back, so for
8 pages: sheet 1 front 8|1, back 2|7; sheet 2 front 6|3, back 4|5.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4, landscape

from .layout import Layout


def saddle_stitch_sides(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers of every printed side, in printing order."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))  # back
    return sides


def impose(booklet: bytes, layout: Layout, right_to_left: bool = False) -> bytes:
    """The imposed PDF, with the booklet's metadata, language and bookmarks.

    Each side's page label names the two pages on it ("8|1"); bookmarks open
    the side that carries the heading. ``right_to_left``: the booklet is
    bound on the right (Urdu, Arabic), so every side is mirrored ("1|8").
    """
    reader = PdfReader(BytesIO(booklet))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    sheet_width, sheet_height = landscape(A4)
    fold, bottom = sheet_width / 2, (sheet_height - height) / 2
    sides = saddle_stitch_sides(len(reader.pages))
    if right_to_left:
        sides = [(right, left) for left, right in sides]
    writer = PdfWriter()
    for index, (left, right) in enumerate(sides):
        side = writer.add_blank_page(sheet_width, sheet_height)
        side.merge_transformed_page(reader.pages[left - 1], Transformation().translate(fold - width, bottom))
        side.merge_transformed_page(reader.pages[right - 1], Transformation().translate(fold, bottom))
        writer.set_page_label(index, index, prefix=f"{left}|{right}")
    writer.add_metadata(dict(reader.metadata or {}))
    writer._root_object[NameObject("/Lang")] = reader.trailer["/Root"]["/Lang"]  # type: ignore[index]
    # Ask the print dialogue for what folding needs: duplex on the short edge, actual size.
    preferences = writer.create_viewer_preferences()
    preferences.duplex = NameObject("/DuplexFlipShortEdge")  # type: ignore[assignment]  # pypdf's setter takes a name
    preferences.print_scaling = NameObject("/None")  # type: ignore[assignment]
    side_of = {page: index for index, pair in enumerate(sides) for page in pair}
    parents: list = []
    for _, title, level, page in layout.outline:
        parent = parents[level - 1] if 0 < level <= len(parents) else None
        item = writer.add_outline_item(title=title, page_number=side_of[page], parent=parent)
        parents[level:] = [item]
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
