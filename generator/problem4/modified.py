"""The modified loss ``L~`` of the toy model, its gradient and its Hessian, for any data set.

Kawaguchi & Kaelbling (arXiv:1901.00279) add to the model one neuron
``a * exp(w^T x + b)`` and the penalty ``lambda * a^2``; for the toy model
(:mod:`generator.problem4.toy_model`, ``f(x_i; theta) = s_i q(theta)``)

    L~(theta, w, a, b) = (1/m) sum_i r_i^2 + lambda a^2,
    r_i = s_i q(theta) + a u_i - y_i,   u_i = exp(w^T x_i + b).

Everything here is vectorised over the leading axes of the parameter array.
:func:`derivative_fd_errors` checks the analytic gradient against central
differences of the loss and the analytic Hessian against central differences
of the gradient, and :func:`neuron_off_error` the loss itself against the
original loss.
"""

from __future__ import annotations

import numpy as np

from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    THETA_INDEX,
    ToySetting,
    _as_params,
    cubic_model,
    cubic_model_curvature,
    cubic_model_slope,
    original_loss,
    w_slice,
)


def _residuals(params, setting: ToySetting):
    """The pieces of the residuals: ``(theta, a, u, r)`` with ``u_i = e^{w^T x_i + b}`` and ``r_i``.

    Shapes: ``theta`` and ``a`` are ``params.shape[:-1]``; ``u`` and ``r`` add the data axis ``m``.
    """
    params = _as_params(params, setting)
    theta, a, b = params[..., THETA_INDEX], params[..., A_INDEX], params[..., B_INDEX]
    u = np.exp(params[..., w_slice(setting.d)] @ setting.inputs.T + b[..., None])
    residual = setting.features * cubic_model(theta)[..., None] + a[..., None] * u - setting.targets
    return theta, a, u, residual


def modified_loss(params, setting: ToySetting):
    """The modified loss ``L~ = (1/m) sum_i r_i^2 + lambda a^2`` of the toy model."""
    _, a, _, residual = _residuals(params, setting)
    return np.mean(residual**2, axis=-1) + setting.lam * a**2


def _residual_gradient(theta, a, u, setting: ToySetting) -> np.ndarray:
    """``grad r_i = (s_i q'(theta), a u_i x_i, u_i, a u_i)``, shape ``(..., m, d + 3)``."""
    slope = setting.features * cubic_model_slope(theta)[..., None]
    au = a[..., None] * u
    return np.concatenate(
        [slope[..., None], au[..., None] * setting.inputs, u[..., None], au[..., None]], axis=-1
    )


def modified_loss_gradient(params, setting: ToySetting):
    """Gradient of :func:`modified_loss` with respect to ``(theta, w, a, b)``.

    ``grad L~ = (2/m) sum_i r_i grad r_i + 2 lambda a e_a``, with
    ``grad r_i = (s_i q'(theta), a u_i x_i, u_i, a u_i)``.
    """
    theta, a, u, residual = _residuals(params, setting)
    gradient = 2.0 * np.mean(residual[..., None] * _residual_gradient(theta, a, u, setting), axis=-2)
    gradient[..., A_INDEX] += 2.0 * setting.lam * a
    return gradient


def modified_loss_hessian(params, setting: ToySetting):
    """Hessian of :func:`modified_loss`, shape ``(..., d + 3, d + 3)``.

    ``(2/m) sum_i (grad r_i grad r_i^T + r_i Hess r_i) + 2 lambda e_a e_a^T``, where the
    non-zero second derivatives of ``r_i`` are ``s_i q''(theta)`` (theta, theta),
    ``a u_i x_i x_i^T`` (w, w), ``a u_i x_i`` (w, b), ``u_i x_i`` (w, a), ``u_i`` (a, b)
    and ``a u_i`` (b, b).
    """
    theta, a, u, residual = _residuals(params, setting)
    d, x = setting.d, setting.inputs
    grad_r = _residual_gradient(theta, a, u, setting)
    au = a[..., None] * u
    hess_r = np.zeros(residual.shape + (d + 3, d + 3))
    w = w_slice(d)
    hess_r[..., THETA_INDEX, THETA_INDEX] = setting.features * cubic_model_curvature(theta)[..., None]
    hess_r[..., w, w] = au[..., None, None] * (x[:, :, None] * x[:, None, :])
    hess_r[..., w, B_INDEX] = au[..., None] * x
    hess_r[..., w, A_INDEX] = u[..., None] * x
    hess_r[..., A_INDEX, B_INDEX] = u
    hess_r[..., B_INDEX, B_INDEX] = au
    hess_r[..., B_INDEX, w] = hess_r[..., w, B_INDEX]
    hess_r[..., A_INDEX, w] = hess_r[..., w, A_INDEX]
    hess_r[..., B_INDEX, A_INDEX] = hess_r[..., A_INDEX, B_INDEX]
    outer = grad_r[..., :, None] * grad_r[..., None, :]
    hessian = 2.0 * np.mean(outer + residual[..., None, None] * hess_r, axis=-3)
    hessian[..., A_INDEX, A_INDEX] += 2.0 * setting.lam
    return hessian


def random_parameters(setting: ToySetting, n_points: int, seed: int) -> np.ndarray:
    """``n_points`` parameter vectors: ``theta``, ``a`` uniform on ``[-1.5, 2.5]``, ``w``, ``b`` on ``[-1, 1]``.

    The range of ``theta`` covers both basins of the toy model, and that of
    ``(w, b)`` keeps ``e^{w^T x + b}`` of order one for inputs of order one.
    """
    if n_points < 1:
        raise ValueError(f"n_points must be positive, got {n_points}")
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1.0, 1.0, size=(n_points, setting.d + 3))
    points[:, [THETA_INDEX, A_INDEX]] = rng.uniform(-1.5, 2.5, size=(n_points, 2))
    return points


def derivative_fd_errors(setting: ToySetting, n_points: int, seed: int) -> tuple[float, float]:
    """Largest relative errors of the analytic gradient and Hessian against central differences.

    At :func:`random_parameters`, the gradient is compared with central
    differences of :func:`modified_loss` and the Hessian with central differences
    of :func:`modified_loss_gradient`, each relative to ``max(norm, 1)`` of the
    analytic value (Euclidean norm for the gradient, Frobenius for the Hessian).
    The step ``h = 1e-6`` balances the ``O(h^2)`` truncation and the ``O(eps/h)``
    rounding error, both near ``1e-10`` for values of order one.
    """
    points = random_parameters(setting, n_points, seed)
    step = 1e-6
    shifted = points[:, None, :] + step * np.eye(setting.d + 3)
    back = points[:, None, :] - step * np.eye(setting.d + 3)
    gradient = modified_loss_gradient(points, setting)
    numeric_gradient = (modified_loss(shifted, setting) - modified_loss(back, setting)) / (2.0 * step)
    hessian = modified_loss_hessian(points, setting)
    numeric_hessian = (modified_loss_gradient(shifted, setting) - modified_loss_gradient(back, setting)) / (2.0 * step)
    gradient_error = np.linalg.norm(numeric_gradient - gradient, axis=-1) / np.maximum(
        np.linalg.norm(gradient, axis=-1), 1.0)
    hessian_error = np.linalg.norm(numeric_hessian - hessian, axis=(-2, -1)) / np.maximum(
        np.linalg.norm(hessian, axis=(-2, -1)), 1.0)
    return float(np.max(gradient_error)), float(np.max(hessian_error))


def neuron_off_error(setting: ToySetting, n_points: int, seed: int) -> float:
    """Largest ``|L~(theta, w, 0, b) - L(theta)| / L(theta)`` at :func:`random_parameters` with ``a = 0``.

    With the neuron switched off the modified loss is the original loss
    (:func:`~generator.problem4.toy_model.original_loss`, computed from the
    definition of ``L`` independently of ``L~``), whatever ``w`` and ``b``.
    """
    points = random_parameters(setting, n_points, seed)
    points[:, A_INDEX] = 0.0
    original = original_loss(points[:, THETA_INDEX], setting)
    return float(np.max(np.abs(modified_loss(points, setting) - original) / original))
