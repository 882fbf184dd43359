"""Tests of :mod:`generator.problem1.sweep`: the batched sweep against the per-point functions."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem1 as p1
from generator.problem1 import sweep as sweep_module


def test_pl_inequality_at_random_points(random_moments):
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


def test_batched_sweep_matches_the_per_point_functions(random_moments):
    """The vectorised sweep agrees with gradient_norm_squared, pl_ratios and layer_pl_ratio."""
    rng = np.random.default_rng(12)
    data = random_moments(rng, 3)[:2]
    for free in (None, (1.0, 3.0)):
        for batch in p1.random_ball_points(rng, 16, data, max_depth=4, free_layer_norm=free):
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


def test_free_layer_points_lie_in_v_but_not_in_u(random_moments):
    rng = np.random.default_rng(13)
    data = random_moments(rng, 2)[:2]
    for batch in p1.random_ball_points(rng, 30, data, max_depth=5, free_layer_norm=(1.0, 3.0)):
        norms = np.linalg.norm(batch.layers, ord=2, axis=(2, 3))
        rows = np.arange(norms.shape[0])
        assert np.all(norms[rows, batch.free_layer] >= 1.0 - 1e-12)
        others = norms.copy()
        others[rows, batch.free_layer] = 0.0
        assert np.all(others < 1)


def test_per_point_deviation_is_rounding_and_sees_a_wrong_batch(random_moments, monkeypatch):
    rng = np.random.default_rng(16)
    data = random_moments(rng, 3)[:2]
    batches = p1.random_ball_points(rng, 12, data, max_depth=3)
    batches += p1.random_ball_points(rng, 12, data, max_depth=3, free_layer_norm=(1.0, 3.0))
    assert p1.per_point_deviation(batches, per_batch=2) < 1e-9
    honest = sweep_module._sweep_batch

    def off_by_a_percent(batch):
        part = honest(batch)
        return {**part, "layer_ratio": 1.01 * part["layer_ratio"]}

    monkeypatch.setattr(sweep_module, "_sweep_batch", off_by_a_percent)
    assert p1.per_point_deviation(batches, per_batch=2) > 5e-3


def test_numerical_rank_equals_rank_by_construction(random_moments):
    rng = np.random.default_rng(17)
    data = random_moments(rng, 4)[:2]
    sweep = p1.pl_sweep(p1.random_ball_points(rng, 400, data, max_depth=3))
    np.testing.assert_array_equal(sweep.rank, sweep.design_rank)
    assert np.any(sweep.design_rank < sweep.dimension)
