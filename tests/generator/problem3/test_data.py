"""Tests of :mod:`generator.problem3.data`: the random data families and the integer representative."""

from __future__ import annotations

import math

import numpy as np
import pytest

from generator import problem3 as P


def test_data_families():
    rng = np.random.default_rng(0)
    X = P.data_family("general", 3, 8, rng)
    assert np.array_equal(X, np.round(X)) and np.abs(X).max() <= P.ENTRY_BOUND
    assert P.schwartz_zippel_ready(X)
    assert np.all(P.data_family("halfspace", 3, 6, rng)[0] >= 1)
    X = P.data_family("antipodal", 2, 6, rng)
    assert np.array_equal(X[:, 3:], -X[:, :3])
    line = P.data_family("general", 1, 6, rng)
    assert len(np.unique(np.abs(line))) == 6
    with pytest.raises(ValueError):
        P.data_family("antipodal", 2, 5, rng)
    with pytest.raises(ValueError):
        P.data_family("uniform", 2, 5, rng)
    with pytest.raises(ValueError):
        P.data_family("general", 2, 9, rng)


def test_regular_triangle_representative_gives_the_same_ranks_and_verdicts():
    X, representative = P.regular_triangle(), P.regular_triangle_representative()
    # diag(2/sqrt3, 2) X = representative, up to the rounding of X (X_11 = 6e-17 instead of 0).
    assert np.allclose(np.diag([2 / math.sqrt(3), 2.0]) @ X, representative, rtol=0, atol=1e-15)
    # The rounding of X changes no rank: its exact (rational) ranks equal the representative's.
    assert np.array_equal(P.column_set_ranks(X), P.column_set_ranks(representative))
    rounded = P.planar_deficiency_table(X)
    exact = P.planar_deficiency_table(X, representative)
    assert np.array_equal(rounded.deficient, exact.deficient)
    assert int(np.sum(exact.deficient)) == 30
    assert P.exact_singular_probability_planar(X, representative) == pytest.approx(29 / 72, abs=1e-12)
    multisets = P.table_multisets(exact)
    assert np.array_equal(P.rado_singular(X, multisets, representative), exact.deficient)
    assert np.array_equal(P.random_evaluation_singular(representative, multisets, 5), exact.deficient)
