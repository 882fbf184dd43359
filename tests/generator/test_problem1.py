"""Tests of the Problem 1 functions: closed forms, properties, hard cases, errors."""

from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.linalg

from generator import problem1 as p1


def random_moments(rng, d, rank=None, scale=1.0):
    """Consistent moments of some distribution: Sxx = s B B^T, Syx = C Sxx, Syy large enough."""
    B = rng.standard_normal((d, d if rank is None else rank))
    Sxx = scale * (B @ B.T)
    Syx = rng.standard_normal((d, d)) @ Sxx
    R = p1.least_squares_solution(Sxx, Syx)
    # E||y||^2 >= tr(R Sxx R^T) for every distribution; add a noise variance on top.
    Syy = float(np.trace(R @ Sxx @ R.T)) + 1.0
    return Sxx, Syx, Syy


def random_layers(rng, depth, d, norm):
    return [norm * G / np.linalg.norm(G, 2) for G in rng.standard_normal((depth, d, d))]


# --- closed forms -------------------------------------------------------------


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


def test_least_squares_invertible_and_singular():
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
def test_vacuous_singular_example_has_no_critical_point_in_the_ball(depth):
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


# --- identities and properties --------------------------------------------------


def test_moment_loss_equals_sample_mean():
    rng = np.random.default_rng(2)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=300, dimension=3))
    Sxx, Syx, Syy = p1.second_moments(X, Y)
    Ws = random_layers(rng, 4, 3, 0.7)
    assert p1.loss(Ws, Sxx, Syx, Syy) == pytest.approx(p1.loss_from_samples(Ws, X, Y), rel=1e-12)


@pytest.mark.parametrize("rank", [None, 2])
def test_excess_loss_identity(rank):
    """L(W) - L(R) = ||(P - R) Sxx^{1/2}||_F^2 for every W, also for singular Sxx."""
    rng = np.random.default_rng(3)
    Sxx, Syx, Syy = random_moments(rng, 4, rank=rank)
    R = p1.least_squares_solution(Sxx, Syx)
    Ws = random_layers(rng, 3, 4, 1.5)  # the identity holds everywhere, not only in the ball
    optimum = p1.loss([R - np.eye(4)], Sxx, Syx, Syy)
    gap = p1.loss(Ws, Sxx, Syx, Syy) - optimum
    assert p1.excess_loss(Ws, Sxx, Syx) == pytest.approx(gap, rel=1e-9)


@pytest.mark.parametrize("depth, d", [(1, 1), (1, 3), (2, 2), (5, 3), (8, 4)])
def test_gradient_matches_central_differences(depth, d):
    rng = np.random.default_rng(depth * 10 + d)
    Sxx, Syx, Syy = random_moments(rng, d)
    Ws = random_layers(rng, depth, d, 0.8)
    exact = p1.gradients(Ws, Sxx, Syx)
    numeric = p1.central_difference_gradient(Ws, Sxx, Syx, Syy, 1e-3)
    scale = max(np.max(np.abs(g)) for g in exact)
    for a, b in zip(exact, numeric):
        np.testing.assert_allclose(a, b, atol=1e-8 * scale)


def test_gradient_vanishes_exactly_at_least_squares_products():
    rng = np.random.default_rng(4)
    Sxx, Syx, _ = random_moments(rng, 3)
    R = p1.least_squares_solution(Sxx, Syx)
    Ws = [R - np.eye(3), np.zeros((3, 3))]
    assert all(np.max(np.abs(g)) < 1e-10 * np.linalg.norm(Syx) for g in p1.gradients(Ws, Sxx, Syx))


@pytest.mark.parametrize("depth", [2, 3, 6])
def test_boundary_point_is_critical_but_not_optimal(depth):
    rng = np.random.default_rng(depth)
    Sxx, Syx, Syy = random_moments(rng, 3)
    corner = p1.boundary_critical_point(depth, 3)
    assert np.allclose(p1.layer_norms(corner)[:2], 1.0)
    assert p1.gradient_norm_squared(corner, Sxx, Syx) == 0
    R = p1.least_squares_solution(Sxx, Syx)
    assert p1.excess_loss(corner, Sxx, Syx) == pytest.approx(np.trace(R @ Sxx @ R.T), rel=1e-9)
    assert p1.excess_loss(corner, Sxx, Syx) > 0


@pytest.mark.parametrize("t", [0.05, 0.3])
def test_escape_changes_match_formula(t):
    """Equation (9): -2 s t^2 ||S||_F + t^4 tr(S Sxx S^T) / ||S||_F^2."""
    rng = np.random.default_rng(5)
    Sxx, Syx, Syy = random_moments(rng, 3)
    norm = np.linalg.norm(Syx)
    quartic = np.trace(Syx @ Sxx @ Syx.T) / norm**2
    for sign in (1, -1):
        expected = -2 * sign * t**2 * norm + t**4 * quartic
        assert p1.boundary_escape_change(Sxx, Syx, Syy, 4, t, sign) == pytest.approx(expected, rel=1e-8)


def test_determinant_of_near_identity_layers_is_positive():
    """Lemma: ||W||_2 < 1 implies det(I + W) > 0 and sigma_min(I + W) >= 1 - ||W||_2."""
    rng = np.random.default_rng(6)
    for W in random_layers(rng, 200, 4, 0.999):
        assert np.linalg.det(np.eye(4) + W) > 0
        assert scipy.linalg.svdvals(np.eye(4) + W)[-1] >= 1 - np.linalg.norm(W, 2) - 1e-12


def test_pl_inequality_at_random_points():
    rng = np.random.default_rng(7)
    data = random_moments(rng, 3)[:2]
    sweep = p1.pl_sweep(p1.random_ball_points(rng, 300, data, max_depth=6))
    assert sweep.lhs.size == 300
    assert np.all(sweep.lhs >= (1 - 1e-12) * sweep.ours)
    assert np.all(sweep.layer_ratio >= 1 - 1e-12)
    assert np.any(sweep.singular)
    below = ~sweep.singular & (sweep.threshold <= 1)
    assert np.any(below)
    assert np.all(sweep.lhs[below] >= (1 - 1e-12) * sweep.printed[below])


def test_batched_sweep_matches_the_per_point_functions():
    """The vectorised sweep agrees with gradient_norm_squared, pl_ratios and layer_pl_ratio."""
    rng = np.random.default_rng(12)
    data = random_moments(rng, 3)[:2]
    for free in (None, (1.0, 3.0)):
        for batch in p1.random_ball_points(rng, 40, data, max_depth=4, free_layer_norm=free):
            sweep = p1.pl_sweep([batch])
            for i in range(batch.layers.shape[0]):
                Ws, Sxx, Syx = list(batch.layers[i]), batch.Sxx[i], batch.Syx[i]
                assert sweep.lhs[i] == pytest.approx(p1.gradient_norm_squared(Ws, Sxx, Syx), rel=1e-9)
                if free is None:
                    ours, printed = p1.pl_ratios(Ws, Sxx, Syx)
                    assert sweep.lhs[i] / sweep.ours[i] == pytest.approx(ours, rel=1e-8)
                    ks = range(1, len(Ws) + 1)
                else:
                    assert np.isnan(sweep.ours[i])
                    ks = [batch.free_layer[i] + 1]
                expected = min(p1.layer_pl_ratio(Ws, Sxx, Syx, k) for k in ks)
                assert sweep.layer_ratio[i] == pytest.approx(expected, rel=1e-8)


def test_free_layer_points_lie_in_v_but_not_in_u():
    rng = np.random.default_rng(13)
    data = random_moments(rng, 2)[:2]
    for batch in p1.random_ball_points(rng, 30, data, max_depth=5, free_layer_norm=(1.0, 3.0)):
        norms = np.linalg.norm(batch.layers, ord=2, axis=(2, 3))
        rows = np.arange(norms.shape[0])
        assert np.all(norms[rows, batch.free_layer] >= 1.0 - 1e-12)
        others = norms.copy()
        others[rows, batch.free_layer] = 0.0
        assert np.all(others < 1)


@pytest.mark.parametrize("depth, tau", [(1, 0.3), (4, 0.0), (6, 0.5)])
def test_per_layer_inequality_with_one_large_layer(depth, tau):
    """Theorem (a): ||grad_k L||^2 >= 4 lambda_+ prod_{j != k} (1 - ||W_j||)^2 (L - L*), W_k arbitrary."""
    rng = np.random.default_rng(depth)
    Sxx, Syx, _ = random_moments(rng, 3, rank=2)
    for k in range(1, depth + 1):
        Ws = random_layers(rng, depth, 3, tau)
        Ws[k - 1] = random_layers(rng, 1, 3, 5.0)[0]  # far outside the unit ball
        assert p1.layer_pl_ratio(Ws, Sxx, Syx, k) >= 1 - 1e-12


@pytest.mark.parametrize("depth, tau", [(1, 0.0), (3, 0.5), (8, 0.9)])
def test_pl_equality_instance_is_tight(depth, tau):
    Sxx = np.diag([2.0, 3.0, 0.0])  # singular: lambda_+ = 2
    Ws, Syx = p1.pl_equality_instance(depth, tau, Sxx)
    ours, printed = p1.pl_ratios(Ws, Sxx, Syx)
    assert ours == pytest.approx(1.0, rel=1e-10)
    assert p1.smallest_positive_eigenvalue(Sxx) == 2.0


@pytest.mark.parametrize("depth, tau, lam", [(3, 0.5, 1.0), (3, 0.0, 4.0), (5, 0.2, 0.5)])
def test_printed_inequality_ratio_at_equality_instance(depth, tau, lam):
    """LHS / printed RHS = (1 - tau)^(H-1) / lambda_min at the equality instance."""
    Sxx = lam * np.diag([1.0, 2.0, 3.0])
    Ws, Syx = p1.pl_equality_instance(depth, tau, Sxx)
    assert p1.pl_ratios(Ws, Sxx, Syx)[1] == pytest.approx((1 - tau) ** (depth - 1) / lam, rel=1e-10)


@pytest.mark.parametrize(
    "depth, tau, lam, holds",
    [(2, 0.1, 0.95, False), (3, 0.0, 0.5, True), (3, 0.5, 1.0, False), (1, 0.7, 1.0, True),
     (4, 0.2, 0.5, True)],
)
def test_printed_inequality_threshold(depth, tau, lam, holds):
    """Proposition: the printed (2.3) holds on B_tau for every distribution with this Sxx
    iff lambda_min <= (1 - tau)^(H-1)."""
    Sxx = lam * np.diag([1.0, 2.0, 3.0])
    rho = p1.hardt_ma_threshold_ratio(depth, tau, Sxx)
    assert rho == pytest.approx(lam / (1 - tau) ** (depth - 1), rel=1e-12)
    assert (rho <= 1) == holds
    Ws, Syx = p1.pl_equality_instance(depth, tau, Sxx)
    assert (p1.pl_ratios(Ws, Sxx, Syx)[1] >= 1 - 1e-12) == holds
    if holds:  # then at random points of B_tau as well
        rng = np.random.default_rng(depth)
        for _ in range(30):
            Syx = rng.standard_normal((3, 3)) @ Sxx
            Ws = random_layers(rng, depth, 3, tau) if tau > 0 else [np.zeros((3, 3))] * depth
            assert p1.pl_ratios(Ws, Sxx, Syx)[1] >= 1 - 1e-12


def test_printed_threshold_of_singular_moments_is_zero():
    assert p1.hardt_ma_threshold_ratio(3, 0.5, np.diag([2.0, 0.0])) == 0.0


def test_printed_lemma_order_is_wrong_for_three_layers_and_right_for_two():
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


def test_last_layer_identity_and_zero_cross_moment():
    """<grad_H L, I + W_H> = 2 <P Sxx - Syx, P>; with Syx = 0 it is 2 (L - L*)."""
    rng = np.random.default_rng(15)
    Sxx, Syx, Syy = random_moments(rng, 3)
    Ws = random_layers(rng, 5, 3, 1.7)  # anywhere, not only in the ball
    assert p1.last_layer_identity_error(Ws, Sxx, Syx) < 1e-12
    zero = np.zeros((3, 3))
    inner = np.sum(p1.gradients(Ws, Sxx, zero)[-1] * (np.eye(3) + Ws[-1]))
    assert inner == pytest.approx(2 * (p1.loss(Ws, Sxx, zero, 0.0) - 0.0), rel=1e-12)


def test_residual_is_orthogonal_but_correlated():
    rng = np.random.default_rng(16)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=2000, dimension=3))
    stats = p1.residual_statistics(X, Y)
    assert stats.orthogonality < 1e-12
    assert stats.pearson > 0.05  # E[r] != 0: orthogonal is not uncorrelated
    assert stats.quadratic > 0.1


def test_residual_statistics_vanish_for_an_exact_linear_model():
    rng = np.random.default_rng(17)
    X = rng.standard_normal((500, 3)) + 1.0
    Y = X @ rng.standard_normal((3, 3)).T + 1e-3 * rng.standard_normal((500, 3))
    stats = p1.residual_statistics(X, Y)
    assert stats.orthogonality < 1e-10
    assert stats.quadratic < 0.15


def test_pl_is_scale_invariant_and_printed_is_not():
    rng = np.random.default_rng(8)
    Sxx, Syx, _ = random_moments(rng, 3)
    Ws = random_layers(rng, 4, 3, 0.5)
    base = p1.pl_ratios(Ws, Sxx, Syx)
    scaled = p1.pl_ratios(Ws, 100 * Sxx, 100 * Syx)
    assert scaled[0] == pytest.approx(base[0], rel=1e-8)
    assert scaled[1] == pytest.approx(base[1] / 100, rel=1e-8)


def test_descent_reaches_least_squares_inside_the_ball():
    rng = np.random.default_rng(9)
    X, Y = p1.make_data(rng, p1.DataSpec(samples=400, dimension=3))
    Sxx, Syx, _ = p1.second_moments(X, Y)
    R = p1.least_squares_solution(Sxx, Syx)
    step = 1 / (2 * 4 * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2)
    path = p1.gradient_descent(Sxx, Syx, 4, step, 400)
    assert path.excess[-1] < 1e-10 * path.excess[0]
    assert path.norms.max() < 1
    assert path.pl_ratio_min >= 1
    assert 0 <= path.norm_spread < 0.1
    np.testing.assert_allclose(path.norms[-1], p1.layer_norms(path.layers), rtol=1e-12)
    np.testing.assert_allclose(path.excess[-1], p1.excess_loss(path.layers, Sxx, Syx), rtol=1e-6,
                               atol=1e-14 * path.excess[0])


def test_make_data_is_deterministic():
    first = p1.make_data(np.random.default_rng(11), p1.DataSpec(samples=50, dimension=2))
    second = p1.make_data(np.random.default_rng(11), p1.DataSpec(samples=50, dimension=2))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


# --- invalid input ----------------------------------------------------------------


GOOD = np.eye(2)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p1.loss([], GOOD, GOOD, 1.0),
        lambda: p1.loss([np.zeros((2, 3))], GOOD, GOOD, 1.0),
        lambda: p1.loss([np.zeros((2, 2)), np.zeros((3, 3))], GOOD, GOOD, 1.0),
        lambda: p1.loss([np.full((2, 2), np.nan)], GOOD, GOOD, 1.0),
        lambda: p1.loss([np.zeros((3, 3))], GOOD, GOOD, 1.0),
        lambda: p1.loss([np.zeros((2, 2))], GOOD, GOOD, -1.0),
        lambda: p1.gradients([np.zeros((2, 2))], np.array([[1.0, 1.0], [0.0, 1.0]]), GOOD),
        lambda: p1.gradients([np.zeros((2, 2))], np.diag([1.0, -1.0]), GOOD),
        lambda: p1.gradients([np.zeros((2, 2))], GOOD, np.eye(3)),
        lambda: p1.gradients([np.zeros((2, 2))], np.full((2, 2), np.inf), GOOD),
        lambda: p1.least_squares_solution(np.diag([1.0, 0.0]), np.eye(2)),
        lambda: p1.pl_constant(0, 0.5, GOOD),
        lambda: p1.pl_constant(2, 1.0, GOOD),
        lambda: p1.pl_equality_instance(2, 0.5, np.zeros((2, 2))),
        lambda: p1.boundary_critical_point(1, 2),
        lambda: p1.boundary_escape_change(GOOD, np.zeros((2, 2)), 1.0, 2, 0.1, 1),
        lambda: p1.central_difference_gradient([np.zeros((2, 2))], GOOD, GOOD, 1.0, 0.0),
        lambda: p1.pl_ratios([1.5 * np.eye(2)], GOOD, GOOD),
        lambda: p1.second_moments(np.zeros((3, 2)), np.zeros((3, 3))),
        lambda: p1.singular_example(np.zeros(4)),
        lambda: p1.singular_example(np.ones(3), slope=np.inf),
        lambda: p1.layer_pl_ratio([np.zeros((2, 2))], GOOD, GOOD, 2),
        lambda: p1.layer_pl_ratio([2 * np.eye(2), np.zeros((2, 2))], GOOD, GOOD, 2),
        lambda: p1.layer_pl_ratio([np.zeros((2, 2))], GOOD, GOOD, 1),
        lambda: p1.hardt_ma_threshold_ratio(2, 1.0, GOOD),
        lambda: p1.hardt_ma_printed_gradients([np.zeros((2, 2))], np.diag([1.0, -1.0]), GOOD),
        lambda: p1.last_layer_identity_error([-np.eye(2)], GOOD, GOOD),
        lambda: p1.random_ball_points(np.random.default_rng(0), 0, (GOOD, GOOD)),
        lambda: p1.random_ball_points(np.random.default_rng(0), 3, (GOOD, GOOD), max_depth=0),
        lambda: p1.pl_sweep([]),
    ],
    ids=[
        "no layers", "non-square layer", "layers of two sizes", "nan layer", "layer vs moments",
        "negative Syy", "asymmetric Sxx", "indefinite Sxx", "Syx shape", "infinite Sxx",
        "inconsistent moments", "depth 0", "tau 1", "Sxx zero", "boundary depth 1",
        "Syx zero", "fd step 0", "outside the ball", "sample shapes", "zero samples",
        "infinite slope", "layer index", "companion norm above 1", "global minimum", "printed tau 1",
        "printed indefinite", "identity undefined", "no points", "depth 0 points", "empty sweep",
    ],
)
def test_invalid_input_raises(call):
    with pytest.raises(ValueError):
        call()


def test_run_claims_pass_and_figures_exist(tmp_path):
    started = time.process_time()
    led = p1.run(tmp_path)
    # The budget is 1 s of CPU per generator; twice that catches a regression without flakiness.
    assert time.process_time() - started < 2.0
    failed = [(c.name, c.value, c.check.text) for c in led.claims if not c.passed]
    assert not failed
    assert {f.file for f in led.figures} == {"p1_descent.pdf", "p1_pl.pdf"}
    assert all((tmp_path / f.file).stat().st_size > 0 for f in led.figures)
