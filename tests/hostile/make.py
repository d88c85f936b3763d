"""Hostile inputs, written by code: nothing is downloaded, nothing large is committed.

PDFs are made from a good paper of the fixtures, so that each defect is the only thing wrong:
pikepdf rewrites it with a plain cross-reference table, then single objects are edited as
text (`replace_object`) and the table rebuilt (`reindex`), or the table itself is broken. A
few are written object by object (`pdf_file`): a content stream that inflates to 4 GiB from
4 MB, 10,000 blank pages. Metadata cases (`YAML_CASES`) change the files of a good volume
(`write_volume`); BibTeX cases (`BIB_CASES`) are file texts; `latex_papers` is a papers.yaml
whose titles and names carry text for LaTeX. Large cases are made only when asked.

`python tests/hostile/make.py FOLDER` writes them all, to look at.
"""

from __future__ import annotations

import io
import os
import random
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:  # run as a script: the shared test modules are one folder up
    sys.path.insert(0, str(TESTS))

from volumes import VOLUME_YAML  # noqa: E402

FIXTURES = TESTS / "fixtures"
GOOD_PDF = FIXTURES / "papers" / "long_refs_mid_p5.pdf"

# --------------------------------------------------------------------------------------------
# A small PDF writer


def pdf_file(objects: Sequence[bytes]) -> bytes:
    """A PDF of `objects` (object i + 1 is `objects[i]`, the text between `obj` and `endobj`;
    object 1 is the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    size = len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


# --------------------------------------------------------------------------------------------
# PDFs made from a good paper: the defect is the only thing wrong with them

TRUNCATION_POINTS = 20
FLIPPED_FILES = 5
BOMB_BYTES = 4 << 30  # what the bomb's content stream inflates to
BLANK_PAGES = 10_000
NESTING = 100_000

_OBJ = re.compile(rb"(?m)^(\d+) 0 obj\b")


def good_paper() -> Any:
    """The good paper, opened with pikepdf."""
    import pikepdf

    return pikepdf.open(GOOD_PDF)


def classic(pdf: Any) -> bytes:
    """`pdf` saved with a plain cross-reference table and no object streams, so objects can be
    edited as text; streams stay compressed and the file stays small."""
    import pikepdf

    buffer = io.BytesIO()
    pdf.save(
        buffer,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        deterministic_id=True,
        static_id=True,
    )
    return buffer.getvalue()


def replace_object(data: bytes, number: int, body: bytes) -> bytes:
    """`data` (a classic PDF) with object `number`'s body replaced; the table is rebuilt."""
    match = re.search(rb"(?m)^%d 0 obj\b" % number, data)
    assert match is not None, number
    end = data.index(b"endobj", match.end())
    return reindex(data[: match.end()] + b"\n" + body + b"\n" + data[end:])


def placeholder(pdf: Any, name: str) -> Any:
    """A new indirect object to be replaced as text once the file is saved (`numbered`)."""
    import pikepdf

    return pdf.make_indirect(pikepdf.Dictionary(Placeholder=pikepdf.Name("/" + name)))


def numbered(data: bytes, name: str) -> int:
    """The number of the object `placeholder(pdf, name)` made, after saving renumbered it."""
    found = [
        int(match.group(1))
        for match in _OBJ.finditer(data)
        if object_body(data, int(match.group(1))) == b"<< /Placeholder /%s >>" % name.encode()
    ]
    assert len(found) == 1, (name, found)
    return found[0]


def object_body(data: bytes, number: int) -> bytes:
    match = re.search(rb"(?m)^%d 0 obj\b" % number, data)
    assert match is not None, number
    return data[match.end() : data.index(b"endobj", match.end())].strip()


def reindex(data: bytes) -> bytes:
    """A correct cross-reference table for a classic PDF whose objects were edited as text."""
    offsets = {int(match.group(1)): match.start() for match in _OBJ.finditer(data)}
    table = data.rindex(b"\nxref\n") + 1
    trailer = data[data.index(b"trailer", table) : data.index(b"startxref", table)]
    size = max(offsets) + 1
    trailer = re.sub(rb"/Size \d+", b"/Size %d" % size, trailer)
    out = bytearray(data[:table])
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % table
    return bytes(out)


def truncated(data: bytes, count: int = TRUNCATION_POINTS) -> dict[str, bytes]:
    """`data` cut at `count` offsets: inside the header, then spread over the file, and last
    just before the final `%%EOF`."""
    cuts = {5} | {len(data) * index // count for index in range(1, count - 1)}
    cuts.add(len(data) - len(b"%%EOF\n"))
    assert len(cuts) == count
    return {f"truncated_{cut:06d}.pdf": data[:cut] for cut in sorted(cuts)}


def flipped(data: bytes, count: int = FLIPPED_FILES, flips: int = 40) -> dict[str, bytes]:
    """`data` with `flips` random bytes changed, `count` times (seeded: the same every run)."""
    files = {}
    for seed in range(count):
        chance = random.Random(seed)
        copy = bytearray(data)
        for _ in range(flips):
            copy[chance.randrange(len(copy))] = chance.randrange(256)
        files[f"flipped_{seed}.pdf"] = bytes(copy)
    return files


def broken_xref(data: bytes) -> dict[str, bytes]:
    """The cross-reference table wrong three ways: every offset 13 bytes off and `startxref`
    past the end; a table of garbage; no table at all."""
    table = data.rindex(b"\nxref\n") + 1
    trailer = data.index(b"trailer", table)
    shifted = re.sub(
        rb"(?m)^(\d{10}) 00000 n ",
        lambda match: b"%010d 00000 n " % (int(match.group(1)) + 13),
        data[table:trailer],
    )
    end = re.sub(rb"startxref\n\d+", b"startxref\n%d" % (len(data) * 10), data[trailer:])
    garbage = b"xref\n0 30\nthis is no table\n\x00\x01\x02 junk 0 n\n"
    return {
        "xref_offsets.pdf": data[:table] + shifted + end,
        "xref_garbage.pdf": data[:table] + garbage + data[trailer:],
        "xref_missing.pdf": data[:table] + data[trailer:],
    }


def self_references() -> dict[str, bytes]:
    """An object whose value is a reference to itself, where the first page's contents, its
    resources and one of its fonts belong."""
    files = {}
    for name, key in (("contents", "/Contents"), ("resources", "/Resources"), ("font", None)):
        pdf = good_paper()
        page = pdf.pages[0].obj
        loop = placeholder(pdf, "Loop")
        if key is None:
            fonts = page.Resources.Font
            fonts[next(iter(fonts.keys()))] = loop
        else:
            page[key] = loop
        data = classic(pdf)
        number = numbered(data, "Loop")
        files[f"self_reference_{name}.pdf"] = replace_object(data, number, b"%d 0 R" % number)
    return files


def page_tree_loops() -> dict[str, bytes]:
    """Page trees that loop: a node among the root's kids whose kids are the root (Kids
    pointing back to a parent); a page whose kids are the root; the root a kid of itself."""
    import pikepdf

    files = {}
    pdf = good_paper()
    root = pdf.Root.Pages
    node = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Pages, Parent=root, Kids=[root], Count=1)
    )
    root.Kids.append(node)
    files["page_tree_loop.pdf"] = classic(pdf)

    pdf = good_paper()
    first = pdf.pages[0].obj
    first.Kids = pikepdf.Array([pdf.Root.Pages])
    files["page_tree_page_kids.pdf"] = classic(pdf)

    pdf = good_paper()
    root = pdf.Root.Pages
    root.Kids.insert(0, root)
    files["page_tree_self.pdf"] = classic(pdf)
    return files


def deep_nesting(depth: int = NESTING) -> dict[str, bytes]:
    """Arrays and dictionaries nested `depth` levels in the first page's dictionary, and an
    array nested as deep in a content stream of its own before the page's text."""
    import pikepdf

    pdf = good_paper()
    page = pdf.pages[0].obj
    page.Contents = pikepdf.Array([placeholder(pdf, "Content"), page.Contents])
    page.Hostile = placeholder(pdf, "Page")
    data = classic(pdf)
    content, number = numbered(data, "Content"), numbered(data, "Page")
    data = replace_object(data, number, b"null")  # the page's /Hostile entry is a null now
    page_number = next(
        int(match.group(1))
        for match in _OBJ.finditer(data)
        if b"/Hostile %d 0 R" % number in object_body(data, int(match.group(1)))
    )
    body = object_body(data, page_number)
    assert body.startswith(b"<<")
    arrays = b"[" * depth + b"]" * depth
    dicts = b"<< /A " * depth + b"1" + b" >>" * depth
    operands = b"q " + b"[" * depth + b"]" * depth + b" pop Q"
    plain = replace_object(data, content, stream(b"% nothing"))
    return {
        "nested_arrays.pdf": replace_object(plain, page_number, b"<< /Deep " + arrays + body[2:]),
        "nested_dicts.pdf": replace_object(plain, page_number, b"<< /Deep " + dicts + body[2:]),
        "nested_content.pdf": replace_object(data, content, stream(operands)),
    }


def broken_encodings() -> dict[str, bytes]:
    """The body font of the paper with a nonsense encoding: /Differences full of garbage; a
    ToUnicode map that is not a CMap; a ToUnicode that is not a stream."""
    import pikepdf

    garbage = pikepdf.Array(
        [-5, pikepdf.Name.A, pikepdf.String("str"), 99999999999, pikepdf.Name.B, pikepdf.Array(),
         pikepdf.Dictionary(), 3.5, pikepdf.Name.C, None, True, 65, pikepdf.Name("/z z")]
    )  # fmt: skip
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> endcodespacerange\n"
        b"3 beginbfchar <41> <D800> <42 <0041> <FFFFFFFFFFFF> <00>\n"
        b"2 beginbfrange <00> <FF> [ <0041> ] <20> <10> <0000FFFF>\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n" + b"\xff\xfe" * 64
    )
    files = {}
    for name in ("differences", "tounicode", "tounicode_array"):
        pdf = good_paper()
        for font in _body_fonts(pdf):
            if name == "differences":
                font.Encoding = pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=garbage)
            elif name == "tounicode":
                font.ToUnicode = pikepdf.Stream(pdf, cmap)
            else:
                font.ToUnicode = pikepdf.Array([1, 2, 3])
        files[f"font_{name}.pdf"] = classic(pdf)
    return files


def _body_fonts(pdf: Any) -> list[Any]:
    """Every font of the paper (its text font among them)."""
    seen: dict[tuple[int, int], Any] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            seen.setdefault(font.objgen, font)
    return list(seen.values())


def without_contents() -> bytes:
    """The good paper with no /Contents on its first page."""
    pdf = good_paper()
    del pdf.pages[0].obj["/Contents"]
    return classic(pdf)


# --------------------------------------------------------------------------------------------
# PDFs written from scratch


def deflated_zeros(size: int) -> bytes:
    """A zlib stream of `size` zero bytes, made without holding them: after a full flush the
    compressor starts afresh, so every further megabyte of zeros compresses to the same bytes,
    which are repeated. The checksum of zeros is computed directly (Adler-32: a = 1, b = size)."""
    chunk = 1 << 20
    assert size % chunk == 0
    compressor = zlib.compressobj(9)
    first = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(b"\0" * chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == again
    # An empty final block, then the checksum of the data (big-endian Adler-32).
    adler = ((size % 65521) << 16) | 1
    return first + again * (size // chunk - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def decompression_bomb(size: int = BOMB_BYTES) -> bytes:
    """A few megabytes whose one content stream inflates to `size` bytes of zeros."""
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(deflated_zeros(size), b"/Filter /FlateDecode "),
        ]
    )


def blank_pages(count: int = BLANK_PAGES) -> bytes:
    """`count` letter pages sharing one empty content stream, in a flat page tree."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 612 792] >>" % count,
        stream(b""),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * count
    return pdf_file(objects)


def blank_page_without_contents() -> bytes:
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


HOSTILE_FONTS = 4000  # font objects whose strings never close, all named by one page
DEEP_TREE = 5000  # levels of page-tree nodes, and of figures drawing figures


def _text_page(resources: bytes) -> bytes:
    """A letter page drawing object 4, with `resources`."""
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources " + resources + b" >>"
    )


def comment_run_font(size: int = 600) -> bytes:
    """About `size` bytes: a page whose font object is nothing but `% ` comment markers (one
    line: a comment runs to the end of the line), the input that made a backtracking token
    pattern exponential."""
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _text_page(b"<< /Font << /F1 5 0 R >> >>"),
        stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
    ]
    fixed = len(pdf_file([*head, b""]))
    return pdf_file([*head, b"% " * max(1, (size - fixed) // 2)])


def unclosed_font_strings(count: int = HOSTILE_FONTS) -> bytes:
    """A page naming `count` font objects, each opening a string that never closes: a reader
    that looks for each string's end from where it starts reads the rest of the file each
    time (quadratic)."""
    names = b" ".join(b"/F%d %d 0 R" % (index, 5 + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _text_page(b"<< /Font << " + names + b" >> >>"),
        stream(b"BT /F0 12 Tf 72 720 Td (Hello) Tj ET"),
    ]
    objects += [b"<< /Type /Font /Subtype /Type1 /BaseFont (Never-closed" + b" x" * 20] * count
    return pdf_file(objects)


def deep_page_tree(depth: int = DEEP_TREE) -> bytes:
    """One page under `depth` levels of page-tree nodes."""
    first = 2  # node i + 1 is object first + i; the page comes after the last node
    page = first + depth
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        parent = b"/Parent %d 0 R " % (first + level - 1) if level else b""
        objects.append(
            b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, first + level + 1)
        )
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>"
        % (page - 1, page + 1)
    )
    objects.append(stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"))
    return pdf_file(objects)


def cyclic_resources(depth: int = DEEP_TREE) -> bytes:
    """A page whose figure draws two figures, each of which draws two more, `depth` deep,
    and the last draws the first (a cycle): the figures reach each other by 2^depth paths,
    and a walk that does not remember where it has been never ends."""
    first = 5  # figure i is object first + i
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _text_page(b"<< /XObject << /X0 %d 0 R >> >>" % first),
        stream(b"q /X0 Do Q BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
    ]
    for level in range(depth):
        following = [first + (level + 1) % depth, first + (level + 2) % depth]
        names = b" ".join(
            b"/X%d %d 0 R" % (index, number) for index, number in enumerate(following)
        )
        objects.append(
            stream(
                b"",
                b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                b"/Resources << /XObject << " + names + b" >> >> ",
            )
        )
    return pdf_file(objects)


def cyclic_page_tree() -> bytes:
    """A page tree whose root lists itself and a node that lists the root again, besides
    its one page."""
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 5 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 5 0 R] /Count 1 >>",
        ]
    )


def structure_cases() -> dict[str, bytes]:
    """Structures that cost a careless reader exponential or quadratic time."""
    return {
        "structure_comment_font.pdf": comment_run_font(),
        "structure_unclosed_strings.pdf": unclosed_font_strings(),
        "structure_deep_page_tree.pdf": deep_page_tree(),
        "structure_cyclic_resources.pdf": cyclic_resources(),
        "structure_cyclic_page_tree.pdf": cyclic_page_tree(),
    }


def write_pdfs(folder: Path) -> dict[str, Path]:
    """Every hostile PDF, by name; `x.pdf` is a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    good = GOOD_PDF.read_bytes()
    files: dict[str, bytes] = {
        **truncated(good),
        **flipped(good),
        **broken_xref(classic(good_paper())),
        **self_references(),
        **page_tree_loops(),
        **deep_nesting(),
        **broken_encodings(),
        **structure_cases(),
        "no_contents_page1.pdf": without_contents(),
        "no_contents_blank.pdf": blank_page_without_contents(),
        "blank_10000.pdf": blank_pages(),
        "bomb.pdf": decompression_bomb(),
        "zero_bytes.pdf": b"",
    }
    written = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        written[name] = path
    directory = folder / "x.pdf"
    directory.mkdir(exist_ok=True)
    written["x.pdf"] = directory
    return written


def write_locked(folder: Path) -> Path:
    """A copy of a good PDF that nobody may read (root still can)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "locked.pdf"
    path.write_bytes(GOOD_PDF.read_bytes())
    path.chmod(0)
    return path


# --------------------------------------------------------------------------------------------
# Volume metadata: a good volume of two papers, and what a web form lets authors type into it

PAPERS_YAML = """\
papers:
  - id: "1"
    title: "When Bigger Batches Did Not Help"
    authors:
      - name: Ada Example
        affiliation: Example University
      - name: Ben Sample
    abstract: We tried larger batches and they did not help.
    track: long
    archival: true
  - id: "2"
    title: "Adaptive Batch Scaling Does Not Survive a Tuned Baseline"
    authors:
      - name: Ada Example
      - name: Ben Sample
    abstract: A tiny paper on the same question.
    track: tiny
    archival: false
"""

FIRST_TITLE = 'title: "When Bigger Batches Did Not Help"'
FIRST_AUTHORS = "    authors:\n      - name: Ada Example\n        affiliation: Example University\n"
FIRST_AUTHORS += "      - name: Ben Sample\n"


def write_volume(root: Path, changes: dict[str, bytes] | None = None) -> Path:
    """The good volume at `root` (two papers, their PDFs), with files replaced by `changes`."""
    (root / "pdf").mkdir(parents=True, exist_ok=True)
    (root / "pdf" / "1.pdf").write_bytes(GOOD_PDF.read_bytes())
    (root / "pdf" / "2.pdf").write_bytes((FIXTURES / "papers" / "tiny_pass.pdf").read_bytes())
    files = {"volume.yaml": VOLUME_YAML.encode(), "papers.yaml": PAPERS_YAML.encode()}
    files.update(changes or {})
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def _papers(old: str, new: str) -> dict[str, bytes]:
    assert old in PAPERS_YAML, old
    return {"papers.yaml": PAPERS_YAML.replace(old, new, 1).encode("utf-8", "surrogatepass")}


def billion_laughs(levels: int = 9) -> str:
    """Nine levels of nine aliases each: 9**9 values once expanded, from a few hundred bytes."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


ABSTRACT_BYTES = 10 << 20
YAML_NESTING = 100_000

# Each case: the files it changes in the good volume (made when asked: some are large).
YAML_CASES: dict[str, Callable[[], dict[str, bytes]]] = {
    "syntax_error": lambda: _papers(FIRST_TITLE, "title: When: Bigger Batches Did Not Help"),
    "tab_indent": lambda: _papers("    track: long", "\ttrack: long"),
    "alias_bomb": lambda: {"papers.yaml": (billion_laughs() + PAPERS_YAML).encode()},
    "alias_bomb_volume": lambda: {"volume.yaml": (billion_laughs() + VOLUME_YAML).encode()},
    "invalid_utf8": lambda: {
        "papers.yaml": PAPERS_YAML.encode().replace(b"Ben Sample", b"Ben S\xe9mple")
    },
    "abstract_10mb": lambda: _papers(
        "We tried larger batches and they did not help.",
        "We tried larger batches. " * (ABSTRACT_BYTES // 25),
    ),
    "title_number": lambda: _papers(FIRST_TITLE, "title: 42"),
    "title_list": lambda: _papers(FIRST_TITLE, "title: [When, Bigger, Batches]"),
    "authors_string": lambda: _papers(FIRST_AUTHORS, "    authors: Ada Example and Ben Sample\n"),
    "nulls_everywhere": lambda: {
        "papers.yaml": b"papers:\n  - id: null\n    title: null\n    authors: null\n"
        b"    abstract: null\n    track: null\n    archival: null\n"
        b"  - id: '2'\n    title: ~\n    authors: [null, {name: null, affiliation: null}]\n"
        b"    abstract:\n    track:\n    archival:\n"
    },
    "papers_mapping": lambda: {"papers.yaml": b"papers:\n  first: {id: '1', title: A}\n"},
    "volume_wrong_types": lambda: {
        "volume.yaml": VOLUME_YAML.replace("  year: 2026", "  year: [2026]")
        .replace("  editors:\n    - name: Ada Example", "  editors: {name: Ada Example}")
        .replace("tracks:\n  - id: long", "tracks:\n  long:\n    id: long")
        .replace("  - id: tiny", "  tiny:\n    id: tiny")
        .encode()
    },
    "deep_nesting": lambda: {
        "papers.yaml": (
            PAPERS_YAML + "extra: " + "[" * YAML_NESTING + "]" * YAML_NESTING + "\n"
        ).encode()
    },
    "lone_surrogate": lambda: _papers(FIRST_TITLE, 'title: "When \\ud800 Bigger"'),
    "python_tag": lambda: {
        "papers.yaml": b"papers: !!python/object/apply:os.system ['touch PWNED']\n"
    },
    "bad_scalars": lambda: {
        "papers.yaml": PAPERS_YAML.replace('id: "1"', "id: " + "9" * 5000)
        .replace("archival: true", "archival: !!bool maybe")
        .encode(),
        "volume.yaml": VOLUME_YAML.replace("start: 2026-04-27", "start: 2026-13-45").encode(),
    },
    "nul_in_path": lambda: _papers(
        "    track: long\n", '    track: long\n    pdf: "pdf/1\\0.pdf"\n'
    ),
}


# --------------------------------------------------------------------------------------------
# BibTeX: a good entry, and one hostile thing after it

GOOD_ENTRY = """\
@article{good,
  title = {A Good Title},
  author = {Example, Ada and Sample, Ben},
  journal = {Journal of Examples},
  year = {2020},
}
"""

BIB_ENTRIES = 100_000
BIB_BRACES = 10_000
BIB_VALUE_BYTES = 10 << 20


def bib_entry(key: str, title: str, tail: str = "}\n") -> str:
    return (
        f"@article{{{key},\n  title = {title},\n  author = {{Sample, Ben}},\n"
        f"  journal = {{Journal of Examples}},\n  year = {{2021}},\n{tail}"
    )


def many_entries(count: int = BIB_ENTRIES) -> str:
    return "\n".join(
        f"@article{{key{number},\n  title = {{Result number {number} on examples}},\n"
        f"  author = {{Example, Ada and Sample, Ben}},\n  journal = {{Journal of Examples}},\n"
        f"  year = {{2020}},\n  doi = {{10.1000/example.{number}}},\n}}\n"
        for number in range(count)
    )


def string_doubling(levels: int = 40) -> str:
    """`@string`s each twice the last: 10 * 2**40 characters if expanded."""
    lines = ["@string{s0 = {xxxxxxxxxx}}"]
    lines += [f"@string{{s{level} = s{level - 1} # s{level - 1}}}" for level in range(1, levels)]
    return "\n".join(lines) + "\n" + GOOD_ENTRY + bib_entry("doubled", f"s{levels - 1}")


# Each case: the text of the file (made when asked: some are large).
BIB_CASES: dict[str, Callable[[], str]] = {
    "unbalanced_open": lambda: (
        GOOD_ENTRY
        + bib_entry("broken", "{Never {closed}")
        + "\n"
        + GOOD_ENTRY.replace("good", "good2").replace("A Good Title", "Another Title")
    ),
    "unbalanced_close": lambda: GOOD_ENTRY + bib_entry("broken", "{Closed} twice}"),
    "unterminated_entry": lambda: GOOD_ENTRY + bib_entry("broken", "{Never closed}", tail=""),
    "unterminated_value": lambda: GOOD_ENTRY + "@article{broken,\n  title = {Never closed,\n",
    "braces_deep": lambda: (
        GOOD_ENTRY + bib_entry("deep", "{" * BIB_BRACES + "x" + "}" * BIB_BRACES)
    ),
    "braces_deep_open": lambda: GOOD_ENTRY + bib_entry("deep", "{" * BIB_BRACES + "x"),
    "value_10mb": lambda: (
        GOOD_ENTRY + bib_entry("big", "{" + "A long title. " * (BIB_VALUE_BYTES // 14) + "}")
    ),
    "string_loop": lambda: (
        "@string{a = b # a}\n@string{b = a}\n" + GOOD_ENTRY + bib_entry("loop", "a")
    ),
    "string_doubling": lambda: string_doubling(),
    "entries_100000": lambda: many_entries(),
}


# --------------------------------------------------------------------------------------------
# Text that reaches LaTeX

SPECIALS = "# $ % & ~ _ ^ \\ { } [ ] < > | @ ! * \\\\ ~~ ^^ << >> ?` !` ,, $5 and $10"
ATTACKS = (
    "\\input{/etc/passwd} \\include{/etc/passwd} \\write18{touch PWNED} "
    "\\immediate\\write18{touch PWNED} \\openin5=/etc/passwd \\read5 to\\x "
    "\\catcode`\\@=0 ^^5cinput{/etc/passwd} \\csname input\\endcsname{/etc/passwd} "
    "$\\input{/etc/passwd}$ $^^5cinput{/etc/passwd}$ \\def\\x{\\x}\\x \\end{document}"
)
CONTROLS = "bell\x07 escape\x1b delete\x7f next-line\x85 tab\tnew\nline\r end"
COMBINING = "combining: cafe\u0301 A\u030a"
# Marks on letters Unicode has no single character for: pdfLaTeX would build them from loose
# accent glyphs that text layers misplace, so LuaLaTeX sets them.
UNCOMPOSED = "q\u0301 n\u0303\u0323 e\u0302\u0303"
RIGHT_TO_LEFT = "شبكة عصبية and רשת עצבית"
EMOJI = "emoji \U0001f600 \U0001f389"


def latex_papers(pwned: Path, *, right_to_left: bool = False, emoji: bool = False) -> str:
    """papers.yaml of three papers whose titles, names and abstracts carry hostile text; the
    first is archival (so it reaches the PMLR .bib too). `PWNED` becomes `pwned`."""
    import yaml

    attacks = ATTACKS.replace("PWNED", str(pwned))
    papers: list[dict[str, Any]] = [
        {
            "id": "1",
            "title": "Specials " + SPECIALS,
            "authors": [
                {"name": "Ada \\input{/etc/passwd} Example", "affiliation": attacks},
                {"name": "Ben {Sample}"},
            ],
            "abstract": attacks + " " + SPECIALS,
            "track": "tiny",
            "archival": True,
        },
        {
            "id": "2",
            "title": "Controls " + CONTROLS + " and " + COMBINING,
            "authors": [{"name": "Zoe\u0308 Ma\u0301rquez", "affiliation": "U\u0308lm"}],
            "abstract": CONTROLS,
            "track": "tiny",
            "archival": False,
        },
        {
            "id": "3",
            "title": "Attacks " + attacks,
            "authors": [{"name": "Cleo \\write18{touch " + str(pwned) + "} Doe"}],
            "abstract": attacks,
            "track": "tiny",
            "archival": False,
        },
    ]
    if right_to_left:
        papers[1]["title"] += " " + UNCOMPOSED
        papers[2]["title"] = "Right to left: " + RIGHT_TO_LEFT
        papers[2]["authors"].append({"name": "محمد علي", "latin": "Mohammed Ali"})
    if emoji:
        papers[2]["title"] = "Emoji: " + EMOJI
    return yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False)


# An invited speaker of the volume whose name, affiliation and talk are hostile too.
SPEAKER = {
    "name": "Dana \\input{/etc/passwd} Roe",
    "affiliation": "Lab " + SPECIALS,
    "talk": "Talk \\write18{touch PWNED} " + CONTROLS,
}


def write_latex_volume(root: Path, papers_yaml: str) -> Path:
    """A volume of three papers (the same small PDF) with `papers_yaml`, the example volume's
    volume.yaml (with `SPEAKER` among its invited speakers, `PWNED` in the folder above
    `root`) and preface."""
    import yaml

    example = Path(__file__).resolve().parents[2] / "papers"
    (root / "pdf").mkdir(parents=True, exist_ok=True)
    for number in (1, 2, 3):
        (root / "pdf" / f"{number}.pdf").write_bytes(
            (FIXTURES / "papers" / "tiny_pass.pdf").read_bytes()
        )
    volume = yaml.safe_load((example / "volume.yaml").read_text(encoding="utf-8"))
    pwned = str(root.parent / "PWNED")
    speaker = {key: value.replace("PWNED", pwned) for key, value in SPEAKER.items()}
    volume["frontmatter"]["invited_speakers"].append(speaker)
    (root / "volume.yaml").write_text(
        yaml.safe_dump(volume, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (root / "preface.md").write_bytes((example / "preface.md").read_bytes())
    (root / "papers.yaml").write_text(papers_yaml, encoding="utf-8")
    return root


# --------------------------------------------------------------------------------------------


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    if len(args) != 1:
        print("usage: python tests/hostile/make.py FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    written = list(write_pdfs(folder / "pdf").values())
    for name, changes in YAML_CASES.items():
        written.append(write_volume(folder / "yaml" / name, changes()))
    (folder / "bib").mkdir(parents=True, exist_ok=True)
    for name, text in BIB_CASES.items():
        path = folder / "bib" / f"{name}.bib"
        path.write_text(text(), encoding="utf-8")
        written.append(path)
    for name, papers in (
        ("latin", latex_papers(folder / "PWNED")),
        ("right_to_left", latex_papers(folder / "PWNED", right_to_left=True)),
        ("emoji", latex_papers(folder / "PWNED", emoji=True)),
    ):
        written.append(write_latex_volume(folder / "latex" / name, papers))
    for path in sorted(written):
        size = os.path.getsize(path) if path.is_file() else 0
        print(f"{size:>12,}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
