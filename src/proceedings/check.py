"""The check pipeline: open each PDF once, analyse it, run the rules, collect a report.

`check_paths` is the Python API that `proceedings check` wraps.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from proceedings.checks import (
    CheckedPaper,
    Rule,
    all_rules,
    get_rule,
    run_rules,
    with_severities,
)
from proceedings.parallel import Limits, Pool, set_step
from proceedings.pdf.facts import read_facts
from proceedings.pdf.layout import PdfOpenError, open_document
from proceedings.pdf.structure import HeadingNames, analyse
from proceedings.report import BodyEndInfo, FileReport, Finding, PaperReport, Report
from proceedings.text_quality import measurable
from proceedings.volume import (
    PAPERS_FILE,
    VOLUME_FILE,
    VenueRules,
    VolumeSources,
    is_file,
    load_volume,
)
from proceedings.volume import Paper as PaperMeta

UNREADABLE_METADATA = "VOL001"
TIME_LIMIT = "PDF004"
READER_STOPPED = "PDF006"

TRACK_LIMITS: dict[str, float] = {"long": 5, "tiny": 2}


@dataclass(frozen=True)
class CheckOptions:
    track: str = "long"
    page_limit: float | None = None  # overrides the track's limit
    names: HeadingNames = field(default_factory=HeadingNames)
    rules: Sequence[Rule] | None = None  # None: every registered rule
    venue: VenueRules = field(default_factory=VenueRules)  # for loose PDFs; a volume has its own
    jobs: int = 1  # worker processes
    limits: Limits = field(default_factory=lambda: Limits(seconds=60, memory_bytes=1 << 30))


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Task:
    """One paper to check, as a worker process receives it."""

    path: Path
    options: CheckOptions
    paper_id: str | None = None
    meta: PaperMeta | None = None
    track_limit: float | None = None
    shown: str | None = None


def check_paths(
    paths: Iterable[Path], options: CheckOptions | None = None, progress: Progress | None = None
) -> Report:
    """Check each PDF in `paths`; a file that fails never stops the others."""
    options = options or CheckOptions()
    return Report(papers=_run([_Task(path, options) for path in paths], options, progress))


def _run(tasks: list[_Task], options: CheckOptions, progress: Progress | None) -> list[PaperReport]:
    if options.jobs <= 1 and not options.limits.seconds and not options.limits.memory_bytes:
        return [_check_task(task) for task in tasks]
    pool: Pool[_Task, PaperReport] = Pool(
        _check_task, _timed_out, _crashed, jobs=options.jobs, limits=options.limits
    )
    return pool.map(tasks, progress)


def _check_task(task: _Task) -> PaperReport:
    return check_pdf(
        task.path,
        task.options,
        task.paper_id,
        meta=task.meta,
        track_limit=task.track_limit,
        shown=task.shown,
    )


def _timed_out(task: _Task, seconds: float, step: str) -> PaperReport:
    # The step the worker said it was in, so the message blames what was slow.
    during = f" while {step}" if step else ""
    return _stopped(
        task,
        TIME_LIMIT,
        f"{task.path.name} took longer than {seconds:g} s to read and was stopped{during}",
    )


def _crashed(task: _Task, why: str) -> PaperReport:
    # The worker runs native PDF code under a memory limit: when it dies it is that code
    # failing on this file (an allocation refused, a crash), not an error of ours in Python.
    return _stopped(
        task, READER_STOPPED, f"reading {task.path.name} was stopped: {_stopped_why(task, why)}"
    )


def _stopped_why(task: _Task, why: str) -> str:
    limit = task.options.limits.memory_bytes
    memory = f"more than the {limit / (1 << 30):g} GiB memory limit" if limit else "all memory"
    return f"it needed {memory} or crashed the PDF library ({why})"


def _stopped(task: _Task, code: str, message: str) -> PaperReport:
    rule = get_rule(code)
    assert rule is not None
    limit = task.track_limit or TRACK_LIMITS.get(task.options.track, 5)
    report = PaperReport(
        id=task.paper_id or task.path.stem,
        file=task.shown or str(task.path),
        track=task.options.track,
        page_limit=task.options.page_limit or limit,
        unreadable=True,
    )
    report.findings.append(
        Finding(code=code, severity=rule.severity, message=message, hint=rule.fix)
    )
    return report


def check_volume(
    root: Path, options: CheckOptions | None = None, progress: Progress | None = None
) -> Report:
    """Check a volume folder: its metadata, and each paper's PDF with its track's limit."""
    options = options or CheckOptions()
    volume, sources = load_volume(root)
    rules = with_severities(options.rules or all_rules(), dict(volume.venue.severities))
    options = replace(options, rules=rules)
    files = _metadata_reports(sources, options)
    paper_options = replace(
        options,
        names=options.names.with_extra(volume.venue.not_counted),
        venue=volume.venue,
    )
    tasks = []
    for meta in volume.papers:
        if meta.pdf is None or not is_file(meta.pdf):
            continue  # VOL007 and VOL008 name the entry in papers.yaml
        track = volume.track(meta.track)
        limit = track.page_limit if track is not None else TRACK_LIMITS.get(meta.track, 5)
        tasks.append(
            _Task(
                meta.pdf,
                replace(paper_options, track=meta.track),
                paper_id=meta.id,
                meta=meta,
                track_limit=limit,
                shown=str(root / meta.pdf_shown),
            )
        )
    papers = _run(tasks, options, progress)
    return Report(papers=papers, files=files)


def _metadata_reports(sources: VolumeSources, options: CheckOptions) -> list[FileReport]:
    reports = {
        name: FileReport(file=str(sources.root / name), kind="metadata")
        for name in (VOLUME_FILE, PAPERS_FILE)
        if (sources.root / name).exists()
    }
    for finding in run_rules(sources, options.rules or all_rules(), subject="volume"):
        name = finding.file or PAPERS_FILE
        report = reports.setdefault(
            name, FileReport(file=str(sources.root / name), kind="metadata")
        )
        report.findings.append(finding)
        if finding.code == UNREADABLE_METADATA:
            report.unreadable = True
    return list(reports.values())


def check_pdf(
    path: Path,
    options: CheckOptions,
    paper_id: str | None = None,
    *,
    meta: PaperMeta | None = None,
    track_limit: float | None = None,
    shown: str | None = None,
) -> PaperReport:
    """Check one PDF. `meta` is its entry in a volume; `track_limit` its track's page limit."""
    limit = options.page_limit
    if limit is None:
        limit = track_limit if track_limit is not None else TRACK_LIMITS.get(options.track, 5)
    paper = CheckedPaper(
        id=paper_id or path.stem,
        path=path,
        track=options.track,
        page_limit=limit,
        meta=meta,
        venue=options.venue,
        notes={
            "limit_from_option": options.page_limit is not None,
            "page_size": options.venue.page_size,
        },
    )
    report = PaperReport(
        id=paper.id, file=shown or str(path), track=options.track, page_limit=limit
    )
    try:
        _inspect(paper, options)
    except PdfOpenError as error:
        paper.open_error = f"{path.name} {error}"
        paper.open_hint = error.hint
        report.unreadable = True
    except MemoryError:
        paper.out_of_memory = f"reading {path.name} needed more memory than it is allowed"
        report.unreadable = True
    except Exception as error:  # noqa: BLE001 - one paper's failure must not end the run
        paper.internal_error = _describe_bug(error)
        report.unreadable = True
    try:
        set_step("running the checks")
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
    set_step("opening the file")
    paper.document = open_document(paper.path)  # says which page's text layer it reads
    paper.facts = read_facts(paper.path, copy=True)  # says which step of the structure
    if measurable(paper.document):
        set_step("finding the headings and the end of the main text")
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
