"""Reading BibTeX values: name lists, LaTeX to text and back, titles for comparison."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

from proceedings.texts import FOLD

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _to_text() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def latex_to_text(value: str) -> str:
    """`K\\"{o}ller` -> `Köller`; a value pylatexenc cannot read is returned as it is."""
    if "\\" not in value and "{" not in value and "~" not in value:
        return value
    try:
        text: str = _to_text().latex_to_text(value)
    except Exception:  # noqa: BLE001 - pylatexenc raises many kinds on odd input
        return value
    return text


def comparable(text: str) -> str:
    """Lower-case letters and digits only, accents folded: for comparing titles and names."""
    plain = latex_to_text(text).casefold().translate(FOLD)
    decomposed = unicodedata.normalize("NFKD", plain)
    return _NOT_ALNUM.sub("", decomposed.encode("ascii", "ignore").decode("ascii"))


def words(text: str) -> list[str]:
    """The words of `text` in lower case, LaTeX read as text."""
    plain = unicodedata.normalize("NFKD", latex_to_text(text).casefold().translate(FOLD))
    return re.findall(r"[a-z][a-z0-9]*", plain.encode("ascii", "ignore").decode("ascii"))


@dataclass(frozen=True)
class NameItem:
    """One name of an `author` or `editor` list, as written between the `and`s."""

    text: str  # white space collapsed; empty when two `and`s meet

    @property
    def commas(self) -> int:
        return _top_level(self.text).count(",")

    @property
    def words(self) -> int:
        return len(_top_level(self.text).split())


@dataclass(frozen=True)
class NameList:
    names: list[NameItem]
    leading_and: bool
    trailing_and: bool
    doubled_and: bool


def split_names(value: str) -> NameList:
    """Split an `author`/`editor` value at the `and`s outside braces, as BibTeX does."""
    tokens = brace_words(value)
    groups: list[list[str]] = [[]]
    for token in tokens:
        if token.lower() == "and":
            groups.append([])
        else:
            groups[-1].append(token)
    names = [NameItem(" ".join(group)) for group in groups]
    separators = len(groups) - 1
    leading = separators > 0 and not groups[0]
    trailing = separators > 0 and not groups[-1]
    doubled = any(not group for group in groups[1:-1])
    if not tokens:
        names = []
    return NameList(names=names, leading_and=leading, trailing_and=trailing, doubled_and=doubled)


def brace_words(value: str) -> list[str]:
    """White-space separated words of `value`, braces kept whole."""
    tokens: list[str] = []
    current: list[str] = []
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        if char.isspace() and depth == 0:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


def _top_level(text: str) -> str:
    """`text` with everything inside braces removed: what BibTeX splits a name on."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def family_name(name: str) -> str:
    """The family name of a BibTeX name: before the first comma, else the last word."""
    text = " ".join(name.split())
    if "," in _top_level(text):
        return text.split(",", 1)[0].strip()
    parts = brace_words(text)
    return parts[-1] if parts else ""
