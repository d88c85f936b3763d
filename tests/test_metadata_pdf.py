"""META001, META002 and META004: papers.yaml against the first page a PDF prints.

Built first pages put one difference at a time between the metadata and the page; the
published volumes of `../shared/volumes` (skipped when absent) are real pages whose metadata
is right, and are changed the ways metadata goes wrong: an author left out, another person
put in, another paper's title.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
import pytest
import yaml

from conftest import SHARED, check_json
from proceedings.pdf.layout import Document, open_document
from proceedings.rules import CheckedPaper, Rule, get_rule, run_rules
from proceedings.texts import NameParts, match_key, split_name
from proceedings.volume import Author, Paper, load_volume
from volumes import VOLUME_YAML

VOLUMES = SHARED / "volumes"
RULES: list[Rule] = [rule for code in ("META001", "META002", "META004") if (rule := get_rule(code))]


@dataclass(frozen=True)
class Text:
    """One line of a built page: its text, where it starts and in what face."""

    text: str
    top: float  # from the top of the page
    size: float = 10
    bold: bool = False
    x: float = 108


def build_page(path: Path, lines: list[Text]) -> Path:
    """A one-page US Letter PDF of `lines` in Helvetica (WinAnsi: accents, daggers)."""
    pdf = pikepdf.new()
    fonts = {
        key: pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name(base),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        for key, base in (("R", "/Helvetica"), ("B", "/Helvetica-Bold"))
    }
    operators = []
    for line in lines:
        data = line.text.encode("cp1252")
        data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        font = b"B" if line.bold else b"R"
        baseline = 792 - line.top - line.size
        operators.append(
            b"BT /%s %g Tf %g %g Td (%s) Tj ET" % (font, line.size, line.x, baseline, data)
        )
    page = pdf.add_blank_page(page_size=(612, 792))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(R=fonts["R"], B=fonts["B"]))
    page.obj.Contents = pdf.make_stream(b"\n".join(operators))
    pdf.save(path)
    return path


ABSTRACT = [
    "We study how a small change to a training recipe interacts with a tuned baseline, and",
    "find that the gains reported for it vanish once the baseline is tuned as carefully.",
]


def paper_page(
    path: Path,
    authors: list[str],
    *,
    title: tuple[str, ...] = ("When Bigger Batches Did Not Help",),
    affiliations: tuple[str, ...] = ("1University of Somewhere   2Example Labs",),
    heading: str = "Abstract",
    abstract: list[str] = ABSTRACT,
) -> Path:
    """A first page in the NeurIPS manner: title, author lines in bold, affiliations in
    the regular face, the abstract under its heading, then the body."""
    lines = [Text(text, 100 + 20 * row, size=17, bold=True) for row, text in enumerate(title)]
    top = 110 + 20 * len(title)
    for text in authors:
        lines.append(Text(text, top, bold=True))
        top += 14
    for text in affiliations:
        lines.append(Text(text, top, size=8))
        top += 11
    top += 25
    lines.append(Text(heading, top, size=12, bold=True, x=280))
    for text in abstract:
        top += 14
        lines.append(Text(text, top, x=130))
    lines.append(Text("1 Introduction", top + 30, size=12, bold=True))
    lines += [Text("Body text of the paper. " * 4, top + 50 + 12 * row) for row in range(8)]
    return build_page(path, lines)


def meta_paper(pdf: Path, title: str, names: list[str]) -> Paper:
    authors = []
    for name in names:
        parts = split_name(name) or NameParts(given="", family=name)
        authors.append(Author(name=name, given=parts.given, family=parts.family))
    return Paper(
        id="1",
        title=title,
        authors=tuple(authors),
        abstract="A paper.",
        track="long",
        archival=True,
        pdf=pdf,
        pdf_shown="pdf/1.pdf",
        line=2,
    )


def check(document: Document, meta: Paper) -> list[tuple[str, str, str]]:
    """(code, severity, message) of the META findings on `document` with metadata `meta`."""
    checked = CheckedPaper(
        id=meta.id, path=document.path, track="long", page_limit=5, document=document, meta=meta
    )
    return [(item.code, item.severity.value, item.message) for item in run_rules(checked, RULES)]


def findings(
    pdf: Path, names: list[str], title: str = "When Bigger Batches Did Not Help"
) -> list[tuple[str, str, str]]:
    with open_document(pdf) as document:
        return check(document, meta_paper(pdf, title, names))


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed", "printed"),
    [
        ("Timothy Hospedales", "Timothy M. Hospedales"),  # a middle initial on the page only
        ("Timothy M. Hospedales", "Timothy Hospedales"),  # ... or in the metadata only
        ("Seyed Iman Mirzadeh", "Iman Mirzadeh"),  # a first given name not printed
        ("Ana María García", "A. M. García"),  # initials only
        ("Kimberly Stachenfeld", "Kim Stachenfeld"),  # a short form of the given name
        ("Tzamos Christos", "Christos Tzamos"),  # given and family swapped
        ("Keivan Alizadeh-Vahid", "Keivan Alizadeh Vahid"),  # a hyphen
        ("Keivan Alizadeh-Vahid", "Keivan Alizadeh"),  # part of a double family name
        ("Benjamin Therien", "Benjamin Thérien"),  # an accent
        ("Hans Mueller", "Hans Müller"),  # an umlaut written out
        ("Gnana Praveen Rajasekhar", "R. Gnana Praveen"),  # a family name as an initial
    ],
)
def test_another_spelling_of_the_same_person_is_a_warning_showing_both(
    tmp_path: Path, listed: str, printed: str
) -> None:
    pdf = paper_page(tmp_path / "p.pdf", [f"Ada Lovelace1, {printed}2, Alan Turing*"])
    assert findings(pdf, ["Ada Lovelace", listed, "Alan Turing"]) == [
        (
            "META004",
            "warning",
            f"author 2 {listed!r} is printed {printed!r} on the PDF's first page",
        )
    ]


def test_marks_case_and_line_breaks_are_not_differences(tmp_path: Path) -> None:
    pdf = paper_page(
        tmp_path / "p.pdf",
        [
            "Ada Lovelace1,2, José Núñez*, Alan TuringW",  # a superscript letter, glued
            "Iman Mirzadeh Keivan Alizadeh Vahid Fartash Faghri",  # names without commas
            "GRACE HOPPER† and Edsger W. Dijkstra‡",
        ],
    )
    names = ["Ada Lovelace", "José Núñez", "Alan Turing", "Iman Mirzadeh"]
    names += ["Keivan Alizadeh Vahid", "Fartash Faghri", "Grace Hopper", "Edsger W. Dijkstra"]
    assert findings(pdf, names) == []


@pytest.mark.parametrize(
    ("listed", "printed"),
    [
        ("John A. Smith", "Mary A. Smith"),  # the same initial does not make them one person
        ("Wei Li", "Wei Liu"),
        ("Sandeep Kumar", "Vipul Kumar Singh"),
        ("Anna Berg", "Anna Bergman"),
    ],
)
def test_another_person_in_an_authors_place_is_one_error_naming_both(
    tmp_path: Path, listed: str, printed: str
) -> None:
    pdf = paper_page(tmp_path / "p.pdf", [f"Ada Lovelace1, {printed}2, Alan Turing*"])
    ((code, severity, message),) = findings(pdf, ["Ada Lovelace", listed, "Alan Turing"])
    assert (code, severity) == ("META002", "error")
    assert message.startswith(f"author 2 {listed!r} is not on the PDF's first page")
    assert repr(printed) in message


def test_misspelt_name_quotes_the_closest_printed_name(tmp_path: Path) -> None:
    # The name wraps onto the next line, and one letter differs.
    pdf = paper_page(
        tmp_path / "p.pdf", ["Zain Sarwar, Anirban Das, Kartik", "Balasubramanian, Milind Naphade"]
    )
    names = ["Zain Sarwar", "Anirban Das", "Kartik Balasubramaniam", "Milind Naphade"]
    assert findings(pdf, names) == [
        (
            "META002",
            "error",
            "author 3 'Kartik Balasubramaniam' is not on the PDF's first page; "
            "the closest name printed is 'Kartik Balasubramanian'",
        )
    ]


def test_author_left_out_of_papers_yaml_is_an_error(tmp_path: Path) -> None:
    # As a published volume did: the fifth author alone on the second line of names.
    pdf = paper_page(
        tmp_path / "p.pdf",
        [
            "Amélie Chatelain1    Amine Djeghri3*    Daniel Hesslow1    Julien Launay1,2",
            "Iacopo Poli1",
        ],
        affiliations=("1LightOn 2LPENS, École Normale Supérieure 3Sorbonne Université",),
    )
    names = ["Amélie Chatelain", "Amine Djeghri", "Daniel Hesslow", "Julien Launay"]
    assert findings(pdf, names) == [
        (
            "META002",
            "error",
            "'Iacopo Poli' is printed among the authors on the PDF's first page but is not in "
            "papers.yaml",
        )
    ]
    assert findings(pdf, [*names, "Iacopo Poli"]) == []


def test_affiliations_addresses_and_editors_are_not_authors(tmp_path: Path) -> None:
    lines = [
        Text("Learning Rates, Revisited", 100, size=17, bold=True),
        Text("Ada Lovelace ada lovelace@example.org", 140, bold=True),  # jmlr: address beside
        Text("Google DeepMind, New York, USA", 154, size=9),
        Text("Alan Turing ALAN TURING@EXAMPLE.ORG", 170, bold=True),
        Text("Stability AI Language Team*", 184, bold=True),
        Text("{ada.lovelace, alan.turing}@example.org", 198, size=9),
        Text("Editors: Grace Hopper, Edsger Dijkstra", 220, bold=True),
        Text("Abstract", 250, size=12, bold=True, x=280),
        Text(ABSTRACT[0], 266, x=130),
    ]
    pdf = build_page(tmp_path / "p.pdf", lines)
    assert findings(pdf, ["Ada Lovelace", "Alan Turing"], "Learning Rates, Revisited") == []


def test_names_in_the_abstract_do_not_count(tmp_path: Path) -> None:
    pdf = paper_page(
        tmp_path / "p.pdf",
        ["Ada Lovelace"],
        abstract=["Following Grace Hopper, we study compilers.", *ABSTRACT],
    )
    ((code, _, message),) = findings(pdf, ["Ada Lovelace", "Grace Hopper"])
    assert code == "META002" and "'Grace Hopper' is not on the PDF's first page" in message


# --- The abstract heading and the title -----------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "Abstract",
        "ABSTRACT",
        "A BSTRACT",  # small caps as text layers give them
        "Abstract\u2014Following Grace Hopper, we study compilers.",  # IEEE, run in
        "Abstract. Following Grace Hopper, we study compilers.",  # LNCS
        "Abstract Following Grace Hopper, we study compilers.",  # run in, in the body's face
    ],
)
def test_the_abstract_heading_ends_the_title_block(tmp_path: Path, heading: str) -> None:
    pdf = paper_page(
        tmp_path / "p.pdf",
        ["Ada Lovelace"],
        heading=heading,
        abstract=["Grace Hopper wrote the first compiler.", *ABSTRACT],
    )
    title = "When Bigger Batches Did Not Help"
    with open_document(pdf) as document:
        assert check(document, meta_paper(pdf, title, ["Ada Lovelace"])) == []
        missing = check(document, meta_paper(pdf, title, ["Ada Lovelace", "Grace Hopper"]))
    assert [code for code, _, _ in missing] == ["META002"]


@pytest.mark.parametrize(
    "title",
    [
        ("Learning Useful", "Abstractions from Pixels"),
        ("Abstract Reasoning Does Not Need", "Larger Models"),
        ("ABSTRACTIONS OF NEURAL", "NETWORKS"),
    ],
)
def test_a_title_line_beginning_with_abstract_is_not_the_heading(
    tmp_path: Path, title: tuple[str, str]
) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Lovelace1, Alan Turing2"], title=title)
    assert findings(pdf, ["Ada Lovelace", "Alan Turing"], " ".join(title)) == []


@pytest.mark.parametrize(
    ("listed", "printed"),
    [
        ("Bits & Pieces of Learning", "Bits and Pieces of Learning"),
        ("Bits and Pieces of Learning", "Bits & Pieces of Learning"),
    ],
)
def test_ampersand_and_and_are_the_same_title(tmp_path: Path, listed: str, printed: str) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Lovelace"], title=(printed,))
    assert findings(pdf, ["Ada Lovelace"], listed) == []


def test_a_label_the_pdf_does_not_print_is_a_warning(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Lovelace"], title=("Bits and Pieces",))
    assert findings(pdf, ["Ada Lovelace"], "Bits and Pieces (Extended Abstract)") == [
        (
            "META004",
            "warning",
            "title 'Bits and Pieces (Extended Abstract)' is printed without "
            "'(Extended Abstract)' on the PDF's first page",
        )
    ]
    other = findings(pdf, ["Ada Lovelace"], "Odds and Ends (Extended Abstract)")
    assert [code for code, _, _ in other] == ["META001"]


def test_another_papers_title_is_an_error(tmp_path: Path) -> None:
    pdf = paper_page(tmp_path / "p.pdf", ["Ada Lovelace"], title=("Bits and Pieces",))
    ((code, severity, message),) = findings(pdf, ["Ada Lovelace"], "Odds and Ends")
    assert (code, severity) == ("META001", "error")
    assert "the PDF's title reads 'Bits and Pieces'" in message


def test_two_column_author_line_in_pieces(tmp_path: Path) -> None:
    # AAAI: affiliation marks cut the author line into pieces, and the piece in the right
    # half is read with the right column, after the left column's abstract.
    lines = [
        Text("A Cognitive Architecture for Online Structuring", 99, size=14, bold=True, x=70),
        Text("Evgenii Dzhivelikian", 140, size=12, bold=True, x=100),
        Text("1", 137, size=7, x=222),
        Text(", Nikita Bainaev-Mangilev", 140, size=12, bold=True, x=226),
        Text("2", 137, size=7, x=383),
        Text(", Aleksandr Panov", 140, size=12, bold=True, x=387),
        Text("1, 2", 137, size=7, x=492),
        Text("1Cognitive AI Systems Lab", 157, size=7, x=250),
        Text("Abstract", 219, bold=True, x=155),
    ]
    for row in range(30):
        lines.append(Text("Cognitive maps provide a framework for", 237 + 10 * row, size=9, x=64))
        lines.append(Text("models usually rely on backpropagation", 219 + 10 * row, size=9, x=330))
    pdf = build_page(tmp_path / "p.pdf", lines)
    with open_document(pdf) as document:
        order = [line.text for line in document.pages[0].lines]
    assert order.index("Abstract") < order.index(", Aleksandr Panov1, 2")  # what the test is for
    names = ["Evgenii Dzhivelikian", "Nikita Bainaev-Mangilev", "Aleksandr Panov"]
    assert findings(pdf, names, "A Cognitive Architecture for Online Structuring") == []


def test_check_reports_a_spelling_difference_as_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "papers"
    (root / "pdf").mkdir(parents=True)
    paper_page(root / "pdf" / "1.pdf", ["Timothy M. Hospedales1, Ada Lovelace2"])
    entry = {
        "id": "1",
        "title": "When Bigger Batches Did Not Help",
        "authors": [{"name": "Timothy Hospedales"}, {"name": "Ada Lovelace"}],
        "abstract": "A paper.",
        "track": "long",
        "archival": True,
    }
    (root / "volume.yaml").write_text(VOLUME_YAML, encoding="utf-8")
    (root / "papers.yaml").write_text(yaml.safe_dump({"papers": [entry]}), encoding="utf-8")
    code, report = check_json(str(root), "--select", "META")
    assert code == 0
    ((finding),) = report["papers"][0]["findings"]
    assert (finding["code"], finding["severity"]) == ("META004", "warning")
    assert "'Timothy M. Hospedales'" in finding["message"]


# --- Published volumes ----------------------------------------------------------------------


@dataclass
class RealPaper:
    volume: str
    meta: Paper
    document: Document


@pytest.fixture(scope="module")
def real_papers() -> Iterator[list[RealPaper]]:
    """The papers of the published volumes whose PDF is the published one."""
    if not VOLUMES.is_dir():
        pytest.skip(f"the published PMLR volumes are not present at {VOLUMES}")
    papers = []
    for folder in sorted(path for path in VOLUMES.iterdir() if (path / "papers.yaml").is_file()):
        with (folder / "STANDINS.tsv").open(encoding="utf-8") as handle:
            standins = {row["id"] for row in csv.DictReader(handle, delimiter="\t")}
        volume, _ = load_volume(folder)
        for meta in volume.papers:
            if meta.id not in standins and meta.pdf is not None:
                papers.append(RealPaper(folder.name, meta, open_document(meta.pdf)))
    if not papers:
        pytest.skip(f"no published volumes with PDFs at {VOLUMES}")
    yield papers
    for paper in papers:
        paper.document.close()


def test_published_aaai_and_jmlr_pages_raise_no_errors(real_papers: list[RealPaper]) -> None:
    # Their metadata is right; printed names carry middle initials, affiliation marks, and
    # author lines set in pieces across two columns.
    errors = [
        (paper.meta.id, message)
        for paper in real_papers
        if paper.volume in ("v308", "v312")
        for code, severity, message in check(paper.document, paper.meta)
        if severity == "error"
    ]
    assert errors == []
    warnings = [
        message
        for paper in real_papers
        if paper.meta.id == "wong26a"
        for _, _, message in check(paper.document, paper.meta)
    ]
    assert "author 3 'Hardik Sailor' is printed 'Hardik B. Sailor' on the PDF's first page" in (
        warnings
    )


def test_published_paper_whose_metadata_left_out_an_author(real_papers: list[RealPaper]) -> None:
    # PMLR published chatelain22a with four authors; its first page prints five.
    (paper,) = [paper for paper in real_papers if paper.meta.id == "chatelain22a"]
    assert [message for _, _, message in check(paper.document, paper.meta)] == [
        "'Iacopo Poli' is printed among the authors on the PDF's first page but is not in "
        "papers.yaml"
    ]


def test_real_metadata_broken_on_purpose_is_found(real_papers: list[RealPaper]) -> None:
    missed: list[str] = []
    deletions = 0
    for paper in real_papers:
        meta, document = paper.meta, paper.document
        others = [p.meta for p in real_papers if p.volume == paper.volume and p.meta.id != meta.id]
        families = {match_key(author.family) for author in meta.authors}
        strangers = [
            author
            for other in others
            for author in other.authors
            if match_key(author.family) not in families
        ]
        if not strangers:
            continue  # the only published PDF of its volume
        before = set(check(document, meta))
        for number, author in enumerate(meta.authors):
            stranger = strangers[(number * 7 + len(meta.title)) % len(strangers)]
            authors = list(meta.authors)
            authors[number] = stranger
            messages = [m for c, _, m in check(document, replace(meta, authors=tuple(authors)))]
            if not any(f"{stranger.name!r} is not on the PDF's first page" in m for m in messages):
                missed.append(f"{meta.id}: {stranger.name} in place of {author.name}")
            rest = tuple(other for other in meta.authors if other is not author)
            if not rest or author.name in {other.name for other in rest}:
                continue  # nothing left to compare with, or the author is listed twice
            if any(repr(author.name) in message for _, _, message in before):
                continue  # not printed in the first place
            deletions += 1
            found = [
                match_key(message)
                for finding in check(document, replace(meta, authors=rest))
                if finding not in before
                for code, _, message in [finding]
                if code == "META002"
            ]
            keys = [match_key(word) for word in author.name.split()]
            long = [key[:4] for key in keys if len(key) >= 4]  # a typo may change the rest
            if not any(all(key in message for key in long or keys) for message in found):
                missed.append(f"{meta.id}: {author.name} left out")
        title = others[len(meta.title) % len(others)].title
        if "META001" not in [c for c, _, _ in check(document, replace(meta, title=title))]:
            missed.append(f"{meta.id}: title {title!r}")
    # A name set in another face than the other names is not read (f-thielmann24a).
    assert len(missed) <= max(2, deletions // 50), missed
