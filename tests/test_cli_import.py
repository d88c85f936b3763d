"""`proceedings import openreview` as an organizer runs it."""

from __future__ import annotations

import json
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


ARCHIVAL = (
    "--archival-field",
    "archival_option",
    "--archival-value",
    "Archival (published in PMLR)",
)


def archival_flags(path: Path) -> dict[str, bool]:
    return {p["id"]: p["archival"] for p in yaml.safe_load(path.read_text())["papers"]}


def test_reimport_without_options_keeps_every_archival_flag(tmp_path: Path) -> None:
    target = tmp_path / "papers.yaml"
    first = run_cli("import", "openreview", EXPORT, "--papers", target, *ARCHIVAL)
    assert first.exit_code == 0, first.output
    flags = archival_flags(target)
    assert flags["12"] is False and flags["3"] is True
    settings = yaml.safe_load((tmp_path / "papers.openreview.yaml").read_text())
    assert settings["archival_field"] == "archival_option"
    assert settings["venue_id"] == "ICLR.cc/2026/Workshop/ICBINB"

    again = run_cli("import", "openreview", EXPORT, "--papers", target)
    assert again.exit_code == 0, again.output
    assert archival_flags(target) == flags
    assert (
        "options remembered in" in again.output
        and "archival_field 'archival_option'" in again.output
    )
    assert again.output.strip().endswith("; unchanged.")


def test_an_archival_flag_that_changes_is_named_paper_by_paper(tmp_path: Path) -> None:
    target = tmp_path / "papers.yaml"
    run_cli("import", "openreview", EXPORT, "--papers", target, *ARCHIVAL)
    # The organizers decide that "Non-archival (workshop website only)" means archival after all.
    changed = run_cli(
        "import", "openreview", EXPORT, "--papers", target,
        "--archival-value", "Non-archival (workshop website only)",
    )  # fmt: skip
    assert changed.exit_code == 0, changed.output
    for paper in ("12", "24"):
        assert f"warning: paper {paper}: archival changes from false to true" in changed.output
    assert "warning: paper 3: archival changes from true to false" in changed.output
    assert "archival_values: 'Non-archival (workshop website only)' replaces" in changed.output


def test_an_export_of_several_venues_stops_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    data = json.loads(EXPORT.read_text())
    for note in data["notes"][:2]:
        note["content"]["venueid"] = {"value": "ICLR.cc/2026/Conference"}
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps(data))
    volume = tmp_path / "volume"
    volume.mkdir()
    result = run_cli("import", "openreview", mixed, "--papers", volume / "papers.yaml")
    assert result.exit_code == 2
    assert "ICLR.cc/2026/Workshop/ICBINB (2 notes)" in result.output
    assert "ICLR.cc/2026/Conference (2 notes)" in result.output
    assert "--venue-id" in result.output and "Traceback" not in result.output
    assert list(volume.iterdir()) == []

    chosen = run_cli(
        "import", "openreview", mixed, "--papers", volume / "papers.yaml",
        "--venue-id", "ICLR.cc/2026/Workshop/ICBINB",
    )  # fmt: skip
    assert chosen.exit_code == 0, chosen.output
    assert sorted(archival_flags(volume / "papers.yaml")) == ["12", "24"]


def test_a_re_import_keeps_the_organizers_comments_and_changes_only_what_changed(
    tmp_path: Path,
) -> None:
    target = tmp_path / "papers.yaml"
    run_cli("import", "openreview", EXPORT, "--papers", target, *ARCHIVAL)
    lines = target.read_text().splitlines(keepends=True)
    lines.insert(0, "# Accepted papers of ICBINB 2026; tracks checked by Ana.\n\n")
    lines[1] = lines[1].rstrip("\n") + "  # first to present\n"
    commented = "".join(lines)
    target.write_text(commented)

    data = json.loads(EXPORT.read_text())
    data["notes"][0]["content"]["title"] = {"value": "A Title Corrected on OpenReview"}
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data))
    result = run_cli("import", "openreview", export, "--papers", target)
    assert result.exit_code == 0, result.output
    assert "comments" not in result.output and not (tmp_path / "papers.yaml.bak").exists()
    after = target.read_text()
    old = [line for line in commented.splitlines() if line not in after.splitlines()]
    new = [line for line in after.splitlines() if line not in commented.splitlines()]
    # The title had to be quoted (it holds ": "); the new one keeps the quotes.
    title = "When Bigger Batches Did Not Help: A Negative Result on Learning-Rate Scaling"
    assert old == [f"    title: '{title}'"]
    assert new == ["    title: 'A Title Corrected on OpenReview'"]
    assert after.startswith("# Accepted papers of ICBINB 2026; tracks checked by Ana.\n\n")


def test_a_papers_yaml_that_cannot_be_edited_safely_is_one_error_and_stays(
    tmp_path: Path,
) -> None:
    target = tmp_path / "papers.yaml"
    run_cli("import", "openreview", EXPORT, "--papers", target)
    raw = target.read_bytes().replace(b"\n", b"\r\n", 3)  # line ends of two kinds
    target.write_bytes(raw)
    result = run_cli("import", "openreview", EXPORT, "--papers", target)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{target}, line 4: ends with" in result.output and "two kinds" in result.output
    assert target.read_bytes() == raw
