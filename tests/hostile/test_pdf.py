"""Hostile PDFs: each is checked beside a good paper, in a run of its own family.

What each must give:
- a file that cannot be read is one error finding naming it (`PDF001`, or `PDF006`/`PDF004`
  when reading it had to be stopped), status `error`;
- a file whose damage a reader repairs (a broken cross-reference table, loops, nesting,
  broken font encodings, a page without contents) is read like the good paper it was made
  from: five pages, the references on page 5, no error; where only PDFium repairs it and
  qpdf (the build) does not, one `PDF005` as well;
- a file of blank pages is one warning (`PDF002`) and no verdict;
and in every run the good paper passes, nothing prints a traceback, and the exit code is 1
when some file has an error, else 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from hostile import make
from hostile.runner import check_json, errors, papers_by_file

GOOD = make.GOOD_PDF
# A run of a few files stays far below this; the time limit per paper is 30 s (--timeout).
BOUND = 40.0


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.write_pdfs(tmp_path_factory.mktemp("hostile") / "pdf")


# What each file gives: ("unreadable", codes, words of the message), ("as good",) or
# ("blank", pages) or ("any",) for random damage, where only the general promises hold.
Outcome = tuple[Any, ...]


def outcome(name: str) -> Outcome:
    if name.startswith("truncated_"):
        if name == max(make.truncated(GOOD.read_bytes())):
            return ("as good",)  # only the final `%%EOF` is missing
        return ("unreadable", {"PDF001"}, "is damaged and cannot be opened")
    if name.startswith("flipped_"):
        return ("any",)
    return OUTCOMES[name]


OUTCOMES: dict[str, Outcome] = {
    "zero_bytes.pdf": ("unreadable", {"PDF001"}, "is empty (0 bytes)"),
    "x.pdf": ("unreadable", {"PDF001"}, "is a directory, not a PDF file"),
    "page_tree_page_kids.pdf": ("unreadable", {"PDF001"}, "is damaged: page 1 cannot be read"),
    # The worker runs out of its 1 GiB (PDFium aborts) or, on a machine where inflating is
    # slow, out of time: either way the paper is stopped and named.
    "bomb.pdf": ("unreadable", {"PDF006", "PDF004"}, ""),
    "xref_offsets.pdf": ("as good",),
    "xref_garbage.pdf": ("as good",),
    "xref_missing.pdf": ("as good",),
    "self_reference_contents.pdf": ("as good",),
    "self_reference_resources.pdf": ("as good",),
    "self_reference_font.pdf": ("as good",),
    # PDFium repairs these; qpdf, which the build copies pages with, does not (a loop in the
    # page tree; a page nested too deep to parse): read as good, and one PDF005.
    "page_tree_loop.pdf": ("ambiguous", "cannot list them: Loop detected"),
    "page_tree_self.pdf": ("ambiguous", "cannot list them: Loop detected"),
    "nested_arrays.pdf": ("ambiguous", "qpdf (used by the build) 4 pages"),
    "nested_dicts.pdf": ("ambiguous", "qpdf (used by the build) 4 pages"),
    "nested_content.pdf": ("as good",),
    "font_differences.pdf": ("as good",),
    "font_tounicode.pdf": ("as good",),
    "font_tounicode_array.pdf": ("as good",),
    "no_contents_page1.pdf": ("as good",),  # page 1 is blank; pages 2-5 are read
    "no_contents_blank.pdf": ("blank", 1),
    # Structures that made a careless reader exponential or quadratic: each is read in a few
    # milliseconds (`test_hostile_structures_are_read_at_once`), as one page of text whose
    # end of the main text is not found (PAGE002); the page tree qpdf refuses is PDF005 too.
    "structure_comment_font.pdf": ("read", 1, set()),
    "structure_cyclic_resources.pdf": ("read", 1, set()),
    "structure_cyclic_page_tree.pdf": ("read", 1, {"PDF005"}),
    "structure_deep_page_tree.pdf": ("unreadable", {"PDF001"}, "page 1 cannot be read"),
    # qpdf lists a dictionary's keys by parsing every value (it drops the nulls), and each
    # string that never closes is scanned to the end of the file: about 10 s here, for the
    # check and for the build alike. Read in full, or stopped by the time limit naming the
    # step (`test_time_limit_names_the_step`).
    "structure_unclosed_strings.pdf": ("slow", 1),
    "blank_10000.pdf": ("blank", make.BLANK_PAGES),
}

FAMILIES = {
    "truncated": "truncated_",
    "flipped": "flipped_",
    "xref": "xref_",
    "self_reference": "self_reference_",
    "page_tree": "page_tree_",
    "nested": "nested_",
    "font": "font_",
    "no_contents": "no_contents_",
    "structure": "structure_",
    "empty": ("zero_bytes.pdf", "x.pdf"),
}


def assert_outcome(name: str, paper: dict[str, Any]) -> None:
    """`paper` (its report) is what `outcome(name)` says."""
    expected = outcome(name)
    findings = paper["findings"]
    codes = [finding["code"] for finding in findings]
    if expected[0] == "unreadable":
        _, allowed, words = expected
        assert paper["status"] == "error", (name, findings)
        assert len(findings) == 1 and codes[0] in allowed, (name, findings)
        assert name in findings[0]["message"] and words in findings[0]["message"], findings
        assert findings[0]["severity"] == "error" and findings[0]["hint"]
    elif expected[0] == "as good":
        assert paper["status"] == "pass", (name, findings)
        assert paper["pages_total"] == 5 and paper["body_end"]["page"] == 5, (name, paper)
        assert not errors(findings), (name, findings)
    elif expected[0] == "ambiguous":
        assert paper["pages_total"] == 5 and paper["body_end"]["page"] == 5, (name, paper)
        assert [finding["code"] for finding in errors(findings)] == ["PDF005"], (name, findings)
        assert expected[1] in errors(findings)[0]["message"], findings
    elif expected[0] in ("read", "slow"):
        if expected[0] == "slow" and paper["status"] == "error" and codes == ["PDF004"]:
            assert (
                "while reading the fonts, figures and annotations of page 1"
                in (findings[0]["message"])
            ), findings
            return
        assert paper["pages_total"] == expected[1] and "INT001" not in codes, (name, findings)
        wanted = expected[2] if expected[0] == "read" else set()
        assert {finding["code"] for finding in errors(findings)} == wanted, (name, findings)
        assert set(codes) - wanted <= {"PAGE002"}, (name, findings)
    elif expected[0] == "blank":
        assert paper["status"] == "pass" and paper["pages_total"] == expected[1], paper
        assert codes == ["PDF002"] and findings[0]["severity"] == "warning", findings
        assert "every page is blank" in findings[0]["message"]
        assert paper["body_pages"] is None and paper["body_end"] is None
    else:  # random damage: one clear error, or read as five pages
        if paper["status"] == "error":
            assert len(findings) == 1 and name in findings[0]["message"], (name, findings)
            assert codes[0] in ("PDF001", "PDF004", "PDF006"), (name, findings)
        else:
            assert paper["pages_total"] == 5 and "INT001" not in codes, (name, findings)


def run_beside_good(paths: list[Path], bound: float = BOUND) -> None:
    """Check `paths` and the good paper in one run; assert each file's outcome."""
    run, report = check_json(*paths, GOOD, bound=bound)
    papers = papers_by_file(report)
    assert sorted(papers) == sorted(str(path) for path in [*paths, GOOD])
    for path in paths:
        assert_outcome(path.name, papers[str(path)])
    good = papers[str(GOOD)]
    assert good["status"] == "pass" and good["findings"] == [], good
    assert good["body_end"]["page"] == 5
    has_errors = any(errors(paper["findings"]) for paper in report["papers"])
    assert run.code == (1 if has_errors else 0), (run.code, run.stderr)
    assert report["summary"]["papers"] == len(paths) + 1


SLOW = {"structure_unclosed_strings.pdf"}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_beside_a_good_paper(family: str, pdfs: dict[str, Path]) -> None:
    pattern = FAMILIES[family]
    names = sorted(
        name
        for name in pdfs
        if (name.startswith(pattern) if isinstance(pattern, str) else name in pattern)
        and name not in SLOW
    )
    assert names
    run_beside_good([pdfs[name] for name in names])


def test_hostile_structures_are_read_at_once(pdfs: dict[str, Path]) -> None:
    """A 600-byte file whose font is a run of comment markers, a page tree 5,000 levels deep,
    a cycle of figures reaching each other by 2^5000 paths, a page tree listing itself: each
    is read in milliseconds (a fraction of a second on a slow machine). The bound is the
    start of the command, the good paper and a second for each of the four, far below the
    minutes a backtracking or path-following reader spends on one."""
    names = [name for name in pdfs if name.startswith("structure_") and name not in SLOW]
    assert len(names) == 4
    assert pdfs["structure_comment_font.pdf"].stat().st_size <= 600
    run_beside_good([pdfs[name] for name in sorted(names)], bound=10)


def test_time_limit_names_the_step(pdfs: dict[str, Path]) -> None:
    """A paper stopped by the time limit says which step reading was in (here qpdf parsing
    4,000 damaged fonts), not a guess about figures; the good paper beside it passes."""
    from hostile.runner import proceedings

    slow = pdfs["structure_unclosed_strings.pdf"]
    run = proceedings("check", "--timeout", "2", "--format", "json", slow, GOOD, bound=30)
    papers = papers_by_file(run.report())
    (finding,) = papers[str(slow)]["findings"]
    assert finding["code"] == "PDF004", finding
    assert finding["message"] == (
        "structure_unclosed_strings.pdf took longer than 2 s to read and was stopped while "
        "reading the fonts, figures and annotations of page 1 (qpdf)"
    )
    assert "figures" not in finding["hint"]
    assert papers[str(GOOD)]["status"] == "pass"


def test_truncated_at_twenty_offsets_are_all_covered(pdfs: dict[str, Path]) -> None:
    cut = sorted(name for name in pdfs if name.startswith("truncated_"))
    assert len(cut) == make.TRUNCATION_POINTS
    assert (pdfs[cut[0]].stat().st_size, pdfs[cut[-1]].stat().st_size) == (
        5,
        GOOD.stat().st_size - len(b"%%EOF\n"),
    )


@pytest.mark.slow
def test_decompression_bomb_is_stopped(pdfs: dict[str, Path]) -> None:
    bomb = pdfs["bomb.pdf"]
    assert bomb.stat().st_size < 8 << 20  # a few megabytes that inflate to 4 GiB
    run_beside_good([bomb])


@pytest.mark.slow
def test_ten_thousand_blank_pages(pdfs: dict[str, Path]) -> None:
    run_beside_good([pdfs["blank_10000.pdf"]], bound=30)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_file_without_read_permission(tmp_path: Path) -> None:
    locked = make.write_locked(tmp_path)
    run, report = check_json(locked, GOOD, bound=BOUND)
    paper, good = report["papers"]
    assert [finding["code"] for finding in paper["findings"]] == ["PDF001"]
    assert "locked.pdf cannot be read (permission denied)" in paper["findings"][0]["message"]
    assert good["status"] == "pass" and run.code == 1


def test_permission_denied_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The message of an unreadable file, as root too: opening it is made to fail."""
    from proceedings.check import CheckOptions, check_paths
    from proceedings.parallel import Limits

    locked = make.write_locked(tmp_path)
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    report = check_paths([locked], CheckOptions(jobs=1, limits=Limits(seconds=0)))
    (paper,) = report.papers
    assert paper.status == "error"
    assert [(finding.code, finding.message) for finding in paper.findings] == [
        ("PDF001", "locked.pdf cannot be read (permission denied)")
    ]


@pytest.mark.slow
def test_whole_hostile_set_in_one_run(pdfs: dict[str, Path]) -> None:
    """Every hostile PDF and the good paper, in one run on two workers."""
    paths = [pdfs[name] for name in sorted(pdfs)]
    run, report = check_json("--jobs", "2", *paths, GOOD, bound=90)
    papers = papers_by_file(report)
    assert sorted(papers) == sorted(str(path) for path in [*paths, GOOD])
    for path in paths:
        assert_outcome(path.name, papers[str(path)])
    assert papers[str(GOOD)]["status"] == "pass"
    assert run.code == 1
    assert "Traceback" not in run.output


@pytest.mark.slow
def test_whole_hostile_set_in_the_text_report(pdfs: dict[str, Path]) -> None:
    from hostile.runner import proceedings

    paths = [pdfs[name] for name in sorted(pdfs)]
    run = proceedings("check", "--timeout", "30", *paths, GOOD, bound=90)
    for path in paths:
        assert str(path) in run.stdout
    summary = run.stdout.rstrip().splitlines()[-1]
    assert summary.startswith(f"Checked {len(paths) + 1} papers:"), summary
    assert run.code == 1
