"""Checks that a reading PDF is tagged PDF/UA-1, read back out of the file.

Three independent readers: this module walks the structure tree and the
content streams with pikepdf; poppler's ``pdfinfo -struct-text`` gives the
text in tag order, which must hold every word of the source in order; the
PyPI checker ``pdfua`` runs the machine-checkable subset of PDF/UA-1.

What the walk covers, by veraPDF's PDF/UA-1 rule numbers (veraPDF itself
is not installable here):
  5-1 (pdfuaid:part in XMP), 6.2-1 (/MarkInfo /Marked), 7.1-1/-2 (artifacts
  and tagged content not inside one another), 7.1-3 (all text tagged or an
  artifact), 7.1-8 (XMP metadata stream), 7.1-9 (dc:title), 7.1-10
  (DisplayDocTitle), 7.1-11 (a structure tree), 7.2-2 (no unknown role
  without a role map), 7.2-3…-20 (list, table and TOC nesting: LI in L, Lbl
  and LBody in LI, TR in a table, TH/TD in TR, TOCI in TOC), 7.2-33/-34
  (document language), 7.3-1 (Figure /Alt), 7.4.2-1 (headings start at H1
  and skip no level going down), 7.5-1 (TH with a Scope), 7.9-1 (Note /ID),
  7.18.1-2, 7.18.3-1 (/Tabs /S), 7.18.5-1/-2 (a Link element with /OBJR per
  link annotation, /Contents), 7.21.4.1-1 and 7.21.7-1 (fonts embedded, with
  ToUnicode); beyond veraPDF: every MCID referenced once, the parent tree
  agreeing with the tree, and every word in tag order.
Not covered: 7.2-21…-32 and -35…-43 (other nesting, e.g. Ruby, Form), 7.5-2
(Headers/IDs consistency), 7.7 (MathML), 7.10 (optional content), 7.11
(embedded files), 7.15 (XFA), 7.16 (security), 7.18.2/4/6-8 (widgets, media),
7.20 (XObjects' reference), 7.21.3 (CID font details: CIDSet, CIDToGIDMap),
7.21.5 (glyph widths agreeing with the font program), 7.21.6 (TrueType
encodings and cmap tables) and 7.21.8 (.notdef): they need a font parser.
Nor anything only a person can judge: alt text that describes, a logical
reading order, headings that say what follows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..model import Document
from ..text import document_words, missing_in_order, words

# PDF 1.7's standard structure types (ISO 32000-1, 14.8.4).
STANDARD_ROLES = frozenset((
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot",
    "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
))
# Each role that may only appear inside certain others (veraPDF 7.2-3 … 7.2-20).
PARENTS = {
    "LI": {"L"}, "Lbl": {"LI", "Note", "TOCI", "BibEntry"}, "LBody": {"LI"},
    "TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
    "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}, "TOCI": {"TOC"},
}
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINT_OPERATORS = {"Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


def check_file(path: Path, document: Document) -> list[str]:
    """Everything that keeps one PDF from being tagged PDF/UA-1, as messages."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        found = structure_problems(pdf, document)
    found += tagged_text_problems(path, document)
    found += pdfua_problems(path)
    return found


# The walk --------------------------------------------------------------------------------


def structure_problems(pdf, document: Document) -> list[str]:
    import pikepdf

    root = pdf.Root
    found = catalogue_problems(pdf, document)
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return found + ["no structure tree (/StructTreeRoot): the file is not tagged"]
    role_map = {str(k)[1:]: str(v)[1:] for k, v in (tree.get("/RoleMap") or {}).items()}
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    referenced: dict[tuple[int, int], int] = {}  # (page, MCID) → how many elements claim it
    owners: dict[tuple[int, int], object] = {}
    annotations: set = set()
    headings: list[int] = []

    def role_of(element) -> str:
        role = str(element.get("/S", "/?"))[1:]
        return role_map.get(role, role)

    def visit(element, parent_role: str, page: int | None, depth: int) -> None:
        raw = str(element.get("/S", "/?"))[1:]
        role = role_of(element)
        if depth > 100:
            found.append("the structure tree is more than 100 levels deep (a loop?)")
            return
        if role not in STANDARD_ROLES:
            found.append(f"the role /{raw} is neither standard nor mapped to a standard role")
        elif raw != role and raw in STANDARD_ROLES:
            found.append(f"the standard role /{raw} is remapped to /{role}")
        if role in PARENTS and parent_role not in PARENTS[role]:
            found.append(f"a /{role} inside /{parent_role} (it belongs in {' or '.join(sorted(PARENTS[role]))})")
        if role == "Figure" and not str(element.get("/Alt", "")).strip():
            found.append("a /Figure without /Alt text")
        if role == "Note" and "/ID" not in element:
            found.append("a /Note without an /ID")
        if role == "TH" and "/Scope" not in (element.get("/A") or {}):
            found.append("a /TH without a /Scope")
        if re.fullmatch(r"H[1-6]", role):
            headings.append(int(role[1]))
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen)
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
            if isinstance(kid, int):
                if page is None:
                    found.append(f"MCID {kid} of a /{role} with no page")
                    continue
                claim(page, int(kid), element)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                claim(pages.get(kid.Pg.objgen) if "/Pg" in kid else page, int(kid.MCID), element)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                target = kid.Obj
                if role != "Link":
                    found.append(f"an annotation referenced from a /{role}, not a /Link")
                annotations.add(target.objgen)
                if target.get("/StructParent") is None or \
                        parent_tree.get(int(target.StructParent)) != element.objgen:
                    found.append("a link annotation whose /StructParent does not lead back to its /Link")
            elif isinstance(kid, pikepdf.Dictionary):
                visit(kid, role, page, depth + 1)

    def claim(page: int | None, mcid: int, element) -> None:
        key = (page if page is not None else -1, mcid)
        referenced[key] = referenced.get(key, 0) + 1
        owners[key] = element.objgen

    parent_tree = flatten_number_tree(tree.get("/ParentTree"))
    document_elements = tree.get("/K")
    if isinstance(document_elements, pikepdf.Array):
        found.append(f"the structure tree has {len(document_elements)} top elements, not one /Document")
        document_elements = document_elements[0] if len(document_elements) else None
    if document_elements is None:
        return found + ["the structure tree is empty"]
    visit(document_elements, "StructTreeRoot", None, 0)

    if headings and headings[0] != 1:
        found.append(f"the first heading is H{headings[0]}, not H1")
    for before, after in zip(headings, headings[1:], strict=False):
        if after > before + 1:
            found.append(f"an H{after} follows an H{before}: a heading level is skipped")
    found += [f"page {page + 1}'s MCID {mcid} belongs to {count} elements" for (page, mcid), count in
              sorted(referenced.items()) if count > 1]

    for number, page in enumerate(pdf.pages):
        marked, problems = page_marked_content(page)
        found += [f"page {number + 1}: {problem}" for problem in problems]
        for mcid in marked:
            if (number, mcid) not in referenced:
                found.append(f"page {number + 1}: MCID {mcid} is in no structure element")
        for (page_number, mcid) in referenced:
            if page_number == number and mcid not in marked:
                found.append(f"page {number + 1}: the tree names MCID {mcid}, which the page does not mark")
        parents = parent_tree.get(int(page.obj.get("/StructParents", -1)))
        if marked and not isinstance(parents, list):
            found.append(f"page {number + 1} has marked content but no /StructParents entry in the parent tree")
        elif marked and isinstance(parents, list):
            for mcid in marked:
                if mcid >= len(parents) or parents[mcid] != owners.get((number, mcid)):
                    found.append(f"page {number + 1}: the parent tree gives MCID {mcid} the wrong element")
        links = [a for a in page.obj.get("/Annots") or [] if a.get("/Subtype") == "/Link"]
        if links and page.obj.get("/Tabs") != "/S":
            found.append(f"page {number + 1} has links but no /Tabs /S")
        for link in links:
            if link.objgen not in annotations:
                found.append(f"page {number + 1}: a link annotation no /Link element holds")
            if not str(link.get("/Contents", "")).strip():
                found.append(f"page {number + 1}: a link annotation without /Contents")
    return found + font_problems(pdf)


def flatten_number_tree(node) -> dict[int, object]:
    """A number tree as {key: objgen of an element, or a list of them}."""
    import pikepdf

    found: dict[int, object] = {}
    if node is None:
        return found
    numbers = node.get("/Nums") or []
    for key, value in zip(numbers[::2], numbers[1::2], strict=True):
        found[int(key)] = [item.objgen for item in value] if isinstance(value, pikepdf.Array) else value.objgen
    for kid in node.get("/Kids") or []:
        found.update(flatten_number_tree(kid))
    return found


def page_marked_content(page) -> tuple[list[int], list[str]]:
    """The MCIDs a page marks, in order, and what is wrong with its marking:
    text or paint outside a marked sequence, sequences inside one another."""
    import pikepdf

    marks: list[int] = []
    problems: list[str] = []
    stack: list[str] = []  # "mcid", "artifact" or "other"
    loose_text = loose_paint = 0
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            loose_paint += not stack
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in ("BDC", "BMC"):
            tag = str(operands[0])
            properties = operands[1] if len(operands) > 1 else None
            kind = "artifact" if tag == "/Artifact" else "mcid" if isinstance(properties, pikepdf.Dictionary) \
                and "/MCID" in properties else "other"
            if stack and kind != "other" and any(k != "other" for k in stack):
                problems.append(f"a {tag} sequence inside another tagged or artifact sequence")
            if kind == "mcid" and isinstance(properties, pikepdf.Dictionary):
                marks.append(int(properties.MCID))
            stack.append(kind)
        elif operator == "EMC":
            if not stack:
                problems.append("an EMC with no sequence to end")
            else:
                stack.pop()
        elif operator in TEXT_OPERATORS and not any(k != "other" for k in stack):
            loose_text += 1
        elif operator in PAINT_OPERATORS and not any(k != "other" for k in stack):
            loose_paint += 1
    if stack:
        problems.append(f"{len(stack)} marked sequences never ended")
    if loose_text:
        problems.append(f"{loose_text} pieces of text neither tagged nor an artifact")
    if loose_paint:
        problems.append(f"{loose_paint} drawings neither tagged nor an artifact")
    if len(set(marks)) != len(marks):
        problems.append("an MCID used twice")
    return marks, problems


def catalogue_problems(pdf, document: Document) -> list[str]:
    root = pdf.Root
    found = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        found.append("no /MarkInfo /Marked true")
    if str(root.get("/Lang", "")) != document.meta.language:
        found.append(f"the catalogue's /Lang is {str(root.get('/Lang', ''))!r}, not {document.meta.language!r}")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        found.append("no /ViewerPreferences /DisplayDocTitle true")
    if "/Metadata" not in root:
        return found + ["no XMP metadata"]
    xmp = bytes(root.Metadata.read_bytes()).decode("utf-8", "replace")
    if not re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        found.append("the XMP metadata does not say pdfuaid:part 1")
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    if title is None or title.group(1).strip() == "":
        found.append("the XMP metadata has no dc:title")
    return found


def font_problems(pdf) -> list[str]:
    found = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            name = str(font.get("/BaseFont", "?"))
            if "/ToUnicode" not in font:
                found.add(f"the font {name} has no ToUnicode map")
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor") or {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.add(f"the font {name} is not embedded")
    return sorted(found)


# Text in tag order, as poppler reads it ---------------------------------------------------------


def tagged_text(path: Path) -> str | None:
    """The text of the structure tree in tag order (``pdfinfo -struct-text``), or None without poppler."""
    if shutil.which("pdfinfo") is None:
        return None
    listing = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True,
                             check=True).stdout
    return "\n".join(line.strip()[1:-1] for line in listing.splitlines() if line.strip().startswith('"'))


def tagged_text_problems(path: Path, document: Document) -> list[str]:
    text = tagged_text(path)
    if text is None:
        return ["pdfinfo (poppler-utils) is not installed: the text in tag order was not read"]
    found = []
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    if not re.search(r"^Tagged:\s+yes", info, re.M):
        found.append("pdfinfo does not say Tagged: yes")
    lost = missing_in_order(document_words(document), words(text))
    if lost:
        found.append(f"{len(lost)} words of the source missing or out of order in tag order, first: {lost[:8]}")
    return found


# pdfua ------------------------------------------------------------------------------------------


def pdfua_problems(path: Path) -> list[str]:
    """What the PyPI checker pdfua finds: every finding, and every rule it could not run."""
    try:
        import pdfua
    except ImportError:
        return ["the pdfua checker is not installed (pip install -e '.[dev]'): the PDF/UA subset was not checked"]
    report = pdfua.Validator(pdfua.ValidatorOptions(registry=pdfua_rules())).validate(str(path))
    found = [f"pdfua {finding.rule_id} ({finding.severity.name.lower()}): {finding.message}"
             for finding in report.findings]
    found += [f"pdfua could not run {outcome.rule_id}: {outcome.skipped_reason}" for outcome in report.skipped]
    return found


def pdfua_rules():
    """pdfua 0.1.3's rules, with its empty-heading rule able to read a heading
    whose /K is an array (a heading split over two pages, or with a link): as
    released, it asks pikepdf 10 for an attribute of the array, which raises,
    and the rule is skipped."""
    import pdfua
    from pdfua.rules.structure import EmptyHeadingRule

    class EmptyHeading(EmptyHeadingRule):
        @staticmethod
        def _has_text(element) -> bool:
            return marks_content(element.obj)

    return pdfua.rules.RuleRegistry([EmptyHeading() if isinstance(rule, EmptyHeadingRule) else rule
                                     for rule in pdfua.default_registry()])


def marks_content(node) -> bool:
    """Whether a structure element holds any marked content, however deep."""
    import pikepdf

    if isinstance(node, int):
        return True
    if not isinstance(node, pikepdf.Dictionary):
        return False
    if node.get("/Type") in ("/MCR", "/OBJR"):
        return node.get("/Type") == "/MCR"
    kids = node.get("/K")
    return any(marks_content(kid) for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]))
