"""Problem 4: eliminating bad local minima with one exponential neuron (m = 1).

Kawaguchi & Kaelbling (arXiv:1901.00279) add to a model ``f(x; theta)`` one
neuron ``a * exp(w^T x + b)`` and the penalty ``lambda * a^2``:

    L~(theta, w, a, b) = l(f(x; theta) + a exp(w^T x + b), y) + lambda a^2 .

For one data point and a convex differentiable loss every local minimum of
``L~`` has ``a = 0`` and a globally optimal ``theta`` (proved in the write-up).
Sohl-Dickstein & Kawaguchi (arXiv:1901.03909) explain the mechanism: a bad
local minimum of ``L`` becomes a valley of ``L~`` that leads to infinity in
the added parameters.  This module checks the statements of the write-up on a
one-parameter toy model and draws the figures.

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
from scipy.integrate import solve_ivp

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


def nonconvex_perturbation_test(
    setting: ToySetting, radius: float, n_samples: int, seed: int
) -> tuple[float, int]:
    """Perturb the bad point ``(y + 2, 0, 0, 0)`` of the non-convex example.

    Samples ``n_samples`` points uniformly in the Euclidean ball of ``radius``
    around ``P = (y + 2, 0, 0, 0)`` in ``(theta, w, a, b)``.

    Returns
    -------
    min_increase : float
        ``min L~(P + delta) - L~(P)``; non-negative when ``P`` is a local minimum.
    inside : int
        How many samples satisfy ``theta + a e^{w x + b} - y >= 1/2``, the
        neighbourhood on which the write-up proves ``L~ >= L~(P)``.
    """
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    rng = np.random.default_rng(seed)
    directions = rng.standard_normal((n_samples, 4))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    lengths = radius * rng.uniform(size=(n_samples, 1)) ** 0.25  # uniform in the 4-ball
    centre = np.array([setting.y + BAD_MINIMUM, 0.0, 0.0, 0.0])
    points = centre + lengths * directions
    increase = nonconvex_modified_loss(points, setting) - nonconvex_modified_loss(centre, setting)
    theta, w, a, b = points.T
    residual = theta + a * np.exp(w * setting.x + b) - setting.y
    return float(np.min(increase)), int(np.count_nonzero(residual >= NONCONVEX_NEIGHBOURHOOD_EDGE))


# --------------------------------------------------------------------------------------
# Part 2: valley, approximate stationary points, gradient flow, constant-step descent
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


def escape_family_general(t, theta: float, setting: ToySetting) -> np.ndarray:
    """Points ``(theta, 0, (y - q(theta)) e^{-t}, t)`` where the prediction equals ``y``.

    For every convex loss with minimiser ``yhat*`` the write-up takes
    ``a = (yhat* - f(x; theta)) e^{-z}``; for the squared loss ``yhat* = y``.
    """
    t = np.asarray(t, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return np.stack(
        [np.full_like(t, theta), np.zeros_like(t), -offset * np.exp(-t), t], axis=-1
    )


def escape_family_general_prediction(t, theta: float, setting: ToySetting):
    """Closed forms on :func:`escape_family_general`.

    ``L~ = lambda c^2 e^{-2t}`` and ``|grad L~| = 2 lambda |c| e^{-t}`` with
    ``c = q(theta) - y``: the gradient is exactly ``2 lambda a e_a``.
    """
    t = np.asarray(t, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    return setting.lam * offset**2 * np.exp(-2.0 * t), 2.0 * setting.lam * abs(offset) * np.exp(-t)


def _require_model_critical_point(theta: float) -> None:
    if float(cubic_model_slope(theta)) != 0.0:
        raise ValueError(f"theta = {theta} is not a critical point of q (q' = 0 only at 1 and 2)")


def escape_family_valley(t, theta: float, setting: ToySetting) -> np.ndarray:
    """Points ``(theta, 0, a*(t), t)`` on the floor of the valley (``dL~/da = 0``).

    Only for critical points ``theta`` of the model (``q'(theta) = 0``), where
    ``dL~/dtheta`` vanishes as well.
    """
    _require_model_critical_point(theta)
    t = np.asarray(t, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    a_star, _ = valley_floor(t, offset, setting.lam)
    return np.stack([np.full_like(t, theta), np.zeros_like(t), a_star, t], axis=-1)


def escape_family_valley_prediction(t, theta: float, setting: ToySetting):
    """Closed forms on :func:`escape_family_valley`.

    ``L~ = lambda c^2 / (lambda + e^{2t})`` and
    ``|grad L~| = 2 sqrt(kappa) lambda c^2 e^{2t} / (lambda + e^{2t})^2``.
    """
    _require_model_critical_point(theta)
    t = np.asarray(t, dtype=float)
    offset = float(cubic_model(theta)) - setting.y
    v = np.exp(2.0 * t)
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


def gradient_flow(
    initial, t_eval, setting: ToySetting, *, method: str = "Radau", rtol: float = 1e-10
) -> FlowResult:
    """Integrate the gradient flow ``P' = -grad L~(P)`` of the toy model.

    The flow is stiff: the curvature ``2 (e^{2z} + lambda)`` along ``a`` grows
    linearly in time on a bad trajectory, so an implicit method with the exact
    Jacobian ``-Hess L~`` is used (``Radau`` or ``BDF``).

    Parameters
    ----------
    initial : array_like, shape (4,)
        ``(theta, w, a, b)`` at ``t = 0``.
    t_eval : array_like
        Increasing sample times in ``[0, t_max]``.
    """
    initial = _as_params(initial)
    if initial.shape != (4,):
        raise ValueError(f"initial point must have shape (4,), got {initial.shape}")
    t_eval = np.asarray(t_eval, dtype=float)
    if t_eval.ndim != 1 or t_eval[0] < 0 or np.any(np.diff(t_eval) <= 0):
        raise ValueError("t_eval must be an increasing 1-d array of non-negative times")
    if method not in ("Radau", "BDF"):
        raise ValueError(f"use an implicit method (Radau or BDF), got {method!r}")
    solution = solve_ivp(
        lambda _t, p: -modified_loss_gradient(p, setting),
        (0.0, float(t_eval[-1])),
        initial,
        method=method,
        jac=lambda _t, p: -modified_loss_hessian(p, setting),
        t_eval=t_eval,
        rtol=rtol,
        atol=1e-14,
    )
    if not solution.success:
        raise RuntimeError(f"gradient flow integration failed: {solution.message}")
    params = solution.y.T
    return FlowResult(
        t=t_eval,
        params=params,
        loss=modified_loss(params, setting),
        original=original_loss(params[:, THETA_INDEX], setting),
        grad_norm=np.linalg.norm(modified_loss_gradient(params, setting), axis=-1),
        z=params[:, W_INDEX] * setting.x + params[:, B_INDEX],
    )


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


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------


def plot_trajectories(flows: dict[str, FlowResult], setting: ToySetting, path: Path) -> None:
    """Loss, original loss and added parameters along the gradient flows (log axes)."""
    from matplotlib.lines import Line2D

    labels = {key: rf"$\theta_0={flow.params[0, THETA_INDEX]:g}$" for key, flow in flows.items()}
    kappa, lam = setting.kappa, setting.lam
    pale = {"alpha": 0.45, "linewidth": 2.2}
    with figstyle.figure(width=1.0, aspect=0.4, ncols=2) as (fig, (left, right)):
        run_handles = []
        for index, (key, flow) in enumerate(flows.items()):
            keep = flow.t > 0
            color, style = figstyle.COLORS[index], figstyle.LINESTYLES[index]
            left.loglog(flow.t[keep], np.maximum(flow.loss[keep], 1e-30), color=color, linestyle=style)
            left.loglog(flow.t[keep], np.maximum(flow.original[keep], 1e-30), color=color, linestyle=style,
                        **pale)
            run_handles.append(Line2D([], [], color=color, linestyle=style, label=labels[key]))
            if key != "good":
                right.loglog(flow.t[keep], np.abs(flow.params[keep, A_INDEX]), color=color, linestyle=style)
                right.loglog(flow.t[keep], np.exp(2.0 * flow.z[keep]), color=color, linestyle=style, **pale)
        t = flows["bad"].t[flows["bad"].t >= 1]
        left.loglog(t, 1.0 / (4.0 * kappa * t), color="black", linestyle=":")
        right.loglog(t, 4.0 * kappa * lam * t, color="black", linestyle=":")
        right.loglog(t, 1.0 / (2.0 * np.sqrt(kappa * lam * t)), color="black", linestyle=":")
        limit = Line2D([], [], color="black", linestyle=":", label="proved limit")
        left.legend(handles=run_handles + [
            Line2D([], [], color="grey", label=r"$\tilde L$"),
            Line2D([], [], color="grey", label=r"$L(\theta)$", **pale),
            limit,
        ], loc="lower right")
        right.legend(handles=run_handles[:2] + [
            Line2D([], [], color="grey", label=r"$|a|$"),
            Line2D([], [], color="grey", label=r"$e^{2z}$", **pale),
            limit,
        ], loc="upper left", ncols=2)
        left.set_ylim(1e-12, 10.0)
        left.set_xlabel("time $t$ of the gradient flow")
        left.set_ylabel("loss")
        right.set_xlabel("time $t$ of the gradient flow")
        right.set_ylabel("added parameters")
        figstyle.save(fig, path)


def plot_landscape(setting: ToySetting, flow: FlowResult, path: Path) -> None:
    """``log10 L~`` over ``(z, a)`` at the bad ``theta`` and the loss along the valley floor."""
    theta = flow.params[0, THETA_INDEX]
    offset = float(cubic_model(theta)) - setting.y
    z_grid = np.linspace(-3.0, 6.0, 361)
    a_grid = np.linspace(-1.2, 0.4, 321)
    zz, aa = np.meshgrid(z_grid, a_grid)
    points = np.stack([np.full_like(zz, theta), np.zeros_like(zz), aa, zz], axis=-1)
    values = np.log10(modified_loss(points, setting))
    floor_a, floor_loss = valley_floor(z_grid, offset, setting.lam)
    with figstyle.figure(width=1.0, aspect=0.38, ncols=2) as (fig, (left, right)):
        contours = left.contourf(zz, aa, values, levels=np.arange(-3.0, 1.51, 0.25), cmap="viridis",
                                 extend="both")
        fig.colorbar(contours, ax=left, label=r"$\log_{10}\tilde L$", ticks=[-3, -2, -1, 0, 1])
        left.plot(z_grid, floor_a, color="white", linestyle="--", label=r"valley floor $a^*(z)$")
        keep = flow.z <= z_grid[-1]
        left.plot(flow.z[keep], flow.params[keep, A_INDEX], color=figstyle.COLORS[1],
                  label="gradient flow")
        left.set_xlabel(r"$z = wx + b$")
        left.set_ylabel("$a$")
        left.grid(False)
        left.legend(loc="lower right")
        right.semilogy(z_grid, floor_loss, color=figstyle.COLORS[0], label=r"valley floor $\tilde L(a^*(z))$")
        keep = (flow.z >= z_grid[0]) & (flow.z <= z_grid[-1])
        right.semilogy(flow.z[keep][::6], flow.loss[keep][::6], "o", color=figstyle.COLORS[2], markersize=2.5,
                       fillstyle="none", label="gradient flow")
        right.semilogy(z_grid, np.full_like(z_grid, offset**2), color=figstyle.COLORS[1],
                       linestyle="--", label=r"$L(\theta_b)$")
        right.set_xlabel(r"$z = wx + b$")
        right.set_ylabel("loss at the bad $\\theta$")
        right.legend(loc="lower left")
        figstyle.save(fig, path)


def plot_families(t, theta: float, setting: ToySetting, path: Path) -> None:
    """Loss and gradient norm along both families of approximate stationary points."""
    general = escape_family_general(t, theta, setting)
    valley = escape_family_valley(t, theta, setting)
    general_loss, general_grad = escape_family_general_prediction(t, theta, setting)
    valley_loss, valley_grad = escape_family_valley_prediction(t, theta, setting)
    with figstyle.figure(width=0.8, aspect=0.42) as (fig, ax):
        for points, loss, grad, name, color in (
            (general, general_loss, general_grad, "A", figstyle.COLORS[0]),
            (valley, valley_loss, valley_grad, "B", figstyle.COLORS[1]),
        ):
            width = 2.4 if name == "A" else 1.0
            ax.semilogy(t, loss, color=color, linewidth=width, alpha=0.5 if name == "A" else 1.0,
                        label=rf"$\tilde L$ on family {name}")
            ax.semilogy(t, grad, color=color, linestyle="--", label=rf"$\|\nabla\tilde L\|$ on family {name}")
            ax.semilogy(t[::4], modified_loss(points, setting)[::4], "o", color=color, markersize=2.5,
                        fillstyle="none")
            ax.semilogy(t[::4], np.linalg.norm(modified_loss_gradient(points, setting), axis=-1)[::4],
                        "s", color=color, markersize=2.5, fillstyle="none")
        ax.set_xlabel("escape parameter $t = b$")
        ax.set_ylabel("loss, gradient norm")
        ax.legend(loc="lower left")
        figstyle.save(fig, path)


def plot_constant_step(runs: dict[float, np.ndarray], flow: FlowResult, setting: ToySetting,
                       offset: float, path: Path) -> None:
    """Constant-step gradient descent against gradient flow, in flow time ``t = k eta``."""
    with figstyle.figure(width=0.8, aspect=0.42) as (fig, ax):
        keep = flow.t > 0
        ax.loglog(flow.t[keep], flow.loss[keep], color="black", label="gradient flow")
        for index, (step, losses) in enumerate(runs.items()):
            times = step * np.arange(len(losses))
            stride = max(len(losses) // 4000, 1)
            color = figstyle.COLORS[index]
            ax.loglog(times[1::stride], losses[1::stride], color=color, linewidth=0.6,
                      label=rf"descent, $\eta={step:g}$")
            ax.axhline(step * setting.lam * offset**2, color=color, linestyle="--", linewidth=0.8)
        ax.set_xlim(1e-1, flow.t[-1])
        ax.set_xlabel(r"time $t = k\eta$")
        ax.set_ylabel(r"$\tilde L$")
        ax.legend(loc="lower left")
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
    led.parameter("lam", setting.lam, description="penalty weight lambda of the toy experiments",
                  style="fixed", digits=1)
    led.parameter("x", setting.x, description="input of the single data point", style="int")
    led.parameter("kappa", setting.kappa, description="kappa, one plus the squared input", style="int")

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
    led.claim("nonconvex_min_increase", min_increase, greater_than(0.0),
              source=nonconvex_perturbation_test,
              description="smallest increase of the modified loss over random perturbations of the "
                          "bad point of the non-convex example")
    led.claim("nonconvex_inside", inside, equals(n_samples), source=nonconvex_perturbation_test,
              description="perturbed points inside the neighbourhood on which local minimality is proved",
              style="int")

    # Part 2: gradient flow from the bad minimum, a perturbed start and the good basin
    t_end, t_good = 1e5, 100.0
    theta_perturbed, theta_good = 2.5, 0.8
    t_eval = np.concatenate([[0.0], np.logspace(-3, 5, 321)])
    flows = {
        "bad": gradient_flow([BAD_MINIMUM, 0.0, 0.0, 0.0], t_eval, setting),
        "perturbed": gradient_flow([theta_perturbed, 0.0, 0.0, 0.0], t_eval, setting),
        "good": gradient_flow([theta_good, 0.0, 0.0, 0.0], t_eval[t_eval <= t_good], setting),
    }
    bad = flows["bad"]
    led.parameter("theta_perturbed", theta_perturbed, description="initial theta of the perturbed bad flow",
                  style="fixed", digits=1)
    led.parameter("theta_good", theta_good, description="initial theta of the good flow", style="fixed", digits=1)
    led.parameter("t_end", t_end, description="final time of the bad gradient flows", style="sci", digits=1)
    led.parameter("t_good", t_good, description="final time of the good gradient flow", style="int")

    check_flow = gradient_flow([BAD_MINIMUM, 0.0, 0.0, 0.0], t_eval, setting, method="BDF", rtol=1e-11)
    led.claim("flow_integrator_difference", float(np.max(np.abs(check_flow.loss - bad.loss) / bad.loss)),
              at_most(1e-6), source=gradient_flow,
              description="largest relative difference of the modified loss along the bad flow between "
                          "the Radau and BDF integrations")
    ratios = flow_limit_ratios(bad, setting)
    for key, text in (
        ("loss", "time times modified loss"),
        ("escape", "the exponential of 2z divided by time"),
        ("amplitude", "square root of time times a"),
        ("gradient", "time times gradient norm"),
    ):
        led.claim(f"flow_ratio_{key}", ratios[key], between(0.999, 1.001), source=flow_limit_ratios,
                  description=f"{text} at the final time of the bad flow, divided by its proved limit",
                  style="fixed", digits=5)
    window = (bad.t >= 1e3) & (bad.t <= t_end)
    led.claim("flow_loss_exponent", loglog_slope(bad.t[window], bad.loss[window]),
              between(-1.01, -0.99), source=loglog_slope,
              description="fitted power of time of the modified loss along the bad flow, times from 1000 "
                          "to the final time", style="fixed", digits=4)
    led.claim("flow_theta_drift", float(np.max(np.abs(bad.params[:, THETA_INDEX] - BAD_MINIMUM))),
              at_most(0.0), source=gradient_flow,
              description="largest distance of theta from the bad minimum along the flow started there")
    led.claim("flow_perturbed_min_original", float(np.min(flows["perturbed"].original)),
              at_least(float(offset**2)), source=gradient_flow,
              description="smallest original loss along the flow from the perturbed start",
              style="fixed", digits=6)
    led.claim("flow_perturbed_ratio_loss", flow_limit_ratios(flows["perturbed"], setting)["loss"],
              between(0.999, 1.001), source=flow_limit_ratios,
              description="time times modified loss at the final time of the perturbed flow, divided by "
                          "its limit for the unperturbed flow", style="fixed", digits=5)

    good = flows["good"]
    led.claim("flow_good_loss", float(good.loss[-1]), at_most(1e-20), source=gradient_flow,
              description="modified loss at the final time of the good flow")
    led.claim("flow_good_amplitude", float(abs(good.params[-1, A_INDEX])), at_most(1e-12), source=gradient_flow,
              description="absolute value of a at the final time of the good flow")
    half = int(np.searchsorted(good.t, t_good / 2))
    led.claim("flow_good_z_change", float(abs(good.z[-1] - good.z[half])), at_most(1e-10), source=gradient_flow,
              description="change of the pre-activation z over the second half of the good flow")

    curvature_ratio = (modified_loss_hessian(bad.params, setting)[:, A_INDEX, A_INDEX] * bad.loss
                       / (2.0 * setting.lam * offset**2))
    led.claim("curvature_bound_violation", float(max(0.0, 1.0 - np.min(curvature_ratio))), at_most(1e-12),
              source=modified_loss_hessian,
              description="largest relative violation of the curvature bound (4) along the bad flow")
    led.claim("curvature_ratio_end", float(curvature_ratio[-1]), between(0.9999, 1.001),
              source=modified_loss_hessian,
              description="curvature in a times modified loss over its lower bound, at the final time "
                          "of the bad flow", style="fixed", digits=6)

    # Part 2: the two families of approximate stationary points
    family_t = np.linspace(0.0, 10.0, 81)
    general_points = escape_family_general(family_t, BAD_MINIMUM, setting)
    valley_points = escape_family_valley(family_t, BAD_MINIMUM, setting)
    led.claim("family_general_error",
              family_formula_error(general_points, *escape_family_general_prediction(family_t, BAD_MINIMUM, setting),
                                   setting),
              at_most(1e-6), source=family_formula_error,
              description="largest relative error of the closed forms for loss and gradient norm on "
                          "family A, escape parameter from 0 to 10")
    led.claim("family_valley_error",
              family_formula_error(valley_points, *escape_family_valley_prediction(family_t, BAD_MINIMUM, setting),
                                   setting),
              at_most(1e-6), source=family_formula_error,
              description="largest relative error of the closed forms for loss and gradient norm on "
                          "family B, escape parameter from 0 to 10")
    tail = family_t >= 5.0
    for name, points, target in (("general", general_points, -1.0), ("valley", valley_points, -2.0)):
        led.claim(f"family_{name}_grad_rate",
                  semilog_slope(family_t[tail],
                                np.linalg.norm(modified_loss_gradient(points[tail], setting), axis=-1)),
                  between(target - 1e-3, target + 1e-3), source=semilog_slope,
                  description=f"fitted exponential rate of the gradient norm on family "
                              f"{'A' if name == 'general' else 'B'}, escape parameter from 5 to 10",
                  style="fixed", digits=4)
    led.claim("family_hessian_ratio", min_hessian_eigen_ratio(general_points, setting), at_least(-1e-12),
              source=min_hessian_eigen_ratio,
              description="smallest ratio of the least to the largest Hessian eigenvalue over family A, "
                          "escape parameter from 0 to 10")

    # Part 2: gradient descent with a constant step
    steps = (1e-2, 3e-3)
    descent_time = 400.0
    runs = {}
    for tag, step in zip(("1", "2"), steps):
        losses, pre_activation, _ = gradient_descent_constant_step(
            [BAD_MINIMUM, 0.0, 0.0, 0.0], step, int(round(descent_time / step)), setting)
        runs[step] = losses
        median_ratio, median_curvature = constant_step_statistics(losses, pre_activation, step, setting, offset)
        led.claim(f"descent_floor_ratio_{tag}", median_ratio, between(0.8, 1.25),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of the modified loss divided by "
                              f"eta lambda c^2, step {step:g}", style="fixed", digits=3)
        led.claim(f"descent_curvature_{tag}", median_curvature, between(1.8, 2.2),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of the step times the curvature "
                              f"in a, step {step:g}", style="fixed", digits=3)
        led.parameter(f"step_{tag}", step, description="constant step of a descent run", style="sci", digits=1)
    led.parameter("descent_time", descent_time, description="flow time covered by each descent run", style="int")
    flow_at_end = float(np.interp(descent_time, bad.t, bad.loss))
    late = runs[steps[0]][len(runs[steps[0]]) // 2:]
    led.claim("descent_over_flow", float(np.median(late)) / flow_at_end, at_least(5.0),
              source=gradient_descent_constant_step,
              description="median late loss of descent with the first step, divided by the loss of the "
                          "gradient flow at the same time", style="fixed", digits=1)

    plot_trajectories(flows, setting, figures_dir / "p4_trajectories.pdf")
    led.figure("trajectories", "p4_trajectories.pdf", source=plot_trajectories)
    plot_landscape(setting, bad, figures_dir / "p4_landscape.pdf")
    led.figure("landscape", "p4_landscape.pdf", source=plot_landscape)
    plot_families(family_t, BAD_MINIMUM, setting, figures_dir / "p4_families.pdf")
    led.figure("families", "p4_families.pdf", source=plot_families)
    plot_constant_step(runs, bad, setting, offset, figures_dir / "p4_constant_step.pdf")
    led.figure("constant_step", "p4_constant_step.pdf", source=plot_constant_step)
    return led
