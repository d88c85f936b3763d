"""DOIs and arXiv identifiers: where entries write them, and whether they are well formed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from proceedings.bib.model import BibEntry

# A DOI is `10.` and a registrant code (which may have dotted subdivisions, `10.1000.10`), or
# a ShortDOI: `10/` and a few letters and digits (`10/bbgr9b`), an alias that doi.org resolves
# like the DOI it stands for. DOIs compare without case.
DOI = re.compile(r"^(?:10\.\d{4,9}(?:\.\d+)*/\S+|10/[a-z0-9]+)$", re.IGNORECASE)
_DOI_TEXT = r"10[./](?:[^\s{}]|\{\\[_%&#]\})+"
# DOIs written in running text: doi.org links and `doi:` mentions.
_DOI_MENTION = re.compile(
    rf"(?:https?://)?(?:(?:dx|www)\.)?doi\.org/({_DOI_TEXT})|\bdoi:\s*({_DOI_TEXT})",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:(?:dx|www)\.)?doi\.org/)+", re.IGNORECASE)
# LaTeX escapes some exports put in DOIs (`{\_}` from Mendeley): the same DOI when compared.
_DOI_ESCAPE = re.compile(r"\{?\\([_%&#])\}?")

_NEW_ID = re.compile(r"^(\d{2})(\d{2})\.(\d+)(v\d+)?$")
_PREFIXED_NEW_ID = re.compile(r"^([a-z-]+\.[A-Za-z-]+)/(\d{4}\.\d{4,5}(?:v\d+)?)$")
# arXiv resolves an old identifier with any subject class: `math.AG/0601001`,
# `cond-mat.stat-mech/0601001`.
_OLD_ID = re.compile(r"^([a-z]+(?:-[a-z]+)*)(\.[A-Za-z-]{2,})?/(\d{2})(\d{2})(\d{3})(v\d+)?$")

# Where an arXiv identifier is written: `arXiv:2305.12345`, `arxiv.org/abs/...`, the arXiv DOI.
# An identifier ends at white space, braces, quotes, brackets (`2305.12345[cs.LG]`), a tie or a
# backslash: `arXiv:~2305.12345` and `arXiv:\href{...}{...}` are written in LaTeX.
_ID_TEXT = r"([^\s{}\"',;#?\[\]~\\]+)"
_MENTIONS = (
    re.compile(r"arxiv\.org/(?:abs|pdf)/" + _ID_TEXT, re.IGNORECASE),
    re.compile(r"\barxiv\s*:[\s~{]*" + _ID_TEXT, re.IGNORECASE),
    re.compile(r"10\.48550/arxiv\." + _ID_TEXT, re.IGNORECASE),
)
_ABS = re.compile(r"^abs/(\S+)$")
# Fields an arXiv id or a DOI may be written in (not title or abstract, which may name them).
ID_FIELDS = (
    "eprint",
    "journal",
    "journaltitle",
    "booktitle",
    "volume",
    "number",
    "pages",
    "url",
    "note",
    "howpublished",
    "doi",
    "publisher",
)


@dataclass(frozen=True)
class ArxivId:
    """An arXiv identifier as written in `field`, and what is wrong with it (if anything)."""

    text: str
    field: str
    problem: str | None = None  # None: well formed
    year: int | None = None  # the year it was submitted, from its YYMM

    @property
    def bare(self) -> str:
        """The identifier without its version: `2305.12345v2` -> `2305.12345`."""
        return re.sub(r"v\d+$", "", self.text)


def doi_problem(value: str) -> str | None:
    """Why `value` is not a bare DOI (`10.NNNN/suffix`, or a ShortDOI `10/abcde`), or None."""
    text = value.strip()
    if DOI.match(text):
        return None
    stripped = _DOI_PREFIX.sub("", text)
    if stripped != text and DOI.match(stripped):
        return f"written with a prefix (`{text[: len(text) - len(stripped)].strip()}`)"
    if text.startswith("{") and text.endswith("}") and doi_problem(text[1:-1]) is None:
        return "is wrapped in braces, which are printed and break the link"
    if any(char.isspace() for char in text):
        return "holds white space"
    if text.startswith("10/"):
        return "is not a ShortDOI (`10/` and letters and digits only, as in `10/bbgr9b`)"
    return "is not of the form `10.NNNN/suffix` (or a ShortDOI, `10/abcde`)"


def dois(entry: BibEntry) -> list[str]:
    """The DOIs of an entry (its `doi` field and doi.org links), lower case, prefixes removed."""
    found: list[str] = []
    value = entry.get("doi")
    if value:
        found.append(_DOI_PREFIX.sub("", value).strip())
    for name in ("url", "note", "howpublished"):
        for match in _DOI_MENTION.finditer(entry.get(name)):
            found.append(_trailing_punctuation(match.group(1) or match.group(2)))
    found = [_DOI_ESCAPE.sub(r"\1", doi).lower() for doi in found]
    return list(dict.fromkeys(doi for doi in found if DOI.match(doi)))


def _trailing_punctuation(text: str) -> str:
    """A DOI found in running text, without the sentence's punctuation after it.

    A `)` is kept when it closes a `(` of the DOI itself (`10.1016/0004-3702(87)90051-6`).
    """
    while text and (text[-1] in ".,;:" or (text[-1] == ")" and text.count(")") > text.count("("))):
        text = text[:-1]
    return text


def arxiv_ids(entry: BibEntry, today: date | None = None) -> list[ArxivId]:
    """Every arXiv identifier an entry writes, each checked (once per entry: three rules ask)."""
    if today is None:
        cached = entry.cache.get("arxiv_ids")
        if isinstance(cached, tuple):
            return list(cached)
        found = _arxiv_ids(entry, None)
        entry.cache["arxiv_ids"] = tuple(found)
        return found
    return _arxiv_ids(entry, today)


def _arxiv_ids(entry: BibEntry, today: date | None) -> list[ArxivId]:
    found: list[ArxivId] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, field: str) -> None:
        text = text.strip().rstrip(".,;)/")
        text = re.sub(r"\.pdf$", "", text, flags=re.IGNORECASE)
        if (text, field) in seen or not text:
            return
        seen.add((text, field))
        found.append(check_arxiv_id(text, field, today))

    eprint = entry.get("eprint")
    prefix = (entry.get("archiveprefix") or entry.get("eprinttype")).lower()
    link = _MENTIONS[0].search(eprint) if prefix == "arxiv" else None
    if link is not None:
        # biblatex builds the link itself: `arxiv.org/abs/` + a link is no link
        bare = link.group(1).rstrip(".,;)/")
        bare = re.sub(r"\.pdf$", "", bare, flags=re.IGNORECASE)
        found.append(ArxivId(eprint, "eprint", f"a link, not an identifier: write `{bare}` alone"))
    elif eprint and (prefix == "arxiv" or (not prefix and _looks_like_arxiv(eprint))):
        add(re.sub(r"^arxiv\s*:\s*", "", eprint, flags=re.IGNORECASE), "eprint")
    for name in ID_FIELDS:
        if name == "eprint":
            continue
        value = entry.get(name)
        if not value:
            continue
        for pattern in _MENTIONS:
            for match in pattern.finditer(value):
                add(match.group(1), name)
        journal = (entry.get("journal") or entry.get("journaltitle")).lower()
        if name == "volume" and ("corr" in journal or "arxiv" in journal):
            abs_match = _ABS.match(value)
            if abs_match:
                add(abs_match.group(1), name)
    return found


def _looks_like_arxiv(text: str) -> bool:
    text = re.sub(r"^arxiv\s*:\s*", "", text.strip(), flags=re.IGNORECASE)
    return bool(re.match(r"^\d{4}\.\d", text) or re.match(r"^[a-z-]+(\.[A-Z]{2})?/\d", text))


def check_arxiv_id(text: str, field: str = "eprint", today: date | None = None) -> ArxivId:
    """Check an identifier of the new form `YYMM.NNNNN` (4 digits before 2015) or the old
    `archive/YYMMNNN` (`cs/0601001`, `math.AG/0601001`)."""
    today = today or date.today()
    new = _NEW_ID.match(text)
    if new is not None:
        yy, mm, number = int(new.group(1)), int(new.group(2)), new.group(3)
        year = 2000 + yy
        if not 1 <= mm <= 12:
            return ArxivId(text, field, f"month {new.group(2)} does not exist")
        if (yy, mm) < (7, 4):
            return ArxivId(text, field, "new-style identifiers start in April 2007 (0704)")
        if (year, mm) > (today.year, today.month):
            return ArxivId(text, field, f"dates from {year}-{mm:02d}, in the future")
        digits = 4 if yy < 15 else 5
        if len(number) != digits:
            return ArxivId(
                text,
                field,
                f"{len(number)} digits after the dot; identifiers of {year} have {digits}",
            )
        return ArxivId(text, field, None, year)
    old = _OLD_ID.match(text)
    if old is not None:
        yy, mm = int(old.group(3)), int(old.group(4))
        year = 1900 + yy if yy >= 91 else 2000 + yy
        if not 1 <= mm <= 12:
            return ArxivId(text, field, f"month {old.group(4)} does not exist")
        if not (1991, 8) <= (year, mm) <= (2007, 3):
            return ArxivId(text, field, "old-style identifiers run from 1991 to March 2007")
        return ArxivId(text, field, None, year)
    prefixed = _PREFIXED_NEW_ID.match(text)
    if prefixed is not None:
        return ArxivId(
            text,
            field,
            f"the category stands before a new-style identifier; write `{prefixed.group(2)}` "
            f"(the category `{prefixed.group(1)}` goes in `primaryClass`)",
        )
    return ArxivId(text, field, "neither `YYMM.NNNNN` nor `archive/YYMMNNN`")
