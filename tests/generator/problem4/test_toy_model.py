"""Tests of :mod:`generator.problem4.toy_model`: the cubic model, its derivatives and the original loss."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


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


def test_exact_coefficients_are_those_of_the_cubic():
    u = np.linspace(-2.0, 3.0, 11)
    from_coefficients = sum(float(c) * u**k for k, c in enumerate(p4.CUBIC_COEFFICIENTS))
    np.testing.assert_allclose(from_coefficients, p4.cubic_model(u), atol=1e-13)


def test_original_loss_averages_over_the_data():
    setting = p4.ToySetting(inputs=[[1.0, 0.0], [0.0, 2.0]], targets=[0.5, -1.0], lam=1.0, features=[2.0, -1.0])
    theta = np.array([0.3, 2.0])
    q = p4.cubic_model(theta)
    np.testing.assert_allclose(p4.original_loss(theta, setting), ((2 * q - 0.5) ** 2 + (-q + 1.0) ** 2) / 2)
    assert setting.m == 2 and setting.d == 2
    with pytest.raises(ValueError):
        _ = setting.kappa


def test_setting_of_one_point():
    assert SETTING.m == 1 and SETTING.d == 2 and SETTING.y == 0.0
    assert SETTING.kappa == 1 + 0.25 + 1
    np.testing.assert_array_equal(SETTING.x, [0.5, -1.0])
    with pytest.raises(ValueError):
        SETTING.inputs[0, 0] = 3.0  # read-only
    with pytest.raises(ValueError):
        p4.ToySetting(inputs=(1.0,), targets=0.0, lam=1.0, features=2.0).require_plain_point()


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
        lambda: p4.ToySetting(inputs=(1.0,), targets=0.0, lam=0.0),
        lambda: p4.ToySetting(inputs=(1.0,), targets=0.0, lam=-1.0),
        lambda: p4.ToySetting(inputs=(float("nan"),), targets=0.0, lam=1.0),
        lambda: p4.ToySetting(inputs=[[1.0], [2.0]], targets=0.0, lam=1.0),
        lambda: p4.ToySetting(inputs=[[1.0], [2.0]], targets=[0.0, 1.0], lam=1.0, features=[1.0]),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
