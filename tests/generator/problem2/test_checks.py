"""Tests of the independent references that Problem 2's claims are compared with."""

from __future__ import annotations

import numpy as np
import pytest

from generator.problem2 import balanced_constant, example_unitaries, plane_rotation, polar_factors, rotation_angles
from generator.problem2.checks import (
    balanced_constant_reference,
    eigenvalue_angles,
    has_principal_logarithm,
    minus_identity_balanced_constant,
    principal_powers,
    spectral_reference,
)
from generator.problem2.orthogonal_powers import max_rotation_angle


def test_spectral_reference_matches_the_construction(random_positive_determinant):
    rng = np.random.default_rng(5)
    for d in (1, 2, 3, 6):
        R = random_positive_determinant(rng, d)
        gamma, phi = spectral_reference(R)
        polar = polar_factors(R)
        assert gamma == pytest.approx(polar.gamma, rel=1e-10)
        assert phi == pytest.approx(max_rotation_angle(polar.orthogonal), abs=1e-10)


@pytest.mark.parametrize("name", sorted(example_unitaries(np.random.default_rng(2))))
def test_eigenvalue_angles_are_the_normal_form_angles_twice(name):
    U = example_unitaries(np.random.default_rng(2))[name]
    angles = rotation_angles(U)
    expected = np.sort(np.concatenate([angles, angles, np.zeros(U.shape[0] - 2 * len(angles))]))
    np.testing.assert_allclose(np.sort(eigenvalue_angles(U)), expected, atol=1e-7)


def test_principal_logarithm_exists_exactly_without_eigenvalue_minus_one():
    assert has_principal_logarithm(plane_rotation(3.0))
    assert not has_principal_logarithm(-np.eye(2))
    with pytest.raises(ValueError, match="eigenvalue -1"):
        balanced_constant_reference(np.diag([-1.0, -2.0]))


def test_balanced_constant_reference_agrees_with_the_normal_form(random_positive_determinant):
    rng = np.random.default_rng(6)
    for d in (2, 3, 5):
        R = random_positive_determinant(rng, d)
        assert balanced_constant_reference(R) == pytest.approx(balanced_constant(R), rel=1e-10)


@pytest.mark.parametrize("shift", (0.0, 0.3, np.log(2), 2.0))
def test_closed_form_for_minus_identity_times_positive_factor(shift):
    R = np.diag([-1.0, -np.exp(shift)])
    assert minus_identity_balanced_constant(shift) == pytest.approx(balanced_constant(R), rel=1e-13)


def test_principal_powers_agree_with_scipy_where_the_power_is_real():
    """The eigendecomposition route against SciPy's Schur-Pade algorithm, on a few exponents."""
    import scipy.linalg

    U = example_unitaries(np.random.default_rng(2))["random"]
    exponents = (-1.0, 0.3, 3.7)
    for alpha, power in zip(exponents, principal_powers(U, exponents)):
        np.testing.assert_allclose(power, np.real(scipy.linalg.fractional_matrix_power(U, alpha)), atol=1e-12)
    with pytest.raises(ValueError, match="eigenvalue -1"):
        principal_powers(-np.eye(2), [0.5])
