"""Checks of the DAISY 2.02 talking book, against the rules that can be checked
without a player: the NCC and every SMIL file parse; the NCC's first element
is the title heading; every NCC heading and page target points at a par of
a SMIL file the master SMIL lists; page targets come in the booklet's order;
every clip lies inside its MP3 (its length as mutagen reads the frames) and
is its sentence's own speech as the audio book timed it, with no announcement
inside it (checks.clips); every SMIL text points at an element of the content
document; each SMIL's seq dur and ncc:timeInThisSmil are the sum of its clips,
its ncc:totalElapsedTime the SMIL files' before it, and the NCC's
ncc:totalTime the book's (what a player plays: the pauses and announcements
between clips are skipped); every sentence of the source is read, in order.

And with a player: ``player_listing`` opens the book in Debian's
``daisy-player`` (an ncurses program) inside a private, detached tmux server
and reads the headings it lists off the screen.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
import time
from pathlib import Path

from lxml import etree

from ..diagnostics import ERROR, Diagnostic
from ..manifest import Manifest
from ..model import Document
from ..outputs import daisy
from ..text import document_sentences
from .clips import clip_problems

# mutagen estimates an MP3's length to within a few milliseconds: half a frame
# (1,152 samples at 22,050 Hz) is the most a clip may seem to run past the end.
HALF_A_FRAME = 0.026

XHTML = "{http://www.w3.org/1999/xhtml}"


def seconds(npt: str) -> float:
    return float(npt.removeprefix("npt=").removesuffix("s"))


def clock_seconds(clock: str | None) -> int:
    """An hh:mm:ss time of the NCC or a SMIL file in seconds (-1 when it is missing or malformed)."""
    parts = (clock or "").split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return -1
    hours, minutes, secs = (int(part) for part in parts)
    return hours * 3600 + minutes * 60 + secs


def near(clock: str | None, value: float) -> bool:
    """Whether a whole-second time states ``value`` seconds."""
    return abs(clock_seconds(clock) - value) <= 1


def ncc_entries(folder: Path) -> list[tuple[str, str, str, str]]:
    """The NCC's body in order: (tag, class, text, href) of each heading and page target."""
    body = etree.parse(str(folder / "ncc.html")).getroot().find(f"{XHTML}body")
    entries = []
    for element in body:
        link = element.find(f"{XHTML}a")
        text, href = ("".join(link.itertext()), link.get("href", "")) if link is not None else ("", "")
        entries.append((etree.QName(element).localname, element.get("class", ""), text, href))
    return entries


def check(out_dir: Path, document: Document) -> list[Diagnostic]:

    folder = out_dir / daisy(document.slug)
    if not (folder / "ncc.html").is_file():
        return [Diagnostic(ERROR, str(folder), "the DAISY book was not built")]
    findings: list[Diagnostic] = []

    def error(file: str, message: str) -> None:
        findings.append(Diagnostic(ERROR, str(folder / file), message))

    try:
        ncc = etree.parse(str(folder / "ncc.html"))
        master = etree.parse(str(folder / "master.smil"))
        content_ids = set(etree.parse(str(folder / "content.html")).xpath("//@id"))
    except (OSError, etree.XMLSyntaxError) as problem:
        return [Diagnostic(ERROR, str(folder), f"a DAISY file does not parse: {problem}")]
    smil_names = [ref.get("src") for ref in master.getroot().iter("ref")]
    pars: dict[str, set[str]] = {}
    read: list[str] = []
    clips: list[tuple[str, str, float, float]] = []  # (sentence id, MP3, begin, end)
    lengths: dict[str, float] = {}
    total = 0.0
    for name in smil_names:
        try:
            smil = etree.parse(str(folder / name))
        except (OSError, etree.XMLSyntaxError) as problem:
            error(name, f"does not parse: {problem}")
            continue
        pars[name] = {par.get("id") for par in smil.getroot().iter("par")}
        played = 0.0
        for par in smil.getroot().iter("par"):
            text, audio = par.find("text"), par.find("audio")
            target = text.get("src").partition("#")[2] if text is not None else ""
            if target not in content_ids:
                error(name, f"par '{par.get('id')}' shows '{target}', which content.html does not have")
            read.append(target)
            if audio is None:
                error(name, f"par '{par.get('id')}' has no audio")
                continue
            source = audio.get("src")
            if source not in lengths:
                lengths[source] = _seconds(folder / source)
            begin, end = seconds(audio.get("clip-begin")), seconds(audio.get("clip-end"))
            if not 0 <= begin < end <= lengths[source] + HALF_A_FRAME:
                error(name, f"par '{par.get('id')}' plays {begin:.3f}–{end:.3f} s of {source}, "
                            f"which lasts {lengths[source]:.3f} s")
            clips.append((target, source, begin, end))
            played += end - begin
        smil_meta = {m.get("name"): m.get("content") for m in smil.getroot().iter("meta")}
        seq = smil.getroot().find("body/seq")
        stated = seconds(seq.get("dur", "0")) if seq is not None else 0.0
        if abs(stated - played) > 0.002 or not near(smil_meta.get("ncc:timeInThisSmil"), played):
            error(name, f"seq dur {stated:.3f} s and ncc:timeInThisSmil {smil_meta.get('ncc:timeInThisSmil')} "
                        f"are not the sum of its clips, {played:.3f} s")
        if not near(smil_meta.get("ncc:totalElapsedTime"), total):
            error(name, f"ncc:totalElapsedTime is {smil_meta.get('ncc:totalElapsedTime')}, the SMIL files "
                        f"before it play {total:.1f} s")
        total += played
    for message in clip_problems(clips, Manifest(out_dir).data("audio")):
        error("master.smil", message)

    entries = ncc_entries(folder)
    if not entries or entries[0][0] != "h1" or "title" not in entries[0][1].split():
        error("ncc.html", "the NCC does not begin with the title heading (h1 class=\"title\")")
    for tag, _, text, href in entries:
        name, _, target = href.partition("#")
        if target not in pars.get(name, ()):
            error("ncc.html", f"'{text}' ({tag}) points at '{href}', not at a par of a SMIL file the master lists")
    pages = [text for tag, kind, text, _ in entries if kind == "page-normal"]
    booklet = [str(p["label"]) for p in Manifest(out_dir).data("pdf").get("pages", []) if p.get("sentence")]
    if pages != booklet:
        error("ncc.html", f"the page targets are {pages}, the booklet's pages that begin a sentence are {booklet}")
    meta = {m.get("name"): m.get("content") for m in ncc.getroot().iter(f"{XHTML}meta")}
    if not near(meta.get("ncc:totalTime"), total):
        error("ncc.html", f"ncc:totalTime is {meta.get('ncc:totalTime')}, the clips last {total:.1f} s")
    if meta.get("dc:format") != "Daisy 2.02" or not meta.get("ncc:narrator"):
        error("ncc.html", "dc:format is not 'Daisy 2.02' or ncc:narrator is missing")
    wanted = [identifier for identifier, _ in document_sentences(document)]
    if read != wanted:
        lost = [identifier for identifier in wanted if identifier not in read]
        error("master.smil", f"the SMIL files read {len(read)} sentences, the source has {len(wanted)} "
                             f"(missing or out of order, first: {lost[:5] or read[:5]})")
    return findings


def _seconds(path: Path) -> float:
    """An MP3's length, 0 when it is missing or unreadable (the clips are then all past its end)."""
    from mutagen.mp3 import MP3

    info = MP3(path).info if path.is_file() else None
    return float(info.length) if info is not None else 0.0


# -- a real player -------------------------------------------------------------------

SOUND_CARDS = Path("/proc/asound/cards")
PLAYER_TIMEOUT = 30.0  # seconds for the player to show its list; it takes about one
# daisy-player 13 reads the sound cards from /proc/asound/cards as it starts, and
# stops ("Cannot read /proc/asound/cards") where there is no sound driver: in a
# container or on a CI runner. Preloaded, this shim gives it a file of no cards
# instead, so it offers ALSA's default device alone. It never plays: it is asked
# to list the book, then to quit.
NO_SOUND_CARDS = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *opened(const char *name, const char *path, const char *mode) {
    FILE *(*real)(const char *, const char *) = (FILE *(*)(const char *, const char *)) dlsym(RTLD_NEXT, name);
    const char *cards = getenv("PUBLISHER_SOUND_CARDS");
    return real(cards && path && strcmp(path, "/proc/asound/cards") == 0 ? cards : path, mode);
}
FILE *fopen(const char *path, const char *mode) { return opened("fopen", path, mode); }
FILE *fopen64(const char *path, const char *mode) { return opened("fopen64", path, mode); }
"""
# One item of daisy-player's list: indented three spaces a level (two at the top),
# the title, dot leaders, the item's first page in brackets, its playing time.
LISTED_ITEM = re.compile(r"^(?P<indent>  +)(?:J )?(?P<title>\S.*?)[ .]*(?:\(\s*(?P<page>\d+)\))?\s*(?:\d+:\d\d)?\s*$")


def player_tools() -> list[str]:
    """The commands ``player_listing`` runs here: a C compiler only where there is no sound driver."""
    return ["daisy-player", "tmux"] + ([] if os.access(SOUND_CARDS, os.R_OK) else ["cc"])


def player_listing(folder: Path, timeout: float = PLAYER_TIMEOUT) -> list[tuple[int, str, str]]:
    """What Debian's daisy-player lists when it opens the DAISY 2.02 book in
    ``folder``: (level, title, first page or "") of each item, in order.

    It runs in a tmux server of its own (a socket in a temporary folder, which
    is also its HOME, so no settings or bookmarks of the user's are read or
    written), in a 120 × 50 terminal; the first run's "Select a soundcard"
    is answered with Enter (the default device), the list read off the
    screen, and the player quit with "q". Raises RuntimeError, with the
    screen, when the list does not appear within ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="daisy-player-") as work:
        home = Path(work)
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "LANG": "C.UTF-8",
                       "TERM": "xterm-256color"}
        if not os.access(SOUND_CARDS, os.R_OK):
            (home / "no-cards.c").write_text(NO_SOUND_CARDS, encoding="utf-8")
            subprocess.run(["cc", "-shared", "-fPIC", "-o", str(home / "no-cards.so"), str(home / "no-cards.c"),
                            "-ldl"], check=True, capture_output=True, timeout=60)
            (home / "cards").write_bytes(b"")
            environment |= {"LD_PRELOAD": str(home / "no-cards.so"), "PUBLISHER_SOUND_CARDS": str(home / "cards")}
        tmux = ["tmux", "-S", str(home / "tmux.socket"), "-f", os.devnull]
        # The shell keeps the pane open after the player ends, showing why it did.
        command = (f"daisy-player {shlex.quote(str(folder))} -i -n; echo \"daisy-player ended: $?\"; "
                   f"sleep {int(timeout) + 5}")
        subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "50", command], env=environment,
                       check=True, capture_output=True, timeout=10)
        try:
            screen = wait_for_list(tmux, environment, timeout)
            subprocess.run([*tmux, "send-keys", "q"], env=environment, capture_output=True, timeout=10)
        finally:
            subprocess.run([*tmux, "kill-server"], env=environment, capture_output=True, timeout=10)
    return listed_items(screen)


def wait_for_list(tmux: list[str], environment: dict[str, str], timeout: float) -> str:
    """The player's screen once it shows the book's list (its status line, "total length")."""
    deadline, answered, screen = time.monotonic() + timeout, False, ""
    while time.monotonic() < deadline:
        screen = subprocess.run([*tmux, "capture-pane", "-p"], env=environment, capture_output=True, text=True,
                                timeout=10).stdout
        if "total length" in screen and listed_items(screen):
            return screen
        if "Select a soundcard" in screen and not answered:
            subprocess.run([*tmux, "send-keys", "Enter"], env=environment, capture_output=True, timeout=10)
            answered = True
        if "daisy-player ended" in screen:
            break
        time.sleep(0.2)
    raise RuntimeError(f"daisy-player showed no list of the book within {timeout:.0f} s; its screen:\n{screen}")


def listed_items(screen: str) -> list[tuple[int, str, str]]:
    """The items below daisy-player's status line, until the first blank line."""
    lines = screen.splitlines()
    start = next((n + 1 for n, line in enumerate(lines) if "total length" in line), len(lines))
    items = []
    for line in lines[start:]:
        match = LISTED_ITEM.match(line)
        if not line.strip() or match is None:
            break
        items.append(((len(match["indent"]) - 2) // 3 + 1, match["title"], match["page"] or ""))
    return items
