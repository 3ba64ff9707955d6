"""The one reader: a Markdown source with YAML front matter → a Document.

markdown-it-py does the CommonMark parsing; this module only turns its token
stream into the model and refuses what the model cannot carry faithfully,
with a message naming file and line. Writers never see Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
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
    Note,
    Paragraph,
    Quote,
    Run,
    Runs,
    Section,
    Table,
    plain,
)
from .sourcefiles import (
    LATEST_YEAR,
    address_problem,
    decode_utf8,
    display_path,
    load_yaml_mapping,
    source_date_epoch,
)
from .text import slugify

CONTAINERS = ("callout",)
ATTRIBUTION_DASH = "—"

# RFC 5646 (BCP 47) in full: language with extended subtags, script, region,
# variants, extensions and private use, and the grandfathered tags. Well-formed
# tags are accepted without a registry look-up (the terms fall back to English
# with a warning for a language they do not know), except that the primary
# language has 2 or 3 letters: the 4- to 8-letter forms the grammar reserves
# are registered for no language, and "English" is a name, not a tag.
_ALNUM = "[a-z0-9]"
LANGUAGE_TAG = re.compile(
    rf"""^(?:
        [a-z]{{2,3}}(?:-[a-z]{{3}}){{0,3}}                    # language, extlang
        (?:-[a-z]{{4}})?                                      # script
        (?:-(?:[a-z]{{2}}|[0-9]{{3}}))?                       # region
        (?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*          # variants
        (?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*                 # extensions
        (?:-x(?:-{_ALNUM}{{1,8}})+)?                          # private use
      | x(?:-{_ALNUM}{{1,8}})+                                # private use alone
      | en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
      | sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-bok|no-nyn
      | zh-(?:guoyu|hakka|min|min-nan|xiang)
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

# A source's file name names its output folder, so it must be a plain name:
# no leading dot (hidden files, macOS's "._x.md" are not sources), no "..".
SAFE_SLUG = re.compile(r"^\w(?:[\w-]|\.(?!\.))*(?<![.])$")
# Word's document properties hold 255 characters at most (python-docx refuses more).
MAX_PROPERTY = 255
# A "word" longer than this is a pasted blob, not a word: no reader can read
# it, no line can hold it, and print layout is quadratic in it.
MAX_WORD = 200

# Pictures: refused above these before any pixel is decoded (a 13000 × 13000
# PNG costs 1.7 GB). 40 million pixels is a 300 dpi print of A2.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MAX_PICTURE_BYTES = 50_000_000
PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
PICTURE_TYPES = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "GIF": (".gif",)}
# Colour models that e-readers, browsers, Word and reportlab all show as meant.
PICTURE_MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "I;16", "I"}
EXIF_ORIENTATION = 0x0112

_parser = (
    MarkdownIt("commonmark")
    .enable("table")  # GFM pipe tables
    .use(footnote_plugin)  # "[^1]" references to sources
    .use(front_matter_plugin)
    # Any ":::" fence becomes a container token, so an unknown name can be
    # reported by name instead of silently turning into a paragraph.
    .use(container_plugin, name="any", validate=lambda params, markup: True)
)
# markdown-it leaves a link it distrusts (javascript:, file:) as literal
# "[words](javascript:…)" text; let every link through so the reader can
# refuse it out loud instead.
_parser.validateLink = lambda url: True  # type: ignore[method-assign]  # markdown-it's documented hook
MAX_NESTING = _parser.options["maxNesting"]


def read(path: Path | str) -> Document:
    """Parse one source file. Raises SourceError on anything it cannot carry."""
    path = Path(path)
    return _Reader(path).document()


def source_slug(path: Path) -> str:
    """The output folder's name for a source, or SourceError when the file name cannot be one."""
    stem = path.name[: -len(".md")] if path.name.endswith(".md") else path.stem
    if not SAFE_SLUG.match(stem):
        raise SourceError(display_path(path), 0, f"the file name '{path.name}' cannot name an output folder",
                          "name sources with letters, digits and hyphens, e.g. source/sleep-and-your-baby.md "
                          "(a name starting with '.' is a hidden file, not a source)")
    return stem


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.shown = display_path(path)
        self.folder = path.resolve().parent
        self.warnings: list[Diagnostic] = []
        self.ids: set[str] = set()  # every heading's id so far, so each is unique
        self.internal_links: list[tuple[int, str]] = []  # (line, id) of every "#id" link
        self.note_lines: dict[str, int] = {}  # each cited label's first line

    # -- errors ---------------------------------------------------------------

    def fail(self, line: int, message: str, hint: str = "") -> SourceError:
        return SourceError(self.shown, line, message, hint)

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.warnings.append(Diagnostic(WARNING, str(self.shown), message, line, hint))

    # -- whole file -----------------------------------------------------------

    def document(self) -> Document:
        slug = source_slug(self.path)
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise SourceError(self.shown, 0, f"cannot read the file: {error.strerror}") from None
        text = decode_utf8(self.path, data)
        if not text.strip():
            raise self.fail(1, "the file is empty", "start with front matter: a '---' line, 'title: …', '---'")
        env: dict = {}
        tokens = _parser.parse(text, env)
        if not tokens or tokens[0].type != "front_matter":
            raise self.fail(1, "the file has no front matter",
                            "start with a '---' line, then 'title: …' and 'language: …', then '---'")
        self.refuse_references(env)
        meta = self.metadata(tokens[0])
        body, notes = _split_notes(tokens[1:])
        sections = self.sections(body, meta)
        self.check_internal_links()
        return Document(slug, self.path, meta, sections, tuple(self.warnings), self.notes(notes))

    def refuse_references(self, env: dict) -> None:
        """A line "[label]: words" is a CommonMark link reference definition: it
        prints nothing, so its words would vanish from every format."""
        for label, reference in env.get("references", {}).items():
            line = reference["map"][0] + 1 if reference.get("map") else 0
            raise self.fail(line, f"the line '[{label.lower()}]: …' is a link definition, and its words would vanish",
                            "write links inline, [words](https://…), or reword the line so it does not start "
                            "with '[…]:'")

    def check_internal_links(self) -> None:
        for line, target in self.internal_links:
            if target not in self.ids:
                known = ", ".join(f"#{i}" for i in sorted(self.ids)[:12]) or "none: the source has no headings"
                raise self.fail(line, f"the link '#{target}' names no heading",
                                f"link to a heading by its id, the heading's words in lowercase with hyphens; "
                                f"the ids are: {known}")

    # -- front matter ----------------------------------------------------------

    def metadata(self, token: Token) -> Metadata:
        data, lines = load_yaml_mapping(self.path, token.content, first_line=2, as_text=True)
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
        if "date" not in fields:
            fields["date"] = self.default_date()
        self.check_property_lengths(fields, lines)
        name = f"{fields['publisher']}/{self.path.stem}"
        fields.setdefault("identifier", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}")
        return Metadata(**fields)

    def default_date(self) -> str:
        """No 'date': SOURCE_DATE_EPOCH's day when set (a reproducible build
        asked for one), else the day the file was last saved, never 1970. Not
        an error, so a first draft builds; a warning, since a fresh checkout
        changes the file's date and so the files' bytes."""
        when = source_date_epoch()
        if when is None:
            when = dt.datetime.fromtimestamp(self.path.stat().st_mtime, tz=dt.UTC)
        day = when.date().isoformat()
        self.warn(1, f"the front matter has no 'date': {day} is used",
                  "add a line 'date: YYYY-MM-DD' with the publication date; it is printed and stamped into every file")
        return day

    def check_property_lengths(self, fields: dict[str, Any], lines: dict[str, int]) -> None:
        """Word keeps these as document properties of 255 characters at most
        (authors and keywords joined as the Word writer joins them)."""
        joined = {"authors": "; ", "keywords": ", "}
        for key in ("title", "subtitle", "publisher", "description", "subject", "version", "identifier",
                    "authors", "keywords"):
            value = fields.get(key)
            text = joined[key].join(value) if key in joined and value else value
            if text and len(text) > MAX_PROPERTY:
                raise self.fail(lines.get(key, 2), f"'{key}' has {len(text)} characters, over the {MAX_PROPERTY} "
                                f"a document property holds", "shorten it; longer text belongs in the body")

    def _text(self, key: str, value: Any, line: int) -> str:
        if not isinstance(value, str):
            raise self.fail(line, f"'{key}' should be text, not {_kind(value)}")
        # One line: a line break in a title would split an M3U playlist entry
        # or a PDF outline; YAML's "|" or a pasted break becomes a space.
        text = " ".join(value.split())
        self.check_words(line, text, f"'{key}'")
        return text

    def _texts(self, key: str, value: Any, line: int) -> tuple[str, ...]:
        if isinstance(value, str):
            return (self._text(key, value, line),)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(line, f"'{key}' should be a list of text, not {_kind(value)}")
        return tuple(self._text(key, v, line) for v in value)

    def _spoken_text(self, key: str, value: Any, line: int) -> str:
        """A text that is printed and spoken on its own: it must have words."""
        text = self._text(key, value, line)
        self.check_speaks(line, text, f"'{key}'")
        return text

    def _address(self, key: str, value: Any, line: int) -> str:
        address = self._text(key, value, line)
        problem = address and address_problem(address, web_only=key in ("formats_url", "contact.website"))
        if problem:  # "" is an address not known yet
            raise self.fail(line, f"'{key}' {problem}", "write the full address, e.g. https://example.org/guides")
        return address

    def _language(self, key: str, value: Any, line: int) -> str:
        tag = self._text(key, value, line)
        if not LANGUAGE_TAG.match(tag):
            raise self.fail(line, f"'{tag}' is not a language tag", "use a BCP 47 tag such as en-GB, cy or pl")
        return tag

    def _date(self, key: str, value: Any, line: int) -> str:
        text = self._text(key, value, line)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise self.fail(line, f"'{text}' is not a date", "write dates as YYYY-MM-DD, e.g. 2024-05-01") from None
        if not 1980 <= day.year <= LATEST_YEAR:
            raise self.fail(line, f"the date {text} is not between 1980 and {LATEST_YEAR}",
                            "EPUB and Word files are zip files, which can date nothing outside those years")
        return day.isoformat()

    def _mapping(self, key: str, value: Any, line: int, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(line, f"'{key}' should be a group of 'name: value' lines, not {_kind(value)}")
        for name in value:
            if name not in allowed:
                raise self.fail(line, f"unknown key '{name}' in '{key}'", f"the keys are: {', '.join(allowed)}")
        return value

    def _contact(self, key: str, value: Any, line: int) -> Contact:
        fields = self._mapping(key, value, line, ("heading", "address_label", "address", "phone", "email", "website"))
        result: dict[str, Any] = {name: (self._address if name == "website" else self._text)(f"{key}.{name}", v, line)
                  for name, v in fields.items() if name != "address"}
        if "address" in fields:
            result["address"] = self._texts(f"{key}.address", fields["address"], line)
        if not result.get("heading"):
            raise self.fail(line, f"'{key}' needs a 'heading'")
        return Contact(**result)

    def _disclaimer(self, key: str, value: Any, line: int) -> Disclaimer:
        if isinstance(value, str):
            return Disclaimer(self._spoken_text(key, value, line))
        fields = self._mapping(key, value, line, ("text", "link"))
        link = fields.get("link")
        disclaimer = Disclaimer(self._spoken_text(f"{key}.text", fields.get("text", ""), line),
                                None if link is None else self._address(f"{key}.link", link, line))
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
        self.check_picture(target, src, line)
        return Image(target, " ".join(alt.split()), line, caption)

    def check_picture(self, target: Path, src: str, line: int) -> None:
        """Open the picture as every writer will, so none fails after another
        has replaced its files: the size from the header first, then every
        pixel decoded (a truncated file fails here, not in the EPUB reader)."""
        from PIL import Image as Picture
        from PIL import UnidentifiedImageError

        if target.stat().st_size > MAX_PICTURE_BYTES:
            raise self.fail(line, f"the image '{src}' is over {MAX_PICTURE_BYTES // 1_000_000} MB",
                            "save it smaller: 2000 pixels across prints sharp at A5")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Picture.DecompressionBombWarning)
                with Picture.open(target) as picture:
                    kind, (width, height), mode = picture.format, picture.size, picture.mode
                    if kind not in PICTURE_TYPES:
                        raise self.fail(line, f"'{src}' is not a PNG, JPEG or GIF image")
                    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                        raise self._too_big(src, line, f"{width} × {height} pixels")
                    orientation = picture.getexif().get(EXIF_ORIENTATION, 1)
                    picture.load()
        except (Picture.DecompressionBombError, Picture.DecompressionBombWarning):
            raise self._too_big(src, line, "too many pixels") from None
        except UnidentifiedImageError:
            with target.open("rb") as handle:
                if handle.read(8).startswith(PICTURE_SIGNATURES):
                    raise self.fail(line, f"the image '{src}' is damaged: it starts as a picture but is cut short",
                                    "open it in an image editor and save it again") from None
            raise self.fail(line, f"'{src}' is not a PNG, JPEG or GIF image") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:  # Pillow's words for a broken file
            raise self.fail(line, f"the image '{src}' is damaged: {error}",
                            "open it in an image editor and save it again") from None
        if target.suffix.lower() not in PICTURE_TYPES[kind]:
            raise self.fail(line, f"the image '{src}' is a {kind} file, but its name does not end in "
                            f"{' or '.join(PICTURE_TYPES[kind])}",
                            "rename it: e-readers and Word tell the kind of a picture by its name")
        if mode not in PICTURE_MODES:
            raise self.fail(line, f"the image '{src}' uses {mode} colour, which e-readers and Word do not show "
                            "reliably", "save it as RGB (for screens), e.g. 'Export as PNG'")
        if orientation != 1:
            raise self.fail(line, f"the image '{src}' is stored turned and marked to be turned back (EXIF "
                            f"orientation {orientation}); Word and print do not turn it",
                            "rotate it in an image editor and save it, or run: exiftran -ai FILE")

    def _too_big(self, src: str, line: int, size: str) -> SourceError:
        return self.fail(line, f"the image '{src}' is too large ({size}; at most {MAX_SIDE} a side and "
                         f"{MAX_PIXELS // 1_000_000} million pixels)", "save it smaller: 2000 pixels across prints "
                         "sharp at A5")

    # -- text every format can carry ---------------------------------------------

    def check_words(self, line: int, text: str, what: str) -> None:
        longest = max(text.split(), key=len, default="")
        if len(longest) > MAX_WORD:
            raise self.fail(line, f"{what} has a 'word' of {len(longest)} characters ('{longest[:30]}…')",
                            f"break it up: no word is longer than {MAX_WORD} characters, and no reader can "
                            "read one")

    def check_speaks(self, line: int, text: str, what: str) -> None:
        """Refuse a text with no letter or digit ('—', '...', an empty '##'):
        nothing to read aloud, nothing for a screen reader to announce."""
        if not any(character.isalnum() for character in text):
            raise self.fail(line, f"{what} has no words" + (f" ('{text}')" if text else ""),
                            "give it words, or delete it")

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
            section_id = heading.id if heading else self.new_id(title)
            sections.append(Section(number, slug, title, heading, tuple(current), line, section_id))

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

    def blocks(self, cursor: _Cursor, closing: str | None) -> list[Block]:
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
                runs = self.inline(cursor.next(), line)
                self.check_speaks(line, plain(runs), "the heading")
                blocks.append(Heading(level, runs, line, self.new_id(plain(runs))))
                cursor.expect("heading_close")
            elif kind == "paragraph_open":
                blocks.append(self.paragraph(cursor.next(), line))
                cursor.expect("paragraph_close")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self.list_block(cursor, token, line, nested=closing == "list_item_close"))
            elif kind == "blockquote_open" and closing == "blockquote_close":
                depth = 2
                while not cursor.done() and cursor.tokens[cursor.position].type == "blockquote_open":
                    cursor.next()
                    depth += 1
                if depth >= MAX_NESTING:
                    raise self.fail(line, f"quotes nested {depth} deep, past the Markdown parser's limit of "
                                    f"{MAX_NESTING}: the text inside them would be lost",
                                    "use one '>' at the start of each line of a quote")
                raise self.fail(line, "a quote inside a quote is not supported",
                                "use one '>' at the start of each line of a quote")
            elif kind == "blockquote_open":
                blocks.append(self.quote(cursor, line))
            elif kind == "container_any_open":
                blocks.append(self.callout(cursor, token, line, inside=closing))
            elif kind == "table_open":
                blocks.append(self.table(cursor, line))
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
            # markdown-it percent-encodes the address ("café.png" → "caf%C3%A9.png"); the file has the name typed.
            src = unquote(str(image.attrGet("src") or ""))
            return self.image(src, image.content, line, str(image.attrGet("title") or ""))
        runs = self.inline(inline, line)
        self.check_speaks(line, plain(runs), "the paragraph")
        return Paragraph(runs, line)

    def new_id(self, text: str) -> str:
        """A heading's id for links ("#tuning-into-your-baby"): its words as a
        slug, numbered from -2 when an earlier heading has the same words."""
        base = slugify(text, fallback="heading")
        candidate, number = base, 1
        while candidate in self.ids:
            number += 1
            candidate = f"{base}-{number}"
        self.ids.add(candidate)
        return candidate

    def link(self, target: str, line: int) -> str | None:
        """The link's target as the model keeps it, or None to keep only its words."""
        if not target:
            self.warn(line, "a link has no target yet", "its words are kept; add the address in the brackets ( )")
            return ""
        if target.startswith("#"):
            self.internal_links.append((line, target[1:]))
            return target
        problem = address_problem(target)
        if problem and "is not a full address" in problem:
            raise self.fail(line, f"the link '{target}' {problem}",
                            "write the full address (https://…), or '#id' for a heading in this text")
        if problem:
            self.warn(line, f"the link '{target}' {problem}: its words are kept without the link",
                      "links may be https://, http://, mailto: or tel: addresses")
            return None
        return target

    def inline(self, inline: Token, line: int) -> Runs:
        runs: list[Run] = []
        strong = emphasis = 0
        link: str | None = None
        for child in inline.children or []:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.check_words(line, child.content, "the text")
                cited = _UNDEFINED_NOTE.search(child.content)
                if cited:
                    raise self.fail(line, f"a source is cited with '{cited.group(0)}' but never given",
                                    f"add a line '{cited.group(0)}: the source' at the end of the file")
                _append(runs, Run(child.content, strong > 0, emphasis > 0, link))
            elif kind in ("softbreak", "hardbreak"):
                _append(runs, Run(" ", strong > 0, emphasis > 0, link))
            elif kind in ("strong_open", "strong_close"):
                strong += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                emphasis += 1 if kind.endswith("open") else -1
            elif kind == "link_open":
                link = self.link(str(child.attrGet("href") or ""), line)
            elif kind == "link_close":
                link = None
            elif kind == "footnote_ref":
                runs.append(Run("", strong > 0, emphasis > 0, link, note=self.note_number(child, line)))
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
        return tuple(run for run in runs if run.text or run.note)

    def list_block(self, cursor: _Cursor, opening: Token, line: int, nested: bool = False) -> ListBlock:
        ordered = opening.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[Runs] = []
        levels: list[int] = []
        nested_ordered = False
        while True:
            token = cursor.next()
            if token.type == close:
                break
            if token.type != "list_item_open":
                raise self.fail(_line(token), "unexpected Markdown in a list")
            parts: list[Runs] = []
            inner: list[ListBlock] = []
            for block in self.blocks(cursor, closing="list_item_close"):
                if isinstance(block, Paragraph) and not inner:
                    parts.append(block.runs)
                elif isinstance(block, ListBlock) and not nested:
                    inner.append(block)
                elif isinstance(block, ListBlock):
                    raise self.fail(block.line, "a list nested three deep",
                                    "lists may be nested two deep: a list inside a list item, no deeper")
                else:
                    raise self.fail(block.line, "a list item may hold only text and one list inside it",
                                    "quotes, pictures and tables inside list items are not supported; "
                                    "put them after the list")
            item = _join(parts)
            self.check_speaks(_line(token), plain(item), "the list item")
            items.append(item)
            levels.append(0)
            for sublist in inner:
                items += sublist.items
                levels += [1] * len(sublist.items)
                nested_ordered = sublist.ordered
        start = opening.attrGet("start")  # absent when 1; a list may start at 0
        start = 1 if start is None or not ordered else int(start)
        return ListBlock(ordered, tuple(items), line, start, tuple(levels) if any(levels) else (), nested_ordered)

    def table(self, cursor: _Cursor, line: int) -> Table:
        """A GFM pipe table; a paragraph "Table: …" right after it is its caption."""
        header: list[Runs] = []
        rows: list[list[Runs]] = []
        while True:
            token = cursor.next()
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                cell = self.inline(cursor.next(), _line(token) or line)
                (header if token.type == "th_open" else rows[-1]).append(cell)
        rows = [row for row in rows if row]  # the header's own row
        if not any(plain(cell).strip() for cell in header):
            raise self.fail(line, "the table has no column names",
                            "write the column names in its first row, e.g. '| Age | What you may notice |'")
        caption = ""
        if cursor.peek("paragraph_open") and cursor.peek_content(1).startswith("Table:"):
            cursor.next()
            caption = " ".join(cursor.next().content.removeprefix("Table:").split())
            cursor.expect("paragraph_close")
            self.check_words(line, caption, "the table's caption")
        width = len(header)
        padded = tuple(tuple(row) + ((),) * (width - len(row)) for row in rows)
        return Table(tuple(header), padded, line, caption)

    def note_number(self, reference: Token, line: int) -> int:
        """The number of a "[^label]" reference: notes are numbered in order of first use."""
        label = str(reference.meta.get("label", ""))
        self.note_lines.setdefault(label, line)
        return int(reference.meta["id"]) + 1

    def notes(self, tokens: list[Token]) -> tuple[Note, ...]:
        """The footnote definitions ("[^1]: NHS, 2023."), as the sources at the end."""
        found: list[Note] = []
        # markdown-it adds a back-link after each note's text; writers make their own.
        cursor = _Cursor([token for token in tokens if token.type != "footnote_anchor"])
        while not cursor.done():
            token = cursor.next()
            if token.type != "footnote_open":
                continue
            number = int(token.meta["id"]) + 1
            parts: list[Runs] = []
            line = self.note_lines.get(str(token.meta.get("label", "")), 1)
            for block in self.blocks(cursor, closing="footnote_close"):
                if not isinstance(block, Paragraph):
                    raise self.fail(block.line, "a source note may hold only text")
                parts.append(block.runs)
                line = block.line
            found.append(Note(number, _join(parts), line))
        found.sort(key=lambda note: note.number)
        if [note.number for note in found] != list(range(1, len(found) + 1)):
            raise self.fail(1, "a source is cited with '[^…]' but never given",
                            "add a line '[^label]: the source' for every label you cite")
        return tuple(found)

    def quote(self, cursor: _Cursor, line: int) -> Quote:
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
        if not paragraphs and not attribution:
            raise self.fail(line, "the quote is empty: a '>' line with nothing after it",
                            "write the quotation after the '>', or remove the line")
        if not paragraphs:
            raise self.fail(line, "the quote has no text, only an attribution",
                            "put the quotation on '>' lines above the line starting with '— '")
        return Quote(tuple(paragraphs), tuple(r for r in attribution if r.text), line)

    def callout(self, cursor: _Cursor, token: Token, line: int, inside: str | None) -> Callout:
        name, _, title = token.info.strip().partition(" ")
        if name not in CONTAINERS:
            raise self.fail(line, f"unknown container '::: {name}'", f"the containers are: {', '.join(CONTAINERS)}")
        title = " ".join(title.split())
        if title:
            self.check_speaks(line, title, "the callout's title")
            self.check_words(line, title, "the callout's title")
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

    def peek(self, kind: str, ahead: int = 0) -> bool:
        index = self.position + ahead
        return index < len(self.tokens) and self.tokens[index].type == kind

    def peek_content(self, ahead: int) -> str:
        index = self.position + ahead
        return self.tokens[index].content if index < len(self.tokens) else ""


# "[^label]" left as text: markdown-it makes a reference only when the note is defined.
_UNDEFINED_NOTE = re.compile(r"\[\^[^\]\s]+\]")


def _split_notes(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """The body's tokens, and the footnote block markdown-it puts at the end."""
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:index], tokens[index + 1:]
    return tokens, []


def _line(token: Token) -> int:
    """The 1-based source line of a token (front matter included in the count)."""
    return token.map[0] + 1 if token.map else 0


def _is_comment(html: str) -> bool:
    html = html.strip()
    return html.startswith("<!--") and html.endswith("-->") and "-->" not in html[4:-3]


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a group of keys", type(None): "nothing"}.get(type(value), type(value).__name__)


def _replace_text(run: Run, text: str) -> Run:
    return replace(run, text=text)


def _append(runs: list[Run], run: Run) -> None:
    """Merge with the previous run when the attributes match (a note marker stands alone)."""
    if runs and run.note is None and runs[-1].note is None and \
            (runs[-1].strong, runs[-1].emphasis, runs[-1].link) == (run.strong, run.emphasis, run.link):
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
    "title": _Reader._spoken_text,
    "subtitle": _Reader._spoken_text,
    "language": _Reader._language,
    "publisher": _Reader._spoken_text,
    "authors": _Reader._texts,
    "date": _Reader._date,
    "version": _Reader._text,
    "identifier": _Reader._text,
    "rights": _Reader._text,
    "description": _Reader._text,
    "subject": _Reader._text,
    "keywords": _Reader._texts,
    "formats_url": _Reader._address,
    "contact": _Reader._contact,
    "disclaimer": _Reader._disclaimer,
    "cover": _Reader._cover,
    "reviewed": _Reader._date,
    "next_review": _Reader._date,
    "approved_by": _Reader._spoken_text,
    "feedback": _Reader._text,
    "translation_of": _Reader._text,
}
