"""Tests of :mod:`generator.problem4.nonconvex`: the bad local minimum of the non-convex example."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)


def test_nonconvex_point_is_stationary_and_locally_minimal():
    point = np.array([2.0, 0.3, 0.0, -0.4])
    assert p4.nonconvex_modified_loss(point, SETTING) == 1.0
    h = 1e-6
    for k in range(4):
        e = np.zeros(4)
        e[k] = h
        derivative = (p4.nonconvex_modified_loss(point + e, SETTING) - p4.nonconvex_modified_loss(point - e, SETTING)) / (2 * h)
        assert abs(derivative) < 1e-8
    increase, inside = p4.nonconvex_perturbation_test(SETTING, radius=0.25, n_samples=2000, seed=0)
    assert increase > 0 and inside == 2000
    # the global minimum is lower: the local minimum is bad
    assert p4.nonconvex_modified_loss([0.0, 0.0, 0.0, 0.0], SETTING) == 0.0


def test_nonconvex_local_minimum_is_not_strict():
    assert p4.nonconvex_flat_directions(SETTING, radius=0.25, n_samples=500, seed=1) == 0.0
    increase, _ = p4.nonconvex_perturbation_test(SETTING, radius=0.25, n_samples=500, seed=1)
    assert increase >= 0.0


def test_nonconvex_perturbations_leave_the_neighbourhood_for_a_large_radius():
    _, inside = p4.nonconvex_perturbation_test(SETTING, radius=3.0, n_samples=2000, seed=0)
    assert inside < 2000


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.nonconvex_perturbation_test(SETTING, radius=0.0, n_samples=10, seed=0),
        lambda: p4.nonconvex_perturbation_test(SETTING, radius=1.0, n_samples=0, seed=0),
        lambda: p4.nonconvex_flat_directions(SETTING, radius=-1.0, n_samples=10, seed=0),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
