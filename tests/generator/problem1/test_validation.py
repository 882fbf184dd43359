"""Invalid input raises ``ValueError`` in every public function of :mod:`generator.problem1`.

The checks are those of :mod:`generator.problem1.validation` or the function's own; the
cases form one table for the whole package.
"""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem1 as p1

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
        lambda: p1.central_difference_gradient(lambda Ws: 0.0, [np.zeros((2, 2))], 0.0),
        lambda: p1.pl_ratios([1.5 * np.eye(2)], GOOD, GOOD),
        lambda: p1.second_moments(np.zeros((3, 2)), np.zeros((3, 3))),
        lambda: p1.singular_example(np.zeros(4)),
        lambda: p1.singular_example(np.ones(3), slope=np.inf),
        lambda: p1.layer_pl_ratio([np.zeros((2, 2))], GOOD, GOOD, 2),
        lambda: p1.layer_pl_ratio([2 * np.eye(2), np.zeros((2, 2))], GOOD, GOOD, 2),
        lambda: p1.layer_pl_ratio([np.zeros((2, 2))], GOOD, GOOD, 1),
        lambda: p1.hardt_ma_threshold_ratio(2, 1.0, GOOD),
        lambda: p1.hardt_ma_printed_gradients([np.zeros((2, 2))], np.diag([1.0, -1.0]), GOOD),
        lambda: p1.last_layer_identity_error([-np.eye(2)], GOOD),
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
