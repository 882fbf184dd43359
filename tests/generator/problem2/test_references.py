"""Tests of the second routes that Problem 2's claims are pinned to (references.py and the new checks)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from generator.problem2.checks import (
    invariant_planes,
    newton_polar_factor,
    plane_turning_maxima,
    random_turning_matrices,
    random_turning_ratio,
    rotation_angle_reference,
    turning_ratio,
    turning_ratio_reference,
    two_by_two_turning,
)
from generator.problem2.examples import example_matrices
from generator.problem2.references import reference_sweep
from generator.problem2.sweeps import sweep_depths

DEPTHS = (1, 2, 3, 7, 40)


def test_newton_polar_factor_matches_scipy(random_positive_determinant):
    rng = np.random.default_rng(11)
    for d in (1, 2, 4, 7):
        R = random_positive_determinant(rng, d)
        assert np.allclose(newton_polar_factor(R[None])[0], scipy.linalg.polar(R)[0], atol=1e-10)


def test_rotation_angle_reference_reads_the_largest_angle():
    c, s = np.cos(2.5), np.sin(2.5)
    U = scipy.linalg.block_diag([[c, -s], [s, c]], [[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]], 1.0)
    assert rotation_angle_reference(U[None])[0] == pytest.approx(2.5, abs=1e-12)


def test_plane_maxima_against_a_fine_grid():
    rng = np.random.default_rng(3)
    turns, scales = rng.uniform(0.1, 1.4, 6), np.exp(rng.uniform(-2, 2, (6, 2)))
    c, s = np.cos(turns), np.sin(turns)
    M = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2) * scales[:, None, :]
    grid = np.linspace(0, np.pi, 20001)
    brute = np.max(two_by_two_turning(M, np.broadcast_to(grid, (6, len(grid)))), axis=1)
    top, reachable = plane_turning_maxima(M, 1e-3)
    assert np.allclose(top, brute, atol=1e-7)
    assert np.all(reachable <= top) and np.all(top - reachable < 1e-2)


def test_invariant_planes_are_invariant(random_positive_determinant):
    R = random_positive_determinant(np.random.default_rng(8), 6)
    planes = invariant_planes(R)
    assert planes
    for Q in planes:
        image = R @ Q
        assert np.linalg.norm(image - Q @ (Q.T @ image)) <= 1e-10 * np.linalg.norm(R, 2)


def test_turning_ratio_reference_agrees_with_the_lemma_vector():
    rng = np.random.default_rng(4)
    stacks = random_turning_matrices(rng, 30, (2, 3, 5))
    assert turning_ratio_reference(stacks) == pytest.approx(random_turning_ratio(stacks)[0], rel=1e-8)
    matrices = example_matrices(np.random.default_rng(20170424))
    assert turning_ratio_reference([R[None] for R in matrices.values()]) == pytest.approx(
        turning_ratio(matrices.values()), rel=1e-8)


@pytest.mark.parametrize("name", ["gaussian", "shear", "triangular", "spd", "scalar_small", "identity"])
def test_reference_sweep_matches_the_construction(name):
    R = example_matrices(np.random.default_rng(20170424))[name]
    sweep, reference = sweep_depths(R, DEPTHS), reference_sweep(R, DEPTHS)
    assert np.allclose(sweep.split_norm, reference.split, rtol=1e-9, atol=1e-14)
    assert np.allclose(sweep.balanced_norm, reference.balanced, rtol=1e-8, atol=1e-14)
    assert np.allclose(sweep.lower, reference.lower, rtol=1e-9, atol=1e-14)


def test_certificate_reference_agrees_with_the_certificate():
    from generator.problem2.lower_bound import turning_angle_certificate
    from generator.problem2.references import certificate_reference

    for name, R in example_matrices(np.random.default_rng(5)).items():
        assert certificate_reference(R) == pytest.approx(turning_angle_certificate(R), rel=1e-13, abs=1e-15), name


def test_certificate_reference_of_a_plane_rotation_is_its_angle():
    # A rotation by 1 turns every vector of the plane by exactly 1.
    from generator.problem2.references import certificate_reference

    c, s = np.cos(1.0), np.sin(1.0)
    assert certificate_reference(np.array([[c, -s], [s, c]])) == pytest.approx(1.0, abs=1e-14)
