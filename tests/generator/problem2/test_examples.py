"""Tests of Problem 2's test matrices."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from generator.problem2.examples import example_unitaries

UNITARIES = example_unitaries(np.random.default_rng(1))


def test_schur_returns_both_forms_of_a_minus_one_pair():
    """The test set exercises 1x1 and 2x2 Schur blocks for eigenvalues -1."""
    T, _ = scipy.linalg.schur(UNITARIES["minus_one_conjugated"], output="real")
    assert np.sum(np.isclose(np.diag(T), -1.0) & np.append(np.diag(T, -1) == 0, True)) >= 2
    T, _ = scipy.linalg.schur(UNITARIES["rounded_pi_block"], output="real")
    assert T[1, 0] != 0 and T[0, 0] == pytest.approx(-1.0)
