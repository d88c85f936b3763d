"""Bad input: one clear finding on the file, no traceback, and the rest of the run goes on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import BAD, PAPERS, check_json, run_cli

GOOD = PAPERS / "long_refs_mid_p5.pdf"

UNREADABLE = {
    "empty.pdf": "is empty (0 bytes)",
    "not_a_pdf.pdf": "is not a PDF",
    "truncated.pdf": "is damaged",
    "encrypted_user.pdf": "is encrypted with a password",
    "no_pages.pdf": "has no pages",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_file_is_one_error_finding_and_others_are_still_checked(name: str) -> None:
    code, report = check_json(BAD / name, GOOD)
    bad, good = report["papers"]
    assert bad["status"] == "error"
    assert [finding["code"] for finding in bad["findings"]] == ["PDF001"]
    assert name in bad["findings"][0]["message"]
    assert UNREADABLE[name] in bad["findings"][0]["message"]
    assert good["status"] == "pass" and good["body_end"]["page"] == 5
    assert code == 1


@pytest.mark.parametrize("name", [*sorted(UNREADABLE), "image_only.pdf"])
def test_text_report_has_no_traceback(name: str) -> None:
    result = run_cli("check", BAD / name, GOOD)
    assert "Traceback" not in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("Checked 2 papers:")


def test_password_finding_says_how_to_fix_it() -> None:
    _, report = check_json(BAD / "encrypted_user.pdf")
    assert "without a password" in report["papers"][0]["findings"][0]["hint"]


def test_encrypted_without_user_password_is_checked_normally() -> None:
    code, report = check_json(BAD / "encrypted_owner.pdf", "--track", "tiny")
    paper = report["papers"][0]
    assert paper["status"] == "pass"
    assert paper["body_end"]["heading"] == "REFERENCES"
    assert code == 0


def test_image_only_pdf_is_a_warning_without_a_verdict() -> None:
    code, report = check_json(BAD / "image_only.pdf")
    paper = report["papers"][0]
    assert [finding["code"] for finding in paper["findings"]] == ["PDF002"]
    assert paper["findings"][0]["severity"] == "warning"
    assert paper["body_end"] is None and paper["body_pages"] is None
    assert code == 0


def test_directory_named_like_a_pdf_is_a_finding(tmp_path: Path) -> None:
    folder = tmp_path / "x.pdf"
    folder.mkdir()
    code, report = check_json(folder, GOOD)
    assert report["papers"][0]["findings"][0]["code"] == "PDF001"
    assert "is a directory" in report["papers"][0]["findings"][0]["message"]
    assert report["papers"][1]["status"] == "pass"
    assert code == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_file_without_read_permission_is_a_finding(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    _, report = check_json(locked)
    assert "permission denied" in report["papers"][0]["findings"][0]["message"]


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    before = {path.name: path.read_bytes() for path in BAD.iterdir()}
    check_json(*sorted(BAD.iterdir()))
    assert {path.name: path.read_bytes() for path in BAD.iterdir()} == before


def test_page_tree_that_readers_count_differently_is_an_error(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page()
    pdf.save(tmp_path / "fine.pdf")
    data = (tmp_path / "fine.pdf").read_bytes()
    assert data.count(b"/Count 2") == 1
    (tmp_path / "count.pdf").write_bytes(data.replace(b"/Count 2", b"/Count 1"))
    code, report = check_json(tmp_path / "count.pdf", GOOD)
    damaged, good = report["papers"]
    finding = next(f for f in damaged["findings"] if f["code"] == "PDF005")
    assert finding["severity"] == "error"
    assert "PDFium finds 1 page, qpdf (used by the build) 2 pages" in finding["message"]
    assert good["status"] == "pass" and code == 1
