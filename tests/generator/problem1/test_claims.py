"""Tests of :mod:`generator.problem1.claims`: ``run`` records passing claims and writes both figures."""

from __future__ import annotations

import time

from generator import problem1 as p1


def test_run_claims_pass_and_figures_exist(tmp_path):
    started = time.process_time()
    led = p1.run(tmp_path)
    # The budget is 1 s of CPU per generator; twice that catches a regression without flakiness.
    assert time.process_time() - started < 2.0
    failed = [(c.name, c.value, c.check.text) for c in led.claims if not c.passed]
    assert not failed
    assert {f.file for f in led.figures} == {"p1_descent.pdf", "p1_pl.pdf"}
    assert all((tmp_path / f.file).stat().st_size > 0 for f in led.figures)
