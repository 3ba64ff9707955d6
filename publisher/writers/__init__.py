"""The table of writers: format name → the module that writes it.

Each module has one entry point, ``write(job) -> Written``. Adding a format
means adding a module and a line here; the build never asks "if format ==".
Order matters: a later writer may use what an earlier one returned (the EPUB
takes the booklet's page numbers and the audio's sentence timings).
Modules are imported only when their format is built, so a no-change build
never pays for loading reportlab or the speech engine.
"""

WRITERS: dict[str, str] = {
    "docx": "publisher.writers.docx",
    "pdf": "publisher.writers.pdf",
    "audio": "publisher.writers.audio",
    "epub": "publisher.writers.epub",
}
