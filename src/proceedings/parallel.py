"""Run one function over many items in worker processes, each item under a time limit.

A pool of forked workers takes items by index (they inherit the list at fork, so nothing but
results crosses the pipe). The parent watches each worker's clock: an item that runs past the
time limit gets its worker killed and replaced, and its result is what `on_timeout` says,
given the step the work was in (what it last told `set_step`, in memory the parent reads); a
worker that dies (killed by the memory limit, a crash in native code) is replaced the same
way. Results come back in the order of the items, whatever order they finish in.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.sharedctypes
import os
import resource
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Set in the parent just before the workers fork; read by them.
_WORK: tuple[Sequence[object], Callable[[object], object]] | None = None
# In a worker: the bytes shared with the parent where `set_step` writes.
_STEP: Any = None
_STEP_BYTES = 200


def set_step(words: str) -> None:
    """Say what the work is doing now (`reading fonts`); an item stopped by the time limit is
    reported with the last step it was in. Outside a worker it does nothing. Cheap: a copy
    of a few bytes into memory the parent reads, no message."""
    if _STEP is not None:
        _STEP.value = words.encode("utf-8", "replace")[: _STEP_BYTES - 1]


@dataclass
class Limits:
    seconds: float = 60.0  # per item; 0 for none
    memory_bytes: int = 0  # per worker (address space); 0 for none


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    step: Any = None  # the bytes the worker's `set_step` writes
    item: int | None = None
    started: float = 0.0

    def current_step(self) -> str:
        return bytes(self.step.value).decode("utf-8", "replace") if self.step is not None else ""


class Pool(Generic[Item, Result]):
    def __init__(
        self,
        work: Callable[[Item], Result],
        on_timeout: Callable[[Item, float, str], Result],  # item, limit, step it was in
        on_crash: Callable[[Item, str], Result],
        jobs: int,
        limits: Limits,
    ) -> None:
        self.work = work
        self.on_timeout = on_timeout
        self.on_crash = on_crash
        self.jobs = max(1, jobs)
        self.limits = limits

    def map(
        self, items: Sequence[Item], progress: Callable[[int, int], None] | None = None
    ) -> list[Result]:
        global _WORK
        if not items:
            return []
        _WORK = (items, self.work)  # type: ignore[assignment]
        context = multiprocessing.get_context("fork")
        results: dict[int, Result] = {}
        pending = list(range(len(items)))
        pending.reverse()
        workers = [self._start(context) for _ in range(min(self.jobs, len(items)))]
        try:
            while len(results) < len(items):
                for worker in workers:
                    if worker.item is None and pending:
                        worker.item, worker.started = pending.pop(), time.monotonic()
                        worker.step.value = b""
                        worker.connection.send(worker.item)
                busy = [worker for worker in workers if worker.item is not None]
                ready = multiprocessing.connection.wait(
                    [worker.connection for worker in busy], timeout=self._wait(busy)
                )
                for index, worker in enumerate(workers):
                    if worker.item is None:
                        continue
                    item = worker.item
                    if worker.connection in ready:
                        try:
                            results[item] = worker.connection.recv()
                            worker.item = None
                            if progress:
                                progress(len(results), len(items))
                            continue
                        except (EOFError, OSError):
                            results[item] = self.on_crash(items[item], self._death(worker))
                    elif self._overdue(worker):
                        results[item] = self.on_timeout(
                            items[item], self.limits.seconds, worker.current_step()
                        )
                    else:
                        continue
                    self._stop(worker)
                    workers[index] = self._start(context)
                    if progress:
                        progress(len(results), len(items))
        finally:
            for worker in workers:
                self._stop(worker)
            _WORK = None
        return [results[index] for index in range(len(items))]

    def _wait(self, busy: list[_Worker]) -> float | None:
        if not self.limits.seconds or not busy:
            return None
        now = time.monotonic()
        return max(0.0, min(worker.started + self.limits.seconds - now for worker in busy)) + 0.01

    def _overdue(self, worker: _Worker) -> bool:
        seconds = self.limits.seconds
        return bool(seconds) and time.monotonic() - worker.started > seconds

    def _start(self, context: multiprocessing.context.BaseContext) -> _Worker:
        parent, child = context.Pipe()
        step = multiprocessing.sharedctypes.RawArray("c", _STEP_BYTES)
        process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, self.limits.memory_bytes, step), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process=process, connection=parent, step=step)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()

    @staticmethod
    def _death(worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "unknown"
            return f"the worker was killed by signal {-code}, {name}"
        return f"the worker stopped with exit code {code}"


def _serve(connection: Connection, memory_bytes: int, step: Any) -> None:
    global _STEP
    _STEP = step
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    assert _WORK is not None
    items, work = _WORK
    try:
        while True:
            try:
                index = connection.recv()
            except EOFError:
                break
            connection.send(work(items[index]))
    finally:
        connection.close()
        os._exit(0)  # skip the parent's atexit handlers and buffered output
