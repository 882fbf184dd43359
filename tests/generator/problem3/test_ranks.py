"""Tests of :mod:`generator.problem3.ranks`: exact ranks modulo primes and in rational arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem3 as P
from generator.problem3.ranks import _rank_over_rationals


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
