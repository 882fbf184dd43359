"""Exact ranks, without a tolerance: modulo primes, or in rational arithmetic.

Every rank the exact decisions rest on -- of the stacked blocks ``X D_S`` of
Rado's criterion, of ``ReLU(W X)`` in the check of the rank lemma -- is
computed by :func:`exact_ranks`.  Integer matrices are eliminated modulo as
many of the primes :data:`PRIMES` as Hadamard's inequality asks for; any other
matrix in exact rational arithmetic.  :func:`_singular_mod_prime` is the
elimination of the random evaluation modulo :data:`PRIME`
(:func:`generator.problem3.rado.random_evaluation_singular`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

PRIMES = (2_147_483_647, 2_147_483_629, 2_147_483_587)
"""The three largest primes below ``2^31``, for the exact rank computations.

Residues are below ``2^31``, so a product of two fits in a signed 64-bit
integer.  For an integer matrix, the rank modulo a prime never exceeds the rank
over the rationals; if every minor is smaller in absolute value than the
product of the primes used (checked through Hadamard's inequality), a nonzero
maximal minor is nonzero modulo one of them, so the largest of the ranks modulo
those primes *is* the rank over the rationals (:func:`exact_ranks`).
"""

PRIME = PRIMES[0]
"""The Mersenne prime ``2^31 - 1`` of the random evaluation (Schwartz--Zippel)."""


def _primes_needed(A: np.ndarray) -> int | None:
    """How many of :data:`PRIMES` make the ranks of the integer stack ``A`` exact, or ``None``.

    Hadamard's inequality bounds a ``t x t`` minor by the product of the norms
    of its ``t`` rows, hence by ``(max row norm)^t`` with ``t = min(rows, columns)``;
    the comparison with the product of the primes is made on squares, in Python
    integers, so it is exact.  ``None`` when ``A`` has a non-integer entry or the
    bound exceeds the product of all the primes.
    """
    if not np.all(A == np.round(A)) or np.max(np.abs(A)) > 2**20:
        return None
    # Squared row norms are integers below 2^53 here, so the float sums are exact.
    return _primes_for(int(np.max(np.sum(A * A, axis=-1))), min(A.shape[-2:]))


def _primes_for(largest_squared_norm: int, size: int) -> int | None:
    """How many of :data:`PRIMES` exceed every ``size x size`` minor of rows of squared norm at most the given one.

    Hadamard: such a minor is at most ``largest_squared_norm^(size/2)`` in
    absolute value; compared on squares, in Python integers.
    """
    bound = largest_squared_norm**size
    product = 1
    for count, prime in enumerate(PRIMES, start=1):
        product *= prime
        if bound < product**2:
            return count
    return None


def _ranks_mod_prime(A: np.ndarray, prime: int) -> np.ndarray:
    """Ranks modulo ``prime < 2^31`` of a stack of integer matrices, shape ``(B, r, c)``.

    Division-free Gaussian elimination, vectorized over the stack: a row is
    replaced by ``a * row - f * pivot_row`` with the nonzero pivot ``a``, which
    keeps the rank; no modular inverse is needed.  Residues are below ``2^31``,
    so every product is below ``2^62`` and int64 arithmetic is exact.
    """
    A = np.mod(A, prime).astype(np.int64)
    count, rows, columns = A.shape
    batch = np.arange(count)
    used = np.zeros((count, rows), dtype=bool)
    ranks = np.zeros(count, dtype=np.int64)
    for k in range(columns):
        column = A[:, :, k]
        candidates = (column != 0) & ~used
        found = candidates.any(axis=1)
        pivot_row = candidates.argmax(axis=1)
        pivot = np.where(found, column[batch, pivot_row], 1)
        factors = np.where(found[:, None], column, 0)
        rest = A[batch, pivot_row, k + 1:]
        tail = A[:, :, k + 1:]
        tail *= pivot[:, None, None]
        tail -= factors[:, :, None] * rest[:, None, :]
        np.remainder(tail, prime, out=tail)
        used[batch[found], pivot_row[found]] = True
        ranks += found
    return ranks


def _singular_mod_prime(A: np.ndarray) -> np.ndarray:
    """Whether each square integer matrix of a stack ``(B, n, n)`` is singular modulo :data:`PRIME`.

    The elimination of :func:`_ranks_mod_prime` with row exchanges, so that
    step ``k`` only updates the trailing ``(n - k - 1)``-square block: about a
    third of ``n^3`` products instead of a half.
    """
    A = np.mod(A, PRIME).astype(np.int64)
    count, n, _ = A.shape
    batch = np.arange(count)
    singular = np.zeros(count, dtype=bool)
    for k in range(n):
        column = A[:, k:, k]
        found = (column != 0).any(axis=1)
        singular |= ~found
        pivot_row = k + (column != 0).argmax(axis=1)
        swapped = A[batch, pivot_row].copy()
        A[batch, pivot_row] = A[:, k]
        A[:, k] = swapped
        pivot = np.where(found, swapped[:, k], 1)
        factors = A[:, k + 1:, k]
        tail = A[:, k + 1:, k + 1:]
        tail *= pivot[:, None, None]
        tail -= factors[:, :, None] * swapped[:, None, k + 1:]
        np.remainder(tail, PRIME, out=tail)
    return singular


def _rank_over_rationals(matrix: np.ndarray) -> int:
    """Exact rank of one float matrix, each entry read as the rational it represents."""
    rows = [[Fraction(float(v)) for v in row] for row in matrix if np.any(row != 0)]
    rank, columns = 0, len(rows[0]) if rows else 0
    for k in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][k] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(rank + 1, len(rows)):
            if rows[i][k] != 0:
                factor = rows[i][k] / rows[rank][k]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


def exact_ranks(matrices) -> np.ndarray:
    """Exact ranks over the rationals of a stack of float matrices, shape ``(B, r, c)``.

    Integer matrices are reduced modulo as many of :data:`PRIMES` as
    :func:`_primes_needed` asks for and eliminated in vectorized passes; the
    rank is the largest of the ranks modulo those primes.  (Every rank modulo a
    prime is at most the rank ``t`` over the rationals, as a minor that vanishes
    over the integers vanishes modulo ``p``; a nonzero ``t x t`` minor is smaller
    than the product of the primes, so not all of them divide it.)  Any other
    matrix is eliminated in exact rational arithmetic (each float is the
    rational it represents), which is slow and meant for a few small matrices.
    No tolerance is involved either way.
    """
    A = np.asarray(matrices, dtype=float)
    if A.ndim == 2:
        return exact_ranks(A[None])
    if A.ndim != 3 or not np.all(np.isfinite(A)):
        raise ValueError("exact_ranks needs a finite stack of matrices of shape (B, r, c)")
    if A.shape[0] == 0 or A.shape[1] == 0 or A.shape[2] == 0:
        return np.zeros(A.shape[0], dtype=np.int64)
    primes = _primes_needed(A)
    if primes is None:
        return np.array([_rank_over_rationals(matrix) for matrix in A], dtype=np.int64)
    integers = np.round(A).astype(np.int64)
    return np.max([_ranks_mod_prime(integers, prime) for prime in PRIMES[:primes]], axis=0)
