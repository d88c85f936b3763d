"""The LaTeX layer: escaping, engine choice, the template environment and the guarded runner."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import page_texts
from proceedings.build.latex import (
    LatexError,
    TexString,
    choose_engine,
    latex_environment,
    latex_escape,
    run_latex,
    source_marker,
)

HOSTILE = r"\input{/etc/passwd} \write18{touch /tmp/x} % & # _ ^ ~ { } \ "

DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\begin{document}
%% source: paper 17 title
BODY
\end{document}
"""


def document(body: str) -> str:
    return DOCUMENT.replace("BODY", body)


# Escaping


def test_specials_are_escaped() -> None:
    assert latex_escape(HOSTILE.strip()) == (
        r"\textbackslash{}input\{/etc/passwd\} \textbackslash{}write18\{touch /tmp/x\} "
        r"\% \& \# \_ \textasciicircum{} \textasciitilde{} \{ \} \textbackslash{}"
    )
    assert latex_escape("[x]") == "{[}x{]}"


def test_straight_double_quotes_become_typographic() -> None:
    assert latex_escape('On "Not Better" ("x")', "lualatex") == "On “Not Better” (“x”)"
    assert latex_escape('"x"') == "``x''"


def test_control_characters_and_line_breaks() -> None:
    assert latex_escape("a\nb\tc\x07d\x00e") == "a b cde"


def test_accents_for_pdflatex_utf8_for_lualatex() -> None:
    assert latex_escape("José Łukasz") == r"Jos\'{e} {\L}ukasz"
    assert latex_escape("Ștefan") == r"{\textcommabelow{S}}tefan"
    assert latex_escape("José 王芳 Ирина", "lualatex").startswith("José 王")
    assert "Ирина" in latex_escape("Ирина", "lualatex")
    assert latex_escape("🦜") == "?"  # no LaTeX form: choose_engine picks LuaLaTeX for it


def test_safe_math_is_kept() -> None:
    for math in (r"$O(n^2)$", r"$\alpha$", r"$\mathbb{R}^d$", r"$a_{i} \leq \sqrt{2}$", "$x$"):
        assert latex_escape(f"A {math} b") == f"A {math} b"


@pytest.mark.parametrize(
    "math",
    [
        r"$\input{x}$",
        r"$\write18{ls}$",
        r"$x^^5cinput$",  # ^^5c is a backslash to TeX
        r"$50%$",
        r"$a & b$",
        r"$#1$",
        r"${x$",
        r"$x}$",
        r"$\\ x$",
        r"$é$",
        r"$\csname relax\endcsname$",
    ],
)
def test_unsafe_math_prints_as_text(math: str) -> None:
    escaped = latex_escape(math)
    assert escaped.startswith(r"\$") and escaped.endswith(r"\$")


def test_dollars_that_are_not_math() -> None:
    assert latex_escape("costs $5 and $10") == r"costs \$5 and \$10"
    assert latex_escape(r"a \$ sign") == r"a \$ sign"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown LaTeX engine"):
        latex_escape("x", "xelatex")


def test_choose_engine() -> None:
    assert choose_engine(["José Álvarez", "Zoë Ölmez", "Ștefan", "$\\alpha$"]) == "pdflatex"
    for text in ("王芳", "Ирина", "Αλέξανδρος", "محمد", "キム", "김민준", "🦜"):
        assert choose_engine(["Ada", text]) == "lualatex", text
    assert choose_engine([]) == "pdflatex"


# The template environment


def test_environment_escapes_every_value(tmp_path: Path) -> None:
    environment = latex_environment("pdflatex")
    template = environment.from_string(
        r"\textbf{\VAR{title}} \VAR{title|tex} \VAR{raw} \VAR{count}"
        "\n\\VAR{source('paper', 17, 'title')}\n"
        r"\#{ a comment }\BLOCK{if flag}yes\BLOCK{endif}"
    )
    out = template.render(title="50% & _", raw=TexString(r"\emph{ok}"), count=3, flag=True)
    assert out.splitlines() == [
        r"\textbf{50\% \& \_} 50\% \& \_ \emph{ok} 3",
        "%% source: paper 17 title",
        "yes",
    ]


def test_missing_values_are_errors() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        latex_environment().from_string(r"\VAR{nothing}").render()


def test_source_marker_stays_on_one_line() -> None:
    assert source_marker("paper", "1\n2", "title") == "%% source: paper 1 2 title"


def test_volume_templates_come_first(tmp_path: Path) -> None:
    (tmp_path / "contents.tex.j2").write_text("own \\VAR{x}", encoding="utf-8")
    environment = latex_environment("pdflatex", tmp_path)
    assert environment.get_template("contents.tex.j2").render(x="$") == r"own \$"
    assert environment.get_template("preamble.tex.j2").filename is not None  # the package's


def test_templates_cannot_reach_python_internals() -> None:
    import jinja2.exceptions

    template = latex_environment().from_string(r"\VAR{x.__class__.__mro__}")
    with pytest.raises(jinja2.exceptions.SecurityError):
        template.render(x="a")


# Running LaTeX


def test_hostile_text_prints_literally_and_runs_nothing(tmp_path: Path) -> None:
    existed = Path("/tmp/x").exists()
    pdf = run_latex(document(latex_escape(HOSTILE)))
    assert pdf.startswith(b"%PDF")
    assert " ".join(HOSTILE.split()) in " ".join(" ".join(page_texts(pdf)).split())
    assert Path("/tmp/x").exists() == existed


def test_shell_escape_is_off() -> None:
    marker = Path(f"/tmp/proceedings-shell-{os.getpid()}")
    run_latex(document(rf"\immediate\write18{{touch {marker}}}ok"))
    assert not marker.exists()


def test_files_outside_the_folder_cannot_be_read() -> None:
    with pytest.raises(LatexError) as caught:
        run_latex(document(r"\input{/etc/passwd}"))
    assert "paper 17 title" in str(caught.value)
    assert "/etc/passwd" in str(caught.value)


def test_workdir_files_are_available_and_confined() -> None:
    pdf = run_latex(document(r"\input{part}"), {"part.tex": b"Included text."})
    assert "Included text." in " ".join(page_texts(pdf))
    with pytest.raises(ValueError, match="relative"):
        run_latex(document("x"), {"../escape.tex": b""})


def test_error_names_the_source_and_shows_the_error_lines() -> None:
    with pytest.raises(LatexError) as caught:
        run_latex(document(r"Title with \undefinedmacro"))
    error = caught.value
    assert error.source == "paper 17 title" and error.line == 6 and error.engine == "pdflatex"
    assert str(error).splitlines() == [
        "pdflatex failed at line 6, in paper 17 title:",
        "  ! Undefined control sequence.",
        r"  l.6 Title with \undefinedmacro",
    ]


def test_broken_math_names_the_source() -> None:
    with pytest.raises(LatexError, match="paper 17 title") as caught:
        run_latex(document(latex_escape("Dropout is $x^$")))
    assert "! Missing { inserted." in caught.value.details


def test_time_limit_stops_the_run() -> None:
    started = time.monotonic()
    with pytest.raises(LatexError, match="did not finish within 2 seconds"):
        run_latex(document(r"\loop\iftrue\repeat"), timeout=2)
    assert time.monotonic() - started < 10


def test_reruns_until_references_settle() -> None:
    body = r"See page \pageref{end}.\newpage\label{end}End."
    text = " ".join(page_texts(run_latex(document(body))))
    assert "See page 2." in text


def test_same_input_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source = document(r"\pdfinfoomitdate=1 \pdftrailerid{}Same.")
    assert run_latex(source) == run_latex(source)


def test_a_character_no_font_has_is_an_error() -> None:
    source = (
        "\\documentclass{article}\n\\usepackage{fontspec}\n\\begin{document}\n"
        "%% source: paper 4 title\n"
        + latex_escape("Emoji \U0001f600 in a title", "lualatex")
        + "\n\\end{document}\n"
    )
    with pytest.raises(LatexError) as caught:
        run_latex(source, engine="lualatex", timeout=300)  # a first run indexes the fonts
    assert caught.value.source == "paper 4 title"
    assert "U+1F600" in str(caught.value) and "line 5" in str(caught.value)
