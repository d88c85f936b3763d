"""Rules about the pages' geometry: the venue's paper size, rotation, crop boxes.

Sizes are the visible page (the crop box, as viewers and `pdfinfo` show it) before rotation,
in PDF points (1/72 in).
"""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.paper import facts_for
from proceedings.pdf.facts import PageFacts
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.wording import describe_pages, on_pages

# How far a page may be from the expected size, in points, on each side.
TOLERANCE_PT = 2.0

# The sizes the venue may ask for (`venue.page_size`, default "letter").
VENUE_SIZES: dict[str, tuple[str, float, float]] = {
    "letter": ("US Letter", 612.0, 792.0),
    "a4": ("A4", 595.276, 841.89),
}
DEFAULT_SIZE = "letter"

# Sizes a page found may have, to name it in the message (portrait; landscape is detected).
KNOWN_SIZES: tuple[tuple[str, float, float], ...] = (
    ("US Letter", 612.0, 792.0),
    ("A4", 595.276, 841.89),
    ("US Legal", 612.0, 1008.0),
    ("A3", 841.89, 1190.551),
    ("A5", 419.528, 595.276),
    ("B5", 498.898, 708.661),
    ("JIS B5", 515.906, 728.504),
    ("Executive", 522.0, 756.0),
    ("Tabloid", 792.0, 1224.0),
)


A4_FIX = (
    "Compile on A4: use the venue's style file unchanged, add `a4paper` to `\\documentclass` "
    "(or `\\usepackage[a4paper]{geometry}`); check with `pdfinfo paper.pdf`."
)


@rule(
    "PAGESIZE001",
    "page-size",
    Severity.ERROR,
    fix="Compile on US Letter: use the venue's style file unchanged, and remove `a4paper` "
    "(or set `\\usepackage[letterpaper]{geometry}`); check with `pdfinfo paper.pdf`.",
)
def page_size(paper: CheckedPaper) -> Iterator[Violation]:
    """Pages that are not the venue's paper size (US Letter unless configured).

    ## What it catches
    Every page whose visible size (its crop box) differs from the venue's paper size by more
    than 2 pt: a paper compiled on A4 (`a4paper`, a TeX installation whose default is A4, a
    Word export on A4), a page cropped or scaled by a tool, an appendix merged from a PDF of
    another size. The message gives the size found and the pages, e.g. `A4, 595 x 842 pt, on
    pages 1-12`.

    ## Why it matters
    ICLR's style and PMLR's volumes are US Letter (612 x 792 pt). An A4 paper has a different
    text block, margins and page count than the camera-ready layout, and prints and merges
    badly with the others in the volume.

    ## Known problems
    A landscape page made by swapping the media box's width and height (rather than by
    rotating the page) is reported as `US Letter landscape`.

    ## Example
    A paper compiled on A4:

        error PAGESIZE001 page 1 page size is not US Letter (612 x 792 pt): A4, 595 x 842 pt, on
        pages 1-2

    ## How to fix
    Use the venue's style file without changes; remove `a4paper` from `\\documentclass`, or
    add `\\usepackage[letterpaper]{geometry}`. Check the result with `pdfinfo paper.pdf`.

    ## Options
    The expected size is US Letter; a venue on A4 sets `venue.page_size: a4` in volume.yaml
    (`--page-size a4` for loose PDFs), and the fix then says how to compile on A4. The
    tolerance is `TOLERANCE_PT` (2 pt).
    """
    facts = facts_for(paper)
    if not facts.pages:
        return
    wanted = paper.venue.page_size.strip().lower().replace(" ", "")
    wanted = {"usletter": "letter"}.get(wanted, wanted)
    if wanted not in VENUE_SIZES:
        return  # a size no one can compile on: VOL018 reports the setting
    name, width, height = VENUE_SIZES[wanted]
    groups: dict[str, list[int]] = {}
    for page in facts.pages:
        if not _close(page.width, page.height, width, height):
            groups.setdefault(_describe_page(page), []).append(page.number)
    if not groups:
        return
    found = "; ".join(f"{description}, {on_pages(pages)}" for description, pages in groups.items())
    yield Violation(
        f"page size is not {name} ({_pt(width)} x {_pt(height)} pt): {found}",
        page=min(pages[0] for pages in groups.values()),
        hint=None if wanted == DEFAULT_SIZE else A4_FIX,
    )


@rule(
    "PAGESIZE002",
    "rotated-pages",
    Severity.WARNING,
    fix="Leave pages unrotated: put wide tables in a `sidewaystable` or shrink them to the "
    "text width instead of turning the page (`pdflscape`, viewer or scanner rotation).",
)
def rotated_pages(paper: CheckedPaper) -> Iterator[Violation]:
    """Pages the PDF asks viewers to turn (a /Rotate of 90, 180 or 270 degrees).

    ## What it catches
    Pages with a rotation: landscape pages made with `pdflscape`, pages turned in a viewer
    and saved, pages of a scan or a merged PDF that came in sideways or upside down.

    ## Why it matters
    On screen a turned page interrupts reading; upside-down pages (180 degrees) are almost
    always a mistake. Tools that stamp page numbers or headers into the volume place them in
    the page's own coordinates, so on a turned page they land along a side edge.

    ## Known problems
    A landscape page made on purpose for a wide table is reported too; if the venue accepts
    it, ignore this warning for that paper.

    ## Example
    A PDF whose page 2 carries `/Rotate 90`:

        warning PAGESIZE002 page 2 page 2 is rotated by 90 degrees

    ## How to fix
    Fit the table or figure to the text width, or use `sidewaystable` (from `rotating`), which
    turns the content but not the page. For a page turned by a viewer, turn it back and save.
    """
    facts = facts_for(paper)
    groups: dict[int, list[int]] = {}
    for page in facts.pages:
        if page.rotation:
            groups.setdefault(page.rotation, []).append(page.number)
    if not groups:
        return
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    first_rotation, first_pages = ordered[0]
    verb = "is" if len(first_pages) == 1 else "are"
    parts = [f"{describe_pages(first_pages)} {verb} rotated by {first_rotation} degrees"]
    parts += [f"{describe_pages(pages)} by {rotation} degrees" for rotation, pages in ordered[1:]]
    yield Violation("; ".join(parts), page=first_pages[0])


@rule(
    "PAGESIZE003",
    "crop-box",
    Severity.WARNING,
    fix="Compile the PDF again without cropping it in a viewer; or make the crop box the "
    "page with `gs -o out.pdf -sDEVICE=pdfwrite -dUseCropBox paper.pdf`.",
)
def crop_box(paper: CheckedPaper) -> Iterator[Violation]:
    """Pages whose crop box (the visible area) differs from the media box (the sheet).

    ## What it catches
    Pages with a /CropBox more than 2 pt inside their /MediaBox on any edge, as "crop pages"
    in Acrobat or Preview leaves them, or a merge of PDFs of different sizes.

    ## Why it matters
    Viewers show only the crop box, but printers, PDF tools and the volume builder may use
    the media box: margins, running heads or page numbers end up in different places than
    the author saw, and text outside the crop box is hidden on screen yet still in the file
    (searchable, extractable, and sometimes not meant to be published).

    ## Example
    A page whose crop box lies 18 pt inside the sheet on every side:

        warning PAGESIZE003 page 2 crop box 576 x 756 pt inside the media box 612 x 792 pt on page 2

    ## How to fix
    Upload the PDF LaTeX wrote, not a cropped copy. To make the visible area the page, run
    `gs -o out.pdf -sDEVICE=pdfwrite -dUseCropBox paper.pdf`.
    """
    facts = facts_for(paper)
    groups: dict[tuple[str, str], list[int]] = {}
    for page in facts.pages:
        if (
            max(abs(a - b) for a, b in zip(page.crop_box, page.media_box, strict=True))
            > TOLERANCE_PT
        ):
            media_width, media_height = page.media_size
            key = (_size(page.width, page.height), _size(media_width, media_height))
            groups.setdefault(key, []).append(page.number)
    if not groups:
        return
    parts = [
        f"crop box {crop} inside the media box {media} {on_pages(pages)}"
        for (crop, media), pages in groups.items()
    ]
    yield Violation("; ".join(parts), page=min(pages[0] for pages in groups.values()))


def size_name(width: float, height: float) -> str | None:
    """`A4`, `US Letter landscape`, or None for a size without a name."""
    for name, known_width, known_height in KNOWN_SIZES:
        if _close(width, height, known_width, known_height):
            return name
        if _close(width, height, known_height, known_width):
            return f"{name} landscape"
    return None


def _describe_page(page: PageFacts) -> str:
    """`A4, 595 x 842 pt` or `576 x 756 pt (crop box)`."""
    name = size_name(page.width, page.height)
    size = f"{name}, {_size(page.width, page.height)}" if name else _size(page.width, page.height)
    media_width, media_height = page.media_size
    if not _close(page.width, page.height, media_width, media_height):
        size += " (crop box)"
    return size


def _close(width: float, height: float, want_width: float, want_height: float) -> bool:
    return abs(width - want_width) <= TOLERANCE_PT and abs(height - want_height) <= TOLERANCE_PT


def _size(width: float, height: float) -> str:
    return f"{_pt(width)} x {_pt(height)} pt"


def _pt(value: float) -> str:
    return f"{value:.0f}"
