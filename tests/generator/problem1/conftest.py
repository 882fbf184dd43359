"""Random inputs shared by the Problem 1 tests: fixtures that return the functions drawing them."""

from __future__ import annotations

import numpy as np
import pytest

from generator import problem1 as p1


@pytest.fixture
def random_moments():
    """``random_moments(rng, d, rank=None, scale=1.0) -> (Sxx, Syx, Syy)``."""

    def random_moments(rng, d, rank=None, scale=1.0):
        """Consistent moments of some distribution: Sxx = s B B^T, Syx = C Sxx, Syy large enough."""
        B = rng.standard_normal((d, d if rank is None else rank))
        Sxx = scale * (B @ B.T)
        Syx = rng.standard_normal((d, d)) @ Sxx
        R = p1.least_squares_solution(Sxx, Syx)
        # E||y||^2 >= tr(R Sxx R^T) for every distribution; add a noise variance on top.
        Syy = float(np.trace(R @ Sxx @ R.T)) + 1.0
        return Sxx, Syx, Syy

    return random_moments


@pytest.fixture
def random_layers():
    """``random_layers(rng, depth, d, norm)``: ``depth`` random ``d x d`` layers of spectral norm ``norm``."""

    def random_layers(rng, depth, d, norm):
        return [norm * G / np.linalg.norm(G, 2) for G in rng.standard_normal((depth, d, d))]

    return random_layers
