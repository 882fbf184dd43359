"""Tests of :mod:`generator.problem4.orbits`: the orbit of theta and the bias identity on flows from
many starts (and the orbit theorem in a two-parameter model)."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


@pytest.mark.parametrize(
    "theta0, low, high",
    [(-3.0, -np.inf, 1.0), (0.5, -np.inf, 1.0), (1.0, 1.0, 1.0), (1.5, 1.0, 2.0), (2.0, 2.0, 2.0),
     (2.5, 2.0, np.inf)],
)
def test_orbit_interval_table(theta0, low, high):
    assert p4.orbit_interval(theta0) == (low, high)


def _random_starts(n, seed):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(-0.5, 3.0, n), rng.standard_normal((n, 2)), rng.uniform(-4.0, 4.0, n),
                            rng.standard_normal(n)])


def test_batched_flow_matches_single_flows():
    starts = _random_starts(4, seed=1)
    t_eval = np.concatenate([[0.0], np.logspace(-2, 1, 13)])
    params, integrals = p4.gradient_flow_batch(starts, t_eval, SETTING)
    assert params.shape == (14, 4, 5) and integrals.shape == (14, 4, 2)
    for k, start in enumerate(starts):
        single = p4.gradient_flow(start, t_eval, SETTING)
        np.testing.assert_allclose(params[:, k], single.params, atol=1e-7)
        np.testing.assert_allclose(integrals[:, k, 1], single.dissipated, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(integrals[0], 0.0)
    assert np.all(np.diff(integrals, axis=0) >= 0)
    assert p4.batch_dissipation_error(params, integrals, SETTING) < 1e-7


@pytest.fixture(scope="module")
def random_flows():
    """Flows from ten random starts in both basins, up to t = 100."""
    starts = _random_starts(10, seed=3)
    return starts, *p4.gradient_flow_batch(starts, np.concatenate([[0.0], np.logspace(-3, 2, 31)]), SETTING)


def test_bias_identity_holds_and_detects_a_wrong_penalty(random_flows):
    """b - a^2/2 - 2 lambda int a^2 is constant along every flow; b - a^2/2 is nondecreasing."""
    _, params, integrals = random_flows
    assert p4.bias_identity_residual(params, integrals, SETTING) < 1e-7
    monotone_part = params[..., p4.B_INDEX] - 0.5 * params[..., p4.A_INDEX] ** 2
    assert np.all(np.diff(monotone_part, axis=0) >= -1e-9)
    wrong = p4.ToySetting(inputs=SETTING.inputs, targets=SETTING.targets, lam=2.0 * SETTING.lam)
    assert p4.bias_identity_residual(params, integrals, wrong) > 1e-2
    assert p4.batch_dissipation_error(params, integrals, wrong) > 1e-2


def test_orbit_statistics_of_random_flows_and_of_a_forged_crossing(random_flows):
    starts, params, _ = random_flows
    excursion, min_original, sign_changes, bad_starts = p4.orbit_statistics(params, SETTING)
    assert excursion <= 1e-12 and min_original >= 1 - 1e-12 and sign_changes >= 1
    assert bad_starts == np.count_nonzero(starts[:, p4.THETA_INDEX] > 1.0)
    # The dichotomy: flows from the good basin solve the problem, the others keep L >= 1.
    final_original = p4.original_loss(params[-1, :, p4.THETA_INDEX], SETTING)
    good = starts[:, p4.THETA_INDEX] < 1.0
    assert np.all(final_original[good] < 1e-8) and np.all(final_original[~good] >= 1 - 1e-12)
    forged = params.copy()
    bad_from_below = np.flatnonzero((starts[:, p4.THETA_INDEX] > 1.0) & (starts[:, p4.THETA_INDEX] < 2.0))[0]
    forged[-1, bad_from_below, p4.THETA_INDEX] = 0.9
    assert p4.orbit_statistics(forged, SETTING)[0] == pytest.approx(0.1)
    # A sign change counts only beyond a millionth of the flow's largest residual.
    residuals = np.array([[1.0, 1.0], [0.5, -0.5], [-1e-9, 0.2]])  # (time, flow)
    synthetic = np.zeros((3, 2, 5))
    synthetic[..., p4.THETA_INDEX] = 2.5  # q(2.5) = 1.25; w = b = 0, so r = 1.25 + a
    synthetic[..., p4.A_INDEX] = residuals - 1.25
    assert p4.orbit_statistics(synthetic, SETTING)[2] == 1


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


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.orbit_interval(float("nan")),
        lambda: p4.gradient_flow_batch([2.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING),
        lambda: p4.gradient_flow_batch([[2.0, 0.0, 0.0, 0.0, 0.0]], [0.0, 1.0], SETTING, rtol=1.0),
        lambda: p4.gradient_flow_batch([[2.0, 0.0, 0.0, 0.0]], [0.0, 1.0], SETTING),
        lambda: p4.bias_identity_residual(np.zeros((3, 2, 5)), np.zeros((3, 3, 2)), SETTING),
        lambda: p4.batch_dissipation_error(np.zeros((3, 2, 5)), np.zeros((3, 2)), SETTING),
        lambda: p4.orbit_statistics(np.zeros((3, 5)), SETTING),
        lambda: p4.orbit_statistics(np.zeros((3, 2, 5)), SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_sign_changing_is_per_flow_and_free_of_units():
    from generator.problem4.orbits import sign_changing

    # (time, flow): flow 0 changes sign beyond a millionth of its own largest value, flow 1 by 1e4 of 1e9,
    # flow 2 only at the level of its own rounding.
    residual = np.array([[1.0, 1e9, 1.0], [-1e-3, 1e9, -1e-9], [0.5, -1e4, 0.5]])
    assert sign_changing(residual).tolist() == [True, True, False]
    assert sign_changing(residual * np.array([1e6, 1e-6, 1e3])).tolist() == [True, True, False]
    for j in range(3):
        assert sign_changing(residual[:, [j]]).tolist() == [sign_changing(residual)[j]]


def test_flow_residuals_are_the_residual_of_the_model():
    from generator.problem4.orbits import flow_residuals

    params = np.array([[[2.5, 0.3, -0.2, 0.7, 0.1]]])  # (time, flow, d + 3)
    z = 0.3 * 0.5 + 0.2 + 0.1
    expected = 2.5 * (2 * 2.5**2 - 9 * 2.5 + 12) / 4 + 0.7 * np.exp(z) - SETTING.y
    assert flow_residuals(params, SETTING)[0, 0] == pytest.approx(expected, rel=1e-14)


def test_sign_changing_reads_the_same_backwards_and_for_small_first_values():
    from generator.problem4.orbits import sign_changing

    # Flow 0 starts at rounding level and then changes sign for real; flow 1 ends at rounding level after a
    # real change; flow 2 only wobbles at its own rounding level after a large start.
    residual = np.array([[1e-12, 3.0, 2.0], [2.0, -1.0, 1e-9], [-1.0, 1e-15, -1e-9]])
    assert sign_changing(residual).tolist() == [True, True, False]
    assert sign_changing(residual[::-1]).tolist() == [True, True, False]
    # A residual that starts at exactly 0 and stays at rounding level does not change sign.
    tiny = np.array([[0.0], [1.0], [1e-10], [-1e-10]])
    assert sign_changing(tiny).tolist() == [False]
