"""The EPUB's new content and what families asked for, on small fixture documents.

- tests/fixtures/content/milestones.md: a table with its caption, a nested
  list, a cross-reference, two cited sources and review facts;
- tests/fixtures/languages/sleep.*.md: one guide in English, Welsh, Polish and
  Urdu (right to left, with an English street and a phone number inside).

Each EPUB is reopened by EPUBCheck, Ace, Calibre and lxml; the contents page
and an Urdu page are rendered in Chromium and looked at as pixels.
"""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, assert_words_in_order, require
from publisher.build import build, build_date
from publisher.checks import epub as checks
from publisher.contract import Job
from publisher.reader import read
from publisher.style import load_style
from publisher.terms import terms_for
from publisher.text import section_sentences
from publisher.writers import epub as writer
from publisher.writers import html
from test_epub import fake_audio, replaced

MILESTONES = FIXTURES / "content" / "milestones.md"
LANGUAGES = FIXTURES / "languages"
NS = checks.NS
X = f"{{{NS['x']}}}"
EPUB_TYPE = f"{{{NS['epub']}}}type"
# Booklet pages for the milestones guide: a title page, a page at the second
# section's heading, and one that starts with the first source.
PAGES = [{"label": "1", "sentence": None}, {"label": "2", "sentence": "s2-1"}, {"label": "3", "sentence": "n-1"}]


def milestones_job(out_dir: Path, *, draft: bool = False) -> Job:
    document = read(MILESTONES)
    return Job(document, load_style(MILESTONES.parent), terms_for(document.meta.language), out_dir,
               out_dir / "cache", build_date(document), options={"draft": draft},
               results={"pdf": {"pages": PAGES}, "audio": fake_audio(document, out_dir)})


@pytest.fixture(scope="module")
def milestones():
    return read(MILESTONES)


@pytest.fixture(scope="module")
def editions(tmp_path_factory, milestones):
    """The text and read-aloud EPUBs of the milestones guide (booklet pages and audio faked)."""
    written = writer.write(milestones_job(tmp_path_factory.mktemp("milestones")))
    return {("read-aloud" if path.name.endswith("-read-aloud.epub") else "text"): path for path in written.files}


@pytest.fixture(scope="module")
def text_edition(editions):
    return checks.Epub(editions["text"])


def documents(epub: checks.Epub) -> dict[str, etree._Element]:
    return {posixpath_name(name): root for name, root in epub.documents}


def posixpath_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


# Validators and every word ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.validator
@pytest.mark.parametrize("name", ["text", "read-aloud"])
def test_milestones_pass_epubcheck_ace_and_calibre_with_every_word_in_order(editions, milestones, name):
    path = editions[name]
    epub = checks.Epub(path)
    assert checks.epubcheck(path) == []
    require("ace")
    assert checks.ace(path) == []
    require("ebook-convert")
    assert_words_in_order(milestones, checks.calibre_text(path), f"Calibre's text of {path.name}")
    assert_words_in_order(milestones, epub.text(), f"{path.name} XHTML")
    problems = checks.structure_problems(epub, milestones) + checks.metadata_problems(epub, PAGES)
    problems += checks.page_list_problems(epub, milestones, PAGES)
    if name == "read-aloud":
        problems += checks.overlay_problems(epub, milestones)  # the sources are read aloud and highlighted too
    assert problems == []


# Tables -------------------------------------------------------------------------------


def test_a_table_has_its_caption_column_headers_and_sentence_spans(editions, milestones):
    epub = checks.Epub(editions["read-aloud"])
    [table] = [t for root in documents(epub).values() for t in root.iter(f"{X}table")]
    source = next(b for s in milestones.sections for b in s.blocks if type(b).__name__ == "Table")
    assert table.xpath("string(x:caption)", namespaces=NS) == source.caption
    headers = table.xpath("x:thead/x:tr/x:th", namespaces=NS)
    assert ["".join(th.itertext()) for th in headers] == ["".join(r.text for r in cell) for cell in source.header]
    assert {th.get("scope") for th in headers} == {"col"}
    rows = table.xpath("x:tbody/x:tr", namespaces=NS)
    assert [["".join(td.itertext()) for td in row.xpath("x:td", namespaces=NS)] for row in rows] == \
        [["".join(r.text for r in cell) for cell in cells] for cells in source.rows]
    # every cell's sentences keep the ids the audio times them by
    section = next(s for s in milestones.sections if source in s.blocks)
    expected = [s.id for s in section_sentences(section) if s.block is source]
    assert [span.get("id") for span in table.iter(f"{X}span") if span.get("id")] == expected
    # the table scrolls inside a region keyboard users can reach, named by its caption
    region = table.getparent()
    assert region.get("class") == "table" and region.get("tabindex") == "0"
    assert region.get("aria-labelledby") == table.xpath("string(x:caption/@id)", namespaces=NS)
    assert re.search(r"div\.table\s*{[^}]*overflow-x:\s*auto", epub.stylesheets())


# Nested lists ------------------------------------------------------------------------


def test_a_nested_list_sits_inside_its_parent_item(text_edition, milestones):
    source = next(b for s in milestones.sections for b in s.blocks if type(b).__name__ == "ListBlock")
    [outer] = [ol for name, root in documents(text_edition).items() if name.startswith("section-")
               for ol in root.xpath("//x:section/x:ol", namespaces=NS)]
    items = outer.xpath("x:li", namespaces=NS)
    assert len(items) == source.levels.count(0)
    nested = items[0].xpath("x:ul/x:li", namespaces=NS)
    assert ["".join(li.itertext()) for li in nested] == \
        ["".join(r.text for r in runs) for runs, level in zip(source.items, source.levels, strict=True) if level]
    # the printed numbers are the list's own: 1, 2, 3 at the top, bullets inside
    assert outer.get("start") is None and [m for m in source.markers() if m] == [1, 2, 3]


# Cross-references ----------------------------------------------------------------------


def test_every_internal_link_points_at_an_element_of_the_right_content_document(text_edition):
    roots = documents(text_edition)
    links = [(name, a.get("href")) for name, root in roots.items() for a in root.iter(f"{X}a")
             if not re.match(r"^[a-z]+:", a.get("href", ""))]
    assert ("section-02-emotional-milestones.xhtml", "section-03-when-to-get-help.xhtml#when-to-get-help") in links
    for name, href in links:
        target, _, fragment = href.partition("#")
        root = roots[target or name]
        assert not fragment or root.xpath("//*[@id=$f]", f=fragment), f"{name}: {href} leads nowhere"
    heading = roots["section-03-when-to-get-help.xhtml"].xpath("//x:h1", namespaces=NS)[0]
    assert heading.get("id") == "when-to-get-help"  # the heading carries the source's id


# Sources ------------------------------------------------------------------------------


def test_sources_are_raised_numbers_linking_to_a_notes_document_and_back(text_edition, milestones):
    roots = documents(text_edition)
    refs = [a for name, root in roots.items() if name.startswith("section-")
            for a in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
    assert [(a.text, a.get("href"), a.get("role"), a.getparent().tag) for a in refs] == \
        [(str(n.number), f"notes.xhtml#note-{n.number}", "doc-noteref", f"{X}sup") for n in milestones.notes]
    notes = roots["notes.xhtml"]
    [section] = notes.xpath("//x:section[@epub:type='endnotes']", namespaces=NS)
    assert section.get("role") == "doc-endnotes"
    items = section.xpath("x:ol/x:li", namespaces=NS)
    assert [li.get("id") for li in items] == [f"note-{n.number}" for n in milestones.notes]
    for li, note in zip(items, milestones.notes, strict=True):
        assert "".join(r.text for r in note.runs) in "".join(li.itertext())
        [back] = li.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
        target, _, fragment = back.get("href").partition("#")
        marker = roots[target].xpath("//x:a[@id=$f]/@href", f=fragment, namespaces=NS)
        assert marker == [f"notes.xhtml#note-{note.number}"]
    # in the reading order after the last section and before the closing page, and in the contents
    spine = [posixpath_name(i.get("href")) for i in text_edition.spine]
    assert spine[-2:] == ["notes.xhtml", "contact.xhtml"]
    toc = checks.nav(text_edition).xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert toc[-2:] == ["notes.xhtml", "contact.xhtml"]
    # a booklet page that starts with a source is marked before it
    assert notes.xpath("//x:span[@epub:type='pagebreak']/@aria-label", namespaces=NS) == ["3"]


def test_a_marker_right_after_a_word_stays_a_separate_word_in_the_text(tmp_path, make_source):
    """"pace[^1]" (no stop between): the raised number must not glue onto the word for a reader's search."""
    source = make_source("Every baby grows at their own pace[^1] and time.\n\n[^1]: A source.\n")
    document = read(source)
    job = Job(document, load_style(source.parent), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
              build_date(document))
    [path] = writer.write(job).files
    epub = checks.Epub(path)
    assert checks.structure_problems(epub, document) == []
    paragraph = next(p for _, root in epub.documents for p in root.iter(f"{X}p") if "pace" in "".join(p.itertext()))
    assert paragraph.xpath("string(x:sup/x:a)", namespaces=NS) == "1"


# The closing page -----------------------------------------------------------------------


def test_the_closing_page_lists_other_formats_and_the_review_dates(text_edition, milestones):
    terms = terms_for("en-GB")
    contact = documents(text_edition)["contact.xhtml"]
    formats = contact.xpath("//x:section[@class='other-formats']//x:li/text()", namespaces=NS)
    assert terms("format_docx") in formats and terms("format_epub") not in formats
    assert contact.xpath("string(//x:section[@class='other-formats']/x:p[last()])", namespaces=NS) == \
        terms("epub_ask_for_edition")  # no download address known for this source
    approval, feedback, review = contact.xpath("//x:p[@class='review']", namespaces=NS)
    assert approval.text == terms("epub_approved_by", name=milestones.meta.approved_by)
    assert feedback.xpath("string(x:a/@href)", namespaces=NS) == f"mailto:{milestones.meta.feedback}"
    assert "".join(review.itertext()) == " · ".join([terms("epub_version", version=milestones.meta.version),
                                 terms("epub_reviewed", month="January 2024"),
                                 terms("epub_next_review", month="January 2027")])


def test_a_draft_says_so_above_the_title(tmp_path):
    [path, _] = writer.write(milestones_job(tmp_path, draft=True)).files
    first = checks.Epub(path).documents[2][1]  # cover, contents, then the first section
    header = first.xpath("//x:header", namespaces=NS)[0]
    assert header[0].text == terms_for("en-GB")("epub_draft") and header[0].get("class") == "draft"
    [final, _] = writer.write(milestones_job(tmp_path / "final")).files
    assert not checks.Epub(final).documents[2][1].xpath("//*[@class='draft']")


def test_stylesheet_line_length_links_and_attributions(text_edition, milestones, tmp_path, editions):
    css = text_edition.stylesheets()
    assert re.search(r"(^|\n)p, li[^{]*{ max-width: 35em; }", css)
    assert not re.search(r"(^|[\s,])img[^{]*{[^}]*max-width: 35em", css)  # pictures may be wider than a line
    assert re.search(r"\na {[^}]*text-decoration: underline", css) and not re.search(r"\na {[^}]*bold", css)
    assert re.search(r"figcaption {[^}]*font-weight: normal", css)  # attributions regular, as in print
    assert checks.structure_problems(text_edition, milestones) == []
    # the check fails a stylesheet whose links are not underlined, or that underlines anything else
    for spoil, problem in ((lambda c: c.replace(b"text-decoration: underline", b"text-decoration: none"),
                            "does not underline links"),
                           (lambda c: c + b"\nstrong { text-decoration: underline; }", "other than links"),
                           (lambda c: c.replace(b"max-width: 35em", b"max-width: none"), "line length")):
        spoiled = replaced(editions["text"], tmp_path / "spoiled.epub", "EPUB/style.css", spoil)
        assert any(problem in p for p in checks.structure_problems(checks.Epub(spoiled), milestones))


# Languages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    """The Urdu and Welsh guides built to EPUB (the English original and Polish beside them
    make them editions of one publication)."""
    output = tmp_path_factory.mktemp("languages")
    build([LANGUAGES / "sleep.ur.md", LANGUAGES / "sleep.cy.md"], ["epub"], output,
          cache_dir=tmp_path_factory.mktemp("cache"))
    return {language: output / f"sleep.{language}" / f"sleep.{language}.epub" for language in ("ur", "cy")}


@pytest.mark.slow
@pytest.mark.validator
@pytest.mark.parametrize("language", ["ur", "cy"])
def test_translations_pass_epubcheck_and_ace_with_every_word_in_order(languages, language):
    path = languages[language]
    document = read(LANGUAGES / f"sleep.{language}.md")
    assert checks.epubcheck(path) == []
    require("ace")
    assert checks.ace(path) == []
    epub = checks.Epub(path)
    assert_words_in_order(document, epub.text(), path.name)
    assert checks.structure_problems(epub, document) == []


def test_urdu_runs_right_to_left_in_every_document_and_the_spine(languages):
    epub = checks.Epub(languages["ur"])
    assert epub.opf.get("dir") == "rtl"
    assert epub.opf.xpath("string(//opf:spine/@page-progression-direction)", namespaces=NS) == "rtl"
    for name, root in [*epub.documents]:
        assert (root.get("lang"), root.get(checks.XML_LANG), root.get("dir")) == ("ur", "ur", "rtl"), name
        assert root.find(f"{X}body").get("dir") == "rtl", name
    welsh = checks.Epub(languages["cy"])
    assert welsh.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == []
    assert [root.get("dir") for _, root in welsh.documents] == [None] * len(welsh.documents)


def test_english_words_and_numbers_inside_urdu_keep_their_order(languages):
    """An English street and a phone number in an Urdu page are isolated left to
    right: the bidi algorithm would otherwise show "High Street 1" and "000000 01274"."""
    contact = documents(checks.Epub(languages["ur"]))["contact.xhtml"]
    isolated = contact.xpath("//x:span[@dir='ltr']/text()", namespaces=NS)
    assert {"1 High Street", "Bradford BD1 1AA", "01274 000000"} <= set(isolated)
    assert not [s for s in isolated if re.search(r"[\u0600-\u06ff]", s)]  # never Urdu words themselves


def test_editions_share_a_series_and_list_each_other_in_their_own_languages(languages):
    series = {}
    for language, path in languages.items():
        epub = checks.Epub(path)
        [collection] = epub.opf.xpath("//opf:meta[@property='belongs-to-collection']", namespaces=NS)
        refines = "#" + collection.get("id")
        assert epub.meta("collection-type", refines) == ["series"]
        series[language] = epub.meta("dcterms:identifier", refines)
        listed = documents(epub)["contact.xhtml"].xpath("//x:section[@class='other-languages']//x:li", namespaces=NS)
        own = {terms_for(tag)("language_name") for tag in ("en-GB", "cy", "pl", "ur")} - \
            {terms_for(language)("language_name")}
        assert {li.xpath("string(x:strong)", namespaces=NS) for li in listed} == own
        for li in listed:
            assert li.get("lang") == li.get(checks.XML_LANG) and li.get("dir") in ("ltr", "rtl")
    assert series["ur"] == series["cy"] == ["urn:publisher:series:sleep"]


def test_urdu_letters_come_with_a_font_that_has_them(languages):
    epub = checks.Epub(languages["ur"])
    fonts = [name for name in epub.zip.namelist() if name.startswith("EPUB/fonts/")]
    assert "EPUB/fonts/Noto-Sans-Arabic.ttf" in fonts
    assert '"Noto Sans Arabic"' in epub.stylesheets()
    welsh = checks.Epub(languages["cy"])
    assert not [n for n in welsh.zip.namelist() if "Arabic" in n]  # only where the text needs it


# Chromium: what a reader sees ----------------------------------------------------------------


def render(page: Path, png: Path, size: str = "800,900") -> bytes:
    """A screenshot of an XHTML page in headless Chromium (a fresh profile, nothing fetched)."""
    chromium = require("chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size={size}",
                        f"--screenshot={png}", page.as_uri()], capture_output=True, timeout=120, check=True)
    return png.read_bytes()


def same_pixels(a: bytes, b: bytes) -> bool:
    from PIL import Image, ImageChops

    first, second = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


def nav_without_hidden_lists(nav: Path) -> Path:
    root = etree.parse(str(nav)).getroot()
    hidden = root.xpath("//x:nav[@hidden]", namespaces=NS)
    assert [n.get(EPUB_TYPE) for n in hidden] == ["landmarks", "page-list"]
    for node in hidden:
        node.getparent().remove(node)
    bare = nav.with_name("nav-bare.xhtml")
    bare.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    return bare


@pytest.mark.slow
@pytest.mark.validator
def test_the_contents_page_shows_no_hidden_list_in_chromium(editions, tmp_path):
    """Issue 15: Chromium-based readers showed the landmarks and page list because
    ``nav { display: block }`` overrode ``[hidden]``. The contents page must look
    exactly like the same page with those lists taken out; with the fix spoiled, it does not."""
    folder = tmp_path / "book"
    zipfile.ZipFile(editions["text"]).extractall(folder)
    nav = folder / "EPUB" / "nav.xhtml"
    bare = nav_without_hidden_lists(nav)
    shown = render(nav, tmp_path / "nav.png")
    assert same_pixels(shown, render(bare, tmp_path / "bare.png"))
    css = folder / "EPUB" / "style.css"
    css.write_text(re.sub(r"\[hidden\], nav\[hidden\] {[^}]*}", "", css.read_text(encoding="utf-8")),
                   encoding="utf-8")
    assert not same_pixels(render(nav, tmp_path / "spoiled.png"), render(bare, tmp_path / "bare2.png"))


def layout_width(page: Path, window: str) -> tuple[int, int]:
    """The width Chromium lays the page out at (``scrollWidth``) and the window's, read
    from a copy of the page that writes them into its title."""
    chromium = require("chromium")
    probe = page.with_name("probe-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>document.title = 'W' + document.documentElement.scrollWidth + 'x' + window.innerWidth;"
        "</script></body>"),
        encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                              "--no-first-run", "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", f"--user-data-dir={profile}", f"--window-size={window}",
                              "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120,
                             check=True).stdout
    page_width, window_width = re.search(r"<title>W(\d+)x(\d+)</title>", dom).groups()
    return int(page_width), int(window_width)


@pytest.mark.slow
@pytest.mark.validator
def test_a_wide_table_scrolls_in_its_region_not_the_page(tmp_path, make_source):
    """On a phone-sized window a table too wide for it scrolls inside its region:
    the page stays as wide as the window (and would not without the region's rule)."""
    row = " | ".join(["Averyveryverylongword"] * 8)
    source = make_source(f"Before the table.\n\n| {' | '.join('ABCDEFGH')} |\n|{'---|' * 8}\n| {row} |\n\n"
                         "After the table.\n")
    document = read(source)
    job = Job(document, load_style(source.parent), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
              build_date(document))
    [path] = writer.write(job).files
    folder = tmp_path / "book"
    zipfile.ZipFile(path).extractall(folder)
    page = next((folder / "EPUB").glob("section-01-*.xhtml"))
    page_width, window_width = layout_width(page, "360,640")  # Chromium may widen a window under 500 pixels
    assert page_width <= window_width < 1000
    css = folder / "EPUB" / "style.css"
    css.write_text(re.sub(r"div\.table {[^}]*}", "", css.read_text(encoding="utf-8")), encoding="utf-8")
    page_width, window_width = layout_width(page, "360,640")
    assert page_width > window_width


def test_sources_the_audio_does_not_read_get_no_overlay_and_a_warning(tmp_path, milestones):
    """An audio book without the sources' timings: the read-aloud edition is still
    written, without an overlay for the sources, the build warns, and the check says so."""
    job = milestones_job(tmp_path)
    audio = job.results["audio"]
    audio["sections"] = [track for track in audio["sections"] if track["slug"] != "sources"]
    written = writer.write(job)
    assert [w.message.split(":")[0] for w in written.warnings] == ["notes.xhtml is not read aloud"]
    epub = checks.Epub(next(p for p in written.files if p.name.endswith("-read-aloud.epub")))
    assert any("notes.xhtml: 2 sentences but no media overlay" in p for p in checks.overlay_problems(epub, milestones))


# Pictures (issue 12, class 4) --------------------------------------------------------------

# Each picture a different colour, so every file's bytes differ: (path under the source folder, colour).
PICTURES = {
    "photo in folder a": ("images/a/photo.png", "red"),
    "photo in folder b": ("images/b/photo.png", "green"),  # the same file name in another folder
    "upper case": ("images/Smile.png", "blue"),  # differs from the next only in case
    "lower case": ("images/smile.png", "yellow"),
    "spaces and accents": ("images/Café au lait é.png", "purple"),
    "named like the drawn cover": ("images/cover.png", "orange"),
    "a name with no Latin letters": ("images/تصویر.jpeg", "teal"),  # JPEG, and .jpeg becomes .jpg
}
# In reading order; the first picture is shown twice (a picture reused).
SHOWN = [*PICTURES, "photo in folder a"]


def picture_source(make_source, tmp_path: Path, *, own_cover: bool) -> Path:
    """A guide showing every case of PICTURES; with ``own_cover``, the first picture
    is also the front matter's cover (a picture reused as the cover)."""
    from PIL import Image as Picture

    for path, colour in PICTURES.values():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        Picture.new("RGB", (8, 6), colour).save(tmp_path / path, "JPEG" if path.endswith(".jpeg") else "PNG")
    body = "".join(f"![A picture: {case}](<{PICTURES[case][0]}>)\n\nWords after it.\n\n" for case in SHOWN)
    cover = {"cover": {"src": PICTURES[SHOWN[0]][0], "alt": "The cover picture"}} if own_cover else {}
    return make_source(f"## Pictures\n\n{body}", **cover)


def shown_pictures(epub: checks.Epub) -> list[tuple[str, bytes | None]]:
    """Every <img> of the content documents in reading order: its alt text and the bytes
    its src leads to inside the EPUB (None when it leads to no file)."""
    shown = []
    for name, root in epub.documents:
        for img in root.iter(f"{X}img"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), img.get("src")))
            shown.append((img.get("alt"), epub.read(target) if target in epub.zip.namelist() else None))
    return shown


def picture_problems(path: Path, document) -> list[str]:
    """What is wrong with the pictures of an EPUB built from ``document``: an <img> showing
    other bytes than its source file, a picture file with no manifest item or two, an
    address that is not plain lower-case ASCII."""
    epub = checks.Epub(path)
    problems = []
    wanted = [(image.alt, image.path.read_bytes()) for image in document.images]
    shown = shown_pictures(epub)
    if document.meta.cover is None:  # the drawn cover first: none of the source's pictures
        (_, drawn), *shown = shown
        if drawn is None or drawn in {data for _, data in wanted}:
            problems.append("the drawn cover is missing or shows a picture of the source")
    problems += [f"<img alt={alt!r}> shows {'nothing' if data is None else 'another picture'}"
                 for (alt, data), (_, expected) in zip(shown, wanted, strict=False) if data != expected]
    if len(shown) != len(wanted):
        problems.append(f"{len(shown)} pictures shown, {len(wanted)} in the source")
    items = [item for item in epub.items.values() if item.get("media-type").startswith("image/")]
    files = {image.path.resolve() for image in document.images}
    if len(items) != len(files) + (document.meta.cover is None):
        problems.append(f"{len(items)} picture items in the manifest for {len(files)} picture files")
    problems += [f"picture address {item.get('href')!r} is not plain" for item in items
                 if not re.fullmatch(r"images/[a-z0-9-]+\.(png|jpg|gif)", item.get("href"))]
    return problems


@pytest.fixture(params=[False, True], ids=["drawn cover", "own cover reused"])
def picture_edition(request, make_source, tmp_path):
    source = picture_source(make_source, tmp_path, own_cover=request.param)
    document = read(source)
    job = Job(document, load_style(source.parent), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
              build_date(document))
    [path] = writer.write(job).files
    return path, document


def test_every_picture_shows_its_own_file_with_one_manifest_item(picture_edition):
    path, document = picture_edition
    assert picture_problems(path, document) == []
    epub = checks.Epub(path)
    assert len({item.get("href") for item in epub.items.values()}) == len(epub.items)  # no two items share a file
    if document.meta.cover is not None:  # the reused picture's one item is the cover image
        [cover] = [item for item in epub.items.values() if "cover-image" in (item.get("properties") or "")]
        assert epub.read(epub.href(cover.get("href"))) == document.meta.cover.path.read_bytes()


@pytest.mark.slow
@pytest.mark.validator
def test_every_picture_case_passes_epubcheck(picture_edition):
    path, _ = picture_edition
    assert checks.epubcheck(path) == []


def test_the_picture_check_finds_swapped_pictures(picture_edition, tmp_path):
    """Spoiled: the bytes of two picture files swapped inside the EPUB."""
    path, document = picture_edition
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    pictures = [n for n, (info, _) in enumerate(entries) if info.filename.endswith((".png", ".jpg"))
                and not info.filename.endswith("/cover.png")]
    first, second = pictures[:2]
    (a, a_data), (b, b_data) = entries[first], entries[second]
    entries[first], entries[second] = (a, b_data), (b, a_data)
    spoiled = tmp_path / "spoiled.epub"
    with zipfile.ZipFile(spoiled, "w") as target:
        for info, data in entries:
            target.writestr(info, data)
    assert any("shows another picture" in problem for problem in picture_problems(spoiled, document))


def test_naming_pictures_by_their_file_name_fails_the_picture_check(make_source, tmp_path, monkeypatch):
    """Spoiled: the addresses before issue 12 (``images/<file name>``) collide: folder
    a's and b's photo.png share one item, the body's cover.png is the drawn cover."""
    monkeypatch.setattr(writer, "image_href", lambda image: f"images/{image.path.name}")
    monkeypatch.setattr(html, "image_href", lambda image: f"images/{image.path.name}")
    source = picture_source(make_source, tmp_path, own_cover=False)
    document = read(source)
    job = Job(document, load_style(source.parent), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
              build_date(document))
    [path] = writer.write(job).files
    problems = picture_problems(path, document)
    assert "<img alt='A picture: photo in folder b'> shows another picture" in problems
    assert "<img alt='A picture: named like the drawn cover'> shows another picture" in problems


def test_the_web_edition_shows_every_picture_from_its_own_file(make_source, tmp_path):
    """The web edition's pages are html.py's, so each <img> names html.image_href; the
    web writer copies each picture there."""
    from publisher.writers import web

    source = picture_source(make_source, tmp_path, own_cover=False)
    document = read(source)
    job = Job(document, load_style(source.parent), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
              build_date(document))
    web.write(job)
    folder = tmp_path / "out" / "web"
    shown = []
    for page in sorted(folder.glob("*.html")):
        for img in etree.parse(str(page), etree.HTMLParser()).iter("img"):
            target = folder / img.get("src")
            shown.append(target.read_bytes() if target.is_file() else None)
    assert shown == [(tmp_path / PICTURES[case][0]).read_bytes() for case in SHOWN]
