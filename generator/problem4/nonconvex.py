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

from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    BAD_MINIMUM,
    THETA_INDEX,
    ToySetting,
    _as_params,
    cubic_model,
    w_slice,
)


def nonconvex_modified_loss(params, setting: ToySetting):
    """Modified loss of the counterexample: model ``f(x; theta) = theta``, loss ``q(yhat - y)^2``.

    ``L~ = q(theta + a exp(w^T x + b) - y)^2 + lambda a^2`` for the one data point
    ``(x, y)`` of ``setting``.  The loss ``yhat -> q(yhat - y)^2`` is differentiable
    and non-negative but not convex.
    """
    params = _as_params(params, setting)
    theta, a, b = params[..., THETA_INDEX], params[..., A_INDEX], params[..., B_INDEX]
    prediction = theta + a * np.exp(params[..., w_slice(setting.d)] @ setting.x + b)
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


def _bad_point(setting: ToySetting) -> np.ndarray:
    """``(y + 2, 0, 0, 0)``: the model's prediction sits at the bad minimum ``u = 2`` of ``q^2``."""
    centre = np.zeros(setting.d + 3)
    centre[THETA_INDEX] = setting.y + BAD_MINIMUM
    return centre


def perturbations(setting: ToySetting, radius: float, n_samples: int, seed: int) -> np.ndarray:
    """The perturbations ``delta`` of :func:`nonconvex_perturbation_test`: uniform in the Euclidean ball
    of ``radius`` in ``(theta, w, a, b)``, shape ``(n_samples, d + 3)``."""
    return _uniform_ball(np.random.default_rng(seed), radius, n_samples, setting.d + 3)


def nonconvex_perturbation_test(setting: ToySetting, radius: float, n_samples: int, seed: int) -> float:
    """Smallest ``L~(P + delta) - L~(P)`` over ``n_samples`` uniform ``delta`` in the ball of ``radius``.

    ``P = (y + 2, 0, 0, 0)``; the ball is Euclidean in ``(theta, w, a, b)``
    (:func:`perturbations`).  The write-up proves ``L~ >= L~(P)`` on the open set
    where the prediction exceeds ``y + 1/2``, which contains the ball for small
    ``radius``, so the result is non-negative; it is not positive in general
    (the minimum is not strict, see :func:`nonconvex_flat_directions`).
    """
    centre = _bad_point(setting)
    points = centre + perturbations(setting, radius, n_samples, seed)
    return float(np.min(nonconvex_modified_loss(points, setting) - nonconvex_modified_loss(centre, setting)))


def nonconvex_flat_directions(setting: ToySetting, radius: float, n_samples: int, seed: int) -> float:
    """Largest ``|L~(P + delta) - L~(P)|`` over ``delta = (0, dw, 0, db)`` in a ball of ``radius``.

    With ``a = 0`` the neuron is switched off, so ``L~`` does not depend on
    ``(w, b)``: the local minimum ``P = (y + 2, 0, 0, 0)`` is not strict.  The
    return value is exactly 0 in floating point.
    """
    centre = _bad_point(setting)
    points = centre + flat_perturbations(setting, radius, n_samples, seed)
    return float(np.max(np.abs(nonconvex_modified_loss(points, setting) - nonconvex_modified_loss(centre, setting))))


def flat_perturbations(setting: ToySetting, radius: float, n_samples: int, seed: int) -> np.ndarray:
    """The perturbations of :func:`nonconvex_flat_directions`: ``(0, dw, 0, db)`` with ``(dw, db)`` uniform in
    the Euclidean ball of ``radius`` in ``R^(d + 1)``, shape ``(n_samples, d + 3)``."""
    rng = np.random.default_rng(seed)
    deltas = np.zeros((n_samples, setting.d + 3))
    shift = _uniform_ball(rng, radius, n_samples, setting.d + 1)
    deltas[:, w_slice(setting.d)] += shift[:, :-1]
    deltas[:, B_INDEX] += shift[:, -1]
    return deltas
