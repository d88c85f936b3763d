"""The shipped example volume: it passes, and each way of breaking it is one precise finding."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import check_json, run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("src", "build.sh"))
    return root


def _findings(report: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for item in report.get("files", []):
        found += [(f["code"], f"{f.get('file')}:{f.get('line')}") for f in item["findings"]]
    for paper in report["papers"]:
        found += [(f["code"], paper["id"]) for f in paper["findings"]]
    return found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_check_in_the_repository_root_passes_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE.parent)
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("0 errors, 0 warnings.")


def test_example_json_report_has_the_schema_of_version_one() -> None:
    code, report = check_json(EXAMPLE)
    assert code == 0
    assert report["version"] == 1 and report["summary"]["errors"] == 0
    assert len(report["papers"]) == 10
    for paper in report["papers"]:
        assert paper["status"] == "pass"
        assert paper["body_pages"] <= paper["page_limit"]
        assert set(paper["body_end"]) == {"page", "fraction", "heading"}
    limits = {paper["id"]: paper["page_limit"] for paper in report["papers"]}
    assert limits["12"] == 5 and limits["58"] == 2


def test_missing_pdf(example: Path) -> None:
    (example / "pdf" / "17.pdf").unlink()
    code, report = check_json(example)
    line = _line_of(example / "papers.yaml", "pdf: pdf/17.pdf")  # the entry's own `pdf:` line
    assert _findings(report) == [("VOL007", f"papers.yaml:{line}")]
    assert code == 1


def test_wrong_title(example: Path) -> None:
    _replace(example / "papers.yaml", "Asking Twice Does Not Help", "Asking Thrice Does Not Help")
    code, report = check_json(example)
    assert _findings(report) == [("META001", "12")]
    assert code == 1


def test_author_missing_from_the_pdf(example: Path) -> None:
    _replace(example / "papers.yaml", '"Kwame Mensah"', '"Kofi Annan-Mensah"')
    _, report = check_json(example)
    assert _findings(report) == [("META002", "12")]


def test_bad_track(example: Path) -> None:
    path = example / "papers.yaml"
    _replace(path, "    track: long\n", "    track: medium\n")
    _, report = check_json(example)
    assert _findings(report) == [("VOL006", f"papers.yaml:{_line_of(path, 'track: medium')}")]


def test_yaml_syntax_error(example: Path) -> None:
    _replace(example / "volume.yaml", "proceedings:", "proceedings: [")
    result = run_cli("check", example)
    assert result.exit_code == 2
    assert "VOL001" in result.output and "volume.yaml:" in result.output
    assert "Traceback" not in result.output


def test_path_out_of_the_volume(example: Path) -> None:
    path = example / "papers.yaml"
    _replace(path, "    supplementary: supp/12.zip", "    pdf: ../../etc/passwd")
    code, report = check_json(example)
    assert _findings(report) == [("VOL008", f"papers.yaml:{_line_of(path, 'etc/passwd')}")]
    assert "12" not in [paper["id"] for paper in report["papers"]]
    assert code == 1
