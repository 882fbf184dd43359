"""Tests of Problem 3: the rank-deficient ball, the rank test, counts, bounds and exact probabilities."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from generator import problem3 as P


def _max_ratio_in_ball(X, draws=300, seed=0, shrink=1.0):
    """Largest s_min/s_max of ReLU(W'X) for W' drawn in the ball (radii up to shrink * r)."""
    rng = np.random.default_rng(seed)
    W, r = P.rank_deficient_ball(X)
    E = rng.standard_normal((draws, *W.shape))
    radii = shrink * r * np.sqrt(rng.random(draws))
    radii[: draws // 4] = shrink * r * (1 - 1e-9)  # close to the boundary
    E *= (radii / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
    return float(np.max(P.singular_value_ratios(np.maximum((W + E) @ np.asarray(X, float), 0.0))))


# --------------------------------------------------------------------------
# rank_deficient_ball

BALL_CASES = {
    "skew triangle": P.skew_triangle(),
    "regular triangle": P.regular_triangle(),
    "d0=1 opposite signs": [[1.0, -1.0]],
    "d0=1 one sign": [[0.5, 2.0, 3.0]],
    "antipodal pairs x, -x": np.hstack([np.eye(3), -np.eye(3), [[1.0], [2.0], [3.0]]]),
    "repeated and parallel columns": [[1.0, 1.0, 2.0, -1.0], [2.0, 2.0, 4.0, -2.0]],
    "zero column": [[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]],
    "X = 0": np.zeros((2, 4)),
    "integer dtype": np.array([[1, 0, -1], [0, 1, -1]]),
    "d0 = m - 1": np.random.default_rng(3).standard_normal((5, 6)),
    "badly scaled": np.random.default_rng(4).standard_normal((2, 7)) * [[1e-8], [1e8]],
    "nearly parallel columns": [[1.0, 1.0, 0.0], [0.0, 1e-9, 1.0]],
    "entries near the overflow limit": [[1e300, -1e300, 0.0], [0.0, 1e300, -1e-300]],
}


@pytest.mark.parametrize("X", BALL_CASES.values(), ids=BALL_CASES.keys())
def test_every_matrix_in_the_ball_is_rank_deficient(X):
    X = np.asarray(X, dtype=float)
    W, r = P.rank_deficient_ball(X)
    assert W.shape == (X.shape[1], X.shape[0])
    assert np.isfinite(r) and r > 0
    assert _max_ratio_in_ball(X) <= P.RANK_RTOL / 100


@pytest.mark.parametrize("X", BALL_CASES.values(), ids=BALL_CASES.keys())
def test_ball_rows_share_one_active_set(X):
    X = np.asarray(X, dtype=float)
    W, r = P.rank_deficient_ball(X)
    rng = np.random.default_rng(1)
    E = rng.standard_normal((200, *W.shape))
    E *= (0.999 * r / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
    active = (W + E) @ X > 0
    assert np.all(active == active[:, :1, :])
    # the exact distance to the walls: no column changes sign inside the ball
    nonzero = np.abs(X).max(axis=0) > 0
    if nonzero.any():
        scaled = X[:, nonzero] / np.abs(X[:, nonzero]).max(axis=0)
        distances = np.abs(W[0] @ scaled) / np.linalg.norm(scaled, axis=0)
        assert r <= distances.min()


def test_ball_radius_is_the_bisector_distance_for_the_skew_triangle():
    W, r = P.rank_deficient_ball(P.skew_triangle())
    assert np.allclose(np.abs(W), 1 / math.sqrt(2))
    assert 0 <= 1 / math.sqrt(2) - r <= 1e-12


def test_ball_is_deterministic():
    X = np.random.default_rng(5).standard_normal((3, 7))
    first, second = P.rank_deficient_ball(X), P.rank_deficient_ball(X)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]


@pytest.mark.parametrize(
    "X",
    [
        np.ones(3),
        np.ones((2, 2)),
        np.ones((3, 2)),
        np.ones((0, 3)),
        np.ones((2, 3, 1)),
        [[1.0, np.nan, 0.0]],
        [[1.0, np.inf, 0.0]],
        np.array([[1 + 1j, 0, 1]]),
        np.array([["a", "b", "c"]], dtype=object),
    ],
    ids=["1-D", "square", "d0>m", "empty", "3-D", "nan", "inf", "complex", "object"],
)
def test_ball_rejects_bad_input(X):
    with pytest.raises(ValueError):
        P.rank_deficient_ball(X)


# --------------------------------------------------------------------------
# the rank test and singular_fraction


def test_relu_is_always_singular_on_scalar_data_with_three_points():
    X = np.random.default_rng(0).standard_normal((1, 5))
    assert P.singular_fraction(X, "relu", 2000, np.random.default_rng(1)) == 1.0


def test_zero_column_makes_relu_always_singular():
    X = np.array([[0.0, 1.0, 2.0, -1.0], [0.0, 3.0, -1.0, 1.0], [0.0, 1.0, 1.0, 1.0]])
    assert P.singular_fraction(X, "relu", 2000, 2) == 1.0


def test_antipodal_pairs_beyond_the_dimension_make_relu_always_singular():
    Z = np.random.default_rng(0).standard_normal((2, 3))
    assert P.singular_fraction(np.hstack([Z, -Z]), "relu", 2000, 3) == 1.0


def test_two_antipodal_pairs_make_the_sigmoid_always_singular():
    Z = np.random.default_rng(0).standard_normal((3, 2))
    assert P.singular_fraction(np.hstack([Z, -Z]), "sigmoid", 2000, 4) == 1.0


def test_sigmoid_is_never_singular_on_generic_data():
    X = np.random.default_rng(0).standard_normal((3, 5))
    assert P.singular_fraction(X, "sigmoid", 5000, 5) == 0.0


def test_singular_fraction_is_reproducible_and_accepts_a_generator():
    X = np.random.default_rng(0).standard_normal((2, 4))
    a = P.singular_fraction(X, "relu", 3000, np.random.default_rng(7))
    b = P.singular_fraction(X, "relu", 3000, 7)
    assert a == b and 0 < a < 1


def test_chunking_does_not_change_the_draws():
    X = np.random.default_rng(0).standard_normal((2, 4))
    whole = P.sampled_ratios(X, "relu", 1000, np.random.default_rng(3), chunk=1000)
    pieces = P.sampled_ratios(X, "relu", 1000, np.random.default_rng(3), chunk=300)
    assert np.array_equal(whole, pieces)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activation": "tanh", "samples": 10, "rng": 0},
        {"activation": "relu", "samples": 0, "rng": 0},
        {"activation": "relu", "samples": 2.5, "rng": 0},
        {"activation": "relu", "samples": True, "rng": 0},
        {"activation": "relu", "samples": 10, "rng": None},
        {"activation": "relu", "samples": 10, "rng": "seed"},
    ],
)
def test_singular_fraction_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        P.singular_fraction(np.ones((1, 3)), **kwargs)


def test_singular_value_ratio_of_zero_and_identity():
    F = np.stack([np.zeros((3, 3)), np.eye(3), np.diag([1.0, 1.0, 0.0])])
    assert np.array_equal(P.singular_value_ratios(F), [0.0, 1.0, 0.0])


# --------------------------------------------------------------------------
# the rank lemma


def test_active_set_bound_dominates_the_rank():
    rng = np.random.default_rng(0)
    for d0, m in [(1, 3), (2, 3), (2, 6), (3, 5), (4, 6)]:
        X = rng.standard_normal((d0, m))
        for _ in range(100):
            W = rng.standard_normal((m, d0))
            F = np.maximum(W @ X, 0.0)
            s = np.linalg.svd(F, compute_uv=False)
            rank = int(np.sum(s > P.RANK_RTOL * s[0])) if s[0] > 0 else 0
            assert rank <= P.active_set_rank_bound(X, W) <= m


def test_active_set_bound_table():
    X0 = P.skew_triangle()
    assert P.active_set_rank_bound(X0, P.full_rank_example()) == 3
    assert P.active_set_rank_bound(X0, np.ones((3, 2))) == 2  # one cell with S = {1, 2}
    assert P.active_set_rank_bound(X0, -np.array([[1.0, 0.1]] * 3)) == 1  # all in A_3: rank X_{3} = 1
    with pytest.raises(ValueError):
        P.active_set_rank_bound(X0, np.ones((3, 3)))


def test_full_rank_example_is_full_rank_while_g_is_not():
    G = P.full_rank_example() @ P.skew_triangle()
    assert np.allclose(np.maximum(G, 0), np.diag([1.0, 1.0, 2.0]))
    assert np.linalg.matrix_rank(G) == 2


# --------------------------------------------------------------------------
# counting cells and the lower bound


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


def test_generic_sign_patterns_match_the_count_in_three_dimensions():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 5))
    patterns = {tuple(row) for row in rng.standard_normal((200_000, 3)) @ X > 0}
    assert len(patterns) == P.cell_count_bound(5, 3)


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
    assert P.singular_probability_lower_bound(1, 2) == Fraction(1, 2)
    assert P.singular_probability_lower_bound(1, 5) == 1
    for d0, m in [(2, 3), (2, 6), (3, 8), (5, 8), (7, 8)]:
        cells = P.cell_count_bound(m, d0)
        assert P.singular_probability_lower_bound(d0, m) >= Fraction(1, cells ** (m - 1))
    assert P.singular_probability_lower_bound(7, 8) == Fraction(1, 254**7)
    with pytest.raises(ValueError):
        P.singular_probability_lower_bound(3, 3)


# --------------------------------------------------------------------------
# exact probabilities


def test_line_probabilities():
    assert P.line_singular_probability([[1.0, -2.0]]) == Fraction(1, 2)
    assert P.line_singular_probability([[1.0, 2.0]]) == 1
    assert P.line_singular_probability([[0.0, -2.0]]) == 1
    assert P.line_singular_probability([[1.0, -2.0, 3.0]]) == 1
    with pytest.raises(ValueError):
        P.line_singular_probability(np.ones((2, 3)))


def test_triangle_formula_at_the_worked_examples():
    assert math.isclose(P.triangle_singular_probability(P.skew_triangle()), 53 / 128, abs_tol=1e-14)
    assert math.isclose(P.triangle_singular_probability(P.regular_triangle()), 29 / 72, abs_tol=1e-14)
    # invariant under scaling the columns and rotating the plane
    angle = 0.7
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    moved = rotation @ P.skew_triangle() * [3.0, 0.5, 2.0]
    assert math.isclose(P.triangle_singular_probability(moved), 53 / 128, abs_tol=1e-12)


@pytest.mark.parametrize(
    "X",
    [[[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], [[1.0, 2.0, -1.0], [0.0, 0.0, 0.0]], [[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]]],
    ids=["half-plane", "parallel", "two antipodal"],
)
def test_triangle_formula_rejects_other_configurations(X):
    with pytest.raises(ValueError):
        P.triangle_singular_probability(X)


@pytest.mark.parametrize("seed", range(4))
def test_enumeration_matches_the_triangle_formula(seed):
    rng = np.random.default_rng(seed)
    while True:
        X = rng.standard_normal((2, 3))
        try:
            expected = P.triangle_singular_probability(X)
            break
        except ValueError:
            continue
    assert math.isclose(P.exact_singular_probability_planar(X, seed), expected, abs_tol=1e-12)


def test_enumeration_for_data_with_always_singular_features():
    Z = np.random.default_rng(0).standard_normal((2, 3))
    assert math.isclose(P.exact_singular_probability_planar(np.hstack([Z, -Z]), 0), 1.0)
    assert math.isclose(P.exact_singular_probability_planar([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], 0), 1.0)


def test_enumeration_agrees_with_monte_carlo_on_four_points():
    X = np.random.default_rng(11).standard_normal((2, 4))
    exact = P.exact_singular_probability_planar(X, 0)
    samples = 40_000
    frequency = P.singular_fraction(X, "relu", samples, 1)
    assert abs(frequency - exact) <= 4 * P.standard_error(exact, samples)
    assert exact >= float(P.singular_probability_lower_bound(2, 4))


def test_planar_cells_merge_parallel_columns():
    probabilities, active, _ = P.planar_cells([[1.0, 2.0, -1.0, 0.0], [1.0, 2.0, -1.0, 1.0]])
    assert len(probabilities) == 4  # two distinct lines
    assert math.isclose(probabilities.sum(), 1.0)
    assert not active[:, [0, 1, 2]].all(axis=1).any()  # x and -x never active together


# --------------------------------------------------------------------------
# data families


def test_data_families():
    rng = np.random.default_rng(0)
    assert np.all(P.data_family("halfspace", 3, 6, rng)[0] >= 0)
    X = P.data_family("antipodal", 2, 6, rng)
    assert np.array_equal(X[:, 3:], -X[:, :3])
    with pytest.raises(ValueError):
        P.data_family("antipodal", 2, 5, rng)
    with pytest.raises(ValueError):
        P.data_family("uniform", 2, 5, rng)
