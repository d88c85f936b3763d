#!/usr/bin/env bash
# Rebuild the PDFs of the example volume from their LaTeX sources:
#   pdf/<id>.pdf   from   src/<id>/main.tex  (+ iclrlike.sty in this folder)
#
# Usage: bash papers/build.sh            (every paper under src/)
#        bash papers/build.sh ID ...     (only these papers)
#
# A source whose first line is "% !TEX program = lualatex" is compiled with
# LuaLaTeX, every other one with pdfLaTeX.  Each paper is compiled twice in
# a fresh temporary folder (a third time only if LaTeX asks for it), and
# only the PDF is copied out.  The output is
# reproducible: fixed dates (SOURCE_DATE_EPOCH), no trailer /ID.
# Any LaTeX error, undefined reference, missing glyph, unembedded font or
# page that is not US Letter stops the build with a message.
# Debian packages needed: see README.md in this folder.
set -euo pipefail

export SOURCE_DATE_EPOCH=1767225600
export FORCE_SOURCE_DATE=1
export TZ=UTC
export LC_ALL=C.UTF-8

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/src"
OUT="$HERE/pdf"

die() { echo "build.sh: $*" >&2; exit 1; }

for tool in pdflatex pdfinfo pdffonts; do
    command -v "$tool" >/dev/null || die "$tool not found (see README.md)"
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

engine_of() {  # the engine named by the magic comment on line 1, else pdflatex
    if head -n 1 "$1" | grep -Eqi '^%[[:space:]]*!TEX[[:space:]]+(TS-)?program[[:space:]]*=[[:space:]]*lualatex'; then
        echo lualatex
    else
        echo pdflatex
    fi
}

# Run ENGINE twice on main.tex in the current folder; die loudly on error.
run_latex() {
    local engine="$1" id="$2" pass
    command -v "$engine" >/dev/null || die "$engine not found (paper $id; see README.md)"
    for pass in 1 2 3; do
        # Two passes; a third only when LaTeX asks for it (floats moved).
        if [ "$pass" = 3 ] && ! grep -q "Rerun to get" main.log; then
            break
        fi
        if ! "$engine" -interaction=nonstopmode -halt-on-error -file-line-error \
                -no-shell-escape main.tex >main.stdout 2>&1; then
            echo "build.sh: $engine FAILED on paper $id (pass $pass); log tail:" >&2
            tail -n 40 main.log >&2 2>/dev/null || tail -n 40 main.stdout >&2
            exit 1
        fi
    done
    if grep -q "Rerun to get" main.log; then
        die "paper $id still wants another $engine run"
    fi
    if grep -E "(Citation|Reference) .* undefined|There were undefined" main.log >&2; then
        die "paper $id has undefined citations or references"
    fi
    if grep -E "Missing character|Font shape .* undefined" main.log >&2; then
        die "paper $id uses characters or font shapes that its fonts do not have"
    fi
    if grep -q "^Overfull" main.log; then
        echo "build.sh: warning: paper $id has overfull boxes" >&2
    fi
}

check_pdf() {  # letter pages, every font embedded
    local id="$1" pdf="$2"
    pdfinfo "$pdf" | grep -Eq '^Page size: +612 x 792 pts' ||
        die "paper $id: pages are not US Letter"
    # pdffonts: columns ... emb sub uni object ID; emb is 5th from the end.
    if pdffonts "$pdf" | awk 'NR > 2 && $(NF-4) != "yes" {bad = 1} END {exit !bad}'; then
        pdffonts "$pdf" >&2
        die "paper $id: a font is not embedded"
    fi
}

build_paper() {
    local id="$1" dir="$TMP/$1" engine
    [ -f "$SRC/$id/main.tex" ] || die "no source $SRC/$id/main.tex"
    engine="$(engine_of "$SRC/$id/main.tex")"
    mkdir -p "$dir"
    cp -R "$SRC/$id/." "$dir/"
    cp "$HERE/iclrlike.sty" "$dir/"
    (cd "$dir" && run_latex "$engine" "$id")
    check_pdf "$id" "$dir/main.pdf"
    mkdir -p "$OUT"
    cp "$dir/main.pdf" "$OUT/$id.pdf"
    echo "built pdf/$id.pdf with $engine ($(pdfinfo "$OUT/$id.pdf" | sed -n 's/^Pages: *//p') pages, $(stat -c %s "$OUT/$id.pdf") bytes)"
}

if [ "$#" -gt 0 ]; then
    ids=("$@")
else
    ids=()
    for d in "$SRC"/*/; do
        ids+=("$(basename "$d")")
    done
    [ "${#ids[@]}" -gt 0 ] || die "no papers under $SRC"
fi

for id in "${ids[@]}"; do
    build_paper "$id"
done
