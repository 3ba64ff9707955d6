"""Tagged PDF for reportlab, which has no tagging API of its own.

Three pieces, the shape of Prawn's (prawnpdf/pdf-core pull request 67):

- ``Element``: the logical structure, built by the story in source order
  (``Document`` → ``H1``, ``P``, ``L``/``LI``/``Lbl``/``LBody``, ``Table``/
  ``TR``/``TH``/``TD``, ``Link`` …) before anything is drawn, so the tags'
  reading order is the source's whatever the page layout does.
- ``MarkedContent``: a canvas mix-in that brackets what a flowable draws in
  ``/Role <</MCID n>> BDC … EMC`` (MCIDs counted per page), everything else
  it draws (page numbers, rules, bands, table lines) in ``/Artifact … EMC``,
  and notes every link annotation with the element it belongs to. A
  paragraph split over two pages is one element with two marked pieces.
- ``write_structure``: after reportlab has written the file, pikepdf adds the
  ``/StructTreeRoot`` (elements, ``/ParentTree``, ``/RoleMap``), ``/MarkInfo``,
  the PDF/UA-1 identification in XMP, ``/StructParent(s)`` and ``/Tabs /S``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

# Roles that are not among PDF 1.7's standard structure types, and the
# standard type each stands for (PDF/UA-1 allows no remapping of standard ones).
ROLE_MAP = {"Aside": "Div"}


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: page (from 0) and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """A link annotation: page (from 0), its place in the page's /Annots, and its description."""

    page: int
    index: int
    contents: str


@dataclass(eq=False)
class Element:
    """One structure element. ``kids`` holds elements, marked content and
    annotations in reading order. ``links`` maps a link target drawn inside
    this element to the words that describe it (the annotation's /Contents).
    ``repeats``: drawn again on later pages (a table's header row); only the
    first drawing is content, the repeats are artifacts."""

    role: str
    alt: str = ""
    lang: str = ""
    identifier: str = ""  # /ID, which PDF/UA wants on every Note
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. {"O": "Table", "Scope": "Column"}
    links: dict[str, str] = field(default_factory=dict)
    repeats: bool = False
    kids: list[Element | Content | Annotation] = field(default_factory=list)

    def add(self, role: str, **settings) -> Element:
        child = Element(role, **settings)
        self.kids.append(child)
        return child

    @property
    def drawn(self) -> bool:
        return any(isinstance(kid, Content) for kid in self.kids)

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()


class MarkedContent:
    """Canvas methods that write marked content (mixed into the page canvas).

    ``marked(element)`` brackets drawing as the element's content;
    ``marked(body, label=lbl)`` gives the first text object drawn (reportlab
    draws a paragraph's bullet or number first) to the label, the rest to the
    body; ``artifact(kind)`` brackets decoration. Sequences never nest.
    """

    # reportlab's canvas has these
    _code: list[str]
    _pageNumber: int
    _annotationrefs: list

    def init_marking(self) -> None:
        self._mcids: dict[int, int] = {}
        self._marking: Element | None = None
        self._label: tuple[Element, Element] | None = None
        self._link_target = ""

    def _page_index(self) -> int:
        return self._pageNumber - 1

    def _begin(self, element: Element) -> None:
        if self._marking is not None:
            raise RuntimeError(f"marked content nested: {element.role} inside {self._marking.role}")
        page = self._page_index()
        mcid = self._mcids.get(page, 0)
        self._mcids[page] = mcid + 1
        element.kids.append(Content(page, mcid))
        self._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self._marking = element

    def _end(self) -> None:
        self._code.append("EMC")
        self._marking = None

    @contextmanager
    def marked(self, element: Element, label: Element | None = None):
        if label is None:
            self._begin(element)
        else:
            self._label = (label, element)
        try:
            yield
        finally:
            if self._label is not None:  # no text was drawn for the label
                self._label = None
            elif self._marking is element:
                self._end()

    @contextmanager
    def artifact(self, kind: str = "Layout", subtype: str = ""):
        if self._marking is not None:
            raise RuntimeError(f"an artifact inside {self._marking.role}")
        extra = f" /Subtype /{subtype}" if subtype else ""
        self._code.append(f"/Artifact <</Type /{kind}{extra}>> BDC")
        try:
            yield
        finally:
            self._code.append("EMC")

    def drawText(self, text_object):
        if self._label is None:
            return super().drawText(text_object)
        (label, body), self._label = self._label, None
        self._begin(label)
        super().drawText(text_object)
        self._end()
        self._begin(body)

    # Links: reportlab adds an annotation for each; note which element it belongs to.

    def linkURL(self, url, rect, *args, **kwargs):
        self._link_target = url
        return super().linkURL(url, rect, *args, **kwargs)

    def linkRect(self, contents, destinationname, *args, **kwargs):
        self._link_target = "#" + destinationname
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        owner = self._marking
        if addtopage and owner is not None:
            description = owner.links.get(self._link_target, self._link_target.lstrip("#"))
            if owner.role == "Link":
                link = owner
            elif self._link_target.startswith("#note-"):  # a source's number: a citation
                link = owner.add("Reference").add("Link")
            else:
                link = owner.add("Link")
            link.kids.append(Annotation(self._page_index(), len(self._annotationrefs), description))
        return super()._addAnnotation(annotation, name, addtopage)


# The structure tree, written into the finished file --------------------------------------


def xmp_packet(title: str, language: str, creators: list[str], created: dt.datetime, producer: str) -> bytes:
    """XMP metadata declaring PDF/UA-1, with the title as dc:title."""
    date = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    people = "".join(f"<rdf:li>{escape(name)}</rdf:li>" for name in creators)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq>{people}</rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<pdf:Producer>{escape(producer)}</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def write_structure(data: bytes, root: Element, language: str, xmp: bytes) -> bytes:
    """The PDF with its structure tree and the PDF/UA-1 entries added."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(BytesIO(data))
    pages = [page.obj for page in pdf.pages]
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    by_page: dict[int, dict[int, Any]] = {}  # page → MCID → element
    annotations: list[tuple[Any, Any]] = []  # (annotation, its element), in order

    def build(element: Element, parent) -> Any:
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.role), P=parent))
        for key, value in (("Alt", element.alt), ("Lang", element.lang), ("ID", element.identifier)):
            if value:
                made["/" + key] = String(value)
        if element.attributes:
            made.A = Dictionary({"/" + key: Name("/" + value) for key, value in element.attributes.items()})
        places = {kid.page for kid in element.kids if isinstance(kid, Content | Annotation)}
        own_page = places.pop() if len(places) == 1 else None
        if own_page is not None:
            made.Pg = pages[own_page]
        kids = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(build(kid, made))
            elif isinstance(kid, Content):
                by_page.setdefault(kid.page, {})[kid.mcid] = made
                kids.append(kid.mcid if own_page is not None else
                            Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
            else:
                annotation = pages[kid.page].Annots[kid.index]
                annotation.Contents = String(kid.contents)
                annotations.append((annotation, made))
                kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=pages[kid.page]))
        if kids:
            made.K = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else Array(kids)
        return made

    document = build(root, tree)
    tree.K = document
    numbers: list = []
    for number, marked in sorted(by_page.items()):
        pages[number].StructParents = number
        numbers += [number, Array([marked[mcid] for mcid in range(len(marked))])]
    for key, (annotation, element) in enumerate(annotations, start=len(pages)):
        annotation.StructParent = key
        numbers += [key, element]
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(numbers)))
    tree.ParentTreeNextKey = len(pages) + len(annotations)
    tree.RoleMap = Dictionary({"/" + role: Name("/" + standard) for role, standard in ROLE_MAP.items()})
    for page in pages:
        if "/Annots" in page:
            page.Tabs = Name.S  # tab through links in structure order
    catalogue = pdf.Root
    catalogue.StructTreeRoot = tree
    catalogue.MarkInfo = Dictionary(Marked=True)
    catalogue.Lang = String(language)
    catalogue.ViewerPreferences = catalogue.get("/ViewerPreferences", Dictionary())
    catalogue.ViewerPreferences.DisplayDocTitle = True
    catalogue.Metadata = pdf.make_stream(xmp, Type=Name.Metadata, Subtype=Name.XML)
    out = BytesIO()
    pdf.save(out, deterministic_id=True)  # the same source gives the same bytes
    return out.getvalue()
