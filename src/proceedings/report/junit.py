"""The report as JUnit XML, the test-result format CI servers show (Jenkins, GitLab, GitHub).

One `<testsuite name="proceedings">` holds a `<testcase>` per paper (classname `papers`) and
per other file checked (classname `metadata` or `bib`, the file's kind). A case with errors
carries one `<failure>` whose `type` is the code of its first error and whose body lists every
finding of the case with its code, place and hint; a file that cannot be read carries an
`<error>` instead. Warnings and notes, and a paper's measure, go to `<system-out>`.

The XML is built with ElementTree, and characters XML 1.0 forbids (control characters a PDF's
text layer may hold) are removed, so the output always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from proceedings.report import (
    FileReport,
    Finding,
    PaperReport,
    Report,
    Severity,
    Status,
    measure_line,
)

SUITE = "proceedings"
PAPER_CLASS = "papers"

# Everything outside XML 1.0's Char production: C0 controls but tab, LF and CR; surrogates;
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 does not allow anywhere in a document."""
    return _NOT_XML.sub("", text)


def render_junit(report: Report) -> str:
    cases = [_file_case(item) for item in report.files]
    cases += [_paper_case(paper) for paper in report.papers]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
        "skipped": "0",
        "time": "0",  # not measured; strict readers want the attribute
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    suite.extend(cases)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _paper_case(paper: PaperReport) -> ET.Element:
    case = _case(PAPER_CLASS, _paper_name(paper), paper.file)
    out = [] if paper.unreadable else [measure_line(paper)]
    _fill(case, paper.status, paper.findings, out)
    return case


def _file_case(item: FileReport) -> ET.Element:
    case = _case(item.kind, item.file, item.file)
    _fill(case, item.status, item.findings, [])
    return case


def _paper_name(paper: PaperReport) -> str:
    """The file for a loose PDF (its id is its file name); the id and the file in a volume."""
    stem = paper.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return paper.file if paper.id == stem else f"{paper.id} ({paper.file})"


def _case(classname: str, name: str, file: str) -> ET.Element:
    return ET.Element(
        "testcase",
        {
            "classname": xml_text(classname),
            "name": xml_text(name),
            "file": xml_text(file),
            "time": "0",
        },
    )


def _fill(case: ET.Element, status: Status, findings: Sequence[Finding], out: list[str]) -> None:
    errors = [finding for finding in findings if finding.severity is Severity.ERROR]
    if status is not Status.PASS and errors:
        first = errors[0]
        message = first.message
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
        tag = "error" if status is Status.ERROR else "failure"
        problem = ET.SubElement(
            case, tag, {"type": xml_text(first.code), "message": xml_text(message)}
        )
        problem.text = xml_text("\n".join(_finding_lines(findings)))
    out += _finding_lines([f for f in findings if f.severity is not Severity.ERROR])
    if out:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(out))


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    """Errors first, each with its code and place; a rule's hint said once, as in text."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    lines = []
    hinted: set[tuple[str, str]] = set()
    for finding in sorted(findings, key=lambda finding: order[finding.severity]):
        where = f" {finding.where}:" if finding.where else ":"
        lines.append(f"{finding.severity.value} {finding.code}{where} {finding.message}")
        if finding.hint and (finding.code, finding.hint) not in hinted:
            hinted.add((finding.code, finding.hint))
            lines.append(f"    hint: {finding.hint}")
    return lines
