"""The BibTeX rules on real files: published PMLR volumes and reference lists of real papers.

Both live outside the repository (`../shared/pmlr/`, `../shared/corpus/bib/`); the tests skip
when they are absent.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from proceedings.bib import load_bib
from proceedings.bib.text import comparable
from proceedings.check import check_bib
from proceedings.report import FileReport, Finding, Severity

PMLR = Path(__file__).resolve().parents[2] / "shared" / "pmlr"


@pytest.fixture(scope="module")
def pmlr() -> Path:
    if not (PMLR / "v296.bib").is_file():
        pytest.skip(f"the published PMLR volume files are not present at {PMLR}")
    return PMLR


def check(folder: Path, name: str) -> FileReport:
    return check_bib(folder / name)


def at(report: FileReport, code: str) -> list[int | None]:
    return [item.line for item in report.findings if item.code == code]


def only(report: FileReport, code: str, line: int) -> Finding:
    matches = [item for item in report.findings if item.code == code and item.line == line]
    assert len(matches) == 1, (code, line, report.findings)
    return matches[0]


def counts(report: FileReport) -> dict[str, int]:
    return dict(Counter(item.code for item in report.findings))


def _named_key(message: str) -> str:
    """The key a finding's message names (`key `x26a``)."""
    key = re.search(r"key `([^`]+)`", message)
    assert key is not None, message
    return key.group(1)


# --- published PMLR volumes: each real mistake where it really occurs ------------------------


def test_v187_first_last_author_order(pmlr: Path) -> None:
    report = check(pmlr, "v187.bib")
    assert counts(report) == {"PMLR001": 1, "PMLR006": 1, "PMLR009": 1}
    # moturu22: `Abhishek Moturu and Sayali Joshi and Andrea S. Doria and Anna Goldenberg`
    order = only(report, "PMLR009", 238)
    assert "`Abhishek Moturu`" in order.message and "`Moturu, Abhishek`" in order.message
    # The @Proceedings entry has no `name` (the only error); keys lack the trailing letter,
    # and `simran22` is named after the first author's given name (Kaur, Simran).
    assert "`name`" in only(report, "PMLR001", 1).message
    assert "`Kaur`" in only(report, "PMLR006", 148).message


def test_v239_published_before_the_workshop(pmlr: Path) -> None:
    report = check(pmlr, "v239.bib")
    assert counts(report) == {"PMLR001": 1, "PMLR003": 1, "PMLR010": 1}
    published = only(report, "PMLR003", 15)  # published = {2023-04-24}, workshop 2023-12-16
    assert "2023-04-24" in published.message and "2023-12-16" in published.message
    assert "’" in only(report, "PMLR010", 75).message  # a curly apostrophe in schwinn23


def test_v296_published_mistakes(pmlr: Path) -> None:
    report = check(pmlr, "v296.bib")
    assert counts(report) == {
        "PMLR001": 1,
        "PMLR006": 1,
        "PMLR007": 2,
        "PMLR008": 2,
        "PMLR010": 3,
        "PMLR014": 1,
        "PMLR021": 1,
    }
    # overlapping page ranges: mayilvahanan25 90-130, gorantla25 130-140
    overlap = only(report, "PMLR014", 102)
    assert "130-140" in overlap.message and "90-130" in overlap.message
    # trailing commas in author lists
    assert "`Tran, Dung,`" in only(report, "PMLR007", 42).message
    assert "`Smirnov, Oleg,`" in only(report, "PMLR007", 49).message
    # raw Unicode in names
    assert "Thaddäus" in only(report, "PMLR008", 94).message
    assert "Öğüt" in only(report, "PMLR008", 108).message
    # a paper carrying another paper's title: wu25's abstract is about attacks on cloud APIs
    assert "`wu25`" in only(report, "PMLR021", 34).message
    # curly apostrophes in abstracts
    assert at(report, "PMLR010") == [58, 103, 117]
    # the @Proceedings key `icbinb-2023` was copied from the 2023 volume
    assert "icbinb-2023" in only(report, "PMLR006", 1).message


def test_v296_carries_the_title_of_a_v239_paper(pmlr: Path) -> None:
    titles = {
        entry.key: comparable(entry.get("title")) for entry in load_bib(pmlr / "v239.bib").papers
    }
    wu25 = next(entry for entry in load_bib(pmlr / "v296.bib").papers if entry.key == "wu25")
    assert titles["lazovich23"] == comparable(wu25.get("title"))


def test_v296_clean_keeps_the_mistakes_that_are_not_unicode(pmlr: Path) -> None:
    """v296_clean.bib has LaTeX accents and ASCII apostrophes; the other mistakes remain.

    Its errors: the two trailing commas (PMLR007) and the overlapping ranges (PMLR014). Its
    warnings: `name` missing from @Proceedings (PMLR001, as PMLR took such volumes), the
    copied @Proceedings key (PMLR006), and wu25's title (PMLR021).
    """
    report = check(pmlr, "v296_clean.bib")
    assert counts(report) == {
        "PMLR001": 1,
        "PMLR006": 1,
        "PMLR007": 2,
        "PMLR014": 1,
        "PMLR021": 1,
    }
    errors = [(item.code, item.line) for item in report.findings if item.severity is Severity.ERROR]
    assert errors == [("PMLR007", 42), ("PMLR007", 49), ("PMLR014", 102)]


@pytest.mark.parametrize("name", ["v187.bib", "v239.bib", "v296.bib", "v296_clean.bib"])
def test_volumes_are_volumes_and_every_finding_names_a_line(pmlr: Path, name: str) -> None:
    bib = load_bib(pmlr / name)
    assert bib.is_pmlr_volume and not bib.syntax_errors
    report = check(pmlr, name)
    assert all(item.line is not None for item in report.findings)
    assert not any(item.code.startswith("BIB") for item in report.findings)


# --- real reference lists against the corpus manifest -------------------------------------


def manifest(corpus: Path) -> list[dict[str, Any]]:
    path = corpus / "bib" / "manifest.jsonl"
    if not path.is_file():
        pytest.skip(f"no reference lists at {path.parent}")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_reference_lists_match_the_manifest(corpus: Path) -> None:
    for item in manifest(corpus):
        path = corpus / "bib" / item["file"]
        bib = load_bib(path)
        assert bib.load_error is None and not bib.syntax_errors, item["file"]
        assert not bib.is_pmlr_volume, item["file"]
        assert len(bib.entries) == item["entries"], item["file"]
        assert dict(Counter(entry.type for entry in bib.entries)) == item["entry_types"]

        report = check_bib(path)
        duplicated = Counter(
            _named_key(finding.message) for finding in report.findings if finding.code == "BIB003"
        )
        expected = {key: count - 1 for key, count in item["duplicate_keys"].items()}
        assert dict(duplicated) == expected, item["file"]


def test_titles_under_several_keys_match_the_manifest(corpus: Path) -> None:
    """The manifest counts titles that occur under more than one key; so do BIB007 and BIB003."""
    for item in manifest(corpus):
        noted = re.search(r"(\d+) titles occur under >1 key", item["notes"])
        report = check_bib(corpus / "bib" / item["file"])
        groups = _groups(
            (finding.line, int(re.findall(r"line (\d+)\)", finding.message)[-1]))
            for finding in report.findings
            if finding.code in ("BIB003", "BIB007")
        )
        assert groups == (int(noted.group(1)) if noted else 0), item["file"]


def test_entries_without_a_year_match_the_manifest(corpus: Path) -> None:
    for item in manifest(corpus):
        noted = re.search(r"(\d+) entries without year", item["notes"])
        report = check_bib(corpus / "bib" / item["file"])
        without = [
            finding
            for finding in report.findings
            if finding.code == "BIB006" and "`year`" in finding.message
        ]
        assert len(without) == (int(noted.group(1)) if noted else 0), item["file"]


def test_problems_noticed_by_hand(corpus: Path) -> None:
    def report(name: str) -> FileReport:
        manifest(corpus)
        return check_bib(corpus / "bib" / name)

    kdd = report("kdd19_xai_bibliography.bib")
    assert any("`kangdebugging`" in f.message for f in kdd.findings if f.code == "BIB006")
    uni = report("iclr24_uni_graph_reference.bib")
    assert [f.line for f in uni.findings if f.code == "BIB003"] == [1117, 1139]
    # not in the manifest, found by the rules and checked by hand:
    semeval = report("semeval25_chinchunmei_custom.bib")
    assert [(f.code, f.line) for f in semeval.findings] == [("BIB005", 269)]  # month = july
    cec = report("cec21_isklearn_bibl.bib")
    assert [(f.code, f.line) for f in cec.findings] == [("BIB011", 98), ("BIB006", 101)]
    assert "cs.LG/1708.07747" in cec.findings[0].message
    refusal = report("iclr26_refusal_index_reference.bib")
    assert Counter(f.code for f in refusal.findings) == {"BIB007": 7}
    for name in (
        "inlg24_ngram_custom.bib",
        "kdd19_xai_kdd_2019.bib",
        "acl_attention_sink_custom.bib",
    ):
        assert report(name).findings == [], name


def _groups(pairs: Any) -> int:
    """The number of connected groups among the lines linked by `pairs`."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[find(a)] = find(b)
    return len({find(node) for node in parent})
