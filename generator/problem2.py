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
* a lower bound that every factorization with ``max_k ||W_k||_2 <= delta`` obeys.

``run`` checks all of this numerically and draws the two figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator import figstyle
from generator.ledger import Ledger, at_least, at_most, between

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


def _plane_blocks(diagonal: np.ndarray, sine: np.ndarray, d: int, rest: float) -> np.ndarray:
    """Block diagonal ``d x d`` matrix with blocks ``[[c, -s], [s, c]]``, then ``rest * I``.

    Filled by index arithmetic: :func:`scipy.linalg.block_diag` builds the same
    matrix but dominated the run time when called for thousands of layers.
    """
    blocks = rest * np.eye(d)
    first = 2 * np.arange(len(diagonal))
    blocks[first, first] = blocks[first + 1, first + 1] = diagonal
    blocks[first, first + 1] = -sine
    blocks[first + 1, first] = sine
    return blocks


def _rotation_blocks(angles: np.ndarray, d: int) -> np.ndarray:
    """``blockdiag(G(angles[0]), ..., G(angles[-1]), I)`` of size ``d``."""
    return _plane_blocks(np.cos(angles), np.sin(angles), d, rest=1.0)


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
    return _power_from_form(rotation_form(U, tol), float(alpha))


def _power_from_form(form: RotationForm, alpha: float) -> np.ndarray:
    Q = form.basis
    return Q @ _rotation_blocks(alpha * form.angles, Q.shape[0]) @ Q.T


def orthogonal_power_minus_identity(U, alpha: float, tol: float = ORTHOGONALITY_TOLERANCE) -> np.ndarray:
    """``U^alpha - I`` of :func:`orthogonal_power`, accurate when it is small.

    ``G(t) - I = [[-2 sin^2(t/2), -sin t], [sin t, -2 sin^2(t/2)]]`` is formed
    without cancellation, so the result has small *relative* error even for
    ``|alpha| theta_max`` near rounding level (forming ``U^alpha`` and subtracting
    ``I`` would leave an absolute error of order the machine epsilon).
    Validation as in :func:`orthogonal_power`.
    """
    _real_exponent(alpha)
    form = rotation_form(U, tol)
    Q = form.basis
    angles = float(alpha) * form.angles
    blocks = _plane_blocks(-2 * np.sin(angles / 2) ** 2, np.sin(angles), Q.shape[0], rest=0.0)
    return Q @ blocks @ Q.T


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
    powers of :func:`orthogonal_power`; every layer is an orthogonal conjugate
    of ``U^{1/H} P^{1/H}``, so ``||W_k||_2 = ||U^{1/H} P^{1/H} - I||_2 <=
    exp((gamma + theta_max) / H) - 1`` for every ``H >= 1`` (for ``H = 1`` it is
    ``W_1 = R - I``).  Validation as in :func:`construct_layers`.
    """
    H = _depth(H)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    form = rotation_form(polar.orthogonal)
    identity = np.eye(R.shape[0])
    step = polar.positive_power_minus_identity(1 / H) + identity
    layers = []
    for k in range(1, H + 1):
        layer = _power_from_form(form, k / H) @ step @ _power_from_form(form, -(k - 1) / H)
        layers.append(layer - identity)
    return layers


def balanced_bound(R, H) -> float:
    """``exp((gamma + theta_max(U)) / H) - 1``, the bound for the balanced layers."""
    return float(np.expm1(rate_constant(R) / _depth(H)))


def layer_product(layers) -> np.ndarray:
    """``(I + W_H) ... (I + W_1)``: ``W_1`` acts on the input first."""
    product = np.eye(layers[0].shape[0])
    for W in layers:
        product = (np.eye(W.shape[0]) + W) @ product
    return product


def product_error(R, layers) -> float:
    """Relative spectral error ``||(I + W_H) ... (I + W_1) - R||_2 / ||R||_2``."""
    R = np.asarray(R, dtype=float)
    return float(np.linalg.norm(layer_product(layers) - R, 2) / np.linalg.norm(R, 2))


def max_layer_norm(layers) -> float:
    """``max_k ||W_k||_2``."""
    return float(np.max(np.linalg.norm(np.stack(layers), ord=2, axis=(1, 2))))


def rate_constant(R) -> float:
    """``c(R) = gamma + theta_max(U)`` for the polar factor ``U`` of ``R``."""
    polar = polar_factors(R)
    return polar.gamma + max_rotation_angle(polar.orthogonal)


def construction_bound(R, H) -> float:
    """The proved bound on ``max_k ||W_k||_2`` of :func:`construct_layers`.

    ``exp(c / (H - 1)) - 1`` with ``c = gamma + theta_max(U)`` for ``H >= 2``,
    sharpened to ``exp(gamma / H) - 1`` when ``U = I`` and to ``theta_max / H`` when
    ``P = I`` (within :data:`IDENTITY_TOLERANCE`, as in :func:`plan_layers`);
    ``||R - I||_2`` for ``H = 1``.
    """
    H = _depth(H)
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    if H == 1:
        return float(np.linalg.norm(R - np.eye(R.shape[0]), 2))
    gamma, theta = polar.gamma, max_rotation_angle(polar.orthogonal)
    positive_is_identity, orthogonal_is_identity = _identity_factors(polar, theta)
    if positive_is_identity:
        return theta / H
    if orthogonal_is_identity:
        return float(np.expm1(gamma / H))
    return float(np.expm1((gamma + theta) / (H - 1)))


def hardt_ma_bound(R, H) -> float:
    """Hardt & Ma (2017), Theorem 2.1: ``2 (sqrt(pi) + sqrt(3 gamma))^2 / H``.

    Their theorem asserts a solution with this norm when ``H >= 3 gamma``; the
    value is returned for every ``H`` and the caller restricts the range.
    """
    gamma = polar_factors(R).gamma
    return 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / _depth(H)


def turning_angles(R, X) -> np.ndarray:
    """Angles ``angle(x, R x)`` in ``[0, pi]`` for the columns ``x`` of ``X``."""
    R = np.asarray(R, dtype=float)
    X = X / np.linalg.norm(X, axis=0)
    Y = R @ X
    cosine_part = np.sum(X * Y, axis=0)
    sine_part = np.linalg.norm(Y - X * cosine_part, axis=0)
    return np.arctan2(sine_part, cosine_part)


def turning_angle_certificate(R) -> float:
    """A certified lower bound on ``Theta(R) = max_{x != 0} angle(x, R x)``.

    Every vector ``x`` gives ``Theta(R) >= angle(x, R x)``; the candidates are
    :data:`ANGLE_GRID` directions in each rotation plane of the polar factor
    ``U`` and in each real invariant plane of ``R`` (real and imaginary part of
    a complex eigenvector), the eigenvectors of ``P`` compressed to each
    rotation plane of ``U`` (they attain ``theta_max(U)`` when ``R`` is normal),
    and the coordinate vectors.
    """
    R = _square_matrix(R, "R")
    polar = polar_factors(R)
    form = rotation_form(polar.orthogonal)
    P = (polar.right_vectors * polar.singular_values) @ polar.right_vectors.T
    planes = [form.basis[:, 2 * j : 2 * j + 2] for j in range(len(form.angles))]
    candidates = [np.eye(R.shape[0])]
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

TABLE_DEPTH = 1001
"""Depth at which the table reports ``H * max_k ||W_k||``."""

FIGURE_DEPTH_MAX = 1000
"""Largest depth in the rate figure."""

NEAR_SINGULAR_VALUES = (2.0, 1e-3, 1e-8)
"""Singular values of the nearly singular test matrix."""

POWER_EXPONENTS = np.concatenate([np.logspace(-4, 0, 41), [-1, -3 / 10, 3 / 2, 2, 37 / 10]])
"""Exponents ``alpha`` of the orthogonal-power check (negative and > 1 too)."""

ROOT_ORDERS = (1, 2, 3, 5, 8, 100)
"""Orders ``m`` of the check ``(U^{1/m})^m = U``."""

TABLE_ROWS = ("gaussian", "no_real_root", "nearly_singular", "normal", "shear")
"""Test matrices reported in the table of the write-up."""

NORMAL_MATRICES = ("no_real_root", "normal", "spd", "orthogonal_minus_one", "minus_identity")
POSITIVE_DEFINITE_MATRICES = ("spd", "scalar_large", "scalar_small")
ORTHOGONAL_MATRICES = ("orthogonal_minus_one", "minus_identity", "random_rotation")


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
    ``1 x 1``, large (``d = 40``), symmetric positive definite, the identity,
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
        "gaussian_large": _positive_determinant(rng.standard_normal((40, 40)) / np.sqrt(40)),
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


def sweep_depths(R, depths) -> DepthSweep:
    """Build both constructions of ``R`` at each depth and measure them.

    ``split_bound`` is :func:`construction_bound` (``nan`` at ``H = 1``, where
    no bound is claimed beyond ``||R - I||``), ``hardt_ma`` is ``nan`` where
    Hardt & Ma's theorem does not apply (``H < 3 gamma``).
    """
    depths = np.asarray(depths, dtype=int)
    split_norm, balanced_norm, split_error, balanced_error = [], [], [], []
    for H in depths:
        split = construct_layers(R, int(H))
        balanced = construct_balanced_layers(R, int(H))
        split_norm.append(max_layer_norm(split))
        balanced_norm.append(max_layer_norm(balanced))
        split_error.append(product_error(R, split))
        balanced_error.append(product_error(R, balanced))
    polar = polar_factors(R)
    gamma, theta = polar.gamma, max_rotation_angle(polar.orthogonal)
    split_bound = np.array([construction_bound(R, int(H)) if H > 1 else np.nan for H in depths])
    hardt_ma = np.array([hardt_ma_bound(R, int(H)) if H >= 3 * gamma else np.nan for H in depths])
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
    """Compare :func:`orthogonal_power` with the proved identities.

    ``formula_error``: max over ``U`` and ``alpha`` of
    ``| ||U^alpha - I||_2 - max_j 2|sin(alpha theta_j / 2)| |`` with ``U^alpha - I``
    from :func:`orthogonal_power_minus_identity`;
    ``bound_ratio``: max of ``||U^alpha - I||_2 / (|alpha| theta_max)``;
    ``root_error``: max of ``||(U^{1/m})^m - U||_2``;
    ``orthogonality_error``: max of ``||X^T X - I||_2`` and ``|det X - 1|`` for
    ``X = U^alpha``.
    """
    formula_error = bound_ratio = root_error = orthogonality_error = 0.0
    for U in unitaries:
        angles = rotation_angles(U)
        theta = float(angles[0]) if angles.size else 0.0
        identity = np.eye(U.shape[0])
        for alpha in exponents:
            X = orthogonal_power(U, alpha)
            distance = np.linalg.norm(orthogonal_power_minus_identity(U, alpha), 2)
            formula_error = max(formula_error, abs(distance - power_distance_formula(angles, alpha)))
            if theta > 0:
                bound_ratio = max(bound_ratio, distance / (abs(alpha) * theta))
            orthogonality_error = max(
                orthogonality_error,
                np.linalg.norm(X.T @ X - identity, 2),
                abs(np.linalg.det(X) - 1.0),
            )
        for m in root_orders:
            root = orthogonal_power(U, 1.0 / m)
            root_error = max(root_error, np.linalg.norm(np.linalg.matrix_power(root, m) - U, 2))
    return PowerCheck(
        float(formula_error), float(bound_ratio), float(root_error), float(orthogonality_error)
    )


def plot_layer_norms(sweeps: dict[str, DepthSweep], titles: dict[str, str], path: Path) -> None:
    """``max_k ||W_k||_2`` against ``H`` (log-log), one panel per matrix.

    Both constructions, the proved upper bounds, the lower bound valid for
    every factorization, and Hardt & Ma's bound where their theorem applies.
    """
    with figstyle.figure(width=1.0, aspect=0.4, ncols=len(sweeps)) as (fig, axes):
        for ax, (name, sweep) in zip(np.atleast_1d(axes), sweeps.items()):
            H = sweep.depths
            series = [
                (sweep.split_norm, "split construction", dict(marker="o", linestyle="none")),
                (sweep.balanced_norm, "balanced variant", dict(marker="x", linestyle="none")),
                (sweep.split_bound, r"bound $e^{c/(H-1)}-1$", dict(linestyle="-")),
                (sweep.lower, "lower bound (any factorization)", dict(linestyle="--")),
                (sweep.hardt_ma, "Hardt & Ma, Thm 2.1", dict(linestyle=":")),
            ]
            for (values, label, style), color in zip(series, figstyle.COLORS):
                ax.loglog(H, values, color=color, label=label, **style)
            ax.axhline(1.0, color=figstyle.COLORS[5], linewidth=0.5)
            ax.set_title(titles[name])
            ax.set_xlabel(r"depth $H$")
            ax.set_ylim(1e-3, 1e2)
        np.atleast_1d(axes)[0].set_ylabel(r"$\max_k \|W_k\|_2$")
        handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncols=3)
        figstyle.save(fig, path)


def plot_orthogonal_power(unitaries: dict[str, np.ndarray], titles: dict[str, str], path: Path) -> None:
    """``||U^alpha - I||_2`` against ``alpha`` (log-log) with ``|alpha| theta_max``."""
    alphas = np.logspace(-3, 0, 61)
    with figstyle.figure(width=0.62, aspect=0.72) as (fig, ax):
        for (name, U), color in zip(unitaries.items(), figstyle.COLORS):
            theta = max_rotation_angle(U)
            distance = [np.linalg.norm(orthogonal_power_minus_identity(U, a), 2) for a in alphas]
            ax.loglog(alphas[::4], distance[::4], marker="o", linestyle="none", color=color,
                      label=titles[name])
            ax.loglog(alphas, alphas * theta, color=color, linestyle="-", linewidth=0.7)
        ax.plot([], [], color=figstyle.COLORS[5], linestyle="-", linewidth=0.7,
                label=r"bound $\alpha\,\theta_{\max}$")
        ax.set_xlabel(r"exponent $\alpha$")
        ax.set_ylabel(r"$\|U^\alpha - I\|_2$")
        ax.legend(loc="upper left")
        figstyle.save(fig, path)


class SweepSummary(NamedTuple):
    """Worst cases over all test matrices and depths (see :func:`summarize_sweeps`)."""

    split_error: float
    balanced_error: float
    split_bound_ratio: float
    balanced_bound_ratio: float
    lower_ratio: float
    positive_definite_gap: float
    orthogonal_gap: float
    normal_ratio: float
    hardt_ma_ratio: float
    pairs: int


def summarize_sweeps(sweeps: dict[str, DepthSweep]) -> SweepSummary:
    """Reduce the sweeps to the numbers the write-up checks.

    * ``split_error``, ``balanced_error``: worst relative product error;
    * ``split_bound_ratio``: max of ``max_k ||W_k|| / (e^{c/(H-1)} - 1)`` over
      ``H >= 2`` (sharpened bound when a polar factor is ``I``);
      ``balanced_bound_ratio``: the same for the balanced variant and
      ``e^{c/H} - 1`` over all ``H``;
    * ``lower_ratio``: min over both constructions of ``max_k ||W_k|| / lower``;
    * ``positive_definite_gap``: max of ``|split / lower - 1|`` for symmetric
      positive definite ``R`` (the construction is exactly optimal there);
    * ``orthogonal_gap``: max of ``|cos(theta/(2H)) split / lower - 1|`` for
      orthogonal ``R`` and ``H >= 2`` (the ratio is exactly ``1/cos(theta/(2H))``);
    * ``normal_ratio``: max of ``split / lower`` at the largest depth over
      normal ``R`` (asymptotically at most 2);
    * ``hardt_ma_ratio``: max of ``split / (Hardt-Ma bound)`` over ``H >= 3 gamma``.

    The identity is left out of the ratios (there both sides vanish).
    """
    nontrivial = {k: s for k, s in sweeps.items() if s.gamma + s.theta_max > 0}
    orthogonal_gap = max(
        np.max(np.abs(np.cos(s.theta_max / (2 * s.depths[1:])) * s.split_norm[1:] / s.lower[1:] - 1))
        for k, s in sweeps.items()
        if k in ORTHOGONAL_MATRICES
    )
    return SweepSummary(
        split_error=max(np.max(s.split_error) for s in sweeps.values()),
        balanced_error=max(np.max(s.balanced_error) for s in sweeps.values()),
        split_bound_ratio=max(np.nanmax(s.split_norm / s.split_bound) for s in nontrivial.values()),
        balanced_bound_ratio=max(np.max(s.balanced_norm / s.balanced_bound) for s in nontrivial.values()),
        lower_ratio=min(
            np.min(np.minimum(s.split_norm, s.balanced_norm) / s.lower) for s in nontrivial.values()
        ),
        positive_definite_gap=max(
            np.max(np.abs(s.split_norm / s.lower - 1))
            for k, s in sweeps.items()
            if k in POSITIVE_DEFINITE_MATRICES
        ),
        orthogonal_gap=float(orthogonal_gap),
        normal_ratio=max(s.split_norm[-1] / s.lower[-1] for k, s in sweeps.items() if k in NORMAL_MATRICES),
        hardt_ma_ratio=max(np.nanmax(s.split_norm / s.hardt_ma) for s in nontrivial.values()
                           if np.any(np.isfinite(s.hardt_ma))),
        pairs=sum(len(s.depths) for s in sweeps.values()),
    )


TABLE_TITLES = {
    "gaussian": "Gaussian $5\\times 5$",
    "no_real_root": "$\\operatorname{diag}(-1,-2)$",
    "nearly_singular": "nearly singular",
    "normal": "normal $5\\times 5$",
    "shear": "shear",
}

FIGURE_ROWS = ("gaussian", "no_real_root", "nearly_singular")

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

    led.claim("product_error_max", summary.split_error, at_most(1e-10), source=summarize_sweeps,
              description="worst relative product error of the split construction")
    led.claim("balanced_product_error_max", summary.balanced_error, at_most(1e-10),
              source=summarize_sweeps,
              description="worst relative product error of the balanced variant")
    led.claim("split_bound_excess", summary.split_bound_ratio - 1, at_most(1e-12),
              source=summarize_sweeps,
              description="largest relative excess of the layer norm over its proved bound, split construction")
    led.claim("balanced_bound_excess", summary.balanced_bound_ratio - 1, at_most(1e-12),
              source=summarize_sweeps,
              description="largest relative excess of the layer norm over its proved bound, balanced variant")
    led.claim("lower_shortfall", 1 - summary.lower_ratio, at_most(1e-9), source=summarize_sweeps,
              description="largest relative shortfall of the layer norm below the lower bound, both constructions")
    led.claim("spd_gap", summary.positive_definite_gap, at_most(1e-12), source=summarize_sweeps,
              description="largest relative gap to the lower bound, positive definite test matrices")
    led.claim("orthogonal_gap", summary.orthogonal_gap, at_most(1e-9), source=summarize_sweeps,
              description="largest deviation of the ratio to the lower bound from its exact value, orthogonal test matrices")
    led.claim("normal_ratio_max", summary.normal_ratio, at_most(2.0), source=summarize_sweeps,
              description="largest ratio to the lower bound at the largest depth, normal test matrices",
              style="fixed", digits=3)
    led.claim("hardt_ma_ratio_max", summary.hardt_ma_ratio, at_most(0.5), source=summarize_sweeps,
              description="largest ratio to the bound of Hardt and Ma where their theorem applies",
              style="fixed", digits=3)

    for row in TABLE_ROWS:
        R = matrices[row]
        label = row.replace("_", " ")
        table_sweep = sweep_depths(R, [TABLE_DEPTH])
        gamma_ref, theta_ref = spectral_reference(R)
        c = table_sweep.gamma + table_sweep.theta_max
        H = TABLE_DEPTH
        gamma_range = (
            _round_to_significant(gamma_ref - 1e-5, 5, upward=False),
            _round_to_significant(gamma_ref + 1e-5, 5, upward=True),
        )
        theta_range = (
            _round_to_significant(theta_ref - 1e-5, 5, upward=False),
            _round_to_significant(theta_ref + 1e-5, 5, upward=True),
        )
        led.claim(f"{row}_gamma", table_sweep.gamma, between(*gamma_range),
                  source=sweep_depths, description=f"gamma of the {label} test matrix, against the norms of the matrix and its inverse",
                  style="fixed", digits=3)
        led.claim(f"{row}_theta", table_sweep.theta_max, between(*theta_range),
                  source=max_rotation_angle,
                  description=f"largest rotation angle of the orthogonal polar factor of the {label} test matrix, against its eigenvalues",
                  style="fixed", digits=3)
        split_scaled = H * table_sweep.split_norm[0]
        balanced_scaled = H * table_sweep.balanced_norm[0]
        led.claim(f"{row}_split_scaled", split_scaled, at_most(_round_to_significant(H * np.expm1(c / (H - 1)), 4, upward=True)),
                  source=sweep_depths, description=f"depth times the largest layer norm, split construction, {label} test matrix",
                  style="fixed", digits=3)
        led.claim(f"{row}_balanced_scaled", balanced_scaled, at_most(_round_to_significant(H * np.expm1(c / H), 4, upward=True)),
                  source=sweep_depths, description=f"depth times the largest layer norm, balanced variant, {label} test matrix",
                  style="fixed", digits=3)
        led.claim(f"{row}_lower_scaled", H * table_sweep.lower[0],
                  at_most(_round_to_significant(min(split_scaled, balanced_scaled), 4, upward=True)),
                  source=lower_bound_curve,
                  description=f"depth times the lower bound, {label} test matrix", style="fixed", digits=3)
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
              description="largest relative excess of the distance of a power from the identity over the linear bound")
    led.claim("power_root_error", power.root_error, at_most(1e-12), source=check_orthogonal_powers,
              description="largest error of the m-th power of the m-th root")
    led.claim("power_orthogonality_error", power.orthogonality_error, at_most(1e-12),
              source=check_orthogonal_powers, description="largest orthogonality or determinant defect of the powers")

    depths = np.unique(np.round(np.logspace(0, np.log10(FIGURE_DEPTH_MAX), 31)).astype(int))
    figure_sweeps = {name: sweep_depths(matrices[name], depths) for name in FIGURE_ROWS}
    plot_layer_norms(figure_sweeps, TABLE_TITLES, figures_dir / "p2_layer_norms.pdf")
    led.figure("layer_norms", "p2_layer_norms.pdf", source=plot_layer_norms)
    plot_orthogonal_power({k: unitaries[k] for k in POWER_TITLES}, POWER_TITLES,
                          figures_dir / "p2_orthogonal_power.pdf")
    led.figure("orthogonal_power", "p2_orthogonal_power.pdf", source=plot_orthogonal_power)
    return led
