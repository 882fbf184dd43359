"""Step 2: evaluate every claim's check, and read its printed text back; stop on a failure.

A claim fails when its value does not satisfy its check, or when the text the
PDF prints misstates the value (:mod:`pipeline.printed`): the build names the
claim and its value either way.

The ledger is not written beside the PDFs here: ``solutions/claims.json`` is
replaced only together with the PDFs it describes (:mod:`pipeline.pdf`).  A
ledger with a failing claim is written to ``build/claims-failed.json``.
"""

from __future__ import annotations

import json
import time

from generator.ledger import Ledger
from pipeline import cache
from pipeline.errors import EXIT_CLAIM, BuildError
from pipeline.printed import dishonest_text
from pipeline.progress import Progress
from pipeline.project import Project


def claims_json(ledgers: list[Ledger]) -> str:
    """Every claim, one per line: readable, and fast to produce (json's C encoder
    is used only without indentation), since every build compares it."""
    rows = ",\n".join(f"  {json.dumps(c.to_json())}" for led in ledgers for c in led.claims)
    return f'{{"claims": [\n{rows}\n]}}\n'


def check_claims(project: Project, ledgers: list[Ledger], progress: Progress) -> str:
    """Evaluate every check; return the ledger's JSON text, or raise naming the failures."""
    started = time.perf_counter()
    claims = [c for led in ledgers for c in led.claims]
    names = [c.name for c in claims]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BuildError(f"claim names defined twice: {', '.join(duplicates)}", EXIT_CLAIM)
    text = claims_json(ledgers)
    failed = [c for c in claims if not c.passed]
    misprinted = [(c, dishonest_text(c.value, c.text, c.rounding, c.resolution)) for c in claims]
    misprinted = [(c, why) for c, why in misprinted if why]
    if failed or misprinted:
        cache.write_atomic(project.failed_claims_json, text)
        lines = [
            f"claim {c.name} (problem {c.problem}) failed: value {c.value!r} does not satisfy "
            f"'{c.check.text}' (computed by {c.source})"
            for c in failed
        ]
        lines += [f"claim {c.name} (problem {c.problem}) is misprinted: it {why}" for c, why in misprinted]
        lines.append(f"(every claim with its value: {project.relative(project.failed_claims_json)})")
        raise BuildError("\n".join(lines), EXIT_CLAIM)
    project.failed_claims_json.unlink(missing_ok=True)
    progress.step("claims", f"{len(claims)} checks passed", time.perf_counter() - started)
    return text
