"""Properties over generated text: it reaches LaTeX and PMLR intact, and nothing raises.

LaTeX runs are slow, so each example is a batch: many generated titles and names typeset in
one front matter, then read back from the PDF.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from conftest import page_texts
from proceedings.build.authors import sort_key
from proceedings.build.frontmatter import build_frontmatter
from proceedings.build.plan import plan_volume
from proceedings.build.pmlr import PmlrError, render_bib
from proceedings.texts import split_name
from proceedings.volume import Author, Paper, Track, VenueRules, Volume

# The scripts the build typesets: Latin with accents, Greek, Cyrillic, Chinese, Japanese kana.
# Straight quotes, hyphens and angle brackets are left out: LaTeX turns them into typography
# on purpose (curly quotes, dashes), so they do not read back as typed.
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ACCENTED = "áàâäãåçéèêëíìîïñóòôöõøúùûüýÿœæßÁÉÍÓÚÑÇÖÜŁłŠšŽžČčŘřĞğİıŞş"
SPECIALS = "\\{}&#^_~%@!?.,;:()[]/*+=|"
OTHER_SCRIPTS = "αβγδεζηθλμπσωΩΔЖИКЛМНОПРСТабвгдежзийклмн王芳张伟李娜日本語テストかな"
WORD = st.text(alphabet=LATIN + ACCENTED + SPECIALS + OTHER_SCRIPTS, min_size=1, max_size=12)
TITLE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
NAME = st.tuples(
    st.text(alphabet=LATIN + ACCENTED, min_size=1, max_size=8),
    st.text(alphabet=LATIN + ACCENTED, min_size=2, max_size=10),
).map(lambda parts: f"{parts[0].capitalize()} {parts[1].capitalize()}")

needs_latex = pytest.mark.skipif(shutil.which("lualatex") is None, reason="needs LuaLaTeX")


def _volume(titles: list[str], names: list[str], tmp: Path) -> Volume:
    for number in range(len(titles)):
        (tmp / f"{number}.pdf").touch()  # the plan wants the files; their pages are given
    papers = [
        Paper(
            id=str(number),
            title=title,
            authors=(_author(names[number % len(names)]),),
            abstract="An abstract.",
            track="long",
            archival=True,
            pdf=tmp / f"{number}.pdf",
            pdf_shown=f"pdf/{number}.pdf",
            line=1,
        )
        for number, title in enumerate(titles)
    ]
    return Volume(
        root=tmp,
        proceedings={"booktitle": "Generated", "shortname": "GEN 2026", "year": 2026},
        tracks=(Track("long", "Long Papers", 5),),
        venue=VenueRules(),
        frontmatter={},
        papers=papers,
    )


def _author(name: str) -> Author:
    parts = split_name(name)
    assert parts is not None
    return Author(name=name, given=parts.given, family=parts.family)


def _letters(text: str) -> str:
    """Text compared as it reads back: normalised, without spaces, dots or dashes."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s.\u2013\u2014\u00ad\ufffe-]+", "", folded)


@needs_latex
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    titles=st.lists(TITLE, min_size=5, max_size=25), names=st.lists(NAME, min_size=1, max_size=5)
)
def test_any_title_escaped_for_latex_compiles_and_reads_back(
    titles: list[str], names: list[str], tmp_path: Path
) -> None:
    titles = [" ".join(title.split()) for title in titles]
    titles = [title for title in dict.fromkeys(titles) if title]
    plan = plan_volume(_volume(titles, names, tmp_path), count_pages=lambda path: 1)
    out = tmp_path / f"front-{abs(hash(tuple(titles)))}"
    pdf = build_frontmatter(plan, out)
    text = " ".join(page_texts(pdf))
    read = _letters(text)
    for title in titles:
        assert _letters(title) in read, title


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(TITLE, min_size=1, max_size=8), names=st.lists(NAME, min_size=1, max_size=4))
def test_the_pmlr_bib_parses_back_to_the_same_entries(titles: list[str], names: list[str]) -> None:
    titles = [title for title in dict.fromkeys(" ".join(t.split()) for t in titles) if title]
    latin_titles = [title for title in titles if not re.search(f"[{OTHER_SCRIPTS}]", title)]
    if not latin_titles:
        return
    with tempfile.TemporaryDirectory() as scratch:
        plan = plan_volume(_volume(latin_titles, names, Path(scratch)), count_pages=lambda p: 3)
    try:
        text = render_bib(plan)
    except PmlrError:
        return  # a character with no LaTeX form is refused with a message, by design
    assert text.isascii()
    library = parse_string(text)
    assert not library.failed_blocks
    entries = [entry for entry in library.entries if entry.entry_type.lower() == "inproceedings"]
    assert [entry.key for entry in entries] == [item.key for item in plan.archival]
    decode = _decoder()
    for entry, item in zip(entries, plan.archival, strict=True):
        assert entry["pages"] == item.page_range
        decoded = decode.latex_to_text(entry["title"])
        assert _letters(decoded) == _letters(item.paper.title)


def _decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX reader, taught the text macros the PMLR writer uses for specials."""
    context = get_default_latex_context_db()
    specials = {
        "textbraceleft": "{",
        "textbraceright": "}",
        "textbackslash": "\\",
        "textdollar": "$",
        "textunderscore": "_",
        "textasciicircum": "^",
        "textasciitilde": "~",
    }
    context.add_context_category(
        "pmlr-specials",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in specials.items()],
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_name_splitting_and_sort_keys_never_raise(name: str) -> None:
    parts = split_name(name)
    if parts is not None:
        assert parts.family
        sort_key(Author(name=name, given=parts.given, family=parts.family))
