"""From lines to headings, and from headings to the end of the main body.

A heading is found by its style and position, never by a substring: a short line that starts
at the left of the text block or a column (or is centred on it), set larger, bold or in
capitals, optionally numbered (`7`, `A`, `A.1`, `VI.`), whose letters match a known name. Run-in
headings (a bold "Broader impacts." opening a paragraph) count too.

The end of the main body is the first heading of trailing material that does not count toward
the page limit. Acknowledgments and statements often stand between the body and the
references, so the search starts at the references and walks back over such sections,
stopping at the first numbered body heading.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from proceedings.pdf.layout import Document, Line, Page
from proceedings.texts import letters_key

REFERENCES_NAMES: tuple[str, ...] = (
    "References",
    "Bibliography",
    "Literature Cited",
    "Works Cited",
    "References and Notes",
)

# Names of trailing material that does not count toward the page limit. A trailing `*` makes
# a name a prefix ("Acknowledgments and Disclosure of Funding").
NOT_COUNTED_NAMES: tuple[str, ...] = (
    *REFERENCES_NAMES,
    "Acknowledgment*",
    "Acknowledgement*",
    "Appendix*",
    "Appendices",
    "Supplementary Material",
    "Supplementary Materials",
    "Checklist",
    "Paper Checklist",
    "NeurIPS Paper Checklist",
    "Reproducibility Checklist",
    "Broader Impact",
    "Broader Impacts",
    "Broader Impact Statement",
    "Impact Statement",
    "Societal Impact",
    "Ethics Statement",
    "Ethic Statement",
    "Ethical Statement",
    "Ethical Considerations",
    "Ethics",
    "Reproducibility Statement",
    "Reproducibility",
    "URM Statement",
    "Author Contributions",
    "Funding",
    "LLM Usage",
    "LLM Disclosure",
    "Use of LLMs",
    "Use of Large Language Models",
    "Statement on the Use of LLMs",
)

# Sections that do not count only when they are unnumbered section headings: a numbered
# "6 Limitations" is part of the body, a run-in "Limitations." paragraph too.
UNNUMBERED_ONLY_NAMES: tuple[str, ...] = ("Limitations", "Limitation")

# Close variants of the LLM-usage disclosure: "Use of Large Language Models (LLMs)",
# "LLMs Usage Statement", "Declaration of LLM usage", "Statement on LLM use", ...
_LLM = re.compile(r"largelanguagemodels?(?:llms?)?|llms?")
_LLM_DISCLOSURE = re.compile(
    r"^(?:the)?(?:statement|disclosure|declaration)?(?:on|of|about|regarding)?(?:the)?"
    r"(?:use|usage)?(?:of)?llm(?:use|usage)?(?:statement|disclosure|declaration)?$"
)

_LLM_VERB = re.compile(r"use|usage|statement|disclosure|declaration")
_LLM_OPENERS = ("llm", "use", "usage", "statement", "disclosure", "declaration", "theuse")

_DIGIT_NUMBER = re.compile(r"^(\d{1,2})((?:\.\d{1,2})*)\.?\s*(?=\D)")
_ROMAN_NUMBER = re.compile(r"^([IVX]{1,5})\.\s+")
_LETTER_NUMBER = re.compile(r"^(?:(?i:appendix)\s+)?([A-Z])((?:\.\d{1,2})*)[.:]?\s+(?=[A-Z])")
_WORD = re.compile(r"\S+")
_PAGE_FURNITURE = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6}|page \d+(?: of \d+)?)$", re.I)

_MAX_HEADING_CHARS = 90
_INDENT_TOLERANCE_PT = 28.0
_CENTRE_TOLERANCE_PT = 30.0
_TOP_SNAP_FRACTION = 0.0


class Kind(Enum):
    REFERENCES = "references"
    TRAILING = "trailing"  # any other material that does not count: statements, appendices
    SECTION = "section"  # a numbered heading of the body


@dataclass(frozen=True)
class HeadingNames:
    """The names that mark trailing material; built once per run from the configuration."""

    not_counted: tuple[str, ...] = NOT_COUNTED_NAMES
    unnumbered_only: tuple[str, ...] = UNNUMBERED_ONLY_NAMES
    references: tuple[str, ...] = REFERENCES_NAMES
    _exact: frozenset[str] = field(init=False, repr=False)
    _prefixes: tuple[str, ...] = field(init=False, repr=False)
    _unnumbered: frozenset[str] = field(init=False, repr=False)
    _references: frozenset[str] = field(init=False, repr=False)
    _openers: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        exact = {_canonical(name) for name in self.not_counted if not name.endswith("*")}
        prefixes = tuple(_canonical(name[:-1]) for name in self.not_counted if name.endswith("*"))
        object.__setattr__(self, "_exact", frozenset(exact))
        object.__setattr__(self, "_prefixes", prefixes)
        object.__setattr__(
            self, "_unnumbered", frozenset(_canonical(name) for name in self.unnumbered_only)
        )
        object.__setattr__(
            self, "_references", frozenset(_canonical(name) for name in self.references)
        )
        openers = exact | set(prefixes) | self._unnumbered | self._references
        object.__setattr__(self, "_openers", tuple(sorted(openers | set(_LLM_OPENERS))))

    def is_disclosure(self, title: str) -> bool:
        """True when `title` names the LLM-usage disclosure ("LLM Usage", "Use of LLMs")."""
        return _is_llm_disclosure(_canonical(title))

    def could_open(self, text: str) -> bool:
        """True when `text` starts with letters that begin some name: a cheap first test."""
        return _canonical(text[:60]).startswith(self._openers)

    def with_extra(self, names: Iterable[str]) -> HeadingNames:
        return HeadingNames(
            not_counted=self.not_counted + tuple(names),
            unnumbered_only=self.unnumbered_only,
            references=self.references,
        )

    def classify(self, title: str, numbered: bool) -> Kind | None:
        """REFERENCES or TRAILING when `title` names not-counted material, else None."""
        key = _canonical(title)
        if not key:
            return None
        if key in self._references:
            return Kind.REFERENCES
        if key in self._exact or _is_llm_disclosure(key):
            return Kind.TRAILING
        if any(key.startswith(prefix) for prefix in self._prefixes):
            return Kind.TRAILING
        if not numbered and key in self._unnumbered:
            return Kind.TRAILING
        return None


def _is_llm_disclosure(key: str) -> bool:
    return bool(_LLM_DISCLOSURE.match(key)) and _LLM_VERB.search(key) is not None


def _canonical(text: str) -> str:
    return _LLM.sub("llm", letters_key(text))


@dataclass(frozen=True)
class TextArea:
    """Where body text stands on the document's pages, running heads and numbers excluded."""

    top: float
    bottom: float
    left: float
    right: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(frozen=True)
class Heading:
    text: str  # as printed, number included
    page: int
    kind: Kind
    line: Line
    run_in: bool = False
    lettered: bool = False  # numbered by a letter, as appendix sections are
    title: str = ""  # the text without its number

    @property
    def position(self) -> tuple[int, int, float]:
        """Where the heading stands in reading order: page, column, top."""
        return (self.page, self.line.column or 0, self.line.top)


@dataclass(frozen=True)
class BodyEnd:
    page: int
    fraction: float
    heading: str
    position: tuple[int, int, float] = (0, 0, 0.0)  # of the heading, in reading order

    @property
    def body_pages(self) -> float:
        return round(self.page - 1 + self.fraction, 2)


@dataclass(frozen=True)
class Structure:
    body_size: float
    area: TextArea
    headings: tuple[Heading, ...]
    body_end: BodyEnd | None


def analyse(document: Document, names: HeadingNames | None = None) -> Structure:
    """Find the headings of `document` and where its main body ends."""
    names = names or HeadingNames()
    furniture = _furniture(document.pages)
    body_lines = {
        page.number: [line for line in page.lines if id(line) not in furniture]
        for page in document.pages
    }
    body_size = _body_size(line for lines in body_lines.values() for line in lines)
    area = _text_area(document.pages, body_lines)
    headings = tuple(_headings(document, body_lines, body_size, names))
    body_end = _body_end(headings, body_lines, area, document)
    return Structure(body_size=body_size, area=area, headings=headings, body_end=body_end)


def _furniture(pages: Sequence[Page]) -> set[int]:
    """ids of running heads, running feet, page numbers and margin line numbers."""
    result: set[int] = set()
    edge_counts: Counter[str] = Counter()
    edges: list[tuple[str, Line]] = []
    for page in pages:
        by_top = sorted(page.lines, key=lambda line: line.top)
        for line in page.lines:
            if _PAGE_FURNITURE.match(line.text.strip()):
                result.add(id(line))
        candidates = by_top[:2] + by_top[-2:]
        seen: set[str] = set()
        for line in candidates:
            key = letters_key(line.text)
            if key and key not in seen:
                seen.add(key)
                edge_counts[key] += 1
                edges.append((key, line))
        _isolated_edges(page, by_top, result)
    repeat = max(2, int(0.3 * len(pages)))
    for key, line in edges:
        if edge_counts[key] >= repeat:
            result.add(id(line))
    return result


def _isolated_edges(page: Page, by_top: list[Line], result: set[int]) -> None:
    """A lone line in the top or bottom band, far from the text, is a head or a foot."""
    body = [line for line in by_top if id(line) not in result]
    if len(body) < 2:
        return
    first, second = body[0], body[1]
    if first.bottom < page.height * 0.1 and second.top - first.bottom > 14:
        result.add(id(first))
    last, before = body[-1], body[-2]
    if last.top > page.height * 0.9 and last.top - before.bottom > 14:
        result.add(id(last))


def _body_size(lines: Iterable[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    if not weights:
        return 10.0
    return weights.most_common(1)[0][0]


def _text_area(pages: Sequence[Page], body_lines: dict[int, list[Line]]) -> TextArea:
    tops: list[float] = []
    bottoms: list[float] = []
    lefts: list[float] = []
    rights: list[float] = []
    for page in pages:
        lines = body_lines[page.number]
        if len(lines) < 5:
            continue
        tops.append(min(line.top for line in lines))
        bottoms.append(max(line.bottom for line in lines))
        xs = sorted(line.x0 for line in lines)
        lefts.append(xs[len(xs) // 10])
        ends = sorted(line.x1 for line in lines)
        rights.append(ends[(len(ends) * 9) // 10])
    if not tops:
        everything = [line for lines in body_lines.values() for line in lines]
        if not everything:
            return TextArea(top=72.0, bottom=720.0, left=72.0, right=540.0)
        return TextArea(
            top=min(line.top for line in everything),
            bottom=max(line.bottom for line in everything),
            left=min(line.x0 for line in everything),
            right=max(line.x1 for line in everything),
        )
    # Most pages fill the text block; the last page of a section or of the paper does not,
    # and pages of a bibliography with hanging indents, of figures or of centred tables stand
    # in from its left edge (a third of one real paper's pages). A quarter of the way into the
    # sorted edges stays clear of both such pages and strays.
    tops.sort()
    bottoms.sort(reverse=True)
    lefts.sort()
    rights.sort(reverse=True)
    return TextArea(
        top=tops[len(tops) // 4],
        bottom=bottoms[len(bottoms) // 4],
        left=lefts[len(lefts) // 4],
        right=rights[len(rights) // 4],
    )


def _headings(
    document: Document,
    body_lines: dict[int, list[Line]],
    body_size: float,
    names: HeadingNames,
) -> Iterable[Heading]:
    seen_section = False
    # Bitmap fonts report meaningless sizes (0.24 pt); headings are then known by the space
    # set around them instead.
    degenerate_sizes = body_size < 3
    pitch = _line_pitch(body_lines.values()) if degenerate_sizes else 0.0
    for page in document.pages:
        lines = body_lines[page.number]
        if not lines:
            continue
        columns = _column_geometry(page, lines)
        for index, line in enumerate(lines):
            if not _well_placed(line, columns):
                continue
            if degenerate_sizes and not _set_apart(lines, index, pitch):
                continue
            heading = _as_heading(document, page, line, body_size, names, degenerate_sizes)
            if heading is None:
                continue
            if heading.lettered and not seen_section:
                # "A Study of ..." or "I Can't Believe ..." in a title block is no appendix.
                continue
            seen_section = seen_section or heading.kind is Kind.SECTION
            yield heading


def _line_pitch(pages: Iterable[list[Line]]) -> float:
    steps = [
        later.top - earlier.top
        for lines in pages
        for earlier, later in zip(lines, lines[1:], strict=False)
        if 0 < later.top - earlier.top < 30
    ]
    return statistics.median(steps) if steps else 12.0


def _set_apart(lines: list[Line], index: int, pitch: float) -> bool:
    line = lines[index]
    above = line.top - lines[index - 1].bottom if index > 0 else pitch * 2
    below = lines[index + 1].top - line.bottom if index + 1 < len(lines) else pitch
    return above >= 1.5 * pitch and below >= 1.0 * pitch


def _column_geometry(page: Page, lines: list[Line]) -> dict[int | None, tuple[float, float]]:
    """Left edge and centre of the text block, or of each column on a two-column page."""
    geometry: dict[int | None, tuple[float, float]] = {}
    for column in (None, 0, 1):
        members = [line for line in lines if line.column == column]
        if column is None and not page.two_column:
            members = lines
        if not members:
            continue
        xs = sorted(line.x0 for line in members)
        ends = sorted(line.x1 for line in members)
        left = xs[len(xs) // 10]
        right = ends[(len(ends) * 9) // 10]
        geometry[column] = (left, (left + right) / 2)
    return geometry


def _well_placed(line: Line, columns: dict[int | None, tuple[float, float]]) -> bool:
    key = line.column if line.column in columns else None
    if key not in columns:
        key = next(iter(columns))
    left, centre = columns[key]
    if abs(line.x0 - left) <= _INDENT_TOLERANCE_PT:
        return True
    return abs((line.x0 + line.x1) / 2 - centre) <= _CENTRE_TOLERANCE_PT


def _heading_face(
    document: Document, page: Page, line: Line, body_size: float, degenerate_sizes: bool
) -> bool:
    if degenerate_sizes:
        return True  # already known to be set apart
    if line.size >= body_size + 0.8 or document.line_style(page.number, line).bold:
        return True
    letters = [char for char in line.text if char.isalpha()]
    return len(letters) >= 4 and all(char.isupper() for char in letters)


def _as_heading(
    document: Document,
    page: Page,
    line: Line,
    body_size: float,
    names: HeadingNames,
    degenerate_sizes: bool,
) -> Heading | None:
    text = line.text.strip()
    if (
        len(text) <= _MAX_HEADING_CHARS
        and _may_be_heading(text, names)
        and _heading_face(document, page, line, body_size, degenerate_sizes)
    ):
        heading = _whole_line_heading(document, page, line, text, names)
        if heading is not None:
            return heading
    return _run_in_heading(document, page, line, text, names)


def _may_be_heading(text: str, names: HeadingNames) -> bool:
    """A cheap test on the text alone, before any question about style is asked."""
    if _DIGIT_NUMBER.match(text) or _ROMAN_NUMBER.match(text) or _LETTER_NUMBER.match(text):
        return True
    return names.classify(text, numbered=False) is not None


def _whole_line_heading(
    document: Document, page: Page, line: Line, text: str, names: HeadingNames
) -> Heading | None:
    title, number = _split_number(document, page, line, text)
    if not any(char.isalpha() for char in title):
        return None
    kind = names.classify(title, numbered=number is not None)
    lettered = number is not None and number[0].isalpha() and not _ROMAN_NUMBER.match(text)
    if kind is None and number is not None:
        # A whole title in a heading face after a number is a heading of some kind. Lettered
        # ones ("A Proofs") open appendices; numbered ones belong to the body.
        if lettered:
            kind = Kind.TRAILING
        elif not _looks_like_sentence(title):
            kind = Kind.SECTION
    if kind is None:
        return None
    if not _face_to_the_end(document, page, line, text):
        return None  # a bold or large opening word followed by body text: a run-in at most
    if kind is not Kind.SECTION and number is not None and "." in number.strip("."):
        # "5.5 References" is a subsection of a draft, not the bibliography.
        return None
    return Heading(
        text=text, page=page.number, kind=kind, line=line, lettered=lettered, title=title
    )


def _face_to_the_end(document: Document, page: Page, line: Line, text: str) -> bool:
    last = document.char_text_after(page.number, line, len(text) - 1)
    if last < 0:
        return True
    style = document.char_style(page.number, last)
    first = document.line_style(page.number, line)
    if style.bold == first.bold and abs(style.size - first.size) < 0.3:
        return True
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _looks_like_sentence(title: str) -> bool:
    words = title.split()
    return len(words) > 12 or title.rstrip().endswith((".", ",", ";"))


def _split_number(document: Document, page: Page, line: Line, text: str) -> tuple[str, str | None]:
    """(title, number) of a heading; number is None when the heading is unnumbered."""
    match = _DIGIT_NUMBER.match(text) or _ROMAN_NUMBER.match(text)
    if match:
        return text[match.end() :].strip(), match.group(0).strip()
    match = _LETTER_NUMBER.match(text)
    if match and _title_like(text[match.end() :]) and _same_size(document, page, line, match.end()):
        return text[match.end() :].strip(), match.group(0).strip()
    return text, None


def _title_like(title: str) -> bool:
    """Words, not a formula or a sentence fragment: mostly letters, no commas, no colon."""
    visible = [char for char in title if not char.isspace()]
    letters = sum(char.isalpha() for char in visible)
    return bool(visible) and letters >= 0.8 * len(visible) and not re.search(r"[,:;=“”]", title)


def _same_size(document: Document, page: Page, line: Line, offset: int) -> bool:
    """True when the letter that numbers a heading is as large as the title after it.

    Small capitals split a word after its first letter (`A PPENDIX`, `A BSTRACT`): the
    first letter is larger than the rest. A real letter number (`A R ELATED WORK`) is not.
    """
    following = document.char_text_after(page.number, line, offset)
    if following < 0:
        return False
    return abs(document.char_style(page.number, following).size - line.size) < 0.3


def _run_in_heading(
    document: Document, page: Page, line: Line, text: str, names: HeadingNames
) -> Heading | None:
    """A bold name opening a paragraph: `Broader impacts. Our work ...`."""
    if not names.could_open(text):
        return None
    words = list(_WORD.finditer(text, 0, 120))
    for count in range(1, min(8, len(words))):
        name = text[: words[count - 1].end()].rstrip(".:")
        kind = names.classify(name, numbered=True)  # a run-in Limitations paragraph is body
        if kind is None:
            continue
        if not document.line_style(page.number, line).bold:
            return None
        # The name ends where the bold face does: "Ethics Statement. We ..." is not "Ethics".
        following = document.char_text_after(page.number, line, words[count].start())
        if following >= 0 and not document.char_style(page.number, following).bold:
            return Heading(
                text=name, page=page.number, kind=kind, line=line, run_in=True, title=name
            )
    return None


def _body_end(
    headings: Sequence[Heading],
    body_lines: dict[int, list[Line]],
    area: TextArea,
    document: Document,
) -> BodyEnd | None:
    anchor = next(
        (index for index, heading in enumerate(headings) if heading.kind is Kind.REFERENCES),
        None,
    )
    if anchor is None:
        anchor = next(
            (index for index, heading in enumerate(headings) if heading.kind is Kind.TRAILING),
            None,
        )
    if anchor is None:
        return None
    start = anchor
    while start > 0 and headings[start - 1].kind is not Kind.SECTION:
        start -= 1
    first = headings[start]
    page = document.pages[first.page - 1]
    return BodyEnd(
        page=first.page,
        fraction=_fraction(first.line, body_lines[first.page], area, page.two_column),
        heading=first.text,
        position=first.position,
    )


def _fraction(line: Line, lines: list[Line], area: TextArea, two_column: bool) -> float:
    """How far down the text block `line` starts: 0.0 at the top, 1.0 at the bottom."""
    column = line.column if two_column and line.column is not None else 0
    above = [
        other
        for other in lines
        if other.bottom <= line.top + 1
        and other is not line
        and (not two_column or other.column in (column, None))
    ]
    if not above:
        within = _TOP_SNAP_FRACTION
    else:
        within = min(max((line.top - area.top) / area.height, 0.0), 1.0)
    if two_column:
        return round((column + within) / 2, 3)
    return round(within, 3)
