"""The back cover's "Your local contact": a local edition (``--local
local/<name>.yaml``) prints the service's details; the generic booklet has
labelled blank lines a family worker fills in by hand (an unedited printout
is usable, with no "[Add …]" placeholder in it)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from ...local import LocalDetails

if TYPE_CHECKING:
    from .story import Story

# What the box asks for by hand: the details a family most needs to reach a service.
WRITE_IN = ("service", "address", "phone", "opening_hours")


class WriteInLine(Flowable):
    """A label, then a line to write on to the end of the text's width (its
    start for right-to-left text): one row. For the pen, so an artifact;
    the label is bold, at body size."""

    def __init__(self, label: Paragraph, label_width: float, colour, height: float, right_to_left: bool):
        super().__init__()
        self.label, self.label_width, self.colour = label, label_width, colour
        self.line_height, self.right_to_left = height, right_to_left

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, self.line_height
        return self.width, self.height

    def draw(self):
        canvas, gap = self.canv, self.line_height * 0.2
        _, label_height = self.label.wrapOn(canvas, self.label_width, self.line_height)
        label_x = self.width - self.label_width if self.right_to_left else 0
        self.label.drawOn(canvas, label_x, 2)
        start, end = (0, label_x - gap) if self.right_to_left else (self.label_width + gap, self.width)
        artifact = getattr(canvas, "artifact", None)  # tagging.py's canvas marks it as an artifact
        with artifact() if artifact is not None else nullcontext():
            canvas.setStrokeColor(self.colour)
            canvas.setLineWidth(0.75)
            canvas.line(start, 1, end, 1)


def local_contact(story: Story, details: LocalDetails | None) -> list:
    """The box's heading, then the local details or the write-in lines."""
    s, terms = story.styles, story.terms
    part = story.root.add("Sect")
    flowables: list = [story.heading(story.text("pdf_local_contact"), part, 3, style=s.subheading)]
    if details is not None:
        lines = [("service", [details.service]), ("address", list(details.address)), ("phone", [details.phone]),
                 ("email", [details.email]), ("website", [details.website]),
                 ("opening_hours", list(details.opening_hours))]
        for key, values in lines:
            values = [value for value in values if value]
            if values:
                label = f"<b>{story.text(f'pdf_local_{key}')}:</b> "
                flowables.append(story.paragraph(label + "<br/>".join(s.glyphs.markup(v) for v in values),
                                                 s.detail, part))
        return flowables
    labels = [f"{terms(f'pdf_local_{key}')}:" for key in WRITE_IN]
    width = max(stringWidth(words, s.bold, s.size) for words in labels) * 1.1 + s.size  # the lines start together
    rows = [WriteInLine(story.paragraph(s.glyphs.markup(words), s.strong_detail, None),  # with its line: an artifact
                        width, s.text, s.size * 2.2, s.right_to_left) for words in labels]
    return [KeepTogether(flowables + rows)]
