"""Reading the editors' files: paths as they would type them, UTF-8 with the
bad byte's line named, characters no format can carry refused by line, and
YAML read as data, not as a language.

Shared by the reader, the house style, the lexicon and the local details.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import EnvironmentFault, SourceError

BYTE_ORDER_MARK = "\ufeff"
# Word's manual line break (Shift+Enter) pastes as a vertical tab; a form feed,
# next-line and the Unicode line and paragraph separators are line breaks too.
# Inside a paragraph a line break is a space in every format, and a space keeps
# every line number where the editor sees it.
_LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# What no XML, PDF, Word file or speech engine can carry: C0 and C1 controls
# (tab, line feed and carriage return aside), DEL, lone surrogates (a YAML
# "\ud800" escape makes one) and the noncharacters.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)
CHARACTER_HINT = "delete it: such characters come from pasting out of a word processor, and no format can show them"


def display_path(path: Path) -> Path:
    """The path as an editor would type it: relative to where they are."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def decode_utf8(path: Path, data: bytes) -> str:
    """Decode, or name the first bad byte and its line in the error.

    A byte-order mark (Windows editors write one) is dropped; line breaks
    pasted from a word processor become spaces; any other control character,
    lone surrogate or noncharacter is refused with its line.
    """
    try:
        # NFC: "e" + combining acute becomes "é", one character every font and search knows.
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            display_path(path), line,
            f"byte 0x{data[error.start]:02x} at offset {error.start} is not UTF-8",
            "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
        ) from None
    text = text.removeprefix(BYTE_ORDER_MARK)
    check_characters(path, text)
    return _LINE_BREAKS.sub(" ", text)


def check_characters(path: Path | str, text: str, first_line: int = 1) -> None:
    """Refuse the first character no format can carry, naming its line and code point."""
    found = _FORBIDDEN.search(text)
    if found:
        line = first_line + text.count("\n", 0, found.start())
        raise SourceError(display_path(Path(path)), line,
                          f"the invisible character U+{ord(found.group()):04X} cannot be published", CHARACTER_HINT)


def clean_line_breaks(text: str) -> str:
    """A value's pasted line breaks as spaces (see ``_LINE_BREAKS``)."""
    return _LINE_BREAKS.sub(" ", text)


# -- YAML ------------------------------------------------------------------------

MAX_DEPTH = 8  # the deepest any of our files nests is 3; a deeper file is a mistake or an attack
MAX_NODES = 20_000  # a house style has about 100 values; bounds the work of a hostile file


class _Loader(yaml.SafeLoader):
    """A SafeLoader that refuses what editors never mean and attackers do:
    anchors and aliases (the "billion laughs" expand a few lines into
    gigabytes), nesting past MAX_DEPTH (PyYAML's composer recurses, so deep
    nesting would otherwise end in a RecursionError), more than MAX_NODES
    values, and a key given twice (PyYAML silently keeps the last).

    These checks hook into the pure-Python composer, which is ten times as
    slow as libyaml's (13 ms for the house style, on every build): so a file
    is first read with libyaml (``_fast_load``), and this loader runs only
    for one that libyaml refuses or that breaks a rule, to give the refusal
    exactly as always, on its line.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            raise _refusal(self.peek_event().start_mark, "anchors and aliases (&name, *name) are not allowed",
                           "write each value out in full")
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_DEPTH:
            raise _refusal(self.peek_event().start_mark, f"the values are nested more than {MAX_DEPTH} deep")
        if self.nodes > MAX_NODES:
            raise _refusal(self.peek_event().start_mark, f"the file holds more than {MAX_NODES} values")
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise _refusal(key.start_mark, f"the key '{key.value}' is given twice",
                                   "keep one of them: only one value can count")
                seen.add(key.value)
        return node


class _TextLoader(_Loader):
    """Every scalar as the editor typed it: YAML 1.1 would read a phone number
    01604123456 as an octal number, drop the plus of +44, read version 1.10 as
    1.1 and 10:30 as 630 (sexagesimal). Where the schema wants text, nothing
    but lists, groups and text exists."""

    yaml_implicit_resolvers: dict = {}


_CLoader = getattr(yaml, "CSafeLoader", None)  # None when PyYAML was built without libyaml
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE_EVENTS = (yaml.ScalarEvent, *_COLLECTION_START)


if _CLoader is not None:
    class _CTextLoader(_CLoader):  # type: ignore[valid-type, misc]
        """libyaml's loader reading every scalar as text, as ``_TextLoader``."""

        yaml_implicit_resolvers: dict = {}


def _fast_load(text: str, as_text: bool) -> tuple[Any, yaml.Node] | None:
    """The document's root node read by libyaml, or None when the pure loader
    must read it: libyaml is missing or refuses the text, or the text breaks a
    rule of ``_Loader`` (an anchor or alias, nesting past MAX_DEPTH, more than
    MAX_NODES values, a key given twice). The rules are checked on libyaml's
    events (its parser keeps a stack, it does not recurse) before any node is
    built, so a hostile file costs no more here than there."""
    if _CLoader is None:
        return None
    loader_class = _CTextLoader if as_text else _CLoader
    try:
        depth = nodes = 0
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if nodes > MAX_NODES or depth + 1 > MAX_DEPTH:
                    return None
            if isinstance(event, _COLLECTION_START):
                depth += 1
            elif isinstance(event, _COLLECTION_END):
                depth -= 1
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None or _has_twice_given_key(node):
                return None
            return loader, node
        except BaseException:
            loader.dispose()
            raise
    except yaml.YAMLError:
        return None


def _has_twice_given_key(root: yaml.Node) -> bool:
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                return True
            pending += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
    return False


class _YamlRefusal(yaml.YAMLError):
    def __init__(self, mark, problem: str, hint: str):
        super().__init__(problem)
        self.problem_mark, self.problem, self.hint = mark, problem, hint


def _refusal(mark, problem: str, hint: str = "") -> _YamlRefusal:
    return _YamlRefusal(mark, problem, hint)


def load_yaml_mapping(path: Path, text: str, first_line: int = 1, *,
                      as_text: bool = False) -> tuple[dict, dict[str, int]]:
    """Load YAML that must be a mapping; return it and each top-level key's line.

    ``as_text``: every scalar is a string exactly as typed (see ``_TextLoader``).
    Escapes in quoted values ("\\x01", "\\ud800") are checked like the file's own
    characters.
    """
    shown = display_path(path)
    fast = _fast_load(text, as_text)
    loader, node = fast if fast else ((_TextLoader if as_text else _Loader)(text), None)
    try:
        if fast is None:
            node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or str(error)
        if isinstance(error, _YamlRefusal):
            raise SourceError(shown, line, problem, error.hint) from None
        raise SourceError(shown, line, f"the YAML is not valid: {problem}",
                          "check the indentation and put text containing ':' in quotes") from None
    except ValueError as error:  # a typed value PyYAML cannot build, e.g. the timestamp 2024-02-30
        raise SourceError(shown, first_line, f"a value is not valid: {error}", "put the value in quotes") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or node is None:
        raise SourceError(shown, first_line, "expected 'key: value' lines (a YAML mapping)")
    _check_scalars(shown, node, first_line)
    lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    return data, lines


def _check_scalars(shown: Path, node: yaml.Node, first_line: int) -> None:
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            check_characters(shown, current.value, first_line + current.start_mark.line)
        elif isinstance(current, yaml.SequenceNode):
            pending += current.value
        elif isinstance(current, yaml.MappingNode):
            pending += [part for pair in current.value for part in pair]


# -- the build date -----------------------------------------------------------------

LATEST_YEAR = 2107  # zip files (EPUB, Word) cannot date anything later


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) when set; a
    malformed value is a fault of the environment, not of the source."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    try:
        if not value.isdigit():
            raise ValueError
        when = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        if when.year > LATEST_YEAR:
            raise ValueError
    except (ValueError, OverflowError, OSError):
        raise EnvironmentFault(f"SOURCE_DATE_EPOCH is '{value[:40]}', not a number of seconds since 1970 "
                               f"before the year {LATEST_YEAR + 1}; set it to e.g. $(date +%s) or unset it") from None
    return when


# -- addresses ------------------------------------------------------------------------

LINK_SCHEMES = ("http", "https", "mailto", "tel")
WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Characters that would end or break out of an attribute, a CSS string or a
# playlist line in some format; Markdown percent-encodes them in body links,
# front matter and local details must not carry them at all.
_UNSAFE_IN_ADDRESS = re.compile(r"[\s\"<>\\`{}|^]")


def address_problem(address: str, web_only: bool = False) -> str:
    """What is wrong with a link's address, in words after "the link 'x' …",
    or "" when it may be published: http, https, mailto or tel only (web
    addresses only for ``web_only``), written in full, with nothing in it
    that could break out of the markup it enters."""
    schemes = WEB_SCHEMES if web_only else LINK_SCHEMES
    scheme = _SCHEME.match(address)
    if scheme is None:
        return "is not a full address (it has no https:// or mailto: in front)"
    if scheme.group(1).lower() not in schemes:
        return f"starts with '{scheme.group(1)}:', which is not one of {', '.join(s + ':' for s in schemes)}"
    if _UNSAFE_IN_ADDRESS.search(address):
        return "contains a space, a double quote or an angle bracket, which an address cannot"
    if scheme.group(1).lower() in WEB_SCHEMES and not re.match(r"^[a-zA-Z]+://[^/?#]+", address):
        return "names no web site after '//'"
    return ""
