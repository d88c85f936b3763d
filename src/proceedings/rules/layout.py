"""Rules about the page layout of the main text: the style's text block, type size and leading.

The page limit is only as good as the layout it is counted in: a paper compiled with
narrower margins, a taller text block, smaller type or tighter lines holds more text per
page and passes a limit it would fail in the style. These rules measure the main text (see
`proceedings.pdf.textblock`) and compare it with the venue's layout.

A volume names its layout in `volume.yaml` (`venue.layout`: the lengths below in pt, or
`profile: iclr2026`); a volume that names none gets no layout rule, since its papers may use
any style. Loose PDFs are checked against ICLR 2026, the tool's default venue, as their page
size is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any
from weakref import WeakKeyDictionary

from proceedings.pdf.textblock import TextBlock, measure
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.volume import VenueRules, VolumeSources, build_volume, page_limit


@dataclass(frozen=True)
class VenueLayout:
    """A style's layout in PDF points; a length left None is not compared."""

    text_width: float | None = None
    text_height: float | None = None
    left: float | None = None  # the text block's distance from the left edge of the page
    body_size: float | None = None
    line_pitch: float | None = None  # baseline to baseline of the body text


# ICLR 2026's style: US Letter, a 5.5 in x 9 in text block 1.5 in from the left, 10 pt
# Times on 11 pt.
ICLR2026 = VenueLayout(
    text_width=396.0, text_height=648.0, left=108.0, body_size=10.0, line_pitch=11.0
)
PROFILES: dict[str, VenueLayout] = {"iclr2026": ICLR2026}
DEFAULT_LAYOUT = ICLR2026

# Tolerances, from the honest papers of the corpus in ICLR's style: their text blocks measure
# 396.0 pt wide and 647-652 pt tall (a descender or an equation below the last baseline), their
# body 10.0 pt on 10.96 pt. A line's worth of height (11 pt) or 0.1 in of width is beyond them.
WIDTH_TOLERANCE_PT = 4.0
HEIGHT_TOLERANCE_PT = 7.0
LEFT_TOLERANCE_PT = 6.0
SIZE_TOLERANCE_PT = 0.4
PITCH_TOLERANCE_PT = 0.4
# A text block of another shape is an error only when a page holds more text: its area in
# units of the body's type size and line pitch beyond the style's by this fraction. One that
# holds no more is not the style, but gains nothing.
CAPACITY_TOLERANCE = 0.01  # one more line a page in ICLR's block is 1.7%

_LAYOUT_FIX = (
    "Remove what changes the page layout (`\\usepackage{geometry}`, `fullpage`, "
    "`\\setlength` or `\\addtolength` of `\\textwidth`, `\\textheight`, `\\oddsidemargin`, "
    "`\\topmargin`) and compile with the venue's style file unchanged."
)
_TYPE_FIX = (
    "Remove what shrinks the body text (`\\small` or `\\fontsize` around the body, "
    "`\\linespread`, `\\baselinestretch`, `setspace`) and compile with the style's normal size."
)


def venue_layout(paper: CheckedPaper) -> VenueLayout | None:
    """The layout `paper` must follow, or None when its venue sets none."""
    return layout_of(paper.venue, in_volume=paper.meta is not None)[0]


@dataclass(frozen=True)
class LayoutProblem:
    """What in `venue.layout` cannot be used: the key it is about ("" for the whole)."""

    key: str
    message: str

    @property
    def schema_reports_it(self) -> bool:
        """A length of the wrong form is the schema's to report (VOL003), once."""
        return self.key not in ("", "profile")


def layout_of(
    venue: VenueRules, *, in_volume: bool
) -> tuple[VenueLayout | None, list[LayoutProblem]]:
    """The layout `venue` sets, and what in its `layout` setting could not be used.

    A PDF checked on its own (`in_volume` false) follows the default venue's layout unless its
    rules set one.
    """
    if venue.layout is None:
        return (None if in_volume else DEFAULT_LAYOUT), []
    settings = dict(venue.layout)
    problems: list[LayoutProblem] = []
    base = VenueLayout()
    if "profile" in settings:
        profile = settings.pop("profile")
        key = str(profile).strip().lower().replace(" ", "").replace("-", "")
        if isinstance(profile, str) and key in PROFILES:
            base = PROFILES[key]
        else:
            problems.append(
                LayoutProblem(
                    "profile",
                    f"venue.layout.profile {_shown(profile)} is not a known layout; known: "
                    + ", ".join(PROFILES),
                )
            )
    lengths: dict[str, Any] = {}
    names = {item.name for item in fields(VenueLayout)}
    for name, value in settings.items():
        if name not in names:
            continue  # VOL004 reports the unknown key
        length = page_limit(value)
        if length is None:
            problems.append(
                LayoutProblem(
                    name, f"venue.layout.{name} must be a length in pt above 0, not {_shown(value)}"
                )
            )
            continue
        lengths[name] = length
    layout = replace(base, **lengths)
    if not problems and layout == VenueLayout():
        problems.append(
            LayoutProblem("", "venue.layout names no profile and no length: nothing is checked")
        )
    if problems:
        # A layout half read would judge papers by values nobody set.
        return None, problems
    return layout, problems


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _measured(paper: CheckedPaper) -> tuple[VenueLayout, TextBlock] | None:
    layout = venue_layout(paper)
    if layout is None or paper.document is None or paper.structure is None:
        return None
    cached = _MEASURED.get(paper)
    if cached is None:
        cached = _MEASURED[paper] = measure(paper.document, paper.structure)
    return layout, cached


# The text block of each paper, measured once for the LAYOUT rules; gone with the paper.
_MEASURED: WeakKeyDictionary[CheckedPaper, TextBlock] = WeakKeyDictionary()


@rule("LAYOUT001", "text-block", Severity.ERROR, fix=_LAYOUT_FIX)
def text_block(paper: CheckedPaper) -> Iterator[Violation]:
    """The main text's block is wider or taller than the style's: the margins were changed.

    ## What it catches
    A paper whose main text stands in a larger text block than the venue's style gives:
    `\\usepackage[margin=0.6in]{geometry}`, `fullpage`, `\\setlength{\\textwidth}{6in}`,
    `\\addtolength{\\textheight}{1in}`. The block is measured on the pages of the main text
    from the body lines: their most common left and right edges, and the top and bottom of
    the pages filled with text, the running head and page number left out. The message gives
    the size found, the style's, and what moved.

    ## Why it matters
    A larger text block holds more text per page, so the page limit no longer means what it
    means for every other paper: 6.2 pages in the style measure 4.6 with 0.6 in margins.

    ## Known problems
    A block that holds no more text than the style's, counted in lines of its body type
    (narrower and taller, or larger and in larger type), is a warning, not an error: it is not
    the style, but gains no space. A block smaller than the style's is not reported. Main text
    without a page filled with text (a one-page paper) is measured for its width only.

    ## Example
    A paper compiled with `\\usepackage[margin=0.6in]{geometry}`:

        error LAYOUT001 text block 7.3 in x 9.7 in, the style's is 5.5 in x 9 in (it starts 0.6 in
        from the left, the style's 1.5 in): the margins were changed

    ## How to fix
    Remove the package or commands that change the layout and compile with the style file
    unchanged; then shorten the text if it runs over the limit.

    ## Options
    `venue.layout` in `volume.yaml` sets the style's `text_width`, `text_height` and `left`
    in pt, or `profile: iclr2026`; a volume without it takes the layout of its `venue.profile`
    (ICLR 2026's for both shipped profiles), and one with neither gets no layout rule. Loose
    PDFs are compared with their `--venue`'s layout: ICLR 2026's (5.5 in x 9 in, 1.5 in from
    the left).
    """
    found = _measured(paper)
    if found is None:
        return
    layout, block = found
    width, height = block.width, block.height
    wider = _beyond(width, layout.text_width, WIDTH_TOLERANCE_PT)
    taller = _beyond(height, layout.text_height, HEIGHT_TOLERANCE_PT)
    if not (wider or taller):
        return
    moved = (
        block.left is not None
        and layout.left is not None
        and abs(block.left - layout.left) > LEFT_TOLERANCE_PT
    )
    if wider and taller:
        found_size = f"{_inches(width)} in x {_inches(height)} in"
        style_size = f"{_inches(layout.text_width)} in x {_inches(layout.text_height)} in"
        what = "the margins were changed"
    elif wider:
        found_size, style_size = f"{_inches(width)} in wide", f"{_inches(layout.text_width)} in"
        what = "the side margins were changed" if moved else "the text width was changed"
    else:
        found_size = f"{_inches(height)} in tall"
        style_size = f"{_inches(layout.text_height)} in"
        what = "the text height or the top and bottom margins were changed"
    where = ""
    if moved and block.left is not None and layout.left is not None:
        where = f" (it starts {_inches(block.left)} in from the left, the style's "
        where += f"{_inches(layout.left)} in)"
    message = f"text block {found_size}, the style's is {style_size}{where}: {what}"
    gain = _capacity_gain(block, layout)
    if gain is not None and gain <= CAPACITY_TOLERANCE:
        yield Violation(
            f"{message}, though in its type a page holds no more text than the style's",
            severity=Severity.WARNING,
        )
        return
    yield Violation(message)


@rule("LAYOUT002", "body-type", Severity.ERROR, fix=_TYPE_FIX)
def body_type(paper: CheckedPaper) -> Iterator[Violation]:
    """The body text is set smaller or on tighter lines than the style's.

    ## What it catches
    A main text set in smaller type than the style's (`\\small` or `\\fontsize{9}{10}` around
    the body) or on tighter lines (`\\linespread{0.85}`, `\\renewcommand{\\baselinestretch}`,
    `setspace`). The body size is the size most characters of the main text are set in; the
    line pitch is the median distance from one baseline to the next between lines of one
    paragraph. Captions, footnotes, tables and algorithms in smaller type, and display math,
    are not the body and do not move either figure.

    ## Why it matters
    Smaller type fits more words on a line, tighter lines more lines on a page: `\\small` with
    `\\linespread{0.85}` makes a 6.2-page paper measure 4.6 pages, within a 5-page limit.

    ## Known problems
    Sizes and pitches within 0.4 pt of the style's are accepted (a font that measures 9.96 pt
    for 10 pt). A paper whose main text is mostly tables or lists in small type may measure
    that type as its body.

    ## Example
    A body set in `\\small` with `\\linespread{0.93}`:

        error LAYOUT002 body text 9 pt on 9.3 pt lines, the style's is 10 pt on 11 pt: the type size
        and the line spacing were reduced

    ## How to fix
    Remove the command that shrinks the body text and compile with the style's normal size;
    then shorten the text if it runs over the limit.

    ## Options
    `venue.layout` in `volume.yaml` sets `body_size` and `line_pitch` in pt, or
    `profile: iclr2026`; a volume without it takes the layout of its `venue.profile` (ICLR
    2026's for both shipped profiles), and one with neither gets no layout rule. Loose PDFs
    are compared with their `--venue`'s: ICLR 2026's 10 pt on 11 pt.
    """
    found = _measured(paper)
    if found is None:
        return
    layout, block = found
    smaller = _beyond(layout.body_size, block.body_size, SIZE_TOLERANCE_PT)
    tighter = _beyond(layout.line_pitch, block.line_pitch, PITCH_TOLERANCE_PT)
    if not (smaller or tighter):
        return
    if smaller and tighter:
        what = "the type size and the line spacing were reduced"
    elif smaller:
        what = "the type size was reduced"
    else:
        what = "the line spacing was reduced"
    found_type = _type(block.body_size, block.line_pitch, lines=True)
    style_type = _type(layout.body_size, layout.line_pitch)
    yield Violation(f"body text {found_type}, the style's is {style_type}: {what}")


@rule(
    "LAYOUT003",
    "layout-setting",
    Severity.ERROR,
    fix="Name a known profile (`profile: iclr2026`) or give the lengths in pt as numbers.",
    subject="volume",
)
def layout_setting(sources: VolumeSources) -> Iterator[Violation]:
    """`venue.layout` in volume.yaml cannot be used, so no paper's layout is checked.

    ## What it catches
    A `venue.layout` that names a profile the checker does not know (`profile: iclr2025`), or
    that names neither a profile nor a length. A length that is not a number of points above
    0 is reported by VOL003 and stops the layout rules too.

    ## Why it matters
    Rather than judge every paper by a layout half read, the layout rules then check no paper:
    a squeezed paper would pass unnoticed.

    ## Example
    A volume.yaml with `venue: {layout: {profile: iclr2025}}`:

        error LAYOUT003 volume.yaml:34 venue.layout.profile 'iclr2025' is not a known layout; known:
        iclr2026

    ## How to fix
    Use a known profile, or write each length as a number of points.
    """
    if sources.volume is None:
        return
    for problem in layout_of(build_volume(sources).venue, in_volume=True)[1]:
        if problem.schema_reports_it:
            continue
        path = ("venue", "layout", problem.key) if problem.key else ("venue", "layout")
        yield Violation(problem.message, file=sources.volume.file, line=sources.volume.line(path))


def _beyond(value: float | None, limit: float | None, tolerance: float) -> bool:
    """Whether `value` exceeds `limit` by more than `tolerance` (never when one is unknown)."""
    return value is not None and limit is not None and value > limit + tolerance


def _capacity_gain(block: TextBlock, layout: VenueLayout) -> float | None:
    """How much more text a page holds than in the style (0.1: a tenth more), if known.

    A page holds as many characters as its lines are wide in units of the type size, times
    as many lines as its height holds: a larger block in larger type may hold no more.
    """
    width, height = block.width, block.height
    if width is None or height is None or layout.text_width is None:
        return None
    if layout.text_height is None:
        return None
    gain = (width * height) / (layout.text_width * layout.text_height)
    # Type within its tolerance is the style's: 10.96 pt for 11 pt must not tip the balance.
    size, pitch = block.body_size, block.line_pitch
    if size and layout.body_size and abs(size - layout.body_size) > SIZE_TOLERANCE_PT:
        gain *= layout.body_size / size
    if pitch and layout.line_pitch and abs(pitch - layout.line_pitch) > PITCH_TOLERANCE_PT:
        gain *= layout.line_pitch / pitch
    return gain - 1


def _inches(points: float | None) -> str:
    if points is None:
        return "?"
    return f"{points / 72:.1f}".removesuffix(".0")


def _type(size: float | None, pitch: float | None, *, lines: bool = False) -> str:
    shown = f"{_points(size)} pt"
    if pitch is None:
        return shown
    return f"{shown} on {_points(pitch)} pt" + (" lines" if lines else "")


def _points(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.1f}".removesuffix(".0")
