"""A volume whose metadata `check` accepts always builds a bib that PMLR takes.

Generated volumes (titles, abstracts and names with LaTeX specials, accents, typography,
formulas, other scripts; tracks with any id) go through the metadata rules. When those find
no error, `build` must write the PMLR upload (its own PMLR rules pass, or it would stop), and
PMLR's `check_volume.rb` must find no error in it (when Ruby and `../shared/pmlr-tools` are
present).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import PAPERS, SHARED
from proceedings.build.pipeline import build_volume
from proceedings.report import Severity
from proceedings.rules import CheckedPaper, all_rules, get_rule, run_rules
from proceedings.volume import load_volume
from volumes import VOLUME_YAML

RUN = SHARED / "pmlr-tools" / "run"
PIECES = [
    "a", "Word", "x_1", "50%", "R&D", "#3", "^", "~", "\\", "{", "}", "{set}", "$", "$5",
    "$x$", "$\\{0,1\\}$", "$\\lambda_{\\rm max}$", "\\(y\\)", "$a \\\\ b$", "$f'$", "\\emph{z}",
    "“q”", "‘s’", "–", "—", "…", "\u00a0", "\u2009", "ﬁ", "½", "ε", "∞", "⟨", "≤", "×", "µ",
    "é", "ı\u0301", "ễ", "Ø", "ß", "ș", "🦜", "王", "|", "=", ",", "and", "--",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map(" ".join)
NAME = st.sampled_from(
    [
        "Ada Lovelace", "José Álvarez", "Ludwig van der Berg", "Gabriel Loaiza-Ganem",
        "Ana De Schouwer", "Ayşe Yıldız", "Matı\u0301as Pérez", "Đorđe Petrović",
        "Thi Lan Nguyễn", "Seán O'Brien", "Madonna", "Jürgen Strauß", "Ana-María de la Cruz",
        "Zoë", "Ada Lovelace", "Bo Li", "Greg Ver Steeg", "Kim",
    ] * 4 + ["王芳"]
)  # fmt: skip
# Ids and names that check refuses (`a|b`, a name in Chinese without `latin:`) are rare, so
# that most examples reach the build.
TRACK = st.sampled_from(["long", "tiny", "Original Papers", "R&D track", "Théorie"] * 6 + ["a|b"])


def _paper(number: int, title: str, abstract: str, names: list[str], track: str) -> dict[str, Any]:
    return {
        "id": str(number),
        "title": f"Paper {number}: {title}",  # one title each: duplicates are refused
        "authors": [{"name": name} for name in names],
        "abstract": abstract,
        "track": track,
        "archival": True,
    }


PAPER = st.tuples(TEXT, st.one_of(TEXT, st.just("")), st.lists(NAME, min_size=1, max_size=3), TRACK)


def _write(root: Path, papers: list[tuple[str, str, list[str], str]]) -> None:
    (root / "pdf").mkdir(parents=True)
    tracks = sorted({track for *_, track in papers})
    volume = yaml.safe_load(VOLUME_YAML)
    volume["tracks"] = [
        {"id": track, "title": f"{track} papers", "page_limit": 5} for track in tracks
    ]
    (root / "volume.yaml").write_text(yaml.safe_dump(volume, allow_unicode=True), encoding="utf-8")
    entries = [_paper(number, *paper) for number, paper in enumerate(papers, start=1)]
    (root / "papers.yaml").write_text(
        yaml.safe_dump({"papers": entries}, allow_unicode=True), encoding="utf-8"
    )
    for number in range(1, len(papers) + 1):
        shutil.copy(PAPERS / "tiny_pass.pdf", root / "pdf" / f"{number}.pdf")


def _metadata_errors(root: Path) -> list[str]:
    """The errors `check` finds in the metadata alone (the PDFs are stand-ins here)."""
    volume, sources = load_volume(root)
    errors = [
        f"{finding.code} {finding.message}"
        for finding in run_rules(sources, all_rules(), subject="volume")
        if finding.severity is Severity.ERROR
    ]
    text_rule = get_rule("META003")
    assert text_rule is not None
    for paper in volume.papers:
        checked = CheckedPaper(id=paper.id, path=root, track=paper.track, page_limit=5, meta=paper)
        errors += [
            f"META003 {finding.message}"
            for finding in run_rules(checked, [text_rule])
            if finding.severity is Severity.ERROR
        ]
    return errors


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PAPER, min_size=2, max_size=8))
def test_accepted_metadata_builds_a_bib_pmlr_takes(papers: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "volume"
        _write(root, papers)
        errors = _metadata_errors(root)
        event("refused" if errors else "built")
        if errors:
            return  # check refuses the metadata, with its messages: nothing to build
        build_volume(root, Path(tmp) / "build", only=("pmlr",), check_papers=False)
        upload = Path(tmp) / "build" / "pmlr"
        assert list(upload.glob("*.bib"))
        if not RUN.is_file() or shutil.which("ruby") is None:
            return
        run = subprocess.run(
            [str(RUN), "check", str(upload), "999"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert re.search(r"Errors:\s+0\b", run.stdout), run.stdout
