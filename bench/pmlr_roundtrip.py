"""The PMLR round trip: published PMLR volumes through `proceedings build` and PMLR's own tools.

    python bench/pmlr_roundtrip.py [VOLUMES_DIR] [--volume v163] [--tools DIR] [--keep DIR]

VOLUMES_DIR (default ../shared/volumes beside the repository) holds volume folders `vNNN`,
each with `volume.yaml`, `papers.yaml`, `pdf/` and `published.json`, the pages PMLR published.
For each volume:

1. `build_volume` builds it (`--no-check`) into a temporary folder. When the build refuses,
   its message is reported and the PMLR upload is written by the PMLR writer alone
   (`plan_volume` + `write_pmlr`), so what the upload would hold is still measured.
2. PMLR's `check_volume.rb` (`TOOLS/run check`) runs on the upload; its errors and warnings
   are counted from its summary.
3. `TOOLS/run site` runs `tidy_bibtex.rb --fix-all` and `create_volume.rb`: the tidied bib is
   compared with ours entry by entry and field by field (white space inside a value is not a
   change), and the pages create_volume.rb wrote (`_posts/*.md`) are compared paper by paper
   with `published.json`: the id the page got and our key, title, each author's given and
   family names, abstract, first and last page, section.

A page is matched to our paper through its PDF (create_volume.rb moves `<key>.pdf` to
`assets/<id>/<id>.pdf`), our paper to the published one through the `papers.yaml` id (the
volumes' ids are PMLR's published ones), by title when either link is missing. Values are
compared after collapsing white space and Unicode canonical composition, nothing else.

Prints a table paper by paper, the values that differ, and a summary per volume; exits 1 when
any volume differs from what PMLR published. `roundtrip()` returns a `VolumeResult` for tests.
`--keep DIR` leaves each volume's build and site folders in `DIR/<volume>/`.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VOLUMES = ROOT.parent / "shared" / "volumes"
TIMEOUT = 900  # seconds for one PMLR script on one volume; create_volume.rb runs pandoc per paper

# The fields of a published page this round trip compares, in the order the table shows them.
FIELDS = ("id", "key", "title", "authors", "abstract", "pages", "section")


@dataclass(frozen=True)
class FieldDiff:
    """One field of one paper whose value on our page is not the published one."""

    field: str  # a name of FIELDS, or "author N given|family" / "authors" for the author list
    ours: str
    published: str


@dataclass
class PaperResult:
    published_id: str | None  # None: a page of ours that matches no published paper
    our_key: str | None  # None: a published paper for which we wrote no page
    page_id: str | None  # the id create_volume.rb gave our page
    matched_by: str  # "pdf+id", "title", or "" when unmatched
    stand_in: bool  # the volume's PDF of this paper is a stand-in (STANDINS.tsv)
    diffs: list[FieldDiff] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return sorted({diff.field.split()[0] for diff in self.diffs}, key=_field_order)


@dataclass(frozen=True)
class TidyChange:
    """A change tidy_bibtex.rb made to our bib: a field, or a whole entry (`field` empty)."""

    key: str
    field: str
    ours: str | None  # None: tidy added it
    tidied: str | None  # None: tidy dropped it

    @property
    def shown(self) -> str:
        if self.ours is None or self.tidied is None:
            return f"{_short(self.ours)} -> {_short(self.tidied)}"
        return " -> ".join(where_differs(self.ours, self.tidied))


@dataclass
class VolumeResult:
    name: str  # the folder name, "v163"
    number: str  # "163"
    build_error: str | None = None  # why build_volume refused, when it did
    upload_from: str = ""  # "build", "PMLR writer alone", or "" when there is no upload
    archival: int = 0  # archival papers in papers.yaml
    pmlr_errors: int | None = None  # from check_volume.rb's summary; None if it gave none
    pmlr_warnings: int | None = None
    pmlr_messages: list[str] = field(default_factory=list)  # its ✗ and ⚠ lines
    tidy_changes: list[TidyChange] = field(default_factory=list)
    tidy_log: list[str] = field(default_factory=list)  # what tidy_bibtex.rb said
    pages_written: int = 0  # _posts/*.md that create_volume.rb wrote
    papers: list[PaperResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # steps that could not run, and why

    @property
    def differing(self) -> list[PaperResult]:
        return [paper for paper in self.papers if paper.diffs or not paper.matched_by]

    @property
    def missing(self) -> list[PaperResult]:
        """Published papers for which we wrote no page."""
        return [paper for paper in self.papers if paper.our_key is None]

    @property
    def extra(self) -> list[PaperResult]:
        """Pages of ours that match no published paper."""
        return [paper for paper in self.papers if paper.published_id is None]


def roundtrip(volume_dir: Path, tools: Path, work: Path) -> VolumeResult:
    """Build the volume in `volume_dir` into `work/build`, run PMLR's tools into `work/site`."""
    name = volume_dir.name
    result = VolumeResult(name=name, number=name.removeprefix("v"))
    try:
        published = json.loads((volume_dir / "published.json").read_text(encoding="utf-8"))
        published_papers: list[dict[str, Any]] = list(published["papers"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        result.problems.append(f"published.json cannot be read: {error}")
        return result
    upload, key_to_id = _upload(volume_dir, work / "build", result)
    if upload is None:
        return result
    _pmlr_check(tools, upload, result)
    site = work / "site"
    _pmlr_site(tools, upload, site, result)
    ours = _bib_in(upload)
    if ours is not None:
        _compare_tidy(ours, site / f"{ours.stem}_cleaned.bib", result)
    posts = _read_posts(site / "_posts", result)
    result.pages_written = len(posts)
    key_of_post = _keys_of_posts(upload, site, posts)
    result.papers = _compare_papers(
        posts, key_of_post, key_to_id, published_papers, _stand_ins(volume_dir)
    )
    return result


# --- 1. the build -------------------------------------------------------------------------


def _upload(root: Path, out: Path, result: VolumeResult) -> tuple[Path | None, dict[str, str]]:
    """The PMLR upload of the volume and the papers.yaml id of each key in it."""
    # Imported here, each step on its own: a build that cannot even be imported is a result
    # of this volume to report, like any other failure.
    plan: Any = None
    key_to_id: dict[str, str] = {}
    try:
        from proceedings.build.plan import plan_volume
        from proceedings.volume import load_volume

        volume, _ = load_volume(root)
        result.archival = sum(1 for paper in volume.papers if paper.archival)
        plan = plan_volume(volume)
        key_to_id = {item.key: item.paper.id for item in plan.archival}
    except Exception as error:  # noqa: BLE001 - the build below reports it in its own words
        result.problems.append(f"the volume cannot be planned: {_failure(error)}")
    try:
        from proceedings.build.pipeline import BuildError, build_volume
    except Exception as error:  # noqa: BLE001
        result.build_error = f"the build cannot be loaded: {_failure(error)}"
        return None, key_to_id
    try:
        build_volume(root, out, check_papers=False)
        result.upload_from = "build"
        return out / "pmlr", key_to_id
    except BuildError as error:
        lines = [str(error)] + [
            f"{finding.file or ''}:{finding.line or ''} {finding.code} {finding.message}"
            for finding in error.findings
        ]
        result.build_error = "; ".join(lines)
    except Exception as error:  # noqa: BLE001 - a crash of the build is a result to report
        result.build_error = f"the build crashed: {_failure(error)}"
    if plan is None:
        return None, key_to_id
    alone = out.parent / "pmlr-alone"
    try:
        from proceedings.build.pmlr import write_pmlr

        write_pmlr(plan, alone)
    except Exception as error:  # noqa: BLE001
        result.problems.append(f"the PMLR writer alone fails too: {_failure(error)}")
        return None, key_to_id
    result.upload_from = "PMLR writer alone"
    return alone, key_to_id


def _bib_in(upload: Path) -> Path | None:
    bibs = sorted(upload.glob("*.bib"))
    return bibs[0] if bibs else None


# --- 2. check_volume.rb -------------------------------------------------------------------


def _pmlr_check(tools: Path, upload: Path, result: VolumeResult) -> None:
    done = _run([str(tools / "run"), "check", str(upload), result.number], result, "run check")
    if done is None:
        return
    output = done.stdout
    errors = re.search(r"^\s*Errors:\s*(\d+)", output, re.MULTILINE)
    warnings = re.search(r"^\s*Warnings:\s*(\d+)", output, re.MULTILINE)
    if errors is None or warnings is None:
        result.problems.append(
            f"check_volume.rb printed no summary (exit {done.returncode}): {_tail(output)}"
        )
        return
    result.pmlr_errors = int(errors.group(1))
    result.pmlr_warnings = int(warnings.group(1))
    result.pmlr_messages = [
        line.strip() for line in output.splitlines() if line.lstrip().startswith(("✗", "⚠"))
    ]
    # The verdict's line ("✗ 2 issue(s) must be fixed") is not one of the issues.
    result.pmlr_messages = [line for line in result.pmlr_messages if "must be fixed" not in line]


# --- 3. tidy_bibtex.rb and create_volume.rb ------------------------------------------------


def _pmlr_site(tools: Path, upload: Path, site: Path, result: VolumeResult) -> None:
    command = [str(tools / "run"), "site", str(upload), result.number, str(site)]
    done = _run(command, result, "run site")
    log_path = site / "pipeline.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.is_file() else ""
    tidy, _, _ = log.partition("### create_volume.rb")
    result.tidy_log = [
        line.strip()
        for line in tidy.splitlines()
        if line.strip()
        and not line.startswith(("###", "rc=", "Input file:", "Output file:"))
        and not line.startswith("Cleaned file written")
    ]
    if done is not None and done.returncode != 0:
        result.problems.append(
            f"PMLR's publishing scripts failed (exit {done.returncode}): "
            f"{_tail(log or done.stdout)}"
        )


def _compare_tidy(ours: Path, tidied: Path, result: VolumeResult) -> None:
    from proceedings.bib import load_bib

    if not tidied.is_file():
        result.problems.append(f"tidy_bibtex.rb wrote no {tidied.name}")
        return
    before, after = load_bib(ours), load_bib(tidied)
    for bib in (before, after):
        if bib.load_error or bib.syntax_errors:
            reason = bib.load_error or bib.syntax_errors[0].message
            result.problems.append(f"{bib.path.name} cannot be read: {reason}")
            return
    old = {entry.key: entry for entry in before.entries}
    new = {entry.key: entry for entry in after.entries}
    changes: list[TidyChange] = []
    for key in old.keys() | new.keys():
        if key not in new:
            changes.append(TidyChange(key, "", old[key].type, None))
            continue
        if key not in old:
            changes.append(TidyChange(key, "", None, new[key].type))
            continue
        if old[key].type != new[key].type:
            changes.append(TidyChange(key, "@type", old[key].type, new[key].type))
        for name in sorted(old[key].fields.keys() | new[key].fields.keys()):
            was = old[key].fields.get(name)
            now = new[key].fields.get(name)
            was_value = _bib_value(was.value) if was is not None else None
            now_value = _bib_value(now.value) if now is not None else None
            if was_value != now_value:
                changes.append(TidyChange(key, name, was_value, now_value))
    order = {entry.key: index for index, entry in enumerate([*before.entries, *after.entries])}
    result.tidy_changes = sorted(changes, key=lambda change: (order[change.key], change.field))


def _bib_value(value: str) -> str:
    # BibTeX itself reads any run of white space in a value as one space.
    return " ".join(value.split())


class _PostLoader(yaml.SafeLoader):
    """YAML as Ruby writes it; a tag Python does not know is read as its plain value."""


def _plain_node(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, yaml.ScalarNode), node  # the one kind of node left
    return loader.construct_scalar(node)


_PostLoader.add_multi_constructor("!", _plain_node)
_PostLoader.add_multi_constructor("tag:", _plain_node)


def _read_posts(posts_dir: Path, result: VolumeResult) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = []
    for path in sorted(posts_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        front = text.split("\n---", 1)[0].removeprefix("---\n") if text.startswith("---") else ""
        try:
            data = yaml.load(front, Loader=_PostLoader)  # a SafeLoader underneath
        except yaml.YAMLError as error:
            result.problems.append(f"{path.name}: its front matter cannot be read: {error}")
            continue
        if not isinstance(data, dict):
            result.problems.append(f"{path.name}: no front matter")
            continue
        data["_file"] = path.name
        posts.append(data)
    return posts


def _keys_of_posts(upload: Path, site: Path, posts: list[dict[str, Any]]) -> dict[str, str]:
    """Our key of each page, by page id: create_volume.rb moved `<key>.pdf` to the page's assets.

    A key whose PDF is byte for byte another key's cannot be told apart this way, and is left
    to the match by title.
    """
    by_digest: dict[str, list[str]] = {}
    for pdf in sorted(upload.glob("*.pdf")):
        by_digest.setdefault(_digest(pdf), []).append(pdf.stem)
    keys: dict[str, str] = {}
    for post in posts:
        page_id = str(post.get("id", ""))
        moved = site / "assets" / page_id / f"{page_id}.pdf"
        if page_id and moved.is_file():
            candidates = by_digest.get(_digest(moved), [])
            if len(candidates) == 1:
                keys[page_id] = candidates[0]
    return keys


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 4. our pages against the published ones ---------------------------------------------


def _compare_papers(
    posts: list[dict[str, Any]],
    key_of_post: dict[str, str],
    key_to_id: dict[str, str],
    published: list[dict[str, Any]],
    stand_ins: set[str],
) -> list[PaperResult]:
    by_id = {str(paper.get("id")): paper for paper in published}
    by_title: dict[str, list[dict[str, Any]]] = {}
    for paper in published:
        by_title.setdefault(_title_key(paper.get("title")), []).append(paper)
    matched: set[str] = set()
    results: list[PaperResult] = []
    for post in sorted(posts, key=lambda post: _int(post.get("firstpage"))):
        page_id = str(post.get("id", ""))
        key = key_of_post.get(page_id)
        target = by_id.get(key_to_id.get(key, "")) if key else None
        how = "pdf+id"
        if target is None or str(target.get("id")) in matched:
            how = "title"
            same_title = by_title.get(_title_key(post.get("title")), [])
            free = [paper for paper in same_title if str(paper.get("id")) not in matched]
            target = free[0] if len(free) == 1 else None
        if target is None:
            results.append(PaperResult(None, key or page_id, page_id, "", False))
            continue
        published_id = str(target.get("id"))
        matched.add(published_id)
        results.append(
            PaperResult(
                published_id=published_id,
                our_key=key,
                page_id=page_id,
                matched_by=how,
                stand_in=published_id in stand_ins,
                diffs=_diffs(post, key, target),
            )
        )
    for paper in published:
        published_id = str(paper.get("id"))
        if published_id not in matched:
            results.append(PaperResult(published_id, None, None, "", published_id in stand_ins))
    return results


def _diffs(post: dict[str, Any], key: str | None, paper: dict[str, Any]) -> list[FieldDiff]:
    diffs: list[FieldDiff] = []

    def compare(name: str, ours: Any, theirs: Any) -> None:
        if _text(ours) != _text(theirs):
            diffs.append(FieldDiff(name, _text(ours), _text(theirs)))

    compare("id", post.get("id"), paper.get("id"))
    compare("key", key if key is not None else "(not known)", paper.get("id"))
    compare("title", post.get("title"), paper.get("title"))
    ours_authors = _people(post.get("author"))
    published_authors = _people(paper.get("author"))
    if len(ours_authors) != len(published_authors):
        compare("authors", _names(ours_authors), _names(published_authors))
    else:
        for number, (mine, theirs) in enumerate(
            zip(ours_authors, published_authors, strict=True), 1
        ):
            compare(f"authors {number} given", mine[0], theirs[0])
            compare(f"authors {number} family", mine[1], theirs[1])
    compare("abstract", post.get("abstract"), paper.get("abstract"))
    compare(
        "pages",
        f"{_text(post.get('firstpage'))}-{_text(post.get('lastpage'))}",
        f"{_text(paper.get('firstpage'))}-{_text(paper.get('lastpage'))}",
    )
    compare("section", post.get("section"), paper.get("section"))
    return diffs


def _people(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    return [
        (_text(person.get("given")), _text(person.get("family")))
        for person in value
        if isinstance(person, dict)
    ]


def _names(people: list[tuple[str, str]]) -> str:
    return "; ".join(f"{family}, {given}" for given, family in people)


def _text(value: Any) -> str:
    """A value as text, with only its presentation normalised: runs of white space become one
    space and Unicode is composed (NFC), so that "ı́" and "í" written two ways compare equal."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _title_key(value: Any) -> str:
    return _text(value).casefold()


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _stand_ins(volume_dir: Path) -> set[str]:
    path = volume_dir / "STANDINS.tsv"
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0] for line in lines if line.strip()}


# --- running things -----------------------------------------------------------------------


def _run(
    command: list[str], result: VolumeResult, what: str
) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        result.problems.append(f"{what} did not run: {_one_line(error)}")
        return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _failure(error: BaseException) -> str:
    return f"{type(error).__name__}: {_one_line(error)}"


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


def _field_order(name: str) -> int:
    return FIELDS.index(name) if name in FIELDS else len(FIELDS)


# --- the report ---------------------------------------------------------------------------


def print_report(results: list[VolumeResult], out: TextIO = sys.stdout) -> None:
    rows = [("volume", "published id", "our key", "page id", "pdf", "differs")]
    for volume in results:
        for paper in volume.papers:
            if paper.published_id is None:
                differs = "no published paper"
            elif paper.our_key is None and not paper.page_id:
                differs = "no page of ours"
            else:
                differs = ", ".join(paper.fields) or "-"
                if paper.matched_by == "title":
                    differs += " (matched by title)"
            rows.append(
                (
                    volume.name,
                    paper.published_id or "-",
                    paper.our_key or "-",
                    paper.page_id or "-",
                    "stand-in" if paper.stand_in else "",
                    differs,
                )
            )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)

    for volume in results:
        print(f"\n== {volume.name} ==", file=out)
        for paper in volume.papers:
            for diff in paper.diffs:
                ours, theirs = where_differs(diff.ours, diff.published)
                print(f"  {paper.published_id}  {diff.field}", file=out)
                print(f"      ours:      {ours}", file=out)
                print(f"      published: {theirs}", file=out)
        for change in volume.tidy_changes:
            print(
                f"  tidy changed {change.key} {change.field or 'entry'}: {change.shown}", file=out
            )
        for message in volume.pmlr_messages:
            print(f"  check_volume.rb: {message}", file=out)
        for line in volume.tidy_log:
            print(f"  tidy_bibtex.rb: {line}", file=out)
        for problem in volume.problems:
            print(f"  problem: {problem}", file=out)
        print(_summary(volume), file=out)


def _summary(volume: VolumeResult) -> str:
    if volume.upload_from == "build":
        build = "build ok"
    elif volume.build_error is not None:
        build = f"build FAILED ({volume.build_error})"
        if volume.upload_from:
            build += f"; upload written by the {volume.upload_from}"
    else:
        build = "build not run"
    if volume.pmlr_errors is not None:
        checker = f"check_volume.rb {volume.pmlr_errors} errors, {volume.pmlr_warnings} warnings"
    elif volume.upload_from:
        checker = "check_volume.rb gave no summary"
    else:
        checker = "check_volume.rb not run"
    counts = Counter(name for paper in volume.papers for name in paper.fields)
    by_field = ", ".join(f"{name} {counts[name]}" for name in FIELDS if counts[name]) or "none"
    matched = [paper for paper in volume.papers if paper.matched_by]
    same = sum(1 for paper in matched if not paper.diffs)
    return (
        f"  {volume.name}: {build}\n"
        f"  {volume.name}: {checker}; tidy changed {len(volume.tidy_changes)} fields; "
        f"{volume.pages_written} pages written for {volume.archival} archival papers\n"
        f"  {volume.name}: {same}/{len(matched)} matched pages equal the published ones; "
        f"{len(volume.missing)} published papers without a page, "
        f"{len(volume.extra)} pages without a published paper; differing fields: {by_field}"
    )


def where_differs(ours: str, theirs: str, short: int = 100) -> tuple[str, str]:
    """Both values whole when they are short; else only the runs of words that differ, each
    with a word of context, "|" between runs."""
    if len(ours) <= short and len(theirs) <= short:
        return repr(ours), repr(theirs)
    mine, other = ours.split(" "), theirs.split(" ")
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, mine, other, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            before = max(0, i1 - 1), max(0, j1 - 1)
            runs.append((" ".join(mine[before[0] : i2 + 1]), " ".join(other[before[1] : j2 + 1])))
    return " | ".join(repr(a) for a, _ in runs), " | ".join(repr(b) for _, b in runs)


def _short(value: str | None, width: int = 60) -> str:
    if value is None:
        return "(none)"
    return repr(value if len(value) <= width else value[: width - 3] + "...")


# --- the command --------------------------------------------------------------------------


def run_volumes(
    volumes_dir: Path, names: list[str], tools: Path, keep: Path | None
) -> list[VolumeResult]:
    results = []
    for name in names:
        if keep is not None:
            work = keep / name
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            results.append(roundtrip(volumes_dir / name, tools, work))
        else:
            with tempfile.TemporaryDirectory(prefix=f"roundtrip-{name}-") as scratch:
                results.append(roundtrip(volumes_dir / name, tools, Path(scratch)))
    return results


def volume_names(volumes_dir: Path) -> list[str]:
    """The volume folders: `v` and a number, with a published.json."""
    return sorted(
        (
            path.name
            for path in volumes_dir.iterdir()
            if re.fullmatch(r"v\d+", path.name) and (path / "published.json").is_file()
        ),
        key=lambda name: int(name[1:]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Published PMLR volumes through `proceedings build` and PMLR's own tools."
    )
    parser.add_argument("volumes", nargs="?", type=Path, default=DEFAULT_VOLUMES)
    parser.add_argument("--volume", action="append", help="only this volume (repeatable)")
    parser.add_argument(
        "--tools", type=Path, help="PMLR's tools (default: pmlr-tools beside VOLUMES_DIR)"
    )
    parser.add_argument("--keep", type=Path, help="leave the build and site folders here")
    args = parser.parse_args(argv)
    volumes_dir: Path = args.volumes
    tools: Path = args.tools or volumes_dir.resolve().parent / "pmlr-tools"
    if not volumes_dir.is_dir():
        parser.error(f"{volumes_dir} is not a folder")
    if not (tools / "run").is_file():
        parser.error(f"PMLR's tools are not at {tools} (no run script); give --tools")
    if shutil.which("ruby") is None:
        parser.error("ruby is not installed (apt-get install ruby ruby-activesupport pandoc)")
    names = args.volume or volume_names(volumes_dir)
    unknown = [name for name in names if not (volumes_dir / name / "published.json").is_file()]
    if unknown:
        parser.error(f"no published.json in {', '.join(str(volumes_dir / n) for n in unknown)}")
    if not names:
        parser.error(f"no volume folders (vNNN with published.json) in {volumes_dir}")
    results = run_volumes(volumes_dir, names, tools, args.keep)
    print_report(results)
    clean = all(
        volume.build_error is None
        and not volume.problems
        and volume.pmlr_errors == 0
        and not volume.tidy_changes
        and not volume.differing
        and volume.pages_written == volume.archival
        for volume in results
    )
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
