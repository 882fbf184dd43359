"""Part 2: gradient flows from many starts -- the orbit of ``theta`` and the bias identity.

The write-up proves two statements about every gradient flow of ``L~``: the
parameter ``theta`` stays on the orbit of ``-grad f`` through its start
(:func:`orbit_interval`), so a flow started in the basin of a bad minimum
never reaches a lower original loss; and ``b - a^2/2`` grows at the rate
``2 lambda a^2``.  :func:`gradient_flow_batch` integrates flows from many
random starts at once, and :func:`orbit_statistics` and
:func:`bias_identity_residual` measure how far they are from the two
statements; :func:`batch_dissipation_error` checks that the flows are
gradient flows of the loss.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import odeint

from generator.problem4.flows import _check_times
from generator.problem4.modified import modified_loss
from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    MODEL_CRITICAL_POINTS,
    THETA_INDEX,
    ToySetting,
    _as_params,
    cubic_model,
    original_loss,
    w_slice,
)


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
    """Gradient flows of ``L~`` from many starts, with the running integrals of ``a^2`` and ``|P'|^2``.

    The flows are independent; they are integrated as one system (per start
    ``(theta, w, a, b)``, ``J' = a^2`` and ``D' = |P'|^2``) so that one ``odeint``
    (LSODA) call serves them all, with the block-diagonal Jacobian as a banded
    matrix, computed by complex-step differentiation of the field itself (so it
    always belongs to the field integrated); a Python loop over
    :func:`~generator.problem4.flows.gradient_flow` costs several times as much
    CPU time.  ``J(t) = int_0^t a^2`` enters the identity
    ``b - a^2/2 = b_0 - a_0^2/2 + 2 lambda J`` of the write-up
    (:func:`bias_identity_residual`), and ``D`` the dissipation identity
    ``L~(P(t)) + D(t) = L~(P(0))`` (:func:`batch_dissipation_error`).

    Parameters
    ----------
    starts : array_like, shape (N, d + 3)
        Initial points ``(theta, w, a, b)``.
    t_eval : array_like
        Increasing sample times starting at ``0``.

    Returns
    -------
    params : ndarray, shape (len(t_eval), N, d + 3)
    integrals : ndarray, shape (len(t_eval), N, 2)
        ``int_0^t a^2`` and ``int_0^t |P'|^2``.
    """
    setting.require_plain_point()
    starts = _as_params(starts, setting)
    if starts.ndim != 2:
        raise ValueError(f"starts must have shape (N, d + 3), got {starts.shape}")
    t_eval = _check_times(t_eval)
    if not 0 < rtol < 1e-3:
        raise ValueError(f"rtol must be in (0, 1e-3), got {rtol}")
    n_starts, d = starts.shape[0], setting.d
    block = d + 5
    x, y, lam = setting.x, setting.y, setting.lam

    def field(state, _t):
        # Written out instead of calling modified_loss_gradient: this runs thousands of
        # times, and the validation and stacking there would double its cost.  Complex
        # states are allowed, for the Jacobian below.
        state = state.reshape(n_starts, block)
        theta, a, b = state[:, THETA_INDEX], state[:, d + 1], state[:, d + 2]
        u = np.exp(state[:, 1:d + 1] @ x + b)
        residual = theta * (2.0 * theta * theta - 9.0 * theta + 12.0) / 4.0 + a * u - y
        grad_z = 2.0 * residual * a * u
        derivative = np.empty((n_starts, block), dtype=state.dtype)
        derivative[:, THETA_INDEX] = -3.0 * residual * (theta - 1.0) * (theta - 2.0)
        derivative[:, 1:d + 1] = -grad_z[:, None] * x
        derivative[:, d + 1] = -2.0 * (residual * u + lam * a)
        derivative[:, d + 2] = -grad_z
        derivative[:, d + 3] = a * a
        derivative[:, d + 4] = np.sum(derivative[:, :d + 3] ** 2, axis=1)  # a sum of squares, not |.|^2
        return derivative.ravel()

    rows, cols = np.meshgrid(np.arange(block), np.arange(block), indexing="ij")
    band_rows = np.broadcast_to(block - 1 + rows - cols, (n_starts, block, block))
    band_cols = block * np.arange(n_starts)[:, None, None] + cols

    def jacobian(state, _t):
        # Complex-step differentiation of the field itself, one coordinate of every block at
        # a time (the blocks are independent): exact to rounding, and always the Jacobian of
        # the field integrated.  LSODA's banded layout puts entry (i, j) at band[mu + i - j, j].
        step = 1e-30
        blocks = np.empty((n_starts, block, block))
        for j in range(block):
            shifted = state.reshape(n_starts, block).astype(complex)
            shifted[:, j] += 1j * step
            blocks[:, :, j] = field(shifted.ravel(), _t).reshape(n_starts, block).imag / step
        band = np.zeros((2 * block - 1, block * n_starts))
        band[band_rows, band_cols] = blocks
        return band

    initial = np.column_stack([starts, np.zeros((n_starts, 2))]).ravel()
    states, info = odeint(field, initial, t_eval, Dfun=jacobian, ml=block - 1, mu=block - 1, rtol=rtol,
                          atol=1e-14, mxstep=100000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"batched gradient flow integration failed: {info['message']}")
    states = states.reshape(t_eval.size, n_starts, block)
    return states[..., :d + 3], states[..., d + 3:]


def batch_dissipation_error(params, integrals, setting: ToySetting) -> float:
    """Largest ``|L~(P(t)) + int_0^t |P'|^2 - L~(P(0))|`` over the flows and times, relative to ``L~(P(0))``.

    ``params`` and ``integrals`` are the output of :func:`gradient_flow_batch`;
    ``L~`` is evaluated by :func:`~generator.problem4.modified.modified_loss`.
    """
    params = np.asarray(params, dtype=float)
    integrals = np.asarray(integrals, dtype=float)
    if params.ndim != 3 or integrals.shape != params.shape[:-1] + (2,):
        raise ValueError("need params of shape (T, N, d + 3) and integrals of shape (T, N, 2)")
    loss = modified_loss(params, setting)
    return float(np.max(np.abs(loss + integrals[..., 1] - loss[0]) / loss[0]))


def bias_identity_residual(params, integrals, setting: ToySetting) -> float:
    """Largest violation of ``b(t) - a(t)^2/2 = b(0) - a(0)^2/2 + 2 lambda int_0^t a^2``.

    The identity follows from ``a dL~/da - dL~/db = 2 lambda a^2`` (write-up) and
    holds along every gradient flow of ``L~``; ``params`` and ``integrals`` are
    the output of :func:`gradient_flow_batch`.
    """
    params = np.asarray(params, dtype=float)
    integrals = np.asarray(integrals, dtype=float)
    if params.ndim != 3 or integrals.shape != params.shape[:-1] + (2,):
        raise ValueError("need params of shape (T, N, d + 3) and integrals of shape (T, N, 2)")
    monotone_part = params[..., B_INDEX] - 0.5 * params[..., A_INDEX] ** 2
    return float(np.max(np.abs(monotone_part - monotone_part[0] - 2.0 * setting.lam * integrals[..., 0])))


def flow_residuals(params, setting: ToySetting) -> np.ndarray:
    """The residual ``q(theta) + a e^z - y`` (half of ``l'(yhat)``) along sampled flows, shape ``(T, N)``."""
    params = np.asarray(params, dtype=float)
    if params.ndim != 3 or params.shape[-1] != setting.d + 3:
        raise ValueError(f"params must have shape (T, N, d + 3), got {params.shape}")
    z = params[..., w_slice(setting.d)] @ setting.x + params[..., B_INDEX]
    return cubic_model(params[..., THETA_INDEX]) + params[..., A_INDEX] * np.exp(z) - setting.y


def sign_changing(residual) -> np.ndarray:
    """Which flows (columns of ``residual``, shape ``(T, N)``) take both signs beyond their own rounding level.

    A residual that tends to 0 takes both signs at the level of rounding; only
    values beyond a millionth of the flow's own largest absolute value count, so
    the answer for a flow does not depend on the other flows, nor on the unit of
    its residual.
    """
    residual = np.asarray(residual, dtype=float)
    if residual.ndim != 2:
        raise ValueError(f"residual must have shape (T, N), got {residual.shape}")
    tolerance = 1e-6 * np.max(np.abs(residual), axis=0)
    return np.any(residual > tolerance, axis=0) & np.any(residual < -tolerance, axis=0)


def orbit_statistics(params, setting: ToySetting) -> tuple[float, float, int, int]:
    """Check the orbit theorem of the write-up on flows from many starts.

    Parameters
    ----------
    params : ndarray, shape (T, N, d + 3)
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
        Number of flows along which the residual (:func:`flow_residuals`) takes
        both signs (:func:`sign_changing`), that is, along which ``theta`` moves in
        both directions of its orbit.
    bad_starts : int
        Number of flows started in the basin ``(1, inf)`` (those behind ``min_original_bad``).
    """
    params = np.asarray(params, dtype=float)
    if params.ndim != 3 or params.shape[-1] != setting.d + 3:
        raise ValueError(f"params must have shape (T, N, d + 3), got {params.shape}")
    theta = params[..., THETA_INDEX]
    low, high = orbit_interval(theta[0])
    excursion = float(np.max(np.maximum(np.maximum(low - theta, theta - high), 0.0)))
    bad = theta[0] > MODEL_CRITICAL_POINTS[0]
    if not np.any(bad):
        raise ValueError("no flow starts in the basin (1, inf) of the bad minimum")
    min_original_bad = float(np.min(original_loss(theta[:, bad], setting)))
    sign_changes = int(np.count_nonzero(sign_changing(flow_residuals(params, setting))))
    return excursion, min_original_bad, sign_changes, int(np.count_nonzero(bad))
