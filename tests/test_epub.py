"""The EPUB editions: valid, accessible, every word in order, pages and voice in step.

Two sets of EPUBs are checked. The real build of the guidance (with the
booklet and the audio book built first, as ``make`` does), and editions
written from a hand-made booklet page map and fake audio (tiny MP3s made
here), so the page list and the overlays are tested whatever the other
writers currently report. Each file is reopened by EPUBCheck, Ace by DAISY,
Calibre's ebook-convert and lxml, never trusted from the writer's constants.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import SOURCE, assert_words_in_order
from publisher.build import build_date
from publisher.checks import epub as checks
from publisher.contract import Job
from publisher.manifest import Manifest
from publisher.style import load_style
from publisher.terms import Terms, fields, terms_for
from publisher.text import document_sentences, section_sentences, sentence_groups
from publisher.writers import epub as writer

EDITIONS = ("text", "read-aloud")


# The real build ---------------------------------------------------------------


@pytest.fixture(scope="module")
def out(build_output):
    return build_output("pdf", "audio", "epub")


@pytest.fixture(scope="module")
def files(out, document):
    return checks.edition_files(out, document)


@pytest.fixture(scope="module", params=EDITIONS)
def edition(request, files):
    path = files[request.param]
    assert path.is_file(), f"{path.name} was not built"
    return path


@pytest.fixture(scope="module")
def findings(out, document):
    """``publisher.checks.epub.check`` on the build, run once: EPUBCheck, Ace and
    Calibre take seconds each, so the tests below share their reports."""
    return checks.check(out, document)


def reported(findings, edition: Path, tool: str) -> list[str]:
    return [str(f) for f in findings if f.file == edition.name and f.message.startswith(tool) and f.severity != "info"]


def test_epubcheck_reports_no_error_and_no_warning(findings, edition):
    assert reported(findings, edition, "EPUBCheck") == []


def test_ace_reports_no_violation(findings, edition):
    if checks.ace_command() is None:
        pytest.skip("Ace by DAISY is not installed: run tools/install-ace (needs npm and chromium)")
    assert reported(findings, edition, "Ace") == []


def test_calibre_reads_every_word_in_order(findings, edition):
    if shutil.which("ebook-convert") is None:
        pytest.skip("Calibre's ebook-convert is not installed (Debian package calibre)")
    assert reported(findings, edition, "Calibre") == []


def test_the_checks_find_nothing_else_wrong(findings):
    assert [str(f) for f in findings if f.severity != "info"] == []


def test_xhtml_carries_every_word_in_order(edition, document):
    assert_words_in_order(document, checks.Epub(edition).text(), f"{edition.name} XHTML")


def test_structure_language_titles_and_clear_print_css(edition, document):
    assert checks.structure_problems(checks.Epub(edition), document) == []


def test_accessibility_metadata_is_present_and_true(edition, out):
    pages = Manifest(out).data("pdf").get("pages")
    assert checks.metadata_problems(checks.Epub(edition), pages) == []


def test_one_content_document_per_section_in_reading_order(files, document):
    epub = checks.Epub(files["text"])
    headings = [root.xpath("string(//x:h1)", namespaces=checks.NS) for _, root in epub.documents]
    # cover, contents, one per section (the first headed by the title), the contact page
    sections = [document.meta.title] + [s.title for s in document.sections[1:]]
    assert headings[2:] == sections + [document.meta.contact.heading]
    toc = checks.nav(epub).xpath("//x:nav[@epub:type='toc']//x:a/text()", namespaces=checks.NS)
    assert toc == headings[2:]


def test_semantics_quotes_callout_and_cover(files):
    epub = checks.Epub(files["text"])
    roots = [root for _, root in epub.documents]

    def find(path: str) -> list:
        return [node for root in roots for node in root.xpath(path, namespaces=checks.NS)]

    assert len(find("//x:figure[x:blockquote]/x:figcaption")) == 4  # the four quotations keep their sources
    aside = find("//x:aside")
    assert [(a.get(f"{{{checks.NS['epub']}}}type"), a.get("role")) for a in aside] == [("tip", "doc-tip")]
    cover = find("//x:img[@role='doc-cover']")
    assert len(cover) == 1 and "Infant Mental Health" in cover[0].get("alt")
    landmarks = checks.nav(epub).xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=checks.NS)
    assert landmarks == ["cover", "toc", "bodymatter"]


def test_read_aloud_overlays_cover_every_sentence(files, document):
    assert checks.overlay_problems(checks.Epub(files["read-aloud"]), document) == []
    stats = checks.overlay_statistics(files["read-aloud"])
    expected = len(document_sentences(document))
    assert stats["sentences"] == expected and stats["duration"] > 60


def test_text_edition_stays_small(files):
    assert files["text"].stat().st_size < 400_000 < files["read-aloud"].stat().st_size


def test_page_list_matches_the_booklet_when_it_gives_pages(out, files, document):
    pages = Manifest(out).data("pdf").get("pages")
    if not isinstance(pages, list):
        pytest.skip("the PDF writer does not report its pages' first sentences yet (tested with fake pages below)")
    for path in files.values():
        assert checks.page_list_problems(checks.Epub(path), document, pages) == []



# Editions from hand-made booklet pages and fake audio ----------------------------

# Pages chosen to meet every placement rule: a title page before any sentence,
# a page starting at a section heading, a page on which no sentence begins, a
# page in the contact details, and a blank page at the back.
FAKE_PAGES = [
    {"label": "1", "sentence": None},
    {"label": "2", "sentence": "s1-1"},
    {"label": "3", "sentence": "s1-12"},
    {"label": "4", "sentence": None},
    {"label": "5", "sentence": "s2-1"},
    {"label": "6", "sentence": "s3-4"},
    {"label": "7", "sentence": "c-1"},
    {"label": "8", "sentence": None},
]
SENTENCE_SECONDS = 0.2


def fake_audio(document, out_dir: Path) -> dict:
    """One short MP3 per track and evenly spaced sentence timings, in the audio writer's shape."""
    import lameenc

    # the sections, the sources (when any are cited), the contact details (when there are any)
    slugs = [section.slug for section in document.sections] + (["sources"] if document.notes else []) + ["contact"]
    groups = sentence_groups(document)
    tracks = [(number, slug, [identifier for identifier, _ in group])
              for number, (slug, group) in enumerate(zip(slugs[: len(groups)], groups, strict=True), start=1)]
    sections = []
    for number, slug, ids in tracks:
        seconds = 0.3 + len(ids) * SENTENCE_SECONDS
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(32)
        encoder.set_in_sample_rate(16000)
        encoder.set_channels(1)
        encoder.set_quality(7)
        mp3 = encoder.encode(b"\x00\x00" * int(16000 * seconds)) + encoder.flush()
        name = f"audio/{number:02d}-{slug}.mp3"
        (out_dir / "audio").mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_bytes(mp3)
        timings = [{"id": sid, "start": round(0.1 + i * SENTENCE_SECONDS, 3),
                    "end": round(0.1 + (i + 0.8) * SENTENCE_SECONDS, 3)} for i, sid in enumerate(ids)]
        sections.append({"number": number, "slug": slug, "title": slug, "file": name, "duration": seconds,
                         "sentences": timings})
    return {"sections": sections}


def fake_job(document, out_dir: Path, pages=FAKE_PAGES, audio=True, terms: Terms | None = None) -> Job:
    results = {}
    if pages is not None:
        results["pdf"] = {"page_count": len(pages), "pages": pages}
    if audio:
        results["audio"] = fake_audio(document, out_dir)
    return Job(document, load_style(SOURCE.parent), terms or terms_for(document.meta.language), out_dir,
               out_dir / "cache", build_date(document), results=results)


@pytest.fixture(scope="module")
def fake(tmp_path_factory, document):
    out_dir = tmp_path_factory.mktemp("fake-epub")
    written = writer.write(fake_job(document, out_dir))
    return {path.name: path for path in written.files}


@pytest.fixture(scope="module")
def fake_text(fake, document):
    return fake[f"{document.slug}.epub"]


@pytest.fixture(scope="module")
def fake_read_aloud(fake, document):
    return fake[f"{document.slug}-read-aloud.epub"]


def test_fake_read_aloud_edition_with_page_list_passes_epubcheck(fake_read_aloud):
    assert checks.epubcheck(fake_read_aloud) == []


def test_page_markers_sit_before_the_sentences_that_start_the_pages(fake_text, fake_read_aloud, document):
    for path in (fake_text, fake_read_aloud):
        epub = checks.Epub(path)
        assert checks.page_list_problems(epub, document, FAKE_PAGES) == []
        assert checks.metadata_problems(epub, FAKE_PAGES) == []
        assert epub.meta("pageBreakSource")
        assert {"pageNavigation", "pageBreakMarkers"} <= set(epub.meta("schema:accessibilityFeature"))
        markers = [m for _, root in epub.documents
                   for m in root.xpath("//*[@epub:type='pagebreak']", namespaces=checks.NS)]
        assert [m.get("aria-label") for m in markers] == [p["label"] for p in FAKE_PAGES]
        # a marker is never inside a heading, where it would join the heading's spoken name
        assert not [m for m in markers if m.xpath("ancestor::x:h1 | ancestor::x:h2", namespaces=checks.NS)]


def test_fake_overlays_give_each_sentence_one_clip_in_order(fake_read_aloud, document):
    epub = checks.Epub(fake_read_aloud)
    assert checks.overlay_problems(epub, document) == []
    assert "synchronizedAudioText" in epub.meta("schema:accessibilityFeature")
    assert "auditory" in epub.meta("schema:accessMode")


def test_text_edition_claims_no_audio(fake_text):
    epub = checks.Epub(fake_text)
    assert "synchronizedAudioText" not in epub.meta("schema:accessibilityFeature")
    assert not epub.meta("media:duration")
    assert not [n for n in epub.zip.namelist() if n.endswith((".mp3", ".smil"))]


def test_without_booklet_pages_there_is_no_page_list_and_no_claim(tmp_path, document):
    written = writer.write(fake_job(document, tmp_path, pages=None, audio=False))
    assert [p.name for p in written.files] == [f"{document.slug}.epub"]
    epub = checks.Epub(written.files[0])
    assert not checks.nav(epub).xpath("//x:nav[@epub:type='page-list']", namespaces=checks.NS)
    assert "pageNavigation" not in epub.meta("schema:accessibilityFeature")
    assert not epub.meta("pageBreakSource")
    assert checks.metadata_problems(epub, None) == []


def test_two_builds_are_byte_identical(tmp_path, document):
    first = writer.write(fake_job(document, tmp_path / "a"))
    second = writer.write(fake_job(document, tmp_path / "b"))
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]
    names = zipfile.ZipFile(first.files[0]).infolist()
    assert names[0].filename == "mimetype" and names[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in names} == {build_date(document).utctimetuple()[:6]}


def test_every_fixed_word_comes_from_the_terms(tmp_path, document):
    """With each EPUB and cover term replaced by a bracketed marker keeping its
    fields, the words the writer adds (accessibility summary, page source,
    contents, landmarks, page list, cover description) are markers, the
    source's own words and punctuation, nothing else."""
    english = terms_for("en-GB")
    keys = [key for key in english.entries if key.startswith(("epub_", "cover_"))]
    markers = {key: f"[{key}{''.join(f' {{{name}}}' for name in sorted(fields(english(key))))}]" for key in keys}
    terms = Terms("en-GB", {**english.entries, **markers})
    meta = document.meta
    for path in writer.write(fake_job(document, tmp_path, terms=terms)).files:
        epub = checks.Epub(path)
        nav = checks.nav(epub)
        cover = [img.get("alt") for _, root in epub.documents for img in root.xpath("//x:img[@role='doc-cover']",
                                                                                    namespaces=checks.NS)]
        added = [*epub.meta("schema:accessibilitySummary"), *epub.meta("pageBreakSource"), *cover,
                 *nav.xpath("//x:head/x:title/text() | //x:nav//x:h1/text() | //x:nav/@aria-label"
                            " | //x:nav[@epub:type='landmarks']//x:a/text()", namespaces=checks.NS)]
        assert len(added) == 10  # summary, page source, cover; title, heading, two navs named, three landmarks
        for text in added:
            remaining = text
            while re.search(r"\[[a-z_]+[^\[\]]*\]", remaining):  # innermost markers first
                remaining = re.sub(r"\[[a-z_]+[^\[\]]*\]", "", remaining)
            for words in (meta.subtitle, meta.publisher):  # the cover's description ends with them
                remaining = remaining.replace(words, "")
            assert remaining.strip(" .") == "", f"{path.name}: words from no term in {text!r}"


def test_the_html_pages_without_epub_vocabulary_keep_ids_roles_and_sentences(document):
    """The pages the EPUB packages are format-neutral (``writers/html``): written
    without EPUB's epub:type, as a web edition would, every id, ARIA role and
    sentence span stays, and only the EPUB namespace goes."""
    from publisher.writers.html import HtmlWriter, PageMarks

    def pages(epub_types: bool) -> list:
        html = HtmlWriter(document, PageMarks.from_pages(FAKE_PAGES), wrap_sentences=True, epub_types=epub_types)
        written = [html.cover("images/cover.png", "A cover"), *map(html.section, document.sections), html.contact()]
        return [etree.fromstring(page.markup) for page in written]

    def attributes(roots: list, name: str) -> list:
        return [value for root in roots for value in root.xpath(f"//@{name}", namespaces=checks.NS)]

    epub, web = pages(epub_types=True), pages(epub_types=False)
    assert attributes(web, "id") == attributes(epub, "id") and attributes(web, "role") == attributes(epub, "role")
    assert set(document_sentences(document)) <= {(span.get("id"), "".join(span.itertext()))
                                                  for root in web for span in root.iter(f"{{{checks.NS['x']}}}span")}
    assert attributes(epub, "epub:type") and not [r for r in web if b"idpf.org" in etree.tostring(r)]


def test_an_uninstalled_print_font_is_bad_input_naming_the_house_style(tmp_path):
    """The cover is drawn, and the font embedded, in the house style's print family."""
    from publisher.diagnostics import SourceError
    from publisher.reader import read

    (tmp_path / "tiny.md").write_text("---\ntitle: Tiny\nlanguage: en-GB\npublisher: Test Press\n---\n\nWords.\n",
                                      encoding="utf-8")
    document = read(tmp_path / "tiny.md")

    def job() -> Job:
        return Job(document, load_style(tmp_path), terms_for("en-GB"), tmp_path / "out", tmp_path / "cache",
                   build_date(document))

    writer.prepare(job())  # the default family is installed
    (tmp_path / "house-style.yaml").write_text("fonts:\n  print: No Such Family\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        writer.prepare(job())
    found = raised.value.diagnostic
    assert (Path(found.file).name, found.line) == ("house-style.yaml", 2) and "print font" in found.message


# The checks can fail -------------------------------------------------------------


def replaced(path: Path, target: Path, name: str, change) -> Path:
    """A copy of an EPUB with one entry changed."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, change(data) if info.filename == name else data)
    return target


def test_overlay_check_catches_a_missing_clip_and_a_wrong_duration(fake_read_aloud, document, tmp_path):
    smil = next(n for n in zipfile.ZipFile(fake_read_aloud).namelist() if n.endswith("contact.smil"))

    def drop_first_par(data: bytes) -> bytes:
        root = etree.fromstring(data)
        par = root.xpath("//smil:par", namespaces=checks.NS)[0]
        par.getparent().remove(par)
        return etree.tostring(root)

    broken = replaced(fake_read_aloud, tmp_path / "broken.epub", smil, drop_first_par)
    problems = checks.overlay_problems(checks.Epub(broken), document)
    assert any("one to one" in p for p in problems) and any("media:duration" in p for p in problems)


def test_structure_check_catches_italics_and_a_lost_word(fake_text, document, tmp_path):
    italic = replaced(fake_text, tmp_path / "italic.epub", "EPUB/style.css",
                      lambda css: css + b"\nblockquote { font-style: italic; }")
    assert any("italic" in p for p in checks.structure_problems(checks.Epub(italic), document))
    lost = replaced(fake_text, tmp_path / "lost.epub", "EPUB/section-03-tuning-into-your-baby.xhtml",
                    lambda xhtml: xhtml.replace(b"negligible", b""))
    assert any("negligible" in p for p in checks.structure_problems(checks.Epub(lost), document))


def test_epubcheck_catches_a_broken_package(fake_text, tmp_path):
    broken = replaced(fake_text, tmp_path / "broken.epub", "EPUB/package.opf",
                      lambda opf: opf.replace(b"<dc:language>en-GB</dc:language>", b""))
    assert any(f.severity == "error" for f in checks.epubcheck(broken))


def test_ace_catches_missing_accessibility_metadata(fake_text, tmp_path):
    if checks.ace_command() is None:
        pytest.skip("Ace by DAISY is not installed: run tools/install-ace")
    root = etree.fromstring(zipfile.ZipFile(fake_text).read("EPUB/package.opf"))
    for meta in root.xpath("//opf:meta[starts-with(@property, 'schema:')]", namespaces=checks.NS):
        meta.getparent().remove(meta)
    broken = replaced(fake_text, tmp_path / "no-a11y.epub", "EPUB/package.opf", lambda _: etree.tostring(root))
    assert checks.ace(broken), "Ace should report the missing schema.org accessibility metadata"


# Styled runs, pictures and sub-headings ------------------------------------------

STYLED_SOURCE = """---
title: Styled guidance
language: en-GB
publisher: Test Press
---

Plain start. **Bold across. Two sentences** then *an emphasised
end. And more.* A [link across. Sentences](https://example.org/a) ends.

## Pictures

![A parent smiling at a baby](images/smile.png "Smiles matter. Caption two.")

### Smaller heading

3. Third item. Still third.
4. Fourth item.
"""


@pytest.fixture(scope="module")
def styled(tmp_path_factory):
    from PIL import Image as Picture

    from publisher.reader import read

    folder = tmp_path_factory.mktemp("styled")
    (folder / "images").mkdir()
    Picture.new("RGB", (40, 30), "#1F4E79").save(folder / "images" / "smile.png")
    (folder / "styled.md").write_text(STYLED_SOURCE, encoding="utf-8")
    document = read(folder / "styled.md")
    written = writer.write(fake_job(document, folder / "output", pages=None))
    return document, {path.name: path for path in written.files}


def test_sentences_crossing_styled_runs_keep_their_style(styled):
    document, files = styled
    epub = checks.Epub(files["styled-read-aloud.epub"])
    assert checks.overlay_problems(epub, document) == []
    spans = {span.get("id"): span for _, root in epub.documents for span in root.iter(f"{{{checks.NS['x']}}}span")}
    for section in document.sections:
        for sentence in section_sentences(section):
            assert "".join(spans[sentence.id].itertext()) == sentence.text
    # the bold run cut at the sentence edge: each half stays bold inside its own sentence
    assert spans["s1-2"].xpath("string(x:strong)", namespaces=checks.NS) == "Bold across."
    assert spans["s1-3"].xpath("string(x:strong)", namespaces=checks.NS) == "Two sentences"
    assert spans["s1-5"].xpath("string(x:a/@href)", namespaces=checks.NS) == "https://example.org/a"
    assert spans["s1-6"].xpath("string(x:a/@href)", namespaces=checks.NS) == "https://example.org/a"
    # the spaces between sentences are plain: no link or bold made of a space
    assert not [e for e in spans["s1-1"].getparent() if not "".join(e.itertext()).strip()]


def test_pictures_keep_descriptions_and_captions(styled):
    document, files = styled
    for path in files.values():
        epub = checks.Epub(path)
        assert checks.structure_problems(epub, document) == []
        assert checks.metadata_problems(epub, None) == []
        assert [h for i in epub.items.values() if re.fullmatch(r"images/smile-[0-9a-f]{12}\.png", h := i.get("href"))]
        figure = [f for _, root in epub.documents for f in root.xpath("//x:figure[x:img]", namespaces=checks.NS)]
        assert [f.xpath("string(x:img/@alt)", namespaces=checks.NS) for f in figure] == ["A parent smiling at a baby"]
        assert "Smiles matter." in "".join(figure[0].itertext())
        assert "alternativeText" in epub.meta("schema:accessibilityFeature")
        headings = [h.tag.split("}")[1] for _, root in epub.documents
                    for h in root.xpath("//x:h1 | //x:h2", namespaces=checks.NS)]
        assert headings.count("h2") == 1  # "### Smaller heading" sits under its section's h1
        lists = [ol for _, root in epub.documents for ol in root.xpath("//x:section//x:ol", namespaces=checks.NS)]
        assert [ol.get("start") for ol in lists] == ["3"]
    assert checks.epubcheck(files["styled-read-aloud.epub"]) == []


# Any document ----------------------------------------------------------------------

PAGES_AROUND_FIRST_SENTENCE = [{"label": "1", "sentence": None}, {"label": "2", "sentence": "s1-1"},
                               {"label": "3", "sentence": None}]


def test_any_document_keeps_words_sentences_pages_and_clips(tmp_path_factory):
    """Generated documents (the fuzz test's strategy): every word in order, every
    sentence wrapped once with one clip, pages placed, claims true."""
    from hypothesis import HealthCheck, given, settings

    from publisher.diagnostics import SourceError
    from publisher.reader import read
    from test_fuzz import markdown_document

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(source=markdown_document())
    def check_one(source):
        root = Path(tmp_path_factory.mktemp("any"))
        (root / "any.md").write_text(source, encoding="utf-8")
        try:
            document = read(root / "any.md")
        except SourceError:
            return
        written = writer.write(fake_job(document, root / "out", pages=PAGES_AROUND_FIRST_SENTENCE))
        for path in written.files:
            epub = checks.Epub(path)
            problems = checks.structure_problems(epub, document) + checks.metadata_problems(epub, None)
            problems += checks.page_list_problems(epub, document, PAGES_AROUND_FIRST_SENTENCE)
            if path.name.endswith("-read-aloud.epub"):
                problems += checks.overlay_problems(epub, document)
            assert problems == [], source

    check_one()


def test_ebooklib_reopens_each_edition(edition, document):
    """ebooklib, Python's EPUB library, reads the package back: a second,
    independent parser agreeing on title, language, identifier and spine."""
    from ebooklib import epub as ebooklib_epub

    book = ebooklib_epub.read_epub(str(edition), {"ignore_ncx": True})
    assert book.get_metadata("DC", "title")[0][0] == document.meta.title
    assert book.get_metadata("DC", "language")[0][0] == document.meta.language
    assert book.get_metadata("DC", "identifier")[0][0] == document.meta.identifier
    assert len(book.spine) >= len(document.sections)
