"""Tests of Problem 2's upper bounds: ours, the balanced constant, and Hardt & Ma's."""

from __future__ import annotations

import numpy as np
import pytest

from generator.problem2 import (
    balanced_layer_norms,
    construct_layers,
    example_matrices,
    max_layer_norm,
    max_rotation_angle,
    polar_factors,
)
from generator.problem2.upper_bounds import (
    balanced_constant,
    construction_bound,
    construction_bounds,
    hardt_ma_bound,
    hardt_ma_finite_depth_ratio,
    rate_constant,
)

CASES = example_matrices(np.random.default_rng(0))


def test_vectorized_bounds_match_scalar_and_are_strict():
    """Bound (20) is strict for R != I (the theorem), and the vectorized form agrees."""
    depths = [1, 2, 3, 7, 50]
    for name, R in CASES.items():
        bounds = construction_bounds(R, depths)
        np.testing.assert_array_equal(bounds, [construction_bound(R, H) for H in depths])
        c = rate_constant(R)
        for H in depths[1:]:
            norm = max_layer_norm(construct_layers(R, H))
            if c > 0:
                assert norm < np.expm1(c / (H - 1))


@pytest.mark.parametrize("name", sorted(n for n in CASES if n != "identity"))
def test_balanced_constant_limit_and_bounds(name):
    """|H m_bal - c_bal| <= e^{gamma/H} c^2 / (2H) and c_bal <= c."""
    R = CASES[name]
    polar = polar_factors(R)
    c = rate_constant(R)
    constant = balanced_constant(R)
    assert constant <= c * (1 + 1e-12)
    depths = np.array([1, 2, 5, 40, 500])
    norms = balanced_layer_norms(R, depths)
    error = np.exp(polar.gamma / depths) * c**2 / (2 * depths)
    assert np.all(np.abs(depths * norms - constant) <= error * (1 + 1e-9) + 1e-12)


def _hypot_gamma_phi(R) -> float:
    polar = polar_factors(R)
    return float(np.hypot(polar.gamma, max_rotation_angle(polar.orthogonal)))


def test_balanced_constant_commuting_and_non_commuting_cases():
    gamma_phi = _hypot_gamma_phi
    for name in ("normal", "spd", "random_rotation", "minus_identity", "orthogonal_minus_one"):
        R = CASES[name]
        assert balanced_constant(R) <= gamma_phi(R) * (1 + 1e-12)
    # normal, log U commutes with P: equality for the test matrix 3 Rot(2) (+) Rot(1)/2 (+) 2
    assert balanced_constant(CASES["normal"]) == pytest.approx(np.hypot(np.log(3), 2.0), rel=1e-12)
    # diag(-1, -2) has no real logarithm, so no normal form makes log U commute with P
    R = CASES["no_real_root"]
    assert balanced_constant(R) > gamma_phi(R) * 1.05


def test_balanced_constant_equals_c_for_two_by_two_determinant_one(random_positive_determinant):
    rng = np.random.default_rng(12)
    for _ in range(30):
        R = random_positive_determinant(rng, 2)
        R = R / np.sqrt(np.linalg.det(R))
        assert balanced_constant(R) == pytest.approx(rate_constant(R), rel=1e-10)


def test_explicit_rates_of_the_corollary(random_positive_determinant):
    rng = np.random.default_rng(13)
    for _ in range(40):
        R = random_positive_determinant(rng, int(rng.integers(1, 6)))
        c = rate_constant(R)
        H_split = int(np.ceil(1 + c / np.log(2))) + int(rng.integers(0, 20))
        assert max_layer_norm(construct_layers(R, H_split)) <= c / (np.log(2) * (H_split - 1)) * (1 + 1e-12)
        H_balanced = int(np.ceil(c / np.log(2))) + int(rng.integers(0, 20))
        assert balanced_layer_norms(R, [H_balanced])[0] <= c / (np.log(2) * H_balanced) * (1 + 1e-12)


def test_finite_depth_comparison_with_hardt_and_ma():
    gammas = np.linspace(0, 20, 401)
    depths = np.arange(2, 400)
    assert hardt_ma_finite_depth_ratio(gammas, depths, smallest_depth=5) < 1
    # H = 4 fails at gamma = 0 (R = -I_2): e^{pi/3} - 1 > pi/2
    assert hardt_ma_finite_depth_ratio([0.0], [4], smallest_depth=4) > 1
    R = -np.eye(2)
    for H in (2, 3, 4):
        assert construction_bound(R, H) < hardt_ma_bound(R, H) < np.expm1(np.pi / (H - 1))
