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


def test_planar_sectors_from_the_lines():
    # Two orthogonal lines: four quarter-planes, each with its own active set.
    sectors = R.planar_sectors_reference(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert sorted(angle for angle, _ in sectors) == pytest.approx([math.pi / 2] * 4)
    assert len({pattern for _, pattern in sectors}) == 4
    # One line: two half-planes; parallel columns give one line; X = 0 gives the whole plane.
    assert [a for a, _ in R.planar_sectors_reference(np.array([[1.0, 2.0], [1.0, 2.0]]))] == [math.pi] * 2
    assert R.planar_sectors_reference(np.zeros((2, 3))) == [(2 * math.pi, (False,) * 3)]
    # The narrowest sector lies between the lines of the columns (5, 4) and (4, 3): angle atan(1 / 32).
    X = np.array([[5.0, 4.0, 0.0], [4.0, 3.0, 1.0]])
    angles = sorted(a for a, _ in R.planar_sectors_reference(X))
    assert angles[0] == pytest.approx(math.atan2(1, 5 * 4 + 4 * 3))
    assert sum(angles) == pytest.approx(2 * math.pi)


def test_enumerated_probability_reference_matches_the_enumeration():
    from generator.problem3.planar import exact_singular_probability_planar, planar_deficiency_table

    X = np.array([[2.0, -1.0, 1.0, 0.0], [1.0, 3.0, -4.0, 1.0]])
    table = planar_deficiency_table(X)
    reference = R.enumerated_probability_reference(X, table.active, table.multisets, table.deficient)
    assert reference == pytest.approx(float(exact_singular_probability_planar(X)), abs=1e-12)
    # Sectors that do not match the lines give NaN rather than a number.
    assert math.isnan(R.enumerated_probability_reference(X, table.active[:-1], table.multisets, table.deficient))


def test_z_score_and_distinct_multisets():
    assert R.z_score_reference(60, Fraction(1, 2), 100) == pytest.approx(2.0)
    assert R.z_score_reference(0, Fraction(0), 10) == 0.0 and R.z_score_reference(1, Fraction(0), 10) == math.inf
    active = np.zeros((4, 3, 2), dtype=bool)
    active[1, 0, 0] = True  # draw 1: one row with pattern (1, 0)
    active[2, 2, 0] = True  # draw 2: the same multiset in another row order
    active[3, 0, 1] = True  # draw 3: a new multiset
    assert R.distinct_multiset_count(active) == 3


def test_data_law_violations():
    rng = np.random.default_rng(1)
    for family in P.FAMILIES:
        for d0, m in ((1, 6), (2, 6), (3, 6)):
            assert not R.data_law_violation(family, P.data_family(family, d0, m, rng), P.ENTRY_BOUND)
    good = np.array([[1.0, 2.0, -1.0, -2.0], [3.0, -1.0, -3.0, 1.0]])
    assert not R.data_law_violation("antipodal", good, 5)
    assert R.data_law_violation("antipodal", good[:, [0, 1, 3, 2]], 5)  # not [X', -X']
    assert R.data_law_violation("halfspace", good, 5)  # first row not positive
    assert R.data_law_violation("general", good * 2, 5)  # entries beyond B
    assert R.data_law_violation("general", np.array([[1.0, 2.0, 0.0], [1.0, 2.0, 0.0]]), 5)  # parallel, zero
    assert R.data_law_violation("general", np.array([[1.0, -1.0, 2.0]]), 5)  # equal absolute values, d0 = 1
    assert R.data_law_violation("general", np.array([[0.5, 1.0], [1.0, 0.0]]), 5)  # not integer
