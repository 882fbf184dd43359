"""Tests of :mod:`generator.problem1.descent`: gradient descent from ``W = 0``."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from generator import problem1 as p1


def test_descent_reaches_least_squares_inside_the_ball():
    rng = np.random.default_rng(9)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=400, dimension=3))
    Sxx, Syx, _ = p1.second_moments(X, Y)
    R = p1.least_squares_solution(Sxx, Syx)
    step = 1 / (2 * 4 * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2)
    path = p1.gradient_descent(Sxx, Syx, 4, step, 400)
    assert path.excess[-1] < 1e-10 * path.excess[0]
    assert path.norms.max() < 1
    assert path.pl_ratio_min >= 1
    assert 0 <= path.norm_spread < 0.1
    np.testing.assert_allclose(path.norms[-1], p1.layer_norms(path.layers), rtol=1e-12)
    np.testing.assert_allclose(path.excess[-1], p1.excess_loss(path.layers, Sxx, Syx), rtol=1e-6,
                               atol=1e-14 * path.excess[0])
