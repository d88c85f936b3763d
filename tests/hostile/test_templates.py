"""Hostile template overrides: a volume's `templates/latex/` files that try to read the machine.

An override is read only when it is a regular file inside the volume: a link out of it, a
FIFO, a folder or an oversized file is one message naming the file, at once. An override that
could run Lua, read a file or build a command from pieces is refused, however the command is
spelt, with the file and line. Behind that check, where bubblewrap works, LaTeX itself sees
only TeX Live's tree and its own folder: Lua's `io.open('/etc/passwd')` finds nothing. A
killed build leaves LaTeX's folders in its own scratch folder, never in the system's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
import yaml

from hostile import make
from hostile.runner import Run, proceedings
from hostile.test_latex import PASSWD, assert_nothing_leaked
from proceedings.build import latex
from proceedings.build.frontmatter import override_problems

BOUND = 60.0
TEMPLATE = "titlepage.tex.j2"  # an override of the first page
LATEX_FOLDER = "proceedings-latex-*"


def papers_yaml(*, lualatex: bool) -> str:
    """Two papers; with `lualatex`, an author written in Chinese, which needs LuaLaTeX."""
    first = {"name": "李娜", "latin": "Li Na"} if lualatex else {"name": "Ada Example"}
    papers = [
        {
            "id": "1",
            "title": "A Calm Title",
            "authors": [first, {"name": "Ben Sample"}],
            "abstract": "Nothing to see.",
            "track": "tiny",
            "archival": True,
        },
        {
            "id": "2",
            "title": "Another Calm Title",
            "authors": [{"name": "Cleo Doe"}],
            "abstract": "Nothing either.",
            "track": "tiny",
            "archival": False,
        },
    ]
    return yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False)


def volume(tmp_path: Path, *, lualatex: bool = True) -> Path:
    root = make.write_latex_volume(tmp_path / "papers", papers_yaml(lualatex=lualatex))
    (root / "templates" / "latex").mkdir(parents=True)
    return root


def build(root: Path, tmp_path: Path) -> tuple[Run, Path]:
    out = tmp_path / "build"
    run = proceedings(
        "build", root, "-o", out, "--only", "frontmatter,pmlr", "--no-check", bound=BOUND
    )
    return run, out


def secrets() -> list[str]:
    lines = PASSWD.read_text(errors="replace").splitlines() if PASSWD.is_file() else []
    return [line for line in lines if ":" in line][:3]


def decoded(pdf: Path) -> str:
    """Everything a PDF holds, streams decompressed: where Lua's `pdf.setinfo` or pdfTeX's
    `\\pdfobj file` would put a file."""
    parts: list[str] = []
    with pikepdf.open(pdf) as document:
        parts += [str(value) for value in document.docinfo.values()]
        for item in document.objects:
            if isinstance(item, pikepdf.Stream):
                try:
                    parts.append(item.read_bytes().decode("latin-1"))
                except pikepdf.PdfError:
                    parts.append(item.read_raw_bytes().decode("latin-1"))
    return "\n".join(parts)


def assert_refused(run: Run, out: Path, root: Path, words: str) -> None:
    """Exit 1 before anything is typeset: the build's metadata rules report the override
    (VOL017, as `check` does), one finding naming it; nothing written, nothing of
    /etc/passwd; and the finding is the message `override_problems` gives of the volume."""
    assert run.code == 1, run.output
    lines = [line for line in run.output.splitlines() if "VOL017" in line]
    assert len(lines) == 1, run.output
    assert "templates/latex" in lines[0] and words in lines[0], lines[0]
    assert not out.exists()
    assert_nothing_leaked(run, out, root.parent / "PWNED")
    (problem,) = override_problems(root)
    assert lines[0].endswith(problem), (problem, lines[0])


# --------------------------------------------------------------------------------------------
# Files that are not the volume's own templates


@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_an_override_linked_to_etc_passwd_is_refused_unread(tmp_path: Path, how: str) -> None:
    root = volume(tmp_path)
    link = root / "templates" / "latex" / TEMPLATE
    target = PASSWD if how == "absolute" else Path(os.path.relpath(PASSWD, link.parent))
    link.symlink_to(target)
    run, out = build(root, tmp_path)
    assert_refused(run, out, root, "outside the volume")


def test_a_templates_folder_linked_out_of_the_volume_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / TEMPLATE).write_text("SECRET OF ANOTHER PROJECT\n", encoding="utf-8")
    root = volume(tmp_path)
    (root / "templates" / "latex").rmdir()
    (root / "templates" / "latex").symlink_to(outside)
    run, out = build(root, tmp_path)
    assert_refused(run, out, root, "outside the volume")
    assert "SECRET OF ANOTHER PROJECT" not in run.output


def test_a_link_that_stays_inside_the_volume_is_followed(tmp_path: Path) -> None:
    root = volume(tmp_path, lualatex=False)
    (root / "own-title.tex.j2").write_text(
        "\\thispagestyle{empty}\n{\\Huge Our Own Title Page\\par}\n\\clearpage\n", encoding="utf-8"
    )
    (root / "templates" / "latex" / TEMPLATE).symlink_to(Path("../../own-title.tex.j2"))
    run, out = build(root, tmp_path)
    assert run.code == 0, run.output
    first = make_text(out / "frontmatter" / "frontmatter.pdf")
    assert "Our Own Title Page" in first
    assert override_problems(root) == []


def make_text(pdf: Path) -> str:
    from conftest import page_texts

    return page_texts(pdf)[0]


@pytest.mark.parametrize("kind", ["fifo", "folder", "oversized", "not utf-8"])
def test_an_override_that_is_not_a_text_file_is_one_message(tmp_path: Path, kind: str) -> None:
    root = volume(tmp_path)
    path = root / "templates" / "latex" / TEMPLATE
    words = {
        "fifo": "is a FIFO",
        "folder": "is a folder",
        "oversized": "larger than",
        "not utf-8": "not UTF-8",
    }[kind]
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes it: reading it would block the build for ever
    elif kind == "folder":
        path.mkdir()
    elif kind == "oversized":
        path.write_bytes(b"% padding\n" * (1 << 17))  # 1.3 MB of comments
    else:
        path.write_bytes(b"\\Huge caf\xe9\n")
    run, out = build(root, tmp_path)
    assert_refused(run, out, root, words)


def test_a_preface_that_is_a_fifo_is_one_message(tmp_path: Path) -> None:
    root = volume(tmp_path)
    (root / "preface.md").unlink()
    os.mkfifo(root / "preface.md")
    run, out = build(root, tmp_path)
    assert run.code != 0, run.output
    assert "preface.md" in run.output and "FIFO" in run.output, run.output
    assert not out.exists()


# --------------------------------------------------------------------------------------------
# Lua, however it is spelt

# Reads a file and puts its first line in the PDF's information, whatever part of the run it
# runs in (`\latelua` runs at shipout, where `tex.print` cannot print). No `%`, `#`, `~` or
# backslash, which TeX would read before Lua does.
LUA = (
    "local f = io.open('PATH') "
    "pdf.setinfo('/Subject (LEAK ' .. (f and (f:read('*l'):gsub('[()]', '')) or 'none') .. ')')"
)
SPELLINGS = {
    "directlua": "\\directlua{LUA}",
    "csname": "\\csname directlua\\endcsname{LUA}",
    "csname in pieces": "\\csname direct\\string lua\\endcsname{LUA}",
    "luaexec": "\\luaexec{LUA}",
    "luadirect": "\\luadirect{LUA}",
    "latelua": "\\latelua{LUA}",
    "caret escape": "^^5cdirectlua{LUA}",
    "catcode": "\\catcode`\\|=0 |directlua{LUA}",
    "luacode environment": "\\begin{luacode}\nLUA\n\\end{luacode}",
    "jinja joins the name": "\\dir\\BLOCK{if true}\nectlua\\BLOCK{endif}{LUA}",
    "jinja prints the name": '\\dir\\VAR{"ectl"}ua{LUA}',
}


def payload_template(spelling: str, path: str) -> str:
    return (
        "\\thispagestyle{empty}\n"
        "{\\Huge A Title Page\\par}\n"
        + SPELLINGS[spelling].replace("LUA", LUA.replace("PATH", path))
        + "\n"
        "\\clearpage\n"
    )


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_lua_in_an_override_is_refused_with_its_line(tmp_path: Path, spelling: str) -> None:
    root = volume(tmp_path)  # LuaLaTeX: an author's name is Chinese
    template = payload_template(spelling, str(PASSWD))
    (root / "templates" / "latex" / TEMPLATE).write_text(template, encoding="utf-8")
    run, out = build(root, tmp_path)
    assert_refused(run, out, root, f"{TEMPLATE}, line 3:")


@pytest.mark.parametrize(
    "command", ["\\immediate\\pdfobj file {/etc/passwd}", "\\input{/etc/passwd}"]
)
def test_tex_reading_a_file_in_an_override_is_refused(tmp_path: Path, command: str) -> None:
    root = volume(tmp_path, lualatex=False)  # pdfTeX's \pdfobj file reads any file
    template = "\\thispagestyle{empty}\n{\\Huge A Title Page\\par}\n" + command + "\n\\clearpage\n"
    (root / "templates" / "latex" / TEMPLATE).write_text(template, encoding="utf-8")
    run, out = build(root, tmp_path)
    assert_refused(run, out, root, f"{TEMPLATE}, line 3:")


# The second layer: the same payloads given to LaTeX directly, past the templates' check.

needs_confinement = pytest.mark.skipif(
    not latex.confined(), reason="bubblewrap is not installed or cannot make namespaces here"
)


def compile_payload(command: str, engine: str, scratch: Path) -> tuple[str, Path]:
    """Run `command` in a document of its own; what LaTeX said and the PDF (when any)."""
    source = (
        "\\documentclass{article}\n"
        + ("\\usepackage{luacode}\n" if engine == "lualatex" else "")
        + "\\begin{document}\nx\n"
        + command
        + "\n\\end{document}\n"
    )
    pdf = scratch / "out.pdf"
    try:
        data = latex.run_latex(
            source, {"inside.txt": b"INSIDE THE FOLDER\n"}, engine=engine, scratch=scratch
        )
    except latex.LatexError as error:
        return str(error), pdf
    pdf.write_bytes(data)
    return "", pdf


@pytest.mark.slow
@needs_confinement
@pytest.mark.parametrize("spelling", [name for name in SPELLINGS if "jinja" not in name])
def test_confined_lua_reads_its_folder_and_nothing_else(tmp_path: Path, spelling: str) -> None:
    form = SPELLINGS[spelling]
    inside = form.replace("LUA", LUA.replace("PATH", "inside.txt"))
    message, pdf = compile_payload(inside, "lualatex", tmp_path / "in")
    assert pdf.is_file(), message
    assert "LEAK INSIDE THE FOLDER" in decoded(pdf)  # the payload works, spelt this way

    outside = form.replace("LUA", LUA.replace("PATH", str(PASSWD)))
    message, pdf = compile_payload(outside, "lualatex", tmp_path / "out")
    held = decoded(pdf) if pdf.is_file() else ""
    assert "LEAK none" in held or not pdf.is_file(), message
    for secret in secrets():
        assert secret not in held and secret not in message, secret
    out = tmp_path / "out"
    assert_nothing_leaked(Run((), 0, message, "", 0.0), out, tmp_path / "PWNED")


@pytest.mark.slow
@needs_confinement
def test_confined_pdftex_cannot_embed_a_file_of_the_machine(tmp_path: Path) -> None:
    command = "\\immediate\\pdfobj file {PATH}\\pdfcatalog{/Leak \\the\\pdflastobj\\space 0 R}"
    message, pdf = compile_payload(command.replace("PATH", "inside.txt"), "pdflatex", tmp_path)
    assert "INSIDE THE FOLDER" in decoded(pdf), message  # \pdfobj file embeds what it reads
    message, pdf = compile_payload(command.replace("PATH", str(PASSWD)), "pdflatex", tmp_path)
    held = decoded(pdf) if pdf.is_file() else ""
    for secret in secrets():
        assert secret not in held and secret not in message, secret


@pytest.mark.slow
@needs_confinement
def test_confined_lua_sees_none_of_the_callers_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEEDINGS_TEST_TOKEN", "token-that-must-not-print")
    token = "tostring(os.getenv('PROCEEDINGS_TEST_TOKEN'))"
    command = "\\directlua{pdf.setinfo('/Subject (ENV ' .. " + token + " .. ')')}"
    message, pdf = compile_payload(command, "lualatex", tmp_path)
    held = decoded(pdf)
    assert "ENV nil" in held and "token-that-must-not-print" not in held, message


# --------------------------------------------------------------------------------------------
# LaTeX's folders


@pytest.mark.slow
def test_a_killed_build_leaves_no_latex_folder_in_the_system_temporary_folder(
    tmp_path: Path,
) -> None:
    root = volume(tmp_path)
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    out = tmp_path / "build"
    command = [sys.executable, "-m", "proceedings", "build", str(root), "-o", str(out)]
    command += ["--only", "frontmatter,pmlr", "--no-check"]
    process = subprocess.Popen(
        command,
        env={**os.environ, "TMPDIR": str(system_tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen: list[Path] = []
    try:
        deadline = time.monotonic() + BOUND
        while not seen and process.poll() is None and time.monotonic() < deadline:
            seen = [path for path in tmp_path.rglob(LATEX_FOLDER) if path.is_dir()]
            time.sleep(0.01)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert seen, "the build ended before LaTeX ran"
    assert all(path.is_relative_to(tmp_path) and system_tmp not in path.parents for path in seen)
    assert not list(system_tmp.glob(LATEX_FOLDER))
    # The next build cleans up the killed one's scratch folder, LaTeX's folder with it.
    run = proceedings(
        "build", root, "-o", out, "--only", "frontmatter,pmlr", "--no-check", bound=BOUND
    )
    assert run.code == 0, run.output
    assert not [path for path in tmp_path.rglob(LATEX_FOLDER)]
    assert not list(system_tmp.glob(LATEX_FOLDER))
