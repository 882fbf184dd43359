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


def _gradients(layers, Sxx, Syx) -> list[np.ndarray]:
    """Unvalidated :func:`gradients` for inner loops."""
    below, above = _partial_products(layers)
    P = above[0] @ (below[0] + layers[0] @ below[0])
    G = P @ Sxx - Syx
    return [2.0 * A_above.T @ G @ A_below.T for A_above, A_below in zip(above, below)]


def gradients(Ws, Sxx, Syx) -> list[np.ndarray]:
    """Gradient of the loss (2) with respect to each layer.

    ``dL/dW_k = 2 A_{>k}^T (P Sxx - Syx) A_{<k}^T``; with any solution ``R`` of the
    normal equations this is ``2 A_{>k}^T (P - R) Sxx A_{<k}^T``, the form of
    Hardt & Ma (2017), Lemma 2.4, which here needs no noise model.  ``Syy`` does
    not enter.  Cost ``O(H d^3)`` through prefix and suffix products.

    Returns
    -------
    list of (d, d) arrays
        ``[dL/dW_1, ..., dL/dW_H]``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    return _gradients(layers, Sxx, Syx)


def gradient_norm_squared(Ws, Sxx, Syx) -> float:
    """``||grad L||_F^2 = sum_k ||dL/dW_k||_F^2``."""
    return float(sum(np.sum(g * g) for g in gradients(Ws, Sxx, Syx)))


def least_squares_solution(Sxx, Syx) -> np.ndarray:
    """A solution ``R`` of the normal equations ``R Sxx = Syx`` of problem (1).

    ``d/dR E||y - R x||^2 = 2 (R Sxx - Syx)``, so (1) says ``R Sxx = Syx``.  The
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


def pl_constant(depth: int, tau: float, Sxx) -> float:
    """``c = 4 H (1 - tau)^{2(H-1)} lambda_+(Sxx)`` of the PL-type inequality.

    For every ``Ws`` with ``max_k ||W_k||_2 <= tau < 1`` the write-up proves
    ``||grad L||_F^2 >= c (L - L*)``, and that ``c`` cannot be enlarged.
    """
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not 0 <= tau < 1:
        raise ValueError(f"tau must lie in [0, 1), got {tau}")
    return 4.0 * depth * (1.0 - tau) ** (2 * (depth - 1)) * smallest_positive_eigenvalue(Sxx)


def hardt_ma_printed_constant(depth: int, tau: float, Sxx) -> float:
    """The constant of Hardt & Ma's inequality (2.3) as printed.

    ``4 H (1 - tau)^{H-1} sigma_min(Sxx)^2`` (their ``l`` is our ``H``, their
    ``Sigma`` our ``Sxx``).  Kept only to exhibit where that inequality fails.
    """
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not 0 <= tau < 1:
        raise ValueError(f"tau must lie in [0, 1), got {tau}")
    sigma_min = scipy.linalg.svdvals(np.asarray(Sxx, dtype=float))[-1]
    return 4.0 * depth * (1.0 - tau) ** (depth - 1) * sigma_min**2


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
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not 0 <= tau < 1:
        raise ValueError(f"tau must lie in [0, 1), got {tau}")
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
# Counterexamples
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
    """``L(W(t)) - L(W(0))`` along ``W_1 = -I + t sign S / ||S||_F``, ``W_2 = -I + t I``.

    Here ``S = Syx``; then ``P = t^2 sign S / ||S||_F`` and
    ``L(W(t)) - L(W(0)) = -2 sign t^2 ||S||_F + t^4 tr(S Sxx S^T) / ||S||_F^2``:
    negative for ``sign = +1`` and positive for ``sign = -1`` (small ``t``), so the
    boundary critical point is a saddle.
    """
    Sxx, Syx, Syy = _check_moments(Sxx, Syx, Syy)
    if sign not in (1, -1):
        raise ValueError("sign must be +1 or -1")
    scale = np.linalg.norm(Syx)
    if scale == 0:
        raise ValueError("Syx = 0: then P = 0 is a global minimum and there is no escape")
    d = Sxx.shape[0]
    start = boundary_critical_point(depth, d)
    moved = [W.copy() for W in start]
    moved[0] = moved[0] + t * sign * Syx / scale
    moved[1] = moved[1] + t * np.eye(d)
    return loss(moved, Sxx, Syx, Syy) - loss(start, Sxx, Syx, Syy)


def singular_example(samples: np.ndarray):
    """Moments of ``x = (u, 0)``, ``y = x`` for the empirical distribution of ``u``.

    With ``m = mean(u**2)``: ``Sxx = Syx = diag(m, 0)`` (singular) and ``Syy = m``,
    written down exactly rather than through two matrix products whose rounding
    could differ.  At ``W = 0`` the gradient vanishes and the loss is ``0 = L*``,
    yet ``P = I`` differs from the minimum-norm solution ``diag(1, 0)``.

    Returns
    -------
    Sxx, Syx, Syy
    """
    u = np.asarray(samples, dtype=float)
    if u.ndim != 1 or u.size == 0 or not np.any(u):
        raise ValueError("samples must be a non-empty one-dimensional array, not all zero")
    m = float(np.mean(u * u))
    moments = np.diag([m, 0.0])
    return moments, moments.copy(), m


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
    Student-t (heavy-tailed, unit variance); ``x = A z + 1`` with
    ``A = I + mixing_scale * G`` (``G`` standard Gaussian, fixed by ``rng``) so that
    ``x`` has correlated coordinates and a non-zero mean;
    ``y = M x + nonlinear_scale * x |x| + noise_scale * (1 + |x|) * l``
    (coordinatewise products) with
    ``M = expm(target_scale * K / sqrt(d))``, ``K`` standard Gaussian and ``l``
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
    A = np.eye(d) + spec.mixing_scale * rng.standard_normal((d, d))
    X = z @ A.T + 1.0
    # scipy.linalg.expm: M = exp(c K) has det M = exp(c tr K) > 0 (a rotation-and-stretch
    # that a residual network near the identity can reach).
    M = scipy.linalg.expm(spec.target_scale * rng.standard_normal((d, d)) / np.sqrt(d))
    noise = spec.noise_scale * (1.0 + np.abs(X)) * rng.laplace(0.0, 1.0, size=(n, d))
    Y = X @ M.T + spec.nonlinear_scale * X * np.abs(X) + noise
    return X, Y


def residual_correlations(X, Y):
    """Correlations of the least-squares residual ``r = y - R x`` with ``x`` and with ``x**2``.

    Returns ``(linear, quadratic)``: ``max |E[r_i x_j]| / sqrt(E[r_i^2] E[x_j^2])``, which
    the normal equations force to zero, and the same maximum for the centred
    features ``x_j^2 - E[x_j^2]``, which vanishes for every ``j`` when
    ``E[r | x] = 0`` (the noise model of Hardt & Ma).  A clearly non-zero second
    value certifies that the data lie outside that model.
    """
    Sxx, Syx, _ = second_moments(X, Y)
    R = least_squares_solution(Sxx, Syx)
    r = np.asarray(Y, dtype=float) - np.asarray(X, dtype=float) @ R.T
    squares = X**2 - np.mean(X**2, axis=0)

    def max_correlation(features):
        cross = r.T @ features / r.shape[0]
        scale = np.sqrt(np.outer(np.mean(r * r, axis=0), np.mean(features**2, axis=0)))
        return float(np.max(np.abs(cross) / scale))

    return max_correlation(np.asarray(X, dtype=float)), max_correlation(squares)


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


def gradient_descent(
    Sxx, Syx, depth: int, step: float, iterations: int, ratio_floor: float = 1e-9
) -> DescentPath:
    """Plain gradient descent ``W_k <- W_k - step * dL/dW_k`` from ``W = 0``.

    Records ``L - L*`` (via :func:`excess_loss`'s formula), all layer norms and the
    smallest ratio ``||grad L||^2 / (c(tau) (L - L*))`` met along the path, with
    ``tau`` the current largest layer norm.  The ratio is taken only over iterates
    with ``L - L* > ratio_floor * (L(0) - L*)``: near rounding level both sides
    are noise.
    """
    Sxx, Syx = _check_moments(Sxx, Syx)
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not step > 0 or int(iterations) != iterations or iterations < 1:
        raise ValueError("need a positive step and a positive integer number of iterations")
    d = Sxx.shape[0]
    R = least_squares_solution(Sxx, Syx)
    lam = smallest_positive_eigenvalue(Sxx)
    layers = [np.zeros((d, d)) for _ in range(depth)]
    excess = np.empty(iterations + 1)
    norms = np.empty((iterations + 1, depth))
    ratio_min = np.inf
    for t in range(iterations + 1):
        grads = _gradients(layers, Sxx, Syx)
        excess[t] = _excess_of_product(end_to_end(layers), Sxx, R)
        norms[t] = layer_norms(layers)
        tau = norms[t].max()
        if tau < 1 and excess[t] > ratio_floor * excess[0]:
            c = 4.0 * depth * (1.0 - tau) ** (2 * (depth - 1)) * lam
            ratio_min = min(ratio_min, sum(np.sum(g * g) for g in grads) / (c * excess[t]))
        if t < iterations:
            layers = [W - step * g for W, g in zip(layers, grads)]
    return DescentPath(excess, norms, layers, float(ratio_min))


def random_ball_points(rng: np.random.Generator, count: int, data_moments, max_depth: int = 8):
    """Random ``(Ws, Sxx, Syx)`` with ``max_k ||W_k||_2 < 1`` for the PL sweep.

    Half the points use ``data_moments``; the other half random moments
    ``Sxx = s B B^T`` (``B`` of random rank, so ``Sxx`` is often singular, and a
    random scale ``s`` over four decades) with consistent ``Syx = C Sxx``.  The
    radius ``tau`` is uniform on ``[0, 0.95]`` and layer ``k`` has norm
    ``tau * u_k`` (``u_k`` uniform, the largest set to 1).
    """
    if int(count) != count or count < 1:
        raise ValueError("count must be a positive integer")
    points = []
    for i in range(count):
        if i % 2 == 0:
            Sxx, Syx = data_moments
            d = Sxx.shape[0]
        else:
            d = int(rng.integers(1, 6))
            B = rng.standard_normal((d, int(rng.integers(1, d + 1))))
            Sxx = 10.0 ** rng.uniform(-2, 2) * (B @ B.T)
            Syx = rng.standard_normal((d, d)) @ Sxx
        H = int(rng.integers(1, max_depth + 1))
        tau = rng.uniform(0.0, 0.95)
        fractions = rng.uniform(0.0, 1.0, size=H)
        fractions[int(np.argmax(fractions))] = 1.0
        layers = []
        for fraction in fractions:
            G = rng.standard_normal((d, d))
            layers.append(tau * fraction * G / np.linalg.norm(G, 2))
        points.append((layers, Sxx, Syx))
    return points


@dataclass(frozen=True)
class PLSweep:
    """Both sides of the PL-type inequality, and the printed (2.3), at random points.

    ``lhs`` is ``||grad L||_F^2``; ``ours`` and ``printed`` are the right-hand
    sides ``c (L - L*)`` of our inequality and of the printed (2.3); ``tau`` is
    ``max_k ||W_k||_2``; ``singular`` marks points whose ``Sxx`` is singular (there
    the printed right side vanishes and ours uses ``lambda_+``); ``depth`` and
    ``rank`` are ``H`` and the numerical rank of ``Sxx``.
    """

    lhs: np.ndarray
    ours: np.ndarray
    printed: np.ndarray
    tau: np.ndarray
    singular: np.ndarray
    depth: np.ndarray
    rank: np.ndarray


def pl_sweep(points) -> PLSweep:
    """Evaluate :class:`PLSweep` at ``points`` from :func:`random_ball_points`.

    Points with ``L = L*`` are skipped (the inequality is ``0 >= 0`` there); the
    number of points kept is part of the record.
    """
    rows = []
    for layers, Sxx, Syx in points:
        tau = float(np.max(layer_norms(layers)))
        gap = excess_loss(layers, Sxx, Syx)
        if not gap > 0:
            continue
        eigenvalues = scipy.linalg.eigvalsh(Sxx)
        rank = int(np.sum(eigenvalues >= smallest_positive_eigenvalue(Sxx)))
        rows.append((
            gradient_norm_squared(layers, Sxx, Syx),
            pl_constant(len(layers), tau, Sxx) * gap,
            hardt_ma_printed_constant(len(layers), tau, Sxx) * gap,
            tau,
            rank < Sxx.shape[0],
            len(layers),
            rank,
        ))
    lhs, ours, printed, tau, singular, depth, rank = (np.array(column) for column in zip(*rows))
    return PLSweep(lhs, ours, printed, tau, singular.astype(bool), depth, rank)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def plot_descent(path: DescentPath, file: Path) -> None:
    """Loss gap (log scale) and the spread of the layer norms along gradient descent."""
    with figstyle.figure(width=1.0, aspect=0.34, ncols=2) as (fig, (ax_gap, ax_norm)):
        steps = np.arange(path.excess.size)
        ax_gap.semilogy(steps, path.excess, color=figstyle.COLORS[0])
        ax_gap.set_xlabel("iteration $t$")
        ax_gap.set_ylabel(r"$\mathcal{L}(W^{(t)}) - \mathcal{L}^*$")
        # The H curves nearly coincide, so the band between the smallest and the
        # largest layer norm is drawn instead of H indistinguishable lines.
        ax_norm.fill_between(steps, path.norms.min(axis=1), path.norms.max(axis=1),
                             color=figstyle.COLORS[0], alpha=0.25, linewidth=0)
        ax_norm.plot(steps, path.norms.max(axis=1), color=figstyle.COLORS[0],
                     label=r"largest $\|W_k^{(t)}\|_2$")
        ax_norm.plot(steps, path.norms.min(axis=1), color=figstyle.COLORS[1],
                     linestyle=figstyle.LINESTYLES[1], label=r"smallest $\|W_k^{(t)}\|_2$")
        ax_norm.set_xlabel("iteration $t$")
        ax_norm.set_ylabel("layer norm")
        ax_norm.legend(loc="lower right")
        figstyle.save(fig, file)


def plot_pl(sweep: PLSweep, file: Path) -> None:
    """The two sides of the PL-type inequality, and both ratios against ``tau``."""
    with figstyle.figure(width=1.0, aspect=0.4, ncols=2) as (fig, (ax_sides, ax_ratio)):
        for mask, color, marker, label in (
            (~sweep.singular, figstyle.COLORS[0], ".", r"$\Sigma_{xx}$ invertible"),
            (sweep.singular, figstyle.COLORS[2], "+", r"$\Sigma_{xx}$ singular"),
        ):
            ax_sides.loglog(sweep.ours[mask], sweep.lhs[mask], marker, color=color,
                            markersize=2, alpha=0.6, label=label)
        low = min(sweep.ours.min(), sweep.lhs.min())
        high = max(sweep.ours.max(), sweep.lhs.max())
        ax_sides.loglog([low, high], [low, high], color="black", linewidth=0.6, label="equality")
        ax_sides.set_xlabel(r"$4H(1-\tau)^{2(H-1)}\lambda_+(\Sigma_{xx})\,(\mathcal{L}-\mathcal{L}^*)$")
        ax_sides.set_ylabel(r"$\|\nabla\mathcal{L}\|_F^2$")
        ax_sides.legend(loc="lower right", markerscale=3)
        invertible = ~sweep.singular
        ax_ratio.semilogy(sweep.tau[invertible], (sweep.lhs / sweep.printed)[invertible], "x",
                          color=figstyle.COLORS[1], markersize=2, alpha=0.5,
                          label=r"printed (2.3), $\Sigma_{xx}$ invertible")
        ax_ratio.semilogy(sweep.tau, sweep.lhs / sweep.ours, ".", color=figstyle.COLORS[0],
                          markersize=2, alpha=0.6, label="our inequality")
        ax_ratio.axhline(1.0, color="black", linewidth=0.6)
        ax_ratio.set_xlabel(r"$\tau$ (largest $\|W_k\|_2$)")
        ax_ratio.set_ylabel("left side / right side")
        ax_ratio.legend(loc="upper left", markerscale=3)
        figstyle.save(fig, file)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


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
    led.parameter("samples", spec.samples, description="sample size n of the empirical distribution")
    led.parameter("dimension", d, description="dimension d of x and y")
    led.parameter("student_dof", spec.student_dof, description="degrees of freedom of the Student-t coordinates")
    led.parameter("mixing_scale", spec.mixing_scale, style="fixed", digits=1,
                  description="scale of the Gaussian perturbation in A = I + scale G")
    led.parameter("target_scale", spec.target_scale, style="fixed", digits=1,
                  description="scale c of the exponent c K / sqrt d of the matrix M")
    led.parameter("nonlinear_scale", spec.nonlinear_scale, style="fixed", digits=2,
                  description="coefficient of the nonlinear term x|x| in y")
    led.parameter("noise_scale", spec.noise_scale, style="fixed", digits=2,
                  description="scale of the heteroscedastic Laplace noise")
    linear, quadratic = residual_correlations(X, Y)
    led.claim("residual_linear_correlation", linear, at_most(1e-12), source=residual_correlations,
              description="largest correlation of the residual y - Rx with a coordinate of x")
    led.claim("residual_quadratic_correlation", quadratic, at_least(0.1), source=residual_correlations,
              description="largest correlation of the residual with a centred squared coordinate of x")
    led.claim("data_det_r", float(np.linalg.det(R)), greater_than(0), source=least_squares_solution,
              description="det R of the least-squares solution of the data")
    eigenvalues = scipy.linalg.eigvalsh(Sxx)
    led.claim("data_lambda_min", eigenvalues[0], greater_than(0), source=second_moments,
              description="smallest eigenvalue of Sxx of the data (so Sxx is invertible)")

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
              description="relative error of the excess-loss identity at a random point")
    fd_step = 1e-3
    led.parameter("fd_step", fd_step, style="sci", description="step h of the central differences")
    exact = gradients(probe, Sxx, Syx)
    numeric = central_difference_gradient(probe, Sxx, Syx, Syy, fd_step)
    fd_error = max(np.max(np.abs(a - b)) for a, b in zip(exact, numeric)) / max(
        np.max(np.abs(a)) for a in exact)
    led.claim("gradient_fd_error", fd_error, at_most(1e-8), source=central_difference_gradient,
              description="max error of the gradient formula vs central differences, relative to max |gradient|")

    # --- gradient descent from W = 0 --------------------------------------
    step = 1.0 / (2 * depth * eigenvalues[-1] * np.linalg.norm(R, 2) ** 2)
    iterations = 600
    led.parameter("depth", depth, description="depth H of the descent experiment")
    led.parameter("iterations", iterations, description="number of gradient descent steps")
    led.parameter("step", step, style="sci", digits=3, description="step size: 1 over 2 H lambda_max ||R||_2^2")
    ratio_floor = 1e-9
    led.parameter("ratio_floor", ratio_floor, style="sci", digits=1,
                  description="the PL ratio along the descent is taken while the excess loss exceeds this fraction of its initial value")
    path = gradient_descent(Sxx, Syx, depth, step, iterations, ratio_floor)
    led.claim("descent_final_gap", path.excess[-1] / path.excess[0], at_most(1e-12), source=gradient_descent,
              description="excess loss after descent relative to its value at W = 0")
    product_error = np.linalg.norm(end_to_end(path.layers) - R) / np.linalg.norm(R)
    led.claim("descent_product_error", product_error, at_most(1e-8), source=gradient_descent,
              description="relative Frobenius distance of the product P to R after descent")
    led.claim("descent_max_norm", float(path.norms.max()), less_than(1), source=gradient_descent,
              description="largest layer norm ||W_k||_2 met along the descent")
    led.claim("descent_pl_ratio_min", path.pl_ratio_min, at_least(1), source=gradient_descent,
              description="smallest ratio of the two sides of the PL inequality along the descent")
    plot_descent(path, figures_dir / "p1_descent.pdf")
    led.figure("descent", "p1_descent.pdf", source=plot_descent)

    # --- the boundary counterexample ---------------------------------------
    corner = boundary_critical_point(depth, d)
    led.claim("boundary_gradient_norm", gradient_norm_squared(corner, Sxx, Syx) ** 0.5, equals(0),
              source=gradients, description="||grad L||_F at W_1 = W_2 = -I, other W_k = 0")
    led.claim("boundary_gap", excess_loss(corner, Sxx, Syx), greater_than(0), source=excess_loss,
              description="L - L* at the boundary critical point")
    escape = 0.1
    led.parameter("escape_t", escape, style="fixed", digits=1, description="t along the escape directions")
    led.claim("boundary_escape_down", boundary_escape_change(Sxx, Syx, Syy, depth, escape, +1), less_than(0),
              source=boundary_escape_change, description="change of the loss along the descending escape path")
    led.claim("boundary_escape_up", boundary_escape_change(Sxx, Syx, Syy, depth, escape, -1), greater_than(0),
              source=boundary_escape_change, description="change of the loss along the ascending escape path")

    # --- singular Sxx -------------------------------------------------------
    S1xx, S1yx, S1yy = singular_example(X[:, 0])
    origin = [np.zeros((2, 2)) for _ in range(depth)]
    led.claim("singular_gradient_norm", gradient_norm_squared(origin, S1xx, S1yx) ** 0.5, equals(0),
              source=gradients, description="||grad L||_F at W = 0 in the singular example")
    led.claim("singular_gap", loss(origin, S1xx, S1yx, S1yy) / S1yy, at_most(1e-12), source=loss,
              description="loss at W = 0 over E||y||^2 in the singular example, where L* = 0")
    distance = np.linalg.norm(end_to_end(origin) - least_squares_solution(S1xx, S1yx))
    led.claim("singular_distance", distance, greater_than(0.5), source=least_squares_solution,
              description="||P - R_0||_F at W = 0 in the singular example", style="fixed", digits=3)

    # --- PL inequality: sweep, equality case, printed (2.3) ----------------
    count = 2000
    led.parameter("pl_points", count, description="random points of the PL sweep")
    sweep = pl_sweep(random_ball_points(rng, count, (Sxx, Syx), max_depth=depth))
    led.claim("pl_sweep_count", sweep.lhs.size, equals(count), source=pl_sweep,
              description="points of the sweep with L > L* (all of them)", style="int")
    led.claim("pl_sweep_singular_count", int(np.sum(sweep.singular)), greater_than(0), source=pl_sweep,
              description="points of the sweep whose Sxx is singular", style="int")
    ratios = sweep.lhs / sweep.ours
    led.claim("pl_sweep_min_ratio", float(np.min(ratios)), at_least(1 - 1e-12),
              source=pl_sweep, description="smallest ratio of the two sides of the PL inequality over the random points")
    # Where the minimum sits: H = 1 and rank Sxx = 1 make the inequality an identity.
    tight = (sweep.depth == 1) & (sweep.rank == 1)
    led.claim("pl_sweep_tight_count", int(np.sum(tight)), greater_than(0), source=pl_sweep,
              description="sweep points with H = 1 and rank Sxx = 1", style="int")
    led.claim("pl_sweep_tight_deviation", float(np.max(np.abs(ratios[tight] - 1))), at_most(1e-12),
              source=pl_sweep, description="max |ratio - 1| over the sweep points with H = 1 and rank Sxx = 1")
    led.claim("pl_sweep_other_min_ratio", float(np.min(ratios[~tight])), at_least(1 - 1e-12),
              source=pl_sweep, description="smallest ratio over the other sweep points", digits=4)
    invertible = ~sweep.singular
    violations = np.mean(sweep.lhs[invertible] < sweep.printed[invertible])
    led.claim("pl_sweep_printed_violations", float(violations), greater_than(0), source=pl_sweep,
              description="fraction of random points with invertible Sxx violating the printed (2.3)",
              style="percent", digits=1)
    plot_pl(sweep, figures_dir / "p1_pl.pdf")
    led.figure("pl", "p1_pl.pdf", source=plot_pl)

    equality_tau = 0.5
    led.parameter("equality_tau", equality_tau, style="fixed", digits=1, description="tau of the equality instance")
    equal_layers, equal_Syx = pl_equality_instance(depth, equality_tau, Sxx)
    led.claim("pl_equality_deviation", abs(pl_ratios(equal_layers, Sxx, equal_Syx)[0] - 1), at_most(1e-10),
              source=pl_equality_instance,
              description="distance from 1 of the ratio of the two sides at the equality instance")
    hm_depth, hm_tau = 3, 0.5
    led.parameter("hm_depth", hm_depth, description="depth of the instances against the printed (2.3)")
    led.parameter("hm_tau", hm_tau, style="fixed", digits=1, description="tau of the first such instance")
    base = np.diag([1.0, 2.0, 3.0])
    layers_a, Syx_a = pl_equality_instance(hm_depth, hm_tau, base)
    led.claim("hm_exponent_ratio", pl_ratios(layers_a, base, Syx_a)[1], less_than(1), source=pl_ratios,
              description="squared gradient norm over the printed right side of (2.3); Sxx = diag 1, 2, 3 and tau = 1/2",
              style="fixed", digits=4)
    layers_b, Syx_b = pl_equality_instance(hm_depth, 0.0, 4 * base)
    led.claim("hm_scale_ratio", pl_ratios(layers_b, 4 * base, Syx_b)[1], less_than(1), source=pl_ratios,
              description="squared gradient norm over the printed right side of (2.3); Sxx = diag 4, 8, 12 and W = 0",
              style="fixed", digits=4)
    return led
