"""LaTeX for the build: one escaping function, a Jinja2 environment that uses it, a guarded runner.

User text (titles, names, affiliations, the preface) never reaches LaTeX raw. Every value a
template prints goes through `latex_escape`, either by the `tex` filter or, when a template
forgets it, by the environment's finalize hook; only `TexString` values (LaTeX the code made
itself, such as source markers) pass unchanged. Text in the template files is LaTeX, not user
text.

Templates use delimiters that do not clash with LaTeX:

    \\VAR{paper.title}            an expression (escaped)
    \\BLOCK{for paper in papers}  a statement
    \\#{a comment}                a comment

Before each piece of user text a template writes a marker comment on a line of its own,
`\\VAR{source("paper 17", "title")}`, which prints `%% source: paper 17 title`. When LaTeX
fails, `run_latex` maps the line of the error to the nearest marker above it, so the message
names the paper and field that broke the run. (There are no line statements: a line starting
with `%%` is such a marker.) A character that no font of the document has is an error too,
named with its marker, since LaTeX would print the text without it.

The runner works in a fresh temporary folder (inside the caller's scratch folder), with shell
escape off, `openin_any` and `openout_any` paranoid (no absolute paths, no parent folders, no
dot files), a time limit on the whole process group, and `SOURCE_DATE_EPOCH` passed through
for reproducible PDFs. Where bubblewrap works the engine is confined besides: it sees TeX
Live's tree and its own folder, nothing else of the machine, since Lua reads files that
`openin_any` does not guard.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from proceedings.asciilatex import Formula, char_form, clusters, formulas

Engine = Literal["pdflatex", "lualatex"]
ENGINES: tuple[Engine, ...] = ("pdflatex", "lualatex")
MAX_RUNS = 3
_MARKER_PREFIX = "%% source: "


class LatexError(Exception):
    """LaTeX failed; the message gives the error lines and, when known, the source of the text.

    `source` is the marker text nearest above the failing line ("paper 17 title"), `line` the
    line of the .tex file LaTeX stopped at, `details` the error lines from the log.
    """

    def __init__(
        self,
        message: str,
        *,
        engine: str = "",
        line: int | None = None,
        source: str | None = None,
        details: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.engine = engine
        self.line = line
        self.source = source
        self.details = details


class TexString(str):
    """LaTeX source that is already safe to print: the finalize hook leaves it unchanged."""

    __slots__ = ()


# --------------------------------------------------------------------------------------------
# Escaping

_DOLLAR = "\x00"  # stands for `\$` while the text is split into math and text

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "[": "{[}",  # never read as the optional argument of a command before it
    "]": "{]}",
}

_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_MATH_COMMANDS = frozenset(
    (
        _GREEK + " mathbb mathcal mathrm mathbf mathit mathsf mathtt text frac sqrt "
        "leq geq le ge neq ne approx sim simeq equiv propto ll gg times cdot cdots ldots dots "
        "pm mp sum prod int log exp ln sin cos tan max min arg lim sup inf det infty to "
        "rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow mapsto in "
        "notin subset subseteq supset supseteq cup cap setminus emptyset forall exists neg "
        "land lor ell partial nabla top star ast circ prime mid lvert rvert lVert rVert "
        "langle rangle lfloor rfloor lceil rceil hat tilde bar vec dot ddot overline "
        "underline widehat widetilde quad qquad"
    ).split()
)
_MATH_SYMBOLS = frozenset(",;:! {}|_%&#")  # control symbols allowed in math: \, \{ \% ...
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)

# Where the front matter writes another form than the PMLR bib (`asciilatex`): LaTeX's kernel
# prints the comma below, which PMLR's decoder does not know (the bib writes a cedilla).
_EXTRA_LATEX = {
    "ș": r"{\textcommabelow{s}}",
    "ț": r"{\textcommabelow{t}}",
    "Ș": r"{\textcommabelow{S}}",
    "Ț": r"{\textcommabelow{T}}",
}


@functools.lru_cache(maxsize=4096)
def _pdflatex_char(char: str) -> str | None:
    """`char` (not ASCII; a letter with its combining marks) as pdfLaTeX input, or None when
    pdfLaTeX has no form for it."""
    if char in _EXTRA_LATEX:
        return _EXTRA_LATEX[char]
    if len(unicodedata.normalize("NFC", char)) > 1:
        # A letter and marks with no precomposed character (q́, ṇ̃): pdfLaTeX builds them
        # from loose accent glyphs, which text layers misplace; LuaLaTeX composes them.
        return None
    category = unicodedata.category(char) if len(char) == 1 else "L"
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return ""
    if category == "Zs":
        return "~" if char == "\u00a0" else " "
    form = char_form(char)
    if form is None or "\\unicode" in form.text:
        return None
    return form.text


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH")):
        return "cjk"
    if name.startswith(("ARABIC", "HEBREW", "SYRIAC", "THAANA")):
        return "rtl"
    return ""


def _escape_char(char: str, engine: Engine) -> str:
    if char == _DOLLAR:
        return r"\$"
    if char in _SPECIALS:
        return _SPECIALS[char]
    if char in "\n\r\t\f\v":
        return " "
    if char.isascii():
        return "" if unicodedata.category(char) == "Cc" else char
    if len(char) == 1 and unicodedata.category(char) == "Cc":
        return ""
    if engine == "lualatex":
        return char
    latex = _pdflatex_char(char)
    return "?" if latex is None else latex


_OPENING_QUOTE = re.compile(r'(^|(?<=[\s(\[{\u2014\u2013/-]))"')


def _curly_quotes(text: str) -> str:
    """Straight double quotes as typographic ones: `"Not Better"` -> `“Not Better”`."""
    if '"' not in text:
        return text
    return _OPENING_QUOTE.sub("\u201c", text).replace('"', "\u201d")


# Pairs the fonts would join into another character (TeX ligatures): `<<` and `>>` into
# guillemets (`n << d` printed as `n « d`), `?`` and `!`` into inverted marks, `,,` into a low
# quote. A kern keeps them apart (`{}` does in pdfLaTeX, not in LuaLaTeX). Dashes (`--`) and
# quotes (``` `` ```) keep their typography.
_LIGATURE = re.compile(r"<(?=<)|>(?=>)|[?!](?=`)|,(?=,)")


def _escape_text(text: str, engine: Engine) -> str:
    return _LIGATURE.sub(lambda pair: pair.group(0) + r"\kern0pt ", _escape_runs(text, engine))


def _escape_runs(text: str, engine: Engine) -> str:
    text = _curly_quotes(text)
    if text.isascii():
        return "".join(_escape_char(char, engine) for char in text)
    if engine == "pdflatex":
        return "".join(_escape_char(cluster, engine) for cluster in clusters(text))
    # LuaLaTeX: UTF-8 as it is; a line may break between CJK characters, and right-to-left
    # runs are set right to left in a box of their own.
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        kind = _script(char)
        if kind == "rtl":
            end = index
            while end < len(text) and (
                _script(text[end]) == "rtl"
                or (text[end] == " " and end + 1 < len(text) and _script(text[end + 1]) == "rtl")
            ):
                end += 1
            run = "".join(_escape_char(each, engine) for each in text[index:end])
            out.append(r"\mbox{\textdir TRT " + run + "}")
            index = end
            continue
        out.append(_escape_char(char, engine))
        if kind == "cjk" and index + 1 < len(text) and _script(text[index + 1]) == "cjk":
            out.append(r"\hskip0pt plus.1em\relax ")
        index += 1
    return "".join(out)


def _safe_math(math: str) -> bool:
    """True when `math` (between the dollars) may go to LaTeX as it is."""
    if not math.isascii() or "^^" in math or "\\\\" in math:
        return False
    if re.search(r"(?<!\\)[%#&]", math):
        return False
    depth = 0
    for match in re.finditer(r"\\.|[{}]", math):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    if depth != 0:
        return False
    for match in _CONTROL_WORD.finditer(math):
        name = match.group(1)
        allowed = _MATH_COMMANDS if len(name) > 1 or name.isalpha() else _MATH_SYMBOLS
        if name not in allowed:
            return False
    return not any(unicodedata.category(char) == "Cc" for char in math)


def latex_escape(text: str, engine: str = "pdflatex") -> str:
    """`text` as LaTeX that prints it literally, for `engine`.

    `\\ { } $ & # ^ _ ~ % [ ]` are escaped, control characters dropped, line breaks become
    spaces, straight double quotes become typographic ones; `<<`, `>>`, `?``, `!`` and `,,`
    print as written, not as the characters TeX's ligatures make of them. For pdfLaTeX
    accented and other non-ASCII characters become LaTeX (`\\'{e}`, `asciilatex.char_form`) and a
    character with no LaTeX form becomes `?` (`choose_engine` picks LuaLaTeX for such text);
    for LuaLaTeX UTF-8 is kept. `$...$` math is kept when it is ASCII, balanced and uses only
    whitelisted commands (`\\alpha`, `\\mathbb`, `\\frac`, `\\leq`, ...); otherwise it is
    printed as text, dollar signs included. `\\$` is a literal dollar sign.
    """
    checked = _engine(engine)
    text = "".join(
        " " if char in "\n\r\t\f\v" else char
        for char in unicodedata.normalize("NFC", text)
        if unicodedata.category(char) != "Cc" or char in "\n\r\t\f\v"
    ).replace("\\$", _DOLLAR)
    parts: list[str] = []
    position = 0
    for formula in math_spans(text):
        parts.append(_escape_text(text[position : formula.start], checked))
        parts.append(f"${formula.body}$")
        position = formula.end
    parts.append(_escape_text(text[position:], checked))
    return "".join(parts)


def math_spans(text: str) -> Iterator[Formula]:
    """The formulas of `text` (`asciilatex.formulas`) that go to LaTeX as written: ASCII,
    balanced, and using only whitelisted commands. The others are printed as text."""
    return (formula for formula in formulas(text) if _safe_math(formula.body))


def _engine(engine: str) -> Engine:
    if engine == "pdflatex":
        return "pdflatex"
    if engine == "lualatex":
        return "lualatex"
    raise ValueError(f"unknown LaTeX engine {engine!r}; use one of {', '.join(ENGINES)}")


def pdflatex_can_print(text: str) -> bool:
    """True when pdfLaTeX (T1 fonts) can print every character of `text`."""
    from proceedings.texts import non_latin_script

    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return True
    if non_latin_script(text):
        return False
    return all(char.isascii() or _pdflatex_char(char) is not None for char in clusters(text))


def choose_engine(texts: Iterable[str]) -> Engine:
    """pdfLaTeX when every text is Latin script with a LaTeX form; LuaLaTeX otherwise.

    Chinese, Japanese, Korean, Cyrillic, Greek, Arabic (and any character pdfLaTeX cannot
    print) need LuaLaTeX with the fonts of the front-matter preamble.
    """
    return "pdflatex" if all(pdflatex_can_print(text) for text in texts) else "lualatex"


# --------------------------------------------------------------------------------------------
# Fonts for LuaLaTeX

# A Times-like main font with Latin, Greek and Cyrillic, then fonts for the other scripts,
# used glyph by glyph where the main font has none (luaotfload fallback).
MAIN_FONTS = ("Liberation Serif", "TeX Gyre Termes")
FALLBACK_FONTS = (
    "Noto Serif CJK SC",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Devanagari",
    "Noto Serif Thai",
    "Noto Serif",
)
FONT_PACKAGES = "fonts-liberation, fonts-noto-core, fonts-noto-cjk"


@dataclass(frozen=True)
class Fonts:
    main: str
    fallback: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _font_families() -> frozenset[str] | None:
    """The font families fontconfig knows, or None when it cannot be asked."""
    try:
        listed = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(
        name.strip() for line in listed.stdout.splitlines() for name in line.split(",")
    )


def lualatex_fonts() -> Fonts:
    """The installed fonts for LuaLaTeX: a missing fallback font would stop the run.

    When fontconfig cannot be asked, every font is assumed to be there. Without any of
    `MAIN_FONTS`, Latin Modern (part of TeX Live) is the main font.
    """
    families = _font_families()
    if families is None:
        return Fonts(MAIN_FONTS[0], FALLBACK_FONTS)
    main = next((name for name in MAIN_FONTS if name in families), "Latin Modern Roman")
    return Fonts(main, tuple(name for name in FALLBACK_FONTS if name in families))


# --------------------------------------------------------------------------------------------
# Templates


def source_marker(*parts: object) -> TexString:
    """The marker comment for the user text on the next line: `%% source: paper 17 title`."""
    text = " ".join(" ".join(str(part).split()) for part in parts if str(part).strip())
    text = "".join(char if char.isprintable() else " " for char in text)
    return TexString(_MARKER_PREFIX + text)


def latex_environment(
    engine: str = "pdflatex", overrides: Path | None = None
) -> jinja2.Environment:
    """The Jinja2 environment for the LaTeX templates.

    Templates are looked up in `overrides` first (a volume's `templates/latex/`), then in the
    package. Every printed value is escaped for `engine` unless it is a `TexString`.
    """
    checked = _engine(engine)

    def tex(value: Any) -> TexString:
        if isinstance(value, TexString):
            return value
        if value is None:
            return TexString("")
        return TexString(latex_escape(str(value), checked))

    loaders: list[jinja2.BaseLoader] = []
    if overrides is not None and overrides.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.PackageLoader("proceedings", "templates/latex"))
    environment = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=tex,
    )
    environment.filters["tex"] = tex
    environment.globals["source"] = source_marker
    environment.globals["engine"] = checked
    if checked == "lualatex":
        environment.globals["fonts"] = lualatex_fonts()
    return environment


# --------------------------------------------------------------------------------------------
# Running LaTeX

_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|There were undefined references")
_FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|def|cfg|fd|aux|toc)):"
                              r"(?P<line>\d+): (?P<message>.*)$")  # fmt: skip
_CONTEXT_LINE = re.compile(r"^l\.(\d+)(.*)$")
_MAIN = "document.tex"


def run_latex(
    tex_source: str,
    workdir_files: dict[str, bytes] | None = None,
    engine: str = "pdflatex",
    timeout: float = 120,
    scratch: Path | None = None,
) -> bytes:
    """Compile `tex_source` with `engine` in a fresh temporary folder and return the PDF.

    The folder is made inside `scratch` (the caller's own temporary folder, so a killed run
    leaves the text only where the caller cleans up), in the system's temporary folder when
    None. `workdir_files` are written next to it first (names relative, inside the folder).
    The engine runs confined to that folder and TeX Live's tree where bubblewrap works (see
    `confined`). It runs until cross-references settle, at most three times, within `timeout`
    seconds in all. Raises `LatexError` with the error lines and the marked source of the
    failing text.
    """
    checked = _engine(engine)
    deadline = time.monotonic() + timeout
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="proceedings-latex-", dir=scratch) as folder:
        work = Path(folder).resolve()
        for name, data in (workdir_files or {}).items():
            target = _inside(work, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (work / _MAIN).write_text(tex_source, encoding="utf-8")
        environment = _environment(work)
        wrapper: list[str] = []
        if confined():
            wrapper = _sandbox(work, environment, checked)
            environment = {"PATH": environment.get("PATH", os.defpath)}  # bwrap sets the rest
        for _ in range(MAX_RUNS):
            code, output = _run_once(checked, work, environment, deadline, timeout, wrapper)
            log = _read_log(work)
            if code != 0 or not (work / "document.pdf").is_file():
                raise _error(checked, tex_source, log or output, output)
            if not _RERUN.search(log):
                break
        missing = _missing_characters(log)
        if missing:
            raise _missing_error(checked, tex_source, missing)
        return (work / "document.pdf").read_bytes()


def _inside(work: Path, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"{name!r}: files for LaTeX must be named relative to its folder")
    return work.joinpath(*relative.parts)


# What the engine sees of the caller's environment: where programs and TeX's files are, the
# locale, reproducibility. Nothing else (tokens, paths of other projects) is its business;
# Lua's `os.getenv` would print it.
_PASSED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SOURCE_DATE_EPOCH")
_PASSED_PREFIXES = ("TEXMF", "TEXINPUTS", "TEXFONTS", "TFMFONTS", "T1FONTS", "OSFONTDIR",
                    "FONTCONFIG_", "KPATHSEA", "LUAINPUTS", "ENCFONTS", "OPENTYPEFONTS",
                    "TTFONTS", "VFFONTS", "BIBINPUTS", "BSTINPUTS")  # fmt: skip


def _environment(work: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name in _PASSED or name.startswith(_PASSED_PREFIXES)
    }
    environment.update(
        {
            "openin_any": "p",
            "openout_any": "p",
            "shell_escape": "f",
            "TEXMFOUTPUT": str(work),
            "max_print_line": "10000",  # log lines unwrapped, so error lines read whole
            "error_line": "254",
            "half_error_line": "238",
        }
    )
    if "SOURCE_DATE_EPOCH" in environment:
        environment["FORCE_SOURCE_DATE"] = "1"
    return environment


# --------------------------------------------------------------------------------------------
# Confinement: `openin_any=p` binds TeX's own reads, but Lua's `io.open`, `lfs`, `kpse` and
# the image and PDF readers open any file the user can, and LuaTeX's `--safer` stops only
# writes. So the engine runs in bubblewrap: it sees the system's programs and TeX Live's tree
# read-only, its own folder read-write, no network, no other process, and nothing else (no
# /etc/passwd, no home folder, no volume). Without bubblewrap it runs as before, and the
# templates' own check (`frontmatter`) is what keeps Lua out of them.

# Read-only, where they exist: programs and libraries, TeX's configuration, fonts.
_SYSTEM_PATHS = (
    "/usr",
    "/etc/texmf",
    "/etc/fonts",
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/var/lib/texmf",
    "/var/cache/fontconfig",
    "/opt/texlive",
)
_USER_FONT_PATHS = (".fonts", ".local/share/fonts", ".cache/fontconfig")
_TEX_TREES = (
    "TEXMFROOT TEXMFDIST TEXMFMAIN TEXMFLOCAL TEXMFSYSVAR TEXMFSYSCONFIG TEXMFVAR TEXMFCONFIG "
    "TEXMFHOME"
).split()
_CACHE = ".texmf-cache"  # luaotfload's cache inside the engine's folder


def confined() -> bool:
    """True when the engine runs confined: bubblewrap is installed and works here (it needs
    user namespaces, which some containers do not allow)."""
    return _bubblewrap() is not None


@functools.lru_cache(maxsize=1)
def _bubblewrap() -> str | None:
    program = shutil.which("bwrap")
    if program is None or _tex_value("TEXMFROOT") is None:
        return None
    try:
        probe = subprocess.run(
            [program, *_bind_arguments(None), "true"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return program if probe.returncode == 0 else None


@functools.lru_cache(maxsize=1)
def _tex_values() -> dict[str, str]:
    """TeX Live's folders, as kpathsea expands them for LuaLaTeX (empty without kpsewhich)."""
    names = [*_TEX_TREES, "TEXMFCACHE"]
    try:
        expanded = subprocess.run(
            ["kpsewhich", "-progname=lualatex", "--expand-var=" + "|".join(f"${n}" for n in names)],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    values = expanded.split("|")
    if len(values) != len(names):
        return {}
    return {name: value for name, value in zip(names, values, strict=True) if value}


def _tex_value(name: str) -> str | None:
    return _tex_values().get(name)


def _bind_arguments(work: Path | None) -> list[str]:
    arguments = [
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    readable: list[str] = list(_SYSTEM_PATHS)
    readable += [value for name in _TEX_TREES if (value := _tex_value(name))]
    home = os.environ.get("HOME")
    if home:
        readable += [os.path.join(home, name) for name in _USER_FONT_PATHS]
    bound: set[str] = set()
    for path in readable:
        if path in bound or not os.path.isabs(path) or not os.path.exists(path):
            continue
        bound.add(path)
        arguments += ["--ro-bind", path, path]
    for link in ("/bin", "/lib", "/lib32", "/lib64", "/sbin"):
        if os.path.islink(link):  # merged /usr: /bin -> usr/bin
            arguments += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            arguments += ["--ro-bind", link, link]
    arguments += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    if work is not None:
        arguments += ["--bind", str(work), str(work), "--chdir", str(work)]
    return arguments


def _sandbox(work: Path, environment: dict[str, str], engine: Engine) -> list[str]:
    """The bubblewrap command line the engine runs under, its environment included."""
    program = _bubblewrap()
    assert program is not None
    arguments = [program, *_bind_arguments(work)]
    if engine == "lualatex":
        environment = {**environment, "TEXMFCACHE": str(work / _CACHE)}
        _copy_font_cache(work / _CACHE)
    for name, value in environment.items():
        arguments += ["--setenv", name, value]
    return arguments


def _copy_font_cache(target: Path) -> None:
    """Give the confined engine a copy of luaotfload's cache, which it must be able to write.

    luaotfload looks for its font database only where it may write; the real cache stays
    read-only (a confined run must not leave Lua code there for the next unconfined one), so
    the run gets a copy, thrown away with its folder. Without a database anywhere, one is made
    first by `luaotfload-tool`, outside the confinement and with no input of the volume's, so
    that every run does not spend a minute making its own.
    """
    caches = [Path(path) / "luatex-cache" for path in (_tex_value("TEXMFCACHE") or "").split(":")]
    source = next((cache for cache in caches if _has_font_names(cache)), None)
    if source is None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["luaotfload-tool", "--update"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=600,
                check=False,
            )
        source = next((cache for cache in caches if _has_font_names(cache)), None)
    if source is None:
        return
    with contextlib.suppress(OSError, shutil.Error):
        shutil.copytree(source, target / "luatex-cache", symlinks=False, dirs_exist_ok=True)


def _has_font_names(cache: Path) -> bool:
    names = cache / "generic" / "names"
    return any(names.glob("luaotfload-names.lu*")) if names.is_dir() else False


def _run_once(
    engine: Engine,
    work: Path,
    environment: dict[str, str],
    deadline: float,
    timeout: float,
    wrapper: list[str] | None = None,
) -> tuple[int, str]:
    command = [
        *(wrapper or []),
        engine,
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-no-shell-escape",
        "-file-line-error",
        _MAIN,
    ]
    if wrapper and shutil.which(engine, path=environment.get("PATH")) is None:
        command = [engine]  # reported below as not installed, not as a sandbox failure
    try:
        process = subprocess.Popen(
            command,
            cwd=work,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise LatexError(
            f"{engine} is not installed; the front matter needs TeX Live "
            + ("(texlive-luatex and its fonts)" if engine == "lualatex" else "(pdfLaTeX)"),
            engine=engine,
        ) from None
    try:
        output, _ = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        _kill(process)
        raise LatexError(
            f"{engine} did not finish within {timeout:g} seconds and was stopped", engine=engine
        ) from None
    except BaseException:
        _kill(process)
        raise
    return process.returncode, output.decode("utf-8", "replace")


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _read_log(work: Path) -> str:
    log = work / "document.log"
    return log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""


def _error(engine: Engine, tex_source: str, log: str, output: str) -> LatexError:
    details, line = _error_lines(log)
    if details and "==> Fatal error" in details[0]:
        # Lua errors (a font that cannot be loaded) reach the terminal, not the log.
        lua = [text for text in output.splitlines() if _LUA_ERROR.search(text)]
        details = lua[:3] + details
    source = _marker_before(tex_source, line) if line is not None else None
    where = f" at line {line}" if line is not None else ""
    if source:
        where += f", in {source}"
    message = f"{engine} failed{where}:\n" + "\n".join(f"  {text}" for text in details)
    return LatexError(message, engine=engine, line=line, source=source, details=tuple(details))


def _error_lines(log: str) -> tuple[list[str], int | None]:
    """The first error of the log (its `!` line and `l.NN` context) and its line in the
    main file (None when the error is in another file or has no line)."""
    lines = log.splitlines()
    for index, text in enumerate(lines):
        found = _FILE_LINE_ERROR.match(text)
        if found is None and not text.startswith("! "):
            continue
        details: list[str] = []
        line: int | None = None
        in_main = True
        for position in range(index, min(index + 25, len(lines))):
            follow = lines[position]
            found = _FILE_LINE_ERROR.match(follow)
            if found is not None:
                in_main = Path(found.group("file")).name == _MAIN
                if line is None and in_main:
                    line = int(found.group("line"))
                details.append("! " + found.group("message").strip())
                continue
            context = _CONTEXT_LINE.match(follow)
            if context is not None:
                details.append(follow.rstrip())
                rest = lines[position + 1] if position + 1 < len(lines) else ""
                if rest.strip():
                    details.append(rest.rstrip())
                if line is None and in_main:
                    line = int(context.group(1))
                break
            if follow.strip() and not follow.strip().startswith(_LOG_HELP):
                details.append(follow.rstrip())
        return details, line
    tail = [text.rstrip() for text in lines[-15:] if text.strip()]
    return tail or ["(LaTeX wrote no log)"], None


_LUA_ERROR = re.compile(r"\.lua:\d+:|not found|[Ee]rror:")
_LOG_HELP = (
    "See the ",
    "Type  H <return>",
    "Type <return>",
    "Type X to quit",
    "or enter new name",
    "Enter file name",
    "<read *>",
    "You're in trouble",
    "Try typing",
)


_MISSING = re.compile(r"Missing character: There is no .*?\(U\+([0-9A-Fa-f]{4,6})\)")


def _missing_characters(log: str) -> list[str]:
    """Characters the fonts had no glyph for (LuaTeX logs them and typesets nothing)."""
    found: dict[str, None] = {}
    for match in _MISSING.finditer(log):
        char = chr(int(match.group(1), 16))
        if unicodedata.category(char) in ("Cf", "Zs") or "\ufe00" <= char <= "\ufe0f":
            continue  # invisible: joiners, variation selectors, spaces
        found[char] = None
    return list(found)


def _missing_error(engine: Engine, tex_source: str, missing: list[str]) -> LatexError:
    """A glyph no font has is an error: the text would be printed without it."""
    char = missing[0]
    lines = tex_source.splitlines()
    line = next((number for number, text in enumerate(lines, 1) if char in text), None)
    source = _marker_before(tex_source, line) if line is not None else None
    names = ", ".join(f"{each} (U+{ord(each):04X})" for each in missing)
    where = f" at line {line}" if line is not None else ""
    if source:
        where += f", in {source}"
    message = (
        f"{engine}: no font of the document has {names}; the text would print without "
        f"{'them' if len(missing) > 1 else 'it'}{where}. Replace the character, or install a "
        f"font that has it (Debian: {FONT_PACKAGES})."
    )
    detail = f"l.{line} {lines[line - 1].strip()}" if line is not None else ""
    return LatexError(
        message, engine=engine, line=line, source=source, details=(detail,) if detail else ()
    )


def _marker_before(tex_source: str, line: int) -> str | None:
    """The text of the nearest source marker at or above `line` (1-based)."""
    lines = tex_source.splitlines()
    for text in reversed(lines[: max(line, 0)]):
        stripped = text.strip()
        if stripped.startswith(_MARKER_PREFIX):
            return stripped[len(_MARKER_PREFIX) :].strip() or None
    return None
