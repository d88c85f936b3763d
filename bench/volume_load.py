"""Time to load and validate the metadata of a large volume.

    python bench/volume_load.py [--papers 2000]

Writes a volume of N generated papers (3-6 authors each, names with accents and particles,
long and tiny tracks, a PDF file per paper) to a temporary folder, then times reading
volume.yaml and papers.yaml and running every metadata rule on them. The target is under
2 seconds for 2,000 papers.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import yaml

from proceedings.rules import all_rules, run_rules
from proceedings.volume import build_volume, read_sources

GIVEN = ["Ana", "José", "Zoë", "Marie-Claire", "Ludwig", "Wei", "Ирина", "Kwame", "Aoife", "Raj"]
FAMILY = ["García", "van der Berg", "Müller", "Dubois-Leroy", "de Souza", "Okafor", "Novak", "Li"]
WORDS = "negative results scaling batch language models fail tuned baselines evidence".split()


def generate(root: Path, count: int) -> None:
    rng = random.Random(2026)
    (root / "pdf").mkdir(parents=True)
    papers = []
    for number in range(1, count + 1):
        title = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" {number}"
        authors = [
            {
                "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "affiliation": "Example University",
                "openreview": f"~Person_{rng.randrange(10_000)}",
            }
            for _ in range(rng.randint(3, 6))
        ]
        papers.append(
            {
                "id": str(number),
                "title": title,
                "authors": authors,
                "abstract": " ".join(rng.choice(WORDS) for _ in range(150)),
                "track": "tiny" if number % 4 == 0 else "long",
                "archival": number % 5 != 0,
            }
        )
        (root / "pdf" / f"{number}.pdf").write_bytes(b"%PDF-1.5\n")
    (root / "papers.yaml").write_text(
        yaml.safe_dump({"papers": papers}, allow_unicode=True, sort_keys=False)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "papers"
        generate(root, args.papers)
        size = (root / "papers.yaml").stat().st_size
        start = time.perf_counter()
        sources = read_sources(root)
        read = time.perf_counter()
        findings = list(run_rules(sources, all_rules(), subject="volume"))
        volume = build_volume(sources)
        done = time.perf_counter()
    print(f"papers:                 {len(volume.papers)} ({size / 1e6:.1f} MB of papers.yaml)")
    print(f"read YAML with lines:   {read - start:6.2f} s")
    print(f"validate + build:       {done - read:6.2f} s   ({len(findings)} findings)")
    print(f"total:                  {done - start:6.2f} s   (target < 2 s)")


if __name__ == "__main__":
    main()
