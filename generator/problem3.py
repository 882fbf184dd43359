"""Problem 3: is ``ReLU(W X)`` full rank for almost every ``W``?  No, for every ``X``.

Setting (assignment, Problem 3): ``X`` is ``d0 x m`` with ``d0 < m``, ``W`` is
``m x d0`` and ``F = sigma(W X)`` is ``m x m``.  For the sigmoid, the set of
``W`` with ``F`` rank-deficient is Lebesgue-null (Nguyen & Hein 2017,
arXiv:1704.08045, Lemma 4, as paraphrased by the assignment); the mechanism is
real-analyticity of ``det F`` in ``W``.  For the ReLU the answer is *no*: write
``S(w) = {j : w^T x_j > 0}`` for the active set of a row ``w``; then

    ReLU(w^T X) = w^T X D_{S(w)},    D_S = diag(1[j in S]),

so rows that share an active set lie in the row space of ``X D_S``, of
dimension at most ``d0 < m``.  The set of ``W`` whose ``m`` rows all sit in one
open cell of the arrangement ``{w^T x_j = 0}`` is open and nonempty, hence of
positive measure, for every ``X`` (``templates/problem3.tex`` has the proofs).

This module holds the constructive form of the proof
(:func:`rank_deficient_ball`), the Monte Carlo rank test
(:func:`singular_fraction`), the exact probabilities and the universal lower
bound proved in the text, the two figures and :func:`run`.
"""

from __future__ import annotations

import itertools
import math
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.special import expit

from generator import figstyle
from generator.ledger import (
    Ledger,
    at_least,
    at_most,
    equals,
    greater_than,
    within_standard_errors,
)

ACTIVATIONS = ("relu", "sigmoid")

RANK_RTOL = 1e-12
"""Relative singular-value threshold of the rank test.

``F`` is declared rank-deficient when ``s_min(F) <= RANK_RTOL * s_max(F)``.  A
backward-stable SVD returns the singular values of ``F + E`` with
``||E||_2 <= c m u ||F||_2`` (``u = 2^-53``), so by Weyl's inequality an exact
zero singular value is computed as at most about ``c m u ~ 1e-15`` relative;
the singular values of a full-rank matrix are a continuous random variable,
observed many orders above the threshold (:func:`run` records both extremes).
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


# --------------------------------------------------------------------------
# the rank test


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


def sampled_ratios(X, activation: str, samples: int, rng, chunk: int = 25_000) -> np.ndarray:
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
    chunk : int
        Matrices per batched SVD call (bounds memory, not the result).

    Returns
    -------
    numpy.ndarray, shape (samples,)
    """
    X = _data_matrix(X)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    rng = _generator(rng)
    d0, m = X.shape
    parts = []
    for start in range(0, samples, chunk):
        count = min(chunk, samples - start)
        W = rng.standard_normal((count, m, d0))
        parts.append(singular_value_ratios(activate(W @ X, activation)))
    return np.concatenate(parts)


def singular_fraction(X, activation: str = "relu", samples: int = 20_000, rng=None) -> float:
    """Monte Carlo frequency of ``rank sigma(W X) < m`` over Gaussian ``W``.

    ``W`` has i.i.d. standard normal entries; the rank test declares ``F``
    rank-deficient when ``s_min(F) <= RANK_RTOL * s_max(F)`` (see
    :data:`RANK_RTOL` for why this threshold separates exact zeros from
    genuine singular values).  The standard error of the returned frequency
    ``p`` is ``sqrt(p (1 - p) / samples)``.

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
        Fraction of draws with ``F`` declared rank-deficient.
    """
    return declared_singular_fraction(sampled_ratios(X, activation, samples, rng))


def declared_singular_fraction(ratios: np.ndarray) -> float:
    """Fraction of ratios ``s_min / s_max`` at or below :data:`RANK_RTOL` (the rank test)."""
    return float(np.mean(np.asarray(ratios) <= RANK_RTOL))


def standard_error(frequency: float, samples: int) -> float:
    """Binomial standard error ``sqrt(p (1 - p) / n)`` of a Monte Carlo frequency."""
    return math.sqrt(frequency * (1.0 - frequency) / samples)


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
    ``X``: repeated, antipodal or zero columns included.

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
    ``S`` lie in the row space of ``X D_S``, whose dimension is ``rank X_S``.
    """
    X = _data_matrix(X)
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[1] != X.shape[0]:
        raise ValueError(f"W must have shape (rows, {X.shape[0]}), got {W.shape}")
    patterns, counts = np.unique(W @ X > 0, axis=0, return_counts=True)
    total = 0
    for pattern, count in zip(patterns, counts):
        dimension = np.linalg.matrix_rank(X[:, pattern]) if pattern.any() else 0
        total += min(int(count), int(dimension))
    return total


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

    Exact: the number of assignments with every load at most ``capacity`` is
    ``balls! [z^balls] (sum_{i <= capacity} z^i / i!)^bins``.
    """
    if balls < 0 or bins < 1 or capacity < 0:
        raise ValueError("need balls >= 0, bins >= 1, capacity >= 0")
    truncated = [Fraction(1, math.factorial(i)) for i in range(min(capacity, balls) + 1)]
    power = [Fraction(1)] + [Fraction(0)] * balls
    for _ in range(bins):
        product = [Fraction(0)] * (balls + 1)
        for i, a in enumerate(power):
            if a:
                for j, b in enumerate(truncated[: balls + 1 - i]):
                    product[i + j] += a * b
        power = product
    fitting = power[balls] * math.factorial(balls)
    return 1 - fitting / Fraction(bins) ** balls


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
    keep = np.concatenate([[True], np.diff(boundaries) > 1e-12])
    boundaries = boundaries[keep]
    if boundaries[-1] - boundaries[0] > 2 * np.pi - 1e-12:
        boundaries = boundaries[:-1]
    following = np.concatenate([boundaries[1:], [boundaries[0] + 2 * np.pi]])
    widths = following - boundaries
    middles = boundaries + widths / 2
    bisectors = np.stack([np.cos(middles), np.sin(middles)], axis=1)
    active = bisectors @ X > 0
    active[:, ~nonzero] = False
    return widths / (2 * np.pi), active, bisectors


def triangle_singular_probability(X) -> float:
    """Exact ``P(rank F < 3)`` for ``d0 = 2``, ``m = 3``, positively spanning ``X``.

    For pairwise independent ``x_1, x_2, x_3`` with ``0`` in the interior of
    their convex hull, let ``a_j = (pi - theta_kl) / (2 pi)`` where ``theta_kl`` is
    the angle between the other two columns.  The text proves

        P = sum_j (9/2 a_j^2 - 4 a_j^3) + 18 a_1 a_2 a_3.
    """
    X = _data_matrix(X)
    if X.shape != (2, 3):
        raise ValueError("triangle_singular_probability needs a 2 x 3 matrix")
    units = X / np.linalg.norm(X, axis=0)
    for k, l in itertools.combinations(range(3), 2):
        if abs(np.linalg.det(units[:, [k, l]])) < 1e-12:
            raise ValueError("the columns must be pairwise linearly independent")
    weights = np.array([np.linalg.det(units[:, [1, 2]]), -np.linalg.det(units[:, [0, 2]]), np.linalg.det(units[:, [0, 1]])])
    if not (np.all(weights > 0) or np.all(weights < 0)):
        raise ValueError("the columns must span R^2 positively (0 inside their convex hull)")
    a = np.empty(3)
    for j in range(3):
        k, l = [i for i in range(3) if i != j]
        cosine = np.clip(units[:, k] @ units[:, l], -1.0, 1.0)
        a[j] = (np.pi - np.arccos(cosine)) / (2 * np.pi)
    return float(np.sum(4.5 * a**2 - 4 * a**3) + 18 * np.prod(a))


def exact_singular_probability_planar(X, rng, draws: int = 3) -> float:
    """Exact ``P(rank ReLU(W X) < m)`` for ``d0 = 2`` by enumerating cell assignments.

    On the product of sectors ``C_1 x ... x C_m`` (row ``i`` in ``C_i``),
    ``det F = det[w_i^T X D_{S(C_i)}]`` is one polynomial in ``W``; it is either
    identically zero (``F`` singular on the whole product) or nonzero off a
    null set (the dichotomy lemma of the text).  Its generic rank is read off
    at ``draws`` Gaussian points of ``R^{m x 2}`` (a nonzero polynomial vanishes
    there with probability zero); the probability is the multinomial sum over
    the assignments whose polynomial vanishes.

    Parameters
    ----------
    X : array_like, shape (2, m)
    rng : numpy.random.Generator or int
        Randomness of the generic-rank evaluations.
    draws : int
        Evaluation points per assignment.
    """
    X = _data_matrix(X)
    if X.shape[0] != 2:
        raise ValueError("exact_singular_probability_planar needs d0 = 2")
    rng = _generator(rng)
    m = X.shape[1]
    probabilities, active, _ = planar_cells(X)
    masked = X[None, :, :] * active[:, None, :]  # X D_S for every sector, (N, 2, m)
    assignments = np.array(list(itertools.combinations_with_replacement(range(len(probabilities)), m)))
    W = rng.standard_normal((draws, len(assignments), m, 2))
    F = np.einsum("dkir,kirj->dkij", W, masked[assignments])
    deficient = np.all(singular_value_ratios(F) <= RANK_RTOL, axis=0)
    log_weights = np.sum(np.log(probabilities)[assignments], axis=1)
    multiplicities = np.array([_multinomial(row) for row in assignments])
    return float(np.sum(multiplicities[deficient] * np.exp(log_weights[deficient])))


def _multinomial(assignment: np.ndarray) -> int:
    """Number of sequences with the multiset of cells ``assignment``."""
    _, counts = np.unique(assignment, return_counts=True)
    return math.factorial(len(assignment)) // math.prod(math.factorial(int(c)) for c in counts)


# --------------------------------------------------------------------------
# data matrices used in the text


def skew_triangle() -> np.ndarray:
    """``X_0 = [e_1, e_2, -(e_1 + e_2)]``: sector probabilities ``1/8, 1/8, 1/4``."""
    return np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])


def regular_triangle() -> np.ndarray:
    """Three unit vectors at angles ``90, 210, 330`` degrees."""
    angles = np.deg2rad([90.0, 210.0, 330.0])
    return np.stack([np.cos(angles), np.sin(angles)])


def full_rank_example() -> np.ndarray:
    """Rows in the three sectors with one active column each, for :func:`skew_triangle`.

    ``ReLU(W_0 X_0) = diag(1, 1, 2)`` although ``rank W_0 X_0 <= 2``.
    """
    return np.array([[1.0, -0.5], [-0.5, 1.0], [-1.0, -1.0]])


def data_family(family: str, d0: int, m: int, rng) -> np.ndarray:
    """A data matrix of one of the three families of the experiments.

    ``gaussian``: i.i.d. standard normal entries.  ``halfspace``: the same with
    the first row replaced by its absolute value, so every column lies in the
    open half-space ``{x_1 > 0}``.  ``antipodal``: ``[Z, -Z]`` for a Gaussian
    ``Z`` with ``m / 2`` columns (``m`` even) -- every column's negative is a
    column too, the case that arguments needing a half-space do not cover.
    """
    rng = _generator(rng)
    if family == "gaussian":
        return rng.standard_normal((d0, m))
    if family == "halfspace":
        X = rng.standard_normal((d0, m))
        X[0] = np.abs(X[0])
        return X
    if family == "antipodal":
        if m % 2:
            raise ValueError("the antipodal family needs an even m")
        Z = rng.standard_normal((d0, m // 2))
        return np.hstack([Z, -Z])
    raise ValueError(f"unknown family {family!r}")


FAMILIES = ("gaussian", "halfspace", "antipodal")


# --------------------------------------------------------------------------
# figures


def plot_cells(X, full_rank_W, ball_W, ball_radius, perturbed_W, path: Path) -> None:
    """The argument in ``d0 = 2``: data, the lines ``w^T x_j = 0`` and where rows sit.

    Left: the columns ``x_j``.  Right: the ``w``-plane cut by the lines into
    sectors, each labelled by its active set ``S`` and probability ``p``; the
    rows of a full-rank ``W_0`` (one per single-column sector), the ball of
    :func:`rank_deficient_ball` (centre and radius ``r``) and the rows of a
    perturbed ``W'`` inside it, all in one sector.
    """
    X = _data_matrix(X)
    probabilities, active, bisectors = planar_cells(X)
    extent, label_radius = 2.4, 2.0
    with figstyle.figure(width=1.0, aspect=0.47, ncols=2) as (fig, (left, right)):
        for j in range(X.shape[1]):
            left.annotate(
                "", xy=X[:, j], xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": figstyle.COLORS[0], "lw": 1.0},
            )
            left.annotate(f"$x_{j + 1}$", X[:, j] * 1.15, ha="center", va="center")
        left.set_title("columns of $X$")
        left.set_xlabel("first coordinate")
        left.set_ylabel("second coordinate")

        for j in range(X.shape[1]):
            normal = X[:, j] / np.linalg.norm(X[:, j])
            direction = np.array([-normal[1], normal[0]])
            right.plot(*np.outer([-2 * extent, 2 * extent], direction).T, color=figstyle.COLORS[5], lw=0.8)
        for probability, mask, bisector in zip(probabilities, active, bisectors):
            middle = np.arctan2(bisector[1], bisector[0])
            arc = np.linspace(middle - np.pi * probability, middle + np.pi * probability, 32)
            outline = np.vstack([[0.0, 0.0], 2 * extent * np.column_stack([np.cos(arc), np.sin(arc)])])
            shade = figstyle.COLORS[2] if mask.sum() == 1 else figstyle.COLORS[0]
            right.fill(*outline.T, color=shade, alpha=0.10, lw=0)
            members = ",".join(str(j + 1) for j in np.flatnonzero(mask))
            fraction = Fraction(float(probability)).limit_denominator(64)
            right.annotate(
                f"$S=\\{{{members}\\}}$\n$p=\\frac{{{fraction.numerator}}}{{{fraction.denominator}}}$",
                label_radius * bisector, ha="center", va="center", fontsize=6.5,
            )
        centre = ball_W[0]
        circle = np.linspace(0, 2 * np.pi, 200)
        right.plot(centre[0] + ball_radius * np.cos(circle), centre[1] + ball_radius * np.sin(circle),
                   color=figstyle.COLORS[1], lw=0.8, ls="--")
        edge = centre + ball_radius * np.array([1.0, 0.0])
        right.plot(*np.column_stack([centre, edge]), color=figstyle.COLORS[1], lw=0.6)
        right.plot(*centre, marker="+", ms=5, color=figstyle.COLORS[1])
        right.annotate("$r$", (centre + edge) / 2 - np.array([0.0, 0.13]), ha="center", va="center",
                       color=figstyle.COLORS[1])
        handles = [
            right.plot(*perturbed_W.T, ls="none", marker="o", color=figstyle.COLORS[1],
                       label="rows of $W'$ in the ball: rank $F<3$")[0],
            right.plot(*full_rank_W.T, ls="none", marker="x", ms=5, color=figstyle.COLORS[3],
                       label="rows of $W_0$: rank $F=3$")[0],
        ]
        right.set_title("the $w$-plane cut by the lines $w^\\top x_j=0$")
        right.set_xlabel("$w_1$")
        right.set_ylabel("$w_2$")
        left.legend(handles=handles, loc="lower right", fontsize=6.5, handletextpad=0.3, borderaxespad=0.2)
        for axes, limit in ((left, 1.45), (right, extent)):
            axes.set_xlim(-limit, limit)
            axes.set_ylim(-limit, limit)
            axes.set_aspect("equal")
        figstyle.save(fig, path)


def plot_frequency_vs_width(widths, relu, relu_se, exact, sigmoid_upper, bound, m: int, path: Path) -> None:
    """Rank-deficiency frequency against ``d0`` (fixed ``m``): ReLU, sigmoid, lower bound.

    Parameters
    ----------
    widths : sequence of int
        The values of ``d0``.
    relu, relu_se : dict family -> list of float
        ReLU frequencies and standard errors per family.
    exact : dict family -> dict d0 -> float
        Exact probabilities where the text computes them.
    sigmoid_upper : dict d0 -> float
        One-sided 95% upper confidence bound for the sigmoid frequency (none observed).
    bound : list of float
        The universal lower bound for every ``d0``.
    """
    markers = {"gaussian": "o", "halfspace": "s", "antipodal": "^"}
    names = {"gaussian": "Gaussian $X$", "halfspace": "half-space $X$", "antipodal": "antipodal $X=[Z,-Z]$"}
    with figstyle.figure(width=0.8, aspect=0.62) as (fig, axes):
        offsets = {"gaussian": -0.08, "halfspace": 0.0, "antipodal": 0.08}
        for index, family in enumerate(FAMILIES):
            x = np.asarray(widths) + offsets[family]
            axes.errorbar(x, relu[family], yerr=relu_se[family], ls=figstyle.LINESTYLES[index],
                          marker=markers[family], color=figstyle.COLORS[index], capsize=2,
                          label=f"ReLU, {names[family]}")
            points = sorted(exact.get(family, {}).items())
            if points:
                axes.plot([d + offsets[family] for d, _ in points], [v for _, v in points], ls="none",
                          marker=markers[family], ms=7, mfc="none", color=figstyle.COLORS[index])
        sig_x = sorted(sigmoid_upper)
        axes.plot(sig_x, [sigmoid_upper[d] for d in sig_x], ls="none", marker="v",
                  color=figstyle.COLORS[3], label="sigmoid, Gaussian $X$: none seen (95% upper bound)")
        axes.plot(widths, bound, color=figstyle.COLORS[5], ls=":", marker=".",
                  label="lower bound for every $X$")
        axes.plot([], [], ls="none", marker="o", mfc="none", ms=7, color=figstyle.COLORS[5],
                  label="exact value (hollow)")
        axes.set_yscale("log")
        axes.set_xticks(list(widths))
        axes.set_xlabel(f"input dimension $d_0$ ($m = {m}$)")
        axes.set_ylabel("P(rank $F < m$)")
        axes.legend(loc="lower left", fontsize=6.5)
        figstyle.save(fig, path)


# --------------------------------------------------------------------------
# entry point


def _numerical_ranks(F: np.ndarray) -> np.ndarray:
    """Number of singular values above ``RANK_RTOL * s_max`` for a stack of matrices."""
    singular_values = np.linalg.svd(F, compute_uv=False)
    return np.sum(singular_values > RANK_RTOL * singular_values[..., :1], axis=-1)


def _short_lower(value: float) -> float:
    """The largest two-significant-digit decimal at most ``value``: a threshold that prints briefly."""
    if value <= 0:
        return 0.0
    exact = Decimal(value)
    unit = Decimal(1).scaleb(exact.adjusted() - 1)
    rounded = exact.quantize(unit, rounding=ROUND_FLOOR)
    return float(rounded) if float(rounded) <= value else float(rounded - unit)


def ball_check(matrices, draws: int, rng) -> float:
    """Largest ``s_min / s_max`` of ``ReLU(W' X)`` over random ``W'`` in the balls.

    For each ``X``, ``draws`` matrices ``W' = W + E`` with ``E`` uniform in
    direction and ``||E||_F`` uniform in ``[0, r)`` around the output of
    :func:`rank_deficient_ball`.  A value far below :data:`RANK_RTOL` confirms
    that every one of them is rank-deficient.
    """
    rng = _generator(rng)
    worst = 0.0
    for X in matrices:
        W, radius = rank_deficient_ball(X)
        E = rng.standard_normal((draws, *W.shape))
        E *= (radius * rng.random(draws) / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
        worst = max(worst, float(np.max(singular_value_ratios(activate((W + E) @ X, "relu")))))
    return worst


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


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 3 claim and draw both figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=3)
    samples = 20_000
    exact_samples = 100_000
    ball_draws = 400
    figure_m = 6
    seeds = itertools.count()

    def stream():
        return np.random.default_rng((SEED, next(seeds)))

    led.parameter("seed", SEED, description="root seed of all experiments")
    led.parameter("samples", samples, description="Monte Carlo draws of W per configuration")
    led.parameter("exact_samples", exact_samples, description="draws of W for the exactly solved cases")
    led.parameter("rank_rtol", RANK_RTOL, description="relative threshold of the rank test", style="sci", digits=1)
    led.parameter("se_max", 0.5 / math.sqrt(samples), description="largest possible standard error, one over twice the root of n",
                  style="sci", digits=2)
    led.parameter("sigmoid_upper", 1 - 0.05 ** (1 / samples),
                  description="one-sided 95% upper confidence bound when 0 of n draws are singular",
                  style="sci", digits=2)

    # The constructive proof: balls of rank-deficient W, for every kind of X.
    suite = ball_suite(stream())
    led.parameter("ball_cases", len(suite), description="data matrices in the ball check")
    led.parameter("ball_draws", ball_draws, description="perturbed W' per data matrix")
    _, skew_radius = rank_deficient_ball(skew_triangle())
    led.claim("ball_radius_skew", skew_radius, at_least(0.707), source=rank_deficient_ball,
              description="radius of the ball for X_0", style="fixed", digits=6)
    led.claim("ball_radius_shortfall", 1 / math.sqrt(2) - skew_radius, at_least(0.0),
              source=rank_deficient_ball,
              description="distance from the bisector to the walls minus that radius", style="sci", digits=1)
    led.claim("ball_max_ratio", ball_check(suite, ball_draws, stream()), at_most(RANK_RTOL / 100),
              source=ball_check, description="largest singular value ratio of the ReLU features over all W' in the balls",
              style="sci", digits=1)

    # The counterexample to two tempting statements.
    X0, W0 = skew_triangle(), full_rank_example()
    led.claim("example_rank_f", int(_numerical_ranks(activate(W0 @ X0, "relu"))), equals(3),
              source=full_rank_example, description="rank of the ReLU features of W_0 and X_0", style="int")
    led.claim("example_rank_g", int(_numerical_ranks(W0 @ X0)), equals(2),
              source=full_rank_example, description="rank of the product G of W_0 and X_0", style="int")

    # The rank lemma, on random data and weights (including lines d0 = 1).
    rng = stream()
    excess = 0
    line_rank = 0
    lemma_draws = 300
    led.parameter("rank_lemma_draws", lemma_draws, description="random W per data matrix in the rank-lemma check")
    for d0, m in [(1, 3), (1, 5), (1, 8), (2, 5), (3, 6), (4, 8)]:
        X = rng.standard_normal((d0, m))
        for _ in range(lemma_draws):
            W = rng.standard_normal((m, d0))
            rank = int(_numerical_ranks(activate(W @ X, "relu")))
            excess = max(excess, rank - active_set_rank_bound(X, W))
            if d0 == 1:
                line_rank = max(line_rank, rank)
    led.claim("rank_bound_excess", excess, at_most(0), source=active_set_rank_bound,
              description="largest excess of the rank of F over the active set bound, random data and weights", style="int")
    led.claim("line_max_rank", line_rank, at_most(2), source=active_set_rank_bound,
              description="largest rank of F seen for scalar data", style="int")

    # Exact small cases against Monte Carlo.
    exact_cases = [
        ("mc_line", np.array([[1.0, -1.0]]), line_singular_probability(np.array([[1.0, -1.0]])),
         "frequency for d0 = 1, x = (1, -1); exact 1/2"),
        ("mc_triangle_skew", X0, Fraction(53, 128), "frequency for X_0; exact 53/128"),
        ("mc_triangle_regular", regular_triangle(), Fraction(29, 72), "frequency for the regular triangle; exact 29/72"),
    ]
    for name, X, target, description in exact_cases:
        frequency = singular_fraction(X, "relu", exact_samples, stream())
        error = standard_error(float(target), exact_samples)
        led.claim(name, frequency, within_standard_errors(target, error, 4), source=singular_fraction,
                  description=description, style="fixed", digits=4)
    for name, X, target in [("enum_triangle_skew", X0, Fraction(53, 128)),
                            ("enum_triangle_regular", regular_triangle(), Fraction(29, 72))]:
        value = exact_singular_probability_planar(X, stream())
        led.claim(name, abs(value - float(target)), at_most(1e-12), source=exact_singular_probability_planar,
                  description=f"distance of the enumerated probability from {target}", style="sci", digits=1)

    # Grid of (d0, m): ReLU for two families, the bound, sigmoid.
    relu_ratios, sigmoid_ratios = [], []
    sigmoid_singular = 0
    for d0, m in [(2, 4), (3, 4), (3, 8), (5, 8), (7, 8)]:
        bound = singular_probability_lower_bound(d0, m)
        cells = cell_count_bound(m, d0)
        led.claim(f"bound_d{d0}_m{m}", float(bound), at_least(_short_lower(float(Fraction(1, cells ** (m - 1))))),
                  source=singular_probability_lower_bound,
                  description=f"lower bound for every X, d0={d0}, m={m}, with N={cells} cells", style="sci")
        for family in ("gaussian", "halfspace"):
            X = data_family(family, d0, m, stream())
            ratios = sampled_ratios(X, "relu", samples, stream())
            relu_ratios.append(ratios)
            led.claim(f"relu_{family}_d{d0}_m{m}", declared_singular_fraction(ratios),
                      at_least(_short_lower(float(bound))),
                      source=declared_singular_fraction, description=f"ReLU frequency, {family} X, d0={d0}, m={m}",
                      style="fixed", digits=3)
            ratios = sampled_ratios(X, "sigmoid", samples, stream())
            sigmoid_ratios.append(ratios)
            sigmoid_singular += int(np.sum(ratios <= RANK_RTOL))

    # The figure's sweep over d0 at m = 6.
    widths = list(range(1, figure_m))
    relu, relu_se, exact = {f: [] for f in FAMILIES}, {f: [] for f in FAMILIES}, {f: {} for f in FAMILIES}
    sigmoid_upper = {}
    planar_mc = {}
    for family in FAMILIES:
        for d0 in widths:
            X = data_family(family, d0, figure_m, stream())
            ratios = sampled_ratios(X, "relu", samples, stream())
            relu_ratios.append(ratios)
            frequency = declared_singular_fraction(ratios)
            relu[family].append(frequency)
            relu_se[family].append(standard_error(frequency, samples))
            if d0 == 1:
                exact[family][d0] = float(line_singular_probability(X))
            if d0 == 2:
                exact[family][d0] = exact_singular_probability_planar(X, stream())
                planar_mc[family] = frequency
            if family == "gaussian" and d0 >= 2:
                ratios = sampled_ratios(X, "sigmoid", samples, stream())
                sigmoid_ratios.append(ratios)
                singular = int(np.sum(ratios <= RANK_RTOL))
                sigmoid_singular += singular
                sigmoid_upper[d0] = 1 - 0.05 ** (1 / samples) if singular == 0 else singular / samples
    bound_curve = [float(singular_probability_lower_bound(d0, figure_m)) for d0 in widths]

    # Scalar data: the sigmoid matrices are too ill-conditioned for any rank test.
    line_ratios = sampled_ratios(data_family("gaussian", 1, 8, stream()), "sigmoid", samples, stream())
    led.claim("sigmoid_line_declared", declared_singular_fraction(line_ratios), greater_than(0.0),
              source=declared_singular_fraction,
              description="fraction of sigmoid draws declared singular, scalar data, m = 8",
              style="fixed", digits=3)
    led.claim("sigmoid_line_median_ratio", float(np.median(line_ratios)), at_most(1e3 * RANK_RTOL),
              source=sampled_ratios, description="median singular value ratio of sigmoid features, scalar data, m = 8",
              style="sci", digits=1)
    led.parameter("figure_m", figure_m, description="number of data points m in the d0 sweep")
    for family in ("gaussian", "halfspace"):
        target = exact[family][2]
        led.claim(f"exact_planar_{family}", target, at_least(_short_lower(bound_curve[1])),
                  source=exact_singular_probability_planar,
                  description=f"exact probability, {family} X, d0 = 2, m = {figure_m}",
                  style="fixed", digits=4)
        led.claim(f"mc_planar_{family}", planar_mc[family], at_least(_short_lower(bound_curve[1])),
                  source=declared_singular_fraction, description=f"ReLU frequency, {family} X, d0 = 2, m = {figure_m}",
                  style="fixed", digits=4)
        led.claim(f"mc_planar_{family}_z", abs(planar_mc[family] - target) / standard_error(target, samples),
                  at_most(4.0), source=standard_error,
                  description=f"distance of frequency from exact value in standard errors, {family} data", style="fixed",
                  digits=2)
    led.claim("antipodal_relu_freq", relu["antipodal"][1], equals(1.0), source=declared_singular_fraction,
              description="ReLU frequency for antipodal data, three pairs in the plane", style="fixed", digits=3)
    X_pairs = data_family("antipodal", 3, 6, stream())
    pair_ratios = sampled_ratios(X_pairs, "sigmoid", samples, stream())
    led.claim("antipodal_sigmoid_freq", declared_singular_fraction(pair_ratios), equals(1.0),
              source=declared_singular_fraction, description="sigmoid frequency for antipodal data, d0 = 3, m = 6",
              style="fixed", digits=3)
    led.claim("antipodal_sigmoid_max_ratio", float(np.max(pair_ratios)), at_most(RANK_RTOL / 100),
              source=sampled_ratios, description="largest singular value ratio of sigmoid features for antipodal data",
              style="sci", digits=1)

    # What the rank test saw: a gap of many orders around the threshold.
    relu_all = np.concatenate(relu_ratios)
    sigmoid_all = np.concatenate(sigmoid_ratios)
    led.claim("relu_deficient_max_ratio", float(np.max(relu_all[relu_all <= RANK_RTOL])), at_most(RANK_RTOL / 100),
              source=sampled_ratios, description="largest singular value ratio among ReLU draws declared deficient",
              style="sci", digits=1)
    led.claim("relu_full_min_ratio", float(np.min(relu_all[relu_all > RANK_RTOL])), at_least(RANK_RTOL * 100),
              source=sampled_ratios, description="smallest singular value ratio among ReLU draws declared full rank",
              style="sci", digits=1)
    led.claim("sigmoid_singular_count", sigmoid_singular, equals(0), source=declared_singular_fraction,
              description="sigmoid draws declared singular, Gaussian and half-space data of table and figure",
              style="int")
    led.claim("sigmoid_min_ratio", float(np.min(sigmoid_all)), at_least(RANK_RTOL * 100), source=sampled_ratios,
              description="smallest singular value ratio over those sigmoid draws", style="sci", digits=1)
    led.parameter("relu_draws_total", int(relu_all.size), description="ReLU draws behind the gap claims")
    led.parameter("sigmoid_draws_total", int(sigmoid_all.size), description="sigmoid draws behind the gap claims")

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
