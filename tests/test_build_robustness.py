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
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".build.tmp")]


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
