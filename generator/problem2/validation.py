"""Validation of the inputs shared by Problem 2's algorithms: a matrix and a depth.

The polar decomposition, the orthogonal powers, the constructions and the
bounds pass their matrix ``R`` or ``U`` and their depth ``H`` through these
checks first, so that a bad input fails with one message naming what is wrong.
"""

from __future__ import annotations

import numpy as np


def _square_matrix(matrix, name: str) -> np.ndarray:
    """Return ``matrix`` as a finite, non-empty, square float array or raise."""
    array = np.asarray(matrix)
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square 2-D matrix, got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} must not be empty")
    if np.iscomplexobj(array) or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be a real matrix, got dtype {array.dtype}")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} has non-finite entries")
    return array


def _depth(H) -> int:
    """Validate the number of layers."""
    if isinstance(H, bool) or not isinstance(H, (int, np.integer)):
        raise ValueError(f"the depth H must be an integer, got {H!r}")
    if H < 1:
        raise ValueError(f"the depth H must be at least 1, got {H}")
    return int(H)
