"""Shared fixtures: the committed LaTeX-built PDFs and, when present, the shared corpus."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner, Result

from proceedings.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
PAPERS = FIXTURES / "papers"
BAD = FIXTURES / "bad"
# Real data kept beside the repository, never in it; tests that need it skip when it is absent.
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(os.environ.get("PROCEEDINGS_CORPUS", SHARED / "corpus"))


def expected_papers() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((PAPERS / "expected.json").read_text())
    return data


def page_texts(pdf: Path | bytes) -> list[str]:
    """The text of each page of a PDF, as PDFium reads it."""
    document = pdfium.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def page_words(text: str) -> list[str]:
    """The words of a page's text, without PDFium's soft-hyphen marks."""
    return text.replace("\ufffe", "").split()


def run_cli(*args: str | Path) -> Result:
    """Run the command line in-process; paths are passed as their text, as a shell would."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def check_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    """Run `proceedings check --format json` and return the exit code and the report."""
    result = run_cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.output)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip(f"the shared corpus is not present at {CORPUS}")
    return CORPUS
