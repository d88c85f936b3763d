"""Inputs that would hang the main process, fill its memory or make papers and rules vanish.

Each case is made from the good volume of two papers (`make.write_volume`) by one change: a
file replaced by a FIFO, a device, a folder, a link out of the volume or a file past the size
cap; a key given twice; a page limit or a severity that would disable a rule. Each runs
through the command line in a process of its own under the runner's time and memory bounds
(a FIFO that blocked would fail the test instead of stalling it) and must give the findings
expected, naming file and line, with exit status 1 or 2, and leave every input byte as it
was.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hostile import make
from hostile.runner import assert_findings, check_json, proceedings
from volumes import VOLUME_YAML

Setup = Callable[[Path], object]

BOUND = 20.0
UNREADABLE = 2
ERRORS = 1
OVER_CAP = (20 << 20) + 1
PREFACE = "frontmatter:\n  preface: preface.md\n"
PREFACE_LINE = VENUE_LINE = 23  # the key under the block appended to volume.yaml
LONG_LIMIT_LINE = 18


def _fifo(name: str) -> Setup:
    return lambda root: _replace(root / name, lambda path: os.mkfifo(path))


def _link(name: str, target: str) -> Setup:
    return lambda root: _replace(root / name, lambda path: path.symlink_to(target))


def _folder(name: str) -> Setup:
    return lambda root: _replace(root / name, lambda path: path.mkdir())


def _replace(path: Path, make_it: Setup) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    make_it(path)


def _text(name: str, text: str | bytes) -> Setup:
    data = text.encode() if isinstance(text, str) else text
    return lambda root: (root / name).write_bytes(data)


def _papers(old: str, new: str) -> Setup:
    return _text("papers.yaml", make._papers(old, new)["papers.yaml"])


def _volume(extra: str) -> Setup:
    return _text("volume.yaml", VOLUME_YAML + extra)


def _limit(value: str) -> Setup:
    text = VOLUME_YAML.replace("    page_limit: 5\n", f"    page_limit: {value}\n", 1)
    return _text("volume.yaml", text)


def _with_preface(data: bytes | None) -> Setup:
    def setup(root: Path) -> None:
        _volume(PREFACE)(root)
        if data is not None:
            (root / "preface.md").write_bytes(data)

    return setup


def _preface_fifo(root: Path) -> None:
    _volume(PREFACE)(root)
    os.mkfifo(root / "preface.md")


def _outside_pdf(root: Path) -> None:
    outside = root.parent / "elsewhere.pdf"
    outside.write_bytes(make.GOOD_PDF.read_bytes())
    _link("pdf/1.pdf", str(outside))(root)


SEVERITY_CASE = "venue:\n  severities:\n    {}: off\n"


def _severity(key: str) -> Setup:
    """`key: off` in the venue's severities, and a paper whose title is a number."""

    def setup(root: Path) -> None:
        _volume(SEVERITY_CASE.format(key))(root)
        _papers(make.FIRST_TITLE, "title: 42")(root)

    return setup


TITLE_NUMBER = ("VOL003", "papers.yaml", 3, "papers[0].title: must be text")

Finding = tuple[str, str, int | None, str]

# case: (how the good volume is changed, exit status, the metadata findings expected).
CASES: dict[str, tuple[Setup, int, list[Finding]]] = {
    "papers_fifo": (_fifo("papers.yaml"), UNREADABLE, [("VOL001", "papers.yaml", None, "FIFO")]),
    "volume_fifo": (_fifo("volume.yaml"), UNREADABLE, [("VOL001", "volume.yaml", None, "FIFO")]),
    "papers_dev_zero": (
        _link("papers.yaml", "/dev/zero"),
        UNREADABLE,
        [("VOL001", "papers.yaml", None, "is a device, not a regular file")],
    ),
    "papers_folder": (
        _folder("papers.yaml"),
        UNREADABLE,
        [("VOL001", "papers.yaml", None, "is a folder, not a regular file")],
    ),
    "papers_over_cap": (
        _text("papers.yaml", make.PAPERS_YAML + "#" * OVER_CAP + "\n"),
        UNREADABLE,
        [("VOL001", "papers.yaml", None, "is larger than 20 MB")],
    ),
    "papers_twice": (
        _text("papers.yaml", make.PAPERS_YAML + "papers:\n  - id: '3'\n"),
        UNREADABLE,
        [("VOL001", "papers.yaml", 19, "repeats the key 'papers' of line 1")],
    ),
    "title_twice": (
        _papers(make.FIRST_TITLE, make.FIRST_TITLE + "\n    title: Another Title"),
        UNREADABLE,
        [("VOL001", "papers.yaml", 4, "repeats the key 'papers[0].title' of line 3")],
    ),
    "severities_twice": (
        _volume("venue:\n  severities:\n    FONT: off\n    FONT: error\n"),
        UNREADABLE,
        [("VOL001", "volume.yaml", 25, "repeats the key 'venue.severities.FONT' of line 24")],
    ),
    "preface_fifo": (
        _preface_fifo,
        ERRORS,
        [("VOL016", "volume.yaml", PREFACE_LINE, "'preface.md' is a FIFO")],
    ),
    "preface_not_utf8": (
        _with_preface(b"A preface.\n\nBy the editors, caf\xe9.\n"),
        ERRORS,
        [("VOL016", "volume.yaml", PREFACE_LINE, "is not UTF-8 text (byte 0xe9 on line 3)")],
    ),
    "preface_missing": (
        _with_preface(None),
        ERRORS,
        [("VOL016", "volume.yaml", PREFACE_LINE, "'preface.md' does not exist")],
    ),
    "pdf_link_out": (
        _outside_pdf,
        ERRORS,
        [("VOL008", "papers.yaml", 2, "the PDF pdf/1.pdf is a link that leaves the volume")],
    ),
    "pdf_link_to_nothing": (
        _link("pdf/1.pdf", "gone.pdf"),
        ERRORS,
        [("VOL007", "papers.yaml", 2, "pdf/1.pdf is a link to a file that does not exist")],
    ),
    "pdf_link_to_nothing_outside": (
        _link("pdf/1.pdf", "/nonexistent/1.pdf"),
        ERRORS,
        [("VOL008", "papers.yaml", 2, "the PDF pdf/1.pdf is a link that leaves the volume")],
    ),
    "pdf_fifo": (
        _fifo("pdf/1.pdf"),
        ERRORS,
        [("VOL007", "papers.yaml", 2, "pdf/1.pdf is a FIFO (named pipe), not a regular file")],
    ),
    **{
        f"page_limit_{name}": (
            _limit(value),
            ERRORS,
            [("VOL003", "volume.yaml", LONG_LIMIT_LINE, f"tracks[0].page_limit: {words}")],
        )
        for name, value, words in (
            ("nan", ".nan", "must be a number of pages above 0, not nan"),
            ("inf", ".inf", "must be a number of pages above 0, not inf"),
            ("zero", "0", "must be a number of pages above 0, not 0"),
            ("negative", "-3", "must be a number of pages above 0, not -3"),
            ("true", "true", "must be a number of pages above 0, not True"),
        )
    },
    **{
        f"severity_{name}": (
            _severity(key),
            ERRORS,
            [
                ("VOL015", "volume.yaml", VENUE_LINE + 1, words),
                TITLE_NUMBER,  # the rules the entry would have turned off still run
            ],
        )
        for name, key, words in (
            ("empty", "''", "'' is not the code of a rule"),
            ("blank", "'  '", "'  ' is not the code of a rule"),
            ("null", "~", "None is not the code of a rule"),
            ("unknown", "VOL99", "'VOL99' is not the code of a rule"),
        )
    },
    "severity_level": (
        _volume("venue:\n  severities:\n    VOL003: loud\n    VOL002: ''\n"),
        ERRORS,
        [
            ("VOL015", "volume.yaml", 24, "'loud' is not a severity (error, warning, info, off)"),
            ("VOL015", "volume.yaml", 25, "'' is not a severity"),
        ],
    ),
}


def snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under `folder` as it stands: a file's digest, a link's target, a kind."""
    entries: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        name = str(path.relative_to(folder))
        if stat.S_ISLNK(mode):
            entries[name] = ("link", os.readlink(path))
        elif stat.S_ISREG(mode):
            entries[name] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            entries[name] = ("other", stat.S_IFMT(mode))
    return entries


def metadata_findings(report: dict[str, Any]) -> list[Finding]:
    return [
        (finding["code"], finding["file"], finding.get("line"), finding["message"])
        for item in report["files"]
        for finding in item["findings"]
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_volume_case(case: str, tmp_path: Path) -> None:
    change, code, expected = CASES[case]
    volume = make.write_volume(tmp_path / "papers")
    change(volume)
    before = snapshot(tmp_path)
    run, report = check_json(volume, bound=BOUND, cwd=tmp_path)
    assert_findings(metadata_findings(report), expected)
    assert run.code == code, (run.code, run.stdout[-2000:])
    assert snapshot(tmp_path) == before


def test_a_paper_whose_pdf_leaves_the_volume_is_not_checked(tmp_path: Path) -> None:
    volume = make.write_volume(tmp_path / "papers")
    _outside_pdf(volume)
    _, report = check_json(volume, bound=BOUND, cwd=tmp_path)
    assert [Path(paper["file"]).name for paper in report["papers"]] == ["2.pdf"]


def test_a_refused_page_limit_is_replaced_by_the_default(tmp_path: Path) -> None:
    volume = make.write_volume(tmp_path / "papers")
    _limit(".inf")(volume)
    _, report = check_json(volume, bound=BOUND, cwd=tmp_path)
    limits = {Path(paper["file"]).name: paper["page_limit"] for paper in report["papers"]}
    assert limits == {"1.pdf": 5, "2.pdf": 2}


def test_a_refused_severity_is_not_applied(tmp_path: Path) -> None:
    """`'': off` would match every rule: the paper's findings must survive it."""
    volume = make.write_volume(tmp_path / "papers")
    over = VOLUME_YAML.replace("    page_limit: 5\n", "    page_limit: 1\n", 1)
    (volume / "volume.yaml").write_text(over + SEVERITY_CASE.format("''"), encoding="utf-8")
    _, report = check_json(volume, bound=BOUND, cwd=tmp_path)
    first = next(paper for paper in report["papers"] if paper["file"].endswith("1.pdf"))
    assert "PAGE001" in [finding["code"] for finding in first["findings"]]


# --- BibTeX files ---------------------------------------------------------------------------

BIB_CASES: dict[str, tuple[Setup, str]] = {
    "bib_fifo": (lambda path: os.mkfifo(path), "is a FIFO (named pipe), not a regular file"),
    "bib_dev_zero": (lambda path: path.symlink_to("/dev/zero"), "is a device"),
    "bib_folder": (lambda path: path.mkdir(), "is a folder, not a regular file"),
    "bib_over_cap": (
        lambda path: path.write_bytes(make.GOOD_ENTRY.encode() + b"%" * OVER_CAP),
        "is larger than 20 MB",
    ),
}


@pytest.mark.parametrize("case", sorted(BIB_CASES))
def test_bib_case(case: str, tmp_path: Path) -> None:
    change, words = BIB_CASES[case]
    path = tmp_path / "references.bib"
    change(path)
    before = snapshot(tmp_path)
    run, report = check_json(path, bound=BOUND, cwd=tmp_path)
    [item] = report["files"]
    [finding] = item["findings"]
    assert finding["code"] == "BIB001"
    assert finding["message"].startswith(f"references.bib: {words}"), finding["message"]
    assert run.code == ERRORS
    assert snapshot(tmp_path) == before


# --- the build ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["papers_fifo", "papers_dev_zero", "preface_fifo", "papers_twice"])
def test_build_refuses_without_blocking_or_writing(case: str, tmp_path: Path) -> None:
    change, _, expected = CASES[case]
    volume = make.write_volume(tmp_path / "papers")
    change(volume)
    before = snapshot(tmp_path)
    run = proceedings("build", volume, "-o", tmp_path / "out", bound=BOUND, cwd=tmp_path)
    assert run.code in (ERRORS, UNREADABLE)
    code, file, line, words = expected[0]
    where = f"{file}:{line}" if line is not None else file
    assert code in run.stderr and where in run.stderr and words in run.stderr, run.stderr
    assert snapshot(tmp_path) == before  # no output folder either


# --- the HTML report ------------------------------------------------------------------------


def _page_boxes(path: Path, boxes: list[list[float]]) -> None:
    import pikepdf

    with pikepdf.open(make.GOOD_PDF) as pdf:
        for page, box in zip(pdf.pages, boxes, strict=False):
            page.MediaBox = pikepdf.Array(box)
            for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                if name in page.obj:
                    del page.obj[name]
        pdf.save(path)


def test_html_thumbnails_of_odd_page_boxes_stay_small(tmp_path: Path) -> None:
    """A page 0.2 pt wide would be drawn 80 pixels wide and 316,800 tall: it is left out with
    a note; a page as large as PDF allows is drawn as small as any other."""
    paper = tmp_path / "odd.pdf"
    _page_boxes(paper, [[0, 0, 0.2, 792], [0, 0, 14400, 14400], [0, 0, 612, 0.1]])
    before = snapshot(tmp_path)
    run = proceedings(
        "check", paper, "--format", "html", "-o", tmp_path / "report.html", bound=BOUND
    )
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Pages 1 (0.2 x 792 pt), 3 (612 x 0.1 pt) are too narrow or too wide" in page
    images = page.count('src="data:image/png;base64,')
    assert images == min(12, _pages(paper)) - 2
    assert run.code in (0, ERRORS)
    before["report.html"] = snapshot(tmp_path)["report.html"]
    assert snapshot(tmp_path) == before


def _pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


# --- importing from OpenReview --------------------------------------------------------------

EXPORT = make.TESTS / "fixtures" / "openreview" / "api_v2.json"
IMPORT_OPTIONS = (
    "--track-field",
    "submission_type",
    "--archival-field",
    "archival_option",
    "--archival-value",
    "Archival (published in PMLR)",
)


def _import(tmp_path: Path, export: Path = EXPORT) -> Any:
    return proceedings(
        "import",
        "openreview",
        export,
        "--papers",
        tmp_path / "papers.yaml",
        *IMPORT_OPTIONS,
        bound=BOUND,
        cwd=tmp_path,
    )


def _record_folder(folder: Path) -> None:
    (folder / "papers.yaml").write_text(make.PAPERS_YAML, encoding="utf-8")
    (folder / "papers.yaml.imported.json").mkdir()


IMPORT_CASES: dict[str, tuple[Setup, str]] = {
    "alias_bomb": (
        lambda folder: (folder / "papers.yaml").write_text(
            make.billion_laughs() + make.PAPERS_YAML, encoding="utf-8"
        ),
        "papers.yaml, line 1: uses a YAML alias",
    ),
    "papers_twice": (
        lambda folder: (folder / "papers.yaml").write_text(
            make.PAPERS_YAML + "papers: []\n", encoding="utf-8"
        ),
        "papers.yaml, line 19: repeats the key 'papers' of line 1",
    ),
    "papers_fifo": (
        lambda folder: os.mkfifo(folder / "papers.yaml"),
        "papers.yaml: is a FIFO (named pipe), not a regular file",
    ),
    "papers_dev_zero": (
        lambda folder: (folder / "papers.yaml").symlink_to("/dev/zero"),
        "papers.yaml: is a device, not a regular file",
    ),
    "record_folder": (
        _record_folder,
        "papers.yaml.imported.json: cannot read the record of the last import (is a folder",
    ),
}


@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_failed_import_changes_nothing(case: str, tmp_path: Path) -> None:
    change, words = IMPORT_CASES[case]
    change(tmp_path)
    before = snapshot(tmp_path)
    run = _import(tmp_path)
    assert run.code == ERRORS
    assert words in run.stderr, run.stderr
    assert snapshot(tmp_path) == before


def test_export_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    export = tmp_path / "notes.json"
    os.mkfifo(export)
    run = _import(tmp_path, export)
    assert run.code == ERRORS
    assert f"{export}: is a FIFO (named pipe), not a regular file" in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.json"]


def test_date_typed_title_is_kept_and_printed(tmp_path: Path) -> None:
    """`title: 2024-01-01` is a date to YAML; the change printout, which once failed after
    papers.yaml was written, shows it, and the hand edit is kept."""
    assert _import(tmp_path).code == 0
    papers_yaml = tmp_path / "papers.yaml"
    text = papers_yaml.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("    title: "))
    papers_yaml.write_text(text.replace(first_title, "    title: 2024-01-01", 1), "utf-8")
    before = snapshot(tmp_path)
    run = _import(tmp_path)
    assert run.code == 0, run.output
    assert 'title: kept the hand edit "2024-01-01"' in run.stdout
    assert snapshot(tmp_path) == before
    record = json.loads((tmp_path / "papers.yaml.imported.json").read_text(encoding="utf-8"))
    assert all(isinstance(entry["title"], str) for entry in record["papers"].values())
