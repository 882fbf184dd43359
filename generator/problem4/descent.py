"""Part 2: gradient descent with a constant step on the toy ``L~``.

The curvature ``d^2L~/da^2 = 2 (e^{2z} + lambda)`` grows along the valley, so
descent with a constant step ``eta`` stalls at the stability edge: the write-up
predicts that late in the run ``eta d^2L~/da^2`` stays near 2 and ``L~`` near
``eta lambda c^2`` (:func:`constant_step_statistics`), above the flow's loss at
the same time (:func:`descent_over_flow`).
"""

from __future__ import annotations

import math

import numpy as np

from generator.problem4.flows import FlowResult
from generator.problem4.modified import modified_loss, modified_loss_gradient, modified_loss_hessian
from generator.problem4.toy_model import A_INDEX, ToySetting, _as_params


def gradient_descent_constant_step(initial, step: float, n_steps: int, setting: ToySetting):
    """Plain gradient descent ``P_{k+1} = P_k - eta grad L~(P_k)`` on the toy ``L~`` (one data point).

    A scalar loop over Python floats: with a handful of parameters the per-call
    overhead of numpy would dominate.  :func:`descent_step_error` checks every
    step against :func:`~generator.problem4.modified.modified_loss_gradient`.

    Returns
    -------
    params : ndarray, shape (n_steps + 1, d + 3)
        The iterates (row ``k`` after ``k`` steps).
    losses : ndarray, shape (n_steps + 1,)
        ``L~(P_k)``.
    """
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    if n_steps < 1:
        raise ValueError(f"n_steps must be positive, got {n_steps}")
    setting.require_plain_point()
    initial = _as_params(initial, setting)
    x, y, lam, d = tuple(float(v) for v in setting.x), setting.y, setting.lam, setting.d
    theta, *w, a, b = initial.tolist()
    params = np.empty((n_steps + 1, d + 3))
    losses = np.empty(n_steps + 1)
    for k in range(n_steps + 1):
        params[k] = (theta, *w, a, b)
        u = math.exp(b + sum(wi * xi for wi, xi in zip(w, x)))
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        losses[k] = residual * residual + lam * a * a
        grad_theta = 3.0 * residual * (theta - 1.0) * (theta - 2.0)
        grad_z = 2.0 * residual * a * u
        grad_a = 2.0 * residual * u + 2.0 * lam * a
        theta -= step * grad_theta
        w = [wi - step * grad_z * xi for wi, xi in zip(w, x)]
        b -= step * grad_z
        a -= step * grad_a
    return params, losses


def descent_step_error(params, losses, step: float, setting: ToySetting) -> float:
    """Largest deviation of a descent run from ``P_{k+1} = P_k - eta grad L~(P_k)`` and ``L~(P_k)``.

    Every step of ``params`` (from :func:`gradient_descent_constant_step`) is
    recomputed with :func:`~generator.problem4.modified.modified_loss_gradient`, and
    every loss with :func:`~generator.problem4.modified.modified_loss`; returns the
    larger of the two largest relative deviations (steps relative to
    ``max(1, |P_k|)``, losses relative to the loss).
    """
    params = np.asarray(params, dtype=float)
    losses = np.asarray(losses, dtype=float)
    if params.ndim != 2 or params.shape[0] < 2 or losses.shape != params.shape[:1]:
        raise ValueError("need at least two iterates and one loss per iterate")
    predicted = params[:-1] - step * modified_loss_gradient(params[:-1], setting)
    scale = np.maximum(1.0, np.linalg.norm(params[:-1], axis=-1))
    step_error = np.max(np.linalg.norm(params[1:] - predicted, axis=-1) / scale)
    loss_error = np.max(np.abs(losses - modified_loss(params, setting)) / modified_loss(params, setting))
    return float(max(step_error, loss_error))


def constant_step_statistics(params, losses, step: float, setting: ToySetting, offset: float):
    """Late-phase statistics of constant-step descent (second half of the run).

    Returns the medians of ``L~ / (eta lambda c^2)`` and of ``eta d^2L~/da^2``,
    the curvature along ``a`` evaluated by
    :func:`~generator.problem4.modified.modified_loss_hessian`; the write-up
    predicts both near 1 and 2.
    """
    late = slice(len(losses) // 2, None)
    floor = step * setting.lam * offset**2
    curvature = step * modified_loss_hessian(np.asarray(params)[late], setting)[:, A_INDEX, A_INDEX]
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
