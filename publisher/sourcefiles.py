"""Reading the editors' files: paths as they would type them, UTF-8 with the
bad byte's line named, YAML mappings with each key's line (for messages).

Shared by the reader, the house style, the lexicon and the local details.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

from .diagnostics import SourceError


def display_path(path: Path) -> Path:
    """The path as an editor would type it: relative to where they are."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def decode_utf8(path: Path, data: bytes) -> str:
    """Decode, or name the first bad byte and its line in the error."""
    try:
        # NFC: "e" + combining acute becomes "é", one character every font and search knows.
        return unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            display_path(path), line,
            f"byte 0x{data[error.start]:02x} at offset {error.start} is not UTF-8",
            "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
        ) from None


def load_yaml_mapping(path: Path, text: str, first_line: int = 1) -> tuple[dict, dict[str, int]]:
    """Load YAML that must be a mapping; return it and each top-level key's line."""
    shown = display_path(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or str(error)
        raise SourceError(shown, line, f"the YAML is not valid: {problem}",
                          "check the indentation and put text containing ':' in quotes") from None
    if not isinstance(data, dict) or node is None:
        raise SourceError(shown, first_line, "expected 'key: value' lines (a YAML mapping)")
    lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    return data, lines
