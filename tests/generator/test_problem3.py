"""Tests of Problem 3: the rank-deficient ball, exact rank decisions, counts, bounds and exact probabilities."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from generator import problem3 as P
from generator.problem3.ranks import _rank_over_rationals


def _max_ratio_in_ball(X, draws=300, seed=0, shrink=1.0):
    """Largest s_min/s_max of ReLU(W'X) for W' drawn in the ball (radii up to shrink * r)."""
    rng = np.random.default_rng(seed)
    W, r = P.rank_deficient_ball(X)
    E = rng.standard_normal((draws, *W.shape))
    radii = shrink * r * np.sqrt(rng.random(draws))
    radii[: draws // 4] = shrink * r * (1 - 1e-9)  # close to the boundary
    E *= (radii / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
    return float(np.max(P.singular_value_ratios(np.maximum((W + E) @ np.asarray(X, float), 0.0))))


def _svd_deficient(X, W):
    """The floating-point verdict, for comparison with the exact one."""
    return P.singular_value_ratios(np.maximum(W @ np.asarray(X, float), 0.0)) <= P.RANK_RTOL


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
    assert 0 <= 1 / math.sqrt(2) - r <= 1e-14


def test_ball_is_deterministic():
    X = np.random.default_rng(5).standard_normal((3, 7))
    first, second = P.rank_deficient_ball(X), P.rank_deficient_ball(X)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]


def test_ball_check_finds_every_perturbation_inside_the_cell():
    outside, worst = P.ball_check(P.ball_suite(0), 50, 1)
    assert outside == 0
    assert worst <= P.RANK_RTOL / 100


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
# exact ranks


def test_exact_ranks_of_integer_matrices_match_numpy():
    rng = np.random.default_rng(0)
    for rows, columns in [(3, 3), (5, 4), (6, 6), (8, 8), (12, 6), (2, 7)]:
        A = rng.integers(-3, 4, size=(300, rows, columns)).astype(float)
        A[:30, :, 0] = 0
        A[30:60, 1] = 2 * A[30:60, 0]
        assert np.array_equal(P.exact_ranks(A), np.linalg.matrix_rank(A))


def test_exact_ranks_in_rational_arithmetic():
    # Non-integer entries take the rational path; the floats are read as the rationals they are.
    assert P.exact_ranks(P.regular_triangle().T)[0] == 2
    dependent = np.array([[0.5, 0.25, 0.75], [1.0, 1.0, 2.0], [1.5, 1.25, 2.75]])   # row 3 = row 1 + row 2
    assert P.exact_ranks(dependent)[0] == 2
    # 0.3 is not three times 0.1 as floating-point numbers: rank 2 exactly, though numpy sees rank 1
    nearly = np.array([[0.1, 1.0], [0.3, 3.0]])
    assert P.exact_ranks(nearly)[0] == 2 and np.linalg.matrix_rank(nearly) == 1


def test_the_primes_are_prime():
    divisors = np.arange(2, 46_341)   # 46341^2 > 2^31
    for prime in P.PRIMES:
        assert prime < 2**31 and np.all(prime % divisors != 0)
    assert len(set(P.PRIMES)) == len(P.PRIMES) and P.PRIME == 2**31 - 1


def test_exact_ranks_need_several_primes_for_large_minors():
    # det = p: singular modulo p = 2^31 - 1, rank 2 over the rationals
    assert P.exact_ranks(np.array([[float(P.PRIME), 0.0], [0.0, 1.0]]))[0] == 2
    rng = np.random.default_rng(1)
    A = rng.integers(-1000, 1001, size=(40, 5, 5)).astype(float)
    A[:10, 4] = A[:10, 0] - 7 * A[:10, 1]
    rational = [_rank_over_rationals(matrix) for matrix in A]
    assert np.array_equal(P.exact_ranks(A), rational)
    assert rational[:10] == [4] * 10 and rational[10:] == [5] * 30


def test_exact_ranks_handle_large_integers_exactly():
    # Entries beyond the Hadamard bound of the modular path take the rational path.
    big = 2.0**40
    A = np.array([[big, big + 1], [big - 1, big]])   # determinant 1
    assert P.exact_ranks(A)[0] == 2
    assert P.exact_ranks(np.array([[big, 2 * big], [3.0, 6.0]]))[0] == 1


def test_exact_ranks_reject_bad_input():
    with pytest.raises(ValueError):
        P.exact_ranks(np.ones((2, 2, 2, 2)))
    with pytest.raises(ValueError):
        P.exact_ranks([[1.0, np.nan]])


def test_exact_rank_of_the_example():
    G = P.full_rank_example() @ P.skew_triangle()
    assert np.allclose(np.maximum(G, 0), np.diag([1.0, 1.0, 2.0]))
    assert P.exact_ranks(G)[0] == 2
    assert P.exact_ranks(np.maximum(G, 0))[0] == 3


# --------------------------------------------------------------------------
# certified signs and the exact structural test


def test_certified_active_sets():
    X = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    active, certified = P.certified_active_sets(X, np.array([[[1.0, -1.0], [2.0, 1.0], [-1.0, 0.5]]]))
    assert not certified[0]  # (1, -1) is orthogonal to the first column: no sign
    assert np.array_equal(active[0, 1], [True, False, True])  # the zero column is never active
    _, certified = P.certified_active_sets(X, np.array([[[1.0, -0.5], [2.0, 1.0], [-1.0, 0.5]]]))
    assert certified[0]
    with pytest.raises(ValueError):
        P.certified_active_sets(X, np.ones((3, 3)))


def test_cell_multisets_ignore_the_order_of_the_rows():
    rng = np.random.default_rng(0)
    active = rng.random((50, 4, 4)) < 0.5
    shuffled = active[:, rng.permutation(4)]
    multisets, inverse = P.cell_multisets(np.concatenate([active, shuffled]))
    assert np.array_equal(inverse[:50], inverse[50:])
    assert np.all(np.diff(multisets, axis=1) >= 0)
    codes = active.astype(int) @ (1 << np.arange(4))
    assert np.array_equal(multisets[inverse[:50]], np.sort(codes, axis=1))
    with pytest.raises(ValueError):
        P.cell_multisets(np.ones((2, 3, 4), dtype=bool))


def _rado_by_row_subsets(X, codes):
    """Rado's criterion checked literally: dim sum_{i in I} V_i >= |I| for every set I of rows."""
    m = X.shape[1]
    blocks = [X * ((code >> np.arange(m)) & 1) for code in codes]
    subsets = [I for size in range(1, m + 1) for I in itertools.combinations(range(m), size)]
    ranks = P.exact_ranks(np.stack([np.vstack([blocks[i] for i in I] + [np.zeros((X.shape[0] * (m - len(I)), m))])
                                    for I in subsets]))
    return any(rank < len(I) for rank, I in zip(ranks, subsets))


@pytest.mark.parametrize(("d0", "m"), [(1, 3), (2, 4), (2, 5), (3, 5), (3, 6), (4, 6), (5, 6)])
def test_rado_test_matches_the_literal_criterion(d0, m):
    rng = np.random.default_rng(d0 * 10 + m)
    for family in P.FAMILIES if m % 2 == 0 else ("general", "halfspace"):
        X = P.data_family(family, d0, m, rng)
        # cells that occur, drawn with repetitions so that some multisets are singular
        active, _ = P.certified_active_sets(X, rng.standard_normal((40, m, d0)))
        cells = np.unique(active.reshape(-1, m).astype(int) @ (1 << np.arange(m)))
        multisets = rng.choice(cells, size=(60, m))
        decided = P.rado_singular(X, multisets)
        assert np.array_equal(decided, [_rado_by_row_subsets(X, codes) for codes in multisets])


def test_rado_test_handles_empty_and_repeated_active_sets():
    X = P.skew_triangle()
    full, first, second, third = 0b011, 0b001, 0b010, 0b100
    assert list(P.rado_singular(X, [[first, second, third],      # W_0: F = diag(1, 1, 2)
                                    [0, first, second],          # a zero row of F
                                    [full, full, third],         # two rows in one two-column cell: fine
                                    [full, full, full],          # three rows in it: rank 2
                                    [first, first, third]])) == [False, True, False, True, True]
    with pytest.raises(ValueError):
        P.rado_singular(X, [[0, 1]])
    with pytest.raises(ValueError):
        P.rado_singular(X, [[0, 1, 8]])
    with pytest.raises(ValueError):
        P.rado_singular(X, [0, 1, 2])
    with pytest.raises(ValueError):
        P.column_set_ranks(np.ones((2, P.RADO_MAX_M + 1)))


def test_rado_test_agrees_with_the_planar_enumeration_on_every_multiset():
    rng = np.random.default_rng(3)
    for X in [P.data_family("general", 2, 6, rng), P.data_family("halfspace", 2, 5, rng), P.regular_triangle(),
              P.halfplane_triangle(), P.pair_triangle(), np.array([[0.0, 1.0, 2.0, -1.0], [0.0, 3.0, -1.0, 4.0]])]:
        table = P.planar_deficiency_table(X)
        assert np.array_equal(P.rado_singular(X, P.table_multisets(table)), table.deficient)


def test_random_evaluation_agrees_with_rado_on_every_planar_multiset():
    rng = np.random.default_rng(4)
    for X in [P.data_family("general", 2, 6, rng), P.data_family("antipodal", 2, 6, rng),
              P.halfplane_triangle(), P.pair_triangle()]:
        table = P.planar_deficiency_table(X)
        assert np.array_equal(P.random_evaluation_singular(X, P.table_multisets(table), rng), table.deficient)


@pytest.mark.parametrize(("d0", "m"), [(1, 3), (2, 4), (2, 6), (3, 5), (4, 8), (5, 6), (7, 8)])
def test_exact_decisions_agree_with_random_evaluation_and_singular_values(d0, m):
    rng = np.random.default_rng(10 * d0 + m)
    for family in P.FAMILIES if m % 2 == 0 else ("general", "halfspace"):
        X = P.data_family(family, d0, m, rng)
        W = rng.standard_normal((400, m, d0))
        deficient, certified = P.relu_deficient(X, W)
        assert certified.all()
        assert np.array_equal(deficient, _svd_deficient(X, W))
        active, _ = P.certified_active_sets(X, W)
        multisets, inverse = P.cell_multisets(active)
        assert np.array_equal(P.random_evaluation_singular(X, multisets, rng)[inverse], deficient)


def test_exact_decisions_for_non_integer_data():
    rng = np.random.default_rng(2)
    for X in [P.regular_triangle(), rng.standard_normal((2, 5)), rng.standard_normal((3, 4))]:
        W = rng.standard_normal((300, X.shape[1], X.shape[0]))
        deficient, certified = P.relu_deficient(X, W)
        assert certified.all()
        assert np.array_equal(deficient, _svd_deficient(X, W))


def test_relu_deficient_rejects_bad_shapes():
    with pytest.raises(ValueError):
        P.relu_deficient(np.ones((2, 4)), np.ones((2, 3, 2)))
    with pytest.raises(ValueError):
        P.relu_deficient(np.ones((2, 4)), np.ones((4, 2)))


def test_schwartz_zippel_ready():
    assert P.schwartz_zippel_ready(P.skew_triangle())
    assert P.schwartz_zippel_ready(5 * np.ones((7, 8)))
    assert not P.schwartz_zippel_ready(P.regular_triangle())
    assert not P.schwartz_zippel_ready(6 * np.ones((3, 8)))   # (6 sqrt 8)^8 > p
    with pytest.raises(ValueError):
        P.random_evaluation_singular(P.regular_triangle(), [[1, 2, 4]], 0)


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


# --------------------------------------------------------------------------
# singular_fraction


def test_relu_is_always_singular_on_scalar_data_with_three_points():
    X = np.array([[3.0, -1.0, 2.0, -5.0, 4.0]])
    assert P.singular_fraction(X, "relu", 2000, np.random.default_rng(1)) == 1.0


def test_zero_column_makes_relu_always_singular():
    X = np.array([[0.0, 1.0, 2.0, -1.0], [0.0, 3.0, -1.0, 1.0], [0.0, 1.0, 1.0, 1.0]])
    assert P.singular_fraction(X, "relu", 2000, 2) == 1.0


def test_antipodal_pairs_beyond_the_dimension_make_relu_always_singular():
    X = P.data_family("antipodal", 2, 6, 0)
    assert P.singular_fraction(X, "relu", 2000, 3) == 1.0


def test_two_antipodal_pairs_make_the_sigmoid_always_singular():
    Z = np.random.default_rng(0).standard_normal((3, 2))
    assert P.singular_fraction(np.hstack([Z, -Z]), "sigmoid", 2000, 4) == 1.0


def test_sigmoid_is_never_singular_on_generic_data():
    X = np.random.default_rng(0).standard_normal((3, 5))
    assert P.singular_fraction(X, "sigmoid", 5000, 5) == 0.0


def test_singular_fraction_paths_agree():
    rng = np.random.default_rng(0)
    X = P.data_family("general", 3, 5, rng)
    exact = P.singular_fraction(X, "relu", 3000, 7)
    assert exact == P.singular_fraction(X, "relu", 3000, np.random.default_rng(7))
    assert 0 < exact < 1
    # non-integer data are decided exactly too, in rational arithmetic
    Y = X + 1e-3 * rng.standard_normal(X.shape)
    assert abs(P.singular_fraction(Y, "relu", 3000, 7) - exact) < 0.1


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


# --------------------------------------------------------------------------
# data families


def test_data_families():
    rng = np.random.default_rng(0)
    X = P.data_family("general", 3, 8, rng)
    assert np.array_equal(X, np.round(X)) and np.abs(X).max() <= P.ENTRY_BOUND
    assert P.schwartz_zippel_ready(X)
    assert np.all(P.data_family("halfspace", 3, 6, rng)[0] >= 1)
    X = P.data_family("antipodal", 2, 6, rng)
    assert np.array_equal(X[:, 3:], -X[:, :3])
    line = P.data_family("general", 1, 6, rng)
    assert len(np.unique(np.abs(line))) == 6
    with pytest.raises(ValueError):
        P.data_family("antipodal", 2, 5, rng)
    with pytest.raises(ValueError):
        P.data_family("uniform", 2, 5, rng)
    with pytest.raises(ValueError):
        P.data_family("general", 2, 9, rng)


def test_regular_triangle_representative_gives_the_same_ranks_and_verdicts():
    X, representative = P.regular_triangle(), P.regular_triangle_representative()
    # diag(2/sqrt3, 2) X = representative, up to the rounding of X (X_11 = 6e-17 instead of 0).
    assert np.allclose(np.diag([2 / math.sqrt(3), 2.0]) @ X, representative, rtol=0, atol=1e-15)
    # The rounding of X changes no rank: its exact (rational) ranks equal the representative's.
    assert np.array_equal(P.column_set_ranks(X), P.column_set_ranks(representative))
    rounded = P.planar_deficiency_table(X)
    exact = P.planar_deficiency_table(X, representative)
    assert np.array_equal(rounded.deficient, exact.deficient)
    assert int(np.sum(exact.deficient)) == 30
    assert P.exact_singular_probability_planar(X, representative) == pytest.approx(29 / 72, abs=1e-12)
    multisets = P.table_multisets(exact)
    assert np.array_equal(P.rado_singular(X, multisets, representative), exact.deficient)
    assert np.array_equal(P.random_evaluation_singular(representative, multisets, 5), exact.deficient)


def test_rado_verdicts_are_invariant_under_invertible_row_operations():
    rng = np.random.default_rng(11)
    for d0, m in [(2, 5), (3, 6), (2, 6)]:
        X = P.data_family("general", d0, m, rng)
        A = np.eye(d0) + np.triu(rng.integers(-2, 3, size=(d0, d0)), 1)   # unimodular
        W = rng.standard_normal((300, m, d0))
        active, _ = P.certified_active_sets(X, W)
        multisets, _ = P.cell_multisets(active)
        assert np.array_equal(P.rado_singular(X, multisets, A @ X), P.rado_singular(X, multisets))
    with pytest.raises(ValueError):
        P.rado_singular(X, multisets, np.ones((d0, m + 1)))


def test_rado_primes_needed():
    rng = np.random.default_rng(12)
    for d0, m in [(2, 4), (3, 6), (4, 8), (7, 8)]:
        assert P.rado_primes_needed(P.data_family("general", d0, m, rng)) == 1
    assert P.rado_primes_needed(P.regular_triangle_representative()) == 1
    assert P.rado_primes_needed(P.regular_triangle()) is None          # rational elimination
    assert P.rado_primes_needed(30 * np.ones((2, 8))) == 2
    assert P.rado_primes_needed(100 * np.ones((2, 8))) == 3


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
