"""Check one .bib file: load it once, run every rule of subject `bib`, collect the findings."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from proceedings.bib.parse import load_bib
from proceedings.checks import Rule, run_rules
from proceedings.report import FileReport


def check_bib(path: Path, rules: Iterable[Rule] | None = None) -> FileReport:
    """Check the BibTeX file at `path`: a PMLR volume file or a reference list.

    Never raises on bad input: an unreadable file is a finding (BIB001) and the report's
    status is `error`. `rules` defaults to every registered rule; only those of subject `bib`
    run. Findings are ordered by line.
    """
    bib = load_bib(path)
    report = FileReport(file=str(path), kind="bib", unreadable=bib.load_error is not None)
    report.findings.extend(run_rules(bib, rules, subject="bib"))
    report.findings.sort(key=lambda finding: finding.line or 0)
    return report
