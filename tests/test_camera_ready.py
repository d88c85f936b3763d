"""Camera-ready rules, each on a fixture that triggers it and on papers that must not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, PAPERS, check_json

RULES = FIXTURES / "rules"
HEAD = "I Can't Believe It's Not Better Workshop @ ICLR 2026"
CLEAN = RULES / "main_conference_head.pdf"  # clean but for its head


def codes(path: Path, *options: str) -> list[str]:
    return [finding["code"] for finding in report(path, *options)["findings"]]


def report(path: Path, *options: str) -> dict[str, Any]:
    _, result = check_json(path, *options)
    paper: dict[str, Any] = result["papers"][0]
    return paper


def test_review_mode_is_one_finding_each_naming_the_fix() -> None:
    paper = report(PAPERS / "review_mode.pdf")
    review = [finding for finding in paper["findings"] if finding["code"].startswith("REVIEW")]
    assert [finding["code"] for finding in review] == ["REVIEW001", "REVIEW002", "REVIEW003"]
    assert all("\\iclrfinalcopy" in finding["hint"] for finding in review)
    assert "pages 1-5" in review[2]["message"]


def test_final_mode_papers_are_not_in_review_mode() -> None:
    for name in ("long_refs_mid_p5.pdf", "two_column.pdf", "tiny_pass.pdf"):
        assert not [code for code in codes(PAPERS / name) if code.startswith("REVIEW")], name


def test_main_conference_head_in_a_workshop_paper() -> None:
    paper = report(RULES / "main_conference_head.pdf", "--running-head", HEAD)
    (finding,) = paper["findings"]
    assert finding["code"] == "HEAD001"
    assert "the main conference's head, in a workshop paper" in finding["message"]


def test_expected_head_passes_and_regex_heads_work() -> None:
    assert codes(PAPERS / "tiny_pass.pdf", "--running-head", HEAD) == []
    assert codes(PAPERS / "tiny_pass.pdf", "--running-head", "/Workshop @ ICLR 20\\d\\d$/") == []


def test_wrong_year_is_named() -> None:
    paper = report(PAPERS / "tiny_pass.pdf", "--running-head", HEAD.replace("2026", "2025"))
    assert "the year 2026 is not this volume's" in paper["findings"][0]["message"]


def test_without_an_expected_head_only_the_venues_wrong_heads_are_reported() -> None:
    # The default venue (ICLR 2026 workshops) expects no particular head but names the main
    # conference's as wrong; a venue of its own head is judged by it alone.
    assert "HEAD001" not in codes(PAPERS / "tiny_pass.pdf")
    assert codes(RULES / "main_conference_head.pdf") == ["HEAD001"]
    assert "HEAD001" not in codes(
        RULES / "main_conference_head.pdf", "--running-head", "/conference paper at ICLR/"
    )


def test_missing_disclosure_when_required() -> None:
    assert codes(PAPERS / "tiny_pass.pdf", "--require-disclosure") == ["LLM001"]
    assert "LLM001" not in codes(PAPERS / "tiny_pass.pdf")
    assert "LLM001" not in codes(PAPERS / "ack_llm_before_refs.pdf", "--require-disclosure")


def test_disclosure_inside_the_main_text_is_a_warning() -> None:
    paper = report(RULES / "llm_in_body.pdf", "--require-disclosure")
    assert [(f["code"], f["severity"]) for f in paper["findings"]] == [("LLM002", "warning")]
    assert codes(PAPERS / "ack_llm_before_refs.pdf") == []


def test_unresolved_reference_names_the_page_and_shows_it() -> None:
    paper = report(RULES / "unresolved_refs.pdf")
    (finding,) = paper["findings"]
    assert finding["code"] == "REF001" and finding["page"] == 1
    assert "Figure ??" in finding["message"]


def test_wide_table_is_one_margin_warning() -> None:
    paper = report(RULES / "wide_table.pdf")
    (finding,) = paper["findings"]
    assert (finding["code"], finding["severity"], finding["page"]) == ("MARGIN001", "warning", 1)
    assert "by up to" in finding["message"]


@pytest.mark.parametrize("name", sorted(path.name for path in PAPERS.glob("*.pdf")))
def test_fixture_papers_have_nothing_in_the_margin(name: str) -> None:
    assert "MARGIN001" not in codes(PAPERS / name)


def test_example_volume_passes_its_venue_rules() -> None:
    code, result = check_json(Path(__file__).resolve().parents[1] / "papers")
    assert code == 0
    assert result["summary"]["errors"] == 0 and result["summary"]["warnings"] == 0
