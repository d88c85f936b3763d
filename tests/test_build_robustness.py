"""Builds that lose nothing: killed at random points, or started twice on one folder."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


def _command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "proceedings", "build", str(EXAMPLE), "-o", str(out), *extra]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_killed_builds_leave_the_previous_build_whole(tmp_path: Path) -> None:
    out = tmp_path / "build"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    parts = ("--only", "pmlr,volume,site", "--no-check")  # no front matter: fast, still LaTeX
    subprocess.run(_command(out, *parts), check=True, capture_output=True, env=env)
    good = _digest(out)
    rng = random.Random(2026)
    for _ in range(6):
        process = subprocess.Popen(
            _command(out, *parts), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        time.sleep(rng.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _digest(out) == good  # whatever the moment, the previous build is whole
    finished = subprocess.run(_command(out, *parts), capture_output=True, text=True, env=env)
    assert finished.returncode == 0, finished.stderr
    assert _digest(out) == good  # the same inputs build the same files
    assert _leftovers(tmp_path) == []


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.name.startswith(".build.") and not path.name.endswith(".lock")
    )


# Runs the command with one step of the swap wrapped: `STEP` is done, then the process is
# killed, exactly where a SIGKILL at the worst moment would stop it.
_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from proceedings.build import pipeline
from proceedings.cli import cli

step = os.environ["STEP"]
exchange = pipeline._exchange
rename = Path.rename

def exchange_then_die(first, second):
    assert exchange(first, second), "this system has no atomic exchange"
    os.kill(os.getpid(), signal.SIGKILL)

def rename_then_die(self, target):
    done = rename(self, target)
    if self.name == "build":  # the old build moved aside, the new one not yet in place
        os.kill(os.getpid(), signal.SIGKILL)
    return done

if step == "exchange":
    pipeline._exchange = exchange_then_die
else:  # a system without the exchange: the two renames
    pipeline._exchange = lambda first, second: False
    Path.rename = rename_then_die
cli(sys.argv[1:])
"""


@pytest.mark.slow
@pytest.mark.parametrize("step", ["exchange", "first_rename"])
def test_a_build_killed_in_its_swap_loses_nothing(tmp_path: Path, step: str) -> None:
    out = tmp_path / "build"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    parts = ("--only", "pmlr,site", "--no-check")
    subprocess.run(_command(out, *parts), check=True, capture_output=True, env=env)
    good = _digest(out)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_AT, *_command(out, *parts)[3:]],
        capture_output=True,
        text=True,
        env={**env, "STEP": step},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if step == "exchange":
        # Killed right after the exchange: the new build (the same files) is in place, the
        # old one waits under the scratch's name.
        assert _digest(out) == good
    else:
        # Without the exchange there is one moment with no build/: the old one waits beside.
        assert not out.exists()
        (old,) = [path for path in tmp_path.iterdir() if path.name.startswith(".build.old-")]
        assert _digest(old) == good
    finished = subprocess.run(_command(out, *parts), capture_output=True, text=True, env=env)
    assert finished.returncode == 0, finished.stderr
    assert _digest(out) == good
    assert _leftovers(tmp_path) == []


def test_a_second_build_on_the_same_folder_stops_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "build"
    lock_path = tmp_path / ".build.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        second = subprocess.run(
            _command(out, "--only", "site", "--no-check"), capture_output=True, text=True
        )
    assert second.returncode == 1
    assert "another build is writing" in second.stderr
    assert "Traceback" not in second.stderr
    assert not out.exists()


def test_the_lock_holds_whatever_path_names_the_folder(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "link").symlink_to("build")
    with (tmp_path / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a build of `build` is running
        second = subprocess.run(
            _command(tmp_path / "link", "--only", "site", "--no-check"),
            capture_output=True,
            text=True,
        )
    assert second.returncode == 1
    assert "another build is writing" in second.stderr
    assert not any((tmp_path / "build").iterdir())
