"""Tests of Problem 2: the factorization, the orthogonal power and the bounds."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg

from generator.problem2 import (
    balanced_bound,
    balanced_constant,
    balanced_layer_norms,
    construct_balanced_layers,
    construct_layers,
    construction_bound,
    construction_bounds,
    example_matrices,
    example_unitaries,
    hardt_ma_bound,
    hardt_ma_finite_depth_ratio,
    layer_product,
    lower_bound,
    max_layer_norm,
    max_rotation_angle,
    orthogonal_power,
    orthogonal_power_minus_identity,
    plan_layers,
    plane_rotation,
    polar_factors,
    power_distance_formula,
    powers_from_form,
    product_error,
    random_rotation,
    rate_constant,
    rotation_angles,
    rotation_form,
    rotation_generator,
    run,
    split_layer_norms,
    turning_angle_certificate,
    turning_angles,
    turning_vectors,
)

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "problem2.tex"

CASES = example_matrices(np.random.default_rng(0))
UNITARIES = example_unitaries(np.random.default_rng(1))
DEPTHS = (1, 2, 3, 4, 7, 10, 101)


def _is_orthogonal_det_one(X: np.ndarray, tol: float = 1e-12) -> bool:
    identity = np.eye(X.shape[0])
    return (
        np.linalg.norm(X.T @ X - identity, 2) <= tol and abs(np.linalg.det(X) - 1) <= tol
    )


# --------------------------------------------------------------------------- layers


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
def test_orthogonal_R_gets_only_rotation_layers(name, H):
    R = CASES[name]
    layers = construct_layers(R, H)
    theta = max_rotation_angle(R)
    for W in layers:
        assert _is_orthogonal_det_one(np.eye(R.shape[0]) + W)
        assert np.linalg.norm(W, 2) == pytest.approx(2 * np.sin(theta / (2 * H)), rel=1e-12)
    # asymptotically optimal: the ratio to the lower bound is exactly 1/cos(theta/(2H))
    ratio = max_layer_norm(layers) / lower_bound(R, H)
    assert ratio == pytest.approx(1 / np.cos(theta / (2 * H)), rel=1e-10)


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


# --------------------------------------------------------------------------- U^alpha


def test_schur_returns_both_forms_of_a_minus_one_pair():
    """The test set exercises 1x1 and 2x2 Schur blocks for eigenvalues -1."""
    T, _ = scipy.linalg.schur(UNITARIES["minus_one_conjugated"], output="real")
    assert np.sum(np.isclose(np.diag(T), -1.0) & np.append(np.diag(T, -1) == 0, True)) >= 2
    T, _ = scipy.linalg.schur(UNITARIES["rounded_pi_block"], output="real")
    assert T[1, 0] != 0 and T[0, 0] == pytest.approx(-1.0)


@pytest.mark.parametrize("name", sorted(UNITARIES))
def test_orthogonal_power_properties(name):
    U = UNITARIES[name]
    d = U.shape[0]
    identity = np.eye(d)
    angles = rotation_angles(U)
    np.testing.assert_allclose(orthogonal_power(U, 0.0), identity, atol=1e-14)
    np.testing.assert_allclose(orthogonal_power(U, 1.0), U, atol=1e-13)
    for alpha in (-1.3, -0.2, 1e-6, 0.01, 0.37, 1.0, 2.0, 5.5):
        X = orthogonal_power(U, alpha)
        assert np.isrealobj(X) and _is_orthogonal_det_one(X)
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
        # each angle appears for the pair exp(+-i theta); the rest are 0
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


# --------------------------------------------------------------------------- bounds


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



def test_repeated_max_angle_plane_compression_does_not_attain_theta_max():
    """Set-up of the numerics: with e^{i theta_max} repeated, a rotation plane of U
    need not be invariant under P, so an eigenvector of the compression of P turns
    by an angle other than theta_max; the certificate still finds theta_max through
    the invariant planes of R, and with one block of angle theta_max the compression
    attains it."""
    theta = 1.0
    rotation = plane_rotation(theta)
    U = scipy.linalg.block_diag(rotation, rotation)
    P = np.block([[2 * np.eye(2), np.eye(2)], [np.eye(2), 2 * np.eye(2)]])
    np.testing.assert_allclose(U @ P, P @ U, atol=1e-15)
    R = U @ P
    e1 = np.eye(4)[:, :1]
    # e_1 is an eigenvector of P compressed to the first plane (2 I_2) ...
    assert np.cos(turning_angles(R, e1)[0]) == pytest.approx(2 * np.cos(theta) / np.sqrt(5), rel=1e-12)
    assert turning_angles(R, e1)[0] > theta + 0.05
    # ... yet R is normal with Theta(R) >= theta_max, and the certificate reaches theta_max
    assert turning_angle_certificate(R) >= theta * (1 - 1e-12)
    simple = U @ scipy.linalg.block_diag(P[:2, :2], 3 * np.eye(2))
    vectors = np.eye(4)[:, :2]
    np.testing.assert_allclose(turning_angles(simple, vectors), theta, rtol=1e-12)


def test_trivial_factorization_solves_every_R():
    """Lemma on global minimizers: W_1 = R - I and W_k = 0 (k >= 2) factor every R,
    also with det R <= 0."""
    for R in (np.diag([-1.0, 1.0]), np.zeros((3, 3)), CASES["gaussian"]):
        layers = [R - np.eye(R.shape[0])] + [np.zeros_like(R)] * 4
        np.testing.assert_allclose(layer_product(layers), R, rtol=0, atol=1e-15)


def _random_positive_determinant(rng: np.random.Generator, d: int) -> np.ndarray:
    R = rng.standard_normal((d, d)) * np.exp(rng.uniform(-2, 2, (d, 1)))
    if np.linalg.det(R) < 0:
        R[0] = -R[0]
    return R


def test_turning_vector_turns_by_at_least_the_capped_angle():
    """The lemma: angle(x, R x) >= min(theta_max(U), pi/2), on random non-normal R."""
    rng = np.random.default_rng(21)
    for _ in range(300):
        R = _random_positive_determinant(rng, int(rng.integers(1, 8)))
        theta = max_rotation_angle(polar_factors(R).orthogonal)
        angle = turning_angles(R, turning_vectors(R)[:, None])[0]
        assert angle >= min(theta, np.pi / 2) - 1e-12
        assert turning_angle_certificate(R) >= angle


def test_turning_vectors_batch_matches_single():
    rng = np.random.default_rng(4)
    stack = np.stack([_random_positive_determinant(rng, 4) for _ in range(5)])
    batch = turning_vectors(stack)
    for R, x in zip(stack, batch):
        y = turning_vectors(R)
        # eigenvectors are defined up to sign
        assert min(np.linalg.norm(x - y), np.linalg.norm(x + y)) <= 1e-10 * np.linalg.norm(x)


def test_turning_angle_of_two_by_two_matrices_reaches_theta_max():
    """For d = 2 an eigenvector of P is turned by exactly theta_max (remark after the lemma)."""
    rng = np.random.default_rng(8)
    for _ in range(50):
        R = _random_positive_determinant(rng, 2)
        polar = polar_factors(R)
        theta = max_rotation_angle(polar.orthogonal)
        angles = turning_angles(R, polar.right_vectors)
        np.testing.assert_allclose(angles, theta, atol=1e-9)


@pytest.mark.parametrize("name", sorted(CASES))
def test_closed_form_norms_match_built_layers(name):
    R = CASES[name]
    depths = [1, 2, 3, 8, 33]
    split = [max_layer_norm(construct_layers(R, H)) for H in depths]
    balanced = [max_layer_norm(construct_balanced_layers(R, H)) for H in depths]
    np.testing.assert_allclose(split_layer_norms(R, depths), split, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(balanced_layer_norms(R, depths), balanced, rtol=1e-9, atol=1e-15)


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


@pytest.mark.parametrize("name", sorted(UNITARIES))
def test_rotation_generator_is_a_real_logarithm(name):
    """exp(L) = U (scipy's expm, independent of the normal form code), ||L|| = theta_max."""
    U = UNITARIES[name]
    form = rotation_form(U)
    L = rotation_generator(form)
    np.testing.assert_allclose(L, -L.T, atol=1e-15)
    np.testing.assert_allclose(scipy.linalg.expm(L), U, atol=1e-12)
    assert np.linalg.norm(L, 2) == pytest.approx(max_rotation_angle(U), abs=1e-12)
    np.testing.assert_allclose(powers_from_form(form, [0.3])[0], orthogonal_power(U, 0.3), atol=0)


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


def _hypot_gamma_theta(R) -> float:
    polar = polar_factors(R)
    return float(np.hypot(polar.gamma, max_rotation_angle(polar.orthogonal)))


def test_balanced_constant_commuting_and_non_commuting_cases():
    gamma_theta = _hypot_gamma_theta
    for name in ("normal", "spd", "random_rotation", "minus_identity", "orthogonal_minus_one"):
        R = CASES[name]
        assert balanced_constant(R) <= gamma_theta(R) * (1 + 1e-12)
    # normal, L commutes with P: equality for the test matrix 3 G(2) (+) G(1)/2 (+) 2
    assert balanced_constant(CASES["normal"]) == pytest.approx(np.hypot(np.log(3), 2.0), rel=1e-12)
    # diag(-1, -2) has no real logarithm, so no normal form makes L commute with P
    R = CASES["no_real_root"]
    assert balanced_constant(R) > gamma_theta(R) * 1.05


def test_balanced_constant_equals_c_for_two_by_two_determinant_one():
    rng = np.random.default_rng(12)
    for _ in range(30):
        R = _random_positive_determinant(rng, 2)
        R = R / np.sqrt(np.linalg.det(R))
        assert balanced_constant(R) == pytest.approx(rate_constant(R), rel=1e-10)


def test_explicit_rates_of_the_corollary():
    rng = np.random.default_rng(13)
    for _ in range(40):
        R = _random_positive_determinant(rng, int(rng.integers(1, 6)))
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


# --------------------------------------------------------------------------- run


def test_run_claims_pass_and_match_the_template(tmp_path):
    ledger = run(tmp_path)
    names = {c.name for c in ledger.claims}
    assert len(names) >= 4
    assert all(c.passed for c in ledger.claims), [c.name for c in ledger.claims if not c.passed]
    assert all((tmp_path / f.file).is_file() for f in ledger.figures)
    if TEMPLATE.is_file():
        text = TEMPLATE.read_text()
        cited = set(re.findall(r"\\VAR\{c\.(p2_[a-z0-9_]+)\}", text))
        assert cited == names
        parameters = set(re.findall(r"\\VAR\{p\.(p2_[a-z0-9_]+)\}", text))
        assert parameters <= {p.name for p in ledger.parameters}
        figures = set(re.findall(r"\\VAR\{f\.(p2_[a-z0-9_]+)\.", text))
        assert figures == {f.name for f in ledger.figures}
