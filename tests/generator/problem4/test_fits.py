"""Tests of :mod:`generator.problem4.fits`: the fitted rates of exact laws."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem4 as p4


def test_slopes_of_exact_laws():
    t = np.logspace(0, 4, 9)
    assert p4.loglog_slope(t, 3.0 * t**-1.5) == pytest.approx(-1.5, abs=1e-12)
    s = np.linspace(0, 5, 11)
    assert p4.semilog_slope(s, 2.0 * np.exp(-2.0 * s)) == pytest.approx(-2.0, abs=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda: p4.loglog_slope([1.0, 2.0], [1.0, -1.0]),
        lambda: p4.loglog_slope([1.0], [1.0]),
        lambda: p4.semilog_slope([1.0, 2.0], [0.0, 1.0]),
    ],
)
def test_invalid_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
