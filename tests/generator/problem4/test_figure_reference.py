"""Tests of :mod:`generator.problem4.figure_reference`: what the figures of Problem 4 should show, compared with
what :mod:`generator.problem4.figures` draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator.problem4.figure_reference import figure_deviation, landscape_figure_reference
from generator.problem4.figures import plot_landscape
from generator.problem4.flows import gradient_flow
from generator.problem4.toy_model import A_INDEX, B_INDEX, ToySetting

SETTING = ToySetting(inputs=(0.5, -1.0), targets=-0.5, lam=0.5)


def test_deviation_is_relative_on_log_axes_and_scaled_on_linear_ones():
    target = np.array([[1.0, 1e-3], [2.0, 1e-6]])
    drawn = target * np.array([1.0, 1.0 + 1e-8])
    assert figure_deviation([drawn], [(target, False, True)]) == pytest.approx(1e-8, rel=1e-6)
    # On a linear axis the same absolute error counts against the largest value of the coordinate.
    shifted = target + np.array([[1e-3, 0.0], [0.0, 0.0]])
    assert figure_deviation([shifted], [(target, False, True)]) == pytest.approx(5e-4, rel=1e-6)


def test_deviation_is_infinite_when_the_artists_do_not_match():
    target = np.ones((3, 2))
    assert figure_deviation([target, target], [(target, True, True)]) == math.inf
    assert figure_deviation([target[:2]], [(target, True, True)]) == math.inf
    assert figure_deviation([target * np.nan], [(target, True, True)]) == math.inf
    assert figure_deviation([np.zeros((5, 2))], [None]) == 0.0


@pytest.fixture(scope="module")
def landscape(tmp_path_factory):
    flow = gradient_flow(np.array([2.0, 0.0, 0.0, 0.0, 0.0]), np.concatenate([[0.0], np.logspace(-3, 3, 61)]),
                         SETTING)
    beta = np.linspace(0.0, 10.0, 81)
    drawn = plot_landscape(flow, beta, SETTING, 2.0, tmp_path_factory.mktemp("fig") / "landscape.pdf")
    return flow, beta, drawn


def test_the_landscape_figure_shows_its_caption(landscape):
    flow, beta, drawn = landscape
    assert figure_deviation(drawn, landscape_figure_reference(flow, beta, SETTING, 2.0)) < 1e-5


def test_a_wrong_path_in_the_landscape_figure_is_seen(landscape):
    flow, beta, drawn = landscape
    expected = landscape_figure_reference(flow, beta, SETTING, 2.0)
    # The path drawn with b in place of a, and the valley floor with the opposite sign.
    wrong_path = [a.copy() for a in drawn]
    path = flow.z <= 6.0
    wrong_path[1] = np.column_stack([flow.z[path], flow.params[path, B_INDEX]])
    assert figure_deviation(wrong_path, expected) > 1e-2
    wrong_floor = [a.copy() for a in drawn]
    wrong_floor[0][:, 1] *= -1.0
    assert figure_deviation(wrong_floor, expected) > 1.0
    assert np.all(drawn[1][:, 1] == flow.params[path, A_INDEX])


def test_the_filled_contours_follow_the_levels_of_the_loss(landscape):
    from generator.problem4.figure_reference import contour_level_distance

    _, _, drawn = landscape
    assert contour_level_distance(drawn[2], SETTING, 2.0) < 0.01
    # The contours of the loss with another residual at theta_b sit between the levels.
    other = ToySetting(inputs=(0.5, -1.0), targets=-0.3, lam=0.5)
    assert contour_level_distance(drawn[2], other, 2.0) > 0.03
    assert contour_level_distance(drawn[2][:10], SETTING, 2.0) == math.inf
