"""Imported text to review: LaTeX outside math, citations, HTML, names in capitals, and names
whose split into given and family no rule can be sure of."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SHARED
from proceedings.openreview import import_openreview
from proceedings.openreview.review import name_problems, text_problems
from proceedings.texts import split_name

VENUE = "ICLR.cc/2026/Workshop/ICBINB"


def note(number: int, title: str, abstract: str, authors: list[str]) -> dict[str, Any]:
    content = {"title": title, "abstract": abstract, "authors": authors, "venueid": VENUE}
    return {
        "id": f"n{number}",
        "forum": f"n{number}",
        "number": number,
        "content": {key: {"value": value} for key, value in content.items()},
    }


def test_each_kind_of_suspicious_text_is_one_warning_naming_paper_and_field(
    tmp_path: Path,
) -> None:
    notes = [
        note(1, r"Bounds of \ensuremath{O(n)} Size", "Plain.", ["Ana Lima"]),
        note(2, "A Title", r"As shown by \citep{smith20}, we <em>fail</em>.", ["Ana Lima"]),
        note(3, r"Loss $\mathcal{L}$ and $\alpha$", r"Math only: $\sqrt{x}$.", ["Yu QIN"]),
        note(
            4, "Fine", "Fine.", ["Ayoub El Hanchi", "Juan Montoya Vasquez", "Ludwig van der Berg"]
        ),
    ]
    export = tmp_path / "notes.json"
    export.write_text(json.dumps({"notes": notes}))
    result = import_openreview(export, tmp_path / "papers.yaml")
    warnings = [w for w in result.warnings if w.startswith("paper ")]
    assert warnings[0].startswith("paper 1: title holds the LaTeX command `\\ensuremath`")
    assert warnings[1].startswith("paper 2: abstract holds a citation `\\citep{smith20}`")
    assert warnings[2].startswith("paper 2: abstract holds the HTML tag `<em>`, `</em>`")
    assert warnings[3].startswith("paper 3: author 1 'Yu QIN' has `QIN` in capitals")
    assert warnings[4].startswith("paper 4: author 1 'Ayoub El Hanchi': the capitalised particle")
    assert "split as given 'Ayoub', family 'El Hanchi'" in warnings[4]
    assert "add `given:` and `family:`" in warnings[4]
    assert warnings[5].startswith("paper 4: author 2 'Juan Montoya Vasquez': 3 names")
    assert len(warnings) == 6  # math ($\mathcal{L}$) and "van der Berg" are fine

    # Split by hand in papers.yaml, a name is no longer in doubt.
    data = yaml.safe_load((tmp_path / "papers.yaml").read_text())
    author = data["papers"][3]["authors"][1]
    author["given"], author["family"] = "Juan", "Montoya Vasquez"
    (tmp_path / "papers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    again = import_openreview(export, tmp_path / "papers.yaml")
    assert not any("Montoya" in warning for warning in again.warnings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"The \textbf{best} model", "LaTeX command `\\textbf`"),
        ("As Smith et al. (2020) found", "cites `Smith et al. (2020)`"),
        ("Bold <b>claims</b>", "HTML tag `<b>`"),
        (r"Escaped \$5 and $\epsilon$-greedy", None),
        (r"Display \[ \int f \] math", None),
    ],
)
def test_text_problems(text: str, expected: str | None) -> None:
    problems = text_problems(text)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Erwan Le Pennec", "capitalised particle `Le`"),
        ("María del Mar Ayuso Arroyave", "two or more words after the particle 'del'"),
        ("Seyed Iman Mirzadeh", "3 names"),
        ("WANG Wei", "`WANG` in capitals"),
        ("Timothy M. Hospedales", None),
        ("Ludwig van der Berg", None),
        ("Martin Luther King Jr.", "3 names"),
        ("John Smith III", None),
        ("Anna de Souza", None),
    ],
)
def test_name_problems(name: str, expected: str | None) -> None:
    problems = name_problems(name)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems


VOLUMES = SHARED / "volumes"


def test_split_agrees_with_pmlr_on_published_volumes_and_flags_where_no_rule_can_know() -> None:
    """PMLR's own given/family split of every author of the published volumes: where the
    splitter does not flag a name, it must agree, except where the editors' bib put a middle
    initial in the family name (`G Lawton, Neal`), which no rule should copy."""
    files = sorted(VOLUMES.glob("*/published.json"))
    if not files:
        pytest.skip(f"the published volumes are not present at {VOLUMES}")
    names: list[tuple[str, str]] = []
    for path in files:
        for paper in json.loads(path.read_text(encoding="utf-8"))["papers"]:
            names += [(a.get("given", ""), a.get("family", "")) for a in paper["author"]]
    total = len(names)
    agree = last_word = flagged = 0
    unflagged_wrong: list[tuple[str, str]] = []
    for given, family in names:
        name = f"{given} {family}".strip()
        words = name.split()
        last_word += (" ".join(words[:-1]), words[-1]) == (given, family)
        parts = split_name(name)
        right = parts is not None and (parts.given, parts.family) == (given, family)
        agree += right
        if name_problems(name):
            flagged += 1
        elif not right:
            unflagged_wrong.append((given, family))
    unflagged = total - flagged
    print(
        f"{total} names: last word {last_word / total:.2%}, split_name {agree / total:.2%};"
        f" {flagged} flagged; unflagged {unflagged - len(unflagged_wrong)}/{unflagged} agree"
    )
    assert agree >= last_word
    assert flagged <= total // 8  # a warning for one name in eight at most
    assert all(family.split()[0].rstrip(".").isupper() for _, family in unflagged_wrong)
    assert all(len(family.split()[0].rstrip(".")) == 1 for _, family in unflagged_wrong)
    assert (unflagged - len(unflagged_wrong)) / unflagged >= 0.98
