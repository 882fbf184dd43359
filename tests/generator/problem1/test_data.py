"""Tests of :mod:`generator.problem1.data`: the data and the statistics of their residual."""

from __future__ import annotations

import numpy as np

from generator import problem1 as p1


def test_residual_is_orthogonal_but_correlated():
    rng = np.random.default_rng(16)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=2000, dimension=3))
    stats = p1.residual_statistics(X, Y)
    assert stats.orthogonality < 1e-12
    assert stats.pearson > 0.05  # E[r] != 0: orthogonal is not uncorrelated
    assert stats.quadratic > 0.1


def test_residual_statistics_vanish_for_an_exact_linear_model():
    rng = np.random.default_rng(17)
    X = rng.standard_normal((500, 3)) + 1.0
    Y = X @ rng.standard_normal((3, 3)).T + 1e-3 * rng.standard_normal((500, 3))
    stats = p1.residual_statistics(X, Y)
    assert stats.orthogonality < 1e-10
    assert stats.quadratic < 0.15


def test_make_data_is_deterministic():
    first = p1.make_data(np.random.default_rng(11), p1.DataSpec(samples=50, dimension=2))
    second = p1.make_data(np.random.default_rng(11), p1.DataSpec(samples=50, dimension=2))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
