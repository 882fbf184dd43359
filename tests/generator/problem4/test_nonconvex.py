"""Tests of :mod:`generator.problem4.nonconvex`: the bad local minimum of the non-convex example."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


NONCONVEX = p4.ToySetting(inputs=(0.5, -1.0), targets=0.5, lam=0.5)


def test_nonconvex_point_is_stationary_and_locally_minimal():
    point = np.array([2.5, 0.3, -0.2, 0.0, -0.4])
    assert p4.nonconvex_modified_loss(point, NONCONVEX) == 1.0
    h = 1e-6
    for e in h * np.eye(5):
        derivative = (p4.nonconvex_modified_loss(point + e, NONCONVEX)
                      - p4.nonconvex_modified_loss(point - e, NONCONVEX)) / (2 * h)
        assert abs(derivative) < 1e-8
    assert p4.nonconvex_perturbation_test(NONCONVEX, radius=0.25, n_samples=2000, seed=0) > 0
    # the global minimum is lower: the local minimum is bad
    assert p4.nonconvex_modified_loss([0.5, 0.0, 0.0, 0.0, 0.0], NONCONVEX) == 0.0


def test_nonconvex_local_minimum_is_not_strict():
    assert p4.nonconvex_flat_directions(NONCONVEX, radius=0.25, n_samples=500, seed=1) == 0.0
    assert p4.nonconvex_perturbation_test(NONCONVEX, radius=0.25, n_samples=500, seed=1) >= 0.0


def test_nonconvex_perturbations_of_a_large_radius_reach_lower_values():
    assert p4.nonconvex_perturbation_test(NONCONVEX, radius=3.0, n_samples=2000, seed=0) < 0


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


def test_flat_perturbations_move_w_and_b_alone_inside_the_ball():
    from generator.problem4.nonconvex import flat_perturbations
    from generator.problem4.toy_model import A_INDEX, B_INDEX, THETA_INDEX, ToySetting

    setting = ToySetting(inputs=(0.5, -1.0), targets=-0.5, lam=0.5)
    deltas = flat_perturbations(setting, 0.25, 4000, seed=3)
    assert deltas.shape == (4000, 5)
    assert np.all(deltas[:, [THETA_INDEX, A_INDEX]] == 0.0)
    norms = np.linalg.norm(deltas, axis=-1)
    assert np.all(norms <= 0.25)
    # Uniform in the ball of R^3 (w in R^2 and b): the radius cubed is uniform on [0, r^3].
    assert abs(np.mean((norms / 0.25) ** 3) - 0.5) < 4 * np.sqrt(1 / 12 / 4000)
    # b and the two components of w are exchangeable: the same second moment r^2 / 5 each.
    second = np.mean(deltas[:, [1, 2, B_INDEX]] ** 2, axis=0) / 0.25**2
    assert np.all(np.abs(second - 0.2) < 0.02)
