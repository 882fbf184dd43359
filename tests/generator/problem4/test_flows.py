"""Tests of :mod:`generator.problem4.flows`: the gradient flows, the slice flow and their limits."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from generator import problem4 as p4
from generator.problem4.flows import _flow_field

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)
BAD_START = [2.0, 0.0, 0.0, 0.0, 0.0]


def _start(theta, a=0.0, b=0.0, d=2):
    return np.concatenate([[theta], np.zeros(d), [a, b]])


def test_bad_flow_keeps_theta_and_the_sign_invariants_of_the_proof():
    # up to t = 100: later F = O(t^-2) drops below the integrator's absolute accuracy
    t = np.concatenate([[0.0], np.logspace(-3, 2, 101)])
    flow = p4.gradient_flow(BAD_START, t, SETTING)
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
    np.testing.assert_allclose(flow.params[:, p4.w_slice(2)], np.outer(flow.params[:, p4.B_INDEX], SETTING.x))
    assert p4.bias_direction_error(flow, SETTING) < 1e-12 and p4.dissipation_error(flow) < 1e-8


def test_flow_limits_are_close_to_one_late():
    t = np.concatenate([[0.0], np.logspace(-3, 4, 141)])
    ratios = p4.flow_limit_ratios(p4.gradient_flow(BAD_START, t, SETTING), SETTING)
    for value in ratios.values():
        assert value == pytest.approx(1.0, abs=2e-3)


def test_flow_limits_for_another_lambda_and_negative_c():
    setting = p4.ToySetting(inputs=(0.5, 0.2, -0.3), targets=3.0, lam=2.0)  # c = q(2) - 3 = -2
    t = np.concatenate([[0.0], np.logspace(-3, 4, 141)])
    ratios = p4.flow_limit_ratios(p4.gradient_flow(_start(2.0, d=3), t, setting), setting)
    for value in ratios.values():
        assert value == pytest.approx(1.0, abs=5e-3)


def test_good_flow_switches_the_neuron_off():
    t = np.concatenate([[0.0], np.linspace(0.1, 60.0, 60)])
    flow = p4.gradient_flow(_start(0.8), t, SETTING)
    assert flow.loss[-1] < 1e-20
    assert abs(flow.params[-1, p4.A_INDEX]) < 1e-10
    assert abs(flow.params[-1, p4.THETA_INDEX]) < 1e-9


def test_good_basin_start_on_the_valley_floor_is_slow_and_slower_for_a_larger_bias():
    # theta follows grad L damped by s(z) < lambda e^{-2z}: the larger b_0, the less theta moves.
    t = np.concatenate([[0.0], np.logspace(-2, 4, 25)])
    moved = []
    for bias in (2.0, 4.0, 6.0):
        amplitude, _ = p4.valley_floor(bias, float(p4.cubic_model(0.8)), SETTING.lam)
        flow = p4.gradient_flow(_start(0.8, float(amplitude), bias), t, SETTING)
        assert np.all(np.diff(flow.loss) <= 1e-15)
        moved.append(0.8 - flow.params[-1, p4.THETA_INDEX])
    assert moved[0] > 0.7 and moved[2] < 0.05
    assert moved[0] > moved[1] > moved[2] > 0


def test_bias_grows_by_its_asymptotic_amount_per_decade_from_the_bad_minimum():
    t = np.array([0.0, 1e4, 1e5])
    flow = p4.gradient_flow(BAD_START, t, SETTING)
    increase = flow.params[2, p4.B_INDEX] - flow.params[1, p4.B_INDEX]
    assert increase == pytest.approx(math.log(10.0) / (2.0 * SETTING.kappa), rel=1e-2)


def test_scalar_flow_field_matches_the_vectorised_derivatives():
    setting = p4.ToySetting(inputs=(-0.7, 1.2, 0.4), targets=0.3, lam=0.8)
    field = _flow_field(setting)
    for point in p4.random_parameters(setting, 20, seed=11):
        state = np.concatenate([point, [0.0]])
        gradient = p4.modified_loss_gradient(point, setting)
        expected = np.concatenate([-gradient, [gradient @ gradient]])
        np.testing.assert_allclose(field(state, 0.0), expected, rtol=1e-13, atol=1e-13)


def test_flow_identities_detect_a_wrong_flow():
    t = np.concatenate([[0.0], np.logspace(-2, 1, 31)])
    flow = p4.gradient_flow(_start(2.5, 0.3, -0.2), t, SETTING)
    assert p4.dissipation_error(flow) < 1e-8 and p4.bias_direction_error(flow, SETTING) < 1e-12
    wrong = p4.FlowResult(**{**flow.__dict__, "dissipated": 0.9 * flow.dissipated})
    assert p4.dissipation_error(wrong) > 1e-2
    params = flow.params.copy()
    params[:, 1] *= 1.1
    assert p4.bias_direction_error(p4.FlowResult(**{**flow.__dict__, "params": params}), SETTING) > 1e-3


def test_slice_flow_reproduces_the_full_flow_with_both_integrators():
    t = np.concatenate([[0.0], np.logspace(-3, 3, 61)])
    full = p4.gradient_flow(BAD_START, t, SETTING)
    for method, tolerance in (("LSODA", 1e-6), ("BDF", 1e-4)):
        a, z = p4.slice_flow(t, 1.0, SETTING, method=method, rtol=1e-8)
        np.testing.assert_allclose(a, full.params[:, p4.A_INDEX], rtol=tolerance, atol=1e-12)
        np.testing.assert_allclose(z, full.z, rtol=tolerance, atol=1e-12)
        np.testing.assert_allclose(p4.slice_loss(a, z, 1.0, SETTING), full.loss, rtol=tolerance)


def test_onset_of_the_rate_is_late_for_a_small_penalty():
    """t L~ -> 1/(4 kappa) for every lambda, but not uniformly: the onset time grows like 1/lambda."""
    small = p4.ToySetting(inputs=(1.0,), targets=0.0, lam=1e-4)
    scaled = p4.scaled_slice_loss(np.array([0.0, 1e2, 1e4, 1e6]), 1.0, small)
    assert scaled[1] < 0.1 and abs(scaled[3] - 1.0) < 0.02
    larger = p4.scaled_slice_loss(np.array([0.0, 1.0, 1e2]), 1.0, p4.ToySetting(inputs=(1.0,), targets=0.0, lam=1e-2))
    # the curve depends (nearly) on lambda * t only
    np.testing.assert_allclose(scaled[[1, 2]], larger[[1, 2]], rtol=0.02)


def test_theta_returns_to_the_bad_minimum_at_the_heuristic_rate():
    assert p4.theta_return_exponent(2.0, SETTING) == Fraction(-1, 3)
    # kappa and L(theta_b) enter as predicted: x = 0 gives kappa = 1, y = -1 gives c = 2, L'' = 2 c q'' = 6
    assert p4.theta_return_exponent(2.0, p4.ToySetting(inputs=(0.0,), targets=-1.0, lam=1.0)) == Fraction(-6, 16)
    assert p4.theta_return_exponent(2.0, p4.ToySetting(inputs=(1.0, 1.0), targets=0.5, lam=1.0)) == Fraction(-1, 2)
    t = np.concatenate([[0.0], np.logspace(-3, 4, 71)])
    flow = p4.gradient_flow(_start(2.3), t, SETTING)
    gap = np.abs(flow.params[:, p4.THETA_INDEX] - 2.0)
    window = t >= 1e2
    assert p4.loglog_slope(t[window], gap[window]) == pytest.approx(-1 / 3, abs=0.02)
    assert np.all(flow.original >= 1.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.gradient_flow(BAD_START, [0.0, 1.0], SETTING, rtol=0.0),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING),
        lambda: p4.theta_return_exponent(0.0, SETTING),
        lambda: p4.gradient_flow(BAD_START, [1.0, 0.5], SETTING),
        lambda: p4.gradient_flow(BAD_START, [0.5, 1.0], SETTING),
        lambda: p4.slice_flow([0.0, 1.0], 1.0, SETTING, method="RK45"),
        lambda: p4.theta_return_exponent(1.5, SETTING),
        lambda: p4.gradient_flow([BAD_START], [0.0, 1.0], SETTING),
        lambda: p4.gradient_flow(BAD_START[:2] + [0.0], [0.0, 1.0], p4.ToySetting(inputs=[[1.0], [2.0]],
                                                                                  targets=[0.0, 0.0], lam=1.0)),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_slice_jacobian_agrees_with_central_differences():
    from generator.problem4.flows import JACOBIAN_GRID, slice_jacobian_error

    for offset, setting in ((1.0, SETTING), (-0.7, p4.ToySetting(inputs=(2.0,), targets=0.3, lam=0.1))):
        assert slice_jacobian_error(offset, setting, *JACOBIAN_GRID) < 1e-8
