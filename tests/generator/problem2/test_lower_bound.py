"""Tests of Problem 2's lower bound: turning angles, the lemma's vector and the certificate."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from generator.problem2 import (
    example_matrices,
    layer_product,
    max_layer_norm,
    max_rotation_angle,
    plane_rotation,
    polar_factors,
)
from generator.problem2.lower_bound import lower_bound, turning_angle_certificate, turning_angles, turning_vectors

CASES = example_matrices(np.random.default_rng(0))


def test_lower_bound_holds_for_arbitrary_factorizations():
    """Any product of near-identity factors respects the lower bound."""
    rng = np.random.default_rng(11)
    for _ in range(40):
        d = int(rng.integers(1, 5))
        H = int(rng.integers(1, 12))
        layers = [rng.standard_normal((d, d)) * rng.uniform(0.01, 0.6) / np.sqrt(d) for _ in range(H)]
        R = layer_product(layers)
        if np.linalg.det(R) <= 0:
            continue
        assert lower_bound(R, H) <= max_layer_norm(layers) * (1 + 1e-12)


def test_turning_angle_of_rotations_and_normal_matrices():
    assert turning_angle_certificate(plane_rotation(2.0)) == pytest.approx(2.0, rel=1e-12)
    assert turning_angle_certificate(-np.eye(4)) == pytest.approx(np.pi)
    assert turning_angle_certificate(CASES["normal"]) == pytest.approx(2.0, rel=1e-12)


def test_repeated_max_angle_plane_compression_does_not_attain_phi_max():
    """Set-up of the numerics: with e^{i phi_max} repeated, a rotation plane of U
    need not be invariant under P, so an eigenvector of the compression of P turns
    by an angle other than phi_max; the certificate still finds phi_max through
    the invariant planes of R, and with one block of angle phi_max the compression
    attains it."""
    phi = 1.0
    rotation = plane_rotation(phi)
    U = scipy.linalg.block_diag(rotation, rotation)
    P = np.block([[2 * np.eye(2), np.eye(2)], [np.eye(2), 2 * np.eye(2)]])
    np.testing.assert_allclose(U @ P, P @ U, atol=1e-15)
    R = U @ P
    e1 = np.eye(4)[:, :1]
    # e_1 is an eigenvector of P compressed to the first plane (2 I_2) ...
    assert np.cos(turning_angles(R, e1)[0]) == pytest.approx(2 * np.cos(phi) / np.sqrt(5), rel=1e-12)
    assert turning_angles(R, e1)[0] > phi + 0.05
    # ... yet R is normal with Theta(R) >= phi_max, and the certificate reaches phi_max
    assert turning_angle_certificate(R) >= phi * (1 - 1e-12)
    simple = U @ scipy.linalg.block_diag(P[:2, :2], 3 * np.eye(2))
    vectors = np.eye(4)[:, :2]
    np.testing.assert_allclose(turning_angles(simple, vectors), phi, rtol=1e-12)


def test_turning_vector_turns_by_at_least_the_capped_angle(random_positive_determinant):
    """The lemma: angle(x, R x) >= min(phi_max(U), pi/2), on random non-normal R."""
    rng = np.random.default_rng(21)
    for _ in range(300):
        R = random_positive_determinant(rng, int(rng.integers(1, 8)))
        phi = max_rotation_angle(polar_factors(R).orthogonal)
        angle = turning_angles(R, turning_vectors(R)[:, None])[0]
        assert angle >= min(phi, np.pi / 2) - 1e-12
        assert turning_angle_certificate(R) >= angle


def test_turning_vectors_batch_matches_single(random_positive_determinant):
    rng = np.random.default_rng(4)
    stack = np.stack([random_positive_determinant(rng, 4) for _ in range(5)])
    batch = turning_vectors(stack)
    for R, x in zip(stack, batch):
        y = turning_vectors(R)
        # eigenvectors are defined up to sign
        assert min(np.linalg.norm(x - y), np.linalg.norm(x + y)) <= 1e-10 * np.linalg.norm(x)


def test_turning_angle_of_two_by_two_matrices_reaches_phi_max(random_positive_determinant):
    """For d = 2 an eigenvector of P is turned by exactly phi_max (remark after the lemma)."""
    rng = np.random.default_rng(8)
    for _ in range(50):
        R = random_positive_determinant(rng, 2)
        polar = polar_factors(R)
        phi = max_rotation_angle(polar.orthogonal)
        angles = turning_angles(R, polar.right_vectors)
        np.testing.assert_allclose(angles, phi, atol=1e-9)
