"""The toy model of Problem 4: one data point, a cubic model and the squared loss.

One data point ``(x, y)`` with ``x`` in ``R^1`` (so ``w`` is a scalar and
``kappa = 1 + x^2``), squared loss ``l(yhat, y) = (yhat - y)^2`` and the cubic

    q(theta) = theta (2 theta^2 - 9 theta + 12) / 4,
    q'(theta) = (3/2) (theta - 1) (theta - 2).

With ``y = 0`` the loss ``L(theta) = q(theta)^2`` has its global minimum 0 at
``theta = 0`` only (``q`` has no other real root), a local maximum at
``theta = 1`` and a strict bad local minimum at ``theta = 2`` with ``L = 1``.

The parameter vector of ``L~`` is always ordered ``(theta, w, a, b)``; the
``*_INDEX`` constants name its entries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

THETA_INDEX, W_INDEX, A_INDEX, B_INDEX = 0, 1, 2, 3
BAD_MINIMUM = 2.0
"""The bad local minimum ``theta_b`` of ``L = q^2`` (a critical point of ``q``)."""

MODEL_CRITICAL_POINTS = (1.0, 2.0)
"""The zeros of ``q'``; the orbits of ``-q'`` on the line are the intervals between them."""


@dataclass(frozen=True)
class ToySetting:
    """One data point and the penalty of the modified loss.

    Parameters
    ----------
    x : float
        The input ``x_1`` (dimension ``d = 1``).
    y : float
        The target ``y_1``.
    lam : float
        The penalty ``lambda > 0`` on ``a^2``.
    """

    x: float = 1.0
    y: float = 0.0
    lam: float = 0.5

    def __post_init__(self) -> None:
        for name in ("x", "y", "lam"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)}")
        if not self.lam > 0:
            raise ValueError(f"lambda must be positive, got {self.lam}")

    @property
    def kappa(self) -> float:
        """``1 + |x|^2``: the rate factor of ``z = w x + b`` under gradient flow."""
        return 1.0 + self.x * self.x


def _as_params(params) -> np.ndarray:
    """Validate an array of parameter vectors ``(..., 4)`` ordered ``(theta, w, a, b)``."""
    params = np.asarray(params, dtype=float)
    if params.ndim == 0 or params.shape[-1] != 4:
        raise ValueError(f"parameters must have last axis 4 (theta, w, a, b), got {params.shape}")
    if not np.all(np.isfinite(params)):
        raise ValueError("parameters must be finite")
    return params


def cubic_model(theta):
    """The toy model ``q(theta) = theta (2 theta^2 - 9 theta + 12) / 4`` (vectorised)."""
    theta = np.asarray(theta, dtype=float)
    return theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0


def cubic_model_slope(theta):
    """``q'(theta) = (3/2)(theta - 1)(theta - 2)``; zero exactly at 1 and 2."""
    theta = np.asarray(theta, dtype=float)
    return 1.5 * (theta - 1.0) * (theta - 2.0)


def cubic_model_curvature(theta):
    """``q''(theta) = (3/2)(2 theta - 3)``."""
    theta = np.asarray(theta, dtype=float)
    return 1.5 * (2.0 * theta - 3.0)


def original_loss(theta, setting: ToySetting):
    """``L(theta) = (q(theta) - y)^2`` for the one data point of ``setting``."""
    return (cubic_model(theta) - setting.y) ** 2


def _require_model_critical_point(theta: float) -> None:
    if float(cubic_model_slope(theta)) != 0.0:
        raise ValueError(f"theta = {theta} is not a critical point of q (q' = 0 only at 1 and 2)")
