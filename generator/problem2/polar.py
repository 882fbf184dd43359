"""The polar decomposition ``R = U P`` from one SVD.

``P = (R^T R)^{1/2}`` is symmetric positive definite and ``U`` orthogonal;
``det U = det R / det P > 0`` forces ``det U = 1``.  The eigen-decomposition
of ``P`` comes with it, which the construction needs for ``P^{1/h}``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from generator.problem2.validation import _square_matrix


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
