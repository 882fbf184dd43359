"""The data matrices: the worked examples of the text, the random families and the ball suite.

The examples are the small planar matrices whose probabilities the text
computes exactly; :func:`data_family` draws integer data of the three families
of the experiments (so that every rank computed from ``X`` is exact), and
:func:`ball_suite` lists a matrix for every case of the main theorem.
"""

from __future__ import annotations

import itertools

import numpy as np

from generator.problem3.arguments import _generator
from generator.problem3.rado import schwartz_zippel_ready

ENTRY_BOUND = 5
"""Data entries of the random families are integers in ``[-ENTRY_BOUND, ENTRY_BOUND]``.

Integer data make every rank computed from ``X`` exact; with ``m <= 8`` a row of
``X`` has norm at most ``5 sqrt(8)`` and ``(5 sqrt 8)^8 < PRIME``, so one prime
suffices for matrices built from masked rows of ``X``.
"""


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
