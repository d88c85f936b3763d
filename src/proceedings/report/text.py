"""The text report, for people: one block per paper, then a summary line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from proceedings.report.model import (
    FileReport,
    Finding,
    PaperReport,
    Report,
    Status,
    format_number,
)
from proceedings.wording import counted


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
