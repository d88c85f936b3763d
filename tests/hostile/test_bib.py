"""Hostile BibTeX: each file holds a good entry and one hostile thing, and is checked together
with a good PDF.

A syntax error is a `BIB002` at its line (`BIB005` for a macro that is not defined), the good
entries around it are still read, the PDF still passes, and the exit code is 1; valid but huge
input (10,000 nested braces, a 10 MB value, 100,000 entries) is read in bounded time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from hostile import make
from hostile.runner import assert_findings, check_json, errors, papers_by_file

PDF = make.FIXTURES / "papers" / "tiny_pass.pdf"
BOUND = 20.0

# case: the error findings (code, line, words of the message); [] when the file is valid.
CASES: dict[str, list[tuple[str, int, str]]] = {
    "unbalanced_open": [("BIB002", 7, "entry `broken` cannot be read (up to line 12): a `{`")],
    # The extra `}` ends the entry early: its title has text after it and the rest of the
    # entry is stray text; one mistake, two errors on the same line.
    "unbalanced_close": [
        ("BIB002", 8, "entry `broken`, field `title`: text after the value: `twice`"),
        ("BIB002", 8, "a `}` too many closes the entry early"),
    ],
    "unterminated_entry": [("BIB002", 7, "entry `broken` cannot be read (up to line 11)")],
    "unterminated_value": [("BIB002", 7, "entry `broken` cannot be read (up to line 8)")],
    "braces_deep": [],
    "braces_deep_open": [("BIB002", 7, "entry `deep` cannot be read (up to line 12)")],
    "value_10mb": [],
    "string_loop": [
        ("BIB005", 1, "@string `a`: `b` is not a defined @string"),
        ("BIB005", 1, "@string `a`: `a` is not a defined @string (a macro cannot use itself)"),
    ],
    "string_doubling": [("BIB002", 23, "@string `s22`: `@string` macros expand to more than")],
    "entries_100000": [],
}
SLOW = {"entries_100000"}


def check_case(case: str, folder: Path, bound: float = BOUND) -> dict[str, Any]:
    path = folder / f"{case}.bib"
    path.write_text(make.BIB_CASES[case](), encoding="utf-8")
    run, report = check_json(path, PDF, bound=bound)
    bib: dict[str, Any]
    (bib,) = report["files"]
    assert bib["file"] == str(path) and bib["kind"] == "bib"
    found = sorted(
        (finding["code"], finding["line"], finding["message"])
        for finding in errors(bib["findings"])
    )
    expected = CASES[case]
    assert_findings(found, expected)
    assert papers_by_file(report)[str(PDF)]["status"] == "pass"
    assert run.code == (1 if expected else 0), run.stderr
    return bib


@pytest.mark.parametrize("case", sorted(set(make.BIB_CASES) - SLOW))
def test_bib_case(case: str, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_every_case_has_an_expectation() -> None:
    assert sorted(CASES) == sorted(make.BIB_CASES)


def test_entries_after_a_broken_one_are_still_read(tmp_path: Path) -> None:
    from proceedings.bib.parse import load_bib

    path = tmp_path / "refs.bib"
    path.write_text(make.BIB_CASES["unbalanced_open"](), encoding="utf-8")
    assert [entry.key for entry in load_bib(path).entries] == ["good", "good2"]


def test_string_doubling_stops_early_and_small(tmp_path: Path) -> None:
    from proceedings.bib.parse import MAX_EXPANSION, load_bib

    path = tmp_path / "bomb.bib"
    path.write_text(make.BIB_CASES["string_doubling"](), encoding="utf-8")
    start = time.monotonic()
    bib = load_bib(path)
    assert time.monotonic() - start < 5
    assert sum(len(value) for value in bib.strings.values()) <= MAX_EXPANSION
    assert [entry.key for entry in bib.entries] == ["good", "doubled"]
    assert bib.undefined_strings == []  # the macros after the limit are not each reported


@pytest.mark.slow
def test_hundred_thousand_entries(tmp_path: Path) -> None:
    """Read and checked in one run: about 15 s on a 2-core machine; the bound leaves room."""
    bib = check_case("entries_100000", tmp_path, bound=60)
    assert bib["status"] == "pass" and bib["findings"] == []
