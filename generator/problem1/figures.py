"""The two figures of Problem 1, one function per figure, in :mod:`generator.figstyle`.

:func:`plot_descent` draws a :class:`~generator.problem1.descent.DescentPath`,
:func:`plot_pl` a :class:`~generator.problem1.sweep.PLSweep`; the tick helpers
keep the number of mathtext labels small.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.ticker
import numpy as np

from generator import figstyle
from generator.problem1.descent import DescentPath
from generator.problem1.sweep import PLSweep


def _decade_ticks(axis, low_exponent: int, high_exponent: int, every: int) -> None:
    """Major ticks at ``10^e`` for every ``every``-th exponent, no minor ticks.

    Few tick labels keep the figure legible and cheap: each distinct label is a
    mathtext expression that matplotlib parses once.
    """
    axis.set_major_locator(matplotlib.ticker.FixedLocator(
        [10.0**e for e in range(low_exponent, high_exponent + 1, every)]))
    axis.set_minor_locator(matplotlib.ticker.NullLocator())


def _plain_ticks(axis, formatter: str) -> None:
    """Tick labels as plain text (``formatter`` in ``%`` syntax): no mathtext to parse."""
    axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter(formatter))


def plot_descent(path: DescentPath, file: Path) -> list[np.ndarray]:
    """Loss gap (log scale) and the largest layer norm along gradient descent; what it draws (:func:`figstyle.drawn`)."""
    with figstyle.figure(width=1.0, aspect=0.3, ncols=2) as (fig, (ax_gap, ax_norm)):
        steps = np.arange(path.excess.size)
        ax_gap.semilogy(steps, path.excess, color=figstyle.COLORS[0])
        low = int(np.floor(np.log10(path.excess.min())))
        high = int(np.ceil(np.log10(path.excess.max())))
        _decade_ticks(ax_gap.yaxis, low - low % 5, high, 5)
        ax_gap.set_xlabel("iteration")
        ax_gap.set_ylabel(r"$\mathcal{L}-\mathcal{L}^*$")
        # The H layer norms nearly coincide (their relative spread is a claim of
        # the write-up), so one curve stands for all of them.
        ax_norm.plot(steps, path.norms.max(axis=1), color=figstyle.COLORS[0])
        ax_norm.set_ylim(0.0, None)
        ax_norm.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        ax_norm.set_xlabel("iteration")
        ax_norm.set_ylabel("largest layer norm")
        for axis in (ax_gap.xaxis, ax_norm.xaxis):
            _plain_ticks(axis, "%d")
        _plain_ticks(ax_norm.yaxis, "%.2f")
        return figstyle.save(fig, file)


def plot_pl(sweep: PLSweep, file: Path, ratio_window: tuple[float, float]) -> list[np.ndarray]:
    """Our PL inequality's two sides, and the printed (2.3) against its threshold.

    Left: ``||grad L||^2`` against our right side (log-log).  Right: the ratio of
    ``||grad L||^2`` to the printed right side of (2.3) against
    ``rho = lambda_min / (1 - tau)^{H-1}``, for invertible ``Sxx``, with the lower
    envelope ``1 / rho`` that our inequality implies; the vertical axis is cut
    to ``ratio_window`` so that the region around ratio 1 is visible.  Returns
    what it draws (:func:`figstyle.drawn`): the two marker sets, the diagonal,
    the line ``1 / rho``, the two guides at 1 and the two marker sets of the right panel.
    """
    inside = np.isfinite(sweep.ours)
    with figstyle.figure(width=1.0, aspect=0.4, ncols=2) as (fig, (ax_sides, ax_ratio)):
        for mask, color, marker, label in (
            (inside & ~sweep.singular, figstyle.COLORS[0], ".", "invertible"),
            (inside & sweep.singular, figstyle.COLORS[2], "+", "singular"),
        ):
            ax_sides.loglog(sweep.ours[mask], sweep.lhs[mask], marker, color=color,
                            markersize=2.5, alpha=0.7, label=label)
        low = min(sweep.ours[inside].min(), sweep.lhs[inside].min())
        high = max(sweep.ours[inside].max(), sweep.lhs[inside].max())
        ax_sides.loglog([low, high], [low, high], color="black", linewidth=0.6, label="equality")
        exponents = (int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))))
        for axis in (ax_sides.xaxis, ax_sides.yaxis):
            _decade_ticks(axis, exponents[0] - exponents[0] % 5, exponents[1], 5)
        ax_sides.set_xlabel(r"$\mu_{H,\tau}(\mathcal{L}-\mathcal{L}^*)$")
        ax_sides.set_ylabel(r"$\|\nabla\mathcal{L}\|_F^2$")
        ax_sides.legend(loc="lower right", markerscale=2)

        invertible = inside & ~sweep.singular
        rho = sweep.threshold[invertible]
        ratio = sweep.lhs[invertible] / sweep.printed[invertible]
        grid = np.geomspace(rho.min(), rho.max(), 50)
        ax_ratio.loglog(grid, 1.0 / grid, color="black", linewidth=0.6, label=r"$1/\rho$")
        ax_ratio.axhline(1.0, color=figstyle.COLORS[5], linewidth=0.6, linestyle=figstyle.LINESTYLES[1])
        ax_ratio.axvline(1.0, color=figstyle.COLORS[5], linewidth=0.6, linestyle=figstyle.LINESTYLES[1])
        violated = ratio < 1
        ax_ratio.loglog(rho[~violated], ratio[~violated], ".", color=figstyle.COLORS[0],
                        markersize=2.5, alpha=0.7, label="holds")
        ax_ratio.loglog(rho[violated], ratio[violated], "x", color=figstyle.COLORS[1],
                        markersize=2.5, label="fails")
        ax_ratio.set_ylim(*ratio_window)
        x_exponents = (int(np.floor(np.log10(rho.min()))), int(np.ceil(np.log10(rho.max()))))
        _decade_ticks(ax_ratio.xaxis, x_exponents[0] - x_exponents[0] % 4, x_exponents[1], 4)
        _decade_ticks(ax_ratio.yaxis, int(np.log10(ratio_window[0])), int(np.log10(ratio_window[1])), 1)
        ax_ratio.set_xlabel(r"$\rho=\lambda_{\min}(\Sigma_{xx})/(1-\tau)^{H-1}$")
        ax_ratio.set_ylabel("left side / printed right side")
        ax_ratio.legend(loc="lower left", markerscale=2)  # the region the theorem leaves empty
        return figstyle.save(fig, file)
