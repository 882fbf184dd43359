"""How many pages each problem takes in a compiled edition (run it: ``python tests/page_budget.py``).

The main document writes the position of the start of each problem, of the
references and of the end to ``<edition>.pos`` (``\\markposition``: name, absolute
page, height in sp); the length of a part is the page difference plus the
fraction of the text height between the two positions.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_HEIGHT_SP = (297 - 25 - 28) * 72.27 / 25.4 * 65536  # A4 less the geometry margins, in TeX's sp
POSITION = re.compile(r"^([\w-]+) (\d+) (-?\d+)$", re.MULTILINE)
PARTS = ("problem1", "problem2", "problem3", "problem4", "references")


def part_pages(marks_file: Path) -> dict[str, float]:
    """Pages of each problem and of the references, from an edition's ``.pos``."""
    positions = {name: (int(page), int(y)) for name, page, y in POSITION.findall(marks_file.read_text())}
    marks = [f"start-{part}" for part in PARTS] + ["end-document"]
    pages = {}
    for part, start, end in zip(PARTS, marks, marks[1:]):
        (page_a, y_a), (page_b, y_b) = positions[start], positions[end]
        pages[part] = (page_b - page_a) + (y_a - y_b) / TEXT_HEIGHT_SP
    return pages


def main() -> int:
    marks_file = ROOT / "build" / "latex" / (sys.argv[1] if len(sys.argv) > 1 else "solutions.pos")
    for part, pages in part_pages(marks_file).items():
        print(f"{part:<10} {pages:5.2f} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
