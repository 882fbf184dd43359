"""Part 2: the valley of ``L~`` that leads to infinity, and the approximate stationary points in it.

Sohl-Dickstein & Kawaguchi (arXiv:1901.03909) explain the mechanism of the
modified loss: a bad local minimum of ``L`` becomes a valley of ``L~`` that
leads to infinity in the added parameters.  Minimising ``L~`` over ``a`` is a
ridge regression (:func:`valley_floor`); its minimum is a copy of ``L`` damped
by ``lambda / (lambda + e^{2z})`` (:func:`valley_profile`).  Along the valley
run two families of points whose loss and gradient tend to 0 as the escape
parameter ``beta`` grows: the *escape family*, whose prediction equals ``y``,
and the *valley family*, on the valley floor.  Their closed forms are checked against the
computed loss and gradient (:func:`family_formula_error`), and
:func:`min_hessian_eigen_ratio` tests whether the Hessian is positive
semidefinite on a family (second-order stationarity).
"""

from __future__ import annotations

import math

import numpy as np

from generator.problem4.modified import modified_loss, modified_loss_gradient, modified_loss_hessian
from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    THETA_INDEX,
    ToySetting,
    _require_model_critical_point,
    cubic_model,
    original_loss,
)


def _slice_points(theta, a, bias, setting: ToySetting) -> np.ndarray:
    """Parameter vectors ``(theta, 0, a, bias)`` with ``w = 0`` (so ``z = bias``), broadcast together."""
    theta, a, bias = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (theta, a, bias)))
    points = np.zeros(theta.shape + (setting.d + 3,))
    points[..., THETA_INDEX], points[..., A_INDEX], points[..., B_INDEX] = theta, a, bias
    return points


def valley_floor(z, offset: float, lam: float):
    """Minimiser and minimum over ``a`` of ``(c + a e^z)^2 + lambda a^2`` (ridge regression).

    Returns ``a*(z) = -c e^z / (e^{2z} + lambda)`` and
    ``min_a = lambda c^2 / (lambda + e^{2z})``, where ``c = offset = f(x; theta) - y``.
    """
    if not lam > 0:
        raise ValueError(f"lambda must be positive, got {lam}")
    z = np.asarray(z, dtype=float)
    u = np.exp(z)
    denominator = u * u + lam
    return -offset * u / denominator, lam * offset**2 / denominator


def valley_profile(theta, z, setting: ToySetting):
    """``min_a L~(theta, w, a, b) = lambda L(theta) / (lambda + e^{2z})`` with ``z = w^T x + b``.

    A copy of the original loss ``L`` scaled by ``lambda / (lambda + e^{2z})``,
    which decreases strictly in ``z`` to 0: the bad minima of ``L`` move to
    ``z = infinity`` (vectorised in ``theta`` and ``z`` by broadcasting).
    """
    setting.require_plain_point()
    z = np.asarray(z, dtype=float)
    return setting.lam * original_loss(theta, setting) / (setting.lam + np.exp(2.0 * z))


def valley_profile_errors(theta, z, setting: ToySetting) -> tuple[float, float]:
    """Check the profile :func:`valley_profile` and its damped ``theta``-gradient on a grid.

    At the valley floor ``a = a*(z)`` (:func:`valley_floor`) the write-up states
    ``L~ = M(theta, z) = s(z) L(theta)`` and ``dL~/dtheta = dM/dtheta = s(z) L'(theta)`` with
    ``s(z) = lambda / (lambda + e^{2z})``.  Returns the largest relative error of the
    value (``theta`` must avoid the zero of ``L``) and the largest error of the
    analytic ``dL~/dtheta`` against central differences of ``M`` in ``theta``, relative
    to the largest ``|dM/dtheta|`` on the grid (the gradient vanishes at ``theta = 1, 2``).
    """
    theta, z = np.meshgrid(np.asarray(theta, dtype=float), np.asarray(z, dtype=float), indexing="ij")
    profile = valley_profile(theta, z, setting)
    if np.any(profile <= 0):
        raise ValueError("theta must avoid the zero of L, where the relative error is undefined")
    offset = cubic_model(theta) - setting.y
    a_star, _ = valley_floor(z, offset, setting.lam)
    points = _slice_points(theta, a_star, z, setting)
    value_error = np.max(np.abs(modified_loss(points, setting) - profile) / profile)
    step = 1e-6
    numeric = (valley_profile(theta + step, z, setting) - valley_profile(theta - step, z, setting)) / (2 * step)
    analytic = modified_loss_gradient(points, setting)[..., THETA_INDEX]
    gradient_error = np.max(np.abs(analytic - numeric)) / np.max(np.abs(numeric))
    return float(value_error), float(gradient_error)


def escape_family_general(beta, theta: float, setting: ToySetting) -> np.ndarray:
    """The escape family: points ``(theta, 0, (y - q(theta)) e^{-beta}, beta)`` whose prediction is ``y``.

    For every convex loss with minimiser ``yhat*`` the write-up takes
    ``a = (yhat* - f(x; theta)) e^{-z}``; for the squared loss ``yhat* = y``.
    ``beta`` is the escape parameter (the bias ``b``).
    """
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return _slice_points(theta, -offset * np.exp(-beta), beta, setting)


def escape_family_general_prediction(beta, theta: float, setting: ToySetting):
    """Closed forms on the escape family.

    ``L~ = lambda c^2 e^{-2 beta}`` and ``|grad L~| = 2 lambda |c| e^{-beta}`` with
    ``c = q(theta) - y``: the gradient is exactly ``2 lambda a e_a``.
    """
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return (setting.lam * offset**2 * np.exp(-2.0 * beta),
            2.0 * setting.lam * abs(offset) * np.exp(-beta))


def escape_family_valley(beta, theta: float, setting: ToySetting) -> np.ndarray:
    """The valley family: points ``(theta, 0, a*(beta), beta)`` on the valley floor (``dL~/da = 0``).

    Only for critical points ``theta`` of the model (``q'(theta) = 0``), where
    ``dL~/dtheta`` vanishes as well.
    """
    _require_model_critical_point(theta)
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    a_star, _ = valley_floor(beta, offset, setting.lam)
    return _slice_points(theta, a_star, beta, setting)


def escape_family_valley_prediction(beta, theta: float, setting: ToySetting):
    """Closed forms on the valley family.

    ``L~ = lambda c^2 / (lambda + e^{2 beta})`` and
    ``|grad L~| = 2 sqrt(kappa) lambda c^2 e^{2 beta} / (lambda + e^{2 beta})^2``.
    """
    _require_model_critical_point(theta)
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    v = np.exp(2.0 * beta)
    loss = setting.lam * offset**2 / (setting.lam + v)
    grad = 2.0 * math.sqrt(setting.kappa) * setting.lam * offset**2 * v / (setting.lam + v) ** 2
    return loss, grad


def family_formula_error(points, predicted_loss, predicted_grad, setting: ToySetting) -> float:
    """Largest relative deviation of computed loss and gradient norm from closed forms."""
    loss = modified_loss(points, setting)
    grad = np.linalg.norm(modified_loss_gradient(points, setting), axis=-1)
    return float(
        max(
            np.max(np.abs(loss - predicted_loss) / predicted_loss),
            np.max(np.abs(grad - predicted_grad) / predicted_grad),
        )
    )


def min_hessian_eigen_ratio(points, setting: ToySetting) -> float:
    """``min over points of lambda_min(H) / lambda_max(H)`` for the Hessian of ``L~``.

    Non-negative up to rounding when every point is second-order stationary in the
    sense ``H >= 0``.  ``numpy.linalg.eigvalsh`` is used because it is batched over
    the points; ``scipy.linalg.eigh`` takes one matrix at a time.
    """
    eigenvalues = np.linalg.eigvalsh(modified_loss_hessian(points, setting))
    return float(np.min(eigenvalues[..., 0] / eigenvalues[..., -1]))
