"""Tests of :mod:`generator.problem4.claims`: the claims and figures of ``run`` and the template that
cites them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import problem4 as p4

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "problem4.tex"


@pytest.fixture(scope="module")
def figures_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(scope="module")
def ledger(figures_dir):
    return p4.run(figures_dir)


def test_run_claims_all_pass(ledger):
    assert len(ledger.claims) >= 4
    failed = [(c.name, c.value, c.check.text) for c in ledger.claims if not c.passed]
    assert not failed


def test_run_writes_every_figure(ledger, figures_dir):
    names = {f.file for f in ledger.figures}
    assert names == {"p4_flows.pdf", "p4_landscape.pdf"}
    for name in names:
        assert (figures_dir / name).read_bytes().startswith(b"%PDF")


def test_template_cites_exactly_the_claims(ledger):
    text = TEMPLATE.read_text()
    cited = set(re.findall(r"\\VAR\{c\.(p4_[a-z0-9_]+)\}", text))
    defined = {c.name for c in ledger.claims}
    assert cited == defined
    parameters = set(re.findall(r"\\VAR\{p\.(p4_[a-z0-9_]+)\}", text))
    assert parameters <= {p.name for p in ledger.parameters}
    figures = set(re.findall(r"\\VAR\{f\.(p4_[a-z0-9_]+)\.", text))
    assert figures == {f.name for f in ledger.figures}
