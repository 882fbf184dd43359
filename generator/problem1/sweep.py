"""The PL-type inequalities of Problem 1 at random points, batched.

:func:`random_ball_points` draws random layers and moments, grouped by
dimension and depth; :func:`pl_sweep` evaluates at all of them, with stacked
linear algebra, both sides of the inequality on ``B_tau``, of its per-layer
form and of the printed (2.3) -- the numbers that the per-point functions of
:mod:`generator.problem1.pl_inequality` compute one point at a time;
:func:`per_point_deviation` compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.problem1.objective import gradient_norm_squared, layer_norms
from generator.problem1.pl_inequality import hardt_ma_threshold_ratio, layer_pl_ratio, pl_ratios


@dataclass(frozen=True)
class BallBatch:
    """Random points sharing ``d`` and ``H``: arrays stacked along the first axis.

    ``layers`` is ``(n, H, d, d)``, ``Sxx`` and ``Syx`` are ``(n, d, d)``;
    ``free_layer[i]`` is the 0-based index of the one layer whose norm may
    exceed 1 (a point of ``V`` outside ``U``), or ``-1`` when every layer has
    norm below 1; ``rank[i]`` is the rank of ``Sxx[i]`` by construction (the
    number of nonzero columns of its random factor, ``d`` for the data's moments);
    ``tau[i]`` is the ``tau`` the point was drawn with (the largest norm of its
    layers other than the free one; NaN for points not drawn by
    :func:`random_ball_points`) and ``from_data[i]`` says whether its moments
    are the data's.
    """

    layers: np.ndarray
    Sxx: np.ndarray
    Syx: np.ndarray
    free_layer: np.ndarray
    rank: np.ndarray
    tau: np.ndarray
    from_data: np.ndarray


TAU_HIGH = 0.95
"""Upper end of the law of ``tau`` of the points of :func:`random_ball_points` (uniform on ``[0, TAU_HIGH]``)."""

SCALE_EXPONENTS = (-2, 2)
"""``Sxx = 10^u B B^T`` of the random moments has ``u`` uniform on this interval."""

MAX_DIMENSION = 5
"""The random moments have ``d`` uniform on ``1..MAX_DIMENSION``."""


def random_ball_points(
    rng: np.random.Generator,
    count: int,
    data_moments,
    max_depth: int = 8,
    free_layer_norm: tuple[float, float] | None = None,
) -> list[BallBatch]:
    """Random points ``(Ws, Sxx, Syx)`` for the PL checks, grouped by ``(d, H)``.

    Even-numbered points use ``data_moments``; the others random moments
    ``Sxx = 10^u B B^T`` (``u`` uniform on ``SCALE_EXPONENTS``; ``B`` Gaussian ``d x d`` with
    its columns beyond a random rank set to zero, so ``Sxx`` is often singular)
    with consistent ``Syx = C Sxx``, ``d`` uniform on ``1..MAX_DIMENSION``.  ``H`` is uniform
    on ``1..max_depth``, ``tau`` uniform on ``[0, TAU_HIGH]`` and layer ``k`` has norm
    ``tau * u_k`` (``u_k`` uniform, the largest set to 1).  With
    ``free_layer_norm = (low, high)`` one layer per point, chosen uniformly, gets
    instead a norm uniform on ``[low, high]``.
    """
    if int(count) != count or count < 1:
        raise ValueError("count must be a positive integer")
    if int(max_depth) != max_depth or max_depth < 1:
        raise ValueError(f"max_depth must be a positive integer, got {max_depth}")
    data_Sxx, data_Syx = (np.asarray(m, dtype=float) for m in data_moments)
    data_d = data_Sxx.shape[0]
    from_data = np.arange(count) % 2 == 0
    dims = np.where(from_data, data_d, rng.integers(1, MAX_DIMENSION + 1, size=count))
    depths = rng.integers(1, max_depth + 1, size=count)
    keys = sorted({(bool(s), int(d), int(H)) for s, d, H in zip(from_data, dims, depths)})
    batches = []
    for source, d, H in keys:
        n = int(np.sum((from_data == source) & (dims == d) & (depths == H)))
        rank = np.full(n, d)
        if source:
            Sxx = np.broadcast_to(data_Sxx, (n, d, d)).copy()
            Syx = np.broadcast_to(data_Syx, (n, d, d)).copy()
        else:
            rank = rng.integers(1, d + 1, size=n)
            B = rng.standard_normal((n, d, d)) * (np.arange(d) < rank[:, None])[:, None, :]
            Sxx = 10.0 ** rng.uniform(*SCALE_EXPONENTS, size=n)[:, None, None] * (B @ B.transpose(0, 2, 1))
            Syx = rng.standard_normal((n, d, d)) @ Sxx
        tau = rng.uniform(0.0, TAU_HIGH, size=n)
        fractions = rng.uniform(0.0, 1.0, size=(n, H))
        fractions[np.arange(n), np.argmax(fractions, axis=1)] = 1.0
        G = rng.standard_normal((n, H, d, d))
        unit = G / np.linalg.norm(G, ord=2, axis=(2, 3))[:, :, None, None]
        layers = (tau[:, None] * fractions)[:, :, None, None] * unit
        free = np.full(n, -1)
        if free_layer_norm is not None:
            low, high = free_layer_norm
            free = rng.integers(0, H, size=n)
            norms = rng.uniform(low, high, size=n)
            layers[np.arange(n), free] = unit[np.arange(n), free] * norms[:, None, None]
        batches.append(BallBatch(layers, Sxx, Syx, free, rank, tau, np.full(n, source)))
    return batches


def path_batch(history, Sxx, Syx) -> BallBatch:
    """The points ``history[s]`` (``(n, H, d, d)``: the iterates of a descent) with the moments ``Sxx``, ``Syx``.

    A :class:`BallBatch` without a design: no free layer, ``tau`` NaN, the rank
    of ``Sxx`` by construction taken as ``d``; :func:`pl_sweep` of it evaluates
    the PL quantities along a path with the batched code.
    """
    history = np.asarray(history, dtype=float)
    n, d = history.shape[0], history.shape[-1]
    moments = [np.broadcast_to(np.asarray(m, dtype=float), (n, d, d)) for m in (Sxx, Syx)]
    return BallBatch(history, *moments, np.full(n, -1), np.full(n, d), np.full(n, np.nan), np.full(n, True))


@dataclass(frozen=True)
class PLSweep:
    """Both sides of the PL-type inequalities, and of the printed (2.3), at random points.

    ``lhs`` is ``||grad L||_F^2``; ``ours`` and ``printed`` are the right-hand
    sides ``mu_{H,tau} (L - L*)`` of our inequality and of the printed (2.3); ``tau`` is
    ``max_k ||W_k||_2``; ``singular`` marks points whose ``Sxx`` is numerically
    singular (there the printed right side vanishes and ours uses ``lambda_+``);
    ``depth`` and ``dimension`` are ``H`` and ``d``; ``rank`` is the numerical rank
    of ``Sxx`` and ``design_rank`` its rank by construction; ``threshold`` is
    ``lambda_min(Sxx) / (1 - tau)^{H-1}`` (0 when singular); ``layer_ratio`` is
    the smallest per-layer ratio ``||dL/dW_k||^2 / (4 lambda_+ prod_{j != k}
    (1 - ||W_j||_2)^2 (L - L*))`` over the layers ``k`` whose companions all have
    norm at most 1; ``excess`` is ``L - L*``.  Every array has one entry per
    point with ``L > L*``; the point is ``batches[batch].<field>[position]`` of
    the batches given to :func:`pl_sweep`.
    """

    lhs: np.ndarray
    ours: np.ndarray
    printed: np.ndarray
    tau: np.ndarray
    singular: np.ndarray
    depth: np.ndarray
    dimension: np.ndarray
    rank: np.ndarray
    design_rank: np.ndarray
    threshold: np.ndarray
    layer_ratio: np.ndarray
    excess: np.ndarray
    batch: np.ndarray
    position: np.ndarray


def _sweep_batch(batch: BallBatch) -> dict:
    """Vectorised quantities of :class:`PLSweep` for every point of one :class:`BallBatch`, and ``L - L*``."""
    layers, Sxx, Syx = batch.layers, batch.Sxx, batch.Syx
    n, H, d, _ = layers.shape
    factors = np.eye(d) + layers
    below = [np.broadcast_to(np.eye(d), (n, d, d))]
    for k in range(1, H):
        below.append(factors[:, k - 1] @ below[-1])
    above = [np.broadcast_to(np.eye(d), (n, d, d))]
    for k in range(H - 2, -1, -1):
        above.append(above[-1] @ factors[:, k + 1])
    above = above[::-1]
    G = above[0] @ factors[:, 0] @ Sxx - Syx  # M Sxx - Syx
    layer_sq = np.stack(
        [4.0 * np.sum((above[k].transpose(0, 2, 1) @ G @ below[k].transpose(0, 2, 1)) ** 2, axis=(1, 2))
         for k in range(H)],
        axis=1,
    )
    # L - L* = sum over positive eigenvalues of ||G v_i||^2 / lambda_i, since (M - R) Sxx = G.
    eigenvalues, V = np.linalg.eigh(Sxx)
    cutoff = d * np.finfo(float).eps * np.maximum(eigenvalues[:, -1], 0.0)
    positive = eigenvalues > cutoff[:, None]
    safe = np.where(positive, eigenvalues, 1.0)
    excess = np.sum(np.where(positive, np.sum((G @ V) ** 2, axis=1) / safe, 0.0), axis=1)
    lam_plus = np.min(np.where(positive, eigenvalues, np.inf), axis=1)
    rank = positive.sum(axis=1)
    singular = rank < d
    norms = np.linalg.norm(layers, ord=2, axis=(2, 3))
    tau = norms.max(axis=1)
    lam_min = np.where(singular, 0.0, eigenvalues[:, 0])
    shrink = (1.0 - np.minimum(norms, 1.0)) ** 2
    ratios = np.full((n, H), np.inf)
    for k in range(H):
        others = np.delete(np.arange(H), k)
        admissible = np.all(norms[:, others] <= 1.0, axis=1)
        bound = 4.0 * lam_plus * np.prod(shrink[:, others], axis=1) * excess
        ratios[admissible, k] = layer_sq[admissible, k] / bound[admissible]
    inside = tau < 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ours = np.where(inside, 4.0 * H * (1.0 - tau) ** (2 * (H - 1)) * lam_plus * excess, np.nan)
        printed = np.where(inside, 4.0 * H * (1.0 - tau) ** (H - 1) * lam_min**2 * excess, np.nan)
        threshold = np.where(inside, lam_min / (1.0 - tau) ** (H - 1), np.nan)
    return {
        "lhs": layer_sq.sum(axis=1), "ours": ours, "printed": printed, "tau": tau, "singular": singular,
        "depth": np.full(n, H), "dimension": np.full(n, d), "rank": rank, "design_rank": batch.rank,
        "threshold": threshold, "layer_ratio": ratios.min(axis=1), "excess": excess,
        "layer_argmin": ratios.argmin(axis=1) + 1, "position": np.arange(n),
    }


def pl_sweep(batches) -> PLSweep:
    """Evaluate :class:`PLSweep` at the points of :func:`random_ball_points`.

    Everything is batched over the points of a batch (prefix and suffix products,
    one stacked eigendecomposition of ``Sxx``, stacked SVDs for the layer norms).
    Points with ``L = L*`` are skipped (every inequality is ``0 >= 0`` there); the
    number of points kept is part of the record.  Points with a layer of norm
    at least 1 get ``nan`` for ``ours``, ``printed`` and ``threshold``.
    """
    parts = [{**_sweep_batch(batch), "batch": np.full(batch.layers.shape[0], b)} for b, batch in enumerate(batches)]
    if not parts:
        raise ValueError("no points to evaluate")
    kept = [{name: values[part["excess"] > 0] for name, values in part.items() if name in PLSweep.__annotations__}
            for part in parts]
    return PLSweep(**{name: np.concatenate([part[name] for part in kept]) for name in kept[0]})


def per_point_deviation(batches, per_batch: int = 1) -> float:
    """Largest relative deviation of :func:`pl_sweep` from the per-point functions.

    At the first ``per_batch`` points of every batch (skipping any with ``L = L*``), the
    batched ``||grad L||^2`` and the ratios to both right-hand sides, the
    threshold ``rho`` (invertible ``Sxx``) and the per-layer ratio at the layer
    where the batched ratios are smallest are recomputed one point at a time by
    :func:`~generator.problem1.objective.gradient_norm_squared`,
    :func:`~generator.problem1.pl_inequality.pl_ratios`,
    :func:`~generator.problem1.pl_inequality.hardt_ma_threshold_ratio` and
    :func:`~generator.problem1.pl_inequality.layer_pl_ratio`: other code (prefix
    products, an eigendecomposition with a square root, a least-squares solve)
    for the same numbers.
    """
    deviations = []
    for whole in batches:
        batch = BallBatch(*(getattr(whole, name)[:per_batch] for name in BallBatch.__annotations__))
        part = _sweep_batch(batch)
        for i in np.flatnonzero(part["excess"] > 0):
            Ws, Sxx, Syx = list(batch.layers[i]), batch.Sxx[i], batch.Syx[i]
            pairs = [(part["lhs"][i], gradient_norm_squared(Ws, Sxx, Syx))]
            norms = layer_norms(Ws)
            if batch.free_layer[i] < 0:
                ours, printed = pl_ratios(Ws, Sxx, Syx)
                pairs.append((part["lhs"][i] / part["ours"][i], ours))
                if not part["singular"][i]:
                    pairs.append((part["lhs"][i] / part["printed"][i], printed))
                    pairs.append((part["threshold"][i], hardt_ma_threshold_ratio(len(Ws), norms.max(), Sxx)))
            pairs.append((part["layer_ratio"][i], layer_pl_ratio(Ws, Sxx, Syx, part["layer_argmin"][i])))
            with np.errstate(divide="ignore", invalid="ignore"):  # a zero or NaN reference fails the claim
                deviations += [abs(a - b) / abs(b) for a, b in pairs]
    if not deviations:
        raise ValueError("no point with L > L* to compare")
    return float(np.max(deviations))  # numpy.max propagates a NaN, the built-in max may skip it
