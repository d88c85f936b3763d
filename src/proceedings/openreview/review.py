"""Imported text that will look wrong in print, and names the splitter cannot be sure of.

Authors type titles and abstracts into a web form: LaTeX commands outside math (a literal
`\\ensuremath`, `\\textbf{...}`), citations (`\\cite{...}`, "Smith et al. (2020)") and HTML
tags (`<em>`) come through as typed, and PMLR prints them as they are. Names come as typed
too: in capitals ("QIN"), or in a form where no rule knows where the family name starts
("Juan Montoya Vasquez", "Erwan Le Pennec", "María del Mar Ayuso Arroyave"). Each is one
warning naming the paper and the field; for names it shows the split chosen and how to give
another (`given` / `family`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from proceedings.openreview.names import _is_cjk
from proceedings.texts import CAPITAL_PARTICLES, PARTICLES, SUFFIXES, split_name

# Math is the one place LaTeX belongs in a title or an abstract: $...$, $$...$$, \(...\), \[...\].
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)
_CITE = re.compile(
    r"\\(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|parencite|textcite|autocite)"
    r"\*?(?:\[[^\]]*\])*\{[^}]*\}"
)
_COMMAND = re.compile(r"\\[A-Za-z]+")
_HTML = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|sup|sub|br|p|span|div|code|tt|small|big|font|ul|ol|li|h[1-6]"
    r"|img|mark|del|ins)\b[^<>]*>",
    re.IGNORECASE,
)
_TEXT_CITATION = re.compile(
    r"\b[A-Z][\w'-]+(?: and [A-Z][\w'-]+| et al\.?),? \(?(?:19|20)\d\d[a-z]?\)?"
)
_INITIAL = re.compile(r"[A-Z]\.?(?:-[A-Z]\.?)?")
_ROMAN = re.compile(r"[IVX]+")
# Capitalised forms of the particles, to notice them; which of them begin a family name is
# `split_name`'s business (texts.CAPITAL_PARTICLES), and no rule can know it for sure.
_CAPITALISED_PARTICLES = frozenset(word.capitalize() for word in PARTICLES) | CAPITAL_PARTICLES


def review(papers: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per suspicious title, abstract or author name of the imported `papers`."""
    out: list[str] = []
    for paper in papers:
        paper_id = paper.get("id")
        for key in ("title", "abstract"):
            text = paper.get(key)
            if isinstance(text, str):
                out += [f"paper {paper_id}: {key} {problem}" for problem in text_problems(text)]
        authors = paper.get("authors")
        for number, author in enumerate(authors if isinstance(authors, list) else [], 1):
            if not isinstance(author, Mapping) or not isinstance(author.get("name"), str):
                continue
            if author.get("given") is not None or author.get("family") is not None:
                continue  # split by hand, or by a rule that is sure
            for problem in name_problems(author["name"]):
                out.append(f"paper {paper_id}: author {number} {problem}")
    return out


def text_problems(text: str) -> list[str]:
    """What in `text` PMLR would print as typed: LaTeX outside math, citations, HTML tags."""
    problems: list[str] = []
    outside = _MATH.sub(" ", text)
    cites = _CITE.findall(outside)
    if cites:
        problems.append(f"holds a citation {_listed(cites)}; PMLR prints it as typed")
        outside = _CITE.sub(" ", outside)
    commands = _COMMAND.findall(outside)
    if commands:
        problems.append(
            f"holds the LaTeX command {_listed(commands)} outside math; PMLR prints it as typed"
        )
    tags = _HTML.findall(text)
    if tags:
        problems.append(f"holds the HTML tag {_listed(tags)}; PMLR prints it as typed")
    citations = _TEXT_CITATION.findall(outside)
    if citations:
        problems.append(f"cites {_listed(citations)}; an abstract in PMLR has no references")
    return problems


def name_problems(name: str) -> list[str]:
    """Why the split of `name` may be wrong: capitals, or a form no rule is sure of."""
    words = name.split()
    if len(words) < 2 or "," in name or any(_is_cjk(word) for word in words):
        return []
    parts = split_name(name)
    if parts is None:
        return []
    hint = (
        f"split as given {parts.given!r}, family {parts.family!r}; if that is wrong, add"
        " `given:` and `family:` to the author in papers.yaml"
    )
    problems: list[str] = []
    capitals = [
        word
        for word in words
        if sum(char.isalpha() for char in word) >= 2
        and word.isupper()
        and word.lower().rstrip(",") not in SUFFIXES
        and not _ROMAN.fullmatch(word)
        and not _INITIAL.fullmatch(word)
    ]
    if capitals:
        problems.append(
            f"{name!r} has {_listed(capitals)} in capitals; write it as the paper prints it"
            " (PMLR's pages and citations show it in capitals)"
        )
    core = [word for word in words if word.lower().rstrip(",") not in SUFFIXES]
    inner = core[1:-1]
    particle_capitals = [word for word in inner if word in _CAPITALISED_PARTICLES]
    lower = [index for index, word in enumerate(core) if word in PARTICLES and index > 0]
    named = [w for w in core if not _INITIAL.fullmatch(w) and w not in _CAPITALISED_PARTICLES]
    named = [w for w in named if w not in PARTICLES]
    if particle_capitals:
        problems.append(
            f"{name!r}: the capitalised particle {_listed(particle_capitals)} may begin the"
            f" family name or end the given name; {hint}"
        )
    elif lower and len(core) - _after_particles(core, lower[0]) >= 2:
        problems.append(
            f"{name!r}: two or more words after the particle {core[lower[0]]!r}, so the family"
            f" name may start at it or later; {hint}"
        )
    elif len(named) >= 3:
        problems.append(
            f"{name!r}: {len(named)} names, the family name may be the last two"
            f" (Spanish, Portuguese and Persian names often are); {hint}"
        )
    return problems


def _after_particles(words: Sequence[str], start: int) -> int:
    index = start
    while index < len(words) and words[index] in PARTICLES:
        index += 1
    return index


def _listed(items: Sequence[str]) -> str:
    unique = list(dict.fromkeys(" ".join(item.split()) for item in items))
    shown = ", ".join(f"`{item}`" for item in unique[:3])
    return shown + (f" and {len(unique) - 3} more" if len(unique) > 3 else "")
