"""Accessibility and readability lint over the document model.

Each rule looks at the model (never at Markdown) and returns findings that
name the source line, so the report can send an editor straight to it. What
a reader cannot get past (an image without real alt text) is an error; what
makes reading harder (long sentences, vague links) is a warning; a quotation
cannot be reworded, so its long sentences are only noted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, INFO, WARNING, Diagnostic
from ..model import (
    Block,
    Document,
    Heading,
    Paragraph,
    Quote,
    Run,
    Section,
    plain,
    walk,
)
from ..sourcefiles import display_path
from ..terms import terms_for
from ..text import section_sentences, sentence_spans, words
from ..visit import part_runs

LONG_SENTENCE_WORDS = 25  # Plain English Campaign: 15–20 words on average, 25 at most
LONG_PARAGRAPH_SENTENCES = 5
# Flesch reading ease 60 is "plain English"; below 50 most adults find text hard.
HARD_READING_EASE = 50
MIN_WORDS_TO_SCORE = 50  # Flesch scores of a few lines swing wildly: judge no less than a paragraph or two

# Link text that tells a screen-reader user, who lists the links of a page,
# nothing about where a link goes.
VAGUE_LINK_TEXT = frozenset({
    "here", "click here", "click", "tap here", "read more", "more", "learn more", "find out more",
    "more info", "more information", "link", "this link", "this", "this page", "go", "details", "download",
})
VAGUE_LINK_WORDS = frozenset({"here", "click"})  # "Read the PDF here": the words around carry no target
GENERIC_ALT_TEXT = frozenset({
    "image", "picture", "photo", "photograph", "graphic", "img", "icon", "logo", "figure",
    "alt", "alt text", "placeholder", "todo", "tbc", "untitled",
})
REDUNDANT_ALT_START = re.compile(r"^(an? )?(image|picture|photo|graphic) (of|showing)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Readability:
    """How hard one section is to read, from its sentences."""

    section: Section
    words: int
    sentences: int
    syllables: int
    longest_sentence: int  # in words

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: 100 very easy, 60–70 plain English, under 30 very hard."""
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade: US school years of reading needed (UK year ≈ grade + 1)."""
        if not self.words:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59


def readability(section: Section) -> Readability:
    """Reading ease and grade of a section.

    Sentences and words come from publisher.text, the splitter the audio and
    the EPUB use (it knows "e.g." does not end a sentence and counts a heading
    or list item without a full stop as one); textstat counts syllables (the
    CMU pronouncing dictionary, then pyphen's hyphenation for unknown words).
    The Flesch formulas are then applied to those counts.
    """
    import textstat  # lazy: loading the pronouncing dictionary takes a moment

    sentences = [words(sentence.text) for sentence in section_sentences(section)]
    sentences = [found for found in sentences if found]
    syllables = sum(textstat.syllable_count(word) or 1 for found in sentences for word in found)
    return Readability(
        section,
        words=sum(len(found) for found in sentences),
        sentences=len(sentences),
        syllables=syllables,
        longest_sentence=max((len(found) for found in sentences), default=0),
    )


def lint(document: Document) -> list[Diagnostic]:
    """Every finding about the source, in source-line order."""
    where = str(display_path(document.source))
    findings = [
        *link_findings(document, where),
        *image_findings(document, where),
        *heading_findings(document, where),
        *length_findings(document, where),
        *readability_findings(document, where),
        *copy_findings(document, where),
        *terms_findings(document, where),
    ]
    return sorted(findings, key=lambda finding: finding.line)


# -- links ---------------------------------------------------------------------


def _links(runs: tuple[Run, ...]) -> Iterator[tuple[str, str]]:
    """(words, target) of each link in some runs; adjacent runs of one link joined."""
    text, target = "", None
    for run in (*runs, Run("")):
        if run.link is not None and run.link == target:
            text += run.text
            continue
        if target is not None:
            yield text.strip(), target
        text, target = run.text, run.link


def _all_blocks(document: Document) -> Iterator[Block]:
    for section in document.sections:
        yield from section.reading_order()


def link_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    for block in _all_blocks(document):
        for part, runs in enumerate(part_runs(block)):
            for text, target in _links(runs):
                yield from _link_finding(where, _part_line(block, part), text, target)
    disclaimer = document.meta.disclaimer
    if disclaimer is not None and disclaimer.link is not None:
        yield from _link_finding(where, front_matter_line(document, "disclaimer"), disclaimer.text, disclaimer.link)


def _link_finding(where: str, line: int, text: str, target: str) -> Iterator[Diagnostic]:
    if not target.strip():
        yield Diagnostic(WARNING, where, f"the link '{text}' has no target: readers get words they cannot follow", line)
    spoken = " ".join(words(text))
    if spoken in VAGUE_LINK_TEXT:
        yield Diagnostic(WARNING, where, f"the link text '{text}' says nothing about where it goes; "
                                      "name the destination, e.g. 'Emotional milestones (PDF)'", line)
    elif VAGUE_LINK_WORDS & set(words(text)):
        yield Diagnostic(WARNING, where, f"the link text '{text}' leans on 'here' or 'click'; screen-reader users "
                                      "hear links out of context, so name the destination instead", line)


def front_matter_line(document: Document, key: str) -> int:
    """The line of a front-matter key (the model keeps values, not their lines)."""
    try:
        lines = document.source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    for number, text in enumerate(lines[1:], start=2):
        if text.startswith(f"{key}:"):
            return number
        if text.strip() == "---":
            break
    return 1


# -- images --------------------------------------------------------------------


def image_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    for image in document.images:
        alt = image.alt.strip()
        name = Path(image.path).name
        if alt.lower() in {name.lower(), Path(name).stem.lower()} or alt.lower() in GENERIC_ALT_TEXT:
            yield Diagnostic(ERROR, where, f"the image '{name}' has alt text '{alt}', which describes nothing; "
                                        "say what the picture shows", image.line)
        elif REDUNDANT_ALT_START.match(alt):
            yield Diagnostic(WARNING, where, f"the alt text of '{name}' starts '{alt.split()[0]} …'; screen readers "
                                          "already say it is an image, so start with what it shows", image.line)


# -- headings ------------------------------------------------------------------


def heading_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    previous = 1  # the title, from the front matter
    for block in _all_blocks(document):
        if isinstance(block, Heading):
            if block.level > previous + 1:
                yield Diagnostic(WARNING, where, f"heading level {block.level} ('{block.text}') follows level "
                                              f"{previous}; screen-reader users navigate by level, so do not "
                                              "skip one", block.line)
            previous = block.level


# -- length --------------------------------------------------------------------


def _part_line(block: Block, part: int) -> int:
    """The source line of one of ``block_parts(block)``, as near as the model knows."""
    if isinstance(block, Quote) and part < len(block.paragraphs):
        return block.paragraphs[part].line
    return block.line


def length_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    for section in document.sections:
        for sentence in section_sentences(section):
            count = len(words(sentence.text))
            if count > LONG_SENTENCE_WORDS:
                quoted = isinstance(sentence.block, Quote)
                opening = " ".join(sentence.text.split()[:8])
                yield Diagnostic(
                    INFO if quoted else WARNING, where,
                    f"a sentence of {count} words (over {LONG_SENTENCE_WORDS}){' in a quotation' if quoted else ''}: "
                    f"'{opening} …'" + ("" if quoted else "; split it in two"),
                    _part_line(sentence.block, sentence.part))
        for block in walk(section.blocks):
            paragraphs = block.paragraphs if isinstance(block, Quote) else (block,)
            for paragraph in paragraphs:
                if isinstance(paragraph, Paragraph):
                    count = len(sentence_spans(paragraph.text))
                    if count > LONG_PARAGRAPH_SENTENCES:
                        yield Diagnostic(WARNING, where, f"a paragraph of {count} sentences (over "
                                                      f"{LONG_PARAGRAPH_SENTENCES}); break it up", paragraph.line)


# -- readability ---------------------------------------------------------------


def readability_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    for section in document.sections:
        figures = readability(section)
        if figures.words >= MIN_WORDS_TO_SCORE and figures.reading_ease < HARD_READING_EASE:
            yield Diagnostic(WARNING, where, f"'{section.title}' is hard to read: reading ease "
                                          f"{figures.reading_ease:.0f} (aim for 60 or more), grade "
                                          f"{figures.grade:.1f}", section.line)



# -- copy errors ---------------------------------------------------------------

# Capitalised abbreviations that are words in their own right, not shouting.
ACRONYMS = frozenset({
    "NHS", "UK", "GP", "NSPCC", "UNICEF", "WHO", "EPUB", "PDF", "HTML", "NICE", "SEND", "SENCO", "ADHD", "DAISY",
})
_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_NO_SPACE_BEFORE_BRACKET = re.compile(r"\w\[")
_DOUBLED_DASH = re.compile(r"[—–-][—–-]+|(?<=\w)--(?=\w)")
_IZE = re.compile(r"\b[a-z]+iz(?:e|es|ed|ing|ation|ations)\b", re.IGNORECASE)
SPELLING = Path(__file__).with_name("spelling-en-GB.yaml")


def _spelling() -> tuple[dict[str, str], frozenset[str]]:
    import yaml

    data = yaml.safe_load(SPELLING.read_text(encoding="utf-8"))
    return dict(data["words"]), frozenset(data["ize_exceptions"])


def _texts(document: Document) -> Iterator[tuple[int, str]]:
    """(source line, text) of every piece of the body an editor wrote."""
    for block in _all_blocks(document):
        for part, runs in enumerate(part_runs(block)):
            yield _part_line(block, part), plain(runs)


def copy_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    """Slips a proof-reader would mark: unbalanced quotation marks, a bracket
    glued to a word, doubled dashes, © in the text, shouting capitals, and US
    spellings in a British English text."""
    us_words, ize_exceptions = _spelling()
    british = document.meta.language.lower() in ("en-gb", "en-uk")
    contact = document.meta.contact
    extra = [(front_matter_line(document, "contact"), contact.heading)] if contact else []
    for line, text in [*_texts(document), *extra]:
        if text.count("“") != text.count("”") or text.count('"') % 2:
            yield Diagnostic(WARNING, where, f"unbalanced quotation marks in '{_excerpt(text)}'",
                             line, "close every quotation you open")
        for match in _NO_SPACE_BEFORE_BRACKET.finditer(text):
            yield Diagnostic(WARNING, where, f"no space before '[' in '{_around(text, match.start())}'", line)
        for match in _DOUBLED_DASH.finditer(text):
            yield Diagnostic(WARNING, where, f"doubled dash '{match.group(0)}' in '{_around(text, match.start())}'",
                             line, "use one dash: — (with spaces) or –")
        if "©" in text:
            yield Diagnostic(WARNING, where, f"© in the text ('{_around(text, text.index('©'))}')", line,
                             "copyright belongs in the 'rights' line; screen readers and the audio read it aloud")
        for match in _SHOUTING.finditer(text):
            if match.group(0) not in ACRONYMS:
                yield Diagnostic(WARNING, where, f"'{match.group(0)}' is in capitals", line,
                                 "capitals are harder to read and sound like shouting; use bold for emphasis")
        if british:
            for word in re.findall(r"[A-Za-z]+", text):
                lower = word.lower()
                if lower in us_words:
                    yield Diagnostic(WARNING, where, f"US spelling '{word}'", line,
                                     f"British English: {us_words[lower]}")
                elif _IZE.fullmatch(lower) and lower not in ize_exceptions:
                    yield Diagnostic(WARNING, where, f"US spelling '{word}'", line,
                                     f"British English: {ise_spelling(lower)}")


def ise_spelling(word: str) -> str:
    return re.sub(r"iz(e|es|ed|ing|ation|ations)$", r"is\1", word)


def _excerpt(text: str) -> str:
    return " ".join(text.split()[:8]) + (" …" if len(text.split()) > 8 else "")


def _around(text: str, index: int, width: int = 20) -> str:
    return text[max(0, index - width): index + width].strip()


# -- words the tool adds -----------------------------------------------------------


def terms_findings(document: Document, where: str) -> Iterator[Diagnostic]:
    """The fixed words (headings, labels, announcements) this language has no
    translation for: printed and spoken in English until someone adds them."""
    terms = terms_for(document.meta.language)
    if terms.borrowed:
        shown = ", ".join(terms.borrowed[:10]) + (" …" if len(terms.borrowed) > 10 else "")
        yield Diagnostic(WARNING, where, f"{len(terms.borrowed)} of the tool's fixed words have no "
                         f"'{document.meta.language}' translation and appear in English: {shown}",
                         front_matter_line(document, "language"),
                         f"translate them in publisher/terms/{document.meta.language}.yaml")
