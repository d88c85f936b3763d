"""Hostile PDFs through `build`: a value of the wrong type anywhere the build reads.

The mutants are made here, as `make.py` makes the hostile suite's: from good papers of the
fixtures, to which the links, named destinations and bookmarks hyperref writes are added
first (`linked`), so that every part of a paper the build reads is there to be damaged. Each
mutation changes one thing: a value of the wrong type for `/Dests`, `/Names`, `/Outlines`,
`/Parent`, `/Kids`, `/Annots`, `/A`, `/D`, `/Dest`, `/MediaBox`, `/Resources`, `/Filter`,
`/Length` and more; keys and names of bytes that are not UTF-8; the file cut short (plain and
linearized); bytes of its cross-reference table, or of anywhere, changed.

Each mutant is checked (`proceedings check --select PDF`, all of a base in one run) and built
as paper 2 of a volume, as `proceedings build --only volume,pmlr --no-check` builds it but in
this process, so that hundreds of builds take seconds: an exception other than `BuildError`
is what the command line would show as a traceback. What must hold: the build either
succeeds, with as many pages as PDFium counts, each paper page the size and rotation PDFium
shows, every link going to a destination the volume has and qpdf finding no more damage than
in its own rewrite of the paper; or it stops with one message naming the paper and its file.
A paper `check` passes (no error) always builds. The real papers of the published volumes go
through the same, and the reported damage through the command line itself.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest

from conftest import PAPERS, SHARED, page_texts
from hostile import make
from hostile.runner import check_json, errors, proceedings
from proceedings.build import volume_pdf
from proceedings.build.pipeline import BuildError, build_volume
from proceedings.build.volume_pdf import stamp_sheet
from volumes import make_volume

A, D, N, S = pikepdf.Array, pikepdf.Dictionary, pikepdf.Name, pikepdf.String

# Good papers the mutants are made from: one column, two columns, two pages.
BASES = {
    "long": PAPERS / "long_refs_mid_p5.pdf",
    "twocol": PAPERS / "two_column.pdf",
    "tiny": PAPERS / "tiny_pass.pdf",
}


def linked(path: Path) -> pikepdf.Pdf:
    """The paper at `path` with what hyperref adds: a name tree of destinations `page.N`, the
    older `/Dests` dictionary, a bookmark per page, and on page 1 a link of each kind (to a
    name, through a GoTo action, to an explicit destination, to a web address)."""
    pdf = pikepdf.open(path)
    pages = [page.obj for page in pdf.pages]
    names = A()
    for number, page in enumerate(pages, start=1):
        names.append(S(f"page.{number}"))
        names.append(pdf.make_indirect(A([page, N.XYZ, 0, 792, None])))
    pdf.Root.Names = D(Dests=pdf.make_indirect(D(Names=names)))
    pdf.Root.Dests = pdf.make_indirect(D({"/section.1": A([pages[-1], N.Fit])}))
    outline = pdf.make_indirect(D(Type=N.Outlines))
    items = [
        pdf.make_indirect(D(Title=S(f"Page {number}"), Parent=outline, Dest=S(f"page.{number}")))
        for number in range(1, len(pages) + 1)
    ]
    for before, after in zip(items, items[1:], strict=False):
        before.Next, after.Prev = after, before
    outline.First, outline.Last, outline.Count = items[0], items[-1], len(items)
    pdf.Root.Outlines = outline

    def link(**entries: Any) -> pikepdf.Object:
        return pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Link, Rect=A([72, 72, 144, 84]), Border=A([0, 0, 0]),
              **entries)
        )  # fmt: skip

    last = len(pages)
    pages[0].Annots = pdf.make_indirect(
        A([
            link(Dest=S(f"page.{last}")),
            link(A=D(S=N.GoTo, D=S("section.1"))),
            link(Dest=A([pages[-1], N.Fit])),
            link(A=D(S=N.URI, URI=S("https://example.org/"))),
        ])
    )  # fmt: skip
    return pdf


# --------------------------------------------------------------------------------------------
# Mutations of objects: each changes one value of the linked paper in place

Mutation = Callable[[pikepdf.Pdf], None]


def _first(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.pages[0].obj


def _links(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return list(_first(pdf).Annots)


def _set(where: Callable[[pikepdf.Pdf], pikepdf.Object], key: str, value: object) -> Mutation:
    def mutate(pdf: pikepdf.Pdf) -> None:
        where(pdf)[key] = value(pdf) if callable(value) else value

    return mutate


def _root(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.Root


def _name_tree(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.Root.Names.Dests


def _link(index: int) -> Callable[[pikepdf.Pdf], pikepdf.Object]:
    return lambda pdf: _links(pdf)[index]


def _action(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return _links(pdf)[1].A


def _inherit(key: str, value: object) -> Mutation:
    """The first page without `key`, which it takes from its parent instead: `value`."""

    def mutate(pdf: pikepdf.Pdf) -> None:
        page = _first(pdf)
        if key in page:
            del page[key]
        pdf.Root.Pages[key] = value

    return mutate


def _parent_of_first(value: Callable[[pikepdf.Pdf], object]) -> Mutation:
    """The first page without its own box and resources, under the parent `value` (none if
    it is None)."""

    def mutate(pdf: pikepdf.Pdf) -> None:
        page = _first(pdf)
        pdf.Root.Pages.MediaBox = page.MediaBox
        pdf.Root.Pages.Resources = page.Resources
        del page["/MediaBox"], page["/Resources"]
        parent = value(pdf)
        if parent is None:
            del page["/Parent"]
        else:
            page.Parent = parent

    return mutate


def _looping_parent(pdf: pikepdf.Pdf) -> object:
    node = pdf.make_indirect(D(Type=N.Pages))
    node.Parent = node
    return node


def _kids(value: Callable[[pikepdf.Pdf], object]) -> Mutation:
    def mutate(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Pages.Kids = value(pdf)

    return mutate


def _kids_with(*extra: object) -> Callable[[pikepdf.Pdf], object]:
    return lambda pdf: A([*extra, *pdf.Root.Pages.Kids])


MUTATIONS: dict[str, Mutation] = {
    # The older destinations dictionary, and its values
    "dests_array": _set(_root, "/Dests", A([1, 2, 3])),
    "dests_integer_values": _set(_root, "/Dests", D({"/page.1": 5, "/section.1": 5})),
    "dests_integer": _set(_root, "/Dests", 7),
    "dests_string": _set(_root, "/Dests", S("dests")),
    "dests_to_nothing": _set(_root, "/Dests", D({"/section.1": A([999, N.Fit])})),
    "dests_empty_array": _set(_root, "/Dests", D({"/section.1": A()})),
    "dests_d_integer": _set(_root, "/Dests", D({"/section.1": D(D=5)})),
    "dests_d_empty": _set(_root, "/Dests", D({"/section.1": D(D=A())})),
    "dests_to_catalog": _set(_root, "/Dests", lambda pdf: D({"/section.1": A([pdf.Root])})),
    # The name tree of destinations
    "names_integer": _set(_root, "/Names", 5),
    "names_array": _set(_root, "/Names", A([S("page.1"), 1])),
    "names_dests_integer": _set(lambda pdf: pdf.Root.Names, "/Dests", 5),
    "names_dests_array": _set(lambda pdf: pdf.Root.Names, "/Dests", A([1, 2])),
    "names_names_integer": _set(_name_tree, "/Names", 5),
    "names_odd": _set(_name_tree, "/Names", A([S("page.1")])),
    "names_keys_not_strings": _set(_name_tree, "/Names", A([1, 2, N.page, A([3, N.Fit])])),
    "names_values_integers": _set(_name_tree, "/Names", A([S("page.1"), 5, S("page.2"), 6])),
    "names_kids_integer": _set(_name_tree, "/Kids", 5),
    "names_kids_junk": _set(_name_tree, "/Kids", A([1, D(Names=3), S("x")])),
    "names_kids_loop": lambda pdf: _name_tree(pdf).__setitem__("/Kids", A([_name_tree(pdf)])),
    # Bookmarks (the volume writes its own; the paper's must not stop it)
    "outlines_integer": _set(_root, "/Outlines", 5),
    "outlines_array": _set(_root, "/Outlines", A([1])),
    "outlines_first_integer": _set(lambda pdf: pdf.Root.Outlines, "/First", 5),
    "outlines_loop": lambda pdf: pdf.Root.Outlines.First.__setitem__(
        "/Next", pdf.Root.Outlines.First
    ),
    # The page tree
    "parent_integer": _parent_of_first(lambda pdf: 5),
    "parent_array": _parent_of_first(lambda pdf: A([pdf.Root.Pages])),
    "parent_name": _parent_of_first(lambda pdf: N.Pages),
    "parent_missing": _parent_of_first(lambda pdf: None),
    "parent_loop": _parent_of_first(_looping_parent),
    "kids_integer": _kids(lambda pdf: 5),
    "kids_dictionary": _kids(lambda pdf: D(Kids=pdf.Root.Pages.Kids)),
    "kids_junk": _kids(_kids_with(5, S("x"), None, N.Page, A())),
    "kids_not_typed": _kids(lambda pdf: _kids_with(pdf.make_indirect(D(Foo=1)))(pdf)),
    "kids_duplicate": _kids(lambda pdf: _kids_with(pdf.Root.Pages.Kids[0])(pdf)),
    "count_string": _set(lambda pdf: pdf.Root.Pages, "/Count", S("5")),
    # Page labels (the volume writes its own; the paper's must not stop it)
    "pagelabels_integer": _set(_root, "/PageLabels", 5),
    "pagelabels_junk": _set(_root, "/PageLabels", D(Nums=A([S("x"), 5, 0, N.D]))),
    # Annotations, actions and destinations of links
    "annots_integer": _set(_first, "/Annots", 5),
    "annots_dictionary": _set(_first, "/Annots", D(Subtype=N.Link, Dest=S("page.1"))),
    "annots_junk": _set(_first, "/Annots", A([1, S("x"), None, N.Link, A([1])])),
    "annots_link_no_dictionary": _set(_first, "/Annots", lambda pdf: A([*_links(pdf), 7])),
    "a_integer": _set(_link(1), "/A", 5),
    "a_array": _set(_link(1), "/A", A([N.GoTo])),
    "a_s_integer": _set(_action, "/S", 5),
    "a_without_d": lambda pdf: _action(pdf).__delitem__("/D"),
    "d_integer": _set(_action, "/D", 5),
    "d_empty_array": _set(_action, "/D", A()),
    "d_dictionary": _set(_action, "/D", D(D=S("page.1"))),
    "d_to_nothing": _set(_action, "/D", A([999, N.Fit])),
    "d_name": _set(_action, "/D", N("/section.1")),
    "dest_integer": _set(_link(0), "/Dest", 5),
    "dest_dictionary": _set(_link(0), "/Dest", D(D=S("page.1"))),
    "dest_string_array": _set(_link(0), "/Dest", A([S("page.1")])),
    "dest_to_catalog": _set(_link(0), "/Dest", lambda pdf: A([pdf.Root, N.Fit])),
    # Boxes
    "mediabox_integer": _set(_first, "/MediaBox", 5),
    "mediabox_short": _set(_first, "/MediaBox", A([0, 0])),
    "mediabox_names": _set(_first, "/MediaBox", A([N.a, N.b, N.c, N.d])),
    "mediabox_string": _set(_first, "/MediaBox", S("0 0 612 792")),
    "mediabox_mixed": _set(_first, "/MediaBox", A([0, 0, 612, S("792")])),
    "mediabox_inherited_integer": _inherit("/MediaBox", 5),
    "mediabox_none": lambda pdf: _first(pdf).__delitem__("/MediaBox"),
    "mediabox_inverted": _set(_first, "/MediaBox", A([500, 400, 0, 0])),
    "mediabox_five_numbers": _set(_first, "/MediaBox", A([0, 0, 500, 400, 1])),
    "cropbox_junk_entry": _set(_first, "/CropBox", A([0, N.x, 300, 300])),
    "cropbox_integer": _set(_first, "/CropBox", 5),
    "rotate_name": _set(_first, "/Rotate", N.Ninety),
    "rotate_odd": _set(_first, "/Rotate", 45),
    "rotate_135": _set(_first, "/Rotate", 135),
    "rotate_real": _set(_first, "/Rotate", 90.0),
    # Resources
    "resources_integer": _set(_first, "/Resources", 5),
    "resources_array": _set(_first, "/Resources", A([1])),
    "resources_xobject_integer": _set(lambda pdf: _first(pdf).Resources, "/XObject", 5),
    "resources_xobject_array": _set(lambda pdf: _first(pdf).Resources, "/XObject", A()),
    "resources_font_array": _set(lambda pdf: _first(pdf).Resources, "/Font", A([1])),
    "resources_inherited_integer": _inherit("/Resources", 5),
    # Contents
    "contents_integer": _set(_first, "/Contents", 5),
    "contents_dictionary": _set(_first, "/Contents", D(Length=3)),
    "contents_junk": _set(_first, "/Contents", lambda pdf: A([5, _first(pdf).Contents, None])),
}


# --------------------------------------------------------------------------------------------
# Mutations of bytes: what only a damaged file holds (names and lengths qpdf would not write)


def _stream_dict(data: bytes, number: int) -> tuple[int, int]:
    """Where the dictionary of stream object `number` of a classic PDF starts and ends."""
    match = re.search(rb"(?m)^%d 0 obj\b" % number, data)
    assert match is not None, number
    end = data.index(b"stream", match.end())
    assert end < data.index(b"endobj", match.end()), f"object {number} is not a stream"
    return match.end(), end


def _in_dict(data: bytes, number: int, old: bytes, new: bytes) -> bytes:
    """`data` with `old` replaced by `new` in the dictionary of stream object `number`."""
    start, end = _stream_dict(data, number)
    body = data[start:end]
    assert old in body, (number, old, body)
    return make.reindex(data[:start] + body.replace(old, new, 1) + data[end:])


FILTERS = {
    "filter_unknown": b"/FlatDecode",
    "filter_bad_escape": b"/Flate#zzDecode",
    "filter_bare_word": b"FlateDecode",
    "filter_empty_name": b"/",
    "filter_integer": b"5",
    "filter_array_junk": b"[ 5 /FlateDecode ]",
    "filter_string": b"(FlateDecode)",
    "filter_nul": b"/Flate\x00Decode",
}

LENGTHS = {
    "length_negative": b"-5",
    "length_huge": b"99999999999",
    "length_string": b"(12)",
    "length_dangling": b"9999 0 R",
    "length_name": b"/Length",
    "length_short": b"10",
}


def byte_mutants(pdf: pikepdf.Pdf) -> dict[str, bytes]:
    """Mutants of the saved paper: its page 1 contents and its first font file with damaged
    `/Filter` and `/Length`, keys and names of bytes that are not UTF-8, the file cut short
    (saved plainly, and linearized as real papers often are, with a table at its start that
    outlives the cut), its cross-reference table with bytes changed, and bytes changed
    anywhere."""
    data = make.classic(pdf)
    linearized = io.BytesIO()
    pdf.save(linearized, linearize=True, deterministic_id=True)
    # Numbers as the save gave them, read back from the saved file.
    with pikepdf.open(io.BytesIO(data)) as saved:
        page = saved.pages[0].obj
        first = page.objgen[0]
        contents = page.Contents.objgen[0]
        fonts = [
            font.FontDescriptor.FontFile.objgen[0]
            for font in page.Resources.Font.values()
            if "/FontDescriptor" in font and "/FontFile" in font.FontDescriptor
        ]
    out: dict[str, bytes] = {}
    for name, value in FILTERS.items():
        for where, number in (("contents", contents), ("font", fonts[0] if fonts else None)):
            if number is not None:
                out[f"{name}_{where}"] = _in_dict(
                    data, number, b"/Filter /FlateDecode", b"/Filter " + value
                )
    for name, value in LENGTHS.items():
        start, end = _stream_dict(data, contents)
        length = re.search(rb"/Length (\d+)", data[start:end])
        assert length is not None
        out[name] = _in_dict(data, contents, length.group(0), b"/Length " + value)
    for where, number in (("contents", contents), ("font", fonts[0] if fonts else None)):
        if number is not None:  # as the key's bytes come out of pikepdf: not a str it can take
            out[f"key_not_utf8_{where}"] = _in_dict(data, number, b"/Filter", b"/Filter#ed")
    out["dests_key_not_utf8"] = _in_object(data, b"/section.1 [", b"/section#ed.1 [")
    out["names_key_not_utf8"] = _in_object(data, b"/Names [ (page.1)", b"/Names [ <70ed2e31>")
    # References qpdf cannot hold (numbers past 2**31), which PDFium reads as null.
    body = make.object_body(data, first)
    out["reference_too_large"] = make.replace_object(
        data, first, b"<< /Junk 99999999999 0 R " + body[2:]
    )
    for percent in (50, 80, 95, 99):
        out[f"cut_{percent}"] = data[: len(data) * percent // 100]
        whole = linearized.getvalue()
        out[f"cut_{percent}_linearized"] = whole[: len(whole) * percent // 100]
    table = data.rindex(b"\nxref\n") + 1
    end = data.index(b"trailer", table)
    for seed in range(4):
        chance = random.Random(seed)
        copy = bytearray(data)
        for _ in range(8):
            copy[chance.randrange(table, end)] = chance.choice(b"0123456789 nf\n")
        out[f"xref_flip_{seed}"] = bytes(copy)
    for seed in range(BODY_FLIPS):
        chance = random.Random(seed)
        copy = bytearray(data)
        for _ in range(40):
            copy[chance.randrange(len(copy))] = chance.randrange(256)
        out[f"flip_{seed}"] = bytes(copy)
    return out


BODY_FLIPS = 12


def _in_object(data: bytes, old: bytes, new: bytes) -> bytes:
    """`data` with `old` replaced by `new` in the one object of a classic PDF that holds it."""
    numbers = [
        int(match.group(1))
        for match in make._OBJ.finditer(data)
        if old in make.object_body(data, int(match.group(1)))
    ]
    assert len(numbers) == 1, (old, numbers)
    body = make.object_body(data, numbers[0])
    return make.replace_object(data, numbers[0], body.replace(old, new))


def mutants(base: Path) -> dict[str, bytes]:
    """Every mutant of `base`, by name, and the linked paper itself as `linked`."""
    out = {"linked": make.classic(linked(base))}
    for name, mutate in MUTATIONS.items():
        pdf = linked(base)
        mutate(pdf)
        out[name] = make.classic(pdf)
    out.update(byte_mutants(linked(base)))
    return out


# --------------------------------------------------------------------------------------------
# The runs

BOUND = 120.0  # one `check` of every mutant of a base, on two workers


@pytest.fixture(scope="module")
def stamps() -> bytes:
    """The page stamps, set once: every build of the module uses the same."""
    return stamp_sheet(_stamp_label_for_tests())


def _stamp_label_for_tests() -> str:
    return r"ICBINB 2026 \textbullet\ "


class Builder:
    """A volume of two papers, the good `tiny` base and a mutant as paper 2, built in this
    process as `proceedings build --only volume,pmlr --no-check` builds it."""

    def __init__(self, root: Path, stamps: bytes) -> None:
        self.volume = make_volume(root / "papers", [BASES["tiny"], BASES["tiny"]])
        self.out = root / "build"
        self.stamps = stamps
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(volume_pdf, "stamp_sheet", lambda *args: self.stamps)
            build_volume(self.volume, self.out, only=("frontmatter",), check_papers=False)
        self.front = len(page_texts(self.out / "frontmatter" / "frontmatter.pdf"))
        self.good_pages = len(page_texts(BASES["tiny"]))

    def build(self, mutant: Path) -> str | None:
        """Build with `mutant` as paper 2: None if the build succeeds, else its message. Any
        other exception is what the command line would show as a traceback: it fails."""
        shutil.copyfile(mutant, self.volume / "pdf" / "2.pdf")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(volume_pdf, "stamp_sheet", lambda *args: self.stamps)
            try:
                build_volume(self.volume, self.out, only=("volume", "pmlr"), check_papers=False)
            except BuildError as error:
                return str(error)
        return None


@pytest.fixture(scope="module")
def builder(tmp_path_factory: pytest.TempPathFactory, stamps: bytes) -> Builder:
    return Builder(tmp_path_factory.mktemp("build-pdfs"), stamps)


def page_count(path: Path) -> int:
    """The pages PDFium counts, as the plan numbers the volume by (some may not open)."""
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


SEVERITY = {0: 0, 3: 1, 2: 2}  # qpdf's exit codes: sound, warnings, errors


def page_shapes(path: Path) -> list[tuple[int, int, int]]:
    """Each page's size (pt, rounded) and rotation, as PDFium shows it."""
    document = pdfium.PdfDocument(str(path))
    try:
        shapes = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            shapes.append((round(width), round(height), page.get_rotation()))
        return shapes
    finally:
        document.close()


def qpdf_check(path: Path) -> tuple[int, int]:
    """qpdf's verdict on `path`: its exit code (0 sound, 3 warnings, 2 errors) and how many
    errors it lists."""
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
    listed = (run.stdout + run.stderr).count(b"\nERROR: ")
    return run.returncode, listed


def volume_links(path: Path) -> tuple[set[str], list[str]]:
    """The names of the volume's destinations, and every name a link of it goes to."""
    with pikepdf.open(path) as pdf:
        names = {str(name) for name, _ in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        targets = []
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue  # not a link (a damaged subtype included): readers go nowhere
                action = annotation.get("/A")
                if not isinstance(action, pikepdf.Dictionary) or action.get("/S") != "/GoTo":
                    action = None
                for holder, key in ((annotation, "/Dest"), (action, "/D")):
                    if isinstance(holder, pikepdf.Dictionary) and key in holder:
                        target = holder[key]
                        if isinstance(target, (pikepdf.String, pikepdf.Name)):
                            targets.append(str(target))
    return names, targets


def judge(name: str, mutant: Path, verdict: list[dict[str, Any]], builder: Builder) -> str | None:
    """What is wrong with the build of `mutant`, or None. `verdict`: its errors in `check`."""
    try:
        message = builder.build(mutant)
    except Exception as error:  # noqa: BLE001 - the command line would print a traceback
        return f"traceback: {type(error).__name__}: {error}"
    if message is not None:
        if verdict == []:
            return f"check passes it, the build stops: {message}"
        if not ("paper 2" in message and "pdf/2.pdf" in message and "\n" not in message):
            return f"the build's message does not name the paper: {message}"
        return None
    built = builder.out / "volume.pdf"
    pages = page_count(built)
    expected = builder.front + builder.good_pages + page_count(mutant)
    if pages != expected:
        return f"volume.pdf has {pages} pages, the front matter and papers {expected}"
    if verdict == [] and len(page_texts(built)) != pages:  # every page opens
        return "volume.pdf has pages PDFium cannot read"
    if verdict == [] and page_shapes(built)[-page_count(mutant) :] != page_shapes(mutant):
        return "the paper's pages in volume.pdf differ in size or rotation from the paper's"
    code, listed = qpdf_check(built)
    if code != 0:
        # The paper's own damage comes along (a content stream that does not inflate is
        # copied as it is, as PDFium shows it), but the copy adds none: qpdf finds no more
        # than in qpdf's own rewrite of the paper. (On the paper itself, qpdf --check often
        # stops at the first damage.)
        rewrite = mutant.with_name(mutant.stem + "-qpdf.pdf")
        made = subprocess.run(["qpdf", str(mutant), str(rewrite)], capture_output=True)
        if made.returncode in (0, 3):
            paper_code, paper_listed = qpdf_check(rewrite)
            if SEVERITY[code] > SEVERITY[paper_code] or listed > paper_listed:
                return f"qpdf --check: volume.pdf exits {code}, the paper rewritten {paper_code}"
    names, targets = volume_links(built)
    lost = [target for target in targets if target not in names]
    if lost:
        return f"links of volume.pdf go to names it does not have: {lost[:5]}"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("base", sorted(BASES))
def test_every_mutant_builds_or_stops_naming_the_paper_and_check_agrees(
    base: str, builder: Builder, tmp_path: Path
) -> None:
    files = {}
    for name, data in mutants(BASES[base]).items():
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(data)
    _, report = check_json("--jobs", "2", "--select", "PDF", tmp_path, bound=BOUND)
    verdicts = {Path(paper["file"]).stem: errors(paper["findings"]) for paper in report["papers"]}
    assert sorted(verdicts) == sorted(files)
    wrong = {
        name: problem
        for name, path in files.items()
        if (problem := judge(name, path, verdicts[name], builder)) is not None
    }
    assert not wrong, "\n".join(f"{name}: {problem}" for name, problem in wrong.items())
    # The linked paper itself and most mutants build: the damage is repaired, not refused.
    assert verdicts["linked"] == [] and builder.build(files["linked"]) is None
    refused = [name for name, verdict in verdicts.items() if verdict]
    assert len(refused) < len(files) // 4, refused


VOLUMES = SHARED / "volumes"


def real_pdfs() -> list[Path]:
    """The real papers of the published volumes: every PDF but the stand-ins."""
    found = []
    for folder in sorted(VOLUMES.glob("v*")):
        standins = folder / "STANDINS.tsv"
        lines = standins.read_text(encoding="utf-8").splitlines()[1:] if standins.is_file() else []
        skipped = {line.split("\t")[0] for line in lines if line.strip()}
        found += [pdf for pdf in sorted((folder / "pdf").glob("*.pdf")) if pdf.stem not in skipped]
    return found


@pytest.mark.slow
def test_real_papers_build_with_their_links_and_check_agrees(builder: Builder) -> None:
    papers = real_pdfs()
    if not papers:
        pytest.skip(f"the published volumes are not present at {VOLUMES}")
    _, report = check_json("--jobs", "2", "--select", "PDF", *papers, bound=BOUND)
    verdicts = {paper["file"]: errors(paper["findings"]) for paper in report["papers"]}
    wrong = {
        path.name: problem
        for path in papers
        if (problem := judge(path.name, path, verdicts[str(path)], builder)) is not None
    }
    assert not wrong, "\n".join(f"{name}: {problem}" for name, problem in wrong.items())


def test_links_of_a_paper_lead_to_its_own_pages_in_the_volume(
    builder: Builder, tmp_path: Path
) -> None:
    paper = tmp_path / "linked.pdf"
    paper.write_bytes(make.classic(linked(BASES["long"])))
    assert builder.build(paper) is None
    with pikepdf.open(builder.out / "volume.pdf") as pdf:
        start = builder.front + builder.good_pages  # paper 2's first page
        page_of = {page.obj.objgen: index - start for index, page in enumerate(pdf.pages)}
        tree = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        links = list(pdf.pages[start].obj.Annots)
        named = str(links[0].Dest)
        assert named.endswith(":page.5") and page_of[tree[named][0].objgen] == 4
        via_action = str(links[1].A.D)
        assert via_action.endswith(":section.1") and page_of[tree[via_action][0].objgen] == 4
        assert page_of[links[2].Dest[0].objgen] == 4  # an explicit destination
        # Paper 1 has no destinations of its own; paper 2 has its five pages and a section.
        own = sorted(name.split(":", 1)[1] for name in tree if name.startswith(named[:-6]))
        assert own == ["page.1", "page.2", "page.3", "page.4", "page.5", "section.1"]


@pytest.mark.slow
def test_the_command_line_on_the_reported_damage(tmp_path: Path) -> None:
    """The damage of the report, through `proceedings check` and `build` as a person runs
    them: a destinations dictionary that is an array and one whose values are numbers, a
    page whose parent is a number, a stream key of bytes that are not UTF-8 (qpdf's
    `std::bad_cast`), a linearized file cut at 95%. Check passes each, the build takes
    them all; a page tree that is not one stops both, naming the paper."""
    cases = mutants(BASES["long"])
    taken = ["dests_array", "dests_integer_values", "parent_integer", "key_not_utf8_contents",
             "cut_95_linearized"]  # fmt: skip
    files = []
    for name in [*taken, "kids_integer"]:
        files.append(tmp_path / f"{name}.pdf")
        files[-1].write_bytes(cases[name])
    run, report = check_json("--select", "PDF", *files, bound=BOUND)
    verdicts = {Path(paper["file"]).stem: errors(paper["findings"]) for paper in report["papers"]}
    assert {name: verdicts[name] for name in taken} == {name: [] for name in taken}
    assert [finding["code"] for finding in verdicts["kids_integer"]] == ["PDF001"]
    assert run.code == 1

    volume = make_volume(tmp_path / "papers", [BASES["tiny"], *files[:-1]])
    out = tmp_path / "build"
    run = proceedings("build", volume, "-o", out, "--only", "volume,pmlr", "--no-check",
                      bound=BOUND)  # fmt: skip
    assert run.code == 0, run.output
    assert page_count(out / "volume.pdf") == page_count(out / "frontmatter" / "frontmatter.pdf") + (
        page_count(BASES["tiny"]) + sum(page_count(path) for path in files[:-1])
    )

    shutil.copyfile(files[-1], volume / "pdf" / "3.pdf")
    run = proceedings("build", volume, "-o", out, "--only", "volume,pmlr", "--no-check",
                      bound=BOUND)  # fmt: skip
    assert run.code == 1
    (message,) = [line for line in run.output.splitlines() if line.startswith("Error")]
    assert "paper 3" in message and "pdf/3.pdf" in message


def test_a_paper_the_copy_fails_on_is_one_finding_in_check_and_stops_the_build(
    builder: Builder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever else stops the copy (here a failure of the PDF library, as it would raise
    one), `check` reports it for the paper and the build stops naming the paper: the two
    make the same copy."""
    from proceedings.check import CheckOptions, check_paths
    from proceedings.parallel import Limits

    paper = tmp_path / "paper.pdf"
    paper.write_bytes(make.classic(linked(BASES["long"])))

    repair = volume_pdf._repair_page

    def fail(page: pikepdf.Object) -> None:
        if "/Annots" in page:  # the linked paper's first page; the good paper has no links
            raise RuntimeError("std::bad_cast")
        repair(page)

    monkeypatch.setattr(volume_pdf, "_repair_page", fail)
    report = check_paths([paper], CheckOptions(jobs=1, limits=Limits(seconds=0)))
    (checked,) = report.papers
    assert [(finding.code, finding.message) for finding in checked.findings] == [
        (
            "PDF005",
            "the file is damaged: PDFium shows 5 pages, but the build cannot copy them into "
            "the volume: RuntimeError: std::bad_cast",
        )
    ]
    message = builder.build(paper)
    assert message is not None and message.startswith(
        "paper 2: pdf/2.pdf: cannot be copied into the volume (RuntimeError: std::bad_cast)"
    )
