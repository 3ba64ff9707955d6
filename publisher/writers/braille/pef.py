"""The same pages as a PEF (Portable Embosser Format 2008-1): Unicode braille
rows in XML, with Dublin Core metadata, for embossers and readers that take it."""

from __future__ import annotations

from lxml import etree

from ...contract import Job
from ...liblouis import to_unicode

PEF = "http://www.daisy.org/ns/2008/pef"
DC = "http://purl.org/dc/elements/1.1/"


def pef(pages: list[list[str]], job: Job) -> bytes:
    meta = job.document.meta
    settings = job.style["braille"]
    root = etree.Element(f"{{{PEF}}}pef", nsmap={None: PEF}, version="2008-1")
    head = etree.SubElement(etree.SubElement(root, f"{{{PEF}}}head"), f"{{{PEF}}}meta", nsmap={"dc": DC})
    for name, value in (("format", "application/x-pef+xml"), ("identifier", meta.identifier),
                        ("title", meta.title), ("language", meta.language),
                        ("date", job.build_date.date().isoformat()), ("publisher", meta.publisher)):
        etree.SubElement(head, f"{{{DC}}}{name}").text = value
    volume = etree.SubElement(etree.SubElement(root, f"{{{PEF}}}body"), f"{{{PEF}}}volume",
                              cols=str(settings["cells"]), rows=str(settings["lines"]), rowgap="0", duplex="false")
    section = etree.SubElement(volume, f"{{{PEF}}}section")
    for lines in pages:
        page = etree.SubElement(section, f"{{{PEF}}}page")
        for line in lines:
            etree.SubElement(page, f"{{{PEF}}}row").text = to_unicode(line.rstrip())
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
