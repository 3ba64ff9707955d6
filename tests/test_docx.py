"""The Word leaflet: reopened with python-docx and converted by LibreOffice.

The guidance is built once (standard, large print and the Corby example
edition); a small made-up source exercises what the guidance lacks (a
picture, two numbered lists, a real link, deeper headings).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image as PillowImage

from conftest import ROOT, SLUG, SOURCE, assert_words_in_order
from publisher.build import build
from publisher.checks.docx import (
    check,
    heading_levels,
    leaflet_text,
    pdf_problems,
    problems,
    to_pdf,
)
from publisher.diagnostics import SourceError
from publisher.local import load_local
from publisher.outputs import leaflet
from publisher.reader import read
from publisher.style import load_style
from publisher.terms import terms_for

LOCAL = ROOT / "local" / "corby.yaml"
STANDARD, LARGE, CORBY = (leaflet(SLUG), leaflet(SLUG, "large-print"), leaflet(SLUG, "corby"))
EDITIONS = (STANDARD, LARGE, CORBY)
TERMS = terms_for("en-GB")


def build_leaflets(output: Path, cache: Path, local=(LOCAL,)) -> Path:
    build([SOURCE], ["docx"], output, {"local": tuple(local)}, cache_dir=cache)
    return output / SLUG


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory) -> Path:
    return build_leaflets(tmp_path_factory.mktemp("docx"), tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def pdfs(leaflets, tmp_path_factory) -> dict[str, Path]:
    """Each leaflet converted by LibreOffice, once for the whole module."""
    files = [leaflets / name for name in EDITIONS]
    converted = to_pdf(files, tmp_path_factory.mktemp("pdf"))
    return {source.name: pdf for source, pdf in converted.items()}


@pytest.fixture(scope="module")
def style():
    return load_style(SOURCE.parent)


def open_leaflet(path: Path):
    return docx.Document(str(path))


# The guidance ----------------------------------------------------------------------


def test_every_edition_is_written(leaflets):
    assert sorted(p.name for p in leaflets.glob("*.docx")) == sorted(EDITIONS)


@pytest.mark.parametrize("name", EDITIONS)
def test_every_word_arrives_in_order(leaflets, document, name):
    assert_words_in_order(document, leaflet_text(leaflets / name), name)


@pytest.mark.parametrize("name", EDITIONS)
def test_passes_the_accessibility_and_clear_print_checks(leaflets, document, style, name):
    assert problems(leaflets / name, document, style) == []


def test_each_kind_of_block_has_its_word_style(leaflets, document):
    word = open_leaflet(leaflets / STANDARD)
    by_text = {" ".join(p.text.split()): p.style.name for p in word.paragraphs}
    assert word.paragraphs[0].style.name == "Title" and word.paragraphs[0].text == document.meta.title
    assert word.paragraphs[1].style.name == "Subtitle"
    assert by_text["Emotional Milestones"] == "Heading 1"
    assert by_text["Tuning into your baby"] == "Heading 1"
    assert by_text[TERMS("docx_local_contact")] == "Heading 1"
    assert by_text["Pay attention to their baby’s gaze and interest in objects"] == "List Bullet"
    assert by_text["Provides a sense of safety and security"] == "List Number"
    assert by_text["Did you know...?"] == "Callout Title"
    assert by_text["— Sue Gerhardt Why Love Matters 2004"] == "Quote Attribution"
    quote = next(text for text in by_text if text.startswith("The brain is a SOCIAL organ"))
    assert by_text[quote] == "Quote"
    assert by_text["Read the PDF here"] == "Normal"


def test_quotes_are_upright_and_emphasis_is_never_italic(leaflets):
    word = open_leaflet(leaflets / STANDARD)
    assert word.styles["Quote"].font.italic is False
    assert word.styles["Quote Attribution"].base_style.name == "Quote"
    for part in (word.styles.element, word.element):
        italics = [e for e in part.iter(qn("w:i")) if e.get(qn("w:val")) not in ("0", "false")]
        assert italics == []


def test_title_language_and_dates_in_the_properties(leaflets, document):
    word = open_leaflet(leaflets / STANDARD)
    properties = word.core_properties
    assert properties.title == document.meta.title
    assert properties.language == "en-GB"
    assert properties.author == "The Northamptonshire Baby Room Project"
    assert properties.keywords.startswith("infant mental health")
    assert properties.created.date().isoformat() == document.meta.date == properties.modified.date().isoformat()
    lang = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"


def test_large_print_is_18_point(leaflets):
    standard, large = (open_leaflet(leaflets / name).styles["Normal"].font.size.pt for name in (STANDARD, LARGE))
    assert (standard, large) == (14, 18)


def test_no_empty_paragraphs(leaflets):
    word = open_leaflet(leaflets / STANDARD)
    paragraphs = [p for p in word.element.body.iter(qn("w:p"))
                  if p.xpath("string(w:pPr/w:pStyle/@w:val)") != "Write-inLine"]
    assert paragraphs and all("".join(t.text for t in p.iter(qn("w:t"))).strip() for p in paragraphs)


def test_local_contact_box_has_lines_to_write_on(leaflets):
    word = open_leaflet(leaflets / STANDARD)
    (table,) = word.tables
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == TERMS("docx_local_contact")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    keys = ("service", "address", "phone", "opening_hours")
    assert [row.cells[0].text for row in table.rows] == [TERMS(f"docx_local_{key}") for key in keys]
    assert [row.cells[1].text.strip() for row in table.rows] == [""] * 4  # nothing printed as an instruction
    lines = [[p.style.name for p in row.cells[1].paragraphs] for row in table.rows]
    assert lines == [["Write-in Line"] * count for count in (1, 3, 1, 2)]
    ruled = [p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") for row in table.rows
             for p in row.cells[1].paragraphs]
    assert all(rule is not None for rule in ruled)
    assert TERMS("docx_placeholder_phone") not in leaflet_text(word)


def test_local_edition_fills_the_box_from_its_file(leaflets):
    corby = load_local(LOCAL)
    word = open_leaflet(leaflets / CORBY)
    (table,) = word.tables
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows[TERMS("docx_local_service")] == corby.service  # the header row names the service
    assert rows[TERMS("docx_local_address")].splitlines() == list(corby.address)
    assert rows[TERMS("docx_local_phone")] == corby.phone and rows[TERMS("docx_local_email")] == corby.email
    assert rows[TERMS("docx_local_opening_hours")].splitlines() == list(corby.opening_hours)
    assert TERMS("docx_placeholder_service") not in leaflet_text(word)
    links = {rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    assert {f"mailto:{corby.email}", corby.website} <= links


def test_link_with_no_target_is_plain_text(leaflets):
    word = open_leaflet(leaflets / STANDARD)
    assert word.element.body.find(f".//{qn('w:hyperlink')}") is None
    assert "Read the PDF here" in leaflet_text(word)
    assert "Read our website disclaimer" in leaflet_text(word)


def test_footer_says_page_x_of_y_and_the_rights(leaflets, document):
    footer = open_leaflet(leaflets / STANDARD).sections[0].footer
    instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert document.meta.rights in [p.text for p in footer.paragraphs]


def test_two_builds_are_byte_identical(leaflets, tmp_path, document):
    again = build_leaflets(tmp_path / "again", tmp_path / "cache")
    for name in EDITIONS:
        assert (again / name).read_bytes() == (leaflets / name).read_bytes(), name
    with zipfile.ZipFile(leaflets / STANDARD) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2024, 1, 1)}
        assert package.namelist()[0] == "[Content_Types].xml"


# LibreOffice ----------------------------------------------------------------------


def test_libreoffice_converts_each_edition_to_the_pages_intended(pdfs, leaflets, document, style):
    from pypdf import PdfReader

    assert sorted(pdfs) == sorted(EDITIONS)
    for name, pdf in pdfs.items():
        assert pdf_problems(pdf, leaflets / name, document, style) == [], name
    pages = {name: len(PdfReader(pdf).pages) for name, pdf in pdfs.items()}
    # The standard leaflet is two A4 sheets printed on both sides at most;
    # large print takes more, but not more than twice as many.
    assert 2 <= pages[STANDARD] <= 4
    assert pages[STANDARD] < pages[LARGE] <= 8
    assert pages[CORBY] <= 4


def test_the_check_command_finds_nothing_wrong(leaflets, document):
    assert [str(finding) for finding in check(leaflets, document)] == []


# The checks can fail ------------------------------------------------------------------


def spoil(source: Path, target: Path, change) -> Path:
    word = open_leaflet(source)
    change(word)
    word.save(str(target))
    return target


@pytest.mark.parametrize("change, complaint", [
    (lambda w: setattr(w.styles["Quote"].font, "italic", True), "italics"),
    (lambda w: w.paragraphs[3].insert_paragraph_before(""), "empty paragraphs"),
    (lambda w: w.tables[0].rows[0]._tr.trPr.remove(w.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader"))),
     "no header row"),
    (lambda w: setattr(w.paragraphs[1], "style", w.styles["Heading 3"]), "a level is skipped"),
    (lambda w: setattr(w.core_properties, "language", "en-US"), "language"),
    (lambda w: setattr(w.paragraphs[4].runs[0], "text", "Babies"), "words of the source missing"),
    (lambda w: setattr(w.styles["Footer"].font, "size", docx.shared.Pt(9)), "under 12 pt"),
    (lambda w: setattr(w.styles["Normal"].paragraph_format, "alignment", 3), "justified"),
    (lambda w: setattr(w.styles["Callout Text"].font.color, "rgb", docx.shared.RGBColor(0x99, 0x99, 0x99)),
     "contrast"),
    (lambda w: w.tables[0].rows[1].cells[1].paragraphs[0].add_run("[Add the address]"),
     "not a placeholder"),
    (lambda w: w.tables[0]._tbl.tblPr.find(qn("w:tblCaption")).set(qn("w:val"), "Contact"), "tables titled"),
    (lambda w: setattr(w.tables[0].rows[0].cells[0].paragraphs[0].runs[0], "text", "Name"),
     "does not name the service"),
], ids=["italic quote", "empty paragraph", "header row", "heading skipped", "language", "lost words",
        "small footer", "justified", "grey text", "placeholder typed over", "box untitled", "service row"])
def test_the_checks_catch_a_spoilt_leaflet(leaflets, document, style, tmp_path, change, complaint):
    spoilt = spoil(leaflets / STANDARD, tmp_path / STANDARD, change)
    found = problems(spoilt, document, style)
    assert any(complaint in message for message in found), found


def test_the_checks_catch_a_local_edition_left_blank(leaflets, document, style, tmp_path):
    def blank_phone(word):
        (row,) = [row for row in word.tables[0].rows if row.cells[0].text == TERMS("docx_local_phone")]
        row.cells[1].paragraphs[0].runs[0].text = ""

    found = problems(spoil(leaflets / CORBY, tmp_path / CORBY, blank_phone), document, style)
    assert any("of a local edition is not filled in" in message for message in found), found


def test_the_checks_catch_lists_sharing_numbering(leaflets, document, style, tmp_path):
    def share(word):
        numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
        bullets = [p for p in word.paragraphs if p.style.name == "List Bullet"]
        bullet_id = bullets[0]._p.pPr.numPr.numId.val
        numbered[0]._p.pPr.numPr.numId.val = bullet_id

    found = problems(spoil(leaflets / STANDARD, tmp_path / STANDARD, share), document, style)
    assert any("numbered as 'bullet'" in message for message in found), found


# A made-up source with what the guidance lacks --------------------------------------

SAMPLE = """\
---
title: A sample leaflet
language: en-GB
publisher: Sample Publisher
rights: © Sample Publisher
formats_url: https://example.org/sample-formats
contact:
  heading: Contact us
  address: [1 Sample Street, Sampletown]
  phone: "01234 567890"
  email: hello@example.org
disclaimer:
  text: Our disclaimer
  link: https://example.org/disclaimer
---

Opening words with *gentle emphasis*, **strong words** and a [real link](https://example.org/more).

## First part

1. one
2. two

Between the lists.

3. three
4. four

#### Deeper than it should be

![A parent smiling at a baby](images/smile.png "Smiling together")

::: callout Remember
- a bullet inside the box
:::
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    (folder / "source" / "images").mkdir(parents=True)
    PillowImage.new("RGB", (120, 80), (200, 120, 90)).save(folder / "source" / "images" / "smile.png")
    source = folder / "source" / "sample.md"
    source.write_text(SAMPLE, encoding="utf-8")
    build([source], ["docx"], folder / "output", {"local": ()}, cache_dir=folder / "cache")
    document = read(source)
    return document, folder / "output" / "sample" / leaflet("sample")


def test_sample_passes_every_check(sample):
    document, path = sample
    assert problems(path, document, load_style(document.source.parent)) == []
    assert_words_in_order(document, leaflet_text(path), path.name)


def test_pictures_carry_their_alt_text(sample):
    _, path = sample
    word = open_leaflet(path)
    picture, _ = word.element.body.findall(".//{*}docPr")
    assert picture.get("descr") == "A parent smiling at a baby"
    assert word.inline_shapes[0].width <= word.sections[0].page_width
    assert "Smiling together" in [p.text for p in word.paragraphs if p.style.name == "Caption"]


def test_qr_code_leads_to_the_other_formats_and_says_so(sample, tmp_path):
    _, path = sample
    word = open_leaflet(path)
    descriptions = [p.get("descr") for p in word.element.body.findall(".//{*}docPr")]
    web_edition = "https://example.org/sample-formats/web/index.html"  # formats_url's web edition
    assert descriptions[-1] == TERMS("docx_qr_alt", url=web_edition)
    blob = word.inline_shapes[-1]._inline.graphic.graphicData.pic.blipFill.blip.embed
    (tmp_path / "qr.png").write_bytes(word.part.related_parts[blob].blob)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
                             capture_output=True, text=True, check=True)
    assert scanned.stdout.strip() == web_edition


def test_numbered_lists_restart_with_their_own_numbering(sample):
    _, path = sample
    word = open_leaflet(path)
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    numbering = word.part.numbering_part.element
    starts = [numbering.num_having_numId(i).find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val"))
              for i in (ids[0], ids[2])]
    assert starts == ["1", "3"]


def test_headings_never_skip_a_level(sample):
    _, path = sample
    # "####" after "##" becomes Heading 2; then local contact, other formats, contact us.
    assert list(heading_levels(open_leaflet(path))) == ["1", "2", "1", "1", "1"]


def test_emphasis_is_bold_and_links_have_targets(sample):
    _, path = sample
    word = open_leaflet(path)
    opening = word.paragraphs[1]
    bold = [run.text for run in opening.runs if run.bold]
    assert bold == ["gentle emphasis", "strong words"]
    assert not any(run.italic for run in opening.runs)
    targets = {rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    assert targets == {"https://example.org/more", "https://example.org/disclaimer", "mailto:hello@example.org",
                       "https://example.org/sample-formats/web/index.html"}


# Bad local details ------------------------------------------------------------------


@pytest.mark.parametrize("name, text, line, message", [
    ("kettering.yaml", "service: Hub\nphone: '01536'\nfax: '01536'\n", 3, "unknown local-details key 'fax'"),
    ("kettering.yaml", "service: Hub\nphone: [1, 2]\n", 2, "'phone' should be text"),
    ("kettering.yaml", "address: [1 Street]\n", 1, "no 'service'"),
    ("kettering.yaml", "service: Hub\n  phone: : x\n", 2, "not valid"),
    ("Kettering Hub.yaml", "service: Hub\n", 1, "cannot name an edition"),
    ("large-print.yaml", "service: Hub\n", 1, "cannot name an edition"),
])
def test_bad_local_details_name_file_and_line(tmp_path, name, text, line, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_local(path)
    diagnostic = raised.value.diagnostic
    assert Path(diagnostic.file).name == name and diagnostic.line == line
    assert message in diagnostic.message


def test_bad_local_details_leave_earlier_leaflets_untouched(leaflets, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(leaflets, output / SLUG)
    before = {p.name: p.read_bytes() for p in (output / SLUG).glob("*.docx")}
    bad = tmp_path / "kettering.yaml"
    bad.write_text("service: Kettering Hub\nopening: all day\n", encoding="utf-8")
    with pytest.raises(SourceError, match="kettering.yaml:2"):
        build_leaflets(output, tmp_path / "cache", local=(LOCAL, bad))
    assert {p.name: p.read_bytes() for p in (output / SLUG).glob("*.docx")} == before


def test_a_missing_local_file_is_bad_input_not_a_crash(tmp_path, capsys):
    from publisher.cli import EXIT_BAD_INPUT, main

    missing = tmp_path / "nowhere.yaml"
    code = main(["build", str(SOURCE), "--formats", "docx", "--output", str(tmp_path / "out"),
                 "--local", str(missing), "--quiet"])
    assert code == EXIT_BAD_INPUT
    assert "nowhere.yaml" in capsys.readouterr().err
    assert not (tmp_path / "out" / SLUG / STANDARD).exists()
