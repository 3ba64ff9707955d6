"""The web edition's pages: the shared HTML writer's pages, dressed for a browser.

``WebPages`` is the EPUB's ``HtmlWriter`` without EPUB's vocabulary, with
every sentence in its span (the same ids as the read-aloud EPUB and the
audio's timings), page files named .html, and printed pages marked by plain
anchors. Each page it writes is kept as a tree; ``dress`` then adds what a
browser needs around the text: the viewport, a skip link, the site header
with the reading settings, the player, the way to the previous and next
page, and the sentence timings. ``index`` writes the front page. Everything
is serialised as HTML (not XHTML): browsers and the Nu validator read it as
the web is read, and a file opened from a USB stick needs no server to say
what it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from ...contract import Edition, Job, TrackData
from ...model import Section
from ...terms import terms_for
from ..html import XHTML, XML_LANG, HtmlWriter, Page, PageMarks, add_text, element, other_formats, review_line

PLAYER = "player.js"
SPEEDS = ("0.75", "1", "1.25", "1.5")
INDEX = "index.html"
# Elements after which a line break is written: where white space means
# nothing to a renderer, so that the files read well and diff line by line.
BLOCKS = ("head", "meta", "title", "link", "script", "body", "div", "header", "footer", "main", "nav", "section",
          "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "figure", "blockquote", "figcaption", "aside",
          "address", "img", "table", "caption", "thead", "tbody", "tr", "details", "summary", "form", "label",
          "audio", "select", "option")


class WebPages(HtmlWriter):
    """The shared pages, for a browser; ``trees`` keeps each page's element tree by file name."""

    notes_file = "notes.html"
    own_format = "web"

    def __init__(self, job: Job, marks: PageMarks):
        super().__init__(job.document, marks, wrap_sentences=True, epub_types=False, job=job)
        self.trees: dict[str, etree._Element] = {}

    def section_file(self, section: Section) -> str:
        return f"section-{section.number:02d}-{section.slug}.html"

    def page_marker(self, parent, label: str, identifier: str) -> None:
        """Where a printed page begins: an anchor a link can point at ("see page 5"),
        with no role. axe-core 4.14 refuses the EPUB's empty, labelled
        ``role="doc-pagebreak"`` span (aria-prohibited-attr)."""
        self.element(parent, "span", id=identifier, data_page=label, **{"class": "page-start"})

    def page(self, content: Page, *, body_type: str = ""):
        if content.name.endswith(".xhtml"):  # the contact page's fixed name
            content.name = content.name.removesuffix(".xhtml") + ".html"
        return super().page(content, body_type=body_type)

    def finish(self, content: Page, html) -> Page:
        self.trees[content.name] = html
        return content


@dataclass
class Chrome:
    """What every page shares: the publication's title, its terms, the draft mark."""

    job: Job
    pages: Sequence[Page]  # in reading order, for the way to the previous and next page
    tracks: dict[str, TrackData] = field(default_factory=dict)  # page name → the audio track it plays

    @property
    def terms(self):
        return self.job.terms

    def head(self, html, title: str) -> None:
        """The head's additions: the viewport, the page's title, the player (run
        before the body is drawn, so a chosen theme shows without a flash)."""
        head = html.find(f"{{{XHTML}}}head")
        charset = head.find(f"{{{XHTML}}}meta")
        viewport = etree.Element(f"{{{XHTML}}}meta", name="viewport", content="width=device-width, initial-scale=1")
        charset.addnext(viewport)
        head.find(f"{{{XHTML}}}title").text = title
        stylesheet = head.find(f"{{{XHTML}}}link")
        stylesheet.attrib.pop("type", None)
        if self.job.options.get("draft"):
            viewport.addnext(etree.Element(f"{{{XHTML}}}meta", name="robots", content="noindex"))
        element(head, "script", src=PLAYER)

    def dress(self, page: Page, html) -> None:
        """A written page with the site around it."""
        document_title = self.job.document.meta.title
        title = page.title if page.title == document_title else self.terms("web_page_title", page=page.title,
                                                                              title=document_title)
        self.head(html, title)
        body = html.find(f"{{{XHTML}}}body")
        content = list(body)
        main = self.frame(body, home=False)
        track = self.tracks.get(page.name)
        if track is not None:
            self.player(main, track)
        for child in content:
            main.append(child)
        self.pager(main.getparent(), page)
        self.footer(main.getparent())
        if track is not None:
            timings = [{"id": s["id"], "start": round(s["start"], 3), "end": round(s["end"], 3)}
                       for s in track["sentences"] if s["id"] in set(page.sentences)]
            element(body, "script", json.dumps(timings, separators=(",", ":")), type="application/json",
                    id="timings")

    def frame(self, body, *, home: bool):
        """The skip link, the site header (the draft mark, the way home, the
        reading settings) and an empty <main>, returned."""
        terms = self.terms
        for attribute in [name for name in body.attrib if name != "dir"]:
            del body.attrib[attribute]
        outer = element(body, "div", **{"class": "page"})
        element(outer, "a", terms("web_skip"), href="#main", **{"class": "skip"})
        header = element(outer, "header", **{"class": "site"})
        if self.job.options.get("draft"):
            element(header, "p", terms("web_draft"), **{"class": "draft"})
        if not home:
            element(element(header, "p"), "a", self.job.document.meta.title, href=INDEX)
        self.settings(header)
        return element(outer, "main", id="main")

    def settings(self, parent) -> None:
        """The reading comfort settings: hidden until player.js runs (they need it) and keeps them on the device."""
        terms = self.terms
        details = element(parent, "details", hidden="hidden", data_comfort="", **{"class": "comfort"})
        element(details, "summary", terms("web_settings"))
        form = element(details, "form")
        choices = (("size", "web_text_size", (("", "web_size_standard"), ("large", "web_size_large"),
                                              ("larger", "web_size_larger"))),
                   ("spacing", "web_line_spacing", (("", "web_spacing_standard"), ("wide", "web_spacing_wide"),
                                                   ("wider", "web_spacing_wider"))),
                   ("theme", "web_colours", (("", "web_colours_device"), ("light", "web_colours_light"),
                                             ("dark", "web_colours_dark"), ("cream", "web_colours_cream"))))
        for name, label, options in choices:
            wrapper = element(form, "label", terms(label))
            select = element(wrapper, "select", name=name)
            for value, words in options:
                element(select, "option", terms(words), value=value)
        dyslexia = element(form, "label")
        element(dyslexia, "input", type="checkbox", name="dyslexia", value="on")
        add_text(dyslexia, " " + terms("web_dyslexia"))

    def player(self, parent, track: TrackData) -> None:
        """The native audio player with its options: speed and pausing after each
        sentence, and buttons to go back or on a sentence (the keyboard's way to
        what a tap on a sentence does). The options need player.js: hidden until it runs."""
        terms = self.terms
        source = f"audio/{track['file'].rsplit('/', 1)[-1]}"
        region = element(parent, "div", **{"class": "listen"})
        element(region, "p", terms("web_listen"), id="listen-label")
        audio = element(region, "audio", controls="controls", preload="metadata", src=source,
                        aria_labelledby="listen-label", data_player="")
        element(audio, "a", terms("web_audio_file"), href=source)
        options = element(region, "div", hidden="hidden", data_listen_options="", **{"class": "listen-options"})
        element(options, "button", terms("web_previous_sentence"), type="button", data_step="-1")
        element(options, "button", terms("web_next_sentence"), type="button", data_step="1")
        pause = element(options, "label")
        element(pause, "input", type="checkbox", name="pause-after", value="on")
        add_text(pause, " " + terms("web_pause_after"))
        speed = element(element(options, "label", terms("web_speed") + " "), "select", name="speed")
        for value in SPEEDS:
            element(speed, "option", f"{value}×", value=value, **({"selected": "selected"} if value == "1" else {}))
        element(region, "p", terms("web_tap_sentence"), hidden="hidden", data_listen_hint="")

    def pager(self, parent, page: Page) -> None:
        """The previous and next pages, and the contents."""
        names = [p.name for p in self.pages]
        at = names.index(page.name)
        nav = element(parent, "nav", aria_label=self.terms("web_pages"), **{"class": "pager"})
        listing = element(nav, "ul")
        if at > 0:
            element(element(listing, "li"), "a", self.terms("web_previous", title=self.pages[at - 1].title),
                    href=self.pages[at - 1].name, rel="prev")
        element(element(listing, "li"), "a", self.terms("web_contents"), href=INDEX)
        if at + 1 < len(self.pages):
            element(element(listing, "li"), "a", self.terms("web_next", title=self.pages[at + 1].title),
                    href=self.pages[at + 1].name, rel="next")

    def footer(self, parent) -> None:
        meta = self.job.document.meta
        lines = [line for line in (review_line(self.job.document, self.terms), meta.rights) if line]
        if lines:
            footer = element(parent, "footer", **{"class": "site"})
            for line in lines:
                element(footer, "p", line)

    def index(self, writer: WebPages) -> bytes:
        """The front page: the title, the contents, the other formats and the other languages."""
        job, terms = self.job, self.terms
        meta = job.document.meta
        html, body = writer.page(Page(INDEX, meta.title, kind="cover"))
        self.head(html, meta.title)
        main = self.frame(body, home=True)
        element(main, "h1", meta.title)
        if meta.subtitle:
            element(main, "p", meta.subtitle, **{"class": "subtitle"})
        if meta.publisher:
            element(main, "p", meta.publisher)
        contents = element(main, "nav", aria_labelledby="h-contents", **{"class": "contents"})
        element(contents, "h2", terms("web_contents"), id="h-contents")
        listing = element(contents, "ol")
        for page in self.pages:
            element(element(listing, "li"), "a", page.title, href=page.name)
        formats = element(main, "section", aria_labelledby="h-formats")
        element(formats, "h2", terms("web_other_formats"), id="h-formats")
        listing = element(formats, "ul")
        for description in other_formats(terms, "web"):
            element(listing, "li", description)
        url = writer.formats_url()
        if url:
            download = element(formats, "p")
            before, _, after = terms("web_download_from", url="\0").partition("\0")
            add_text(download, before)
            element(download, "a", url, href=url)
            add_text(download, after)
        self.languages(main)
        self.footer(main.getparent())
        return serialise(html)

    def languages(self, parent) -> None:
        """This publication in every other language, each link in its own language and direction."""
        others: list[Edition] = [e for e in self.job.editions if e.slug != self.job.document.slug]
        if not others:
            return
        section = element(parent, "section", aria_labelledby="h-languages")
        element(section, "h2", self.terms("web_other_languages"), id="h-languages")
        listing = element(section, "ul")
        for edition in others:
            direction = "rtl" if terms_for(edition.language).right_to_left else "ltr"
            item = element(listing, "li", lang=edition.language, dir=direction)
            link = element(item, "a", href=f"../../{edition.slug}/web/{INDEX}", hreflang=edition.language)
            element(link, "strong", edition.name)
            add_text(link, f": {edition.title}")


def serialise(html) -> bytes:
    """The page as HTML: no XML declaration or namespaces, void elements as HTML writes them."""
    for node in html.iter(*(f"{{{XHTML}}}{tag}" for tag in BLOCKS)):
        if not (node.tail or "").strip():
            node.tail = "\n"
    for node in html.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
        node.attrib.pop(XML_LANG, None)
    etree.cleanup_namespaces(html)
    return b"<!DOCTYPE html>\n" + lxml.html.tostring(html, encoding="utf-8", method="html")
