"""Tests of :mod:`generator.problem1.pl_inequality`: our PL inequalities and the printed (2.3)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from generator import problem1 as p1


def test_determinant_of_near_identity_layers_is_positive(random_layers):
    """Lemma: ||W||_2 < 1 implies det(I + W) > 0 and sigma_min(I + W) >= 1 - ||W||_2."""
    rng = np.random.default_rng(6)
    for W in random_layers(rng, 200, 4, 0.999):
        assert np.linalg.det(np.eye(4) + W) > 0
        assert scipy.linalg.svdvals(np.eye(4) + W)[-1] >= 1 - np.linalg.norm(W, 2) - 1e-12


@pytest.mark.parametrize("depth, tau", [(1, 0.3), (4, 0.0), (6, 0.5)])
def test_per_layer_inequality_with_one_large_layer(depth, tau, random_moments, random_layers):
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
def test_printed_inequality_threshold(depth, tau, lam, holds, random_layers):
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


def test_pl_is_scale_invariant_and_printed_is_not(random_moments, random_layers):
    rng = np.random.default_rng(8)
    Sxx, Syx, _ = random_moments(rng, 3)
    Ws = random_layers(rng, 4, 3, 0.5)
    base = p1.pl_ratios(Ws, Sxx, Syx)
    scaled = p1.pl_ratios(Ws, 100 * Sxx, 100 * Syx)
    assert scaled[0] == pytest.approx(base[0], rel=1e-8)
    assert scaled[1] == pytest.approx(base[1] / 100, rel=1e-8)


def test_pl_constant_takes_an_array_of_tau():
    Sxx = np.diag([2.0, 0.0, 5.0])
    taus = np.array([0.0, 0.3, 0.9])
    expected = [p1.pl_constant(4, float(t), Sxx) for t in taus]
    np.testing.assert_allclose(p1.pl_constant(4, taus, Sxx), expected, rtol=1e-15)
    assert expected[0] == pytest.approx(4 * 4 * 2.0)  # lambda_+ = 2, the zero eigenvalue is skipped
