"""Problem 3: is ``ReLU(W X)`` full rank for almost every ``W``?  No, for every ``X``.

Setting (assignment, Problem 3): ``X`` is ``d0 x m`` with ``d0 < m``, ``W`` is
``m x d0`` and ``F = sigma(W X)`` is ``m x m``.  For the sigmoid, the
assignment paraphrases Nguyen & Hein (2017, arXiv:1704.08045, Lemma 4) as: the
set of ``W`` with ``F`` rank-deficient is Lebesgue-null; their layers carry
biases and the mechanism is real-analyticity of ``det F``.  For the ReLU the
answer is *no*: write ``S(w) = {j : w^T x_j > 0}`` for the active set of a row
``w``; then

    ReLU(w^T X) = w^T X D_{S(w)},    D_S = diag(1[j in S]),

so rows that share an active set lie in the row space of ``X D_S``, of
dimension at most ``d0 < m``.  The set of ``W`` whose ``m`` rows all sit in one
open cell of the arrangement ``{w^T x_j = 0}`` is open and nonempty, hence of
positive measure, for every ``X`` (``templates/problem3.tex`` has the proofs).

Rank deficiency of the ReLU features is decided *exactly* and
deterministically, without a tolerance and without randomness.  On the product
of the cells holding the rows, ``det F = P(W) = det[w_i^T X D_{S_i}]`` is a
polynomial, and for almost every ``W`` the features are singular exactly when
``P`` vanishes identically.  Rado's criterion (proved in the text) decides
that from dimensions of sums of the spaces ``V_S`` (row space of ``X D_S``),
which are ranks of matrices built from ``X`` and computed exactly
(:func:`exact_ranks`): :func:`rado_singular` for each distinct multiset of
cells among the draws, :func:`planar_deficiency_table` for every multiset of
cells in the plane.  Evaluating ``P`` at a random point modulo the prime
:data:`PRIME` (Schwartz--Zippel, :func:`random_evaluation_singular`) serves only
as a cross-check, as does the singular value ratio; for the sigmoid the ratio
is the only test there is (:data:`RANK_RTOL`).
"""

from __future__ import annotations

import itertools
import math
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog
from scipy.special import expit

from generator import figstyle
from generator.ledger import (
    Ledger,
    at_least,
    at_most,
    equals,
    format_number,
    greater_than,
    within_standard_errors,
)

ACTIVATIONS = ("relu", "sigmoid")

RANK_RTOL = 1e-12
"""Relative singular-value threshold of the floating-point rank test.

``F`` is declared rank-deficient when ``s_min(F) <= RANK_RTOL * s_max(F)``.
This is the only test available for the sigmoid and a cross-check for the
ReLU.  Forming ``G = W X`` in floating point errs by at most
``gamma_{d0} |W| |X|`` entrywise (``gamma_n = n u / (1 - n u)``, ``u = 2^-53``),
so by at most ``gamma_{d0} ||W||_F ||X||_F`` in norm; both activations are
Lipschitz with constant at most 1, and the SVD adds a backward error of order
``m u ||F||_2``.  An exact zero singular value is therefore computed at the
level of ``d0 u ||W|| ||X||``, far below the threshold when ``||F||`` is not much
smaller than ``||W|| ||X||``.  No a-priori bound keeps a nonzero ``s_min`` above
the threshold: that side is justified only by observation, and fails for the
sigmoid with ``d0 = 1``.
"""

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

ENTRY_BOUND = 5
"""Data entries of the random families are integers in ``[-ENTRY_BOUND, ENTRY_BOUND]``.

Integer data make every rank computed from ``X`` exact; with ``m <= 8`` a row of
``X`` has norm at most ``5 sqrt(8)`` and ``(5 sqrt 8)^8 < PRIME``, so one prime
suffices for matrices built from masked rows of ``X``.
"""

UNIT_ROUNDOFF = 2.0**-53

RAY_MERGE_TOL = 1e-12
"""Rays of :func:`planar_cells` whose floating-point angles differ by less count as one line.

Parallel columns give the same line, but their ``atan2`` angles may differ by
a few ulps.  Distinct lines of integer columns with entries at most ``B`` meet
at an angle of at least ``arcsin(1 / (2 B^2))`` (determinant at least 1, norms
at most ``B sqrt 2``), far above this threshold.
"""

SEED = 20240603
"""Root seed; every experiment draws from ``default_rng((SEED, k))``."""


# --------------------------------------------------------------------------
# input validation and the two activations


def _data_matrix(X) -> np.ndarray:
    """``X`` as a finite float array of shape ``(d0, m)`` with ``1 <= d0 < m``."""
    array = np.asarray(X)
    if array.dtype == object or np.iscomplexobj(array):
        raise ValueError("X must be a real numeric array")
    if array.ndim != 2:
        raise ValueError(f"X must be two-dimensional (d0 x m), got shape {array.shape}")
    d0, m = array.shape
    if not 1 <= d0 < m:
        raise ValueError(f"the problem needs 1 <= d0 < m, got d0={d0}, m={m}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError("X must have finite entries")
    return array


def _generator(rng) -> np.random.Generator:
    """Accept a ``numpy.random.Generator`` or an integer seed, never implicit entropy."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError("pass a numpy.random.Generator or an integer seed explicitly")


def _sample_count(samples) -> int:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    return int(samples)


def activate(G: np.ndarray, activation: str) -> np.ndarray:
    """Entrywise ``ReLU(t) = max(0, t)`` or sigmoid ``1 / (1 + exp(-t))``.

    The sigmoid uses :func:`scipy.special.expit`, which does not overflow for
    large ``|t|``.
    """
    if activation == "relu":
        return np.maximum(G, 0.0)
    if activation == "sigmoid":
        return expit(G)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def _gamma(n: int) -> float:
    """Higham's ``gamma_n = n u / (1 - n u)``: relative error bound of an ``n``-term dot product."""
    return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF)


# --------------------------------------------------------------------------
# the floating-point rank test (sigmoid; cross-check for the ReLU)


def singular_value_ratios(F: np.ndarray) -> np.ndarray:
    """``s_min / s_max`` of each matrix of a stack ``F`` of shape ``(..., m, m)``.

    A zero matrix has ratio 0.  Uses the batched :func:`numpy.linalg.svd`
    (a LAPACK gufunc over the stack); :func:`scipy.linalg.svd` takes one matrix
    per call, which would turn one vectorized call into a Python loop.
    """
    singular_values = np.linalg.svd(F, compute_uv=False)
    largest = singular_values[..., 0]
    smallest = singular_values[..., -1]
    ratios = np.zeros_like(largest)
    np.divide(smallest, largest, out=ratios, where=largest > 0)
    return ratios


def sampled_ratios(X, activation: str, samples: int, rng) -> np.ndarray:
    """``s_min / s_max`` of ``sigma(W X)`` for ``samples`` Gaussian draws of ``W``.

    Parameters
    ----------
    X : array_like, shape (d0, m)
        Data matrix, ``1 <= d0 < m``, finite.
    activation : {"relu", "sigmoid"}
    samples : int
        Number of independent ``W`` with i.i.d. standard normal entries.
    rng : numpy.random.Generator or int
        Source of randomness (passed explicitly).

    Returns
    -------
    numpy.ndarray, shape (samples,)
    """
    X = _data_matrix(X)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    samples = _sample_count(samples)
    W = _generator(rng).standard_normal((samples, X.shape[1], X.shape[0]))
    return singular_value_ratios(activate(W @ X, activation))


def declared_singular_fraction(ratios: np.ndarray) -> float:
    """Fraction of ratios ``s_min / s_max`` at or below :data:`RANK_RTOL` (the floating-point test)."""
    return float(np.mean(np.asarray(ratios) <= RANK_RTOL))


def standard_error(frequency: float, samples: int) -> float:
    """Binomial standard error ``sqrt(p (1 - p) / n)`` of a Monte Carlo frequency."""
    return math.sqrt(frequency * (1.0 - frequency) / samples)


# --------------------------------------------------------------------------
# exact ranks


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


# --------------------------------------------------------------------------
# the exact structural test for the ReLU


def certified_active_sets(X, W) -> tuple[np.ndarray, np.ndarray]:
    """Active sets ``w_i^T x_j > 0`` of the rows of ``W`` and whether each sign is certain.

    The computed ``fl(w^T x)`` differs from ``w^T x`` by at most
    ``gamma_{d0} |w|^T |x|`` (any summation order), so its sign is the true sign
    whenever ``|fl(w^T x)| > 2 gamma_{d0} fl(|w|^T |x|)``; when ``|w|^T |x| = 0``
    the product is exactly zero (inactive).

    Parameters
    ----------
    X : array_like, shape (d0, m)
    W : array_like, shape (..., rows, d0)

    Returns
    -------
    active : numpy.ndarray of bool, shape (..., rows, m)
    certified : numpy.ndarray of bool, shape (...)
        ``True`` where every sign of that weight matrix is certain.
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim < 2 or W.shape[-1] != X.shape[0]:
        raise ValueError(f"W must have shape (..., rows, {X.shape[0]}), got {W.shape}")
    G = W @ X
    scale = np.abs(W) @ np.abs(X)
    certain = (np.abs(G) > 2 * _gamma(X.shape[0]) * scale) | (scale == 0)
    return (G > 0) & (scale > 0), certain.all(axis=(-2, -1))


def cell_multisets(active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct multisets of active sets among a stack of draws.

    Parameters
    ----------
    active : numpy.ndarray of bool, shape (B, m, m)
        ``active[b, i, j]`` says whether column ``j`` is active for row ``i`` of draw ``b``.

    Returns
    -------
    multisets : numpy.ndarray of int64, shape (K, m)
        Each distinct multiset once, as the increasing list of the codes
        ``sum_{j in S} 2^j`` of the active sets of its ``m`` rows.
    inverse : numpy.ndarray of int, shape (B,)
        The multiset of each draw.
    """
    active = np.asarray(active, dtype=bool)
    if active.ndim != 3 or active.shape[1] != active.shape[2]:
        raise ValueError(f"active must have shape (B, m, m), got {active.shape}")
    m = active.shape[-1]
    codes = np.sort(active.astype(np.int64) @ (1 << np.arange(m, dtype=np.int64)), axis=1)
    if m <= 8:
        # m codes of m bits each fit one unsigned 64-bit key; sorting keys is much cheaper than rows.
        keys = codes.astype(np.uint64) @ (np.uint64(1) << (np.uint64(m) * np.arange(m, dtype=np.uint64)))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(codes, axis=0, return_index=True, return_inverse=True)
    return codes[first], inverse.ravel()


RADO_MAX_M = 10
"""Largest ``m`` for which :func:`rado_singular` lists the ``2^m - 1`` sets of rows."""


def rado_primes_needed(X) -> int | None:
    """How many of :data:`PRIMES` make every rank of Rado's criterion for ``X`` exact, or ``None``.

    The matrices of :func:`rado_singular` and :func:`planar_deficiency_table`
    stack blocks ``X D_S``: their rows are masked rows of ``X``, of norm at most
    the largest row norm of ``X``, and their ranks are at most ``m``.  So this
    many primes suffice for all of them (:func:`exact_ranks` may use fewer);
    ``None`` means that :func:`exact_ranks` falls back to rational elimination.
    """
    X = _data_matrix(X)
    if not np.all(X == np.round(X)) or np.max(np.abs(X)) > 2**20:
        return None
    return _primes_for(int(np.max(np.sum(X * X, axis=1))), X.shape[1])


def _rank_data(X: np.ndarray, representative) -> np.ndarray:
    """The matrix on which the ranks of Rado's criterion are computed: ``representative`` or ``X``.

    The spaces ``V_S`` (row spaces of ``X D_S``), hence all ranks of the
    criterion, depend only on the row space of ``X``, which ``A X`` shares for
    every invertible ``A``; a representative with integer entries makes the
    ranks exact modulo primes.  The caller vouches for ``representative = A X``.
    """
    if representative is None:
        return X
    representative = _data_matrix(representative)
    if representative.shape != X.shape:
        raise ValueError(f"the representative must have the shape {X.shape} of X, got {representative.shape}")
    return representative


def column_set_ranks(X) -> np.ndarray:
    """``r_S = rank(X D_S)`` for every ``S`` of columns, indexed by the code ``sum_{j in S} 2^j``.

    ``X D_S`` keeps the columns in ``S`` and zeroes the others; its row space is
    ``V_S``.  Computed by :func:`exact_ranks`.
    """
    X = _data_matrix(X)
    m = X.shape[1]
    if m > RADO_MAX_M:
        raise ValueError(f"column_set_ranks lists 2^m sets; m = {m} exceeds {RADO_MAX_M}")
    codes = np.arange(1 << m)
    members = (codes[:, None] >> np.arange(m)) & 1
    return exact_ranks(X[None, :, :] * members[:, None, :])


def rado_singular(X, multisets, representative=None) -> np.ndarray:
    """Deterministic and exact: whether ``P`` vanishes identically on each product of cells.

    For rows in cells ``C_1, ..., C_m`` with active sets ``S_i``, the text proves
    (Rado's theorem for subspaces) that ``P = det[w_i^T X D_{S_i}]`` vanishes
    identically exactly when some set ``T`` of the distinct cells holds more
    rows, ``n(T)``, than ``dim sum_{C in T} V_{S_C}``.  Every set ``T`` of the
    distinct cells of each multiset is examined (until one violates the
    condition), and its dimension is pinned down by two bounds before any rank
    is computed:

    * ``dim V(T) <= |U(T)|``, ``U(T)`` the union of the active sets, since every
      vector of ``V(T)`` vanishes outside ``U(T)``; if ``n(T) > |U(T)|``, ``T``
      violates the condition;
    * ``dim V(T) >= dim V(T - C) + r_{S_C - U(T - C)}`` for each ``C`` in ``T``: the
      coordinate projection onto ``Q = S_C - U(T - C)`` kills ``V(T - C)`` and maps
      ``V_{S_C}`` onto ``V_Q``; bounds of smaller sets are used recursively, so
      if ``n(T)`` is at most this bound, ``T`` satisfies the condition.

    Only when ``n(T)`` exceeds the lower bound but not the upper one is
    ``dim V(T)``, the rank of the stacked ``X D_S``, computed by :func:`exact_ranks` (once per distinct set of
    active sets).  No tolerance and no randomness is involved.

    Parameters
    ----------
    X : array_like, shape (d0, m)
    multisets : array_like of int, shape (K, m)
        Active-set codes ``sum_{j in S} 2^j`` of the ``m`` rows (any order), as
        returned by :func:`cell_multisets`.
    representative : array_like, shape (d0, m), optional
        ``A X`` for an invertible ``A``, for instance with integer entries; the
        ranks are computed on it (the answer is the same, :func:`_rank_data`).

    Returns
    -------
    numpy.ndarray of bool, shape (K,)
    """
    X = _rank_data(_data_matrix(X), representative)
    d0, m = X.shape
    multisets = np.asarray(multisets, dtype=np.int64)
    if multisets.ndim != 2 or multisets.shape[1] != m:
        raise ValueError(f"multisets must have shape (K, {m}), got {multisets.shape}")
    multisets = np.sort(multisets, axis=1)
    if np.any(multisets < 0) or np.any(multisets >= 1 << m):
        raise ValueError("active-set codes must lie in [0, 2^m)")
    rank_of_columns = column_set_ranks(X)
    bit_counts = np.array([bin(value).count("1") for value in range(1 << m)])
    count = len(multisets)
    rows = np.repeat(np.arange(count), m)
    # The distinct cells of each multiset in slots 0, ..., size - 1, with their numbers of rows.
    new = np.ones_like(multisets, dtype=bool)
    new[:, 1:] = multisets[:, 1:] != multisets[:, :-1]
    slot = (np.cumsum(new, axis=1) - 1).ravel()
    cells = np.zeros((count, m), dtype=np.int64)
    loads = np.zeros((count, m), dtype=np.int64)
    cells[rows, slot] = multisets.ravel()
    np.add.at(loads, (rows, slot), 1)
    sizes = np.sum(new, axis=1)
    # Per set T of slots (a bit mask): union of active sets, rows, and dim V(T) or a lower bound.
    sets = 1 << m
    union = np.zeros((count, sets), dtype=np.int64)
    rows_in = np.zeros((count, sets), dtype=np.int64)
    dimension = np.zeros((count, sets), dtype=np.int64)
    singular = np.zeros(count, dtype=bool)
    pending = np.arange(count)          # multisets still undecided, with sets of this size left
    masks = np.arange(1, sets)
    for size in range(1, m + 1):
        level = masks[bit_counts[masks] == size]
        lowest = level & -level
        lowest_slot = bit_counts[lowest - 1]
        union[:, level] = union[:, level ^ lowest] | cells[:, lowest_slot]
        rows_in[:, level] = rows_in[:, level ^ lowest] + loads[:, lowest_slot]
        lower = np.zeros((len(pending), len(level)), dtype=np.int64)
        for i in range(m):
            holds = (level >> i) & 1 == 1
            smaller = level[holds] ^ (1 << i)
            gain = rank_of_columns[cells[:, [i]] & ~union[:, smaller]]
            lower[:, holds] = np.maximum(lower[:, holds], dimension[:, smaller] + gain)
        upper = bit_counts[union[:, level]]
        if size == 1:
            upper = np.minimum(upper, lower)  # the bound is exact for one cell: r_S
        inside = level[None, :] < (1 << sizes)[:, None]          # T uses occupied slots only
        load = rows_in[:, level]
        violated = np.any(inside & (load > upper), axis=1)
        undecided = inside & (load > lower) & (load <= upper) & ~violated[:, None]
        if undecided.any():
            which, column = np.nonzero(undecided)
            chosen = (level[column][:, None] >> np.arange(m)) & 1 == 1
            # The active sets of T, padded with the empty set, whose block X D_0 = 0 adds nothing.
            members = np.sort(np.where(chosen, cells[which], 0), axis=1)
            distinct, back = np.unique(members, axis=0, return_inverse=True)
            blocks = (distinct[:, :, None] >> np.arange(m)) & 1
            stacks = (X[None, None, :, :] * blocks[:, :, None, :]).reshape(len(distinct), m * d0, m)
            exact = exact_ranks(stacks)[back.ravel()]
            lower[which, column] = exact
            violated[which[exact < load[which, column]]] = True
        dimension[:, level] = lower
        singular[pending[violated]] = True
        # Decided multisets leave: violated ones, and those with no set of the next size.
        keep = ~violated & (sizes > size)
        pending, cells, loads, sizes = pending[keep], cells[keep], loads[keep], sizes[keep]
        union, rows_in, dimension = union[keep], rows_in[keep], dimension[keep]
    return singular


def random_evaluation_singular(X, multisets, rng) -> np.ndarray:
    """Schwartz--Zippel: ``P`` vanishes at one uniformly random point of ``F_p^{m x d0}``, ``p = PRIME``.

    One point per multiset.  A nonzero value proves ``P`` not identically zero,
    so the test errs only by calling a nonsingular product singular, with
    probability at most ``m / PRIME`` per multiset.  A cross-check of
    :func:`rado_singular`; ``X`` must be :func:`schwartz_zippel_ready`.

    Parameters
    ----------
    X : array_like, shape (d0, m)
    multisets : array_like of int, shape (K, m)
        Active-set codes of the rows, as returned by :func:`cell_multisets`.
    rng : numpy.random.Generator or int
    """
    X = _data_matrix(X)
    if not schwartz_zippel_ready(X):
        raise ValueError("the random evaluation needs integer X within the Hadamard bound")
    d0, m = X.shape
    multisets = np.asarray(multisets, dtype=np.int64)
    active = (multisets[:, :, None] >> np.arange(m)) & 1 == 1
    Y = _generator(rng).integers(0, PRIME, size=(len(multisets), m, d0))
    # |entries of Y X| < d0 * max|X| * 2^31 < 2^53: the floating-point product is exact.
    M = np.mod(Y.astype(float) @ X, PRIME).astype(np.int64)
    M[~active] = 0
    return _singular_mod_prime(M)


def schwartz_zippel_ready(X) -> bool:
    """Whether :func:`random_evaluation_singular` is valid for ``X``.

    ``X`` must have integer entries with ``(max row norm of X)^m < PRIME``
    (compared exactly, on squares): the coefficients of ``P`` are ``m x m``
    determinants of masked rows of ``X``, so by Hadamard's inequality a nonzero
    coefficient is nonzero modulo ``PRIME``.  Also ``d0 max|X| PRIME < 2^53``,
    so that ``Y X`` is exact in floating point.
    """
    X = _data_matrix(X)
    if not np.all(X == np.round(X)) or X.shape[0] * np.max(np.abs(X)) * PRIME >= 2.0**53:
        return False
    largest = int(np.max(np.sum(X * X, axis=1)))
    return largest ** X.shape[1] < PRIME**2


def relu_deficient(X, W) -> tuple[np.ndarray, np.ndarray]:
    """Exact, deterministic decision of ``rank ReLU(W X) < m`` for a stack of ``W``.

    For ``W`` with every row in a cell, ``F`` is singular on the whole product of
    the cells holding the rows when the polynomial ``P`` of the dichotomy lemma
    vanishes identically, and is nonsingular for almost every ``W`` of that
    product otherwise.  The decision is made from the certified active sets by
    Rado's criterion, once per distinct multiset of cells
    (:func:`cell_multisets`, :func:`rado_singular`).

    Parameters
    ----------
    X : array_like, shape (d0, m)
    W : array_like, shape (B, m, d0)

    Returns
    -------
    deficient, certified : numpy.ndarray of bool, shape (B,)
        ``certified`` is ``False`` where a sign of ``W X`` could not be
        certified (then ``deficient`` is meaningless).
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim != 3 or W.shape[1:] != (X.shape[1], X.shape[0]):
        raise ValueError(f"W must have shape (B, {X.shape[1]}, {X.shape[0]}), got {W.shape}")
    active, certified = certified_active_sets(X, W)
    multisets, inverse = cell_multisets(active)
    return rado_singular(X, multisets)[inverse], certified


def singular_fraction(X, activation: str = "relu", samples: int = 20_000, rng=None) -> float:
    """Monte Carlo frequency of ``rank sigma(W X) < m`` over Gaussian ``W``.

    ``W`` has i.i.d. standard normal entries.  For the ReLU the rank is decided
    exactly by :func:`relu_deficient`; for the sigmoid by the floating-point
    test ``s_min <= RANK_RTOL s_max``.  The standard error of the returned
    frequency ``p`` is ``sqrt(p (1 - p) / n)``.

    Parameters
    ----------
    X : array_like, shape (d0, m)
        Data matrix with ``1 <= d0 < m`` and finite entries.
    activation : {"relu", "sigmoid"}
    samples : int
        Number of Monte Carlo draws of ``W``.
    rng : numpy.random.Generator or int
        Required: the randomness is always passed explicitly.

    Returns
    -------
    float
        Fraction of draws with ``F`` rank-deficient.

    Raises
    ------
    ValueError
        For bad arguments, or if a sign of ``W X`` cannot be certified.
    """
    X = _data_matrix(X)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    samples = _sample_count(samples)
    rng = _generator(rng)
    if activation == "relu":
        W = rng.standard_normal((samples, X.shape[1], X.shape[0]))
        deficient, certified = relu_deficient(X, W)
        if not certified.all():
            raise ValueError("a sign of W X could not be certified")
        return float(np.mean(deficient))
    return declared_singular_fraction(sampled_ratios(X, activation, samples, rng))


# --------------------------------------------------------------------------
# the constructive proof: a ball of rank-deficient W


def _probe_directions(d0: int, columns: int) -> np.ndarray:
    """Unit vectors ``(1, t, ..., t^(d0-1))`` at ``columns (d0-1) + 1`` Chebyshev nodes ``t``.

    For a nonzero ``x``, ``t -> (1, t, ..., t^(d0-1)) x`` is a nonzero polynomial
    of degree below ``d0`` and vanishes at most ``d0 - 1`` times, so at least
    one of these directions lies on none of the ``columns`` hyperplanes.
    """
    count = columns * (d0 - 1) + 1
    nodes = np.cos(np.pi * (np.arange(count) + 0.5) / count)
    directions = nodes[:, None] ** np.arange(d0)[None, :]
    return directions / np.linalg.norm(directions, axis=1, keepdims=True)


def _widest_direction(units: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """A direction deep inside the cone ``{w : signs_j w^T u_j > 0}`` (a linear programme).

    Maximizes ``tau`` subject to ``signs_j u_j^T w >= tau`` and ``|w_k| <= 1``;
    the sup-norm box keeps the problem linear (the Euclidean version is a
    second-order cone programme), which is enough to find a well-centred point.
    """
    d0 = units.shape[0]
    cost = np.zeros(d0 + 1)
    cost[-1] = -1.0
    constraints = np.hstack([-(signs[:, None] * units.T), np.ones((units.shape[1], 1))])
    result = linprog(
        cost,
        A_ub=constraints,
        b_ub=np.zeros(units.shape[1]),
        bounds=[(-1.0, 1.0)] * d0 + [(None, None)],
        method="highs",
    )
    return result.x[:d0] if result.status == 0 else np.zeros(d0)


def rank_deficient_ball(X) -> tuple[np.ndarray, float]:
    """A ball of weight matrices on which ``ReLU(W X)`` is rank-deficient.

    The proof of the main theorem in ``templates/problem3.tex``, made
    constructive.  A unit vector ``w`` on none of the hyperplanes
    ``{w : w^T x_j = 0}`` (``x_j != 0``) has distance
    ``r = min_j |w^T x_j| / ||x_j||`` to all of them.  If every row of ``W'`` is
    within ``r`` of ``w`` -- in particular if ``||W' - W||_F < r`` for
    ``W = 1 w^T`` -- every row has the active set ``S`` of ``w``, so
    ``ReLU(W' X) = W' X D_S`` has rank at most ``d0 < m``.  Works for every
    ``X``: repeated, antipodal or zero columns included.  Since the set of
    rank-deficient ``W`` is a cone, balls of every radius exist; this one has a
    unit centre.

    Parameters
    ----------
    X : array_like, shape (d0, m)
        Data matrix with ``1 <= d0 < m`` and finite entries.

    Returns
    -------
    W : numpy.ndarray, shape (m, d0)
        Every row equals the same unit vector ``w``.
    r : float
        Radius (Frobenius norm) of the ball, positive and finite.  It is the
        distance from ``w`` to the nearest hyperplane less a rounding allowance
        ``4 (d0 + 2) u`` (``u`` the unit roundoff) that covers the error of the
        computed distance.  When ``X = 0`` every ``W`` works and ``r = 1``.

    Raises
    ------
    ValueError
        If ``X`` is not a finite real ``d0 x m`` array with ``1 <= d0 < m``.
    """
    X = _data_matrix(X)
    d0, m = X.shape
    scales = np.max(np.abs(X), axis=0)
    nonzero = scales > 0
    if not nonzero.any():
        W = np.zeros((m, d0))
        W[:, 0] = 1.0
        return W, 1.0
    # Dividing by the largest entry first keeps the norms finite for entries near the overflow limit.
    units = X[:, nonzero] / scales[nonzero]
    units /= np.linalg.norm(units, axis=0)

    probes = _probe_directions(d0, units.shape[1])
    probe_margins = np.min(np.abs(probes @ units), axis=1)
    best = probes[int(np.argmax(probe_margins))]
    centred = _widest_direction(units, np.sign(best @ units))
    candidates = [best]
    if np.linalg.norm(centred) > 0:
        candidates.append(centred / np.linalg.norm(centred))
    margins = [float(np.min(np.abs(c @ units))) for c in candidates]
    w = candidates[int(np.argmax(margins))]
    radius = max(margins) - 4 * (d0 + 2) * np.finfo(float).eps
    if not radius > 0:
        raise RuntimeError("no direction off the hyperplanes was found; X is degenerate beyond rounding")
    return np.tile(w, (m, 1)), float(radius)


def active_set_rank_bound(X, W) -> int:
    """The bound ``rank ReLU(W X) <= sum_S min(n_S, rank X_S)`` of the rank lemma.

    Rows ``w_i`` are grouped by active set ``S = {j : w_i^T x_j > 0}``; ``n_S``
    rows share ``S`` and ``X_S`` keeps the columns in ``S``.  Rows sharing
    ``S`` lie in the row space of ``X D_S``, whose dimension is ``rank X_S``,
    computed exactly by :func:`exact_ranks`.
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[1] != X.shape[0]:
        raise ValueError(f"W must have shape (rows, {X.shape[0]}), got {W.shape}")
    patterns, counts = np.unique(W @ X > 0, axis=0, return_counts=True)
    dimensions = exact_ranks(X[None, :, :] * patterns[:, None, :])
    return int(np.sum(np.minimum(counts, dimensions)))


# --------------------------------------------------------------------------
# counting cells and the universal lower bound


def cell_count_bound(hyperplanes: int, d0: int) -> int:
    """``2 sum_{i < d0} C(n - 1, i)``: most cells ``n`` central hyperplanes cut ``R^d0`` into.

    Proved in the text (deconing plus the affine count); attained in general
    position.  With no hyperplane there is one cell.
    """
    if hyperplanes < 0 or d0 < 1:
        raise ValueError("need hyperplanes >= 0 and d0 >= 1")
    if hyperplanes == 0:
        return 1
    return 2 * sum(math.comb(hyperplanes - 1, i) for i in range(d0))


def uniform_overflow_probability(balls: int, bins: int, capacity: int) -> Fraction:
    """``P(some bin receives more than capacity balls)``, balls thrown uniformly.

    Exact: the number of assignments of ``t`` labelled balls to ``n`` bins with
    every load at most ``capacity`` obeys
    ``f_n(t) = sum_{i <= capacity} C(t, i) f_{n-1}(t - i)`` (the first bin takes
    ``i`` balls), which is ``t! [z^t] (sum_{i <= capacity} z^i / i!)^n``.
    """
    if balls < 0 or bins < 1 or capacity < 0:
        raise ValueError("need balls >= 0, bins >= 1, capacity >= 0")
    fitting = [1] + [0] * balls           # f_0(t): only t = 0 fits into no bin
    for _ in range(bins):
        fitting = [sum(math.comb(t, i) * fitting[t - i] for i in range(min(capacity, t) + 1))
                   for t in range(balls + 1)]
    return 1 - Fraction(fitting[balls], bins**balls)


def singular_probability_lower_bound(d0: int, m: int) -> Fraction:
    """Lower bound on ``P(rank ReLU(W X) < m)`` valid for *every* ``X`` (``d0 < m``).

    The rows of ``W`` (i.i.d., with a law giving hyperplanes zero mass) fall
    into ``N <= cell_count_bound(m, d0)`` cells; more than ``d0`` rows in one
    cell force rank deficiency, and the probability of that is smallest for
    ``N`` equally likely cells (proved in the text).
    """
    if not 1 <= d0 < m:
        raise ValueError(f"need 1 <= d0 < m, got d0={d0}, m={m}")
    return uniform_overflow_probability(m, cell_count_bound(m, d0), d0)


# --------------------------------------------------------------------------
# exact probabilities for d0 = 1 and d0 = 2


def line_singular_probability(X) -> Fraction:
    """Exact ``P(rank ReLU(W X) < m)`` for ``d0 = 1`` and Gaussian ``W``.

    ``ReLU(w x^T) = w^+ ReLU(x)^T + w^- ReLU(-x)^T`` has rank at most 2, so the
    probability is 1 for ``m >= 3``; for ``m = 2`` it is ``1/2`` when the two
    entries have opposite signs (full rank exactly when ``w_1 w_2 < 0``) and 1
    otherwise.
    """
    X = _data_matrix(X)
    if X.shape[0] != 1:
        raise ValueError("line_singular_probability needs d0 = 1")
    if X.shape[1] >= 3:
        return Fraction(1)
    return Fraction(1, 2) if X[0, 0] * X[0, 1] < 0 else Fraction(1)


def planar_cells(X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sectors of the line arrangement ``{w : w^T x_j = 0}`` in ``R^2``.

    Returns
    -------
    probabilities : numpy.ndarray, shape (N,)
        Angle of each sector over ``2 pi``: the probability that a Gaussian
        ``w`` (rotation invariant) falls in it.
    active : numpy.ndarray of bool, shape (N, m)
        Active set ``{j : w^T x_j > 0}`` of the sector (zero columns never active).
    bisectors : numpy.ndarray, shape (N, 2)
        Unit vector bisecting each sector.
    """
    X = _data_matrix(X)
    if X.shape[0] != 2:
        raise ValueError("planar_cells needs d0 = 2")
    nonzero = np.linalg.norm(X, axis=0) > 0
    if not nonzero.any():
        return np.array([1.0]), np.zeros((1, X.shape[1]), dtype=bool), np.array([[1.0, 0.0]])
    angles = np.arctan2(X[1, nonzero], X[0, nonzero])
    boundaries = np.unique(np.mod(np.concatenate([angles + np.pi / 2, angles - np.pi / 2]), 2 * np.pi))
    # Parallel columns give the same line; merge rays equal up to rounding.
    keep = np.concatenate([[True], np.diff(boundaries) > RAY_MERGE_TOL])
    boundaries = boundaries[keep]
    if boundaries[-1] - boundaries[0] > 2 * np.pi - RAY_MERGE_TOL:
        boundaries = boundaries[:-1]
    following = np.concatenate([boundaries[1:], [boundaries[0] + 2 * np.pi]])
    widths = following - boundaries
    middles = boundaries + widths / 2
    bisectors = np.stack([np.cos(middles), np.sin(middles)], axis=1)
    active = bisectors @ X > 0
    active[:, ~nonzero] = False
    return widths / (2 * np.pi), active, bisectors


def _angle(x: np.ndarray, y: np.ndarray) -> float:
    """Angle in ``[0, pi]`` between two nonzero vectors of the plane (``atan2``, accurate near 0 and pi)."""
    return math.atan2(abs(x[0] * y[1] - x[1] * y[0]), float(x @ y))


def three_point_singular_probability(X) -> float:
    """Exact ``P(rank ReLU(W X) < 3)`` for every ``X`` in ``R^{2 x 3}`` and Gaussian ``W``.

    The text proves, with ``theta(x, y)`` the angle between two columns:

    * a zero column, or two columns ``x``, ``c x`` with ``c > 0`` (equal columns
      included): probability 1;
    * a pair ``x``, ``-c x`` (``c > 0``) and a third column ``y``: with
      ``a = (pi - theta(x, y)) / (2 pi)`` and ``b = 1/2 - a``, ``5/8 - 3 a b``;
    * pairwise independent columns in an open half-plane, ``x_2`` between ``x_1``
      and ``x_3``: with ``a = theta_23 / (2 pi)``, ``b = theta_12 / (2 pi)``,
      ``s = a + b``, ``1 - 3/2 s (1 - s) - 3 a b``;
    * pairwise independent columns with ``0`` inside their convex hull: with
      ``a_j = (pi - theta_kl) / (2 pi)``,
      ``sum_j (9/2 a_j^2 - 4 a_j^3) + 18 a_1 a_2 a_3``.

    Which case applies is decided from exact sign tests when ``X`` has integer
    entries, and from floating-point signs otherwise.
    """
    X = _data_matrix(X)
    if X.shape != (2, 3):
        raise ValueError("three_point_singular_probability needs a 2 x 3 matrix")
    if np.any(np.all(X == 0, axis=0)):
        return 1.0
    cross = {(k, l): X[0, k] * X[1, l] - X[1, k] * X[0, l] for k, l in itertools.combinations(range(3), 2)}
    parallel = [(k, l) for (k, l), value in cross.items() if value == 0]
    if any(X[:, k] @ X[:, l] > 0 for k, l in parallel):
        return 1.0
    if parallel:
        # One antiparallel pair (two would make the third pair positively parallel).
        k, l = parallel[0]
        y = X[:, 3 - k - l]
        a = (np.pi - _angle(X[:, k], y)) / (2 * np.pi)
        return 5 / 8 - 3 * a * (0.5 - a)
    # Barycentric signs: 0 is inside the hull exactly when all three have one sign.
    weights = np.array([cross[(1, 2)], -cross[(0, 2)], cross[(0, 1)]])
    if np.all(weights > 0) or np.all(weights < 0):
        a = np.array([(np.pi - _angle(X[:, k], X[:, l])) / (2 * np.pi) for k, l in ((1, 2), (0, 2), (0, 1))])
        return float(np.sum(4.5 * a**2 - 4 * a**3) + 18 * np.prod(a))
    # Half-plane: the middle column is the one whose weight has the odd sign.
    signs = np.sign(weights)
    middle = int(np.flatnonzero(signs != np.sign(np.sum(signs)))[0])
    first, last = [j for j in range(3) if j != middle]
    a = _angle(X[:, middle], X[:, last]) / (2 * np.pi)
    b = _angle(X[:, first], X[:, middle]) / (2 * np.pi)
    s = a + b
    return 1 - 1.5 * s * (1 - s) - 3 * a * b


class PlanarTable(NamedTuple):
    """Rado's criterion decided for every multiset of cells of a planar ``X``.

    ``multisets[q]`` lists the cells of the ``m`` rows in increasing order,
    ``deficient[q]`` says whether ``P`` vanishes identically on that product,
    and ``weights[q]`` is the probability that Gaussian rows realise it.
    """

    probabilities: np.ndarray
    active: np.ndarray
    multisets: np.ndarray
    deficient: np.ndarray
    weights: np.ndarray


MULTISET_LIMIT = 100_000
"""Largest number of cell multisets :func:`planar_deficiency_table` enumerates."""


def _cell_subsets(cells: int, largest: int) -> np.ndarray:
    """Bit masks of every nonempty set of at most ``largest`` cells."""
    masks = np.arange(1, 1 << cells, dtype=np.int64)
    sizes = np.sum((masks[:, None] >> np.arange(cells)) & 1, axis=1)
    return masks[sizes <= largest]


def planar_deficiency_table(X, representative=None) -> PlanarTable:
    """Decide, for every assignment of the rows to sectors, whether ``F`` is singular on it.

    Deterministic and exact.  On the product of sectors ``C_1 x ... x C_m``
    (row ``i`` in ``C_i``), ``det F = P(W) = det[w_i^T X D_{S(C_i)}]``.  By Rado's
    theorem (proved in the text), ``P`` is not identically zero exactly when
    ``dim sum_{C in T} V_C >= sum_{C in T} n_C`` for every set ``T`` of cells,
    where ``V_C`` is the row space of ``X D_{S(C)}`` and ``n_C`` counts the rows
    in ``C``.  The dimensions are ranks of stacked matrices ``X D_S``, computed
    by :func:`exact_ranks`.  Only sets of at most ``m`` cells and dimension
    below ``m`` can fail, and among those only *closed* ones (adding any cell
    raises the dimension), since enlarging ``T`` without raising its dimension
    only adds rows.

    The sectors and their probabilities come from ``X``; the ranks may be
    computed on a ``representative`` ``A X`` instead (``A`` invertible), which
    has the same spaces ``V_S`` (:func:`_rank_data`).

    Parameters
    ----------
    X : array_like, shape (2, m)
    representative : array_like, shape (2, m), optional

    Returns
    -------
    PlanarTable
    """
    X = _data_matrix(X)
    if X.shape[0] != 2:
        raise ValueError("planar_deficiency_table needs d0 = 2")
    m = X.shape[1]
    probabilities, active, _ = planar_cells(X)
    rank_data = _rank_data(X, representative)
    cells = len(probabilities)
    if math.comb(cells + m - 1, m) > MULTISET_LIMIT:
        raise ValueError(f"{math.comb(cells + m - 1, m)} multisets of cells: too many to enumerate")
    masks = _cell_subsets(cells, m)
    members = (masks[:, None] >> np.arange(cells)) & 1 == 1                 # (K, N)
    largest = min(cells, m)
    # The cells of each set, padded with the index of an appended zero block.
    slots = np.sort(np.where(members, np.arange(cells), cells), axis=1)[:, :largest]
    masked = np.concatenate([rank_data[None, :, :] * active[:, None, :], np.zeros((1, 2, m))])  # X D_S per cell
    dimensions = exact_ranks(masked[slots].reshape(len(masks), 2 * largest, m))
    lookup = np.full(1 << cells, m + 1, dtype=np.int64)                      # unlisted sets: never binding
    lookup[masks] = dimensions
    raised = lookup[masks[:, None] | (1 << np.arange(cells))] > dimensions[:, None]
    closed = np.all(raised | members, axis=1)
    binding = closed & (dimensions < m)
    multisets = np.array(list(itertools.combinations_with_replacement(range(cells), m)), dtype=np.int64)
    counts = np.sum(multisets[:, :, None] == np.arange(cells), axis=1)
    loads = counts.astype(float) @ members[binding].T.astype(float)      # small integers: exact in BLAS
    deficient = np.any(loads > dimensions[binding][None, :], axis=1)
    factorials = np.array([math.factorial(k) for k in range(m + 1)], dtype=float)
    multiplicities = math.factorial(m) / np.prod(factorials[counts], axis=1)
    weights = multiplicities * np.exp(counts @ np.log(probabilities))
    return PlanarTable(probabilities, active, multisets, deficient, weights)


def exact_singular_probability_planar(X, representative=None) -> float:
    """Exact ``P(rank ReLU(W X) < m)`` for ``d0 = 2``: the multinomial sum over singular products.

    Deterministic: the sector probabilities are angles and the singular
    products are decided by Rado's criterion (:func:`planar_deficiency_table`,
    ranks on ``representative`` if given).
    """
    table = planar_deficiency_table(X, representative)
    return float(np.sum(table.weights[table.deficient]))


def table_multisets(table: PlanarTable) -> np.ndarray:
    """The multisets of a :class:`PlanarTable` as active-set codes, the input of :func:`rado_singular`."""
    m = table.active.shape[1]
    codes = table.active.astype(np.int64) @ (1 << np.arange(m, dtype=np.int64))
    return codes[table.multisets]


# --------------------------------------------------------------------------
# data matrices used in the text


def skew_triangle() -> np.ndarray:
    """``X_0 = [e_1, e_2, -(e_1 + e_2)]``: sector probabilities ``1/8, 1/8, 1/4``."""
    return np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])


def regular_triangle() -> np.ndarray:
    """Three unit vectors at angles ``90, 210, 330`` degrees."""
    angles = np.deg2rad([90.0, 210.0, 330.0])
    return np.stack([np.cos(angles), np.sin(angles)])


def regular_triangle_representative() -> np.ndarray:
    """``diag(2 / sqrt 3, 2)`` times the regular triangle: ``[[0, -1, 1], [2, -1, -1]]``.

    Integer, with the row space of the exact regular triangle, so the same
    spaces ``V_S`` and ranks; the ranks of the (rounded) :func:`regular_triangle`
    are computed on it.
    """
    return np.array([[0.0, -1.0, 1.0], [2.0, -1.0, -1.0]])


def halfplane_triangle() -> np.ndarray:
    """``[e_1, e_2, e_1 + e_2]``: three columns in an open half-plane, probability ``43/64``."""
    return np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])


def pair_triangle() -> np.ndarray:
    """``[e_1, e_2, -e_1]``: a pair ``x, -x`` and a third column, probability ``7/16``."""
    return np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]])


def full_rank_example() -> np.ndarray:
    """Rows in the three sectors with one active column each, for :func:`skew_triangle`.

    ``ReLU(W_0 X_0) = diag(1, 1, 2)`` although ``rank W_0 X_0 <= 2``.
    """
    return np.array([[1.0, -0.5], [-0.5, 1.0], [-1.0, -1.0]])


FAMILIES = ("general", "halfspace", "antipodal")


def _pairwise_independent(X: np.ndarray) -> bool:
    """No zero column and no two parallel (or antiparallel) columns; exact for small integers."""
    if np.any(np.all(X == 0, axis=0)):
        return False
    if X.shape[0] == 1:
        # Distinct absolute values: no two equal columns and no pair x, -x.
        return len(np.unique(np.abs(X))) == X.shape[1]
    d0, m = X.shape
    for k, l in itertools.combinations(range(m), 2):
        minors = np.outer(X[:, k], X[:, l])
        if np.all(minors == minors.T):
            return False
    return True


def data_family(family: str, d0: int, m: int, rng) -> np.ndarray:
    """A data matrix with integer entries from one of the three families of the experiments.

    ``general``: i.i.d. entries uniform on ``{-5, ..., 5}``.  ``halfspace``: the
    same with the first row uniform on ``{1, ..., 5}``, so every column lies in
    the open half-space ``{x_1 > 0}`` (as for data with a bias coordinate).
    ``antipodal``: ``[Z, -Z]`` for a ``general`` ``Z`` with ``m / 2`` columns
    (``m`` even): every column's negative is a column too, the case that
    arguments needing a half-space do not cover.  Matrices with a zero column
    or two parallel columns (for ``d0 = 1``: two entries of equal absolute value;
    entries then range over ``{-m, ..., m}``) are redrawn, so the columns are distinct and,
    within ``Z``, pairwise independent; so are matrices outside the Hadamard
    bound of :func:`schwartz_zippel_ready`.
    """
    rng = _generator(rng)
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}")
    if family == "antipodal" and m % 2:
        raise ValueError("the antipodal family needs an even m")
    if not 1 <= d0 < m or m > 8:
        raise ValueError(f"need 1 <= d0 < m <= 8 (exact arithmetic), got d0={d0}, m={m}")
    columns = m // 2 if family == "antipodal" else m
    # Scalar data need m distinct values, hence a wider range.
    bound = ENTRY_BOUND if d0 >= 2 else m
    while True:
        Z = rng.integers(-bound, bound + 1, size=(d0, columns)).astype(float)
        if family == "halfspace":
            Z[0] = rng.integers(1, bound + 1, size=columns)
        if not _pairwise_independent(Z):
            continue
        X = np.hstack([Z, -Z]) if family == "antipodal" else Z
        if np.unique(X, axis=1).shape[1] == m and schwartz_zippel_ready(X):
            return X


# --------------------------------------------------------------------------
# figures


def plot_cells(X, full_rank_W, ball_W, ball_radius, perturbed_W, path: Path) -> None:
    """The argument in ``d0 = 2``: the lines ``w^T x_j = 0``, the sectors and where rows sit.

    One panel, the plane ``R^2`` holding both the columns ``x_j`` (arrows, the
    normals of the lines) and the rows ``w``.  Sectors are labelled by their
    active set ``S`` and probability ``p`` (hatched: one active column; plain
    tint: two).  Also drawn: the rows of a full-rank ``W_0`` (one per
    single-column sector), the disc of radius ``r`` around the centre of
    :func:`rank_deficient_ball`, and the rows of a perturbed ``W'`` inside it.
    """
    X = _data_matrix(X)
    probabilities, active, bisectors = planar_cells(X)
    extent, label_radius = 2.4, 2.12
    with figstyle.figure(width=0.85, aspect=0.5) as (fig, axes):
        for j in range(X.shape[1]):
            normal = X[:, j] / np.linalg.norm(X[:, j])
            direction = np.array([-normal[1], normal[0]])
            axes.plot(*np.outer([-2 * extent, 2 * extent], direction).T, color=figstyle.COLORS[5], lw=0.8)
            axes.annotate("", xy=X[:, j], xytext=(0, 0),
                          arrowprops={"arrowstyle": "-|>", "color": figstyle.COLORS[4], "lw": 1.1})
            axes.annotate(f"$x_{j + 1}$", X[:, j] + 0.22 * normal, ha="center", va="center",
                          fontsize=9, bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"})
        for probability, mask, bisector in zip(probabilities, active, bisectors):
            middle = np.arctan2(bisector[1], bisector[0])
            arc = np.linspace(middle - np.pi * probability, middle + np.pi * probability, 16)
            outline = np.vstack([[0.0, 0.0], 2 * extent * np.column_stack([np.cos(arc), np.sin(arc)])])
            if mask.sum() == 1:
                axes.fill(*outline.T, facecolor="none", edgecolor=figstyle.COLORS[2], hatch="////", lw=0)
            else:
                axes.fill(*outline.T, color=figstyle.COLORS[0], alpha=0.22, lw=0)
            members = ",".join(str(j + 1) for j in np.flatnonzero(mask))
            fraction = Fraction(float(probability)).limit_denominator(64)
            axes.annotate(
                f"active {members}\np = {fraction.numerator}/{fraction.denominator}",
                label_radius * bisector, ha="center", va="center", fontsize=6.5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
        centre = ball_W[0]
        circle = np.linspace(0, 2 * np.pi, 90)
        axes.plot(centre[0] + ball_radius * np.cos(circle), centre[1] + ball_radius * np.sin(circle),
                  color=figstyle.COLORS[1], lw=0.9, ls="--")
        edge = centre + ball_radius * np.array([1.0, 0.0])
        axes.plot(*np.column_stack([centre, edge]), color=figstyle.COLORS[1], lw=0.6)
        axes.plot(*centre, marker="+", ms=5, color=figstyle.COLORS[1])
        axes.annotate("$r$", (centre + edge) / 2 + np.array([0.0, 0.14]), ha="center", va="center",
                      color=figstyle.COLORS[1], fontsize=9)
        axes.plot(*perturbed_W.T, ls="none", marker="o", color=figstyle.COLORS[1],
                  label="rows of W' in the disc of radius r: F singular")
        axes.plot(*full_rank_W.T, ls="none", marker="x", ms=5, color=figstyle.COLORS[3],
                  label="rows of W0: F invertible")
        axes.fill([], [], facecolor="none", edgecolor=figstyle.COLORS[2], hatch="////", lw=0,
                  label="one active column")
        axes.fill([], [], color=figstyle.COLORS[0], alpha=0.22, lw=0, label="two active columns")
        axes.plot([], [], color=figstyle.COLORS[4], lw=1.1, label="columns of X (normals of the lines)")
        axes.set_xlim(-extent, extent)
        axes.set_ylim(-extent, extent)
        axes.set_aspect("equal")
        # A schematic: the geometry matters, not the coordinates.
        axes.set_xticks([])
        axes.set_yticks([])
        fig.legend(loc="outside right center", fontsize=6.5, handletextpad=0.4)
        figstyle.save(fig, path)


def plot_frequency_vs_width(widths, relu, relu_se, exact, sigmoid_upper, bound, m: int, path: Path) -> None:
    """Rank-deficiency frequency against ``d0`` (fixed ``m``), in two panels.

    Left, linear axis: ReLU frequencies per data family with error bars of two
    standard errors, and the exact values (large hollow diamonds, drawn on top).
    Right, logarithmic axis: the lower bound ``beta(d0, m)`` valid for every
    ``X``, and the sigmoid's one-sided 95% upper confidence bounds (no draw was
    singular), drawn as downward arrows.  Legends are plain text: mathematical
    typesetting of every label would dominate the build time.

    Parameters
    ----------
    widths : sequence of int
        The values of ``d0``.
    relu, relu_se : dict family -> list of float
        ReLU frequencies and standard errors per family.
    exact : dict family -> dict d0 -> float
        Exact probabilities where the text computes them.
    sigmoid_upper : dict d0 -> float
        Upper confidence bound for the sigmoid frequency.
    bound : list of float
        The universal lower bound for every ``d0``.
    """
    markers = {"general": "o", "halfspace": "s", "antipodal": "^"}
    names = {"general": "general data", "halfspace": "half-space data", "antipodal": "antipodal data [Z, -Z]"}
    offsets = {"general": -0.12, "halfspace": 0.0, "antipodal": 0.12}
    ticks = (list(widths), [str(d) for d in widths])
    with figstyle.figure(width=1.0, aspect=0.4, ncols=2) as (fig, (linear, logarithmic)):
        for index, family in enumerate(FAMILIES):
            x = np.asarray(widths) + offsets[family]
            linear.errorbar(x, relu[family], yerr=2 * np.asarray(relu_se[family]), ls=figstyle.LINESTYLES[index],
                            marker=markers[family], ms=3.5, color=figstyle.COLORS[index], capsize=2.5,
                            elinewidth=1.0, label=f"ReLU, {names[family]}")
            points = sorted(exact.get(family, {}).items())
            linear.plot([d + offsets[family] for d, _ in points], [v for _, v in points], ls="none", marker="D",
                        ms=7, mfc="none", mec="black", mew=0.8, zorder=5)
        linear.plot([], [], ls="none", marker="D", ms=7, mfc="none", mec="black", mew=0.8, label="exact value")
        linear.set_ylim(-0.03, 1.05)
        linear.set_yticks([0.0, 0.5, 1.0], ["0", "1/2", "1"])
        linear.set_xticks(*ticks)
        linear.set_title("ReLU: frequency of rank deficiency (linear scale)")
        linear.legend(loc="lower left", fontsize=6.5)

        logarithmic.plot(widths, bound, color=figstyle.COLORS[5], ls=":", marker=".",
                         label="lower bound $\\beta$, every X")
        sig_x = np.array(sorted(sigmoid_upper))
        sig_y = np.array([sigmoid_upper[d] for d in sig_x])
        logarithmic.errorbar(sig_x, sig_y, yerr=0.7 * sig_y, uplims=True, ls="none", marker="_", ms=8,
                             color=figstyle.COLORS[3], capsize=3,
                             label="sigmoid, general data: 95% upper bound")
        logarithmic.set_yscale("log")
        logarithmic.set_yticks([10.0**-k for k in (0, 4, 8, 12)], ["1", "1e-4", "1e-8", "1e-12"])
        logarithmic.minorticks_off()
        logarithmic.set_xticks(*ticks)
        logarithmic.set_title("bound and sigmoid (log scale)")
        logarithmic.legend(loc="lower left", fontsize=6.5)
        fig.supxlabel(f"input dimension $d_0$ (m = {m} data points)", fontsize=8)
        figstyle.save(fig, path)


# --------------------------------------------------------------------------
# entry point


def _short_lower(value: float) -> float:
    """The largest two-significant-digit decimal at most ``value``: a threshold that prints briefly."""
    if value <= 0:
        return 0.0
    exact = Decimal(value)
    unit = Decimal(1).scaleb(exact.adjusted() - 1)
    rounded = exact.quantize(unit, rounding=ROUND_FLOOR)
    return float(rounded) if float(rounded) <= value else float(rounded - unit)


def active_set_rank_bounds(X, W) -> np.ndarray:
    """:func:`active_set_rank_bound` for a stack ``W`` of shape ``(B, rows, d0)``, vectorized.

    The ranks ``rank X_S`` are computed once per distinct active set.
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim != 3 or W.shape[2] != X.shape[0]:
        raise ValueError(f"W must have shape (B, rows, {X.shape[0]}), got {W.shape}")
    count, rows, _ = W.shape
    patterns, inverse = np.unique((W @ X > 0).reshape(-1, X.shape[1]), axis=0, return_inverse=True)
    dimensions = exact_ranks(X[None, :, :] * patterns[:, None, :])
    loads = np.zeros((count, len(patterns)), dtype=np.int64)
    np.add.at(loads, (np.repeat(np.arange(count), rows), inverse.ravel()), 1)
    return np.sum(np.minimum(loads, dimensions[None, :]), axis=1)


def exact_relu_ranks(X, W) -> np.ndarray:
    """Exact rank of ``ReLU(W X)`` for each ``W`` of a stack, for integer ``X`` and ``W``.

    ``W X`` is formed in floating point, which is exact here because every
    partial sum is an integer below ``2^53`` (checked); the ranks of the integer
    matrices ``ReLU(W X)`` are then computed by :func:`exact_ranks`.  Rows
    orthogonal to a column (``w^T x_j = 0``) are allowed: the rank lemma holds
    for every ``W``.
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim != 3 or W.shape[2] != X.shape[0]:
        raise ValueError(f"W must have shape (B, rows, {X.shape[0]}), got {W.shape}")
    if not (np.all(X == np.round(X)) and np.all(W == np.round(W))):
        raise ValueError("exact_relu_ranks needs integer X and W")
    if X.shape[0] * np.max(np.abs(X)) * (np.max(np.abs(W)) if W.size else 0.0) >= 2.0**53:
        raise ValueError("entries too large for an exact product in floating point")
    return exact_ranks(activate(W @ X, "relu"))


def ball_check(matrices, draws: int, rng) -> tuple[int, float]:
    """Random ``W'`` in the balls of :func:`rank_deficient_ball`: exact and floating-point verdicts.

    For each ``X``, ``draws`` matrices ``W' = W + E`` with ``E`` uniform in
    direction and ``||E||_F`` uniform in ``[0, r)``.

    Returns
    -------
    outside : int
        Number of ``W'`` with a row whose (certified) active set differs from
        the centre's, or with a sign that could not be certified: zero means
        every ``W'`` lies in ``C^m``, so ``F`` is singular by the rank lemma.
    worst_ratio : float
        Largest ``s_min / s_max`` of ``ReLU(W' X)``, a floating-point cross-check.
    """
    rng = _generator(rng)
    outside, worst = 0, 0.0
    for X in matrices:
        W, radius = rank_deficient_ball(X)
        E = rng.standard_normal((draws, *W.shape))
        E *= (radius * rng.random(draws) / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
        active, certified = certified_active_sets(X, W + E)
        centre, _ = certified_active_sets(X, W[:1])
        outside += int(np.sum(~certified | np.any(active != centre[0], axis=(1, 2))))
        worst = max(worst, float(np.max(singular_value_ratios(activate((W + E) @ X, "relu")))))
    return outside, worst


def ball_suite(rng) -> list[np.ndarray]:
    """Data matrices covering every case of the theorem (and beyond the problem's hypotheses)."""
    rng = _generator(rng)
    x = rng.standard_normal(3)
    Z = rng.standard_normal((3, 4))
    return [
        skew_triangle(),
        regular_triangle(),
        np.array([[1.0, -1.0]]),                      # d0 = 1, antipodal
        np.array([[0.5, 2.0, 3.0]]),                  # d0 = 1, one sign
        np.hstack([Z, -Z]),                           # antipodal pairs, d0 = 3, m = 8
        np.column_stack([x, x, 2 * x, -x]),           # repeated and parallel columns
        np.column_stack([np.zeros(3), Z]),            # a zero column
        np.zeros((2, 5)),                             # X = 0
        rng.standard_normal((4, 5)),                  # d0 = m - 1
        rng.standard_normal((2, 8)) * np.array([[1e-6], [1e6]]),  # badly scaled
    ]


class _Tally:
    """Bookkeeping of the exact ReLU decisions and of their cross-checks."""

    def __init__(self, crosscheck: int):
        self.crosscheck = crosscheck
        self.draws = 0
        self.uncertified = 0
        self.random_checks = 0
        self.random_error_bound = 0.0
        self.random_disagreements = 0
        self.rado_primes = 0
        self.deficient_ratios: list[np.ndarray] = []
        self.full_ratios: list[np.ndarray] = []
        self.svd_disagreements = 0

    def relu(self, X, samples: int, rng, representative=None) -> np.ndarray:
        """Rado's decisions for ``samples`` Gaussian ``W``, cross-checked.

        Ranks are computed on ``representative`` if given (``A X``, ``A``
        invertible).  Every distinct multiset of cells is also decided by
        random evaluation (on integer rank data: ``P`` for ``A X`` is ``P`` for
        ``X`` composed with ``W -> W A^T``), and the first draws by the singular
        value ratio.
        """
        X = _data_matrix(X)
        rank_data = _rank_data(X, representative)
        W = rng.standard_normal((samples, X.shape[1], X.shape[0]))
        active, certified = certified_active_sets(X, W)
        multisets, inverse = cell_multisets(active)
        singular = rado_singular(X, multisets, representative)
        deficient = singular[inverse]
        self.draws += samples
        self.uncertified += int(np.sum(~certified))
        self._count_primes(rank_data)
        if schwartz_zippel_ready(rank_data):
            self._random(rank_data, multisets, singular, rng)
        ratios = singular_value_ratios(activate(W[: self.crosscheck] @ X, "relu"))
        head = deficient[: self.crosscheck]
        self.deficient_ratios.append(ratios[head])
        self.full_ratios.append(ratios[~head])
        self.svd_disagreements += int(np.sum((ratios <= RANK_RTOL) != head))
        return deficient

    def table(self, rank_data, table: PlanarTable, rng) -> None:
        """Every multiset of a planar table, decided again by random evaluation (integer rank data)."""
        self._count_primes(rank_data)
        if schwartz_zippel_ready(rank_data):
            self._random(rank_data, table_multisets(table), table.deficient, rng)

    def _count_primes(self, rank_data) -> None:
        # Most primes any rank of Rado's criterion needs; infinity stands for the rational fallback.
        needed = rado_primes_needed(rank_data)
        self.rado_primes = max(self.rado_primes, math.inf if needed is None else needed)

    def _random(self, X, multisets: np.ndarray, singular: np.ndarray, rng) -> None:
        # One evaluation per distinct multiset: m / p bounds its chance of a false "singular".
        self.random_checks += len(multisets)
        self.random_error_bound += len(multisets) * X.shape[1] / PRIME
        self.random_disagreements += int(np.sum(random_evaluation_singular(X, multisets, rng) != singular))


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 3 claim and draw both figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=3)
    relu_samples = 2000
    exact_samples = 20_000
    sigmoid_samples = 500
    antipodal_sigmoid_samples = 200
    crosscheck_samples = 100
    ball_draws = 100
    lemma_draws = 300
    figure_m = 6
    seeds = itertools.count()

    def stream():
        return np.random.default_rng((SEED, next(seeds)))

    tally = _Tally(crosscheck_samples)
    led.parameter("seed", SEED, description="root seed of all experiments")
    led.parameter("relu_samples", relu_samples, description="Monte Carlo draws of $W$ per ReLU configuration")
    led.parameter("exact_samples", exact_samples, description="draws of $W$ for the exactly solved cases")
    led.parameter("sigmoid_samples", sigmoid_samples, description="draws of $W$ per sigmoid configuration")
    led.parameter("antipodal_sigmoid_samples", antipodal_sigmoid_samples,
                  description="draws of $W$ per sigmoid configuration with antipodal data")
    led.parameter("crosscheck_samples", crosscheck_samples,
                  description="ReLU draws per configuration also tested by the singular value ratio")
    led.parameter("entry_bound", ENTRY_BOUND, description="largest absolute entry of the random integer data, $d_0 \\ge 2$")
    led.parameter("rank_rtol", RANK_RTOL, description="relative threshold $\\tau$ of the floating-point rank test",
                  style="sci", digits=1)
    # Both are quoted as upper bounds, so they are printed rounded up.
    led.parameter("se_max", format_number(0.5 / math.sqrt(relu_samples), "sci", 2, "up"),
                  description="largest possible standard error of a ReLU frequency, $1/(2\\sqrt{n})$")
    led.parameter("sigmoid_upper", format_number(1 - 0.05 ** (1 / sigmoid_samples), "sci", 2, "up"),
                  description="one-sided 95% upper confidence bound when 0 of n sigmoid draws are singular")

    # The constructive proof: balls of rank-deficient W, for every kind of X.
    suite = ball_suite(stream())
    led.parameter("ball_cases", len(suite), description="data matrices in the ball check")
    led.parameter("ball_draws", ball_draws, description="perturbed $W'$ per data matrix")
    _, skew_radius = rank_deficient_ball(skew_triangle())
    led.claim("ball_radius_skew", skew_radius, at_least(0.707), source=rank_deficient_ball,
              description="radius of the ball for $X_0$", style="fixed", digits=6, rounding="down")
    led.claim("ball_radius_gap", abs(1 / math.sqrt(2) - skew_radius), at_most(1e-14), source=rank_deficient_ball,
              description="distance of that radius from $1/\\sqrt{2}$", style="sci", digits=1,
              rounding="up")
    outside, worst_ratio = ball_check(suite, ball_draws, stream())
    led.claim("ball_outside", outside, equals(0), source=ball_check,
              description="perturbed $W'$ with a row outside the centre's cell (exact signs)", style="int")
    led.claim("ball_max_ratio", worst_ratio, at_most(RANK_RTOL / 100), source=ball_check,
              description="largest singular value ratio of the ReLU features over all $W'$ in the balls",
              style="sci", digits=1)

    # The counterexample to two tempting statements, with exact ranks.
    X0, W0 = skew_triangle(), full_rank_example()
    led.claim("example_rank_f", int(exact_ranks(activate(W0 @ X0, "relu"))[0]), equals(3),
              source=exact_ranks, description="rank of the ReLU features of $W_0$ and $X_0$", style="int")
    led.claim("example_rank_g", int(exact_ranks(W0 @ X0)[0]), equals(2),
              source=exact_ranks, description="rank of the product $G$ of $W_0$ and $X_0$", style="int")

    # The rank lemma, on random integer data and integer weights (including lines d0 = 1): exact ranks.
    excess, line_rank, lemma_primes = -math.inf, 0, 0
    led.parameter("rank_lemma_draws", lemma_draws, description="random $W$ per data matrix in the rank-lemma check")
    for d0, m in [(1, 3), (1, 5), (1, 6), (2, 5), (3, 6), (4, 8)]:
        X = data_family("general", d0, m, stream())
        W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND + 1, size=(lemma_draws, m, d0)).astype(float)
        ranks = exact_relu_ranks(X, W)
        needed = _primes_needed(activate(W @ X, "relu"))
        lemma_primes = max(lemma_primes, math.inf if needed is None else needed)
        excess = max(excess, int(np.max(ranks - active_set_rank_bounds(X, W))))
        if d0 == 1:
            line_rank = max(line_rank, int(np.max(ranks)))
    led.claim("rank_bound_excess", excess, at_most(0), source=active_set_rank_bounds,
              description="largest excess of the exact rank of $F$ over the active-set bound, random integer"
              " data and weights", style="int")
    led.claim("line_max_rank", line_rank, at_most(2), source=exact_relu_ranks,
              description="largest exact rank of $F$ for scalar data and integer weights", style="int")
    led.claim("lemma_primes", lemma_primes, at_most(len(PRIMES)), source=exact_ranks,
              description="most primes the exact ranks of $F$ in the rank-lemma check needed (more: rational"
              " elimination)", style="int")

    # Exact small cases: formula, enumeration (Rado) and Monte Carlo (exact decisions).
    # The regular triangle is irrational: its ranks are computed on an integer representative A X.
    exact_cases = [
        ("line", np.array([[1.0, -1.0]]), None, Fraction(1, 2), "$d_0=1$, $x=(1,-1)$"),
        ("triangle_skew", X0, None, Fraction(53, 128), "$X_0$"),
        ("triangle_regular", regular_triangle(), regular_triangle_representative(), Fraction(29, 72),
         "the regular triangle"),
        ("triangle_halfplane", halfplane_triangle(), None, Fraction(43, 64), "$[e_1,e_2,e_1+e_2]$"),
        ("triangle_pair", pair_triangle(), None, Fraction(7, 16), "$[e_1,e_2,-e_1]$"),
    ]
    smallest_sector = math.inf
    for name, X, representative, target, label in exact_cases:
        if X.shape[0] == 2:
            table = planar_deficiency_table(X, representative)
            smallest_sector = min(smallest_sector, float(np.min(table.probabilities)))
            value = float(np.sum(table.weights[table.deficient]))
            led.claim(f"enum_{name}", abs(value - float(target)), at_most(1e-12),
                      source=exact_singular_probability_planar,
                      description=f"distance of the enumerated probability from {target}, {label}",
                      style="sci", digits=1, rounding="up")
            tally.table(X if representative is None else representative, table, stream())
        frequency = float(np.mean(tally.relu(X, exact_samples, stream(), representative)))
        error = standard_error(float(target), exact_samples)
        led.claim(f"mc_{name}", frequency, within_standard_errors(target, error, 4), source=rado_singular,
                  description=f"ReLU frequency for {label}; exact {target}", style="fixed", digits=4)
        led.claim(f"mc_{name}_z", abs(frequency - float(target)) / error, at_most(4.0), source=standard_error,
                  description=f"distance of that frequency from {target} in standard errors", style="fixed",
                  digits=2)

    # Grid of (d0, m): the bound, ReLU for three families, the sigmoid; the rows with m = 6 make the figure.
    widths = list(range(1, figure_m))
    grid = [(2, 4), (3, 4)] + [(d0, figure_m) for d0 in widths]
    led.parameter("figure_m", figure_m, description="number of data points $m$ in the $d_0$ sweep")
    sigmoid_ratios = []
    sigmoid_singular = 0
    antipodal_sigmoid_max = 0.0
    relu, relu_se, exact = {f: [] for f in FAMILIES}, {f: [] for f in FAMILIES}, {f: {} for f in FAMILIES}
    sigmoid_upper = {}
    planar = {}
    for d0, m in grid:
        bound = singular_probability_lower_bound(d0, m)
        cells = cell_count_bound(m, d0)
        led.claim(f"bound_d{d0}_m{m}", float(bound), at_least(_short_lower(float(Fraction(1, cells ** (m - 1))))),
                  source=singular_probability_lower_bound,
                  description=f"lower bound for every $X$, $d_0={d0}$, $m={m}$, with $N={cells}$ cells", style="sci",
                  rounding="down")
        row_singular = 0
        for family in FAMILIES:
            X = data_family(family, d0, m, stream())
            table = planar_deficiency_table(X) if (d0, m) == (2, figure_m) else None
            frequency = float(np.mean(tally.relu(X, relu_samples, stream())))
            led.claim(f"relu_{family}_d{d0}_m{m}", frequency, at_least(_short_lower(float(bound))),
                      source=rado_singular, description=f"ReLU frequency, {family} $X$, $d_0={d0}$, $m={m}$",
                      style="fixed", digits=3)
            if m == figure_m:
                relu[family].append(frequency)
                relu_se[family].append(standard_error(frequency, relu_samples))
                if d0 == 1:
                    exact[family][d0] = float(line_singular_probability(X))
                if table is not None:
                    exact[family][d0] = float(np.sum(table.weights[table.deficient]))
                    smallest_sector = min(smallest_sector, float(np.min(table.probabilities)))
                    tally.table(X, table, stream())
                    planar[family] = frequency
            if d0 == 1:
                continue  # no floating-point rank test decides the sigmoid for scalar data
            if family == "antipodal":
                ratios = sampled_ratios(X, "sigmoid", antipodal_sigmoid_samples, stream())
                antipodal_sigmoid_max = max(antipodal_sigmoid_max, float(np.max(ratios)))
                led.claim(f"sigmoid_antipodal_d{d0}_m{m}", declared_singular_fraction(ratios), equals(1.0),
                          source=declared_singular_fraction,
                          description=f"sigmoid frequency, antipodal $X$, $d_0={d0}$, $m={m}$", style="fixed",
                          digits=2)
            else:
                ratios = sampled_ratios(X, "sigmoid", sigmoid_samples, stream())
                sigmoid_ratios.append(ratios)
                singular = int(np.sum(ratios <= RANK_RTOL))
                row_singular += singular
                if family == "general" and m == figure_m:
                    sigmoid_upper[d0] = (1 - 0.05 ** (1 / sigmoid_samples) if singular == 0
                                         else singular / sigmoid_samples)
        if d0 >= 2:
            sigmoid_singular += row_singular
            led.claim(f"sigmoid_d{d0}_m{m}", row_singular, equals(0), source=declared_singular_fraction,
                      description=f"sigmoid draws declared singular, general and half-space $X$, $d_0={d0}$, $m={m}$",
                      style="int")
    led.claim("antipodal_sigmoid_max_ratio", antipodal_sigmoid_max, at_most(RANK_RTOL / 100), source=sampled_ratios,
              description="largest singular value ratio of sigmoid features, antipodal data of the table",
              style="sci", digits=1)
    bound_curve = [float(singular_probability_lower_bound(d0, figure_m)) for d0 in widths]
    for family in ("general", "halfspace"):
        target = exact[family][2]
        led.claim(f"exact_planar_{family}", target, at_least(_short_lower(bound_curve[1])),
                  source=exact_singular_probability_planar,
                  description=f"exact probability, {family} $X$, $d_0 = 2$, $m = {figure_m}$",
                  style="fixed", digits=4)
        led.claim(f"mc_planar_{family}_z", abs(planar[family] - target) / standard_error(target, relu_samples),
                  at_most(4.0), source=standard_error,
                  description=f"distance of the ReLU frequency from the exact value in standard errors, {family} $X$",
                  style="fixed", digits=2)

    # Scalar data: the sigmoid matrices are too ill-conditioned for any floating-point rank test.
    line_m = 8
    line_ratios = sampled_ratios(stream().standard_normal((1, line_m)), "sigmoid", sigmoid_samples, stream())
    led.parameter("line_m", line_m, description="number of scalar data points in the sigmoid conditioning check")
    led.claim("sigmoid_line_declared", declared_singular_fraction(line_ratios), greater_than(0.0),
              source=declared_singular_fraction,
              description=f"fraction of sigmoid draws below the threshold, Gaussian scalar data, $m = {line_m}$",
              style="fixed", digits=3)
    led.claim("sigmoid_line_median_ratio", float(np.median(line_ratios)), at_most(1e3 * RANK_RTOL),
              source=sampled_ratios,
              description=f"median singular value ratio of sigmoid features, Gaussian scalar data, $m = {line_m}$",
              style="sci", digits=1)

    # The exact ReLU decisions and their floating-point cross-check.
    deficient_ratios = np.concatenate(tally.deficient_ratios)
    full_ratios = np.concatenate(tally.full_ratios)
    led.parameter("relu_draws_total", tally.draws, description="ReLU draws decided exactly")
    led.parameter("crosscheck_total", deficient_ratios.size + full_ratios.size,
                  description="ReLU draws also tested by the singular value ratio")
    led.claim("uncertified_signs", tally.uncertified, equals(0), source=certified_active_sets,
              description="ReLU draws with a sign of $WX$ that could not be certified", style="int")
    led.parameter("random_checks", tally.random_checks,
                  description="distinct cell multisets also decided by random evaluation")
    led.claim("random_disagreements", tally.random_disagreements, equals(0), source=random_evaluation_singular,
              description="distinct cell multisets on which random evaluation contradicts Rado's criterion",
              style="int")
    led.claim("random_error_bound", tally.random_error_bound, at_most(1e-3), source=random_evaluation_singular,
              description="union bound on a false singular verdict of the random evaluation, $m/p$ summed over"
              " the evaluations", style="sci", digits=2, rounding="up")
    led.claim("rado_primes", tally.rado_primes, equals(1), source=rado_primes_needed,
              description="primes that make every rank of Rado's criterion exact, over all data decided",
              style="int")
    # Integer columns with entries at most B: distinct lines meet at an angle of at least arcsin(1 / (2 B^2)).
    sector_floor = _short_lower(math.asin(1 / (2 * ENTRY_BOUND**2)))
    led.parameter("ray_merge_tol", RAY_MERGE_TOL, description="angle below which two rays count as one line",
                  style="sci", digits=1)
    led.claim("min_sector_angle", 2 * math.pi * smallest_sector, at_least(sector_floor), source=planar_cells,
              description="smallest sector angle (radians) of the enumerated planar data",
              style="fixed", digits=3, rounding="down")
    led.claim("crosscheck_deficient_max_ratio", float(np.max(deficient_ratios)), at_most(RANK_RTOL / 100),
              source=singular_value_ratios,
              description="largest singular value ratio among ReLU draws decided singular", style="sci", digits=1)
    led.claim("crosscheck_full_min_ratio", float(np.min(full_ratios)), at_least(RANK_RTOL * 100),
              source=singular_value_ratios,
              description="smallest singular value ratio among ReLU draws decided nonsingular", style="sci",
              digits=1)
    led.claim("crosscheck_disagreements", tally.svd_disagreements, equals(0), source=singular_value_ratios,
              description="cross-checked ReLU draws where the threshold test disagrees with the exact decision",
              style="int")

    # The sigmoid: the threshold test, with d0 >= 2.
    sigmoid_all = np.concatenate(sigmoid_ratios)
    led.claim("sigmoid_singular_count", sigmoid_singular, equals(0), source=declared_singular_fraction,
              description="sigmoid draws declared singular, general and half-space data of table and figure",
              style="int")
    led.claim("sigmoid_min_ratio", float(np.min(sigmoid_all)), at_least(RANK_RTOL * 100), source=sampled_ratios,
              description="smallest singular value ratio over those sigmoid draws", style="sci", digits=1)
    led.parameter("sigmoid_draws_total", int(sigmoid_all.size), description="sigmoid draws behind that minimum")

    # Figures.
    ball_W, ball_radius = rank_deficient_ball(X0)
    E = stream().standard_normal(ball_W.shape)
    perturbed = ball_W + 0.9 * ball_radius * E / np.linalg.norm(E)
    plot_cells(X0, W0, ball_W, ball_radius, perturbed, figures_dir / "p3_cells.pdf")
    led.figure("cells", "p3_cells.pdf", source=plot_cells)
    plot_frequency_vs_width(widths, relu, relu_se, exact, sigmoid_upper, bound_curve, figure_m,
                            figures_dir / "p3_frequency.pdf")
    led.figure("frequency", "p3_frequency.pdf", source=plot_frequency_vs_width)
    return led
