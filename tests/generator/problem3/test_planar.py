"""Tests of :mod:`generator.problem3.planar`: exact probabilities for ``d0 = 1`` and ``d0 = 2``."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from generator import problem3 as P


def test_line_probabilities():
    assert P.line_singular_probability([[1.0, -2.0]]) == Fraction(1, 2)
    assert P.line_singular_probability([[1.0, 2.0]]) == 1
    assert P.line_singular_probability([[0.0, -2.0]]) == 1
    assert P.line_singular_probability([[1.0, -2.0, 3.0]]) == 1
    with pytest.raises(ValueError):
        P.line_singular_probability(np.ones((2, 3)))


THREE_POINT_EXAMPLES = [
    (P.skew_triangle(), Fraction(53, 128)),
    (P.regular_triangle(), Fraction(29, 72)),
    (P.halfplane_triangle(), Fraction(43, 64)),
    (P.pair_triangle(), Fraction(7, 16)),
    ([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], Fraction(1)),     # x, y, x: equal columns
    ([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]], Fraction(1)),     # x, y, 2x
    ([[0.0, 1.0, -1.0], [0.0, 2.0, 5.0]], Fraction(1)),    # a zero column
]


@pytest.mark.parametrize(("X", "expected"), THREE_POINT_EXAMPLES)
def test_three_point_formulas_at_the_worked_examples(X, expected):
    assert math.isclose(P.three_point_singular_probability(X), float(expected), abs_tol=1e-14)
    assert math.isclose(P.exact_singular_probability_planar(X), float(expected), abs_tol=1e-14)


def test_three_point_formula_is_invariant_under_scaling_columns_and_rotating():
    angle = 0.7
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    for X, expected in THREE_POINT_EXAMPLES[:4]:
        moved = rotation @ np.asarray(X) * [3.0, 0.5, 2.0]
        assert math.isclose(P.three_point_singular_probability(moved), float(expected), abs_tol=1e-12)


@pytest.mark.parametrize("seed", range(30))
def test_enumeration_matches_the_three_point_formulas(seed):
    """Every configuration type, drawn at random: small integers make pairs and parallels frequent."""
    X = np.random.default_rng(seed).integers(-2, 3, size=(2, 3)).astype(float)
    assert math.isclose(P.exact_singular_probability_planar(X), P.three_point_singular_probability(X),
                        abs_tol=1e-12)


def test_three_point_formula_rejects_other_shapes():
    with pytest.raises(ValueError):
        P.three_point_singular_probability(np.ones((2, 4)))


def test_enumeration_for_data_with_always_singular_features():
    Z = np.random.default_rng(0).standard_normal((2, 3))
    assert math.isclose(P.exact_singular_probability_planar(np.hstack([Z, -Z])), 1.0)
    assert math.isclose(P.exact_singular_probability_planar([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), 1.0)
    assert math.isclose(P.exact_singular_probability_planar(np.zeros((2, 4))), 1.0)


def test_planar_table_probabilities_sum_to_one():
    table = P.planar_deficiency_table(P.data_family("general", 2, 6, 0))
    assert math.isclose(table.weights.sum(), 1.0)
    assert len(table.multisets) == math.comb(len(table.probabilities) + 5, 6)
    with pytest.raises(ValueError):
        P.planar_deficiency_table(np.random.default_rng(0).standard_normal((2, 12)))


def test_enumeration_agrees_with_monte_carlo_on_four_points():
    X = P.data_family("general", 2, 4, 11)
    exact = P.exact_singular_probability_planar(X)
    samples = 20_000
    frequency = P.singular_fraction(X, "relu", samples, 1)
    assert abs(frequency - exact) <= 4 * P.standard_error(exact, samples)
    assert exact >= float(P.singular_probability_lower_bound(2, 4))


def test_planar_cells_merge_parallel_columns():
    probabilities, active, _ = P.planar_cells([[1.0, 2.0, -1.0, 0.0], [1.0, 2.0, -1.0, 1.0]])
    assert len(probabilities) == 4  # two distinct lines
    assert math.isclose(probabilities.sum(), 1.0)
    assert not active[:, [0, 1, 2]].all(axis=1).any()  # x and -x never active together


def test_planar_sectors_are_wide_for_small_integer_data():
    # Distinct lines of integer columns with entries at most B meet at an angle of at least arcsin(1/(2 B^2)).
    rng = np.random.default_rng(13)
    bound = math.asin(1 / (2 * P.ENTRY_BOUND**2))
    for _ in range(50):
        X = P.data_family("general", 2, 6, rng)
        probabilities, _, _ = P.planar_cells(X)
        assert 2 * math.pi * np.min(probabilities) >= bound
    # Near the extreme: columns (5, 4) and (4, 3) have determinant -1 and nearly the largest norms.
    X = np.array([[5.0, 4.0, 1.0], [4.0, 3.0, 0.0]])
    assert 2 * math.pi * np.min(P.planar_cells(X)[0]) >= bound
