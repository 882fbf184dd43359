"""The data of the Problem 1 experiments: a distribution outside Hardt & Ma's model.

:func:`draw_data` draws a skewed, heavy-tailed ``x`` and a nonlinear,
heteroscedastic ``y``, and returns what they are made of, so that their law can
be checked (:func:`make_data` returns the samples alone);
:func:`residual_statistics` measures how the least-squares residual relates to
``x``: orthogonal to it, as the normal equations force, but neither
uncorrelated with it nor conditionally centred, so the model ``y = R x + xi``
with ``xi`` independent of ``x`` fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from generator.problem1.objective import least_squares_solution, second_moments


@dataclass(frozen=True)
class DataSpec:
    """Parameters of the non-Gaussian, nonlinear data distribution of :func:`make_data`."""

    samples: int = 4000
    dimension: int = 4
    student_dof: int = 5
    mixing_scale: float = 0.3
    target_scale: float = 0.4
    nonlinear_scale: float = 0.25
    noise_scale: float = 0.25


@dataclass(frozen=True)
class DataDraw:
    """One draw of :func:`draw_data`: the samples and every random ingredient they are made of.

    ``latent`` is ``z`` (one row per sample), ``mixing`` the Gaussian ``Gamma_1``
    of ``T = I + mixing_scale * Gamma_1``, ``exponent`` the Gaussian ``Gamma_2``
    and ``phi`` the matrix ``Phi = expm(target_scale * Gamma_2 / sqrt(d))``,
    ``laplace`` the standard Laplace factors of the noise (one row per sample).
    """

    X: np.ndarray
    Y: np.ndarray
    latent: np.ndarray
    mixing: np.ndarray
    exponent: np.ndarray
    phi: np.ndarray
    laplace: np.ndarray


def draw_data(rng: np.random.Generator, spec: DataSpec = DataSpec()) -> DataDraw:
    """Draw ``n`` samples of a skewed, heavy-tailed ``x`` and a nonlinear noisy ``y``, with their ingredients.

    ``z`` has independent coordinates, alternately ``Exp(1) - 1`` (skewed) and
    Student-t (heavy-tailed, unit variance); ``x = T z + 1`` with
    ``T = I + mixing_scale * Gamma`` (``Gamma`` standard Gaussian, fixed by ``rng``) so that
    ``x`` has correlated coordinates and a non-zero mean;
    ``y = Phi x + nonlinear_scale * x |x| + noise_scale * (1 + |x|) * l``
    (coordinatewise products) with
    ``Phi = expm(target_scale * K / sqrt(d))``, ``K`` standard Gaussian and ``l``
    standard Laplace (heteroscedastic, non-Gaussian noise).  ``E[y | x]`` is
    not linear in ``x`` and the noise depends on ``x``: the model
    ``y = R x + xi`` with ``xi`` independent of ``x`` fails.
    """
    n, d = spec.samples, spec.dimension
    if n < 2 * d or d < 1:
        raise ValueError(f"need dimension >= 1 and at least 2d samples, got n={n}, d={d}")
    nu = spec.student_dof
    if nu <= 2:
        raise ValueError("the Student-t coordinates need more than 2 degrees of freedom (finite variance)")
    z = np.empty((n, d))
    z[:, 0::2] = rng.exponential(1.0, size=(n, (d + 1) // 2)) - 1.0
    z[:, 1::2] = rng.standard_t(nu, size=(n, d // 2)) / np.sqrt(nu / (nu - 2))
    mixing = rng.standard_normal((d, d))
    X = z @ (np.eye(d) + spec.mixing_scale * mixing).T + 1.0
    # scipy.linalg.expm: Phi = exp(c K) has det Phi = exp(c tr K) > 0 (a rotation-and-stretch
    # that a residual network near the identity can reach).
    exponent = rng.standard_normal((d, d))
    Phi = scipy.linalg.expm(spec.target_scale * exponent / np.sqrt(d))
    laplace = rng.laplace(0.0, 1.0, size=(n, d))
    noise = spec.noise_scale * (1.0 + np.abs(X)) * laplace
    Y = X @ Phi.T + spec.nonlinear_scale * X * np.abs(X) + noise
    return DataDraw(X, Y, z, mixing, exponent, Phi, laplace)


def make_data(rng: np.random.Generator, spec: DataSpec = DataSpec()):
    """The samples ``(X, Y)`` of :func:`draw_data` (same draws from ``rng``), without their ingredients.

    Returns
    -------
    X, Y : (n, d) arrays
    """
    draw = draw_data(rng, spec)
    return draw.X, draw.Y


@dataclass(frozen=True)
class ResidualStatistics:
    """How the least-squares residual ``r = y - R x`` relates to ``x`` (see :func:`residual_statistics`)."""

    orthogonality: float
    pearson: float
    quadratic: float
    mean: float


def _max_normalised_moment(r, features) -> float:
    """``max_{i,j} |E[r_i f_j]| / sqrt(E[r_i^2] E[f_j^2])`` (uncentred) under the empirical law.

    A vanishing scale gives an infinite or NaN moment, which fails every claim on it.
    """
    cross = r.T @ features / r.shape[0]
    scale = np.sqrt(np.outer(np.mean(r * r, axis=0), np.mean(features * features, axis=0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.max(np.abs(cross) / scale))


def residual_statistics(X, Y) -> ResidualStatistics:
    """Normalised moments of the least-squares residual ``r = y - R x`` of the sample.

    * ``orthogonality``: ``max_{i,j} |E[r_i x_j]| / sqrt(E[r_i^2] E[x_j^2])``, the
      uncentred normalised moment, which the normal equations ``E[r x^T] = 0``
      force to zero (up to rounding);
    * ``pearson``: the largest Pearson correlation ``|corr(r_i, x_j)|``, which is
      *not* forced to zero: ``x`` has a non-zero mean and the model has no
      intercept, so ``E[r] != 0`` in general;
    * ``quadratic``: the uncentred normalised moment of ``r`` against the centred
      squares ``x_j^2 - E[x_j^2]``, which vanishes when ``E[r | x] = 0`` (the
      conditional-mean part of the noise model of Hardt & Ma).  A clearly
      non-zero value certifies that the data lie outside that model;
    * ``mean``: ``max_i |E[r_i]| / sqrt(E[r_i^2])``, the normalised moment
      against the constant feature 1 (not zero: the model has no intercept).
    """
    X = np.asarray(X, dtype=float)
    Sxx, Syx, _ = second_moments(X, Y)
    R = least_squares_solution(Sxx, Syx)
    r = np.asarray(Y, dtype=float) - X @ R.T
    centred_r = r - r.mean(axis=0)
    centred_x = X - X.mean(axis=0)
    return ResidualStatistics(
        orthogonality=_max_normalised_moment(r, X),
        pearson=_max_normalised_moment(centred_r, centred_x),
        quadratic=_max_normalised_moment(r, X**2 - np.mean(X**2, axis=0)),
        mean=_max_normalised_moment(r, np.ones((X.shape[0], 1))),
    )
