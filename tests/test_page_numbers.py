"""One page number per page of `volume.pdf`: the volume's takes the place of the paper's own.

Each paper page of the volume is rendered by PDFium beside its source page: outside the
paper's printed number and the stamp, every pixel is the source's (nothing else is covered);
the paper's number is under a white box drawn after the paper's own content; the text layer
at its place reads the volume's number. Pages that print no number keep the stamp at the
bottom right, beside (never on) whatever their footer holds. Run on the example volume and
on real ICLR, NeurIPS and JMLR papers of the shared folder (skipped when it is absent).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from conftest import SHARED
from proceedings.build.pipeline import build_volume
from proceedings.build.printed_numbers import Box, printed_numbers
from volumes import make_volume

EXAMPLE = Path(__file__).resolve().parents[1] / "papers"
STAMP = re.compile(r"ICBINB 2026\s*•")
SCALE = 1.0  # one pixel a point: boxes in points are boxes in pixels


@dataclass
class Rendered:
    width: int
    height: int
    stride: int
    pixels: bytes

    def differs(self, other: Rendered, x: int, y: int) -> bool:
        at = y * self.stride + x * 4
        return self.pixels[at : at + 3] != other.pixels[at : at + 3]

    def dark(self, x: int, y: int) -> bool:
        at = y * self.stride + x * 4
        return sum(self.pixels[at : at + 3]) < 3 * 128


def render(page: pdfium.PdfPage) -> Rendered:
    bitmap = page.render(scale=SCALE, rev_byteorder=True, prefer_bgrx=True)
    return Rendered(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))


def inside(x: int, y: int, height: int, boxes: list[Box], slack: float = 1.5) -> bool:
    """Whether pixel (x, y) (top-left origin) lies in one of `boxes` (PDF points)."""
    px, py = x + 0.5, height - y - 0.5
    return any(
        box[0] - slack <= px <= box[2] + slack and box[1] - slack <= py <= box[3] + slack
        for box in boxes
    )


def stamp_and_cover(page: pdfium.PdfPage) -> tuple[list[Box], list[Box]]:
    """The boxes of the stamp's pieces (form objects drawn after the paper) and of the white
    boxes drawn with them, from the page's objects in drawing order."""
    objects = list(page.get_objects(max_depth=1))
    forms: list[Box] = []
    covers: list[Box] = []
    for item in reversed(objects):  # the stamp is drawn last
        if item.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append(tuple(item.get_bounds()))
        else:
            if item.type == pdfium_c.FPDF_PAGEOBJ_PATH and _white_fill(item):
                covers.append(tuple(item.get_bounds()))
            break
    return forms, covers


def _white_fill(item: pdfium.PdfObject) -> bool:
    r, g, b, a = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
    if not pdfium_c.FPDFPageObj_GetFillColor(item.raw, r, g, b, a):
        return False
    return (r.value, g.value, b.value, a.value) == (255, 255, 255, 255)


def check_volume(volume_pdf: Path, sources: list[Path], front: int) -> dict[str, int]:
    """Compare each paper page of the volume with its source; returns counts of pages whose
    number was replaced and pages stamped at the corner."""
    counts = {"replaced": 0, "corner": 0}
    volume = pdfium.PdfDocument(str(volume_pdf))
    try:
        index, number = front, 1
        for source in sources:
            footers = printed_numbers(source)
            document = pdfium.PdfDocument(str(source))
            try:
                for page_index in range(len(document)):
                    page, original = volume[index], document[page_index]
                    forms, covers = stamp_and_cover(page)
                    assert forms, (source.name, page_index)
                    footer = footers[page_index]
                    text = page.get_textpage()
                    stamp_box = (
                        min(box[0] for box in forms),
                        min(box[1] for box in forms),
                        max(box[2] for box in forms),
                        max(box[3] for box in forms),
                    )
                    # The stamp's text, and under it the paper's hidden number, if it had one
                    # (the text layer keeps it: a reader may join the two, "1" and "16").
                    stamped = text.get_text_bounded(*stamp_box)
                    assert STAMP.search(stamped) is not None
                    hidden = [footer.number.text] if footer.number is not None else []
                    numbers = re.findall(r"[0-9ivxlcdm]+", stamped.replace("ICBINB 2026", "", 1))
                    expected = str(number) + "".join(hidden)
                    assert sorted("".join(numbers)) == sorted(expected), (source, stamped)
                    mine, theirs = render(page), render(original)
                    assert (mine.width, mine.height) == (theirs.width, theirs.height)
                    if footer.number is not None:
                        counts["replaced"] += 1
                        # One white box, over the paper's number, drawn under the stamp.
                        assert len(covers) == 1
                        cover = covers[0]
                        box = footer.number.box
                        assert cover[0] <= box[0] + 0.01 and cover[2] >= box[2] - 0.01
                        assert cover[1] <= box[1] + 0.01 and cover[3] >= box[3] - 0.01
                        # The stamp stands where the number stood: its baseline, its middle.
                        middle = (stamp_box[0] + stamp_box[2]) / 2
                        assert abs(middle - (box[0] + box[2]) / 2) < 1
                        # The paper's number is the page's only text under the white box.
                        under = original.get_textpage().get_text_bounded(*cover).strip()
                        assert under == footer.number.text, (source.name, page_index, under)
                    else:
                        counts["corner"] += 1
                        assert not covers
                        # Beside the footer's text, not on it.
                        for box in footer.text_boxes:
                            apart = (
                                box[2] <= stamp_box[0]
                                or box[0] >= stamp_box[2]
                                or box[3] <= stamp_box[1]
                                or box[1] >= stamp_box[3]
                            )
                            assert apart, (source.name, page_index, box, stamp_box)
                    changed = covers + forms
                    for y in range(mine.height):
                        row = slice(y * mine.stride, (y + 1) * mine.stride)
                        if mine.pixels[row] == theirs.pixels[row]:
                            continue
                        for x in range(mine.width):
                            if mine.differs(theirs, x, y):
                                assert inside(x, y, mine.height, changed), (
                                    source.name,
                                    page_index,
                                    x,
                                    y,
                                )
                    index, number = index + 1, number + 1
            finally:
                document.close()
        assert index == len(volume)
    finally:
        volume.close()
    return counts


def build(tmp_path: Path, root: Path) -> tuple[Path, int]:
    out = tmp_path / "build"
    build_volume(root, out, only=("frontmatter", "volume"), check_papers=False)
    front = len(pdfium.PdfDocument(str(out / "frontmatter" / "frontmatter.pdf")))
    return out / "volume.pdf", front


def test_every_paper_page_of_the_example_shows_only_the_volumes_number(tmp_path: Path) -> None:
    from proceedings.build.plan import plan_volume
    from proceedings.volume import load_volume

    volume, _ = load_volume(EXAMPLE)
    plan = plan_volume(volume)
    sources = [item.paper.pdf for item in plan.archival if item.paper.pdf is not None]
    volume_pdf, front = build(tmp_path, EXAMPLE)
    counts = check_volume(volume_pdf, sources, front)
    # Every page of the example's ICLR-style papers prints its number; each is replaced.
    assert counts == {"replaced": plan.total_pages, "corner": 0}


def shared(*names: str) -> list[Path]:
    paths = [SHARED / name for name in names]
    if not all(path.is_file() for path in paths):
        pytest.skip(f"the shared folder is not present at {SHARED}")
    return paths


def test_real_iclr_neurips_and_jmlr_papers_lose_their_own_numbers_and_nothing_else(
    tmp_path: Path,
) -> None:
    sources = shared(
        "corpus/pdf/iclr_pml4dc23_17.pdf",  # ICLR: numbered from 1 on every page
        "volumes/v163/pdf/kelz22a.pdf",  # NeurIPS: page 1 has the venue footer, no number
        "volumes/v312/pdf/li26a.pdf",  # JMLR: page 1 a copyright line; then 39, 40, ...
        "corpus/pdf/acl_semeval25_chinchunmei.pdf",  # ACL: numbered in its footer
        "corpus/pdf/icml15_weight_uncertainty.pdf",  # ICML: a footer and no number
    )
    root = make_volume(tmp_path / "papers", sources)
    volume_pdf, front = build(tmp_path, root)
    counts = check_volume(volume_pdf, sources, front)
    # ICLR 6 + NeurIPS 4 (of 5) + JMLR 9 (of 10) + ACL 5 pages print a number; the NeurIPS
    # and JMLR first pages and the 10 ICML pages do not.
    assert counts == {"replaced": 6 + 4 + 9 + 5, "corner": 1 + 1 + 10}


@pytest.mark.parametrize(
    "name",
    [
        "corpus/pdf/other_scanned_flajolet85.pdf",  # a scan: no text at all
        "corpus/pdf/other_llncs_bibliography.pdf",  # no footer text
        "corpus/pdf/acl_emnlp22_ffn_promote.pdf",  # a footer without a page number
    ],
)
def test_papers_without_a_printed_number_are_found_to_have_none(name: str) -> None:
    (path,) = shared(name)
    assert all(footer.number is None for footer in printed_numbers(path))


def test_a_number_in_a_footer_with_more_text_is_not_taken(tmp_path: Path) -> None:
    """A number beside other text on the footer's line is left alone: the volume's own
    stamped pages ("ICBINB 2026 • 1" over the paper's hidden "1") give no number."""
    from conftest import PAPERS

    footers = printed_numbers(PAPERS / "tiny_pass.pdf")
    assert footers and all(footer.number is not None for footer in footers)
    volume_pdf, _ = build(tmp_path, make_volume(tmp_path / "papers", [PAPERS / "tiny_pass.pdf"]))
    # The volume's own pages print "ICBINB 2026 • 1": more than a number, so none is taken.
    document = pdfium.PdfDocument(str(volume_pdf))
    last = len(document)
    document.close()
    assert last > 0
    stamped = printed_numbers(volume_pdf)
    assert all(footer.number is None for footer in stamped[-len(footers) :])
