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
from generator.problem4.toy_model import ToySetting, _as_params


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
