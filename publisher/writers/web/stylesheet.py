"""The web edition's stylesheet: the house style as clear print on a screen.

Sans-serif, left aligned (right aligned for a right-to-left language: the
``start`` side), relative units only, lines of at most about 70 characters,
links underlined, emphasis bold and never italic. Three colour themes (see
``colours``): the device's light or dark preference is followed until the
reader chooses; the reader's choices (``data-*`` on <html>, set by
player.js) scale text size, line spacing and letter and word spacing. A print
stylesheet gives clear print on paper: black on white, no player, no settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...style import Style
from .colours import themes

ACTIVE_CLASS = "reading-now"  # the sentence being read aloud (player.js sets it)


def stylesheet(style: Style, font_files: tuple[str, str] | None, scripts: Sequence[tuple[str, str]] = ()) -> bytes:
    """``font_files``: the print family's regular and bold files in fonts/, or None;
    ``scripts``: (family, file) of the variable fonts for letters it lacks, after it in the stack."""
    colours = style["colours"]
    theme = themes(colours, style["epub"]["highlight"])
    family = style["fonts"]["print"]
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight};'
        f" font-display: swap; src: url(fonts/{name}); }}\n"
        for weight, name in zip(("400", "700"), font_files, strict=True)
    ) if font_files else ""
    faces += "".join(f'@font-face {{ font-family: "{name}"; font-style: normal; font-weight: 100 900;'
                     f" font-display: swap; src: url({href}); }}\n" for name, href in scripts)
    stack = "".join(f', "{name}"' for name, _ in scripts)
    line_height = style["epub"]["line_height"]
    return (faces + f"""
:root {{{theme['light'].css()} color-scheme: light dark; }}
@media (prefers-color-scheme: dark) {{ :root:not([data-theme]) {{{theme['dark'].css()} }} }}
:root[data-theme="light"] {{{theme['light'].css()} color-scheme: light; }}
:root[data-theme="dark"] {{{theme['dark'].css()} color-scheme: dark; }}
:root[data-theme="cream"] {{{theme['cream'].css()} color-scheme: light; }}
:root[data-size="large"] {{ font-size: 125%; }}
:root[data-size="larger"] {{ font-size: 150%; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; color: var(--text); background: var(--background);
  font-family: "{family}"{stack}, Verdana, Arial, sans-serif; font-size: 1.125rem;
  line-height: {line_height}; text-align: start; hyphens: manual; overflow-wrap: break-word; }}
:root[data-spacing="wide"] body {{ line-height: 1.8; }}
:root[data-spacing="wider"] body {{ line-height: 2.1; }}
:root[data-dyslexia="on"] body {{ letter-spacing: 0.12em; word-spacing: 0.16em; }}
:root[data-dyslexia="on"] p, :root[data-dyslexia="on"] li {{ margin-bottom: 2em; }}
.page {{ max-width: 70ch; margin: 0 auto; padding: 0 1rem 2rem; }}
header.site, footer.site {{ padding: 0.75rem 0; }}
header.site {{ border-bottom: 0.125rem solid var(--accent); margin-bottom: 1.5rem; }}
footer.site {{ border-top: 0.125rem solid var(--accent); margin-top: 2rem; }}
.skip {{ position: absolute; left: -999rem; }}
.skip:focus {{ position: static; display: inline-block; margin: 0.5rem 0; }}
.draft {{ border: 0.2rem solid var(--text); padding: 0.5rem 0.75rem; font-weight: bold; }}
p {{ margin: 0 0 1em; }}
h1, h2, h3, h4, h5, h6 {{ line-height: 1.25; margin: 1.5em 0 0.75em; font-weight: bold; color: var(--text); }}
h1 {{ font-size: 1.75em; margin-top: 0.5em; }}
h2 {{ font-size: 1.4em; }}
h3, h4, h5, h6 {{ font-size: 1.15em; }}
.title {{ font-size: 1.75em; font-weight: bold; line-height: 1.25; margin-bottom: 0.5em; }}
.subtitle {{ font-size: 1.3em; font-weight: bold; }}
em, strong, b, i, cite, dfn, var, address {{ font-style: normal; }}
em, strong, b, i, cite, dfn {{ font-weight: bold; }}
a {{ color: var(--accent); text-decoration: underline; text-underline-offset: 0.15em; }}
a:focus-visible, summary:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible,
audio:focus-visible {{ outline: 0.2rem solid var(--accent); outline-offset: 0.15rem; }}
ul, ol {{ margin: 0 0 1em; padding-inline-start: 1.5em; }}
li {{ margin-bottom: 0.5em; }}
figure {{ margin: 1.5em 0; }}
figure.quote {{ padding-inline-start: 1em; border-inline-start: 0.25em solid var(--accent); }}
blockquote {{ margin: 0; }}
figcaption {{ font-weight: bold; }}
aside.callout {{ margin: 1.5em 0; padding: 0.75em 1em; border: 0.2em solid var(--accent); background: var(--tint); }}
.callout-title {{ font-weight: bold; font-size: 1.1em; }}
table {{ border-collapse: collapse; margin: 1.5em 0; }}
th, td {{ border: 0.0625rem solid var(--accent); padding: 0.4em 0.6em; text-align: start; vertical-align: top; }}
caption {{ font-weight: bold; text-align: start; padding-bottom: 0.5em; }}
img {{ max-width: 100%; height: auto; }}
.listen {{ margin: 0 0 1.5rem; padding: 0.75rem; border: 0.125rem solid var(--accent); background: var(--tint); }}
.listen p {{ margin: 0 0 0.5rem; }}
.listen p:first-child {{ font-weight: bold; }}
.listen audio {{ width: 100%; }}
.listen-options, .comfort form {{ display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center;
  margin-top: 0.5rem; }}
.listen-options[hidden], .comfort[hidden] {{ display: none; }}
button, select, input {{ font: inherit; color: inherit; }}
button, select {{ background: var(--background); border: 0.125rem solid var(--accent); border-radius: 0.25rem;
  padding: 0.25rem 0.5rem; min-height: 2.75rem; min-width: 2.75rem; }}
input[type="checkbox"] {{ width: 1.5rem; height: 1.5rem; vertical-align: middle; accent-color: var(--accent); }}
label {{ display: inline-flex; gap: 0.4rem; align-items: center; min-height: 2.75rem; }}
.comfort summary {{ cursor: pointer; padding: 0.6rem 0; font-weight: bold; }}
.playable {{ cursor: pointer; }}
.{ACTIVE_CLASS} {{ background: var(--highlight); color: var(--highlight-text); border-radius: 0.15em;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; }}
.{ACTIVE_CLASS} a {{ color: inherit; }}
.contents li {{ margin-bottom: 0.75em; }}
nav.pager ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem;
  justify-content: space-between; }}
@media (prefers-reduced-motion: no-preference) {{ html {{ scroll-behavior: smooth; }} }}
@media print {{
  :root, :root[data-theme] {{{theme['light'].css()} --text: #000000; --background: #FFFFFF; --accent: #000000;
    --tint: #FFFFFF; --highlight: #FFFFFF; --highlight-text: #000000; }}
  body {{ font-size: 12pt; line-height: 1.4; letter-spacing: normal; word-spacing: normal; }}
  .page {{ max-width: none; padding: 0; }}
  .skip, .listen, .comfort, nav.pager, header.site nav {{ display: none !important; }}
  a {{ color: #000000; }}
  a[href^="http"]::after, a[href^="mailto:"]::after {{ content: " (" attr(href) ")"; font-weight: normal; }}
  h1, h2, h3, h4, h5, h6 {{ break-after: avoid; }}
  figure, aside.callout, li, tr {{ break-inside: avoid; }}
}}
""").encode()
