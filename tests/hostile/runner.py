"""Run `proceedings` as a person does, in a process of its own, under a time and memory bound.

Every run checks what holds for any input: no Python traceback in the output, and the command
finished within the bound the test gives (the process is killed at twice the bound, so a hang
fails the test instead of stalling the suite). Memory is bounded too: the command's address
space is limited, so a bomb that escapes its defences ends the command with an error that the
test sees, not the machine's memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The whole command, worker processes included (each also limits itself to 1 GiB).
MEMORY_BOUND = 3 << 30


@dataclass
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))


def proceedings(*args: object, bound: float, cwd: Path | None = None) -> Run:
    """Run `proceedings ARGS`; fail the test on a traceback or when it takes `bound` s or more."""
    command = [sys.executable, "-m", "proceedings", *(str(arg) for arg in args)]
    start = time.monotonic()
    try:
        process = subprocess.run(
            command,
            capture_output=True,
            timeout=2 * bound,
            cwd=cwd,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"`proceedings {' '.join(command[3:])[:200]}` was still running after {2 * bound:g} s"
        )
    run = Run(
        args=tuple(command[3:]),
        code=process.returncode,
        stdout=process.stdout.decode("utf-8", "replace"),
        stderr=process.stderr.decode("utf-8", "replace"),
        seconds=time.monotonic() - start,
    )
    assert "Traceback" not in run.output, run.output[-3000:]
    assert run.seconds < bound, f"took {run.seconds:.1f} s; the bound is {bound:g} s"
    return run


def check_json(*args: object, bound: float, cwd: Path | None = None) -> tuple[Run, dict[str, Any]]:
    """`proceedings check --timeout 30 --format json ARGS`: the run and its report."""
    run = proceedings("check", "--timeout", "30", "--format", "json", *args, bound=bound, cwd=cwd)
    return run, run.report()


def papers_by_file(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {paper["file"]: paper for paper in report["papers"]}


def errors(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [finding for finding in findings if finding["severity"] == "error"]


def assert_findings(found: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    """`found` holds exactly the findings `expected` describes, in any order: each expected
    tuple matches one found tuple on every item but the last, whose words are in the found
    message."""
    left = list(found)
    for want in expected:
        match = next(
            (item for item in left if item[:-1] == want[:-1] and want[-1] in item[-1]), None
        )
        assert match is not None, (want, found)
        left.remove(match)
    assert not left, ("unexpected", left)
