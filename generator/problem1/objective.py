"""The loss (2) of Problem 1, its gradient and the least-squares problem (1).

The loss of the linear residual network depends on the distribution of
``(x, y)`` only through its second moments (see :mod:`generator.problem1`).
Here: the moments of a sample, the loss in moment form and as a sample mean,
the exact gradient (Lemma 2.4 of Hardt & Ma with the products in the correct
order), Lemma 2.4 with the products in the order printed there, central
differences that check the gradient, the minimum-norm solution ``R`` of the
normal equations and the excess loss ``L - L* = ||(M - R) Sxx^{1/2}||_F^2``.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from generator.problem1.validation import _as_layers, _check_layers_match, _check_moments


def second_moments(X, Y) -> tuple[np.ndarray, np.ndarray, float]:
    """Moments of the empirical distribution of the sample rows ``(x_i, y_i)``.

    Parameters
    ----------
    X, Y : array_like, shape (n, d)
        Samples, one per row.

    Returns
    -------
    Sxx, Syx, Syy
        ``X^T X / n``, ``Y^T X / n`` and ``sum(Y**2) / n``: the exact moments of
        the uniform distribution on the ``n`` pairs.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape != Y.shape or X.shape[0] == 0:
        raise ValueError(f"X and Y must be non-empty (n, d) arrays of one shape; got {X.shape}, {Y.shape}")
    n = X.shape[0]
    Sxx = X.T @ X / n
    return (Sxx + Sxx.T) / 2, Y.T @ X / n, float(np.sum(Y * Y) / n)


def end_to_end(Ws) -> np.ndarray:
    """The product ``M = (I + W_H) ... (I + W_1)``."""
    layers = _as_layers(Ws)
    M = np.eye(layers[0].shape[0])
    for W in layers:
        M = M + W @ M
    return M


def _partial_products(layers):
    """``(below, above)`` with ``below[k] = M_{<k+1}`` and ``above[k] = M_{>k+1}`` (0-based k)."""
    identity = np.eye(layers[0].shape[0])
    below = [identity]
    for W in layers[:-1]:
        below.append(below[-1] + W @ below[-1])
    above = [identity]
    for W in reversed(layers[1:]):
        above.append(above[-1] + above[-1] @ W)
    return below, above[::-1]


def _loss_of_product(M, Sxx, Syx, Syy) -> float:
    return float(np.sum((M @ Sxx) * M) - 2.0 * np.sum(Syx * M) + Syy)


def loss(Ws, Sxx, Syx, Syy) -> float:
    """Population loss (2) of the linear residual network.

    ``L(W) = E ||M x - y||^2 = tr(M Sxx M^T) - 2 tr(Syx M^T) + Syy`` with
    ``M = (I + W_H) ... (I + W_1)``; the identity holds for every distribution
    with finite second moments (expand the square and use linearity of ``E``).

    Parameters
    ----------
    Ws : sequence of (d, d) arrays
        ``[W_1, ..., W_H]``, ``W_1`` applied first.
    Sxx, Syx : (d, d) arrays
        ``E[x x^T]`` (symmetric positive semidefinite) and ``E[y x^T]``.
    Syy : float
        ``E[y^T y]``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx, Syy = _check_moments(Sxx, Syx, Syy)
    _check_layers_match(layers, Sxx)
    return _loss_of_product(end_to_end(layers), Sxx, Syx, Syy)


def loss_from_samples(Ws, X, Y) -> float:
    """``mean_i ||h_H(x_i) - y_i||^2`` by a forward pass through the layers.

    ``h_0 = x`` and ``h_k = h_{k-1} + W_k h_{k-1}``: the network applied to each
    sample, one layer at a time, without forming the product ``M`` or any
    moment.  This is the loss (2) of the empirical distribution of the rows
    ``(x_i, y_i)``, computed independently of :func:`loss` and :func:`end_to_end`.
    """
    layers = _as_layers(Ws)
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape != Y.shape or X.shape[1] != layers[0].shape[0]:
        raise ValueError(f"X and Y must be (n, d) arrays of one shape matching the layers; "
                         f"got {X.shape}, {Y.shape}")
    hidden = X
    for W in layers:
        hidden = hidden + hidden @ W.T
    residual = hidden - Y
    return float(np.mean(np.sum(residual * residual, axis=1)))


def equivalent_samples(X, Y) -> tuple[np.ndarray, np.ndarray]:
    """``2d`` rows whose empirical distribution has the same loss (2) as the ``n`` rows of ``(X, Y)``.

    With the economic QR decomposition ``[X Y] = Q F`` (``Q`` of orthonormal
    columns, ``F`` upper triangular ``2d x 2d``) and ``F = [F_x F_y]``,
    ``||X M^T - Y||_F = ||Q (F_x M^T - F_y)||_F = ||F_x M^T - F_y||_F`` for every
    ``M``; the rows of ``sqrt(2d / n) F`` therefore have the mean loss of the
    samples.  Computed from the data by ``scipy.linalg.qr``, not from moments,
    it lets :func:`loss_from_samples` be evaluated many times cheaply.

    Returns
    -------
    X, Y : (2d, d) arrays
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape != Y.shape or X.shape[0] < 2 * X.shape[1]:
        raise ValueError(f"X and Y must be (n, d) arrays of one shape with n >= 2d; got {X.shape}, {Y.shape}")
    n, d = X.shape
    F = scipy.linalg.qr(np.hstack([X, Y]), mode="r")[0][: 2 * d]
    F = np.sqrt(2 * d / n) * F
    return F[:, :d], F[:, d:]


def _product_and_gradients(layers, Sxx, Syx) -> tuple[np.ndarray, list[np.ndarray]]:
    """Unvalidated ``(M, gradients)`` for inner loops (one pass of partial products)."""
    below, above = _partial_products(layers)
    M = above[0] @ (below[0] + layers[0] @ below[0])
    G = M @ Sxx - Syx
    return M, [2.0 * M_above.T @ G @ M_below.T for M_above, M_below in zip(above, below)]


def gradients(Ws, Sxx, Syx) -> list[np.ndarray]:
    """Gradient of the loss (2) with respect to each layer.

    ``dL/dW_k = 2 M_{>k}^T (M Sxx - Syx) M_{<k}^T`` with
    ``M_{>k}^T = (I + W_{k+1})^T ... (I + W_H)^T`` and
    ``M_{<k}^T = (I + W_1)^T ... (I + W_{k-1})^T``; with any solution ``R`` of the
    normal equations this is ``2 M_{>k}^T (M - R) Sxx M_{<k}^T``.  This is
    Hardt & Ma (2017), Lemma 2.4, with the factors of both products in the
    correct order (see :func:`hardt_ma_printed_gradients`) and without their
    noise model.  ``Syy`` does not enter.  Cost ``O(H d^3)`` through prefix and
    suffix products.

    Returns
    -------
    list of (d, d) arrays
        ``[dL/dW_1, ..., dL/dW_H]``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    return _product_and_gradients(layers, Sxx, Syx)[1]


def gradient_norm_squared(Ws, Sxx, Syx) -> float:
    """``||grad L||_F^2 = sum_k ||dL/dW_k||_F^2``."""
    return float(sum(np.sum(g * g) for g in gradients(Ws, Sxx, Syx)))


def hardt_ma_printed_gradients(Ws, Sxx, Syx) -> list[np.ndarray]:
    """Lemma 2.4 of Hardt & Ma (2017) with the products in the order printed there.

    Printed: ``2 (I + A_l^T) ... (I + A_{i+1}^T) E Sigma (I + A_{i-1}^T) ... (I + A_1^T)``,
    i.e. here ``2 (I + W_H)^T ... (I + W_{k+1})^T (M Sxx - Syx) (I + W_{k-1})^T ... (I + W_1)^T``:
    both products list their factors in the reverse of the order of
    ``M_{>k}^T`` and ``M_{<k}^T`` in :func:`gradients`.  The two agree when the
    layers commute (for instance ``H <= 2``); kept only to measure the discrepancy.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    identity = np.eye(Sxx.shape[0])
    G = end_to_end(layers) @ Sxx - Syx
    result = []
    for k in range(len(layers)):
        left, right = identity, identity
        for W in reversed(layers[k + 1:]):  # (I + W_H)^T first
            left = left @ (identity + W).T
        for W in reversed(layers[:k]):  # (I + W_{k-1})^T first
            right = right @ (identity + W).T
        result.append(2.0 * left @ G @ right)
    return result


def least_squares_solution(Sxx, Syx) -> np.ndarray:
    """A solution ``R`` of the normal equations ``R Sxx = Syx`` of problem (1).

    ``d/dR E||y - R x||^2 = E[2 (R x - y) x^T] = 2 (R Sxx - Syx)`` (the expectation is a
    quadratic polynomial in ``R`` with finite coefficients), so (1) says ``R Sxx = Syx``.  The
    equations are solvable for the moments of any distribution (``Sxx v = 0``
    forces ``v^T x = 0`` almost surely, hence ``Syx v = 0``); the solution is
    unique iff ``Sxx`` is invertible.  Returned is the minimum-Frobenius-norm
    solution ``Syx Sxx^+``, computed by ``scipy.linalg.lstsq`` on the transposed
    system ``Sxx R^T = Syx^T`` (an SVD solve: no explicit inverse, and singular
    values below ``d * eps * ||Sxx||_2`` are treated as zero).

    Raises
    ------
    ValueError
        If the moments are invalid, or inconsistent (``Syx`` does not vanish on
        the kernel of ``Sxx``), in which case no distribution has them.
    """
    Sxx, Syx = _check_moments(Sxx, Syx)
    d = Sxx.shape[0]
    cutoff = d * np.finfo(float).eps
    solution, *_ = scipy.linalg.lstsq(Sxx, Syx.T, cond=cutoff, lapack_driver="gelsd")
    R = solution.T
    residual = np.linalg.norm(R @ Sxx - Syx)
    scale = np.linalg.norm(Syx) + np.linalg.norm(R) * np.linalg.norm(Sxx, 2)
    if residual > 1e3 * cutoff * max(scale, np.finfo(float).tiny):
        raise ValueError(
            "the normal equations R Sxx = Syx have no solution: Syx does not vanish on "
            "the kernel of Sxx, so these are not the moments of any distribution"
        )
    return R


def excess_loss(Ws, Sxx, Syx) -> float:
    """``L(W) - L* = ||(M - R) Sxx^{1/2}||_F^2`` for any solution ``R`` of (1).

    Computed from the eigendecomposition ``Sxx = V diag(lam) V^T`` as
    ``||(M - R) V diag(lam)^{1/2}||_F^2``, which is non-negative by construction
    and free of the cancellation in ``loss(Ws) - loss at R``.
    """
    layers = _as_layers(Ws)
    Sxx, Syx = _check_moments(Sxx, Syx)
    _check_layers_match(layers, Sxx)
    return _excess_of_product(end_to_end(layers), Sxx, least_squares_solution(Sxx, Syx))


def _excess_of_product(M, Sxx, R) -> float:
    eigenvalues, V = scipy.linalg.eigh(Sxx)
    scaled = (M - R) @ V * np.sqrt(np.clip(eigenvalues, 0.0, None))
    return float(np.sum(scaled * scaled))


def smallest_positive_eigenvalue(Sxx) -> float:
    """``lambda_+(Sxx)``: the smallest eigenvalue above ``d * eps * ||Sxx||_2``.

    Equal to ``lambda_min(Sxx)`` when ``Sxx`` is invertible; ``0`` for ``Sxx = 0``.
    """
    Sxx, _ = _check_moments(Sxx, np.zeros_like(np.asarray(Sxx, dtype=float)))
    eigenvalues = np.linalg.eigvalsh(Sxx)  # numpy's: the LAPACK routine of scipy's, with less overhead
    cutoff = Sxx.shape[0] * np.finfo(float).eps * max(eigenvalues[-1], 0.0)
    positive = eigenvalues[eigenvalues > cutoff]
    return float(positive[0]) if positive.size else 0.0


def layer_norms(Ws) -> np.ndarray:
    """Spectral norms ``||W_k||_2`` (``numpy.linalg.norm`` batches the SVDs)."""
    return np.linalg.norm(np.stack(_as_layers(Ws)), ord=2, axis=(1, 2))


def central_difference_gradient(loss_function, Ws, step: float) -> list[np.ndarray]:
    """Central differences ``(L(W + h e) - L(W - h e)) / (2h)`` of ``loss_function`` for every entry.

    ``loss_function`` maps a list of layers to a number, e.g. the sample mean of
    :func:`loss_from_samples`, so that the differences check :func:`gradients`
    against a computation that shares none of its code.  The loss (2) is a
    quadratic polynomial in each single entry (``M`` is affine in it), so central
    differences carry no truncation error: they differ from the exact gradient
    only by rounding, of order ``eps |L| / h``.
    """
    layers = _as_layers(Ws)
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    result = []
    for k, W in enumerate(layers):
        G = np.empty_like(W)
        for index in np.ndindex(W.shape):
            values = []
            for sign in (1.0, -1.0):
                shifted = list(layers)
                moved = W.copy()
                moved[index] += sign * step
                shifted[k] = moved
                values.append(loss_function(shifted))
            G[index] = (values[0] - values[1]) / (2 * step)
        result.append(G)
    return result
