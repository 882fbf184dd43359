"""Tests of :mod:`generator.problem1.objective`: the loss, its gradient, least squares, excess loss."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from generator import problem1 as p1


@pytest.mark.parametrize(
    "w, s, c, q",
    [(0.0, 1.0, 1.0, 1.0), (0.5, 2.0, -1.0, 3.0), (-0.9, 0.1, 0.3, 5.0), (-1.0, 4.0, 2.0, 1.0)],
)
def test_scalar_loss_and_gradient(w, s, c, q):
    """d = H = 1: L = (1+w)^2 s - 2(1+w)c + q and dL/dw = 2((1+w)s - c)."""
    Ws = [np.array([[w]])]
    Sxx, Syx = np.array([[s]]), np.array([[c]])
    assert p1.loss(Ws, Sxx, Syx, q) == pytest.approx((1 + w) ** 2 * s - 2 * (1 + w) * c + q)
    (g,) = p1.gradients(Ws, Sxx, Syx)
    assert g[0, 0] == pytest.approx(2 * ((1 + w) * s - c))


def test_two_layer_scalar_gradient():
    """d = 1, H = 2: dL/dw1 = 2(1+w2)(P s - c), dL/dw2 = 2(1+w1)(P s - c)."""
    w1, w2, s, c = 0.3, -0.4, 2.0, 0.7
    P = (1 + w1) * (1 + w2)
    g1, g2 = p1.gradients([np.array([[w1]]), np.array([[w2]])], np.array([[s]]), np.array([[c]]))
    assert g1[0, 0] == pytest.approx(2 * (1 + w2) * (P * s - c))
    assert g2[0, 0] == pytest.approx(2 * (1 + w1) * (P * s - c))


def test_end_to_end_order():
    """W_1 is applied first: P = (I + W_2)(I + W_1), not the reverse."""
    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((2, 3, 3))
    expected = (np.eye(3) + W2) @ (np.eye(3) + W1)
    np.testing.assert_allclose(p1.end_to_end([W1, W2]), expected, rtol=1e-14, atol=1e-14)


def test_least_squares_invertible_and_singular(random_moments):
    rng = np.random.default_rng(1)
    Sxx, Syx, _ = random_moments(rng, 4)
    np.testing.assert_allclose(p1.least_squares_solution(Sxx, Syx), Syx @ np.linalg.inv(Sxx), rtol=1e-9)
    Sxx, Syx, _ = random_moments(rng, 5, rank=2)
    R = p1.least_squares_solution(Sxx, Syx)
    np.testing.assert_allclose(R @ Sxx, Syx, atol=1e-10 * np.linalg.norm(Syx))
    np.testing.assert_allclose(R, Syx @ np.linalg.pinv(Sxx, hermitian=True), atol=1e-9)
    # Any other solution R + N (N Sxx = 0) has a larger Frobenius norm.
    _, V = scipy.linalg.eigh(Sxx)
    N = np.outer(rng.standard_normal(5), V[:, 0])
    assert np.linalg.norm(R + N) > np.linalg.norm(R)


def test_least_squares_zero_moments():
    """Sxx = 0 (x = 0 a.s.): every R solves (1); the minimum-norm one is 0."""
    np.testing.assert_array_equal(p1.least_squares_solution(np.zeros((2, 2)), np.zeros((2, 2))), 0)


def test_moment_loss_equals_sample_mean(random_layers):
    rng = np.random.default_rng(2)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=300, dimension=3))
    Sxx, Syx, Syy = p1.second_moments(X, Y)
    Ws = random_layers(rng, 4, 3, 0.7)
    assert p1.loss(Ws, Sxx, Syx, Syy) == pytest.approx(p1.loss_from_samples(Ws, X, Y), rel=1e-12)


def test_forward_pass_applies_the_first_layer_first():
    """One sample x = e_1, y = 0: the loss is ||(I + W_2)(I + W_1) e_1||^2 = 5, not 2 (the reverse order)."""
    W1, W2 = np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [0.0, 0.0]])
    X, Y = np.array([[1.0, 0.0]]), np.zeros((1, 2))
    assert p1.loss_from_samples([W1, W2], X, Y) == pytest.approx(5.0)  # (I + W_2)(1, 1) = (2, 1)
    assert p1.loss_from_samples([W2, W1], X, Y) == pytest.approx(2.0)  # (I + W_1)(I + W_2) e_1 = (1, 1)


@pytest.mark.parametrize("rank", [None, 2])
def test_excess_loss_identity(rank, random_moments, random_layers):
    """L(W) - L(R) = ||(P - R) Sxx^{1/2}||_F^2 for every W, also for singular Sxx."""
    rng = np.random.default_rng(3)
    Sxx, Syx, Syy = random_moments(rng, 4, rank=rank)
    R = p1.least_squares_solution(Sxx, Syx)
    Ws = random_layers(rng, 3, 4, 1.5)  # the identity holds everywhere, not only in the ball
    optimum = p1.loss([R - np.eye(4)], Sxx, Syx, Syy)
    gap = p1.loss(Ws, Sxx, Syx, Syy) - optimum
    assert p1.excess_loss(Ws, Sxx, Syx) == pytest.approx(gap, rel=1e-9)


@pytest.mark.parametrize("depth, d", [(1, 1), (1, 3), (2, 2), (5, 3), (8, 4)])
def test_gradient_matches_central_differences(depth, d, random_moments, random_layers):
    rng = np.random.default_rng(depth * 10 + d)
    Sxx, Syx, Syy = random_moments(rng, d)
    Ws = random_layers(rng, depth, d, 0.8)
    exact = p1.gradients(Ws, Sxx, Syx)
    numeric = p1.central_difference_gradient(lambda layers: p1.loss(layers, Sxx, Syx, Syy), Ws, 1e-3)
    scale = max(np.max(np.abs(g)) for g in exact)
    for a, b in zip(exact, numeric):
        np.testing.assert_allclose(a, b, atol=1e-8 * scale)


def test_gradient_vanishes_exactly_at_least_squares_products(random_moments):
    rng = np.random.default_rng(4)
    Sxx, Syx, _ = random_moments(rng, 3)
    R = p1.least_squares_solution(Sxx, Syx)
    Ws = [R - np.eye(3), np.zeros((3, 3))]
    assert all(np.max(np.abs(g)) < 1e-10 * np.linalg.norm(Syx) for g in p1.gradients(Ws, Sxx, Syx))


def test_printed_lemma_order_is_wrong_for_three_layers_and_right_for_two(random_moments, random_layers):
    rng = np.random.default_rng(14)
    Sxx, Syx, _ = random_moments(rng, 3)
    two = random_layers(rng, 2, 3, 0.7)
    for a, b in zip(p1.hardt_ma_printed_gradients(two, Sxx, Syx), p1.gradients(two, Sxx, Syx)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.max(np.abs(b)))
    three = random_layers(rng, 3, 3, 0.7)
    printed = p1.hardt_ma_printed_gradients(three, Sxx, Syx)
    exact = p1.gradients(three, Sxx, Syx)
    # k = 1 has the two-factor left product (I + W_3)^T (I + W_2)^T in the wrong order.
    assert np.linalg.norm(printed[0] - exact[0]) > 1e-3 * np.linalg.norm(exact[0])
    # Commuting layers make the order irrelevant.
    diagonal = [np.diag(rng.uniform(-0.5, 0.5, 3)) for _ in range(4)]
    for a, b in zip(p1.hardt_ma_printed_gradients(diagonal, Sxx, Syx), p1.gradients(diagonal, Sxx, Syx)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.max(np.abs(b)))


def test_equivalent_samples_have_the_same_loss(random_layers):
    rng = np.random.default_rng(18)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=500, dimension=3))
    X_small, Y_small = p1.equivalent_samples(X, Y)
    assert X_small.shape == Y_small.shape == (6, 3)
    for norm in (0.5, 2.0):
        Ws = random_layers(rng, 3, 3, norm)
        expected = p1.loss_from_samples(Ws, X, Y)
        assert p1.loss_from_samples(Ws, X_small, Y_small) == pytest.approx(expected, rel=1e-12)
