"""Helpers shared by the tests of Problem 2's modules, as fixtures."""

from __future__ import annotations

import numpy as np
import pytest


def _is_orthogonal_det_one(X: np.ndarray, tol: float = 1e-12) -> bool:
    identity = np.eye(X.shape[0])
    return (
        np.linalg.norm(X.T @ X - identity, 2) <= tol and abs(np.linalg.det(X) - 1) <= tol
    )


def _random_positive_determinant(rng: np.random.Generator, d: int) -> np.ndarray:
    R = rng.standard_normal((d, d)) * np.exp(rng.uniform(-2, 2, (d, 1)))
    if np.linalg.det(R) < 0:
        R[0] = -R[0]
    return R


@pytest.fixture
def is_orthogonal_det_one():
    """``is_orthogonal_det_one(X, tol=1e-12)``: ``X`` is in ``SO(d)`` within ``tol``."""
    return _is_orthogonal_det_one


@pytest.fixture
def random_positive_determinant():
    """``random_positive_determinant(rng, d)``: a ``d x d`` Gaussian matrix with rows
    scaled by ``exp(u)``, ``u`` uniform on ``[-2, 2]``, first row negated if ``det < 0``."""
    return _random_positive_determinant
