"""Worker processes: results in order, a time limit per item, a dead worker replaced."""

from __future__ import annotations

import os
import signal
import time

from proceedings.parallel import Limits, Pool, set_step


def _work(item: int) -> str:
    set_step(f"starting item {item}")
    if item == 3:
        set_step("reading the text layer of page 3")
        time.sleep(30)  # a paper that hangs
    if item == 5:
        os.kill(os.getpid(), signal.SIGKILL)  # a crash in native code
    if item == 6:
        bytearray(2 << 30)  # more memory than a worker may have
    return f"done {item}"


def _timeout(item: int, seconds: float, step: str) -> str:
    return f"timeout {item} after {seconds:g} while {step}"


def _crash(item: int, why: str) -> str:
    return f"crash {item}: {why}"


def test_results_come_back_in_order_despite_hangs_and_crashes() -> None:
    pool: Pool[int, str] = Pool(
        _work, _timeout, _crash, jobs=2, limits=Limits(seconds=1.5, memory_bytes=1 << 30)
    )
    seen: list[int] = []
    started = time.monotonic()
    results = pool.map(list(range(8)), progress=lambda done, total: seen.append(done))
    assert time.monotonic() - started < 20
    assert results[:3] == ["done 0", "done 1", "done 2"]
    # The step the stopped item was in, as it said last; not the step of an earlier item.
    assert results[3] == "timeout 3 after 1.5 while reading the text layer of page 3"
    assert results[4] == "done 4"
    assert results[5].startswith("crash 5: the worker was killed by signal 9")
    assert results[6].startswith("crash 6") or results[6] == "done 6"
    assert results[7] == "done 7"
    assert seen[-1] == 8


def test_check_of_many_papers_in_parallel_matches_one_by_one() -> None:
    from conftest import PAPERS
    from proceedings.check import CheckOptions, check_paths
    from proceedings.parallel import Limits as CheckLimits

    paths = sorted(PAPERS.glob("*.pdf"))
    serial = check_paths(paths, CheckOptions(jobs=1, limits=CheckLimits(0, 0)))
    parallel = check_paths(paths, CheckOptions(jobs=2))
    assert [paper.to_json() for paper in parallel.papers] == [
        paper.to_json() for paper in serial.papers
    ]
