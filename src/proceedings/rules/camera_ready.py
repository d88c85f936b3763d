"""Rules for what a camera-ready paper must no longer show, and what it must show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from proceedings.pdf.layout import Document, Line, Page
from proceedings.pdf.structure import Heading, HeadingNames, Structure
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.texts import letters_key, match_key
from proceedings.venues import is_head_pattern
from proceedings.wording import describe_pages

_REVIEW_HEAD = re.compile(r"^\s*under\s+review\s+as\s+a\s+(?:conference|workshop)\s+paper", re.I)
_ANONYMOUS = (
    "anonymousauthors",
    "anonymousauthor",
    "paperunderdoubleblindreview",
    "anonymousaclsubmission",
    "anonymoussubmission",
)
_MAIN_CONFERENCE_HEAD = re.compile(r"published\s+as\s+a\s+conference\s+paper\s+at", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# `??` where a reference number stands: after a space or an opening mark, not after a word
# or punctuation ("etc...??" in quoted text is a question, not a reference).
_UNRESOLVED = re.compile(
    r"(?:(?<=[\s(\[{/~\u00a0\u2013\u2014-])|^)\?\?(?![\w?])|\[\?+\]|\((?:author)?\?\)"
)
_LINE_NUMBERS_PER_PAGE = 10  # a ruler numbers every line; a few stray numbers are not one
_MARGIN_TOLERANCE_PT = 8.0
_MARGIN_ERROR_PAGES = 4  # overflow on this many pages, and half the paper, is an error
_FINAL_MODE_HINT = "Compile the final version: `\\iclrfinalcopy` (or the style's `final` option)."


@rule("REVIEW001", "review-running-head", Severity.ERROR, fix=_FINAL_MODE_HINT)
def review_running_head(paper: CheckedPaper) -> Iterator[Violation]:
    """The paper still carries the review-mode running head "Under review as a ... paper".

    ## What it catches
    The running head that ICLR-style files print in submission mode, on the first pages.

    ## Why it matters
    A camera-ready paper published with "Under review" on every page looks unfinished and is
    sent back; it also means the author block and line numbers are probably still anonymous.

    ## Example
    A paper compiled without `\\iclrfinalcopy`:

        error REVIEW001 page 1 the running head reads 'Under review as a workshop paper at ICLR
        2026': the paper is in review mode

    ## How to fix
    Add `\\iclrfinalcopy` before `\\begin{document}` (or use the style's final option).
    """
    head = _running_head(paper.document)
    if head and _REVIEW_HEAD.search(head.text):
        yield Violation(
            f"the running head reads {head.text!r}: the paper is in review mode", page=1
        )


@rule("REVIEW002", "anonymous-authors", Severity.ERROR, fix=_FINAL_MODE_HINT)
def anonymous_authors(paper: CheckedPaper) -> Iterator[Violation]:
    """The author block is still anonymous ("Anonymous authors", "Paper under double-blind review").

    ## What it catches
    The placeholder author block of a submission-mode build on page 1.

    ## Why it matters
    A published paper without its authors' names is withdrawn and reissued.

    ## Example
    A paper compiled without `\\iclrfinalcopy`:

        error REVIEW002 page 1 page 1 shows 'Anonymous authors' instead of the authors

    ## How to fix
    Compile the final version (`\\iclrfinalcopy`) with the real author block.
    """
    document = paper.document
    assert document is not None
    for line in document.pages[0].lines:
        if letters_key(line.text) in _ANONYMOUS:
            yield Violation(f"page 1 shows {line.text.strip()!r} instead of the authors", page=1)
            return


@rule("REVIEW003", "line-numbers", Severity.ERROR, fix=_FINAL_MODE_HINT)
def line_numbers(paper: CheckedPaper) -> Iterator[Violation]:
    """Review line numbers still run down the margin.

    ## What it catches
    Columns of numbers beside the text (`000`, `001`, ...) that review-mode styles print on
    every page; reported once, with the pages, not once per line.

    ## Why it matters
    Line numbers are for reviewers; in a published paper they are noise and show that the
    final mode was not used.

    ## Example
    A paper compiled without `\\iclrfinalcopy`:

        error REVIEW003 page 1 line numbers in the margin on pages 1-5

    ## How to fix
    Compile the final version (`\\iclrfinalcopy`, or remove `\\linenumbers` / the `review`
    option).
    """
    document, structure = paper.document, paper.structure
    assert document is not None
    if structure is None:
        return
    pages = [
        page.number
        for page in document.pages
        if sum(_is_margin_number(line, structure) for line in page.lines) >= _LINE_NUMBERS_PER_PAGE
    ]
    if pages and (len(pages) >= 2 or len(document.pages) == 1):
        yield Violation(f"line numbers in the margin on {describe_pages(pages)}", page=pages[0])


@rule(
    "HEAD001",
    "running-head",
    Severity.ERROR,
    fix="Set the venue's running head in the style file (the workshop's, not the main "
    "conference's).",
)
def running_head(paper: CheckedPaper) -> Iterator[Violation]:
    """The running head of page 1 is not the one the venue expects.

    ## What it catches
    When the venue names its running head (`venue.running_head` in volume.yaml, a string or
    a `/regular expression/`; `--running-head`; the `icbinb-iclr2026` profile), a page-1 head
    that differs: most often the main conference's "Published as a conference paper at ICLR
    2026" left in a workshop paper, or last year's. Whatever head is expected, a head the venue
    profile names as wrong is reported: `iclr2026-workshop`, the default for a PDF checked on
    its own, names the main conference's head of ICLR 2026.

    ## Why it matters
    The head tells readers where the paper was published; a workshop paper claiming the main
    conference misleads them, and organizers are asked to correct it.

    ## Known problems
    A review-mode head is reported by REVIEW001 instead. Without an expected head, only the
    heads the profile names are reported.

    ## Example
    A workshop paper compiled with the main conference's head, checked with
    `--venue icbinb-iclr2026`:

        error HEAD001 page 1 the running head reads 'Published as a conference paper at ICLR 2026'
        (the main conference's head, in a workshop paper); expected "I Can't Believe It's Not Better
        Workshop @ ICLR 2026"

    ## How to fix
    Change the running head in the style file or with its option.

    ## Options
    `venue.running_head` and `venue.profile` in volume.yaml; `--running-head` and `--venue`
    for loose PDFs.
    """
    expected = paper.venue.running_head
    head = _running_head(paper.document)
    if head is not None and _REVIEW_HEAD.search(head.text):
        return
    found = head.text.strip() if head else ""
    wrong = next((item for item in paper.venue.wrong_heads if item.found_in(found)), None)
    if not expected:
        if wrong is not None:
            yield Violation(f"the running head reads {found!r} ({wrong.why})", page=1)
        return
    if _head_matches(found, expected):
        return
    if not found:
        yield Violation(f"page 1 has no running head; expected {expected!r}", page=1)
        return
    detail = ""
    if wrong is not None:
        detail = f" ({wrong.why})"
    elif _MAIN_CONFERENCE_HEAD.search(found) and not _MAIN_CONFERENCE_HEAD.search(expected):
        detail = " (the main conference's head, in a workshop paper)"
    else:
        years_found, years_expected = set(_YEAR.findall(found)), set(_YEAR.findall(expected))
        if years_expected and years_found and years_found != years_expected:
            detail = f" (the year {', '.join(sorted(years_found))} is not this volume's)"
    yield Violation(f"the running head reads {found!r}{detail}; expected {expected!r}", page=1)


@rule(
    "LLM001",
    "disclosure-missing",
    Severity.ERROR,
    fix="Add an unnumbered section on the use of LLMs, e.g. `\\section*{LLM Usage}`, after "
    "the main text.",
)
def disclosure_missing(paper: CheckedPaper) -> Iterator[Violation]:
    """The mandatory section disclosing the use of large language models is missing.

    ## What it catches
    A paper with no heading such as "LLM Usage", "Use of Large Language Models", "LLM
    Disclosure" or "Statement on the Use of LLMs" (as a section, an appendix section or a
    run-in paragraph heading), when the venue requires the disclosure.

    ## Why it matters
    ICBINB 2026 requires the disclosure; a paper without it can be desk-rejected.

    ## Known problems
    A disclosure written as a sentence without a heading is not found.

    ## Example
    A paper without the section, checked with `--require-disclosure`:

        error LLM001 no section discloses the use of LLMs (such as `LLM Usage`)

    ## How to fix
    Add the section after the main text (it does not count toward the page limit).

    ## Options
    `venue.disclosure_required` in volume.yaml; `--require-disclosure` or `--venue icbinb-iclr2026`
    for loose PDFs (the default venue does not require it).
    """
    if not paper.venue.disclosure_required or paper.structure is None:
        return
    if not _disclosures(paper.structure):
        yield Violation("no section discloses the use of LLMs (such as `LLM Usage`)")


@rule(
    "LLM002",
    "disclosure-in-main-text",
    Severity.WARNING,
    fix="Move the disclosure after the main text (before or after the references), where it "
    "does not count.",
)
def disclosure_in_main_text(paper: CheckedPaper) -> Iterator[Violation]:
    """The LLM-usage disclosure stands inside the main text, where it counts toward the limit.

    ## What it catches
    A disclosure heading placed before the end of the main text (before the conclusion or
    another numbered section).

    ## Why it matters
    The disclosure does not count toward the page limit only when it follows the main text;
    inside it, it takes space the paper may need.

    ## Example
    A disclosure placed before the conclusion:

        warning LLM002 page 1 the disclosure 'LLM USAGE' is inside the main text, which ends at
        'REFERENCES'

    ## How to fix
    Move it after the conclusion, next to the acknowledgments or the references.
    """
    structure = paper.structure
    if structure is None or structure.body_end is None:
        return
    for heading in _disclosures(structure):
        if heading.position < structure.body_end.position:
            yield Violation(
                f"the disclosure {heading.text!r} is inside the main text, which ends at "
                f"{structure.body_end.heading!r}",
                page=heading.page,
            )
            return


@rule(
    "REF001",
    "unresolved-reference",
    Severity.ERROR,
    fix="Run LaTeX and BibTeX again until no reference is undefined; check the labels and "
    "keys the log names.",
)
def unresolved_reference(paper: CheckedPaper) -> Iterator[Violation]:
    """Unresolved cross-references or citations: `??`, `[?]`, `(?)` in the text.

    ## What it catches
    The marks LaTeX prints for a `\\ref` or `\\cite` it could not resolve.

    ## Why it matters
    A published paper pointing to "Figure ??" or citing "[?]" looks unfinished.

    ## Known problems
    A literal "??" after a space in the text (a quoted question) is reported too; after a
    word or punctuation ("really??", "etc...??") it is not.

    ## Example
    A `\\ref` to a label that does not exist:

        error REF001 page 1 unresolved references on page 1, e.g. 'As Figure ?? shows, the gap clos'

    ## How to fix
    Compile again (LaTeX, BibTeX, LaTeX twice) and fix the labels and keys in the log's
    "undefined" warnings.
    """
    document = paper.document
    assert document is not None
    pages: list[int] = []
    example = ""
    for page in document.pages:
        for line in page.lines:
            match = _UNRESOLVED.search(line.text)
            if match:
                pages.append(page.number)
                if not example:
                    start = max(match.start() - 30, 0)
                    example = line.text[start : match.end() + 20].strip()
                break
    if pages:
        yield Violation(
            f"unresolved references on {describe_pages(pages)}, e.g. {example!r}", page=pages[0]
        )


@rule(
    "MARGIN001",
    "text-in-margin",
    Severity.WARNING,
    fix="Make wide tables and figures fit the text width (`\\resizebox{\\linewidth}{!}{...}`, "
    "`width=\\linewidth`), and break long formulas or URLs.",
)
def text_in_margin(paper: CheckedPaper) -> Iterator[Violation]:
    """Text or figures run into the margin, outside the text block.

    ## What it catches
    Lines of text (wide tables, long formulas, URLs) and figures that stand more than a few
    points outside the text block, measured from the paper's own body text. Only what shows
    on the page counts: text beyond the edge of the page, text that a clip cuts away (labels
    outside a figure's frame, the parts of an included PDF that `trim` and `clip` remove)
    and invisible text are left out. One finding per paper, with the pages and the farthest
    overflow: how far past which edge of the text block, on which page. An error when it
    happens on many pages.

    ## Why it matters
    Text in the margin collides with the running head, page numbers or stamps, and PMLR
    volumes are expected to keep the style's geometry.

    ## Known problems
    A figure whose image has a wide white border is measured by its border; text drawn in
    white or covered by an image is counted; a clip of another shape than a rectangle is
    taken as its bounding box. Margin notes left in by `todonotes` or `\\marginpar` are
    reported too: they are meant to be.

    ## Example
    A table wider than the text:

        warning MARGIN001 page 1 text extends past the right edge of the text block by up to 33 pt
        (0.46 in) on page 1

    ## How to fix
    Scale the table or figure to the text width, or break the long line.
    """
    document, structure = paper.document, paper.structure
    assert document is not None
    if structure is None:
        return
    pages: list[int] = []
    worst: _Overflow | None = None
    for page in document.pages:
        found = _page_overflow(document, page, structure)
        if found is not None:
            pages.append(page.number)
            if worst is None or found.distance > worst.distance:
                worst = found
    if worst is None:
        return
    many = max(_MARGIN_ERROR_PAGES, len(document.pages) / 2)
    severity = Severity.ERROR if len(pages) >= many else None
    size = f"{worst.distance:.0f} pt ({worst.distance / 72:.2f} in)"
    message = (
        f"{worst.what} extends past the {worst.side} edge of the text block by up to {size} "
        f"on page {worst.page}"
    )
    if len(pages) > 1:
        message += f"; outside it on {describe_pages(pages)}"
    yield Violation(message, page=worst.page, severity=severity)


@dataclass(frozen=True)
class _Overflow:
    distance: float  # from the edge of the text block, in points
    side: str  # "left" or "right"
    what: str  # "text" or "a figure"
    page: int


def _page_overflow(document: Document, page: Page, structure: Structure) -> _Overflow | None:
    """The farthest that what shows on `page` reaches past the text block, beyond tolerance."""
    area = structure.area
    left, right = area.left - _MARGIN_TOLERANCE_PT, area.right + _MARGIN_TOLERANCE_PT
    # Boxes from the text layer are cheap but include what does not show; only lines whose
    # box stands outside are asked what of them shows, the farthest first, and the search
    # stops once no box left could reach farther than what was found.
    candidates: list[tuple[float, Line | None, float, float]] = []
    for text in page.lines:
        if (
            (text.x0 < left or text.x1 > right)
            and area.top - 2 <= text.top <= area.bottom
            and text.x1 - text.x0 >= text.bottom - text.top  # not a vertical stamp
            and not _is_margin_number(text, structure)
        ):
            candidates.append((max(left - text.x0, text.x1 - right), text, text.x0, text.x1))
    if page.has_text:  # a scanned page is one image the size of the page
        for x0, _, x1, _ in page.figures:
            if x0 < left or x1 > right:
                candidates.append((max(left - x0, x1 - right), None, x0, x1))
    if not candidates:
        return None
    shown_left, shown_right = document.visible_area(page.number)
    best: _Overflow | None = None
    for reach, line, x0, x1 in sorted(candidates, key=lambda item: -item[0]):
        if best is not None and reach + _MARGIN_TOLERANCE_PT <= best.distance:
            break
        if line is not None:
            extent = document.shown_extent(page.number, line)
            if extent is None:
                continue
            x0, x1 = extent
        x0, x1 = max(x0, shown_left), min(x1, shown_right)
        if x0 > x1:
            continue
        what = "text" if line is not None else "a figure"
        for distance, side in ((area.left - x0, "left"), (x1 - area.right, "right")):
            if distance > _MARGIN_TOLERANCE_PT and (best is None or distance > best.distance):
                best = _Overflow(distance, side, what, page.number)
    return best


def _running_head(document: Document | None) -> Line | None:
    """The first line of page 1 when it stands above the text, apart from it."""
    if document is None or not document.pages or not document.pages[0].lines:
        return None
    page = document.pages[0]
    lines = sorted(page.lines, key=lambda line: line.top)
    first = lines[0]
    if first.top > page.height * 0.12:
        return None
    following = next((line for line in lines[1:] if line.top > first.bottom + 1), None)
    if following is not None and following.top - first.bottom < 12:
        return None  # a title at the very top, not a head set apart
    return first


def _head_matches(found: str, expected: str) -> bool:
    if is_head_pattern(expected):
        try:
            return re.search(expected[1:-1], found) is not None
        except re.error:  # VOL018 refuses it in a volume; --running-head checks it first
            return False
    return match_key(found) == match_key(expected)


def _disclosures(structure: Structure) -> list[Heading]:
    names = HeadingNames()
    return [heading for heading in structure.headings if names.is_disclosure(heading.title)]


def _is_margin_number(line: Line, structure: Structure) -> bool:
    """A line number beside the text block, alone or read together with a line of text."""
    area = structure.area
    if line.margin_number:
        return not area.left - 3 <= line.margin_number_x <= area.right + 3
    text = line.text.strip()
    outside = line.x1 < area.left - 3 or line.x0 > area.right + 3
    return text.isdigit() and len(text) <= 4 and outside
