"""Tests of :mod:`generator.problem3.references`, the independent references of the claims."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

from generator import problem3 as P
from generator.problem3 import references as R


def _cells_by_linear_programmes(X) -> int:
    """Sign vectors ``s`` with ``{w : s_j w^T x_j > 0}`` nonempty: maximise the smallest margin in a box."""
    d0, m = X.shape
    count = 0
    for signs in itertools.product((-1.0, 1.0), repeat=m):
        constraints = np.hstack([-(np.array(signs)[:, None] * X.T), np.ones((m, 1))])
        result = linprog(np.r_[np.zeros(d0), -1.0], A_ub=constraints, b_ub=np.zeros(m),
                         bounds=[(-1, 1)] * d0 + [(None, 1)], method="highs")
        count += result.status == 0 and -result.fun > 1e-9
    return count


@pytest.mark.parametrize(("d0", "m"), [(1, 4), (2, 4), (3, 4), (3, 5)])
def test_cells_listed_at_rays_are_the_feasible_sign_vectors(d0, m):
    X = np.random.default_rng(10 * d0 + m).standard_normal((d0, m))
    assert R.cell_count_by_rays(X) == _cells_by_linear_programmes(X) == P.cell_count_bound(m, d0)


def test_cells_at_rays_refuse_data_out_of_general_position():
    with pytest.raises(ValueError):
        R.cell_count_by_rays(np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0]]))


@pytest.mark.parametrize(("balls", "bins", "capacity"), [(3, 6, 2), (4, 3, 1), (5, 2, 3), (6, 4, 2), (4, 1, 4)])
def test_overflow_by_profiles_matches_listing_every_assignment(balls, bins, capacity):
    overflowing = sum(np.bincount(a, minlength=bins).max() > capacity
                      for a in itertools.product(range(bins), repeat=balls))
    assert R.overflow_probability_by_partitions(balls, bins, capacity) == Fraction(overflowing, bins**balls)


def test_exact_directions_and_turns():
    assert R.exact_direction([0.0, 1.0]) == Fraction(1, 4)
    assert R.exact_direction([-1.0, -1.0]) == Fraction(5, 8)
    assert R.exact_turn(np.array([1.0, 0.0]), np.array([-1.0, 1.0])) == Fraction(3, 8)
    with pytest.raises(ValueError):
        R.exact_direction([2.0, 1.0])


@pytest.mark.parametrize("seed", range(12))
def test_brute_force_matches_the_enumeration_at_multiples_of_45_degrees(seed):
    rng = np.random.default_rng(seed)
    directions = np.array([[1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]], dtype=float)
    X = directions[rng.integers(0, 8, size=3)].T * rng.integers(1, 3, size=3)
    singular, full = R.brute_force_singular_probability(X, R.planar_cells_exact(X))
    assert singular + full == 1
    assert math.isclose(float(singular), P.exact_singular_probability_planar(X), abs_tol=1e-12)
    assert singular == P.three_point_singular_probability(X, turn=R.exact_turn)


def test_identically_singular_sees_the_rank_bound_and_a_full_rank_product():
    X0 = P.skew_triangle()
    assert R.identically_singular(X0, [(True, True, False)] * 3)            # all rows in one cell
    assert not R.identically_singular(X0, [(True, False, False), (False, True, False), (False, False, True)])


def test_ball_probes_find_an_overstated_and_an_understated_radius():
    X = P.skew_triangle()
    W, radius = P.rank_deficient_ball(X)
    assert R.ball_boundary_probes(X, W, radius, 1e-6) == (True, True)
    assert R.ball_boundary_probes(X, W, 1.5 * radius, 1e-6) == (False, True)
    assert R.ball_boundary_probes(X, W, 0.5 * radius, 1e-6) == (True, False)
    assert math.isclose(np.min(R.exact_hyperplane_distances(W[0], X)), 1 / math.sqrt(2), rel_tol=1e-15)
