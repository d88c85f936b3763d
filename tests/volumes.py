"""A minimal volume for tests: its `volume.yaml`, and a folder made from a list of PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

# Line numbers matter: tests name the line of a value they break.
VOLUME_YAML = """\
proceedings:
  booktitle: "Proceedings of the ICBINB Workshop at ICLR 2026"
  name: "I Can't Believe It's Not Better Workshop"
  shortname: ICBINB 2026
  year: 2026
  editors:
    - name: Ada Example
  volume: 999
  start: 2026-04-27
  end: 2026-04-27
  published: 2026-08-01
  address: "Rio de Janeiro, Brazil"
  conference_url: "https://example.org/icbinb-2026"
  conference_number: 6
tracks:
  - id: long
    title: Long Papers
    page_limit: 5
  - id: tiny
    title: Tiny Papers
    page_limit: 2
"""


def make_volume(root: Path, pdfs: list[Path], titles: list[str] | None = None) -> Path:
    """A volume folder at `root` with one archival long paper per PDF, in the given order."""
    (root / "pdf").mkdir(parents=True)
    papers = []
    for number, pdf in enumerate(pdfs, start=1):
        shutil.copy(pdf, root / "pdf" / f"{number}.pdf")
        title = titles[number - 1] if titles else f"Paper Number {number}"
        papers.append(
            {
                "id": str(number),
                "title": title,
                "authors": [{"name": f"Author Number{number}"}],
                "abstract": "A paper.",
                "track": "long",
                "archival": True,
                "order": number,
            }
        )
    (root / "volume.yaml").write_text(VOLUME_YAML, encoding="utf-8")
    (root / "papers.yaml").write_text(yaml.safe_dump({"papers": papers}), encoding="utf-8")
    return root
