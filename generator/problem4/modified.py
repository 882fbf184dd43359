"""The modified loss ``L~`` of the toy model, its gradient and its Hessian.

Kawaguchi & Kaelbling (arXiv:1901.00279) add to the model one neuron
``a * exp(w x + b)`` and the penalty ``lambda * a^2``; for the toy model
(:mod:`generator.problem4.toy_model`)

    L~(theta, w, a, b) = (q(theta) + a exp(w x + b) - y)^2 + lambda a^2 .

Everything here is vectorised over the leading axes of the parameter array;
:func:`gradient_fd_error` checks the analytic gradient against central
differences.
"""

from __future__ import annotations

import numpy as np

from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    THETA_INDEX,
    W_INDEX,
    ToySetting,
    _as_params,
    cubic_model,
    cubic_model_curvature,
    cubic_model_slope,
)


def modified_loss(params, setting: ToySetting):
    """The modified loss of the toy model.

    ``L~ = (q(theta) + a exp(w x + b) - y)^2 + lambda a^2``, evaluated for every
    parameter vector along the last axis of ``params``.
    """
    params = _as_params(params)
    theta, w, a, b = np.moveaxis(params, -1, 0)
    residual = cubic_model(theta) + a * np.exp(w * setting.x + b) - setting.y
    return residual**2 + setting.lam * a**2


def modified_loss_gradient(params, setting: ToySetting):
    """Gradient of :func:`modified_loss` with respect to ``(theta, w, a, b)``.

    With ``u = exp(w x + b)`` and residual ``r = q(theta) + a u - y``:
    ``dL~/dtheta = 2 r q'(theta)``, ``dL~/dw = 2 r a u x``,
    ``dL~/da = 2 r u + 2 lambda a``, ``dL~/db = 2 r a u``.
    """
    params = _as_params(params)
    theta, w, a, b = np.moveaxis(params, -1, 0)
    u = np.exp(w * setting.x + b)
    residual = cubic_model(theta) + a * u - setting.y
    return np.stack(
        [
            2.0 * residual * cubic_model_slope(theta),
            2.0 * residual * a * u * setting.x,
            2.0 * residual * u + 2.0 * setting.lam * a,
            2.0 * residual * a * u,
        ],
        axis=-1,
    )


def modified_loss_hessian(params, setting: ToySetting):
    """Hessian of :func:`modified_loss`, shape ``(..., 4, 4)``.

    ``L~ = r^2 + lambda a^2`` gives ``2 grad r grad r^T + 2 r Hess r + 2 lambda e_a e_a^T``
    with ``grad r = (q', a u x, u, a u)`` and the second derivatives of
    ``r = q(theta) + a u - y`` listed below.
    """
    params = _as_params(params)
    theta, w, a, b = np.moveaxis(params, -1, 0)
    x = setting.x
    u = np.exp(w * x + b)
    residual = cubic_model(theta) + a * u - setting.y
    grad_r = np.stack([cubic_model_slope(theta), a * u * x, u, a * u], axis=-1)
    hess_r = np.zeros(params.shape[:-1] + (4, 4))
    hess_r[..., THETA_INDEX, THETA_INDEX] = cubic_model_curvature(theta)
    hess_r[..., W_INDEX, W_INDEX] = a * u * x * x
    hess_r[..., B_INDEX, B_INDEX] = a * u
    hess_r[..., W_INDEX, B_INDEX] = hess_r[..., B_INDEX, W_INDEX] = a * u * x
    hess_r[..., A_INDEX, W_INDEX] = hess_r[..., W_INDEX, A_INDEX] = u * x
    hess_r[..., A_INDEX, B_INDEX] = hess_r[..., B_INDEX, A_INDEX] = u
    hessian = 2.0 * grad_r[..., :, None] * grad_r[..., None, :]
    hessian += 2.0 * residual[..., None, None] * hess_r
    hessian[..., A_INDEX, A_INDEX] += 2.0 * setting.lam
    return hessian


def gradient_fd_error(setting: ToySetting, n_points: int, seed: int) -> float:
    """Largest relative error of the analytic gradient against central differences.

    Random points with entries in ``[-1.5, 2.5]``; step ``h = 1e-6`` so that the
    ``O(h^2)`` truncation and the ``O(eps / h)`` rounding error are both near ``1e-10``.
    """
    if n_points < 1:
        raise ValueError(f"n_points must be positive, got {n_points}")
    rng = np.random.default_rng(seed)
    points = rng.uniform(-1.5, 2.5, size=(n_points, 4))
    step = 1e-6
    shifts = step * np.eye(4)
    numeric = (
        modified_loss(points[:, None, :] + shifts, setting)
        - modified_loss(points[:, None, :] - shifts, setting)
    ) / (2.0 * step)
    analytic = modified_loss_gradient(points, setting)
    scale = np.maximum(np.linalg.norm(analytic, axis=-1), 1.0)
    return float(np.max(np.linalg.norm(numeric - analytic, axis=-1) / scale))
