"""Rules about the length of the main text."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.report import Severity, describe_position
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.venues import WORKSHOP_TRACKS
from proceedings.wording import counted

WORKSHOP_TRACK_IDS = {track.id for track in WORKSHOP_TRACKS}  # named in messages

# A heading measured a line's height below the top of a page still opens that page.
PAGE_LIMIT_TOLERANCE = 0.02


@rule(
    "PAGE001",
    "page-limit",
    Severity.ERROR,
    fix="Shorten the main text, or move material into the appendix after the references.",
)
def page_limit(paper: CheckedPaper) -> Iterator[Violation]:
    """Main text over the page limit.

    ## What it catches
    A paper whose main text runs past the track's page limit: 5 pages for long papers and 2
    for tiny papers at ICBINB. The main text ends at the first heading of trailing material
    that does not count: references, acknowledgments, the LLM-usage disclosure, ethics,
    reproducibility and impact statements, checklists, appendices. Its position is measured
    within the text block of its page, so references starting 62% down page 6 make 5.62 pages.

    ## Why it matters
    Papers over the limit are returned to their authors or removed from the proceedings.

    ## Known problems
    When no heading of trailing material can be found, the whole PDF is counted and the
    message says so; rule PAGE002 explains why. A heading the checker does not know can be
    added with `--not-counted NAME`.

    ## Example
    References starting 40% down page 6 of a long paper:

        error PAGE001 page 6 main text runs to 5.40 pages; the long-paper limit is 5 (REFERENCES
        starts on page 6, 40% down)

    ## How to fix
    Shorten the main text, or move material after the references into an appendix, which does
    not count.

    ## Options
    `--track long|tiny` picks the limit; `--page-limit N` sets one for this run.
    """
    document, structure = paper.document, paper.structure
    assert document is not None
    if structure is None:
        return  # the text cannot be measured; PDF002 or PDF003 says why
    limit_name = _limit_name(paper)
    if structure.body_end is None:
        total = len(document.pages)
        if total > paper.page_limit + PAGE_LIMIT_TOLERANCE:
            yield Violation(
                f"main text runs to {total} pages, counting the whole PDF because no end of "
                f"the main text was found; {limit_name} is {_number(paper.page_limit)}",
                page=None,
            )
        return
    end = structure.body_end
    if end.body_pages > paper.page_limit + PAGE_LIMIT_TOLERANCE:
        where = describe_position(end.page, end.fraction)
        yield Violation(
            f"main text runs to {end.body_pages:.2f} pages; {limit_name} is "
            f"{_number(paper.page_limit)} ({end.heading} starts {where})",
            page=end.page,
        )


@rule(
    "PAGE002",
    "body-end-not-found",
    Severity.WARNING,
    fix="Give the references a heading (`\\section*{References}` or the style's own), or name "
    "your first trailing heading with `--not-counted`.",
)
def body_end_not_found(paper: CheckedPaper) -> Iterator[Violation]:
    """No end of the main text can be found, so the whole PDF is counted.

    ## What it catches
    A paper in which no heading of trailing material (references, bibliography,
    acknowledgments, appendix, statements, disclosure) can be found by its style and position.

    ## Why it matters
    Without that heading the page limit is checked against every page of the PDF, which
    overcounts any paper with references or an appendix.

    ## Known problems
    A reference list without any heading, or a heading with an unusual name, is not found.

    ## Example
    A paper whose references have no heading:

        warning PAGE002 no end of the main text found (no references, appendix or other trailing
        heading); the whole PDF (4 pages) is counted

    ## How to fix
    Use the style's own references heading. If your trailing section has another name, pass it
    with `--not-counted "Name"` (a volume lists it in `venue.not_counted` in volume.yaml).
    """
    document, structure = paper.document, paper.structure
    assert document is not None
    if structure is not None and structure.body_end is None:
        yield Violation(
            "no end of the main text found (no references, appendix or other trailing "
            f"heading); the whole PDF ({counted(len(document.pages), 'page')}) is counted"
        )


def _limit_name(paper: CheckedPaper) -> str:
    if paper.track in WORKSHOP_TRACK_IDS and not paper.limit_from_option:
        return f"the {paper.track}-paper limit"
    return "the page limit"


def _number(value: float) -> str:
    return f"{value:g}"
