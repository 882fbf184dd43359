"""Part 2: the gradient flow of ``L~`` and its limits on a bad trajectory.

:func:`gradient_flow` integrates ``P' = -grad L~(P)`` from one start.  On the
invariant slice ``theta = theta_b`` of a critical point of the model the flow
reduces to two coordinates ``(a, z)`` (:func:`slice_flow`), integrated
independently as a cross-check.  The write-up proves the limits of a bad flow,
``t L~ -> 1/(4 kappa)`` among them (:func:`flow_limit_ratios`), and predicts
heuristically how fast ``theta`` returns to a bad minimum
(:func:`theta_return_exponent`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import odeint, solve_ivp

from generator.problem4.modified import modified_loss, modified_loss_gradient
from generator.problem4.toy_model import (
    B_INDEX,
    THETA_INDEX,
    W_INDEX,
    ToySetting,
    _as_params,
    _require_model_critical_point,
    cubic_model,
    cubic_model_curvature,
    original_loss,
)


@dataclass(frozen=True)
class FlowResult:
    """Gradient-flow trajectory sampled at ``t`` (parameters ``(n, 4)``)."""

    t: np.ndarray
    params: np.ndarray
    loss: np.ndarray
    original: np.ndarray
    grad_norm: np.ndarray
    z: np.ndarray
    """Pre-activation ``z = w x + b`` of the added neuron."""


def _check_times(t_eval) -> np.ndarray:
    t_eval = np.asarray(t_eval, dtype=float)
    if t_eval.ndim != 1 or t_eval.size < 2 or t_eval[0] != 0.0 or np.any(np.diff(t_eval) <= 0):
        raise ValueError("t_eval must be an increasing 1-d array of times starting at 0")
    return t_eval


def _flow_field(setting: ToySetting):
    """``-grad L~`` and its Jacobian ``-Hess L~`` as scalar functions for ``odeint``.

    Plain floats instead of :func:`~generator.problem4.modified.modified_loss_gradient`:
    the integrator calls them thousands of times on one point, where numpy's
    per-call overhead would dominate.  ``tests/generator/problem4/test_flows.py``
    checks them against the vectorised forms.
    """
    x, y, lam = setting.x, setting.y, setting.lam

    def field(state, _t):
        theta, w, a, b = state
        u = math.exp(w * x + b)
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        grad_z = 2.0 * residual * a * u
        return [-3.0 * residual * (theta - 1.0) * (theta - 2.0), -grad_z * x,
                -2.0 * (residual * u + lam * a), -grad_z]

    def jacobian(state, _t):
        theta, w, a, b = state
        u = math.exp(w * x + b)
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        slope = 1.5 * (theta - 1.0) * (theta - 2.0)
        grad_r = np.array([slope, a * u * x, u, a * u])
        hessian = 2.0 * np.outer(grad_r, grad_r)
        hessian[0, 0] += 3.0 * residual * (2.0 * theta - 3.0)
        rau, ru = 2.0 * residual * a * u, 2.0 * residual * u
        hessian[1, 1] += rau * x * x
        hessian[3, 3] += rau
        hessian[1, 3] += rau * x
        hessian[3, 1] += rau * x
        hessian[1, 2] += ru * x
        hessian[2, 1] += ru * x
        hessian[2, 3] += ru
        hessian[3, 2] += ru
        hessian[2, 2] += 2.0 * lam
        return -hessian

    return field, jacobian


def gradient_flow(initial, t_eval, setting: ToySetting, *, rtol: float = 1e-10) -> FlowResult:
    """Integrate the gradient flow ``P' = -grad L~(P)`` of the toy model.

    The flow is stiff: the curvature ``2 (e^{2z} + lambda)`` along ``a`` grows
    linearly in time on a bad trajectory.  ``scipy.integrate.odeint`` (LSODA,
    which switches to BDF when stiffness is detected) with the exact Jacobian
    ``-Hess L~`` is used because its stepping runs in compiled code; it is
    cross-checked against :func:`slice_flow` with ``solve_ivp``'s BDF.

    Parameters
    ----------
    initial : array_like, shape (4,)
        ``(theta, w, a, b)`` at ``t = 0``.
    t_eval : array_like
        Increasing sample times starting at ``0``.
    """
    initial = _as_params(initial)
    if initial.shape != (4,):
        raise ValueError(f"initial point must have shape (4,), got {initial.shape}")
    t_eval = _check_times(t_eval)
    if not 0 < rtol < 1e-3:
        raise ValueError(f"rtol must be in (0, 1e-3), got {rtol}")
    field, jacobian = _flow_field(setting)
    params, info = odeint(field, initial, t_eval, Dfun=jacobian, rtol=rtol, atol=1e-14,
                          mxstep=100000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"gradient flow integration failed: {info['message']}")
    return FlowResult(
        t=t_eval,
        params=params,
        loss=modified_loss(params, setting),
        original=original_loss(params[:, THETA_INDEX], setting),
        grad_norm=np.linalg.norm(modified_loss_gradient(params, setting), axis=-1),
        z=params[:, W_INDEX] * setting.x + params[:, B_INDEX],
    )


def slice_flow(t_eval, offset: float, setting: ToySetting, *, method: str = "LSODA",
               rtol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Gradient flow on the invariant slice ``theta = theta_b`` in the coordinates ``(a, z)``.

    With ``Lambda(a, z) = (c + a e^z)^2 + lambda a^2`` and ``c = offset`` the flow of
    the write-up's Step 0 is ``a' = -d Lambda/da``, ``z' = -kappa d Lambda/dz``, started at
    ``a = z = 0``.  ``method`` is ``"LSODA"`` (``odeint``) or ``"BDF"``
    (``solve_ivp``, an independent implementation used as a cross-check).
    Returns ``a`` and ``z`` at ``t_eval``.
    """
    t_eval = _check_times(t_eval)
    if method not in ("LSODA", "BDF"):
        raise ValueError(f"method must be 'LSODA' or 'BDF', got {method!r}")
    kappa, lam = setting.kappa, setting.lam

    def field(a, z):
        u = math.exp(z)
        residual = offset + a * u
        return [-2.0 * (residual * u + lam * a), -2.0 * kappa * residual * a * u]

    def jacobian(a, z):
        u = math.exp(z)
        residual = offset + a * u
        mixed = 2.0 * u * (a * u + residual)
        return [[-2.0 * (u * u + lam), -mixed],
                [-kappa * mixed, -2.0 * kappa * a * u * (a * u + residual)]]

    if method == "LSODA":
        states, info = odeint(lambda s, _t: field(*s), [0.0, 0.0], t_eval,
                              Dfun=lambda s, _t: jacobian(*s), rtol=rtol, atol=1e-14,
                              mxstep=100000, full_output=True)
        if info["message"] != "Integration successful.":
            raise RuntimeError(f"slice flow integration failed: {info['message']}")
        return states[:, 0], states[:, 1]
    solution = solve_ivp(lambda _t, s: field(*s), (0.0, float(t_eval[-1])), [0.0, 0.0], method="BDF",
                         jac=lambda _t, s: jacobian(*s), t_eval=t_eval, rtol=rtol, atol=1e-14)
    if not solution.success:
        raise RuntimeError(f"slice flow integration failed: {solution.message}")
    return solution.y[0], solution.y[1]


def slice_loss(a, z, offset: float, setting: ToySetting):
    """``Lambda(a, z) = (c + a e^z)^2 + lambda a^2`` on the slice ``theta = theta_b``."""
    a = np.asarray(a, dtype=float)
    return (offset + a * np.exp(z)) ** 2 + setting.lam * a * a


def scaled_slice_loss(t_eval, offset: float, setting: ToySetting) -> np.ndarray:
    """``4 kappa t L~(t)`` along the slice flow; tends to 1 by the flow theorem."""
    a, z = slice_flow(t_eval, offset, setting)
    return 4.0 * setting.kappa * np.asarray(t_eval) * slice_loss(a, z, offset, setting)


def flow_limit_ratios(flow: FlowResult, setting: ToySetting) -> dict[str, float]:
    """Ratios of the final state of a bad flow to the limits proved in the write-up.

    With ``c = q(theta_T) - y``: ``t L~ -> 1/(4 kappa)``, ``e^{2z}/t -> 4 kappa lambda c^2``,
    ``a sqrt(t) -> -sign(c) / (2 sqrt(kappa lambda))``, ``t |grad L~| -> 1/(2 sqrt(kappa))``.
    Each returned ratio tends to 1.
    """
    t = flow.t[-1]
    theta, w, a, b = flow.params[-1]
    offset = float(cubic_model(theta)) - setting.y
    z = w * setting.x + b
    kappa, lam = setting.kappa, setting.lam
    return {
        "loss": 4.0 * kappa * t * flow.loss[-1],
        "escape": math.exp(2.0 * z) / (4.0 * kappa * lam * offset**2 * t),
        "amplitude": -2.0 * math.copysign(1.0, offset) * math.sqrt(kappa * lam * t) * a,
        "gradient": 2.0 * math.sqrt(kappa) * t * flow.grad_norm[-1],
    }


def theta_return_exponent(theta_b: float, setting: ToySetting) -> float:
    """Heuristic exponent ``-L''(theta_b) / (4 kappa L(theta_b))`` of ``|theta(t) - theta_b|``.

    Near the valley floor the ``theta``-gradient is that of the profile
    :func:`~generator.problem4.valley.valley_profile`,
    ``lambda L'(theta) / (lambda + e^{2z})``, and ``e^{2z} ~ 4 kappa lambda L(theta_b) t``;
    linearising ``L'`` at ``theta_b`` gives
    ``delta' = -L''(theta_b) delta / (4 kappa L(theta_b) t)``.  A formal
    (unproved) prediction for flows started near a bad minimum.
    """
    _require_model_critical_point(theta_b)
    offset = float(cubic_model(theta_b)) - setting.y
    if offset == 0.0:
        raise ValueError("theta_b must be a bad critical point (L(theta_b) > 0)")
    second_derivative = 2.0 * offset * float(cubic_model_curvature(theta_b))  # q'(theta_b) = 0
    return -second_derivative / (4.0 * setting.kappa * offset**2)
