"""A main-conference-sized volume: 2,000 papers, about 24,000 pages, checked and built.

    python bench/scale.py [--papers 2000]

Generates the volume in a temporary folder: PDFs of 2 to 26 pages made with qpdf from the
example volume's papers (tiny track short, long track long, as at a real conference), and
metadata for each. Then measures, in the same run:
- `proceedings check` on the volume with `--jobs 1` and `--jobs 2`, against `pdftotext`
  (poppler) run over the same PDFs one process at a time (target: `--jobs 2` within 1.2x);
- `proceedings build`, against `qpdf --empty --pages ... --` merging the same archival PDFs
  (target: within 3x);
and the peak memory of each (target: under 1 GB for the whole run, workers included).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from measure import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "papers"
VARIANTS = 24  # distinct PDFs; each paper gets a copy of one


def variants(folder: Path) -> dict[str, list[tuple[Path, int]]]:
    """PDFs for each track: (path, pages), made by joining the example's papers."""
    metadata = yaml.safe_load((EXAMPLE / "papers.yaml").read_text(encoding="utf-8"))["papers"]
    long = [EXAMPLE / "pdf" / f"{p['id']}.pdf" for p in metadata if p["track"] == "long"]
    tiny = [EXAMPLE / "pdf" / f"{p['id']}.pdf" for p in metadata if p["track"] == "tiny"]
    rng = random.Random(2026)
    made: dict[str, list[tuple[Path, int]]] = {"long": [], "tiny": []}
    for number in range(VARIANTS):
        track = "tiny" if number % 4 == 0 else "long"
        parts = rng.sample(tiny, 1) if track == "tiny" else rng.sample(long, rng.randint(1, 5))
        if track == "tiny" and number % 8 == 0:
            parts += rng.sample(long, 1)  # a tiny paper with a long appendix
        out = folder / f"variant{number}.pdf"
        subprocess.run(["qpdf", "--empty", "--pages", *map(str, parts), "--", str(out)], check=True)
        pages = int(subprocess.run(["qpdf", "--show-npages", str(out)], capture_output=True,
                                   text=True, check=True).stdout)  # fmt: skip
        made[track].append((out, pages))
    return made


def generate(root: Path, count: int) -> tuple[list[Path], list[Path], int]:
    (root / "pdf").mkdir(parents=True)
    shutil.copy(EXAMPLE / "volume.yaml", root / "volume.yaml")
    shutil.copy(EXAMPLE / "preface.md", root / "preface.md")
    made = variants(root.parent)
    rng = random.Random(7)
    papers, every, archival, pages = [], [], [], 0
    for number in range(1, count + 1):
        track = "tiny" if number % 4 == 0 else "long"
        source, length = rng.choice(made[track])
        pdf = root / "pdf" / f"{number}.pdf"
        shutil.copyfile(source, pdf)
        every.append(pdf)
        is_archival = number % 6 != 0
        if is_archival:
            archival.append(pdf)
        pages += length
        papers.append(
            {
                "id": str(number),
                "title": f"Scaling Study {number}: What Did Not Work in Setting {number % 101}",
                "authors": [
                    {
                        "name": f"Author{number}x{k} Family{(number * 7 + k) % 1300}",
                        "openreview": f"~Author_{(number * 7 + k) % 1300}",
                    }
                    for k in range(1 + number % 5)
                ],  # fmt: skip
                "abstract": "We report what did not work, and why. " * 6,
                "track": track,
                "archival": is_archival,
            }
        )
    (root / "papers.yaml").write_text(
        yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return every, archival, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--build-only", action="store_true", help="skip the check timings")
    args = parser.parse_args()
    for tool in ("qpdf", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed")
    proceedings = [sys.executable, "-m", "proceedings"]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "papers"
        every, archival, pages = generate(root, args.papers)
        report = str(Path(scratch) / "report.json")
        check1 = check2 = (0.0, 0)
        poppler, poppler_peak = 0.0, 0
        if not args.build_only:
            check1 = run([*proceedings, "check", str(root), "--jobs", "1", "--format", "json",
                          "-o", report])  # fmt: skip
            check2 = run([*proceedings, "check", str(root), "--jobs", "2", "--format", "json",
                          "-o", report])  # fmt: skip
            for pdf in every:
                elapsed, peak = run(["pdftotext", "-q", str(pdf), os.devnull])
                poppler += elapsed
                poppler_peak = max(poppler_peak, peak)
        build = run([*proceedings, "build", str(root), "-o", str(Path(scratch) / "build"),
                     "--no-check"])  # fmt: skip
        merge = run(["qpdf", "--empty", "--pages", *map(str, archival), "--",
                     str(Path(scratch) / "merged.pdf")])  # fmt: skip
    print(f"volume:                 {args.papers} papers, {pages} pages, {len(archival)} archival")
    if not args.build_only:
        print(f"check --jobs 1:         {check1[0]:8.1f} s   peak {check1[1]} MB")
        print(f"check --jobs 2:         {check2[0]:8.1f} s   peak {check2[1]} MB")
        print(f"pdftotext, one by one:  {poppler:8.1f} s   peak {poppler_peak} MB")
        print(f"ratio check -j2 / pdftotext: {check2[0] / poppler:5.2f}   (target <= 1.2)")
    print(f"build (no check):       {build[0]:8.1f} s   peak {build[1]} MB")
    print(f"qpdf merge:             {merge[0]:8.1f} s   peak {merge[1]} MB")
    print(f"ratio build / merge:    {build[0] / merge[0]:8.2f}   (target <= 3.0)")


if __name__ == "__main__":
    main()
