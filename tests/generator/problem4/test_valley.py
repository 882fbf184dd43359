"""Tests of :mod:`generator.problem4.valley`: the valley floor, the profile and the escape families."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


def _points(theta, a, z):
    """Parameter vectors (theta, w, a, b) with w = 0, so z = b."""
    theta, a, z = np.broadcast_arrays(theta, a, z)
    return np.stack([theta, np.zeros_like(theta), np.zeros_like(theta), a, z], axis=-1)


def test_valley_floor_is_the_ridge_minimum():
    z = np.linspace(-3.0, 4.0, 15)
    a_star, floor = p4.valley_floor(z, 1.0, SETTING.lam)
    points = _points(2.0, a_star, z)
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
    np.testing.assert_allclose(np.delete(grad, p4.A_INDEX, axis=-1), 0.0, atol=1e-9)
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
            points = _points(theta, a, z)
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


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.valley_floor(0.0, 1.0, 0.0),
        lambda: p4.escape_family_valley(np.zeros(3), 2.5, SETTING),
        lambda: p4.escape_family_valley_prediction(np.zeros(3), 0.0, SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_min_hessian_eigen_ratio_is_the_smallest_over_the_points():
    import scipy.linalg

    rng = np.random.default_rng(7)
    points = np.column_stack([rng.uniform(0.0, 3.0, 12), rng.standard_normal((12, 2)), rng.standard_normal(12),
                              rng.standard_normal(12)])
    ratios = [(lambda e: e[0] / e[-1])(scipy.linalg.eigvalsh(h)) for h in p4.modified_loss_hessian(points, SETTING)]
    assert max(ratios) - min(ratios) > 0.1
    assert p4.min_hessian_eigen_ratio(points, SETTING) == pytest.approx(min(ratios), rel=1e-9, abs=1e-14)
