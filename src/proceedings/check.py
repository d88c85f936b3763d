"""The check pipeline: open each PDF once, analyse it, run the rules, collect a report.

`check_paths` is the Python API that `proceedings check` wraps.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from proceedings.checks import CheckedPaper, Rule, all_rules, run_rules
from proceedings.pdf.layout import PdfOpenError, open_document
from proceedings.pdf.structure import HeadingNames, analyse
from proceedings.report import BodyEndInfo, PaperReport, Report
from proceedings.text_quality import measurable

TRACK_LIMITS: dict[str, float] = {"long": 5, "tiny": 2}


@dataclass(frozen=True)
class CheckOptions:
    track: str = "long"
    page_limit: float | None = None  # overrides the track's limit
    names: HeadingNames = field(default_factory=HeadingNames)
    rules: Sequence[Rule] | None = None  # None: every registered rule


def check_paths(paths: Iterable[Path], options: CheckOptions | None = None) -> Report:
    """Check each PDF in `paths`; a file that fails never stops the others."""
    options = options or CheckOptions()
    return Report(papers=[check_pdf(path, options) for path in paths])


def check_pdf(path: Path, options: CheckOptions, paper_id: str | None = None) -> PaperReport:
    limit = options.page_limit if options.page_limit is not None else TRACK_LIMITS[options.track]
    paper = CheckedPaper(
        id=paper_id or path.stem,
        path=path,
        track=options.track,
        page_limit=limit,
        notes={"limit_from_option": options.page_limit is not None},
    )
    report = PaperReport(id=paper.id, file=str(path), track=options.track, page_limit=limit)
    try:
        _inspect(paper, options)
    except PdfOpenError as error:
        paper.open_error = f"{path.name} {error}"
        paper.open_hint = error.hint
        report.unreadable = True
    except Exception as error:  # noqa: BLE001 - one paper's failure must not end the run
        paper.internal_error = _describe_bug(error)
        report.unreadable = True
    try:
        report.findings.extend(run_rules(paper, options.rules or all_rules()))
    except Exception as error:  # noqa: BLE001
        paper.internal_error = _describe_bug(error)
        report.findings.extend(run_rules(paper, [r for r in all_rules() if r.code == "INT001"]))
    finally:
        if paper.document is not None:
            paper.document.close()
    _fill_measures(report, paper)
    return report


def _inspect(paper: CheckedPaper, options: CheckOptions) -> None:
    paper.document = open_document(paper.path)
    if measurable(paper.document):
        paper.structure = analyse(paper.document, options.names)


def _fill_measures(report: PaperReport, paper: CheckedPaper) -> None:
    if paper.document is None:
        return
    report.pages_total = len(paper.document.pages)
    structure = paper.structure
    if structure is None:
        return
    if structure.body_end is None:
        report.body_pages = float(report.pages_total)
        return
    end = structure.body_end
    report.body_end = BodyEndInfo(page=end.page, fraction=end.fraction, heading=end.heading)
    report.body_pages = end.body_pages


def _describe_bug(error: Exception) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"{type(error).__name__}: {error}{where}"
