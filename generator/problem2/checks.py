"""Checks of the fact and of the turning-angle lemma by independent routes.

The powers ``U^alpha`` against the identities the fact proves, and the
lemma's turning angle against ``theta_max`` taken from the eigenvalues of
``U`` rather than from the normal form, on the test matrices and on random
ones; :func:`spectral_reference` gives ``gamma`` and ``theta_max`` without the
construction's code.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator.problem2.lower_bound import _turning_angles_batched, turning_vectors
from generator.problem2.orthogonal_powers import powers_from_form, powers_minus_identity_from_form, rotation_form


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


ROTATION_FLOOR = 1e-6
"""Turning-angle ratios are taken over ``R`` with ``theta_max(U)`` above this
(``theta_max`` of a positive definite ``R`` is rounding noise, and the ratio 0/0 for ``U = I``)."""


def _turning_ratios(R: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``angle(x, R x) / min(theta, pi/2)`` for the lemma's vectors, over a stack."""
    return _turning_angles_batched(R, turning_vectors(R)) / np.minimum(theta, np.pi / 2)


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
