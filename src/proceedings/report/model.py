"""The report model: findings, the reports of papers and files, and a whole report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from proceedings.version import __version__

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
