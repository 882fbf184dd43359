"""Tests of :mod:`generator.problem1.references`: the second computations agree with the first on exact cases."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.stats

from generator import problem1 as p1
from generator.problem1 import references as ref
from generator.problem1.data import draw_data
from generator.problem1.descent import descent_step


def test_least_squares_on_the_data_matrix_matches_the_normal_equations():
    X, Y = p1.make_data(np.random.default_rng(3), p1.DataSpec(samples=300, dimension=3))
    Sxx, Syx, _ = p1.second_moments(X, Y)
    np.testing.assert_allclose(ref.data_least_squares(X, Y), p1.least_squares_solution(Sxx, Syx), rtol=1e-10)


def test_residual_correlations_match_the_residual_statistics():
    X, Y = p1.make_data(np.random.default_rng(4), p1.DataSpec(samples=500, dimension=3))
    stats = p1.residual_statistics(X, Y)
    pearson, quadratic = ref.residual_correlations(X, Y)
    assert pearson == pytest.approx(stats.pearson, rel=1e-9)
    assert quadratic == pytest.approx(stats.quadratic, rel=1e-9)


def test_the_draw_follows_its_model_and_its_laws():
    spec = p1.DataSpec(samples=4000, dimension=4)
    draw = draw_data(np.random.default_rng(5), spec)
    assert ref.data_model_error(draw, spec) < 1e-12
    assert ref.phi_log_error(draw, spec) < 1e-12
    for fraction, count in ref.latent_median_fractions(draw, spec).values():
        assert abs(fraction - 0.5) < 4 * np.sqrt(0.25 / count)
    X, Y = p1.make_data(np.random.default_rng(5), spec)  # the same draws
    np.testing.assert_array_equal(X, draw.X)
    np.testing.assert_array_equal(Y, draw.Y)


def test_student_coordinates_of_variance_three_fifths_move_the_median_fraction():
    """The slip 'divided by the variance' (nu = 5) leaves the fraction far from 1/2: the claim can see it."""
    spec = p1.DataSpec(samples=4000, dimension=4)
    draw = draw_data(np.random.default_rng(6), spec)
    nu = spec.student_dof
    slipped = draw.latent.copy()
    slipped[:, 1::2] /= np.sqrt(nu / (nu - 2))  # now divided by the variance
    fraction = ref.latent_median_fractions(type(draw)(**{**draw.__dict__, "latent": slipped}), spec)["student"][0]
    assert fraction > 0.5 + 4 * np.sqrt(0.25 / (slipped[:, 1::2].size))


def test_spectral_norms_and_product_error():
    rng = np.random.default_rng(8)
    layers = rng.standard_normal((3, 4, 4))
    np.testing.assert_allclose(ref.spectral_norms(layers), np.linalg.norm(layers, ord=2, axis=(1, 2)), rtol=1e-12)
    R = p1.end_to_end(list(layers))
    assert ref.relative_product_error(list(layers), R) < 1e-12
    assert ref.relative_product_error(list(layers[::-1]), R) > 1e-3  # the factor order matters


def test_descent_reference_matches_the_path(random_moments):
    rng = np.random.default_rng(10)
    Sxx, Syx, _ = random_moments(rng, 3)
    R = p1.least_squares_solution(Sxx, Syx)
    step = descent_step(Sxx, R, 3)
    assert step == pytest.approx(1 / (6 * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2))
    path = p1.gradient_descent(Sxx, Syx, 3, step, 60)
    reference = ref.descent_reference(path, Sxx, Syx, 1e-9)
    np.testing.assert_allclose(reference.norms, path.norms, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(reference.excess, path.excess, rtol=1e-8)
    assert reference.norm_spread == pytest.approx(path.norm_spread, rel=1e-9)
    assert reference.ratio_min == pytest.approx(path.pl_ratio_min, rel=1e-9)
    assert ref.descent_update_error(path, Sxx, Syx, step) < 1e-12
    assert ref.descent_update_error(path, Sxx, Syx, 1.01 * step) > 1e-4


def test_a_diverging_descent_stops_early(random_moments):
    Sxx, Syx, _ = random_moments(np.random.default_rng(13), 3)
    path = p1.gradient_descent(Sxx, Syx, 3, 1e3, 50)
    assert path.steps < 50
    assert np.all(np.isfinite(path.excess)) and np.all(path.excess <= path.excess[0])


@pytest.mark.parametrize(("text", "value"), [
    (r"\ensuremath{10^{-14}}", 1e-14),
    (r"\ensuremath{2.56\times 10^{-3}}", 2.56e-3),
    ("0.25", 0.25),
    (r"\ensuremath{-0.20}", -0.2),
])
def test_printed_value_reads_the_text_back(text, value):
    assert ref.printed_value(text) == pytest.approx(value)


def test_printed_value_of_a_non_number_is_nan():
    assert np.isnan(ref.printed_value(r"\texttt{inf}"))


def test_scaled_chi_square_probability():
    # A scale pinned at 1 gives the median's probability 1/2; smaller scales put the trace below it more often.
    assert ref.scaled_chi_square_probability(4, (-1e-9, 1e-9)) == pytest.approx(0.5, abs=1e-6)
    assert ref.scaled_chi_square_probability(4, (-2.0, 0.0)) > 0.8
    rng = np.random.default_rng(14)
    q, u = rng.chisquare(3, 200_000), rng.uniform(-2, 2, 200_000)
    frequency = np.mean(10**u * q <= scipy.stats.chi2.median(3))
    assert ref.scaled_chi_square_probability(3, (-2.0, 2.0)) == pytest.approx(frequency, abs=0.005)
