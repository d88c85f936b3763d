"""The file's facts: fonts, page boxes, encryption, scripts, attachments, size and version.

They come from the PDF's object structure, never from its content streams, read through qpdf
(pikepdf) in one open per paper; the same open gives `PDF005` qpdf's own page count and the
build's copy of the pages (`QpdfView`), so qpdf reads each paper once.

Each page's resource dictionary names the fonts the page may use; the form XObjects it names
(figures included with `\\includegraphics`, matplotlib drawings) carry resource dictionaries
of their own, walked recursively. Like poppler's `pdffonts`, the walk also enters tiling
patterns, the resources of Type 3 fonts and the appearance streams of annotations. A font
listed in a resource dictionary counts as used on that page even when no glyph of it is
drawn, as in `pdffonts`. Each indirect resource dictionary and form XObject is walked once per
file, so a figure shared by many pages costs one visit.

Bounded. The page tree is walked here (not through qpdf's page list, which refuses a tree with
a loop) with a set of visited nodes and a depth limit; every walk counts the objects it visits
against `MAX_VISITS`, and name trees, /Next chains, form fields and annotations have limits of
their own. A file past a limit keeps the facts read so far and says so in `problem`. qpdf
itself parses objects in linear time: a run of comment markers or thousands of strings that
never close cost it a scan each, not a backtracking search.

`read_facts` never raises on a bad file: what could not be read is described in
`PdfFacts.problem`, and the facts gathered before the failure are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import ObjectType

from proceedings.parallel import set_step

# Nesting of form XObjects, patterns, Type 3 fonts and page-tree nodes deeper than this is not
# followed; real papers nest a handful of levels (page, included figure, its markers).
MAX_DEPTH = 32
# Name trees, /Next chains and form fields are read up to this many entries.
MAX_NAMES = 1000
# Objects a walk may visit in one file (resource dictionaries, fonts, forms, page-tree nodes,
# annotations). The 40 papers of the shared corpus visit at most a few thousand each.
MAX_VISITS = 200_000
# Annotations read per page; a paper has at most a few hundred links on a page.
MAX_ANNOTATIONS = 10_000

STANDARD_14 = frozenset(
    {
        "Times-Roman",
        "Times-Bold",
        "Times-Italic",
        "Times-BoldItalic",
        "Helvetica",
        "Helvetica-Bold",
        "Helvetica-Oblique",
        "Helvetica-BoldOblique",
        "Courier",
        "Courier-Bold",
        "Courier-Oblique",
        "Courier-BoldOblique",
        "Symbol",
        "ZapfDingbats",
    }
)

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_HEADER = re.compile(rb"%PDF-(\d\.\d)")
_VERSION = re.compile(r"^\d\.\d$")
_HEADER_BYTES = 1024

# Where a font was found on a page (bits of a mask).
_ON_PAGE, _IN_FIGURE, _IN_ANNOTATION = 1, 2, 4

# Bits (1-based) of /P in the standard security handler (ISO 32000-1, table 22).
_PERMISSION_BITS = {
    "printing": 3,
    "modifying": 4,
    "copying text and images": 5,
    "adding comments or filling forms": 6,
    "assembling pages": 11,
    "high-quality printing": 12,
}

_DICTIONARY, _STREAM, _ARRAY = ObjectType.dictionary, ObjectType.stream, ObjectType.array
_NAME, _STRING = ObjectType.name_, ObjectType.string


# ------------------------------------------------------------------------------ the facts


@dataclass(frozen=True)
class FontFacts:
    """One font dictionary of the file and the pages whose resources reach it."""

    name: str | None  # /BaseFont as written (with a subset tag such as `ABCDEF+`), or None
    subtype: str  # Type1, MMType1, TrueType, Type0, Type3, ... ("" when missing)
    embedded: bool  # a font program is in the file; Type 3 fonts always count as embedded
    pages: tuple[int, ...]  # 1-based pages whose resources reach it, in any way
    figure_pages: tuple[int, ...] = ()  # pages where it is reached through a form XObject
    annotation_pages: tuple[int, ...] = ()  # pages where an annotation's appearance uses it
    resource_name: str | None = None  # the first resource name it was found under (`F12`)

    @property
    def type3(self) -> bool:
        return self.subtype == "Type3"

    @property
    def base_name(self) -> str | None:
        """The name without its subset tag: `Times-Roman` for `ABCDEF+Times-Roman`."""
        return _SUBSET_TAG.sub("", self.name) if self.name else None

    @property
    def standard14(self) -> bool:
        """One of the 14 fonts every PDF reader has, which a PDF may leave unembedded."""
        return self.base_name in STANDARD_14

    @property
    def only_in_figures(self) -> bool:
        """Every page that uses it does so only inside form XObjects (figures)."""
        return bool(self.pages) and set(self.figure_pages) >= set(self.pages)


@dataclass(frozen=True)
class PageFacts:
    number: int  # 1-based
    media_box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points, normalised
    crop_box: tuple[float, float, float, float]  # clipped to the media box; media box if unset
    rotation: int  # 0, 90, 180 or 270: clockwise turn a viewer applies to the page

    @property
    def width(self) -> float:
        """Width of the visible page (the crop box) before rotation, in points."""
        return self.crop_box[2] - self.crop_box[0]

    @property
    def height(self) -> float:
        return self.crop_box[3] - self.crop_box[1]

    @property
    def media_size(self) -> tuple[float, float]:
        return (self.media_box[2] - self.media_box[0], self.media_box[3] - self.media_box[1])


@dataclass(frozen=True)
class Script:
    """Where JavaScript was found: in words, and the page when it is on one."""

    where: str  # `in the action run when the document opens`, `on page 2 (a link)`
    page: int | None = None


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    page: int | None = None  # the page of a file-attachment annotation; None in the name tree


@dataclass(frozen=True)
class QpdfView:
    """The pages as qpdf, which the build copies them with, reads them."""

    count: int | None  # None when qpdf cannot list the pages at all
    problem: str | None = None  # why not, in qpdf's words
    copy_problem: str | None = None  # why the build cannot copy the pages it lists


@dataclass(frozen=True)
class PdfFacts:
    path: Path
    file_size: int  # bytes
    pdf_version: str | None = None  # from the header, or the catalog's /Version when higher
    pages: tuple[PageFacts, ...] = ()  # the page tree's own list, walked here
    fonts: tuple[FontFacts, ...] = ()
    encrypted: bool = False
    encryption: str | None = None  # `AES-256`, `RC4 128-bit`, ... when encrypted and readable
    needs_password: bool = False  # a user password is set: nothing past the trailer is read
    restrictions: tuple[str, ...] = ()  # what the permissions forbid (`printing`, ...)
    javascript: tuple[Script, ...] = ()  # where JavaScript was found
    embedded_files: tuple[EmbeddedFile, ...] = ()
    problem: str | None = None  # what could not be read; the other facts stand
    # qpdf's reading, for PDF005; None when the file was not opened (empty, not a PDF).
    qpdf: QpdfView | None = field(default=None, compare=False)

    @property
    def page_count(self) -> int:
        return len(self.pages)


# A copy of the open file's pages as the build makes it: why it fails, or None. The build
# gives it (`build.volume_pdf.copy_problem_of`); the PDF layer only calls it.
PageCopy = Callable[[pikepdf.Pdf, Path], "str | None"]


def read_facts(path: Path, *, copy: PageCopy | None = None) -> PdfFacts:
    """Read the structural facts of the PDF at `path`; never raises.

    With `copy`, qpdf's page count and the copy of the pages are made from the same open
    (`PdfFacts.qpdf`, for PDF005); the copy comes last, as it changes the open file's
    objects."""
    try:
        return _FactsReader(path, copy).read()
    except Exception as error:  # noqa: BLE001 - the promise is: never raise on a bad file
        return PdfFacts(path=path, file_size=0, problem=f"cannot be read ({_describe(error)})")


# ------------------------------------------------------------------------------ the walk


class _OverBudget(Exception):
    """The walk visited more objects than `MAX_VISITS`."""


@dataclass
class _Font:
    name: str | None
    subtype: str
    embedded: bool
    resource_name: str
    resources: Any  # a Type 3 font's own /Resources, walked like a page's
    masks: dict[int, int]  # page -> where on the page it was found (bits)


FontKey = tuple[Any, ...]


class _FactsReader:
    def __init__(self, path: Path, copy: PageCopy | None) -> None:
        self.path = path
        self.copy = copy
        self.problems: list[str] = []
        self.fonts: dict[FontKey, _Font] = {}
        self.resource_cache: dict[tuple[int, int], dict[FontKey, int]] = {}
        self.form_cache: dict[tuple[int, int], dict[FontKey, int]] = {}
        self.active: set[tuple[int, int]] = set()
        self.active_forms: set[tuple[int, int]] = set()
        self.javascript: list[Script] = []
        self.attachments: list[EmbeddedFile] = []
        self.version: str | None = None
        self.visits = 0
        self.direct = 0  # numbers fonts that are not objects of their own

    def visit(self) -> None:
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise _OverBudget

    def read(self) -> PdfFacts:
        facts = PdfFacts(path=self.path, file_size=0)
        try:
            with self.path.open("rb") as handle:
                size = handle.seek(0, 2)
                handle.seek(0)
                head = handle.read(_HEADER_BYTES)
        except OSError as error:
            return replace(facts, problem=f"cannot be read ({error.strerror or error})")
        facts = replace(facts, file_size=size)
        if not head:
            return replace(facts, problem="is empty (0 bytes)")
        header = _HEADER.search(head)
        if header is None:
            return replace(facts, problem="is not a PDF (no %PDF- header)")
        self.version = header.group(1).decode()
        facts = replace(facts, pdf_version=self.version)
        try:
            # Inherited attributes stay where they are: qpdf would list the pages to push them
            # down, which fails on a page tree with a loop before anything else is read; the
            # walk here and the build's copy each take them from the parents themselves.
            pdf = pikepdf.Pdf.open(
                self.path,
                access_mode=pikepdf.AccessMode.stream,
                inherit_page_attributes=False,
            )
        except pikepdf.PasswordError:
            # Without the password nothing past the trailer can be read, the cipher included.
            return replace(
                facts,
                encrypted=True,
                needs_password=True,
                problem="is encrypted with a password",
                qpdf=QpdfView(None, "it needs a password"),
            )
        except Exception as error:  # noqa: BLE001 - qpdf raises many kinds on damaged files
            return replace(
                facts,
                problem=f"cannot be parsed ({_describe(error)})",
                qpdf=QpdfView(None, _qpdf_reason(error)),
            )
        with pdf:
            try:
                set_step("reading the document catalog (qpdf)")
                facts = self._structure(pdf, facts)
            except RecursionError:
                facts = replace(facts, problem="nests objects too deeply to be read")
            except Exception as error:  # noqa: BLE001 - a damaged file: say what stopped it
                facts = replace(facts, problem=f"cannot be read ({_describe(error)})")
            return replace(facts, qpdf=self._qpdf(pdf))

    def _qpdf(self, pdf: pikepdf.Pdf) -> QpdfView:
        """qpdf's own page list, then the build's copy (which may change `pdf`'s objects)."""
        try:
            set_step("listing the pages with qpdf")
            count = len(pdf.pages)
        # Whatever qpdf or pikepdf raise on a damaged file (a C++ exception arrives as a
        # RuntimeError) means the same: the build cannot read it.
        except Exception as error:  # noqa: BLE001
            return QpdfView(None, _qpdf_reason(error))
        if not count or self.copy is None:
            return QpdfView(count)
        set_step("making the build's copy of the pages (qpdf)")
        return QpdfView(count, copy_problem=self.copy(pdf, self.path))

    # -------------------------------------------------------------- encryption

    def _encryption(self, pdf: pikepdf.Pdf, facts: PdfFacts) -> PdfFacts:
        encrypt = _as_dict(pdf.trailer.get("/Encrypt"))
        if encrypt is None:
            return replace(facts, encrypted=True)
        return replace(
            facts,
            encrypted=True,
            encryption=_cipher(encrypt),
            restrictions=_restrictions(encrypt),
        )

    # --------------------------------------------------------------- structure

    def _structure(self, pdf: pikepdf.Pdf, facts: PdfFacts) -> PdfFacts:
        if pdf.is_encrypted:
            facts = self._encryption(pdf, facts)
        root = _as_dict(pdf.trailer.get("/Root"))
        if root is None:
            return replace(facts, problem="has no document catalog")
        catalog_version = _as_name(root.get("/Version"))
        if (
            catalog_version
            and _VERSION.match(catalog_version)
            and (self.version is None or catalog_version > self.version)
        ):
            self.version = catalog_version
        pages: list[PageFacts] = []
        try:
            for step in (self._document_actions, self._name_tree_files):
                try:
                    step(root)
                except (_OverBudget, RecursionError):
                    raise
                except Exception as error:  # noqa: BLE001
                    self.problems.append(f"its catalog cannot be read ({_describe(error)})")
            for number, page in enumerate(self._pages(root.get("/Pages")), start=1):
                set_step(f"reading the fonts, figures and annotations of page {number} (qpdf)")
                try:
                    pages.append(self._page_facts(number, page))
                    self._page_fonts(number, page)
                    self._page_annotations(number, page)
                    self._actions(
                        page.get("AA"),
                        Script(f"on page {number} (the page's actions)", number),
                        True,
                    )
                except (_OverBudget, RecursionError):
                    raise
                except Exception as error:  # noqa: BLE001
                    self.problems.append(f"page {number} cannot be read ({_describe(error)})")
        except _OverBudget:
            self.problems.append(
                f"has more objects than are read ({MAX_VISITS:,}); what follows was not read"
            )
        if not pages:
            self.problems.append("has no pages")
        return replace(
            facts,
            pdf_version=self.version,
            pages=tuple(pages),
            fonts=tuple(self._font_facts()),
            javascript=tuple(dict.fromkeys(self.javascript)),
            embedded_files=tuple(self.attachments),
            problem=_join(self.problems),
        )

    def _pages(self, raw: Any) -> Iterator[dict[str, Any]]:
        """The page dictionaries in order, as {key without slash: value}, with inherited
        attributes filled in. A loop or a node seen twice is walked once."""
        inheritable = ("Resources", "MediaBox", "CropBox", "Rotate")
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, dict[str, Any], int]] = [(raw, {}, 0)]
        while stack:
            node_raw, inherited, depth = stack.pop()
            node = _as_dict(node_raw)
            if node is None:
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            self.visit()
            kids = _as_list(node.get("/Kids"))
            kind = _as_name(node.get("/Type"))
            if kids is not None and kind != "Page":
                if depth >= MAX_DEPTH:
                    self.problems.append("its page tree is nested too deeply")
                    continue
                passed = dict(inherited)
                for key in inheritable:
                    value = node.get("/" + key)
                    if value is not None:
                        passed[key] = value
                stack.extend((kid, passed, depth + 1) for kid in reversed(kids))
            elif kind in ("Page", None) or "/Contents" in node:
                page = dict(inherited)
                for key in ("Resources", "MediaBox", "CropBox", "Rotate", "Annots", "AA"):
                    value = node.get("/" + key)
                    if value is not None:
                        page[key] = value
                yield page

    def _page_facts(self, number: int, page: dict[str, Any]) -> PageFacts:
        media = _box(page.get("MediaBox")) or (0.0, 0.0, 612.0, 792.0)
        crop = _box(page.get("CropBox"))
        if crop is None:
            crop = media
        else:  # a crop box reaching past the media box is clipped to it (ISO 32000-1, 14.11.2)
            crop = (
                max(crop[0], media[0]),
                max(crop[1], media[1]),
                min(crop[2], media[2]),
                min(crop[3], media[3]),
            )
            if crop[0] >= crop[2] or crop[1] >= crop[3]:
                crop = media
        rotation = _int(page.get("Rotate")) or 0
        return PageFacts(number=number, media_box=media, crop_box=crop, rotation=rotation % 360)

    # ------------------------------------------------------------------- fonts

    def _page_fonts(self, number: int, page: dict[str, Any]) -> None:
        self._add(number, self._resources(page.get("Resources"), 0))

    def _add(self, number: int, found: dict[FontKey, int]) -> None:
        for key, mask in found.items():
            font = self.fonts[key]
            font.masks[number] = font.masks.get(number, 0) | mask

    def _resources(self, raw: Any, depth: int) -> dict[FontKey, int]:
        """Fonts reachable from a resource dictionary, with where they were found (bits)."""
        resources = _as_dict(raw)
        if resources is None or depth > MAX_DEPTH:
            return {}
        ident = resources.objgen if resources.is_indirect else None
        if ident is not None:
            cached = self.resource_cache.get(ident)
            if cached is not None:
                return cached
            if ident in self.active:
                return {}
            self.active.add(ident)
        self.visit()
        found: dict[FontKey, int] = {}
        try:
            fonts = _as_dict(resources.get("/Font"))
            if fonts is not None:
                holder = _holder(fonts, resources)
                for resource_name, raw_font in fonts.items():
                    key = self._font(raw_font, resource_name[1:], holder)
                    if key is None:
                        continue
                    found[key] = found.get(key, 0) | _ON_PAGE
                    type3_resources = self.fonts[key].resources
                    if type3_resources is not None:
                        _merge(found, self._resources(type3_resources, depth + 1))
            xobjects = _as_dict(resources.get("/XObject"))
            if xobjects is not None:
                for raw_xobject in xobjects.values():
                    _merge(found, self._form(raw_xobject, depth + 1), _IN_FIGURE)
            patterns = _as_dict(resources.get("/Pattern"))
            if patterns is not None:
                for raw_pattern in patterns.values():
                    pattern = _as_dict(raw_pattern)
                    if pattern is not None:
                        self.visit()
                        _merge(found, self._resources(pattern.get("/Resources"), depth + 1))
        finally:
            if ident is not None:
                self.active.discard(ident)
        if ident is not None:
            self.resource_cache[ident] = found
        return found

    def _form(self, raw: Any, depth: int) -> dict[FontKey, int]:
        """Fonts reachable from a form XObject (images have none)."""
        xobject = _as_dict(raw)
        if xobject is None or _as_name(xobject.get("/Subtype")) != "Form":
            return {}
        if not xobject.is_indirect:  # a stream is always an object of its own
            return self._resources(xobject.get("/Resources"), depth)
        ident = xobject.objgen
        cached = self.form_cache.get(ident)
        if cached is not None:
            return cached
        if ident in self.active_forms:  # a figure that draws itself, through others or not
            return {}
        self.visit()
        self.active_forms.add(ident)
        try:
            cached = self._resources(xobject.get("/Resources"), depth)
        finally:
            self.active_forms.discard(ident)
        self.form_cache[ident] = cached
        return cached

    def _font(self, raw: Any, resource_name: str, holder: Any) -> FontKey | None:
        font = _as_dict(raw)
        if font is None:
            return None
        if font.is_indirect:
            key: FontKey = font.objgen
        else:  # a font written inside its /Font dictionary is that dictionary's, by name
            key = (holder, resource_name)
        if key in self.fonts:
            return key
        self.visit()
        subtype = _as_name(font.get("/Subtype")) or ""
        name = _as_name(font.get("/BaseFont"))
        resources = None
        if subtype == "Type3":
            embedded = True
            resources = font.get("/Resources")
        else:
            embedded = _embedded(font, subtype)
        self.fonts[key] = _Font(name, subtype, embedded, resource_name, resources, {})
        return key

    def _font_facts(self) -> Iterator[FontFacts]:
        for font in self.fonts.values():
            if not font.masks:
                continue  # reached only through a cut cycle
            pages = sorted(font.masks)
            yield FontFacts(
                name=font.name,
                subtype=font.subtype,
                embedded=font.embedded,
                pages=tuple(pages),
                figure_pages=tuple(p for p in pages if font.masks[p] & _IN_FIGURE),
                annotation_pages=tuple(p for p in pages if font.masks[p] & _IN_ANNOTATION),
                resource_name=font.resource_name,
            )

    # ------------------------------------------------------------- annotations

    def _page_annotations(self, number: int, page: dict[str, Any]) -> None:
        annotations = _as_list(page.get("Annots"))
        if annotations is None:
            return
        for index, raw in enumerate(annotations):
            if index >= MAX_ANNOTATIONS:
                self.problems.append(
                    f"page {number} has more than {MAX_ANNOTATIONS:,} annotations; "
                    "the rest were not read"
                )
                break
            annotation = _as_dict(raw)
            if annotation is None:
                continue
            self.visit()
            subtype = _as_name(annotation.get("/Subtype")) or "unknown"
            where = Script(f"on page {number} ({_annotation_words(subtype)})", number)
            self._actions(annotation.get("/A"), where)
            self._actions(annotation.get("/AA"), where, True)
            if subtype == "FileAttachment":
                name = _file_spec_name(annotation.get("/FS")) or "unnamed attachment"
                self.attachments.append(EmbeddedFile(name, number))
            appearances = _as_dict(annotation.get("/AP"))
            if appearances is None:
                continue
            found: dict[FontKey, int] = {}
            for state in ("/N", "/R", "/D"):
                appearance = _as_dict(appearances.get(state))
                if appearance is None:
                    continue
                if _as_name(appearance.get("/Subtype")) == "Form":
                    _merge(found, self._form(appearance, 1), _IN_ANNOTATION)
                else:  # a dictionary of appearance states (check box on, off)
                    for stream in appearance.values():
                        _merge(found, self._form(stream, 1), _IN_ANNOTATION)
            self._add(number, found)

    # ------------------------------------------------ scripts and attached files

    def _document_actions(self, root: Any) -> None:
        self._actions(root.get("/OpenAction"), Script("in the action run when the document opens"))
        self._actions(root.get("/AA"), Script("in the document's actions (/AA)"), True)
        names = _as_dict(root.get("/Names"))
        if names is not None and names.get("/JavaScript") is not None:
            count = sum(1 for _ in self._name_tree(names.get("/JavaScript")))
            if count:
                plural = "s" if count > 1 else ""
                where = f"in {count} document-level script{plural} (/Names/JavaScript)"
                self.javascript.append(Script(where))
        acroform = _as_dict(root.get("/AcroForm"))
        fields = _as_list(acroform.get("/Fields")) if acroform is not None else None
        for index, raw in enumerate(fields or ()):
            if index >= MAX_NAMES:
                break
            form_field = _as_dict(raw)
            if form_field is not None:
                self.visit()
                self._actions(
                    form_field.get("/AA"), Script("in a form field's actions (/AA)"), True
                )

    def _actions(self, raw: Any, where: Script, additional: bool = False) -> None:
        """Record `where` if the action (for /AA: any of its triggers) runs JavaScript."""
        if additional:
            triggers = _as_dict(raw)
            if triggers is not None and any(
                self._runs_javascript(trigger) for trigger in triggers.values()
            ):
                self.javascript.append(where)
        elif self._runs_javascript(raw):
            self.javascript.append(where)

    def _runs_javascript(self, raw: Any) -> bool:
        """Whether an action, or an action in its /Next chain, is a JavaScript action."""
        pending: list[Any] = [raw]
        seen: set[tuple[int, int]] = set()
        steps = 0
        while pending and steps < MAX_NAMES:
            action = _as_dict(pending.pop())
            if action is None:
                continue
            if action.is_indirect:
                if action.objgen in seen:
                    continue
                seen.add(action.objgen)
            steps += 1
            self.visit()
            if _as_name(action.get("/S")) == "JavaScript" or action.get("/JS") is not None:
                return True
            following = action.get("/Next")
            if following is None:
                continue
            if _kind(following) is _ARRAY:
                pending.extend(following)
            else:
                pending.append(following)
        return False

    def _name_tree_files(self, root: Any) -> None:
        names = _as_dict(root.get("/Names"))
        if names is None:
            return
        for key, spec in self._name_tree(names.get("/EmbeddedFiles")):
            name = _file_spec_name(spec) or key or "unnamed file"
            self.attachments.append(EmbeddedFile(name))

    def _name_tree(self, raw: Any) -> Iterator[tuple[str, Any]]:
        """The (key, value) pairs of a name tree, up to MAX_NAMES, guarding against cycles."""
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, int]] = [(raw, 0)]
        count = 0
        while stack:
            node_raw, depth = stack.pop()
            node = _as_dict(node_raw)
            if node is None or depth > MAX_DEPTH:
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            self.visit()
            names = _as_list(node.get("/Names")) or ()
            for index in range(0, len(names) - 1, 2):
                key = names[index]
                if _kind(key) is _STRING:
                    text = _text(bytes(key))
                elif _kind(key) is _NAME:
                    text = str(key)[1:]
                elif key is None:
                    text = ""
                else:
                    text = str(key)
                yield text, names[index + 1]
                count += 1
                if count >= MAX_NAMES:
                    return
            kids = _as_list(node.get("/Kids")) or ()
            stack.extend((kid, depth + 1) for kid in reversed(list(kids)))


# ------------------------------------------------------------------- pikepdf values


def _kind(value: Any) -> Any:
    """pikepdf's type code of `value`; None for what it hands over as Python values."""
    return getattr(value, "_type_code", None)


def _as_dict(value: Any) -> Any:
    """`value` if it is a dictionary or a stream (whose dictionary is read), else None."""
    kind = _kind(value)
    return value if kind is _DICTIONARY or kind is _STREAM else None


def _as_list(value: Any) -> Any:
    return value if _kind(value) is _ARRAY else None


def _as_name(value: Any) -> str | None:
    kind = _kind(value)
    if kind is _NAME:
        text = str(value)[1:]
        return text or None
    if kind is _STRING:  # a string where a name belongs
        raw = bytes(value)
        return _text(raw) if raw else None
    return None


def _number(value: Any) -> float | None:
    """`value` as a number (pikepdf hands over integers as int, reals as Decimal)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def _int(value: Any) -> int | None:
    number = _number(value)
    return None if number is None or number != number else int(number)


def _box(raw: Any) -> tuple[float, float, float, float] | None:
    box = _as_list(raw)
    if box is None or len(box) != 4:
        return None
    values = [_number(value) for value in box]
    if any(value is None for value in values):
        return None
    x0, y0, x1, y1 = (float(value) for value in values if value is not None)
    if x0 == x1 or y0 == y1:
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _holder(fonts: Any, resources: Any) -> Any:
    """What a font written inside `fonts` belongs to: the first of the two that is an
    object of its own, else a name unique to this visit."""
    for container in (fonts, resources):
        if container.is_indirect:
            return container.objgen
    return object()


def _embedded(font: Any, subtype: str) -> bool:
    if subtype == "Type0":
        descendants = _as_list(font.get("/DescendantFonts"))
        descendant = _as_dict(descendants[0]) if descendants else None
        if descendant is None:
            return False
        font = descendant
    descriptor = _as_dict(font.get("/FontDescriptor"))
    return descriptor is not None and any(descriptor.get(key) is not None for key in _FONT_FILES)


def _file_spec_name(raw: Any) -> str | None:
    kind = _kind(raw)
    if kind is _STRING:
        return _text(bytes(raw))
    if kind is _NAME:
        return str(raw)[1:]
    spec = _as_dict(raw)
    if spec is None:
        return None
    for key in ("/UF", "/F", "/DOS", "/Unix", "/Mac"):
        value = spec.get(key)
        if _kind(value) is _STRING:
            data = bytes(value)
            if data:
                return _text(data)
    return None


def _cipher(encrypt: Any) -> str:
    handler = _as_name(encrypt.get("/Filter")) or "unknown"
    if handler != "Standard":
        return f"the {handler} security handler"
    version = _int(encrypt.get("/V"))
    if version == 5:
        return "AES-256"
    if version == 4:
        filters = _as_dict(encrypt.get("/CF"))
        default = None
        if filters is not None:
            default = _as_dict(filters.get("/" + (_as_name(encrypt.get("/StmF")) or "StdCF")))
        method = _as_name(default.get("/CFM")) if default is not None else None
        return "AES-128" if method == "AESV2" else "RC4 128-bit"
    if version in (2, 3):
        return f"RC4 {_int(encrypt.get('/Length')) or 40}-bit"
    return "RC4 40-bit"


def _restrictions(encrypt: Any) -> tuple[str, ...]:
    """What /P forbids to a reader who opens the file without the owner password."""
    permissions = _int(encrypt.get("/P"))
    if permissions is None or _as_name(encrypt.get("/Filter")) != "Standard":
        return ()
    permissions &= 0xFFFFFFFF  # /P is a signed 32-bit integer
    revision = _int(encrypt.get("/R")) or 2
    forbidden = [
        words
        for words, bit in _PERMISSION_BITS.items()
        if (revision >= 3 or bit <= 6) and not permissions & (1 << (bit - 1))
    ]
    if "printing" in forbidden and "high-quality printing" in forbidden:
        forbidden.remove("high-quality printing")
    return tuple(forbidden)


# ---------------------------------------------------------------------------- helpers


def _merge(into: dict[FontKey, int], found: dict[FontKey, int], mask: int | None = None) -> None:
    for key, where in found.items():
        into[key] = into.get(key, 0) | (where if mask is None else mask)


def _text(raw: bytes) -> str:
    """A PDF text string: UTF-16 with a byte-order mark, UTF-8 with one, else PDFDocEncoding."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _annotation_words(subtype: str) -> str:
    words = {"Link": "a link", "Widget": "a form field", "Screen": "a media annotation"}
    return words.get(subtype, f"a {subtype} annotation")


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _qpdf_reason(error: BaseException) -> str:
    """qpdf's reason, without the file and object its messages start with."""
    text = str(error)
    return text.rsplit("): ", 1)[-1] if "): " in text else text


def _join(problems: list[str]) -> str | None:
    if not problems:
        return None
    shown = "; ".join(problems[:3])
    return shown + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
