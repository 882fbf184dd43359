"""Tests of :mod:`generator.problem3.lower_bound`: counting cells and the lower bound for every ``X``."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from generator import problem3 as P


@pytest.mark.parametrize(
    ("hyperplanes", "d0", "expected"),
    [(0, 3, 1), (1, 1, 2), (5, 1, 2), (3, 2, 6), (6, 2, 12), (3, 3, 8), (2, 5, 4), (4, 3, 14), (8, 7, 254)],
)
def test_cell_count_bound_table(hyperplanes, d0, expected):
    assert P.cell_count_bound(hyperplanes, d0) == expected


def test_cell_count_bound_is_attained_by_generic_planar_data():
    for m in range(3, 8):
        X = np.random.default_rng(m).standard_normal((2, m))
        probabilities, active, _ = P.planar_cells(X)
        assert len(probabilities) == P.cell_count_bound(m, 2)
        assert math.isclose(probabilities.sum(), 1.0)
        # antipodal cells: active sets are complementary
        assert len({tuple(a) for a in active}) == len(active)
        for row in active:
            assert any(np.array_equal(row, ~other) for other in active)


def _overflow_brute_force(balls, probabilities, capacity):
    total = Fraction(0)
    for assignment in itertools.product(range(len(probabilities)), repeat=balls):
        loads = np.bincount(assignment, minlength=len(probabilities))
        if loads.max() > capacity:
            total += math.prod(probabilities[b] for b in assignment)
    return total


@pytest.mark.parametrize(("balls", "bins", "capacity"), [(3, 6, 2), (2, 2, 1), (4, 3, 1), (4, 5, 2), (5, 2, 3), (3, 4, 3)])
def test_uniform_overflow_matches_brute_force(balls, bins, capacity):
    expected = _overflow_brute_force(balls, [Fraction(1, bins)] * bins, capacity)
    assert P.uniform_overflow_probability(balls, bins, capacity) == expected


def test_uniform_overflow_special_values():
    assert P.uniform_overflow_probability(3, 6, 2) == Fraction(1, 36)
    assert P.uniform_overflow_probability(4, 9, 4) == 0
    assert P.uniform_overflow_probability(3, 1, 2) == 1
    with pytest.raises(ValueError):
        P.uniform_overflow_probability(3, 0, 2)


@pytest.mark.parametrize("seed", range(6))
def test_equal_bins_minimise_overflow(seed):
    """The balls-in-bins lemma, checked exactly on random probability vectors."""
    rng = np.random.default_rng(seed)
    bins, balls, capacity = int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(1, 3))
    weights = [Fraction(int(k)) for k in rng.integers(0, 6, size=bins)]
    weights[0] += 1
    probabilities = [w / sum(weights) for w in weights]
    assert _overflow_brute_force(balls, probabilities, capacity) >= P.uniform_overflow_probability(
        balls, bins, capacity
    )


def test_lower_bound_is_exact_for_scalar_data_and_dominates_the_crude_bound():
    """``p(d0, m) >= N^{-d0}``: the first ``d0 + 1`` balls in one bin; equality when ``d0 = m - 1``."""
    assert P.singular_probability_lower_bound(1, 2) == Fraction(1, 2)
    assert P.singular_probability_lower_bound(1, 5) == 1
    for d0, m in [(2, 3), (2, 6), (3, 8), (5, 8), (7, 8)]:
        cells = P.cell_count_bound(m, d0)
        assert P.singular_probability_lower_bound(d0, m) >= Fraction(1, cells**d0) >= Fraction(1, cells ** (m - 1))
    assert P.singular_probability_lower_bound(7, 8) == Fraction(1, 254**7)
    with pytest.raises(ValueError):
        P.singular_probability_lower_bound(3, 3)
