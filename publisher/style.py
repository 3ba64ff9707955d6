"""The house style: defaults shipped with the package, overridden per source folder."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .colour import MIN_CONTRAST, contrast, hex_rgb, is_hex
from .diagnostics import SourceError
from .sourcefiles import address_problem, decode_utf8, display_path, load_yaml_mapping

DEFAULTS = Path(__file__).with_name("house-style.yaml")
FILENAME = "house-style.yaml"

Style = Mapping[str, Any]


def load_style(source_folder: Path | None = None) -> Style:
    """The package defaults, with ``<source_folder>/house-style.yaml`` laid over them."""
    style, _ = load_yaml_mapping(DEFAULTS, DEFAULTS.read_text(encoding="utf-8"))
    override = source_folder / FILENAME if source_folder else None
    if override and override.is_file():
        data, lines = load_yaml_mapping(override, decode_utf8(override, override.read_bytes()))
        style = _merge(style, data, override, lines, prefix="")
    frozen = _freeze(style)
    if source_folder is not None:
        check_colours(frozen, source_folder)
        check_values(frozen, source_folder)
    return frozen


# A font's name enters CSS and Word's XML: a name, never markup.
FONT_NAME = re.compile(r"^\w[\w .-]{0,62}$")


def check_values(style: Style, source_folder: Path) -> None:
    """Refuse values that would enter another format's markup unescaped, or
    make no sense as a size: fonts that are not plain names, a downloads
    address that is not a web address, a highlight that is not #RRGGBB, and
    YAML's .inf and .nan. (Each writer's prepare() checks its own ranges.)"""
    for key, font in style["fonts"].items():
        if not FONT_NAME.match(str(font)):
            raise style_error(source_folder, key, f"'{font}' is not a font's name",
                              "use letters, digits, spaces and hyphens, e.g. Atkinson Hyperlegible")
    url = style["pdf"]["formats_url"]
    problem = url and address_problem(url, web_only=True)
    if problem:
        raise style_error(source_folder, "formats_url", f"the address '{url}' {problem}",
                          "write the full address, e.g. https://example.org/guides")
    if not is_hex(style["epub"]["highlight"]):
        raise style_error(source_folder, "highlight", f"the colour '{style['epub']['highlight']}' is not "
                          "written as #RRGGBB", 'for example "#FFE066" (in quotes: YAML reads # as a comment)')
    for key, value in _numbers(style):
        if not math.isfinite(value):
            raise style_error(source_folder, key, f"'{key}' is {value}, not a number", "give a number")


def _numbers(style: Style, key: str = ""):
    if isinstance(style, Mapping):
        for name, value in style.items():
            yield from _numbers(value, name)
    elif isinstance(style, (int, float)) and not isinstance(style, bool):
        yield key, style


INKS, PAPERS = ("text", "accent"), ("background", "tint")


def check_colours(style: Style, source_folder: Path) -> None:
    """Refuse colours that are not #RRGGBB, or any ink on any paper under the
    7:1 clear print needs, naming the line, before any format is written."""
    colours = style["colours"]
    for key in (*INKS, *PAPERS):
        if not is_hex(colours[key]):
            raise style_error(source_folder, key, f"the colour '{colours[key]}' is not written as #RRGGBB",
                              'for example "#1A1A1A" (in quotes: YAML reads # as a comment)')
    for ink in INKS:
        for paper in PAPERS:
            ratio = contrast(hex_rgb(colours[ink]), hex_rgb(colours[paper]))
            if ratio < MIN_CONTRAST:
                raise style_error(source_folder, (ink, paper),
                                  f"{ink} {colours[ink]} on {paper} {colours[paper]} has a contrast "
                                  f"of {ratio:.1f}:1, under the {MIN_CONTRAST:g}:1 clear print needs",
                                  f"darken '{ink}' or lighten '{paper}'")


def style_files(source_folder: Path) -> list[Path]:
    """The files a build's house style comes from (for knowing when to rebuild)."""
    override = source_folder / FILENAME
    return [DEFAULTS] + ([override] if override.is_file() else [])


def style_error(source_folder: Path, keys: str | tuple[str, ...], message: str, hint: str = "") -> SourceError:
    """Bad input at the line of the house style that sets one of ``keys``: the
    source folder's own file when it sets it, else the package defaults."""
    keys = (keys,) if isinstance(keys, str) else keys
    files = style_files(source_folder)
    for path in reversed(files):
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.strip().split(":")[0] in keys), 0)
        if line:
            return SourceError(display_path(path), line, message, hint)
    return SourceError(display_path(files[0]), 0, message, hint)


def _merge(base: dict, override: dict, path: Path, lines: dict[str, int], prefix: str) -> dict:
    merged = dict(base)
    for key, value in override.items():
        line = lines.get(str(key), 1) if not prefix else lines.get(prefix.split(".")[0], 1)
        name = f"{prefix}{key}"
        if key not in base:
            known = ", ".join(sorted(str(k) for k in base))
            raise SourceError(display_path(path), line, f"unknown house-style key '{name}'",
                              f"the keys here are: {known}")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise SourceError(display_path(path), line, f"'{name}' should be a group of 'name: value' lines")
            merged[key] = _merge(base[key], value, path, lines, prefix=f"{name}.")
        elif base[key] is not None and not isinstance(value, type(base[key])) and not (
            isinstance(base[key], float) and isinstance(value, int)
        ):
            raise SourceError(display_path(path), line,
                              f"'{name}' should be {type(base[key]).__name__}, like the default {base[key]!r}")
        else:
            merged[key] = value
    return merged


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def formats_url(meta_url: str, style: Style) -> str:
    """Where readers download the other editions: the source's own address, else the house style's."""
    return meta_url or str(style["pdf"]["formats_url"])
