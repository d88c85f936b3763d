"""Rules about fonts: every font embedded, no Type 3 (bitmap or drawn) fonts.

The fonts are read from the PDF's structure (`proceedings.pdf.facts`), including those inside
included figures, and agree with poppler's `pdffonts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from proceedings.paper import facts_for
from proceedings.pdf.facts import FontFacts
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.wording import on_pages

# A message names at most this many fonts, then says how many more there are.
MAX_FONTS_NAMED = 8
# The resource name arXiv gives the font of the identifier it stamps in the left margin.
ARXIV_STAMP = "arXivStAmP"

_EMBED_HINT = (
    "Embed every font: with pdfLaTeX, run `updmap-user --setoption pdftexDownloadBase14 true` "
    "and remove any `\\pdfmapline` or `\\pdfmapfile` that unembeds fonts; save figures with "
    'their fonts embedded (matplotlib: `rcParams["pdf.fonttype"] = 42`, without '
    "`pdf.use14corefonts`)."
)
_FIGURE_EMBED_HINT = (
    "Export the figure again with its fonts embedded (matplotlib: "
    '`rcParams["pdf.fonttype"] = 42`, and do not set `pdf.use14corefonts`; Inkscape and '
    "Illustrator: embed fonts, or convert text to outlines), then compile again."
)
_ARXIV_HINT = (
    "Upload the PDF you compiled, not the copy downloaded from arXiv: arXiv stamps its "
    "identifier in the margin of page 1 with a font it does not embed."
)
_TYPE3_HINT = (
    'For matplotlib figures set `rcParams["pdf.fonttype"] = 42` (TrueType) and save them '
    "again; for bitmap text from pdfLaTeX, use `\\usepackage[T1]{fontenc}` with the cm-super "
    "or lmodern fonts (`\\usepackage{lmodern}`) so the text is set in Type 1 fonts."
)


@rule("FONT001", "fonts-not-embedded", Severity.ERROR, fix=_EMBED_HINT)
def fonts_not_embedded(paper: CheckedPaper) -> Iterator[Violation]:
    """Fonts that are not embedded in the PDF, in the text or in a figure.

    ## What it catches
    Every font the pages use (in their text, in included figures, in form fields) whose font
    program is not in the file: a font referenced by name only. The message names each font,
    the pages that use it, whether it comes from a figure, and whether it is one of the 14
    standard PDF fonts (Times, Helvetica, Courier, Symbol, ZapfDingbats).

    ## Why it matters
    PMLR and ICLR require every font to be embedded, the 14 standard fonts included. A reader
    without the font sees another one in its place: metrics change, symbols go missing, and
    print shops and archives reject such files.

    ## Known problems
    A font counts as used on a page when the page's resources name it, even if no character
    of it is drawn; `pdffonts` counts the same way. A non-embedded Times-Roman on page 1 only
    is usually arXiv's identifier stamp, not the paper's own text (the message says so).

    ## Example
    A paper whose text and figure use fonts that are not embedded:

        error FONT001 page 1 2 fonts are not embedded: Times-Roman (a standard-14 font) on pages
        1-2; Helvetica (a standard-14 font) in a figure on page 2

    ## How to fix
    Compile with fonts embedded: with pdfLaTeX run `updmap-user --setoption
    pdftexDownloadBase14 true` and drop `\\pdfmapline` / `\\pdfmapfile` lines that unembed
    fonts. Save figures with embedded fonts (matplotlib: `rcParams["pdf.fonttype"] = 42`).
    As a last resort, Ghostscript can embed them:
    `gs -o out.pdf -sDEVICE=pdfwrite -dPDFSETTINGS=/prepress -dEmbedAllFonts=true paper.pdf`.
    """
    facts = facts_for(paper)
    missing = _group(font for font in facts.fonts if not font.embedded)
    if not missing:
        return
    described = [
        f"{group.label}{' (a standard-14 font)' if group.standard14 else ''} {_where(group)}"
        for group in missing
    ]
    count = sum(group.distinct for group in missing)
    lead = "a font is" if count == 1 else f"{count} fonts are"
    yield Violation(
        f"{lead} not embedded: {_listing(described)}",
        page=min(min(group.pages) for group in missing),
        hint=_embed_hint(missing),
    )


@rule("FONT002", "type3-fonts", Severity.WARNING, fix=_TYPE3_HINT)
def type3_fonts(paper: CheckedPaper) -> Iterator[Violation]:
    """Type 3 fonts: glyphs drawn as pictures or bitmaps, in the text or in a figure.

    ## What it catches
    Fonts of type 3, whose glyphs are little drawings rather than outlines. Matplotlib writes
    them by default (`pdf.fonttype: 3`); old pdfLaTeX and dvips setups write bitmap Type 3
    fonts when `\\usepackage[T1]{fontenc}` is used without the cm-super or lmodern fonts.
    The message names each font, its pages, and whether it comes from a figure.

    ## Why it matters
    Bitmap Type 3 fonts look blurred on screen and in print; many carry no Unicode mapping,
    so the text cannot be searched, copied or read aloud, and this checker cannot measure the
    page limit from it. Some submission systems (IEEE PDF eXpress, several publishers) reject
    Type 3 fonts outright.

    ## Known problems
    Type 3 fonts drawn from outlines (matplotlib's) render well; they still cannot always be
    searched and are reported too. A warning, not an error: PMLR accepts them.

    ## Example
    A matplotlib figure saved with its default font type:

        warning FONT002 page 4 a Type 3 font: DejaVuSans in a figure on pages 4, 6, 13, 15

    ## How to fix
    Matplotlib: `rcParams["pdf.fonttype"] = 42` before saving the figures. pdfLaTeX:
    `\\usepackage{lmodern}` (or install cm-super) next to `\\usepackage[T1]{fontenc}`.
    """
    facts = facts_for(paper)
    found = _group(font for font in facts.fonts if font.type3)
    if not found:
        return
    described = [f"{group.label} {_where(group)}" for group in found]
    count = sum(group.distinct for group in found)
    lead = "a Type 3 font" if count == 1 else f"{count} Type 3 fonts"
    if len(found) == 1 and found[0].name is None and count > 1:
        described = [f"all unnamed, {_where(found[0])}"]
    yield Violation(
        f"{lead}: {_listing(described)}",
        page=min(min(group.pages) for group in found),
    )


@dataclass
class _Group:
    """Font dictionaries that read the same to a person, merged: those of one name (its
    subset tag removed, so `ABCDEF+DejaVuSans` and `GHIJKL+DejaVuSans` are one), or all
    those without a name."""

    name: str | None
    standard14: bool
    count: int = 0
    pages: set[int] = field(default_factory=set)
    figure_pages: set[int] = field(default_factory=set)
    annotation_pages: set[int] = field(default_factory=set)
    resource_names: set[str] = field(default_factory=set)

    @property
    def distinct(self) -> int:
        """How many fonts a person would count: one per name; each unnamed one."""
        return 1 if self.name is not None else self.count

    @property
    def label(self) -> str:
        if self.name is not None:
            return self.name
        if self.count > 1:
            return f"{self.count} unnamed fonts"
        names = sorted(self.resource_names)
        return f"an unnamed font (/{names[0]})" if names else "an unnamed font"


def _group(fonts: Iterable[FontFacts]) -> list[_Group]:
    groups: dict[tuple[str | None, bool], _Group] = {}
    for font in fonts:
        key = (font.base_name, font.standard14)
        group = groups.setdefault(key, _Group(font.base_name, font.standard14))
        group.count += 1
        group.pages |= set(font.pages)
        group.figure_pages |= set(font.figure_pages)
        group.annotation_pages |= set(font.annotation_pages)
        if font.resource_name:
            group.resource_names.add(font.resource_name)
    return sorted(
        (group for group in groups.values() if group.pages),
        key=lambda group: (min(group.pages), group.name is None, group.name or ""),
    )


def _where(group: _Group) -> str:
    """`on pages 1-12`, `in a figure on page 4`, `on pages 1-9 (in a figure on page 3)`."""
    pages = group.pages
    if group.resource_names == {ARXIV_STAMP}:
        return f"{on_pages(pages)} (arXiv's identifier stamp)"
    if pages <= group.figure_pages:
        return f"in a figure {on_pages(pages)}"
    if pages <= group.annotation_pages:
        return f"in a form field or annotation {on_pages(pages)}"
    if group.figure_pages:
        return f"{on_pages(pages)} (in a figure {on_pages(group.figure_pages)})"
    return on_pages(pages)


def _listing(items: list[str]) -> str:
    shown = items[:MAX_FONTS_NAMED]
    rest = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {rest} more" if rest > 0 else "")


def _embed_hint(groups: list[_Group]) -> str | None:
    """A hint for the one cause all missing fonts share, else None (the rule's own hint)."""
    if all(group.resource_names == {ARXIV_STAMP} for group in groups):
        return _ARXIV_HINT
    if all(group.pages <= group.figure_pages for group in groups):
        return _FIGURE_EMBED_HINT
    return None
