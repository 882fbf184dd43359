"""Tests of :mod:`generator.problem4.modified`: the modified loss, its gradient and Hessian, the
stationarity identities used in the proofs, and a bad critical point for two data points."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)


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


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.modified_loss([1.0, 2.0, 3.0], SETTING),
        lambda: p4.modified_loss([1.0, 2.0, float("inf"), 0.0], SETTING),
        lambda: p4.gradient_fd_error(SETTING, n_points=0, seed=0),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
