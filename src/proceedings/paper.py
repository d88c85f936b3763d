"""The paper being checked: what the rules of subject "paper" read, read once by the pipeline.

It sits apart from the rule registry so that the PDF layer, the pipeline and the rules can all
name it without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from proceedings.pdf.facts import PdfFacts, read_facts
from proceedings.pdf.layout import Document
from proceedings.pdf.structure import Structure
from proceedings.venues import VenueRules
from proceedings.volume import Paper as PaperMeta


@dataclass(eq=False)  # compared and hashed by identity: rules keep per-paper work in weak maps
class CheckedPaper:
    """Everything the rules may read about one paper: read once, shared by all rules."""

    id: str
    path: Path
    track: str
    page_limit: float
    document: Document | None = None
    structure: Structure | None = None
    open_error: str | None = None
    open_hint: str | None = None
    internal_error: str | None = None
    out_of_memory: str | None = None  # what ran out, when reading the PDF exhausted memory
    meta: PaperMeta | None = None  # the paper's entry in papers.yaml, when checked in a volume
    venue: VenueRules = field(default_factory=VenueRules)  # what the venue expects
    facts: PdfFacts | None = None  # fonts, page boxes, encryption: read once by the pipeline
    limit_from_option: bool = False  # the page limit is --page-limit's, not the track's


def facts_for(paper: CheckedPaper) -> PdfFacts:
    """The paper's facts: those the pipeline read, else read now (a rule run on its own, in a
    test) and kept on the paper."""
    if paper.facts is None:
        paper.facts = read_paper_facts(paper.path)
    return paper.facts


def read_paper_facts(path: Path) -> PdfFacts:
    """The facts of a paper's PDF, with the build's copy of its pages tried on the same open
    (PDF005): a paper `check` passes is one the build takes."""
    # Imported here: the build's PDF writer, and only it, is what PDF005 borrows of the build.
    from proceedings.build.volume_pdf import copy_problem_of

    return read_facts(path, copy=copy_problem_of)
