"""The figures of Problem 3, one function each, in the style of :mod:`generator.figstyle`.

:func:`plot_cells` draws the argument in the plane, :func:`plot_frequency_vs_width`
the frequencies of rank deficiency against ``d0``.  They draw what they are
given (the data come from :mod:`generator.problem3.claims`) and return what
they drew (:func:`generator.figstyle.drawn`), which the claims compare with
:mod:`generator.problem3.figure_checks`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from generator import figstyle
from generator.problem3.arguments import _data_matrix
from generator.problem3.data import FAMILIES
from generator.problem3.planar import planar_cells


def plot_cells(X, full_rank_W, ball_W, ball_radius, perturbed_W, path: Path) -> list[np.ndarray]:
    """The argument in ``d0 = 2``: the lines ``w^T x_j = 0``, the sectors and where rows sit.

    One panel, the plane ``R^2`` holding both the columns ``x_j`` (arrows, the
    normals of the lines) and the rows ``w``.  Sectors are labelled by their
    active set ``S`` and probability ``p`` in plain digits (hatched: one active column; plain
    tint: two).  Also drawn: the rows of a full-rank ``W_0`` (one per
    single-column sector), the disc of radius ``epsilon`` around the centre of
    :func:`rank_deficient_ball`, and the rows of a perturbed ``W'`` inside it.
    """
    X = _data_matrix(X)
    probabilities, active, bisectors = planar_cells(X)
    extent, label_radius = 2.4, 2.12
    with figstyle.figure(width=0.85, aspect=0.5) as (fig, axes):
        for j in range(X.shape[1]):
            normal = X[:, j] / np.linalg.norm(X[:, j])
            direction = np.array([-normal[1], normal[0]])
            axes.plot(*np.outer([-2 * extent, 2 * extent], direction).T, color=figstyle.COLORS[5], lw=0.8)
            axes.annotate("", xy=X[:, j], xytext=(0, 0),
                          arrowprops={"arrowstyle": "-|>", "color": figstyle.COLORS[4], "lw": 1.1})
            axes.annotate(f"$x_{j + 1}$", X[:, j] + 0.22 * normal, ha="center", va="center",
                          fontsize=9, bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"})
        for probability, mask, bisector in zip(probabilities, active, bisectors):
            middle = np.arctan2(bisector[1], bisector[0])
            arc = np.linspace(middle - np.pi * probability, middle + np.pi * probability, 16)
            outline = np.vstack([[0.0, 0.0], 2 * extent * np.column_stack([np.cos(arc), np.sin(arc)])])
            if mask.sum() == 1:
                axes.fill(*outline.T, facecolor="none", edgecolor=figstyle.COLORS[2], hatch="////", lw=0)
            else:
                axes.fill(*outline.T, color=figstyle.COLORS[0], alpha=0.22, lw=0)
            members = ", ".join(str(j + 1) for j in np.flatnonzero(mask))
            fraction = Fraction(float(probability)).limit_denominator(64)
            axes.annotate(
                f"{members}\n{fraction.numerator}/{fraction.denominator}",
                label_radius * bisector, ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
        centre = ball_W[0]
        circle = np.linspace(0, 2 * np.pi, 90)
        axes.plot(centre[0] + ball_radius * np.cos(circle), centre[1] + ball_radius * np.sin(circle),
                  color=figstyle.COLORS[1], lw=0.9, ls="--")
        edge = centre + ball_radius * np.array([1.0, 0.0])
        axes.plot(*np.column_stack([centre, edge]), color=figstyle.COLORS[1], lw=0.6)
        axes.plot(*centre, marker="+", ms=5, color=figstyle.COLORS[1])
        axes.annotate("$\\varepsilon$", (centre + edge) / 2 + np.array([0.0, 0.14]), ha="center", va="center",
                      color=figstyle.COLORS[1], fontsize=9)
        axes.annotate("$w_\\star$", centre + np.array([-0.12, 0.14]), ha="center", va="center",
                      color=figstyle.COLORS[1], fontsize=8)
        axes.plot(*perturbed_W.T, ls="none", marker="o", ms=3.5, mec="white", mew=0.5, color=figstyle.COLORS[1],
                  label="rows of $W'$ (in the disc): $F$ singular")
        axes.plot(*full_rank_W.T, ls="none", marker="x", ms=5, color=figstyle.COLORS[3],
                  label="rows of $W_0$: $F$ invertible")
        axes.fill([], [], facecolor="none", edgecolor=figstyle.COLORS[2], hatch="////", lw=0,
                  label="cells with $|S|=1$")
        axes.fill([], [], color=figstyle.COLORS[0], alpha=0.22, lw=0, label="cells with $|S|=2$")
        axes.plot([], [], color=figstyle.COLORS[4], lw=1.1, label="columns $x_j$ of $X_0$")
        axes.set_xlim(-extent, extent)
        axes.set_ylim(-extent, extent)
        axes.set_aspect("equal")
        # A schematic: the geometry matters, not the coordinates.
        axes.set_xticks([])
        axes.set_yticks([])
        fig.legend(loc="outside right center", fontsize=7.5, handletextpad=0.4)
        return figstyle.save(fig, path)


def plot_frequency_vs_width(widths, relu, relu_se, exact, sigmoid_upper, bound, m: int, path: Path) -> list[np.ndarray]:
    """Rank-deficiency frequency against ``d0`` (fixed ``m``), in two panels.

    Left, linear axis: ReLU frequencies per data family with error bars of two
    standard errors, and the exact values (large hollow diamonds, drawn on top).
    Right, logarithmic axis: the lower bound ``p(d0, m)`` valid for every
    ``X``, and the sigmoid's one-sided 95% upper confidence bounds (no draw was
    singular), drawn as downward arrows.  Labels use matplotlib's mathtext in
    Computer Modern, and ticks print at the size of the text's footnotes.

    Parameters
    ----------
    widths : sequence of int
        The values of ``d0``.
    relu, relu_se : dict family -> list of float
        ReLU frequencies and standard errors per family.
    exact : dict family -> dict d0 -> float
        Exact probabilities where the text computes them.
    sigmoid_upper : dict d0 -> float
        Upper confidence bound for the sigmoid frequency.
    bound : list of float
        The universal lower bound for every ``d0``.
    """
    markers = {"general": "o", "halfspace": "s", "antipodal": "^"}
    names = {"general": "general data", "halfspace": "half-space data", "antipodal": "antipodal data $[X',-X']$"}
    offsets = {"general": -0.12, "halfspace": 0.0, "antipodal": 0.12}
    ticks = (list(widths), [str(d) for d in widths])
    with figstyle.figure(width=1.0, aspect=0.42, ncols=2) as (fig, (linear, logarithmic)):
        for index, family in enumerate(FAMILIES):
            x = np.asarray(widths) + offsets[family]
            linear.errorbar(x, relu[family], yerr=2 * np.asarray(relu_se[family]), ls=figstyle.LINESTYLES[index],
                            marker=markers[family], ms=3.5, color=figstyle.COLORS[index], capsize=2.5,
                            elinewidth=1.0, label=f"ReLU, {names[family]}")
            points = sorted(exact.get(family, {}).items())
            linear.plot([d + offsets[family] for d, _ in points], [v for _, v in points], ls="none", marker="D",
                        ms=7, mfc="none", mec="black", mew=0.8, zorder=5)
        linear.plot([], [], ls="none", marker="D", ms=7, mfc="none", mec="black", mew=0.8, label="exact value")
        linear.set_ylim(-0.03, 1.05)
        linear.set_yticks([0.0, 0.5, 1.0], ["0", "1/2", "1"])
        linear.set_xticks(*ticks)
        linear.tick_params(labelsize=8)
        linear.set_title("ReLU: frequency of rank deficiency")
        linear.legend(loc="lower left", fontsize=7)

        logarithmic.plot(widths, bound, color=figstyle.COLORS[5], ls=":", marker=".",
                         label="lower bound $\\underbar{p}(d_0,m)$, every $X$")
        sig_x = np.array(sorted(sigmoid_upper))
        sig_y = np.array([sigmoid_upper[d] for d in sig_x])
        logarithmic.errorbar(sig_x, sig_y, yerr=0.7 * sig_y, uplims=True, ls="none", marker="_", ms=8,
                             color=figstyle.COLORS[3], capsize=3,
                             label="sigmoid, general data: 95% upper bound")
        logarithmic.set_yscale("log")
        logarithmic.set_yticks([10.0**-k for k in (0, 4, 8, 12)], ["$1$", "$10^{-4}$", "$10^{-8}$", "$10^{-12}$"])
        logarithmic.minorticks_off()
        logarithmic.set_xticks(*ticks)
        logarithmic.tick_params(labelsize=8)
        logarithmic.set_title("bound and sigmoid (logarithmic scale)")
        logarithmic.legend(loc="lower left", fontsize=7)
        fig.supxlabel(f"input dimension $d_0$ ($m = {m}$ data points)", fontsize=8)
        return figstyle.save(fig, path)
