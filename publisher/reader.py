"""The one reader: a Markdown source with YAML front matter → a Document.

markdown-it-py does the CommonMark parsing; this module only turns its token
stream into the model and refuses what the model cannot carry faithfully,
with a message naming file and line. Writers never see Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any, Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .diagnostics import WARNING, Diagnostic, SourceError
from .model import (
    Block,
    Callout,
    Contact,
    Disclaimer,
    Document,
    Heading,
    Image,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Run,
    Runs,
    Section,
)
from .sourcefiles import decode_utf8, display_path, load_yaml_mapping
from .text import slugify

CONTAINERS = ("callout",)
ATTRIBUTION_DASH = "—"
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
# BCP 47 in the shape publishers use: language, optional script, region, variants.
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")

_parser = (
    MarkdownIt("commonmark")
    .use(front_matter_plugin)
    # Any ":::" fence becomes a container token, so an unknown name can be
    # reported by name instead of silently turning into a paragraph.
    .use(container_plugin, name="any", validate=lambda params, markup: True)
)


def read(path: Path | str) -> Document:
    """Parse one source file. Raises SourceError on anything it cannot carry."""
    path = Path(path)
    return _Reader(path).document()


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.shown = display_path(path)
        self.folder = path.resolve().parent
        self.warnings: list[Diagnostic] = []

    # -- errors ---------------------------------------------------------------

    def fail(self, line: int, message: str, hint: str = "") -> SourceError:
        return SourceError(self.shown, line, message, hint)

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.warnings.append(Diagnostic(WARNING, str(self.shown), message, line, hint))

    # -- whole file -----------------------------------------------------------

    def document(self) -> Document:
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise SourceError(self.shown, 0, f"cannot read the file: {error.strerror}") from None
        text = decode_utf8(self.path, data)
        if not text.strip():
            raise self.fail(1, "the file is empty", "start with front matter: a '---' line, 'title: …', '---'")
        tokens = _parser.parse(text)
        if not tokens or tokens[0].type != "front_matter":
            raise self.fail(1, "the file has no front matter",
                            "start with a '---' line, then 'title: …' and 'language: …', then '---'")
        meta = self.metadata(tokens[0])
        sections = self.sections(tokens[1:], meta)
        return Document(self.path.stem, self.path, meta, sections, tuple(self.warnings))

    # -- front matter ----------------------------------------------------------

    def metadata(self, token: Token) -> Metadata:
        data, lines = load_yaml_mapping(self.path, token.content, first_line=2)
        fields: dict[str, Any] = {}
        for key, value in data.items():
            line = lines.get(str(key), 2)
            if key not in FRONT_MATTER:
                known = ", ".join(sorted(FRONT_MATTER))
                raise self.fail(line, f"unknown front-matter key '{key}'", f"the keys are: {known}")
            fields[key] = FRONT_MATTER[key](self, key, value, line)
        for key in ("title", "language", "publisher"):
            if not fields.get(key):
                raise self.fail(1, f"the front matter has no '{key}'", f"add a line '{key}: …' between the '---' lines")
        fields.setdefault("date", "1970-01-01")
        fields.setdefault("identifier", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, fields['publisher'] + '/' + self.path.stem)}")
        return Metadata(**fields)

    def _text(self, key: str, value: Any, line: int) -> str:
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(line, f"'{key}' should be text, not {_kind(value)}")
        return value.strip()

    def _texts(self, key: str, value: Any, line: int) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(line, f"'{key}' should be a list of text, not {_kind(value)}")
        return tuple(v.strip() for v in value)

    def _language(self, key: str, value: Any, line: int) -> str:
        tag = self._text(key, value, line)
        if not LANGUAGE_TAG.match(tag):
            raise self.fail(line, f"'{tag}' is not a language tag", "use a BCP 47 tag such as en-GB, cy or pl")
        return tag

    def _date(self, key: str, value: Any, line: int) -> str:
        text = self._text(key, value, line)
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise self.fail(line, f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2024-05-01") from None

    def _mapping(self, key: str, value: Any, line: int, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(line, f"'{key}' should be a group of 'name: value' lines, not {_kind(value)}")
        for name in value:
            if name not in allowed:
                raise self.fail(line, f"unknown key '{name}' in '{key}'", f"the keys are: {', '.join(allowed)}")
        return value

    def _contact(self, key: str, value: Any, line: int) -> Contact:
        fields = self._mapping(key, value, line, ("heading", "address_label", "address", "phone", "email", "website"))
        result = {name: self._text(f"{key}.{name}", v, line) for name, v in fields.items() if name != "address"}
        if "address" in fields:
            result["address"] = self._texts(f"{key}.address", fields["address"], line)
        if not result.get("heading"):
            raise self.fail(line, f"'{key}' needs a 'heading'")
        return Contact(**result)

    def _disclaimer(self, key: str, value: Any, line: int) -> Disclaimer:
        if isinstance(value, str):
            return Disclaimer(value.strip())
        fields = self._mapping(key, value, line, ("text", "link"))
        link = fields.get("link")
        disclaimer = Disclaimer(self._text(f"{key}.text", fields.get("text", ""), line),
                                None if link is None else self._text(f"{key}.link", link, line))
        if disclaimer.link == "":
            self.warn(line, f"the disclaimer link '{disclaimer.text}' has no target yet",
                      "its words are printed without a link until you give 'link: <address>'")
        return disclaimer

    def _cover(self, key: str, value: Any, line: int) -> Image:
        fields = self._mapping(key, value, line, ("src", "alt"))
        return self.image(self._text("cover.src", fields.get("src", ""), line),
                          self._text("cover.alt", fields.get("alt", ""), line), line)

    # -- images ---------------------------------------------------------------

    def image(self, src: str, alt: str, line: int, caption: str = "") -> Image:
        if not alt.strip():
            raise self.fail(line, f"the image '{src}' has no alt text",
                            "describe it in the brackets: ![A parent smiling at a baby](images/smile.png)")
        target = (self.folder / src).resolve()
        if not target.is_relative_to(self.folder):
            raise self.fail(line, f"the image '{src}' lies outside the source folder",
                            f"copy it into {display_path(self.folder / 'images')}/ and link to it there")
        if not target.is_file():
            raise self.fail(line, f"the image '{src}' does not exist", f"looked for {display_path(target)}")
        with target.open("rb") as handle:
            head = handle.read(8)
        if not head.startswith(IMAGE_SIGNATURES):
            raise self.fail(line, f"'{src}' is not a PNG, JPEG or GIF image")
        return Image(target, alt.strip(), line, caption)

    # -- body -----------------------------------------------------------------

    def sections(self, tokens: list[Token], meta: Metadata) -> tuple[Section, ...]:
        blocks = self.blocks(_Cursor(tokens), closing=None)
        sections: list[Section] = []
        current: list[Block] = []
        heading: Heading | None = None
        line = blocks[0].line if blocks else 1

        def close() -> None:
            if heading is None and not current:
                return
            title = heading.text if heading else meta.title
            number = len(sections) + 1
            slug = slugify(title, fallback=f"section-{number}")
            sections.append(Section(number, slug, title, heading, tuple(current), line))

        previous_level = 1
        for block in blocks:
            if isinstance(block, Heading):
                if block.level > previous_level + 1:
                    self.warn(block.line, f"heading level {block.level} follows level {previous_level}",
                              "screen-reader users navigate by level; do not skip one")
                previous_level = block.level
                if block.level == 2:
                    close()
                    heading, current, line = block, [], block.line
                    continue
            current.append(block)
        close()
        if not sections:
            raise self.fail(1, "the file has front matter but no text")
        return tuple(sections)

    def blocks(self, cursor: "_Cursor", closing: str | None) -> list[Block]:
        blocks: list[Block] = []
        while not cursor.done():
            token = cursor.next()
            line = _line(token)
            kind = token.type
            if closing and kind == closing:
                return blocks
            if kind == "heading_open":
                level = int(token.tag[1])
                if level == 1:
                    raise self.fail(line, "a '#' heading in the text",
                                    "the title comes from the front matter; start sections with '##'")
                blocks.append(Heading(level, self.inline(cursor.next(), line), line))
                cursor.expect("heading_close")
            elif kind == "paragraph_open":
                blocks.append(self.paragraph(cursor.next(), line))
                cursor.expect("paragraph_close")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self.list_block(cursor, token, line))
            elif kind == "blockquote_open":
                blocks.append(self.quote(cursor, line))
            elif kind == "container_any_open":
                blocks.append(self.callout(cursor, token, line, inside=closing))
            elif kind == "hr":
                continue  # a thematic break carries no words; spacing is the writers' job
            elif kind == "html_block" and _is_comment(token.content):
                continue  # editors' notes to each other, never published
            elif kind in ("html_block", "html_inline"):
                raise self.fail(line, "raw HTML is not allowed in the source",
                                "use Markdown: **bold**, [link text](address), ![alt text](images/x.png)")
            elif kind in ("fence", "code_block"):
                raise self.fail(line, "code blocks are not supported",
                                "lines indented by four spaces become code: remove the indent")
            else:
                raise self.fail(line, f"unexpected Markdown ({kind})")
        if closing:
            raise self.fail(_line(cursor.tokens[-1]) if cursor.tokens else 1, "a block was not closed")
        return blocks

    def paragraph(self, inline: Token, line: int) -> Block:
        children = inline.children or []
        images = [c for c in children if c.type == "image"]
        if images:
            rest = "".join(c.content for c in children if c.type not in ("image", "softbreak"))
            if len(images) > 1 or rest.strip():
                raise self.fail(line, "an image shares its paragraph with text",
                                "put each image in a paragraph of its own, with a blank line around it")
            image = images[0]
            return self.image(image.attrGet("src") or "", image.content, line, str(image.attrGet("title") or ""))
        return Paragraph(self.inline(inline, line), line)

    def inline(self, inline: Token, line: int) -> Runs:
        runs: list[Run] = []
        strong = emphasis = 0
        link: str | None = None
        for child in inline.children or []:
            kind = child.type
            if kind in ("text", "code_inline"):
                _append(runs, Run(child.content, strong > 0, emphasis > 0, link))
            elif kind in ("softbreak", "hardbreak"):
                _append(runs, Run(" ", strong > 0, emphasis > 0, link))
            elif kind in ("strong_open", "strong_close"):
                strong += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                emphasis += 1 if kind.endswith("open") else -1
            elif kind == "link_open":
                link = str(child.attrGet("href") or "")
                if not link:
                    self.warn(line, "a link has no target yet", "its words are kept; add the address in the brackets ( )")
            elif kind == "link_close":
                link = None
            elif kind == "html_inline" and _is_comment(child.content):
                continue
            elif kind == "html_inline":
                raise self.fail(line, "raw HTML is not allowed in the source",
                                "use Markdown: **bold**, [link text](address)")
            elif kind == "image":
                raise self.fail(line, "an image inside a heading, list or quote",
                                "put each image in a paragraph of its own")
            else:
                raise self.fail(line, f"unexpected inline Markdown ({kind})")
        # Trim the edges so "  text " and "text" compare equal.
        if runs:
            runs[0] = _replace_text(runs[0], runs[0].text.lstrip())
            runs[-1] = _replace_text(runs[-1], runs[-1].text.rstrip())
        return tuple(run for run in runs if run.text)

    def list_block(self, cursor: "_Cursor", opening: Token, line: int) -> ListBlock:
        ordered = opening.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[Runs] = []
        while True:
            token = cursor.next()
            if token.type == close:
                break
            if token.type != "list_item_open":
                raise self.fail(_line(token), "unexpected Markdown in a list")
            parts: list[Runs] = []
            for block in self.blocks(cursor, closing="list_item_close"):
                if not isinstance(block, Paragraph):
                    raise self.fail(block.line, "a list item may hold only text",
                                    "nested lists, quotes and images inside list items are not supported")
                parts.append(block.runs)
            items.append(_join(parts))
        start = int(opening.attrGet("start") or 1) if ordered else 1
        return ListBlock(ordered, tuple(items), line, start)

    def quote(self, cursor: "_Cursor", line: int) -> Quote:
        paragraphs: list[Paragraph] = []
        for block in self.blocks(cursor, closing="blockquote_close"):
            if not isinstance(block, Paragraph):
                raise self.fail(block.line, "a quote may hold only paragraphs",
                                "end it with a line starting with an em dash (—) for who said it")
            paragraphs.append(block)
        attribution: Runs = ()
        if paragraphs and paragraphs[-1].text.startswith(ATTRIBUTION_DASH):
            last = paragraphs.pop()
            first = last.runs[0]
            attribution = (_replace_text(first, first.text[len(ATTRIBUTION_DASH):].lstrip()),) + last.runs[1:]
        if not paragraphs:
            raise self.fail(line, "the quote has no text, only an attribution")
        return Quote(tuple(paragraphs), tuple(r for r in attribution if r.text), line)

    def callout(self, cursor: "_Cursor", token: Token, line: int, inside: str | None) -> Callout:
        name, _, title = token.info.strip().partition(" ")
        if name not in CONTAINERS:
            raise self.fail(line, f"unknown container '::: {name}'", f"the containers are: {', '.join(CONTAINERS)}")
        if inside == "container_any_close":
            raise self.fail(line, "a callout inside a callout is not supported")
        blocks = self.blocks(cursor, closing="container_any_close")
        # markdown-it closes an unclosed container at the end of the file with
        # a token that has no ':::' markup of its own.
        if not cursor.tokens[cursor.position - 1].markup:
            raise self.fail(line, f"the '::: {name}' container is never closed", "end it with a line ':::'")
        if any(isinstance(b, Heading) and b.level == 2 for b in blocks):
            raise self.fail(line, "a '##' section heading inside a callout")
        return Callout(title.strip(), tuple(blocks), line)


class _Cursor:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.position = 0

    def done(self) -> bool:
        return self.position >= len(self.tokens)

    def next(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, kind: str) -> None:
        token = self.next()
        assert token.type == kind, f"expected {kind}, got {token.type}"


def _line(token: Token) -> int:
    """The 1-based source line of a token (front matter included in the count)."""
    return token.map[0] + 1 if token.map else 0


def _is_comment(html: str) -> bool:
    html = html.strip()
    return html.startswith("<!--") and html.endswith("-->") and "-->" not in html[4:-3]


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a group of keys", type(None): "nothing"}.get(type(value), type(value).__name__)


def _replace_text(run: Run, text: str) -> Run:
    return Run(text, run.strong, run.emphasis, run.link)


def _append(runs: list[Run], run: Run) -> None:
    """Merge with the previous run when the attributes match."""
    if runs and (runs[-1].strong, runs[-1].emphasis, runs[-1].link) == (run.strong, run.emphasis, run.link):
        runs[-1] = _replace_text(runs[-1], runs[-1].text + run.text)
    else:
        runs.append(run)


def _join(parts: list[Runs]) -> Runs:
    joined: list[Run] = []
    for number, runs in enumerate(parts):
        if number:
            _append(joined, Run(" "))
        for run in runs:
            _append(joined, run)
    return tuple(joined)


FieldReader = Callable[["_Reader", str, Any, int], Any]

# The front-matter keys and how each is read: the schema, as data.
FRONT_MATTER: dict[str, FieldReader] = {
    "title": _Reader._text,
    "subtitle": _Reader._text,
    "language": _Reader._language,
    "publisher": _Reader._text,
    "authors": _Reader._texts,
    "date": _Reader._date,
    "version": _Reader._text,
    "identifier": _Reader._text,
    "rights": _Reader._text,
    "description": _Reader._text,
    "subject": _Reader._text,
    "keywords": _Reader._texts,
    "formats_url": _Reader._text,
    "contact": _Reader._contact,
    "disclaimer": _Reader._disclaimer,
    "cover": _Reader._cover,
}
