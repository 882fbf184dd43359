"""Part 2: the gradient flow of ``L~`` and its limits on a bad trajectory.

:func:`gradient_flow` integrates ``P' = -grad L~(P)`` from one start.  On the
invariant slice ``theta = theta_b`` of a critical point of the model the flow
reduces to two coordinates ``(a, z)`` (:func:`slice_flow`), integrated
independently as a cross-check.  The write-up proves the limits of a bad flow,
``t L~ -> 1/(4 kappa)`` among them (:func:`flow_limit_ratios`), and predicts
heuristically how fast ``theta`` returns to a bad minimum
(:func:`theta_return_exponent`).  Two identities of every gradient flow check
the integration: the dissipated energy (:func:`dissipation_error`) and the
direction in which ``w`` moves (:func:`bias_direction_error`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.integrate import odeint, solve_ivp

from generator.problem4.modified import modified_loss, modified_loss_gradient, modified_loss_hessian
from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    CUBIC_COEFFICIENTS,
    THETA_INDEX,
    ToySetting,
    _as_params,
    _require_model_critical_point,
    cubic_model,
    original_loss,
    w_slice,
)


@dataclass(frozen=True)
class FlowResult:
    """Gradient-flow trajectory sampled at ``t`` (parameters ``(n, d + 3)``)."""

    t: np.ndarray
    params: np.ndarray
    loss: np.ndarray
    original: np.ndarray
    grad_norm: np.ndarray
    z: np.ndarray
    """Pre-activation ``z = w^T x + b`` of the added neuron."""
    dissipated: np.ndarray
    """``int_0^t |P'|^2``, integrated with the flow; equals ``L~(P(0)) - L~(P(t))`` for a gradient flow."""


def _check_times(t_eval) -> np.ndarray:
    t_eval = np.asarray(t_eval, dtype=float)
    if t_eval.ndim != 1 or t_eval.size < 2 or t_eval[0] != 0.0 or np.any(np.diff(t_eval) <= 0):
        raise ValueError("t_eval must be an increasing 1-d array of times starting at 0")
    return t_eval


def _flow_inputs(initial, setting, t_eval, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """A flow's start as parameters of ``setting`` and its sample times, validated."""
    initial = _as_params(initial, setting)
    if initial.shape != (setting.d + 3,):
        raise ValueError(f"initial point must have shape ({setting.d + 3},), got {initial.shape}")
    if not 0 < rtol < 1e-3:
        raise ValueError(f"rtol must be in (0, 1e-3), got {rtol}")
    return initial, _check_times(t_eval)


def _flow_field(setting: ToySetting):
    """``-grad L~`` with the dissipation rate ``|grad L~|^2``, as a function for ``odeint``.

    The state is ``(theta, w_1, ..., w_d, a, b, D)`` with ``D' = |P'|^2``.  The field
    is written with plain floats instead of
    :func:`~generator.problem4.modified.modified_loss_gradient`: the integrator
    calls it thousands of times on one point, where numpy's per-call overhead
    would dominate.  The dissipation identity
    ``L~(P(t)) + D(t) = L~(P(0))``, with ``L~`` evaluated by
    :func:`~generator.problem4.modified.modified_loss`, holds only if the field is
    the gradient of that loss; it is the check of this code.
    """
    setting.require_plain_point()
    x, y, lam = tuple(float(v) for v in setting.x), setting.y, setting.lam

    def field(state, _t):
        theta, *w, a, b, _ = state.tolist()  # Python floats: numpy scalars are slower here
        u = math.exp(b + sum(wi * xi for wi, xi in zip(w, x)))
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        grad_z = 2.0 * residual * a * u
        velocity = [-3.0 * residual * (theta - 1.0) * (theta - 2.0), *(-grad_z * xi for xi in x),
                    -2.0 * (residual * u + lam * a), -grad_z]
        return [*velocity, sum(v * v for v in velocity)]

    return field


def gradient_flow(initial, t_eval, setting: ToySetting, *, rtol: float = 1e-10) -> FlowResult:
    """Integrate the gradient flow ``P' = -grad L~(P)`` of the toy model (one data point).

    The flow is stiff: the curvature ``2 (e^{2z} + lambda)`` along ``a`` grows
    linearly in time on a bad trajectory.  ``scipy.integrate.odeint`` (LSODA,
    which switches to BDF when stiffness is detected) is used because its
    stepping runs in compiled code.  Its Jacobian is formed by finite
    differences of the field, so that it always belongs to the field
    integrated (an exact Jacobian from other code would let a mistake in either
    stop the integration instead of showing in the checks).  The flow is
    cross-checked against :func:`slice_flow` with ``solve_ivp``'s BDF, and the
    dissipated ``int_0^t |P'|^2`` is integrated alongside (:func:`dissipation_error`).

    Parameters
    ----------
    initial : array_like, shape (d + 3,)
        ``(theta, w, a, b)`` at ``t = 0``.
    t_eval : array_like
        Increasing sample times starting at ``0``.
    """
    initial, t_eval = _flow_inputs(initial, setting, t_eval, rtol)
    states, info = odeint(_flow_field(setting), [*initial, 0.0], t_eval, rtol=rtol, atol=1e-14,
                          mxstep=100000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"gradient flow integration failed: {info['message']}")
    params = states[:, :-1]
    return FlowResult(
        t=t_eval,
        params=params,
        loss=modified_loss(params, setting),
        original=original_loss(params[:, THETA_INDEX], setting),
        grad_norm=np.linalg.norm(modified_loss_gradient(params, setting), axis=-1),
        z=params[:, w_slice(setting.d)] @ setting.x + params[:, B_INDEX],
        dissipated=states[:, -1],
    )


def dissipation_error(flow: FlowResult) -> float:
    """Largest ``|L~(P(t)) + int_0^t |P'|^2 - L~(P(0))|`` along a flow, relative to ``L~(P(0))``.

    Along a gradient flow ``d/dt L~(P(t)) = -|grad L~|^2 = -|P'|^2``, so the value
    is at the integrator's accuracy; a velocity field other than ``-grad L~``
    breaks the identity.
    """
    return float(np.max(np.abs(flow.loss + flow.dissipated - flow.loss[0])) / flow.loss[0])


def bias_direction_error(flow: FlowResult, setting: ToySetting) -> float:
    """Largest ``|w(t) - w(0) - (b(t) - b(0)) x|`` along a flow, relative to ``max(1, |b(t) - b(0)| |x|)``.

    Along every gradient flow of ``L~`` with one data point,
    ``dL~/dw = x dL~/db``, so ``w`` moves only along ``x``, in step with ``b``.
    """
    w = flow.params[:, w_slice(setting.d)]
    moved = flow.params[:, B_INDEX] - flow.params[0, B_INDEX]
    deviation = np.linalg.norm(w - w[0] - moved[:, None] * setting.x, axis=-1)
    return float(np.max(deviation / np.maximum(1.0, np.abs(moved) * np.linalg.norm(setting.x))))


JACOBIAN_GRID = (np.linspace(-2.0, 2.0, 5), np.linspace(-2.0, 6.0, 5))
"""The points ``(a, z)`` at which :func:`slice_flow` checks its analytic Jacobian (the bad flow has
``a`` between ``-1`` and ``0`` and ``z`` from ``0`` to about ``6``)."""
JACOBIAN_TOLERANCE = 1e-6
"""Largest relative error of the analytic Jacobian against central differences that :func:`slice_flow`
accepts (central differences with step ``1e-6`` are good to about ``1e-9`` here)."""


def _slice_system(offset: float, setting: ToySetting):
    """The field of the reduced ``(a, z)`` system of :func:`slice_flow` and its analytic Jacobian.

    ``a' = -d Lambda/da = -2 (r e^z + lambda a)`` and ``z' = -kappa d Lambda/dz = -2 kappa r a e^z`` with
    ``r = c + a e^z``; the Jacobian is checked against central differences of the field by
    :func:`slice_jacobian_error`.
    """
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

    return field, jacobian


def slice_jacobian_error(offset: float, setting: ToySetting, a_values, z_values) -> float:
    """Largest error of the analytic Jacobian of the reduced ``(a, z)`` system against central differences.

    At every point of the grid ``a_values x z_values`` the Jacobian used by
    :func:`slice_flow` is compared with central differences of its field (step
    ``1e-6`` times ``max(1, |coordinate|)``), relative to ``max(1, |J|)``
    (Frobenius norm).  A wrong Jacobian does not change the flow the stiff
    integrators converge to, but it can make them crawl: the build would stall
    instead of refusing, so this check comes first.
    """
    field, jacobian = _slice_system(offset, setting)
    worst = 0.0
    for a in np.asarray(a_values, dtype=float).ravel():
        for z in np.asarray(z_values, dtype=float).ravel():
            analytic = np.array(jacobian(a, z))
            numeric = np.empty((2, 2))
            for j, (da, dz) in enumerate(((1.0, 0.0), (0.0, 1.0))):
                h = 1e-6 * max(1.0, abs(a) if da else abs(z))
                forward = np.array(field(a + h * da, z + h * dz))
                backward = np.array(field(a - h * da, z - h * dz))
                numeric[:, j] = (forward - backward) / (2.0 * h)
            worst = max(worst, float(np.linalg.norm(numeric - analytic) / max(1.0, np.linalg.norm(analytic))))
    return worst


def slice_flow(t_eval, offset: float, setting: ToySetting, *, method: str = "LSODA",
               rtol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Gradient flow on the invariant slice ``theta = theta_b`` in the coordinates ``(a, z)``.

    With ``Lambda(a, z) = (c + a e^z)^2 + lambda a^2`` and ``c = offset`` the flow of
    the write-up's Step 0 is ``a' = -d Lambda/da``, ``z' = -kappa d Lambda/dz``, started at
    ``a = z = 0``.  ``method`` is ``"LSODA"`` (``odeint``) or ``"BDF"``
    (``solve_ivp``, an independent implementation used as a cross-check); both use
    the analytic Jacobian of :func:`_slice_system` when it agrees with central
    differences on :data:`JACOBIAN_GRID` (:func:`slice_jacobian_error`), and their
    own finite-difference Jacobian otherwise.
    Returns ``a`` and ``z`` at ``t_eval``.
    """
    t_eval = _check_times(t_eval)
    if method not in ("LSODA", "BDF"):
        raise ValueError(f"method must be 'LSODA' or 'BDF', got {method!r}")
    field, jacobian = _slice_system(offset, setting)
    if slice_jacobian_error(offset, setting, *JACOBIAN_GRID) > JACOBIAN_TOLERANCE:
        # A wrong analytic Jacobian would not change the flow the integrators converge to, but it can make
        # them crawl; integrate with their own finite-difference Jacobian instead, and let the claim on
        # slice_jacobian_error refuse the build.
        jacobian = None
    if method == "LSODA":
        states, info = odeint(lambda s, _t: field(*s), [0.0, 0.0], t_eval,
                              Dfun=None if jacobian is None else (lambda s, _t: jacobian(*s)), rtol=rtol,
                              atol=1e-14,
                              mxstep=100000, full_output=True)
        if info["message"] != "Integration successful.":
            raise RuntimeError(f"slice flow integration failed: {info['message']}")
        return states[:, 0], states[:, 1]
    solution = solve_ivp(lambda _t, s: field(*s), (0.0, float(t_eval[-1])), [0.0, 0.0], method="BDF",
                         jac=None if jacobian is None else (lambda _t, s: jacobian(*s)), t_eval=t_eval,
                         rtol=rtol, atol=1e-14)
    if not solution.success:
        raise RuntimeError(f"slice flow integration failed: {solution.message}")
    return solution.y[0], solution.y[1]


REFERENCE_EVALUATIONS = 15000
"""Field evaluations :func:`reference_flow` may spend (the flows of the write-up need a few thousand)."""


class _BudgetExceeded(Exception):
    """Raised inside :func:`reference_flow` when the integrator exceeds its budget."""


def reference_flow(initial, t_eval, setting: ToySetting, *, rtol: float = 1e-8) -> np.ndarray:
    """The gradient flow of ``L~`` integrated independently of :func:`gradient_flow`.

    ``solve_ivp``'s BDF method on ``-``:func:`~generator.problem4.modified.modified_loss_gradient`,
    with :func:`~generator.problem4.modified.modified_loss_hessian` for its Jacobian: another
    integrator, and the vectorised derivatives checked against finite differences instead of
    the scalar field of :func:`gradient_flow`.  Slower, so it serves as a reference only.
    A wrong gradient or Hessian can make BDF crawl: after ``REFERENCE_EVALUATIONS``
    field evaluations the integration stops and every value is NaN, so that every
    claim compared with it fails instead of the build stalling.

    Returns
    -------
    params : ndarray, shape (len(t_eval), d + 3)
    """
    initial, t_eval = _flow_inputs(initial, setting, t_eval, rtol)
    evaluations = 0

    def field(_t, p):
        nonlocal evaluations
        evaluations += 1
        if evaluations > REFERENCE_EVALUATIONS:
            raise _BudgetExceeded
        return -modified_loss_gradient(p, setting)

    try:
        solution = solve_ivp(field, (0.0, float(t_eval[-1])), initial, method="BDF",
                             jac=lambda _t, p: -modified_loss_hessian(p, setting), t_eval=t_eval, rtol=rtol,
                             atol=1e-14)
    except _BudgetExceeded:
        return np.full((len(t_eval), setting.d + 3), np.nan)
    if not solution.success:
        raise RuntimeError(f"reference flow integration failed: {solution.message}")
    return solution.y.T


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
    offset = float(cubic_model(flow.params[-1, THETA_INDEX])) - setting.y
    a, z = flow.params[-1, A_INDEX], flow.z[-1]
    kappa, lam = setting.kappa, setting.lam
    return {
        "loss": 4.0 * kappa * t * flow.loss[-1],
        "escape": math.exp(2.0 * z) / (4.0 * kappa * lam * offset**2 * t),
        "amplitude": -2.0 * math.copysign(1.0, offset) * math.sqrt(kappa * lam * t) * a,
        "gradient": 2.0 * math.sqrt(kappa) * t * flow.grad_norm[-1],
    }


def _exact_polynomial_value(coefficients, point: Fraction) -> Fraction:
    """``sum_k c_k point^k`` in exact arithmetic (Horner)."""
    value = Fraction(0)
    for coefficient in reversed(coefficients):
        value = value * point + coefficient
    return value


def _exact_derivative(coefficients) -> list[Fraction]:
    """Coefficients of the derivative of ``sum_k c_k t^k``."""
    return [k * c for k, c in enumerate(coefficients)][1:]


def _exact_product(left, right) -> list[Fraction]:
    """Coefficients of the product of two polynomials."""
    product = [Fraction(0)] * (len(left) + len(right) - 1)
    for i, p in enumerate(left):
        for j, q in enumerate(right):
            product[i + j] += p * q
    return product


def _exact_loss_polynomial(setting: ToySetting) -> list[Fraction]:
    """Exact coefficients of ``L = (q - y)^2`` for one data point with feature 1."""
    setting.require_plain_point()
    shifted = [CUBIC_COEFFICIENTS[0] - Fraction(setting.y), *CUBIC_COEFFICIENTS[1:]]  # q - y
    return _exact_product(shifted, shifted)


def exact_residual_and_loss(theta: float, setting: ToySetting) -> tuple[Fraction, Fraction]:
    """``r_f = q(theta) - y`` and ``L(theta) = r_f^2`` in exact rational arithmetic.

    ``theta`` and ``y`` are binary floating-point numbers, hence exact rationals.
    """
    setting.require_plain_point()
    residual = _exact_polynomial_value(CUBIC_COEFFICIENTS, Fraction(theta)) - Fraction(setting.y)
    return residual, _exact_polynomial_value(_exact_loss_polynomial(setting), Fraction(theta))


def theta_return_exponent(theta_b: float, setting: ToySetting) -> Fraction:
    """Heuristic exponent ``-L''(theta_b) / (4 kappa L(theta_b))`` of ``|theta(t) - theta_b|``, exactly.

    Near the valley floor the ``theta``-gradient is that of the profile
    :func:`~generator.problem4.valley.valley_profile`,
    ``lambda L'(theta) / (lambda + e^{2z})``, and ``e^{2z} ~ 4 kappa lambda L(theta_b) t``;
    linearising ``L'`` at ``theta_b`` gives
    ``delta' = -L''(theta_b) delta / (4 kappa L(theta_b) t)``.  A formal
    (unproved) prediction for flows started near a bad minimum.  Computed in
    rational arithmetic from the exact coefficients of ``L = (q - y)^2`` and the
    binary values of ``theta_b``, ``x`` and ``y``, so the result is exact.
    """
    _require_model_critical_point(theta_b)
    point = Fraction(theta_b)
    loss = _exact_loss_polynomial(setting)
    value = _exact_polynomial_value(loss, point)
    if value == 0:
        raise ValueError("theta_b must be a bad critical point (L(theta_b) > 0)")
    curvature = _exact_polynomial_value(_exact_derivative(_exact_derivative(loss)), point)
    kappa = 1 + sum(Fraction(xi) ** 2 for xi in setting.x)
    return -curvature / (4 * kappa * value)
