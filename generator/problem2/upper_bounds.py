"""Upper bounds on ``max_k ||W_k||_2``: ours, the balanced constant, and Hardt & Ma's.

With ``gamma = ||log P||_2`` and ``K = gamma + phi_max(U)``: the split
construction has ``max_k ||W_k||_2 <= exp(K / (H - 1)) - 1``, the balanced one
``exp(K / H) - 1``, and ``H ||W_k||_2`` of the balanced layers tends to
``K_bal = ||log U + log P||_2 <= K``.  Hardt & Ma (arXiv:1611.04231, Theorem 2.1)
give ``2 (sqrt(pi) + sqrt(3 gamma))^2 / H`` for ``H >= 3 gamma``.
"""

from __future__ import annotations

import numpy as np

from generator.problem2.construction import _identity_factors
from generator.problem2.orthogonal_powers import max_rotation_angle, rotation_form, rotation_generator
from generator.problem2.polar import polar_factors
from generator.problem2.validation import _depth, _square_matrix


def rate_constant(R) -> float:
    """``K(R) = gamma + phi_max(U)`` for the polar factor ``U`` of ``R``."""
    polar = polar_factors(R)
    return polar.gamma + max_rotation_angle(polar.orthogonal)


def construction_bounds(R, depths) -> np.ndarray:
    """The proved bound on ``max_k ||W_k||_2`` of :func:`construct_layers`, per depth.

    ``exp(K / (H - 1)) - 1`` with ``K = gamma + phi_max(U)`` for ``H >= 2``,
    sharpened to ``exp(gamma / H) - 1`` when ``U = I`` and to ``phi_max / H`` when
    ``P = I`` (within :data:`IDENTITY_TOLERANCE`, as in :func:`plan_layers`);
    ``||R - I||_2`` for ``H = 1``.
    """
    depths = np.asarray([_depth(H) for H in np.atleast_1d(depths)], dtype=float)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    gamma, phi = polar.gamma, max_rotation_angle(polar.orthogonal)
    positive_is_identity, orthogonal_is_identity = _identity_factors(polar, phi)
    with np.errstate(divide="ignore"):
        if positive_is_identity:
            bounds = phi / depths
        elif orthogonal_is_identity:
            bounds = np.expm1(gamma / depths)
        else:
            bounds = np.expm1((gamma + phi) / (depths - 1))
    return np.where(depths == 1, np.linalg.norm(R - np.eye(R.shape[0]), 2), bounds)


def construction_bound(R, H) -> float:
    """:func:`construction_bounds` at one depth ``H``."""
    return float(construction_bounds(R, [H])[0])


def balanced_bound(R, H) -> float:
    """``exp((gamma + phi_max(U)) / H) - 1``, the bound for the balanced layers."""
    return float(np.expm1(rate_constant(R) / _depth(H)))


def balanced_constant(R) -> float:
    """``K_bal(R) = ||log U + log P||_2 = lim_H H max_k ||W_k||_2`` for the balanced layers.

    ``log U`` is :func:`rotation_generator` of the normal form the construction
    uses and ``log P = V diag(log sigma_i) V^T``.  The write-up proves
    ``|H ||U^{1/H} P^{1/H} - I||_2 - K_bal| <= exp(gamma / H) K^2 / (2 H)`` and
    ``K_bal <= gamma + phi_max = K``, with ``K_bal <= sqrt(gamma^2 +
    phi_max^2)`` when ``log U`` commutes with ``P``.
    """
    polar = polar_factors(R)
    V = polar.right_vectors
    log_positive = (V * np.log(polar.singular_values)) @ V.T
    return float(np.linalg.norm(rotation_generator(rotation_form(polar.orthogonal)) + log_positive, 2))


def hardt_ma_bound(R, H) -> float:
    """Hardt & Ma (2017), Theorem 2.1: ``2 (sqrt(pi) + sqrt(3 gamma))^2 / H``.

    Their theorem asserts a solution with this norm when ``H >= 3 gamma``; the
    value is returned for every ``H`` and the caller restricts the range.
    """
    gamma = polar_factors(R).gamma
    return 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / _depth(H)


def hardt_ma_finite_depth_ratio(gammas, depths, smallest_depth: int) -> float:
    """Largest ``(e^{(gamma + pi)/(H - 1)} - 1) / (2 (sqrt(pi) + sqrt(3 gamma))^2 / H)``.

    Taken over the grid ``gammas x depths`` restricted to Hardt & Ma's range
    ``H >= 3 gamma`` and to ``H >= smallest_depth``.  ``phi_max = pi`` is the
    worst case of our bound ``e^{K/(H-1)} - 1``, which increases with
    ``phi_max``; the write-up proves the ratio is below 1 for
    ``smallest_depth = 5``.
    """
    gamma = np.asarray(gammas, dtype=float)[:, None]
    H = np.asarray(depths, dtype=float)[None, :]
    ours = np.expm1((gamma + np.pi) / (H - 1))
    theirs = 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / H
    applies = (H >= 3 * gamma) & (H >= smallest_depth)
    return float(np.max(np.where(applies, ours / theirs, -np.inf)))
