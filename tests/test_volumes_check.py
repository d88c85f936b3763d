"""`check` on published PMLR volumes: no error on a real PDF but the true problems of its paper.

The five volumes of `../shared/volumes` hold other people's camera-ready PDFs as PMLR published
them. Every error `check` reports on them is listed here with what it is, each judged on the
page image (`pdftoppm -r 50 -png -f N -l N`); an error not listed is a false alarm, and a
listed one that goes away is a true problem no longer caught. Papers whose PDF is a stand-in
(STANDINS.tsv: the real file is not in the volume's repository) are left out. Skipped when the
volumes are absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, run_cli

VOLUMES = SHARED / "volumes"

# (volume, paper id or the metadata file, code): what the error is, as seen on the page.
TRUE_ERRORS: dict[tuple[str, str, str], str] = {
    ("v163", "chatelain22a", "META002"): "page 1 prints a fifth author, Iacopo Poli, whom "
    "the published metadata leaves out",
    ("v163", "hayou22a", "REF001"): "page 3 prints '??????????(Section ??)'",
    ("v163", "ness22a", "FONT001"): "a figure on page 3 uses Helvetica, not embedded",
    ("v262", "samragh24a", "FONT001"): "figures on pages 2-3 use Helvetica, not embedded",
    ("v262", "wang24a", "FONT001"): "figures on pages 7-8 use Arial, not embedded",
    ("v262", "ali-sadraei-javaheri24a", "META002"): "page 1 prints 'MohammadAli "
    "SadraeiJavaeri' for 'Mohammad Ali Sadraei Javaheri'",
    ("v262", "panda24a", "META002"): "Zain Sarwar is not among the authors on page 1",
    ("v262", "sarwar24a", "META001"): "page 1 titles the paper 'StructMoE : Augmenting "
    "MoEs with Hierarchically Routed Low Rank Experts'",
    ("v262", "sarwar24a", "META002"): "page 1 prints 'Kartik Balasubramanian'",
    ("v262", "wu24a", "META001"): "page 1 spells out 'State Space Model' where the "
    "metadata says 'SSM'",
    ("v262", "timor24a", "META001"): "the metadata's title adds 'is Provably Faster'",
    ("v262", "timor24a", "META005"): "page 1 prints Korat third, the metadata Pereg",
    ("v262", "lu24a", "META005"): "page 1 prints Marco Levorato last, the metadata third",
    ("v285", "domine24a", "META001"): "page 1 says 'Second Workshop', the metadata 'Second "
    "Edition of the Workshop'",
    ("v285", "volume.yaml", "VOL011"): "published 2024-06-15, six months before the "
    "workshop of 2024-12-14: a wrong year",
}


def _stand_ins(volume: Path) -> set[str]:
    lines = (volume / "STANDINS.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0] for line in lines if line.strip()}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["v163", "v262", "v285", "v308", "v312"])
def test_check_reports_only_the_true_problems_of_published_papers(name: str) -> None:
    volume = VOLUMES / name
    if not (volume / "papers.yaml").is_file():
        pytest.skip(f"the published volume {name} is not present at {volume}")
    result = run_cli("check", str(volume), "--format", "json")
    report = json.loads(result.output)
    stand_ins = _stand_ins(volume)
    found: set[tuple[str, str, str]] = set()
    for paper in report["papers"]:
        if paper["id"] in stand_ins:
            continue
        for finding in paper["findings"]:
            if finding["severity"] == "error":
                found.add((name, paper["id"], finding["code"]))
    for item in report.get("files", []):
        for finding in item["findings"]:
            if finding["severity"] == "error":
                found.add((name, Path(item["file"]).name, finding["code"]))
    expected = {key for key in TRUE_ERRORS if key[0] == name}
    assert sorted(found - expected) == [], "errors on correct papers"
    assert sorted(expected - found) == [], "true problems no longer found"
