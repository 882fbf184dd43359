"""The Polyak--Lojasiewicz-type inequality of Problem 1 and the printed inequality (2.3).

On ``B_tau = {max_k ||W_k||_2 <= tau}`` the write-up proves
``||grad L||_F^2 >= mu_{H,tau} (L - L*)`` with ``mu_{H,tau} = 4 H (1 - tau)^{2(H-1)} lambda_+(Sxx)``
(:func:`pl_constant`), a per-layer form in which one layer is unrestricted
(:func:`layer_pl_ratio`), and that ``mu_{H,tau}`` cannot be enlarged
(:func:`pl_equality_instance`).  Hardt & Ma's inequality (2.3) as printed
(:func:`hardt_ma_printed_constant`) holds on ``B_tau`` for every distribution
with a given ``Sxx`` iff :func:`hardt_ma_threshold_ratio` is at most 1;
:func:`pl_ratios` compares both sides of both inequalities at a point.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from generator.problem1.objective import (
    excess_loss,
    gradient_norm_squared,
    gradients,
    layer_norms,
    smallest_positive_eigenvalue,
)
from generator.problem1.validation import _as_layers, _check_moments


def _check_depth_tau(depth, tau) -> None:
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not np.all((0 <= np.asarray(tau)) & (np.asarray(tau) < 1)):
        raise ValueError(f"tau must lie in [0, 1), got {tau}")


def pl_constant(depth: int, tau, Sxx):
    """``mu_{H,tau} = 4 H (1 - tau)^{2(H-1)} lambda_+(Sxx)`` of the PL-type inequality.

    For every ``Ws`` with ``max_k ||W_k||_2 <= tau < 1`` the write-up proves
    ``||grad L||_F^2 >= mu_{H,tau} (L - L*)``, and that the constant cannot be
    enlarged.  ``tau`` may be an array (one constant per entry).
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
    """``||grad L||^2`` over ``mu_{H,tau} (L - L*)`` and over the printed right side of (2.3).

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
    and ``Syx = R Sxx`` (the moments of, e.g., ``y = R x``).  Then ``M - R = E``,
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
