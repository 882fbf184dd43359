"""Checks of the arguments every module of Problem 3 accepts, done once and alike everywhere.

A data matrix ``X`` is a finite real ``d0 x m`` array with ``1 <= d0 < m``;
randomness is always passed explicitly, as a ``numpy.random.Generator`` or an
integer seed; a number of samples is a positive integer.  These helpers are
internal to the package: its modules import them, the package does not
re-export them.
"""

from __future__ import annotations

import numpy as np


def _data_matrix(X) -> np.ndarray:
    """``X`` as a finite float array of shape ``(d0, m)`` with ``1 <= d0 < m``."""
    array = np.asarray(X)
    if array.dtype == object or np.iscomplexobj(array):
        raise ValueError("X must be a real numeric array")
    if array.ndim != 2:
        raise ValueError(f"X must be two-dimensional (d0 x m), got shape {array.shape}")
    d0, m = array.shape
    if not 1 <= d0 < m:
        raise ValueError(f"the problem needs 1 <= d0 < m, got d0={d0}, m={m}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError("X must have finite entries")
    return array


def _generator(rng) -> np.random.Generator:
    """Accept a ``numpy.random.Generator`` or an integer seed, never implicit entropy."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError("pass a numpy.random.Generator or an integer seed explicitly")


def _sample_count(samples) -> int:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    return int(samples)
