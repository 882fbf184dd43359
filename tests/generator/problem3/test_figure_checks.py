"""The figure checks of Problem 3: a faithful drawing passes, a wrong radius, bar or array does not."""

import math

import numpy as np

from generator.problem3.ball import rank_deficient_ball
from generator.problem3.claims import CELLS_REACH, FIGURE_OFFSETS
from generator.problem3.data import FAMILIES, full_rank_example, skew_triangle
from generator.problem3.figure_checks import cells_figure_deviation, frequency_figure_deviation
from generator.problem3.figures import plot_cells, plot_frequency_vs_width


def _cells(tmp_path, scale):
    X0, W0 = skew_triangle(), full_rank_example()
    ball_W, radius = rank_deficient_ball(X0)
    spread = np.deg2rad([100.0, 220.0, 340.0])
    perturbed = ball_W + scale * radius * np.column_stack([np.cos(spread), np.sin(spread)])
    drawn = plot_cells(X0, W0, ball_W, radius, perturbed, tmp_path / "p3_cells.pdf")
    return cells_figure_deviation(drawn, X0, W0, ball_W[0], CELLS_REACH)


def test_cells_figure_faithful_and_disc(tmp_path):
    assert _cells(tmp_path, 0.6) <= 1e-12
    assert _cells(tmp_path, 1.2) >= 0.1


def _frequency(tmp_path, bar_samples):
    widths, m, samples, sigmoid_samples, confidence = [1, 2, 3], 6, 2000, 1000, 0.95
    p = {family: {1: 1.0, 2: 0.75, 3: 0.25} for family in FAMILIES}
    exact = {family: {1: 1.0, 2: 0.75} for family in FAMILIES}
    se = {family: [math.sqrt(p[family][d] * (1 - p[family][d]) / bar_samples) for d in widths] for family in FAMILIES}
    upper = 1 - (1 - confidence) ** (1 / sigmoid_samples)
    from generator.problem3.lower_bound import singular_probability_lower_bound
    bound = [float(singular_probability_lower_bound(d, m)) for d in widths]
    drawn = plot_frequency_vs_width(widths, {f: [p[f][d] for d in widths] for f in FAMILIES}, se, exact,
                                    {2: upper, 3: upper}, bound, m, tmp_path / "p3_frequency.pdf")
    return frequency_figure_deviation(drawn, widths, FIGURE_OFFSETS, p, exact, samples, m, sigmoid_samples,
                                      confidence)


def test_frequency_figure_faithful_and_error_bars(tmp_path):
    assert _frequency(tmp_path, 2000) <= 1e-12
    assert _frequency(tmp_path, 20000) >= 1e-3


def test_missing_artist_is_infinite(tmp_path):
    X0, W0 = skew_triangle(), full_rank_example()
    ball_W, _ = rank_deficient_ball(X0)
    assert cells_figure_deviation([], X0, W0, ball_W[0], CELLS_REACH) == math.inf
