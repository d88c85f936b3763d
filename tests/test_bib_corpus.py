"""Every BIB rule over the real reference lists of `../shared/corpus/bib/`, through the CLI.

Each finding on these files was judged by reading its entry (and, for the BibTeX behaviour,
by running BibTeX with plainnat on a copy). The errors listed here are the only true ones;
every other error would be a false alarm on a real file. The warnings are counted per file and
rule, each judged true: a new one is either a new false alarm or a rule that got stricter.
Skips when the corpus is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import check_json
from test_bib_real import manifest

# (file, code, line) -> why it is a real problem
TRUE_ERRORS: dict[tuple[str, str, int], str] = {
    ("cec21_isklearn_bibl.bib", "BIB011", 98): (
        "`eprint = {cs.LG/1708.07747}` (copied from the Fashion-MNIST README): the category "
        "before a new-style identifier is no arXiv identifier, and biblatex links it to "
        "arxiv.org/abs/cs.LG/1708.07747"
    ),
    ("iclr24_uni_graph_reference.bib", "BIB003", 1117): (
        "`vaswani2017attention` defined twice (the manifest lists it)"
    ),
    ("iclr24_uni_graph_reference.bib", "BIB003", 1139): (
        "`dwivedi2021generalization` defined twice (the manifest lists it)"
    ),
    ("kdd19_xai_bibliography.bib", "BIB003", 212): (
        "`hardt2016equality` defined twice (the manifest lists it)"
    ),
    ("semeval25_chinchunmei_custom.bib", "BIB005", 269): (
        "`month = july` names no macro (BibTeX's is `jul`): BibTeX warns and prints no month"
    ),
}

# file -> warnings by rule, each read and judged true:
# BIB006: @article entries without a journal (Zotero's imports of lecture notes and papers
#   from their PDFs, `chenWHDL2020gcnii` an @article with a booktitle, `svhn` a workshop
#   paper), and the entries without a year the manifest counts;
# BIB007: the titles under several keys the manifest counts, and two arXiv preprints cited
#   twice under different keys in iclr26_refusal_index_reference.bib.
TRUE_WARNINGS: dict[str, dict[str, int]] = {
    "acl_attention_sink_custom.bib": {},
    "cec21_isklearn_bibl.bib": {"BIB006": 1},
    "gecco18_sample-bibliography.bib": {},
    "iclr24_attribution_flow.bib": {"BIB006": 11, "BIB007": 1},
    "iclr24_uni_graph_reference.bib": {"BIB006": 4, "BIB007": 8},
    "iclr26_refusal_index_reference.bib": {"BIB007": 7},
    "inlg24_ngram_custom.bib": {},
    "kdd19_xai_bibliography.bib": {"BIB006": 1},
    "kdd19_xai_kdd_2019.bib": {},
    "semeval25_chinchunmei_custom.bib": {},
}


@pytest.fixture(scope="module")
def reports(corpus: Path) -> dict[str, dict[str, Any]]:
    """The JSON report of `proceedings check FILE --format json` for each corpus .bib."""
    found: dict[str, dict[str, Any]] = {}
    for item in manifest(corpus):
        path = corpus / "bib" / item["file"]
        _, report = check_json(str(path))
        (found[item["file"]],) = report["files"]
    return found


def test_every_reference_list_is_checked(reports: dict[str, dict[str, Any]]) -> None:
    assert sorted(reports) == sorted(TRUE_WARNINGS)
    for name, report in reports.items():
        assert report["kind"] == "bib", name
        assert all(item["line"] is not None for item in report["findings"]), name


def test_no_error_but_the_true_ones(reports: dict[str, dict[str, Any]]) -> None:
    errors = {
        (name, item["code"], item["line"])
        for name, report in reports.items()
        for item in report["findings"]
        if item["severity"] == "error"
    }
    false = sorted(errors - set(TRUE_ERRORS))
    missed = sorted(set(TRUE_ERRORS) - errors)
    assert not false, f"errors on correct entries: {false}"
    assert not missed, f"real problems no longer reported: {missed}"


def test_warnings_are_the_judged_ones(reports: dict[str, dict[str, Any]]) -> None:
    for name, report in reports.items():
        warnings = Counter(
            item["code"] for item in report["findings"] if item["severity"] == "warning"
        )
        assert dict(warnings) == TRUE_WARNINGS[name], name


def test_files_with_errors_fail_and_the_others_pass(reports: dict[str, dict[str, Any]]) -> None:
    failing = {name for name, _, _ in TRUE_ERRORS}
    for name, report in reports.items():
        assert report["status"] == ("fail" if name in failing else "pass"), name
