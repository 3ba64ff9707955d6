"""Every output file's name, once: the writers name their files with these
functions and the checks find them with the same ones."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def leaflet(slug: str, edition: str = "") -> str:
    """The Word leaflet: edition "" (standard), "large-print" or a local edition's name."""
    return f"{slug}-leaflet{'-' + edition if edition else ''}.docx"


PDF_SUFFIXES = {"booklet": "-booklet.pdf", "large_print": "-large-print.pdf", "imposed": "-booklet-imposed.pdf"}


def pdf(slug: str, edition: str) -> str:
    """A print edition: "booklet", "large_print" or "imposed"."""
    return f"{slug}{PDF_SUFFIXES[edition]}"


def local_booklet(slug: str, local: str, imposed: bool = False) -> str:
    """A local edition of the booklet (--local local/<local>.yaml), and its imposition."""
    return f"{slug}-booklet-{local}{'-imposed' if imposed else ''}.pdf"


def epub(slug: str, read_aloud: bool = False) -> str:
    return f"{slug}{'-read-aloud' if read_aloud else ''}.epub"


def audio_track(number: int, slug: str) -> str:
    return f"audio/{number:02d}-{slug}.mp3"


def audio_book(slug: str) -> str:
    return f"audio/{slug}.mp3"


def playlist(slug: str) -> str:
    return f"audio/{slug}.m3u"


def braille(slug: str) -> str:
    """The braille edition (BRF); the same pages as PEF beside it, <slug>.pef."""
    return f"{slug}.brf"


def daisy(slug: str) -> str:
    """The DAISY 2.02 talking book's folder; the zip of it is daisy_zip."""
    return f"{slug}-daisy"


def daisy_zip(slug: str) -> str:
    return f"{slug}-daisy.zip"


def m4b(slug: str) -> str:
    return f"audio/{slug}.m4b"


def web(slug: str) -> str:
    """The offline web edition's folder (index.html and everything it uses); the zip of it is web_zip."""
    return "web"


def web_zip(slug: str) -> str:
    return f"{slug}-web.zip"


def web_url(formats_url: str, slug: str) -> str:
    """The web edition's front page, given where the editions are published
    (``formats_url``: the address of the folder holding output/<slug>/'s
    files), or "" when that is not known. The rule: the web folder's
    ``index.html`` inside that folder. An address ending in a name with a dot
    (".../editions.html") names a page in the folder, which is then its
    folder; any other address is the folder itself, with or without its
    last "/". Query and fragment belong to the page, not to the folder, and
    are dropped. ``index.html`` is written out: not every static host (a
    bare storage bucket, a USB stick opened by file name) serves it for "/"."""
    if not formats_url:
        return ""
    parts = urlsplit(formats_url)
    folder, _, last = parts.path.rpartition("/")
    base = f"{folder}/" if "." in last else f"{parts.path.rstrip('/')}/"
    return urlunsplit((parts.scheme, parts.netloc, f"{base}{web(slug)}/index.html", "", ""))
