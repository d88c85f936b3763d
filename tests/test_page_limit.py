"""The page-limit engine on papers compiled from LaTeX with the ICLR-like style."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import PAPERS, check_json, expected_papers, run_cli

CASES = expected_papers()


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_body_end_matches_the_compiled_layout(case: dict[str, Any]) -> None:
    # The two-column fixture's 7 in block is another layout than ICLR's, rightly an error of
    # the layout rules; these cases are about the page limit.
    code, report = check_json(PAPERS / case["file"], "--track", case["track"], "--ignore", "LAYOUT")
    paper = report["papers"][0]
    assert paper["pages_total"] == case["pages_total"]
    assert paper["body_end"] is not None, paper["findings"]
    assert paper["body_end"]["page"] == case["body_end_page"]
    assert paper["body_end"]["fraction"] == pytest.approx(case["body_end_fraction"], abs=0.06)
    heading = paper["body_end"]["heading"].upper().replace(" ", "")
    assert case["body_end_heading"].upper().replace(" ", "") in heading
    over = [finding for finding in paper["findings"] if finding["code"] == "PAGE001"]
    assert bool(over) == (not case["within_limit"])
    if not case["file"].startswith("review"):  # review mode is reported by its own rules
        assert paper["status"] == ("pass" if case["within_limit"] else "fail")
        assert code == (0 if case["within_limit"] else 1)


def test_over_the_limit_says_how_far_and_where() -> None:
    result = run_cli("check", PAPERS / "long_refs_p6_40.pdf")
    assert result.exit_code == 1
    assert (
        "main text runs to 5.40 pages; the long-paper limit is 5 "
        "(REFERENCES starts on page 6, 40% down)" in result.output
    )
    assert "PAGE001" in result.output


def test_references_at_the_top_of_page_six_is_exactly_five_pages() -> None:
    code, report = check_json(PAPERS / "long_refs_top_p6.pdf")
    assert code == 0
    assert report["papers"][0]["body_pages"] == 5.0


def test_acknowledgments_and_disclosure_before_references_do_not_count() -> None:
    # The references stand halfway down page 6; the body ends where the acknowledgments start.
    code, report = check_json(PAPERS / "ack_llm_before_refs.pdf")
    paper = report["papers"][0]
    assert paper["body_end"]["heading"] == "ACKNOWLEDGMENTS"
    assert paper["body_pages"] == 5.0
    assert code == 0


def test_run_in_acknowledgements_paragraph_ends_the_body() -> None:
    _, report = check_json(PAPERS / "runin_ack.pdf")
    assert report["papers"][0]["body_end"]["heading"] == "Acknowledgements"


def test_words_references_and_appendix_in_the_body_do_not_end_it() -> None:
    _, report = check_json(PAPERS / "body_mentions.pdf")
    body_end = report["papers"][0]["body_end"]
    # "3.5 References" on page 3 and sentences opening with the words are body text.
    assert (body_end["page"], body_end["heading"]) == (4, "REFERENCES")


def test_tiny_track_limit_applies_to_the_same_pdf() -> None:
    long_code, _ = check_json(PAPERS / "tiny_over.pdf", "--track", "long")
    tiny_code, report = check_json(PAPERS / "tiny_over.pdf", "--track", "tiny")
    assert (long_code, tiny_code) == (0, 1)
    message = report["papers"][0]["findings"][0]["message"]
    assert "the tiny-paper limit is 2" in message


def test_page_limit_option_overrides_the_track() -> None:
    code, report = check_json(PAPERS / "long_refs_p6_40.pdf", "--page-limit", "6")
    assert code == 0
    assert report["papers"][0]["page_limit"] == 6


def test_not_counted_option_adds_a_heading_name() -> None:
    _, before = check_json(PAPERS / "long_refs_p6_40.pdf")
    _, after = check_json(PAPERS / "long_refs_p6_40.pdf", "--not-counted", "Conclusion")
    assert before["papers"][0]["body_end"]["heading"] == "REFERENCES"
    assert after["papers"][0]["body_end"]["heading"] == "6 CONCLUSION"
    assert after["papers"][0]["body_pages"] < before["papers"][0]["body_pages"]


def test_review_mode_line_numbers_do_not_move_the_body_end() -> None:
    _, final = check_json(PAPERS / "long_refs_mid_p5.pdf")
    _, review = check_json(PAPERS / "review_mode.pdf")
    assert review["papers"][0]["body_end"]["heading"] == "REFERENCES"
    assert review["papers"][0]["body_pages"] == pytest.approx(
        final["papers"][0]["body_pages"], abs=0.03
    )
