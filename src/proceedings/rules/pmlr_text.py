"""Rules about the text of a PMLR volume file: characters and LaTeX PMLR takes, and titles that
belong to another paper.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from proceedings.asciilatex import encode
from proceedings.bib.model import BibEntry, BibField, BibFile
from proceedings.bib.text import comparable, words
from proceedings.report import Severity
from proceedings.rules import Violation, rule
from proceedings.rules.bib_walk import FieldProblem, field_violations, pmlr_volume

# Fields holding links, where `%` is URL encoding and not a LaTeX comment.
LINK_FIELDS = frozenset(
    {"url", "conference_url", "openreview", "software", "video", "supplementary", "pdf"}
)

UNESCAPED_PERCENT = re.compile(r"(?<!\\)(?:\\\\)*%")

# Words that say nothing about what a paper is about, left out when a title meets its abstract.
STOP_WORDS = frozenset(
    "a an the of in on for to and or with by from at as is are be do does not no its it their "
    "our we how what when why which can via into through than over under about between across "
    "toward towards".split()
)

MISMATCH_SHARE = 0.35  # a title with fewer of its words in the abstract may belong elsewhere


@rule(
    "PMLR010",
    "non-ascii-text",
    Severity.ERROR,
    fix="Replace typographic characters by their ASCII LaTeX forms: `'` for a curly "
    'apostrophe, `--` for an en dash, `\\"{a}` for an accented letter.',
    subject="bib",
)
def non_ascii_text(bib: BibFile) -> Iterator[Violation]:
    """A title or abstract with raw non-ASCII characters (curly quotes, dashes, accents).

    ## What it catches
    Characters outside ASCII in a paper's `title` or `abstract`: typographic apostrophes
    (`’`) pasted from a word processor, en and em dashes, accented letters.

    ## Why it matters
    PMLR requires ASCII abstracts; raw Unicode shows up garbled on the paper's page and in
    citation exports.

    ## Example
    An en dash pasted into a title:

        error PMLR010 line 18 title of `rangel26a` has raw `–` (U+2013 en dash); write `--`

    ## How to fix
    Type the ASCII form: `'` for `’`, `--` for `–`, `\\"{a}` for `ä`.
    """
    if pmlr_volume(bib):
        # Empty fields too: `str.strip` takes a lone no-break space for white space.
        yield from field_violations(bib.papers, _raw_unicode, ("title", "abstract"), empty=True)


def _raw_unicode(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    others = [char for char in found.value if not char.isascii()]
    if not others:
        return
    char = others[0]
    spelling = encode(char).latex
    hint = f"; write `{spelling}`" if spelling.isascii() else ""
    count = f" ({len(others)} non-ASCII characters in all)" if len(others) > 1 else ""
    yield FieldProblem(
        f"{found.name} of `{entry.key}` has raw `{char}` ({_char_name(char)}){hint}{count}",
        found.raw.find(char),
    )


@rule(
    "PMLR011",
    "unescaped-percent",
    Severity.ERROR,
    fix="Write a percent sign as `\\%`.",
    subject="bib",
)
def unescaped_percent(bib: BibFile) -> Iterator[Violation]:
    """A `%` not written `\\%` in a title, abstract or other text field.

    ## What it catches
    A bare `%` in any field of the volume file other than links (`url`, `openreview`,
    `conference_url`, ...).

    ## Why it matters
    To LaTeX, `%` starts a comment: the rest of the line disappears from the printed
    abstract or title ("accuracy of 95" instead of "accuracy of 95% on...").

    ## Example
    A percentage in an abstract:

        error PMLR011 line 29 `abstract` of `eiras26a` has a `%` that is not written `\\%`

    ## How to fix
    Escape it: `95\\%`.
    """
    if pmlr_volume(bib):
        entries = [*bib.proceedings, *bib.papers]
        yield from field_violations(entries, _unescaped_percent, empty=True)


def _unescaped_percent(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    match = UNESCAPED_PERCENT.search(found.raw) if found.name not in LINK_FIELDS else None
    if match is not None:
        yield FieldProblem(
            f"`{found.name}` of `{entry.key}` has a `%` that is not written `\\%`", match.start()
        )


@rule(
    "PMLR012",
    "unsupported-latex",
    Severity.ERROR,
    fix="Remove `\\\\` line breaks and `\\color`; in titles and abstracts, rephrase around "
    "`\\$`, `\\{`, `\\}` and `\\_` (`100 USD`, `$\\lbrace a \\rbrace$`, `snake case`).",
    subject="bib",
)
def unsupported_latex(bib: BibFile) -> Iterator[Violation]:
    """LaTeX that PMLR's pipeline does not accept: `\\\\`, `\\color`, escaped `$ { } _`.

    ## What it catches
    A forced line break `\\\\` or a `\\color` command in any field, and the escaped specials
    `\\$`, `\\{`, `\\}`, `\\_` in a title or abstract.

    ## Why it matters
    PMLR converts titles and abstracts for its web pages and citation exports; these
    commands break that conversion or the brace counting of BibTeX itself (BibTeX counts the
    brace in `\\{` as a real brace).

    ## Example
    A line break in a title:

        error PMLR012 line 35 `title` of `ong26a` uses `\\\\`

    ## How to fix
    Delete line breaks and colours. Instead of `\\$`, write the currency (`100 USD`); for
    braces use `\\lbrace` and `\\rbrace` in math mode; leave underscores out of running
    text.
    """
    if pmlr_volume(bib):
        entries = [*bib.proceedings, *bib.papers]
        yield from field_violations(entries, _unsupported_latex, empty=True)


def _unsupported_latex(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    constructs = ["\\\\", "\\color"]
    if found.name in ("title", "abstract"):
        constructs += ["\\$", "\\{", "\\}", "\\_"]
    for construct in constructs:
        index = _find_command(found.raw, construct)
        if index >= 0:
            yield FieldProblem(f"`{found.name}` of `{entry.key}` uses `{construct}`", index)


@rule(
    "PMLR020",
    "duplicate-title",
    Severity.ERROR,
    fix="Give the paper its own title, from its camera-ready PDF.",
    subject="bib",
)
def duplicate_title(bib: BibFile) -> Iterator[Violation]:
    """Two papers with the same title: one carries another paper's title.

    ## What it catches
    Papers whose titles are equal once case, LaTeX, accents and punctuation are set aside.

    ## Why it matters
    A title copied onto the wrong entry publishes a paper under another paper's name; it
    is then cited and indexed wrongly for good.

    ## Example
    One paper's title copied onto another:

        error PMLR020 line 30 `wu26a` has the same title as `lazovich26a` (line 18)

    ## How to fix
    Copy each title from its paper's PDF.
    """
    if not pmlr_volume(bib):
        return
    seen: dict[str, BibEntry] = {}

    def copied(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
        title = comparable(entry.get("title"))
        earlier = seen.setdefault(title, entry) if title else entry
        if earlier is not entry:
            yield FieldProblem(
                f"`{entry.key}` has the same title as `{earlier.key}` (line {earlier.line})"
            )

    yield from field_violations(bib.papers, copied, ("title",), empty=True)


@rule(
    "PMLR021",
    "abstract-mismatch",
    Severity.WARNING,
    fix="Check the title against the paper's PDF: it may belong to another paper.",
    subject="bib",
)
def title_abstract_mismatch(bib: BibFile) -> Iterator[Violation]:
    """A title whose words hardly appear in its abstract: it may be another paper's title.

    ## What it catches
    Papers whose abstract (30 words or more) contains fewer than a third of the title's
    words (three or more, leaving out words like "the" and "of"; word endings are
    compared loosely). In PMLR volume 296, a paper on black-box attacks against cloud APIs
    carries the title "Filter bubbles and affective polarization in user-personalized large
    language model outputs", the title of a paper from the year before.

    ## Why it matters
    A title pasted from another paper publishes the work under the wrong name; checking the
    volume file alone shows no other symptom.

    ## Known problems
    Short or playful titles ("Know Thy Judge") may share few words with their abstracts.
    The rule is a heuristic: it reports, a person decides.

    ## Example
    The paper of PMLR volume 296 that carries another paper's title:

        warning PMLR021 line 30 title of `wu26a` shares few words with its abstract (`filter`,
        `bubbles`, `affective`, `polarization`, `personalized` are missing): it may be another
        paper's title

    ## How to fix
    Compare the title with the paper's PDF and fix whichever is wrong.
    """
    if pmlr_volume(bib):
        yield from field_violations(bib.papers, _foreign_title, ("title",), empty=True)


def _foreign_title(entry: BibEntry, found: BibField) -> Iterator[FieldProblem]:
    title_words = [word for word in words(entry.get("title")) if word not in STOP_WORDS]
    abstract_words = words(entry.get("abstract"))
    if len(title_words) < 3 or len(abstract_words) < 30:
        return
    stems = {_stem(word) for word in abstract_words}
    absent = [word for word in title_words if not _word_in(word, stems)]
    share = 1 - len(absent) / len(title_words)
    if share < MISMATCH_SHARE:
        shown = ", ".join(f"`{word}`" for word in absent[:5])
        yield FieldProblem(
            f"title of `{entry.key}` shares few words with its abstract ({shown} are "
            "missing): it may be another paper's title"
        )


def _find_command(raw: str, construct: str) -> int:
    """Where `construct` (`\\\\`, `\\color`, `\\$`, ...) starts in `raw`, or -1.

    A backslash escaped by another one does not start a command: `\\\\_` is a line break
    and an underscore, not `\\_`.
    """
    start = 0
    while True:
        index = raw.find(construct, start)
        if index < 0:
            return -1
        backslashes = 0
        while index - backslashes - 1 >= 0 and raw[index - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            if construct == "\\color" and index + 6 < len(raw) and raw[index + 6].isalpha():
                start = index + 1  # `\colorbox` and the like are other commands
                continue
            return index
        start = index + 1


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _word_in(word: str, stems: set[str]) -> bool:
    stem = _stem(word)
    if stem in stems:
        return True
    return len(stem) >= 5 and any(other.startswith(stem[:5]) for other in stems)


def _char_name(char: str) -> str:
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name.lower()}" if name else code
