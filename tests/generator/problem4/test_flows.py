"""Tests of :mod:`generator.problem4.flows`: the gradient flows, the slice flow and their limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator import problem4 as p4
from generator.problem4.flows import _flow_field

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)


def test_bad_flow_keeps_theta_and_the_sign_invariants_of_the_proof():
    # up to t = 100: later F = O(t^-2) drops below the integrator's absolute accuracy
    t = np.concatenate([[0.0], np.logspace(-3, 2, 101)])
    flow = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING)
    assert np.all(flow.params[:, p4.THETA_INDEX] == 2.0)
    np.testing.assert_allclose(flow.original, 1.0)
    c, kappa, lam = 1.0, SETTING.kappa, SETTING.lam
    u = np.exp(flow.z[1:])
    p = flow.params[1:, p4.A_INDEX] * u
    v = u * u
    r = c + p
    force = r * (v + kappa * p * p) + lam * p
    assert np.all((p > -c) & (p < 0)) and np.all(force > 0)
    assert np.all(np.diff(p) < 0) and np.all(np.diff(v) > 0)
    assert np.all(np.diff(flow.loss) < 0)
    np.testing.assert_allclose(flow.params[:, p4.W_INDEX], flow.params[:, p4.B_INDEX] * SETTING.x)


def test_flow_limits_are_close_to_one_late():
    t = np.concatenate([[0.0], np.logspace(-3, 4, 141)])
    ratios = p4.flow_limit_ratios(p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING), SETTING)
    for value in ratios.values():
        assert value == pytest.approx(1.0, abs=2e-3)


def test_flow_limits_for_another_lambda_and_negative_c():
    setting = p4.ToySetting(x=0.5, y=3.0, lam=2.0)  # c = q(2) - 3 = -2
    t = np.concatenate([[0.0], np.logspace(-3, 4, 141)])
    ratios = p4.flow_limit_ratios(p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, setting), setting)
    for value in ratios.values():
        assert value == pytest.approx(1.0, abs=5e-3)


def test_good_flow_switches_the_neuron_off():
    t = np.concatenate([[0.0], np.linspace(0.1, 60.0, 60)])
    flow = p4.gradient_flow([0.8, 0.0, 0.0, 0.0], t, SETTING)
    assert flow.loss[-1] < 1e-20
    assert abs(flow.params[-1, p4.A_INDEX]) < 1e-10
    assert abs(flow.params[-1, p4.THETA_INDEX]) < 1e-9


def test_good_basin_start_on_the_valley_floor_is_slow_and_slower_for_a_larger_bias():
    # theta follows grad L damped by s(z) < lambda e^{-2z}: the larger b_0, the less theta moves.
    t = np.concatenate([[0.0], np.logspace(-2, 4, 25)])
    moved = []
    for bias in (2.0, 4.0, 6.0):
        amplitude, _ = p4.valley_floor(bias, float(p4.cubic_model(0.8)), SETTING.lam)
        flow = p4.gradient_flow([0.8, 0.0, float(amplitude), bias], t, SETTING)
        assert np.all(np.diff(flow.loss) <= 1e-15)
        moved.append(0.8 - flow.params[-1, p4.THETA_INDEX])
    assert moved[0] > 0.7 and moved[2] < 0.05
    assert moved[0] > moved[1] > moved[2] > 0


def test_bias_grows_by_its_asymptotic_amount_per_decade_from_the_bad_minimum():
    t = np.array([0.0, 1e4, 1e5])
    flow = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING)
    increase = flow.params[2, p4.B_INDEX] - flow.params[1, p4.B_INDEX]
    assert increase == pytest.approx(math.log(10.0) / (2.0 * SETTING.kappa), rel=1e-2)


def test_scalar_flow_field_matches_the_vectorised_derivatives():
    field, jacobian = _flow_field(p4.ToySetting(x=-0.7, y=0.3, lam=0.8))
    setting = p4.ToySetting(x=-0.7, y=0.3, lam=0.8)
    rng = np.random.default_rng(11)
    for point in rng.uniform(-1.5, 2.5, size=(20, 4)):
        np.testing.assert_allclose(field(point, 0.0), -p4.modified_loss_gradient(point, setting), rtol=1e-13,
                                   atol=1e-13)
        np.testing.assert_allclose(jacobian(point, 0.0), -p4.modified_loss_hessian(point, setting), rtol=1e-13,
                                   atol=1e-13)


def test_slice_flow_reproduces_the_full_flow_with_both_integrators():
    t = np.concatenate([[0.0], np.logspace(-3, 3, 61)])
    full = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING)
    for method, tolerance in (("LSODA", 1e-6), ("BDF", 1e-4)):
        a, z = p4.slice_flow(t, 1.0, SETTING, method=method, rtol=1e-8)
        np.testing.assert_allclose(a, full.params[:, p4.A_INDEX], rtol=tolerance, atol=1e-12)
        np.testing.assert_allclose(z, full.z, rtol=tolerance, atol=1e-12)
        np.testing.assert_allclose(p4.slice_loss(a, z, 1.0, SETTING), full.loss, rtol=tolerance)


def test_onset_of_the_rate_is_late_for_a_small_penalty():
    """t L~ -> 1/(4 kappa) for every lambda, but not uniformly: the onset time grows like 1/lambda."""
    small = p4.ToySetting(lam=1e-4)
    scaled = p4.scaled_slice_loss(np.array([0.0, 1e2, 1e4, 1e6]), 1.0, small)
    assert scaled[1] < 0.1 and abs(scaled[3] - 1.0) < 0.02
    larger = p4.scaled_slice_loss(np.array([0.0, 1.0, 1e2]), 1.0, p4.ToySetting(lam=1e-2))
    # the curve depends (nearly) on lambda * t only
    np.testing.assert_allclose(scaled[[1, 2]], larger[[1, 2]], rtol=0.02)


def test_theta_returns_to_the_bad_minimum_at_the_heuristic_rate():
    assert p4.theta_return_exponent(2.0, SETTING) == pytest.approx(-3.0 / 8.0, abs=1e-15)
    # kappa and L(theta_b) enter as predicted: x = 0 gives kappa = 1, y = -1 gives c = 2
    assert p4.theta_return_exponent(2.0, p4.ToySetting(x=0.0, y=-1.0)) == pytest.approx(-2 * 2 * 1.5 / (4 * 4))
    t = np.concatenate([[0.0], np.logspace(-3, 4, 71)])
    flow = p4.gradient_flow([2.3, 0.0, 0.0, 0.0], t, SETTING)
    gap = np.abs(flow.params[:, p4.THETA_INDEX] - 2.0)
    window = t >= 1e2
    assert p4.loglog_slope(t[window], gap[window]) == pytest.approx(-0.375, abs=0.02)
    assert np.all(flow.original >= 1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING, rtol=0.0),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [1.0, 0.5], SETTING),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.5, 1.0], SETTING),
        lambda: p4.slice_flow([0.0, 1.0], 1.0, SETTING, method="RK45"),
        lambda: p4.theta_return_exponent(1.5, SETTING),
        lambda: p4.gradient_flow([[2.0, 0.0, 0.0, 0.0]], [0.0, 1.0], SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
