"""Tests of the references for the figures, the rounding level of the descent and the new laws of the draws."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from generator import problem1 as p1
from generator.problem1 import references as ref
from generator.problem1.data import draw_data
from generator.problem1.descent import descent_step, gradient_descent
from generator.problem1.figures import plot_descent, plot_pl
from generator.problem1.sweep import pl_sweep, random_ball_points


def test_excess_deviation_is_relative_far_from_zero_and_absolute_near_it():
    reference = np.array([4.0, 1.0, 1e-30])
    assert ref.excess_deviation(reference, reference, 1e-14) == 0.0
    assert ref.excess_deviation(reference * (1 + 1e-6), reference, 0.0) == pytest.approx(5e-7, rel=1e-3)
    assert np.isnan(ref.excess_deviation([4.0, np.nan, 1e-30], reference, 1e-13))
    # At rounding level a factor 2 in L - L* is a tiny absolute change of its square root.
    assert ref.excess_deviation([4.0, 1.0, 2e-30], reference, 1e-13) == 0.0
    assert ref.excess_deviation([4.0, 1.0], reference, 1e-13) == np.inf


def test_distance_rounding_grows_with_the_condition_number():
    R = np.eye(3)
    assert ref.distance_rounding(np.diag([1.0, 1.0, 1.0]), R, 2) < ref.distance_rounding(np.diag([1e-4, 1.0, 1.0]), R, 2)
    assert ref.distance_rounding(np.diag([0.0, 1.0, 1.0]), R, 2) == np.inf


@pytest.fixture(scope="module")
def descent_case():
    X, Y = p1.make_data(np.random.default_rng(11), p1.DataSpec(samples=400, dimension=3))
    Sxx, Syx, _ = p1.second_moments(X, Y)
    R = p1.least_squares_solution(Sxx, Syx)
    path = gradient_descent(Sxx, Syx, 3, descent_step(Sxx, R, 3), 60)
    return path, ref.descent_reference(path, Sxx, Syx, 1e-9), ref.distance_rounding(Sxx, R, 3)


def test_the_descent_figure_matches_its_reference_and_a_wrong_curve_does_not(descent_case, tmp_path):
    path, reference, rounding = descent_case
    drawn = plot_descent(path, tmp_path / "descent.pdf")
    assert ref.descent_figure_deviation(drawn, reference, rounding) < 1e-9
    mean_norm = [drawn[0], np.column_stack([drawn[1][:, 0], path.norms.mean(axis=1)])]
    assert ref.descent_figure_deviation(mean_norm, reference, rounding) > 1e-3
    shifted = [np.column_stack([drawn[0][:, 0] + 1, drawn[0][:, 1]]), drawn[1]]
    assert ref.descent_figure_deviation(shifted, reference, rounding) > 1e-3
    assert ref.descent_figure_deviation(drawn[:1], reference, rounding) == np.inf


def test_the_pl_figure_matches_its_reference_and_a_wrong_array_does_not(random_moments, tmp_path):
    rng = np.random.default_rng(12)
    Sxx, Syx, _ = random_moments(rng, 3)
    batches = random_ball_points(rng, 60, (Sxx, Syx), max_depth=3)
    sweep = pl_sweep(batches)
    drawn = plot_pl(sweep, tmp_path / "pl.pdf", (1e-2, 1e2))
    expected = ref.pl_figure_expected(batches, 2)
    assert ref.pl_figure_deviation(drawn, expected) < 1e-9
    wrong = list(drawn)
    wrong[0] = drawn[0] * [1.0, 1.5]
    assert ref.pl_figure_deviation(wrong, expected) > 1e-3
    wrong = list(drawn)
    wrong[3] = np.column_stack([drawn[3][:, 0], 1 / np.sqrt(drawn[3][:, 0])])
    assert ref.pl_figure_deviation(wrong, expected) > 1e-3
    assert ref.pl_figure_deviation(drawn[:-1], expected) == np.inf


def test_the_new_laws_of_the_draw():
    spec = p1.DataSpec(samples=4000, dimension=4)
    draw = draw_data(np.random.default_rng(5), spec)
    fraction, count = ref.student_tail_fraction(draw, spec, 0.05)
    assert count == 8000 and abs(fraction - 0.05) < 4 * np.sqrt(0.05 * 0.95 / count)
    for square_sum, entries in ref.gaussian_square_sums(draw).values():
        assert entries == 16
        assert scipy.stats.chi2.ppf(1e-6, entries) < square_sum < scipy.stats.chi2.isf(1e-6, entries)


def test_the_residual_mean_matches_the_residual_statistics():
    X, Y = p1.make_data(np.random.default_rng(4), p1.DataSpec(samples=500, dimension=3))
    assert ref.residual_mean_ratio(X, Y) == pytest.approx(p1.residual_statistics(X, Y).mean, rel=1e-9)
