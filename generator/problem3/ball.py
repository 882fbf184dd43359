"""The rank lemma and the main theorem made constructive: a ball of rank-deficient ``W``.

Rank lemma: rows of ``W`` that share an active set ``S`` lie in the row space
of ``X D_S``, so ``rank ReLU(W X) <= sum_S min(n_S, rank X_S)``
(:func:`active_set_rank_bound`; checked against exact ranks,
:func:`exact_relu_ranks`).  Main theorem: :func:`rank_deficient_ball` finds,
for every ``X``, a ball of ``W`` whose rows all share one active set, so that
``ReLU(W X)`` is rank-deficient on all of it; :func:`ball_check` tests random
points of such balls.  The proofs are in ``templates/problem3.tex``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from generator.problem3.arguments import _data_matrix, _generator
from generator.problem3.features import activate, singular_value_ratios
from generator.problem3.rado import certified_active_sets
from generator.problem3.ranks import exact_ranks


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


def ball_check(matrices, draws: int, rng, return_directions: bool = False):
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
    reach : numpy.ndarray
        ``||W' - W||_F / r`` of every ``W'``, measured on ``W'`` itself:
        uniform on ``[0, 1)`` by construction.
    sums, sizes : numpy.ndarray
        Only with ``return_directions``: the sum of the entries of the unit
        direction ``(W' - W) / ||W' - W||_F`` of every ``W'`` (measured on
        ``W'``), and the number ``k`` of entries of ``W``.  For a direction
        uniform on the sphere a sum has mean 0 and second moment 1, whatever ``k``.
    """
    rng = _generator(rng)
    outside, worst, reach, sums, sizes = 0, 0.0, [], [], []
    for X in matrices:
        W, radius = rank_deficient_ball(X)
        E = rng.standard_normal((draws, *W.shape))
        E *= (radius * rng.random(draws) / np.linalg.norm(E, axis=(1, 2)))[:, None, None]
        perturbed = W + E
        active, certified = certified_active_sets(X, perturbed)
        centre, _ = certified_active_sets(X, W[:1])
        outside += int(np.sum(~certified | np.any(active != centre[0], axis=(1, 2))))
        worst = max(worst, float(np.max(singular_value_ratios(activate(perturbed @ X, "relu")))))
        lengths = np.linalg.norm(perturbed - W, axis=(1, 2))
        reach.append(lengths / radius)
        sums.append(np.sum(perturbed - W, axis=(1, 2)) / lengths)
        sizes.append(np.full(draws, W.size))
    if return_directions:
        return outside, worst, np.concatenate(reach), np.concatenate(sums), np.concatenate(sizes)
    return outside, worst, np.concatenate(reach)
