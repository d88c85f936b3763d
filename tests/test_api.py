"""The Python API the command wraps: `import proceedings` gives what the command does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import proceedings
from conftest import FIXTURES, PAPERS
from proceedings.check import InputError

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"


def test_the_package_exports_its_api() -> None:
    for name in proceedings.__all__:
        value = getattr(proceedings, name)
        if callable(value) and name[0].islower():
            assert value.__doc__, name  # each function says what it does
    with pytest.raises(AttributeError):
        _ = proceedings.no_such_name  # the lazy __getattr__ makes any name type-check


def test_check_paths_decides_what_each_path_is(tmp_path: Path) -> None:
    bib = tmp_path / "volume.bib"
    bib.write_text("@InProceedings{x26a, title = {T}, author = {A, B}", encoding="utf-8")
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(PAPERS / "tiny_pass.pdf", folder / "a.pdf")
    report = proceedings.check_paths([bib, EXAMPLE, folder, PAPERS / "tiny_over.pdf"])
    # The .bib is a BibTeX file, not a PDF that cannot be opened.
    (bib_report,) = [item for item in report.files if item.kind == "bib"]
    assert bib_report.file == str(bib)
    assert {finding.code for finding in bib_report.findings} == {"BIB002"}
    assert not any(f.code == "PDF001" for paper in report.papers for f in paper.findings)
    # The volume's metadata and its ten papers, the folder's PDF, the loose PDF.
    assert {Path(item.file).name for item in report.files if item.kind == "metadata"} == {
        "volume.yaml",
        "papers.yaml",
        "program.yaml",
    }
    assert len(report.papers) == 10 + 1 + 1


def test_check_paths_refuses_a_folder_without_pdfs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no .pdf files"):
        proceedings.check_paths([tmp_path])


def test_check_paths_against_a_volume_checks_a_paper_against_its_entry() -> None:
    report = proceedings.check_paths([EXAMPLE / "pdf" / "71.pdf"], volume=EXAMPLE)
    (paper,) = report.papers
    assert (paper.id, paper.track, paper.page_limit) == ("71", "tiny", 2)


def test_check_volume_and_options_from_python() -> None:
    options = proceedings.CheckOptions(track="tiny")
    report = proceedings.check_paths([FIXTURES / "papers" / "tiny_over.pdf"], options)
    assert [f.code for f in report.papers[0].findings] == ["PAGE001"]
    assert report.papers[0].findings[0].severity is proceedings.Severity.ERROR
    assert not proceedings.check_volume(EXAMPLE).errors
