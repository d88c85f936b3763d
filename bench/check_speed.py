"""Speed and memory of `proceedings check` against `pdftotext -layout` on the same PDFs, same run.

    python bench/check_speed.py [FOLDER] [--rounds N] [--repeat-to N]

FOLDER defaults to the shared corpus (../shared/corpus/pdf). `proceedings check --jobs 1`
runs in one worker process over every file, and `--jobs 2` with two; `pdftotext -layout`
(poppler) runs once per file, as a checker built on it would. The figures that matter are
the ratios, measured on this machine in this run: CPU time of `--jobs 1` (on every file, and
on the ICLR-style papers alone, `iclr_*.pdf`, short workshop papers where start-up weighs
more), wall time of `--jobs 2`, and the peak memory of the process tree with two workers.
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
TARGETS = {"cpu": 1.0, "iclr cpu": 1.0, "wall --jobs 2": 0.6, "peak MB": 150}


def time_check(files: list[Path], jobs: int = 1) -> Measured:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "proceedings", "check", "--format", "json"]
        command += ["--jobs", str(jobs)]
        return measure(command + ["-o", str(report)] + [str(path) for path in files])


def time_pdftotext(files: list[Path]) -> Measured:
    runs = [measure(["pdftotext", "-q", "-layout", str(path), os.devnull]) for path in files]
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
    iclr = [path for path in files if path.name.startswith("iclr_")]

    sides: dict[str, list[Measured]] = {name: [] for name in ("check", "jobs2", "poppler")}
    if iclr:
        sides.update({"iclr check": [], "iclr poppler": []})
    for _ in range(args.rounds):
        sides["check"].append(time_check(files))
        sides["jobs2"].append(time_check(files, jobs=2))
        sides["poppler"].append(time_pdftotext(files))
        if iclr:
            sides["iclr check"].append(time_check(iclr))
            sides["iclr poppler"].append(time_pdftotext(iclr))
    top = {name: best(runs) for name, runs in sides.items()}
    cpu = {name: min(run.cpu for run in runs) for name, runs in sides.items()}

    print(f"files:                          {len(files)} from {args.folder} ({len(iclr)} ICLR)")
    print(f"rounds:                         {args.rounds} (best of each side)")
    for name, key in (("check --jobs 1", "check"), ("check --jobs 2", "jobs2"),
                      ("pdftotext -layout", "poppler"), ("ICLR: check --jobs 1", "iclr check"),
                      ("ICLR: pdftotext -layout", "iclr poppler")):  # fmt: skip
        if key in top:
            item = top[key]
            print(f"{name + ':':<32}{item.seconds:7.2f} s   cpu {cpu[key]:6.2f} s   "
                  f"peak {item.peak_mb} MB")  # fmt: skip
    figures = {
        "cpu": cpu["check"] / cpu["poppler"],
        "wall --jobs 2": top["jobs2"].seconds / top["poppler"].seconds,
        "peak MB": float(top["jobs2"].peak_mb),
    }
    if iclr:
        figures["iclr cpu"] = cpu["iclr check"] / cpu["iclr poppler"]
    words = {
        "cpu": "check --jobs 1 / pdftotext, CPU, all files",
        "iclr cpu": "check --jobs 1 / pdftotext, CPU, ICLR papers",
        "wall --jobs 2": "check --jobs 2 / pdftotext, wall",
        "peak MB": "peak memory, --jobs 2 process tree (MB)",
    }
    for key in ("cpu", "iclr cpu", "wall --jobs 2", "peak MB"):
        if key in figures:
            met = "met" if figures[key] <= TARGETS[key] else "NOT met"
            print(
                f"{words[key] + ':':<50}{figures[key]:7.2f}   (target <= {TARGETS[key]:g}: {met})"
            )


def best(runs: list[Measured]) -> Measured:
    """The fastest run, with the highest peak memory seen in any."""
    fastest = min(runs, key=lambda run: run.seconds)
    return Measured(fastest.seconds, fastest.cpu, max(run.peak_mb for run in runs))


if __name__ == "__main__":
    main()
