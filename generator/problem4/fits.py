"""Least-squares rates of power laws and exponential laws, fitted to samples.

The write-up predicts how losses, gradients and distances decay: like a power
of the flow time or exponentially in the escape parameter.  These fits turn a
sampled decay into the exponent that a claim compares with the prediction.
"""

from __future__ import annotations

import numpy as np


def loglog_slope(t, values) -> float:
    """Least-squares slope of ``log(values)`` against ``log(t)``."""
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    if t.shape != values.shape or t.size < 2:
        raise ValueError("need at least two matching samples")
    if np.any(t <= 0) or np.any(values <= 0):
        raise ValueError("log-log slope needs positive samples")
    slope, _ = np.polyfit(np.log(t), np.log(values), 1)
    return float(slope)


def semilog_slope(t, values) -> float:
    """Least-squares slope of ``log(values)`` against ``t``."""
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    if t.shape != values.shape or t.size < 2:
        raise ValueError("need at least two matching samples")
    if np.any(values <= 0):
        raise ValueError("semi-log slope needs positive values")
    slope, _ = np.polyfit(t, np.log(values), 1)
    return float(slope)
