"""Tests of :mod:`generator.problem1.counterexamples`: boundary point, singular ``Sxx``, last layer."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem1 as p1


def test_singular_example():
    Sxx, Syx, Syy = p1.singular_example(np.array([1.0, -2.0, 0.5]))
    origin = [np.zeros((2, 2)) for _ in range(3)]
    assert all(np.all(g == 0) for g in p1.gradients(origin, Sxx, Syx))
    assert p1.loss(origin, Sxx, Syx, Syy) == 0
    np.testing.assert_allclose(p1.least_squares_solution(Sxx, Syx), np.diag([1.0, 0.0]), atol=1e-15)


def test_singular_critical_points_form_an_open_set_of_products():
    """Proposition (b): near a critical point in U there are others with other products."""
    Sxx, Syx, _ = p1.singular_example(np.array([1.0, -2.0, 0.5]))
    for a, b in [(0.0, 0.0), (0.3, 0.0), (0.0, -0.2), (-0.1, 0.4)]:
        # P = I + W_1 with first column e_1: every such point is critical.
        W1 = np.array([[0.0, a], [0.0, b]])
        assert np.linalg.norm(W1, 2) < 1
        assert all(np.all(g == 0) for g in p1.gradients([W1, np.zeros((2, 2))], Sxx, Syx))


@pytest.mark.parametrize("depth", [1, 2])
def test_vacuous_singular_example_has_no_critical_point_in_the_ball(depth, random_layers):
    """Proposition (c): y = (-5u, 0); every solution has ||R||_2 >= 5 > 2^H > ||P(W)||_2 on U."""
    Sxx, Syx, _ = p1.singular_example(np.array([1.0, -2.0, 0.5]), slope=-5.0)
    R0 = p1.least_squares_solution(Sxx, Syx)
    np.testing.assert_allclose(R0[:, 0], [-5.0, 0.0], atol=1e-14)
    assert np.linalg.norm(R0, 2) >= 2**depth
    rng = np.random.default_rng(depth)
    for _ in range(50):
        Ws = random_layers(rng, depth, 2, 0.999)
        assert np.linalg.norm(p1.end_to_end(Ws), 2) < 2**depth
        assert p1.gradient_norm_squared(Ws, Sxx, Syx) > 0


@pytest.mark.parametrize("depth", [2, 3, 6])
def test_boundary_point_is_critical_but_not_optimal(depth, random_moments):
    rng = np.random.default_rng(depth)
    Sxx, Syx, Syy = random_moments(rng, 3)
    corner = p1.boundary_critical_point(depth, 3)
    assert np.allclose(p1.layer_norms(corner)[:2], 1.0)
    assert p1.gradient_norm_squared(corner, Sxx, Syx) == 0
    R = p1.least_squares_solution(Sxx, Syx)
    assert p1.excess_loss(corner, Sxx, Syx) == pytest.approx(np.trace(R @ Sxx @ R.T), rel=1e-9)
    assert p1.excess_loss(corner, Sxx, Syx) > 0


@pytest.mark.parametrize("t", [0.05, 0.3])
def test_escape_changes_match_formula(t, random_moments):
    """Equation (9): -2 s t^2 ||S||_F + t^4 tr(S Sxx S^T) / ||S||_F^2."""
    rng = np.random.default_rng(5)
    Sxx, Syx, Syy = random_moments(rng, 3)
    norm = np.linalg.norm(Syx)
    quartic = np.trace(Syx @ Sxx @ Syx.T) / norm**2
    for sign in (1, -1):
        expected = -2 * sign * t**2 * norm + t**4 * quartic
        assert p1.boundary_escape_change(Sxx, Syx, Syy, 4, t, sign) == pytest.approx(expected, rel=1e-8)


def test_last_layer_identity_and_zero_cross_moment(random_moments, random_layers):
    """<grad_H L, I + W_H> = 2 <M Sxx - Syx, M> everywhere; with Syx = 0 it is 2 (L - L*)."""
    rng = np.random.default_rng(15)
    Sxx, Syx, _ = random_moments(rng, 3)
    Ws = random_layers(rng, 5, 3, 1.7)  # anywhere, not only in the ball
    M = p1.end_to_end(Ws)
    inner = np.sum(p1.gradients(Ws, Sxx, Syx)[-1] * (np.eye(3) + Ws[-1]))
    assert inner == pytest.approx(2 * np.sum((M @ Sxx - Syx) * M), rel=1e-12)
    assert p1.last_layer_identity_error(Ws, Sxx) < 1e-12
    zero = np.zeros((3, 3))
    inner = np.sum(p1.gradients(Ws, Sxx, zero)[-1] * (np.eye(3) + Ws[-1]))
    assert inner == pytest.approx(2 * p1.loss(Ws, Sxx, zero, 0.0), rel=1e-12)
