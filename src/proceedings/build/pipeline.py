"""`build_volume`: plan the volume, render its parts into a temporary folder, swap it in.

The output folder is the build's alone: it is replaced whole, so a folder that holds the
volume, the current folder, a file the build reads or anything a build did not write is
refused before anything is written. The new build takes the old one's place in one atomic
exchange, so an interrupted build leaves the previous one whole; a lock file keeps two builds
from writing the same folder; inputs are only read.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from proceedings.build import PARTS
from proceedings.build.plan import Plan, PlanError, plan_volume
from proceedings.check import CheckOptions, Progress, check_volume
from proceedings.report import Finding, PaperReport, Report, Severity, render_json
from proceedings.rules import all_rules, run_rules
from proceedings.volume import Volume, load_volume
from proceedings.wording import counted

__all__ = ["PARTS", "BuildError", "BuildResult", "OutputFolderError", "PaperErrors", "build_volume"]


# Written into every build: a folder holding it may be replaced by the next build. Its text
# never varies, so two builds of the same inputs stay byte-identical.
MARKER = ".proceedings-build"
MARKER_TEXT = "Written by `proceedings build`: the next build replaces this folder whole.\n"


class BuildError(Exception):
    """The build cannot go on; `findings` holds the problems that stopped it, if any."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


class PaperErrors(BuildError):
    """Papers of the volume have error findings, so nothing was built: publishing them would
    publish what `check` refuses. `papers` holds the reports of those papers."""

    def __init__(self, papers: list[PaperReport]) -> None:
        count = len(papers)
        super().__init__(
            f"{counted(count, 'paper')} {'have' if count != 1 else 'has'} "
            "errors, so nothing was built; fix them, or build anyway with --allow-errors"
        )
        self.papers = papers


class OutputFolderError(BuildError):
    """The output folder cannot be the build's: replacing it would delete or read back files
    that are not the build's. Raised before anything is written (a usage error)."""


@dataclass
class BuildResult:
    out: Path
    outputs: dict[str, Path] = field(default_factory=dict)  # part -> main file
    paper_errors: int = 0  # error findings in the papers (built anyway: `allow_errors`)
    papers_with_errors: int = 0
    seconds: float = 0.0


def build_volume(
    root: Path,
    out: Path,
    only: tuple[str, ...] = PARTS,
    check_papers: bool = True,
    progress: Callable[[str], None] | None = None,
    counter: Progress | None = None,
    allow_errors: bool = False,
) -> BuildResult:
    """Build `only` these parts of the volume in `root` into `out`.

    Metadata errors always stop the build (BuildError). With `check_papers`, the papers are
    checked first and an error finding in any of them stops it before anything is written
    (PaperErrors), unless `allow_errors`. `progress` hears what step the build is at;
    `counter` how many papers of a long step (copying into volume.pdf, checking) are done, as
    (done, total).
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    volume, sources = load_volume(root)
    shown = out
    out = output_folder(volume, out)
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
    report = None
    if check_papers:
        say("checking the papers")
        report = check_volume(root, CheckOptions(), counter)
        failing = [paper for paper in report.papers if paper.count(Severity.ERROR)]
        if failing and not allow_errors:
            raise PaperErrors(failing)

    scratch = out.parent / f".{out.name}.tmp-{os.getpid()}"
    result = BuildResult(out=shown)
    try:
        with _locked(out):
            _recover(out)
            # Again, now that no other build can change it; a symlink changed meanwhile would
            # lead elsewhere than the folder locked.
            if output_folder(volume, shown) != out:
                raise OutputFolderError(f"the output folder {shown} changed while the build began")
            try:
                if scratch.exists():
                    shutil.rmtree(scratch)
                if out.exists() and set(only) != set(PARTS):
                    _copy_previous(out, scratch)
                else:
                    scratch.mkdir()
                (scratch / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
                _build_parts(plan, volume, scratch, only, result, say, counter)
                if report is not None:
                    _write_report(report, scratch, result)
                _swap(scratch, out)
            except BuildError as error:
                # LaTeX runs in the scratch folder: a full or read-only disk stops it with its
                # own log, where a Python write would have raised OSError.
                cause = None if isinstance(error, OutputFolderError) else _disk(error, out)
                if cause is None:
                    raise
                raise BuildError(_os_message(cause, shown, out)) from None
            finally:
                if scratch.exists():
                    shutil.rmtree(scratch, ignore_errors=True)
    except OSError as error:
        raise BuildError(_os_message(error, shown, out)) from None
    result.outputs = {  # in the order of PARTS, whatever order they were finished in
        part: shown / result.outputs[part].relative_to(scratch)
        for part in (*PARTS, "report")
        if part in result.outputs
    }
    result.seconds = time.perf_counter() - started
    return result


def _write_report(report: Report, scratch: Path, result: BuildResult) -> None:
    (scratch / "report.json").write_text(render_json(report), encoding="utf-8")
    counts = [paper.count(Severity.ERROR) for paper in report.papers]
    result.paper_errors = sum(counts)
    result.papers_with_errors = sum(1 for count in counts if count)
    result.outputs["report"] = scratch / "report.json"


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
    from proceedings.build.program_site import write_program
    from proceedings.build.site import write_site
    from proceedings.build.volume_pdf import VolumeError, assemble_volume, stamp_sheet

    # The LaTeX runs and the PMLR check wait on other programs or on PDFium, so they overlap
    # with each other and with the copying of the papers into volume.pdf: on a volume of
    # hundreds of papers that halves the build.
    with ThreadPoolExecutor(max_workers=3) as background:
        stamps = None
        if "volume" in only and plan.archival:
            stamps = background.submit(stamp_sheet, _stamp_label(volume), scratch)
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
            front = background.submit(
                build_frontmatter, plan, scratch / "frontmatter", scratch=scratch
            )

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
            program = write_program(plan, scratch / "site")
            result.outputs["site"] = write_site(plan, scratch / "site", program=program)
        if pmlr is not None:
            pmlr.result()  # raises the BuildError of a PMLR file that breaks the rules


def _validate_bib(bib: Path) -> None:
    from proceedings.check import check_bib

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


def output_folder(volume: Volume, out: Path) -> Path:
    """The folder `out` really is (symlinks resolved), if a build may replace it whole.

    Raises `OutputFolderError` for a folder whose replacement would delete what is not the
    build's: the volume folder or one holding it, one holding the current folder or a file
    the build reads, a folder inside the volume (the build would read its own output back: a
    paper's `pdf:` may name any file of the volume), a file, and a folder that is not empty
    and holds no `.proceedings-build` marker. Every test is made on the resolved paths, so a
    symlink or `..` leads nowhere the plain path could not.
    """
    real = Path(os.path.realpath(out))
    shown = str(out) if Path(os.path.abspath(out)) == real else f"{out} (which is {real})"
    root = Path(os.path.realpath(volume.root))
    beside = root.parent / ("build" if root.name != "build" else "build-output")

    def refuse(reason: str) -> OutputFolderError:
        return OutputFolderError(f"the output folder {shown} {reason}")

    if _within(root, real):
        what = "is" if root == real else "holds"
        raise refuse(
            f"{what} the volume folder {volume.root}; a build replaces its output folder "
            f"whole, so build into a folder of its own, such as {beside}"
        )
    if _within(real, root):
        raise refuse(
            f"is inside the volume folder {volume.root}; the build reads the volume's files "
            f"and would read its own output back, so build beside it, such as {beside}"
        )
    try:
        here = Path(os.path.realpath(Path.cwd()))
    except OSError:  # the current folder was removed: nothing there to lose
        here = None
    if here is not None and _within(here, real):
        what = "is" if here == real else "holds"
        raise refuse(
            f"{what} the current folder; a build replaces its output folder whole, so build "
            "into a folder of its own"
        )
    for paper in volume.papers:
        for read in (paper.pdf, paper.supplementary):
            if read is not None and _within(Path(os.path.realpath(read)), real):
                raise refuse(
                    f"holds {read}, which the build reads for paper {paper.id!r}; build into "
                    "a folder of its own"
                )
    try:
        if os.path.islink(real):  # what realpath could not resolve: a loop of symlinks
            raise refuse("is a loop of symlinks")
        existing = next(folder for folder in (real, *real.parents) if folder.exists())
        if not existing.is_dir():
            raise refuse("is not a folder" if existing == real else f"is in {existing}, a file")
        if os.path.ismount(real):
            raise refuse(
                "is a mount point, which cannot be renamed, and a build puts its output in "
                "place by renaming; build into a folder inside it"
            )
        if real.is_dir() and any(real.iterdir()) and not _made_by_a_build(real):
            raise refuse(
                f"is not empty and was not written by a build (it has no {MARKER}); a build "
                "replaces its output folder whole, so choose a new or empty folder, or remove "
                "this one first"
            )
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror}") from None
    return real


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


class _CopyFailed(Exception):
    """A file of the previous build could not be copied: its OSError, carried past
    `shutil.copytree`, which would fold it into a list of strings."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _copy_file(source: str, target: str) -> object:
    try:
        return shutil.copy2(source, target)
    except OSError as error:
        raise _CopyFailed(error) from error


def _copy_previous(out: Path, scratch: Path) -> None:
    """Carry the previous build over into `scratch` for a partial build; the first file
    that cannot be copied (a full disk) raises its own OSError, so it is one message."""
    try:
        shutil.copytree(
            out, scratch, symlinks=True, ignore=_not_the_builds, copy_function=_copy_file
        )
    except _CopyFailed as failed:
        raise failed.error from None


def _not_the_builds(folder: str, names: list[str]) -> set[str]:
    """What a partial build does not carry over from the previous one: a build writes only
    folders and regular files, so a symlink (which the kept parts would be read through) or
    a FIFO or device placed in the output since is left behind."""
    kept = set()
    for name in names:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
            kept.add(name)
    return set(names) - kept


# What a build writes, folders and files: an output folder of an earlier version of the
# build, which wrote no marker, holds these and nothing else.
_EARLIER_BUILD = frozenset({"pmlr", "frontmatter", "site"})
_EARLIER_BUILD_FILES = frozenset({"volume.pdf", "report.json"})


def _made_by_a_build(folder: Path) -> bool:
    marker = folder / MARKER
    try:
        if marker.is_file() and not marker.is_symlink():
            with marker.open("rb") as file:
                return file.read(len(MARKER_TEXT) + 1) == MARKER_TEXT.encode()
        return _earlier_build(folder)
    except OSError:
        return False


def _earlier_build(folder: Path) -> bool:
    """True when `folder` holds only the parts a build writes, each of its kind, as a build
    of an earlier version left it (before builds were marked)."""
    entries = list(os.scandir(folder))
    for entry in entries:
        if entry.is_symlink():
            return False
        if entry.name in _EARLIER_BUILD:
            if not entry.is_dir():
                return False
        elif entry.name not in _EARLIER_BUILD_FILES or not entry.is_file():
            return False
    return bool(entries)


def _os_message(error: OSError, shown: Path, out: Path) -> str:
    """One sentence for a file system error met while writing the build."""
    place = f"{shown} (which is {out})" if Path(os.path.abspath(shown)) != out else str(shown)
    # A copy's error names the source first and the file written second (`shutil.copyfile`).
    name = error.filename2 or error.filename
    if name is not None and _scratch_of(Path(os.path.abspath(name)), out):
        name = place  # the scratch folder's name would mean nothing to the reader
    kept = " (the previous build is kept)" if os.path.isdir(out) else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        # A failed write() names no file: the full disk is the output's or the temporary one.
        where = name or _fullest(out.parent, Path(tempfile.gettempdir()))
        if where == out.parent:
            where = place
        return f"no space left on the disk holding {where}; free some space and build again{kept}"
    if error.errno == errno.EROFS:
        return (
            f"{name or out.parent} is on a read-only file system; build into a folder you can "
            f"write{kept}"
        )
    if name is not None and name != place and not _written(Path(os.path.abspath(name)), out):
        return f"cannot read {name}: {error.strerror or error}{kept}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"no permission to write {name or out.parent}; build into a folder you can write{kept}"
        )
    return f"cannot write the build into {place}: {error.strerror or error} ({name or out}){kept}"


def _scratch_of(path: Path, out: Path) -> bool:
    """Whether `path` is in a scratch or old folder of builds of `out`, or is one."""
    if path == out.parent or not _within(path, out.parent):
        return False
    top = path.relative_to(out.parent).parts[0]
    return re.fullmatch(rf"\.{re.escape(out.name)}\.(tmp|old)-[0-9]+", top) is not None


def _written(path: Path, out: Path) -> bool:
    """Whether `path` is one the build writes: in the output, its lock, scratch and old
    folders beside it (`.build.*`), the folders made to hold them, or the temporary folder of
    the LaTeX runs."""
    if _within(path, out) or _within(out, path):
        return True
    temporary = Path(os.path.realpath(tempfile.gettempdir()))
    inside = path.parent == temporary or temporary in path.parents
    if inside and path.relative_to(temporary).parts[0].startswith("proceedings-"):
        return True
    if not _within(path, out.parent):
        return False
    return path.relative_to(out.parent).parts[0].startswith(f".{out.name}.")


def _free(folder: Path) -> int:
    try:
        stats = os.statvfs(folder)
    except OSError:
        return sys.maxsize
    return stats.f_bavail * stats.f_frsize


def _fullest(*folders: Path) -> Path:
    return min(folders, key=_free)


def _disk(error: BuildError, out: Path) -> OSError | None:
    """The file system error behind a program the build ran (LaTeX), if any: the disk of the
    output or the temporary folder is full (the program names the system's error, or its log,
    cut short by the full disk, says nothing while the disk is all but full) or read-only.
    Asked before the scratch folder is removed, while the disk is as the program found it."""
    from proceedings.build.latex import LatexError

    text = str(error)
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if os.strerror(errno.ENOSPC) in text or os.strerror(errno.EDQUOT) in text:
        return full
    if not isinstance(error.__context__, LatexError):
        return None
    for folder, named in ((out.parent, out), (Path(tempfile.gettempdir()), None)):
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return OSError(errno.EROFS, os.strerror(errno.EROFS), str(named or folder))
        except OSError:
            continue
    if min(_free(out.parent), _free(Path(tempfile.gettempdir()))) < 1 << 20:
        return full
    return None


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    # Opened read-only and not followed: a lock file that is a symlink writes nothing through
    # it, and no open writable file keeps the disk from being remounted read-only.
    try:
        descriptor = os.open(
            lock_path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
        )
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        raise BuildError(
            f"the lock file {lock_path} is a symlink; remove it (a build writes its lock only "
            "as a file of its own)"
        ) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another build is writing {out} right now; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _leftovers(out: Path) -> tuple[list[Path], list[Path]]:
    """The old and scratch folders killed builds left beside `out`: only names a build gives
    (`.build.old-<pid>`, `.build.tmp-<pid>`), so a file of the user's that merely starts
    alike is never touched."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(old|tmp)-[0-9]+")
    found: dict[str, list[Path]] = {"old": [], "tmp": []}
    for path in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found[match.group(1)].append(path)
    return found["old"], found["tmp"]


def _recover(out: Path) -> None:
    """Clean up after a build that was killed: we hold the lock, so no other build runs.

    Where the atomic exchange is missing, a build stopped between its two renames leaves the
    previous output as `.build.old-*`: it is put back. Scratch folders of killed builds (and
    the previous build an exchange left at the scratch's name) are removed.
    """
    olds, scratches = _leftovers(out)
    if not os.path.lexists(out) and olds:
        olds.pop(0).rename(out)
    for leftover in [*olds, *scratches]:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(scratch: Path, out: Path) -> None:
    """Put the finished build `scratch` in the place of `out`, never leaving `out` missing.

    On Linux the two folders trade places in one `renameat2(RENAME_EXCHANGE)`: at every
    instant `out` is a whole build, the old or the new, and a kill right after the exchange
    leaves the old build under the scratch's name for the next build to remove. `os.replace`
    cannot do this (it refuses a non-empty folder as its target), and making `out` a symlink
    to versioned folders would change what users see (a link where a folder was, which
    copying tools copy as a link). Where the exchange is missing (other systems, file systems
    without it), the old folder is renamed aside and the new one into place: a kill between
    those two renames leaves no `out`, and the next build puts the old one back (`_recover`).
    """
    if not out.exists() or not any(out.iterdir()):
        scratch.replace(out)  # rename(2) replaces an empty folder in one step
        return
    if _exchange(scratch, out):
        shutil.rmtree(scratch, ignore_errors=True)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    scratch.rename(out)
    shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28, or none
        return False
    renameat2.argtypes = [
        ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint
    ]  # fmt: skip
    renameat2.restype = ctypes.c_int
    status = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the kernel or this file system has no exchange
    raise OSError(code, os.strerror(code), str(second))
