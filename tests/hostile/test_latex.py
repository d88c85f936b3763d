"""Hostile text that reaches LaTeX: titles, names and abstracts of a volume built with
`proceedings build --only frontmatter,pmlr`.

Text is printed as written (specials, `<<`, control characters dropped, combining marks,
right-to-left scripts), whether pdfLaTeX or LuaLaTeX typesets it; attempts to read files or
run commands are printed, never obeyed; a character no font has stops the build with one
message naming the paper and field; nothing prints a traceback.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import page_texts
from hostile import make
from hostile.runner import Run, proceedings

# A build of three papers' front matter takes about 5 s.
BOUND = 60.0
PASSWD = Path("/etc/passwd")


def pdf_text(path: Path) -> str:
    return squash(" ".join(page_texts(path)))


def squash(text: str) -> str:
    """Text as printed, for comparing: without white space (PDFium drops the space after an
    accent that TeX built, `q́ ṇ̃` comes out as `q́ṇ̃`), TeX's typographic quotes as the
    straight ones typed."""
    text = text.replace("\ufffe", "").replace("-\r\n", "")
    quotes = str.maketrans({"\u2018": "`", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    return "".join(unicodedata.normalize("NFC", text.translate(quotes)).split())


def as_printed(text: str) -> str:
    """`text` as the front matter prints it: control characters dropped, line breaks spaces."""
    kept = "".join(
        char for char in text if unicodedata.category(char) not in ("Cc", "Cf") or char in "\t\n\r"
    )
    return squash(kept)


def build(root: Path, papers: str, tmp_path: Path) -> tuple[Run, Path]:
    make.write_latex_volume(root, papers)
    out = tmp_path / f"{root.name}-build"
    run = proceedings(
        "build", root, "-o", out, "--only", "frontmatter,pmlr", "--no-check", bound=BOUND
    )
    return run, out


def assert_nothing_leaked(run: Run, out: Path, pwned: Path) -> None:
    """No command ran, and no line of /etc/passwd reached any output."""
    assert not pwned.exists()
    if not PASSWD.is_file():
        return
    secrets = [line for line in PASSWD.read_text(errors="replace").splitlines() if ":" in line]
    outputs = [run.output]
    for path in out.rglob("*") if out.exists() else []:
        if path.is_file():
            data = path.read_bytes()
            outputs.append(data.decode("latin-1"))
            if path.suffix == ".pdf":
                outputs.append(pdf_text(path))
    for secret in secrets[:3]:
        spaceless = "".join(secret.split())  # as `pdf_text` gives text
        assert not any(secret in output or spaceless in output for output in outputs), secret


def papers_of(root: Path) -> list[dict[str, Any]]:
    papers: list[dict[str, Any]] = yaml.safe_load((root / "papers.yaml").read_text())["papers"]
    return papers


@pytest.mark.slow
def test_latin_text_prints_literally_with_pdflatex(tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    run, out = build(tmp_path / "latin", make.latex_papers(pwned), tmp_path)
    assert run.code == 0, run.output
    text = pdf_text(out / "frontmatter" / "frontmatter.pdf")
    tex = (out / "frontmatter" / "frontmatter.tex").read_text(encoding="utf-8")
    assert "fontspec" not in tex  # pdfLaTeX typeset it
    for paper in papers_of(tmp_path / "latin"):
        assert as_printed(paper["title"]) in text, paper["title"]
        for author in paper["authors"]:
            assert as_printed(author["name"]) in text, author["name"]
    volume = yaml.safe_load((tmp_path / "latin" / "volume.yaml").read_text(encoding="utf-8"))
    speaker = volume["frontmatter"]["invited_speakers"][-1]
    assert str(pwned) in speaker["talk"]
    for value in speaker.values():
        assert as_printed(value) in text, value
    for command in ("\\input{", "\\write18{", "\\openin5", "\\catcode`", "^^5c", "\\csname"):
        assert command not in tex, command
    bib = (out / "pmlr" / "icbinb-2026.bib").read_text(encoding="ascii")
    # As PMLR's pages give them back: a backslash, balanced braces and dollars as written.
    assert "\\textbackslash{}input{/etc/passwd}" in bib
    assert "\\% \\&" in bib and "$5 and $10" in bib
    assert_nothing_leaked(run, out, pwned)


@pytest.mark.slow
def test_right_to_left_and_specials_print_with_lualatex(tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    run, out = build(tmp_path / "rtl", make.latex_papers(pwned, right_to_left=True), tmp_path)
    assert run.code == 0, run.output
    text = pdf_text(out / "frontmatter" / "frontmatter.pdf")
    tex = (out / "frontmatter" / "frontmatter.tex").read_text(encoding="utf-8")
    assert "\\textdir TRT" in tex  # LuaLaTeX typeset it, right to left
    papers = papers_of(tmp_path / "rtl")
    for paper in papers[:2]:
        assert as_printed(paper["title"]) in text, paper["title"]
    # The text layer of right-to-left runs is in visual order: compare the letters.
    letters = set(make.RIGHT_TO_LEFT + "محمد علي") - {" "}
    shown = set(unicodedata.normalize("NFKC", text))
    assert letters - set("and") <= shown, letters - shown
    assert_nothing_leaked(run, out, pwned)


@pytest.mark.slow
def test_a_character_no_font_has_is_one_clear_error(tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    run, out = build(tmp_path / "emoji", make.latex_papers(pwned, emoji=True), tmp_path)
    assert run.code == 1
    (line,) = [line for line in run.stderr.splitlines() if line.strip()]
    assert line.startswith("Error: the front matter does not compile")
    assert "U+1F600" in line and "in paper 3 title" in line
    assert not out.exists()  # a failed build leaves nothing half-written
    assert_nothing_leaked(run, out, pwned)


def test_lone_surrogate_stops_the_build_at_the_metadata(tmp_path: Path) -> None:
    root = make.write_volume(tmp_path / "papers", make.YAML_CASES["lone_surrogate"]())
    out = tmp_path / "build"
    run = proceedings("build", root, "-o", out, "--only", "frontmatter,pmlr", bound=BOUND)
    assert run.code == 1
    assert "VOL001  papers.yaml:3 YAML syntax error" in run.stderr
    assert not out.exists()
