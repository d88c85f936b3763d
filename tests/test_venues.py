"""Venue profiles: loose PDFs checked against a named venue or a volume, volumes built on a
profile, and venue settings that cannot be applied reported once, with their line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, PAPERS, check_json, run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"
SLIPS = FIXTURES / "rules" / "tiny_workshop_slips.pdf"
MAIN_HEAD = FIXTURES / "rules" / "main_conference_head.pdf"


def codes(report: dict[str, Any], index: int = 0) -> dict[str, dict[str, Any]]:
    return {finding["code"]: finding for finding in report["papers"][index]["findings"]}


def test_the_workshop_profile_reports_an_authors_three_slips() -> None:
    status, report = check_json("--venue", "icbinb-iclr2026", "--track", "tiny", str(SLIPS))
    assert status == 1
    found = codes(report)
    assert set(found) == {"HEAD001", "LLM001", "PAGE001"}
    assert "the main conference's head" in found["HEAD001"]["message"]
    assert "I Can't Believe It's Not Better Workshop @ ICLR 2026" in found["HEAD001"]["message"]
    assert found["PAGE001"]["page"] == 3
    assert report["papers"][0]["page_limit"] == 2


def test_a_loose_pdf_gets_the_default_workshop_profile() -> None:
    # No flags: ICLR 2026's workshop style, which names the main conference's head as wrong
    # but requires no disclosure and lets a long paper run to 5 pages.
    status, report = check_json(str(SLIPS))
    assert status == 1
    found = codes(report)
    assert set(found) == {"HEAD001"}
    assert found["HEAD001"]["message"].endswith("(the main conference's head, in a workshop paper)")


def test_an_honest_workshop_paper_passes_both_profiles() -> None:
    for venue in ("iclr2026-workshop", "icbinb-iclr2026"):
        status, report = check_json("--venue", venue, str(EXAMPLE / "pdf" / "12.pdf"))
        assert status == 0, (venue, report["papers"][0]["findings"])


def test_command_line_settings_replace_the_profiles() -> None:
    status, report = check_json(
        "--venue",
        "icbinb-iclr2026",
        "--running-head",
        "/Published as a conference paper at ICLR/",
        str(MAIN_HEAD),
    )
    # The head given is the one expected: no HEAD001, though the profile names it as wrong.
    assert "HEAD001" not in codes(report)
    result = run_cli("check", "--running-head", "/ICLR [2026/", str(MAIN_HEAD))
    assert result.exit_code == 2
    assert "--running-head" in result.output and "not a regular expression" in result.output


def test_unknown_venue_and_track_are_usage_errors() -> None:
    result = run_cli("check", "--venue", "neurips2026", str(SLIPS))
    assert result.exit_code == 2
    assert "iclr2026-workshop, icbinb-iclr2026" in result.output
    result = run_cli("check", "--track", "short", str(SLIPS))
    assert result.exit_code == 2 and "choose from long, tiny" in result.output


def test_venues_lists_and_describes_the_profiles() -> None:
    result = run_cli("venues")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["iclr2026-workshop", "icbinb-iclr2026"]
    result = run_cli("venues", "icbinb-iclr2026")
    assert result.exit_code == 0
    assert "I Can't Believe It's Not Better Workshop @ ICLR 2026" in result.output
    assert "required" in result.output and "2 pages of main text" in result.output
    result = run_cli("venues", "nope")
    assert result.exit_code == 2 and "NAME" in result.output


@pytest.fixture
def volume(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("src"))
    return root


def test_a_pdf_of_the_volume_is_checked_against_its_entry(volume: Path, tmp_path: Path) -> None:
    # 71 is a tiny paper of the example: its entry, not --track, decides its limit.
    status, report = check_json("--volume", str(volume), str(volume / "pdf" / "71.pdf"))
    assert status == 0
    assert report["papers"][0]["track"] == "tiny" and report["papers"][0]["page_limit"] == 2
    # Another paper's PDF under its name: its entry's title is not on page 1.
    shutil.copy(volume / "pdf" / "12.pdf", volume / "pdf" / "17.pdf")
    status, report = check_json("--volume", str(volume), str(volume / "pdf" / "17.pdf"))
    assert status == 1 and "META001" in codes(report)
    # A PDF that is no paper of the volume gets its venue rules only.
    outside = tmp_path / "draft.pdf"
    shutil.copy(SLIPS, outside)
    status, report = check_json("--volume", str(volume), "--track", "tiny", str(outside))
    assert set(codes(report)) == {"HEAD001", "LLM001", "PAGE001"}


def test_venue_and_volume_together_are_refused(volume: Path) -> None:
    result = run_cli("check", "--venue", "icbinb-iclr2026", "--volume", str(volume), str(SLIPS))
    assert result.exit_code == 2 and "not both" in result.output


def _set_venue(volume: Path, old: str, new: str) -> None:
    path = volume / "volume.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_volume_built_on_the_profile_checks_its_running_head(volume: Path) -> None:
    # The example names icbinb-iclr2026 and no head of its own: the profile's is checked.
    shutil.copy(MAIN_HEAD, volume / "pdf" / "12.pdf")
    status, report = check_json(str(volume), "--select", "HEAD")
    (paper,) = [paper for paper in report["papers"] if paper["id"] == "12"]
    (finding,) = paper["findings"]
    assert "expected \"I Can't Believe It's Not Better Workshop @ ICLR 2026\"" in finding["message"]


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        (
            "profile: icbinb-iclr2026",
            "profile: icbinb-iclr2027",
            "venue.profile",
            "no venue profile is called 'icbinb-iclr2027'",
        ),
        (
            "not_counted: []",
            "not_counted: []\n  page_size: legal",
            "venue.page_size",
            "'legal' is not a page size",
        ),
        (
            "not_counted: []",
            'not_counted: []\n  running_head: "/ICLR [2026/"',
            "venue.running_head",
            "is not a valid regular expression",
        ),
    ],
)
def test_a_setting_that_cannot_be_applied_is_one_error_with_its_line(
    volume: Path, old: str, new: str, field: str, says: str
) -> None:
    _set_venue(volume, old, new)
    status, report = check_json(str(volume))
    assert status == 1
    (metadata,) = [item for item in report["files"] if item["file"].endswith("volume.yaml")]
    (finding,) = metadata["findings"]
    assert finding["code"] == "VOL018" and finding["line"] > 0
    assert finding["message"].startswith(f"{field}: ") and says in finding["message"]
    # Not applied, and not blamed on the papers: none of them fails for it.
    assert all(paper["status"] == "pass" for paper in report["papers"])


def test_an_a4_venue_tells_letter_papers_how_to_compile_on_a4() -> None:
    status, report = check_json("--page-size", "a4", str(PAPERS / "tiny_pass.pdf"))
    finding = codes(report)["PAGESIZE001"]
    assert "a4paper" in finding["hint"] and "Letter" not in finding["hint"]
