"""Accuracy of the body-end detection on the shared corpus of real papers.

    python bench/corpus_eval.py [CORPUS]

CORPUS defaults to ../shared/corpus (a folder with manifest.jsonl and pdf/). Prints, per paper,
the hand-checked end of the main text beside what `proceedings` found, then the share of
papers whose body-end page matches. Papers without a readable text layer are listed apart:
they cannot be measured, and `proceedings` says so instead of guessing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from proceedings.check import CheckOptions, check_paths

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    manifest = corpus / "manifest.jsonl"
    if not manifest.is_file():
        raise SystemExit(f"no manifest.jsonl in {corpus}")
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    start = time.perf_counter()
    report = check_paths([corpus / "pdf" / entry["file"] for entry in entries], CheckOptions())
    elapsed = time.perf_counter() - start

    matched = measurable = 0
    for entry, paper in zip(entries, report.papers, strict=True):
        truth = entry.get("body_end_page")
        got = paper.body_end.page if paper.body_end else None
        unmeasurable = bool(entry.get("no_text_layer") or entry.get("garbled_text"))
        if unmeasurable:
            verdict = "not measurable (said so)" if got is None else "GUESSED"
        else:
            measurable += 1
            matched += got == truth
            verdict = "ok" if got == truth else "MISS"
        found = (
            f"p{got} {paper.body_end.fraction:.2f} {paper.body_end.heading[:28]!r}"
            if paper.body_end
            else "none"
        )
        expected = f"p{truth} {entry.get('body_end_fraction')} {entry.get('body_end_heading')!r}"
        print(f"{entry['file'][:42]:<42} truth {expected[:42]:<42} found {found:<42} {verdict}")
    pages = sum(paper.pages_total or 0 for paper in report.papers)
    print(
        f"\nbody_end.page matches on {matched}/{measurable} measurable papers "
        f"({matched / measurable:.1%}); {len(entries) - measurable} not measurable; "
        f"{len(entries)} PDFs, {pages} pages in {elapsed:.2f} s"
    )


if __name__ == "__main__":
    main()
