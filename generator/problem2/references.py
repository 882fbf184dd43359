"""The sweep recomputed by a second route: reference layer norms, lower bounds and worst cases.

:mod:`~generator.problem2.sweeps` measures the layers that the construction
builds and reduces them with masks over arrays of depths.  Here every number
comes from formulas evaluated in the reference spectral data of
:mod:`~generator.problem2.checks` (``sigma_max = ||R||_2``, ``sigma_min =
1/||R^{-1}||_2``, ``phi_max`` from the eigenvalues of the polar factor of
:func:`scipy.linalg.polar`), without the construction's normal form, its plan
or its polar factors:

* the split layers: ``min over 1 <= h < H`` of ``max(delta_P(h), 2 sin(phi_max /
  (2 (H - h))))`` with ``delta_P(h) = max(sigma_max^{1/h} - 1, 1 - sigma_min^{1/h})``,
  tried for every ``h`` (the write-up's definition of the split), ``phi_max / H``
  type formulas when a polar factor is ``I``;
* the balanced layers: ``||U^{1/H} P^{1/H} - I||_2`` with the principal power of
  :func:`~generator.problem2.checks.principal_powers` and ``P^{1/H}`` from
  :func:`numpy.linalg.eigh`;
* the lower bound: its four terms written out once more, with the angle
  certificate's candidates listed again (:func:`certificate_reference`), its
  directions at the angles ``k pi / N`` written out;

and the worst cases are taken pair by pair in plain loops
(:func:`reference_summary`), so that a slip in a range, an index or a
reduction of :func:`~generator.problem2.sweeps.summarize_sweeps` is not made
twice.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator.problem2.checks import (
    ROTATION_FLOOR,
    balanced_constant_reference,
    has_principal_logarithm,
    principal_powers,
    spectral_reference,
)
from generator.problem2.examples import COMMUTING_GENERATOR_MATRICES, NORMAL_MATRICES
from generator.problem2.lower_bound import ANGLE_GRID, _turning_angles_batched, turning_vectors
from generator.problem2.orthogonal_powers import rotation_form
from generator.problem2.polar import polar_factors

WORSE_MARGIN = 1e-9
"""The balanced layers count as larger than the split ones when the ratio exceeds ``1 +`` this."""


class ReferenceSweep(NamedTuple):
    """Reference layer norms and lower bounds of one ``R`` at each depth."""

    depths: tuple[int, ...]
    split: np.ndarray
    balanced: np.ndarray
    lower: np.ndarray
    gamma: float
    phi: float
    balanced_constant: float


def split_norm_reference(sigma_max: float, sigma_min: float, phi: float, distance: float, H: int) -> float:
    """``max_k ||W_k||_2`` of the split construction at depth ``H``, from its definition.

    ``||R - I||_2`` (``distance``) at ``H = 1``; for ``H >= 2`` the best split
    tried over every ``h``, or all layers on the one factor that is not ``I``
    (``gamma`` or ``phi_max`` at most :data:`ROTATION_FLOOR`).
    """
    gamma = max(np.log(sigma_max), -np.log(sigma_min))
    if H == 1:
        return float(distance)
    if gamma <= ROTATION_FLOOR and phi <= ROTATION_FLOOR:
        return 0.0
    if gamma <= ROTATION_FLOOR:
        return float(2 * np.sin(phi / (2 * H)))
    if phi <= ROTATION_FLOOR:
        return float(max(sigma_max ** (1 / H) - 1, 1 - sigma_min ** (1 / H)))
    h = np.arange(1, H, dtype=float)
    positive = np.maximum(sigma_max ** (1 / h) - 1, 1 - sigma_min ** (1 / h))
    rotation = 2 * np.sin(phi / (2 * (H - h)))
    return float(np.min(np.maximum(positive, rotation)))


def balanced_norms_reference(R: np.ndarray, depths) -> np.ndarray:
    """``||U^{1/H} P^{1/H} - I||_2`` per depth, with ``R = U P`` from :func:`scipy.linalg.polar`.

    ``U^{1/H}`` is the principal power when ``U`` has no eigenvalue ``-1``; a
    ``U`` with such eigenvalues is handled when ``P = I`` (every layer is then
    a rotation by ``phi_max / H`` at most, of norm ``2 sin(phi_max / (2H))``) or
    ``U = -I_2`` (``U^{1/H}`` is a rotation by ``pi / H``, either sign giving the
    same norm).

    Raises
    ------
    ValueError
        For another ``U`` with an eigenvalue ``-1``.
    """
    U, P = scipy.linalg.polar(np.asarray(R, dtype=float))
    exponents = 1 / np.asarray(depths, dtype=float)
    identity = np.eye(len(U))
    scales, W = np.linalg.eigh(P)
    if has_principal_logarithm(U):
        turns = principal_powers(U, exponents)
    elif np.linalg.norm(P - identity, 2) <= ROTATION_FLOOR:
        return 2 * np.sin(spectral_reference(R)[1] / (2 * np.asarray(depths, dtype=float)))
    elif len(U) == 2 and np.linalg.norm(U + identity, 2) <= ROTATION_FLOOR:
        c, s = np.cos(np.pi * exponents), np.sin(np.pi * exponents)
        turns = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)
    else:
        raise ValueError("U has an eigenvalue -1 and no reference for its powers is implemented")
    roots = (W * scales ** exponents[:, None, None]) @ W.T
    return np.linalg.norm(turns @ roots - identity, ord=2, axis=(1, 2))


def certificate_reference(R: np.ndarray) -> float:
    """The angle certificate of :func:`~generator.problem2.lower_bound.turning_angle_certificate`, its candidates listed again.

    The largest ``angle(x, R x)`` over the coordinate vectors, the lemma's
    vector, the eigenvectors of ``P`` compressed to each rotation plane of ``U``
    and, in each rotation plane of ``U`` and each real invariant plane of ``R``
    (real and imaginary part of an eigenvector, orthonormalized), the
    :data:`~generator.problem2.lower_bound.ANGLE_GRID` directions at the angles
    ``k pi / N``, ``0 <= k < N``: a grid of step ``pi / N`` over the half turn
    (a direction and its negative turn by the same angle).  The planes come from
    the same normal form, so the two agree to rounding unless a list differs.
    """
    R = np.asarray(R, dtype=float)
    polar = polar_factors(R)
    form = rotation_form(polar.orthogonal)
    P = polar.right_vectors @ np.diag(polar.singular_values) @ polar.right_vectors.T
    rotation_planes = [form.basis[:, [2 * j, 2 * j + 1]] for j in range(len(form.angles))]
    eigenvalues, eigenvectors = np.linalg.eig(R)
    invariant = [np.linalg.qr(np.column_stack([z.real, z.imag]))[0]
                 for value, z in zip(eigenvalues, eigenvectors.T) if value.imag > 0]
    k = np.arange(ANGLE_GRID)
    circle = np.array([np.cos(np.pi * k / ANGLE_GRID), np.sin(np.pi * k / ANGLE_GRID)])
    vectors = [np.eye(len(R)), turning_vectors(R).reshape(-1, 1)]
    vectors += [Q @ np.linalg.eigh(Q.T @ P @ Q)[1] for Q in rotation_planes]
    vectors += [Q @ circle for Q in rotation_planes + invariant]
    X = np.concatenate(vectors, axis=1)
    return float(np.max(_turning_angles_batched(R, X.T)))


def lower_bound_reference(sigma_max: float, sigma_min: float, distance: float, angle: float, H: int) -> float:
    """The four bounds of the lower-bound theorem at depth ``H``, and their maximum."""
    return float(max(
        sigma_max ** (1 / H) - 1,
        1 - sigma_min ** (1 / H),
        (1 + distance) ** (1 / H) - 1,
        np.sin(min(angle / H, np.pi / 2)),
    ))


def reference_sweep(R, depths, balanced_constant: float | None = None) -> ReferenceSweep:
    """:class:`ReferenceSweep` of ``R`` at ``depths``.

    ``K_bal`` is ``balanced_constant`` when given (a closed form), else
    ``||Log U + log P||_2`` from principal logarithms, or ``phi_max`` when
    ``P = I`` (``log U`` is then skew with the blocks ``phi_j J``).
    """
    R = np.asarray(R, dtype=float)
    gamma, phi = spectral_reference(R)
    sigma_max, sigma_min = np.linalg.norm(R, 2), 1 / np.linalg.norm(np.linalg.inv(R), 2)
    distance = np.linalg.norm(R - np.eye(len(R)), 2)
    angle = certificate_reference(R)
    if balanced_constant is None:
        U, _ = scipy.linalg.polar(R)
        balanced_constant = balanced_constant_reference(R) if has_principal_logarithm(U) else phi
        if not has_principal_logarithm(U) and gamma > ROTATION_FLOOR:
            raise ValueError("U has an eigenvalue -1 and P != I: give K_bal in closed form")
    return ReferenceSweep(
        depths=tuple(int(H) for H in depths),
        split=np.array([split_norm_reference(sigma_max, sigma_min, phi, distance, int(H)) for H in depths]),
        balanced=balanced_norms_reference(R, depths),
        lower=np.array([lower_bound_reference(sigma_max, sigma_min, distance, angle, int(H)) for H in depths]),
        gamma=gamma,
        phi=phi,
        balanced_constant=float(balanced_constant),
    )


def reference_summary(references: dict[str, ReferenceSweep]) -> dict[str, float]:
    """The worst cases of :func:`~generator.problem2.sweeps.summarize_sweeps`, pair by pair.

    Over the ``R`` with ``K = gamma + phi_max > ROTATION_FLOOR`` (``R != I``);
    "last" is the largest depth.  The keys are those of
    :class:`~generator.problem2.sweeps.SweepSummary` that these norms determine.
    """
    found: dict[str, list] = {key: [] for key in (
        "strict_bound_ratio", "normal_ratio", "general_ratio", "split_rate_ratio", "balanced_rate_ratio",
        "balanced_limit_ratio", "comparison", "worse_depths", "hardt_ma_pairs", "hardt_ma_ratio", "commuting_ratio",
        "balanced_constant_ratio")}
    for name, ref in references.items():
        K = ref.gamma + ref.phi
        if K <= ROTATION_FLOOR:
            continue
        last = max(range(len(ref.depths)), key=lambda i: ref.depths[i])
        if name in NORMAL_MATRICES:
            found["normal_ratio"].append(ref.split[last] / ref.lower[last])
        found["general_ratio"].append(ref.split[last] / ref.lower[last])
        H = ref.depths[last]
        found["balanced_limit_ratio"].append(
            abs(H * ref.balanced[last] - ref.balanced_constant) / (np.exp(ref.gamma / H) * K**2 / (2 * H)))
        found["balanced_constant_ratio"].append(ref.balanced_constant / K)
        if name in COMMUTING_GENERATOR_MATRICES:
            found["commuting_ratio"].append(ref.balanced_constant / np.hypot(ref.gamma, ref.phi))
        for H, split, balanced in zip(ref.depths, ref.split, ref.balanced):
            if H >= 2:
                found["strict_bound_ratio"].append(split / np.expm1(K / (H - 1)))
            if H >= 1 + K / np.log(2):
                found["split_rate_ratio"].append(np.log(2) * (H - 1) * split / K)
            if H >= K / np.log(2):
                found["balanced_rate_ratio"].append(np.log(2) * H * balanced / K)
            if H >= 3 * ref.gamma:
                found["hardt_ma_pairs"].append(1)
                found["hardt_ma_ratio"].append(H * split / (2 * (np.sqrt(np.pi) + np.sqrt(3 * ref.gamma)) ** 2))
            if H >= 2 and ref.gamma > ROTATION_FLOOR and ref.phi > ROTATION_FLOOR:
                found["comparison"].append(balanced / split)
                if balanced / split > 1 + WORSE_MARGIN:
                    found["worse_depths"].append(H)
    summary = {key: float(max(values)) for key, values in found.items()
               if key not in ("comparison", "worse_depths", "hardt_ma_pairs")}
    summary["balanced_split_median"] = float(np.percentile(found["comparison"], 50))
    summary["balanced_split_max"] = float(max(found["comparison"]))
    summary["balanced_worse_depth"] = int(max(found["worse_depths"], default=0))
    summary["hardt_ma_pairs"] = len(found["hardt_ma_pairs"])
    return summary
