"""Step 2: evaluate every claim's check; write ``claims.json``; stop on a failure."""

from __future__ import annotations

import json
import time

from generator.ledger import Ledger
from pipeline import cache
from pipeline.errors import EXIT_CLAIM, BuildError
from pipeline.progress import Progress
from pipeline.project import Project


def check_claims(project: Project, ledgers: list[Ledger], progress: Progress) -> None:
    """Evaluate every check, write claims.json, stop on the first failures."""
    started = time.perf_counter()
    claims = [c for led in ledgers for c in led.claims]
    names = [c.name for c in claims]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BuildError(f"claim names defined twice: {', '.join(duplicates)}", EXIT_CLAIM)
    # One claim per line: readable, and fast to produce (json's C encoder is
    # used only without indentation), since every build compares it.
    rows = ",\n".join(f"  {json.dumps(c.to_json())}" for c in claims)
    cache.write_if_changed(project.claims_json, f'{{"claims": [\n{rows}\n]}}\n')
    failed = [c for c in claims if not c.passed]
    if failed:
        lines = [
            f"claim {c.name} (problem {c.problem}) failed: value {c.value!r} does not satisfy "
            f"'{c.check.text}' (computed by {c.source})"
            for c in failed
        ]
        raise BuildError("\n".join(lines), EXIT_CLAIM)
    progress.step("claims", f"{len(claims)} checks passed", time.perf_counter() - started)
