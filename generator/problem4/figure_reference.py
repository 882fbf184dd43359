"""What the two figures of Problem 4 should show, computed independently of :mod:`generator.problem4.figures`.

The figure functions return :func:`generator.figstyle.drawn` of what they
drew: one ``(n, 2)`` array per artist, axes by axes (lines, then collections,
then patches).  The functions here rebuild, in the same order, what each
caption says the artist shows, from the mathematical functions and closed
forms of the toy model, not from the derived arrays the figure functions
receive: losses are evaluated from the parameters of the flows by the explicit
formula ``L~ = (q(theta) + a e^z - y)^2 + lambda a^2`` (one data point),
``z = w^T x + b`` from ``w`` and ``b``, the guide curves from the proved limits
with ``kappa = 1 + |x|^2`` and ``r_f = q(theta_b) - y``, the heuristic slope
from ``-L''(theta_b) / (4 kappa L(theta_b))`` with the derivatives of ``q`` written
out.  :func:`figure_deviation` compares the two lists.

An entry of a reference list is ``(points, x_log, y_log)``, or ``None`` for an
artist that is not compared (the filled contours and the colour bar), which
must still be there.
"""

from __future__ import annotations

import math

import numpy as np

from generator.problem4.flows import FlowResult
from generator.problem4.modified import modified_loss_gradient
from generator.problem4.toy_model import A_INDEX, B_INDEX, THETA_INDEX, ToySetting, w_slice
from generator.problem4.valley import escape_family_general, escape_family_valley

LOSS_CLAMP = 1e-30
"""The left panel of the flow figure draws ``max(loss, LOSS_CLAMP)`` on its log axis."""

LOG_FLOOR = 1e-12
"""On a log axis, deviations are relative to ``max(|reference|, LOG_FLOOR)``: the good flow's loss falls to
``1e-20``, where a loss evaluated in two ways differs by the rounding of its residual; the left panel of the
flow figure shows losses down to ``1e-12`` only."""


def _q(theta):
    """``q(theta) = theta (2 theta^2 - 9 theta + 12) / 4``, written out again."""
    theta = np.asarray(theta, dtype=float)
    return 0.5 * theta**3 - 2.25 * theta**2 + 3.0 * theta


def _single_point(setting: ToySetting) -> tuple[np.ndarray, float]:
    if setting.m != 1 or not np.all(setting.features == 1.0):
        raise ValueError("the figures show the toy model with one data point and feature 1")
    return np.asarray(setting.inputs, dtype=float).reshape(-1), float(np.asarray(setting.targets).reshape(-1)[0])


def _pre_activation(params: np.ndarray, setting: ToySetting) -> np.ndarray:
    x, _ = _single_point(setting)
    return params[:, w_slice(x.size)] @ x + params[:, B_INDEX]


def _loss(params: np.ndarray, setting: ToySetting) -> np.ndarray:
    """``(q(theta) + a e^z - y)^2 + lambda a^2`` at each row of ``params``."""
    _, y = _single_point(setting)
    a = params[:, A_INDEX]
    return (_q(params[:, THETA_INDEX]) + a * np.exp(_pre_activation(params, setting)) - y) ** 2 + setting.lam * a * a


def _original(theta, setting: ToySetting) -> np.ndarray:
    _, y = _single_point(setting)
    return (_q(theta) - y) ** 2


def _bins(times, values, n_bins: int):
    """Centres (geometric), medians and maxima of ``values`` over ``n_bins`` logarithmic bins of ``times > 0``."""
    keep = times > 0
    times, values = times[keep], values[keep]
    edges = np.exp(np.linspace(math.log(times[0]), math.log(times[-1] * (1 + 1e-12)), n_bins + 1))
    edges[0], edges[-1] = times[0], times[-1] * (1 + 1e-12)
    which = np.digitize(times, edges) - 1
    rows = [(math.sqrt(edges[k] * edges[k + 1]), np.median(values[which == k]), np.max(values[which == k]))
            for k in range(n_bins) if np.any(which == k)]
    return tuple(np.array(column) for column in zip(*rows))


def flows_figure_reference(flows: dict[str, FlowResult], runs: dict[float, np.ndarray], setting: ToySetting,
                           theta_b: float) -> list:
    """What the caption of the flow figure says its three panels show, in drawing order."""
    x, y = _single_point(setting)
    kappa, lam = 1.0 + float(x @ x), setting.lam
    offset = float(_q(theta_b)) - y
    expected = []
    # Left: L~ and L(theta) along each flow, then the limit 1/(4 kappa t) for t >= 1.
    for flow in flows.values():
        keep = flow.t > 0
        t, params = flow.t[keep], flow.params[keep]
        expected.append((np.column_stack([t, np.maximum(_loss(params, setting), LOSS_CLAMP)]), True, True))
        expected.append((np.column_stack([t, np.maximum(_original(params[:, THETA_INDEX], setting), LOSS_CLAMP)]),
                         True, True))
    bad, perturbed = flows["bad"], flows["perturbed"]
    late = bad.t[bad.t >= 1]
    expected.append((np.column_stack([late, 1.0 / (4.0 * kappa * late)]), True, True))
    # Middle: |a| and e^{2z} on the bad flow with their limits 4 kappa lambda r_f^2 t and 1/(2 sqrt(kappa lambda t)),
    # |theta - theta_b| on the perturbed flow and a line of slope -L''(theta_b)/(4 kappa L(theta_b)).
    keep = bad.t > 0
    t = bad.t[keep]
    expected.append((np.column_stack([t, np.abs(bad.params[keep, A_INDEX])]), True, True))
    expected.append((np.column_stack([t, np.exp(2.0 * _pre_activation(bad.params[keep], setting))]), True, True))
    expected.append((np.column_stack([late, 4.0 * kappa * lam * offset**2 * late]), True, True))
    expected.append((np.column_stack([late, 1.0 / (2.0 * np.sqrt(kappa * lam * late))]), True, True))
    gap = np.abs(perturbed.params[:, THETA_INDEX] - theta_b)
    keep = perturbed.t > 0
    expected.append((np.column_stack([perturbed.t[keep], gap[keep]]), True, True))
    q_second = 3.0 * theta_b - 4.5  # q'' of q = theta^3/2 - 9 theta^2/4 + 3 theta
    q_first = 1.5 * theta_b**2 - 4.5 * theta_b + 3.0
    exponent = -(2.0 * q_first**2 + 2.0 * offset * q_second) / (4.0 * kappa * offset**2)
    tail = perturbed.t >= 1e2
    start_t, start_gap = perturbed.t[tail][0], gap[tail][0]
    expected.append((np.column_stack([perturbed.t[tail], 2.0 * start_gap * (perturbed.t[tail] / start_t) ** exponent]),
                     True, True))
    # Right: the bad flow's L~ for 0.1 <= t <= end of the runs; per run the binned maximum and median of the
    # descent loss against k eta, and the level eta lambda r_f^2 from the time 1/(4 kappa eta lambda r_f^2).
    end = max(step * (len(losses) - 1) for step, losses in runs.items())
    keep = (bad.t >= 1e-1) & (bad.t <= end)
    expected.append((np.column_stack([bad.t[keep], _loss(bad.params[keep], setting)]), True, True))
    for step, losses in runs.items():
        centres, medians, maxima = _bins(step * np.arange(len(losses)), np.asarray(losses, dtype=float), 48)
        expected.append((np.column_stack([centres, maxima]), True, True))
        expected.append((np.column_stack([centres, medians]), True, True))
        level = step * lam * offset**2
        expected.append((np.array([[1.0 / (4.0 * kappa * level), level], [end, level]]), True, True))
    return expected


def landscape_figure_reference(flow: FlowResult, beta, setting: ToySetting, theta_b: float) -> list:
    """What the caption of the landscape figure says its panels show, in drawing order."""
    x, y = _single_point(setting)
    lam = setting.lam
    offset = float(_q(theta_b)) - y
    beta = np.asarray(beta, dtype=float)
    # Left: the valley floor a*(z) = -r_f e^z / (e^{2z} + lambda) on the drawn z range, the flow's path (z, a)
    # up to z = 6, and the filled contours (not compared).
    z_grid = np.linspace(-3.0, 6.0, 181)
    floor = -offset * np.exp(z_grid) / (np.exp(2.0 * z_grid) + lam)
    z = _pre_activation(flow.params, setting)
    path = z <= z_grid[-1]
    expected = [(np.column_stack([z_grid, floor]), False, False),
                (np.column_stack([z[path], flow.params[path, A_INDEX]]), False, False), None]
    # Right: per family the loss and gradient norm against beta (lines) and at every tenth point (markers),
    # then L~ and |grad L~| along the flow at beta = z(t), every eighth sample time in the beta range.
    for points, first in ((escape_family_general(beta, theta_b, setting), 0),
                          (escape_family_valley(beta, theta_b, setting), 5)):
        loss = _loss(points, setting)
        grad = np.linalg.norm(modified_loss_gradient(points, setting), axis=-1)
        shown = slice(first, None, 10)
        expected += [(np.column_stack([beta, loss]), False, True), (np.column_stack([beta, grad]), False, True),
                     (np.column_stack([beta[shown], loss[shown]]), False, True),
                     (np.column_stack([beta[shown], grad[shown]]), False, True)]
    on_range = (z >= beta[0]) & (z <= beta[-1])
    params = flow.params[on_range][::8]
    z_shown = _pre_activation(params, setting)
    expected.append((np.column_stack([z_shown, _loss(params, setting)]), False, True))
    expected.append((np.column_stack([z_shown, np.linalg.norm(modified_loss_gradient(params, setting), axis=-1)]),
                     False, True))
    # The colour bar: its outline, extension triangles and colour patches (not compared).
    expected += [None] * 4
    return expected


LANDSCAPE_WINDOW = ((-3.0, 6.0), (-1.2, 0.3))
"""The ``(z, a)`` window of the landscape figure's left panel."""

LANDSCAPE_LOG_LEVELS = np.linspace(-3.0, 1.5, 10)
"""The decimal logarithms of the levels of its filled contours of ``L~``."""


def contour_level_distance(points: np.ndarray, setting: ToySetting, theta_b: float) -> float:
    """Median distance, in decades, of ``L~`` at the boundary points of the filled contours from the nearest level.

    ``points`` are the vertices of the filled contours of the landscape figure
    (the collection that :func:`landscape_figure_reference` does not compare);
    those on the frame of the window are left out.  ``L~`` is evaluated at
    ``theta = theta_b`` by the explicit formula, so contours of another function,
    or with ``z`` and ``a`` swapped, sit far from the levels.  A median, because
    the polygons also carry vertices where a boundary meets the frame or closes.
    """
    _, y = _single_point(setting)
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or not np.all(np.isfinite(points)):
        return math.inf
    (z_low, z_high), (a_low, a_high) = LANDSCAPE_WINDOW
    z, a = points[:, 0], points[:, 1]
    margin = 1e-9
    inner = (z > z_low + margin) & (z < z_high - margin) & (a > a_low + margin) & (a < a_high - margin)
    if np.count_nonzero(inner) < 100:
        return math.inf
    z, a = z[inner], a[inner]
    loss = (float(_q(theta_b)) - y + a * np.exp(z)) ** 2 + setting.lam * a * a
    distance = np.min(np.abs(np.log10(loss)[:, None] - LANDSCAPE_LOG_LEVELS[None, :]), axis=1)
    return float(np.median(distance))


def figure_deviation(drawn: list[np.ndarray], expected: list) -> float:
    """Largest deviation of the drawn arrays from the reference; ``inf`` if the artists do not match.

    On a log axis the deviation of a coordinate is relative to the reference value (at least ``LOG_FLOOR``),
    on a linear axis relative to the largest reference value of that coordinate
    in the same artist.
    """
    if len(drawn) != len(expected):
        return math.inf
    worst = 0.0
    for points, reference in zip(drawn, expected):
        if reference is None:
            continue
        target, x_log, y_log = reference
        points = np.asarray(points, dtype=float)
        if points.shape != target.shape or not np.all(np.isfinite(points)):
            return math.inf
        for column, log in ((0, x_log), (1, y_log)):
            scale = np.maximum(np.abs(target[:, column]), LOG_FLOOR) if log else np.max(np.abs(target[:, column]))
            if np.any(scale == 0):
                return math.inf
            worst = max(worst, float(np.max(np.abs(points[:, column] - target[:, column]) / scale)))
    return worst
