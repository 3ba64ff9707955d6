"""The Word leaflet: an A4 clear-print leaflet family workers can print and make their own.

Three kinds of file come from one document (names from ``outputs.leaflet``):

- ``<slug>-leaflet.docx``: the standard edition (body 14 pt), with a
  "Your local contact" table of labelled lines to write on by hand (or to
  type on in Word);
- ``<slug>-leaflet-large-print.docx``: the same at 18 pt;
- ``<slug>-leaflet-<name>.docx`` for each local edition: the standard
  edition with that service's details filled in (read and checked by the
  build, handed over in ``job.options["local"]``).

A draft build (``job.options["draft"]``) marks every page in the header.

The parts, as Pandoc splits its Word writer: ``content`` (the document model
as paragraphs, a visitor), ``styles`` (the house style as Word styles and
numbering), ``tables`` (column widths), ``scripts`` (direction and font from
the language), ``ooxml`` (raw WordprocessingML helpers), ``package``
(template parts, properties, theme, reproducible zip).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from ... import outputs
from ...contract import Job, Written
from ...diagnostics import Diagnostic
from ...files import replacing
from ...local import LocalDetails
from ...style import FONT_NAME, style_error
from .content import Leaflet
from .package import drop_template_parts, package_bytes, set_core_properties
from .styles import Look, prune_styles, remember_style_lookups, set_up_numbering, set_up_page, set_up_styles

LARGE_PRINT = "large-print"


@dataclass(frozen=True)
class Edition:
    name: str  # "" for the standard edition, "large-print", or the local edition's name
    sizes: Mapping[str, float]  # the house style's docx.standard or docx.large_print
    local: LocalDetails | None = None


def editions(job: Job) -> list[Edition]:
    settings = job.style["docx"]
    local: tuple[LocalDetails, ...] = job.options.get("local", ())
    return ([Edition("", settings["standard"]), Edition(LARGE_PRINT, settings["large_print"])]
            + [Edition(details.name, settings["standard"], details) for details in local])


def prepare(job: Job) -> None:
    """The complex-script fonts are names that go into the file's XML."""
    for script, font in job.style["docx"]["complex_script_fonts"].items():
        if not FONT_NAME.match(str(font)):
            raise style_error(job.document.source.parent, script, f"'{font}' is not a font's name",
                              "use letters, digits, spaces and hyphens, e.g. Arial")


# Prepared templates by look and language: editions of one look (the standard
# one and each local one) start from the same page, styles and numbering, and
# a process that builds again (publisher watch) keeps them.
_TEMPLATES: dict[tuple[str, str], bytes] = {}


def prepared_document(look: Look, language: str):
    """A python-docx document with the page, styles and numbering of ``look``.
    The first of a look is set up and saved as that look's template (about
    20 ms); later ones are loaded from it, which costs what loading
    python-docx's own template does."""
    import docx

    key = (repr(look), language)
    if key in _TEMPLATES:
        return docx.Document(io.BytesIO(_TEMPLATES[key]))
    doc = docx.Document()
    drop_template_parts(doc, language)
    set_up_page(doc, look)
    set_up_styles(doc, look, language)
    set_up_numbering(doc, look)
    saved = io.BytesIO()
    doc.save(saved)  # saving leaves the document as it was: this edition goes on with it
    _TEMPLATES[key] = saved.getvalue()
    return doc


def write(job: Job) -> Written:
    files = []
    warnings: dict[Diagnostic, None] = {}  # each once, though every edition finds it
    for edition in editions(job):
        target = job.path(outputs.leaflet(job.document.slug, edition.name))
        data, found = leaflet_bytes(job, edition)
        warnings.update(dict.fromkeys(found))
        with replacing(target) as temporary:
            temporary.write_bytes(data)
        files.append(target)
    # "draft" lets the check know whether each page should be marked.
    return Written(files=tuple(files), data={"editions": [f.name for f in files],
                                             "draft": bool(job.options.get("draft"))},
                   warnings=tuple(warnings))


def leaflet_bytes(job: Job, edition: Edition) -> tuple[bytes, list[Diagnostic]]:
    meta = job.document.meta
    look = Look.of(job.style, edition.sizes, meta.language)
    doc = prepared_document(look, meta.language)
    remember_style_lookups(doc)
    leaflet = Leaflet(doc, look, job, edition.local)
    leaflet.write()
    set_core_properties(doc, meta, job.terms("docx_category"), job.build_date)
    prune_styles(doc)
    return package_bytes(doc, look.font, job.build_date), leaflet.warnings
