"""The booklet and large print are tagged PDF/UA-1 (issue 13).

The built guidance passes every tag check: the structure walk (pikepdf),
the text in tag order (poppler's pdfinfo -struct-text) and the PyPI checker
pdfua. Then each check is shown to fail: a copy of the booklet is spoiled
one way at a time with pikepdf, and the check that should notice, does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from conftest import require
from publisher import outputs
from publisher.checks import pdf_tags

EDITIONS = ("booklet", "large_print")


@pytest.fixture(scope="module")
def out(build_output):
    require("pdfinfo")
    return build_output("pdf")


def edition(out: Path, document, name: str) -> Path:
    return out / outputs.pdf(document.slug, name)


@pytest.mark.parametrize("name", EDITIONS)
def test_the_reading_editions_are_tagged_pdf_ua(out, document, name):
    assert pdf_tags.check_file(edition(out, document, name), document) == []


@pytest.mark.parametrize("name", EDITIONS)
def test_pdfua_finds_nothing_and_runs_every_rule(out, document, name):
    import pdfua

    report = pdfua.Validator(pdfua.ValidatorOptions(registry=pdf_tags.pdfua_rules())).validate(
        str(edition(out, document, name)))
    assert report.findings == () and report.skipped == ()
    assert len(report.outcomes) == len(pdfua.default_registry())


def roles(element, depth: int = 0, limit: int = 4) -> list[str]:
    """The tree as indented role names (what the issue's closing note shows)."""
    found = [("  " * depth) + str(element.S)[1:]]
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and depth < limit:
            found += roles(kid, depth + 1, limit)
    return found


def test_the_tree_reads_cover_contents_then_the_guidance_in_source_order(out, document):
    with pikepdf.open(edition(out, document, "booklet")) as pdf:
        tree = roles(pdf.Root.StructTreeRoot.K)
    assert tree[:5] == ["Document", "  H1", "  P", "  P", "  Sect"]  # title, subtitle, publisher, contents
    assert tree[5:8] == ["    H2", "    TOC", "      TOCI"]
    headings = [line.strip() for line in tree if re.fullmatch(r"\s*H\d", line)]
    assert headings[0] == "H1" and set(headings[1:]) <= {"H2", "H3", "H4"}
    assert "    BlockQuote" in tree and "    Aside" in tree  # the guidance's quotes and callout
    text = pdf_tags.tagged_text(edition(out, document, "booklet"))
    first = document.sections[1].heading.text  # a heading the source has, once
    assert text.index(first) > text.index(document.meta.title)


def test_contents_entries_are_links_to_their_pages(out, document):
    with pikepdf.open(edition(out, document, "booklet")) as pdf:
        contents_page = pdf.pages[1]
        links = [annotation for annotation in contents_page.obj.Annots if annotation.Subtype == "/Link"]
        # words and number of each entry: sections, other formats, contact
        assert len(links) == 2 * (len(document.sections) + 2)
        assert all(str(link.Contents) for link in links)
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        targets = [pages[(link.Dest if "/Dest" in link else link.A.D)[0].objgen] for link in links]
    # An entry's words and its number go to the same page: the one the number names.
    printed = [int(word) for word in pdf_tags.tagged_text(edition(out, document, "booklet")).split("Contents", 1)[1]
               .split() if word.isdigit()][:len(links) // 2]
    assert targets[::2] == targets[1::2] == printed


# Spoiling the booklet, one way at a time -------------------------------------------------------


def walk(element):
    yield element
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from walk(kid)


def first(pdf, role: str):
    return next(element for element in walk(pdf.Root.StructTreeRoot.K) if str(element.S) == role)


def unmark_page_numbers(pdf):
    """A page number drawn with no artifact around it."""
    page = pdf.pages[2]
    operations = list(pikepdf.parse_content_stream(page))
    begin = next(i for i, (operands, operator) in enumerate(operations)
                 if str(operator) == "BDC" and str(operands[0]) == "/Artifact" and "/Subtype" in operands[1])
    end = next(i for i in range(begin, len(operations)) if str(operations[i][1]) == "EMC")
    kept = operations[:begin] + operations[begin + 1:end] + operations[end + 1:]
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))


def forget_a_paragraph(pdf):
    """A paragraph's marked content claimed by no element."""
    paragraph = next(e for e in walk(pdf.Root.StructTreeRoot.K) if e.S == "/P" and isinstance(e.get("/K"), int))
    del paragraph.K


def claim_twice(pdf):
    """One piece of marked content claimed by two elements."""
    paragraphs = [e for e in walk(pdf.Root.StructTreeRoot.K) if e.S == "/P" and isinstance(e.get("/K"), int)]
    paragraphs[1].K = pikepdf.Array([paragraphs[1].K, pikepdf.Dictionary(
        Type=pikepdf.Name.MCR, Pg=paragraphs[0].Pg, MCID=paragraphs[0].K)])


def swap_sections(pdf):
    """The guidance's first two sections in the wrong order in the tree."""
    kids = pdf.Root.StructTreeRoot.K.K
    sections = [i for i, kid in enumerate(kids) if kid.S == "/Sect"]
    a, b = sections[1], sections[2]
    kids[a], kids[b] = kids[b], kids[a]


def figure_without_alt(pdf):
    first(pdf, "/P").S = pikepdf.Name.Figure


def list_items_loose(pdf):
    first(pdf, "/L").S = pikepdf.Name.Div


def skip_a_level(pdf):
    next(e for e in walk(pdf.Root.StructTreeRoot.K) if e.S == "/H2").S = pikepdf.Name.H4


def no_pdfua_identification(pdf):
    xmp = pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b"")
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def undescribed_links(pdf):
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots") or []:
            del annotation.Contents


def no_tab_order(pdf):
    for page in pdf.pages:
        if "/Tabs" in page.obj:
            del page.obj.Tabs


def untagged(pdf):
    del pdf.Root.StructTreeRoot
    del pdf.Root.MarkInfo


def no_language(pdf):
    del pdf.Root.Lang


def unknown_role(pdf):
    first(pdf, "/BlockQuote").S = pikepdf.Name("/Pullquote")


SPOILS = {
    # spoil: (what the walk says, what pdfinfo or the words say, what pdfua says)
    "page numbers not an artifact": (unmark_page_numbers, "pieces of text neither tagged nor an artifact",
                                     None, "UA-01-003"),
    "a paragraph in no element": (forget_a_paragraph, "is in no structure element", "words of the source", None),
    "content claimed twice": (claim_twice, "belongs to 2 elements", None, None),
    "sections swapped": (swap_sections, None, "missing or out of order in tag order", None),
    "a figure with no alt text": (figure_without_alt, "a /Figure without /Alt", None, "UA-13-004"),
    "list items outside a list": (list_items_loose, "a /LI inside /Div", None, None),
    "a heading level skipped": (skip_a_level, "a heading level is skipped", None, None),
    # pdfua is content with the pdfuaid namespace being declared: only the walk notices
    "no PDF/UA identification": (no_pdfua_identification, "pdfuaid:part 1", None, None),
    "links not described": (undescribed_links, "a link annotation without /Contents", None, "UA-18-005"),
    "no tab order": (no_tab_order, "has links but no /Tabs /S", None, None),
    "untagged": (untagged, "no structure tree", "Tagged: yes", "UA-01-005"),
    "no language": (no_language, "the catalogue's /Lang", None, "UA-06-001"),
    "a role with no role map": (unknown_role, "neither standard nor mapped", None, None),
}


@pytest.mark.parametrize("spoil", SPOILS)
def test_each_tag_check_fails_on_a_spoiled_booklet(out, document, tmp_path, spoil):
    change, walked, read, checker = SPOILS[spoil]
    spoiled = tmp_path / "spoiled.pdf"
    with pikepdf.open(edition(out, document, "booklet")) as pdf:
        change(pdf)
        pdf.save(spoiled)
    found = " | ".join(pdf_tags.check_file(spoiled, document))
    for expected in (walked, read, checker):
        if expected:
            assert expected in found, (spoil, expected, found)


def test_the_patched_pdfua_rule_sees_a_heading_split_over_two_pages(tmp_path):
    """pdfua 0.1.3's empty-heading rule fails (pikepdf 10 raises on an
    array's missing key) on a heading whose /K is an array of marked-content
    references, so pdfua would skip the rule; the checks' copy runs, and
    still finds a heading that really is empty."""
    from pdfua.rules.structure import EmptyHeadingRule

    def document_with(heading_kids) -> Path:
        pdf = pikepdf.new()
        pdf.add_blank_page()
        page = pdf.pages[0].obj
        heading = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.H1))
        if heading_kids is not None:
            heading.K = pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=n)
                                       for n in heading_kids])
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=heading))
        pdf.Root.StructTreeRoot = root
        path = tmp_path / f"heading-{heading_kids}.pdf"
        pdf.save(path)
        return path

    import pdfua

    split, empty = document_with([0, 1]), document_with(None)
    patched = next(rule for rule in pdf_tags.pdfua_rules() if isinstance(rule, EmptyHeadingRule))
    with pdfua.PdfDocument.open(str(split)) as doc:
        with pytest.raises(ValueError):
            list(EmptyHeadingRule().check(doc))  # as released
        assert not list(patched.check(doc))
    with pdfua.PdfDocument.open(str(empty)) as doc:
        assert list(patched.check(doc))


def test_a_paragraph_split_across_pages_is_one_element_with_a_piece_on_each(make_source, tmp_path):
    from publisher.build import build
    from publisher.reader import read

    long = " ".join(f"Sentence {n} says that babies need calm adults around them." for n in range(1, 80))
    source = make_source(f"Before.\n\n{long}\n\nAfter.\n")
    build([source], ["pdf"], tmp_path / "out", cache_dir=tmp_path / "cache")
    path = tmp_path / "out" / source.stem / outputs.pdf(source.stem, "booklet")
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        split = [sorted(pages[kid.Pg.objgen] for kid in element.K)
                 for element in walk(pdf.Root.StructTreeRoot.K)
                 if element.S == "/P" and isinstance(element.get("/K"), pikepdf.Array)]
    assert len(split) == 1 and len(split[0]) >= 2 and len(set(split[0])) == len(split[0])
    assert pdf_tags.check_file(path, read(source)) == []


LANGUAGE_SOURCES = sorted((Path(__file__).parent / "fixtures" / "languages").glob("sleep*.md"))


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    """The guide in English, Welsh, Polish and Urdu (Urdu right to left, its words shaped)."""
    from publisher.build import build

    folder = tmp_path_factory.mktemp("languages")
    build(LANGUAGE_SOURCES, ["pdf"], folder / "out", cache_dir=folder / "cache")
    return folder / "out"


@pytest.mark.parametrize("source", LANGUAGE_SOURCES, ids=lambda path: path.stem)
def test_every_language_is_tagged_and_other_languages_carry_their_own_lang(languages, source):
    """Structure and pdfua pass in every language; each entry of "This guidance
    in other languages" is tagged in its own language."""
    from publisher.reader import read

    document = read(source)
    for name in EDITIONS:
        path = languages / source.stem / outputs.pdf(source.stem, name)
        with pikepdf.open(path) as pdf:
            assert pdf_tags.structure_problems(pdf, document) == [], (source.name, name)
        assert pdf_tags.pdfua_problems(path) == [], (source.name, name)
    with pikepdf.open(languages / source.stem / outputs.pdf(source.stem, "booklet")) as pdf:
        tagged_in = {str(element.Lang) for element in walk(pdf.Root.StructTreeRoot.K) if "/Lang" in element}
    assert tagged_in == {read(other).meta.language for other in LANGUAGE_SOURCES if other != source}


@pytest.mark.parametrize("source", LANGUAGE_SOURCES, ids=lambda path: path.stem)
def test_every_language_reads_in_tag_order(languages, source):
    """Urdu too: its lines are drawn in reading order and its glyphs' codes spell the words (bidi.py)."""
    from publisher.reader import read

    for name in EDITIONS:
        path = languages / source.stem / outputs.pdf(source.stem, name)
        assert pdf_tags.tagged_text_problems(path, read(source)) == [], (source.name, name)
