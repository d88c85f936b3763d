"""Speed and memory of `proceedings check` against `pdftotext` on the same PDFs, same run.

    python bench/check_speed.py [FOLDER] [--repeat-to N]

FOLDER defaults to the shared corpus (../shared/corpus/pdf). `proceedings check --jobs 1`
runs in one worker process over every file (and `--jobs 2` for comparison); `pdftotext`
(poppler) runs once per file, as a checker built on it would. The figure that matters is
the ratio, measured on this machine in this run: a ratio <= 1.0 means checking costs no more
than extracting the text with poppler.
`--repeat-to 100` lists the files again until there are 100, to measure peak memory over a
run of that size. Each side runs `--rounds` times, alternating, and the fastest round of each
counts, so a busy machine disturbs both sides alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from measure import Measured, measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pdf"


def time_check(files: list[Path], jobs: int = 1) -> Measured:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "proceedings", "check", "--format", "json"]
        command += ["--jobs", str(jobs)]
        return measure(command + ["-o", str(report)] + [str(path) for path in files])


def time_pdftotext(files: list[Path]) -> Measured:
    runs = [measure(["pdftotext", "-q", str(path), os.devnull]) for path in files]
    return Measured(
        sum(run.seconds for run in runs),
        sum(run.cpu for run in runs),
        max(run.peak_mb for run in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat-to", type=int, default=0, help="list files again up to N")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side; best counts")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDF files in {args.folder}")
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext (poppler-utils) is not installed")
    while args.repeat_to and len(files) < args.repeat_to:
        files += files[: args.repeat_to - len(files)]

    checks: list[Measured] = []
    parallels: list[Measured] = []
    popplers: list[Measured] = []
    for _ in range(args.rounds):
        checks.append(time_check(files))
        parallels.append(time_check(files, jobs=2))
        popplers.append(time_pdftotext(files))
    check, parallel, poppler = (best(runs) for runs in (checks, parallels, popplers))
    check_cpu, poppler_cpu = min(run.cpu for run in checks), min(run.cpu for run in popplers)

    print(f"files:                          {len(files)} from {args.folder}")
    print(f"rounds:                         {args.rounds} (best of each side)")
    for name, item in (("proceedings check --jobs 1", check), ("proceedings check --jobs 2",
                       parallel), ("pdftotext (once per file)", poppler)):  # fmt: skip
        print(f"{name + ':':<32}{item.seconds:7.2f} s   cpu {item.cpu:6.2f} s   "
              f"peak {item.peak_mb} MB")  # fmt: skip
    print(f"ratio check --jobs 1 / pdftotext: {check.seconds / poppler.seconds:5.2f} wall, "
          f"{check_cpu / poppler_cpu:5.2f} cpu   (target <= 1.0)")  # fmt: skip
    print(f"ratio check --jobs 2 / pdftotext: {parallel.seconds / poppler.seconds:5.2f} wall")


def best(runs: list[Measured]) -> Measured:
    """The fastest run, with the highest peak memory seen in any."""
    fastest = min(runs, key=lambda run: run.seconds)
    return Measured(fastest.seconds, fastest.cpu, max(run.peak_mb for run in runs))


if __name__ == "__main__":
    main()
