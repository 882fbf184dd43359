"""The figures of Problem 4: one function per figure, with the panels it draws.

:func:`plot_flows` shows the gradient flows and constant-step descent on log
axes, :func:`plot_landscape` the valley at the bad ``theta`` and the two escape
families.  The private ``_panel_*`` functions draw one panel each; tick
placement (:func:`_light_ticks`) keeps the vector output small.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from generator import figstyle
from generator.problem4.flows import FlowResult, slice_loss, theta_return_exponent
from generator.problem4.modified import modified_loss, modified_loss_gradient
from generator.problem4.toy_model import A_INDEX, THETA_INDEX, ToySetting, cubic_model
from generator.problem4.valley import (
    escape_family_general,
    escape_family_general_prediction,
    escape_family_valley,
    escape_family_valley_prediction,
    valley_floor,
)


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
    # The flows from the bad minimum and from the perturbed start coincide late; open markers on the
    # second (and its own line style and colour) keep the two apart where they overlap.
    markers = {"perturbed": {"marker": "o", "markersize": 3, "fillstyle": "none", "markevery": 16}}
    handles = []
    for index, (key, flow) in enumerate(flows.items()):
        keep = flow.t > 0
        color, style = figstyle.COLORS[index], figstyle.LINESTYLES[index]
        mark = markers.get(key, {})
        ax.loglog(flow.t[keep], np.maximum(flow.loss[keep], 1e-30), color=color, linestyle=style, **mark)
        ax.loglog(flow.t[keep], np.maximum(flow.original[keep], 1e-30), color=color, linestyle=style, **pale)
        label = f"$\\theta_0={flow.params[0, THETA_INDEX]:g}$"
        handles.append(Line2D([], [], color=color, linestyle=style, label=label, **mark))
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
    exponent = float(theta_return_exponent(theta_b, setting))
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
        ax.loglog(centres, medians, color=color, label=f"$\\eta={step:g}$")
        floor = step * setting.lam * offset**2
        onset = 1.0 / (4.0 * setting.kappa * floor)
        ax.plot([onset, end], [floor, floor], color=color, linestyle="--", linewidth=0.8)
    ax.set_xlim(1e-1, end)
    ax.set_xlabel(r"$t=k\eta$")
    ax.set_ylabel("loss")
    ax.legend(loc="lower left")


def _panel_landscape(fig, ax, flow: FlowResult, setting: ToySetting, offset: float) -> None:
    """``L~`` over ``(z, a)`` at the bad ``theta`` (log colour scale), the valley floor and the flow's path.

    Tick labels are set in mathematical type, so negative ones carry a true minus sign.
    """
    from matplotlib.colors import LogNorm
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator

    z_grid = np.linspace(-3.0, 6.0, 181)
    a_grid = np.linspace(-1.2, 0.3, 151)
    zz, aa = np.meshgrid(z_grid, a_grid)
    contours = ax.contourf(zz, aa, slice_loss(aa, zz, offset, setting), levels=np.logspace(-3.0, 1.5, 10),
                           norm=LogNorm(), cmap="viridis", extend="both")
    colorbar = fig.colorbar(contours, ax=ax, label=r"$\tilde L$")
    colorbar.locator = LogLocator(base=10.0, numticks=3)
    colorbar.update_ticks()
    ax.plot(z_grid, valley_floor(z_grid, offset, setting.lam)[0], color="white", linestyle="--")
    keep = flow.z <= z_grid[-1]
    ax.plot(flow.z[keep], flow.params[keep, A_INDEX], color=figstyle.COLORS[1])
    ax.xaxis.set_major_locator(FixedLocator([-2, 0, 2, 4, 6]))
    ax.yaxis.set_major_locator(FixedLocator([-1, -0.5, 0]))
    math_label = FuncFormatter(lambda value, _position: f"${value:g}$")
    ax.xaxis.set_major_formatter(math_label)
    ax.yaxis.set_major_formatter(math_label)
    ax.set_xlabel(r"$z = w^\top x + b$")
    ax.set_ylabel("$a$")
    ax.grid(False)


def _panel_families(ax, beta, flow: FlowResult, setting: ToySetting, theta_b: float) -> None:
    """Loss and gradient norm on the two families (closed forms and computed) and on the flow."""
    from matplotlib.lines import Line2D

    # The two families' losses nearly coincide: the escape family is drawn thick and pale underneath,
    # and the markers of the two families sit at alternating values of beta.
    for points, predicted, color, pale, first in (
        (escape_family_general(beta, theta_b, setting), escape_family_general_prediction(beta, theta_b, setting),
         figstyle.COLORS[0], True, 0),
        (escape_family_valley(beta, theta_b, setting), escape_family_valley_prediction(beta, theta_b, setting),
         figstyle.COLORS[1], False, 5),
    ):
        loss, grad = predicted
        ax.semilogy(beta, loss, color=color, linewidth=2.4 if pale else 1.0, alpha=0.5 if pale else 1.0)
        ax.semilogy(beta, grad, color=color, linestyle="--")
        shown = slice(first, None, 10)
        ax.semilogy(beta[shown], modified_loss(points[shown], setting), "o", color=color, markersize=2.5,
                    fillstyle="none")
        ax.semilogy(beta[shown], np.linalg.norm(modified_loss_gradient(points[shown], setting), axis=-1), "s",
                    color=color, markersize=2.5, fillstyle="none")
    on_range = (flow.z >= beta[0]) & (flow.z <= beta[-1])
    ax.semilogy(flow.z[on_range][::8], flow.loss[on_range][::8], "x", color="black", markersize=3)
    ax.semilogy(flow.z[on_range][::8], flow.grad_norm[on_range][::8], "+", color="black", markersize=3.5)
    ax.legend(handles=[
        Line2D([], [], color=figstyle.COLORS[0], linewidth=2.4, alpha=0.5, label="escape family"),
        Line2D([], [], color=figstyle.COLORS[1], label="valley family"),
    ], loc="lower left")
    ax.set_xlabel(r"escape parameter $\beta$")
    ax.set_ylabel("loss, gradient norm")


def plot_flows(flows: dict[str, FlowResult], runs: dict[float, np.ndarray], setting: ToySetting,
               theta_b: float, path: Path) -> list[np.ndarray]:
    """Gradient flows and constant-step descent on log axes (three panels).

    (a) ``L~`` and ``L(theta)`` along the three flows; (b) ``|a|`` and ``e^{2z}`` on
    the bad flow and ``|theta - theta_b|`` on the perturbed flow; (c) constant-step
    descent against the flow, up to the end of the runs.  Returns what it drew (:func:`figstyle.drawn`).
    """
    offset = float(cubic_model(theta_b)) - setting.y
    with figstyle.figure(width=1.0, aspect=0.34, ncols=3) as (fig, axes):
        _panel_losses(axes[0], flows, setting)
        _panel_parameters(axes[1], flows, setting, theta_b)
        _panel_descent(axes[2], runs, flows["bad"], setting, offset)
        _light_ticks(axes[0], x_decades=(-2, 0, 2, 4), y_decades=(-12, -8, -4, 0))
        _light_ticks(axes[1], x_decades=(-2, 0, 2, 4), y_decades=(-4, 0, 4))
        _light_ticks(axes[2], x_decades=(0, 2), y_decades=(-4, -2, 0))
        return figstyle.save(fig, path)


def plot_landscape(flow: FlowResult, beta, setting: ToySetting, theta_b: float, path: Path) -> list[np.ndarray]:
    """The valley at the bad ``theta`` and the approximate stationary points (two panels).

    (a) ``L~`` over ``(z, a)`` with the valley floor and the bad flow's path;
    (b) loss and gradient norm on the escape and the valley family against ``beta`` and on the flow.
    Returns what it drew (:func:`figstyle.drawn`).
    """
    offset = float(cubic_model(theta_b)) - setting.y
    with figstyle.figure(width=1.0, aspect=0.34, ncols=2) as (fig, axes):
        _panel_landscape(fig, axes[0], flow, setting, offset)
        _panel_families(axes[1], beta, flow, setting, theta_b)
        _light_ticks(axes[1], y_decades=(-8, -4, 0))
        return figstyle.save(fig, path)
