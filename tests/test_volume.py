"""A volume folder: its metadata validated with file, line and field path; its papers checked
against their own tracks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import PAPERS, check_json, run_cli
from proceedings.volume import load_volume
from volumes import VOLUME_YAML

PAPERS_YAML = """\
papers:
  - id: "1"
    title: "When Bigger Batches Did Not Help: A Negative Result on Adaptive Batch Scaling"
    authors:
      - name: Ada Example
        affiliation: Example University
      - name: Ben Sample
    abstract: We tried larger batches and they did not help.
    track: long
    archival: true
  - id: "2"
    title: "Adaptive Batch Scaling Does Not Survive a Tuned Baseline"
    authors:
      - name: Ada Example
      - name: Ben Sample
    abstract: A tiny paper on the same question.
    track: tiny
    archival: false
"""


@pytest.fixture
def volume(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    (root / "pdf").mkdir(parents=True)
    shutil.copy(PAPERS / "long_refs_mid_p5.pdf", root / "pdf" / "1.pdf")
    shutil.copy(PAPERS / "tiny_pass.pdf", root / "pdf" / "2.pdf")
    (root / "volume.yaml").write_text(VOLUME_YAML)
    (root / "papers.yaml").write_text(PAPERS_YAML)
    return root


def edit(root: Path, old: str, new: str, name: str = "papers.yaml") -> None:
    path = root / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def findings(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, where) of every finding in the report, metadata files and papers alike."""
    found = []
    for item in report.get("files", []):
        for finding in item["findings"]:
            found.append((finding["code"], f"{finding.get('file')}:{finding.get('line')}"))
    for paper in report["papers"]:
        for finding in paper["findings"]:
            found.append((finding["code"], f"{paper['id']}"))
    return found


def test_clean_volume_passes_with_each_track_limit(volume: Path) -> None:
    code, report = check_json(volume)
    assert findings(report) == []
    assert code == 0
    assert [(paper["id"], paper["page_limit"]) for paper in report["papers"]] == [
        ("1", 5),
        ("2", 2),
    ]
    assert [item["kind"] for item in report["files"]] == ["metadata", "metadata"]


def test_volume_loads_into_dataclasses(volume: Path) -> None:
    loaded, sources = load_volume(volume)
    assert sources.errors == []
    assert [paper.id for paper in loaded.papers] == ["1", "2"]
    first = loaded.papers[0]
    assert (first.authors[0].given, first.authors[0].family) == ("Ada", "Example")
    assert first.authors[0].affiliation == "Example University"
    tiny = loaded.track("tiny")
    assert tiny is not None and tiny.page_limit == 2
    assert loaded.papers[1].archival is False


def test_default_volume_is_papers_in_the_current_folder(
    volume: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(volume.parent)
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert "Checked 2 papers and 2 other files: 2 passed, 0 failed" in result.output


def test_no_volume_here_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.exit_code == 2
    assert "there is no volume in ./papers" in result.output


def test_missing_pdf_is_one_finding_with_file_and_line(volume: Path) -> None:
    (volume / "pdf" / "2.pdf").unlink()
    code, report = check_json(volume)
    assert findings(report) == [("VOL007", "papers.yaml:11")]
    assert code == 1


def test_wrong_title_is_reported_with_what_the_pdf_says(volume: Path) -> None:
    edit(volume, "When Bigger Batches Did Not Help", "When Smaller Batches Did Not Help")
    code, report = check_json(volume)
    assert findings(report) == [("META001", "1")]
    message = report["papers"][0]["findings"][0]["message"]
    assert "the PDF's title reads 'When Bigger Batches Did Not Help:" in message
    assert code == 1


def test_title_match_ignores_case_punctuation_and_line_breaks(volume: Path) -> None:
    edit(
        volume,
        '"Adaptive Batch Scaling Does Not Survive a Tuned Baseline"',
        '"adaptive batch-scaling does not survive a tuned baseline!"',
    )
    _, report = check_json(volume)
    assert findings(report) == []


def test_author_missing_from_the_pdf(volume: Path) -> None:
    edit(
        volume,
        "      - name: Ben Sample\n    abstract: A tiny",
        "      - name: Cy Other\n    abstract: A tiny",
    )
    _, report = check_json(volume)
    assert findings(report) == [("META002", "2")]
    assert (
        "'Cy Other' is not on the PDF's first page" in report["papers"][1]["findings"][0]["message"]
    )


def test_bad_track_names_the_line(volume: Path) -> None:
    edit(volume, "track: tiny", "track: short")
    _, report = check_json(volume)
    assert ("VOL006", "papers.yaml:17") in findings(report)


def test_yaml_syntax_error_exits_2_with_the_line(volume: Path) -> None:
    edit(volume, "    track: long\n", "    track: [long\n")
    result = run_cli("check", volume)
    assert result.exit_code == 2
    assert "VOL001" in result.output and "papers.yaml:10" in result.output
    assert "Traceback" not in result.output


def test_path_leaving_the_volume_is_refused_and_not_read(volume: Path) -> None:
    edit(volume, '  - id: "2"\n', '  - id: "2"\n    pdf: ../../etc/passwd\n')
    code, report = check_json(volume)
    assert findings(report) == [("VOL008", "papers.yaml:12")]
    assert [paper["id"] for paper in report["papers"]] == ["1"]
    assert code == 1


def test_missing_field_and_unknown_key_name_the_field_path(volume: Path) -> None:
    edit(
        volume,
        "      - name: Ada Example\n        affiliation:",
        "      - nme: Ada Example\n        affiliation:",
    )
    _, report = check_json(volume)
    messages = [f["message"] for item in report["files"] for f in item["findings"]]
    assert "papers[0].authors[0].name: missing" in messages
    assert "papers[0].authors[0].nme: unknown key; did you mean 'name'?" in messages


def test_wrong_types_everywhere_are_findings_not_crashes(volume: Path) -> None:
    edit(
        volume,
        '"When Bigger Batches Did Not Help: A Negative Result on Adaptive Batch Scaling"',
        "2026",
    )
    edit(volume, "    archival: false", "    archival: sometimes")
    code, report = check_json(volume)
    codes = {code for code, _ in findings(report)}
    assert {"VOL003"} <= codes
    messages = [f["message"] for item in report["files"] for f in item["findings"]]
    assert "papers[0].title: must be text, not 2026" in messages
    assert "papers[1].archival: must be true or false, not the text 'sometimes'" in messages
    assert code == 1


def test_duplicate_ids_and_titles(volume: Path) -> None:
    edit(volume, 'id: "2"', 'id: "1"')
    lower = '"when bigger batches did not help: a negative result on adaptive batch scaling"'
    edit(volume, '"Adaptive Batch Scaling Does Not Survive a Tuned Baseline"', lower)
    _, report = check_json(volume)
    codes = [code for code, _ in findings(report) if code.startswith("VOL")]
    assert sorted(codes) == ["VOL005", "VOL009"]


def test_dates_out_of_order(volume: Path) -> None:
    edit(volume, "published: 2026-08-01", "published: 2026-04-01", name="volume.yaml")
    _, report = check_json(volume)
    assert findings(report) == [("VOL011", "volume.yaml:11")]


def test_yaml_alias_bomb_is_refused(volume: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12)
    )
    (volume / "papers.yaml").write_text(bomb)
    result = run_cli("check", volume)
    assert result.exit_code == 2
    assert "alias" in result.output


def test_invalid_utf8_names_the_line(volume: Path) -> None:
    (volume / "papers.yaml").write_bytes(PAPERS_YAML.encode() + b"# caf\xe9\n")
    result = run_cli("check", volume)
    assert result.exit_code == 2
    assert "papers.yaml:19" in result.output and "not valid UTF-8" in result.output


def test_non_latin_names_need_a_latin_spelling(volume: Path) -> None:
    edit(
        volume,
        "      - name: Ben Sample\n    abstract: We",
        "      - name: Ben Sample\n      - name: 王芳\n    abstract: We",
    )
    _, report = check_json(volume)
    codes = [code for code, _ in findings(report)]
    assert "META003" in codes  # no `latin:` yet
    edit(volume, "      - name: 王芳\n", "      - name: 王芳\n        latin: Wang Fang\n")
    _, report = check_json(volume)
    assert "META003" not in [code for code, _ in findings(report)]


def test_volume_can_change_a_rules_severity_or_turn_it_off(volume: Path) -> None:
    edit(
        volume, "- name: Ben Sample\n    abstract: A tiny", "- name: Cy Other\n    abstract: A tiny"
    )
    venue = "venue:\n  severities:\n    META002: warning\n"
    (volume / "volume.yaml").write_text(VOLUME_YAML + venue)
    code, report = check_json(volume)
    (finding,) = report["papers"][1]["findings"]
    assert (finding["code"], finding["severity"]) == ("META002", "warning")
    assert code == 0
    (volume / "volume.yaml").write_text(VOLUME_YAML + "venue:\n  severities:\n    META: off\n")
    _, report = check_json(volume)
    assert report["papers"][1]["findings"] == []
