"""Tests of :mod:`generator.problem3.features`: the floating-point rank test and ``singular_fraction``."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem3 as P


def test_relu_is_always_singular_on_scalar_data_with_three_points():
    X = np.array([[3.0, -1.0, 2.0, -5.0, 4.0]])
    assert P.singular_fraction(X, "relu", 2000, np.random.default_rng(1)) == 1.0


def test_zero_column_makes_relu_always_singular():
    X = np.array([[0.0, 1.0, 2.0, -1.0], [0.0, 3.0, -1.0, 1.0], [0.0, 1.0, 1.0, 1.0]])
    assert P.singular_fraction(X, "relu", 2000, 2) == 1.0


def test_antipodal_pairs_beyond_the_dimension_make_relu_always_singular():
    X = P.data_family("antipodal", 2, 6, 0)
    assert P.singular_fraction(X, "relu", 2000, 3) == 1.0


def test_two_antipodal_pairs_make_the_sigmoid_always_singular():
    Z = np.random.default_rng(0).standard_normal((3, 2))
    assert P.singular_fraction(np.hstack([Z, -Z]), "sigmoid", 2000, 4) == 1.0


def test_sigmoid_is_never_singular_on_generic_data():
    X = np.random.default_rng(0).standard_normal((3, 5))
    assert P.singular_fraction(X, "sigmoid", 5000, 5) == 0.0


def test_singular_fraction_paths_agree():
    rng = np.random.default_rng(0)
    X = P.data_family("general", 3, 5, rng)
    exact = P.singular_fraction(X, "relu", 3000, 7)
    assert exact == P.singular_fraction(X, "relu", 3000, np.random.default_rng(7))
    assert 0 < exact < 1
    # non-integer data are decided exactly too, in rational arithmetic
    Y = X + 1e-3 * rng.standard_normal(X.shape)
    assert abs(P.singular_fraction(Y, "relu", 3000, 7) - exact) < 0.1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activation": "tanh", "samples": 10, "rng": 0},
        {"activation": "relu", "samples": 0, "rng": 0},
        {"activation": "relu", "samples": 2.5, "rng": 0},
        {"activation": "relu", "samples": True, "rng": 0},
        {"activation": "relu", "samples": 10, "rng": None},
        {"activation": "relu", "samples": 10, "rng": "seed"},
    ],
)
def test_singular_fraction_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        P.singular_fraction(np.ones((1, 3)), **kwargs)


def test_singular_value_ratio_of_zero_and_identity():
    F = np.stack([np.zeros((3, 3)), np.eye(3), np.diag([1.0, 1.0, 0.0])])
    assert np.array_equal(P.singular_value_ratios(F), [0.0, 1.0, 0.0])
