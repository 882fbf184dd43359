"""Problem 1: critical points of a linear residual network near the identity.

The loss of the linear residual network ``x -> (I + W_H) ... (I + W_1) x`` under an
*arbitrary* distribution of ``(x, y)`` with finite second moments depends on the
distribution only through the moments

    Sxx = E[x x^T],   Syx = E[y x^T],   Syy = E[y^T y],

because ``E ||P x - y||^2 = tr(P Sxx P^T) - 2 tr(Syx P^T) + Syy`` for every matrix ``P``.
Every function below therefore takes these moments.  An empirical distribution of
samples is itself a distribution, so for it every formula here is exact, which is
what the numerical checks in :func:`run` exploit.

Conventions: ``Ws = [W_1, ..., W_H]`` with ``W_1`` applied first, so the end-to-end
matrix is ``P = (I + W_H) ... (I + W_1)``; ``A_{>k} = (I + W_H) ... (I + W_{k+1})`` and
``A_{<k} = (I + W_{k-1}) ... (I + W_1)`` (empty products are ``I``).

Reference: M. Hardt and T. Ma, *Identity Matters in Deep Learning*, ICLR 2017,
arXiv:1611.04231 -- Claim 2.3, Lemma 2.4, Theorem 2.2 and inequality (2.3), which
assume ``y = R x + xi`` with Gaussian ``xi`` independent of ``x``; nothing here does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.ticker
import numpy as np
import scipy.linalg

from generator import figstyle
from generator.ledger import (
    Ledger,
    at_least,
    at_most,
    equals,
    greater_than,
    less_than,
)

SEED = 20170424
"""Seed of every random draw in :func:`run` (the ICLR 2017 conference date)."""

# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def _as_layers(Ws) -> list[np.ndarray]:
    """Return ``Ws`` as a list of float ``d x d`` arrays, or raise ``ValueError``."""
    layers = [np.asarray(W, dtype=float) for W in Ws]
    if not layers:
        raise ValueError("Ws must contain at least one layer (H >= 1)")
    d = layers[0].shape[0] if layers[0].ndim == 2 else -1
    for k, W in enumerate(layers, start=1):
        if W.ndim != 2 or W.shape != (d, d):
            raise ValueError(
                f"every layer must be a square d x d matrix of one size; W_{k} has shape {W.shape}"
            )
        if not np.all(np.isfinite(W)):
            raise ValueError(f"W_{k} has non-finite entries")
    return layers


def _check_moments(Sxx, Syx, Syy=None):
    """Validate second moments; return them as float arrays (``Syy`` as float).

    ``Sxx`` must be symmetric positive semidefinite (it is ``E[x x^T]``), ``Syx``
    square of the same size, ``Syy`` a finite scalar.  Tolerances are relative to
    ``||Sxx||_2`` so that the check is invariant under rescaling ``x``.
    """
    Sxx = np.asarray(Sxx, dtype=float)
    Syx = np.asarray(Syx, dtype=float)
    if Sxx.ndim != 2 or Sxx.shape[0] != Sxx.shape[1]:
        raise ValueError(f"Sxx must be a square matrix, got shape {Sxx.shape}")
    if Syx.shape != Sxx.shape:
        raise ValueError(f"Syx must have the shape of Sxx {Sxx.shape}, got {Syx.shape}")
    if not (np.all(np.isfinite(Sxx)) and np.all(np.isfinite(Syx))):
        raise ValueError("moments must be finite (the problem assumes finite second moments)")
    scale = max(float(np.max(np.abs(Sxx), initial=0.0)), np.finfo(float).tiny)
    tolerance = 64 * np.finfo(float).eps * Sxx.shape[0] * scale
    if np.max(np.abs(Sxx - Sxx.T), initial=0.0) > tolerance:
        raise ValueError("Sxx = E[x x^T] must be symmetric")
    if scipy.linalg.eigvalsh(Sxx)[0] < -tolerance:
        raise ValueError("Sxx = E[x x^T] must be positive semidefinite")
    if Syy is None:
        return Sxx, Syx
    Syy = float(Syy)
    if not np.isfinite(Syy) or Syy < 0:
        raise ValueError(f"Syy = E[y^T y] must be a finite non-negative number, got {Syy}")
    return Sxx, Syx, Syy


def _check_layers_match(layers, Sxx) -> None:
    if layers[0].shape != Sxx.shape:
        raise ValueError(f"layers are {layers[0].shape} but the moments are {Sxx.shape}")


# ---------------------------------------------------------------------------
# The loss, its gradient and the least-squares problem (1)
# ---------------------------------------------------------------------------


def second_moments(X, Y) -> tuple[np.ndarray, np.ndarray, float]:
    """Moments of the empirical distribution of the sample rows ``(x_i, y_i)``.

    Parameters
    ----------
    X, Y : array_like, shape (n, d)
        Samples, one per row.

    Returns
    -------
    Sxx, Syx, Syy
        ``X^T X / n``, ``Y^T X / n`` and ``sum(Y**2) / n``: the exact moments of
        the uniform distribution on the ``n`` pairs.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape != Y.shape or X.shape[0] == 0:
        raise ValueError(f"X and Y must be non-empty (n, d) arrays of one shape; got {X.shape}, {Y.shape}")
    n = X.shape[0]
    Sxx = X.T @ X / n
    return (Sxx + Sxx.T) / 2, Y.T @ X / n, float(np.sum(Y * Y) / n)


def end_to_end(Ws) -> np.ndarray:
    """The product ``P = (I + W_H) ... (I + W_1)``."""
    layers = _as_layers(Ws)
    P = np.eye(layers[0].shape[0])
    for W in layers:
        P = P + W @ P
    return P


def _partial_products(layers):
    """``(below, above)`` with ``below[k] = A_{<k+1}`` and ``above[k] = A_{>k+1}`` (0-based k)."""
    identity = np.eye(layers[0].shape[0])
    below = [identity]
    for W in layers[:-1]:
        below.append(below[-1] + W @ below[-1])
    above = [identity]
    for W in reversed(layers[1:]):
        above.append(above[-1] + above[-1] @ W)
    return below, above[::-1]


def _loss_of_product(P, Sxx, Syx, Syy) -> float:
    return float(np.sum((P @ Sxx) * P) - 2.0 * np.sum(Syx * P) + Syy)


def loss(Ws, Sxx, Syx, Syy) -> float:
    """Population loss (2) of the linear residual network.

    ``L(W) = E ||P x - y||^2 = tr(P Sxx P^T) - 2 tr(Syx P^T) + Syy`` with
    ``P = (I + W_H) ... (I + W_1)``; the identity holds for every distribution
    with finite second moments (expand the square and use linearity of ``E``).

    Parameters
    ----------
    Ws : sequence of (d, d) arrays
        ``[W_1, ..., W_H]``, ``W_1`` applied first.
    Sxx, Syx : (d, d) arrays
        ``E[x x^T]`` (symmetric positive semidefinite) and ``E[y x^T]``.
    Syy : float
        ``E[y^T y]``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx, Syy = _check_moments(Sxx, Syx, Syy)
    _check_layers_match(layers, Sxx)
    return _loss_of_product(end_to_end(layers), Sxx, Syx, Syy)


def loss_from_samples(Ws, X, Y) -> float:
    """``mean_i ||P x_i - y_i||^2`` computed from the samples, not from moments.

    Used to check the moment form of :func:`loss` on an empirical distribution.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape != Y.shape:
        raise ValueError(f"X and Y must be (n, d) arrays of one shape; got {X.shape}, {Y.shape}")
    residual = X @ end_to_end(Ws).T - Y
    return float(np.mean(np.sum(residual * residual, axis=1)))


def _product_and_gradients(layers, Sxx, Syx) -> tuple[np.ndarray, list[np.ndarray]]:
    """Unvalidated ``(P, gradients)`` for inner loops (one pass of partial products)."""
    below, above = _partial_products(layers)
    P = above[0] @ (below[0] + layers[0] @ below[0])
    G = P @ Sxx - Syx
    return P, [2.0 * A_above.T @ G @ A_below.T for A_above, A_below in zip(above, below)]


def gradients(Ws, Sxx, Syx) -> list[np.ndarray]:
    """Gradient of the loss (2) with respect to each layer.

    ``dL/dW_k = 2 A_{>k}^T (P Sxx - Syx) A_{<k}^T`` with
    ``A_{>k}^T = (I + W_{k+1})^T ... (I + W_H)^T`` and
    ``A_{<k}^T = (I + W_1)^T ... (I + W_{k-1})^T``; with any solution ``R`` of the
    normal equations this is ``2 A_{>k}^T (P - R) Sxx A_{<k}^T``.  This is
    Hardt & Ma (2017), Lemma 2.4, with the factors of both products in the
    correct order (see :func:`hardt_ma_printed_gradients`) and without their
    noise model.  ``Syy`` does not enter.  Cost ``O(H d^3)`` through prefix and
    suffix products.

    Returns
    -------
    list of (d, d) arrays
        ``[dL/dW_1, ..., dL/dW_H]``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    return _product_and_gradients(layers, Sxx, Syx)[1]


def gradient_norm_squared(Ws, Sxx, Syx) -> float:
    """``||grad L||_F^2 = sum_k ||dL/dW_k||_F^2``."""
    return float(sum(np.sum(g * g) for g in gradients(Ws, Sxx, Syx)))


def hardt_ma_printed_gradients(Ws, Sxx, Syx) -> list[np.ndarray]:
    """Lemma 2.4 of Hardt & Ma (2017) with the products in the order printed there.

    Printed: ``2 (I + A_l^T) ... (I + A_{i+1}^T) E Sigma (I + A_{i-1}^T) ... (I + A_1^T)``,
    i.e. here ``2 (I + W_H)^T ... (I + W_{k+1})^T (P Sxx - Syx) (I + W_{k-1})^T ... (I + W_1)^T``:
    both products list their factors in the reverse of the order of
    ``A_{>k}^T`` and ``A_{<k}^T`` in :func:`gradients`.  The two agree when the
    layers commute (for instance ``H <= 2``); kept only to measure the discrepancy.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    identity = np.eye(Sxx.shape[0])
    G = end_to_end(layers) @ Sxx - Syx
    result = []
    for k in range(len(layers)):
        left, right = identity, identity
        for W in reversed(layers[k + 1:]):  # (I + W_H)^T first
            left = left @ (identity + W).T
        for W in reversed(layers[:k]):  # (I + W_{k-1})^T first
            right = right @ (identity + W).T
        result.append(2.0 * left @ G @ right)
    return result


def least_squares_solution(Sxx, Syx) -> np.ndarray:
    """A solution ``R`` of the normal equations ``R Sxx = Syx`` of problem (1).

    ``d/dR E||y - R x||^2 = E[2 (R x - y) x^T] = 2 (R Sxx - Syx)`` (the expectation is a
    quadratic polynomial in ``R`` with finite coefficients), so (1) says ``R Sxx = Syx``.  The
    equations are solvable for the moments of any distribution (``Sxx v = 0``
    forces ``v^T x = 0`` almost surely, hence ``Syx v = 0``); the solution is
    unique iff ``Sxx`` is invertible.  Returned is the minimum-Frobenius-norm
    solution ``Syx Sxx^+``, computed by ``scipy.linalg.lstsq`` on the transposed
    system ``Sxx R^T = Syx^T`` (an SVD solve: no explicit inverse, and singular
    values below ``d * eps * ||Sxx||_2`` are treated as zero).

    Raises
    ------
    ValueError
        If the moments are invalid, or inconsistent (``Syx`` does not vanish on
        the kernel of ``Sxx``), in which case no distribution has them.
    """
    Sxx, Syx = _check_moments(Sxx, Syx)
    d = Sxx.shape[0]
    cutoff = d * np.finfo(float).eps
    solution, *_ = scipy.linalg.lstsq(Sxx, Syx.T, cond=cutoff, lapack_driver="gelsd")
    R = solution.T
    residual = np.linalg.norm(R @ Sxx - Syx)
    scale = np.linalg.norm(Syx) + np.linalg.norm(R) * np.linalg.norm(Sxx, 2)
    if residual > 1e3 * cutoff * max(scale, np.finfo(float).tiny):
        raise ValueError(
            "the normal equations R Sxx = Syx have no solution: Syx does not vanish on "
            "the kernel of Sxx, so these are not the moments of any distribution"
        )
    return R


def excess_loss(Ws, Sxx, Syx) -> float:
    """``L(W) - L* = ||(P - R) Sxx^{1/2}||_F^2`` for any solution ``R`` of (1).

    Computed from the eigendecomposition ``Sxx = V diag(lam) V^T`` as
    ``||(P - R) V diag(lam)^{1/2}||_F^2``, which is non-negative by construction
    and free of the cancellation in ``loss(Ws) - loss at R``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    return _excess_of_product(end_to_end(layers), Sxx, least_squares_solution(Sxx, Syx))


def _excess_of_product(P, Sxx, R) -> float:
    eigenvalues, V = scipy.linalg.eigh(Sxx)
    scaled = (P - R) @ V * np.sqrt(np.clip(eigenvalues, 0.0, None))
    return float(np.sum(scaled * scaled))


def smallest_positive_eigenvalue(Sxx) -> float:
    """``lambda_+(Sxx)``: the smallest eigenvalue above ``d * eps * ||Sxx||_2``.

    Equal to ``lambda_min(Sxx)`` when ``Sxx`` is invertible; ``0`` for ``Sxx = 0``.
    """
    Sxx, _ = _check_moments(Sxx, np.zeros_like(np.asarray(Sxx, dtype=float)))
    eigenvalues = scipy.linalg.eigvalsh(Sxx)
    cutoff = Sxx.shape[0] * np.finfo(float).eps * max(eigenvalues[-1], 0.0)
    positive = eigenvalues[eigenvalues > cutoff]
    return float(positive[0]) if positive.size else 0.0


def layer_norms(Ws) -> np.ndarray:
    """Spectral norms ``||W_k||_2`` (``numpy.linalg.norm`` batches the SVDs)."""
    return np.linalg.norm(np.stack(_as_layers(Ws)), ord=2, axis=(1, 2))


# ---------------------------------------------------------------------------
# Polyak--Lojasiewicz-type inequality
# ---------------------------------------------------------------------------


def _check_depth_tau(depth, tau) -> None:
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not 0 <= tau < 1:
        raise ValueError(f"tau must lie in [0, 1), got {tau}")


def pl_constant(depth: int, tau: float, Sxx) -> float:
    """``c = 4 H (1 - tau)^{2(H-1)} lambda_+(Sxx)`` of the PL-type inequality.

    For every ``Ws`` with ``max_k ||W_k||_2 <= tau < 1`` the write-up proves
    ``||grad L||_F^2 >= c (L - L*)``, and that ``c`` cannot be enlarged.
    """
    _check_depth_tau(depth, tau)
    return 4.0 * depth * (1.0 - tau) ** (2 * (depth - 1)) * smallest_positive_eigenvalue(Sxx)


def layer_pl_ratio(Ws, Sxx, Syx, k: int) -> float:
    """``||dL/dW_k||_F^2 / (4 lambda_+ prod_{j != k} (1 - ||W_j||_2)^2 (L - L*))``.

    The per-layer inequality of the write-up says this is at least 1 whenever
    ``||W_j||_2 <= 1`` for every ``j != k`` (``W_k`` itself is unrestricted); it
    is the quantitative form of "``dL/dW_k = 0`` implies a global minimum".
    ``k`` is 1-based, as in the write-up.
    """
    layers = _as_layers(Ws)
    if int(k) != k or not 1 <= k <= len(layers):
        raise ValueError(f"k must be a layer index in 1..{len(layers)}, got {k}")
    others = np.delete(layer_norms(layers), k - 1)
    if np.any(others > 1):
        raise ValueError("the per-layer inequality needs ||W_j||_2 <= 1 for every j != k")
    gap = excess_loss(layers, Sxx, Syx)
    if not gap > 0:
        raise ValueError("L - L* vanishes: the point is a global minimum")
    gradient = gradients(layers, Sxx, Syx)[k - 1]
    bound = 4.0 * smallest_positive_eigenvalue(Sxx) * np.prod((1.0 - others) ** 2) * gap
    return float(np.sum(gradient * gradient) / bound)


def hardt_ma_printed_constant(depth: int, tau: float, Sxx) -> float:
    """The constant of Hardt & Ma's inequality (2.3) as printed.

    ``4 H (1 - tau)^{H-1} sigma_min(Sxx)^2`` (their ``l`` is our ``H``, their
    ``Sigma`` our ``Sxx``).  Kept only to exhibit where that inequality fails.
    """
    _check_depth_tau(depth, tau)
    sigma_min = scipy.linalg.svdvals(np.asarray(Sxx, dtype=float))[-1]
    return 4.0 * depth * (1.0 - tau) ** (depth - 1) * sigma_min**2


def hardt_ma_threshold_ratio(depth: int, tau: float, Sxx) -> float:
    """``lambda_min(Sxx) / (1 - tau)^{H-1}``: the printed (2.3) over our inequality.

    For invertible ``Sxx`` the right side of the printed (2.3) is this number
    times the right side of ours.  The write-up proves: the printed (2.3) holds
    on all of ``B_tau`` for every distribution with this ``Sxx`` iff the
    number is at most 1 (for singular ``Sxx`` it is 0 and the printed right
    side vanishes).
    """
    _check_depth_tau(depth, tau)
    Sxx, _ = _check_moments(Sxx, np.zeros_like(np.asarray(Sxx, dtype=float)))
    return max(float(scipy.linalg.eigvalsh(Sxx)[0]), 0.0) / (1.0 - tau) ** (depth - 1)


def pl_ratios(Ws, Sxx, Syx) -> tuple[float, float]:
    """``||grad L||^2 / (c (L - L*))`` for our ``c`` and for the printed (2.3).

    ``tau`` is taken as ``max_k ||W_k||_2``, which must be ``< 1``, and
    ``L - L*`` must be positive.
    """
    layers = _as_layers(Ws)
    tau = float(np.max(layer_norms(layers)))
    if tau >= 1:
        raise ValueError(f"the layers must satisfy max ||W_k||_2 < 1, got {tau}")
    gap = excess_loss(layers, Sxx, Syx)
    if not gap > 0:
        raise ValueError("L - L* vanishes: the point is a global minimum")
    grad_sq = gradient_norm_squared(layers, Sxx, Syx)
    H = len(layers)
    printed = hardt_ma_printed_constant(H, tau, Sxx) * gap
    # A singular Sxx makes the printed right side 0: that inequality then holds trivially.
    return grad_sq / (pl_constant(H, tau, Sxx) * gap), (grad_sq / printed if printed > 0 else np.inf)


def pl_equality_instance(depth: int, tau: float, Sxx):
    """Layers and ``Syx`` at which the PL-type inequality holds with equality.

    ``W_k = -tau I`` for all ``k``; with ``v`` a unit eigenvector of ``Sxx`` for
    ``lambda_+ = lambda_+(Sxx)`` and ``E = e_1 v^T``, take ``R = (1 - tau)^H I - E``
    and ``Syx = R Sxx`` (the moments of, e.g., ``y = R x``).  Then ``P - R = E``,
    ``E Sxx = lambda_+ E`` and both sides equal ``4 H (1 - tau)^{2(H-1)} lambda_+^2``.

    Returns
    -------
    Ws, Syx
    """
    _check_depth_tau(depth, tau)
    Sxx, _ = _check_moments(Sxx, np.zeros_like(np.asarray(Sxx, dtype=float)))
    lam = smallest_positive_eigenvalue(Sxx)
    if lam == 0:
        raise ValueError("Sxx = 0: the loss is constant and there is nothing to attain")
    eigenvalues, V = scipy.linalg.eigh(Sxx)
    v = V[:, int(np.argmin(np.abs(eigenvalues - lam)))]
    d = Sxx.shape[0]
    E = np.outer(np.eye(d)[0], v)
    R = (1.0 - tau) ** depth * np.eye(d) - E
    return [-tau * np.eye(d) for _ in range(depth)], R @ Sxx


# ---------------------------------------------------------------------------
# Counterexamples and special cases
# ---------------------------------------------------------------------------


def boundary_critical_point(depth: int, dimension: int) -> list[np.ndarray]:
    """``W_1 = W_2 = -I`` and ``W_k = 0`` for ``k >= 3``: a critical point on the sphere of radius 1.

    Every ``dL/dW_k`` contains the factor ``I + W_1 = 0`` or ``I + W_2 = 0``, so the
    gradient vanishes for every distribution, while ``P = 0``.  Needs ``H >= 2``.
    """
    if int(depth) != depth or depth < 2:
        raise ValueError(f"the boundary counterexample needs depth H >= 2, got {depth}")
    if int(dimension) != dimension or dimension < 1:
        raise ValueError(f"dimension must be a positive integer, got {dimension}")
    layers = [np.zeros((dimension, dimension)) for _ in range(depth)]
    layers[0] = -np.eye(dimension)
    layers[1] = -np.eye(dimension)
    return layers


def boundary_escape_change(Sxx, Syx, Syy, depth: int, t: float, sign: float) -> float:
    """``L(W(t)) - L(W(0))`` along ``W_1 = -I + sign t Syx / ||Syx||_F``, ``W_2 = -I + t I``.

    Then ``P = sign t^2 Syx / ||Syx||_F`` and
    ``L(W(t)) - L(W(0)) = -2 sign t^2 ||Syx||_F + t^4 tr(Syx Sxx Syx^T) / ||Syx||_F^2``:
    negative for ``sign = +1`` and positive for ``sign = -1`` (small ``t``), so the
    boundary critical point is a saddle.
    """
    Sxx, Syx, Syy = _check_moments(Sxx, Syx, Syy)
    if sign not in (1, -1):
        raise ValueError("sign must be +1 or -1")
    scale = np.linalg.norm(Syx)
    if scale == 0:
        raise ValueError("Syx = 0: then every critical point is a global minimum and there is no escape")
    d = Sxx.shape[0]
    start = boundary_critical_point(depth, d)
    moved = [W.copy() for W in start]
    moved[0] = moved[0] + t * sign * Syx / scale
    moved[1] = moved[1] + t * np.eye(d)
    return loss(moved, Sxx, Syx, Syy) - loss(start, Sxx, Syx, Syy)


def last_layer_identity_error(Ws, Sxx, Syx) -> float:
    """Relative error of ``<dL/dW_H, I + W_H> = 2 <P Sxx - Syx, P>``.

    The identity follows from the gradient formula because
    ``(I + W_H) A_{<H} = P``.  When ``Syx = 0`` its right side is
    ``2 tr(P Sxx P^T) = 2 (L - L*)``, so every critical point is a global minimum.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    P = end_to_end(layers)
    left = float(np.sum(gradients(layers, Sxx, Syx)[-1] * (np.eye(Sxx.shape[0]) + layers[-1])))
    right = 2.0 * float(np.sum((P @ Sxx - Syx) * P))
    if right == 0:
        raise ValueError("the right side vanishes; the relative error is undefined")
    return abs(left - right) / abs(right)


def singular_example(samples: np.ndarray, slope: float = 1.0):
    """Moments of ``x = (u, 0)``, ``y = (slope u, 0)`` for the empirical distribution of ``u``.

    With ``m = mean(u**2)``: ``Sxx = diag(m, 0)`` (singular), ``Syx = diag(slope m, 0)``
    and ``Syy = slope^2 m``, written down exactly rather than through matrix
    products whose rounding could differ.  The solutions of the normal equations
    are the matrices with first column ``(slope, 0)``.  For ``slope = 1``, ``W = 0``
    is a critical point with ``P = I`` different from the minimum-norm solution
    ``diag(1, 0)``; for ``|slope| >= 2^H`` no product ``P(W)`` with all
    ``||W_k||_2 < 1`` is a solution.

    Returns
    -------
    Sxx, Syx, Syy
    """
    u = np.asarray(samples, dtype=float)
    if u.ndim != 1 or u.size == 0 or not np.any(u):
        raise ValueError("samples must be a non-empty one-dimensional array, not all zero")
    if not np.isfinite(slope):
        raise ValueError(f"slope must be finite, got {slope}")
    m = float(np.mean(u * u))
    return np.diag([m, 0.0]), np.diag([slope * m, 0.0]), slope * slope * m


# ---------------------------------------------------------------------------
# Data, finite differences and gradient descent
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSpec:
    """Parameters of the non-Gaussian, nonlinear data distribution of :func:`make_data`."""

    samples: int = 4000
    dimension: int = 4
    student_dof: int = 5
    mixing_scale: float = 0.3
    target_scale: float = 0.4
    nonlinear_scale: float = 0.25
    noise_scale: float = 0.25


def make_data(rng: np.random.Generator, spec: DataSpec = DataSpec()):
    """Draw ``n`` samples of a skewed, heavy-tailed ``x`` and a nonlinear noisy ``y``.

    ``z`` has independent coordinates, alternately ``Exp(1) - 1`` (skewed) and
    Student-t (heavy-tailed, unit variance); ``x = T z + 1`` with
    ``T = I + mixing_scale * Gamma`` (``Gamma`` standard Gaussian, fixed by ``rng``) so that
    ``x`` has correlated coordinates and a non-zero mean;
    ``y = Phi x + nonlinear_scale * x |x| + noise_scale * (1 + |x|) * l``
    (coordinatewise products) with
    ``Phi = expm(target_scale * K / sqrt(d))``, ``K`` standard Gaussian and ``l``
    standard Laplace (heteroscedastic, non-Gaussian noise).  ``E[y | x]`` is
    not linear in ``x`` and the noise depends on ``x``: the model
    ``y = R x + xi`` with ``xi`` independent of ``x`` fails.

    Returns
    -------
    X, Y : (n, d) arrays
    """
    n, d = spec.samples, spec.dimension
    if n < 2 * d or d < 1:
        raise ValueError(f"need dimension >= 1 and at least 2d samples, got n={n}, d={d}")
    nu = spec.student_dof
    if nu <= 2:
        raise ValueError("the Student-t coordinates need more than 2 degrees of freedom (finite variance)")
    z = np.empty((n, d))
    z[:, 0::2] = rng.exponential(1.0, size=(n, (d + 1) // 2)) - 1.0
    z[:, 1::2] = rng.standard_t(nu, size=(n, d // 2)) / np.sqrt(nu / (nu - 2))
    T = np.eye(d) + spec.mixing_scale * rng.standard_normal((d, d))
    X = z @ T.T + 1.0
    # scipy.linalg.expm: Phi = exp(c K) has det Phi = exp(c tr K) > 0 (a rotation-and-stretch
    # that a residual network near the identity can reach).
    Phi = scipy.linalg.expm(spec.target_scale * rng.standard_normal((d, d)) / np.sqrt(d))
    noise = spec.noise_scale * (1.0 + np.abs(X)) * rng.laplace(0.0, 1.0, size=(n, d))
    Y = X @ Phi.T + spec.nonlinear_scale * X * np.abs(X) + noise
    return X, Y


@dataclass(frozen=True)
class ResidualStatistics:
    """How the least-squares residual ``r = y - R x`` relates to ``x`` (see :func:`residual_statistics`)."""

    orthogonality: float
    pearson: float
    quadratic: float


def _max_normalised_moment(r, features) -> float:
    """``max_{i,j} |E[r_i f_j]| / sqrt(E[r_i^2] E[f_j^2])`` (uncentred) under the empirical law."""
    cross = r.T @ features / r.shape[0]
    scale = np.sqrt(np.outer(np.mean(r * r, axis=0), np.mean(features * features, axis=0)))
    return float(np.max(np.abs(cross) / scale))


def residual_statistics(X, Y) -> ResidualStatistics:
    """Normalised moments of the least-squares residual ``r = y - R x`` of the sample.

    * ``orthogonality``: ``max_{i,j} |E[r_i x_j]| / sqrt(E[r_i^2] E[x_j^2])``, the
      uncentred normalised moment, which the normal equations ``E[r x^T] = 0``
      force to zero (up to rounding);
    * ``pearson``: the largest Pearson correlation ``|corr(r_i, x_j)|``, which is
      *not* forced to zero: ``x`` has a non-zero mean and the model has no
      intercept, so ``E[r] != 0`` in general;
    * ``quadratic``: the uncentred normalised moment of ``r`` against the centred
      squares ``x_j^2 - E[x_j^2]``, which vanishes when ``E[r | x] = 0`` (the
      conditional-mean part of the noise model of Hardt & Ma).  A clearly
      non-zero value certifies that the data lie outside that model.
    """
    X = np.asarray(X, dtype=float)
    Sxx, Syx, _ = second_moments(X, Y)
    R = least_squares_solution(Sxx, Syx)
    r = np.asarray(Y, dtype=float) - X @ R.T
    centred_r = r - r.mean(axis=0)
    centred_x = X - X.mean(axis=0)
    return ResidualStatistics(
        orthogonality=_max_normalised_moment(r, X),
        pearson=_max_normalised_moment(centred_r, centred_x),
        quadratic=_max_normalised_moment(r, X**2 - np.mean(X**2, axis=0)),
    )


def central_difference_gradient(Ws, Sxx, Syx, Syy, step: float) -> list[np.ndarray]:
    """Central differences ``(L(W + h e) - L(W - h e)) / (2h)`` for every entry.

    ``L`` is a quadratic polynomial in each single entry (``P`` is affine in it), so
    central differences carry no truncation error: they differ from the exact
    gradient only by rounding, of order ``eps |L| / h``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx, Syy = _check_moments(Sxx, Syx, Syy)
    _check_layers_match(layers, Sxx)
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    result = []
    for k, W in enumerate(layers):
        G = np.empty_like(W)
        for index in np.ndindex(W.shape):
            values = []
            for sign in (1.0, -1.0):
                shifted = list(layers)
                moved = W.copy()
                moved[index] += sign * step
                shifted[k] = moved
                values.append(_loss_of_product(end_to_end(shifted), Sxx, Syx, Syy))
            G[index] = (values[0] - values[1]) / (2 * step)
        result.append(G)
    return result


@dataclass(frozen=True)
class DescentPath:
    """Record of gradient descent: per iterate, ``L - L*`` and every ``||W_k||_2``."""

    excess: np.ndarray
    norms: np.ndarray
    layers: list
    pl_ratio_min: float

    @property
    def norm_spread(self) -> float:
        """``max_s (max_k - min_k ||W_k^{(s)}||_2) / max_k ||W_k^{(s)}||_2`` over ``s >= 1``."""
        largest = self.norms[1:].max(axis=1)
        return float(np.max((largest - self.norms[1:].min(axis=1)) / largest))


def gradient_descent(
    Sxx, Syx, depth: int, step: float, iterations: int, ratio_floor: float = 1e-9
) -> DescentPath:
    """Plain gradient descent ``W_k <- W_k - step * dL/dW_k`` from ``W = 0``.

    Records ``L - L* = ||(P - R) Sxx^{1/2}||_F^2`` (with one eigendecomposition of
    ``Sxx`` for the whole path), all layer norms and the smallest ratio
    ``||grad L||^2 / (c(tau) (L - L*))`` met along the path, with ``tau`` the
    current largest layer norm.  The ratio is taken only over iterates with
    ``L - L* > ratio_floor * (L(0) - L*)``: near rounding level both sides are noise.
    """
    Sxx, Syx = _check_moments(Sxx, Syx)
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not step > 0 or int(iterations) != iterations or iterations < 1:
        raise ValueError("need a positive step and a positive integer number of iterations")
    d = Sxx.shape[0]
    R = least_squares_solution(Sxx, Syx)
    eigenvalues, V = scipy.linalg.eigh(Sxx)
    root = V * np.sqrt(np.clip(eigenvalues, 0.0, None))  # Sxx = root root^T
    history = np.zeros((iterations + 1, depth, d, d))
    excess = np.empty(iterations + 1)
    grad_sq = np.empty(iterations + 1)
    for t in range(iterations + 1):
        P, grads = _product_and_gradients(history[t], Sxx, Syx)
        grads = np.stack(grads)
        excess[t] = np.sum(((P - R) @ root) ** 2)
        grad_sq[t] = np.sum(grads * grads)
        if t < iterations:
            history[t + 1] = history[t] - step * grads
    layers = list(history[-1])
    # One stacked SVD for all layer norms of the path, after the loop.
    norms = np.linalg.norm(history, ord=2, axis=(2, 3))
    tau = norms.max(axis=1)
    counted = (tau < 1) & (excess > ratio_floor * excess[0])
    c = 4.0 * depth * (1.0 - tau[counted]) ** (2 * (depth - 1)) * smallest_positive_eigenvalue(Sxx)
    ratio_min = np.min(grad_sq[counted] / (c * excess[counted]), initial=np.inf)
    return DescentPath(excess, norms, layers, float(ratio_min))


# ---------------------------------------------------------------------------
# The PL inequalities at random points (batched)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BallBatch:
    """Random points sharing ``d`` and ``H``: arrays stacked along the first axis.

    ``layers`` is ``(n, H, d, d)``, ``Sxx`` and ``Syx`` are ``(n, d, d)``;
    ``free_layer[i]`` is the 0-based index of the one layer whose norm may
    exceed 1 (a point of ``V`` outside ``U``), or ``-1`` when every layer has
    norm below 1.
    """

    layers: np.ndarray
    Sxx: np.ndarray
    Syx: np.ndarray
    free_layer: np.ndarray


def random_ball_points(
    rng: np.random.Generator,
    count: int,
    data_moments,
    max_depth: int = 8,
    free_layer_norm: tuple[float, float] | None = None,
) -> list[BallBatch]:
    """Random points ``(Ws, Sxx, Syx)`` for the PL checks, grouped by ``(d, H)``.

    Even-numbered points use ``data_moments``; the others random moments
    ``Sxx = 10^u B B^T`` (``u`` uniform on ``[-2, 2]``; ``B`` Gaussian ``d x d`` with
    its columns beyond a random rank set to zero, so ``Sxx`` is often singular)
    with consistent ``Syx = C Sxx``, ``d`` uniform on ``1..5``.  ``H`` is uniform
    on ``1..max_depth``, ``tau`` uniform on ``[0, 0.95]`` and layer ``k`` has norm
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
    dims = np.where(from_data, data_d, rng.integers(1, 6, size=count))
    depths = rng.integers(1, max_depth + 1, size=count)
    keys = sorted({(bool(s), int(d), int(H)) for s, d, H in zip(from_data, dims, depths)})
    batches = []
    for source, d, H in keys:
        n = int(np.sum((from_data == source) & (dims == d) & (depths == H)))
        if source:
            Sxx = np.broadcast_to(data_Sxx, (n, d, d)).copy()
            Syx = np.broadcast_to(data_Syx, (n, d, d)).copy()
        else:
            rank = rng.integers(1, d + 1, size=n)
            B = rng.standard_normal((n, d, d)) * (np.arange(d) < rank[:, None])[:, None, :]
            Sxx = 10.0 ** rng.uniform(-2, 2, size=n)[:, None, None] * (B @ B.transpose(0, 2, 1))
            Syx = rng.standard_normal((n, d, d)) @ Sxx
        tau = rng.uniform(0.0, 0.95, size=n)
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
        batches.append(BallBatch(layers, Sxx, Syx, free))
    return batches


@dataclass(frozen=True)
class PLSweep:
    """Both sides of the PL-type inequalities, and of the printed (2.3), at random points.

    ``lhs`` is ``||grad L||_F^2``; ``ours`` and ``printed`` are the right-hand
    sides ``c (L - L*)`` of our inequality and of the printed (2.3); ``tau`` is
    ``max_k ||W_k||_2``; ``singular`` marks points whose ``Sxx`` is singular (there
    the printed right side vanishes and ours uses ``lambda_+``); ``depth`` and
    ``rank`` are ``H`` and the numerical rank of ``Sxx``; ``threshold`` is
    ``lambda_min(Sxx) / (1 - tau)^{H-1}`` (0 when singular); ``layer_ratio`` is
    the smallest per-layer ratio ``||dL/dW_k||^2 / (4 lambda_+ prod_{j != k}
    (1 - ||W_j||_2)^2 (L - L*))`` over the layers ``k`` whose companions all have
    norm at most 1.  Every array has one entry per point with ``L > L*``.
    """

    lhs: np.ndarray
    ours: np.ndarray
    printed: np.ndarray
    tau: np.ndarray
    singular: np.ndarray
    depth: np.ndarray
    rank: np.ndarray
    threshold: np.ndarray
    layer_ratio: np.ndarray


def _sweep_batch(batch: BallBatch) -> dict:
    """Vectorised quantities of :class:`PLSweep` for one :class:`BallBatch`."""
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
    G = above[0] @ factors[:, 0] @ Sxx - Syx  # P Sxx - Syx
    layer_sq = np.stack(
        [4.0 * np.sum((above[k].transpose(0, 2, 1) @ G @ below[k].transpose(0, 2, 1)) ** 2, axis=(1, 2))
         for k in range(H)],
        axis=1,
    )
    # L - L* = sum over positive eigenvalues of ||G v_i||^2 / lambda_i, since (P - R) Sxx = G.
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
    keep = excess > 0
    return {
        "lhs": layer_sq.sum(axis=1)[keep], "ours": ours[keep], "printed": printed[keep],
        "tau": tau[keep], "singular": singular[keep], "depth": np.full(n, H)[keep],
        "rank": rank[keep], "threshold": threshold[keep], "layer_ratio": ratios.min(axis=1)[keep],
    }


def pl_sweep(batches) -> PLSweep:
    """Evaluate :class:`PLSweep` at the points of :func:`random_ball_points`.

    Everything is batched over the points of a batch (prefix and suffix products,
    one stacked eigendecomposition of ``Sxx``, stacked SVDs for the layer norms).
    Points with ``L = L*`` are skipped (every inequality is ``0 >= 0`` there); the
    number of points kept is part of the record.  Points with a layer of norm
    at least 1 get ``nan`` for ``ours``, ``printed`` and ``threshold``.
    """
    parts = [_sweep_batch(batch) for batch in batches]
    if not parts:
        raise ValueError("no points to evaluate")
    return PLSweep(**{name: np.concatenate([part[name] for part in parts]) for name in parts[0]})


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def _decade_ticks(axis, low_exponent: int, high_exponent: int, every: int) -> None:
    """Major ticks at ``10^e`` for every ``every``-th exponent, no minor ticks.

    Few tick labels keep the figure legible and cheap: each distinct label is a
    mathtext expression that matplotlib parses once.
    """
    axis.set_major_locator(matplotlib.ticker.FixedLocator(
        [10.0**e for e in range(low_exponent, high_exponent + 1, every)]))
    axis.set_minor_locator(matplotlib.ticker.NullLocator())


def _plain_ticks(axis, formatter: str) -> None:
    """Tick labels as plain text (``formatter`` in ``%`` syntax): no mathtext to parse."""
    axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter(formatter))


def plot_descent(path: DescentPath, file: Path) -> None:
    """Loss gap (log scale) and the largest layer norm along gradient descent."""
    with figstyle.figure(width=1.0, aspect=0.3, ncols=2) as (fig, (ax_gap, ax_norm)):
        steps = np.arange(path.excess.size)
        ax_gap.semilogy(steps, path.excess, color=figstyle.COLORS[0])
        low = int(np.floor(np.log10(path.excess.min())))
        high = int(np.ceil(np.log10(path.excess.max())))
        _decade_ticks(ax_gap.yaxis, low - low % 5, high, 5)
        ax_gap.set_xlabel("iteration")
        ax_gap.set_ylabel(r"$\mathcal{L}-\mathcal{L}^*$")
        # The H layer norms nearly coincide (their relative spread is a claim of
        # the write-up), so one curve stands for all of them.
        ax_norm.plot(steps, path.norms.max(axis=1), color=figstyle.COLORS[0])
        ax_norm.set_ylim(0.0, None)
        ax_norm.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        ax_norm.set_xlabel("iteration")
        ax_norm.set_ylabel("largest layer norm")
        for axis in (ax_gap.xaxis, ax_norm.xaxis):
            _plain_ticks(axis, "%d")
        _plain_ticks(ax_norm.yaxis, "%.2f")
        figstyle.save(fig, file)


def plot_pl(sweep: PLSweep, file: Path, ratio_window: tuple[float, float]) -> None:
    """Our PL inequality's two sides, and the printed (2.3) against its threshold.

    Left: ``||grad L||^2`` against our right side (log-log).  Right: the ratio of
    ``||grad L||^2`` to the printed right side of (2.3) against
    ``rho = lambda_min / (1 - tau)^{H-1}``, for invertible ``Sxx``, with the lower
    envelope ``1 / rho`` that our inequality implies; the vertical axis is cut
    to ``ratio_window`` so that the region around ratio 1 is visible.
    """
    inside = np.isfinite(sweep.ours)
    with figstyle.figure(width=1.0, aspect=0.4, ncols=2) as (fig, (ax_sides, ax_ratio)):
        for mask, color, marker, label in (
            (inside & ~sweep.singular, figstyle.COLORS[0], ".", "invertible"),
            (inside & sweep.singular, figstyle.COLORS[2], "+", "singular"),
        ):
            ax_sides.loglog(sweep.ours[mask], sweep.lhs[mask], marker, color=color,
                            markersize=2.5, alpha=0.7, label=label)
        low = min(sweep.ours[inside].min(), sweep.lhs[inside].min())
        high = max(sweep.ours[inside].max(), sweep.lhs[inside].max())
        ax_sides.loglog([low, high], [low, high], color="black", linewidth=0.6, label="equality")
        exponents = (int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))))
        for axis in (ax_sides.xaxis, ax_sides.yaxis):
            _decade_ticks(axis, exponents[0] - exponents[0] % 5, exponents[1], 5)
        ax_sides.set_xlabel(r"$c_{H,\tau}(\mathcal{L}-\mathcal{L}^*)$")
        ax_sides.set_ylabel(r"$\|\nabla\mathcal{L}\|_F^2$")
        ax_sides.legend(loc="lower right", markerscale=2)

        invertible = inside & ~sweep.singular
        rho = sweep.threshold[invertible]
        ratio = sweep.lhs[invertible] / sweep.printed[invertible]
        grid = np.geomspace(rho.min(), rho.max(), 50)
        ax_ratio.loglog(grid, 1.0 / grid, color="black", linewidth=0.6, label=r"$1/\rho$")
        ax_ratio.axhline(1.0, color=figstyle.COLORS[5], linewidth=0.6, linestyle=figstyle.LINESTYLES[1])
        ax_ratio.axvline(1.0, color=figstyle.COLORS[5], linewidth=0.6, linestyle=figstyle.LINESTYLES[1])
        violated = ratio < 1
        ax_ratio.loglog(rho[~violated], ratio[~violated], ".", color=figstyle.COLORS[0],
                        markersize=2.5, alpha=0.7, label="holds")
        ax_ratio.loglog(rho[violated], ratio[violated], "x", color=figstyle.COLORS[1],
                        markersize=2.5, label="fails")
        ax_ratio.set_ylim(*ratio_window)
        x_exponents = (int(np.floor(np.log10(rho.min()))), int(np.ceil(np.log10(rho.max()))))
        _decade_ticks(ax_ratio.xaxis, x_exponents[0] - x_exponents[0] % 4, x_exponents[1], 4)
        _decade_ticks(ax_ratio.yaxis, int(np.log10(ratio_window[0])), int(np.log10(ratio_window[1])), 1)
        ax_ratio.set_xlabel(r"$\rho=\lambda_{\min}(\Sigma_{xx})/(1-\tau)^{H-1}$")
        ax_ratio.set_ylabel("left side / printed right side")
        ax_ratio.legend(loc="lower left", markerscale=2)  # the region the theorem leaves empty
        figstyle.save(fig, file)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------
def _hardt_ma_instance_ratio(depth: int, tau: float, scale: float) -> float:
    """LHS over the printed right side of (2.3) at the equality instance, ``Sxx = scale diag(1, 2, 3)``."""
    Sxx = scale * np.diag([1.0, 2.0, 3.0])
    layers, Syx = pl_equality_instance(depth, tau, Sxx)
    return pl_ratios(layers, Sxx, Syx)[1]


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 1 claim and draw its two figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=1)
    rng = np.random.default_rng(SEED)
    spec = DataSpec()
    depth = 8

    # --- the data and the least-squares problem (1) -----------------------
    X, Y = make_data(rng, spec)
    Sxx, Syx, Syy = second_moments(X, Y)
    R = least_squares_solution(Sxx, Syx)
    d = spec.dimension
    led.parameter("seed", str(SEED), description="seed of numpy.random.default_rng for all draws")
    led.parameter("samples", spec.samples, description="sample size $n$ of the empirical distribution")
    led.parameter("dimension", d, description="dimension $d$ of $x$ and $y$")
    led.parameter("student_dof", spec.student_dof,
                  description="degrees of freedom of the Student-$t$ coordinates of $z$")
    led.parameter("mixing_scale", spec.mixing_scale, style="fixed", digits=1,
                  description=r"scale of the Gaussian perturbation $\Gamma$ in the mixing matrix $T$")
    led.parameter("target_scale", spec.target_scale, style="fixed", digits=1,
                  description=r"scale of the exponent $K/\sqrt{d}$ of the matrix $\Phi$")
    led.parameter("nonlinear_scale", spec.nonlinear_scale, style="fixed", digits=2,
                  description=r"coefficient of the nonlinear term $x\odot|x|$ in $y$")
    led.parameter("noise_scale", spec.noise_scale, style="fixed", digits=2,
                  description="scale of the heteroscedastic Laplace noise")
    residual = residual_statistics(X, Y)
    led.claim("residual_orthogonality", residual.orthogonality, at_most(1e-12), source=residual_statistics,
              description=r"largest normalised moment $|\E[r_{i}x_{j}]|/{(\E[r_i^2]\,\E[x_j^2])}^{1/2}$ "
                          r"of the residual $r=y-Rx$ (orthogonality)")
    led.claim("residual_pearson", residual.pearson, greater_than(0.05), source=residual_statistics,
              description=r"largest Pearson correlation $|\operatorname{corr}(r_i,x_j)|$ "
                          r"(not zero: $\E[r]\neq0$)")
    led.claim("residual_quadratic_moment", residual.quadratic, at_least(0.1), source=residual_statistics,
              description=r"largest normalised moment of $r_i$ against a centred square $x_j^2-\E[x_j^2]$")
    led.claim("data_det_r", float(np.linalg.det(R)), greater_than(0), source=least_squares_solution,
              description=r"$\det R$ of the least-squares solution of the data")
    eigenvalues = scipy.linalg.eigvalsh(Sxx)
    led.claim("data_lambda_min", eigenvalues[0], greater_than(0), source=second_moments,
              description=r"$\lambda_{\min}(\Sigma_{xx})$ of the data (so $\Sigma_{xx}$ is invertible)")

    # --- moment form of the loss, excess-loss identity, gradient ----------
    probe_norm = 0.9
    led.parameter("probe_norm", probe_norm, style="fixed", digits=1,
                  description="spectral norm of every layer at the random probe point")
    probe = [probe_norm * G / np.linalg.norm(G, 2) for G in rng.standard_normal((depth, d, d))]
    sample_loss = loss_from_samples(probe, X, Y)
    led.claim("moment_loss_error", abs(loss(probe, Sxx, Syx, Syy) - sample_loss) / sample_loss,
              at_most(1e-12), source=loss,
              description="relative gap between the moment form of the loss and the sample mean")
    optimum = loss([R - np.eye(d)], Sxx, Syx, Syy)
    identity_error = abs(sample_loss - optimum - excess_loss(probe, Sxx, Syx)) / sample_loss
    led.claim("excess_identity_error", identity_error, at_most(1e-12), source=excess_loss,
              description="relative error of the excess-loss identity at the probe point")
    fd_step = 1e-3
    led.parameter("fd_step", fd_step, style="sci", description="step $h$ of the central differences")
    exact = gradients(probe, Sxx, Syx)
    numeric = central_difference_gradient(probe, Sxx, Syx, Syy, fd_step)
    fd_error = max(np.max(np.abs(a - b)) for a, b in zip(exact, numeric)) / max(
        np.max(np.abs(a)) for a in exact)
    led.claim("gradient_fd_error", fd_error, at_most(1e-8), source=central_difference_gradient,
              description="largest error of the gradient formula against central differences, "
                          "relative to the largest gradient entry")
    printed_order = hardt_ma_printed_gradients(probe, Sxx, Syx)
    order_error = max(np.linalg.norm(a - b) / np.linalg.norm(b) for a, b in zip(printed_order, exact))
    led.claim("hm_lemma_order_error", order_error, greater_than(0.01), source=hardt_ma_printed_gradients,
              description="largest relative Frobenius distance of Lemma 2.4 of Hardt and Ma, with the "
                          "products in the printed order, from the gradient at the probe point")
    led.claim("last_layer_identity_error", last_layer_identity_error(probe, Sxx, np.zeros((d, d))),
              at_most(1e-12), source=last_layer_identity_error,
              description=r"relative error of $\langle\nabla_H\mathcal L,\Id+W_H\rangle"
                          r"=2(\mathcal L-\mathcal L^*)$ at the probe point with $\Sigma_{yx}=0$")

    # --- gradient descent from W = 0 --------------------------------------
    step = 1.0 / (2 * depth * eigenvalues[-1] * np.linalg.norm(R, 2) ** 2)
    iterations = 500
    led.parameter("depth", depth, description="depth $H$ of the descent and of the probe point")
    led.parameter("iterations", iterations, description="number of gradient descent steps")
    led.parameter("step", step, style="sci", digits=3,
                  description=r"step size $1/(2H\lambda_{\max}(\Sigma_{xx})\|R\|_2^2)$")
    ratio_floor = 1e-9
    led.parameter("ratio_floor", ratio_floor, style="sci", digits=1,
                  description=r"the PL ratio along the descent is taken while $\mathcal L-\mathcal L^*$ "
                              "exceeds this fraction of its initial value")
    path = gradient_descent(Sxx, Syx, depth, step, iterations, ratio_floor)
    led.claim("descent_final_gap", path.excess[-1] / path.excess[0], at_most(1e-12), source=gradient_descent,
              description=r"$\mathcal L-\mathcal L^*$ after the descent relative to its value at $W=0$")
    product_error = np.linalg.norm(end_to_end(path.layers) - R) / np.linalg.norm(R)
    led.claim("descent_product_error", product_error, at_most(1e-8), source=gradient_descent,
              description=r"relative distance $\|P-R\|_F/\|R\|_F$ after the descent")
    led.claim("descent_max_norm", float(path.norms.max()), less_than(1), source=gradient_descent,
              description=r"largest layer norm $\|W_k\|_2$ met along the descent")
    led.claim("descent_norm_spread", path.norm_spread, at_most(0.05), source=gradient_descent,
              description="largest difference between the largest and the smallest layer norm "
                          "along the descent, relative to the largest")
    led.claim("descent_pl_ratio_min", path.pl_ratio_min, at_least(1), source=gradient_descent,
              description="smallest ratio of the two sides of the PL inequality along the descent")
    plot_descent(path, figures_dir / "p1_descent.pdf")
    led.figure("descent", "p1_descent.pdf", source=plot_descent)

    # --- the boundary counterexample ---------------------------------------
    corner = boundary_critical_point(depth, d)
    led.claim("boundary_gradient_norm", gradient_norm_squared(corner, Sxx, Syx) ** 0.5, equals(0),
              source=gradients,
              description=r"$\|\nabla\mathcal L\|_F$ at $W_1=W_2=-\Id$, other $W_k=0$")
    led.claim("boundary_gap", excess_loss(corner, Sxx, Syx), greater_than(0), source=excess_loss,
              description=r"$\mathcal L-\mathcal L^*$ at that boundary critical point")
    escape = 0.1
    led.parameter("escape_t", escape, style="fixed", digits=1, description="$t$ along the escape paths")
    led.claim("boundary_escape_down", boundary_escape_change(Sxx, Syx, Syy, depth, escape, +1), less_than(0),
              source=boundary_escape_change, description=r"change of the loss from $W^\circ$ to $W_+(t)$")
    led.claim("boundary_escape_up", boundary_escape_change(Sxx, Syx, Syy, depth, escape, -1), greater_than(0),
              source=boundary_escape_change, description=r"change of the loss from $W^\circ$ to $W_-(t)$")

    # --- singular Sxx -------------------------------------------------------
    S1xx, S1yx, S1yy = singular_example(X[:, 0])
    origin = [np.zeros((2, 2)) for _ in range(depth)]
    led.claim("singular_gradient_norm", gradient_norm_squared(origin, S1xx, S1yx) ** 0.5, equals(0),
              source=gradients, description=r"$\|\nabla\mathcal L\|_F$ at $W=0$ for $x=(u,0)$, $y=x$")
    led.claim("singular_gap", loss(origin, S1xx, S1yx, S1yy) / S1yy, at_most(1e-12), source=loss,
              description=r"$\mathcal L(0)/\E\|y\|_2^2$ for $x=(u,0)$, $y=x$, where $\mathcal L^*=0$")
    distance = np.linalg.norm(end_to_end(origin) - least_squares_solution(S1xx, S1yx))
    led.claim("singular_distance", distance, greater_than(0.5), source=least_squares_solution,
              description=r"$\|P(0)-R_0\|_F$ for $x=(u,0)$, $y=x$", style="fixed", digits=3)
    vacuous_slope, vacuous_depth = -5, 2
    led.parameter("vacuous_slope", vacuous_slope,
                  description=r"coefficient of $u$ in $y$ in the example without critical points "
                              r"in $\mathcal U$")
    led.parameter("vacuous_depth", vacuous_depth,
                  description=r"depth $H$ of the example without critical points in $\mathcal U$")
    S2xx, S2yx, _ = singular_example(X[:, 0], float(vacuous_slope))
    led.claim("singular_vacuous_norm", np.linalg.norm(least_squares_solution(S2xx, S2yx), 2),
              at_least(2**vacuous_depth), source=least_squares_solution,
              description=rf"$\|R_0\|_2$, the smallest $\|R\|_2$ over the solutions, for $x=(u,0)$, "
                          rf"$y=({vacuous_slope}u,0)$; at least $2^H$ for $H={vacuous_depth}$")

    # --- PL inequalities: sweep, per-layer form, threshold of the printed (2.3)
    count, free_count = 600, 200
    free_norms = (1.0, 3.0)
    led.parameter("pl_points", count, description=r"random points of $\mathcal U$ in the PL sweep")
    led.parameter("pl_free_points", free_count,
                  description=r"random points of $\mathcal V$ outside $\mathcal U$ in the PL sweep")
    led.parameter("pl_free_low", free_norms[0], style="int",
                  description="lower end of the range of the norm of the free layer")
    led.parameter("pl_free_high", free_norms[1], style="int",
                  description="upper end of the range of the norm of the free layer")
    sweep = pl_sweep(random_ball_points(rng, count, (Sxx, Syx), max_depth=depth))
    free_sweep = pl_sweep(random_ball_points(rng, free_count, (Sxx, Syx), max_depth=depth,
                                             free_layer_norm=free_norms))
    led.claim("pl_sweep_count", sweep.lhs.size + free_sweep.lhs.size, equals(count + free_count),
              source=pl_sweep, description=r"sweep points with $\mathcal L>\mathcal L^*$ (all of them)",
              style="int")
    led.claim("pl_sweep_singular_count", int(np.sum(sweep.singular)), greater_than(0), source=pl_sweep,
              description=r"points of $\mathcal U$ in the sweep with singular $\Sigma_{xx}$", style="int")
    ratios = sweep.lhs / sweep.ours
    led.claim("pl_sweep_min_ratio", float(np.min(ratios)), at_least("1 - 1e-12"), source=pl_sweep,
              description=r"smallest ratio of the two sides of the PL inequality on $\mathcal B_\tau$ "
                          "over the random points")
    # Where the minimum sits: H = 1 and rank Sxx = 1 make the inequality an identity.
    tight = (sweep.depth == 1) & (sweep.rank == 1)
    led.claim("pl_sweep_tight_count", int(np.sum(tight)), greater_than(0), source=pl_sweep,
              description=r"sweep points with $H=1$ and $\operatorname{rank}\Sigma_{xx}=1$", style="int")
    led.claim("pl_sweep_tight_deviation", float(np.max(np.abs(ratios[tight] - 1))), at_most(1e-12),
              source=pl_sweep,
              description=r"largest $|\text{ratio}-1|$ over the sweep points with $H=1$ and "
                          r"$\operatorname{rank}\Sigma_{xx}=1$")
    led.claim("pl_sweep_other_min_ratio", float(np.min(ratios[~tight])), at_least("1 - 1e-12"),
              source=pl_sweep, description="smallest ratio over the other sweep points", digits=4)
    layer_ratio = min(float(np.min(sweep.layer_ratio)), float(np.min(free_sweep.layer_ratio)))
    led.claim("pl_layer_min_ratio", layer_ratio, at_least("1 - 1e-12"), source=pl_sweep,
              description=r"smallest ratio of the two sides of the per-layer inequality over every layer "
                          r"of the points of $\mathcal U$ and the free layer of the points of $\mathcal V$")
    led.claim("pl_free_min_ratio", float(np.min(free_sweep.layer_ratio)), at_least("1 - 1e-12"),
              source=pl_sweep, digits=3,
              description=r"the same, over the free layer of the points of $\mathcal V$ only")
    below = ~sweep.singular & (sweep.threshold <= 1)
    led.claim("pl_threshold_count", int(np.sum(below)), greater_than(0), source=pl_sweep, style="int",
              description=r"sweep points with invertible $\Sigma_{xx}$ and "
                          r"$\lambda_{\min}(\Sigma_{xx})\le{(1-\tau)}^{H-1}$")
    led.claim("pl_threshold_min_ratio", float(np.min(sweep.lhs[below] / sweep.printed[below])),
              at_least("1 - 1e-12"), source=pl_sweep, digits=3,
              description="smallest ratio of the two sides of the printed inequality (2.3) over those points")
    ratio_window = (1e-2, 1e2)
    plot_pl(sweep, figures_dir / "p1_pl.pdf", ratio_window)
    led.figure("pl", "p1_pl.pdf", source=plot_pl)

    equality_tau = 0.5
    led.parameter("equality_tau", equality_tau, style="fixed", digits=1,
                  description=r"$\tau$ of the equality instance on the data")
    equal_layers, equal_Syx = pl_equality_instance(depth, equality_tau, Sxx)
    equality_ratios = [pl_ratios(equal_layers, Sxx, equal_Syx)[0]] + [
        layer_pl_ratio(equal_layers, Sxx, equal_Syx, k) for k in range(1, depth + 1)]
    led.claim("pl_equality_deviation", max(abs(r - 1) for r in equality_ratios), at_most(1e-10),
              source=pl_equality_instance,
              description=r"largest distance from 1 of the ratio of the two sides at the equality "
                          r"instance, for the inequality on $\mathcal B_\tau$ and the per-layer one of "
                          "every layer")

    # --- the printed (2.3) at equality instances Sxx = mu diag(1, 2, 3) ----
    instances = {  # name: (mu, H, tau, check, what the row of the table isolates)
        "exponent": (1.0, 3, 0.5, less_than(1), "the exponent"),
        "eigen": (4.0, 3, 0.0, less_than(1), r"$\sigma_{\min}^2$ against $\lambda_{\min}$"),
        "near": (0.95, 2, 0.1, less_than(1), "just above the threshold"),
        "hold": (0.5, 3, 0.0, greater_than(1), "below the threshold"),
    }
    deviations = []
    for name, (mu, H, tau, check, row) in instances.items():
        digits = 2 if name == "near" else 1
        where = f"in the row ``{row}'' of the table of equality instances"
        led.parameter(f"hm_{name}_lambda", mu, style="fixed", digits=digits,
                      description=rf"$\mu=\lambda_{{\min}}(\Sigma_{{xx}})$ {where}")
        led.parameter(f"hm_{name}_depth", H, description=f"$H$ {where}")
        led.parameter(f"hm_{name}_tau", tau, style="fixed", digits=1, description=rf"$\tau$ {where}")
        ratio = _hardt_ma_instance_ratio(H, tau, mu)
        predicted = 1.0 / hardt_ma_threshold_ratio(H, tau, mu * np.diag([1.0, 2.0, 3.0]))
        deviations.append(abs(ratio - predicted) / predicted)
        led.claim(f"hm_{name}_ratio", ratio, check, source=pl_ratios, style="fixed", digits=3,
                  description=rf"left over right side of the printed inequality (2.3) at the equality "
                              rf"instance with $\Sigma_{{xx}}={mu:g}\diag(1,2,3)$, $H={H}$, $\tau={tau:g}$")
    led.claim("hm_formula_deviation", max(deviations), at_most(1e-12), source=pl_ratios,
              description=r"largest relative deviation of those four ratios from $1/\rho={(1-\tau)}^{H-1}/\mu$")
    return led
