"""Tests of :mod:`generator.problem3.ball`: the rank lemma and the ball of rank-deficient ``W``."""

from __future__ import annotations

import math

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
    assert 0 <= 1 / math.sqrt(2) - r <= 1e-14


def test_ball_is_deterministic():
    X = np.random.default_rng(5).standard_normal((3, 7))
    first, second = P.rank_deficient_ball(X), P.rank_deficient_ball(X)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]


def test_ball_check_finds_every_perturbation_inside_the_cell():
    outside, worst, reach = P.ball_check(P.ball_suite(0), 50, 1)
    assert outside == 0
    assert worst <= P.RANK_RTOL / 100
    # Each W' at its own distance from the centre, uniform on [0, r): inside the ball, and not all deep inside.
    assert reach.size == 50 * len(P.ball_suite(0))
    assert np.all((0 <= reach) & (reach < 1))
    assert abs(np.mean(reach) - 0.5) < 5 / math.sqrt(12 * reach.size) and np.max(reach) > 0.99


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


def test_exact_ranks_never_exceed_the_active_set_bound():
    rng = np.random.default_rng(0)
    for d0, m in [(1, 3), (2, 3), (2, 6), (3, 5), (4, 6), (4, 8)]:
        X = P.data_family("general", d0, m, rng)
        W = rng.integers(-5, 6, size=(200, m, d0)).astype(float)
        ranks = P.exact_relu_ranks(X, W)
        bounds = P.active_set_rank_bounds(X, W)
        assert np.all(ranks <= bounds) and np.all(bounds <= m)
        assert P.active_set_rank_bound(X, W[0]) == bounds[0]
        assert np.array_equal(ranks, np.linalg.matrix_rank(np.maximum(W @ X, 0.0)))
    with pytest.raises(ValueError):
        P.exact_relu_ranks(X, W + 0.5)
    with pytest.raises(ValueError):
        P.exact_relu_ranks(X, W[0])


def test_active_set_bound_table():
    X0 = P.skew_triangle()
    assert P.active_set_rank_bound(X0, P.full_rank_example()) == 3
    assert P.active_set_rank_bound(X0, np.ones((3, 2))) == 2  # one cell with S = {1, 2}
    assert P.active_set_rank_bound(X0, -np.array([[1.0, 0.1]] * 3)) == 1  # all in A_3: rank X_{3} = 1
    with pytest.raises(ValueError):
        P.active_set_rank_bound(X0, np.ones((3, 3)))


def test_ball_check_directions_follow_the_sphere_law():
    """The sums of the entries of the unit directions: mean 0 and second moment 1 (uniform on the sphere)."""
    *_, sums, sizes = P.ball_check(P.ball_suite(0), 200, 3, return_directions=True)
    assert sums.shape == sizes.shape and np.all(sizes >= 2)
    assert abs(np.mean(sums)) <= 4 / np.sqrt(sums.size)
    assert abs(np.mean(sums**2) - 1) <= 4 * np.sqrt(2 / sums.size)
