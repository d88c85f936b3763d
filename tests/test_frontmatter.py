"""The front matter of a synthetic volume, typeset for real and read back from the PDF.

The volume holds what breaks front matters: accented names and particles, one person under two
spellings, two people with one name, Chinese, Cyrillic and Greek names, a title written to
attack LaTeX, and a non-archival paper. It is compiled once per module; the tests read the
text of its pages.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import PAPERS, page_texts
from proceedings.build.authors import author_index, index_heading, sort_key
from proceedings.build.frontmatter import (
    FrontmatterError,
    build_frontmatter,
    frontmatter_context,
    parse_preface,
    render_frontmatter,
)
from proceedings.build.latex import LatexError
from proceedings.build.plan import Plan, plan_volume
from proceedings.volume import Author, load_volume

HOSTILE = r"\input{/etc/passwd} \write18{touch /tmp/x} % & # _ ^ ~ { } \ "
HOSTILE_FILE = Path("/tmp/x")

VOLUME_YAML = """\
proceedings:
  booktitle: "Proceedings of the I Can't Believe It's Not Better Workshop at ICLR 2026"
  name: "I Can't Believe It's Not Better Workshop"
  shortname: ICBINB 2026
  year: 2026
  editors:
    - {name: Jessica Forde, affiliation: Brown University}
    - {name: Ana María García, affiliation: Universidad de Chile}
  volume: 999
  start: 2026-04-27
  end: 2026-04-27
  published: 2026-08-01
  address: "Rio de Janeiro, Brazil"
  conference_url: "https://sites.google.com/view/icbinb-2026"
  conference_number: 6
tracks:
  - {id: long, title: Long Papers, page_limit: 5}
  - {id: tiny, title: Tiny Papers, page_limit: 2}
frontmatter:
  title_lines: ["I Can't Believe It's Not Better:", "Where Large Language Models Need to Improve"]
  preface: preface.md
  organizers:
    - {name: Jessica Forde, affiliation: Brown University}
    - {name: Ana María García, affiliation: Universidad de Chile}
    - {name: Kenji Tanaka, affiliation: University of Tokyo}
    - {name: Fatima Khan, affiliation: Mila}
  invited_speakers:
    - {name: Grace Hopper, affiliation: Yale University, talk: "Negative Results at Scale"}
    - {name: Ilya Prigogine, affiliation: ULB, talk: "Why $\\\\alpha > 1$ Was Never Enough"}
  program_committee:
%(committee)s
"""

COMMITTEE = [
    ("Aiko Suzuki", "Kyoto University"),
    ("Bruno Costa", "USP"),
    ("Chloé Dubois", "Inria"),
    ("Dmitri Volkov", "EPFL"),
    ("Elena Rossi", "Politecnico di Milano"),
    ("Farid Haddad", "KAUST"),
    ("Greta Lindqvist", "KTH"),
    ("Hiro Yamamoto", "RIKEN AIP"),
    ("Ines Moreau", "ENS Paris"),
    ("Jonas Weber", "TU Munich"),
    ("Kavya Iyer", "IISc Bangalore"),
    ("Liam O'Brien", "Trinity College Dublin"),
    ("Maya Cohen", "Technion"),
    ("Nils van Dijk", "University of Amsterdam"),
    ("Olga Sokolova", "HSE University"),
    ("Pedro Alves", "IST Lisbon"),
    ("Qing Li", "Peking University"),
    ("Rosa Martínez", "UPF Barcelona"),
]

PAPERS_YAML = """\
papers:
  - id: "3"
    title: "Adaptive Batch Scaling Does Not Survive a Tuned Baseline"
    authors:
      - {name: José Álvarez, openreview: ~Jose_Alvarez1, affiliation: Universidad de Chile}
      - {name: Ludwig van der Berg, affiliation: University of Amsterdam}
      - {name: Łukasz Nowak, email: lukasz@example.org}
    abstract: A tuned baseline wins.
    track: long
    archival: true
  - id: "5"
    title: "When Bigger Batches Did Not Help: $O(n^2)$ Memory for $\\\\alpha$-Scaling"
    authors:
      - {name: Jose Alvarez, openreview: ~Jose_Alvarez1}
      - {name: 王芳, latin: Fang Wang, affiliation: Tsinghua University}
      - {name: Zoë Ölmez, orcid: 0000-0002-1825-0097}
    abstract: Bigger batches did not help.
    track: long
    archival: true
  - id: "8"
    title: %(hostile)s
    authors:
      - {name: Wei Zhang, openreview: ~Wei_Zhang1, affiliation: Tsinghua University}
      - {name: Ирина Петрова, affiliation: Lomonosov Moscow State University}
    abstract: A title that must print as written.
    track: long
    archival: true
  - id: "9"
    title: "A Tiny Negative Result on Learning-Rate Warm-up"
    authors:
      - {name: Wei Zhang, openreview: ~Wei_Zhang7, affiliation: University of Toronto}
      - {name: Anna Zimmermann}
      - {name: Marta Łukasiewicz, affiliation: University of Warsaw}
      - {name: Zoe Olmez, orcid: "https://orcid.org/0000-0002-1825-0097"}
    abstract: Warm-up did nothing.
    track: tiny
    archival: true
  - id: "11"
    title: "Label Smoothing and the Calibration That Was Not"
    authors:
      - {name: Αλέξανδρος Παπαδόπουλος, latin: Alexandros Papadopoulos}
      - {name: Björn Åström}
      - {name: محمد علي, latin: Mohamed Ali, affiliation: Cairo University}
    abstract: Calibration stayed the same.
    track: tiny
    archival: true
  - id: "12"
    title: "Negative Results Are Results Too"
    authors:
      - {name: José Álvarez, openreview: ~Jose_Alvarez1}
      - {name: Björn Åström}
    abstract: A position paper.
    track: long
    archival: false
"""

PREFACE = """\
# Preface

This volume collects the papers of the *sixth* I Can't Believe It's Not Better workshop, held
at ICLR 2026. Its subject is the gap between what we expected of large language models and
what they did: 100% of the results here are **negative**, and that is the point.

## Thanks

We thank the authors, the program committee and the invited speakers; costs of $5 and $10
and a stray \\section{x} stay text.
"""

PDFS = {
    "3": "long_refs_mid_p5.pdf",
    "5": "long_refs_top_p6.pdf",
    "8": "numbered_refs.pdf",
    "9": "tiny_pass.pdf",
    "11": "tiny_over.pdf",
    "12": "runin_ack.pdf",
}


def make_volume(root: Path, papers_yaml: str | None = None) -> Path:
    """The synthetic volume in `root`: YAML, preface and fixture PDFs."""
    (root / "pdf").mkdir(parents=True)
    for paper_id, name in PDFS.items():
        shutil.copy(PAPERS / name, root / "pdf" / f"{paper_id}.pdf")
    committee = "\n".join(
        f"    - {{name: {name}, affiliation: {affiliation}}}" for name, affiliation in COMMITTEE
    )
    (root / "volume.yaml").write_text(VOLUME_YAML % {"committee": committee}, encoding="utf-8")
    hostile = '"' + HOSTILE.strip().replace("\\", "\\\\") + '"'
    text = papers_yaml or PAPERS_YAML % {"hostile": hostile}
    (root / "papers.yaml").write_text(text, encoding="utf-8")
    (root / "preface.md").write_text(PREFACE, encoding="utf-8")
    return root


def load_plan(root: Path) -> Plan:
    volume, _ = load_volume(root)
    return plan_volume(volume)


def squash(text: str) -> str:
    return "".join(flat(text).split())


def flat(text: str) -> str:
    """Text with line breaks, hyphenation at line ends and runs of spaces folded."""
    text = unicodedata.normalize("NFC", text.replace("\r", ""))
    text = re.sub(r"-\n(?=[a-z])", "", text)
    text = text.replace("\ufffe", "").replace("\u00ad", "").replace("\u2010", "-")
    return " ".join(text.split())


# A volume in Latin script only: typeset with pdfLaTeX.
LATIN_PAPERS_YAML = """\
papers:
  - id: "3"
    title: "Warm Restarts Were Not the Reason"
    authors:
      - {name: Chloé Dubois, affiliation: Inria}
      - {name: Nils van Dijk}
    abstract: Restarts did not matter.
    track: long
    archival: true
  - id: "9"
    title: "Dropout Is Not Calibration"
    authors:
      - {name: Søren Kierkegaard-Ørsted}
    abstract: It is not.
    track: tiny
    archival: true
"""

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The synthetic volume, its plan and its front matter, typeset once for the module."""
    base = tmp_path_factory.mktemp("frontmatter")
    root = make_volume(base / "papers")
    before = sorted(str(path.relative_to(root)) for path in root.rglob("*"))
    existed = HOSTILE_FILE.exists()
    plan = load_plan(root)
    pdf = build_frontmatter(plan, base / "build" / "frontmatter")
    return {
        "root": root,
        "before": before,
        "hostile_file_existed": existed,
        "plan": plan,
        "pdf": pdf,
        "tex": (pdf.parent / "frontmatter.tex").read_text(encoding="utf-8"),
        "pages": page_texts(pdf),
    }


def pages_of(built: dict[str, object]) -> list[str]:
    pages = built["pages"]
    assert isinstance(pages, list)
    return pages


def plan_of(built: dict[str, object]) -> Plan:
    plan = built["plan"]
    assert isinstance(plan, Plan)
    return plan


def page_with(built: dict[str, object], heading: str) -> str:
    return next(flat(page) for page in pages_of(built) if flat(page).startswith(heading))


def test_writes_tex_and_pdf_into_the_output_folder_only(built: dict[str, object]) -> None:
    pdf = built["pdf"]
    assert isinstance(pdf, Path) and pdf.name == "frontmatter.pdf"
    assert (pdf.parent / "frontmatter.tex").is_file()
    assert pdf.read_bytes().startswith(b"%PDF")
    root = built["root"]
    assert isinstance(root, Path)
    assert sorted(str(path.relative_to(root)) for path in root.rglob("*")) == built["before"]


def test_other_scripts_are_typeset_with_lualatex(built: dict[str, object]) -> None:
    tex = built["tex"]
    assert isinstance(tex, str)
    assert tex.splitlines()[0] == "% !TEX program = lualatex"


def test_every_title_and_author_is_printed(built: dict[str, object]) -> None:
    text = flat(" ".join(pages_of(built)))
    plan = plan_of(built)
    papers = [item.paper for item in plan.archival] + list(plan.non_archival)
    for paper in papers:
        title = paper.title.replace("$O(n^2)$", "O(n2)").replace("$\\alpha$", "α")
        assert squash(title) in squash(text), paper.title  # math superscripts break lines
        for author in paper.authors:
            if author.name == "محمد علي":  # right to left: the text layer is in visual order
                assert set(author.name) - {" "} <= set(text)
                continue
            assert author.name in text, author.name
    assert "王芳" in text and "Ирина Петрова" in text and "Αλέξανδρος Παπαδόπουλος" in text


def test_hostile_title_prints_literally_and_runs_nothing(built: dict[str, object]) -> None:
    contents = page_with(built, "Contents")
    assert flat(HOSTILE) in contents
    tex = built["tex"]
    assert isinstance(tex, str)
    assert "\\input{" not in tex and "\\write18" not in tex
    assert HOSTILE_FILE.exists() == built["hostile_file_existed"]


def test_contents_page_ranges_equal_the_plan(built: dict[str, object]) -> None:
    contents = page_with(built, "Contents")
    plan = plan_of(built)
    for item in plan.archival:
        title = flat(HOSTILE) if item.paper.id == "8" else item.paper.title[:30]
        after = contents[contents.index(title) :]
        found = re.search(r"(\d+)\s*[–-]\s*(\d+)", after)
        assert found is not None, item.paper.title
        assert (int(found.group(1)), int(found.group(2))) == (item.first_page, item.last_page)


def test_non_archival_papers_are_listed_apart_without_pages(built: dict[str, object]) -> None:
    contents = page_with(built, "Contents")
    apart = contents[contents.index("Non-archival Papers") :]
    assert "Negative Results Are Results Too" in apart
    assert not re.search(r"\d+\s*[–-]\s*\d+", apart)
    assert "Negative Results Are Results Too" not in contents[: contents.index("Non-archival")]


def test_front_matter_pages_are_numbered_in_roman(built: dict[str, object]) -> None:
    pages = pages_of(built)
    assert len(pages) >= 5
    assert not re.search(r"(?m)^\s*i\s*$", pages[0])  # the title page shows no number
    # Nor does its back, the copyright page.
    assert "ISSN" in pages[1] and not re.search(r"(?m)^\s*ii\s*$", pages[1])
    for number, page in enumerate(pages[2:], start=3):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last == ROMAN[number - 1]


def test_author_index_files_accents_particles_and_scripts(built: dict[str, object]) -> None:
    index = page_with(built, "Author Index")
    order = [
        "Ali, Mohamed)",  # after the Arabic name, whose text the PDF layer gives in visual order
        "Álvarez, José",
        "Åström, Björn",
        "Berg, Ludwig van der",
        "Łukasiewicz, Marta",
        "Nowak, Łukasz",
        "Ölmez, Zoë",
        "Παπαδόπουλος, Αλέξανδρος (Papadopoulos, Alexandros)",
        "王芳 (Wang, Fang)",
        "Zhang, Wei",
        "Zimmermann, Anna",
        "Петрова, Ирина",
    ]
    positions = [index.index(name) for name in order]
    assert positions == sorted(positions)


def test_one_person_under_two_spellings_is_one_entry(built: dict[str, object]) -> None:
    index = page_with(built, "Author Index")
    assert index.count("Álvarez, José") == 1
    assert "Alvarez, Jose" not in index
    assert re.search(r"Álvarez, José[ .]*1, 11 \(non-archival\)", index)
    assert index.count("Ölmez, Zoë") == 1 and "Olmez, Zoe" not in index  # merged by ORCID


def test_two_people_with_one_name_stay_apart(built: dict[str, object]) -> None:
    index = page_with(built, "Author Index")
    plan = plan_of(built)
    pages = {item.paper.id: item.first_page for item in plan.archival}
    assert re.search(rf"Zhang, Wei \(Tsinghua University\)[ .]*{pages['8']}\b", index)
    assert re.search(rf"Zhang, Wei \(University of Toronto\)[ .]*{pages['9']}\b", index)


def test_preface_is_printed_with_its_text_escaped(built: dict[str, object]) -> None:
    preface = page_with(built, "Preface")
    assert "100% of the results here are negative" in preface
    assert "costs of $5 and $10 and a stray \\section{x} stay text" in preface
    assert "Thanks" in preface
    assert preface.count("Preface") == 1  # the file's own "# Preface" is not repeated


def test_organization_lists_committees(built: dict[str, object]) -> None:
    page = page_with(built, "Organization")
    for heading in ("Organizers", "Invited Speakers", "Program Committee"):
        assert heading in page
    assert "Negative Results at Scale" in page
    # the committee is sorted by family name, particles aside: Costa < van Dijk < Dubois
    assert page.index("Bruno Costa") < page.index("Nils van Dijk") < page.index("Chloé Dubois")


# Without LaTeX: the index and the preface as data.


def test_index_entries_as_data(built: dict[str, object]) -> None:
    entries = author_index(plan_of(built))
    headings = [entry.heading for entry in entries]
    assert headings.count("Zhang, Wei") == 2
    assert len(headings) == len(set(zip(headings, [entry.note for entry in entries], strict=True)))
    alvarez = next(entry for entry in entries if entry.heading == "Álvarez, José")
    assert alvarez.pages == (1, 11) and alvarez.non_archival and alvarez.papers == ("3", "5", "12")
    assert [entry.letter for entry in entries][:4] == ["A", "A", "A", "B"]
    assert entries[0].heading == "محمد علي (Ali, Mohamed)"
    assert entries[-1].heading == "Петрова, Ирина"


def test_index_headings_in_other_scripts() -> None:
    assert index_heading(Author(name="王芳", given="芳", family="王", latin="Fang Wang")) == (
        "王芳 (Wang, Fang)"
    )
    assert index_heading(Author(name="محمد علي", given="محمد", family="علي")) == "محمد علي"
    assert index_heading(Author(name="Ирина Петрова", given="Ирина", family="Петрова")) == (
        "Петрова, Ирина"
    )
    spelled = Author(name="Ирина Петрова", given="Ирина", family="Петрова", latin="Irina Petrova")
    assert index_heading(spelled) == "Петрова, Ирина (Petrova, Irina)"
    mixed = Author(name="Ирина Zhang", given="Ирина", family="Zhang")
    assert sort_key(mixed) < sort_key(
        Author(name="Anna Zimmermann", given="Anna", family="Zimmermann")
    )


def test_sort_key_folds_accents_and_particles() -> None:
    def author(name: str, family: str, given: str) -> Author:
        return Author(name=name, given=given, family=family)

    names = [
        author("Ludwig van der Berg", "van der Berg", "Ludwig"),
        author("Ana Álvarez", "Álvarez", "Ana"),
        author("Zoë Ölmez", "Ölmez", "Zoë"),
        author("Piotr Łukasz", "Łukasz", "Piotr"),
        author("Ana Alvarez", "Alvarez", "Ana"),
        author("Zed Zulu", "Zulu", "Zed"),
    ]
    ordered = [item.name for item in sorted(names, key=sort_key)]
    assert ordered.index("Ana Álvarez") < ordered.index("Ludwig van der Berg")
    assert ordered.index("Ludwig van der Berg") < ordered.index("Piotr Łukasz")
    assert ordered.index("Piotr Łukasz") < ordered.index("Zoë Ölmez") < ordered.index("Zed Zulu")
    assert index_heading(names[0]) == "Berg, Ludwig van der"
    suffix = Author(
        name="Martin Luther King Jr.", given="Martin Luther", family="King", suffix="Jr."
    )
    assert index_heading(suffix) == "King, Martin Luther, Jr."
    chinese = Author(name="李娜", given="娜", family="李")
    assert sort_key(chinese) > sort_key(names[-1])  # no Latin spelling: after Latin names


def test_preface_parsing() -> None:
    paragraphs = list(parse_preface(PREFACE, "preface.md"))
    assert [paragraph.heading for paragraph in paragraphs] == [False, True, False]
    styles = [(run.style, run.text) for run in paragraphs[0].runs if run.style]
    assert styles == [("em", "sixth"), ("strong", "negative")]
    assert paragraphs[1].runs[0].text == "Thanks"
    assert paragraphs[0].where == "preface.md line 3"


def test_missing_preface_is_a_clear_error(tmp_path: Path) -> None:
    root = make_volume(tmp_path / "papers")
    (root / "preface.md").unlink()
    with pytest.raises(FrontmatterError, match="preface.md is not in the volume folder"):
        render_frontmatter(load_plan(root))


def test_context_orders_the_committee_by_family_name(built: dict[str, object]) -> None:
    context = frontmatter_context(plan_of(built))
    names = [person.name for person in context["program_committee"]]
    assert names[:4] == ["Pedro Alves", "Maya Cohen", "Bruno Costa", "Nils van Dijk"]
    assert context["committee_columns"] == 3


# pdfLaTeX, template overrides and LaTeX errors, on a volume in Latin script.


@pytest.fixture
def latin_volume(tmp_path: Path) -> Path:
    return make_volume(tmp_path / "papers", LATIN_PAPERS_YAML)


def test_volume_template_override_is_used(latin_volume: Path, tmp_path: Path) -> None:
    overrides = latin_volume / "templates" / "latex"
    overrides.mkdir(parents=True)
    (overrides / "titlepage.tex.j2").write_text(
        "\\thispagestyle{empty}\n"
        "{\\Huge Our Own Title Page\\par}\n"
        '\\VAR{source("volume.yaml proceedings.shortname")}\n'
        "\\VAR{shortname}\\par\n"
        "\\clearpage\n",
        encoding="utf-8",
    )
    pdf = build_frontmatter(load_plan(latin_volume), tmp_path / "out")
    tex = (tmp_path / "out" / "frontmatter.tex").read_text(encoding="utf-8")
    assert tex.splitlines()[0] == "% !TEX program = pdflatex"
    pages = page_texts(pdf)
    assert "Our Own Title Page" in pages[0] and "ICBINB 2026" in pages[0]
    assert "Warm Restarts Were Not the Reason" in flat(" ".join(pages))  # the rest as shipped
    assert "Kierkegaard-Ørsted" in flat(" ".join(pages))


def test_latex_error_names_the_paper_and_field(latin_volume: Path, tmp_path: Path) -> None:
    from importlib.resources import files

    shipped = (files("proceedings") / "templates" / "latex" / "contents.tex.j2").read_text()
    line = "\\fmtoctitle{\\fmtoclink{\\VAR{paper.destination}}{\\VAR{paper.title}}}"
    assert line in shipped
    broken = shipped.replace(
        line, line + '\\BLOCK{if paper.id == "9"}\\thisisnotacommand\\BLOCK{endif}'
    )
    overrides = latin_volume / "templates" / "latex"
    overrides.mkdir(parents=True)
    (overrides / "contents.tex.j2").write_text(broken, encoding="utf-8")
    with pytest.raises(LatexError) as caught:
        build_frontmatter(load_plan(latin_volume), tmp_path / "out")
    error = caught.value
    assert error.source == "paper 9 title"
    message = str(error)
    assert "paper 9 title" in message and "! Undefined control sequence." in message
    assert re.search(r"l\.\d+ .*\\thisisnotacommand", message)
    assert "Here is how much" not in message and len(message.splitlines()) < 10
    assert not (tmp_path / "out" / "frontmatter.pdf").exists()


def test_math_error_in_a_title_names_the_paper(latin_volume: Path, tmp_path: Path) -> None:
    papers = latin_volume / "papers.yaml"
    papers.write_text(
        papers.read_text().replace("Dropout Is Not Calibration", "Dropout Is Not $x^$"),
        encoding="utf-8",
    )
    with pytest.raises(LatexError, match=r"paper 9 title") as caught:
        build_frontmatter(load_plan(latin_volume), tmp_path / "out")
    assert caught.value.source == "paper 9 title"
