"""The exact, deterministic decision of ``rank ReLU(W X) < m``: Rado's criterion.

A row ``w`` of ``W`` lies in the cell of the arrangement ``{w^T x_j = 0}`` given
by its active set ``S(w) = {j : w^T x_j > 0}``; :func:`certified_active_sets`
computes the active sets with a certificate that every sign is right, and
:func:`cell_multisets` reduces a stack of draws to the distinct multisets of
cells holding their rows.  On the product of those cells ``det F`` is the
polynomial ``P(W) = det[w_i^T X D_{S_i}]``, and :func:`rado_singular` decides
whether it vanishes identically from dimensions of sums of the spaces ``V_S``
(row spaces of ``X D_S``), exact ranks of matrices built from ``X``
(:func:`generator.problem3.ranks.exact_ranks`).  :func:`relu_deficient`
composes the three.  Evaluating ``P`` at a random point modulo the prime
``PRIME`` (Schwartz--Zippel, :func:`random_evaluation_singular`) serves only as
a cross-check.
"""

from __future__ import annotations

import numpy as np

from generator.problem3.arguments import _data_matrix, _generator
from generator.problem3.ranks import PRIME, _primes_for, _singular_mod_prime, exact_ranks

UNIT_ROUNDOFF = 2.0**-53


def _gamma(n: int) -> float:
    """Higham's ``gamma_n = n u / (1 - n u)``: relative error bound of an ``n``-term dot product."""
    return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF)


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


def _distinct_cells(multisets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct cells of each sorted multiset in slots ``0, ..., size - 1``, with their numbers of rows.

    Returns ``cells`` and ``loads``, of the shape ``(K, m)`` of ``multisets``
    and zero beyond the last occupied slot, and ``sizes``, the number of
    distinct cells of each multiset.
    """
    count, m = multisets.shape
    rows = np.repeat(np.arange(count), m)
    new = np.ones_like(multisets, dtype=bool)
    new[:, 1:] = multisets[:, 1:] != multisets[:, :-1]
    slot = (np.cumsum(new, axis=1) - 1).ravel()
    cells = np.zeros((count, m), dtype=np.int64)
    loads = np.zeros((count, m), dtype=np.int64)
    cells[rows, slot] = multisets.ravel()
    np.add.at(loads, (rows, slot), 1)
    return cells, loads, np.sum(new, axis=1)


def _lower_bounds(level, cells, union, dimension, rank_of_columns) -> np.ndarray:
    """``max_{C in T} dim V(T - C) + r_{S_C - U(T - C)}`` for each set ``T`` of slots in ``level``.

    ``level`` holds bit masks of sets of slots, all of one size; ``dimension``
    holds ``dim V`` (or a lower bound of it) for the smaller sets, ``union``
    the unions ``U`` of their active sets, and ``rank_of_columns`` the ranks
    ``r_Q`` of :func:`column_set_ranks`.
    """
    lower = np.zeros((len(cells), len(level)), dtype=np.int64)
    for i in range(cells.shape[1]):
        holds = (level >> i) & 1 == 1
        smaller = level[holds] ^ (1 << i)
        gain = rank_of_columns[cells[:, [i]] & ~union[:, smaller]]
        lower[:, holds] = np.maximum(lower[:, holds], dimension[:, smaller] + gain)
    return lower


def _stacked_dimensions(X: np.ndarray, cells: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """``dim V(T)``: the exact rank of the stacked ``X D_S`` over the active sets ``S`` of ``T``.

    Row ``k`` of ``cells`` holds the active-set codes of the slots of one
    multiset and ``sets[k]`` the bit mask of the slots of ``T``; the ranks are
    computed by :func:`exact_ranks` once per distinct set of active sets.
    """
    d0, m = X.shape
    chosen = (sets[:, None] >> np.arange(m)) & 1 == 1
    # The active sets of T, padded with the empty set, whose block X D_0 = 0 adds nothing.
    members = np.sort(np.where(chosen, cells, 0), axis=1)
    distinct, back = np.unique(members, axis=0, return_inverse=True)
    blocks = (distinct[:, :, None] >> np.arange(m)) & 1
    stacks = (X[None, None, :, :] * blocks[:, :, None, :]).reshape(len(distinct), m * d0, m)
    return exact_ranks(stacks)[back.ravel()]


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
    m = X.shape[1]
    multisets = np.asarray(multisets, dtype=np.int64)
    if multisets.ndim != 2 or multisets.shape[1] != m:
        raise ValueError(f"multisets must have shape (K, {m}), got {multisets.shape}")
    multisets = np.sort(multisets, axis=1)
    if np.any(multisets < 0) or np.any(multisets >= 1 << m):
        raise ValueError("active-set codes must lie in [0, 2^m)")
    rank_of_columns = column_set_ranks(X)
    bit_counts = np.array([bin(value).count("1") for value in range(1 << m)])
    count = len(multisets)
    cells, loads, sizes = _distinct_cells(multisets)
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
        lower = _lower_bounds(level, cells, union, dimension, rank_of_columns)
        upper = bit_counts[union[:, level]]
        if size == 1:
            upper = np.minimum(upper, lower)  # the bound is exact for one cell: r_S
        inside = level[None, :] < (1 << sizes)[:, None]          # T uses occupied slots only
        load = rows_in[:, level]
        violated = np.any(inside & (load > upper), axis=1)
        undecided = inside & (load > lower) & (load <= upper) & ~violated[:, None]
        if undecided.any():
            which, column = np.nonzero(undecided)
            exact = _stacked_dimensions(X, cells[which], level[column])
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
