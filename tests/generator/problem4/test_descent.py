"""Tests of :mod:`generator.problem4.descent`: constant-step gradient descent against the flow."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4

SETTING = p4.ToySetting(inputs=(0.5, -1.0), targets=0.0, lam=0.5)


START = np.array([2.0, 0.0, 0.0, 0.0, 0.0])


def test_descent_over_flow_compares_at_equal_times():
    t = np.concatenate([[0.0], np.logspace(-3, 2.5, 56)])
    flow = p4.gradient_flow(START, t, SETTING)
    step = 0.5
    times = step * np.arange(601)
    exact = p4.gradient_flow(START, np.concatenate([[0.0], times[300:]]), SETTING).loss[1:]
    losses = np.concatenate([np.ones(300), 3.0 * exact])
    assert p4.descent_over_flow(losses, step, flow) == pytest.approx(3.0, rel=1e-3)


def test_descent_steps_and_small_step_limit():
    start = np.array([2.3, 0.4, -0.1, 0.2, 0.3])
    params, losses = p4.gradient_descent_constant_step(start, 0.1, 50, SETTING)
    first = start - 0.1 * p4.modified_loss_gradient(start, SETTING)
    np.testing.assert_allclose(params[1], first, rtol=1e-14)
    assert losses[1] == pytest.approx(p4.modified_loss(first, SETTING), rel=1e-14)
    assert p4.descent_step_error(params, losses, 0.1, SETTING) < 1e-14
    assert p4.descent_step_error(params, losses, 0.11, SETTING) > 1e-4
    step = 1e-4
    params, losses = p4.gradient_descent_constant_step(START, step, 10000, SETTING)
    flow = p4.gradient_flow(START, np.array([0.0, 1.0]), SETTING)
    assert losses[-1] == pytest.approx(flow.loss[-1], rel=1e-3)


def test_constant_step_statistics_of_a_stalled_run():
    params, losses = p4.gradient_descent_constant_step(START, 1e-2, 20000, SETTING)
    ratio, curvature = p4.constant_step_statistics(params, losses, 1e-2, SETTING, offset=1.0)
    assert 0.7 < ratio < 1.4 and 1.7 < curvature < 2.3


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.descent_over_flow(np.ones(11), 1.0, p4.gradient_flow(START, [0.0, 1.0], SETTING)),
        lambda: p4.gradient_descent_constant_step(START, 0.0, 10, SETTING),
        lambda: p4.gradient_descent_constant_step(START, 0.1, 0, SETTING),
        lambda: p4.gradient_descent_constant_step(START[:4], 0.1, 10, SETTING),
        lambda: p4.descent_step_error(np.zeros((1, 5)), np.zeros(1), 0.1, SETTING),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_constant_step_statistics_are_medians_over_the_second_half():
    step, n_steps = 1e-2, 2000
    params, losses = p4.gradient_descent_constant_step(START, step, n_steps, SETTING)
    late = np.arange(n_steps + 1) * step >= n_steps * step / 2
    z = params[late][:, 1:3] @ np.array([0.5, -1.0]) + params[late][:, p4.B_INDEX]
    ratio, curvature = p4.constant_step_statistics(params, losses, step, SETTING, offset=1.0)
    assert ratio == pytest.approx(np.median(losses[late] / (step * SETTING.lam)), rel=1e-12)
    assert curvature == pytest.approx(np.median(2 * step * (np.exp(2 * z) + SETTING.lam)), rel=1e-12)
    # The two halves differ, so a statistic over the wrong half would show.
    assert np.median(losses[~late]) / np.median(losses[late]) > 1.01
