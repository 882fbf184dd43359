"""The layers ``W_1, ..., W_H`` with ``(I + W_H) ... (I + W_1) = R``: split and balanced.

* the split construction: ``W_1 = ... = W_{h_P} = P^{1/h_P} - I`` (applied first)
  and ``W_{h_P+1} = ... = W_H = U^{1/h_U} - I``, with the split ``h_P + h_U = H``
  that minimizes ``max_k ||W_k||_2``;
* the balanced variant ``I + W_k = U^{k/H} P^{1/H} U^{-(k-1)/H}``;
* their product, its error, and the largest layer norm, measured or (for the
  figure) from closed forms without building the layers.

The bounds these layers satisfy are in :mod:`generator.problem2.upper_bounds`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from generator.problem2.orthogonal_powers import (
    max_rotation_angle,
    orthogonal_power_minus_identity,
    power_distance_formula,
    powers_from_form,
    powers_minus_identity_from_form,
    rotation_form,
)
from generator.problem2.polar import PolarFactors, polar_factors
from generator.problem2.validation import _depth, _square_matrix

IDENTITY_TOLERANCE = 1e-12
"""A polar factor within this spectral distance of ``I`` is taken to be ``I``.

Dropping it changes the product by at most this much relative to ``||R||_2``
(``||U P - U|| = ||P - I||`` and ``||U P - P|| <= ||U - I|| ||P||``), far below
the ``1e-10`` accuracy promised by :func:`construct_layers`.
"""


class LayerPlan(NamedTuple):
    """How :func:`construct_layers` splits the depth between the polar factors."""

    positive_layers: int
    orthogonal_layers: int
    positive_norm: float
    orthogonal_norm: float


def _positive_root_distance(sigma: np.ndarray, h) -> np.ndarray:
    """``||P^{1/h} - I||_2 = max(sigma_max^{1/h} - 1, 1 - sigma_min^{1/h})``."""
    h = np.asarray(h, dtype=float)
    return np.maximum(np.expm1(np.log(sigma[0]) / h), -np.expm1(np.log(sigma[-1]) / h))


def _identity_factors(polar: PolarFactors, phi_max: float) -> tuple[bool, bool]:
    """Whether ``P`` and ``U`` are within :data:`IDENTITY_TOLERANCE` of ``I``.

    ``||P - I||_2 = max_i |sigma_i - 1|`` and ``||U - I||_2 = 2 sin(phi_max / 2)``.
    """
    positive = bool(np.max(np.abs(polar.singular_values - 1.0)) <= IDENTITY_TOLERANCE)
    orthogonal = bool(2 * np.sin(phi_max / 2) <= IDENTITY_TOLERANCE)
    return positive, orthogonal


def plan_layers(polar: PolarFactors, phi_max: float, H: int) -> LayerPlan:
    """Split ``H = h_P + h_U`` to minimize ``max_k ||W_k||_2`` (for ``H >= 2``).

    ``||P^{1/h} - I|| = max(sigma_max^{1/h} - 1, 1 - sigma_min^{1/h})`` and
    ``||U^{1/h} - I|| = 2 sin(phi_max / (2 h))`` both decrease in ``h``; a
    factor equal to ``I`` (within :data:`IDENTITY_TOLERANCE`) gets no layers.
    """
    sigma = polar.singular_values
    positive_is_identity, orthogonal_is_identity = _identity_factors(polar, phi_max)
    if positive_is_identity and orthogonal_is_identity:
        return LayerPlan(0, 0, 0.0, 0.0)
    if positive_is_identity:
        return LayerPlan(0, H, 0.0, power_distance_formula([phi_max], 1 / H))
    if orthogonal_is_identity:
        return LayerPlan(H, 0, float(_positive_root_distance(sigma, H)), 0.0)
    h = np.arange(1, H)
    positive = _positive_root_distance(sigma, h)
    orthogonal = 2 * np.sin(phi_max / (2 * (H - h)))
    best = int(np.argmin(np.maximum(positive, orthogonal)))
    return LayerPlan(int(h[best]), int(H - h[best]), float(positive[best]), float(orthogonal[best]))


def construct_layers(R, H) -> list[np.ndarray]:
    """Real ``W_1, ..., W_H`` with ``(I + W_H) ... (I + W_1) = R``.

    ``H = 1``: ``W_1 = R - I``.  ``H >= 2``: with ``R = U P`` (polar) and the
    split of :func:`plan_layers`, ``W_k = P^{1/h_P} - I`` for ``k <= h_P`` (applied
    to the input first) and ``W_k = U^{1/h_U} - I`` for ``k > h_P``; a factor equal
    to ``I`` gets no layers, and if both are ``I`` all layers are zero.  Then
    ``max_k ||W_k||_2 <= exp((gamma + phi_max(U)) / (H - 1)) - 1`` (see
    :func:`construction_bound`).

    Parameters
    ----------
    R : array_like, shape (d, d)
        Real, finite, invertible, ``det R > 0``.
    H : int
        Number of layers, ``H >= 1``.

    Returns
    -------
    list of ndarray
        ``H`` real ``(d, d)`` arrays; the product equals ``R`` to relative
        spectral error ``<= 1e-10``.

    Raises
    ------
    ValueError
        For a non-square, non-finite or singular ``R``, ``det R <= 0``, or a
        depth that is not an integer ``>= 1``.
    """
    H = _depth(H)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    identity = np.eye(R.shape[0])
    if H == 1:
        return [R - identity]
    plan = plan_layers(polar, max_rotation_angle(polar.orthogonal), H)
    if plan.positive_layers + plan.orthogonal_layers == 0:
        return [np.zeros_like(R) for _ in range(H)]
    layers = []
    if plan.positive_layers:
        W = polar.positive_power_minus_identity(1 / plan.positive_layers)
        layers += [W.copy() for _ in range(plan.positive_layers)]
    if plan.orthogonal_layers:
        W = orthogonal_power_minus_identity(polar.orthogonal, 1 / plan.orthogonal_layers)
        layers += [W.copy() for _ in range(plan.orthogonal_layers)]
    return layers


def construct_balanced_layers(R, H) -> list[np.ndarray]:
    """The telescoping variant: ``I + W_k = U^{k/H} P^{1/H} U^{-(k-1)/H}``.

    The product telescopes to ``U P = R`` because ``U^a U^b = U^{a+b}`` for the
    powers of one normal form; every layer is an orthogonal conjugate of
    ``U^{1/H} P^{1/H}``, so ``||W_k||_2 = ||U^{1/H} P^{1/H} - I||_2 <=
    exp((gamma + phi_max) / H) - 1`` for every ``H >= 1`` (for ``H = 1`` it is
    ``W_1 = R - I``), and ``H ||W_k||_2`` tends to :func:`balanced_constant`.
    ``U^{-(k-1)/H}`` is formed as the transpose of ``U^{(k-1)/H}``; all powers
    are computed in one batch.  Validation as in :func:`construct_layers`.
    """
    H = _depth(H)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    identity = np.eye(R.shape[0])
    turns = powers_from_form(rotation_form(polar.orthogonal), np.arange(H + 1) / H)
    step = polar.positive_power_minus_identity(1 / H) + identity
    factors = turns[1:] @ step @ np.swapaxes(turns[:-1], 1, 2)
    return list(factors - identity)


def layer_product(layers) -> np.ndarray:
    """``(I + W_H) ... (I + W_1)``: ``W_1`` acts on the input first.

    Multiplied pairwise in a balanced tree (``log2 H`` batched products), each
    later factor on the left of the earlier one.
    """
    factors = np.stack(layers) + np.eye(np.shape(layers[0])[0])
    while len(factors) > 1:
        if len(factors) % 2:
            # An identity applied last keeps the product and pairs the factors up.
            factors = np.concatenate([factors, np.eye(factors.shape[1])[None]])
        factors = factors[1::2] @ factors[0::2]
    return factors[0]


def product_error(R, layers) -> float:
    """Relative spectral error ``||(I + W_H) ... (I + W_1) - R||_2 / ||R||_2``."""
    R = np.asarray(R, dtype=float)
    return float(np.linalg.norm(layer_product(layers) - R, 2) / np.linalg.norm(R, 2))


def max_layer_norm(layers) -> float:
    """``max_k ||W_k||_2``.

    A layer equal to its predecessor has the same norm, so only the first of
    each run of equal layers is measured (the split construction repeats two
    matrices; one SVD per distinct layer dominated the run time).
    """
    stack = np.stack(layers)
    new_run = np.concatenate([[True], np.any(stack[1:] != stack[:-1], axis=(1, 2))])
    return float(np.max(np.linalg.norm(stack[new_run], ord=2, axis=(1, 2))))


def split_layer_norms(R, depths) -> np.ndarray:
    """``max_k ||W_k||_2`` of :func:`construct_layers`, from the closed forms.

    ``||R - I||_2`` at ``H = 1`` and ``max(a(h_P), b(h_U))`` of
    :func:`plan_layers` for ``H >= 2``, without building the layers (the tests
    compare with the built layers).
    """
    polar = polar_factors(R)
    phi = max_rotation_angle(polar.orthogonal)
    norms = []
    for H in np.atleast_1d(depths):
        if H == 1:
            norms.append(np.linalg.norm(np.asarray(R, dtype=float) - np.eye(len(R)), 2))
        else:
            plan = plan_layers(polar, phi, int(H))
            norms.append(max(plan.positive_norm, plan.orthogonal_norm))
    return np.array(norms)


def balanced_layer_norms(R, depths) -> np.ndarray:
    """``||U^{1/H} P^{1/H} - I||_2``, the norm of every balanced layer, per depth.

    Written as ``U^{1/H} (P^{1/H} - I) + (U^{1/H} - I)`` to keep relative accuracy
    for large ``H``; batched over the depths.
    """
    polar = polar_factors(R)
    exponents = 1 / np.asarray(np.atleast_1d(depths), dtype=float)
    form = rotation_form(polar.orthogonal)
    V = polar.right_vectors
    positive = (V * np.expm1(np.multiply.outer(exponents, np.log(polar.singular_values)))[:, None, :]) @ V.T
    layers = powers_from_form(form, exponents) @ positive + powers_minus_identity_from_form(form, exponents)
    return np.linalg.norm(layers, ord=2, axis=(1, 2))
