"""Findings and reports, and the renderers that turn a report into text or JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from proceedings.version import __version__
from proceedings.wording import counted

REPORT_VERSION = 1


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # the file could not be read


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    hint: str = ""
    page: int | None = None
    line: int | None = None
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "page": self.page,
            "message": self.message,
            "hint": self.hint,
        }
        # Version 1 of the report adds these keys only where they apply.
        if self.line is not None:
            data["line"] = self.line
        if self.file is not None:
            data["file"] = self.file
        return data

    @property
    def where(self) -> str:
        """`page 6`, `line 48`, `papers.yaml:48` or nothing."""
        if self.file is not None:
            return f"{self.file}:{self.line}" if self.line is not None else self.file
        if self.line is not None:
            return f"line {self.line}"
        return f"page {self.page}" if self.page is not None else ""


@dataclass(frozen=True)
class BodyEndInfo:
    page: int
    fraction: float
    heading: str


class _Checked:
    """What a paper's and a file's report share: findings, and a status drawn from them."""

    findings: list[Finding]
    unreadable: bool

    @property
    def status(self) -> Status:
        if self.unreadable:
            return Status.ERROR
        if any(finding.severity is Severity.ERROR for finding in self.findings):
            return Status.FAIL
        return Status.PASS

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)


@dataclass
class PaperReport(_Checked):
    id: str
    file: str
    track: str
    page_limit: float
    pages_total: int | None = None
    body_end: BodyEndInfo | None = None
    body_pages: float | None = None
    unreadable: bool = False
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        body_end = None
        if self.body_end is not None:
            body_end = {
                "page": self.body_end.page,
                "fraction": round(self.body_end.fraction, 2),
                "heading": self.body_end.heading,
            }
        return {
            "id": self.id,
            "file": self.file,
            "track": self.track,
            "page_limit": format_number(self.page_limit),
            "pages_total": self.pages_total,
            "body_end": body_end,
            "body_pages": None if self.body_pages is None else round(self.body_pages, 2),
            "status": self.status.value,
            "findings": [finding.to_json() for finding in self.findings],
        }


@dataclass
class FileReport(_Checked):
    """Findings on a file that is not a paper: a BibTeX file, the volume's metadata."""

    file: str
    kind: str  # "bib" or "metadata"
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "status": self.status.value,
            "findings": [finding.to_json() for finding in self.findings],
        }


@dataclass
class Report:
    papers: list[PaperReport]
    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self._count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self._count(Severity.WARNING)

    def _count(self, severity: Severity) -> int:
        in_files = sum(item.count(severity) for item in self.files)
        return in_files + sum(paper.count(severity) for paper in self.papers)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": REPORT_VERSION,
            "tool": f"proceedings {__version__}",
        }
        if self.files:  # an addition to version 1: present only when other files were checked
            data["files"] = [item.to_json() for item in self.files]
        data["papers"] = [paper.to_json() for paper in self.papers]
        data["summary"] = {
            "papers": len(self.papers),
            "errors": self.errors,
            "warnings": self.warnings,
        }
        if self.files:
            data["summary"]["files"] = len(self.files)
        return data


def format_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_text(report: Report) -> str:
    """One block per paper, then a summary line; the way a person reads a check."""
    blocks = [_file_block(item) for item in report.files]
    blocks += [_paper_block(paper) for paper in report.papers]
    return "\n".join(blocks) + summary_line(report) + "\n"


def visible(text: str) -> str:
    """`text` with control characters written as escapes (`\\x1b`, `\\n`), so a title typed
    into a web form cannot move the cursor, clear the terminal or break a report's lines."""
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable() or char == " " or unicodedata.category(char) != "Cc"
        else repr(char)[1:-1]
        for char in text
    )


def _file_block(item: FileReport) -> str:
    lines = [f"{visible(item.file)}  [{item.status.value.upper()}]"]
    lines += _finding_lines(item.findings)
    return "\n".join(lines) + "\n"


def _paper_block(paper: PaperReport) -> str:
    head = f"{visible(paper.file)}  [{paper.status.value.upper()}]"
    lines = [head]
    if not paper.unreadable:
        lines.append(f"  {measure_line(paper)}")
    lines += _finding_lines(paper.findings)
    return "\n".join(lines) + "\n"


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    lines: list[str] = []
    hinted: set[tuple[str, str]] = set()  # a hint said once per rule is enough to read
    for finding in findings:
        where = finding.where
        severity = finding.severity.value
        message = visible(finding.message)
        lines.append(f"  {severity:<7} {finding.code:<7} {where:<8} {message}")
        if finding.hint and (finding.code, finding.hint) not in hinted:
            hinted.add((finding.code, finding.hint))
            lines.append(f"  {'':<7} {'':<7} {'':<8} hint: {visible(finding.hint)}")
    return lines


def measure_line(paper: PaperReport) -> str:
    limit = f"{paper.track} track, limit {format_number(paper.page_limit)}"
    total = f"{counted(paper.pages_total or 0, 'page')} in all"
    if paper.body_end is not None and paper.body_pages is not None:
        where = describe_position(paper.body_end.page, paper.body_end.fraction)
        return (
            f"main text: {paper.body_pages:.2f} pages ({limit}); "
            f"{paper.body_end.heading} starts {where}; {total}"
        )
    if paper.body_pages is not None:
        return f"main text: whole PDF counted, no end found ({limit}); {total}"
    return f"main text: not measured ({limit}); {total}"


def describe_position(page: int, fraction: float) -> str:
    """`on page 6, 62% down` as people say it, or `at the top of page 6`."""
    if fraction <= 0.0:
        return f"at the top of page {page}"
    # The same rounding as the page count printed beside it: 4.61 pages is 61% down page 5.
    shown = round(page - 1 + fraction, 2) - (page - 1)
    return f"on page {page}, {round(shown * 100)}% down"


def summary_line(report: Report) -> str:
    counts = {status: 0 for status in Status}
    for paper in report.papers:
        counts[paper.status] += 1
    errors, warnings = report.errors, report.warnings
    parts = [f"{counts[Status.PASS]} passed", f"{counts[Status.FAIL]} failed"]
    if counts[Status.ERROR]:
        parts.append(f"{counts[Status.ERROR]} could not be read")
    noun = "paper" if len(report.papers) == 1 else "papers"
    checked = f"{len(report.papers)} {noun}"
    if report.files:
        checked += f" and {counted(len(report.files), 'other file')}"
    return (
        f"Checked {checked}: {', '.join(parts)}; "
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}."
    )
