"""Local editions: a family service's own contact details, read from YAML.

A family hub or health visiting team keeps one small file, e.g.
``local/corby.yaml``; the Word leaflet writer prints its details in the
"Your local contact" box and names the edition after the file
(``<slug>-leaflet-corby.docx``). Bad files get the same clear, line-numbered
errors as a bad source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import SourceError
from .sourcefiles import address_problem, decode_utf8, display_path, load_yaml_mapping
from .text import slugify

# key → whether it may hold several lines (a YAML list); ``service`` is required.
FIELDS = {
    "service": False,
    "address": True,
    "phone": False,
    "email": False,
    "website": False,
    "opening_hours": True,
}
EXAMPLE = "service: Corby Family Hub"
RESERVED = ("large-print",)  # names of the leaflet's own editions


@dataclass(frozen=True)
class LocalDetails:
    """One service's contact details; ``name`` (the file's stem) names the edition."""

    name: str
    path: Path
    service: str
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: tuple[str, ...] = ()


def load_local(path: Path | str) -> LocalDetails:
    """Read one local-details file; raise SourceError naming the file and line."""
    path = Path(path)
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(shown, 0, f"cannot read the local details: {error.strerror}",
                          "give the path of a YAML file such as local/corby.yaml") from None
    # As text: a phone number 01536000000 must not become the octal 206569472.
    mapping, lines = load_yaml_mapping(path, decode_utf8(path, data), as_text=True)
    name = path.stem
    if slugify(name, fallback="") != name or name in RESERVED:
        raise SourceError(shown, 1, f"the file name '{path.name}' cannot name an edition",
                          "use lowercase letters, digits and hyphens only (not 'large-print'), e.g. local/corby.yaml")
    values: dict[str, Any] = {}  # text, or lines of text, by key
    for key, value in mapping.items():
        line = lines.get(str(key), 1)
        if key not in FIELDS:
            raise SourceError(shown, line, f"unknown local-details key '{key}'",
                              f"the keys are: {', '.join(FIELDS)}")
        values[key] = _value(shown, line, key, value, several=FIELDS[key])
    _check_addresses(shown, lines, values)
    if not values.get("service"):
        raise SourceError(shown, 1, "the local details have no 'service'",
                          f"add a line naming the service, e.g. '{EXAMPLE}'")
    return LocalDetails(name=name, path=path, **values)


def load_all(paths: Iterable[Path | str]) -> tuple[LocalDetails, ...]:
    """Every local-details file, all read before any edition is written."""
    editions = tuple(load_local(path) for path in paths)
    seen: dict[str, Path] = {}
    for edition in editions:
        if edition.name in seen:
            raise SourceError(display_path(edition.path), 1,
                              f"two local-details files are both called '{edition.name}'",
                              f"the other is {display_path(seen[edition.name])}; rename one of them")
        seen[edition.name] = edition.path
    return editions


def _value(shown: Path, line: int, key: str, value, several: bool) -> str | tuple[str, ...]:
    # Each value is one line: a line break would start a new line in Word's box.
    if isinstance(value, str) and value.strip():
        return (_one_line(value),) if several else _one_line(value)
    if several and isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(_one_line(v) for v in value)
    shape = "text, or a list of lines" if several else "text"
    shown_value = "nothing" if not value else "a group of keys" if isinstance(value, dict) else "a list"
    raise SourceError(shown, line, f"'{key}' should be {shape}, not {shown_value}",
                      "write it on the same line, e.g. phone: 01536 000000")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _check_addresses(shown: Path, lines: dict[str, int], values: dict) -> None:
    """The website is linked in Word: a web address in full, nothing that breaks out of the link."""
    website = values.get("website")
    problem = website and address_problem(website, web_only=True)
    if problem:
        raise SourceError(shown, lines.get("website", 1), f"the website '{website}' {problem}",
                          "write the full address, e.g. https://www.example.org")
    email = values.get("email")
    if email and (address_problem(f"mailto:{email}") or "@" not in email):
        raise SourceError(shown, lines.get("email", 1), f"'{email}' is not an email address",
                          "write it as name@example.org")
