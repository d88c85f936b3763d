"""The check pipeline: open each PDF once, analyse it, run the rules, collect a report.

`check_paths` is the Python API that `proceedings check` wraps: it takes what the command
takes (volume folders, BibTeX files, folders of PDFs, PDFs) and decides what each is.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from proceedings.bib.parse import load_bib
from proceedings.paper import read_paper_facts
from proceedings.parallel import Limits, Pool, set_step
from proceedings.pdf.layout import PdfOpenError, open_document
from proceedings.pdf.structure import HeadingNames, analyse
from proceedings.program import PROGRAM_FILE
from proceedings.report import BodyEndInfo, FileReport, Finding, PaperReport, Report
from proceedings.rules import (
    CheckedPaper,
    Rule,
    all_rules,
    get_rule,
    run_rules,
    with_severities,
)
from proceedings.text_quality import measurable
from proceedings.venues import UNKNOWN_TRACK_LIMIT, Track, VenueRules, default_profile
from proceedings.volume import (
    PAPERS_FILE,
    VOLUME_FILE,
    VolumeSources,
    is_file,
    is_volume,
    load_volume,
)
from proceedings.volume import Paper as PaperMeta

UNREADABLE_METADATA = "VOL001"
TIME_LIMIT = "PDF004"
READER_STOPPED = "PDF006"


@dataclass(frozen=True)
class CheckOptions:
    track: str = "long"
    page_limit: float | None = None  # overrides the track's limit
    names: HeadingNames = field(default_factory=HeadingNames)
    rules: Sequence[Rule] | None = None  # None: every registered rule
    # For loose PDFs, the default venue profile's; a volume has its own.
    venue: VenueRules = field(default_factory=lambda: default_profile().rules)
    tracks: tuple[Track, ...] = field(default_factory=lambda: default_profile().tracks)
    jobs: int = 1  # worker processes
    limits: Limits = field(default_factory=lambda: Limits(seconds=60, memory_bytes=1 << 30))

    def track_limit(self, track_id: str) -> float:
        """The page limit of the track called `track_id` in these options' tracks."""
        track = next((track for track in self.tracks if track.id == track_id), None)
        return track.page_limit if track is not None else UNKNOWN_TRACK_LIMIT


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


class InputError(ValueError):
    """A path given to `check_paths` that names nothing to check (a folder with no PDFs)."""


def check_paths(
    paths: Iterable[Path],
    options: CheckOptions | None = None,
    progress: Progress | None = None,
    *,
    volume: Path | None = None,
) -> Report:
    """Check what each of `paths` names, as `proceedings check` does.

    A volume folder (one holding papers.yaml or volume.yaml) is checked with `check_volume`:
    its metadata, and each paper against its entry and track. A `.bib` file is checked with
    `check_bib`. A folder stands for the PDFs in it; anything else is taken for a PDF. Loose
    PDFs are checked against `options` (its venue and tracks) or, given `volume`, against that
    volume's venue rules and tracks and, for a PDF of one of its papers, its entry.

    A file that fails is a finding of its own and never stops the others. Raises InputError
    for a folder that holds no PDF, before anything is checked.
    """
    options = options or CheckOptions()
    report = Report(papers=[])
    loose: list[Path] = []
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_dir() and is_volume(path):
            found.append(("volume", path))
        elif path.suffix.lower() == ".bib":  # a folder so named is BIB001's, not a folder of PDFs
            found.append(("bib", path))
        else:
            loose += pdfs_in(path)
    for kind, path in found:
        if kind == "volume":
            part = check_volume(path, options, progress)
            report.papers += part.papers
            report.files += part.files
        else:
            report.files.append(check_bib(path, options.rules))
    if volume is not None:
        report.papers += check_with_volume(loose, volume, options, progress).papers
    else:
        report.papers += check_pdfs(loose, options, progress).papers
    return report


def pdfs_in(path: Path) -> list[Path]:
    """The PDFs `path` stands for: itself, or the `.pdf` files of a folder. A folder named like
    a PDF (`x.pdf/`) is kept, so it is reported as a file that cannot be read instead of
    silently standing for nothing."""
    if not path.is_dir() or path.suffix.lower() == ".pdf":
        return [path]
    found = sorted(path.glob("*.pdf")) + sorted(path.glob("*.PDF"))
    if not found:
        raise InputError(f"the folder {path} holds no .pdf files")
    return found


def check_pdfs(
    paths: Iterable[Path], options: CheckOptions | None = None, progress: Progress | None = None
) -> Report:
    """Check each PDF in `paths` against `options`; a file that fails never stops the others."""
    options = options or CheckOptions()
    return Report(papers=_run([_Task(path, options) for path in paths], options, progress))


def check_bib(path: Path, rules: Iterable[Rule] | None = None) -> FileReport:
    """Check the BibTeX file at `path`: a PMLR volume file or a reference list.

    Never raises on bad input: an unreadable file is a finding (BIB001) and the report's
    status is `error`. `rules` defaults to every registered rule; only those of subject `bib`
    run. Findings are ordered by line.
    """
    bib = load_bib(path)
    report = FileReport(file=str(path), kind="bib", unreadable=bib.load_error is not None)
    report.findings.extend(run_rules(bib, rules, subject="bib"))
    report.findings.sort(key=lambda finding: finding.line or 0)
    return report


def check_with_volume(
    paths: Iterable[Path],
    root: Path,
    options: CheckOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check each PDF in `paths` against the venue rules and tracks of the volume in `root`.

    A PDF that is one of the volume's papers is checked as `check_volume` checks it, against
    its entry (title, authors, track); any other against the track `options.track` names.
    The volume's own metadata is not reported: `check_volume` does that.
    """
    options = options or CheckOptions()
    volume, _ = load_volume(root)
    paper_options = volume_options(volume.venue, volume.tracks, options)
    entries: dict[tuple[int, int], PaperMeta] = {}
    for entry in volume.papers:
        identity = _identity(entry.pdf) if entry.pdf is not None else None
        if identity is not None:
            entries[identity] = entry
    tasks = []
    for path in paths:
        identity = _identity(path)
        meta = entries.get(identity) if identity is not None else None
        if meta is not None:
            tasks.append(replace(volume_task(root, meta, paper_options), shown=str(path)))
        else:
            tasks.append(_Task(path, paper_options))
    return Report(papers=_run(tasks, options, progress))


def _identity(path: Path) -> tuple[int, int] | None:
    """The file `path` is (device and inode: the same file by any name), or None."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


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
    limit = task.track_limit or task.options.track_limit(task.options.track)
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
    paper_options = volume_options(volume.venue, volume.tracks, options)
    tasks = []
    for meta in volume.papers:
        if meta.pdf is None or not is_file(meta.pdf):
            continue  # VOL007 and VOL008 name the entry in papers.yaml
        tasks.append(volume_task(root, meta, paper_options))
    papers = _run(tasks, options, progress)
    return Report(papers=papers, files=files)


def volume_options(
    venue: VenueRules, tracks: tuple[Track, ...], options: CheckOptions
) -> CheckOptions:
    """`options` for papers of a volume with this venue and these tracks."""
    return replace(
        options,
        names=options.names.with_extra(venue.not_counted),
        venue=venue,
        tracks=tracks,
        rules=with_severities(options.rules or all_rules(), dict(venue.severities)),
    )


def volume_task(root: Path, meta: PaperMeta, options: CheckOptions) -> _Task:
    """The check of one paper of the volume in `root`, against its entry and its track."""
    return _Task(
        meta.pdf or root / meta.pdf_shown,
        replace(options, track=meta.track),
        paper_id=meta.id,
        meta=meta,
        track_limit=options.track_limit(meta.track),
        shown=str(root / meta.pdf_shown),
    )


def _metadata_reports(sources: VolumeSources, options: CheckOptions) -> list[FileReport]:
    reports = {
        name: FileReport(file=str(sources.root / name), kind="metadata")
        for name in (VOLUME_FILE, PAPERS_FILE, PROGRAM_FILE)
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
        limit = track_limit if track_limit is not None else options.track_limit(options.track)
    paper = CheckedPaper(
        id=paper_id or path.stem,
        path=path,
        track=options.track,
        page_limit=limit,
        meta=meta,
        venue=options.venue,
        limit_from_option=options.page_limit is not None,
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
    paper.facts = read_paper_facts(paper.path)  # says which step of the structure
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
