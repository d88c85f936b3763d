"""Hostile PDFs in a build: `volume.pdf` is written by the build's own PDF writer, so the files
that readers repair must come through it whole, and the others must stop the build with one
message naming the file, never a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import page_texts, page_words
from hostile import make
from hostile.runner import proceedings
from volumes import make_volume

# Damage that PDFium and qpdf both repair: read like the good paper they were made from.
REPAIRED = ("xref_", "self_reference_", "nested_content", "font_")
BOUND = 60.0


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make.write_pdfs(tmp_path_factory.mktemp("hostile-build") / "pdf")


def qpdf_check(path: Path) -> int:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode


def test_repaired_files_come_through_the_volume_page_for_page(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    names = sorted(name for name in pdfs if name.startswith(REPAIRED))
    names.append("no_contents_page1.pdf")
    sources = [make.GOOD_PDF, *(pdfs[name] for name in names)]
    volume = make_volume(tmp_path / "papers", sources)
    out = tmp_path / "build"
    run = proceedings("build", volume, "-o", out, "--no-check", bound=BOUND)
    assert run.code == 0, run.output
    pages = page_texts(out / "volume.pdf")
    index = len(page_texts(out / "frontmatter" / "frontmatter.pdf"))
    number = 1
    for source in sources:
        for text in page_texts(source):
            stamp = pages[index].find("ICBINB 2026 •")
            assert stamp >= 0, (source.name, index)
            # The stamp stands in the footer, where a paper's own printed number is covered
            # (it stays in the text layer, and a reader may join it with the stamp's).
            rest = pages[index][:stamp] + pages[index][stamp + len("ICBINB 2026 •") :]
            assert sorted("".join(page_words(rest))) == sorted(
                "".join(page_words(text)) + str(number)
            ), source.name
            index, number = index + 1, number + 1
    assert index == len(pages)
    if shutil.which("qpdf"):
        # The sources' own damage may stay as warnings (exit 3); the copy adds no error (2),
        # and no warning where the sources had none.
        warned = any(qpdf_check(source) == 3 for source in sources)
        assert qpdf_check(out / "volume.pdf") in ((0, 3) if warned else (0,))


@pytest.mark.parametrize("family", ["flipped_", "truncated_"])
def test_random_damage_builds_or_stops_naming_the_file(
    family: str, pdfs: dict[str, Path], tmp_path: Path
) -> None:
    sources = [pdfs[name] for name in sorted(pdfs) if name.startswith(family)]
    for number, source in enumerate(sources):
        volume = make_volume(tmp_path / f"papers{number}", [make.GOOD_PDF, source])
        out = tmp_path / f"build{number}"
        run = proceedings("build", volume, "-o", out, "--no-check", "--only", "volume",
                          bound=BOUND)  # fmt: skip
        if run.code == 0:
            assert (out / "volume.pdf").is_file()
        else:
            # The second paper is the damaged one: `pdf/2.pdf` in the volume folder.
            assert "2.pdf" in run.output and "Error" in run.output, run.output
            assert not out.exists()


@pytest.mark.parametrize("name", ["page_tree_loop.pdf", "nested_arrays.pdf"])
def test_a_file_qpdf_reads_otherwise_stops_the_build_naming_it(
    name: str, pdfs: dict[str, Path], tmp_path: Path
) -> None:
    volume = make_volume(tmp_path / "papers", [make.GOOD_PDF, pdfs[name]])
    out = tmp_path / "build"
    run = proceedings("build", volume, "-o", out, "--no-check", bound=BOUND)
    assert run.code == 1
    (message,) = [line for line in run.output.splitlines() if line.startswith("Error")]
    assert "pdf/2.pdf" in message and ("page tree is damaged" in message or "Loop" in message)
    assert not out.exists()
