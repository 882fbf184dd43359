"""Tests of Problem 2's orthogonal powers ``U^alpha``, the normal form and the real logarithm."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.linalg

from generator.problem2 import example_unitaries, plane_rotation, random_rotation
from generator.problem2.orthogonal_powers import (
    max_rotation_angle,
    orthogonal_power,
    orthogonal_power_minus_identity,
    power_distance_formula,
    powers_from_form,
    rotation_angles,
    rotation_form,
    rotation_generator,
)

UNITARIES = example_unitaries(np.random.default_rng(1))


@pytest.mark.parametrize("name", sorted(UNITARIES))
def test_orthogonal_power_properties(name, is_orthogonal_det_one):
    U = UNITARIES[name]
    d = U.shape[0]
    identity = np.eye(d)
    angles = rotation_angles(U)
    np.testing.assert_allclose(orthogonal_power(U, 0.0), identity, atol=1e-14)
    np.testing.assert_allclose(orthogonal_power(U, 1.0), U, atol=1e-13)
    for alpha in (-1.3, -0.2, 1e-6, 0.01, 0.37, 1.0, 2.0, 5.5):
        X = orthogonal_power(U, alpha)
        assert np.isrealobj(X) and is_orthogonal_det_one(X)
        distance = np.linalg.norm(orthogonal_power_minus_identity(U, alpha), 2)
        assert distance == pytest.approx(power_distance_formula(angles, alpha), rel=1e-12, abs=1e-15)
        assert distance <= abs(alpha) * max_rotation_angle(U) * (1 + 1e-12) + 1e-300
        assert distance <= abs(alpha) * np.pi
        np.testing.assert_allclose(
            orthogonal_power(U, alpha) @ orthogonal_power(U, 0.5), orthogonal_power(U, alpha + 0.5),
            atol=1e-13,
        )
    for m in (1, 2, 3, 4, 7, 50):
        np.testing.assert_allclose(np.linalg.matrix_power(orthogonal_power(U, 1 / m), m), U, atol=1e-12)


def test_square_root_of_minus_identity_is_a_quarter_turn():
    root = orthogonal_power(-np.eye(2), 0.5)
    np.testing.assert_allclose(root @ root, -np.eye(2), atol=1e-15)
    assert np.linalg.norm(root - np.eye(2), 2) == pytest.approx(np.sqrt(2))
    np.testing.assert_allclose(rotation_angles(-np.eye(4)), [np.pi, np.pi])


def test_rotation_angles_match_eigenvalues():
    rng = np.random.default_rng(3)
    for d in range(1, 9):
        U = random_rotation(d, rng)
        expected = np.sort(np.abs(np.angle(np.linalg.eigvals(U))))[::-1]
        angles = rotation_angles(U)
        # each angle appears for the pair exp(+-i phi); the rest are 0
        paired = np.sort(np.concatenate([angles, angles, np.zeros(d - 2 * len(angles))]))[::-1]
        np.testing.assert_allclose(paired, expected, atol=1e-8)


def test_orthogonal_power_tolerance():
    U = plane_rotation(1.0)
    orthogonal_power(U + 1e-13, 0.5)
    with pytest.raises(ValueError, match="not orthogonal"):
        orthogonal_power(U + 1e-6, 0.5)


@pytest.mark.parametrize(
    "U, message",
    [
        (2 * np.eye(2), "not orthogonal"),
        (np.diag([-1.0, 1.0]), "determinant 1"),
        (-np.eye(3), "determinant 1"),
        (np.ones((2, 3)), "square"),
        (np.array([[np.nan]]), "non-finite"),
    ],
)
def test_orthogonal_power_rejects_bad_matrices(U, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        orthogonal_power(U, 0.5)


@pytest.mark.parametrize("alpha", (np.nan, np.inf, 1j, "a", None, True, np.ones(2)))
def test_orthogonal_power_rejects_bad_exponents(alpha):
    with pytest.raises(ValueError, match="alpha"):
        orthogonal_power(np.eye(2), alpha)


@pytest.mark.parametrize("name", sorted(UNITARIES))
def test_rotation_generator_is_a_real_logarithm(name):
    """exp(log U) = U (scipy's expm, independent of the normal form code), ||log U|| = phi_max."""
    U = UNITARIES[name]
    form = rotation_form(U)
    L = rotation_generator(form)
    np.testing.assert_allclose(L, -L.T, atol=1e-15)
    np.testing.assert_allclose(scipy.linalg.expm(L), U, atol=1e-12)
    assert np.linalg.norm(L, 2) == pytest.approx(max_rotation_angle(U), abs=1e-12)
    np.testing.assert_allclose(powers_from_form(form, [0.3])[0], orthogonal_power(U, 0.3), atol=0)
