"""Problem 2's figures: one function per figure, in the project style.

Tick labels are plain text where possible (mathtext layout dominated the
run time) and panels are named by text labels rather than titles.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from generator import figstyle
from generator.problem2.orthogonal_powers import powers_minus_identity_from_form, rotation_form
from generator.problem2.sweeps import DepthSweep

FIGURE_EXPONENTS = np.logspace(-3, 0, 31)
"""Exponents ``alpha`` of the orthogonal-power figure."""


def _plain_log_ticks(axis, exponents) -> None:
    """Major ticks at ``10**e`` labelled in plain text (``0.01``, ``1``, ``100``), no minor ticks.

    Plain labels print at the full tick-label size (mathtext superscripts are
    smaller) and are much cheaper to lay out than mathtext.
    """
    values = [10.0**e for e in exponents]
    axis.set_major_locator(FixedLocator(values))
    axis.set_major_formatter(FixedFormatter([f"{v:g}" for v in values]))
    axis.set_minor_locator(NullLocator())


def plot_layer_norms(sweeps: dict[str, DepthSweep], titles: dict[str, str], path: Path) -> list[np.ndarray]:
    """``max_k ||W_k||_2`` against ``H`` (log-log), one panel per matrix.

    Both constructions, our upper bound for the split construction, the lower
    bound valid for every factorization, and Hardt & Ma's bound where their
    theorem applies.  The panels share the vertical axis; each is named in its
    upper right corner (a text label, cheaper to lay out than a title).
    Returns what the figure draws (:func:`generator.figstyle.drawn`): per
    panel the five curves in the order above, then the line ``1``.
    """
    series = (
        ("split_norm", r"split construction $\delta_H$", dict(marker="o", linestyle="none")),
        ("balanced_norm", r"balanced variant $\delta^{\mathrm{bal}}_H$", dict(marker="x", linestyle="none")),
        ("split_bound", r"our bound $e^{K/(H-1)}-1$", dict(linestyle="-")),
        ("lower", r"lower bound on $\delta^*_H$", dict(linestyle="--")),
        ("hardt_ma", r"Hardt and Ma, $K_{\mathrm{HM}}/H$", dict(linestyle=":")),
    )
    with figstyle.figure(width=1.0, aspect=0.4, ncols=len(sweeps)) as (fig, axes):
        axes = np.atleast_1d(axes)
        for ax, (name, sweep) in zip(axes, sweeps.items()):
            for (field, label, style), color in zip(series, figstyle.COLORS):
                ax.loglog(sweep.depths, getattr(sweep, field), color=color, label=label, **style)
            ax.axhline(1.0, color=figstyle.COLORS[5], linewidth=0.5)
            ax.text(0.97, 0.95, titles[name], transform=ax.transAxes, ha="right", va="top")
            ax.set_ylim(1e-3, 1e2)
            _plain_log_ticks(ax.xaxis, range(0, 4))
            _plain_log_ticks(ax.yaxis, range(-3, 3))
            ax.tick_params(labelleft=ax is axes[0])
        axes[0].set_ylabel(r"$\max_k \|W_k\|$")
        fig.supxlabel(r"depth $H$", fontsize=figstyle.STYLE["axes.labelsize"])
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncols=3)
        return figstyle.save(fig, path)


def plot_orthogonal_power(unitaries: dict[str, np.ndarray], titles: dict[str, str], path: Path) -> list[np.ndarray]:
    """``||U^alpha - I||_2`` against ``alpha`` (log-log) with ``alpha phi_max``, and their ratio.

    Left: the computed distances (dots) and the bound of the fact (line of the
    same colour); right: their ratio, which tends to 1 as ``alpha -> 0``.
    Returns what the figure draws (:func:`generator.figstyle.drawn`): on the
    left, dots then line for each ``U``; on the right, one ratio per ``U``.
    """
    with figstyle.figure(width=1.0, aspect=0.36, ncols=2) as (fig, (left, right)):
        handles = []
        for (name, U), color in zip(unitaries.items(), figstyle.COLORS):
            form = rotation_form(U)
            phi_max = float(np.max(np.abs(form.angles)))
            distance = np.linalg.norm(
                powers_minus_identity_from_form(form, FIGURE_EXPONENTS), ord=2, axis=(1, 2)
            )
            left.loglog(FIGURE_EXPONENTS[::3], distance[::3], marker="o", linestyle="none", color=color)
            left.loglog(FIGURE_EXPONENTS, FIGURE_EXPONENTS * phi_max, color=color, linewidth=0.7)
            right.semilogx(FIGURE_EXPONENTS, distance / (FIGURE_EXPONENTS * phi_max), color=color)
            handles.append(Line2D([], [], color=color, marker="o", linewidth=0.7, label=titles[name]))
        left.set_ylabel(r"$\|U^\alpha - I\|$ (dots), $\alpha\,\varphi_{\max}$ (lines)")
        right.set_ylabel(r"$\|U^\alpha - I\| \,/\, (\alpha\,\varphi_{\max})$")
        right.set_ylim(0.6, 1.02)
        right.yaxis.set_major_locator(FixedLocator([0.6, 0.8, 1.0]))
        right.yaxis.set_major_formatter(FixedFormatter(["0.6", "0.8", "1"]))
        for ax in (left, right):
            _plain_log_ticks(ax.xaxis, range(-3, 1))
        _plain_log_ticks(left.yaxis, range(-4, 1))
        fig.supxlabel(r"exponent $\alpha$", fontsize=figstyle.STYLE["axes.labelsize"])
        left.legend(handles=handles, loc="upper left")
        return figstyle.save(fig, path)
