"""The text block, body type size and line pitch of a paper's main text, from its text layer.

Everything is measured on the lines the text layer already holds (no second pass over the
PDF) and only on the pages of the main text, where the style's layout must hold: appendices
and references may legitimately be set otherwise.

Each figure is a robust statistic over many lines, so that the smaller type of captions,
footnotes, tables and algorithms, display math and pages of floats do not move it:

- the left and right edges are the most common starts and ends of body-size lines (justified
  paragraphs start and end on the block's edges; most lines of a paper are such lines);
- the top and bottom are the first and last lines of paragraphs on the pages well filled
  with text, the running head and page number left out, taken where the fullest pages reach
  so that pages ending short (a heading pushed over, a float) or starting with a figure do
  not count;
- the body size is the size that most characters of the main text are set in;
- the line pitch is the median step from one line's baseline to the next between lines of
  one paragraph: both of body size, both wide, the later starting on the paragraph's edge.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from proceedings.pdf.layout import Document, Line, Page
from proceedings.pdf.structure import Structure, _furniture

# Sizes within this of the body size are body text; \small (9 pt for 10 pt) is not.
_SIZE_MATCH_PT = 0.3
# A page counts toward the top and bottom of the block when it holds this many body lines.
_FULL_PAGE_LINES = 20
# A page whose paragraphs have this many lines shows where the block starts.
_SOME_LINES = 5
# Lines whose starts or ends lie this close together share an edge.
_EDGE_BIN_PT = 1.5
# Body sizes below this come from bitmap fonts, which report meaningless sizes.
_DEGENERATE_SIZE_PT = 3.0


@dataclass(frozen=True)
class TextBlock:
    """What the main text measures, in PDF points from the top-left corner of the page.

    A figure is None when too little text was found to measure it.
    """

    pages: int  # pages of main text measured
    left: float | None
    right: float | None
    top: float | None
    bottom: float | None
    body_size: float | None
    line_pitch: float | None
    pitch_pairs: int = 0  # how many pairs of lines the pitch is the median of
    two_column: bool = False

    @property
    def width(self) -> float | None:
        if self.left is None or self.right is None:
            return None
        return self.right - self.left

    @property
    def height(self) -> float | None:
        if self.top is None or self.bottom is None:
            return None
        return self.bottom - self.top


def measure(document: Document, structure: Structure) -> TextBlock:
    """Measure the main text of `document` (the pages up to where `structure` says it ends)."""
    pages = _main_pages(document, structure)
    furniture = _furniture(document.pages)
    lines_of = {
        page.number: [line for line in page.lines if id(line) not in furniture and line.text]
        for page in pages
    }
    body_size = _body_size(line for lines in lines_of.values() for line in lines)
    if body_size is None or body_size < _DEGENERATE_SIZE_PT:
        return TextBlock(len(pages), None, None, None, None, None, None)
    body_of = {
        number: [line for line in lines if abs(line.size - body_size) <= _SIZE_MATCH_PT]
        for number, lines in lines_of.items()
    }
    two_column = sum(page.two_column for page in pages) * 2 > len(pages)
    body = [line for lines in body_of.values() for line in lines]
    left = _edge([line.x0 for line in body if not two_column or line.column in (0, None)], low=True)
    right = _edge(
        [line.x1 for line in body if not two_column or line.column in (1, None)], low=False
    )
    width = right - left if left is not None and right is not None else 0.0
    top, bottom = _vertical_extent(pages, body_of, (0.3 if two_column else 0.6) * width)
    pitch, pairs = _line_pitch(body_of.values(), left, right, body_size, two_column)
    return TextBlock(
        pages=len(pages),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        body_size=body_size,
        line_pitch=pitch,
        pitch_pairs=pairs,
        two_column=two_column,
    )


def _main_pages(document: Document, structure: Structure) -> list[Page]:
    """The pages of the main text; the page where it ends only when it is mostly main text."""
    end = structure.body_end
    if end is None:
        return list(document.pages)
    last = end.page if end.fraction >= 0.5 else end.page - 1
    return list(document.pages[: max(last, 1)])


def _body_size(lines: Iterable[Line]) -> float | None:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    if not weights:
        return None
    mode = weights.most_common(1)[0][0]
    # The weighted mean of the sizes near the mode: pdfTeX's 9.96 and 10.0 are one size.
    near = [(size, count) for size, count in weights.items() if abs(size - mode) <= 0.25]
    return round(sum(size * count for size, count in near) / sum(c for _, c in near), 2)


def _edge(values: Sequence[float], *, low: bool) -> float | None:
    """The position most lines share, preferring the outermost of equally common ones."""
    if len(values) < 10:
        return None
    ordered = sorted(values)
    best_count, best_centre = 0, ordered[0]
    start = 0
    for index, value in enumerate(ordered):
        while ordered[start] < value - _EDGE_BIN_PT:
            start += 1
        count = index - start + 1
        # `>=` keeps the rightmost of a tie, which is the outer edge for ends.
        if count > best_count or (count == best_count and not low):
            best_count, best_centre = count, value
    window = [value for value in ordered if abs(value - best_centre) <= _EDGE_BIN_PT]
    return round(statistics.median(window), 1)


def _vertical_extent(
    pages: Sequence[Page], body_of: dict[int, list[Line]], min_width: float
) -> tuple[float | None, float | None]:
    # Lines of paragraphs only: a title or heading in larger type rises above the block's top
    # by its taller ascenders, and a figure's labels may stand anywhere.
    paragraphs = {
        page.number: [line for line in body_of[page.number] if line.x1 - line.x0 >= min_width]
        for page in pages
    }
    # Every page but the first starts at the block's top (the first starts with the title);
    # every page but the last of the main text runs to its bottom when it is full.
    starting = [page for page in pages if len(paragraphs[page.number]) >= _SOME_LINES]
    if len(starting) > 1 and starting[0] is pages[0]:
        starting = starting[1:]
    full = [page for page in pages if len(body_of[page.number]) >= _FULL_PAGE_LINES]
    if len(full) > 1 and full[-1] is pages[-1]:
        full = full[:-1]
    tops = sorted(min(line.top for line in paragraphs[page.number]) for page in starting)
    bottoms = sorted(
        (max(line.bottom for line in paragraphs[page.number]) for page in full
         if paragraphs[page.number]),
        reverse=True,
    )  # fmt: skip
    # Pages start below the block's top (a figure on top) or end above its bottom (a float or
    # a heading pushed over); the block is where the fullest pages reach. A tenth of the way
    # in keeps one stray page of a long paper out.
    top = round(tops[len(tops) // 10], 1) if tops else None
    bottom = round(bottoms[len(bottoms) // 10], 1) if bottoms else None
    return top, bottom


def _line_pitch(
    pages: Iterable[list[Line]],
    left: float | None,
    right: float | None,
    body_size: float,
    two_column: bool,
) -> tuple[float | None, int]:
    if left is None or right is None:
        return None, 0
    column_width = (right - left) / 2 if two_column else right - left
    steps: list[float] = []
    for lines in pages:
        ordered = sorted(lines, key=lambda line: (line.column or 0, line.bottom))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.column != later.column:
                continue
            if min(earlier.x1 - earlier.x0, later.x1 - later.x0) < 0.6 * column_width:
                continue
            # A paragraph's later lines start on its edge (or on its list item's indent).
            if abs(later.x0 - earlier.x0) > 1.0 and (
                two_column or abs(later.x0 - left) > _EDGE_BIN_PT
            ):
                continue
            step = later.bottom - earlier.bottom
            if 0.8 * body_size <= step <= 2.0 * body_size:
                steps.append(step)
    if len(steps) < 10:
        return None, len(steps)
    return round(statistics.median(steps), 2), len(steps)
