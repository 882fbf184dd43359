"""Exact probabilities of rank deficiency in low dimension: ``d0 = 1`` and ``d0 = 2``.

For ``d0 = 1`` the probability has a closed form
(:func:`line_singular_probability`).  In the plane the arrangement
``{w : w^T x_j = 0}`` is a set of lines through the origin, whose sectors
(:func:`planar_cells`) a Gaussian row falls into with probability its angle
over ``2 pi``.  Enumerating every multiset of sectors for the ``m`` rows and
deciding each by Rado's criterion (:func:`planar_deficiency_table`) gives the
exact probability (:func:`exact_singular_probability_planar`); for three
points it also has closed forms (:func:`three_point_singular_probability`).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from generator.problem3.arguments import _data_matrix
from generator.problem3.rado import _rank_data
from generator.problem3.ranks import exact_ranks


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


RAY_MERGE_TOL = 1e-12
"""Rays of :func:`planar_cells` whose floating-point angles differ by less count as one line.

Parallel columns give the same line, but their ``atan2`` angles may differ by
a few ulps.  Distinct lines of integer columns with entries at most ``B`` meet
at an angle of at least ``arcsin(1 / (2 B^2))`` (determinant at least 1, norms
at most ``B sqrt 2``), far above this threshold.
"""


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


def _turn(x: np.ndarray, y: np.ndarray) -> float:
    """The angle between two nonzero vectors of the plane as a fraction of a full turn, ``angle / (2 pi)``."""
    return _angle(x, y) / (2 * math.pi)


HALF = Fraction(1, 2)


def pair_probability(p):
    """``5/8 - 3 p p'`` with ``p' = 1/2 - p``: a pair ``x, -c x`` and a third column (exact for a Fraction ``p``)."""
    return Fraction(5, 8) - 3 * p * (HALF - p)


def halfplane_probability(p, p_prime):
    """``1 - 3/2 s (1 - s) - 3 p p'`` with ``s = p + p'``: three columns in an open half-plane."""
    s = p + p_prime
    return 1 - Fraction(3, 2) * s * (1 - s) - 3 * p * p_prime


def triangle_probability(p1, p2, p3):
    """``sum_j (9/2 p_j^2 - 4 p_j^3) + 18 p_1 p_2 p_3``: three columns with 0 inside their convex hull."""
    return sum(Fraction(9, 2) * p**2 - 4 * p**3 for p in (p1, p2, p3)) + 18 * p1 * p2 * p3


def three_point_singular_probability(X, turn=_turn):
    """Exact ``P(rank ReLU(W X) < 3)`` for every ``X`` in ``R^{2 x 3}`` and Gaussian ``W``.

    The text proves, with ``phi(x, y)`` the angle between two columns and
    ``turn(x, y) = phi(x, y) / (2 pi)``:

    * a zero column, or two columns ``x``, ``c x`` with ``c > 0`` (equal columns
      included): probability 1;
    * a pair ``x``, ``-c x`` (``c > 0``) and a third column ``y``: with
      ``p = 1/2 - turn(x, y)``, :func:`pair_probability`;
    * pairwise independent columns in an open half-plane, ``x_2`` between ``x_1``
      and ``x_3``: with ``p = turn(x_2, x_3)``, ``p' = turn(x_1, x_2)``,
      :func:`halfplane_probability`;
    * pairwise independent columns with ``0`` inside their convex hull: with
      ``p_j = 1/2 - turn(x_k, x_l)``, :func:`triangle_probability`.

    Which case applies is decided from exact sign tests when ``X`` has integer
    entries, and from floating-point signs otherwise.  ``turn`` may return
    fractions (for angles known exactly), and then so does this function.
    """
    X = _data_matrix(X)
    if X.shape != (2, 3):
        raise ValueError("three_point_singular_probability needs a 2 x 3 matrix")
    if np.any(np.all(X == 0, axis=0)):
        return Fraction(1)
    cross = {(k, l): X[0, k] * X[1, l] - X[1, k] * X[0, l] for k, l in itertools.combinations(range(3), 2)}
    parallel = [(k, l) for (k, l), value in cross.items() if value == 0]
    if any(X[:, k] @ X[:, l] > 0 for k, l in parallel):
        return Fraction(1)
    if parallel:
        # One antiparallel pair (two would make the third pair positively parallel).
        k, l = parallel[0]
        return pair_probability(HALF - turn(X[:, k], X[:, 3 - k - l]))
    # Barycentric signs: 0 is inside the hull exactly when all three have one sign.
    weights = np.array([cross[(1, 2)], -cross[(0, 2)], cross[(0, 1)]])
    if np.all(weights > 0) or np.all(weights < 0):
        return triangle_probability(*(HALF - turn(X[:, k], X[:, l]) for k, l in ((1, 2), (0, 2), (0, 1))))
    # Half-plane: the middle column is the one whose weight has the odd sign.
    signs = np.sign(weights)
    middle = int(np.flatnonzero(signs != np.sign(np.sum(signs)))[0])
    first, last = [j for j in range(3) if j != middle]
    return halfplane_probability(turn(X[:, middle], X[:, last]), turn(X[:, first], X[:, middle]))


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
