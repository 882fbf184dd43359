"""Tests of :mod:`generator.problem4.claims`: the claims and figures of ``run`` and the template that
cites them.

The ledger is the session's fresh run of the generator (``tests/conftest.py``), which
``tests/generator/test_claims.py`` also asserts claim by claim, so the generator runs once per session.
The figures themselves are checked by the build, which includes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import GeneratorRaised, fresh_ledger

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "problem4.tex"


@pytest.fixture(scope="module")
def ledger():
    led = fresh_ledger(4)
    if isinstance(led, GeneratorRaised):
        pytest.fail(f"the generator of problem 4 raised {led.summary}")
    return led


def test_run_claims_all_pass(ledger):
    assert len(ledger.claims) >= 4
    failed = [(c.name, c.value, c.check.text) for c in ledger.claims if not c.passed]
    assert not failed


def test_run_records_both_figures_with_their_functions(ledger):
    assert {(f.file, f.source.rsplit(".", 1)[-1]) for f in ledger.figures} == {
        ("p4_flows.pdf", "plot_flows"), ("p4_landscape.pdf", "plot_landscape")}


def test_template_cites_exactly_the_claims(ledger):
    text = TEMPLATE.read_text()
    cited = set(re.findall(r"\\VAR\{c\.(p4_[a-z0-9_]+)\}", text))
    defined = {c.name for c in ledger.claims}
    assert cited == defined
    parameters = set(re.findall(r"\\VAR\{p\.(p4_[a-z0-9_]+)\}", text))
    assert parameters <= {p.name for p in ledger.parameters}
    figures = set(re.findall(r"\\VAR\{f\.(p4_[a-z0-9_]+)\.", text))
    assert figures == {f.name for f in ledger.figures}
