"""The test matrices of Problem 2's numerical checks, and their groups.

``R`` with ``det R > 0`` for the constructions and bounds, orthogonal ``U``
with ``det U = 1`` for the fact; the groups name the matrices for which the
write-up proves something sharper (normal, positive definite, orthogonal).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

LARGE_DIMENSION = 20
"""Dimension of the largest (Gaussian) test matrix."""

NEAR_SINGULAR_VALUES = (2.0, 1e-3, 1e-8)
"""Singular values of the nearly singular test matrix."""

SMALL_SCALAR = 1 / 20
"""The ``1 x 1`` test matrix ``(SMALL_SCALAR)``, far below the identity."""

SMALL_ANGLES = (1 / 10, 1 / 30)
"""Rotation angles of the test matrix ``U`` with small angles only."""

NORMAL_MATRICES = ("no_real_root", "normal", "spd", "orthogonal_minus_one", "minus_identity")
POSITIVE_DEFINITE_MATRICES = ("spd", "scalar_large", "scalar_small")
ORTHOGONAL_MATRICES = ("orthogonal_minus_one", "minus_identity", "random_rotation")
COMMUTING_GENERATOR_MATRICES = ("normal", "spd", "scalar_large", "scalar_small") + ORTHOGONAL_MATRICES
"""Normal test matrices whose ``log U`` commutes with ``P``: no eigenvalue ``-1`` of ``U``, or ``P = I``."""


def plane_rotation(angle: float) -> np.ndarray:
    """``Rot(angle) = [[cos, -sin], [sin, cos]]``."""
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
        "scalar_small": np.array([[SMALL_SCALAR]]),
        "gaussian_large": _positive_determinant(
            rng.standard_normal((LARGE_DIMENSION, LARGE_DIMENSION)) / np.sqrt(LARGE_DIMENSION)
        ),
        "identity": np.eye(3),
    }


def example_unitaries(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Orthogonal matrices with determinant 1 for the check of the fact.

    ``-I_4``; a conjugated ``blockdiag(-I_4, Rot(2), 1)`` (LAPACK returns its
    ``-1`` eigenvalues as 1x1 blocks); ``blockdiag(Rot(pi), Rot(1))`` with ``Rot(pi)``
    rounded (returned as a 2x2 block); a random element of ``SO(6)``;
    conjugated ``blockdiag(Rot(1), Rot(1/2), 1)`` and ``blockdiag(Rot(1/10),
    Rot(1/30), 1)`` (:data:`SMALL_ANGLES`); and ``I_1``.
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
        @ scipy.linalg.block_diag(*map(plane_rotation, SMALL_ANGLES), [[1.0]])
        @ Q5,
        "one_by_one": np.eye(1),
    }
