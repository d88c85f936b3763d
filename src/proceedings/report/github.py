"""The report as GitHub Actions workflow commands: one annotation per finding, then a summary.

Each finding becomes `::error file=...,line=...,title=CODE rule-name::message` (`::warning` for
warnings, `::notice` for information), which GitHub shows on the file in a pull request's diff
and in the run's summary. Properties and messages are escaped as the runner requires, so a `%` or
a new line in a message, or a `:` or a `,` in a path, cannot break the command.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from proceedings.report import (
    FileReport,
    Finding,
    PaperReport,
    Report,
    Severity,
    summary_line,
)
from proceedings.rules import get_rule

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(report: Report) -> str:
    """One workflow command per finding, files before papers, and a `::notice::` summary."""
    lines = [_command(finding, *place) for finding, place in _located(report)]
    lines.append(f"::notice::{escape_data(summary_line(report))}")
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    """A message as the runner reads it back: `%`, carriage returns and new lines escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (`file`, `title`): as a message, and `:` and `,` escaped as well."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding, path: str, line: int | None, where: str) -> str:
    properties = [f"file={escape_property(path)}"]
    if line is not None:
        properties.append(f"line={line}")
    properties.append(f"title={escape_property(_title(finding))}")
    message = escape_data(_message(finding, where))
    return f"::{LEVELS[finding.severity]} {','.join(properties)}::{message}"


def _title(finding: Finding) -> str:
    found = get_rule(finding.code)
    return f"{finding.code} {found.name}" if found is not None else finding.code


def _message(finding: Finding, where: str) -> str:
    text = finding.message
    if finding.page is not None:
        text = f"page {finding.page}: {text}"
    if where:
        text = f"{where}: {text}"
    if finding.hint:
        text += f"\nhint: {finding.hint}"
    return text


# Where an annotation goes: the path, the line (or None) and, when the line is not known
# there, where the finding is, said at the start of the message.
Place = tuple[str, int | None, str]


def _located(report: Report) -> Iterator[tuple[Finding, Place]]:
    """Each finding with the place its annotation goes."""
    for item in report.files:
        for finding in item.findings:
            path = item.file if finding.file is None else _beside(item, finding.file)
            yield finding, (path, finding.line, "")
    for paper in report.papers:
        for finding in paper.findings:
            if finding.file is None:
                # A PDF has no lines: the annotation goes on the file, the page into the message.
                yield finding, (paper.file, None, "")
                continue
            metadata = _metadata_file(paper, finding.file, report.files)
            if metadata is not None:
                yield finding, (metadata, finding.line, "")
            else:  # the metadata file cannot be found: the message says where instead
                yield finding, (paper.file, None, finding.where)


def _beside(item: FileReport, name: str) -> str:
    """`name`, given relative to the folder of `item` (or to `item` itself, when it is a
    folder: the volume of a failed build), as a path from where the report was made."""
    base, target = Path(item.file), Path(name)
    if target.is_absolute() or item.file == name:
        return name
    folder = base if base.is_dir() else base.parent
    if folder != Path(".") and target.parts[: len(folder.parts)] == folder.parts:
        return name  # already a path from where the report was made (PMLR018's stray PDFs)
    if not base.is_dir() and base.name == name:
        return item.file
    return str(folder / target)


def _metadata_file(paper: PaperReport, name: str, files: Sequence[FileReport]) -> str | None:
    """The path of the volume's `name` (papers.yaml) that a paper's finding points into.

    The volume's metadata reports are named by path; the one whose folder holds the paper's
    PDF is the paper's. Without them (a report put together by hand), look for `name` in the
    folders above the PDF.
    """
    pdf = Path(paper.file)
    candidates = [
        item.file
        for item in files
        if item.kind == "metadata"
        and Path(item.file).name == name
        and Path(item.file).parent in pdf.parents
    ]
    if candidates:  # the innermost volume, should one volume sit in another's folder
        return max(candidates, key=lambda path: len(Path(path).parts))
    for folder in pdf.parents:
        if (folder / name).is_file():
            return str(folder / name)
    return None
