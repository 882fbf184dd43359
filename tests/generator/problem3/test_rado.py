"""Tests of :mod:`generator.problem3.rado`: certified signs, cell multisets, Rado's criterion, random evaluation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator import problem3 as P


def _svd_deficient(X, W):
    """The floating-point verdict, for comparison with the exact one."""
    return P.singular_value_ratios(np.maximum(W @ np.asarray(X, float), 0.0)) <= P.RANK_RTOL


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
