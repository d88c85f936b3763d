"""What a BibTeX file holds once read: entries with their fields and lines, and its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Fields of PMLR's `@Proceedings` entry that no reference list's `@proceedings` has.
PMLR_ONLY_FIELDS = ("shortname", "start", "end", "published", "conference_url", "conference_number")


@dataclass(frozen=True)
class BibField:
    """One `name = value` of an entry.

    `value` is the field as BibTeX sees it: delimiters removed, `@string` macros resolved and
    `#` parts joined; LaTeX is kept as written. `raw` is the text after `=` as written.
    `line` is the 1-based line on which the value starts.
    """

    name: str  # lower case
    value: str
    raw: str
    line: int

    def line_of(self, text: str) -> int:
        """The line on which `text` first appears in the value as written (else the value's)."""
        index = self.raw.find(text) if text else -1
        if index < 0:
            return self.line
        return self.line + self.raw.count("\n", 0, index)


@dataclass
class BibEntry:
    """One `@type{key, ...}` entry; the first of two fields with the same name is kept."""

    type: str  # lower case: "article", "inproceedings", "proceedings"
    key: str
    line: int  # 1-based line of the `@`
    fields: dict[str, BibField] = field(default_factory=dict)
    repeated_fields: list[BibField] = field(default_factory=list)  # second and later copies
    in_comment: bool = False  # inside `@comment{...}`, which BibTeX reads as if it were not there
    cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def get(self, name: str) -> str:
        """The value of field `name` (any case), stripped; empty when the field is absent."""
        found = self.fields.get(name.lower())
        return found.value.strip() if found is not None else ""

    def field(self, name: str) -> BibField | None:
        return self.fields.get(name.lower())

    def line_of(self, name: str) -> int:
        """The line of field `name`, or the entry's line when it has none."""
        found = self.fields.get(name.lower())
        return found.line if found is not None else self.line


@dataclass(frozen=True)
class BibProblem:
    """Something BibTeX would stumble on, at a 1-based line."""

    line: int
    message: str


@dataclass
class BibFile:
    """A BibTeX file as the `bib` rules read it: read once, shared by all rules."""

    path: Path
    text: str = ""
    entries: list[BibEntry] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)  # lower-case name -> value
    syntax_errors: list[BibProblem] = field(default_factory=list)
    undefined_strings: list[BibProblem] = field(default_factory=list)
    load_error: str | None = None  # why the file could not be read; nothing else is known then
    load_error_line: int | None = None  # where, when the reason is at a line (a bad byte)
    cache: dict[str, object] = field(default_factory=dict)  # for rules that share slow work

    @property
    def folder(self) -> Path:
        """The folder of the .bib: where a PMLR volume keeps `<key>.pdf`."""
        return self.path.parent

    @property
    def proceedings(self) -> list[BibEntry]:
        return [entry for entry in self.entries if entry.type == "proceedings"]

    @property
    def papers(self) -> list[BibEntry]:
        """The `@InProceedings` entries, in file order."""
        return [entry for entry in self.entries if entry.type == "inproceedings"]

    @property
    def is_pmlr_volume(self) -> bool:
        """A PMLR volume file: an `@Proceedings` entry plus `@InProceedings` entries.

        A reference list may hold both too (an `@Proceedings` entry as the target of
        `crossref`), so the file also needs a field only PMLR's `@Proceedings` has
        (`shortname`, `start`, `published`, ...), or papers without `booktitle` or
        `crossref`, as PMLR's papers are. Anything else is a reference list.
        """
        if not self.proceedings or not self.papers:
            return False
        volume = self.proceedings[0]
        if any(volume.get(name) for name in PMLR_ONLY_FIELDS):
            return True
        return not any(paper.get("booktitle") or paper.get("crossref") for paper in self.papers)
