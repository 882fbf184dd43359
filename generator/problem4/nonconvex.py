"""Part 1: the counterexample with a differentiable loss that is not convex.

The model is ``f(x; theta) = theta`` and the loss ``yhat -> q(yhat - y)^2`` with
the cubic ``q`` of :mod:`generator.problem4.toy_model`: non-negative and
differentiable but not convex.  The point ``P = (y + 2, 0, 0, 0)`` is a bad
local minimum of the modified loss, and not a strict one (with ``a = 0`` the
loss does not depend on ``(w, b)``); the functions below test both statements
by random perturbations.
"""

from __future__ import annotations

import numpy as np

from generator.problem4.toy_model import B_INDEX, BAD_MINIMUM, W_INDEX, ToySetting, _as_params, cubic_model

NONCONVEX_NEIGHBOURHOOD_EDGE = 0.5
"""``q(u) >= 1`` exactly for ``u >= 1/2``, because ``4 (q(u) - 1) = (u - 2)^2 (2u - 1)``."""


def nonconvex_modified_loss(params, setting: ToySetting):
    """Modified loss of the counterexample: model ``f(x; theta) = theta``, loss ``q(yhat - y)^2``.

    ``L~ = q(theta + a exp(w x + b) - y)^2 + lambda a^2``.  The loss
    ``yhat -> q(yhat - y)^2`` is differentiable and non-negative but not convex; the
    original loss ``L(theta) = q(theta - y)^2`` is the same function as in the toy model.
    """
    params = _as_params(params)
    theta, w, a, b = np.moveaxis(params, -1, 0)
    prediction = theta + a * np.exp(w * setting.x + b)
    return cubic_model(prediction - setting.y) ** 2 + setting.lam * a**2


def _uniform_ball(rng: np.random.Generator, radius: float, n_samples: int, dim: int) -> np.ndarray:
    """``n_samples`` points uniform in the Euclidean ball of ``radius`` in ``R^dim``."""
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    directions = rng.standard_normal((n_samples, dim))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    return radius * rng.uniform(size=(n_samples, 1)) ** (1.0 / dim) * directions


def nonconvex_perturbation_test(
    setting: ToySetting, radius: float, n_samples: int, seed: int
) -> tuple[float, int]:
    """Perturb the bad point ``P = (y + 2, 0, 0, 0)`` of the non-convex example.

    Samples ``n_samples`` points uniformly in the Euclidean ball of ``radius``
    around ``P`` in ``(theta, w, a, b)``.

    Returns
    -------
    min_increase : float
        ``min L~(P + delta) - L~(P)``; non-negative when ``P`` is a local minimum
        (not positive in general: the minimum is not strict, see
        :func:`nonconvex_flat_directions`).
    inside : int
        How many samples satisfy ``theta + a e^{w x + b} - y >= 1/2``, the
        neighbourhood on which the write-up proves ``L~ >= L~(P)``.
    """
    rng = np.random.default_rng(seed)
    centre = np.array([setting.y + BAD_MINIMUM, 0.0, 0.0, 0.0])
    points = centre + _uniform_ball(rng, radius, n_samples, 4)
    increase = nonconvex_modified_loss(points, setting) - nonconvex_modified_loss(centre, setting)
    theta, w, a, b = points.T
    residual = theta + a * np.exp(w * setting.x + b) - setting.y
    return float(np.min(increase)), int(np.count_nonzero(residual >= NONCONVEX_NEIGHBOURHOOD_EDGE))


def nonconvex_flat_directions(setting: ToySetting, radius: float, n_samples: int, seed: int) -> float:
    """Largest ``|L~(P + delta) - L~(P)|`` over ``delta = (0, dw, 0, db)`` in a disc of ``radius``.

    With ``a = 0`` the neuron is switched off, so ``L~`` does not depend on
    ``(w, b)``: the local minimum ``P = (y + 2, 0, 0, 0)`` is not strict.  The
    return value is exactly 0 in floating point.
    """
    rng = np.random.default_rng(seed)
    shift = _uniform_ball(rng, radius, n_samples, 2)
    centre = np.array([setting.y + BAD_MINIMUM, 0.0, 0.0, 0.0])
    points = np.repeat(centre[None, :], n_samples, axis=0)
    points[:, W_INDEX] += shift[:, 0]
    points[:, B_INDEX] += shift[:, 1]
    return float(np.max(np.abs(nonconvex_modified_loss(points, setting) - nonconvex_modified_loss(centre, setting))))
