"""Independent references for the claims of Problem 3: brute force and exact arithmetic on small cases.

Nothing here calls the code the claims test (:mod:`~generator.problem3.ranks`,
:mod:`~generator.problem3.rado`, :mod:`~generator.problem3.planar`,
:mod:`~generator.problem3.lower_bound`, :mod:`~generator.problem3.ball`); each
function computes the same mathematical quantity by another, slower and more
literal route:

* :func:`cell_count_by_rays` counts the cells of a generic central arrangement
  by listing the sign vectors next to its rays (the closed-form count is
  :func:`~generator.problem3.lower_bound.cell_count_bound`);
* :func:`overflow_probability_by_partitions` sums over the load profiles of
  balls in bins (the generating-function recursion is
  :func:`~generator.problem3.lower_bound.uniform_overflow_probability`);
* :func:`brute_force_singular_probability` sums, in exact rational arithmetic,
  over every ordered assignment of the rows to cells, and decides each by the
  coefficients of the determinant polynomial (not by Rado's criterion);
* :func:`ball_boundary_probes` and :func:`exact_hyperplane_distances` test the
  ball of the main theorem just inside and just outside its boundary;
* :func:`planar_sectors_reference` and :func:`enumerated_probability_reference`
  recompute the sectors of the plane and the enumerated probabilities from the
  lines, without rounding or merging angles;
* :func:`z_score_reference`, :func:`distinct_multiset_count` and
  :func:`singular_value_ratio_reference` recompute a distance in standard
  errors from the count, a number of distinct multisets from packed bits, and a
  singular value ratio with another LAPACK routine;
* :func:`data_law_violation` checks a data matrix against the description of
  its family in the text.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from fractions import Fraction

import numpy as np
import scipy.linalg

TURN_STEPS = 24
"""Directions recognised exactly by :func:`exact_direction`: multiples of ``1/24`` of a turn (15 degrees)."""


def cell_count_by_rays(X, margin: float = 1e-9) -> int:
    """Number of cells of the arrangement ``{w : w^T x_j = 0}`` of a generic ``X``, by listing them.

    For an essential arrangement the closure of every cell is a pointed cone,
    spanned by rays that lie on ``d0 - 1`` of the hyperplanes.  In general
    position such a ray ``v`` lies on exactly those, with independent normals,
    so the cells touching it are the sign vectors that agree with ``v`` off the
    ``d0 - 1`` hyperplanes and take every value on them.  The union of these
    sign vectors over all rays is the set of cells.

    Raises
    ------
    ValueError
        If ``X`` is not in general position within ``margin`` (a ray on more
        than ``d0 - 1`` hyperplanes, or dependent normals).
    """
    X = np.asarray(X, dtype=float)
    d0, m = X.shape
    units = X / np.linalg.norm(X, axis=0)
    patterns = set()
    for chosen in itertools.combinations(range(m), d0 - 1):
        normals = units[:, list(chosen)].T
        if d0 == 1:
            rays = np.ones((1, 1))
        else:
            rays = scipy.linalg.null_space(normals).T
        if rays.shape[0] != 1:
            raise ValueError("dependent normals: X is not in general position")
        others = [j for j in range(m) if j not in chosen]
        for ray in (rays[0], -rays[0]):
            products = ray @ units
            if np.any(np.abs(products[others]) <= margin):
                raise ValueError("a ray on too many hyperplanes: X is not in general position")
            for completion in itertools.product((False, True), repeat=d0 - 1):
                pattern = products > 0
                pattern[list(chosen)] = completion
                patterns.add(tuple(pattern))
    return len(patterns)


def _load_profiles(balls: int, capacity: int, largest: int | None = None):
    """Every non-increasing tuple of positive loads at most ``capacity`` summing to ``balls``."""
    largest = capacity if largest is None else largest
    if balls == 0:
        yield ()
        return
    for first in range(min(balls, largest), 0, -1):
        for rest in _load_profiles(balls - first, capacity, first):
            yield (first, *rest)


def overflow_probability_by_partitions(balls: int, bins: int, capacity: int) -> Fraction:
    """``P(some bin gets more than capacity balls)``, ``balls`` thrown uniformly into ``bins``, by profiles.

    An assignment whose nonzero loads, in decreasing order, are ``l_1 >= ... >= l_k``
    is fixed by choosing which balls go together (``balls! / prod l_i!``) and
    which distinct bins receive the groups (``bins! / (bins - k)!`` divided by
    the orders of equal loads).  Summing over the profiles with every load at
    most ``capacity`` counts the assignments that do not overflow.
    """
    fitting = 0
    for loads in _load_profiles(balls, capacity):
        if len(loads) > bins:
            continue
        groupings = math.factorial(balls) // math.prod(math.factorial(load) for load in loads)
        placements = math.perm(bins, len(loads)) // math.prod(
            math.factorial(times) for times in Counter(loads).values()
        )
        fitting += groupings * placements
    return 1 - Fraction(fitting, bins**balls)


def exact_direction(x) -> Fraction:
    """The angle of the nonzero vector ``x`` of the plane from ``e_1``, as a fraction of a full turn.

    Only directions at multiples of 15 degrees are accepted (recognised from the
    floating-point angle to within ``1e-9``), which covers the worked examples.
    """
    turn = math.atan2(float(x[1]), float(x[0])) / (2 * math.pi) * TURN_STEPS
    steps = round(turn)
    if abs(turn - steps) > 1e-9 or not np.any(np.asarray(x) != 0):
        raise ValueError(f"the direction of {x} is not a multiple of 15 degrees")
    return Fraction(steps % TURN_STEPS, TURN_STEPS)


def exact_turn(x, y) -> Fraction:
    """The angle between two nonzero vectors of the plane over ``2 pi``, exactly (see :func:`exact_direction`)."""
    difference = (exact_direction(y) - exact_direction(x)) % 1
    return min(difference, 1 - difference)


def planar_cells_exact(X) -> list[tuple[Fraction, tuple[bool, ...]]]:
    """The sectors of ``{w : w^T x_j = 0}`` in the plane: exact probability and active set of each.

    A column at direction ``alpha`` (in turns) bounds the sectors at
    ``alpha +- 1/4``; a row at direction ``mu`` makes the column active when
    ``mu - alpha`` lies strictly within a quarter turn of 0.  Zero columns are
    never active.
    """
    X = np.asarray(X, dtype=float)
    nonzero = [j for j in range(X.shape[1]) if np.any(X[:, j] != 0)]
    directions = {j: exact_direction(X[:, j]) for j in nonzero}
    rays = sorted({(alpha + shift) % 1 for alpha in directions.values() for shift in (Fraction(1, 4), Fraction(3, 4))})
    if not rays:
        return [(Fraction(1), (False,) * X.shape[1])]
    cells = []
    for start, stop in zip(rays, rays[1:] + [rays[0] + 1]):
        middle = (start + stop) / 2
        active = tuple(j in directions and ((middle - directions[j]) % 1 < Fraction(1, 4)
                                            or (middle - directions[j]) % 1 > Fraction(3, 4))
                       for j in range(X.shape[1]))
        cells.append((stop - start, active))
    return cells


def line_cells(X) -> list[tuple[Fraction, tuple[bool, ...]]]:
    """The two cells ``w > 0`` and ``w < 0`` for ``d0 = 1``, each of probability ``1/2``, with their active sets."""
    x = np.asarray(X, dtype=float)[0]
    return [(Fraction(1, 2), tuple(bool(v > 0) for v in x)), (Fraction(1, 2), tuple(bool(v < 0) for v in x))]


def _determinant(rows: list[list[Fraction]]) -> Fraction:
    """Determinant of a square matrix of fractions by elimination with exact pivots."""
    rows = [list(row) for row in rows]
    size, product = len(rows), Fraction(1)
    for k in range(size):
        pivot = next((i for i in range(k, size) if rows[i][k] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != k:
            rows[k], rows[pivot] = rows[pivot], rows[k]
            product = -product
        product *= rows[k][k]
        for i in range(k + 1, size):
            factor = rows[i][k] / rows[k][k]
            rows[i] = [a - factor * b for a, b in zip(rows[i], rows[k])]
    return product


def identically_singular(rank_data, actives) -> bool:
    """Whether ``P(W) = det[w_i^T X D_{S_i}]`` vanishes identically, from its coefficients.

    Row ``i`` of the matrix is ``sum_k w_ik (row k of X D_{S_i})``, so ``P`` is
    the sum over ``k in {1..d0}^m`` of ``prod_i w_{i k_i}`` times the
    determinant of the chosen rows; distinct ``k`` give distinct monomials, so
    ``P`` vanishes identically exactly when all ``d0^m`` determinants do.
    ``rank_data`` may be ``A X`` for an invertible ``A`` (``P`` composed with
    ``W -> W A``).
    """
    X = [[Fraction(float(v)) for v in row] for row in np.asarray(rank_data, dtype=float)]
    d0, m = len(X), len(X[0])
    for choice in itertools.product(range(d0), repeat=m):
        rows = [[X[k][j] if active[j] else Fraction(0) for j in range(m)] for k, active in zip(choice, actives)]
        if _determinant(rows) != 0:
            return False
    return True


def brute_force_singular_probability(rank_data, cells) -> tuple[Fraction, Fraction]:
    """``(P(rank F < m), P(rank F = m))`` summed over every ordered assignment of the rows to ``cells``.

    ``cells`` lists ``(probability, active set)``; the rows are independent,
    so an assignment has the product of its cells' probabilities, and it is
    singular for almost every ``W`` exactly when the determinant polynomial
    vanishes identically (:func:`identically_singular`).  Both sums are
    returned, so that each is an independent count.
    """
    m = np.asarray(rank_data).shape[1]
    decided: dict[tuple[int, ...], bool] = {}
    singular, full = Fraction(0), Fraction(0)
    for assignment in itertools.product(range(len(cells)), repeat=m):
        key = tuple(sorted(assignment))
        if key not in decided:
            decided[key] = identically_singular(rank_data, [cells[c][1] for c in key])
        weight = math.prod((cells[c][0] for c in assignment), start=Fraction(1))
        if decided[key]:
            singular += weight
        else:
            full += weight
    return singular, full


def exact_hyperplane_distances(w, X) -> np.ndarray:
    """Distances ``|w^T x_j| / ||x_j||`` of ``w`` from the hyperplanes of the nonzero columns.

    Squared in exact rational arithmetic (each float read as the rational it
    is) and rounded once, so the only error is that of the final square root.
    """
    w = [Fraction(float(v)) for v in w]
    distances = []
    for column in np.asarray(X, dtype=float).T:
        x = [Fraction(float(v)) for v in column]
        squared_norm = sum(v * v for v in x)
        if squared_norm:
            distances.append(math.sqrt(sum(a * b for a, b in zip(w, x)) ** 2 / squared_norm))
    return np.array(distances)


def _exact_signs(W, X) -> np.ndarray:
    """Signs of the entries of ``W X``, in exact rational arithmetic."""
    W = [[Fraction(float(v)) for v in row] for row in np.asarray(W, dtype=float)]
    X = np.asarray(X, dtype=float)
    columns = [[Fraction(float(v)) for v in column] for column in X.T]
    return np.array([[np.sign(sum(a * b for a, b in zip(row, column))) for column in columns] for row in W])


def ball_boundary_probes(X, W, radius: float, relative_step: float) -> tuple[bool, bool]:
    """Does the ball of radius ``radius`` around ``W = 1 w^T`` end where the argument of the theorem ends?

    The worst perturbation of Frobenius norm ``t`` moves one row by ``t``
    straight towards the nearest hyperplane ``{v : v^T x_j = 0}``.  Returns
    whether that row, moved by ``(1 - relative_step) radius``, keeps every sign
    of ``w^T x_j`` (it must: the ball is not too large), and whether, moved by
    ``(1 + relative_step) radius``, it changes one (it must: the ball is as
    large as the argument allows).  Signs are exact.
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(W, dtype=float)[0]
    keep = np.any(X != 0, axis=0)
    distances = exact_hyperplane_distances(w, X)
    nearest = X[:, keep][:, int(np.argmin(distances))]
    normal = np.sign(w @ nearest) * nearest / np.linalg.norm(nearest)
    centre = _exact_signs(w[None, :], X)
    inside = w - (1 - relative_step) * radius * normal
    outside = w - (1 + relative_step) * radius * normal
    stays = bool(np.all(_exact_signs(inside[None, :], X) == centre))
    leaves = bool(np.any(_exact_signs(outside[None, :], X) != centre))
    return stays, leaves


def _cross(a, b) -> float:
    return a[0] * b[1] - a[1] * b[0]


def _ray_order(a, b) -> int:
    """Counter-clockwise order of two directions from the positive first axis, by exact sign tests."""
    def half(v):
        return 0 if v[1] > 0 or (v[1] == 0 and v[0] > 0) else 1
    if half(a) != half(b):
        return half(a) - half(b)
    cross = _cross(a, b)
    return -1 if cross > 0 else (1 if cross < 0 else 0)


def planar_sectors_reference(X) -> list[tuple[float, tuple[bool, ...]]]:
    """The sectors of ``{w : w^T x_j = 0}`` in the plane, from the lines themselves: angle and active set.

    Independent of :func:`~generator.problem3.planar.planar_cells`: no angle is
    rounded or merged.  The boundary rays are the normals ``+-(-x_2, x_1)`` of
    the nonzero columns, ordered counter-clockwise and told apart by exact sign
    tests (exact for integer data: two rays are one when their cross product
    vanishes and their dot product is positive).  A sector between consecutive
    rays ``a``, ``b`` has the angle ``atan2(a x b, a . b)`` (``pi`` for a single
    line), and its active set is read at ``a / |a| + b / |b|``, strictly inside.
    """
    X = np.asarray(X, dtype=float)
    columns = [X[:, j] for j in range(X.shape[1]) if np.any(X[:, j] != 0)]
    if not columns:
        return [(2 * math.pi, (False,) * X.shape[1])]
    rays = []
    for x in columns:
        for ray in ((-x[1], x[0]), (x[1], -x[0])):
            if not any(_cross(ray, r) == 0 and ray[0] * r[0] + ray[1] * r[1] > 0 for r in rays):
                rays.append(ray)
    rays.sort(key=functools.cmp_to_key(_ray_order))
    sectors = []
    for a, b in zip(rays, rays[1:] + rays[:1]):
        angle = math.atan2(_cross(a, b), a[0] * b[0] + a[1] * b[1])
        if len(rays) == 2:
            angle, inside = math.pi, (-a[1], a[0])
        else:
            inside = np.array(a) / math.hypot(*a) + np.array(b) / math.hypot(*b)
        sectors.append((angle, tuple(bool(inside @ X[:, j] > 0) for j in range(X.shape[1]))))
    return sectors


def enumerated_probability_reference(X, active, multisets, deficient) -> float:
    """The probability of the multisets marked ``deficient``, with sector probabilities from the lines themselves.

    ``active`` lists the active set of each sector of an enumeration and
    ``multisets`` the sectors of the ``m`` rows; each sector's probability is
    taken from :func:`planar_sectors_reference` by its active set (distinct
    cells have distinct active sets), and a multiset with ``c_k`` rows in
    sector ``k`` weighs ``prod_k binom(c_1 + ... + c_k, c_k) p_k^{c_k}`` (the
    multinomial law of the rows, as a product of binomials).  NaN when the
    sectors do not match.
    """
    exact = {pattern: angle / (2 * math.pi) for angle, pattern in planar_sectors_reference(X)}
    patterns = [tuple(bool(v) for v in row) for row in np.asarray(active)]
    if len(set(patterns)) != len(exact) or any(p not in exact for p in patterns):
        return math.nan
    probabilities = np.array([exact[p] for p in patterns])
    chosen = np.asarray(multisets)[np.asarray(deficient, dtype=bool)]
    counts = np.zeros((len(chosen), len(patterns)), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(chosen)), chosen.shape[1]), chosen.ravel()), 1)
    binomials = np.array([[math.comb(n, k) for k in range(n + 1)] + [0] * (chosen.shape[1] - n)
                          for n in range(chosen.shape[1] + 1)], dtype=float)
    ways = np.prod(binomials[np.cumsum(counts, axis=1), counts], axis=1)
    return float(np.sum(ways * np.prod(probabilities[None, :] ** counts, axis=1)))


def z_score_reference(count: int, probability: Fraction, samples: int) -> float:
    """``|k - n p| / sqrt(n p (1 - p))`` for ``k`` successes in ``n`` draws, squared in exact rational arithmetic."""
    p = Fraction(probability)
    if p in (0, 1):
        return 0.0 if count == samples * p else math.inf
    return math.sqrt((count - samples * p) ** 2 / (samples * p * (1 - p)))


def distinct_multiset_count(active: np.ndarray) -> int:
    """How many distinct multisets of active sets the draws of a stack hold (``m <= 8``), from packed bits."""
    active = np.asarray(active, dtype=bool)
    if active.shape[-1] > 8:
        raise ValueError("distinct_multiset_count packs an active set into one byte (m <= 8)")
    codes = np.sort(np.packbits(active, axis=-1, bitorder="little")[..., 0], axis=1)
    # The m sorted bytes of a draw, padded to eight, read as one 64-bit word.
    padded = np.zeros((codes.shape[0], 8), dtype=np.uint8)
    padded[:, : codes.shape[1]] = codes
    return int(np.unique(padded.view(np.uint64)).size)


def singular_value_ratio_reference(W, X, activation: str) -> float:
    """``s_min / s_max`` of ``sigma(W X)`` for one ``W``: entries summed exactly, LAPACK's ``gesvd``.

    Independent of :func:`~generator.problem3.features.singular_value_ratios`
    (numpy's batched ``gesdd``) and of :func:`~generator.problem3.features.activate`.
    """
    W, X = np.asarray(W, dtype=float), np.asarray(X, dtype=float)
    G = [[math.fsum(W[i, k] * X[k, j] for k in range(X.shape[0])) for j in range(X.shape[1])]
         for i in range(W.shape[0])]
    if activation == "relu":
        F = [[max(t, 0.0) for t in row] for row in G]
    else:
        F = [[1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t)) for t in row] for row in G]
    values = scipy.linalg.svd(np.array(F), compute_uv=False, lapack_driver="gesvd")
    return float(values[-1] / values[0]) if values[0] > 0 else 0.0


def _independent_columns(X) -> bool:
    """No zero column and no two parallel columns (integer data: every 2 x 2 minor compared exactly)."""
    columns = [tuple(int(v) for v in X[:, j]) for j in range(X.shape[1])]
    if any(not any(x) for x in columns):
        return False
    for x, y in itertools.combinations(columns, 2):
        if all(x[i] * y[k] == x[k] * y[i] for i in range(len(x)) for k in range(len(x))):
            return False
    return True


def data_law_violation(family: str, X, bound: int) -> bool:
    """Whether a data matrix breaks the description of its family in the text.

    Integer entries in ``{-B, ..., B}`` (``d0 >= 2``) or ``{-m, ..., m}`` with
    distinct absolute values (``d0 = 1``); for ``halfspace`` the first row in
    ``{1, ..., B}`` (``{1, ..., m}``); for ``antipodal`` ``X = [X', -X']``;
    no zero column and no two parallel columns (within ``X'`` for antipodal data).
    """
    X = np.asarray(X, dtype=float)
    d0, m = X.shape
    if not np.all(X == np.round(X)):
        return True
    limit = bound if d0 >= 2 else m
    half = X[:, : m // 2] if family == "antipodal" else X
    if family == "antipodal" and (m % 2 or not np.array_equal(X[:, m // 2:], -half)):
        return True
    if np.any(np.abs(X) > limit):
        return True
    if d0 == 1:
        magnitudes = {abs(int(v)) for v in half[0]}
        if 0 in magnitudes or len(magnitudes) != half.shape[1]:
            return True
    elif not _independent_columns(half):
        return True
    return family == "halfspace" and bool(np.any(X[0] < 1))
