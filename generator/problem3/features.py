"""The features ``F = sigma(W X)``: the two activations and the floating-point rank test.

The floating-point test (``s_min(F) <= RANK_RTOL s_max(F)``) is the only test
there is for the sigmoid and a cross-check for the ReLU, whose rank is decided
exactly by Rado's criterion (:mod:`generator.problem3.rado`).
:func:`singular_fraction`, the Monte Carlo frequency of rank deficiency over
Gaussian ``W``, uses whichever of the two applies.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

from generator.problem3.arguments import _data_matrix, _generator, _sample_count
from generator.problem3.rado import relu_deficient

ACTIVATIONS = ("relu", "sigmoid")

RANK_RTOL = 1e-12
"""Relative singular-value threshold of the floating-point rank test.

``F`` is declared rank-deficient when ``s_min(F) <= RANK_RTOL * s_max(F)``.
This is the only test available for the sigmoid and a cross-check for the
ReLU.  Forming ``G = W X`` in floating point errs by at most
``gamma_{d0} |W| |X|`` entrywise (``gamma_n = n u / (1 - n u)``, ``u = 2^-53``),
so by at most ``gamma_{d0} ||W||_F ||X||_F`` in norm; both activations are
Lipschitz with constant at most 1, and the SVD adds a backward error of order
``m u ||F||_2``.  An exact zero singular value is therefore computed at the
level of ``d0 u ||W|| ||X||``, far below the threshold when ``||F||`` is not much
smaller than ``||W|| ||X||``.  No a-priori bound keeps a nonzero ``s_min`` above
the threshold: that side is justified only by observation, and fails for the
sigmoid with ``d0 = 1``.
"""


def activate(G: np.ndarray, activation: str) -> np.ndarray:
    """Entrywise ``ReLU(t) = max(0, t)`` or sigmoid ``1 / (1 + exp(-t))``.

    The sigmoid uses :func:`scipy.special.expit`, which does not overflow for
    large ``|t|``.
    """
    if activation == "relu":
        return np.maximum(G, 0.0)
    if activation == "sigmoid":
        return expit(G)
    raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")


def singular_value_ratios(F: np.ndarray) -> np.ndarray:
    """``s_min / s_max`` of each matrix of a stack ``F`` of shape ``(..., m, m)``.

    A zero matrix has ratio 0.  Uses the batched :func:`numpy.linalg.svd`
    (a LAPACK gufunc over the stack); :func:`scipy.linalg.svd` takes one matrix
    per call, which would turn one vectorized call into a Python loop.
    """
    singular_values = np.linalg.svd(F, compute_uv=False)
    largest = singular_values[..., 0]
    smallest = singular_values[..., -1]
    ratios = np.zeros_like(largest)
    np.divide(smallest, largest, out=ratios, where=largest > 0)
    return ratios


def sampled_ratios(X, activation: str, samples: int, rng, return_weights: bool = False):
    """``s_min / s_max`` of ``sigma(W X)`` for ``samples`` Gaussian draws of ``W`` (and the draws, if asked).

    Parameters
    ----------
    X : array_like, shape (d0, m)
        Data matrix, ``1 <= d0 < m``, finite.
    activation : {"relu", "sigmoid"}
    samples : int
        Number of independent ``W`` with i.i.d. standard normal entries.
    rng : numpy.random.Generator or int
        Source of randomness (passed explicitly).
    return_weights : bool
        Also return the draws ``W``, of shape ``(samples, m, d0)``.

    Returns
    -------
    numpy.ndarray, shape (samples,)
        The ratios; with ``return_weights``, the pair ``(ratios, W)``.
    """
    X = _data_matrix(X)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    samples = _sample_count(samples)
    W = _generator(rng).standard_normal((samples, X.shape[1], X.shape[0]))
    ratios = singular_value_ratios(activate(W @ X, activation))
    return (ratios, W) if return_weights else ratios


def declared_singular_fraction(ratios: np.ndarray) -> float:
    """Fraction of ratios ``s_min / s_max`` at or below :data:`RANK_RTOL` (the floating-point test)."""
    return float(np.mean(np.asarray(ratios) <= RANK_RTOL))


def standard_error(frequency: float, samples: int) -> float:
    """Binomial standard error ``sqrt(p (1 - p) / n)`` of a Monte Carlo frequency."""
    return math.sqrt(frequency * (1.0 - frequency) / samples)


def singular_fraction(X, activation: str = "relu", samples: int = 20_000, rng=None) -> float:
    """Monte Carlo frequency of ``rank sigma(W X) < m`` over Gaussian ``W``.

    ``W`` has i.i.d. standard normal entries.  For the ReLU the rank is decided
    exactly by :func:`relu_deficient`; for the sigmoid by the floating-point
    test ``s_min <= RANK_RTOL s_max``.  The standard error of the returned
    frequency ``p`` is ``sqrt(p (1 - p) / n)``.

    Parameters
    ----------
    X : array_like, shape (d0, m)
        Data matrix with ``1 <= d0 < m`` and finite entries.
    activation : {"relu", "sigmoid"}
    samples : int
        Number of Monte Carlo draws of ``W``.
    rng : numpy.random.Generator or int
        Required: the randomness is always passed explicitly.

    Returns
    -------
    float
        Fraction of draws with ``F`` rank-deficient.

    Raises
    ------
    ValueError
        For bad arguments, or if a sign of ``W X`` cannot be certified.
    """
    X = _data_matrix(X)
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    samples = _sample_count(samples)
    rng = _generator(rng)
    if activation == "relu":
        W = rng.standard_normal((samples, X.shape[1], X.shape[0]))
        deficient, certified = relu_deficient(X, W)
        if not certified.all():
            raise ValueError("a sign of W X could not be certified")
        return float(np.mean(deficient))
    return declared_singular_fraction(sampled_ratios(X, activation, samples, rng))
