"""Counterexamples and special cases of Problem 1.

A critical point on the unit sphere that is not a global minimum but a saddle
(:func:`boundary_critical_point`, :func:`boundary_escape_change`); the identity
``<dL/dW_H, I + W_H> = 2 (L - L*)`` for ``Syx = 0``, which makes every critical
point a global minimum then (:func:`last_layer_identity_error`); and
distributions with singular ``Sxx`` (:func:`singular_example`).
"""

from __future__ import annotations

import numpy as np

from generator.problem1.objective import excess_loss, gradients, loss
from generator.problem1.validation import _as_layers, _check_layers_match, _check_moments


def boundary_critical_point(depth: int, dimension: int) -> list[np.ndarray]:
    """``W_1 = W_2 = -I`` and ``W_k = 0`` for ``k >= 3``: a critical point on the sphere of radius 1.

    Every ``dL/dW_k`` contains the factor ``I + W_1 = 0`` or ``I + W_2 = 0``, so the
    gradient vanishes for every distribution, while ``M = 0``.  Needs ``H >= 2``.
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

    Then ``M = sign t^2 Syx / ||Syx||_F`` and
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


def last_layer_identity_error(Ws, Sxx) -> float:
    """Relative error of ``<dL/dW_H, I + W_H> = 2 (L - L*)`` for moments with ``Syx = 0``.

    From the gradient formula and ``(I + W_H) M_{<H} = M`` one gets
    ``<dL/dW_H, I + W_H> = 2 <M Sxx - Syx, M>`` for every ``W``; when ``Syx = 0``
    (so ``R = 0`` solves the normal equations) the right side is
    ``2 tr(M Sxx M^T) = 2 (L - L*)``, so every critical point is a global minimum.
    The left side comes from :func:`~generator.problem1.objective.gradients`, the
    right side from :func:`~generator.problem1.objective.excess_loss` (an
    eigendecomposition of ``Sxx``): two computations that share no formula.
    """
    layers = _as_layers(Ws)
    Sxx, zero = _check_moments(Sxx, np.zeros_like(np.asarray(Sxx, dtype=float)))
    _check_layers_match(layers, Sxx)
    left = float(np.sum(gradients(layers, Sxx, zero)[-1] * (np.eye(Sxx.shape[0]) + layers[-1])))
    right = 2.0 * excess_loss(layers, Sxx, zero)
    if right == 0:
        raise ValueError("L - L* vanishes; the relative error is undefined")
    return abs(left - right) / right


def singular_example(samples: np.ndarray, slope: float = 1.0):
    """Moments of ``x = (u, 0)``, ``y = (slope u, 0)`` for the empirical distribution of ``u``.

    With ``m = mean(u**2)``: ``Sxx = diag(m, 0)`` (singular), ``Syx = diag(slope m, 0)``
    and ``Syy = slope^2 m``, written down exactly rather than through matrix
    products whose rounding could differ.  The solutions of the normal equations
    are the matrices with first column ``(slope, 0)``.  For ``slope = 1``, ``W = 0``
    is a critical point with ``M = I`` different from the minimum-norm solution
    ``diag(1, 0)``; for ``|slope| >= 2^H`` no product ``M(W)`` with all
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
