"""Both constructions of a test matrix over a range of depths, and the worst cases.

:func:`sweep_depths` measures the split and the balanced layers of one ``R``
at each depth beside the lower bound; :func:`summarize_sweeps` reduces the
sweeps of all test matrices to the numbers the write-up checks.  The proved
upper bounds are evaluated there with ``gamma`` and ``phi_max`` from
:func:`~generator.problem2.checks.spectral_reference`, which shares no code
with the construction.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from generator.problem2.checks import ROTATION_FLOOR, spectral_reference
from generator.problem2.construction import (
    _identity_factors,
    balanced_layer_norms,
    construct_balanced_layers,
    construct_layers,
    layer_product,
    max_layer_norm,
    product_error,
    split_layer_norms,
)
from generator.problem2.examples import (
    COMMUTING_GENERATOR_MATRICES,
    NORMAL_MATRICES,
    ORTHOGONAL_MATRICES,
    POSITIVE_DEFINITE_MATRICES,
)
from generator.problem2.lower_bound import lower_bound_curve, turning_angle_certificate
from generator.problem2.orthogonal_powers import max_rotation_angle
from generator.problem2.polar import polar_factors
from generator.problem2.upper_bounds import balanced_constant, construction_bounds, hardt_ma_bound


class DepthSweep(NamedTuple):
    """Both constructions of one ``R`` at several depths, with the bounds.

    ``split_product`` and ``balanced_product`` hold ``(I + W_H) ... (I + W_1)``
    per depth (``nan`` without ``build``), so that a claim can measure the
    product errors again; ``angle`` is the certificate of
    :func:`~generator.problem2.lower_bound.turning_angle_certificate` behind ``lower``.
    """

    depths: np.ndarray
    split_norm: np.ndarray
    balanced_norm: np.ndarray
    split_error: np.ndarray
    balanced_error: np.ndarray
    split_product: np.ndarray
    balanced_product: np.ndarray
    angle: float
    split_bound: np.ndarray
    balanced_bound: np.ndarray
    lower: np.ndarray
    hardt_ma: np.ndarray
    gamma: float
    phi_max: float
    balanced_constant: float
    both_factors: bool
    gamma_reference: float
    phi_reference: float

    @property
    def rate_constant(self) -> float:
        """``K = gamma + phi_max`` from the independent references, the constant of the proved bounds."""
        return self.gamma_reference + self.phi_reference

    @property
    def nontrivial(self) -> bool:
        """``R != I``, i.e. ``K > 0`` (by the references, beyond rounding)."""
        return self.rate_constant > ROTATION_FLOOR

    def proved_split_bound(self) -> np.ndarray:
        """The sharpest proved bound on the split layers, per depth (``nan`` at ``H = 1``).

        ``phi_max / H`` if ``P = I``, ``e^{gamma/H} - 1`` if ``U = I``, else
        ``e^{K/(H-1)} - 1``, with the reference ``gamma`` and ``phi_max``.
        """
        H = self.depths.astype(float)
        with np.errstate(divide="ignore"):
            if self.gamma_reference <= ROTATION_FLOOR:
                bound = self.phi_reference / H
            elif self.phi_reference <= ROTATION_FLOOR:
                bound = np.expm1(self.gamma_reference / H)
            else:
                bound = np.expm1(self.rate_constant / (H - 1))
        return np.where(H >= 2, bound, np.nan)


def sweep_depths(R, depths, build: bool = True) -> DepthSweep:
    """Both constructions of ``R`` at each depth, measured, with the bounds.

    With ``build`` the layers are built and their product errors and norms
    measured; without it the norms come from :func:`split_layer_norms` and
    :func:`balanced_layer_norms` and the errors are ``nan`` (for the figure).
    ``split_bound``, ``balanced_bound`` and ``hardt_ma`` are the bounds of
    :mod:`~generator.problem2.upper_bounds` for the figure (``split_bound`` is
    ``nan`` at ``H = 1``, ``hardt_ma`` where Hardt & Ma's theorem does not apply,
    ``H < 3 gamma``); the checks use :meth:`DepthSweep.proved_split_bound` instead.
    """
    depths = np.asarray(depths, dtype=int)
    if build:
        split_norm, balanced_norm, split_error, balanced_error, split_product, balanced_product = ([] for _ in range(6))
        for H in depths:
            split = construct_layers(R, int(H))
            balanced = construct_balanced_layers(R, int(H))
            split_norm.append(max_layer_norm(split))
            balanced_norm.append(max_layer_norm(balanced))
            split_error.append(product_error(R, split))
            balanced_error.append(product_error(R, balanced))
            split_product.append(layer_product(split))
            balanced_product.append(layer_product(balanced))
    else:
        split_norm, balanced_norm = split_layer_norms(R, depths), balanced_layer_norms(R, depths)
        split_error = balanced_error = np.full(len(depths), np.nan)
        split_product = balanced_product = np.full((len(depths),) + np.shape(R), np.nan)
    angle = turning_angle_certificate(R)
    polar = polar_factors(R)
    gamma, phi = polar.gamma, max_rotation_angle(polar.orthogonal)
    gamma_reference, phi_reference = spectral_reference(R)
    split_bound = construction_bounds(R, depths)
    split_bound[depths == 1] = np.nan
    hardt_ma = np.where(depths >= 3 * gamma, hardt_ma_bound(R, 1) / depths, np.nan)
    return DepthSweep(
        depths=depths,
        split_norm=np.array(split_norm),
        balanced_norm=np.array(balanced_norm),
        split_error=np.array(split_error),
        balanced_error=np.array(balanced_error),
        split_product=np.array(split_product),
        balanced_product=np.array(balanced_product),
        angle=angle,
        split_bound=split_bound,
        balanced_bound=np.expm1((gamma + phi) / depths),
        lower=lower_bound_curve(R, depths, angle),
        hardt_ma=hardt_ma,
        gamma=gamma,
        phi_max=phi,
        balanced_constant=balanced_constant(R),
        both_factors=not any(_identity_factors(polar, phi)),
        gamma_reference=gamma_reference,
        phi_reference=phi_reference,
    )


class SweepSummary(NamedTuple):
    """Worst cases over all test matrices and depths (see :func:`summarize_sweeps`)."""

    split_error: float
    balanced_error: float
    split_bound_ratio: float
    balanced_bound_ratio: float
    strict_bound_ratio: float
    lower_ratio: float
    lower_depth_one_gap: float
    positive_definite_gap: float
    orthogonal_gap: float
    normal_ratio: float
    general_ratio: float
    hardt_ma_ratio: float
    hardt_ma_pairs: int
    split_rate_ratio: float
    balanced_rate_ratio: float
    balanced_limit_ratio: float
    balanced_constant_ratio: float
    commuting_ratio: float
    balanced_split_median: float
    balanced_split_max: float
    balanced_worse_depth: int
    pairs: int


def summarize_sweeps(sweeps: dict[str, DepthSweep]) -> SweepSummary:
    """Reduce the sweeps to the numbers the write-up checks.

    Ratios leave out the identity (there both sides vanish).  ``gamma``,
    ``phi_max`` and ``K = gamma + phi_max`` are the independent references of
    each sweep; ``m_H`` is the largest layer norm, ``l_H`` the certified lower
    bound, and "last" means the largest depth of the sweep.

    * ``split_error``, ``balanced_error``: worst relative product error;
    * ``split_bound_ratio``: max of ``m_H /`` :meth:`DepthSweep.proved_split_bound` over ``H >= 2``;
      ``balanced_bound_ratio``: max of ``m_H / (e^{K/H} - 1)`` (balanced);
    * ``strict_bound_ratio``: max of ``m_H / (e^{K/(H-1)} - 1)`` over ``H >= 2``
      (split; the write-up proves it is ``< 1``);
    * ``lower_ratio``: min over both constructions of ``m_H / l_H``;
      ``lower_depth_one_gap``: max of ``|l_1 / ||R - I||_2 - 1|`` (at ``H = 1``
      the only factorization is ``W_1 = R - I``, and bound (ii) is attained);
    * ``positive_definite_gap``: max of ``|m_H / l_H - 1|`` for symmetric
      positive definite ``R`` (the construction is exactly optimal there);
    * ``orthogonal_gap``: max of ``|cos(phi/(2H)) m_H / l_H - 1|`` for
      orthogonal ``R`` and ``H >= 2`` (the ratio is exactly ``1/cos(phi/(2H))``);
    * ``normal_ratio``: max of ``m_H / l_H`` at the last depth over normal ``R``
      (asymptotically at most 2); ``general_ratio``: the same over all ``R``
      (asymptotically at most 3);
    * ``hardt_ma_ratio``: max of ``m_H / (2 (sqrt(pi) + sqrt(3 gamma))^2 / H)`` over ``H >= 3 gamma``,
      and ``hardt_ma_pairs`` the number of pairs ``(R != I, H)`` with ``H >= 3 gamma``;
    * ``split_rate_ratio``: max of ``ln 2 (H - 1) m_H / K`` over ``H >= 1 + K / ln 2``;
      ``balanced_rate_ratio``: max of ``ln 2 H m_H / K`` over ``H >= K / ln 2``;
    * ``balanced_limit_ratio``: max at the last depth of
      ``|H m_H - K_bal| / (e^{gamma/H} K^2 / (2H))`` (balanced);
    * ``balanced_constant_ratio``: max of ``K_bal / K``; ``commuting_ratio``: max of
      ``K_bal / sqrt(gamma^2 + phi_max^2)`` over :data:`COMMUTING_GENERATOR_MATRICES`;
    * the comparison of the two constructions: see :func:`_balanced_over_split`.
    """
    nontrivial = {k: s for k, s in sweeps.items() if s.nontrivial}
    comparison, comparison_depths = _balanced_over_split(nontrivial)
    return SweepSummary(
        split_error=_largest(s.split_error for s in sweeps.values()),
        balanced_error=_largest(s.balanced_error for s in sweeps.values()),
        **_upper_bound_ratios(nontrivial),
        **_lower_bound_ratios(sweeps, nontrivial),
        **_rate_ratios(nontrivial),
        balanced_split_median=float(np.median(comparison)),
        balanced_split_max=float(np.max(comparison)),
        balanced_worse_depth=int(np.max(comparison_depths[comparison > 1 + 1e-9], initial=0)),
        pairs=sum(len(s.depths) for s in sweeps.values()),
    )


def _upper_bound_ratios(nontrivial: dict[str, DepthSweep]) -> dict[str, float | int]:
    """The layer norms over the proved upper bounds, ours and Hardt & Ma's."""
    deep = {k: s.depths >= 2 for k, s in nontrivial.items()}
    hardt_ma_range = {k: s.depths >= 3 * s.gamma_reference for k, s in nontrivial.items()}
    return dict(
        split_bound_ratio=_largest(s.split_norm[deep[k]] / s.proved_split_bound()[deep[k]] for k, s in nontrivial.items()),
        balanced_bound_ratio=_largest(s.balanced_norm / np.expm1(s.rate_constant / s.depths)
                                      for s in nontrivial.values()),
        strict_bound_ratio=_largest(
            s.split_norm[deep[k]] / np.expm1(s.rate_constant / (s.depths[deep[k]] - 1))
            for k, s in nontrivial.items()
        ),
        hardt_ma_ratio=_largest(
            s.split_norm[hardt_ma_range[k]] * s.depths[hardt_ma_range[k]]
            / (2 * (np.sqrt(np.pi) + np.sqrt(3 * s.gamma_reference)) ** 2)
            for k, s in nontrivial.items()
        ),
        hardt_ma_pairs=int(sum(np.count_nonzero(in_range) for in_range in hardt_ma_range.values())),
    )


def _lower_bound_ratios(sweeps: dict[str, DepthSweep], nontrivial: dict[str, DepthSweep]) -> dict[str, float]:
    """The layer norms over the lower bound that every factorization obeys."""
    return dict(
        lower_ratio=float(min(
            np.min(np.minimum(s.split_norm, s.balanced_norm) / s.lower) for s in nontrivial.values()
        )),
        lower_depth_one_gap=_largest(
            np.abs(s.lower[s.depths == 1] / s.split_norm[s.depths == 1] - 1) for s in nontrivial.values()
        ),
        positive_definite_gap=_largest(
            np.abs(s.split_norm / s.lower - 1) for k, s in sweeps.items() if k in POSITIVE_DEFINITE_MATRICES
        ),
        orthogonal_gap=_largest(
            np.abs(np.cos(s.phi_reference / (2 * s.depths[1:])) * s.split_norm[1:] / s.lower[1:] - 1)
            for k, s in sweeps.items()
            if k in ORTHOGONAL_MATRICES
        ),
        normal_ratio=_largest(s.split_norm[-1] / s.lower[-1] for k, s in sweeps.items() if k in NORMAL_MATRICES),
        general_ratio=_largest(s.split_norm[-1] / s.lower[-1] for s in nontrivial.values()),
    )


def _rate_ratios(nontrivial: dict[str, DepthSweep]) -> dict[str, float]:
    """The explicit rates and the balanced constant, against the reference ``K``."""
    split_rate = {k: s.depths >= 1 + s.rate_constant / np.log(2) for k, s in nontrivial.items()}
    balanced_rate = {k: s.depths >= s.rate_constant / np.log(2) for k, s in nontrivial.items()}
    return dict(
        split_rate_ratio=_largest(
            np.log(2) * (s.depths[split_rate[k]] - 1) * s.split_norm[split_rate[k]] / s.rate_constant
            for k, s in nontrivial.items()
        ),
        balanced_rate_ratio=_largest(
            np.log(2) * s.depths[balanced_rate[k]] * s.balanced_norm[balanced_rate[k]] / s.rate_constant
            for k, s in nontrivial.items()
        ),
        balanced_limit_ratio=_largest(
            abs(s.depths[-1] * s.balanced_norm[-1] - s.balanced_constant)
            / (np.exp(s.gamma_reference / s.depths[-1]) * s.rate_constant**2 / (2 * s.depths[-1]))
            for s in nontrivial.values()
        ),
        balanced_constant_ratio=_largest(s.balanced_constant / s.rate_constant for s in nontrivial.values()),
        commuting_ratio=_largest(
            s.balanced_constant / np.hypot(s.gamma_reference, s.phi_reference)
            for k, s in nontrivial.items()
            if k in COMMUTING_GENERATOR_MATRICES
        ),
    )


def _largest(values) -> float:
    """The largest entry of a sequence of arrays, NaN entries ignored."""
    return float(max(np.nanmax(v) for v in values))


def _balanced_over_split(sweeps: dict[str, DepthSweep]) -> tuple[np.ndarray, np.ndarray]:
    """``m_H(balanced) / m_H(split)`` and ``H`` over ``H >= 2`` and the ``R`` with ``P != I != U``."""
    both = [s for s in sweeps.values() if s.both_factors]
    deep = [s.depths >= 2 for s in both]
    ratios = np.concatenate([s.balanced_norm[m] / s.split_norm[m] for s, m in zip(both, deep)])
    return ratios, np.concatenate([s.depths[m] for s, m in zip(both, deep)])
