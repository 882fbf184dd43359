"""Independent references for Problem 2's claims.

Each function here computes what a claim is compared with by a route that
shares no code with the construction: ``gamma`` from the norms of ``R`` and
``R^{-1}``, the rotation angles from the eigenvalues of ``U``
(:func:`numpy.linalg.eigvals`, no Schur form), the principal powers and the
principal logarithm of ``U`` from its complex eigendecomposition
(:func:`numpy.linalg.eig`), ``log P`` from the symmetric eigendecomposition of
the polar factor of :func:`scipy.linalg.polar`, and the lemma's turning angle
against ``phi_max`` from those eigenvalues.  (SciPy's Schur--Pade
``fractional_matrix_power`` and ``logm`` would do too, but they are two orders
of magnitude slower.)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator.problem2.lower_bound import _turning_angles_batched, turning_vectors
from generator.problem2.orthogonal_powers import powers_from_form, powers_minus_identity_from_form, rotation_form

MINUS_ONE_DISTANCE = 1e-6
"""A matrix ``U`` whose eigenvalues all lie farther than this from ``-1`` has a
unique principal logarithm and principal powers, the ones the normal form
with angles in ``(-pi, pi)`` gives."""


ROTATION_FLOOR = 1e-6
"""Ratios to ``phi_max`` are taken over ``U`` (or ``R``) with ``phi_max`` above this
(``phi_max`` of a positive definite ``R`` is rounding noise, and the ratio is 0/0 for ``U = I``)."""


def spectral_reference(R) -> tuple[float, float]:
    """``(gamma, phi_max)`` by routes independent of the construction.

    ``gamma = max(log ||R||_2, log ||R^{-1}||_2)`` (norms, no SVD of the polar
    factor; equal to ``max_i |log sigma_i|`` because ``||R^{-1}||_2 = 1 /
    sigma_min``) and ``phi_max = max |arg lambda|`` over the eigenvalues
    ``lambda`` of the orthogonal polar factor ``U`` (:func:`scipy.linalg.polar`,
    then :func:`numpy.linalg.eigvals`; no Schur form).
    """
    R = np.asarray(R, dtype=float)
    gamma = max(np.log(np.linalg.norm(R, 2)), np.log(np.linalg.norm(np.linalg.inv(R), 2)))
    U, _ = scipy.linalg.polar(R)
    return float(gamma), float(np.max(np.abs(eigenvalue_angles(U))))


def eigenvalue_angles(U) -> np.ndarray:
    """``|arg lambda|`` in ``[0, pi]`` for every eigenvalue ``lambda`` of ``U``.

    For ``U`` in ``SO(d)`` these are the angles ``phi_j`` of any real normal
    form, each twice, and ``0`` for the eigenvalues ``1``; computed by the
    general eigensolver, independently of the Schur form.
    """
    return np.abs(np.angle(np.linalg.eigvals(np.asarray(U, dtype=float))))


def has_principal_logarithm(U) -> bool:
    """Whether no eigenvalue of ``U`` lies within :data:`MINUS_ONE_DISTANCE` of ``-1``."""
    return bool(np.min(np.abs(np.linalg.eigvals(np.asarray(U, dtype=float)) + 1)) > MINUS_ONE_DISTANCE)


def principal_powers(U, exponents) -> np.ndarray:
    """``exp(alpha Log U)`` for each ``alpha``, from the eigendecomposition ``U = V diag(lambda) V^{-1}``.

    ``Log`` is the principal logarithm: ``lambda^alpha = exp(i alpha arg lambda)``
    with ``arg`` in ``(-pi, pi)``, so that ``U`` orthogonal without eigenvalue
    ``-1`` has a real result (Higham, *Functions of Matrices*, Thm 1.31); the
    imaginary part left by rounding is dropped.  ``U`` is normal, so ``V`` is
    well conditioned.  An exponent ``0`` gives ``I``.

    Raises
    ------
    ValueError
        If ``U`` has an eigenvalue within :data:`MINUS_ONE_DISTANCE` of ``-1``.
    """
    U = np.asarray(U, dtype=float)
    eigenvalues, V = np.linalg.eig(U)
    if np.min(np.abs(eigenvalues + 1)) <= MINUS_ONE_DISTANCE:
        raise ValueError("U has an eigenvalue -1: it has no real principal logarithm")
    turns = np.exp(1j * np.multiply.outer(np.asarray(exponents, dtype=float), np.angle(eigenvalues)))
    return np.real((V * turns[:, None, :]) @ np.linalg.inv(V))


def balanced_constant_reference(R) -> float:
    """``||Log U + log P||_2`` with the principal logarithm of ``U``, from eigendecompositions.

    ``R = U P`` from :func:`scipy.linalg.polar`; ``Log U`` is the derivative at
    ``0`` of :func:`principal_powers`, ``V diag(i arg lambda) V^{-1}``, and
    ``log P`` comes from :func:`numpy.linalg.eigh`.  When ``U`` has no eigenvalue
    ``-1`` the logarithm fixed by the normal form is this principal one (its
    angles lie in ``(-pi, pi)``).

    Raises
    ------
    ValueError
        If ``U`` has an eigenvalue within :data:`MINUS_ONE_DISTANCE` of ``-1``.
    """
    U, P = scipy.linalg.polar(np.asarray(R, dtype=float))
    eigenvalues, V = np.linalg.eig(U)
    if np.min(np.abs(eigenvalues + 1)) <= MINUS_ONE_DISTANCE:
        raise ValueError("U has an eigenvalue -1: its real logarithm depends on the normal form")
    log_U = np.real((V * (1j * np.angle(eigenvalues))) @ np.linalg.inv(V))
    scales, W = np.linalg.eigh(P)
    return float(np.linalg.norm(log_U + (W * np.log(scales)) @ W.T, 2))


def minus_identity_balanced_constant(gamma_shift: float) -> float:
    """``||log U + log P||_2`` for ``R = diag(-1, -e^{gamma_shift})``, in closed form.

    Here ``U = -I_2``, every real logarithm fixed by a normal form is ``+-pi J``,
    and ``log P = diag(0, g)`` with ``g = gamma_shift``; the matrix
    ``[[0, -+pi], [+-pi, g]]`` has the largest singular value
    ``(g + sqrt(4 pi^2 + g^2)) / 2`` whatever the sign (its Gram matrix has
    trace ``2 pi^2 + g^2`` and determinant ``pi^4``).
    """
    return float((gamma_shift + np.hypot(2 * np.pi, gamma_shift)) / 2)


class PowerCheck(NamedTuple):
    """Worst cases of the orthogonal-power identities over a set of ``U``."""

    formula_error: float
    bound_ratio: float
    principal_error: float
    root_error: float
    orthogonality_error: float


def check_orthogonal_powers(unitaries, exponents, root_orders) -> PowerCheck:
    """Compare the powers ``U^alpha`` of the normal form with independent references.

    One normal form per ``U`` (:func:`rotation_form`), all exponents in a batch
    (:func:`orthogonal_power` is the same computation for one exponent); the
    angles ``phi_j`` of the references come from :func:`eigenvalue_angles`, not
    from the normal form.

    * ``formula_error``: max of ``| ||U^alpha - I||_2 - max_j 2|sin(alpha phi_j / 2)| |``;
    * ``bound_ratio``: max of ``||U^alpha - I||_2 / (|alpha| phi_max)`` over ``U != I``;
    * ``principal_error``: max of ``||U^alpha - F||_2`` with ``F`` the principal
      power of :func:`principal_powers`, over the ``U`` without eigenvalue ``-1``
      (for these the normal form's angles lie in ``(-pi, pi)``, so ``U^alpha`` is
      the principal power);
    * ``root_error``: max of ``||(U^{1/h})^h - U||_2`` (:func:`numpy.linalg.matrix_power`);
    * ``orthogonality_error``: max of ``||X^T X - I||_2`` and ``|det X - 1|`` for ``X = U^alpha``.
    """
    exponents = np.asarray(exponents, dtype=float)
    formula_error = bound_ratio = principal_error = root_error = orthogonality_error = 0.0
    for U in unitaries:
        form = rotation_form(U)
        angles = eigenvalue_angles(U)
        powers = powers_from_form(form, exponents)
        distance = np.linalg.norm(powers_minus_identity_from_form(form, exponents), ord=2, axis=(1, 2))
        formula = np.max(2 * np.abs(np.sin(np.multiply.outer(exponents, angles) / 2)), axis=1)
        formula_error = max(formula_error, float(np.max(np.abs(distance - formula))))
        if np.max(angles) > ROTATION_FLOOR:
            bound_ratio = max(bound_ratio, float(np.max(distance / (np.abs(exponents) * np.max(angles)))))
        if has_principal_logarithm(U):
            principal = np.linalg.norm(powers - principal_powers(U, exponents), ord=2, axis=(1, 2))
            principal_error = max(principal_error, float(np.max(principal)))
        defect = np.linalg.norm(np.swapaxes(powers, 1, 2) @ powers - np.eye(U.shape[0]), ord=2, axis=(1, 2))
        orthogonality_error = max(
            orthogonality_error, float(np.max(defect)), float(np.max(np.abs(np.linalg.det(powers) - 1.0)))
        )
        roots = powers_from_form(form, 1 / np.asarray(root_orders, dtype=float))
        for h, root in zip(root_orders, roots):
            root_error = max(root_error, float(np.linalg.norm(np.linalg.matrix_power(root, h) - U, 2)))
    return PowerCheck(formula_error, bound_ratio, principal_error, root_error, orthogonality_error)


def _turning_ratios(R: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``angle(x, R x) / min(phi, pi/2)`` for the lemma's vectors, over a stack."""
    return _turning_angles_batched(R, turning_vectors(R)) / np.minimum(phi, np.pi / 2)


def turning_ratio(matrices) -> float:
    """Smallest ``angle(x, R x) / min(phi_max(U), pi/2)`` over ``matrices``.

    ``x`` is the vector of :func:`turning_vectors`; ``phi_max`` comes from
    :func:`spectral_reference` (eigenvalues of ``U``), not from the normal form;
    matrices with ``phi_max <=`` :data:`ROTATION_FLOOR` are skipped.
    """
    smallest = np.inf
    for R in matrices:
        _, phi = spectral_reference(R)
        if phi > ROTATION_FLOOR:
            smallest = min(smallest, float(_turning_ratios(np.asarray(R, dtype=float), np.array(phi))))
    return smallest


def random_turning_matrices(rng: np.random.Generator, count: int, dimensions) -> list[np.ndarray]:
    """``count`` random ``R`` with ``det R > 0`` per dimension, one stack ``(count, d, d)`` per ``d``.

    Gaussian with rows scaled by ``exp(u)``, ``u`` uniform on ``[-2, 2]``
    (non-normal, varied conditioning), first row negated when ``det < 0``.
    """
    stacks = []
    for d in dimensions:
        R = rng.standard_normal((count, d, d)) * np.exp(rng.uniform(-2, 2, (count, d, 1)))
        R[np.linalg.det(R) < 0, 0, :] *= -1
        stacks.append(R)
    return stacks


def random_turning_ratio(stacks) -> tuple[float, list[np.ndarray]]:
    """Smallest ``angle(x, R x) / min(phi_max(U), pi/2)`` for the lemma's vector ``x``, and the ``phi_max``.

    ``stacks`` as from :func:`random_turning_matrices`.  ``phi_max`` comes
    from the eigenvalues of ``U`` (NumPy's general eigensolver),
    independently of :func:`rotation_form`; it is returned, one array per
    stack, for the claim that compares it with :func:`rotation_angle_reference`.
    A ratio below 1 beyond rounding would contradict the lemma.
    """
    smallest, angles = np.inf, []
    for R in stacks:
        left, _, right_t = np.linalg.svd(R)
        phi = np.max(np.abs(np.angle(np.linalg.eigvals(left @ right_t))), axis=-1)
        angles.append(phi)
        turning = phi > ROTATION_FLOOR
        smallest = min(smallest, float(np.min(_turning_ratios(R[turning], phi[turning]), initial=np.inf)))
    return smallest, angles


def two_by_two_turning(M: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``angle(c, M c)`` for ``c = (cos t, sin t)``, a stack ``M (n, 2, 2)`` and angles ``t (n, m)``.

    Written with the two quadratic forms ``c x M c`` (the cross product) and
    ``c . M c``: ``atan2(|c x M c|, c . M c)``, without forming ``M c``.
    """
    c, s = np.cos(t), np.sin(t)
    m11, m12, m21, m22 = (M[:, i, j, None] for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    cross = m21 * c**2 + (m22 - m11) * c * s - m12 * s**2
    dot = m11 * c**2 + (m12 + m21) * c * s + m22 * s**2
    return np.arctan2(np.abs(cross), dot)


def plane_turning_maxima(M: np.ndarray, half_step: float) -> tuple[np.ndarray, np.ndarray]:
    """The largest angle ``theta*`` of ``angle(c, M c)`` over unit ``c`` in the plane, for a stack of 2x2 ``M``.

    Also returns the smaller angle at ``half_step`` on either side of a
    maximizer: every set of directions spaced ``2 half_step`` apart over a half
    turn (the angle has period ``pi``) has a direction within ``half_step`` of
    the maximizer, where the angle is at least that value (the angle is
    monotone on either side of its maximum at that scale).  The maximum comes
    from 4096 equally spaced directions refined by golden-section search in the
    bracket of the best one.
    """
    M = np.asarray(M, dtype=float)
    grid_step = np.pi / 4096
    grid = np.arange(4096) * grid_step
    best = grid[np.argmax(two_by_two_turning(M, np.broadcast_to(grid, (len(M), 4096))), axis=1)]
    low, high = best - grid_step, best + grid_step
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(64):
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        keep_left = two_by_two_turning(M, left[:, None])[:, 0] >= two_by_two_turning(M, right[:, None])[:, 0]
        low, high = np.where(keep_left, low, left), np.where(keep_left, right, high)
    top = (low + high) / 2
    theta = two_by_two_turning(M, np.stack([top, top - half_step, top + half_step], axis=1))
    return theta[:, 0], np.minimum(theta[:, 1], theta[:, 2])


def invariant_planes(R: np.ndarray) -> list[np.ndarray]:
    """Orthonormal bases ``(d, 2)`` of the real invariant planes of ``R`` for its complex eigenvalue pairs.

    The plane of ``lambda`` is the null space of the real matrix
    ``R^2 - 2 Re(lambda) R + |lambda|^2 I`` (from its SVD), which uses the
    eigenvalues of ``R`` but not its eigenvectors.  A 2x2 ``R`` whose polar
    factor is a rotation also has the whole plane as a rotation plane of ``U``;
    callers add it.
    """
    R = np.asarray(R, dtype=float)
    planes = []
    for value in np.linalg.eigvals(R):
        if value.imag > MINUS_ONE_DISTANCE:
            quadratic = R @ R - 2 * value.real * R + abs(value) ** 2 * np.eye(len(R))
            planes.append(np.linalg.svd(quadratic)[2][-2:].T)
    return planes


def newton_polar_factor(R: np.ndarray, tolerance: float = 1e-14, max_iterations: int = 60) -> np.ndarray:
    """The orthogonal polar factor of a stack of invertible ``R`` by the scaled Newton iteration.

    ``X <- (mu X + X^{-T} / mu) / 2`` with ``mu = (||X^{-1}||_F / ||X||_F)^{1/2}``
    (Higham, *Functions of Matrices*, Sec. 8.6): no SVD, a second route to the
    ``U`` of ``R = U P``.

    Raises
    ------
    ArithmeticError
        If the iteration has not converged after ``max_iterations`` steps.
    """
    X = np.array(R, dtype=float)
    for _ in range(max_iterations):
        inverse = np.linalg.inv(X)
        mu = np.sqrt(np.linalg.norm(inverse, axis=(-2, -1)) / np.linalg.norm(X, axis=(-2, -1)))[..., None, None]
        update = (mu * X + np.swapaxes(inverse, -1, -2) / mu) / 2
        change = np.max(np.linalg.norm(update - X, axis=(-2, -1)))
        X = update
        if change <= tolerance * np.sqrt(X.shape[-1]):
            return X
    raise ArithmeticError("the Newton iteration for the polar factor did not converge")


def rotation_angle_reference(U: np.ndarray) -> np.ndarray:
    """``phi_max`` of a stack of ``U`` in ``SO(d)``: ``arccos`` of the smallest eigenvalue of ``(U + U^T) / 2``.

    The symmetric part has the eigenvalues ``cos phi_j`` (and ``1``); a
    symmetric eigensolver instead of the general one.
    """
    symmetric = (U + np.swapaxes(U, -1, -2)) / 2
    return np.arccos(np.clip(np.linalg.eigvalsh(symmetric)[..., 0], -1.0, 1.0))


def turning_ratio_reference(stacks) -> float:
    """The smallest turning ratio of :func:`turning_ratio` and :func:`random_turning_ratio`, by a second route.

    For each stack ``(n, d, d)`` of ``R``: ``U`` by :func:`newton_polar_factor`
    (no SVD), ``P = (U^T R + R^T U) / 2`` and its square roots from
    :func:`numpy.linalg.eigh`, the eigenvector ``v`` of the smallest eigenvalue
    of the symmetric part of ``P^{-1/2} U P^{1/2}``, ``x = P^{-1/2} v``, the
    angle ``arccos(x . R x / (|x| |R x|))`` and ``phi_max`` from
    :func:`rotation_angle_reference`.  Matrices with ``phi_max <=``
    :data:`ROTATION_FLOOR` are skipped, as there.
    """
    smallest = np.inf
    for R in stacks:
        R = np.asarray(R, dtype=float)
        U = newton_polar_factor(R)
        P = np.swapaxes(U, -1, -2) @ R
        scales, V = np.linalg.eigh((P + np.swapaxes(P, -1, -2)) / 2)
        root = (V * np.sqrt(scales)[..., None, :]) @ np.swapaxes(V, -1, -2)
        inverse_root = (V / np.sqrt(scales)[..., None, :]) @ np.swapaxes(V, -1, -2)
        similar = inverse_root @ U @ root
        v = np.linalg.eigh((similar + np.swapaxes(similar, -1, -2)) / 2)[1][..., :, 0]
        x = np.einsum("...ij,...j->...i", inverse_root, v)
        y = np.einsum("...ij,...j->...i", R, x)
        cosine = np.sum(x * y, axis=-1) / (np.linalg.norm(x, axis=-1) * np.linalg.norm(y, axis=-1))
        angle = np.arccos(np.clip(cosine, -1.0, 1.0))
        phi = rotation_angle_reference(U)
        turning = phi > ROTATION_FLOOR
        if np.any(turning):
            smallest = min(smallest, float(np.min(angle[turning] / np.minimum(phi[turning], np.pi / 2))))
    return smallest
