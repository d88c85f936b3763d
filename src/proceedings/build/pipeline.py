"""`build_volume`: plan the volume, render its parts into a temporary folder, swap it in.

The output folder is replaced in one rename, so an interrupted build leaves the previous one
whole; a lock file keeps two builds from writing the same folder; inputs are only read.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from proceedings.build.plan import Plan, PlanError, plan_volume
from proceedings.check import CheckOptions, Progress, check_volume
from proceedings.checks import all_rules, run_rules
from proceedings.report import Finding, Severity, render_json
from proceedings.volume import Volume, load_volume

PARTS = ("pmlr", "frontmatter", "volume", "site")


class BuildError(Exception):
    """The build cannot go on; `findings` holds the problems that stopped it, if any."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass
class BuildResult:
    out: Path
    outputs: dict[str, Path] = field(default_factory=dict)  # part -> main file
    paper_errors: int = 0
    seconds: float = 0.0


def build_volume(
    root: Path,
    out: Path,
    only: tuple[str, ...] = PARTS,
    check_papers: bool = True,
    progress: Callable[[str], None] | None = None,
    counter: Progress | None = None,
) -> BuildResult:
    """Build `only` these parts of the volume in `root` into `out`.

    `progress` hears what step the build is at; `counter` how many papers of a long step
    (copying into volume.pdf, checking) are done, as (done, total).
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    volume, sources = load_volume(root)
    problems = [
        finding
        for finding in run_rules(sources, all_rules(), subject="volume")
        if finding.severity is Severity.ERROR
    ]
    if problems:
        raise BuildError(
            "the volume's metadata has errors; `proceedings check` lists them", problems
        )
    try:
        plan = plan_volume(volume)
    except PlanError as error:
        raise BuildError(str(error)) from None

    with _locked(out):
        _recover(out)
        scratch = out.parent / f".{out.name}.tmp-{os.getpid()}"
        if scratch.exists():
            shutil.rmtree(scratch)
        try:
            if out.exists() and set(only) != set(PARTS):
                shutil.copytree(out, scratch, symlinks=True)
            else:
                scratch.mkdir(parents=True)
            result = BuildResult(out=out)
            _build_parts(plan, volume, scratch, only, result, say, counter)
            if check_papers:
                say("checking the papers")
                report = check_volume(root, CheckOptions(), counter)
                (scratch / "report.json").write_text(render_json(report), encoding="utf-8")
                result.paper_errors = sum(paper.count(Severity.ERROR) for paper in report.papers)
                result.outputs["report"] = scratch / "report.json"
            _swap(scratch, out)
        finally:
            if scratch.exists():
                shutil.rmtree(scratch, ignore_errors=True)
    result.outputs = {  # in the order of PARTS, whatever order they were finished in
        part: out / result.outputs[part].relative_to(scratch)
        for part in (*PARTS, "report")
        if part in result.outputs
    }
    result.seconds = time.perf_counter() - started
    return result


def _build_parts(
    plan: Plan,
    volume: Volume,
    scratch: Path,
    only: tuple[str, ...],
    result: BuildResult,
    say: Callable[[str], None],
    counter: Progress | None = None,
) -> None:
    # Imported here: the LaTeX machinery is only needed by a build.
    from proceedings.build.frontmatter import FrontmatterError, build_frontmatter
    from proceedings.build.latex import LatexError
    from proceedings.build.output import OutputPathError
    from proceedings.build.pmlr import PmlrError, write_pmlr
    from proceedings.build.site import write_site
    from proceedings.build.volume_pdf import VolumeError, assemble_volume, stamp_sheet

    # The LaTeX runs and the PMLR check wait on other programs or on PDFium, so they overlap
    # with each other and with the copying of the papers into volume.pdf: on a volume of
    # hundreds of papers that halves the build.
    with ThreadPoolExecutor(max_workers=3) as background:
        stamps = None
        if "volume" in only and plan.archival:
            stamps = background.submit(stamp_sheet, _stamp_label(volume))
        pmlr = None
        if "pmlr" in only:
            say("writing the PMLR upload")
            pmlr_dir = scratch / "pmlr"
            if pmlr_dir.exists():
                shutil.rmtree(pmlr_dir)
            try:
                bib = write_pmlr(plan, pmlr_dir)
            except (PmlrError, OutputPathError) as error:
                raise BuildError(str(error)) from None
            pmlr = background.submit(_validate_bib, bib)
            result.outputs["pmlr"] = bib
        front_path = scratch / "frontmatter" / "frontmatter.pdf"
        front: Future[Path] | None = None
        if "frontmatter" in only or ("volume" in only and not front_path.exists()):
            say("typesetting the front matter")
            front = background.submit(build_frontmatter, plan, scratch / "frontmatter")

        def typeset_front() -> Path:
            if front is None:
                return front_path  # kept from the last build
            try:
                return front.result()
            except (LatexError, FrontmatterError) as error:
                raise BuildError(f"the front matter does not compile: {error}") from None

        if "volume" in only:
            say("assembling volume.pdf")
            try:
                sheet = stamps.result() if stamps is not None else None
            except LatexError as error:
                raise BuildError(f"the page stamps do not compile: {error}") from None
            try:
                result.outputs["volume"] = assemble_volume(
                    plan, typeset_front, scratch / "volume.pdf", sheet, counter
                )
            except VolumeError as error:
                raise BuildError(str(error)) from None
        if "frontmatter" in only:
            result.outputs["frontmatter"] = typeset_front()
        if "site" in only:
            say("writing the web index")
            result.outputs["site"] = write_site(plan, scratch / "site")
        if pmlr is not None:
            pmlr.result()  # raises the BuildError of a PMLR file that breaks the rules


def _validate_bib(bib: Path) -> None:
    from proceedings.bib import check_bib

    report = check_bib(bib)
    errors = [finding for finding in report.findings if finding.severity is Severity.ERROR]
    if errors:
        raise BuildError(f"the PMLR file {bib.name} the build wrote breaks PMLR's rules", errors)


def _stamp_label(volume: Volume) -> str:
    from proceedings.build.latex import latex_escape, pdflatex_can_print

    shortname = volume.proceedings.get("shortname")
    if not isinstance(shortname, str) or not shortname or not pdflatex_can_print(shortname):
        return ""
    return f"{latex_escape(shortname)} \\textbullet\\ "


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another build is writing {out} right now; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _recover(out: Path) -> None:
    """Clean up after a build that was killed: we hold the lock, so no other build runs.

    A build stopped between its two renames leaves the previous output as `.build.old-*`:
    it is put back. Scratch folders of killed builds are removed.
    """
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        olds.pop(0).rename(out)
    for leftover in [*olds, *out.parent.glob(f".{out.name}.tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(scratch: Path, out: Path) -> None:
    if not out.exists():
        scratch.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    scratch.rename(out)
    shutil.rmtree(old, ignore_errors=True)
