"""The rule on metadata text that PMLR's ASCII LaTeX cannot carry."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from proceedings.asciilatex import encode, pmlr_reading
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, Violation, rule
from proceedings.texts import non_latin_script

# PMLR's decoder turns ASCII quotes into typographic ones; that is not a misreading.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "`", "\u201c": '"', "\u201d": '"'})


@rule(
    "META003",
    "not-ascii-latex",
    Severity.WARNING,
    fix="Rewrite the characters named (a `$...$` formula, a word), or give the author a "
    "`latin:` spelling.",
    needs_document=False,
)
def not_ascii_latex(paper: CheckedPaper) -> Iterator[Violation]:
    """Metadata text that the PMLR bib cannot carry as written.

    ## What it catches
    Characters in a title, abstract or author name that have no ASCII LaTeX form (an emoji,
    a pictograph, a letter of another script in a title): the build leaves them out, so this
    is a warning; an error when nothing of the field would be left. An author name in a
    non-Latin script (Chinese, Cyrillic, ...) without a `latin:` spelling is an error: the
    build cannot write it. A warning too for a name that PMLR's pages would show otherwise
    than written: PMLR's decoder reads one accent per letter, so "Nguyễn" would be shown
    with LaTeX left in it.

    Accents, combining marks, typographic quotes, dashes, ellipses, special spaces, ligatures,
    Greek letters and math symbols in running text all have a form (`\\'{e}`, ``` `` ```,
    `--`, `\\dots{}`, `$\\varepsilon$`, `$\\infty$`) and are not reported.

    ## Why it matters
    PMLR's BibTeX file must be ASCII; what cannot be written is missing from the published
    page, and a name in another script needs a Latin spelling for PMLR's index.

    ## Known problems
    Letters PMLR's abstract decoder leaves in braces (`{\\o}` shows as `{ø}` in an abstract)
    are not reported.

    ## Example
    An emoji in a title:

        warning META003 papers.yaml:4 the title has characters with no LaTeX form: 🔁 (U+1F501); the
        build leaves them out

    ## How to fix
    Rewrite the character, or give the author a `latin:` spelling ("Wang Fang") beside the
    name as printed ("王芳").
    """
    meta = paper.meta
    if meta is None:
        return
    for field, text in (("title", meta.title), ("abstract", meta.abstract)):
        encoded = encode(text)
        if encoded.unmapped:
            nothing_left = bool(text.strip()) and not encoded.latex.strip()
            yield Violation(
                f"the {field} has characters with no LaTeX form: "
                f"{_shown(encoded.unmapped)}; "
                + ("nothing of it can be written" if nothing_left else "the build leaves them out"),
                file="papers.yaml",
                line=meta.line,
                severity=Severity.ERROR if nothing_left else None,
            )
    for number, author in enumerate(meta.authors, start=1):
        if author.latin:
            continue
        if non_latin_script(author.name):
            yield Violation(
                f"author {number} {author.name!r} is written in a non-Latin script; PMLR needs "
                "a Latin spelling",
                file="papers.yaml",
                line=meta.line,
                hint=f"Add `latin: <the name in Latin letters>` to author {number}.",
                severity=Severity.ERROR,
            )
            continue
        encoded = encode(author.name)
        if encoded.unmapped:
            yield Violation(
                f"author {number} {author.name!r} has characters with no LaTeX form: "
                f"{_shown(encoded.unmapped)}; the build leaves them out",
                file="papers.yaml",
                line=meta.line,
            )
            continue
        written = " ".join(part for part in (author.given, author.family) if part)
        shown = " ".join(pmlr_reading(encode(part).latex) for part in written.split())
        expected = unicodedata.normalize("NFC", " ".join(written.split()))
        if shown.translate(_QUOTES) != expected.translate(_QUOTES):
            yield Violation(
                f"author {number} {author.name!r} would be shown by PMLR's pages as {shown!r}",
                file="papers.yaml",
                line=meta.line,
                hint=f"Give author {number} a `latin:` spelling without the accents PMLR's "
                "pages cannot show (for example one accent per letter).",
            )


def _shown(chars: tuple[str, ...]) -> str:
    return " ".join(f"{char} (U+{ord(char):04X})" for char in chars[:8])
