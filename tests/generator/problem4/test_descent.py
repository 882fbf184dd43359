"""Tests of :mod:`generator.problem4.descent`: constant-step gradient descent against the flow."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(x=1.0, y=0.0, lam=0.5)


def test_descent_over_flow_compares_at_equal_times():
    t = np.concatenate([[0.0], np.logspace(-3, 2.5, 56)])
    flow = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], t, SETTING)
    step = 0.5
    times = step * np.arange(601)
    exact = p4.gradient_flow([2.0, 0.0, 0.0, 0.0], np.concatenate([[0.0], times[300:]]), SETTING).loss[1:]
    losses = np.concatenate([np.ones(300), 3.0 * exact])
    assert p4.descent_over_flow(losses, step, flow) == pytest.approx(3.0, rel=1e-3)


def test_descent_first_step_and_small_step_limit():
    start = np.array([2.0, 0.0, 0.0, 0.0])
    losses, z, a = p4.gradient_descent_constant_step(start, 0.1, 1, SETTING)
    first = start - 0.1 * p4.modified_loss_gradient(start, SETTING)
    assert a[1] == pytest.approx(first[p4.A_INDEX], rel=1e-14)
    assert z[1] == pytest.approx(first[p4.W_INDEX] * SETTING.x + first[p4.B_INDEX], abs=1e-15)
    assert losses[1] == pytest.approx(p4.modified_loss(first, SETTING), rel=1e-14)
    step = 1e-4
    losses, _, _ = p4.gradient_descent_constant_step(start, step, 10000, SETTING)
    flow = p4.gradient_flow(start, np.array([0.0, 1.0]), SETTING)
    assert losses[-1] == pytest.approx(flow.loss[-1], rel=1e-3)


def test_constant_step_statistics_of_a_stalled_run():
    losses, z, _ = p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 1e-2, 20000, SETTING)
    ratio, curvature = p4.constant_step_statistics(losses, z, 1e-2, SETTING, offset=1.0)
    assert 0.7 < ratio < 1.4 and 1.7 < curvature < 2.3


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.descent_over_flow(np.ones(11), 1.0, p4.gradient_flow([2.0, 0.0, 0.0, 0.0], [0.0, 1.0], SETTING)),
        lambda: p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 0.0, 10, SETTING),
        lambda: p4.gradient_descent_constant_step([2.0, 0.0, 0.0, 0.0], 0.1, 0, SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
