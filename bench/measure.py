"""Run a command and measure its wall time and the peak memory of its whole process tree.

`ru_maxrss` gives the largest single process, which under-counts a run with worker
processes; this samples every process of the tree from /proc (proportional set size, so pages
a forked worker shares with its parent are counted once) and keeps the largest sum seen.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measured:
    seconds: float  # wall time
    cpu: float  # user and system time of the command and the processes it waited for
    peak_mb: int  # the largest memory of the whole process tree at any one time


def run(command: list[str], accept: tuple[int, ...] = (0, 1)) -> tuple[float, int]:
    """Wall time in seconds and peak memory in MB of `command` and every process it starts."""
    measured = measure(command, accept)
    return measured.seconds, measured.peak_mb


def measure(command: list[str], accept: tuple[int, ...] = (0, 1)) -> Measured:
    """Wall time, CPU time and peak memory of `command` and every process it starts.

    CPU time is the steadier figure on a shared machine: other work slows the wall clock of
    a run far more than the work the run itself does. Exit codes outside `accept` stop the
    benchmark with the command's error output.
    """
    # A file, not a pipe: a chatty command would fill a pipe nobody reads and stall.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = _Sampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        sampler.stop()
        errors.seek(0)
        error = errors.read()[-2000:].decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in accept:
        raise SystemExit(f"{' '.join(command[:4])} ... failed with exit code {code}:\n{error}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(elapsed, cpu, max(sampler.peak_kb, usage.ru_maxrss) // 1024)


class _Sampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.root)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
