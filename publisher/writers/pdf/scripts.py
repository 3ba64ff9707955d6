"""Which writing systems a publication's print editions must set, and in
which fonts: chosen from the source's language and the characters its text
uses, so an Urdu source gets an Arabic-script font and an English one that
quotes a word of Urdu gets it too.
"""

from __future__ import annotations

from ...contract import Job
from ...text import reading_chunks

# Scripts (ISO 15924) that need a font of their own beside the print font, by
# their Unicode blocks. Latin, Greek and Cyrillic are the print font's and its
# fallback's.
SCRIPT_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    # Arabic, its supplement and extended blocks, and the presentation forms (Urdu's letters are in the first)
    "Arab": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "Hebr": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
}

# A language's usual script, when it is not Latin (BCP 47's primary subtag).
LANGUAGE_SCRIPTS = {"ar": "Arab", "ckb": "Arab", "fa": "Arab", "ks": "Arab", "ps": "Arab", "sd": "Arab",
                    "ug": "Arab", "ur": "Arab", "pa-Arab": "Arab", "he": "Hebr", "yi": "Hebr"}


def script_of(char: str) -> str | None:
    """The script of ``char`` when it needs a font of its own, else None."""
    code = ord(char)
    for script, blocks in SCRIPT_BLOCKS.items():
        if any(low <= code <= high for low, high in blocks):
            return script
    return None


def language_script(language: str) -> str | None:
    parts = language.split("-")
    return LANGUAGE_SCRIPTS.get("-".join(parts[:2])) or LANGUAGE_SCRIPTS.get(parts[0].lower())


def scripts_needed(job: Job) -> set[str]:
    """The language's script, and any other script its text (title, contact details included) uses."""
    needed = {language_script(job.document.meta.language)} - {None}
    meta = job.document.meta
    texts = [meta.title, meta.subtitle or "", meta.publisher, *(chunk for chunk in reading_chunks(job.document))]
    texts += [edition.name + edition.title for edition in job.editions]  # "This guidance in other languages"
    for text in texts:
        needed.update(script for script in map(script_of, text) if script)
    return {script for script in needed if script is not None}


def script_fonts(job: Job) -> dict[str, str]:
    """script → font family for every script the job needs that the house
    style names a font for (``pdf.script_fonts``). A script with no font
    is left out: its characters are warned about as unprintable."""
    families = job.style["pdf"]["script_fonts"] or {}
    return {script: families[script] for script in sorted(scripts_needed(job)) if script in families}
