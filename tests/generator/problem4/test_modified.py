"""Tests of :mod:`generator.problem4.modified`: the modified loss, its gradient and Hessian, the
stationarity identities used in the proofs, and a bad critical point for two data points."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


RANDOM = p4.ToySetting(inputs=[[0.3, -1.2, 0.7], [1.1, 0.4, -0.5], [-0.8, 0.9, 1.3], [0.2, 0.2, -1.4]],
                       targets=[0.4, -0.6, 1.1, 0.0], lam=0.9, features=[1.3, -0.7, 0.5, 2.0])


@pytest.mark.parametrize("setting", [SETTING, RANDOM], ids=["toy", "four-points-in-R3"])
def test_derivatives_match_central_differences(setting):
    gradient_error, hessian_error = p4.derivative_fd_errors(setting, n_points=30, seed=1)
    assert gradient_error < 1e-8 and hessian_error < 1e-8
    hessian = p4.modified_loss_hessian(p4.random_parameters(setting, 5, seed=2), setting)
    np.testing.assert_array_equal(hessian, np.swapaxes(hessian, -1, -2))


def test_loss_gradient_and_hessian_against_a_loop_over_the_data():
    """The vectorised forms against the definition, one data point at a time, at one point."""
    point = np.array([1.7, 0.2, -0.4, 0.6, 0.9, -0.3])
    theta, w, a, b = point[0], point[1:4], point[4], point[5]
    loss, gradient, hessian = RANDOM.lam * a * a, np.zeros(6), np.zeros((6, 6))
    gradient[4], hessian[4, 4] = 2 * RANDOM.lam * a, 2 * RANDOM.lam
    for x, y, s in zip(RANDOM.inputs, RANDOM.targets, RANDOM.features):
        u = np.exp(w @ x + b)
        r = s * p4.cubic_model(theta) + a * u - y
        grad_r = np.array([s * p4.cubic_model_slope(theta), *(a * u * x), u, a * u])
        hess_r = np.zeros((6, 6))
        hess_r[0, 0] = s * p4.cubic_model_curvature(theta)
        zb = [1, 2, 3, 5]
        x_ext = np.array([*x, 1.0])
        hess_r[np.ix_(zb, zb)] = a * u * np.outer(x_ext, x_ext)
        hess_r[4, zb] = hess_r[zb, 4] = u * x_ext
        loss += r * r / RANDOM.m
        gradient += 2 * r * grad_r / RANDOM.m
        hessian += 2 * (np.outer(grad_r, grad_r) + r * hess_r) / RANDOM.m
    assert p4.modified_loss(point, RANDOM) == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(p4.modified_loss_gradient(point, RANDOM), gradient, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(p4.modified_loss_hessian(point, RANDOM), hessian, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("x", [(1.0,), (-0.7, 0.3), (0.5, -1.0, 2.0)])
def test_stationarity_identity_of_the_proof(x):
    """a dL~/da - dL~/db = 2 lambda a^2 and dL~/dw = x dL~/db at any point (one data point)."""
    setting = p4.ToySetting(inputs=x, targets=0.3, lam=0.8)
    points = p4.random_parameters(setting, 200, seed=7)
    grad = p4.modified_loss_gradient(points, setting)
    a = points[:, p4.A_INDEX]
    np.testing.assert_allclose(
        a * grad[:, p4.A_INDEX] - grad[:, p4.B_INDEX], 2 * setting.lam * a * a, atol=1e-11
    )
    np.testing.assert_allclose(grad[:, p4.w_slice(len(x))], np.outer(grad[:, p4.B_INDEX], x), atol=1e-12)


def test_no_critical_point_with_bad_theta_on_a_grid():
    zz, aa = np.meshgrid(np.linspace(-4, 4, 81), np.linspace(-3, 3, 81))
    points = np.stack([np.full_like(zz, 2.0), np.zeros_like(zz), np.zeros_like(zz), aa, zz], axis=-1)
    grad = p4.modified_loss_gradient(points, SETTING)
    assert np.min(np.hypot(grad[..., p4.A_INDEX], grad[..., p4.B_INDEX])) > 1e-3


def test_two_data_points_admit_a_bad_critical_point_that_is_a_saddle():
    """For m = 2 stationarity no longer forces a good theta (remark in the write-up).

    x = (1, -1), y = (0, 0), squared loss, f(x; theta) = x q(theta): L = q^2, and the point
    (theta, w, a, b) = (2, 0, 0, b) is critical with residuals +-1 but theta = 2 is bad.
    """
    lam, b = 0.5, 0.3
    setting = p4.ToySetting(inputs=[[1.0], [-1.0]], targets=[0.0, 0.0], lam=lam, features=[1.0, -1.0])
    point = np.array([2.0, 0.0, 0.0, b])
    np.testing.assert_allclose(p4.modified_loss_gradient(point, setting), 0.0, atol=1e-15)
    assert p4.modified_loss(point, setting) == 1.0 and p4.modified_loss([0.0, 0.0, 0.0, b], setting) == 0.0
    # The write-up's exact expansion: the point is neither a local minimum nor a local maximum.
    for w_prime in (-1.0, -0.3, 0.0, 0.7):
        for eps in (-0.2, 1e-3, 0.05):
            exact = 1 + 2 * eps * np.exp(b) * np.sinh(w_prime) + (np.exp(2 * b) * np.cosh(2 * w_prime) + lam) * eps**2
            assert p4.modified_loss([2.0, w_prime, eps, b], setting) == pytest.approx(exact, rel=1e-14)
    eigenvalues = np.linalg.eigvalsh(p4.modified_loss_hessian(point, setting))
    u2 = np.exp(2 * b)
    root = np.sqrt((u2 + lam) ** 2 + 4 * u2)
    closed = sorted([u2 + lam - root, 0.0, 3.0, u2 + lam + root])
    np.testing.assert_allclose(eigenvalues, closed, atol=1e-13)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.modified_loss([1.0, 2.0, 3.0, 4.0], SETTING),
        lambda: p4.modified_loss([1.0, 2.0, 0.0, float("inf"), 0.0], SETTING),
        lambda: p4.derivative_fd_errors(SETTING, n_points=0, seed=0),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
