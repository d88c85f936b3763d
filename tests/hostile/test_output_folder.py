"""Hostile output folders: a build replaces its output folder whole, so it must be the build's.

Each case runs `proceedings build` in `proj/`, the folder that holds the volume `papers/` and
other files of its owner. A folder that would take the volume, the current folder, a file the
build reads or files no build wrote with it is refused with exit 2 and one message, and no
file anywhere under the test's folder changes (not even a lock file is written). Disk full and
read-only output are one message with exit 1 and leave the previous build as it was: on a real
tmpfs where the tests may mount one (as root), and simulated in-process everywhere.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import PAPERS
from hostile import make
from hostile.runner import Run, proceedings
from proceedings.build import pipeline
from proceedings.cli import cli
from volumes import make_volume

BOUND = 30.0
FAST = ("--only", "site", "--no-check")  # the output folder's handling, without LaTeX


def tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: files by content, symlinks by target, others by kind."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            entries[name] = "-> " + os.readlink(path)
        elif path.is_dir():
            entries[name] = "folder"
        elif not path.is_file():
            entries[name] = "special"  # a FIFO: reading it would block
        else:
            entries[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    """A folder holding a volume, the owner's notes and a folder of theirs."""
    folder = tmp_path / "proj"
    make_volume(folder / "papers", [make.GOOD_PDF])
    (folder / "notes.txt").write_text("the owner's notes\n", encoding="utf-8")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "draft.tex").write_text("\\documentclass{article}\n", encoding="utf-8")
    return folder


def build(proj: Path, out: object, *extra: str, cwd: Path | None = None) -> Run:
    return proceedings("build", "papers", "-o", out, *extra, bound=BOUND, cwd=cwd or proj)


def assert_refused(run: Run, *words: str) -> None:
    assert run.code == 2, run.output
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    for word in words:
        assert word in lines[0], run.stderr


# case: (how to make the hostile output folder in proj/, the -o value, words of the message).
REFUSED: dict[str, tuple[Callable[[Path], object], str, tuple[str, ...]]] = {
    "dot": (lambda proj: None, ".", ("holds the volume folder",)),
    "the_folder_by_name": (lambda proj: None, "../proj", ("holds the volume folder",)),
    "the_parent": (lambda proj: None, "..", ("holds the volume folder",)),
    "the_volume": (lambda proj: None, "papers", ("is the volume folder",)),
    "inside_the_volume": (lambda proj: None, "papers/build", ("inside the volume folder",)),
    "the_volume_pdfs": (lambda proj: None, "papers/pdf", ("inside the volume folder",)),
    "link_to_here": (
        lambda proj: (proj / "out").symlink_to("."),
        "out",
        ("out (which is", "holds the volume folder"),
    ),
    "link_to_the_volume": (
        lambda proj: (proj / "out").symlink_to(proj / "papers"),
        "out/build",
        ("inside the volume folder",),
    ),
    "dotdot_through_a_link": (
        lambda proj: (proj / "deep").symlink_to(proj / "drafts"),
        "deep/../..",  # `..` of the link's target, not of the link: the folder above proj
        ("holds the volume folder",),
    ),
    "owners_folder": (lambda proj: None, "drafts", ("not empty", ".proceedings-build")),
    "owners_folder_by_link": (
        lambda proj: (proj / "build").symlink_to(proj / "drafts"),
        "build",
        ("not empty", "which is"),
    ),
    "fake_marker": (
        lambda proj: (proj / "drafts" / ".proceedings-build").write_text("mine\n"),
        "drafts",
        ("not empty",),
    ),
    "marker_is_a_link": (
        lambda proj: (proj / "drafts" / ".proceedings-build").symlink_to(
            proj / "papers" / "volume.yaml"
        ),
        "drafts",
        ("not empty",),
    ),
    "a_file": (lambda proj: None, "notes.txt", ("is a file",)),
    "in_a_file": (lambda proj: None, "notes.txt/build", ("is in", "notes.txt, a file")),
    "a_device": (lambda proj: None, "/dev/null", ("is not a folder",)),
    "a_symlink_loop": (lambda proj: (proj / "loop").symlink_to("loop"), "loop", ("a loop",)),
    "a_link_to_a_file": (
        lambda proj: (proj / "out").symlink_to(proj / "notes.txt"),
        "out",
        ("is a file",),
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_an_output_folder_that_is_not_the_builds_is_refused_and_nothing_changes(
    case: str, proj: Path
) -> None:
    make_case, out, words = REFUSED[case]
    make_case(proj)
    before = tree(proj.parent)
    run = build(proj, out, *FAST)
    if case in ("a_file", "a_link_to_a_file"):
        # The command line's own check: Click's usage error, exit 2.
        assert run.code == 2 and "is a file" in run.stderr, run.output
    else:
        assert_refused(run, *words)
    assert tree(proj.parent) == before


def test_the_current_folder_is_refused_even_when_empty(proj: Path) -> None:
    empty = proj.parent / "empty"
    empty.mkdir()
    before = tree(proj.parent)
    run = proceedings("build", proj / "papers", "-o", ".", *FAST, bound=BOUND, cwd=empty)
    assert_refused(run, "is the current folder")
    assert tree(proj.parent) == before


def test_a_build_is_refused_from_inside_the_previous_build(proj: Path) -> None:
    assert build(proj, "build", *FAST).code == 0
    before = tree(proj.parent)
    site = proj / "build" / "site"
    run = proceedings("build", proj / "papers", "-o", "..", *FAST, bound=BOUND, cwd=site)
    assert_refused(run, "holds the current folder")
    assert tree(proj.parent) == before


def test_a_previous_build_holding_a_file_the_volume_reads_is_refused(proj: Path) -> None:
    assert build(proj, "build", "--only", "pmlr", "--no-check").code == 0
    (pdf,) = (proj / "build" / "pmlr").glob("*.pdf")
    paper = proj / "papers" / "pdf" / "1.pdf"
    paper.unlink()
    paper.symlink_to(pdf)  # the paper is now read from the build that a rebuild replaces
    before = tree(proj.parent)
    run = build(proj, "build", *FAST)
    # Refused either as metadata (VOL008: a link leaving the volume) or as an output folder
    # holding an input; either way before the rebuild would delete the paper it reads.
    assert run.code in (1, 2), run.output
    assert "VOL008" in run.stderr or "which the build reads for paper '1'" in run.stderr
    assert tree(proj.parent) == before


@pytest.mark.skipif(not os.path.ismount("/proc"), reason="needs a mount point to name")
def test_a_mount_point_is_refused() -> None:
    volume = make.FIXTURES.parents[1] / "papers"
    run = proceedings("build", volume, "-o", "/proc", *FAST, bound=BOUND, cwd=Path("/"))
    assert_refused(run, "mount point")


@pytest.mark.parametrize("out", ["build", "empty", "deep/new/build"])
def test_a_new_an_empty_and_a_previous_build_folder_are_built(proj: Path, out: str) -> None:
    (proj / "empty").mkdir()
    owners = {name: files for name, files in tree(proj).items() if not name.startswith(out)}
    for _ in range(2):  # the second build replaces the first
        run = build(proj, out, *FAST)
        assert run.code == 0, run.output
        assert (proj / out / "site" / "index.html").is_file()
        assert (proj / out / ".proceedings-build").is_file()
    after = tree(proj)
    assert {name: after[name] for name in owners} == owners
    assert not [path for path in (proj / out).parent.iterdir() if ".tmp-" in path.name]


def test_a_partial_build_carries_over_only_what_a_build_writes(proj: Path) -> None:
    assert build(proj, "build", *FAST).code == 0
    site = proj / "build" / "site"
    (site / "notes.html").symlink_to(proj / "notes.txt")  # would be published as the site's
    os.mkfifo(site / "pipe")  # a copy would block on it or stop the build
    before = tree(proj)
    run = build(proj, "build", "--only", "pmlr", "--no-check")
    assert run.code == 0, run.output
    assert sorted(path.name for path in site.iterdir()) == ["index.html", "papers"]
    assert (proj / "build" / "pmlr").is_dir()
    after = tree(proj)
    assert {name: after[name] for name in before if not name.startswith("build")} == {
        name: files for name, files in before.items() if not name.startswith("build")
    }


def test_a_build_through_a_symlink_writes_the_real_folder_and_locks_it(proj: Path) -> None:
    (proj / "real").mkdir()
    (proj / "link").symlink_to("real")
    assert build(proj, "link", *FAST).code == 0
    assert (proj / "link").is_symlink()  # the link stays a link; the folder it names is built
    assert (proj / "real" / "site" / "index.html").is_file()
    with (proj / ".real.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build of `real` holds it
        before = tree(proj)
        second = build(proj, "link", *FAST)
    assert second.code == 1 and "another build is writing" in second.stderr, second.output
    assert tree(proj) == before


def test_a_lock_file_that_is_a_symlink_writes_nothing_through_it(proj: Path) -> None:
    (proj / ".build.lock").symlink_to(proj / "notes.txt")
    before = (proj / "notes.txt").read_bytes()
    run = build(proj, "build", *FAST)
    assert run.code == 1 and "lock" in run.stderr and "is a symlink" in run.stderr, run.output
    assert (proj / "notes.txt").read_bytes() == before
    assert not (proj / "build").exists()


# ---------------------------------------------------------------------------------------------
# Disk full and read-only output


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """`mount(options)`: a fresh tmpfs, unmounted at the end; skips where mounting is denied."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
        mounted.append(point)
        return point

    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.mark.slow
@pytest.mark.parametrize(
    "parts",
    [
        (),  # the PMLR upload's copy of the PDF meets the full disk first
        ("--only", "frontmatter"),  # LaTeX does, in the scratch folder
        ("--only", "volume"),  # the page stamps' LaTeX run does
    ],
)
def test_a_full_disk_is_one_message_and_keeps_the_previous_build(
    proj: Path, tmpfs: Callable[[str], Path], parts: tuple[str, ...]
) -> None:
    disk = tmpfs("size=1m")  # a real disk: the site fits; then it is filled but for 40 KB
    out = disk / "build"
    assert build(proj, out, *FAST).code == 0
    stats = os.statvfs(disk)
    with (disk / "filler").open("wb") as filler:
        filler.write(bytes(stats.f_bavail * stats.f_frsize - 40_000))
    before, volume = tree(disk), tree(proj)
    run = build(proj, out, "--no-check", *parts)
    assert run.code == 1, run.output
    (line,) = run.stderr.strip().splitlines()
    assert line == (
        f"Error: no space left on the disk holding {out}; free some space and build again "
        "(the previous build is kept)"
    )
    assert tree(disk) == before  # the scratch folder is gone, the previous build whole
    assert tree(proj) == volume
    (disk / "filler").unlink()
    assert build(proj, out, "--no-check").code == 0  # with room again, the build succeeds


def test_a_read_only_output_is_one_message_and_keeps_the_previous_build(
    proj: Path, tmpfs: Callable[[str], Path]
) -> None:
    disk = tmpfs("size=4m")
    assert build(proj, disk / "build", *FAST).code == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    before = tree(proj.parent)
    kept = " (the previous build is kept)"
    for out, where, after in (
        (disk / "build", disk / "build", kept),
        (disk / "new" / "b", disk / "new", ""),  # no previous build to speak of
    ):
        run = build(proj, out, *FAST)
        assert run.code == 1, run.output
        lines = run.stderr.strip().splitlines()
        assert lines == [f"Error: {where} is on a read-only file system; build into a folder you "
                         f"can write{after}"], lines  # fmt: skip
    assert tree(proj.parent) == before


# Runs `proceedings ARGS` with the output's disk remounted read-only once the scratch folder
# is made: a disk that turns read-only in the middle of a build.
_READ_ONLY_MIDWAY = """
import subprocess, sys
from proceedings.build import pipeline
from proceedings.cli import cli

build_parts = pipeline._build_parts

def remount_then_build(*args, **kwargs):
    subprocess.run(["mount", "-o", "remount,ro", sys.argv[1]], check=True)
    return build_parts(*args, **kwargs)

pipeline._build_parts = remount_then_build
cli(sys.argv[2:])
"""


@pytest.mark.slow
@pytest.mark.parametrize("parts", ["site", "frontmatter"])  # a Python write, a LaTeX run
def test_a_disk_turning_read_only_midway_is_one_message_and_keeps_the_previous_build(
    proj: Path, tmpfs: Callable[[str], Path], parts: str
) -> None:
    disk = tmpfs("size=8m")
    out = disk / "build"
    assert build(proj, out, *FAST).code == 0
    before = tree(out)
    run = subprocess.run(
        [sys.executable, "-c", _READ_ONLY_MIDWAY, str(disk), "build", "papers", "-o", str(out),
         "--only", parts, "--no-check"],
        capture_output=True, text=True, cwd=proj, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert run.stderr.strip().splitlines() == [
        f"Error: {out} is on a read-only file system; build into a folder you can write "
        "(the previous build is kept)"
    ], run.stderr
    assert tree(out) == before
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    assert build(proj, out, *FAST).code == 0  # the scratch left on the read-only disk goes
    assert sorted(path.name for path in disk.iterdir()) == [".build.lock", "build"]


def _failing_after(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    """Make the build fail with `error` after it has written its parts into the scratch
    folder, as a write() that meets a full disk or a folder it may not write does."""
    real = pipeline._build_parts

    def build_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise error

    monkeypatch.setattr(pipeline, "_build_parts", build_then_fail)


@pytest.mark.parametrize(
    "error, message",
    [
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on the disk holding"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "no space left on the disk holding"),
        (PermissionError(errno.EACCES, "", ".build.tmp-1/x.pdf"), "no permission to write"),
        (PermissionError(errno.EACCES, "", "papers/pdf/1.pdf"), "cannot read papers/pdf/1.pdf"),
        (OSError(errno.EROFS, "Read-only file system", "x.pdf"), "read-only file system"),
        (OSError(errno.EIO, "Input/output error"), "cannot write the build into"),
    ],
)
def test_a_failed_write_is_one_message_and_keeps_the_previous_build(
    error: OSError,
    message: str,
    proj: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Simulated in-process: any file system, any user.
    out = proj / "build"
    runner = CliRunner()
    monkeypatch.chdir(proj)
    first = runner.invoke(cli, ["build", "papers", "-o", str(out), *FAST])
    assert first.exit_code == 0, first.output
    before = tree(proj)
    _failing_after(monkeypatch, error)
    run = runner.invoke(cli, ["build", "papers", "-o", str(out), *FAST])
    assert run.exit_code == 1
    assert run.exception is None or isinstance(run.exception, SystemExit)
    lines = run.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert tree(proj) == before


def test_an_unmarked_build_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    """A folder holding only what a build writes, without the marker earlier versions did
    not write, is taken as a build; one holding anything else is not."""
    volume = make_volume(tmp_path / "papers", [PAPERS / "tiny_pass.pdf"])
    out = tmp_path / "build"
    (out / "pmlr").mkdir(parents=True)
    (out / "site").mkdir()
    (out / "report.json").write_text("{}")
    pipeline.build_volume(volume, out, only=("pmlr",), check_papers=False)
    assert (out / "pmlr" / "icbinb-2026.bib").is_file()
    other = tmp_path / "other"
    (other / "pmlr").mkdir(parents=True)
    (other / "notes.txt").write_text("mine")
    with pytest.raises(pipeline.OutputFolderError):
        pipeline.build_volume(volume, other, only=("pmlr",), check_papers=False)
    assert (other / "notes.txt").read_text() == "mine"
