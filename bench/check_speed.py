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

from measure import run

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pdf"


def time_check(files: list[Path], jobs: int = 1) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "proceedings", "check", "--format", "json"]
        command += ["--jobs", str(jobs)]
        return run(command + ["-o", str(report)] + [str(path) for path in files])


def time_pdftotext(files: list[Path]) -> tuple[float, int]:
    total, peak = 0.0, 0
    for path in files:
        elapsed, used = run(["pdftotext", "-q", str(path), os.devnull])
        total += elapsed
        peak = max(peak, used)
    return total, peak


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

    check_times: list[float] = []
    parallel_times: list[float] = []
    poppler_times: list[float] = []
    check_peak = parallel_peak = poppler_peak = 0
    for _ in range(args.rounds):
        elapsed, peak = time_check(files)
        check_times.append(elapsed)
        check_peak = max(check_peak, peak)
        elapsed, peak = time_check(files, jobs=2)
        parallel_times.append(elapsed)
        parallel_peak = max(parallel_peak, peak)
        elapsed, peak = time_pdftotext(files)
        poppler_times.append(elapsed)
        poppler_peak = max(poppler_peak, peak)
    check_time, poppler_time = min(check_times), min(poppler_times)

    print(f"files:                          {len(files)} from {args.folder}")
    print(f"rounds:                         {args.rounds} (best of each side)")
    print(f"proceedings check --jobs 1:     {check_time:7.2f} s   peak {check_peak} MB")
    print(f"proceedings check --jobs 2:     {min(parallel_times):7.2f} s   peak {parallel_peak} MB")
    print(f"pdftotext (once per file):      {poppler_time:7.2f} s   peak {poppler_peak} MB")
    print(f"ratio check --jobs 1 / pdftotext: {check_time / poppler_time:5.2f}   (target <= 1.0)")
    print(f"ratio check --jobs 2 / pdftotext: {min(parallel_times) / poppler_time:5.2f}")


if __name__ == "__main__":
    main()
