"""Accuracy on real papers written by other people, against a hand-checked ground truth.

Runs when the shared corpus is present (`../shared/corpus` beside the repository, or
PROCEEDINGS_CORPUS); a user's clone skips it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from proceedings.check import CheckOptions, check_paths
from proceedings.report import PaperReport


def _manifest(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "manifest.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _unmeasurable(entry: dict[str, Any]) -> bool:
    return bool(entry.get("no_text_layer") or entry.get("garbled_text"))


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[tuple[dict[str, Any], PaperReport]]:
    entries = _manifest(corpus)
    report = check_paths([corpus / "pdf" / entry["file"] for entry in entries], CheckOptions())
    return list(zip(entries, report.papers, strict=True))


def test_body_end_page_matches_ground_truth_on_at_least_95_percent(
    results: list[tuple[dict[str, Any], PaperReport]],
) -> None:
    measurable = [(entry, paper) for entry, paper in results if not _unmeasurable(entry)]
    misses = [
        (entry["file"], entry.get("body_end_page"), paper.body_end and paper.body_end.page)
        for entry, paper in measurable
        if (paper.body_end.page if paper.body_end else None) != entry.get("body_end_page")
    ]
    share = 1 - len(misses) / len(measurable)
    print(f"body_end.page matches on {share:.1%} of {len(measurable)} measurable papers")
    assert share >= 0.95, misses


def test_no_paper_is_over_a_limit_equal_to_its_true_body_pages(corpus: Path) -> None:
    entries = [entry for entry in _manifest(corpus) if entry.get("body_pages") is not None]
    over = []
    for entry in entries:
        options = CheckOptions(page_limit=float(entry["body_pages"]))
        paper = check_paths([corpus / "pdf" / entry["file"]], options).papers[0]
        if any(finding.code == "PAGE001" for finding in paper.findings):
            over.append((entry["file"], entry["body_pages"], paper.body_pages))
    assert over == []


def test_papers_that_cannot_be_measured_say_so_and_get_no_verdict(
    results: list[tuple[dict[str, Any], PaperReport]],
) -> None:
    unmeasurable = [(entry, paper) for entry, paper in results if _unmeasurable(entry)]
    assert unmeasurable
    for entry, paper in unmeasurable:
        codes = {finding.code for finding in paper.findings}
        assert codes & {"PDF002", "PDF003"}, entry["file"]
        assert "PAGE001" not in codes and paper.body_end is None


def test_fraction_is_close_to_ground_truth_where_the_page_matches(
    results: list[tuple[dict[str, Any], PaperReport]],
) -> None:
    far = [
        (entry["file"], entry["body_end_fraction"], paper.body_end.fraction)
        for entry, paper in results
        if paper.body_end is not None
        and paper.body_end.page == entry.get("body_end_page")
        and abs(paper.body_end.fraction - entry["body_end_fraction"]) > 0.1
    ]
    assert far == []


def test_paper_without_a_references_heading_warns_and_counts_everything(
    results: list[tuple[dict[str, Any], PaperReport]],
) -> None:
    for entry, paper in results:
        if entry.get("body_end_page") is None and not _unmeasurable(entry):
            assert paper.body_end is None
            assert "PAGE002" in {finding.code for finding in paper.findings}
            assert paper.body_pages == paper.pages_total


def test_review_head_reported_exactly_where_the_manifest_has_one(
    results: list[tuple[dict[str, Any], PaperReport]],
) -> None:
    wrong = []
    for entry, paper in results:
        head = entry.get("header_text") or ""
        reported = any(finding.code == "REVIEW001" for finding in paper.findings)
        if reported != head.lower().startswith("under review"):
            wrong.append((entry["file"], head, reported))
    assert wrong == []
