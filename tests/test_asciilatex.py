"""Text to PMLR's ASCII LaTeX, and what PMLR's own scripts make of it.

The first tests need nothing but Python. The others feed what the build writes to PMLR's
decoder (latex-decode, as its `mlresearch.rb` runs it) and its publishing scripts
(`check_volume.rb`, `tidy_bibtex.rb`, `create_volume.rb`) from `../shared/pmlr-tools`, and are
skipped when those or Ruby are absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PAPERS, SHARED
from proceedings.asciilatex import (
    bibtex_last_name,
    char_form,
    encode,
    formulas,
    pmlr_id,
    pmlr_reading,
)
from proceedings.build.pipeline import build_volume
from volumes import VOLUME_YAML

TOOLS = SHARED / "pmlr-tools"
REPLACEMENTS = TOOLS / "papersite" / "unicode_replacements.yml"
DECODE = Path(__file__).parent / "pmlr" / "decode.rb"

# Formulas from real abstracts PMLR published, and what the bib must hold for each: as
# written, but for the braces PMLR's checker refuses (`\{`), which MathJax reads as `\lbrace`.
REAL_MATH = {
    r"$\lambda_{\rm max}$": r"$\lambda_{\rm max}$",
    r"$Y=\{0,1,2\}$": r"$Y=\lbrace0,1,2\rbrace$",
    r"$\tilde$0.90": r"$\tilde$0.90",
    r"$\mathcal{O}(n \log n)$": r"$\mathcal{O}(n \log n)$",
    r"$\mathbf{X}= \mathbf{W}\mathbf{S}^T$": r"$\mathbf{X}= \mathbf{W}\mathbf{S}^T$",
    r"$2.1\times\sim 5.07\times$": r"$2.1\times\sim 5.07\times$",
    r"$\frac{1}{\sqrt{d}}$": r"$\frac{1}{\sqrt{d}}$",
    r"$\R^d$ with a macro of the paper": r"$\R^d$ with a macro of the paper",
    r"\(x^2\) and \[\sum_i x_i\]": r"$x^2$ and $$\sum_i x_i$$",
    r"$$\{x \mid x > 0\}$$": r"$$\lbrace x \mid x > 0\rbrace$$",
    r"$a \\ b$": r"$a \cr b$",
    r"$f''(x) = g'$": r"$f^{\prime\prime}(x) = g^{\prime}$",
    "saving $5 per run": "saving $5 per run",
    "between $5-$10": "between $5-$10",
}


def test_formulas_are_kept_as_written() -> None:
    for text, latex in REAL_MATH.items():
        encoded = encode(text)
        assert encoded.latex == latex, text
        assert encoded.unmapped == ()


def test_a_dollar_that_opens_no_formula_is_text() -> None:
    assert [f.body for f in formulas("costs $5 and $10, or $x$")] == ["x"]
    assert [f.body for f in formulas(r"a \$x$ sign")] == []
    assert encode(r"a \$ sign").latex == "a $ sign"  # PMLR's checker refuses `\$`


def test_text_specials_are_written_as_pmlr_gives_them_back() -> None:
    latex = encode(r"MoE_unsupervised 50% & #1 ~x ^y \emph{z} {a} b}").latex
    assert latex == (
        r"MoE_unsupervised 50\% \& \#1 \textasciitilde{}x \textasciicircum{}y "
        r"\textbackslash{}emph{z} {a} b\textbraceright{}"
    )


def test_typography_greek_and_symbols_of_running_text() -> None:
    text = "“Not” ‘so’ – — … ⟨x⟩ ∞ ε ≤ × 3 µm ﬁne ½ 𝐱 ℝ ³ a\u00a0b"
    assert encode(text).latex == (
        r"``Not'' `so' -- --- \dots{} $\langle$x$\rangle$ $\infty$ $\varepsilon$ $\leq$ "
        r"$\times$ 3 $\mu$m fine 1/2 $\mathbf{x}$ $\mathbb{R}$ $^3$ a~b"
    )


def test_accents_and_combining_marks() -> None:
    assert encode("Matı\u0301as José Øre Łukasz Yıldız Strauß").latex == (
        r"Mat\'{\i}as Jos\'{e} {\O}re {\L}ukasz Y{\i}ld{\i}z Strau{\ss}"
    )
    assert encode("q\u0301 Nguyễn").latex == r"\'{q} Nguy\~{\^{e}}n"


def test_characters_without_a_form_are_named() -> None:
    encoded = encode("Parrots 🦜 and 王")
    assert encoded.unmapped == ("🦜", "王")
    assert encoded.latex == "Parrots and"  # left out, and the spaces around them made one


def test_greek_and_symbols_inside_a_formula() -> None:
    assert encode("$α+β ≤ ∞$ and $\\{x\\}$").latex == (
        r"$\alpha+\beta \leq \infty$ and $\lbrace x\rbrace$"
    )


def test_ids_as_pmlr_derives_them() -> None:
    def key(family: str) -> str:
        return pmlr_id(bibtex_last_name(encode(family).latex), "26a")

    assert key("Loaiza-Ganem") == "loaiza-ganem26a"
    assert key("De Schouwer") == "de-schouwer26a"
    assert key("van der Berg") == "berg26a"
    assert key("De la Fuente") == "fuente26a"  # BibTeX's von part ends at the last lower word
    assert key("Yıldız") == "yildiz26a"
    assert key("Strauß") == "strauss26a"
    assert key("O'Brien") == "o-brien26a"
    assert key("Ştefan") == "stefan26a"


@pytest.fixture(scope="module")
def pmlr_decoder() -> Any:
    """Run PMLR's decoder on LaTeX strings: `decode(strings) -> [(name, abstract, id)]`."""
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (apt-get install ruby ruby-activesupport pandoc)")
    if not (TOOLS / "rubylib").is_dir():
        pytest.skip(f"PMLR's tools are not present at {TOOLS}")
    lib = TOOLS / "rubylib"
    paths = ["bibtex-ruby/lib", "latex-decode/lib", "facets/lib/core", "facets/lib/standard"]
    env = {**os.environ, "RUBYLIB": ":".join(str(lib / path) for path in paths)}

    def decode(strings: list[str]) -> list[tuple[str, str, str]]:
        run = subprocess.run(
            ["ruby", str(DECODE)],
            input="".join(json.dumps(text) + "\n" for text in strings),
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        if run.returncode != 0 and "active_support" in run.stderr:
            pytest.skip("ruby-activesupport is not installed")
        assert run.returncode == 0, run.stderr
        return [tuple(json.loads(line)[1:]) for line in run.stdout.splitlines()]

    return decode


LATIN_LETTERS = [
    chr(code)
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    if unicodedata.category(chr(code)).startswith("L")
]


def _text_form(char: str) -> str:
    """The running-text form of a character that has one."""
    form = char_form(char)
    assert form is not None, char
    return form.text


def test_names_read_and_ids_derived_as_pmlr_does(pmlr_decoder: Any) -> None:
    forms = [f"x{_text_form(char)}x" for char in LATIN_LETTERS if char_form(char)]
    names = [
        "Loaiza-Ganem", "De Schouwer", "O'Brien", "Y{\\i}ld{\\i}z", "Mat\\'{\\i}as",
        "Strau{\\ss}", "Nguy\\~{\\^{e}}n", "Number1", "{\\O}berg",
    ]  # fmt: skip
    strings = forms + names
    for latex, (name, _, pmlr) in zip(strings, pmlr_decoder(strings), strict=True):
        assert pmlr_reading(latex) == name, latex
        assert pmlr_id(latex, "26a") == pmlr, latex


def test_pmlr_reads_every_latin_letter_back(pmlr_decoder: Any) -> None:
    """A letter with one accent, or a letter of its own, comes back from the form the build
    writes; those PMLR's decoder cannot read (two accents, `\\oe`) are the ones the META003
    rule names for authors."""
    letters = [char for char in LATIN_LETTERS if char_form(char) is not None]
    decoded = pmlr_decoder([f"x{_text_form(char)}x" for char in letters])
    unread = [
        char for char, (name, _, _) in zip(letters, decoded, strict=True) if name != f"x{char}x"
    ]
    for char in unread:
        assert pmlr_reading(f"x{_text_form(char)}x") != f"x{char}x", char
    one_accent = {
        char
        for char in letters
        if len(unicodedata.normalize("NFD", char)) == 2
        and unicodedata.normalize("NFD", char)[0].isascii()
    }
    # The comma below of Romanian ș and ț is written as the cedilla PMLR's decoder knows.
    assert set(unread) & one_accent == set("ȘșȚț")


def _replacement_chars() -> list[str]:
    if not REPLACEMENTS.is_file():
        return []
    table = yaml.safe_load(REPLACEMENTS.read_text(encoding="utf-8"))
    return [char for char in table if isinstance(char, str) and not char.isascii()]


def test_every_character_of_pmlrs_table_has_a_form() -> None:
    chars = _replacement_chars()
    if not chars:
        pytest.skip(f"PMLR's replacement table is not present at {REPLACEMENTS}")
    assert len(chars) > 80
    for char in chars:
        assert encode(f"a {char} b").unmapped == (), f"{char!r} U+{ord(char):04X}"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLS / "run"), *args], capture_output=True, text=True, timeout=600, check=False
    )


def _front_matter(page: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(page.read_text(encoding="utf-8").split("---")[1])
    return data


@pytest.mark.slow
def test_pmlrs_table_and_real_math_through_the_build_and_pmlrs_scripts(tmp_path: Path) -> None:
    """Every character of PMLR's replacement table, in titles, abstracts and names, and the
    formulas of real abstracts, through `build` and PMLR's checker and publishing scripts: the
    checker finds no error, tidy changes nothing, and each page reads like papers.yaml."""
    chars = _replacement_chars()
    if not chars or shutil.which("ruby") is None or not (TOOLS / "run").is_file():
        pytest.skip("needs PMLR's tools in ../shared/pmlr-tools and Ruby")
    letters = [char for char in chars if char.isalpha() and char_form(char) is not None]
    symbols = [char for char in chars if char not in letters]
    papers: list[dict[str, Any]] = []
    texts = [f"Symbols {' '.join(symbols)}", f"Letters {' '.join(letters)}", *REAL_MATH]
    for number, text in enumerate(texts, start=1):
        papers.append(
            {
                "id": str(number),
                "title": f"Paper {number}: {text}" if number <= 2 else f"Paper {number}",
                "authors": [{"name": f"Ana {''.join(letters[:6])}{number}"}, {"name": "Bo Li"}],
                "abstract": text,
                "track": "long",
                "archival": True,
                "order": number,
            }
        )
    volume = tmp_path / "volume"
    (volume / "pdf").mkdir(parents=True)
    for paper in papers:
        shutil.copy(PAPERS / "tiny_pass.pdf", volume / "pdf" / f"{paper['id']}.pdf")
    (volume / "volume.yaml").write_text(VOLUME_YAML, encoding="utf-8")
    (volume / "papers.yaml").write_text(
        yaml.safe_dump({"papers": papers}, allow_unicode=True), encoding="utf-8"
    )
    build_volume(volume, tmp_path / "build", only=("pmlr",), check_papers=False)
    upload = tmp_path / "build" / "pmlr"

    check = _run("check", str(upload), "999")
    assert re.search(r"Errors:\s+0\b", check.stdout), check.stdout
    site = tmp_path / "site"
    run = _run("site", str(upload), "999", str(site))
    assert run.returncode == 0, (site / "pipeline.log").read_text()
    ours = (upload / "icbinb-2026.bib").read_text(encoding="ascii")
    tidied = (site / "icbinb-2026_cleaned.bib").read_text(encoding="utf-8")
    assert _fields(tidied) == _fields(ours)

    pages = {
        _front_matter(page)["firstpage"]: _front_matter(page)
        for page in (site / "_posts").glob("*.md")
    }
    assert len(pages) == len(papers)
    by_order = [pages[first] for first in sorted(pages)]
    for paper, page in zip(papers, by_order, strict=True):
        abstract = str(page["abstract"])
        if paper["abstract"] in REAL_MATH:
            assert abstract == REAL_MATH[paper["abstract"]], paper["abstract"]
            continue
        for char in paper["abstract"].split()[1:]:
            form = char_form(char)
            assert form is not None
            if not form.text:
                continue  # a combining mark on no letter (after a space) is left out
            if form.text.startswith("$"):  # MathJax shows the formula as the character
                assert form.text in abstract, (char, abstract)
            else:
                assert _looks(char) in _looks(abstract) or _braced(char, abstract), char
        title = _looks(str(page["title"]))
        for char in paper["title"].split()[2:]:
            shown = char_form(char)
            assert shown is not None
            assert _looks(char) in title or "$" in shown.text or not shown.text, char
        assert page["author"][0]["given"] == "Ana"


# What PMLR's pages show for the ASCII the bib holds: typographic quotes for straight ones, and
# the hyphen for each of the dashes PMLR's own table writes as `-`.
_SHOWN_ALIKE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "\u00a8": '"'}
    | dict.fromkeys("\u2010\u2011\u2212", "-")
)


def _looks(text: str) -> str:
    # Ligatures as their letters (NFKC), after the spacing accents are made ASCII.
    return unicodedata.normalize("NFKC", text.translate(_SHOWN_ALIKE))


def _braced(char: str, abstract: str) -> bool:
    """PMLR's abstract decoder keeps braces: a letter written `{\\o}` shows as `{ø}`, and
    `{\\ss}` it does not decode at all (a known limit of its pages, not of the bib)."""
    return f"{{{char}}}" in abstract or (char == "ß" and "{\\ss}" in abstract)


def _fields(bib: str) -> list[tuple[str, str]]:
    return [
        (name.lower(), " ".join(value.split()))
        for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", bib, re.MULTILINE)
    ]
