"""A lower bound on ``max_k ||W_k||_2`` that every factorization of ``R`` obeys.

Its angle term needs a certified lower bound on the largest turning angle
``angle(R) = max_{x != 0} angle(x, R x)``: the turning-angle lemma gives the
vector ``P^{-1/2} v`` with ``angle(x, R x) >= min(phi_max(U), pi/2)`` for
every ``R`` with ``det R > 0``, and the certificate tries further candidates.
"""

from __future__ import annotations

import numpy as np

from generator.problem2.orthogonal_powers import rotation_form
from generator.problem2.polar import polar_factors
from generator.problem2.validation import _depth, _square_matrix

ANGLE_GRID = 720
"""Directions tried per plane by :func:`turning_angle_certificate`."""


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

    With ``R = U P`` (polar), ``U_tilde = P^{-1/2} U P^{1/2}`` (similar to ``U``) and a
    unit eigenvector ``v`` of ``(U_tilde + U_tilde^T) / 2`` for its smallest eigenvalue, the
    vector ``x = P^{-1/2} v`` satisfies ``angle(x, R x) >= min(phi_max(U), pi/2)``
    whenever ``det R > 0`` (proved in the write-up).  Batched: one SVD and one
    symmetric eigensolve per matrix; no validation (callers pass ``det R > 0``).
    """
    left, sigma, right_t = np.linalg.svd(np.asarray(R, dtype=float))
    right = np.swapaxes(right_t, -1, -2)
    root = np.sqrt(sigma)[..., None, :]
    positive_half = (right * root) @ right_t
    positive_inverse_half = (right / root) @ right_t
    U_tilde = positive_inverse_half @ (left @ right_t) @ positive_half
    _, eigenvectors = np.linalg.eigh((U_tilde + np.swapaxes(U_tilde, -1, -2)) / 2)
    return (positive_inverse_half @ eigenvectors[..., :, :1])[..., 0]


def turning_angle_certificate(R) -> float:
    """A certified lower bound on ``angle(R) = max_{x != 0} angle(x, R x)``.

    Every vector ``x`` gives ``angle(R) >= angle(x, R x)``; the candidates are
    the vector of :func:`turning_vectors` (which guarantees at least
    ``min(phi_max(U), pi/2)``), :data:`ANGLE_GRID` directions in each rotation
    plane of the polar factor ``U`` and in each real invariant plane of ``R``
    (real and imaginary part of a complex eigenvector), the eigenvectors of ``P``
    compressed to each rotation plane of ``U`` (they attain ``phi_max(U)`` when
    ``R`` is normal and only one rotation block has the angle ``phi_max``, since
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


def lower_bound_curve(R, depths, angle: float | None = None) -> np.ndarray:
    """Lower bounds on ``max_k ||W_k||_2`` over all real factorizations of ``R``.

    For any ``W_1..W_H`` with ``(I + W_H)...(I + W_1) = R`` and
    ``max_k ||W_k||_2 <= delta``::

        delta >= sigma_max^{1/H} - 1,   delta >= 1 - sigma_min^{1/H},
        delta >= (1 + ||R - I||_2)^{1/H} - 1,
        delta >= sin(min(angle(R) / H, pi / 2)),

    with ``angle(R)`` replaced by the certificate of
    :func:`turning_angle_certificate` (a smaller angle keeps the bound valid),
    or by ``angle`` when the caller has computed that certificate already.
    Returns the largest of the four, one value per depth in ``depths``.
    """
    depths = np.asarray([_depth(H) for H in np.atleast_1d(depths)], dtype=float)
    R = _square_matrix(R, "R")
    sigma = polar_factors(R).singular_values
    distance = np.linalg.norm(R - np.eye(R.shape[0]), 2)
    if angle is None:
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
