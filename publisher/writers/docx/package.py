"""The Word package around the document: python-docx's template trimmed to
this leaflet, its properties, the theme in the house font, and a zip that is
the same bytes on every build (python-docx stamps the clock into the zip and
the core properties; both become the build date)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from ...archive import reproducible_zip
from ...model import Metadata
from .ooxml import W_NS

# Parts of python-docx's template that describe the template, not this leaflet.
DROPPED_RELATIONSHIPS = ("thumbnail", "stylesWithEffects", "customXml")
CONTENT_TYPES, APP, THEME = "[Content_Types].xml", "docProps/app.xml", "word/theme/theme1.xml"
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>publisher</Application><DocSecurity>0</DocSecurity></Properties>"
)


def drop_template_parts(doc, language: str) -> None:
    """Remove the template's thumbnail (a picture of an empty page), its
    second copy of the styles and its custom XML: python-docx saves only
    the parts still related, and lists them in [Content_Types].xml."""
    package = doc.part.package
    for owner in (package, doc.part):
        for r_id, relationship in list(owner.rels.items()):
            if relationship.reltype.rsplit("/", 1)[-1] in DROPPED_RELATIONSHIPS:
                del owner.rels[r_id]
    settings = doc.settings.element
    for element in settings.findall(f"{{{W_NS}}}savePreviewPicture"):
        settings.remove(element)
    for element in settings.findall(f"{{{W_NS}}}themeFontLang"):
        element.set(f"{{{W_NS}}}val", language)


def set_core_properties(doc, meta: Metadata, category: str, when: dt.datetime) -> None:
    properties = doc.core_properties
    properties.title = meta.title
    properties.subject = meta.subject or meta.subtitle
    properties.author = "; ".join(meta.authors) or meta.publisher
    properties.keywords = ", ".join(meta.keywords)
    properties.comments = meta.description
    properties.language = meta.language
    properties.identifier = meta.identifier
    properties.version = meta.version
    properties.category = category
    properties.last_modified_by = meta.publisher
    properties.revision = 1
    properties.created = properties.modified = when.replace(tzinfo=None, microsecond=0)


def package_bytes(doc, font: str, when: dt.datetime) -> bytes:
    """The saved document as a reproducible zip: [Content_Types].xml first,
    then every part by name, dated ``when``, with our own app.xml and the
    theme in the house font."""
    buffer = io.BytesIO()
    doc.save(buffer)
    package = zipfile.ZipFile(buffer)
    replacements = {APP: APP_XML, THEME: theme_in_house_font(package.read(THEME), font)}
    names = sorted(package.namelist(), key=lambda name: (name != CONTENT_TYPES, name))
    return reproducible_zip(((name, replacements.get(name, package.read(name))) for name in names),
                            when, unix=False)


def theme_in_house_font(theme: bytes, font: str) -> bytes:
    """The theme's heading and body fonts set to the house font, so text a
    family worker adds with Word's "Body" or "Headings" font matches too."""
    return re.sub(rb'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*', rb"\g<1>" + font.encode(), theme)
