"""The committed fixture PDFs are what their committed LaTeX sources compile to."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PAPERS, check_json

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")


@pytest.mark.parametrize("name", ["tiny_over", "two_column"])
def test_source_compiles_to_the_committed_layout(name: str, tmp_path: Path) -> None:
    for source in (PAPERS / "src" / f"{name}.tex", PAPERS / "src" / "filler.tex"):
        shutil.copy(source, tmp_path)
    shutil.copy(PAPERS / "iclrlike.sty", tmp_path)
    for _ in range(2):
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
             f"{name}.tex"],
            cwd=tmp_path, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    _, rebuilt = check_json(tmp_path / f"{name}.pdf", "--track", "tiny")
    _, committed = check_json(PAPERS / f"{name}.pdf", "--track", "tiny")
    for key in ("pages_total", "body_end", "body_pages", "status"):
        assert rebuilt["papers"][0][key] == committed["papers"][0][key]
