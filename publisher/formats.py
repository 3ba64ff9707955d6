"""The table of formats: one line each, as Pandoc's ``Writers.hs`` is a table.

Each line names the format, the module that writes it (``write(job) ->
Written``, and optionally ``prepare(job)`` to refuse bad input before any
format writes a file), the module that checks what it wrote (``check(out_dir,
document) -> list[Diagnostic]``), what it is for (in the terms files, under
``format_<name>``), and which earlier formats' data it uses. The build runs the
table in order; nobody asks ``if format ==``. Modules are imported only when
their format is built or checked, so a no-change build never loads reportlab
or the speech engine.

Adding a format: a writer module, a check module, a line here, a
``format_<name>`` term in each terms file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as typed after --formats
    writer: str  # module with write(job) -> Written
    check: str  # module with check(out_dir, document) -> list[Diagnostic]
    uses: tuple[str, ...] = ()  # formats whose data it reads (their results must come first)
    local: bool = False  # reads the local editions' details (local/*.yaml)
    offered: int = 0  # its place when editions are listed to readers: paper, then screen, then sound
    # "module:function" answering why this machine cannot build the format (a
    # missing system library), or None when it can; "" when it needs nothing.
    requires: str = ""

    def unavailable(self) -> str | None:
        """Why this machine cannot build the format, with how to fix it; None when it can."""
        if not self.requires:
            return None
        module, _, function = self.requires.partition(":")
        reason: str | None = getattr(importlib.import_module(module), function)()
        return reason


FORMATS: tuple[Format, ...] = (
    Format("docx", "publisher.writers.docx", "publisher.checks.docx", local=True, offered=1),
    Format("pdf", "publisher.writers.pdf", "publisher.checks.pdf", local=True, offered=1),
    Format("audio", "publisher.writers.audio", "publisher.checks.audio", offered=3),
    Format("epub", "publisher.writers.epub", "publisher.checks.epub", uses=("pdf", "audio"), offered=2),
    Format("braille", "publisher.writers.braille", "publisher.checks.braille", uses=("pdf",), offered=1,
           requires="publisher.liblouis:unavailable"),
    Format("daisy", "publisher.writers.daisy", "publisher.checks.daisy", uses=("pdf", "audio"), offered=3),
    Format("m4b", "publisher.writers.m4b", "publisher.checks.m4b", uses=("audio",), offered=3),
    Format("web", "publisher.writers.web", "publisher.checks.web", uses=("pdf", "audio"), offered=2),
)

BY_NAME = {fmt.name: fmt for fmt in FORMATS}
NAMES = tuple(BY_NAME)


def offered(leaving_out: str) -> list[Format]:
    """Every format but ``leaving_out`` (the one a reader holds), in the order
    readers are offered them: paper, then screen, then sound."""
    return sorted((fmt for fmt in FORMATS if fmt.name != leaving_out), key=lambda fmt: fmt.offered)
