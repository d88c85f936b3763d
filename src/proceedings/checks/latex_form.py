"""The rule on metadata text that PMLR's ASCII LaTeX cannot carry."""

from __future__ import annotations

from collections.abc import Iterator

from proceedings.checks import CheckedPaper, Violation, rule
from proceedings.report import Severity
from proceedings.texts import non_ascii, non_latin_script, to_ascii_latex


@rule(
    "META003",
    "not-ascii-latex",
    Severity.ERROR,
    fix="Replace the characters named with their LaTeX form, or add `latin:` for a name "
    "written in another script.",
    needs_document=False,
)
def not_ascii_latex(paper: CheckedPaper) -> Iterator[Violation]:
    """Metadata text that cannot be written in the ASCII LaTeX that PMLR requires.

    ## What it catches
    Characters in a title or abstract with no LaTeX form (emoji, some combined accents), and
    author names in a non-Latin script (Chinese, Cyrillic, ...) without a `latin:` spelling.

    ## Why it matters
    PMLR's BibTeX file must be ASCII: accents become `{\\"o}`; a character with no LaTeX form
    cannot be published, and names in other scripts need a Latin spelling for the index.

    ## How to fix
    Rewrite the character (a `$...$` formula, a plain word), or give the author a `latin:`
    spelling ("Wang Fang") beside the name as printed ("王芳").
    """
    meta = paper.meta
    if meta is None:
        return
    for field, text in (("title", meta.title), ("abstract", meta.abstract)):
        left = non_ascii(to_ascii_latex(text))
        if left:
            yield Violation(
                f"the {field} has characters with no LaTeX form: {' '.join(left[:8])}",
                file="papers.yaml",
                line=meta.line,
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
            )
        elif non_ascii(to_ascii_latex(author.name)):
            left = non_ascii(to_ascii_latex(author.name))
            yield Violation(
                f"author {number} {author.name!r} has characters with no LaTeX form: "
                f"{' '.join(left)}",
                file="papers.yaml",
                line=meta.line,
            )
