"""Independent references for the claims of Problem 1: the same numbers by other code.

Each function here recomputes, from the raw objects (the data matrix, the
random ingredients of the data, the iterates of the descent, the drawn points
of the sweep, a printed text), a number that the package computes elsewhere,
by another algorithm or another formula: a least-squares solve on the data
matrix instead of the normal equations, ``numpy.corrcoef`` instead of
normalised moments, eigenvalues of ``W^T W`` instead of singular values, the
batched sweep instead of the descent's loop, the inverse distribution function
of a law instead of its sampler.  :mod:`generator.problem1.claims` compares
the two; a slip in either shows as a disagreement.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.integrate
import scipy.special
import scipy.stats

from generator.problem1.data import DataDraw, DataSpec
from generator.problem1.descent import DescentPath
from generator.problem1.objective import excess_loss, gradient_norm_squared, gradients, layer_norms
from generator.problem1.pl_inequality import hardt_ma_threshold_ratio, pl_ratios
from generator.problem1.sweep import path_batch, pl_sweep

# --- the data ---------------------------------------------------------------


def data_least_squares(X, Y) -> np.ndarray:
    """``R`` minimising the sample mean of ``||y - R x||^2``, by ``scipy.linalg.lstsq`` on the ``m x d`` data matrix.

    An orthogonal factorisation of ``X`` itself: no moment and no normal equation is formed.
    """
    return scipy.linalg.lstsq(np.asarray(X, dtype=float), np.asarray(Y, dtype=float))[0].T


def residual_correlations(X, Y) -> tuple[float, float]:
    """The largest ``|corr(r_i, x_j)|`` and the largest normalised moment of ``r_i`` against ``x_j^2 - E[x_j^2]``.

    ``r`` is the residual of :func:`data_least_squares`; the correlations come
    from ``numpy.corrcoef``, the moments against the centred squares from a
    loop over the pairs ``(i, j)``.
    """
    X = np.asarray(X, dtype=float)
    r = np.asarray(Y, dtype=float) - X @ data_least_squares(X, Y).T
    d = X.shape[1]
    pearson = np.max(np.abs(np.corrcoef(r.T, X.T)[:d, d:]))
    quadratic = 0.0
    for i in range(d):
        for j in range(d):
            square = X[:, j] ** 2 - np.mean(X[:, j] ** 2)
            moment = np.mean(r[:, i] * square) / np.sqrt(np.mean(r[:, i] ** 2) * np.mean(square**2))
            quadratic = max(quadratic, abs(moment))
    return float(pearson), float(quadratic)


def residual_mean_ratio(X, Y) -> float:
    """``max_i |E[r_i]| / sqrt(E[r_i^2])`` for the residual of a least-squares solve on the data matrix."""
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    r = Y - X @ data_least_squares(X, Y).T
    return float(np.max(np.abs(np.mean(r, axis=0)) / np.sqrt(np.mean(r**2, axis=0))))


def student_tail_fraction(draw: DataDraw, spec: DataSpec, tail: float) -> tuple[float, int]:
    """Fraction of the Student-t coordinates of the latent vector beyond the two-sided ``tail`` quantile of their law.

    The law is Student's t with ``nu`` degrees of freedom scaled to unit
    variance, so ``P(|z| > t_nu^{-1}(1 - tail / 2) sqrt((nu - 2) / nu)) = tail``
    exactly; a wrong ``nu`` (a heavier or lighter tail) moves it.  Returned with the number of draws.
    """
    nu = spec.student_dof
    beyond = np.abs(draw.latent[:, 1::2]) > scipy.special.stdtrit(nu, 1 - tail / 2) * np.sqrt((nu - 2) / nu)
    return float(np.mean(beyond)), int(beyond.size)


def gaussian_square_sums(draw: DataDraw) -> dict[str, tuple[float, int]]:
    """``||Gamma||_F^2`` of the two standard Gaussian matrices of the data, with their number of entries.

    Each is chi-square with ``d^2`` degrees of freedom when the entries are standard Gaussian.
    """
    return {name: (float(np.sum(matrix**2)), int(matrix.size))
            for name, matrix in (("mixing", draw.mixing), ("exponent", draw.exponent))}


def latent_median_fractions(draw: DataDraw, spec: DataSpec) -> dict[str, tuple[float, int]]:
    """For each law of :func:`~generator.problem1.data.draw_data`, the fraction of its draws below its median.

    ``Exp(1) - 1`` has median ``ln 2 - 1``; the absolute value of a Student-t
    with ``nu`` degrees of freedom scaled to unit variance has median
    ``t_nu^{-1}(3/4) sqrt((nu - 2) / nu)`` (the inverse distribution function
    from ``scipy.special.stdtrit``); the absolute value of a standard Laplace
    variable has median ``ln 2``.  Each fraction is a frequency of independent
    draws with success probability exactly ``1/2``; returned with the number of draws.
    """
    nu = spec.student_dof
    student_median = scipy.special.stdtrit(nu, 0.75) * np.sqrt((nu - 2) / nu)
    parts = {
        "exponential": draw.latent[:, 0::2] <= np.log(2.0) - 1.0,
        "student": np.abs(draw.latent[:, 1::2]) <= student_median,
        "laplace": np.abs(draw.laplace) <= np.log(2.0),
    }
    return {name: (float(np.mean(below)), int(below.size)) for name, below in parts.items()}


def data_model_error(draw: DataDraw, spec: DataSpec) -> float:
    """Largest deviation of the drawn ``(x, y)`` from the model written out with ``numpy.einsum``, relative to ``max |y|``.

    ``x = (I + mixing_scale Gamma_1) z + 1`` and ``y = Phi x + nonlinear_scale x |x|
    + noise_scale (1 + |x|) l``, sample by sample, from the ingredients of the draw.
    """
    d = draw.X.shape[1]
    x = np.einsum("jk,ik->ij", np.eye(d) + spec.mixing_scale * draw.mixing, draw.latent) + 1.0
    y = (np.einsum("jk,ik->ij", draw.phi, x) + spec.nonlinear_scale * x * np.abs(x)
         + spec.noise_scale * (1.0 + np.abs(x)) * draw.laplace)
    scale = max(np.max(np.abs(x)), np.max(np.abs(y)))
    return float(max(np.max(np.abs(draw.X - x)), np.max(np.abs(draw.Y - y))) / scale)


def phi_log_error(draw: DataDraw, spec: DataSpec) -> float:
    """``||logm(Phi) - c Gamma_2 / sqrt(d)||_F / ||c Gamma_2 / sqrt(d)||_F`` with ``c = target_scale``.

    ``scipy.linalg.logm`` (inverse scaling and squaring) undoes ``expm``: the
    principal logarithm of ``exp(A)`` is ``A`` when the eigenvalues of ``A`` have
    imaginary parts in ``(-pi, pi)``, as they have here by far.
    """
    d = draw.phi.shape[0]
    exponent = spec.target_scale * draw.exponent / np.sqrt(d)
    logarithm = scipy.linalg.logm(draw.phi)
    return float(np.linalg.norm(np.real(logarithm) - exponent) / np.linalg.norm(exponent))


@functools.lru_cache(maxsize=None)
def scaled_chi_square_probability(dof: int, exponents: tuple[float, float]) -> float:
    """``P(10^u Q <= median(Q))`` for ``Q`` chi-square with ``dof`` degrees of freedom and ``u`` uniform on ``exponents``.

    ``tr(c B B^T)`` for a Gaussian ``B`` with ``dof`` nonzero entries is
    ``c Q``; the probability is the integral over ``u`` of the chi-square
    distribution function (``scipy.integrate.quad``), divided by the length of the interval.
    """
    low, high = exponents
    median = scipy.stats.chi2.median(dof)
    integral = scipy.integrate.quad(lambda u: scipy.stats.chi2.cdf(median * 10.0 ** -u, dof), low, high)[0]
    return float(integral / (high - low))


# --- layers and the descent ---------------------------------------------------


def spectral_norms(layers) -> np.ndarray:
    """``||W||_2`` over the last two axes, as the square root of the largest eigenvalue of ``W^T W``."""
    layers = np.asarray(layers, dtype=float)
    gram = np.swapaxes(layers, -1, -2) @ layers
    return np.sqrt(np.clip(np.linalg.eigvalsh(gram)[..., -1], 0.0, None))


def relative_product_error(layers, R) -> float:
    """``||M - R||_F / ||R||_F`` with ``M = (I + W_H) ... (I + W_1)`` by ``numpy.linalg.multi_dot``."""
    identity = np.eye(np.shape(R)[0])
    factors = [identity + W for W in reversed(list(layers))]
    M = np.linalg.multi_dot(factors) if len(factors) > 1 else factors[0]
    return float(np.linalg.norm(M - R) / np.linalg.norm(R))


@dataclass(frozen=True)
class DescentReference:
    """Per iterate of a :class:`~generator.problem1.descent.DescentPath`, recomputed from its iterates alone.

    ``norms`` from :func:`spectral_norms`; ``excess`` (``L - L*``) and ``ratio``
    (``||grad L||^2 / (mu_{H,tau} (L - L*))``, ``tau`` the largest layer norm) from
    the batched :func:`~generator.problem1.sweep.pl_sweep` (NaN where it keeps no
    point); ``counted`` marks the iterates whose ratio the descent takes.
    """

    norms: np.ndarray
    excess: np.ndarray
    ratio: np.ndarray
    counted: np.ndarray

    @property
    def norm_spread(self) -> float:
        """``max_s (max_k - min_k) / max_k`` of the norms over ``s >= 1`` (NaN without a step)."""
        if self.norms.shape[0] < 2:
            return float("nan")
        largest, smallest = self.norms[1:].max(axis=1), self.norms[1:].min(axis=1)
        return float(np.max((largest - smallest) / largest))

    @property
    def ratio_min(self) -> float:
        """The smallest ratio over the counted iterates (infinite when none is counted)."""
        return float(np.min(self.ratio[self.counted], initial=np.inf))


def descent_reference(path: DescentPath, Sxx, Syx, ratio_floor: float) -> DescentReference:
    """:class:`DescentReference` of ``path`` for the moments ``Sxx``, ``Syx``."""
    norms = spectral_norms(path.history)
    sweep = pl_sweep([path_batch(path.history, Sxx, Syx)])
    excess = np.full(path.history.shape[0], np.nan)
    ratio = np.full(path.history.shape[0], np.nan)
    excess[sweep.position] = sweep.excess
    with np.errstate(invalid="ignore"):
        ratio[sweep.position] = sweep.lhs / sweep.ours
        counted = (norms.max(axis=1) < 1) & (excess > ratio_floor * excess[0])
    return DescentReference(norms, excess, ratio, counted)


def descent_update_error(path: DescentPath, Sxx, Syx, step: float) -> float:
    """Largest ``||W^{(s+1)} - W^{(s)} + step grad L(W^{(s)})||_F / ||W^{(s+1)}||_F`` over the steps of ``path``.

    The gradient comes from :func:`~generator.problem1.objective.gradients`
    (checked against central differences at the probe point): zero up to
    rounding when the path is plain gradient descent with this step.
    """
    errors = [
        np.linalg.norm(path.history[s + 1] - path.history[s] + step * np.stack(gradients(path.history[s], Sxx, Syx)))
        / np.linalg.norm(path.history[s + 1])
        for s in range(path.steps)
    ]
    return float(np.max(errors)) if errors else float("nan")


# --- the printed text -----------------------------------------------------------

_TIMES_POWER = re.compile(r"(?:(-?\d+(?:\.\d+)?)\\times\s*)?(-?)10\^\{(-?\d+)\}")


def printed_value(latex: str) -> float:
    """The number a claim's LaTeX text prints (``10^{-14}``, ``2\\times 10^{-14}``, ``0.25``); NaN if none."""
    text = latex.strip()
    if text.startswith("\\ensuremath{") and text.endswith("}"):
        text = text[len("\\ensuremath{"):-1]
    text = text.replace("\\,", "")
    match = _TIMES_POWER.fullmatch(text)
    if match:
        mantissa, sign, exponent = match.groups()
        return float(mantissa or f"{sign}1") * 10.0 ** int(exponent)
    try:
        return float(text)
    except ValueError:
        return float("nan")


# --- rounding levels and the figures ------------------------------------------


def distance_rounding(Sxx, R, depth: int) -> float:
    """The rounding level of ``sqrt(L - L*) = ||(M - R) Sxx^{1/2}||_F`` near ``M = R``.

    ``M`` carries a relative error of about ``H`` unit roundoffs and ``R`` one of
    about ``kappa(Sxx)``; times ``d`` for the sums, ``||R||_2`` and
    ``lambda_max(Sxx)^{1/2}``.  Below this, distances (and their squares, the
    excess losses) are rounding noise and compare only to it.
    """
    eigenvalues = scipy.linalg.eigvalsh(Sxx)
    kappa = eigenvalues[-1] / eigenvalues[0] if eigenvalues[0] > 0 else np.inf
    return float((depth + kappa) * Sxx.shape[0] * np.finfo(float).eps * np.linalg.norm(R, 2)
                 * np.sqrt(eigenvalues[-1]))


def excess_deviation(excess, reference, rounding: float) -> float:
    """Largest ``max(|sqrt(a) - sqrt(b)| - rounding, 0) / sqrt(b)`` over two arrays of ``L - L*`` (inf if shapes differ).

    The square roots are distances ``||(M - R) Sxx^{1/2}||_F``, whose rounding
    error is absolute (``rounding``, :func:`distance_rounding`): the deviation
    beyond it, relative to the distance, is zero at rounding level and the
    relative deviation far from the minimum.
    """
    a, b = np.asarray(excess, float), np.asarray(reference, float)
    if a.shape != b.shape or a.size == 0:
        return float("inf")
    with np.errstate(invalid="ignore", divide="ignore"):
        beyond = np.maximum(np.abs(np.sqrt(a) - np.sqrt(b)) - rounding, 0.0)
        return float(np.max(np.where(beyond > 0, beyond / np.sqrt(b), 0.0) + 0.0 * (a + b)))


def _points_deviation(drawn, expected) -> float:
    """Largest relative deviation of drawn points from expected ones, entry by entry (inf if shapes differ).

    An expected zero compares absolutely; a NaN anywhere propagates and fails the claim.
    """
    drawn, expected = np.asarray(drawn, float), np.asarray(expected, float)
    if drawn.shape != expected.shape:
        return float("inf")
    scale = np.where(expected != 0, np.abs(expected), 1.0)
    return float(np.max(np.abs(drawn - expected) / scale, initial=0.0))


def descent_figure_deviation(drawn: list, reference: DescentReference, rounding: float) -> float:
    """How far the descent figure is from ``L - L*`` and ``max_k ||W_k||_2`` against the iteration.

    ``drawn`` is what :func:`~generator.problem1.figures.plot_descent` drew (two
    curves); the expected curves come from :class:`DescentReference`, recomputed
    from the iterates: the iterations ``0, 1, ...`` as abscissae, the excess
    loss of the batched sweep (compared as in :func:`excess_deviation`) and the
    largest layer norm from eigenvalues of ``W^T W``.
    """
    if len(drawn) != 2:
        return float("inf")
    steps = np.arange(reference.excess.size, dtype=float)
    gap, norm = (np.asarray(a, float) for a in drawn)
    if gap.shape != (steps.size, 2) or norm.shape != (steps.size, 2):
        return float("inf")
    return max(_points_deviation(gap[:, 0], steps), _points_deviation(norm[:, 0], steps),
               excess_deviation(gap[:, 1], reference.excess, rounding),
               _points_deviation(norm[:, 1], reference.norms.max(axis=1)))


def _nearest_deviation(points: np.ndarray, drawn: np.ndarray) -> float:
    """Largest, over ``points``, relative distance to the nearest drawn point (inf when nothing is drawn)."""
    if points.size == 0:
        return 0.0
    if drawn.ndim != 2 or drawn.shape[0] == 0:
        return float("inf")
    distance = np.max(np.abs(drawn[None, :, :] - points[:, None, :]) / np.abs(points[:, None, :]), axis=2)
    return float(np.max(np.min(distance, axis=1)))


def pl_figure_expected(batches, stride: int) -> dict:
    """What the PL figure must show at every ``stride``-th drawn point of ``U``, one point at a time.

    For each such point: ``x = mu_{H,tau} (L - L*)`` and ``y = ||grad L||^2``
    (left panel, by invertible and singular ``Sxx``), ``rho`` and
    ``||grad L||^2`` over the printed right side of (2.3) (right panel,
    invertible ``Sxx`` only, by whether the ratio is at least 1), by
    :func:`~generator.problem1.objective.gradient_norm_squared`,
    :func:`~generator.problem1.pl_inequality.pl_ratios` and
    :func:`~generator.problem1.pl_inequality.hardt_ma_threshold_ratio`; and the
    number of points of each panel (all points, the invertible ones by
    ``numpy.linalg.matrix_rank``).  A point with ``L = L*`` is not drawn, and its
    sweep drops it: the figure then holds fewer points than were drawn.
    """
    left = {True: [], False: []}
    right = {True: [], False: []}
    count, invertible = 0, 0
    for batch in batches:
        full = np.linalg.matrix_rank(batch.Sxx) == batch.Sxx.shape[1]
        count += full.size
        invertible += int(np.sum(full))
        for i in range(0, batch.layers.shape[0], stride):
            Ws, Sxx, Syx = list(batch.layers[i]), batch.Sxx[i], batch.Syx[i]
            if not excess_loss(Ws, Sxx, Syx) > 0:
                continue  # L = L*: not drawn (the count of the panel then differs from that of the points)
            lhs = gradient_norm_squared(Ws, Sxx, Syx)
            ours, printed = pl_ratios(Ws, Sxx, Syx)
            left[bool(full[i])].append((lhs / ours, lhs))
            if full[i]:
                rho = hardt_ma_threshold_ratio(len(Ws), float(np.max(layer_norms(Ws))), Sxx)
                right[bool(printed >= 1)].append((rho, printed))
    return {"left": {k: np.array(v).reshape(-1, 2) for k, v in left.items()},
            "right": {k: np.array(v).reshape(-1, 2) for k, v in right.items()},
            "count": count, "invertible": invertible}


def pl_figure_deviation(drawn: list, expected: dict) -> float:
    """How far the PL figure is from :func:`pl_figure_expected` (inf when its artists do not match).

    ``drawn`` is what :func:`~generator.problem1.figures.plot_pl` drew: left, the
    invertible and the singular points and the diagonal; right, the line
    ``1 / rho``, the guides ``ratio = 1`` and ``rho = 1``, the points where the
    printed (2.3) holds and where it fails.  Every expected point must be drawn in
    its set; the sets must hold all the points; the diagonal must be ``y = x``
    across the drawn points, the line ``1 / rho`` must be ``x y = 1`` across them,
    the guides at 1.
    """
    if len(drawn) != 8:
        return float("inf")
    invertible, singular, diagonal, guide, level, vertical, holds, fails = (np.asarray(a, float) for a in drawn)
    if (invertible.shape[0] + singular.shape[0] != expected["count"]
            or invertible.shape[0] != expected["invertible"]
            or holds.shape[0] + fails.shape[0] != expected["invertible"]):
        return float("inf")
    left = np.concatenate([invertible, singular])
    span = np.array([np.min(left), np.max(left)])
    rho = np.concatenate([holds, fails])[:, 0]
    deviations = [
        _nearest_deviation(expected["left"][True], invertible),
        _nearest_deviation(expected["left"][False], singular),
        _nearest_deviation(expected["right"][True], holds),
        _nearest_deviation(expected["right"][False], fails),
        _points_deviation(diagonal, np.column_stack([span, span])),
        _points_deviation(guide[[0, -1], 0], [np.min(rho), np.max(rho)]),
        _points_deviation(guide[:, 0] * guide[:, 1], np.ones(guide.shape[0])),
        _points_deviation(level[:, 1], np.ones(level.shape[0])),
        _points_deviation(vertical[:, 0], np.ones(vertical.shape[0])),
    ]
    return float(np.max(deviations))
