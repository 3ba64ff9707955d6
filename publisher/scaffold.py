"""``publisher new <slug>``: a starter source an editor fills in.

It builds as it stands, so an editor can run ``make`` at once and see every
format; each construct is shown once for real, with an HTML comment (which the
reader ignores) saying how to write it. The image is the only construct left
in a comment, because it needs a picture that does not exist yet.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from .diagnostics import SourceError
from .sourcefiles import display_path
from .style import load_style
from .text import slugify

TEMPLATE = """\
---
# The front matter: facts about the publication. Every key is optional except
# title, language and publisher; an unknown key is an error that names it.
title: {title}
subtitle: A guide for parents and carers
language: en-GB  # a BCP 47 tag: en-GB, cy (Welsh), pl (Polish), …
publisher: {publisher}
authors:
  - {publisher}
date: {date}  # YYYY-MM-DD: printed on the back cover, and the date stamped into every file
version: "0.1"
identifier: {identifier}  # keep it for the life of the publication
rights: © {publisher}. All rights reserved.
description: >-
  One or two sentences on what this guidance is for and who it helps.
keywords: [{keywords}]
contact:
  heading: Contact {publisher}
  address_label: "Write to:"
  address:
    - {publisher}
    - Street
    - Town Postcode
---

<!--
  How to write this file. Comments like this one are notes to other editors:
  they never appear in any edition. Delete these notes when you are done.

  Text before the first "##" heading opens the publication, under its title.
-->

Write the opening here. Keep sentences short: 25 words at most, about 15 on
average. Keep paragraphs to five sentences or fewer.

<!-- A "##" heading starts a section: a chapter of the EPUB, a track of the
     audio book, a heading in the booklet. "###" makes a heading inside it. -->

## First section

<!-- A quotation: lines starting with ">". Its last line starts with an em
     dash (—) and says who said it; the audio book reads it out. -->

> Write the quotation here, word for word.
>
> — Who said it, where, year

<!-- A list: "-" for bullets, "1." for numbers. Each item is one line of text. -->

- The first point
- The second point

1. The first step
2. The second step

<!-- A callout: a boxed aside. The words after "::: callout" are its title;
     a line ":::" ends it. -->

::: callout Did you know...?
Write the fact that deserves a box of its own here.
:::

<!-- A link: the words in [ ] say where it goes (never "click here"), the
     address goes in ( ). -->

Find more help on the [NHS website](https://www.nhs.uk/).

<!-- An image: put the picture in source/images/ and write it in a paragraph
     of its own. The words in [ ] are its alt text: say what it shows, for
     readers who cannot see it. For example:

![A parent smiling at a baby who smiles back](images/smile.png)
-->
"""


def scaffold(slug: str, folder: Path = Path("source")) -> Path:
    """Write ``<folder>/<slug>.md``; refuse a bad name or an existing file."""
    if slugify(slug, fallback="") != slug:
        raise SourceError(slug, 0, f"'{slug}' is not a usable name",
                          f"use lowercase letters, digits and hyphens, e.g. {slugify(slug, fallback='my-guide')}")
    target = folder / f"{slug}.md"
    if target.exists():
        raise SourceError(display_path(target), 0, "the file already exists; not overwriting it",
                          "choose another name, or edit the file you have")
    publisher = load_style(folder if folder.is_dir() else None)["organisation"]
    text = TEMPLATE.format(
        title=slug.replace("-", " ").capitalize(),
        publisher=publisher,
        date=dt.date.today().isoformat(),
        # The same identifier the reader would derive: stable for this publisher and slug.
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, publisher + '/' + slug)}",
        keywords=slug.replace("-", " "),
    )
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return target
