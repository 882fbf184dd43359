"""Tests of :mod:`generator.problem4.toy_model`: the cubic model, its derivatives and the original loss."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)


@pytest.mark.parametrize(
    "theta, value, slope",
    [(0.0, 0.0, 3.0), (1.0, 1.25, 0.0), (2.0, 1.0, 0.0), (3.0, 2.25, 3.0), (-1.0, -5.75, 9.0)],
)
def test_cubic_model_table(theta, value, slope):
    assert p4.cubic_model(theta) == pytest.approx(value, abs=1e-15)
    assert p4.cubic_model_slope(theta) == pytest.approx(slope, abs=1e-15)


def test_cubic_model_factorisations():
    u = np.linspace(-5.0, 5.0, 1001)
    # 4 (q(u) - 1) = (u - 2)^2 (2u - 1): the neighbourhood of the non-convex example
    np.testing.assert_allclose(4 * (p4.cubic_model(u) - 1), (u - 2) ** 2 * (2 * u - 1), atol=1e-11)
    # q has no real root besides 0: 2u^2 - 9u + 12 > 0
    assert np.all((2 * u * u - 9 * u + 12) > 0)
    assert np.all(p4.cubic_model(u[u >= 0.5]) >= 1 - 1e-12)


def test_derivatives_of_cubic_against_differences():
    u = np.linspace(-3.0, 4.0, 71)
    h = 1e-6
    np.testing.assert_allclose(
        (p4.cubic_model(u + h) - p4.cubic_model(u - h)) / (2 * h), p4.cubic_model_slope(u), atol=1e-8
    )
    np.testing.assert_allclose(
        (p4.cubic_model_slope(u + h) - p4.cubic_model_slope(u - h)) / (2 * h),
        p4.cubic_model_curvature(u),
        atol=1e-8,
    )


def test_original_loss_has_bad_strict_local_minimum_at_two():
    assert p4.original_loss(2.0, SETTING) == 1.0
    for h in (1e-3, 1e-2, 1e-1):
        assert p4.original_loss(2.0 + h, SETTING) > 1.0
        assert p4.original_loss(2.0 - h, SETTING) > 1.0
    grid = np.linspace(-3.0, 5.0, 8001)
    assert grid[np.argmin(p4.original_loss(grid, SETTING))] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.ToySetting(lam=0.0),
        lambda: p4.ToySetting(lam=-1.0),
        lambda: p4.ToySetting(x=float("nan")),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
