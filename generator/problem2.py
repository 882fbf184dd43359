"""Problem 2: a near-identity factorization of any ``R`` with ``det R > 0``.

Mathematics (proved in ``templates/problem2.tex``; Hardt & Ma, arXiv:1611.04231,
Theorem 2.1 and Appendix A give a different construction):

* polar decomposition ``R = U P`` with ``P = (R^T R)^{1/2}`` symmetric positive
  definite and ``U`` orthogonal; ``det U = det R / det P > 0`` forces ``det U = 1``;
* ``P^{1/h}`` through the eigen-decomposition of ``P`` and ``U^{alpha}`` through the
  real normal form ``U = Q blockdiag(G(theta_j), I) Q^T`` (rotation blocks, with
  eigenvalues ``-1`` paired into rotations by ``pi``);
* layers ``W_1 = ... = W_{h_P} = P^{1/h_P} - I`` (applied first) and
  ``W_{h_P+1} = ... = W_H = U^{1/h_U} - I``, so that
  ``(I + W_H) ... (I + W_1) = U P = R``; the split ``h_P + h_U = H`` minimizes
  ``max_k ||W_k||_2``, which is at most ``exp((gamma + theta_max)/(H - 1)) - 1``;
* the balanced variant ``I + W_k = U^{k/H} P^{1/H} U^{-(k-1)/H}``, whose scaled
  norm ``H ||W_k||_2`` tends to ``||L + log P||_2 <= gamma + theta_max``
  (``L`` the real logarithm of ``U`` read off the normal form);
* a lower bound that every factorization with ``max_k ||W_k||_2 <= delta`` obeys,
  with the turning-angle vector ``P^{-1/2} z`` that certifies
  ``Theta(R) >= min(theta_max(U), pi/2)`` for every ``R``.

``run`` checks all of this numerically and draws the two figures, within the
project's budget of one CPU second: powers, products and norms are batched,
and the figures use plain-text tick labels (mathtext layout dominated).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import scipy.linalg
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from generator import figstyle
from generator.ledger import Ledger, at_least, at_most, between, greater_than, less_than

IDENTITY_TOLERANCE = 1e-12
"""A polar factor within this spectral distance of ``I`` is taken to be ``I``.

Dropping it changes the product by at most this much relative to ``||R||_2``
(``||U P - U|| = ||P - I||`` and ``||U P - P|| <= ||U - I|| ||P||``), far below
the ``1e-10`` accuracy promised by :func:`construct_layers`.
"""

ORTHOGONALITY_TOLERANCE = 1e-10
""":func:`orthogonal_power` accepts ``U`` with ``||U^T U - I||_2`` and
``|det U - 1|`` at most this."""

ANGLE_GRID = 720
"""Directions tried per plane by :func:`turning_angle_certificate`."""


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


class PolarFactors(NamedTuple):
    """``R = U P`` with ``P = V diag(singular_values) V^T``.

    Attributes
    ----------
    orthogonal : ndarray
        The orthogonal factor ``U`` (``det U = +1`` when ``det R > 0``).
    singular_values : ndarray
        The eigenvalues of ``P``, i.e. the singular values of ``R``, descending.
    right_vectors : ndarray
        Orthogonal ``V`` whose columns are eigenvectors of ``P``.
    """

    orthogonal: np.ndarray
    singular_values: np.ndarray
    right_vectors: np.ndarray

    def positive_power_minus_identity(self, exponent: float) -> np.ndarray:
        """``P^exponent - I = V diag(sigma_i^exponent - 1) V^T``.

        ``expm1`` keeps full relative accuracy when ``sigma_i^exponent`` is
        close to 1, which is the regime of deep networks.
        """
        V = self.right_vectors
        shifted = np.expm1(exponent * np.log(self.singular_values))
        return (V * shifted) @ V.T

    @property
    def gamma(self) -> float:
        """``max(|log sigma_max(R)|, |log sigma_min(R)|) = ||log P||_2``."""
        return float(np.max(np.abs(np.log(self.singular_values))))


def polar_factors(R) -> PolarFactors:
    """Polar decomposition ``R = U P`` of an invertible ``R`` with ``det R > 0``.

    Computed from one SVD ``R = A diag(sigma) V^T``: ``U = A V^T`` and
    ``P = V diag(sigma) V^T`` (Higham, *Functions of Matrices*, Thm 8.1).  This
    is what :func:`scipy.linalg.polar` does internally; it is done here directly
    because the construction also needs the eigen-decomposition of ``P``, and
    reusing ``V`` and ``sigma`` makes the eigenvalues of ``P`` exactly the computed
    singular values, with no second eigensolver whose absolute errors would
    matter for tiny singular values.

    Raises
    ------
    ValueError
        If ``R`` is not a finite real square matrix, is singular to working
        precision (``sigma_min <= d * eps * sigma_max``), or has ``det R <= 0``.
    """
    R = _square_matrix(R, "R")
    d = R.shape[0]
    left, sigma, right_t = scipy.linalg.svd(R)
    if not sigma[-1] > d * np.finfo(float).eps * sigma[0]:
        raise ValueError(
            "R is singular to working precision "
            f"(sigma_min = {sigma[-1]:.3g}, sigma_max = {sigma[0]:.3g}); "
            "a product of invertible factors I + W_k cannot equal it"
        )
    U = left @ right_t
    # det R = det U * det P with det P > 0, and det U = +-1 is computed robustly
    # from the orthogonal factor even when R is badly conditioned.
    if np.linalg.det(U) < 0:
        raise ValueError(
            "det R < 0: no real factorization with all ||W_k||_2 < 1 exists "
            "(each det(I + W_k) > 0), and the construction needs det R > 0"
        )
    return PolarFactors(U, sigma, right_t.T)


class RotationForm(NamedTuple):
    """``U = basis @ blockdiag(G(angles[0]), ..., G(angles[-1]), I) @ basis.T``.

    ``G(t) = [[cos t, -sin t], [sin t, cos t]]``; plane ``j`` is spanned by the
    columns ``2j`` and ``2j + 1`` of ``basis`` and ``angles`` lie in ``(-pi, pi]``;
    the remaining columns are fixed by ``U``.
    """

    basis: np.ndarray
    angles: np.ndarray


def _orthogonal_with_det_one(U, tol: float) -> np.ndarray:
    """Return ``U`` as a float array if it is in ``SO(d)`` within ``tol``, else raise."""
    U = _square_matrix(U, "U")
    defect = np.linalg.norm(U.T @ U - np.eye(U.shape[0]), 2)
    if defect > tol:
        raise ValueError(f"U is not orthogonal: ||U^T U - I||_2 = {defect:.3g} > {tol:.3g}")
    det = np.linalg.det(U)
    if abs(det - 1.0) > tol:
        raise ValueError(f"U must have determinant 1 (within {tol:.3g}), got {det:.6g}")
    return U


def rotation_form(U, tol: float = ORTHOGONALITY_TOLERANCE) -> RotationForm:
    """Real normal form of an orthogonal ``U`` with ``det U = 1``.

    From the real Schur form ``U = Z T Z^T`` (:func:`scipy.linalg.schur`):
    ``T`` is orthogonal and quasi-upper-triangular, hence block diagonal up to
    rounding, with 2x2 blocks that are rotations and 1x1 blocks equal to
    ``+-1``.  Since ``det U = 1`` the ``-1`` entries come in an even number and
    are paired into rotations by ``pi``.  LAPACK may return a ``-1`` pair either
    as two 1x1 blocks or as a 2x2 block close to ``G(pi)``; both are handled.
    The off-diagonal part of ``T`` (rounding noise) is discarded.

    Raises
    ------
    ValueError
        If ``U`` is not orthogonal with determinant 1 within ``tol``.
    """
    U = _orthogonal_with_det_one(U, tol)
    d = U.shape[0]
    T, Z = scipy.linalg.schur(U, output="real")
    plane_columns, angles, minus_one, fixed = [], [], [], []
    i = 0
    while i < d:
        # LAPACK stores an exact zero below a 1x1 block.
        if i + 1 < d and T[i + 1, i] != 0.0:
            block = T[i : i + 2, i : i + 2]
            # Angle of the nearest scaled rotation to the block.
            angles.append(np.arctan2(block[1, 0] - block[0, 1], block[0, 0] + block[1, 1]))
            plane_columns += [i, i + 1]
            i += 2
        else:
            (minus_one if T[i, i] < 0 else fixed).append(i)
            i += 1
    if len(minus_one) % 2:
        raise ValueError("U has an odd number of eigenvalues -1, so det U = -1")
    plane_columns += minus_one
    angles += [np.pi] * (len(minus_one) // 2)
    basis = Z[:, plane_columns + fixed]
    return RotationForm(basis, np.asarray(angles, dtype=float))


def rotation_angles(U, tol: float = ORTHOGONALITY_TOLERANCE) -> np.ndarray:
    """The rotation angles ``|theta_j|`` in ``(0, pi]`` of ``U``, descending.

    The eigenvalues of ``U`` other than ``1`` are ``exp(+-i theta_j)``.
    """
    return np.sort(np.abs(rotation_form(U, tol).angles))[::-1]


def max_rotation_angle(U, tol: float = ORTHOGONALITY_TOLERANCE) -> float:
    """``theta_max(U) = max_j |theta_j|`` (``0`` for ``U = I``)."""
    angles = rotation_angles(U, tol)
    return float(angles[0]) if angles.size else 0.0


def _plane_blocks(diagonal, sine, d: int, rest: float) -> np.ndarray:
    """Block diagonal matrices with blocks ``[[c, -s], [s, c]]``, then ``rest * I``.

    ``diagonal`` and ``sine`` have shape ``(..., r)``; the result has shape
    ``(..., d, d)``, one matrix per leading index.  Filled by index arithmetic:
    :func:`scipy.linalg.block_diag` builds the same matrices one at a time and
    dominated the run time when called for thousands of layers.
    """
    diagonal = np.asarray(diagonal, dtype=float)
    sine = np.asarray(sine, dtype=float)
    blocks = np.zeros(diagonal.shape[:-1] + (d, d))
    diagonal_index = np.arange(d)
    blocks[..., diagonal_index, diagonal_index] = rest
    first = 2 * np.arange(diagonal.shape[-1])
    blocks[..., first, first] = diagonal
    blocks[..., first + 1, first + 1] = diagonal
    blocks[..., first, first + 1] = -sine
    blocks[..., first + 1, first] = sine
    return blocks


def _real_exponent(alpha) -> None:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise ValueError(f"alpha must be a real number, got {alpha!r}")
    if not np.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha!r}")


def orthogonal_power(U, alpha: float, tol: float = ORTHOGONALITY_TOLERANCE) -> np.ndarray:
    """``U^alpha = Q blockdiag(G(alpha theta_j), I) Q^T`` for ``U`` in ``SO(d)``.

    With the normal form ``U = Q blockdiag(G(theta_j), I) Q^T`` of
    :func:`rotation_form` (``theta_j`` in ``(-pi, pi]``), ``U^alpha`` is real,
    orthogonal, has determinant 1, satisfies ``U^a U^b = U^(a+b)`` and
    ``(U^(1/m))^m = U``, and ``||U^alpha - I||_2 = max_j 2 |sin(alpha theta_j / 2)|
    <= |alpha| theta_max <= |alpha| pi`` (the fact of Problem 2).  When ``-1`` is an
    eigenvalue the result depends on the pairing chosen by the normal form;
    every choice has these properties.

    :func:`scipy.linalg.fractional_matrix_power` and ``logm`` are not used: for
    eigenvalues ``-1`` they return complex matrices.

    Parameters
    ----------
    U : array_like, shape (d, d)
        Orthogonal with determinant 1, within ``tol``.
    alpha : float
        Real exponent.
    tol : float
        Tolerance on ``||U^T U - I||_2`` and ``|det U - 1|``.

    Raises
    ------
    ValueError
        If ``U`` is not orthogonal with determinant 1 within ``tol``, or
        ``alpha`` is not a finite real number.
    """
    _real_exponent(alpha)
    return powers_from_form(rotation_form(U, tol), [float(alpha)])[0]


def powers_from_form(form: RotationForm, exponents) -> np.ndarray:
    """``U^alpha`` for every ``alpha`` in ``exponents``, shape ``(n, d, d)``.

    All powers use the one normal form ``form``, so ``U^a U^b = U^(a+b)`` holds
    among them; :func:`orthogonal_power` is this with a freshly computed form.
    """
    Q = form.basis
    angles = np.multiply.outer(np.asarray(exponents, dtype=float), form.angles)
    return Q @ _plane_blocks(np.cos(angles), np.sin(angles), Q.shape[0], rest=1.0) @ Q.T


def powers_minus_identity_from_form(form: RotationForm, exponents) -> np.ndarray:
    """``U^alpha - I`` for every ``alpha`` in ``exponents``, accurate when it is small.

    ``G(t) - I = [[-2 sin^2(t/2), -sin t], [sin t, -2 sin^2(t/2)]]`` is formed
    without cancellation, so the result has small *relative* error even for
    ``|alpha| theta_max`` near rounding level (forming ``U^alpha`` and subtracting
    ``I`` would leave an absolute error of order the machine epsilon).
    """
    Q = form.basis
    angles = np.multiply.outer(np.asarray(exponents, dtype=float), form.angles)
    blocks = _plane_blocks(-2 * np.sin(angles / 2) ** 2, np.sin(angles), Q.shape[0], rest=0.0)
    return Q @ blocks @ Q.T


def orthogonal_power_minus_identity(U, alpha: float, tol: float = ORTHOGONALITY_TOLERANCE) -> np.ndarray:
    """``U^alpha - I`` of :func:`orthogonal_power`, accurate when it is small.

    See :func:`powers_minus_identity_from_form`; validation as in
    :func:`orthogonal_power`.
    """
    _real_exponent(alpha)
    return powers_minus_identity_from_form(rotation_form(U, tol), [float(alpha)])[0]


def rotation_generator(form: RotationForm) -> np.ndarray:
    """``L = Q blockdiag(theta_1 J, ..., theta_r J, 0) Q^T`` with ``J = [[0, -1], [1, 0]]``.

    ``L`` is skew-symmetric with ``||L||_2 = theta_max``, ``exp(L) = U`` (as
    ``exp(t J) = G(t)``), and ``H (U^{1/H} - I) -> L`` with error at most
    ``theta_max^2 / (2 H)`` for the powers of the same normal form.
    """
    Q = form.basis
    return Q @ _plane_blocks(np.zeros_like(form.angles), form.angles, Q.shape[0], rest=0.0) @ Q.T


def power_distance_formula(angles, alpha: float) -> float:
    """``max_j 2 |sin(alpha theta_j / 2)|``, the exact ``||U^alpha - I||_2``."""
    angles = np.asarray(angles, dtype=float)
    return float(np.max(2 * np.abs(np.sin(alpha * angles / 2)), initial=0.0))


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


def _identity_factors(polar: PolarFactors, theta_max: float) -> tuple[bool, bool]:
    """Whether ``P`` and ``U`` are within :data:`IDENTITY_TOLERANCE` of ``I``.

    ``||P - I||_2 = max_i |sigma_i - 1|`` and ``||U - I||_2 = 2 sin(theta_max / 2)``.
    """
    positive = bool(np.max(np.abs(polar.singular_values - 1.0)) <= IDENTITY_TOLERANCE)
    orthogonal = bool(2 * np.sin(theta_max / 2) <= IDENTITY_TOLERANCE)
    return positive, orthogonal


def plan_layers(polar: PolarFactors, theta_max: float, H: int) -> LayerPlan:
    """Split ``H = h_P + h_U`` to minimize ``max_k ||W_k||_2`` (for ``H >= 2``).

    ``||P^{1/h} - I|| = max(sigma_max^{1/h} - 1, 1 - sigma_min^{1/h})`` and
    ``||U^{1/h} - I|| = 2 sin(theta_max / (2 h))`` both decrease in ``h``; a
    factor equal to ``I`` (within :data:`IDENTITY_TOLERANCE`) gets no layers.
    """
    sigma = polar.singular_values
    positive_is_identity, orthogonal_is_identity = _identity_factors(polar, theta_max)
    if positive_is_identity and orthogonal_is_identity:
        return LayerPlan(0, 0, 0.0, 0.0)
    if positive_is_identity:
        return LayerPlan(0, H, 0.0, power_distance_formula([theta_max], 1 / H))
    if orthogonal_is_identity:
        return LayerPlan(H, 0, float(_positive_root_distance(sigma, H)), 0.0)
    h = np.arange(1, H)
    positive = _positive_root_distance(sigma, h)
    orthogonal = 2 * np.sin(theta_max / (2 * (H - h)))
    best = int(np.argmin(np.maximum(positive, orthogonal)))
    return LayerPlan(int(h[best]), int(H - h[best]), float(positive[best]), float(orthogonal[best]))


def construct_layers(R, H) -> list[np.ndarray]:
    """Real ``W_1, ..., W_H`` with ``(I + W_H) ... (I + W_1) = R``.

    ``H = 1``: ``W_1 = R - I``.  ``H >= 2``: with ``R = U P`` (polar) and the
    split of :func:`plan_layers`, ``W_k = P^{1/h_P} - I`` for ``k <= h_P`` (applied
    to the input first) and ``W_k = U^{1/h_U} - I`` for ``k > h_P``; a factor equal
    to ``I`` gets no layers, and if both are ``I`` all layers are zero.  Then
    ``max_k ||W_k||_2 <= exp((gamma + theta_max(U)) / (H - 1)) - 1`` (see
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
    exp((gamma + theta_max) / H) - 1`` for every ``H >= 1`` (for ``H = 1`` it is
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


def balanced_bound(R, H) -> float:
    """``exp((gamma + theta_max(U)) / H) - 1``, the bound for the balanced layers."""
    return float(np.expm1(rate_constant(R) / _depth(H)))


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


def rate_constant(R) -> float:
    """``c(R) = gamma + theta_max(U)`` for the polar factor ``U`` of ``R``."""
    polar = polar_factors(R)
    return polar.gamma + max_rotation_angle(polar.orthogonal)


def balanced_constant(R) -> float:
    """``c_bal(R) = ||L + log P||_2 = lim_H H max_k ||W_k||_2`` for the balanced layers.

    ``L`` is :func:`rotation_generator` of the normal form the construction
    uses and ``log P = V diag(log sigma_i) V^T``.  The write-up proves
    ``|H ||U^{1/H} P^{1/H} - I||_2 - c_bal| <= exp(gamma / H) c^2 / (2 H)`` and
    ``c_bal <= gamma + theta_max = c``, with ``c_bal <= sqrt(gamma^2 +
    theta_max^2)`` when ``L`` commutes with ``P``.
    """
    polar = polar_factors(R)
    V = polar.right_vectors
    log_positive = (V * np.log(polar.singular_values)) @ V.T
    return float(np.linalg.norm(rotation_generator(rotation_form(polar.orthogonal)) + log_positive, 2))


def construction_bounds(R, depths) -> np.ndarray:
    """The proved bound on ``max_k ||W_k||_2`` of :func:`construct_layers`, per depth.

    ``exp(c / (H - 1)) - 1`` with ``c = gamma + theta_max(U)`` for ``H >= 2``,
    sharpened to ``exp(gamma / H) - 1`` when ``U = I`` and to ``theta_max / H`` when
    ``P = I`` (within :data:`IDENTITY_TOLERANCE`, as in :func:`plan_layers`);
    ``||R - I||_2`` for ``H = 1``.
    """
    depths = np.asarray([_depth(H) for H in np.atleast_1d(depths)], dtype=float)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    gamma, theta = polar.gamma, max_rotation_angle(polar.orthogonal)
    positive_is_identity, orthogonal_is_identity = _identity_factors(polar, theta)
    with np.errstate(divide="ignore"):
        if positive_is_identity:
            bounds = theta / depths
        elif orthogonal_is_identity:
            bounds = np.expm1(gamma / depths)
        else:
            bounds = np.expm1((gamma + theta) / (depths - 1))
    return np.where(depths == 1, np.linalg.norm(R - np.eye(R.shape[0]), 2), bounds)


def construction_bound(R, H) -> float:
    """:func:`construction_bounds` at one depth ``H``."""
    return float(construction_bounds(R, [H])[0])


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
    ``H >= 3 gamma`` and to ``H >= smallest_depth``.  ``theta_max = pi`` is the
    worst case of our bound ``e^{c/(H-1)} - 1``, which increases with
    ``theta_max``; the write-up proves the ratio is below 1 for
    ``smallest_depth = 5``.
    """
    gamma = np.asarray(gammas, dtype=float)[:, None]
    H = np.asarray(depths, dtype=float)[None, :]
    ours = np.expm1((gamma + np.pi) / (H - 1))
    theirs = 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / H
    applies = (H >= 3 * gamma) & (H >= smallest_depth)
    return float(np.max(np.where(applies, ours / theirs, -np.inf)))


def _turning_angles_batched(R: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``angle(x, R x)`` in ``[0, pi]`` for stacks ``R (..., d, d)`` and ``x (..., d)``."""
    x = x / np.linalg.norm(x, axis=-1, keepdims=True)
    y = (R @ x[..., None])[..., 0]
    cosine_part = np.sum(x * y, axis=-1)
    sine_part = np.linalg.norm(y - x * cosine_part[..., None], axis=-1)
    return np.arctan2(sine_part, cosine_part)


def turning_angles(R, X) -> np.ndarray:
    """Angles ``angle(x, R x)`` in ``[0, pi]`` for the columns ``x`` of ``X``."""
    R = np.asarray(R, dtype=float)
    return _turning_angles_batched(R, np.asarray(X, dtype=float).T)


def turning_vectors(R) -> np.ndarray:
    """The vector of the turning-angle lemma, for one ``R`` or a stack ``(..., d, d)``.

    With ``R = U P`` (polar), ``M = P^{-1/2} U P^{1/2}`` (similar to ``U``) and a
    unit eigenvector ``z`` of ``(M + M^T) / 2`` for its smallest eigenvalue, the
    vector ``x = P^{-1/2} z`` satisfies ``angle(x, R x) >= min(theta_max(U), pi/2)``
    whenever ``det R > 0`` (proved in the write-up).  Batched: one SVD and one
    symmetric eigensolve per matrix; no validation (callers pass ``det R > 0``).
    """
    left, sigma, right_t = np.linalg.svd(np.asarray(R, dtype=float))
    right = np.swapaxes(right_t, -1, -2)
    root = np.sqrt(sigma)[..., None, :]
    positive_half = (right * root) @ right_t
    positive_inverse_half = (right / root) @ right_t
    M = positive_inverse_half @ (left @ right_t) @ positive_half
    _, eigenvectors = np.linalg.eigh((M + np.swapaxes(M, -1, -2)) / 2)
    return (positive_inverse_half @ eigenvectors[..., :, :1])[..., 0]


ROTATION_FLOOR = 1e-6
"""Turning-angle ratios are taken over ``R`` with ``theta_max(U)`` above this
(``theta_max`` of a positive definite ``R`` is rounding noise, and the ratio 0/0 for ``U = I``)."""


def _turning_ratios(R: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``angle(x, R x) / min(theta, pi/2)`` for the lemma's vectors, over a stack."""
    return _turning_angles_batched(R, turning_vectors(R)) / np.minimum(theta, np.pi / 2)


def random_turning_ratio(rng: np.random.Generator, count: int, dimensions) -> float:
    """Smallest ``angle(x, R x) / min(theta_max(U), pi/2)`` for the lemma's vector ``x``.

    ``count`` random matrices per dimension: Gaussian with rows scaled by
    ``exp(u)``, ``u`` uniform on ``[-2, 2]`` (non-normal, varied conditioning),
    first row negated when ``det < 0``.  ``theta_max`` comes from the
    eigenvalues of ``U`` (NumPy's general eigensolver), independently of
    :func:`rotation_form`.  A value below 1 beyond rounding would contradict
    the lemma.
    """
    smallest = np.inf
    for d in dimensions:
        R = rng.standard_normal((count, d, d)) * np.exp(rng.uniform(-2, 2, (count, d, 1)))
        R[np.linalg.det(R) < 0, 0, :] *= -1
        left, _, right_t = np.linalg.svd(R)
        theta = np.max(np.abs(np.angle(np.linalg.eigvals(left @ right_t))), axis=-1)
        turning = theta > ROTATION_FLOOR
        smallest = min(smallest, float(np.min(_turning_ratios(R[turning], theta[turning]), initial=np.inf)))
    return smallest


def turning_angle_certificate(R) -> float:
    """A certified lower bound on ``Theta(R) = max_{x != 0} angle(x, R x)``.

    Every vector ``x`` gives ``Theta(R) >= angle(x, R x)``; the candidates are
    the vector of :func:`turning_vectors` (which guarantees at least
    ``min(theta_max(U), pi/2)``), :data:`ANGLE_GRID` directions in each rotation
    plane of the polar factor ``U`` and in each real invariant plane of ``R``
    (real and imaginary part of a complex eigenvector), the eigenvectors of ``P``
    compressed to each rotation plane of ``U`` (they attain ``theta_max(U)`` when
    ``R`` is normal and only one rotation block has the angle ``theta_max``, since
    ``P`` then maps that block's plane into itself), and the coordinate vectors.
    """
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    form = rotation_form(polar.orthogonal)
    P = (polar.right_vectors * polar.singular_values) @ polar.right_vectors.T
    planes = [form.basis[:, 2 * j : 2 * j + 2] for j in range(len(form.angles))]
    candidates = [np.eye(R.shape[0]), turning_vectors(R)[:, None]]
    for plane in planes:
        candidates.append(plane @ np.linalg.eigh(plane.T @ P @ plane)[1])
    eigenvalues, eigenvectors = np.linalg.eig(R)
    for z in eigenvectors[:, eigenvalues.imag > 0].T:
        planes.append(np.linalg.qr(np.column_stack([z.real, z.imag]))[0])
    phi = np.linspace(0.0, np.pi, ANGLE_GRID, endpoint=False)
    directions = np.vstack([np.cos(phi), np.sin(phi)])
    candidates += [plane @ directions for plane in planes]
    return float(np.max(turning_angles(R, np.hstack(candidates))))


def lower_bound_curve(R, depths) -> np.ndarray:
    """Lower bounds on ``max_k ||W_k||_2`` over all real factorizations of ``R``.

    For any ``W_1..W_H`` with ``(I + W_H)...(I + W_1) = R`` and
    ``max_k ||W_k||_2 <= delta``::

        delta >= sigma_max^{1/H} - 1,   delta >= 1 - sigma_min^{1/H},
        delta >= (1 + ||R - I||_2)^{1/H} - 1,
        delta >= sin(min(Theta(R) / H, pi / 2)),

    with ``Theta(R)`` replaced by the certificate of
    :func:`turning_angle_certificate` (a smaller angle keeps the bound valid).
    Returns the largest of the four, one value per depth in ``depths``.
    """
    depths = np.asarray([_depth(H) for H in np.atleast_1d(depths)], dtype=float)
    R = _square_matrix(R, "R")
    sigma = polar_factors(R).singular_values
    distance = np.linalg.norm(R - np.eye(R.shape[0]), 2)
    angle = turning_angle_certificate(R)
    return np.max(
        [
            np.expm1(np.log(sigma[0]) / depths),
            -np.expm1(np.log(sigma[-1]) / depths),
            np.expm1(np.log1p(distance) / depths),
            np.sin(np.minimum(angle / depths, np.pi / 2)),
        ],
        axis=0,
    )


def lower_bound(R, H) -> float:
    """:func:`lower_bound_curve` at one depth ``H``."""
    return float(lower_bound_curve(R, [H])[0])


# ---------------------------------------------------------------------------
# Numerical illustration
# ---------------------------------------------------------------------------

SEED = 20170424
"""Seed of the random test matrices."""

PRODUCT_DEPTHS = (1, 2, 3, 4, 5, 7, 10, 33, 100, 1001)
"""Depths of the product-error sweep (odd and even, ``H = 1`` included)."""

TABLE_DEPTH = PRODUCT_DEPTHS[-1]
"""Depth at which the table reports ``H * max_k ||W_k||`` (the largest of the sweep)."""

FIGURE_DEPTHS = np.unique(np.round(np.logspace(0, 3, 31)).astype(int))
"""Depths of the rate figure, log-spaced from 1 to 1000."""

LARGE_DIMENSION = 20
"""Dimension of the largest (Gaussian) test matrix."""

NEAR_SINGULAR_VALUES = (2.0, 1e-3, 1e-8)
"""Singular values of the nearly singular test matrix."""

POWER_EXPONENTS = np.concatenate([np.logspace(-4, 0, 41), [-1, -3 / 10, 3 / 2, 2, 37 / 10]])
"""Exponents ``alpha`` of the orthogonal-power check (negative and > 1 too)."""

FIGURE_EXPONENTS = np.logspace(-3, 0, 31)
"""Exponents ``alpha`` of the orthogonal-power figure."""

ROOT_ORDERS = (1, 2, 3, 5, 8, 100)
"""Orders ``m`` of the check ``(U^{1/m})^m = U``."""

TURNING_SAMPLE = 200
"""Random matrices per dimension in the check of the turning-angle lemma."""

TURNING_DIMENSIONS = (2, 3, 4, 6, 10)
"""Dimensions of those random matrices."""

HARDT_MA_GAMMAS = np.concatenate([np.linspace(0, 1 / 10, 51), np.linspace(1 / 10, 40, 200)])
HARDT_MA_DEPTHS = np.arange(2, 2001)
"""Grid of ``(gamma, H)`` on which our bound is compared with Hardt & Ma's."""

SMALL_DEPTH_MAX = 10
"""Depths ``2 <= H <= SMALL_DEPTH_MAX`` count as small in the balanced/split comparison."""

TABLE_ROWS = ("gaussian", "no_real_root", "nearly_singular", "normal", "shear")
"""Test matrices reported in the table of the write-up."""

NORMAL_MATRICES = ("no_real_root", "normal", "spd", "orthogonal_minus_one", "minus_identity")
POSITIVE_DEFINITE_MATRICES = ("spd", "scalar_large", "scalar_small")
ORTHOGONAL_MATRICES = ("orthogonal_minus_one", "minus_identity", "random_rotation")
COMMUTING_GENERATOR_MATRICES = ("normal", "spd", "scalar_large", "scalar_small") + ORTHOGONAL_MATRICES
"""Normal test matrices whose ``L`` commutes with ``P``: no eigenvalue ``-1`` of ``U``, or ``P = I``."""


def plane_rotation(angle: float) -> np.ndarray:
    """``G(angle) = [[cos, -sin], [sin, cos]]``."""
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def random_rotation(d: int, rng: np.random.Generator) -> np.ndarray:
    """A random element of ``SO(d)`` (QR of a Gaussian matrix, signs fixed)."""
    Q, upper = np.linalg.qr(rng.standard_normal((d, d)))
    Q = Q * np.sign(np.diag(upper))
    if np.linalg.det(Q) < 0:
        Q[:, 0] = -Q[:, 0]
    return Q


def _positive_determinant(R: np.ndarray) -> np.ndarray:
    """Flip the first row if needed so that ``det R > 0``."""
    if np.linalg.det(R) < 0:
        R = R.copy()
        R[0] = -R[0]
    return R


def example_matrices(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The matrices ``R`` (all with ``det R > 0``) of the numerical checks.

    Random, orthogonal with eigenvalues ``-1``, nearly singular, non-normal,
    ``1 x 1``, large (``d =`` :data:`LARGE_DIMENSION`), symmetric positive definite, the identity,
    and ``diag(-1, -2)``, which has no real square root or logarithm.
    """
    d_normal, d_orthogonal = 5, 7
    Q5 = random_rotation(d_normal, rng)
    Q7 = random_rotation(d_orthogonal, rng)
    Q3a, Q3b, Q3c = (random_rotation(3, rng) for _ in range(3))
    return {
        "gaussian": _positive_determinant(rng.standard_normal((5, 5))),
        "no_real_root": np.diag([-1.0, -2.0]),
        "nearly_singular": Q3a @ np.diag(NEAR_SINGULAR_VALUES) @ Q3b.T,
        "normal": Q5
        @ scipy.linalg.block_diag(3 * plane_rotation(2.0), plane_rotation(1.0) / 2, [[2.0]])
        @ Q5.T,
        "shear": np.array([[1.0, 20.0], [0.0, 1.0]]),
        "triangular": np.array([[2.0, 40.0, 0.0], [0.0, 1 / 2, 40.0], [0.0, 0.0, 1.0]]),
        "orthogonal_minus_one": Q7
        @ scipy.linalg.block_diag(-np.eye(4), plane_rotation(2.0), [[1.0]])
        @ Q7.T,
        "minus_identity": -np.eye(4),
        "random_rotation": random_rotation(6, rng),
        "spd": Q3c @ np.diag([5.0, 1.0, 1 / 5]) @ Q3c.T,
        "scalar_large": np.array([[4.0]]),
        "scalar_small": np.array([[1 / 20]]),
        "gaussian_large": _positive_determinant(
            rng.standard_normal((LARGE_DIMENSION, LARGE_DIMENSION)) / np.sqrt(LARGE_DIMENSION)
        ),
        "identity": np.eye(3),
    }


def spectral_reference(R) -> tuple[float, float]:
    """``(gamma, theta_max)`` by routes independent of the construction.

    ``gamma = max(log ||R||_2, log ||R^{-1}||_2)`` (norms, no SVD of the polar
    factor) and ``theta_max = max |arg lambda|`` over the eigenvalues of ``U``
    from :func:`numpy.linalg.eigvals` (no Schur form).
    """
    R = np.asarray(R, dtype=float)
    gamma = max(np.log(np.linalg.norm(R, 2)), np.log(np.linalg.norm(np.linalg.inv(R), 2)))
    U, _ = scipy.linalg.polar(R)
    theta = np.max(np.abs(np.angle(np.linalg.eigvals(U))))
    return float(gamma), float(theta)


def split_layer_norms(R, depths) -> np.ndarray:
    """``max_k ||W_k||_2`` of :func:`construct_layers`, from the closed forms.

    ``||R - I||_2`` at ``H = 1`` and ``max(a(h_P), b(h_U))`` of
    :func:`plan_layers` for ``H >= 2``, without building the layers (the tests
    compare with the built layers).
    """
    polar = polar_factors(R)
    theta = max_rotation_angle(polar.orthogonal)
    norms = []
    for H in np.atleast_1d(depths):
        if H == 1:
            norms.append(np.linalg.norm(np.asarray(R, dtype=float) - np.eye(len(R)), 2))
        else:
            plan = plan_layers(polar, theta, int(H))
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


class DepthSweep(NamedTuple):
    """Both constructions of one ``R`` at several depths, with the bounds."""

    depths: np.ndarray
    split_norm: np.ndarray
    balanced_norm: np.ndarray
    split_error: np.ndarray
    balanced_error: np.ndarray
    split_bound: np.ndarray
    balanced_bound: np.ndarray
    lower: np.ndarray
    hardt_ma: np.ndarray
    gamma: float
    theta_max: float
    balanced_constant: float
    both_factors: bool


def sweep_depths(R, depths, build: bool = True) -> DepthSweep:
    """Both constructions of ``R`` at each depth, measured, with the bounds.

    With ``build`` the layers are built and their product errors and norms
    measured; without it the norms come from :func:`split_layer_norms` and
    :func:`balanced_layer_norms` and the errors are ``nan`` (for the figure).
    ``split_bound`` is :func:`construction_bound` (``nan`` at ``H = 1``, where
    no bound is claimed beyond ``||R - I||``), ``hardt_ma`` is ``nan`` where
    Hardt & Ma's theorem does not apply (``H < 3 gamma``).
    """
    depths = np.asarray(depths, dtype=int)
    if build:
        split_norm, balanced_norm, split_error, balanced_error = [], [], [], []
        for H in depths:
            split = construct_layers(R, int(H))
            balanced = construct_balanced_layers(R, int(H))
            split_norm.append(max_layer_norm(split))
            balanced_norm.append(max_layer_norm(balanced))
            split_error.append(product_error(R, split))
            balanced_error.append(product_error(R, balanced))
    else:
        split_norm, balanced_norm = split_layer_norms(R, depths), balanced_layer_norms(R, depths)
        split_error = balanced_error = np.full(len(depths), np.nan)
    polar = polar_factors(R)
    gamma, theta = polar.gamma, max_rotation_angle(polar.orthogonal)
    split_bound = construction_bounds(R, depths)
    split_bound[depths == 1] = np.nan
    hardt_ma = np.where(depths >= 3 * gamma, hardt_ma_bound(R, 1) / depths, np.nan)
    return DepthSweep(
        depths=depths,
        split_norm=np.array(split_norm),
        balanced_norm=np.array(balanced_norm),
        split_error=np.array(split_error),
        balanced_error=np.array(balanced_error),
        split_bound=split_bound,
        balanced_bound=np.expm1((gamma + theta) / depths),
        lower=lower_bound_curve(R, depths),
        hardt_ma=hardt_ma,
        gamma=gamma,
        theta_max=theta,
        balanced_constant=balanced_constant(R),
        both_factors=not any(_identity_factors(polar, theta)),
    )


def example_unitaries(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Orthogonal matrices with determinant 1 for the check of the fact.

    ``-I_4``; a conjugated ``blockdiag(-I_4, G(2), 1)`` (LAPACK returns its
    ``-1`` eigenvalues as 1x1 blocks); ``blockdiag(G(pi), G(1))`` with ``G(pi)``
    rounded (returned as a 2x2 block); a random element of ``SO(6)``;
    conjugated ``blockdiag(G(1), G(1/2), 1)`` and ``blockdiag(G(1/10),
    G(1/30), 1)``; and ``I_1``.
    """
    Q7, Q5 = random_rotation(7, rng), random_rotation(5, rng)
    return {
        "minus_identity": -np.eye(4),
        "minus_one_conjugated": Q7
        @ scipy.linalg.block_diag(-np.eye(4), plane_rotation(2.0), [[1.0]])
        @ Q7.T,
        "rounded_pi_block": scipy.linalg.block_diag(plane_rotation(np.pi), plane_rotation(1.0)),
        "random": random_rotation(6, rng),
        "unit_angle": Q5
        @ scipy.linalg.block_diag(plane_rotation(1.0), plane_rotation(0.5), [[1.0]])
        @ Q5.T,
        "small_angles": Q5.T
        @ scipy.linalg.block_diag(plane_rotation(0.1), plane_rotation(1 / 30), [[1.0]])
        @ Q5,
        "one_by_one": np.eye(1),
    }


class PowerCheck(NamedTuple):
    """Worst cases of the orthogonal-power identities over a set of ``U``."""

    formula_error: float
    bound_ratio: float
    root_error: float
    orthogonality_error: float


def check_orthogonal_powers(unitaries, exponents, root_orders) -> PowerCheck:
    """Compare the powers ``U^alpha`` with the proved identities.

    One normal form per ``U`` (:func:`rotation_form`), all exponents in a batch
    (:func:`orthogonal_power` is the same computation for one exponent).
    ``formula_error``: max over ``U`` and ``alpha`` of
    ``| ||U^alpha - I||_2 - max_j 2|sin(alpha theta_j / 2)| |`` with ``U^alpha - I``
    from :func:`powers_minus_identity_from_form`;
    ``bound_ratio``: max of ``||U^alpha - I||_2 / (|alpha| theta_max)`` over
    ``U != I`` (for ``U = I`` both sides vanish);
    ``root_error``: max of ``||(U^{1/m})^m - U||_2``;
    ``orthogonality_error``: max of ``||X^T X - I||_2`` and ``|det X - 1|`` for
    ``X = U^alpha``.
    """
    exponents = np.asarray(exponents, dtype=float)
    formula_error = bound_ratio = root_error = orthogonality_error = 0.0
    for U in unitaries:
        form = rotation_form(U)
        theta = float(np.max(np.abs(form.angles), initial=0.0))
        identity = np.eye(U.shape[0])
        powers = powers_from_form(form, exponents)
        distance = np.linalg.norm(powers_minus_identity_from_form(form, exponents), ord=2, axis=(1, 2))
        formula = np.max(2 * np.abs(np.sin(np.multiply.outer(exponents, form.angles) / 2)), axis=1, initial=0.0)
        formula_error = max(formula_error, float(np.max(np.abs(distance - formula))))
        if theta > 0:
            bound_ratio = max(bound_ratio, float(np.max(distance / (np.abs(exponents) * theta))))
        defect = np.linalg.norm(np.swapaxes(powers, 1, 2) @ powers - identity, ord=2, axis=(1, 2))
        orthogonality_error = max(
            orthogonality_error, float(np.max(defect)), float(np.max(np.abs(np.linalg.det(powers) - 1.0)))
        )
        roots = powers_from_form(form, 1 / np.asarray(root_orders, dtype=float))
        for m, root in zip(root_orders, roots):
            root_error = max(root_error, float(np.linalg.norm(np.linalg.matrix_power(root, m) - U, 2)))
    return PowerCheck(formula_error, bound_ratio, root_error, orthogonality_error)


def _plain_log_ticks(axis, exponents) -> None:
    """Major ticks at ``10**e`` labelled in plain text (``0.01``, ``1``, ``100``), no minor ticks.

    Plain labels print at the full tick-label size (mathtext superscripts are
    smaller) and are much cheaper to lay out than mathtext.
    """
    values = [10.0**e for e in exponents]
    axis.set_major_locator(FixedLocator(values))
    axis.set_major_formatter(FixedFormatter([f"{v:g}" for v in values]))
    axis.set_minor_locator(NullLocator())


def plot_layer_norms(sweeps: dict[str, DepthSweep], titles: dict[str, str], path: Path) -> None:
    """``max_k ||W_k||_2`` against ``H`` (log-log), one panel per matrix.

    Both constructions, our upper bound for the split construction, the lower
    bound valid for every factorization, and Hardt & Ma's bound where their
    theorem applies.  The panels share the vertical axis; each is named in its
    upper right corner (a text label, cheaper to lay out than a title).
    """
    series = (
        ("split_norm", "split construction", dict(marker="o", linestyle="none")),
        ("balanced_norm", "balanced variant", dict(marker="x", linestyle="none")),
        ("split_bound", "our bound (split)", dict(linestyle="-")),
        ("lower", "lower bound, any factorization", dict(linestyle="--")),
        ("hardt_ma", "Hardt & Ma, Thm 2.1", dict(linestyle=":")),
    )
    with figstyle.figure(width=1.0, aspect=0.4, ncols=len(sweeps)) as (fig, axes):
        axes = np.atleast_1d(axes)
        for ax, (name, sweep) in zip(axes, sweeps.items()):
            for (field, label, style), color in zip(series, figstyle.COLORS):
                ax.loglog(sweep.depths, getattr(sweep, field), color=color, label=label, **style)
            ax.axhline(1.0, color=figstyle.COLORS[5], linewidth=0.5)
            ax.text(0.97, 0.95, titles[name], transform=ax.transAxes, ha="right", va="top")
            ax.set_ylim(1e-3, 1e2)
            _plain_log_ticks(ax.xaxis, range(0, 4))
            _plain_log_ticks(ax.yaxis, range(-3, 3))
            ax.tick_params(labelleft=ax is axes[0])
        axes[0].set_ylabel(r"$\max_k \|W_k\|_2$")
        fig.supxlabel(r"depth $H$", fontsize=figstyle.STYLE["axes.labelsize"])
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncols=3)
        figstyle.save(fig, path)


def plot_orthogonal_power(unitaries: dict[str, np.ndarray], titles: dict[str, str], path: Path) -> None:
    """``||U^alpha - I||_2`` against ``alpha`` (log-log) with ``alpha theta_max``, and their ratio.

    Left: the computed distances (dots) and the bound of the fact (line of the
    same colour); right: their ratio, which tends to 1 as ``alpha -> 0``.
    """
    with figstyle.figure(width=1.0, aspect=0.36, ncols=2) as (fig, (left, right)):
        handles = []
        for (name, U), color in zip(unitaries.items(), figstyle.COLORS):
            form = rotation_form(U)
            theta = float(np.max(np.abs(form.angles)))
            distance = np.linalg.norm(
                powers_minus_identity_from_form(form, FIGURE_EXPONENTS), ord=2, axis=(1, 2)
            )
            left.loglog(FIGURE_EXPONENTS[::3], distance[::3], marker="o", linestyle="none", color=color)
            left.loglog(FIGURE_EXPONENTS, FIGURE_EXPONENTS * theta, color=color, linewidth=0.7)
            right.semilogx(FIGURE_EXPONENTS, distance / (FIGURE_EXPONENTS * theta), color=color)
            handles.append(Line2D([], [], color=color, marker="o", linewidth=0.7, label=titles[name]))
        left.set_ylabel(r"$\|U^\alpha - I\|_2$ (dots), $\alpha\,\theta_{\max}$ (lines)")
        right.set_ylabel(r"$\|U^\alpha - I\|_2 \,/\, (\alpha\,\theta_{\max})$")
        right.set_ylim(0.6, 1.02)
        right.yaxis.set_major_locator(FixedLocator([0.6, 0.8, 1.0]))
        right.yaxis.set_major_formatter(FixedFormatter(["0.6", "0.8", "1"]))
        for ax in (left, right):
            _plain_log_ticks(ax.xaxis, range(-3, 1))
        _plain_log_ticks(left.yaxis, range(-4, 1))
        fig.supxlabel(r"exponent $\alpha$", fontsize=figstyle.STYLE["axes.labelsize"])
        left.legend(handles=handles, loc="upper left")
        figstyle.save(fig, path)


class SweepSummary(NamedTuple):
    """Worst cases over all test matrices and depths (see :func:`summarize_sweeps`)."""

    split_error: float
    balanced_error: float
    split_bound_ratio: float
    balanced_bound_ratio: float
    strict_bound_ratio: float
    lower_ratio: float
    positive_definite_gap: float
    orthogonal_gap: float
    normal_ratio: float
    general_ratio: float
    hardt_ma_ratio: float
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

    Ratios leave out the identity (there both sides vanish); ``c = gamma +
    theta_max``, ``m_H`` is the largest layer norm, ``l_H`` the certified lower
    bound, and "last" means the largest depth of the sweep.

    * ``split_error``, ``balanced_error``: worst relative product error;
    * ``split_bound_ratio``: max of ``m_H / construction_bound`` over ``H >= 2``;
      ``balanced_bound_ratio``: max of ``m_H / (e^{c/H} - 1)`` (balanced);
    * ``strict_bound_ratio``: max of ``m_H / (e^{c/(H-1)} - 1)`` over ``H >= 2``
      (split; the write-up proves it is ``< 1``);
    * ``lower_ratio``: min over both constructions of ``m_H / l_H``;
    * ``positive_definite_gap``: max of ``|m_H / l_H - 1|`` for symmetric
      positive definite ``R`` (the construction is exactly optimal there);
    * ``orthogonal_gap``: max of ``|cos(theta/(2H)) m_H / l_H - 1|`` for
      orthogonal ``R`` and ``H >= 2`` (the ratio is exactly ``1/cos(theta/(2H))``);
    * ``normal_ratio``: max of ``m_H / l_H`` at the last depth over normal ``R``
      (asymptotically at most 2); ``general_ratio``: the same over all ``R``
      (asymptotically at most 3);
    * ``hardt_ma_ratio``: max of ``m_H / (Hardt-Ma bound)`` over ``H >= 3 gamma``;
    * ``split_rate_ratio``: max of ``ln 2 (H - 1) m_H / c`` over ``H >= 1 + c / ln 2``;
      ``balanced_rate_ratio``: max of ``ln 2 H m_H / c`` over ``H >= c / ln 2``;
    * ``balanced_limit_ratio``: max at the last depth of
      ``|H m_H - c_bal| / (e^{gamma/H} c^2 / (2H))`` (balanced);
    * ``balanced_constant_ratio``: max of ``c_bal / c``; ``commuting_ratio``: max of
      ``c_bal / sqrt(gamma^2 + theta_max^2)`` over
      :data:`COMMUTING_GENERATOR_MATRICES`;
    * ``balanced_split_median``, ``balanced_split_max``: median and max of
      ``m_H(balanced) / m_H(split)`` over ``H >= 2`` and the ``R`` with ``P != I != U``;
      ``balanced_worse_depth``: the largest such ``H`` where the ratio exceeds
      ``1 + 1e-9``.
    """
    nontrivial = {k: s for k, s in sweeps.items() if s.gamma + s.theta_max > 0}

    def largest(values):
        return float(max(np.nanmax(v) for v in values))

    def constant(s):
        return s.gamma + s.theta_max

    deep = {k: s.depths >= 2 for k, s in nontrivial.items()}
    split_rate = {k: s.depths >= 1 + constant(s) / np.log(2) for k, s in nontrivial.items()}
    balanced_rate = {k: s.depths >= constant(s) / np.log(2) for k, s in nontrivial.items()}
    both = {k: s for k, s in nontrivial.items() if s.both_factors}
    comparison = np.concatenate(
        [s.balanced_norm[s.depths >= 2] / s.split_norm[s.depths >= 2] for s in both.values()]
    )
    comparison_depths = np.concatenate([s.depths[s.depths >= 2] for s in both.values()])
    worse = comparison > 1 + 1e-9
    return SweepSummary(
        split_error=largest(s.split_error for s in sweeps.values()),
        balanced_error=largest(s.balanced_error for s in sweeps.values()),
        split_bound_ratio=largest(s.split_norm / s.split_bound for s in nontrivial.values()),
        balanced_bound_ratio=largest(s.balanced_norm / s.balanced_bound for s in nontrivial.values()),
        strict_bound_ratio=largest(
            s.split_norm[deep[k]] / np.expm1(constant(s) / (s.depths[deep[k]] - 1))
            for k, s in nontrivial.items()
        ),
        lower_ratio=float(min(
            np.min(np.minimum(s.split_norm, s.balanced_norm) / s.lower) for s in nontrivial.values()
        )),
        positive_definite_gap=largest(
            np.abs(s.split_norm / s.lower - 1) for k, s in sweeps.items() if k in POSITIVE_DEFINITE_MATRICES
        ),
        orthogonal_gap=largest(
            np.abs(np.cos(s.theta_max / (2 * s.depths[1:])) * s.split_norm[1:] / s.lower[1:] - 1)
            for k, s in sweeps.items()
            if k in ORTHOGONAL_MATRICES
        ),
        normal_ratio=largest(s.split_norm[-1] / s.lower[-1] for k, s in sweeps.items() if k in NORMAL_MATRICES),
        general_ratio=largest(s.split_norm[-1] / s.lower[-1] for s in nontrivial.values()),
        hardt_ma_ratio=largest(
            s.split_norm / s.hardt_ma for s in nontrivial.values() if np.any(np.isfinite(s.hardt_ma))
        ),
        split_rate_ratio=largest(
            np.log(2) * (s.depths[split_rate[k]] - 1) * s.split_norm[split_rate[k]] / constant(s)
            for k, s in nontrivial.items()
        ),
        balanced_rate_ratio=largest(
            np.log(2) * s.depths[balanced_rate[k]] * s.balanced_norm[balanced_rate[k]] / constant(s)
            for k, s in nontrivial.items()
        ),
        balanced_limit_ratio=largest(
            abs(s.depths[-1] * s.balanced_norm[-1] - s.balanced_constant)
            / (np.exp(s.gamma / s.depths[-1]) * constant(s) ** 2 / (2 * s.depths[-1]))
            for s in nontrivial.values()
        ),
        balanced_constant_ratio=largest(s.balanced_constant / constant(s) for s in nontrivial.values()),
        commuting_ratio=largest(
            s.balanced_constant / np.hypot(s.gamma, s.theta_max)
            for k, s in nontrivial.items()
            if k in COMMUTING_GENERATOR_MATRICES
        ),
        balanced_split_median=float(np.median(comparison)),
        balanced_split_max=float(np.max(comparison)),
        balanced_worse_depth=int(np.max(comparison_depths[worse], initial=0)),
        pairs=sum(len(s.depths) for s in sweeps.values()),
    )


FIGURE_ROWS = ("gaussian", "no_real_root", "nearly_singular")

FIGURE_TITLES = {
    "gaussian": "Gaussian, d = 5",
    "no_real_root": "diag(-1, -2)",
    "nearly_singular": "nearly singular",
}
"""Panel names of the rate figure, in plain text (mathtext is slow to lay out)."""

POWER_TITLES = {
    "minus_identity": r"$U=-I_4$, $\theta_{\max}=\pi$",
    "unit_angle": r"$\theta_{\max}=1$",
    "small_angles": r"$\theta_{\max}=1/10$",
}


def _round_to_significant(value: float, digits: int, upward: bool) -> float:
    """``value`` rounded up or down to ``digits`` significant digits.

    A check bound printed in full would carry sixteen digits; rounding an
    upper bound up (a lower bound down) keeps the check valid and readable.
    """
    if value == 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - int(np.floor(np.log10(abs(value)))))
    rounded = (np.ceil if upward else np.floor)(value * scale) / scale
    return float(f"{rounded:.{digits}g}")


def turning_ratio(matrices) -> float:
    """Smallest ``angle(x, R x) / min(theta_max(U), pi/2)`` over ``matrices``.

    ``x`` is the vector of :func:`turning_vectors`; ``theta_max`` comes from
    :func:`spectral_reference` (eigenvalues of ``U``), not from the normal form;
    matrices with ``theta_max <=`` :data:`ROTATION_FLOOR` are skipped.
    """
    smallest = np.inf
    for R in matrices:
        _, theta = spectral_reference(R)
        if theta > ROTATION_FLOOR:
            smallest = min(smallest, float(_turning_ratios(np.asarray(R, dtype=float), np.array(theta))))
    return smallest


def run(figures_dir: Path) -> Ledger:
    """Check the construction, the bounds and the fact; draw the figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=2)
    rng = np.random.default_rng(SEED)
    matrices = example_matrices(rng)
    unitaries = example_unitaries(rng)

    sweeps = {name: sweep_depths(R, PRODUCT_DEPTHS) for name, R in matrices.items()}
    summary = summarize_sweeps(sweeps)
    led.parameter("seed", SEED, description="seed of the random test matrices")
    led.parameter("matrix_count", len(matrices), description="number of test matrices R")
    led.parameter("pair_count", summary.pairs, description="number of (R, H) pairs in the sweep")
    led.parameter("depth_max", max(PRODUCT_DEPTHS), description="largest depth of the sweep")
    led.parameter("depths", ", ".join(map(str, PRODUCT_DEPTHS)), description="depths of the sweep")
    led.parameter("near_singular_min", NEAR_SINGULAR_VALUES[-1], style="sci", digits=1,
                  description="smallest singular value of the nearly singular test matrix")
    led.parameter("near_singular_mid", NEAR_SINGULAR_VALUES[1], style="sci", digits=1,
                  description="middle singular value of the nearly singular test matrix")
    led.parameter("identity_tolerance", IDENTITY_TOLERANCE, style="sci", digits=1,
                  description="distance below which a polar factor is treated as I")
    led.parameter("orthogonality_tolerance", ORTHOGONALITY_TOLERANCE, style="sci", digits=1,
                  description="tolerance of the orthogonality test in orthogonal_power")
    led.parameter("angle_grid", ANGLE_GRID, description="directions per plane in the angle certificate")
    led.parameter("table_depth", TABLE_DEPTH, description="depth of the table")
    led.parameter("large_dimension", LARGE_DIMENSION, description="dimension of the largest test matrix")
    led.parameter("small_depth_max", SMALL_DEPTH_MAX,
                  description="largest depth counted as small in the comparison of the two constructions")

    led.claim("product_error_max", summary.split_error, at_most(1e-10), source=summarize_sweeps,
              description="worst relative product error of the split construction")
    led.claim("balanced_product_error_max", summary.balanced_error, at_most(1e-10),
              source=summarize_sweeps,
              description="worst relative product error of the balanced variant")
    led.claim("split_bound_excess", summary.split_bound_ratio - 1, at_most(1e-12),
              source=summarize_sweeps,
              description="largest relative excess of the layer norm over its sharpest proved bound, split construction")
    led.claim("balanced_bound_excess", summary.balanced_bound_ratio - 1, at_most(1e-12),
              source=summarize_sweeps,
              description="largest relative excess of the layer norm over its proved bound, balanced variant")
    led.claim("strict_bound_ratio_max", summary.strict_bound_ratio, less_than(1), source=summarize_sweeps,
              description="largest ratio of the layer norm to $e^{c/(H-1)}-1$, split construction, $R\\ne I$",
              style="fixed", digits=3)
    led.claim("lower_shortfall", 1 - summary.lower_ratio, at_most(1e-9), source=summarize_sweeps,
              description="largest relative shortfall of the layer norm below the lower bound, both constructions")
    led.claim("spd_gap", summary.positive_definite_gap, at_most(1e-12), source=summarize_sweeps,
              description="largest relative gap to the lower bound, positive definite test matrices")
    led.claim("orthogonal_gap", summary.orthogonal_gap, at_most(1e-9), source=summarize_sweeps,
              description="largest deviation of the ratio to the lower bound from its exact value, orthogonal test matrices")
    led.claim("normal_ratio_max", summary.normal_ratio, at_most(2), source=summarize_sweeps,
              description="largest ratio to the lower bound at the largest depth, normal test matrices",
              style="fixed", digits=3)
    led.claim("general_ratio_max", summary.general_ratio, at_most(3), source=summarize_sweeps,
              description="largest ratio to the lower bound at the largest depth, all test matrices except $I$",
              style="fixed", digits=3)
    led.claim("hardt_ma_ratio_max", summary.hardt_ma_ratio, at_most(0.5), source=summarize_sweeps,
              description="largest ratio to the bound of Hardt and Ma where their theorem applies",
              style="fixed", digits=3)
    led.claim("split_rate_ratio_max", summary.split_rate_ratio, at_most(1), source=summarize_sweeps,
              description="largest $(\\ln 2)(H-1)m_H/c$ over $H\\ge 1+c/\\ln 2$, split construction",
              style="fixed", digits=3)
    led.claim("balanced_rate_ratio_max", summary.balanced_rate_ratio, at_most("1 + 1e-12"),
              source=summarize_sweeps,
              description="largest $(\\ln 2)Hm_H/c$ over $H\\ge c/\\ln 2$, balanced variant",
              style="fixed", digits=3)
    led.claim("balanced_limit_ratio_max", summary.balanced_limit_ratio, at_most(1), source=summarize_sweeps,
              description="largest distance of $Hm_H$ from its limit in units of the proved error bound, balanced variant, largest depth",
              style="fixed", digits=3)
    led.claim("balanced_constant_ratio_max", summary.balanced_constant_ratio, at_most("1 + 1e-12"),
              source=balanced_constant,
              description="largest ratio of the balanced constant to $c$", style="fixed", digits=3)
    led.claim("commuting_ratio_max", summary.commuting_ratio, at_most("1 + 1e-12"), source=balanced_constant,
              description="largest ratio of the balanced constant to $\\sqrt{\\gamma^2+\\theta_{\\max}^2}$, normal test matrices whose $L$ commutes with $P$",
              style="fixed", digits=3)
    no_root = sweeps["no_real_root"]
    led.claim("no_real_root_constant_ratio",
              no_root.balanced_constant / np.hypot(no_root.gamma, no_root.theta_max), greater_than(1),
              source=balanced_constant,
              description="ratio of the balanced constant to $\\sqrt{\\gamma^2+\\theta_{\\max}^2}$ for diag$(-1,-2)$",
              style="fixed", digits=3)
    led.claim("balanced_split_median", summary.balanced_split_median, less_than(1), source=summarize_sweeps,
              description="median ratio of the balanced to the split layer norm, $H\\ge2$, test matrices with $P\\ne I\\ne U$",
              style="fixed", digits=2)
    led.claim("balanced_split_max", summary.balanced_split_max, greater_than(1), source=summarize_sweeps,
              description="largest ratio of the balanced to the split layer norm, $H\\ge2$, test matrices with $P\\ne I\\ne U$",
              style="fixed", digits=3)
    led.claim("balanced_worse_depth_max", summary.balanced_worse_depth, at_most(SMALL_DEPTH_MAX),
              source=summarize_sweeps,
              description="largest depth at which the balanced layers exceed the split ones", style="int")

    turning = min(
        turning_ratio(matrices.values()),
        random_turning_ratio(rng, TURNING_SAMPLE, TURNING_DIMENSIONS),
    )
    led.parameter("turning_sample", TURNING_SAMPLE,
                  description="random matrices per dimension in the turning-angle check")
    led.parameter("turning_dimensions", ", ".join(map(str, TURNING_DIMENSIONS)),
                  description="dimensions of the random matrices in the turning-angle check")
    led.claim("turning_ratio_min", turning, at_least("1 - 1e-12"), source=random_turning_ratio,
              description="smallest ratio of the lemma's turning angle to $\\min(\\theta_{\\max},\\pi/2)$, test and random matrices",
              style="fixed", digits=3, rounding="down")

    led.parameter("hardt_ma_gamma_max", float(HARDT_MA_GAMMAS[-1]), style="int",
                  description="largest gamma of the grid comparing the bounds")
    led.parameter("hardt_ma_depth_max", int(HARDT_MA_DEPTHS[-1]),
                  description="largest depth of the grid comparing the bounds")
    led.claim("hardt_ma_finite_ratio_max",
              hardt_ma_finite_depth_ratio(HARDT_MA_GAMMAS, HARDT_MA_DEPTHS, smallest_depth=5),
              less_than(1), source=hardt_ma_finite_depth_ratio,
              description="largest ratio of our bound with $\\theta_{\\max}=\\pi$ to the bound of Hardt and Ma on the grid, $H\\ge5$",
              style="fixed", digits=3)

    depth_index = list(PRODUCT_DEPTHS).index(TABLE_DEPTH)
    H = TABLE_DEPTH
    for row in TABLE_ROWS:
        R = matrices[row]
        sweep = sweeps[row]
        label = row.replace("_", " ")
        gamma_ref, theta_ref = spectral_reference(R)
        c = sweep.gamma + sweep.theta_max
        gamma_range = (
            _round_to_significant(gamma_ref - 1e-5, 5, upward=False),
            _round_to_significant(gamma_ref + 1e-5, 5, upward=True),
        )
        theta_range = (
            _round_to_significant(theta_ref - 1e-5, 5, upward=False),
            _round_to_significant(theta_ref + 1e-5, 5, upward=True),
        )
        led.claim(f"{row}_gamma", sweep.gamma, between(*gamma_range),
                  source=sweep_depths, description=f"gamma of the {label} test matrix, against the norms of the matrix and its inverse",
                  style="fixed", digits=3)
        led.claim(f"{row}_theta", sweep.theta_max, between(*theta_range),
                  source=max_rotation_angle,
                  description=f"largest rotation angle of the orthogonal polar factor of the {label} test matrix, against its eigenvalues",
                  style="fixed", digits=3)
        split_scaled = H * sweep.split_norm[depth_index]
        balanced_scaled = H * sweep.balanced_norm[depth_index]
        led.claim(f"{row}_split_scaled", split_scaled, at_most(_round_to_significant(H * np.expm1(c / (H - 1)), 4, upward=True)),
                  source=sweep_depths, description=f"depth times the largest layer norm, split construction, {label} test matrix",
                  style="fixed", digits=3)
        led.claim(f"{row}_balanced_scaled", balanced_scaled, at_most(_round_to_significant(H * np.expm1(c / H), 4, upward=True)),
                  source=sweep_depths, description=f"depth times the largest layer norm, balanced variant, {label} test matrix",
                  style="fixed", digits=3)
        led.claim(f"{row}_balanced_constant", sweep.balanced_constant,
                  at_most(_round_to_significant(c, 4, upward=True)), source=balanced_constant,
                  description=f"balanced constant $\\|L+\\log P\\|$, against $c$, {label} test matrix",
                  style="fixed", digits=3)
        led.claim(f"{row}_lower_scaled", H * sweep.lower[depth_index],
                  at_most(_round_to_significant(min(split_scaled, balanced_scaled), 4, upward=True)),
                  source=lower_bound_curve,
                  description=f"depth times the lower bound, {label} test matrix", style="fixed", digits=3,
                  rounding="down")
        led.claim(f"{row}_hardt_ma_constant", H * hardt_ma_bound(R, H),
                  at_least(_round_to_significant(2 * c, 4, upward=False)),
                  source=hardt_ma_bound, description=f"constant of Hardt and Ma, {label} test matrix",
                  style="fixed", digits=2)

    power = check_orthogonal_powers(unitaries.values(), POWER_EXPONENTS, ROOT_ORDERS)
    led.parameter("unitary_count", len(unitaries), description="number of test matrices U")
    led.parameter("exponent_count", len(POWER_EXPONENTS), description="number of exponents alpha")
    led.claim("power_formula_error", power.formula_error, at_most(1e-12), source=check_orthogonal_powers,
              description="largest deviation of the distance of a power from the identity from the sine formula")
    led.claim("power_bound_excess", power.bound_ratio - 1, at_most(1e-12), source=check_orthogonal_powers,
              description="largest relative excess of the distance of a power from the identity over the linear bound, $U\\ne I$")
    led.claim("power_root_error", power.root_error, at_most(1e-12), source=check_orthogonal_powers,
              description="largest error of the m-th power of the m-th root")
    led.claim("power_orthogonality_error", power.orthogonality_error, at_most(1e-12),
              source=check_orthogonal_powers, description="largest orthogonality or determinant defect of the powers",
              rounding="up")

    figure_sweeps = {name: sweep_depths(matrices[name], FIGURE_DEPTHS, build=False) for name in FIGURE_ROWS}
    plot_layer_norms(figure_sweeps, FIGURE_TITLES, figures_dir / "p2_layer_norms.pdf")
    led.figure("layer_norms", "p2_layer_norms.pdf", source=plot_layer_norms)
    plot_orthogonal_power({k: unitaries[k] for k in POWER_TITLES}, POWER_TITLES,
                          figures_dir / "p2_orthogonal_power.pdf")
    led.figure("orthogonal_power", "p2_orthogonal_power.pdf", source=plot_orthogonal_power)
    return led
