"""Supplementary files: what `check` says of a missing or oversized one, and what the PMLR
upload carries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import check_json, run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


@pytest.fixture
def volume(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("src"))
    return root


def _volume_findings(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    (metadata,) = [item for item in report["files"] if item["file"].endswith(name)]
    findings: list[dict[str, Any]] = metadata["findings"]
    return findings


def test_a_deleted_supplementary_file_is_an_error_with_its_line(volume: Path) -> None:
    (volume / "supp" / "12.zip").unlink()
    status, report = check_json(str(volume))
    assert status == 1
    (finding,) = _volume_findings(report, "papers.yaml")
    assert finding["code"] == "VOL019"
    line = (volume / "papers.yaml").read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert "supplementary: supp/12.zip" in line
    assert finding["message"].endswith("'supp/12.zip' does not exist")
    # And the build, which would have dropped it from the upload, stops.
    result = run_cli("build", str(volume), "-o", str(volume.parent / "build"), "--no-check")
    assert result.exit_code == 1 and "VOL019" in result.output


def test_a_folder_in_place_of_the_file_is_an_error(volume: Path) -> None:
    (volume / "supp" / "12.zip").unlink()
    (volume / "supp" / "12.zip").mkdir()
    status, report = check_json(str(volume))
    (finding,) = _volume_findings(report, "papers.yaml")
    assert finding["code"] == "VOL019" and "is a folder" in finding["message"]


def test_the_venue_sets_the_size_limit(volume: Path) -> None:
    size = (volume / "supp" / "12.zip").stat().st_size
    assert check_json(str(volume))[0] == 0  # well under the default 100 MB
    text = (volume / "volume.yaml").read_text(encoding="utf-8")
    limit = size / 2 / 1_000_000
    text = text.replace("  not_counted: []", f"  not_counted: []\n  supplementary_max_mb: {limit}")
    (volume / "volume.yaml").write_text(text, encoding="utf-8")
    status, report = check_json(str(volume))
    (finding,) = _volume_findings(report, "papers.yaml")
    assert finding["code"] == "VOL019"
    assert re.search(r"is \d+ MB, over the venue's [\d.e-]+ MB$", finding["message"])


def test_the_upload_carries_the_supplementary_file_it_names(volume: Path) -> None:
    out = volume.parent / "build"
    result = run_cli("build", str(volume), "-o", str(out), "--only", "pmlr", "--no-check")
    assert result.exit_code == 0, result.output
    bib = (out / "pmlr" / "icbinb-2026.bib").read_text(encoding="utf-8")
    named = re.findall(r"supplementary = \{Supplementary:([^}]+)\}", bib)
    assert named, bib
    for name in named:
        assert (out / "pmlr" / name).is_file(), name
    assert (out / "pmlr" / named[0]).read_bytes() == (volume / "supp" / "12.zip").read_bytes()
