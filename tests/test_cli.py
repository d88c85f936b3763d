"""The command line as people and CI use it: options, exit codes, report formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PAPERS, check_json, run_cli
from proceedings import __version__

PASSING = PAPERS / "long_refs_mid_p5.pdf"
FAILING = PAPERS / "long_refs_p6_40.pdf"


def test_json_report_follows_version_one_of_the_schema() -> None:
    code, report = check_json(PASSING, FAILING)
    assert code == 1
    assert report["version"] == 1
    assert report["tool"] == f"proceedings {__version__}"
    assert report["summary"] == {"papers": 2, "errors": 1, "warnings": 0}
    paper = report["papers"][1]
    assert set(paper) == {
        "id", "file", "track", "page_limit", "pages_total",
        "body_end", "body_pages", "status", "findings",
    }  # fmt: skip
    assert paper["id"] == "long_refs_p6_40"
    assert set(paper["body_end"]) == {"page", "fraction", "heading"}
    assert paper["body_pages"] == pytest.approx(
        paper["body_end"]["page"] - 1 + paper["body_end"]["fraction"], abs=0.01
    )
    finding = paper["findings"][0]
    assert set(finding) == {"code", "severity", "page", "message", "hint"}
    assert (finding["code"], finding["severity"], finding["page"]) == ("PAGE001", "error", 6)


def test_text_report_is_a_block_per_paper_and_a_summary() -> None:
    result = run_cli("check", PASSING, FAILING)
    lines = result.output.splitlines()
    assert lines[0].endswith("long_refs_mid_p5.pdf  [PASS]")
    assert any(line.endswith("long_refs_p6_40.pdf  [FAIL]") for line in lines)
    assert "main text: 4.49 pages" in result.output
    assert lines[-1] == "Checked 2 papers: 1 passed, 1 failed; 1 error, 0 warnings."


def test_exit_code_is_zero_when_all_pass() -> None:
    assert run_cli("check", PASSING).exit_code == 0


def test_output_option_writes_the_report_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run_cli("check", PASSING, "--format", "json", "--output", target)
    assert result.output == ""
    assert json.loads(target.read_text())["papers"][0]["status"] == "pass"


def test_missing_file_is_a_usage_error() -> None:
    result = run_cli("check", "no/such/paper.pdf")
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_track_is_a_usage_error() -> None:
    result = run_cli("check", PASSING, "--track", "short")
    assert result.exit_code == 2
    assert "'short' is not a track of this venue; choose from long, tiny" in result.output


def test_folder_without_pdfs_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path)
    assert result.exit_code == 2
    assert "holds no .pdf files" in result.output


def test_folder_stands_for_the_pdfs_in_it(tmp_path: Path) -> None:
    for source in (PASSING, FAILING):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "notes.txt").write_text("not a paper")
    code, report = check_json(tmp_path)
    assert [paper["id"] for paper in report["papers"]] == ["long_refs_mid_p5", "long_refs_p6_40"]
    assert code == 1


def test_rules_lists_every_rule_with_code_and_severity() -> None:
    result = run_cli("rules")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()}
    assert rows["PAGE001"] == "error"
    assert rows["PAGE002"] == "warning"
    assert rows["PDF001"] == "error"


def test_rules_code_explains_the_rule() -> None:
    result = run_cli("rules", "page001")
    assert result.exit_code == 0
    assert result.output.startswith("PAGE001 page-limit (error)")
    for section in ("## What it catches", "## Why it matters", "## How to fix"):
        assert section in result.output


def test_rules_unknown_code_is_a_usage_error() -> None:
    result = run_cli("rules", "XYZ999")
    assert result.exit_code == 2
    assert "no rule has the code 'XYZ999'" in result.output


def test_every_command_and_option_has_help() -> None:
    for command in ("check", "rules"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output
    check_help = run_cli("check", "--help").output
    for option in ("--track", "--page-limit", "--not-counted", "--format", "--output"):
        assert option in check_help


def test_bib_files_are_checked_and_reported_apart_from_papers(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@article{a, title={One}, author={Doe, Jane}, journal={J}, year={2020}}\n"
        "@article{a, title={Two}, author={Roe, Rick}, journal={J}, year={2021}}\n"
    )
    code, report = check_json(bib, PASSING)
    assert code == 1
    assert report["files"][0]["kind"] == "bib"
    assert [(f["code"], f["line"]) for f in report["files"][0]["findings"]] == [("BIB003", 2)]
    assert report["summary"] == {"papers": 1, "files": 1, "errors": 1, "warnings": 0}


def test_hint_is_shown_once_per_rule_in_a_block(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("".join(f"@misc{{k{n}, title={{T{n}}}, year={{2999}}}}\n" for n in range(3)))
    result = run_cli("check", bib)
    assert result.output.count("BIB008") == 3
    assert result.output.count("hint:") == 1


def test_select_and_ignore_pick_rules_by_code_prefix() -> None:
    review = PAPERS / "review_mode.pdf"
    _, everything = check_json(review)
    assert {f["code"] for f in everything["papers"][0]["findings"]} >= {"REVIEW001", "REVIEW003"}
    _, selected = check_json(review, "--select", "review001,PAGE")
    assert [f["code"] for f in selected["papers"][0]["findings"]] == ["REVIEW001"]
    _, ignored = check_json(review, "--ignore", "REVIEW")
    assert not [f for f in ignored["papers"][0]["findings"] if f["code"].startswith("REVIEW")]


def test_unknown_code_in_select_is_a_usage_error() -> None:
    result = run_cli("check", PASSING, "--select", "NOPE")
    assert result.exit_code == 2
    assert "no rule's code starts with NOPE" in result.output
