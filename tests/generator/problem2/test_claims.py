"""Tests of Problem 2's entry point: every claim passes and the template cites exactly them."""

from __future__ import annotations

import re
from pathlib import Path

from generator.problem2.claims import run

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "problem2.tex"


def test_run_claims_pass_and_match_the_template(tmp_path):
    ledger = run(tmp_path)
    names = {c.name for c in ledger.claims}
    assert len(names) >= 4
    assert all(c.passed for c in ledger.claims), [c.name for c in ledger.claims if not c.passed]
    assert all((tmp_path / f.file).is_file() for f in ledger.figures)
    if TEMPLATE.is_file():
        text = TEMPLATE.read_text()
        cited = set(re.findall(r"\\VAR\{c\.(p2_[a-z0-9_]+)\}", text))
        assert cited == names
        parameters = set(re.findall(r"\\VAR\{p\.(p2_[a-z0-9_]+)\}", text))
        assert parameters <= {p.name for p in ledger.parameters}
        figures = set(re.findall(r"\\VAR\{f\.(p2_[a-z0-9_]+)\.", text))
        assert figures == {f.name for f in ledger.figures}
