"""Problem 4: eliminating bad local minima with one exponential neuron (m = 1).

Kawaguchi & Kaelbling (arXiv:1901.00279) add to a model ``f(x; theta)`` one
neuron ``a * exp(w^T x + b)`` and the penalty ``lambda * a^2``:

    L~(theta, w, a, b) = l(f(x; theta) + a exp(w^T x + b), y) + lambda a^2 .

For one data point and a convex differentiable loss every local minimum of
``L~`` has ``a = 0`` and a globally optimal ``theta`` (proved in the write-up).
Sohl-Dickstein & Kawaguchi (arXiv:1901.03909) explain the mechanism: a bad
local minimum of ``L`` becomes a valley of ``L~`` that leads to infinity in
the added parameters.  This module checks the statements of the write-up on a
one-parameter toy model and draws the figures.  Among them: along every gradient
flow of ``L~`` the parameter ``theta`` stays on one orbit of ``-grad f`` and
``b - a^2/2`` grows at the rate ``2 lambda a^2`` (checked on flows from random
starts, :func:`gradient_flow_batch`).

Toy model.  One data point ``(x, y)`` with ``x`` in ``R^1`` (so ``w`` is a
scalar and ``kappa = 1 + x^2``), squared loss ``l(yhat, y) = (yhat - y)^2``
and the cubic

    q(theta) = theta (2 theta^2 - 9 theta + 12) / 4,
    q'(theta) = (3/2) (theta - 1) (theta - 2).

With ``y = 0`` the loss ``L(theta) = q(theta)^2`` has its global minimum 0 at
``theta = 0`` only (``q`` has no other real root), a local maximum at
``theta = 1`` and a strict bad local minimum at ``theta = 2`` with ``L = 1``.

The parameter vector of ``L~`` is always ordered ``(theta, w, a, b)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.integrate import odeint, solve_ivp

from generator import figstyle
from generator.ledger import Ledger, at_least, at_most, between, equals, greater_than

THETA_INDEX, W_INDEX, A_INDEX, B_INDEX = 0, 1, 2, 3
BAD_MINIMUM = 2.0
"""The bad local minimum ``theta_b`` of ``L = q^2`` (a critical point of ``q``)."""

NONCONVEX_NEIGHBOURHOOD_EDGE = 0.5
"""``q(u) >= 1`` exactly for ``u >= 1/2``, because ``4 (q(u) - 1) = (u - 2)^2 (2u - 1)``."""


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


# --------------------------------------------------------------------------------------
# Part 1: the non-convex loss of the counterexample
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Part 2: valley, approximate stationary points
# --------------------------------------------------------------------------------------


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
    """``min_a L~(theta, w, a, b) = lambda L(theta) / (lambda + e^{2z})`` with ``z = w x + b``.

    A copy of the original loss ``L`` scaled by ``lambda / (lambda + e^{2z})``,
    which decreases strictly in ``z`` to 0: the bad minima of ``L`` move to
    ``z = infinity`` (vectorised in ``theta`` and ``z`` by broadcasting).
    """
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
    points = np.stack([theta, np.zeros_like(theta), a_star, z], axis=-1)
    value_error = np.max(np.abs(modified_loss(points, setting) - profile) / profile)
    step = 1e-6
    numeric = (valley_profile(theta + step, z, setting) - valley_profile(theta - step, z, setting)) / (2 * step)
    analytic = modified_loss_gradient(points, setting)[..., THETA_INDEX]
    gradient_error = np.max(np.abs(analytic - numeric)) / np.max(np.abs(numeric))
    return float(value_error), float(gradient_error)


def escape_family_general(beta, theta: float, setting: ToySetting) -> np.ndarray:
    """Family A: points ``(theta, 0, (y - q(theta)) e^{-beta}, beta)`` whose prediction equals ``y``.

    For every convex loss with minimiser ``yhat*`` the write-up takes
    ``a = (yhat* - f(x; theta)) e^{-z}``; for the squared loss ``yhat* = y``.
    ``beta`` is the escape parameter (the bias ``b``).
    """
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return np.stack(
        [np.full_like(beta, theta), np.zeros_like(beta), -offset * np.exp(-beta), beta], axis=-1
    )


def escape_family_general_prediction(beta, theta: float, setting: ToySetting):
    """Closed forms on family A.

    ``L~ = lambda c^2 e^{-2 beta}`` and ``|grad L~| = 2 lambda |c| e^{-beta}`` with
    ``c = q(theta) - y``: the gradient is exactly ``2 lambda a e_a``.
    """
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return (setting.lam * offset**2 * np.exp(-2.0 * beta),
            2.0 * setting.lam * abs(offset) * np.exp(-beta))


def _require_model_critical_point(theta: float) -> None:
    if float(cubic_model_slope(theta)) != 0.0:
        raise ValueError(f"theta = {theta} is not a critical point of q (q' = 0 only at 1 and 2)")


def escape_family_valley(beta, theta: float, setting: ToySetting) -> np.ndarray:
    """Family B: points ``(theta, 0, a*(beta), beta)`` on the valley floor (``dL~/da = 0``).

    Only for critical points ``theta`` of the model (``q'(theta) = 0``), where
    ``dL~/dtheta`` vanishes as well.
    """
    _require_model_critical_point(theta)
    beta = np.asarray(beta, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    a_star, _ = valley_floor(beta, offset, setting.lam)
    return np.stack([np.full_like(beta, theta), np.zeros_like(beta), a_star, beta], axis=-1)


def escape_family_valley_prediction(beta, theta: float, setting: ToySetting):
    """Closed forms on family B.

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


def loglog_slope(t, values) -> float:
    """Least-squares slope of ``log(values)`` against ``log(t)``."""
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    if t.shape != values.shape or t.size < 2:
        raise ValueError("need at least two matching samples")
    if np.any(t <= 0) or np.any(values <= 0):
        raise ValueError("log-log slope needs positive samples")
    slope, _ = np.polyfit(np.log(t), np.log(values), 1)
    return float(slope)


def semilog_slope(t, values) -> float:
    """Least-squares slope of ``log(values)`` against ``t``."""
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    if t.shape != values.shape or t.size < 2:
        raise ValueError("need at least two matching samples")
    if np.any(values <= 0):
        raise ValueError("semi-log slope needs positive values")
    slope, _ = np.polyfit(t, np.log(values), 1)
    return float(slope)


# --------------------------------------------------------------------------------------
# Part 2: gradient flow
# --------------------------------------------------------------------------------------


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

    Plain floats instead of :func:`modified_loss_gradient`: the integrator calls
    them thousands of times on one point, where numpy's per-call overhead would
    dominate.  ``tests/generator/test_problem4.py`` checks them against the vectorised forms.
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
    :func:`valley_profile`, ``lambda L'(theta) / (lambda + e^{2z})``, and
    ``e^{2z} ~ 4 kappa lambda L(theta_b) t``; linearising ``L'`` at ``theta_b``
    gives ``delta' = -L''(theta_b) delta / (4 kappa L(theta_b) t)``.  A formal
    (unproved) prediction for flows started near a bad minimum.
    """
    _require_model_critical_point(theta_b)
    offset = float(cubic_model(theta_b)) - setting.y
    if offset == 0.0:
        raise ValueError("theta_b must be a bad critical point (L(theta_b) > 0)")
    second_derivative = 2.0 * offset * float(cubic_model_curvature(theta_b))  # q'(theta_b) = 0
    return -second_derivative / (4.0 * setting.kappa * offset**2)


# --------------------------------------------------------------------------------------
# Part 2: many starts -- the orbit of theta and the bias identity
# --------------------------------------------------------------------------------------

MODEL_CRITICAL_POINTS = (1.0, 2.0)
"""The zeros of ``q'``; the orbits of ``-q'`` on the line are the intervals between them."""


def orbit_interval(theta0) -> tuple[np.ndarray, np.ndarray]:
    """End points of the orbit of the flow of ``-q'`` through ``theta0`` (vectorised).

    In one dimension an orbit of ``theta' = -q'(theta)`` cannot cross a zero of
    ``q'``, so the orbit through a non-critical ``theta0`` is the open interval
    between consecutive critical points ``1, 2`` of ``q`` that contains it
    (``(-inf, 1)``, ``(1, 2)`` or ``(2, inf)``), and a critical point is its own
    orbit.  The write-up proves that the ``theta``-component of every gradient
    flow of ``L~`` stays on the orbit through its start.
    """
    theta0 = np.asarray(theta0, dtype=float)
    if not np.all(np.isfinite(theta0)):
        raise ValueError("theta0 must be finite")
    edges = np.array([-np.inf, *MODEL_CRITICAL_POINTS, np.inf])
    index = np.searchsorted(edges, theta0, side="right") - 1
    low, high = edges[index], edges[index + 1]
    critical = np.isin(theta0, MODEL_CRITICAL_POINTS)
    return np.where(critical, theta0, low), np.where(critical, theta0, high)


def gradient_flow_batch(starts, t_eval, setting: ToySetting, *, rtol: float = 1e-10):
    """Gradient flows of ``L~`` from many starts, with the running integral of ``a^2``.

    The flows are independent; they are integrated as one system of ``5 N``
    equations (``(theta, w, a, b)`` and ``J' = a^2`` per start) so that one
    ``odeint`` (LSODA) call with a banded Jacobian (block diagonal, ``ml = mu = 4``)
    serves them all; a Python loop over :func:`gradient_flow` costs several times as
    much CPU time.  ``J(t) = int_0^t a^2`` enters the identity
    ``b - a^2/2 = b_0 - a_0^2/2 + 2 lambda J`` of the write-up
    (:func:`bias_identity_residual`).

    Parameters
    ----------
    starts : array_like, shape (N, 4)
        Initial points ``(theta, w, a, b)``.
    t_eval : array_like
        Increasing sample times starting at ``0``.

    Returns
    -------
    params : ndarray, shape (len(t_eval), N, 4)
    a_square_integral : ndarray, shape (len(t_eval), N)
    """
    starts = _as_params(starts)
    if starts.ndim != 2:
        raise ValueError(f"starts must have shape (N, 4), got {starts.shape}")
    t_eval = _check_times(t_eval)
    if not 0 < rtol < 1e-3:
        raise ValueError(f"rtol must be in (0, 1e-3), got {rtol}")
    n_starts = starts.shape[0]
    block = 5
    rows, cols = np.meshgrid(np.arange(block), np.arange(block), indexing="ij")
    band_rows = np.broadcast_to(block - 1 + rows - cols, (n_starts, block, block))
    band_cols = block * np.arange(n_starts)[:, None, None] + cols

    x, y, lam = setting.x, setting.y, setting.lam

    def field(state, _t):
        # Written out instead of calling modified_loss_gradient: this runs thousands of
        # times, and the validation and stacking there would double its cost.
        theta, w, a, b, _ = state.reshape(n_starts, block).T
        u = np.exp(w * x + b)
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        grad_z = 2.0 * residual * a * u
        derivative = np.empty((n_starts, block))
        derivative[:, THETA_INDEX] = -3.0 * residual * (theta - 1.0) * (theta - 2.0)
        derivative[:, W_INDEX] = -grad_z * x
        derivative[:, A_INDEX] = -2.0 * (residual * u + lam * a)
        derivative[:, B_INDEX] = -grad_z
        derivative[:, 4] = a * a
        return derivative.ravel()

    def jacobian(state, _t):
        # LSODA's banded layout: entry (i, j) of the Jacobian sits at band[mu + i - j, j].
        state = state.reshape(n_starts, block)
        blocks = np.zeros((n_starts, block, block))
        blocks[:, :4, :4] = -modified_loss_hessian(state[:, :4], setting)
        blocks[:, 4, A_INDEX] = 2.0 * state[:, A_INDEX]
        band = np.zeros((2 * block - 1, block * n_starts))
        band[band_rows, band_cols] = blocks
        return band

    initial = np.column_stack([starts, np.zeros(n_starts)]).ravel()
    states, info = odeint(field, initial, t_eval, Dfun=jacobian, ml=block - 1, mu=block - 1, rtol=rtol,
                          atol=1e-14, mxstep=100000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"batched gradient flow integration failed: {info['message']}")
    states = states.reshape(t_eval.size, n_starts, block)
    return states[..., :4], states[..., 4]


def bias_identity_residual(params, a_square_integral, setting: ToySetting) -> float:
    """Largest violation of ``b(t) - a(t)^2/2 = b(0) - a(0)^2/2 + 2 lambda int_0^t a^2``.

    The identity follows from ``a dL~/da - dL~/db = 2 lambda a^2`` (write-up) and
    holds along every gradient flow of ``L~``; ``params`` and ``a_square_integral``
    are the output of :func:`gradient_flow_batch`.
    """
    params = np.asarray(params, dtype=float)
    a_square_integral = np.asarray(a_square_integral, dtype=float)
    if params.ndim != 3 or params.shape[-1] != 4 or a_square_integral.shape != params.shape[:-1]:
        raise ValueError("need params of shape (T, N, 4) and an integral of shape (T, N)")
    monotone_part = params[..., B_INDEX] - 0.5 * params[..., A_INDEX] ** 2
    return float(np.max(np.abs(monotone_part - monotone_part[0] - 2.0 * setting.lam * a_square_integral)))


def orbit_statistics(params, setting: ToySetting) -> tuple[float, float, int]:
    """Check the orbit theorem of the write-up on flows from many starts.

    Parameters
    ----------
    params : ndarray, shape (T, N, 4)
        Sampled gradient flows of ``L~`` (:func:`gradient_flow_batch`).

    Returns
    -------
    excursion : float
        Largest distance, over flows and sample times, of ``theta(t)`` outside the
        closed orbit interval (:func:`orbit_interval`) of its start; the theorem
        says 0.
    min_original_bad : float
        Smallest ``L(theta(t))`` over the flows started in the basin ``(1, inf)`` of
        the bad minimum ``theta_b = 2``; the theorem says at least ``L(theta_b)``.
    sign_changes : int
        Number of flows along which the residual ``q(theta) + a e^z - y`` (half of
        ``l'(yhat)``) takes both signs at the samples, that is, along which ``theta``
        moves in both directions of its orbit.
    """
    params = np.asarray(params, dtype=float)
    if params.ndim != 3 or params.shape[-1] != 4:
        raise ValueError(f"params must have shape (T, N, 4), got {params.shape}")
    theta = params[..., THETA_INDEX]
    low, high = orbit_interval(theta[0])
    excursion = float(np.max(np.maximum(np.maximum(low - theta, theta - high), 0.0)))
    bad = theta[0] > MODEL_CRITICAL_POINTS[0]
    if not np.any(bad):
        raise ValueError("no flow starts in the basin (1, inf) of the bad minimum")
    min_original_bad = float(np.min(original_loss(theta[:, bad], setting)))
    residual = (cubic_model(theta) + params[..., A_INDEX] * np.exp(params[..., W_INDEX] * setting.x
                                                                    + params[..., B_INDEX]) - setting.y)
    sign_changes = int(np.count_nonzero(np.any(residual > 0, axis=0) & np.any(residual < 0, axis=0)))
    return excursion, min_original_bad, sign_changes


# --------------------------------------------------------------------------------------
# Part 2: constant-step gradient descent
# --------------------------------------------------------------------------------------


def gradient_descent_constant_step(initial, step: float, n_steps: int, setting: ToySetting):
    """Plain gradient descent on the toy ``L~`` with a constant step.

    A scalar loop over Python floats: with four parameters the per-call overhead
    of numpy would dominate.  Returns the loss, ``z = w x + b`` and ``a`` after
    every step (index ``k`` = after ``k`` steps), each of length ``n_steps + 1``.
    """
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    if n_steps < 1:
        raise ValueError(f"n_steps must be positive, got {n_steps}")
    theta, w, a, b = (float(v) for v in _as_params(initial))
    x, y, lam = setting.x, setting.y, setting.lam
    losses = np.empty(n_steps + 1)
    pre_activation = np.empty(n_steps + 1)
    amplitude = np.empty(n_steps + 1)
    for k in range(n_steps + 1):
        z = w * x + b
        u = math.exp(z)
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        losses[k], pre_activation[k], amplitude[k] = residual * residual + lam * a * a, z, a
        grad_theta = 3.0 * residual * (theta - 1.0) * (theta - 2.0)
        grad_z = 2.0 * residual * a * u
        grad_a = 2.0 * residual * u + 2.0 * lam * a
        theta -= step * grad_theta
        w -= step * grad_z * x
        b -= step * grad_z
        a -= step * grad_a
    return losses, pre_activation, amplitude


def constant_step_statistics(losses, pre_activation, step: float, setting: ToySetting, offset: float):
    """Late-phase statistics of constant-step descent (second half of the run).

    Returns the medians of ``L~ / (eta lambda c^2)`` and of ``eta d^2L~/da^2 =
    2 eta (e^{2z} + lambda)``; the write-up predicts both near 1 and 2.
    """
    late = slice(len(losses) // 2, None)
    floor = step * setting.lam * offset**2
    curvature = 2.0 * step * (np.exp(2.0 * np.asarray(pre_activation)[late]) + setting.lam)
    return float(np.median(np.asarray(losses)[late] / floor)), float(np.median(curvature))


def descent_over_flow(losses, step: float, flow: FlowResult) -> float:
    """Median over the second half of a descent run of ``L~(P_k) / L~(P(k eta))``.

    Descent and flow are compared at the same time ``t = k eta``; the flow's loss
    is interpolated linearly in ``(log t, log L~)`` between its samples (a nearly
    straight line there, since ``t L~`` converges).
    """
    losses = np.asarray(losses, dtype=float)
    times = step * np.arange(losses.size)
    late = slice(losses.size // 2, None)
    if times[late][0] <= 0 or times[-1] > flow.t[-1]:
        raise ValueError("the flow must cover the second half of the descent run")
    positive = flow.t > 0
    flow_loss = np.exp(np.interp(np.log(times[late]), np.log(flow.t[positive]), np.log(flow.loss[positive])))
    return float(np.median(losses[late] / flow_loss))


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------


def _light_ticks(ax, x_decades=(), y_decades=()) -> None:
    """Few labelled powers of ten on log axes, plain (non-mathtext) labels on linear ones.

    Tick labels are the dominant drawing cost of these figures (each mathtext
    label is parsed several times per save), and log axes spanning many decades
    would otherwise carry hundreds of minor ticks.  ``x_decades`` and
    ``y_decades`` list the exponents to label on a log axis (default: at most
    four chosen by matplotlib); reusing the same exponents across panels keeps
    the number of distinct labels small.  Linear axes here show non-negative
    numbers only, so plain labels look the same as mathtext ones.
    """
    from matplotlib.ticker import FixedLocator, LogLocator, NullLocator, ScalarFormatter

    for axis, scale, decades in ((ax.xaxis, ax.get_xscale(), x_decades), (ax.yaxis, ax.get_yscale(), y_decades)):
        if scale == "log":
            axis.set_major_locator(FixedLocator(10.0 ** np.asarray(decades, dtype=float)) if len(decades)
                                   else LogLocator(base=10.0, numticks=4))
            axis.set_minor_locator(NullLocator())
        else:
            axis.set_major_formatter(ScalarFormatter(useMathText=False))


def _log_bins(times, values, n_bins: int):
    """Median and maximum of ``values`` in ``n_bins`` log-spaced bins of ``times > 0``."""
    times = np.asarray(times, dtype=float)
    values = np.asarray(values, dtype=float)
    keep = times > 0
    times, values = times[keep], values[keep]
    edges = np.geomspace(times[0], times[-1] * (1 + 1e-12), n_bins + 1)
    index = np.searchsorted(edges, times, side="right") - 1
    centres, medians, maxima = [], [], []
    for k in np.unique(index):
        chunk = values[index == k]
        centres.append(float(np.sqrt(edges[k] * edges[k + 1])))
        medians.append(float(np.median(chunk)))
        maxima.append(float(np.max(chunk)))
    return np.array(centres), np.array(medians), np.array(maxima)


def _panel_losses(ax, flows: dict[str, FlowResult], setting: ToySetting) -> None:
    """Modified and original loss along the gradient flows, with the proved limit."""
    from matplotlib.lines import Line2D

    pale = {"alpha": 0.45, "linewidth": 2.2}
    guide = {"color": "black", "linestyle": ":"}
    handles = []
    for index, (key, flow) in enumerate(flows.items()):
        keep = flow.t > 0
        color, style = figstyle.COLORS[index], figstyle.LINESTYLES[index]
        ax.loglog(flow.t[keep], np.maximum(flow.loss[keep], 1e-30), color=color, linestyle=style)
        ax.loglog(flow.t[keep], np.maximum(flow.original[keep], 1e-30), color=color, linestyle=style, **pale)
        handles.append(Line2D([], [], color=color, linestyle=style, label=key))
    t = flows["bad"].t[flows["bad"].t >= 1]
    ax.loglog(t, 1.0 / (4.0 * setting.kappa * t), **guide)
    ax.legend(handles=handles, loc="lower left")
    ax.set_ylim(1e-12, 10.0)
    ax.set_xlabel("flow time $t$")
    ax.set_ylabel("loss")


def _panel_parameters(ax, flows: dict[str, FlowResult], setting: ToySetting, theta_b: float) -> None:
    """Added parameters of the bad flow and the return of ``theta`` on the perturbed flow."""
    kappa, lam = setting.kappa, setting.lam
    offset = float(cubic_model(theta_b)) - setting.y
    bad, perturbed = flows["bad"], flows["perturbed"]
    keep = bad.t > 0
    guide = {"color": "black", "linestyle": ":"}
    ax.loglog(bad.t[keep], np.abs(bad.params[keep, A_INDEX]), color=figstyle.COLORS[0], label=r"$|a|$")
    ax.loglog(bad.t[keep], np.exp(2.0 * bad.z[keep]), color=figstyle.COLORS[0], alpha=0.45, linewidth=2.2,
              label=r"$e^{2z}$")
    t = bad.t[bad.t >= 1]
    ax.loglog(t, 4.0 * kappa * lam * offset**2 * t, **guide)
    ax.loglog(t, 1.0 / (2.0 * np.sqrt(kappa * lam * t)), **guide)
    gap = np.abs(perturbed.params[:, THETA_INDEX] - theta_b)
    ax.loglog(perturbed.t[keep], gap[keep], color=figstyle.COLORS[1], linestyle=figstyle.LINESTYLES[1],
              label=r"$|\theta-\theta_b|$")
    exponent = theta_return_exponent(theta_b, setting)
    tail = perturbed.t >= 1e2
    scale = 2.0 * gap[tail][0] / perturbed.t[tail][0] ** exponent
    ax.loglog(perturbed.t[tail], scale * perturbed.t[tail] ** exponent, color="grey", linestyle="-.",
              linewidth=0.8)
    ax.set_ylim(1e-4, 1e7)
    ax.legend(loc="upper left")
    ax.set_xlabel("flow time $t$")
    ax.set_ylabel("magnitude")


def _panel_descent(ax, runs: dict[float, np.ndarray], flow: FlowResult, setting: ToySetting,
                   offset: float) -> None:
    """Constant-step descent (binned median and maximum) against the flow, up to the end of the runs."""
    end = max(step * (len(losses) - 1) for step, losses in runs.items())
    keep = (flow.t >= 1e-1) & (flow.t <= end)
    ax.loglog(flow.t[keep], flow.loss[keep], color="black")
    for index, (step, losses) in enumerate(runs.items()):
        color = figstyle.COLORS[index + 2]
        centres, medians, maxima = _log_bins(step * np.arange(len(losses)), losses, 48)
        ax.loglog(centres, maxima, color=color, linewidth=0.5, alpha=0.6)
        ax.loglog(centres, medians, color=color, label=f"step {step:g}")
        floor = step * setting.lam * offset**2
        onset = 1.0 / (4.0 * setting.kappa * floor)
        ax.plot([onset, end], [floor, floor], color=color, linestyle="--", linewidth=0.8)
    ax.set_xlim(1e-1, end)
    ax.set_xlabel(r"$t=k\eta$")
    ax.set_ylabel("loss")
    ax.legend(loc="lower left")


def _panel_landscape(fig, ax, flow: FlowResult, setting: ToySetting, offset: float) -> None:
    """``L~`` over ``(z, -a)`` at the bad ``theta`` (log colour scale), the valley floor and the flow's path.

    ``-a`` is drawn so that every tick label is non-negative (see :func:`_light_ticks`).
    """
    from matplotlib.colors import LogNorm
    from matplotlib.ticker import FixedLocator, LogLocator

    z_grid = np.linspace(-3.0, 6.0, 181)
    a_grid = np.linspace(-1.2, 0.3, 151)
    zz, aa = np.meshgrid(z_grid, a_grid)
    contours = ax.contourf(zz, -aa, slice_loss(aa, zz, offset, setting), levels=np.logspace(-3.0, 1.5, 10),
                           norm=LogNorm(), cmap="viridis", extend="both")
    colorbar = fig.colorbar(contours, ax=ax, label=r"$\tilde L$")
    colorbar.locator = LogLocator(base=10.0, numticks=3)
    colorbar.update_ticks()
    ax.plot(z_grid, -valley_floor(z_grid, offset, setting.lam)[0], color="white", linestyle="--")
    keep = flow.z <= z_grid[-1]
    ax.plot(flow.z[keep], -flow.params[keep, A_INDEX], color=figstyle.COLORS[1])
    ax.xaxis.set_major_locator(FixedLocator([0, 2, 4, 6]))
    ax.yaxis.set_major_locator(FixedLocator([0, 0.5, 1]))
    ax.set_xlabel(r"$z = wx + b$")
    ax.set_ylabel("$-a$")
    ax.grid(False)


def _panel_families(ax, beta, flow: FlowResult, setting: ToySetting, theta_b: float) -> None:
    """Loss and gradient norm on families A and B (closed forms and computed) and on the flow."""
    from matplotlib.lines import Line2D

    for points, predicted, color, pale in (
        (escape_family_general(beta, theta_b, setting), escape_family_general_prediction(beta, theta_b, setting),
         figstyle.COLORS[0], True),
        (escape_family_valley(beta, theta_b, setting), escape_family_valley_prediction(beta, theta_b, setting),
         figstyle.COLORS[1], False),
    ):
        loss, grad = predicted
        ax.semilogy(beta, loss, color=color, linewidth=2.4 if pale else 1.0, alpha=0.5 if pale else 1.0)
        ax.semilogy(beta, grad, color=color, linestyle="--")
        ax.semilogy(beta[::5], modified_loss(points[::5], setting), "o", color=color, markersize=2.5,
                    fillstyle="none")
        ax.semilogy(beta[::5], np.linalg.norm(modified_loss_gradient(points[::5], setting), axis=-1), "s",
                    color=color, markersize=2.5, fillstyle="none")
    on_range = (flow.z >= beta[0]) & (flow.z <= beta[-1])
    ax.semilogy(flow.z[on_range][::8], flow.loss[on_range][::8], "x", color="black", markersize=3)
    ax.semilogy(flow.z[on_range][::8], flow.grad_norm[on_range][::8], "+", color="black", markersize=3.5)
    ax.legend(handles=[
        Line2D([], [], color=figstyle.COLORS[0], linewidth=2.4, alpha=0.5, label="family A"),
        Line2D([], [], color=figstyle.COLORS[1], label="family B"),
    ], loc="lower left")
    ax.set_xlabel(r"escape parameter $\beta$")
    ax.set_ylabel("loss, gradient norm")


def plot_flows(flows: dict[str, FlowResult], runs: dict[float, np.ndarray], setting: ToySetting,
               theta_b: float, path: Path) -> None:
    """Gradient flows and constant-step descent on log axes (three panels).

    (a) ``L~`` and ``L(theta)`` along the three flows; (b) ``|a|`` and ``e^{2z}`` on
    the bad flow and ``|theta - theta_b|`` on the perturbed flow; (c) constant-step
    descent against the flow, up to the end of the runs.
    """
    offset = float(cubic_model(theta_b)) - setting.y
    with figstyle.figure(width=1.0, aspect=0.34, ncols=3) as (fig, axes):
        _panel_losses(axes[0], flows, setting)
        _panel_parameters(axes[1], flows, setting, theta_b)
        _panel_descent(axes[2], runs, flows["bad"], setting, offset)
        _light_ticks(axes[0], x_decades=(-2, 0, 2, 4), y_decades=(-12, -8, -4, 0))
        _light_ticks(axes[1], x_decades=(-2, 0, 2, 4), y_decades=(-4, 0, 4))
        _light_ticks(axes[2], x_decades=(0, 2), y_decades=(-4, -2, 0))
        figstyle.save(fig, path)


def plot_landscape(flow: FlowResult, beta, setting: ToySetting, theta_b: float, path: Path) -> None:
    """The valley at the bad ``theta`` and the approximate stationary points (two panels).

    (a) ``log10 L~`` over ``(z, a)`` with the valley floor and the bad flow's path;
    (b) loss and gradient norm on families A and B against ``beta`` and on the flow.
    """
    offset = float(cubic_model(theta_b)) - setting.y
    with figstyle.figure(width=1.0, aspect=0.34, ncols=2) as (fig, axes):
        _panel_landscape(fig, axes[0], flow, setting, offset)
        _panel_families(axes[1], beta, flow, setting, theta_b)
        _light_ticks(axes[0])
        _light_ticks(axes[1], y_decades=(-8, -4, 0))
        figstyle.save(fig, path)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 4 claim and draw the figures."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    led = Ledger(problem=4)
    setting = ToySetting(x=1.0, y=0.0, lam=0.5)
    offset = float(cubic_model(BAD_MINIMUM)) - setting.y
    led.parameter("lam", setting.lam, description="penalty weight $\\lambda$ of the toy experiments",
                  style="fixed", digits=1)
    led.parameter("x", setting.x, description="input of the single data point", style="int")
    led.parameter("kappa", setting.kappa, description="$\\kappa=1+x^2$", style="int")

    led.claim("gradient_fd_error", gradient_fd_error(setting, n_points=200, seed=4),
              at_most(1e-7), source=gradient_fd_error,
              description="largest relative error of the analytic gradient of the modified toy loss "
                          "against central differences at random points")

    # Part 1: the non-convex counterexample
    radius, n_samples = 0.25, 20000
    min_increase, inside = nonconvex_perturbation_test(setting, radius, n_samples, seed=44)
    led.parameter("perturbation_radius", radius, description="radius of the perturbation ball",
                  style="fixed", digits=2)
    led.parameter("perturbation_samples", n_samples, description="number of random perturbations")
    led.claim("nonconvex_min_increase", min_increase, at_least(0),
              source=nonconvex_perturbation_test,
              description="smallest increase of the modified loss over random perturbations of the "
                          "bad point of the non-convex example")
    led.claim("nonconvex_flat_increase", nonconvex_flat_directions(setting, radius, 1000, seed=45),
              equals(0), source=nonconvex_flat_directions,
              description="largest change of the modified loss over perturbations of $(w,b)$ alone at "
                          "the bad point of the non-convex example ($a=0$)")
    led.claim("nonconvex_inside", inside, equals(n_samples), source=nonconvex_perturbation_test,
              description="perturbed points inside the neighbourhood on which local minimality is proved",
              style="int")

    # Part 2: gradient flow from the bad minimum, a perturbed start and the good basin
    t_end, t_good = 1e5, 100.0
    theta_perturbed, theta_good = 2.5, 0.8
    t_eval = np.concatenate([[0.0], np.logspace(-3, 5, 161)])
    flows = {
        "bad": gradient_flow([BAD_MINIMUM, 0.0, 0.0, 0.0], t_eval, setting),
        "perturbed": gradient_flow([theta_perturbed, 0.0, 0.0, 0.0], t_eval, setting),
        "good": gradient_flow([theta_good, 0.0, 0.0, 0.0], t_eval[t_eval <= t_good], setting),
    }
    bad, perturbed, good = flows["bad"], flows["perturbed"], flows["good"]
    led.parameter("theta_perturbed", theta_perturbed, description="initial $\\theta$ of the perturbed bad flow",
                  style="fixed", digits=1)
    led.parameter("theta_good", theta_good, description="initial $\\theta$ of the good flow", style="fixed",
                  digits=1)
    led.parameter("t_end", t_end, description="final time of the bad gradient flows", style="sci", digits=1)
    led.parameter("t_good", t_good, description="final time of the good gradient flow", style="int")

    slice_a, slice_z = slice_flow(t_eval, offset, setting, method="BDF", rtol=1e-6)
    led.claim("flow_integrator_difference",
              float(np.max(np.abs(slice_loss(slice_a, slice_z, offset, setting) - bad.loss) / bad.loss)),
              at_most(1e-5), source=slice_flow,
              description="largest relative difference of the modified loss along the bad flow between "
                          "the full LSODA integration and the BDF integration of the reduced $(a,z)$ system")
    ratios = flow_limit_ratios(bad, setting)
    for key, text in (
        ("loss", "$t\\tilde L$"),
        ("escape", "$e^{2z}/t$"),
        ("amplitude", "$\\sqrt t\\,a$"),
        ("gradient", "$t\\|\\nabla\\tilde L\\|$"),
    ):
        led.claim(f"flow_ratio_{key}", ratios[key], between(0.999, 1.001), source=flow_limit_ratios,
                  description=f"{text} at the final time of the bad flow, divided by its proved limit",
                  style="fixed", digits=5)
    window = (bad.t >= 1e3) & (bad.t <= t_end)
    led.claim("flow_loss_exponent", loglog_slope(bad.t[window], bad.loss[window]),
              between(-1.01, -0.99), source=loglog_slope,
              description="fitted power of time of the modified loss along the bad flow, times from 1000 "
                          "to the final time", style="fixed", digits=4)
    decade = int(np.searchsorted(bad.t, t_end / 10.0))
    led.claim("flow_bias_decade", float((bad.params[-1, B_INDEX] - bad.params[decade, B_INDEX])
                                        * 2.0 * setting.kappa / math.log(10.0)),
              between(0.99, 1.01), source=gradient_flow,
              description="increase of $b$ over the last decade of the bad flow, divided by its "
                          "asymptotic value $\\log(10)/(2\\kappa)$", style="fixed", digits=4)
    led.claim("flow_theta_drift", float(np.max(np.abs(bad.params[:, THETA_INDEX] - BAD_MINIMUM))),
              at_most(0), source=gradient_flow,
              description="largest distance of $\\theta$ from the bad minimum along the flow started there")

    # Non-uniformity in lambda: the same limit, reached much later for a small penalty
    small_lam, early, late = 1e-4, 1e2, 1e6
    small = ToySetting(x=setting.x, y=setting.y, lam=small_lam)
    scaled = scaled_slice_loss(np.array([0.0, early, late]), offset, small)
    led.parameter("small_lam", small_lam, description="small penalty weight of the onset experiment",
                  style="sci", digits=1)
    led.parameter("onset_early", early, description="early time of the onset experiment", style="int")
    led.parameter("onset_late", late, description="late time of the onset experiment", style="sci", digits=1)
    led.claim("onset_early", float(scaled[1]), at_most(0.1), source=scaled_slice_loss,
              description="$4\\kappa t\\tilde L$ at the early time of the bad flow with the small penalty",
              style="fixed", digits=4)
    led.claim("onset_late", float(scaled[2]), between(0.98, 1.02), source=scaled_slice_loss,
              description="$4\\kappa t\\tilde L$ at the late time of the bad flow with the small penalty",
              style="fixed", digits=4)

    led.claim("flow_perturbed_min_original", float(np.min(perturbed.original)),
              at_least(float(offset**2)), source=gradient_flow,
              description="smallest original loss along the flow from the perturbed start",
              style="fixed", digits=6)
    led.claim("flow_perturbed_ratio_loss", flow_limit_ratios(perturbed, setting)["loss"],
              between(0.999, 1.001), source=flow_limit_ratios,
              description="$4\\kappa t\\tilde L$ at the final time of the perturbed flow",
              style="fixed", digits=5)
    gap = np.abs(perturbed.params[:, THETA_INDEX] - BAD_MINIMUM)
    led.claim("flow_perturbed_theta_gap", float(gap[-1]), at_most(0.01), source=gradient_flow,
              description="$|\\theta-\\theta_b|$ at the final time of the perturbed flow")
    predicted = theta_return_exponent(BAD_MINIMUM, setting)
    led.claim("flow_perturbed_theta_exponent", loglog_slope(perturbed.t[window], gap[window]),
              between(predicted - 0.025, predicted + 0.025), source=loglog_slope,
              description="fitted power of time of $|\\theta-\\theta_b|$ along the perturbed flow, times "
                          "from 1000 to the final time; heuristic value $-3/8$", style="fixed", digits=4)

    # Part 2: random starts in both basins -- theta stays on its orbit; the bias identity
    n_starts, orbit_time, theta_range, amplitude = 16, 100.0, (-0.5, 3.0), 4.0
    rng = np.random.default_rng(404)
    starts = np.column_stack([rng.uniform(*theta_range, n_starts), rng.standard_normal(n_starts),
                              rng.uniform(-amplitude, amplitude, n_starts), rng.standard_normal(n_starts)])
    batch_params, batch_integral = gradient_flow_batch(
        starts, np.concatenate([[0.0], np.logspace(-3, math.log10(orbit_time), 41)]), setting)
    excursion, min_original_bad, sign_changes = orbit_statistics(batch_params, setting)
    led.parameter("orbit_starts", n_starts, description="number of random starts of the orbit experiment")
    led.parameter("orbit_bad_starts", int(np.count_nonzero(starts[:, THETA_INDEX] > 1.0)),
                  description="random starts of the orbit experiment in the bad basin $\\theta_0>1$")
    led.parameter("orbit_time", orbit_time, description="final time of the orbit experiment", style="int")
    led.parameter("orbit_theta_lo", theta_range[0], description="smallest initial $\\theta$ of the orbit experiment",
                  style="fixed", digits=1)
    led.parameter("orbit_theta_hi", theta_range[1], description="largest initial $\\theta$ of the orbit experiment",
                  style="int")
    led.parameter("orbit_amplitude", amplitude, description="largest initial $|a|$ of the orbit experiment",
                  style="int")
    led.claim("orbit_excursion", excursion, at_most(1e-12), source=orbit_statistics,
              description="largest distance of $\\theta(t)$ outside the orbit interval of its start, over the "
                          "random flows and sample times")
    led.claim("orbit_min_original", min_original_bad, at_least("1 - 1e-12"), source=orbit_statistics,
              description="smallest $L(\\theta(t))$ over the random flows started in the bad basin and the "
                          "sample times", style="fixed", digits=6)
    led.claim("orbit_sign_changes", sign_changes, at_least(1), source=orbit_statistics,
              description="random flows along which the residual, hence $l'(\\hat y)$, changes sign", style="int")
    led.claim("bias_identity_residual", bias_identity_residual(batch_params, batch_integral, setting),
              at_most(1e-7), source=bias_identity_residual,
              description="largest violation of $b-a^2/2=b_0-a_0^2/2+2\\lambda\\int_0^t a^2$ over the random "
                          "flows and sample times")

    led.claim("flow_good_loss", float(good.loss[-1]), at_most(1e-20), source=gradient_flow,
              description="modified loss at the final time of the good flow")
    led.claim("flow_good_amplitude", float(abs(good.params[-1, A_INDEX])), at_most(1e-12), source=gradient_flow,
              description="$|a|$ at the final time of the good flow")
    half = int(np.searchsorted(good.t, t_good / 2))
    led.claim("flow_good_z_change", float(abs(good.z[-1] - good.z[half])), at_most(1e-10), source=gradient_flow,
              description="change of the pre-activation $z$ over the second half of the good flow")

    # The same good-basin start, but on the valley floor with a large bias: theta moves only
    # at the damped rate s(z) grad L, so the flow is still far from the good minimum at t_end.
    slow_bias = 6.0
    slow_amplitude, _ = valley_floor(slow_bias, float(cubic_model(theta_good)) - setting.y, setting.lam)
    slow = gradient_flow([theta_good, 0.0, float(slow_amplitude), slow_bias], t_eval, setting)
    led.parameter("slow_bias", slow_bias, description="initial bias $b_0$ of the slow good-basin flow "
                  "(started on the valley floor, $a_0=a^*(b_0)$)", style="int")
    led.claim("flow_slow_original", float(slow.original[-1]), at_least(float(offset**2)), source=gradient_flow,
              description="$L(\\theta)$ at the final time of the slow good-basin flow (still above "
                          "$L(\\theta_b)$)", style="fixed", digits=3)
    led.claim("flow_slow_loss", float(slow.loss[-1]), at_most(1e-5), source=gradient_flow,
              description="modified loss at the final time of the slow good-basin flow")

    curvature_ratio = (modified_loss_hessian(bad.params, setting)[:, A_INDEX, A_INDEX] * bad.loss
                       / (2.0 * setting.lam * offset**2))
    led.claim("curvature_bound_violation", float(max(0.0, 1.0 - np.min(curvature_ratio))), at_most(1e-12),
              source=modified_loss_hessian,
              description="largest relative violation of the curvature bound along the bad flow")
    led.claim("curvature_ratio_end", float(curvature_ratio[-1]), between(0.9999, 1.001),
              source=modified_loss_hessian,
              description="curvature in $a$ times modified loss over its lower bound, at the final time "
                          "of the bad flow", style="fixed", digits=6)

    # Part 2: the profile min_a L~ = s(z) L(theta) and its damped theta-gradient
    theta_range, z_range = (0.25, 3.0), (-2.0, 4.0)
    profile_value_error, profile_gradient_error = valley_profile_errors(
        np.linspace(*theta_range, 12), np.linspace(*z_range, 13), setting)
    led.parameter("profile_theta_lo", theta_range[0], description="smallest $\\theta$ of the profile grid",
                  style="fixed", digits=2)
    led.parameter("profile_theta_hi", theta_range[1], description="largest $\\theta$ of the profile grid",
                  style="int")
    led.parameter("profile_z_lo", z_range[0], description="smallest $z$ of the profile grid", style="int")
    led.parameter("profile_z_hi", z_range[1], description="largest $z$ of the profile grid", style="int")
    led.claim("profile_value_error", profile_value_error, at_most(1e-10), source=valley_profile_errors,
              description="largest relative difference between the modified loss on the valley floor and "
                          "the profile $\\lambda L(\\theta)/(\\lambda+e^{2z})$ on a grid of $(\\theta,z)$")
    led.claim("profile_gradient_error", profile_gradient_error, at_most(1e-6), source=valley_profile_errors,
              description="largest difference between $\\partial_\\theta\\tilde L$ on the valley floor and "
                          "central differences of the profile in $\\theta$, relative to the largest value, "
                          "on the same grid")

    # Part 2: the two families of approximate stationary points
    beta = np.linspace(0.0, 10.0, 81)
    general_points = escape_family_general(beta, BAD_MINIMUM, setting)
    valley_points = escape_family_valley(beta, BAD_MINIMUM, setting)
    for name, label, points, prediction in (
        ("general", "A", general_points, escape_family_general_prediction),
        ("valley", "B", valley_points, escape_family_valley_prediction),
    ):
        led.claim(f"family_{name}_error",
                  family_formula_error(points, *prediction(beta, BAD_MINIMUM, setting), setting),
                  at_most(1e-6), source=family_formula_error,
                  description="largest relative error of the closed forms for loss and gradient norm on "
                              f"family {label}, $\\beta$ from 0 to 10")
    tail = beta >= 5.0
    for name, points, target in (("general", general_points, -1.0), ("valley", valley_points, -2.0)):
        led.claim(f"family_{name}_grad_rate",
                  semilog_slope(beta[tail], np.linalg.norm(modified_loss_gradient(points[tail], setting), axis=-1)),
                  between(target - 1e-3, target + 1e-3), source=semilog_slope,
                  description=f"fitted exponential rate of the gradient norm on family "
                              f"{'A' if name == 'general' else 'B'}, $\\beta$ from 5 to 10",
                  style="fixed", digits=4)
    led.claim("family_hessian_ratio", min_hessian_eigen_ratio(general_points, setting), at_least(-1e-12),
              source=min_hessian_eigen_ratio,
              description="smallest ratio of the least to the largest Hessian eigenvalue over family A, "
                          "$\\beta$ from 0 to 10")

    # Part 2: gradient descent with a constant step
    steps = (3e-2, 1e-2)
    descent_time = 200.0
    runs = {}
    for tag, step in zip(("1", "2"), steps):
        losses, pre_activation, _ = gradient_descent_constant_step(
            [BAD_MINIMUM, 0.0, 0.0, 0.0], step, int(round(descent_time / step)), setting)
        runs[step] = losses
        median_ratio, median_curvature = constant_step_statistics(losses, pre_activation, step, setting, offset)
        led.claim(f"descent_floor_ratio_{tag}", median_ratio, between(0.8, 1.25),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of $\\tilde L/(\\eta\\lambda c^2)$, "
                              f"step {step:g}", style="fixed", digits=3)
        led.claim(f"descent_curvature_{tag}", median_curvature, between(1.8, 2.2),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of $\\eta\\,\\partial_a^2\\tilde L$, "
                              f"step {step:g}", style="fixed", digits=3)
        led.parameter(f"step_{tag}", step, description="constant step of a descent run", style="sci", digits=1)
    led.parameter("descent_time", descent_time, description="flow time covered by each descent run", style="int")
    led.claim("descent_over_flow", descent_over_flow(runs[steps[0]], steps[0], bad), at_least(5),
              source=descent_over_flow,
              description="median over the second half of the run with the first step of the descent loss "
                          "divided by the flow loss at the same time $k\\eta$", style="fixed", digits=1)

    plot_flows(flows, runs, setting, BAD_MINIMUM, figures_dir / "p4_flows.pdf")
    led.figure("flows", "p4_flows.pdf", source=plot_flows)
    plot_landscape(bad, beta, setting, BAD_MINIMUM, figures_dir / "p4_landscape.pdf")
    led.figure("landscape", "p4_landscape.pdf", source=plot_landscape)
    return led
