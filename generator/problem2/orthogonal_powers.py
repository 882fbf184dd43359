"""Real powers ``U^alpha`` of an orthogonal ``U`` with ``det U = 1`` (the fact of Problem 2).

``U^alpha`` is read off the real normal form ``U = Q blockdiag(Rot(phi_j), I) Q^T``
(rotation blocks, with eigenvalues ``-1`` paired into rotations by ``pi``),
which also gives the rotation angles ``phi_j``, ``phi_max(U)`` and the real
logarithm ``log U`` of ``U``; ``||U^alpha - I||_2 = max_j 2 |sin(alpha phi_j / 2)|
<= |alpha| phi_max``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator.problem2.validation import _square_matrix

ORTHOGONALITY_TOLERANCE = 1e-10
""":func:`orthogonal_power` accepts ``U`` with ``||U^T U - I||_2`` and
``|det U - 1|`` at most this."""


class RotationForm(NamedTuple):
    """``U = basis @ blockdiag(Rot(angles[0]), ..., Rot(angles[-1]), I) @ basis.T``.

    ``Rot(t) = [[cos t, -sin t], [sin t, cos t]]``; plane ``j`` is spanned by the
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
    as two 1x1 blocks or as a 2x2 block close to ``Rot(pi)``; both are handled.
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
    """The rotation angles ``|phi_j|`` in ``(0, pi]`` of ``U``, descending.

    The eigenvalues of ``U`` other than ``1`` are ``exp(+-i phi_j)``.
    """
    return np.sort(np.abs(rotation_form(U, tol).angles))[::-1]


def max_rotation_angle(U, tol: float = ORTHOGONALITY_TOLERANCE) -> float:
    """``phi_max(U) = max_j |phi_j|`` (``0`` for ``U = I``)."""
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
    """``U^alpha = Q blockdiag(Rot(alpha phi_j), I) Q^T`` for ``U`` in ``SO(d)``.

    With the normal form ``U = Q blockdiag(Rot(phi_j), I) Q^T`` of
    :func:`rotation_form` (``phi_j`` in ``(-pi, pi]``), ``U^alpha`` is real,
    orthogonal, has determinant 1, satisfies ``U^a U^b = U^(a+b)`` and
    ``(U^(1/m))^m = U``, and ``||U^alpha - I||_2 = max_j 2 |sin(alpha phi_j / 2)|
    <= |alpha| phi_max <= |alpha| pi`` (the fact of Problem 2).  When ``-1`` is an
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

    ``Rot(t) - I = [[-2 sin^2(t/2), -sin t], [sin t, -2 sin^2(t/2)]]`` is formed
    without cancellation, so the result has small *relative* error even for
    ``|alpha| phi_max`` near rounding level (forming ``U^alpha`` and subtracting
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
    """``log U = Q blockdiag(phi_1 J, ..., phi_n J, 0) Q^T`` with ``J = [[0, -1], [1, 0]]``.

    ``log U`` is skew-symmetric with ``||log U||_2 = phi_max``, ``exp(log U) = U`` (as
    ``exp(t J) = Rot(t)``), and ``H (U^{1/H} - I) -> log U`` with error at most
    ``phi_max^2 / (2 H)`` for the powers of the same normal form.
    """
    Q = form.basis
    return Q @ _plane_blocks(np.zeros_like(form.angles), form.angles, Q.shape[0], rest=0.0) @ Q.T


def power_distance_formula(angles, alpha: float) -> float:
    """``max_j 2 |sin(alpha phi_j / 2)|``, the exact ``||U^alpha - I||_2``."""
    angles = np.asarray(angles, dtype=float)
    return float(np.max(2 * np.abs(np.sin(alpha * angles / 2)), initial=0.0))
