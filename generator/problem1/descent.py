"""Plain gradient descent on the loss of Problem 1 from ``W = 0``, and its record.

Along the path :func:`gradient_descent` records the iterates, the excess loss,
every layer norm and the smallest ratio of the two sides of the PL-type inequality of
:mod:`generator.problem1.pl_inequality`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from generator.problem1.objective import _product_and_gradients, least_squares_solution
from generator.problem1.pl_inequality import pl_constant
from generator.problem1.validation import _check_moments


@dataclass(frozen=True)
class DescentPath:
    """Record of gradient descent: per iterate, the layers, ``L - L*`` and every ``||W_k||_2``.

    ``history[s]`` holds the ``H`` layers of iterate ``s`` (``history[0] = 0``);
    a path that stopped early (see :func:`gradient_descent`) has fewer iterates
    than asked for.
    """

    history: np.ndarray
    excess: np.ndarray
    norms: np.ndarray
    pl_ratio_min: float

    @property
    def layers(self) -> list:
        """The layers of the last iterate."""
        return list(self.history[-1])

    @property
    def steps(self) -> int:
        """Number of steps taken (iterates after the start)."""
        return self.history.shape[0] - 1

    @property
    def norm_spread(self) -> float:
        """``max_s (max_k - min_k ||W_k^{(s)}||_2) / max_k ||W_k^{(s)}||_2`` over ``s >= 1`` (NaN without a step)."""
        if self.steps < 1:
            return float("nan")
        largest = self.norms[1:].max(axis=1)
        return float(np.max((largest - self.norms[1:].min(axis=1)) / largest))


def descent_step(Sxx, R, depth: int) -> float:
    """The step ``1 / (2 H lambda_max(Sxx) ||R||_2^2)`` of the descent: a heuristic choice, not a proven bound."""
    return 1.0 / (2 * depth * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2)


def gradient_descent(
    Sxx, Syx, depth: int, step: float, iterations: int, ratio_floor: float = 1e-9
) -> DescentPath:
    """Plain gradient descent ``W_k <- W_k - step * dL/dW_k`` from ``W = 0``.

    Records every iterate, ``L - L* = ||(M - R) Sxx^{1/2}||_F^2`` (with one
    eigendecomposition of ``Sxx`` for the whole path), all layer norms and the
    smallest ratio ``||grad L||^2 / (mu_{H,tau} (L - L*))`` met along the path,
    with ``tau`` the current largest layer norm.  The ratio is taken only over
    iterates with ``tau < 1`` and ``L - L* > ratio_floor * (L(0) - L*)``: near
    rounding level both sides are noise.  A step too large for the data makes
    the iteration diverge: the path stops before the first iterate whose
    ``L - L*`` is not at most its initial value (or not finite), with fewer
    iterates than asked for, so that the claims on it fail instead of the
    linear algebra on overflowing layers.
    """
    Sxx, Syx = _check_moments(Sxx, Syx)
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    if not step > 0 or int(iterations) != iterations or iterations < 1:
        raise ValueError("need a positive step and a positive integer number of iterations")
    d = Sxx.shape[0]
    R = least_squares_solution(Sxx, Syx)
    eigenvalues, V = scipy.linalg.eigh(Sxx)
    root = V * np.sqrt(np.clip(eigenvalues, 0.0, None))  # Sxx = root root^T
    history = np.zeros((iterations + 1, depth, d, d))
    excess = np.empty(iterations + 1)
    grad_sq = np.empty(iterations + 1)
    kept = iterations + 1
    for t in range(iterations + 1):
        M, grads = _product_and_gradients(history[t], Sxx, Syx)
        grads = np.stack(grads)
        excess[t] = np.sum(((M - R) @ root) ** 2)
        if not excess[t] <= excess[0]:  # NaN, infinite or above the start: diverged
            kept = t
            break
        grad_sq[t] = np.sum(grads * grads)
        if t < iterations:
            history[t + 1] = history[t] - step * grads
    history, excess, grad_sq = history[:kept], excess[:kept], grad_sq[:kept]
    # One stacked SVD for all layer norms of the path, after the loop.
    norms = np.linalg.norm(history, ord=2, axis=(2, 3))
    tau = norms.max(axis=1)
    counted = (tau < 1) & (excess > ratio_floor * excess[0])
    constants = pl_constant(depth, tau[counted], Sxx)
    ratio_min = np.min(grad_sq[counted] / (constants * excess[counted]), initial=np.inf)
    return DescentPath(history, excess, norms, float(ratio_min))
