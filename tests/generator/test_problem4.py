"""Tests of the Problem 4 functions: the toy model, the modified loss and its
derivatives, the invariants used in the proofs, and the claims of ``run``."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from generator import problem4 as p4
from generator.problem4.flows import _flow_field

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "problem4.tex"


# ---------------------------------------------------------------- the toy model


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


# ---------------------------------------------------------------- modified loss


def test_gradient_matches_central_differences():
    assert p4.gradient_fd_error(SETTING, n_points=50, seed=1) < 1e-7


def test_hessian_matches_differences_of_gradient():
    rng = np.random.default_rng(3)
    points = rng.uniform(-1.0, 2.0, size=(20, 4))
    h = 1e-6
    shifts = h * np.eye(4)
    numeric = (
        p4.modified_loss_gradient(points[:, None, :] + shifts, SETTING)
        - p4.modified_loss_gradient(points[:, None, :] - shifts, SETTING)
    ) / (2 * h)
    analytic = p4.modified_loss_hessian(points, SETTING)
    np.testing.assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(analytic, np.swapaxes(analytic, -1, -2))


@pytest.mark.parametrize("x", [1.0, -0.7, 2.0])
def test_stationarity_identity_of_the_proof(x):
    """a dL~/da - dL~/db = 2 lambda a^2 and dL~/dw = x dL~/db at any point."""
    setting = p4.ToySetting(x=x, y=0.3, lam=0.8)
    rng = np.random.default_rng(7)
    points = rng.uniform(-2.0, 2.0, size=(200, 4))
    grad = p4.modified_loss_gradient(points, setting)
    a = points[:, p4.A_INDEX]
    np.testing.assert_allclose(
        a * grad[:, p4.A_INDEX] - grad[:, p4.B_INDEX], 2 * setting.lam * a * a, atol=1e-11
    )
    np.testing.assert_allclose(grad[:, p4.W_INDEX], x * grad[:, p4.B_INDEX], atol=1e-12)


def test_no_critical_point_with_bad_theta_on_a_grid():
    zz, aa = np.meshgrid(np.linspace(-4, 4, 81), np.linspace(-3, 3, 81))
    points = np.stack([np.full_like(zz, 2.0), np.zeros_like(zz), aa, zz], axis=-1)
    grad = p4.modified_loss_gradient(points, SETTING)
    assert np.min(np.hypot(grad[..., p4.A_INDEX], grad[..., p4.B_INDEX])) > 1e-3


def test_valley_floor_is_the_ridge_minimum():
    z = np.linspace(-3.0, 4.0, 15)
    a_star, floor = p4.valley_floor(z, 1.0, SETTING.lam)
    points = np.stack([np.full_like(z, 2.0), np.zeros_like(z), a_star, z], axis=-1)
    np.testing.assert_allclose(p4.modified_loss(points, SETTING), floor, rtol=1e-12)
    np.testing.assert_allclose(p4.modified_loss_gradient(points, SETTING)[:, p4.A_INDEX], 0.0, atol=1e-12)
    for delta in (1e-3, -1e-3):
        shifted = points.copy()
        shifted[:, p4.A_INDEX] += delta
        assert np.all(p4.modified_loss(shifted, SETTING) > floor)


def test_families_have_the_predicted_gradients():
    t = np.linspace(0.0, 8.0, 17)
    general = p4.escape_family_general(t, 2.0, SETTING)
    grad = p4.modified_loss_gradient(general, SETTING)
    # the gradient is 2 lambda a e_a (up to cancellation in the residual)
    np.testing.assert_allclose(grad[:, p4.A_INDEX], 2 * SETTING.lam * general[:, p4.A_INDEX], rtol=1e-6)
    np.testing.assert_allclose(grad[:, [0, 1, 3]], 0.0, atol=1e-9)
    loss, norm = p4.escape_family_general_prediction(t, 2.0, SETTING)
    np.testing.assert_allclose(norm, 2 * np.sqrt(SETTING.lam * loss), rtol=1e-12)
    # a bad theta that is not a critical point still has the exact formula
    other = p4.escape_family_general(t, 3.0, SETTING)
    np.testing.assert_allclose(
        p4.modified_loss(other, SETTING), p4.escape_family_general_prediction(t, 3.0, SETTING)[0], rtol=1e-6
    )
    valley = p4.escape_family_valley(t, 2.0, SETTING)
    loss_b, grad_b = p4.escape_family_valley_prediction(t, 2.0, SETTING)
    assert np.all(grad_b <= 2 * math.sqrt(SETTING.kappa) * loss_b)
    assert p4.family_formula_error(valley, loss_b, grad_b, SETTING) < 1e-6


def test_family_hessians_are_positive_semidefinite():
    t = np.linspace(0.0, 8.0, 9)
    assert p4.min_hessian_eigen_ratio(p4.escape_family_general(t, 2.0, SETTING), SETTING) > -1e-12
    assert p4.min_hessian_eigen_ratio(p4.escape_family_general(t, 3.0, SETTING), SETTING) > -1e-12


def test_valley_profile_is_a_scaled_copy_of_the_original_loss():
    """min_a L~ = lambda L(theta) / (lambda + e^{2z}): checked against a brute-force minimum over a."""
    a = np.linspace(-3.0, 1.0, 40001)
    for theta in (-0.3, 0.5, 2.0, 2.7):
        for z in (-1.0, 0.0, 1.5):
            points = np.stack([np.full_like(a, theta), np.zeros_like(a), a, np.full_like(a, z)], axis=-1)
            brute = np.min(p4.modified_loss(points, SETTING))
            assert p4.valley_profile(theta, z, SETTING) == pytest.approx(brute, rel=1e-6, abs=1e-12)
    # theta_b stays a strict local minimiser in theta at every finite z, and the profile decreases in z
    for z in (0.0, 2.0, 5.0):
        centre = p4.valley_profile(2.0, z, SETTING)
        assert p4.valley_profile(1.99, z, SETTING) > centre < p4.valley_profile(2.01, z, SETTING)
    zs = np.linspace(-3.0, 8.0, 50)
    assert np.all(np.diff(p4.valley_profile(2.0, zs, SETTING)) < 0)


def test_valley_profile_errors_are_rounding_level_and_reject_the_zero_of_l():
    value_error, gradient_error = p4.valley_profile_errors(np.linspace(0.3, 2.9, 7), np.linspace(-1, 3, 5), SETTING)
    assert value_error < 1e-12 and gradient_error < 1e-6
    with pytest.raises(ValueError):
        p4.valley_profile_errors(np.array([0.0, 1.0]), np.array([0.0]), SETTING)


# ---------------------------------------------------------------- non-convex example


def test_nonconvex_point_is_stationary_and_locally_minimal():
    point = np.array([2.0, 0.3, 0.0, -0.4])
    assert p4.nonconvex_modified_loss(point, SETTING) == 1.0
    h = 1e-6
    for k in range(4):
        e = np.zeros(4)
        e[k] = h
        derivative = (p4.nonconvex_modified_loss(point + e, SETTING) - p4.nonconvex_modified_loss(point - e, SETTING)) / (2 * h)
        assert abs(derivative) < 1e-8
    increase, inside = p4.nonconvex_perturbation_test(SETTING, radius=0.25, n_samples=2000, seed=0)
    assert increase > 0 and inside == 2000
    # the global minimum is lower: the local minimum is bad
    assert p4.nonconvex_modified_loss([0.0, 0.0, 0.0, 0.0], SETTING) == 0.0


def test_nonconvex_local_minimum_is_not_strict():
    assert p4.nonconvex_flat_directions(SETTING, radius=0.25, n_samples=500, seed=1) == 0.0
    increase, _ = p4.nonconvex_perturbation_test(SETTING, radius=0.25, n_samples=500, seed=1)
    assert increase >= 0.0


def test_nonconvex_perturbations_leave_the_neighbourhood_for_a_large_radius():
    _, inside = p4.nonconvex_perturbation_test(SETTING, radius=3.0, n_samples=2000, seed=0)
    assert inside < 2000


# ---------------------------------------------------------------- dynamics


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


def test_descent_over_flow_compares_at_equal_times():
    t = np.concatenate([[0.0], np.logspace(-3, 2.5, 56)])
    flow = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING)
    step = 0.5
    times = step * np.arange(601)
    exact = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], np.concatenate([[0.0], times[300:]]), SETTING).loss[1:]
    losses = np.concatenate([np.ones(300), 3.0 * exact])
    assert p4.descent_over_flow(losses, step, flow) == pytest.approx(3.0, rel=1e-3)


def test_two_data_points_admit_a_bad_critical_point_that_is_a_saddle():
    """For m = 2 stationarity no longer forces a good theta (remark in the write-up).

    x = (1, -1), y = (0, 0), squared loss, f(x; theta) = x q(theta): L = q^2, and the point
    (theta, w, a, b) = (2, 0, 0, b) is critical with residuals +-1 but theta = 2 is bad.
    """
    x_data, lam, b = np.array([1.0, -1.0]), 0.5, 0.3

    def loss(p):
        theta, w, a, bias = p
        residual = x_data * p4.cubic_model(theta) + a * np.exp(w * x_data + bias)
        return 0.5 * np.sum(residual**2) + lam * a * a

    point, h = np.array([2.0, 0.0, 0.0, b]), 1e-6
    gradient = [(loss(point + h * e) - loss(point - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(gradient, 0.0, atol=1e-9)
    assert loss(point) == 1.0 and loss(np.array([0.0, 0.0, 0.0, b])) == 0.0
    # The write-up's exact expansion: the point is neither a local minimum nor a local maximum.
    for w_prime in (-1.0, -0.3, 0.0, 0.7):
        for eps in (-0.2, 1e-3, 0.05):
            exact = 1 + 2 * eps * np.exp(b) * np.sinh(w_prime) + (np.exp(2 * b) * np.cosh(2 * w_prime) + lam) * eps**2
            assert loss(np.array([2.0, w_prime, eps, b])) == pytest.approx(exact, rel=1e-14)
    assert loss(np.array([2.0, 0.0, 1e-3, b])) > 1.0 > loss(np.array([2.0, -0.5, 1e-3, b]))


# ---------------------------------------------------------------- orbits and the bias identity


@pytest.mark.parametrize(
    "theta0, low, high",
    [(-3.0, -np.inf, 1.0), (0.5, -np.inf, 1.0), (1.0, 1.0, 1.0), (1.5, 1.0, 2.0), (2.0, 2.0, 2.0),
     (2.5, 2.0, np.inf)],
)
def test_orbit_interval_table(theta0, low, high):
    assert p4.orbit_interval(theta0) == (low, high)


def _random_starts(n, seed):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(-0.5, 3.0, n), rng.standard_normal(n), rng.uniform(-4.0, 4.0, n),
                            rng.standard_normal(n)])


def test_batched_flow_matches_single_flows():
    starts = _random_starts(4, seed=1)
    t_eval = np.concatenate([[0.0], np.logspace(-2, 1, 13)])
    params, integral = p4.gradient_flow_batch(starts, t_eval, SETTING)
    assert params.shape == (14, 4, 4) and integral.shape == (14, 4)
    for k, start in enumerate(starts):
        np.testing.assert_allclose(params[:, k], p4.gradient_flow(start, t_eval, SETTING).params, atol=1e-7)
    np.testing.assert_array_equal(integral[0], 0.0)
    assert np.all(np.diff(integral, axis=0) >= 0)


def test_bias_identity_holds_and_detects_a_wrong_penalty():
    """b - a^2/2 - 2 lambda int a^2 is constant along every flow; b - a^2/2 is nondecreasing."""
    starts = _random_starts(8, seed=2)
    params, integral = p4.gradient_flow_batch(starts, np.concatenate([[0.0], np.logspace(-3, 2, 31)]), SETTING)
    assert p4.bias_identity_residual(params, integral, SETTING) < 1e-7
    monotone_part = params[..., p4.B_INDEX] - 0.5 * params[..., p4.A_INDEX] ** 2
    assert np.all(np.diff(monotone_part, axis=0) >= -1e-9)
    wrong = p4.ToySetting(x=SETTING.x, y=SETTING.y, lam=2.0 * SETTING.lam)
    assert p4.bias_identity_residual(params, integral, wrong) > 1e-2


def test_orbit_statistics_of_random_flows_and_of_a_forged_crossing():
    starts = _random_starts(12, seed=3)
    params, _ = p4.gradient_flow_batch(starts, np.concatenate([[0.0], np.logspace(-3, 2, 31)]), SETTING)
    excursion, min_original, sign_changes = p4.orbit_statistics(params, SETTING)
    assert excursion <= 1e-12 and min_original >= 1 - 1e-12 and sign_changes >= 1
    # The dichotomy: flows from the good basin solve the problem, the others keep L >= 1.
    final_original = p4.original_loss(params[-1, :, p4.THETA_INDEX], SETTING)
    good = starts[:, p4.THETA_INDEX] < 1.0
    assert np.all(final_original[good] < 1e-8) and np.all(final_original[~good] >= 1 - 1e-12)
    forged = params.copy()
    bad_from_below = np.flatnonzero((starts[:, p4.THETA_INDEX] > 1.0) & (starts[:, p4.THETA_INDEX] < 2.0))[0]
    forged[-1, bad_from_below, p4.THETA_INDEX] = 0.9
    assert p4.orbit_statistics(forged, SETTING)[0] == pytest.approx(0.1)


def test_orbit_theorem_in_a_two_parameter_model():
    """L(theta(t)) >= L(theta_b) from the basin of a bad minimum, for a model with theta in R^2.

    f(theta) = (theta_1^2 - 1)^2 + 0.6 theta_1 + theta_2^2 - 0.3 + 0.5 theta_1 theta_2, squared loss,
    y = 0: f has a local minimum with f > 0 near (1, 0), a bad local minimum of L = f^2, and
    zeros elsewhere.  Starts are kept if the gradient flow of L from them reaches theta_b.
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import minimize

    def model(t):
        return (t[0] ** 2 - 1) ** 2 + 0.6 * t[0] + t[1] ** 2 - 0.3 + 0.5 * t[0] * t[1]

    def slope(t):
        return np.array([4 * t[0] * (t[0] ** 2 - 1) + 0.6 + 0.5 * t[1], 2 * t[1] + 0.5 * t[0]])

    theta_b = minimize(model, [1.0, 0.0], jac=slope, tol=1e-12).x
    assert model(theta_b) > 0.1
    lam, x = 0.5, np.array([1.0, -0.5])

    def field(_t, s):
        theta, w, a, b = s[:2], s[2:4], s[4], s[5]
        u = np.exp(w @ x + b)
        r = model(theta) + a * u
        return np.concatenate([-2 * r * slope(theta), -2 * r * a * u * x, [-2 * (r * u + lam * a), -2 * r * a * u]])

    rng = np.random.default_rng(0)
    kept, sign_changes = 0, 0
    while kept < 6:
        theta0 = rng.uniform(0.0, 2.0, 2)
        end = solve_ivp(lambda _t, t: -2 * model(t) * slope(t), (0, 200), theta0, rtol=1e-9).y[:, -1]
        if np.linalg.norm(end - theta_b) > 1e-4:
            continue
        kept += 1
        w0, b0 = rng.standard_normal(2), rng.standard_normal()
        # Every other start has a negative initial residual, so theta first runs backwards on its orbit.
        residual0 = rng.uniform(0.5, 3.0) * (-1) ** kept
        a0 = (residual0 - model(theta0)) * np.exp(-(w0 @ x + b0))
        flow = solve_ivp(field, (0, 100), np.concatenate([theta0, w0, [a0, b0]]), method="LSODA", rtol=1e-9,
                         atol=1e-12)
        assert flow.success
        values = np.array([model(theta) for theta in flow.y[:2].T])
        assert np.min(values) >= model(theta_b) - 1e-9
        residual = values + flow.y[4] * np.exp(flow.y[2:4].T @ x + flow.y[5])
        sign_changes += bool(np.any(residual > 0) and np.any(residual < 0))
    assert sign_changes >= 1


def test_descent_first_step_and_small_step_limit():
    start = np.array([2.0, 0.0, 0.0, 0.0])
    losses, z, a = p4.gradient_descent_constant_step(start, 0.1, 1, SETTING)
    first = start - 0.1 * p4.modified_loss_gradient(start, SETTING)
    assert a[1] == pytest.approx(first[p4.A_INDEX], rel=1e-14)
    assert z[1] == pytest.approx(first[p4.W_INDEX] * SETTING.x + first[p4.B_INDEX], abs=1e-15)
    assert losses[1] == pytest.approx(p4.modified_loss(first, SETTING), rel=1e-14)
    step = 1e-4
    losses, _, _ = p4.gradient_descent_constant_step(start, step, 10000, SETTING)
    flow = p4.gradient_flow(start, np.array([0.0, 1.0]), SETTING)
    assert losses[-1] == pytest.approx(flow.loss[-1], rel=1e-3)


def test_constant_step_statistics_of_a_stalled_run():
    losses, z, _ = p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 1e-2, 20000, SETTING)
    ratio, curvature = p4.constant_step_statistics(losses, z, 1e-2, SETTING, offset=1.0)
    assert 0.7 < ratio < 1.4 and 1.7 < curvature < 2.3


def test_slopes_of_exact_laws():
    t = np.logspace(0, 4, 9)
    assert p4.loglog_slope(t, 3.0 * t**-1.5) == pytest.approx(-1.5, abs=1e-12)
    s = np.linspace(0, 5, 11)
    assert p4.semilog_slope(s, 2.0 * np.exp(-2.0 * s)) == pytest.approx(-2.0, abs=1e-12)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.ToySetting(lam=0.0),
        lambda: p4.ToySetting(lam=-1.0),
        lambda: p4.ToySetting(x=float("nan")),
        lambda: p4.modified_loss([1.0, 2.0, 3.0], SETTING),
        lambda: p4.modified_loss([1.0, 2.0, float("inf"), 0.0], SETTING),
        lambda: p4.gradient_fd_error(SETTING, n_points=0, seed=0),
        lambda: p4.nonconvex_perturbation_test(SETTING, radius=0.0, n_samples=10, seed=0),
        lambda: p4.nonconvex_perturbation_test(SETTING, radius=1.0, n_samples=0, seed=0),
        lambda: p4.valley_floor(0.0, 1.0, 0.0),
        lambda: p4.escape_family_valley(np.zeros(3), 2.5, SETTING),
        lambda: p4.escape_family_valley_prediction(np.zeros(3), 0.0, SETTING),
        lambda: p4.loglog_slope([1.0, 2.0], [1.0, -1.0]),
        lambda: p4.loglog_slope([1.0], [1.0]),
        lambda: p4.semilog_slope([1.0, 2.0], [0.0, 1.0]),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING, rtol=0.0),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [1.0, 0.5], SETTING),
        lambda: p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.5, 1.0], SETTING),
        lambda: p4.slice_flow([0.0, 1.0], 1.0, SETTING, method="RK45"),
        lambda: p4.nonconvex_flat_directions(SETTING, radius=-1.0, n_samples=10, seed=0),
        lambda: p4.theta_return_exponent(1.5, SETTING),
        lambda: p4.descent_over_flow(np.ones(11), 1.0, p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING)),
        lambda: p4.gradient_flow([[2.0, 0.0, 0.0, 0.0]], [0.0, 1.0], SETTING),
        lambda: p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 0.0, 10, SETTING),
        lambda: p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 0.1, 0, SETTING),
        lambda: p4.orbit_interval(float("nan")),
        lambda: p4.gradient_flow_batch([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING),
        lambda: p4.gradient_flow_batch([[2.0, 0.0, 0.0, 0.0]], [0.0, 1.0], SETTING, rtol=1.0),
        lambda: p4.bias_identity_residual(np.zeros((3, 2, 4)), np.zeros((3, 3)), SETTING),
        lambda: p4.orbit_statistics(np.zeros((3, 4)), SETTING),
        lambda: p4.orbit_statistics(np.zeros((3, 2, 4)), SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


# ---------------------------------------------------------------- run() and template


@pytest.fixture(scope="module")
def figures_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(scope="module")
def ledger(figures_dir):
    return p4.run(figures_dir)


def test_run_claims_all_pass(ledger):
    assert len(ledger.claims) >= 4
    failed = [(c.name, c.value, c.check.text) for c in ledger.claims if not c.passed]
    assert not failed


def test_run_writes_every_figure(ledger, figures_dir):
    names = {f.file for f in ledger.figures}
    assert names == {"p4_flows.pdf", "p4_landscape.pdf"}
    for name in names:
        assert (figures_dir / name).read_bytes().startswith(b"%PDF")


def test_template_cites_exactly_the_claims(ledger):
    text = TEMPLATE.read_text()
    cited = set(re.findall(r"\\VAR\{c\.(p4_[a-z0-9_]+)\}", text))
    defined = {c.name for c in ledger.claims}
    assert cited == defined
    parameters = set(re.findall(r"\\VAR\{p\.(p4_[a-z0-9_]+)\}", text))
    assert parameters <= {p.name for p in ledger.parameters}
    figures = set(re.findall(r"\\VAR\{f\.(p4_[a-z0-9_]+)\.", text))
    assert figures == {f.name for f in ledger.figures}
