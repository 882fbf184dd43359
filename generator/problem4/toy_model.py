"""The toy model of Problem 4: data, a cubic model and the squared loss.

A data set is ``m`` points ``(x_i, y_i)`` with ``x_i`` in ``R^d``; the model is
the cubic ``q`` times a fixed feature ``s_i`` of the input,
``f(x_i; theta) = s_i q(theta)``, with

    q(theta) = theta (2 theta^2 - 9 theta + 12) / 4,
    q'(theta) = (3/2) (theta - 1) (theta - 2),

and the loss is the squared loss.  The experiments of the write-up use one
data point (``m = 1``) with ``s_1 = 1``, ``y_1 = 0`` and ``x_1`` in ``R^2``:
then ``L(theta) = q(theta)^2`` has its global minimum 0 at ``theta = 0`` only
(``q`` has no other real root), a local maximum at ``theta = 1`` and a strict
bad local minimum at ``theta = 2`` with ``L = 1``.  Data sets with several
points and random features exercise every term of the modified loss.

The parameter vector of ``L~`` is ordered ``(theta, w_1, ..., w_d, a, b)``
(length ``d + 3``); :data:`THETA_INDEX`, :data:`A_INDEX`, :data:`B_INDEX` and
:func:`w_slice` name its entries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

THETA_INDEX, A_INDEX, B_INDEX = 0, -2, -1
BAD_MINIMUM = 2.0
"""The bad local minimum ``theta_b`` of ``L = q^2`` (a critical point of ``q``)."""

MODEL_CRITICAL_POINTS = (1.0, 2.0)
"""The zeros of ``q'``; the orbits of ``-q'`` on the line are the intervals between them."""

CUBIC_COEFFICIENTS = (Fraction(0), Fraction(3), Fraction(-9, 4), Fraction(1, 2))
"""Exact coefficients of ``q`` in increasing powers: ``q(theta) = 3 theta - 9/4 theta^2 + 1/2 theta^3``."""


def w_slice(d: int) -> slice:
    """Position of ``w`` in a parameter vector ``(theta, w_1, ..., w_d, a, b)``."""
    return slice(1, 1 + d)


@dataclass(frozen=True, eq=False)
class ToySetting:
    """A data set, the features of the model and the penalty of the modified loss.

    Parameters
    ----------
    inputs : array_like, shape (m, d) or (d,)
        The inputs ``x_i`` (one row each; a 1-d array is one data point).
    targets : array_like, shape (m,) or scalar
        The targets ``y_i``.
    lam : float
        The penalty ``lambda > 0`` on ``a^2``.
    features : array_like, shape (m,), optional
        The features ``s_i`` in ``f(x_i; theta) = s_i q(theta)``; ones by default.
    """

    inputs: np.ndarray
    targets: np.ndarray
    lam: float
    features: np.ndarray | None = None

    def __post_init__(self) -> None:
        inputs = np.atleast_2d(np.asarray(self.inputs, dtype=float))
        targets = np.atleast_1d(np.asarray(self.targets, dtype=float))
        features = np.ones(len(targets)) if self.features is None else np.atleast_1d(
            np.asarray(self.features, dtype=float))
        m = inputs.shape[0]
        if inputs.ndim != 2 or inputs.shape[1] < 1 or targets.shape != (m,) or features.shape != (m,):
            raise ValueError(f"need inputs (m, d), targets (m,) and features (m,), got {inputs.shape}, "
                             f"{targets.shape} and {features.shape}")
        for name, value in (("inputs", inputs), ("targets", targets), ("features", features)):
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be finite")
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        if not (math.isfinite(self.lam) and self.lam > 0):
            raise ValueError(f"lambda must be positive and finite, got {self.lam}")

    @property
    def m(self) -> int:
        """Number of data points."""
        return self.inputs.shape[0]

    @property
    def d(self) -> int:
        """Input dimension (the length of ``w``)."""
        return self.inputs.shape[1]

    @property
    def x(self) -> np.ndarray:
        """The input of a one-point data set."""
        self._require_one_point()
        return self.inputs[0]

    @property
    def y(self) -> float:
        """The target of a one-point data set."""
        self._require_one_point()
        return float(self.targets[0])

    @property
    def kappa(self) -> float:
        """``1 + |x|^2`` for one data point: the rate factor of ``z = w^T x + b`` under gradient flow."""
        return 1.0 + float(self.x @ self.x)

    def _require_one_point(self) -> None:
        if self.m != 1:
            raise ValueError(f"this quantity is defined for one data point, the data set has {self.m}")

    def require_plain_point(self) -> None:
        """Raise unless the data set is one point with feature ``s_1 = 1`` (so ``f(x; theta) = q(theta)``).

        The gradient flows and the valley of the write-up are studied in this setting.
        """
        self._require_one_point()
        if self.features[0] != 1.0:
            raise ValueError(f"the feature must be 1 (f(x; theta) = q(theta)), got {self.features[0]}")


def _as_params(params, setting: ToySetting) -> np.ndarray:
    """Validate an array of parameter vectors ``(..., d + 3)`` ordered ``(theta, w, a, b)``."""
    params = np.asarray(params, dtype=float)
    if params.ndim == 0 or params.shape[-1] != setting.d + 3:
        raise ValueError(f"parameters must have last axis d + 3 = {setting.d + 3} (theta, w, a, b), "
                         f"got {params.shape}")
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
    """``L(theta) = (1/m) sum_i (s_i q(theta) - y_i)^2`` (vectorised in ``theta``)."""
    theta = np.asarray(theta, dtype=float)
    residual = setting.features * cubic_model(theta)[..., None] - setting.targets
    return np.mean(residual**2, axis=-1)


def _require_model_critical_point(theta: float) -> None:
    if float(cubic_model_slope(theta)) != 0.0:
        raise ValueError(f"theta = {theta} is not a critical point of q (q' = 0 only at 1 and 2)")
