"""Published PMLR volumes through `proceedings build` and PMLR's own tools, page by page.

Each volume folder of `../shared/volumes` is built, its upload checked by PMLR's
`check_volume.rb`, tidied by `tidy_bibtex.rb --fix-all` and turned into pages by
`create_volume.rb` (`../shared/pmlr-tools/run`); every page must equal the one PMLR published
(`published.json`), except where PMLR published a mistake, listed in CORRECTIONS with its
reason. Skipped when the volumes, PMLR's tools or Ruby are absent. The round trip itself is
`bench/pmlr_roundtrip.py`, which prints the same comparison as a table.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import SHARED
from proceedings.asciilatex import bibtex_last_name, encode, pmlr_id

VOLUMES = SHARED / "volumes"
TOOLS = SHARED / "pmlr-tools"
BENCH = Path(__file__).resolve().parents[1] / "bench" / "pmlr_roundtrip.py"

# The fields a reader of the published page sees and cites. (The round trip also reports
# `section`; sections are not asserted here.)
ASSERTED = ("id", "key", "title", "authors", "abstract", "pages")


def _load_roundtrip() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pmlr_roundtrip", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


roundtrip = _load_roundtrip()


@dataclass(frozen=True)
class Correction:
    """What a published page should have held where PMLR published a mistake.

    `field` is a field of the round trip ("id", "key", "authors 2 family", "abstract", ...).
    The truth is `value`, or the published value with `replace` (old, new) applied to it.
    """

    volume: str
    paper: str  # the published id
    field: str
    reason: str  # the mistake, as seen on the paper's PDF
    value: str | None = None
    replace: tuple[str, str] | None = None

    def truth(self, published: str) -> str:
        if self.value is not None:
            return self.value
        assert self.replace is not None
        old, new = self.replace
        return published.replace(old, new)


_INITIAL = "the published bib puts the middle initial into the family name"

# Names PMLR published with a wrong family name, each judged on page 1 of the paper's PDF
# (pdftoppm -r 50 -png -f 1 -l 1): (volume, published id, author number, given, family, the
# paper's id when the author is the first, whose family name makes it, reason). Given and
# family are the volume's name for the author, split where the PDF shows the family name.
NAMES: tuple[tuple[str, str, int, str, str, str | None, str], ...] = (
    ("v262", "g-lawton24a", 1, "Neal G", "Lawton", "lawton24a",
     f"the PDF names 'Neal Lawton'; {_INITIAL} ('G Lawton, Neal')"),
    ("v262", "f-thielmann24a", 1, "Anton F", "Thielmann", "thielmann24a",
     f"the PDF names 'Anton Frederik Thielmann'; {_INITIAL} ('F Thielmann, Anton')"),
    ("v262", "g-vasudev24a", 1, "Adithya G", "Vasudev", "vasudev24a",
     f"the PDF names 'Adithya Vasudev'; {_INITIAL} ('G Vasudev, Adithya')"),
    ("v262", "d-chaparala24a", 1, "Kaavya D", "Chaparala", "chaparala24a",
     "the PDF (replaced/d-chaparala24a.pdf; the volume's own is a stand-in) names 'Kaavya "
     f"Chaparala'; {_INITIAL} ('D Chaparala, Kaavya')"),
    ("v262", "ali-sadraei-javaheri24a", 3, "Alice C.", "McHardy", None,
     f"the PDF names 'Alice Carolyn McHardy'; {_INITIAL} ('C. McHardy, Alice')"),
    ("v262", "ali-sadraei-javaheri24a", 4, "Hamid R.", "Rabiee", None,
     f"the PDF names 'Hamid Reza Rabiee'; {_INITIAL} ('R. Rabiee, Hamid')"),
    ("v262", "sharma24a", 2, "Jonas A.", "Geiping", None,
     f"the PDF names 'Jonas Geiping'; {_INITIAL} ('A. Geiping, Jonas')"),
    ("v262", "rajabzadeh24a", 5, "Hyock Ju Hj", "Kwon", None,
     "the PDF names 'Hyock Ju Kwon'; the published bib makes 'Ju Hj Kwon' the family name"),
    ("v285", "joglekar24a", 3, "Dotan", "Di Castro", None,
     "the volume's repository lacks the PDF (a stand-in here); the published bib writes "
     "'Castro, Dotan Di', putting the particle of 'Di Castro' into the given name"),
    ("v262", "ashkboos24a", 2, "Seyed Iman", "Mirzadeh", None,
     "the PDF names 'Iman Mirzadeh' among names written given first; the published bib "
     "makes 'Iman Mirzadeh' the family name ('Iman Mirzadeh, Seyed')"),
)  # fmt: skip

# Abstracts PMLR published with raw Unicode, which its rules forbid (ASCII abstracts;
# create_volume.rb now refuses Unicode there), so no upload can give that page again:
# (volume, published id, the character, its ASCII form, where the PDF has it).
ABSTRACTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("v262", "d-chaparala24a", "∼", "$\\sim$", "'∼1.5M words of Hawaiian text'"),
    ("v262", "seng-chua24a", "×", "$\\times$", "'a 1.5× additional LLM decoding speedup'"),
)


# Names the volume folders give whole (`name: Vahid Partovi Nia`), so that the split is ours:
# where a name of three words or more has no particle, it cannot tell a middle name from a
# family name of two words, and splits before the last word. PMLR's editors split these
# otherwise; nothing in the name or the PDF decides it (an organizer writes `family:`).
# (volume, published id, author number, why the published split is the likelier one).
_COMPOUND = "a family name of two words"
SPLIT_ELSEWHERE: tuple[tuple[str, str, int, str], ...] = (
    ("v262", "ashkboos24a", 4, f"'Hossein Sekhavat': {_COMPOUND}"),
    ("v262", "alizadeh-vahid24a", 7, f"'Hossein Sekhavat': {_COMPOUND}"),
    ("v262", "alizadeh-vahid24a", 2, "'Iman Mirzadeh' as the published bib wrote it"),
    ("v262", "ali-sadraei-javaheri24a", 1, "'Ali Sadraei Javaheri' as the published bib has it"),
    ("v262", "saheb-pasand24a", 1, f"'Saheb Pasand': {_COMPOUND}"),
    ("v262", "azimi24a", 4, f"'Ebrahimi Kahou': {_COMPOUND}"),
    ("v262", "shiraee-kasmaee24a", 1, f"'Shiraee Kasmaee': {_COMPOUND}"),
    ("v262", "shiraee-kasmaee24a", 3, f"'Arshi Saloot': {_COMPOUND}"),
    ("v262", "praveen-rajasekhar24a", 1, "'Praveen Rajasekhar' as the published bib has it"),
    ("v262", "d-chaparala24a", 3, f"'Torres Fischer': {_COMPOUND}"),
    ("v262", "d-chaparala24a", 5, f"'Parker Jones': {_COMPOUND}"),
    ("v262", "shinde24a", 3, "'Kumar Sharma' as the published bib has it"),
    ("v262", "seng-chua24a", 1, "'Seng Chua' as the published bib has it"),
    ("v262", "seng-chua24a", 4, "'Seng Chua' as the published bib has it"),
    ("v262", "xu24a", 2, "'Y Lan' as the published bib has it (no real PDF to judge)"),
    ("v262", "yang24a", 2, f"'Partovi Nia': {_COMPOUND}"),
    ("v308", "kovalev26a", 4, "'Soto Sanchez': two Spanish family names"),
    ("v308", "kovalev26a", 8, "'Morollón Ruiz': two Spanish family names"),
    ("v308", "kovalev26a", 9, "'Ayuso Arroyave': two Spanish family names"),
)


def _split_elsewhere(volume: str, paper: Any) -> dict[str, str]:
    """The fields of `paper` that differ only because a name was split at another word:
    `authors N given/family` with the same words on both sides, and the id and key of a
    first author so split, when they are made from our family name."""
    listed = {number: why for vol, pid, number, why in SPLIT_ELSEWHERE if vol == volume}
    listed = {n: w for n, w in listed.items() if (volume, paper.published_id, n) in _LISTED}
    diffs = {diff.field: diff for diff in paper.diffs}
    allowed: dict[str, str] = {}
    for number, why in listed.items():
        given, family = diffs.get(f"authors {number} given"), diffs.get(f"authors {number} family")
        if given is None or family is None:
            continue
        if f"{given.ours} {family.ours}".split() != f"{given.published} {family.published}".split():
            continue
        allowed[given.field] = allowed[family.field] = why
        if number == 1:
            stem = pmlr_id(bibtex_last_name(encode(family.ours).latex), "")
            for name in ("id", "key"):
                if name in diffs and diffs[name].ours.startswith(stem):
                    allowed[name] = why
    return allowed


_LISTED = {(volume, paper, number) for volume, paper, number, _ in SPLIT_ELSEWHERE}


def _corrections() -> tuple[Correction, ...]:
    found: list[Correction] = []
    for volume, paper, number, given, family, key, reason in NAMES:
        found.append(Correction(volume, paper, f"authors {number} given", reason, value=given))
        found.append(Correction(volume, paper, f"authors {number} family", reason, value=family))
        if key is not None:
            found.append(Correction(volume, paper, "id", reason, value=key))
            found.append(Correction(volume, paper, "key", reason, value=key))
    for volume, paper, char, form, where in ABSTRACTS:
        reason = f"the published abstract holds a raw {char!r} ({where}); its ASCII form is {form}"
        found.append(Correction(volume, paper, "abstract", reason, replace=(char, form)))
    return tuple(found)


CORRECTIONS = _corrections()


# Volumes whose build may stop on a mistake of the published volume: what the build's message
# names, and the mistake.
BUILD_REFUSED: dict[str, tuple[str, str]] = {
    "v285": (
        "2024-06-15",
        "published 2024-06-15 is six months before the workshop of 2024-12-14: a wrong date",
    ),
}


# Volume folders whose papers.yaml lost a paper's track when it was rebuilt from the published
# volume: (papers moved, why). The test builds a copy with each paper in the track of its
# published section, the volume as its organizers had it.
REPAIRED_TRACKS: dict[str, tuple[int, str]] = {
    "v262": (
        9,
        "the published bib names two sections with stray spaces (` Benchmark \\& Evaluation`, "
        "`Applications `), and papers.yaml put their 9 papers in track Training",
    ),
}


def _with_published_tracks(volume: Path, work: Path) -> tuple[Path, int]:
    """A copy of `volume` in `work` whose papers are in the tracks of their published
    sections, and how many papers moved."""
    copy = work / volume.name
    shutil.copytree(volume, copy)
    published = json.loads((volume / "published.json").read_text(encoding="utf-8"))
    section = {
        paper["id"]: " ".join((paper.get("section") or "").split()) for paper in published["papers"]
    }
    tracks = yaml.safe_load((volume / "volume.yaml").read_text(encoding="utf-8"))["tracks"]
    by_name = {" ".join(str(track["id"]).split()): track["id"] for track in tracks}
    data = yaml.safe_load((volume / "papers.yaml").read_text(encoding="utf-8"))
    moved = 0
    for paper in data["papers"]:
        track = by_name.get(section.get(str(paper["id"]), ""))
        if track is not None and " ".join(str(paper["track"]).split()) != " ".join(track.split()):
            paper["track"] = track
            moved += 1
    (copy / "papers.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return copy, moved


def _missing() -> str | None:
    if not VOLUMES.is_dir():
        return f"the published PMLR volumes are not present at {VOLUMES}"
    if not (TOOLS / "run").is_file():
        return f"PMLR's tools are not present at {TOOLS}"
    if shutil.which("ruby") is None:
        return "ruby is not installed (apt-get install ruby ruby-activesupport pandoc)"
    return None


def _volumes() -> list[Any]:
    names = roundtrip.volume_names(VOLUMES) if VOLUMES.is_dir() else []
    if not names:
        reason = f"no published PMLR volumes (vNNN/published.json) at {VOLUMES}"
        return [pytest.param("none", marks=pytest.mark.skip(reason=reason))]
    return names


@pytest.mark.slow
@pytest.mark.parametrize("name", _volumes())
def test_volume_comes_out_of_pmlr_tools_as_published(name: str, tmp_path: Path) -> None:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    volume = VOLUMES / name
    problems: list[str] = []
    if name in REPAIRED_TRACKS:
        volume, moved = _with_published_tracks(volume, tmp_path / "volume")
        expected, why = REPAIRED_TRACKS[name]
        if moved != expected:
            problems.append(
                f"{moved} papers moved to their published tracks, not {expected} ({why})"
            )
    result = roundtrip.roundtrip(volume, TOOLS, tmp_path)
    problems += [f"could not run: {problem}" for problem in result.problems]

    if result.build_error is not None:
        refused = BUILD_REFUSED.get(name)
        if refused is None or refused[0] not in result.build_error:
            problems.append(f"the build fails: {result.build_error}")
    if result.pmlr_errors != 0:
        problems.append(
            f"check_volume.rb finds {result.pmlr_errors} errors: {result.pmlr_messages}"
        )
    for change in result.tidy_changes:
        problems.append(
            f"tidy_bibtex.rb --fix-all changes {change.key} {change.field or 'entry'}: "
            f"{change.shown}"
        )
    if result.pages_written != result.archival:
        problems.append(f"{result.pages_written} pages for {result.archival} archival papers")
    for paper in result.missing:
        problems.append(f"{paper.published_id}: published, but no page of ours matches it")
    for paper in result.extra:
        problems.append(f"{paper.page_id}: our page matches no published paper")

    corrections = {(item.paper, item.field): item for item in CORRECTIONS if item.volume == name}
    seen: set[tuple[str, str]] = set()
    split_used: set[tuple[str, int]] = set()
    for paper in result.papers:
        split = _split_elsewhere(name, paper)
        for field in split:
            if field.startswith("authors "):
                split_used.add((paper.published_id, int(field.split()[1])))
        for diff in paper.diffs:
            if diff.field.split()[0] not in ASSERTED or diff.field in split:
                continue
            where = (paper.published_id, diff.field)
            correction = corrections.get(where)
            if correction is None:
                ours, published = roundtrip.where_differs(diff.ours, diff.published)
                problems.append(
                    f"{paper.published_id} {diff.field}: ours {ours}, published {published}"
                )
                continue
            seen.add(where)
            truth = correction.truth(diff.published)
            if diff.ours != truth:
                ours, right = roundtrip.where_differs(diff.ours, truth)
                problems.append(
                    f"{paper.published_id} {diff.field}: ours {ours}, should be {right} "
                    f"(PMLR published a mistake: {correction.reason})"
                )
    with_page = {paper.published_id for paper in result.papers if paper.matched_by}
    for where, correction in corrections.items():
        if where not in seen and where[0] in with_page:
            problems.append(
                f"{where[0]} {where[1]}: our page holds the published value, which is a "
                f"mistake: {correction.reason}"
            )

    for split_volume, paper_id, number, why in SPLIT_ELSEWHERE:
        if split_volume == name and (paper_id, number) not in split_used:
            problems.append(
                f"{paper_id} author {number} is listed as split elsewhere ({why}), but its "
                "page does not differ so"
            )

    assert not problems, f"{name}: {len(problems)} problems\n" + "\n".join(problems)


def test_corrections_name_papers_and_fields_of_the_volumes() -> None:
    """A correction for a paper or field the round trip does not know would never apply."""
    if not VOLUMES.is_dir():
        pytest.skip(f"the published PMLR volumes are not present at {VOLUMES}")
    for item in CORRECTIONS:
        published = json.loads((VOLUMES / item.volume / "published.json").read_text())
        ids = {paper["id"] for paper in published["papers"]}
        assert item.paper in ids, item
        assert item.field.split()[0] in ASSERTED, item
        assert item.reason, item
        assert (item.value is None) != (item.replace is None), item
