"""Text as the ASCII LaTeX of PMLR's BibTeX file, and what PMLR's pages make of it.

Metadata is UTF-8 with `$...$` math (`papers.yaml`); PMLR takes ASCII LaTeX and turns it back
into its web pages with its own decoder (`latex-decode` in `create_volume.rb`). This module is
the one place that decides, for every character, which LaTeX is written: the PMLR bib, the
front matter and the rules all use it, so what a rule accepts is what the build writes.

The forms are chosen so that PMLR's decoder gives the character back: accents as `\\'{e}` (its
decoder reads that form, not `{\\'e}`), dashes and quotes in TeX's ASCII (`--`, ``` `` ```),
an ellipsis as `\\dots{}`, Greek and math symbols in running text as `$\\alpha$`, which the
pages render with MathJax. Formulas are kept as written, whatever macros they use; only what
PMLR's checker refuses inside them (`\\{`, `\\}`, `\\\\`, `\\$`, `\\_`) is rewritten.

pylatexenc's encoder is not used for the table: it writes `{\\'e}`, which PMLR's decoder leaves
as it is in abstracts, and `\\ldots`, which it does not read at all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from proceedings.bib.text import brace_words

# --------------------------------------------------------------------------------------------
# Formulas

# `$...$` is a formula when its dollars hug it (`$x$`, not `$5 and $10`), as pandoc reads
# Markdown; `$$...$$`, `\(...\)` and `\[...\]` are formulas too. `\$` is a dollar sign.
_FORMULA = re.compile(
    r"\$\$(?P<display>(?:[^$\\]|\\.)+?)\$\$"
    r"|\$(?=[^\s$])(?P<inline>(?:[^$\\]|\\.)+?)(?<=[^\s\\])\$"
    r"|\\\((?P<paren>(?:[^\\]|\\(?!\)).)+?)\\\)"
    r"|\\\[(?P<bracket>(?:[^\\]|\\(?!\]).)+?)\\\]",
    re.DOTALL,
)


@dataclass(frozen=True)
class Formula:
    start: int
    end: int
    opening: str  # "$", "$$", "\\(" or "\\["
    body: str  # between the delimiters

    @property
    def closing(self) -> str:
        return {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}[self.opening]


def formulas(text: str) -> Iterator[Formula]:
    """The formulas of `text`, in order: the one test of what is math, for every output."""
    for match in _FORMULA.finditer(text):
        if match.start() > 0 and _escaped(text, match.start()):
            continue  # `\$x$`: the first dollar is a dollar sign
        inline = match.group("inline")
        after = text[match.end() : match.end() + 1]
        if inline is not None and inline[0].isdigit() and after.isdigit():
            continue  # `$5-$10`: amounts, not a formula
        for opening, group in (("$$", "display"), ("$", "inline"), ("\\(", "paren")):
            if match.group(group) is not None:
                yield Formula(match.start(), match.end(), opening, match.group(group))
                break
        else:
            yield Formula(match.start(), match.end(), "\\[", match.group("bracket"))


def _escaped(text: str, index: int) -> bool:
    """True when the character at `index` follows an odd number of backslashes."""
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# --------------------------------------------------------------------------------------------
# The table of characters

# Combining marks and the LaTeX accent that puts them on a letter.
ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0326": "c",  # comma below (Romanian ș, ț): PMLR's decoder reads only the cedilla
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}

# Letters that are not a base letter with accents.
LETTERS = {
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ß": r"{\ss}",
    "ı": r"{\i}",
    "ȷ": r"{\j}",
    "đ": r"{\dj}",
    "Đ": r"{\DJ}",
    "ð": r"{\dh}",
    "Ð": r"{\DH}",
    "þ": r"{\th}",
    "Þ": r"{\TH}",
    "ŋ": r"{\ng}",
    "Ŋ": r"{\NG}",
    "ĸ": "k",
    "ŀ": "l",  # Catalan middle-dot l: the dot is spacing, not an accent
    "Ŀ": "L",
    "ŉ": "'n",
    "ſ": "s",
}

# Punctuation, spaces and symbols of running text.
SYMBOLS = {
    "\u00a0": "~",  # no-break space
    "\u202f": "~",  # narrow no-break space
    "\u2007": "~",  # figure space
    "\u2011": "-",  # non-breaking hyphen
    "\u2010": "-",
    "\u2012": "--",
    "\u2013": "--",
    "\u2014": "---",
    "\u2015": "---",
    "\u2212": "-",  # minus sign, as PMLR's own table writes it
    "\u2018": "`",
    "\u2019": "'",
    "\u201a": r"\quotesinglbase{}",
    "\u201b": "`",
    "\u201c": "``",
    "\u201d": "''",
    "\u201e": r"\quotedblbase{}",
    "\u201f": "``",
    "\u2032": "'",
    "\u2033": "''",
    "\u00ab": r"\guillemotleft{}",
    "\u00bb": r"\guillemotright{}",
    "\u2039": r"\guilsinglleft{}",
    "\u203a": r"\guilsinglright{}",
    "\u2026": r"\dots{}",
    "\u2022": r"\textbullet{}",
    "\u00b7": r"$\cdot$",
    "\u2020": r"\dag{}",
    "\u2021": r"\ddag{}",
    "\u2030": r"\textperthousand{}",
    "\u00a7": r"\S{}",
    "\u00b6": r"\P{}",
    "\u00a9": r"\copyright{}",
    "\u00ae": r"\textregistered{}",
    "\u2122": r"\texttrademark{}",
    "\u20ac": r"\texteuro{}",
    "\u00a3": r"\pounds{}",
    "\u00a5": r"\textyen{}",
    "\u00a2": r"\textcent{}",
    "\u00a1": "!`",
    "\u00bf": "?`",
    "\u00b0": r"$^\circ$",
    "\u00aa": r"\textordfeminine{}",
    "\u00ba": r"\textordmasculine{}",
    "\u00a6": r"\textbrokenbar{}",
    # Spacing accents, which PMLR's pages cannot show alone: the ASCII they look like.
    "\u00a8": '"',
    "\u00b4": "'",
    "\u00b8": ",",
    "\u00af": "-",
    "\u02c6": "^",
    "\u02dc": r"\textasciitilde{}",
    "\u2044": "/",
    "\u2043": "-",
    "\u2116": r"\textnumero{}",
    "\u2103": r"$^\circ$C",
    "\u2713": r"$\checkmark$",
    "\u2714": r"$\checkmark$",
    "\u2717": r"$\times$",
    "\u2718": r"$\times$",
}

# Symbols written as math: their form inside a formula (in running text, between dollars).
MATH = {
    "\u00d7": r"\times",
    "\u00f7": r"\div",
    "\u00b1": r"\pm",
    "\u2213": r"\mp",
    "\u00ac": r"\neg",
    "\u00b5": r"\mu",
    "\u221e": r"\infty",
    "\u2264": r"\leq",
    "\u2265": r"\geq",
    "\u2266": r"\leqq",
    "\u2267": r"\geqq",
    "\u2260": r"\neq",
    "\u2248": r"\approx",
    "\u223c": r"\sim",
    "\u2243": r"\simeq",
    "\u2245": r"\cong",
    "\u2261": r"\equiv",
    "\u225c": r"\triangleq",
    "\u2250": r"\doteq",
    "\u221d": r"\propto",
    "\u226a": r"\ll",
    "\u226b": r"\gg",
    "\u227a": r"\prec",
    "\u227b": r"\succ",
    "\u2aaf": r"\preceq",
    "\u2ab0": r"\succeq",
    "\u2208": r"\in",
    "\u2209": r"\notin",
    "\u220b": r"\ni",
    "\u2282": r"\subset",
    "\u2283": r"\supset",
    "\u2286": r"\subseteq",
    "\u2287": r"\supseteq",
    "\u228a": r"\subsetneq",
    "\u228b": r"\supsetneq",
    "\u222a": r"\cup",
    "\u2229": r"\cap",
    "\u2216": r"\setminus",
    "\u2205": r"\emptyset",
    "\u2200": r"\forall",
    "\u2203": r"\exists",
    "\u2204": r"\nexists",
    "\u2227": r"\land",
    "\u2228": r"\lor",
    "\u2202": r"\partial",
    "\u2207": r"\nabla",
    "\u2206": r"\Delta",
    "\u2211": r"\sum",
    "\u220f": r"\prod",
    "\u222b": r"\int",
    "\u221a": r"\sqrt{}",
    "\u2192": r"\rightarrow",
    "\u2190": r"\leftarrow",
    "\u2194": r"\leftrightarrow",
    "\u21d2": r"\Rightarrow",
    "\u21d0": r"\Leftarrow",
    "\u21d4": r"\Leftrightarrow",
    "\u21a6": r"\mapsto",
    "\u2191": r"\uparrow",
    "\u2193": r"\downarrow",
    "\u27e8": r"\langle",
    "\u27e9": r"\rangle",
    "\u2329": r"\langle",
    "\u232a": r"\rangle",
    "\u230a": r"\lfloor",
    "\u230b": r"\rfloor",
    "\u2308": r"\lceil",
    "\u2309": r"\rceil",
    "\u2218": r"\circ",
    "\u25e6": r"\circ",
    "\u2217": r"\ast",
    "\u22c5": r"\cdot",
    "\u2219": r"\cdot",
    "\u22ef": r"\cdots",
    "\u22ee": r"\vdots",
    "\u22f1": r"\ddots",
    "\u2295": r"\oplus",
    "\u2296": r"\ominus",
    "\u2297": r"\otimes",
    "\u2299": r"\odot",
    "\u2298": r"\oslash",
    "\u22a4": r"\top",
    "\u22a5": r"\perp",
    "\u27c2": r"\perp",
    "\u22a2": r"\vdash",
    "\u22a8": r"\models",
    "\u2223": r"\mid",
    "\u2225": r"\parallel",
    "\u2220": r"\angle",
    "\u2113": r"\ell",
    "\u2135": r"\aleph",
    "\u210f": r"\hbar",
    "\u2118": r"\wp",
    "\u211c": r"\Re",
    "\u2111": r"\Im",
    "\u2605": r"\star",
    "\u22c6": r"\star",
    "\u266f": r"\sharp",
    "\u266d": r"\flat",
    "\u25a1": r"\square",
    "\u220e": r"\blacksquare",
    "\u2016": r"\|",
    "\u210e": "h",
}

GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "varepsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ϑ": "vartheta",
    "ι": "iota",
    "κ": "kappa",
    "ϰ": "varkappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ο": "omicron",
    "π": "pi",
    "ϖ": "varpi",
    "ρ": "rho",
    "ϱ": "varrho",
    "σ": "sigma",
    "ς": "varsigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "varphi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Π": "Pi",
    "Σ": "Sigma",
    "Υ": "Upsilon",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
}
# Capitals that look like Latin letters have no macro of their own.
GREEK_LATIN_CAPITALS = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True))

_MATH_ALPHABETS = (
    ("BOLD ITALIC", r"\boldsymbol"),
    ("BOLD SCRIPT", r"\mathcal"),
    ("BOLD FRAKTUR", r"\mathfrak"),
    ("SANS-SERIF", r"\mathsf"),
    ("DOUBLE-STRUCK", r"\mathbb"),
    ("MONOSPACE", r"\mathtt"),
    ("FRAKTUR", r"\mathfrak"),
    ("SCRIPT", r"\mathcal"),
    ("BOLD", r"\mathbf"),
    ("ITALIC", ""),
)
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni", strict=True))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₙₜ", "0123456789+-=()aeoxijknt", strict=True))
# Spaces that are only a width: written as a plain space.
_SPACES = frozenset("\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000")
# Characters with no width or meaning of their own in metadata: dropped.
_INVISIBLE = frozenset(
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))  # variation selectors
)


@dataclass(frozen=True)
class Form:
    """How one character is written: in running text and, where it differs, inside a formula."""

    text: str
    math: str | None = None  # inside `$...$`; None: `\text{...}` of the text form


@functools.lru_cache(maxsize=8192)
def char_form(char: str) -> Form | None:
    """The ASCII LaTeX of one character (or one letter with its combining marks); None when
    there is none (an emoji, a Chinese character)."""
    if char.isascii():
        return Form(char)
    if char in _INVISIBLE:
        return Form("")
    if char in _SPACES:
        return Form(" ")
    if char in SYMBOLS:
        return Form(SYMBOLS[char])
    if char in LETTERS:
        return Form(LETTERS[char])
    if char in MATH:
        return Form(f"${MATH[char]}$", MATH[char])
    if char in GREEK:
        return Form(f"$\\{GREEK[char]}$", f"\\{GREEK[char]}")
    if char in GREEK_LATIN_CAPITALS:
        latin = GREEK_LATIN_CAPITALS[char]
        return Form(f"$\\mathrm{{{latin}}}$", f"\\mathrm{{{latin}}}")
    if char in _SUPERSCRIPTS:
        return Form(f"$^{_SUPERSCRIPTS[char]}$", f"^{_SUPERSCRIPTS[char]}")
    if char in _SUBSCRIPTS:
        return Form(f"$_{_SUBSCRIPTS[char]}$", f"_{_SUBSCRIPTS[char]}")
    if all(unicodedata.combining(each) for each in char):
        return Form("")  # a mark on no letter: a slip of the keyboard, not a character
    accented = _accented(char)
    if accented is not None:
        return Form(accented)
    alphabet = _math_alphabet(char)
    if alphabet is not None:
        return Form(f"${alphabet}$", alphabet)
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char and all(char_form(each) is not None for each in compatible):
        # Ligatures (ﬁ), full-width letters, vulgar fractions (½ -> 1/2), circled digits.
        return Form("".join(_text(each) for each in compatible))
    return None


def _text(char: str) -> str:
    form = char_form(char)
    return form.text if form is not None else ""


def _accented(cluster: str) -> str | None:
    """`é` -> `\\'{e}`, `ı́` -> `\\'{\\i}`, `ễ` -> `\\~{\\^{e}}`; None when not a letter with
    accents LaTeX has."""
    decomposed = unicodedata.normalize("NFD", cluster)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not all(mark in ACCENTS for mark in marks):
        return None
    if base.isascii() and base.isalpha():
        latex = base
    elif base in ("ı", "ȷ"):
        latex = "\\i" if base == "ı" else "\\j"
    elif base in LETTERS and marks:
        latex = LETTERS[base].strip("{}")
    else:
        return None
    for mark in marks:
        latex = f"\\{ACCENTS[mark]}{{{latex}}}"
    return latex


def _math_alphabet(char: str) -> str | None:
    """`𝐵` -> `B`, `𝐱` -> `\\mathbf{x}`, `ℝ` -> `\\mathbb{R}`: letters of the math alphabets."""
    name = unicodedata.name(char, "")
    if not (name.startswith("MATHEMATICAL ") or name.startswith(("DOUBLE-STRUCK", "SCRIPT"))):
        return None
    plain = unicodedata.normalize("NFKC", char)
    if len(plain) != 1:
        return None
    letter = f"\\{GREEK[plain]}" if plain in GREEK else plain
    if not (letter.isascii() and (plain.isalnum() or plain in GREEK)):
        return None
    for style, macro in _MATH_ALPHABETS:
        if style in name:
            return f"{macro}{{{letter}}}" if macro else letter
    return letter


# --------------------------------------------------------------------------------------------
# Encoding


@dataclass(frozen=True)
class Encoded:
    """A text in ASCII LaTeX, with what could not be written."""

    latex: str
    unmapped: tuple[str, ...] = ()  # characters with no LaTeX form, left out, in order


# What PMLR's checker refuses in titles and abstracts, and what is written instead inside a
# formula: MathJax reads these the same.
_IN_FORMULA = {
    "\\{": "\\lbrace",
    "\\}": "\\rbrace",
    "\\\\": "\\cr",
    "\\$": "\\unicode{36}",
    "\\_": "\\unicode{95}",
}
_FORMULA_ESCAPE = re.compile(r"\\[{}$_\\]|[^\x00-\x7f]|(?<!\\)%|'+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKING_SPACE = re.compile(r"[ \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# Text characters with a meaning in LaTeX, and how PMLR's decoder gives each back.
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_CLUSTER = re.compile(r"[^\x00-\x7f][\u0300-\u036f]*|[A-Za-z][\u0300-\u036f]+")


def clusters(text: str) -> Iterator[str]:
    """The characters of `text`, a letter and the combining marks after it taken together
    (`q́` is one): the units `char_form` writes."""
    position = 0
    for match in _CLUSTER.finditer(text):
        yield from text[position : match.start()]
        yield match.group(0)
        position = match.end()
    yield from text[position:]


def encode(text: str) -> Encoded:
    """`text` (UTF-8, `$...$` math) as one line of ASCII LaTeX for PMLR's bib.

    White space and line breaks collapse to one space. Formulas are kept as written but for
    what PMLR's checker refuses or its decoder rewrites in them (`\\{`, primes), and
    `\\(...\\)` is written `$...$`. Accents, typography, Greek and symbols are written as in
    the table above. `\\ % & # ^ ~` of running text are escaped so that PMLR's pages show
    them; `_`, `$` and balanced braces are written as they are (PMLR's checker refuses
    `\\_`, `\\$`, `\\{`); an unbalanced brace becomes `\\textbraceleft{}`. Characters
    without a form are left out and listed in `unmapped`. Titles, abstracts and names are
    written alike.
    """
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    # Only breaking white space collapses: a no-break space is written `~`.
    text = _BREAKING_SPACE.sub(" ", text).strip(" ")
    unmapped: list[str] = []
    parts: list[str] = []
    position = 0
    for formula in formulas(text):
        parts.append(_encode_text(text[position : formula.start], unmapped))
        # `\(x\)` as `$x$`, `\[x\]` as `$$x$$`: the same to MathJax, and PMLR's decoder
        # rewrites `\) and` into `\){and}`.
        dollars = "$$" if formula.opening in ("$$", "\\[") else "$"
        parts.append(dollars + _encode_formula(formula.body, unmapped) + dollars)
        position = formula.end
    parts.append(_encode_text(text[position:], unmapped))
    return Encoded("".join(parts).strip(" "), tuple(dict.fromkeys(unmapped)))


def _encode_text(text: str, unmapped: list[str]) -> str:
    text = text.replace("\\$", "$")  # a dollar sign: PMLR's checker refuses `\$`
    unmatched = _unmatched_braces(text)
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if index in unmatched:
            out.append(r"\textbraceleft{}" if char == "{" else r"\textbraceright{}")
            index += 1
            continue
        if char in _TEXT_SPECIALS:
            out.append(_TEXT_SPECIALS[char])
            index += 1
            continue
        cluster = _CLUSTER.match(text, index)
        if cluster is None:
            out.append(char)
            index += 1
            continue
        form = char_form(cluster.group(0))
        if form is None:
            # A letter with marks LaTeX has no accent for: the letter, then each mark alone.
            pieces = [char_form(each) for each in cluster.group(0)]
            for each, piece in zip(cluster.group(0), pieces, strict=True):
                if piece is None:
                    unmapped.append(each)
                else:
                    out.append(piece.text)
        else:
            out.append(form.text)
        index = cluster.end()
    return re.sub(" {2,}", " ", "".join(out))


def _encode_formula(body: str, unmapped: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in _IN_FORMULA:
            latex = _IN_FORMULA[token]
        elif token == "%":
            latex = "\\%"
        elif token.startswith("'"):
            # Primes: PMLR's decoder turns `f''` into `f”`, which MathJax shows as a quote.
            return "^{" + "\\prime" * len(token) + "}"
        else:
            form = char_form(token)
            if form is None:
                unmapped.append(token)
                return ""
            if form.math is not None:
                latex = form.math
            else:
                latex = f"\\text{{{form.text}}}" if form.text.strip() else form.text
        following = body[match.end() : match.end() + 1]
        # `\lbrace` before `x` must not read as `\lbracex`: a space ends the control word.
        if re.search(r"\\[A-Za-z]+$", latex) and following.isascii() and following.isalpha():
            latex += " "
        return latex

    return _FORMULA_ESCAPE.sub(replace, body)


def _unmatched_braces(text: str) -> set[int]:
    """Positions of braces in `text` that have no partner (BibTeX needs balanced ones)."""
    stack: list[int] = []
    unmatched: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            stack.append(index)
        elif char == "}":
            if stack:
                stack.pop()
            else:
                unmatched.add(index)
    return unmatched | set(stack)


def unmapped(text: str) -> tuple[str, ...]:
    """The characters of `text` that have no ASCII LaTeX form, each once, in order."""
    if text.isascii():
        return ()
    return encode(text).unmapped


# --------------------------------------------------------------------------------------------
# PMLR's ids


def pmlr_id(family_latex: str, suffix: str) -> str:
    """The id PMLR's `create_volume.rb` gives a paper whose first author's family name is
    `family_latex` (as written in the bib, `Loaiza-Ganem`, `Y{\\i}ld{\\i}z`), with `suffix`
    (the two-digit year and a letter, `26a`) after it.

    It decodes the name (`pmlr_reading`), lower-cases it and applies ActiveSupport's
    `parameterize`: Latin letters folded to ASCII by I18n's table, any other character
    replaced, runs of anything but letters, digits, `-` and `_` made one hyphen, hyphens at the
    ends dropped: `loaiza-ganem`, `de-schouwer`, `yildiz`.
    """
    lowered = unicodedata.normalize("NFC", pmlr_reading(family_latex).lower() + suffix)
    folded = "".join(
        char if char.isascii() else _I18N_APPROXIMATIONS.get(char, "?") for char in lowered
    )
    hyphenated = re.sub(r"[^a-z0-9\-_]+", "-", folded, flags=re.IGNORECASE)
    return re.sub(r"-{2,}", "-", hyphenated).strip("-").lower()


def bibtex_last_name(family_latex: str) -> str:
    """The Last part of a family name as BibTeX (bibtex-ruby) splits `von Last`: the words up
    to the last one that starts in lower case are the `von` part (`van der Berg` -> `Berg`,
    `De la Fuente` -> `Fuente`); the last word always belongs to Last (`d'Alembert`), and a
    braced word has no case (`{van der Berg}` stays whole)."""
    words = brace_words(family_latex)
    last_lower = -1
    for index, word in enumerate(words[:-1]):
        if _starts_lower(word):
            last_lower = index
    return " ".join(words[last_lower + 1 :])


def _starts_lower(word: str) -> bool:
    if word.startswith("{") and not word.startswith("{\\"):
        return False  # a braced group: BibTeX gives it no case
    letters = [char for char in pmlr_reading(word) if char.isalpha()]
    return bool(letters) and letters[0].islower()


# PMLR's decoder (latex-decode, as `mlresearch.rb`'s `detex` runs it on names and titles),
# for the forms this module writes. Each pass is one left-to-right substitution, as in Ruby:
# an accent on an accented letter (`\~{\^{e}}`) is decoded once only.
_DOTLESS = re.compile(r"\\([ij])(?![A-Za-z0-9_])")
_LETTER = r"([^\W\d_][\u0300-\u036f]*)"
_DECODE_ACCENT = re.compile(r"\\([`'^~=.\"])\{" + _LETTER + r"\}")
_DECODE_DIACRITIC = re.compile(r"\\([rHuvGMdckbBt])\{" + _LETTER + r"([A-Za-z]*)\}")
_DECODE_LETTER = re.compile(r"\\(aa|AA|ae|AE|o|O|l|L)(?![A-Za-z0-9_])")
_DECODE_PUNCTUATION = re.compile(r"-+|`{1,2}|'{1,2}|\\([$%;#_&])(?:\{\})?")
_DECODE_SS = re.compile(r"\\ss(?:\{\}|\s+|(?![A-Za-z0-9_]))")
_STRIP_BRACES = re.compile(r"(^|[^\\])([{}]+)")
_DECODED_MARKS = {
    **{accent: mark for mark, accent in ACCENTS.items() if mark != "\u0326"},
}
_DECODED_LETTERS = {"aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "o": "ø", "O": "Ø", "l": "ł"}
_DECODED_LETTERS["L"] = "Ł"
_DECODED_PUNCTUATION = {"-": "-", "--": "\u2013", "---": "\u2014", "``": "\u201c", "`": "\u2018"}
_DECODED_PUNCTUATION |= {"''": "\u201d", "'": "\u2019"}


def pmlr_reading(latex: str) -> str:
    """What PMLR's pages show for `latex` in a name or title: `Y{\\i}ld{\\i}z` -> `Yıldız`,
    `{\\oe}` -> `\\oe` (its decoder does not know it)."""
    text = _DOTLESS.sub(lambda match: "ı" if match.group(1) == "i" else "ȷ", latex)
    text = _DECODE_ACCENT.sub(lambda m: m.group(2) + _DECODED_MARKS[m.group(1)], text)
    text = _DECODE_DIACRITIC.sub(
        lambda m: m.group(2) + _DECODED_MARKS[m.group(1)] + m.group(3), text
    )
    text = _DECODE_LETTER.sub(lambda match: _DECODED_LETTERS[match.group(1)], text)
    text = _DECODE_PUNCTUATION.sub(
        lambda m: m.group(1) if m.group(1) else _DECODED_PUNCTUATION.get(m.group(0), m.group(0)),
        text,
    )
    text = _DECODE_SS.sub("ß", text)
    text = _STRIP_BRACES.sub(lambda match: match.group(1), text)
    text = re.sub(r"\\([{}])", r"\1", text)
    return unicodedata.normalize("NFC", text)


# I18n's default transliteration table (i18n/backend/transliterator.rb), which ActiveSupport's
# `parameterize` applies after lower-casing: only these characters survive, as ASCII.
_I18N_APPROXIMATIONS = {
    **dict(
        zip(
            "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝàáâãäåçèéêë"
            "ìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕ"
            "ĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿ"
            "ŀŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬ"
            "ŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž",
            "AAAAAACEEEEIIIIDNOOOOOxOUUUUYaaaaaaceeee"
            "iiiidnoooooouuuuyyAaAaAaCcCcCcCcDdDdEeEe"
            "EeEeEeGgGgGgGgHhHhIiIiIiIiIiJjKkkLlLlLlL"
            "lLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuU"
            "uUuUuUuWwYyYZzZzZz",
            strict=True,
        )
    ),
    "Æ": "AE",
    "Þ": "Th",
    "ß": "ss",
    "æ": "ae",
    "þ": "th",
    "Ĳ": "IJ",
    "ĳ": "ij",
    "ŉ": "'n",
    "Ŋ": "NG",
    "ŋ": "ng",
    "Œ": "OE",
    "œ": "oe",
}
