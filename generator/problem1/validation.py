"""Validation of the inputs shared by the Problem 1 functions: layers and second moments.

Almost every function of :mod:`generator.problem1` that takes layers or
moments checks them here first, so that a layer of the wrong shape, a
non-finite entry or moments that no distribution has raise ``ValueError`` with
a message that says what is wrong.
"""

from __future__ import annotations

import numpy as np


def _as_layers(Ws) -> list[np.ndarray]:
    """Return ``Ws`` as a list of float ``d x d`` arrays, or raise ``ValueError``."""
    layers = [np.asarray(W, dtype=float) for W in Ws]
    if not layers:
        raise ValueError("Ws must contain at least one layer (H >= 1)")
    d = layers[0].shape[0] if layers[0].ndim == 2 else -1
    for k, W in enumerate(layers, start=1):
        if W.ndim != 2 or W.shape != (d, d):
            raise ValueError(
                f"every layer must be a square d x d matrix of one size; W_{k} has shape {W.shape}"
            )
        if not np.all(np.isfinite(W)):
            raise ValueError(f"W_{k} has non-finite entries")
    return layers


def _check_moments(Sxx, Syx, Syy=None):
    """Validate second moments; return them as float arrays (``Syy`` as float).

    ``Sxx`` must be symmetric positive semidefinite (it is ``E[x x^T]``), ``Syx``
    square of the same size, ``Syy`` a finite scalar.  Tolerances are relative to
    ``||Sxx||_2`` so that the check is invariant under rescaling ``x``.
    """
    Sxx = np.asarray(Sxx, dtype=float)
    Syx = np.asarray(Syx, dtype=float)
    if Sxx.ndim != 2 or Sxx.shape[0] != Sxx.shape[1]:
        raise ValueError(f"Sxx must be a square matrix, got shape {Sxx.shape}")
    if Syx.shape != Sxx.shape:
        raise ValueError(f"Syx must have the shape of Sxx {Sxx.shape}, got {Syx.shape}")
    if not (np.all(np.isfinite(Sxx)) and np.all(np.isfinite(Syx))):
        raise ValueError("moments must be finite (the problem assumes finite second moments)")
    scale = max(float(np.max(np.abs(Sxx), initial=0.0)), np.finfo(float).tiny)
    tolerance = 64 * np.finfo(float).eps * Sxx.shape[0] * scale
    if np.max(np.abs(Sxx - Sxx.T), initial=0.0) > tolerance:
        raise ValueError("Sxx = E[x x^T] must be symmetric")
    # numpy's eigvalsh calls the same LAPACK routine as scipy's with a sixth of the overhead,
    # which matters here: every function that takes moments runs this check.
    if np.linalg.eigvalsh(Sxx)[0] < -tolerance:
        raise ValueError("Sxx = E[x x^T] must be positive semidefinite")
    if Syy is None:
        return Sxx, Syx
    Syy = float(Syy)
    if not np.isfinite(Syy) or Syy < 0:
        raise ValueError(f"Syy = E[y^T y] must be a finite non-negative number, got {Syy}")
    return Sxx, Syx, Syy


def _check_layers_match(layers, Sxx) -> None:
    if layers[0].shape != Sxx.shape:
        raise ValueError(f"layers are {layers[0].shape} but the moments are {Sxx.shape}")
