"""`proceedings import openreview` as an organizer runs it."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import FIXTURES, run_cli

EXPORT = FIXTURES / "openreview" / "api_v2.json"


def test_import_writes_papers_yaml_and_reports_each_paper(tmp_path: Path) -> None:
    target = tmp_path / "papers.yaml"
    result = run_cli("import", "openreview", EXPORT, "--papers", target)
    assert result.exit_code == 0, result.output
    papers = yaml.safe_load(target.read_text())["papers"]
    assert result.output.count("added ") == len(papers) > 0
    assert f"written to {target}" in result.output

    again = run_cli("import", "openreview", EXPORT, "--papers", target)
    assert again.exit_code == 0
    assert again.output.strip().endswith("; unchanged.")


def test_import_keeps_a_hand_edit_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "papers.yaml"
    run_cli("import", "openreview", EXPORT, "--papers", target)
    text = target.read_text()
    first_title = yaml.safe_load(text)["papers"][0]["title"]
    data = yaml.safe_load(text)
    data["papers"][0]["title"] = "A Title Fixed By Hand"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = run_cli("import", "openreview", EXPORT, "--papers", target)
    assert result.exit_code == 0
    assert "kept the hand edit" in result.output
    assert yaml.safe_load(target.read_text())["papers"][0]["title"] == "A Title Fixed By Hand"
    assert first_title != "A Title Fixed By Hand"


def test_import_of_a_file_that_is_not_json_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("<html>502 Bad Gateway</html>")
    result = run_cli("import", "openreview", bad, "--papers", tmp_path / "papers.yaml")
    assert result.exit_code == 1
    assert "notes.json" in result.output and "Traceback" not in result.output


def test_bad_track_value_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(
        "import", "openreview", EXPORT, "--papers", tmp_path / "p.yaml", "--track-value", "tiny"
    )
    assert result.exit_code == 2
    assert "is not TEXT=TRACK" in result.output
