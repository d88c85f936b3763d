"""Time and memory of `proceedings build` on a generated volume, against a bare qpdf merge.

    python bench/build_scale.py [--papers 500]

Generates a volume of N papers (long and tiny tracks, a fifth non-archival, PDFs taken in
turn from the example volume and the test fixtures, so 2 to 8 pages each) in a temporary
folder, then measures in the same run:
- `proceedings build --no-check` (PMLR upload, front matter, stamped volume.pdf, web index);
- `qpdf --empty --pages <the archival PDFs> -- merged.pdf`, the bare merge of the same files.
Each side runs `--rounds` times, alternating; the fastest round counts. Targets: the build
within 3x of the merge, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from measure import run

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "papers" / "pdf").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "papers").glob("*.pdf")
)
GIVEN = ["Ana", "José", "Zoë", "Marie-Claire", "Ludwig", "Wei", "Kwame", "Aoife", "Raj", "Lena"]
FAMILY = ["García", "van der Berg", "Müller", "Dubois-Leroy", "de Souza", "Okafor", "Novak"]


def generate(root: Path, count: int) -> list[Path]:
    (root / "pdf").mkdir(parents=True)
    shutil.copy(ROOT / "papers" / "volume.yaml", root / "volume.yaml")
    shutil.copy(ROOT / "papers" / "preface.md", root / "preface.md")
    papers, archival = [], []
    for number in range(1, count + 1):
        source = SOURCES[number % len(SOURCES)]
        pdf = root / "pdf" / f"{number}.pdf"
        shutil.copy(source, pdf)
        is_archival = number % 5 != 0
        if is_archival:
            archival.append(pdf)
        papers.append(
            {
                "id": str(number),
                "title": f"Generated Paper {number}: Negative Results on Task {number % 97}",
                "authors": [_author(number, k) for k in range(3)],
                "abstract": "We report a negative result. " * 8,
                "track": "tiny" if number % 4 == 0 else "long",
                "archival": is_archival,
            }
        )
    (root / "papers.yaml").write_text(
        yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return archival


def _author(number: int, k: int) -> dict[str, str]:
    given = GIVEN[(number + k) % len(GIVEN)]
    family = FAMILY[(number * 3 + k) % len(FAMILY)]
    return {"name": f"{given} {family}", "openreview": f"~Person_{(number * 7 + k) % 900}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side; best counts")
    args = parser.parse_args()
    if shutil.which("qpdf") is None:
        raise SystemExit("qpdf is not installed")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "papers"
        archival = generate(root, args.papers)
        out = Path(scratch) / "build"
        build_command = [sys.executable, "-m", "proceedings", "build", str(root), "-o", str(out)]
        merge_command = ["qpdf", "--empty", "--pages", *map(str, archival), "--"]
        merge_command.append(str(Path(scratch) / "merged.pdf"))
        builds, merges = [], []
        for _ in range(args.rounds):
            builds.append(run([*build_command, "--no-check"]))
            merges.append(run(merge_command))
        pages = _pages(out / "volume.pdf")
    build_time, build_peak = min(builds)[0], max(peak for _, peak in builds)
    merge_time, merge_peak = min(merges)[0], max(peak for _, peak in merges)
    print(f"papers:                 {args.papers} ({len(archival)} archival), volume {pages} pages")
    print(f"proceedings build:      {build_time:7.2f} s   peak {build_peak} MB (target < 500 MB)")
    print(f"qpdf merge:             {merge_time:7.2f} s   peak {merge_peak} MB")
    print(f"ratio build / merge:    {build_time / merge_time:7.2f}   (target <= 3.0)")


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


if __name__ == "__main__":
    main()
