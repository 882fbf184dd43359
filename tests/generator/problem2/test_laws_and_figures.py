"""Tests of Problem 2's law claims and of what its figures draw (second hardening round)."""

from __future__ import annotations


import numpy as np
import pytest

from generator.problem2 import claims
from generator.problem2.checks import random_turning_matrices
from generator.problem2.examples import example_matrices, example_unitaries, random_rotation
from generator.problem2.figures import plot_layer_norms, plot_orthogonal_power
from generator.problem2.sweeps import sweep_depths


def test_random_rotation_sign_balance_is_haar_like():
    rng = np.random.default_rng(3)
    positive = np.mean([random_rotation(d, rng)[1, 1] > 0 for d in (3, 4, 5) for _ in range(200)])
    assert abs(positive - 0.5) < 4 * np.sqrt(0.25 / 600)


def test_random_rotation_without_sign_fix_fails_the_balance():
    rng = np.random.default_rng(3)
    unfixed = []
    for d in (3, 4, 5):
        for _ in range(200):
            Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
            if np.linalg.det(Q) < 0:
                Q[:, 0] = -Q[:, 0]
            unfixed.append(Q[1, 1] > 0)
    assert abs(np.mean(unfixed) - 0.5) > 4 * np.sqrt(0.25 / 600)


def test_turning_rows_have_independent_directions():
    rng = np.random.default_rng(4)
    stacks = random_turning_matrices(rng, 400, (3, 5))
    for R, d in zip(stacks, (3, 5)):
        same = np.mean(np.argmax(np.abs(R[:, 0]), -1) == np.argmax(np.abs(R[:, 1]), -1))
        assert abs(same - 1 / d) < 4 * np.sqrt((1 / d) * (1 - 1 / d) / 400)


def test_gaussian_test_matrix_has_unit_variance_entries():
    squares = [np.mean(example_matrices(np.random.default_rng(k))["gaussian"] ** 2) for k in range(40)]
    assert abs(np.mean(squares) - 1) < 4 * np.sqrt(2 / (25 * 40))


def test_layer_norms_figure_draws_its_reference(tmp_path):
    matrices = example_matrices(np.random.default_rng(claims.SEED))
    sweeps = {name: sweep_depths(matrices[name], claims.FIGURE_DEPTHS, build=False) for name in claims.FIGURE_ROWS}
    drawn = plot_layer_norms(sweeps, claims.FIGURE_TITLES, tmp_path / "a.pdf")
    assert len(drawn) == claims.LAYER_NORM_CURVES * len(claims.FIGURE_ROWS)
    assert claims._layer_norms_figure_deviation(matrices, drawn) < 1e-7
    wrong = [a.copy() for a in drawn]
    wrong[3][:, 1] = wrong[0][:, 1]  # the lower bound drawn from the split norms
    assert claims._layer_norms_figure_deviation(matrices, wrong) > 1e-3
    assert claims._layer_norms_figure_deviation(matrices, drawn[:-1]) == np.inf


def test_orthogonal_power_figure_draws_the_sine_formula(tmp_path):
    rng = np.random.default_rng(claims.SEED)
    example_matrices(rng)
    unitaries = example_unitaries(rng)
    chosen = {k: unitaries[k] for k in claims.POWER_TITLES}
    drawn = plot_orthogonal_power(chosen, claims.POWER_TITLES, tmp_path / "b.pdf")
    assert claims._orthogonal_power_figure_deviation(unitaries, drawn) < 1e-9
    wrong = [a.copy() for a in drawn]
    wrong[0][:, 1] *= np.sqrt(2)  # Frobenius instead of spectral norm for -I_4
    assert claims._orthogonal_power_figure_deviation(unitaries, wrong) > 0.1


def test_lower_shortfall_reference_takes_the_smaller_construction():
    matrices = example_matrices(np.random.default_rng(1))
    sweeps = {k: sweep_depths(matrices[k], (1, 2, 5)) for k in ("gaussian", "shear", "identity")}
    expected = 1 - min(
        float(np.min(np.minimum(s.split_norm, s.balanced_norm) / s.lower)) for s in sweeps.values() if s.nontrivial
    )
    assert claims._lower_shortfall_reference(sweeps) == pytest.approx(expected, abs=1e-15)
