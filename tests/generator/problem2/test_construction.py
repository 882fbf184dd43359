"""Tests of Problem 2's construction: the split and balanced layers, their product and norms."""

from __future__ import annotations

import re

import numpy as np
import pytest

from generator.problem2 import (
    balanced_bound,
    construction_bound,
    example_matrices,
    lower_bound,
    max_rotation_angle,
    orthogonal_power_minus_identity,
    polar_factors,
)
from generator.problem2.construction import (
    balanced_layer_norms,
    construct_balanced_layers,
    construct_layers,
    layer_product,
    max_layer_norm,
    plan_layers,
    product_error,
    split_layer_norms,
)

CASES = example_matrices(np.random.default_rng(0))
DEPTHS = (1, 2, 3, 4, 7, 10, 101)


@pytest.mark.parametrize("H", DEPTHS)
@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize(
    ("construct", "upper_bound"),
    [(construct_layers, construction_bound), (construct_balanced_layers, balanced_bound)],
    ids=["split", "balanced"],
)
def test_layers_multiply_to_R_within_bounds(construct, upper_bound, name, H):
    R = CASES[name]
    layers = construct(R, H)
    assert len(layers) == H
    assert all(W.shape == R.shape and W.dtype == np.float64 for W in layers)
    assert product_error(R, layers) <= 1e-10
    norm = max_layer_norm(layers)
    assert norm <= upper_bound(R, H) * (1 + 1e-12) + 1e-15
    assert norm >= lower_bound(R, H) * (1 - 1e-9)


def test_depth_one_is_R_minus_identity():
    R = CASES["gaussian"]
    (W,) = construct_layers(R, 1)
    np.testing.assert_array_equal(W, R - np.eye(5))


def test_first_layers_are_the_positive_factor_applied_first():
    R = CASES["gaussian"]
    H = 9
    layers = construct_layers(R, H)
    symmetric = [np.allclose(W, W.T, atol=1e-13) for W in layers]
    h_P = sum(symmetric)
    assert 1 <= h_P <= H - 1
    assert symmetric == [True] * h_P + [False] * (H - h_P)
    U = polar_factors(R).orthogonal
    np.testing.assert_allclose(layer_product(layers[:h_P]), U.T @ R, atol=1e-12)
    np.testing.assert_allclose(layer_product(layers[h_P:]), U, atol=1e-12)


def test_split_is_optimal_among_all_splits():
    R = CASES["shear"]
    polar = polar_factors(R)
    H = 7
    best = max_layer_norm(construct_layers(R, H))
    for h in range(1, H):
        positive = polar.positive_power_minus_identity(1 / h)
        rotation = orthogonal_power_minus_identity(polar.orthogonal, 1 / (H - h))
        alternative = max(np.linalg.norm(positive, 2), np.linalg.norm(rotation, 2))
        assert best <= alternative * (1 + 1e-12)


@pytest.mark.parametrize("H", (2, 3, 8, 51))
@pytest.mark.parametrize("name", ("gaussian", "shear", "no_real_root", "spd", "random_rotation"))
def test_planned_norms_are_the_layer_norms(name, H):
    """The closed forms a(h) and b(h) of the write-up match the built layers."""
    R = CASES[name]
    polar = polar_factors(R)
    plan = plan_layers(polar, max_rotation_angle(polar.orthogonal), H)
    layers = construct_layers(R, H)
    assert plan.positive_layers + plan.orthogonal_layers == H
    norms = [np.linalg.norm(W, 2) for W in layers]
    expected = [plan.positive_norm] * plan.positive_layers + [plan.orthogonal_norm] * plan.orthogonal_layers
    np.testing.assert_allclose(norms, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("H", (2, 3, 8, 51))
def test_positive_definite_R_is_factored_optimally(H):
    R = CASES["spd"]
    layers = construct_layers(R, H)
    for W in layers:
        np.testing.assert_allclose(W, layers[0], atol=0)
        np.testing.assert_allclose(W, W.T, atol=1e-14)
    assert max_layer_norm(layers) == pytest.approx(lower_bound(R, H), rel=1e-12)


@pytest.mark.parametrize("H", (2, 3, 8, 51))
@pytest.mark.parametrize("name", ("orthogonal_minus_one", "minus_identity", "random_rotation"))
def test_orthogonal_R_gets_only_rotation_layers(name, H, is_orthogonal_det_one):
    R = CASES[name]
    layers = construct_layers(R, H)
    phi = max_rotation_angle(R)
    for W in layers:
        assert is_orthogonal_det_one(np.eye(R.shape[0]) + W)
        assert np.linalg.norm(W, 2) == pytest.approx(2 * np.sin(phi / (2 * H)), rel=1e-12)
    # asymptotically optimal: the ratio to the lower bound is exactly 1/cos(phi/(2H))
    ratio = max_layer_norm(layers) / lower_bound(R, H)
    assert ratio == pytest.approx(1 / np.cos(phi / (2 * H)), rel=1e-10)


def test_identity_gives_zero_layers():
    for H in (1, 2, 5):
        assert all(np.all(W == 0) for W in construct_layers(np.eye(3), H))


def test_diag_minus_one_minus_two_has_real_layers():
    R = np.diag([-1.0, -2.0])
    for H in (2, 3, 4, 5):
        layers = construct_layers(R, H)
        assert all(np.isrealobj(W) for W in layers)
        assert product_error(R, layers) <= 1e-14
        assert max_layer_norm(layers) < 1 or H < 5


def test_bound_on_random_matrices():
    rng = np.random.default_rng(7)
    for _ in range(30):
        d = int(rng.integers(1, 7))
        R = rng.standard_normal((d, d)) * rng.uniform(0.2, 3.0)
        if np.linalg.det(R) < 0:
            R[0] = -R[0]
        H = int(rng.integers(2, 60))
        layers = construct_layers(R, H)
        assert product_error(R, layers) <= 1e-10
        assert max_layer_norm(layers) <= construction_bound(R, H) * (1 + 1e-12)


@pytest.mark.parametrize(
    "R, message",
    [
        (np.ones((2, 3)), "square"),
        (np.ones(3), "square"),
        (np.ones((2, 2, 2)), "square"),
        (np.zeros((0, 0)), "empty"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "non-finite"),
        (np.array([[np.inf]]), "non-finite"),
        (np.array([[1.0 + 1j]]), "real"),
        (np.zeros((2, 2)), "singular"),
        (np.array([[1.0, 2.0], [2.0, 4.0]]), "singular"),
        (np.diag([1.0, 1e-17]), "singular"),
        (np.diag([-1.0, 1.0]), "det R < 0"),
        (np.array([[-2.0]]), "det R < 0"),
        (-np.eye(3), "det R < 0"),
    ],
)
def test_construct_layers_rejects_bad_matrices(R, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        construct_layers(R, 3)
    with pytest.raises(ValueError, match=re.escape(message)):
        construct_balanced_layers(R, 3)


@pytest.mark.parametrize("H", (0, -2, 2.5, True, "3", None))
def test_construct_layers_rejects_bad_depths(H):
    with pytest.raises(ValueError, match="depth"):
        construct_layers(np.eye(2), H)


def test_nearly_singular_is_accepted():
    R = np.diag([1.0, 1e-12])
    layers = construct_layers(R, 40)
    assert product_error(R, layers) <= 1e-10


def test_trivial_factorization_solves_every_R():
    """Lemma on global minimizers: W_1 = R - I and W_k = 0 (k >= 2) factor every R,
    also with det R <= 0."""
    for R in (np.diag([-1.0, 1.0]), np.zeros((3, 3)), CASES["gaussian"]):
        layers = [R - np.eye(R.shape[0])] + [np.zeros_like(R)] * 4
        np.testing.assert_allclose(layer_product(layers), R, rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", sorted(CASES))
def test_closed_form_norms_match_built_layers(name):
    R = CASES[name]
    depths = [1, 2, 3, 8, 33]
    split = [max_layer_norm(construct_layers(R, H)) for H in depths]
    balanced = [max_layer_norm(construct_balanced_layers(R, H)) for H in depths]
    np.testing.assert_allclose(split_layer_norms(R, depths), split, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(balanced_layer_norms(R, depths), balanced, rtol=1e-9, atol=1e-15)


def test_layer_product_tree_matches_sequential_product():
    rng = np.random.default_rng(2)
    for H in (1, 2, 3, 5, 8, 13):
        layers = [rng.standard_normal((3, 3)) / 3 for _ in range(H)]
        expected = np.eye(3)
        for W in layers:
            expected = (np.eye(3) + W) @ expected
        np.testing.assert_allclose(layer_product(layers), expected, rtol=1e-13, atol=1e-14)


def test_max_layer_norm_measures_every_distinct_layer():
    small, large = 0.1 * np.eye(2), np.diag([0.0, 0.7])
    assert max_layer_norm([small, small, large, small]) == pytest.approx(0.7)
    assert max_layer_norm([large, small, small]) == pytest.approx(0.7)
    assert max_layer_norm([small, small]) == pytest.approx(0.1)
