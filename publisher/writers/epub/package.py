"""The EPUB's container: package document, navigation, stylesheet and the zip.

Why not ebooklib for this part: it stamps the wall clock into every zip entry
(two builds never match byte for byte), cannot put ``xml:lang`` on the package
element, and re-parses content documents through an HTML parser that drops or
rewrites what we need exactly (``epub:type``, the page-break spans). Each of
those would need undoing afterwards; the package is small and fully specified,
so it is written here with lxml, once, the way EPUB 3.3 describes it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...archive import already_compressed, reproducible_zip
from ...artwork import Faces
from ...terms import Terms
from ..html import NSMAP, STYLESHEET, XHTML, XML_LANG, Page, element, serialise

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
FOLDER = "EPUB"
MEDIA_TYPES = {
    ".xhtml": "application/xhtml+xml",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ttf": "font/ttf",
    ".mp3": "audio/mpeg",
    ".smil": "application/smil+xml",
}
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass(frozen=True)
class Resource:
    href: str  # inside the EPUB folder
    data: bytes
    properties: str = ""
    overlay: str = ""  # the manifest id of this document's SMIL

    @property
    def id(self) -> str:
        return item_id(self.href)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[posixpath.splitext(self.href)[1].lower()]


def item_id(href: str) -> str:
    return "i-" + re.sub(r"[^A-Za-z0-9]+", "-", href).strip("-")


def nav_document(language: str, title: str, documents: Sequence[Page], landmarks: Sequence[tuple[str, str, str]],
                 terms: Terms) -> bytes:
    """nav.xhtml: the table of contents, the landmarks and (when there is one) the page list."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap=NSMAP)
    html.set("lang", language)
    html.set(XML_LANG, language)
    direction = {"dir": "rtl"} if terms.right_to_left else {}
    if direction:
        html.set("dir", "rtl")
    head = element(html, "head")
    element(head, "meta", charset="utf-8")
    element(head, "title", terms("epub_contents_title", title=title))
    element(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
    body = element(html, "body", **direction)
    toc = element(body, "nav", id="toc", epub_type="toc", role="doc-toc", aria_labelledby="toc-heading")
    element(toc, "h1", terms("epub_contents"), id="toc-heading")
    entries = element(toc, "ol")
    for document in documents:
        if document.kind != "cover":
            item = element(entries, "li")
            element(item, "a", document.title, href=document.name)
    marks = element(body, "nav", epub_type="landmarks", aria_label=terms("epub_landmarks"), hidden="hidden")
    entries = element(marks, "ol")
    for kind, href, text in landmarks:
        element(element(entries, "li"), "a", text, href=href, epub_type=kind)
    pages = [(label, f"{d.name}#{anchor}") for d in documents for label, anchor in d.pages]
    if pages:
        page_list = element(body, "nav", epub_type="page-list", role="doc-pagelist", aria_label=terms("epub_page_list"),
                            hidden="hidden")
        entries = element(page_list, "ol")
        for label, href in pages:
            element(element(entries, "li"), "a", label, href=href)
    return serialise(html)


def package_document(metadata: Sequence[tuple], resources: Sequence[Resource], spine: Sequence[str],
                     language: str, *, right_to_left: bool = False) -> bytes:
    """package.opf. ``metadata`` holds ("dc:name", text, attrs) or ("property", text, attrs).
    A right-to-left language's pages turn from right to left (the spine's page-progression-direction)."""
    package = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF}, version="3.0", **{"unique-identifier": "pub-id"})
    package.set(XML_LANG, language)
    package.set("dir", "rtl" if right_to_left else "ltr")
    meta_node = etree.SubElement(package, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    for name, text, attributes in metadata:
        if name.startswith("dc:"):
            node = etree.SubElement(meta_node, f"{{{DC}}}{name[3:]}", **attributes)
        else:
            node = etree.SubElement(meta_node, f"{{{OPF}}}meta", property=name, **attributes)
        node.text = text
    manifest = etree.SubElement(package, f"{{{OPF}}}manifest")
    for resource in resources:
        attributes = {"id": resource.id, "href": resource.href, "media-type": resource.media_type}
        if resource.properties:
            attributes["properties"] = resource.properties
        if resource.overlay:
            attributes["media-overlay"] = resource.overlay
        etree.SubElement(manifest, f"{{{OPF}}}item", **attributes)
    spine_node = etree.SubElement(package, f"{{{OPF}}}spine",
                                  **({"page-progression-direction": "rtl"} if right_to_left else {}))
    for href in spine:
        etree.SubElement(spine_node, f"{{{OPF}}}itemref", idref=item_id(href))
    return etree.tostring(package, xml_declaration=True, encoding="utf-8", pretty_print=True)


def stylesheet(style, embedded: Faces | None, active_class: str, *, right_to_left: bool = False,
               scripts: Sequence[tuple[str, str]] = ()) -> bytes:
    """Clear print in relative units only, so the reader's own font, size and
    spacing settings (WCAG 1.4.12) scale everything: sans-serif, aligned to
    the start of the line, bold (never italic) emphasis, upright quotations,
    links underlined (so they never look like bold words), lines of text at
    most about 70 characters (35em) long while pictures and tables may be
    wider. HTML5's sectioning elements are declared blocks for older reading
    systems (and Calibre), which otherwise run a quotation's source into the
    next line; a hidden one stays hidden (Chromium-based readers otherwise
    show the landmarks and page list). ``embedded``: the print family's files
    packed as fonts/<file name>, or None; ``scripts``: (family, file) of the
    variable fonts embedded for letters the print family lacks, after it in the stack."""
    colours = style["colours"]
    epub = style["epub"]
    print_family = style["fonts"]["print"]
    family = ", ".join(f'"{name}"' for name in (print_family, *(name for name, _ in scripts)))
    family += ", Verdana, Arial, sans-serif"
    faces = "".join(
        f'@font-face {{ font-family: "{print_family}"; font-style: normal; font-weight: {weight};'
        f" src: url(fonts/{face.name}); }}\n"
        for weight, face in (("normal", embedded.regular), ("bold", embedded.bold))
    ) if embedded else ""
    faces += "".join(f'@font-face {{ font-family: "{name}"; font-style: normal; font-weight: 100 900;'
                     f" src: url({href}); }}\n" for name, href in scripts)
    body = (f"font-family: {family}; line-height: {epub['line_height']}; text-align: left;"
            " hyphens: manual; -epub-hyphens: manual;")
    # A right-to-left language mirrors what sits on the left: alignment, list indents, the quotation's rule.
    rule = f"0.25em solid {colours['accent']}"
    mirrored = f"""
body {{ text-align: right; }}
ul, ol {{ padding-left: 0; padding-right: 1.5em; }}
figure.quote {{ padding-left: 0; border-left: none; padding-right: 1em; border-right: {rule}; }}
th, td, caption {{ text-align: right; }}
""" if right_to_left else ""
    return (faces + f"""
section, header, figure, figcaption, aside, address, nav {{ display: block; }}
[hidden], nav[hidden] {{ display: none; }}
body {{ {body} }}
p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, address, caption,
aside.callout, figure.quote {{ max-width: 35em; }}
p {{ margin: 0 0 1em 0; text-indent: 0; }}
h1, h2, h3, h4, h5, h6 {{ line-height: 1.25; margin: 1.5em 0 0.75em 0; font-weight: bold; }}
h1 {{ font-size: 1.6em; margin-top: 0; }}
h2 {{ font-size: 1.3em; }}
h3, h4, h5, h6 {{ font-size: 1.1em; }}
.title {{ font-size: 1.6em; font-weight: bold; margin-bottom: 0.5em; }}
.subtitle {{ font-size: 1.25em; font-weight: bold; margin-bottom: 2em; }}
.draft {{ font-weight: bold; font-size: 1.25em; border: 0.2em solid {colours['text']}; padding: 0.25em 0.5em; }}
em, strong, b, i, cite, dfn, var {{ font-style: normal; font-weight: bold; }}
address {{ font-style: normal; margin: 0 0 1em 0; }}
address p {{ margin: 0; }}
a {{ color: inherit; text-decoration: underline; }}
sup.noteref {{ font-size: 0.75em; line-height: 0; vertical-align: super; }}
ul, ol {{ margin: 0 0 1em 0; padding-left: 1.5em; }}
li {{ margin-bottom: 0.5em; }}
li > ul, li > ol {{ margin: 0.5em 0 0 0; }}
figure {{ margin: 1.5em 0; }}
figure.quote {{ padding-left: 1em; border-left: 0.25em solid {colours['accent']}; }}
blockquote {{ margin: 0; font-style: normal; }}
figcaption {{ font-style: normal; font-weight: normal; }}
aside.callout {{ margin: 1.5em 0; padding: 0.75em 1em; border: 0.2em solid {colours['accent']}; }}
.callout-title {{ font-weight: bold; font-size: 1.1em; }}
div.table {{ max-width: 100%; overflow-x: auto; margin: 1.5em 0; }}
table {{ border-collapse: collapse; }}
caption {{ font-weight: bold; text-align: left; margin-bottom: 0.5em; }}
th, td {{ border: 0.1em solid {colours['accent']}; padding: 0.4em 0.6em; text-align: left; vertical-align: top; }}
th {{ font-weight: bold; background-color: {colours['tint']}; color: {colours['text']}; }}
img {{ max-width: 100%; height: auto; }}
section.cover {{ text-align: center; }}
section.cover img {{ max-height: 95vh; }}
.{active_class} {{ background-color: {epub['highlight']}; color: {colours['text']}; }}
""" + mirrored).encode()


def zip_epub(target, entries: Sequence[tuple[str, bytes]], when: dt.datetime) -> None:
    """The EPUB zip: mimetype first and stored, then the entries in the order given."""
    everything = [("mimetype", b"application/epub+zip"), ("META-INF/container.xml", CONTAINER), *entries]
    data = reproducible_zip(everything, when, stored=lambda name: name == "mimetype" or already_compressed(name),
                            level=9)
    Path(target).write_bytes(data)
