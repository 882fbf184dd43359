"""The experiments of Problem 1 and the claims they verify; :func:`run` is the entry point.

:func:`run` reads as a table of contents: one function per experiment, each
recording its parameters, claims and figures into the ledger.  Every random
draw comes from one generator seeded with :data:`SEED`, in the order of
:func:`run`: the data, the probe point, then the points of the PL sweep.  The
inputs of the experiments are the constants below.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy.linalg
import scipy.stats

from generator.ledger import (
    Check,
    Ledger,
    at_most,
    between,
    binomial_within,
    equals,
    format_number,
    within_standard_errors,
)
from generator.problem1.counterexamples import (
    boundary_critical_point,
    boundary_escape_change,
    last_layer_identity_error,
    singular_example,
)
from generator.problem1.data import DataSpec, draw_data, residual_statistics
from generator.problem1.descent import DescentPath, descent_step, gradient_descent
from generator.problem1.figures import plot_descent, plot_pl
from generator.problem1.objective import (
    central_difference_gradient,
    end_to_end,
    equivalent_samples,
    excess_loss,
    gradients,
    hardt_ma_printed_gradients,
    least_squares_solution,
    loss,
    loss_from_samples,
    second_moments,
)
from generator.problem1.pl_inequality import (
    hardt_ma_threshold_ratio,
    layer_pl_ratio,
    pl_equality_instance,
    pl_ratios,
)
from generator.problem1.references import (
    data_least_squares,
    data_model_error,
    descent_reference,
    descent_figure_deviation,
    descent_update_error,
    distance_rounding,
    excess_deviation,
    latent_median_fractions,
    phi_log_error,
    pl_figure_deviation,
    pl_figure_expected,
    printed_value,
    gaussian_square_sums,
    relative_product_error,
    residual_correlations,
    residual_mean_ratio,
    scaled_chi_square_probability,
    spectral_norms,
    student_tail_fraction,
)
from generator.problem1.sweep import (
    MAX_DIMENSION,
    SCALE_EXPONENTS,
    TAU_HIGH,
    BallBatch,
    PLSweep,
    per_point_deviation,
    pl_sweep,
    random_ball_points,
)

SEED = 20170424
"""Seed of every random draw in :func:`run` (the ICLR 2017 conference date)."""

DATA = DataSpec()
"""The distribution of the data (sample size, dimension, scales)."""

DEPTH = 8
"""Depth ``H`` of the probe point, the descent and the boundary counterexample; largest depth of the sweep."""

PROBE_NORM = 0.9
"""Spectral norm of every layer at the random probe point."""

FD_STEP = 1e-3
"""Step ``epsilon`` of the central differences at the probe point."""

ITERATIONS = 500
"""Number of gradient descent steps."""

RATIO_FLOOR = 1e-9
"""Fraction of the initial ``L - L*`` below which the descent's PL ratio is not taken."""

ESCAPE_T = 0.1
"""``t`` along the two paths out of the boundary critical point."""

VACUOUS_SLOPE, VACUOUS_DEPTH = -5, 2
"""``y = (slope u, 0)`` and ``H`` of the singular example without critical points in ``U``."""

PL_POINTS, PL_FREE_POINTS = 600, 200
"""Random points of ``U`` and of ``V`` outside ``U`` in the PL sweep."""

FREE_LAYER_NORMS = (1.0, 3.0)
"""Range of the norm of the one free layer of the points of ``V`` outside ``U``."""

FIGURE_STRIDE = 4
"""Every ``FIGURE_STRIDE``-th point of each group of the sweep is recomputed to check the PL figure."""

STUDENT_TAIL = Fraction(1, 100)
"""Two-sided tail probability at which the law of the Student-t coordinates is checked."""

GAUSSIAN_FALSE_ALARM = 1e-5
"""Probability that a chi-square law leaves the interval of the checks of the Gaussian matrices of the data."""

RATIO_WINDOW = (1e-2, 1e2)
"""Vertical range of the right panel of the PL figure."""

EQUALITY_TAU = 0.5
"""``tau`` of the equality instance built on the moments of the data."""

HARDT_MA_INSTANCES = {  # name: (lambda_min(Sxx), H, tau, what the row of the table isolates)
    "exponent": (Fraction(1), 3, Fraction(1, 2), "the exponent"),
    "eigen": (Fraction(4), 3, Fraction(0), r"$\sigma_{\min}^2$ against $\lambda_{\min}$"),
    "near": (Fraction(19, 20), 2, Fraction(1, 10), "just above the threshold"),
    "hold": (Fraction(1, 2), 3, Fraction(0), "below the threshold"),
}
"""Equality instances ``Sxx = lambda_min diag(1, 2, 3)`` at which the printed (2.3) is tested."""


@dataclass(frozen=True)
class Sample:
    """The drawn data ``(X, Y)``, their moments and the least-squares solution ``R`` of (1).

    ``R_data`` is the same solution by another algorithm, a least-squares solve
    on the data matrix (:func:`~generator.problem1.references.data_least_squares`).
    """

    X: np.ndarray
    Y: np.ndarray
    Sxx: np.ndarray
    Syx: np.ndarray
    Syy: float
    R: np.ndarray
    R_data: np.ndarray


@dataclass(frozen=True)
class Sweeps:
    """The drawn points of the PL sweep (``U``, and ``V`` outside ``U``) and the sweep at them."""

    batches: list[BallBatch]
    free_batches: list[BallBatch]
    sweep: PLSweep
    free_sweep: PLSweep


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 1 claim and draw its two figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=1)
    rng = np.random.default_rng(SEED)
    sample = _data(led, rng)
    probe = _probe_point(led, rng)
    _loss_identities(led, sample, probe)
    _gradient_checks(led, sample, probe)
    _descent(led, sample, figures_dir)
    _boundary_counterexample(led, sample)
    _singular_moments(led, sample)
    sweeps = _pl_sweep_points(led, rng, sample)
    _pl_sweep_design(led, sweeps, sample)
    _pl_on_the_ball(led, sweeps)
    _pl_per_layer(led, sweeps)
    _printed_threshold(led, sweeps, figures_dir)
    _pl_equality(led, sample)
    _printed_equality_instances(led)
    _bounds_printed_above(led)
    return led


# --- references: a value against a number computed independently of it ----


def _outward(value: float, rounding: str) -> float:
    """``value`` rounded to ten significant digits in the direction ``rounding``."""
    exact = Decimal(repr(float(value)))
    return float(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 9), rounding=rounding))


def _agrees_with(reference: float, rtol: float = 1e-9, *, floor: float | None = None,
                 ceiling: float | None = None) -> Check:
    """The value lies within a relative ``rtol`` of ``reference``, computed by other means.

    The ends of the interval are rounded outward to ten significant digits, so
    that the printed check stays short and is never narrower than ``rtol``.
    ``floor`` and ``ceiling`` (a bound a theorem or the text states) cut the
    interval, which is empty, so that the check fails, when the reference
    breaks them.  A non-finite reference gives a check that always fails.
    """
    if not np.isfinite(reference):
        return between(float("nan"), float("nan"))
    low, high = sorted((reference * (1 - rtol), reference * (1 + rtol)))
    low, high = _outward(low, ROUND_FLOOR), _outward(high, ROUND_CEILING)
    return between(low if floor is None else max(low, floor), high if ceiling is None else min(high, ceiling))


def _at_most(led: Ledger, name: str, value: float, bound: float, **details) -> None:
    """A number at rounding level that the text quotes as an upper bound ("at most").

    Only its order of magnitude is meaningful (another correct implementation
    changes its digits): the text prints the power of ten above it.
    """
    led.claim(name, value, at_most(bound), style="order", rounding="up", **details)


def _equals_rational(reference: Fraction, tolerance: str = "1e-12") -> Check:
    """The value lies within ``tolerance`` of the exact rational ``reference`` (printed as a fraction)."""
    return between(f"{reference} - {tolerance}", f"{reference} + {tolerance}")


# --- the data and the least-squares problem (1) ---------------------------


def _data(led: Ledger, rng: np.random.Generator) -> Sample:
    """Draw the data; claims on their law, on the residual, on ``det R`` and on ``lambda_min(Sxx)``."""
    draw = draw_data(rng, DATA)
    X, Y = draw.X, draw.Y
    Sxx, Syx, Syy = second_moments(X, Y)
    R = least_squares_solution(Sxx, Syx)
    _data_parameters(led)
    _data_law(led, draw)
    _residual(led, X, Y)
    # R Sxx = Syx forces det R = det Syx / det Sxx; the reference never forms R.
    led.claim("data_det_r", float(np.linalg.det(R)), _agrees_with(scipy.linalg.det(Syx) / scipy.linalg.det(Sxx)),
              source=least_squares_solution,
              description=r"$\det R$ of the least-squares solution of the data, against "
                          r"$\det\Sigma_{yx}/\det\Sigma_{xx}$")
    # The reference: the smallest singular value of the data matrix, never forming X^T X.
    smallest_singular = scipy.linalg.svdvals(X)[-1]
    led.claim("data_lambda_min", scipy.linalg.eigvalsh(Sxx)[0], _agrees_with(smallest_singular**2 / X.shape[0]),
              source=second_moments,
              description=r"$\lambda_{\min}(\Sigma_{xx})$ of the data, against $\sigma_{\min}{(X)}^2/m$ for "
                          r"the $m\times d$ data matrix $X$")
    return Sample(X, Y, Sxx, Syx, Syy, R, data_least_squares(X, Y))


def _data_law(led: Ledger, draw) -> None:
    """The drawn data follow the law the text states: each random ingredient below its median half the time.

    The medians come from the laws themselves (``ln 2`` and the inverse
    distribution function of Student's t), the model from ``numpy.einsum`` and
    ``Phi`` from the matrix logarithm: none from the sampler.
    """
    laws = {
        "exponential": r"the $\operatorname{Exp}(1)-1$ coordinates of $\zeta$ at most $\ln2-1$",
        "student": r"the Student-$t$ coordinates of $\zeta$ (scaled to unit variance) with $\abs{\zeta_j}$ at "
                   r"most $t_\nu^{-1}(3/4)\sqrt{(\nu-2)/\nu}$",
        "laplace": r"the standard Laplace factors of the noise with $\abs{\zeta'_j}$ at most $\ln2$",
    }
    for name, (fraction, count) in latent_median_fractions(draw, DATA).items():
        led.claim(f"data_{name}_median", fraction, binomial_within(Fraction(1, 2), count), source=draw_data,
                  style="fixed", digits=3,
                  description=f"fraction of {laws[name]}, the median of their law (a probability of exactly 1/2)")
    led.parameter("student_tail", float(STUDENT_TAIL), style="fixed", digits=2,
                  description="two-sided tail probability at which the Student-$t$ coordinates are checked")
    led.parameter("gaussian_false_alarm", GAUSSIAN_FALSE_ALARM, style="sci", digits=1,
                  description="probability that the chi-square law leaves the interval of the checks of the "
                              "Gaussian matrices")
    fraction, count = student_tail_fraction(draw, DATA, float(STUDENT_TAIL))
    led.claim("data_student_tail", fraction, binomial_within(STUDENT_TAIL, count), source=draw_data,
              style="fixed", digits=4,
              description=r"fraction of the Student-$t$ coordinates of $\zeta$ with $\abs{\zeta_j}$ above "
                          r"$t_\nu^{-1}(1-p/2)\sqrt{(\nu-2)/\nu}$, $p=" + str(STUDENT_TAIL) + r"$, a probability of "
                          r"exactly $p$ (the tail sees the degrees of freedom)")
    names = {"mixing": r"$\Gamma_1$ of the mixing matrix", "exponent": r"$\Gamma_2$ of the exponent of $\Phi$"}
    for name, (square_sum, entries) in gaussian_square_sums(draw).items():
        low, high = (scipy.stats.chi2.ppf(GAUSSIAN_FALSE_ALARM / 2, entries),
                     scipy.stats.chi2.isf(GAUSSIAN_FALSE_ALARM / 2, entries))
        led.claim(f"data_{name}_chi_square", square_sum,
                  between(_outward(low, ROUND_FLOOR), _outward(high, ROUND_CEILING)), source=draw_data,
                  style="fixed", digits=1,
                  description=rf"$\|\Gamma\|_F^2$ of the standard Gaussian {names[name]}, against the central "
                              rf"interval of the chi-square law with {entries} degrees of freedom that it leaves "
                              rf"with probability {GAUSSIAN_FALSE_ALARM:g}")
    _at_most(led, "data_model_error", data_model_error(draw, DATA), 1e-12, source=draw_data,
             description=r"largest deviation of the drawn $(x,y)$ from $x=(\Id+c_1\Gamma_1)\zeta+\mathbf 1$ and "
                         r"the formula for $y$, evaluated with numpy.einsum from the drawn $\zeta$, $\Gamma_1$, "
                         r"$\Phi$, $\zeta'$, relative to the largest entry")
    _at_most(led, "data_phi_log_error", phi_log_error(draw, DATA), 1e-12, source=draw_data,
             description=r"relative distance of the matrix logarithm (scipy.linalg.logm) of $\Phi$ from "
                         r"$c_2\Gamma_2/\sqrt d$")


def _residual(led: Ledger, X, Y) -> None:
    """The residual is orthogonal to ``x`` but correlated with it and with its centred squares."""
    residual = residual_statistics(X, Y)
    _at_most(led, "residual_orthogonality", residual.orthogonality, 1e-12, source=residual_statistics,
             description=r"largest normalised moment $|\E[r_{i}x_{j}]|/{(\E[r_i^2]\,\E[x_j^2])}^{1/2}$ "
                         r"of the residual $r=y-Rx$ (orthogonality)")
    led.claim("residual_mean", residual.mean, _agrees_with(residual_mean_ratio(X, Y), floor=0.01),
              source=residual_statistics, digits=3,
              description=r"largest normalised mean $|\E[r_i]|/{(\E[r_i^2])}^{1/2}$ of the residual (not zero: "
                          "the model has no intercept), against the residual of a least-squares solve on the data "
                          "matrix")
    # The references: the residual of a least-squares solve on the data matrix, numpy.corrcoef, a loop.
    pearson, quadratic = residual_correlations(X, Y)
    led.claim("residual_pearson", residual.pearson, _agrees_with(pearson, floor=0.05), source=residual_statistics,
              description=r"largest Pearson correlation $|\operatorname{corr}(r_i,x_j)|$ "
                          r"(not zero: $\E[r]\neq0$), against numpy.corrcoef")
    led.claim("residual_quadratic_moment", residual.quadratic, _agrees_with(quadratic, floor=0.1),
              source=residual_statistics,
              description=r"largest normalised moment of $r_i$ against a centred square $x_j^2-\E[x_j^2]$, "
                          "against a loop over the pairs $(i,j)$")


def _data_parameters(led: Ledger) -> None:
    """The seed and the parameters of the data distribution :data:`DATA`."""
    led.parameter("seed", str(SEED), description="seed of numpy.random.default_rng for all draws")
    led.parameter("samples", DATA.samples, description="sample size $m$ of the empirical distribution")
    led.parameter("dimension", DATA.dimension, description="dimension $d$ of $x$ and $y$")
    led.parameter("student_dof", DATA.student_dof,
                  description=r"degrees of freedom of the Student-$t$ coordinates of $\zeta$")
    led.parameter("mixing_scale", DATA.mixing_scale, style="fixed", digits=1,
                  description=r"coefficient of the Gaussian matrix $\Gamma_1$ in the mixing matrix of $x$")
    led.parameter("target_scale", DATA.target_scale, style="fixed", digits=1,
                  description=r"coefficient of $\Gamma_2/\sqrt{d}$ in the exponent of the matrix $\Phi$")
    led.parameter("nonlinear_scale", DATA.nonlinear_scale, style="fixed", digits=2,
                  description=r"coefficient of the nonlinear term $x\odot|x|$ in $y$")
    led.parameter("noise_scale", DATA.noise_scale, style="fixed", digits=2,
                  description="scale of the heteroscedastic Laplace noise")


# --- moment form of the loss, excess-loss identity, gradient ---------------


def _probe_point(led: Ledger, rng: np.random.Generator) -> list[np.ndarray]:
    """A random point with ``DEPTH`` layers, each of spectral norm :data:`PROBE_NORM`."""
    led.parameter("probe_norm", PROBE_NORM, style="fixed", digits=1,
                  description="spectral norm of every layer at the random probe point")
    d = DATA.dimension
    probe = [PROBE_NORM * G / np.linalg.norm(G, 2) for G in rng.standard_normal((DEPTH, d, d))]
    _at_most(led, "probe_norm_error", float(np.max(np.abs(spectral_norms(probe) - PROBE_NORM))), 1e-12,
             source=_probe_point,
             description=r"largest $|\|W_k\|_2-{}$probe norm$|$ over the layers of the probe point, with "
                         r"$\|W_k\|_2=\lambda_{\max}{(W_k^\top W_k)}^{1/2}$")
    return probe


def _loss_identities(led: Ledger, sample: Sample, probe: list[np.ndarray]) -> None:
    """The moment form of the loss and the excess-loss identity at the probe point.

    The reference is the sample mean of the loss by a forward pass through the
    layers (:func:`loss_from_samples`), which forms neither the product nor a moment.
    """
    Sxx, Syx, Syy = sample.Sxx, sample.Syx, sample.Syy
    sample_loss = loss_from_samples(probe, sample.X, sample.Y)
    _at_most(led, "moment_loss_error", abs(loss(probe, Sxx, Syx, Syy) - sample_loss) / sample_loss,
             1e-12, source=loss,
             description="relative gap between the moment form of the loss and the sample mean")
    optimum = loss_from_samples([sample.R - np.eye(DATA.dimension)], sample.X, sample.Y)
    identity_error = abs(sample_loss - optimum - excess_loss(probe, Sxx, Syx)) / sample_loss
    _at_most(led, "excess_identity_error", identity_error, 1e-12, source=excess_loss,
             description="relative error of the excess-loss identity at the probe point")


def _gradient_checks(led: Ledger, sample: Sample, probe: list[np.ndarray]) -> None:
    """Four checks of the gradient formula and of Lemma 2.4 of Hardt & Ma at the probe point.

    Central differences of the sample mean of the loss are the reference for the
    gradient (at all ``H`` layers) and for the printed Lemma 2.4 (at the first two
    layers, where its order cannot matter); the printed order at all ``H`` layers
    is measured against the gradient; the last-layer identity with ``Syx = 0``.
    """
    Sxx, Syx = sample.Sxx, sample.Syx
    led.parameter("fd_step", FD_STEP, style="sci", description=r"step $\varepsilon$ of the central differences")

    # The 2d rows of a QR factor of the data have the same mean loss as the m samples, at a fraction of the cost.
    X_equivalent, Y_equivalent = equivalent_samples(sample.X, sample.Y)

    def sample_loss(Ws):
        return loss_from_samples(Ws, X_equivalent, Y_equivalent)

    exact = gradients(probe, Sxx, Syx)
    fd_error = _largest_entry_error(exact, central_difference_gradient(sample_loss, probe, FD_STEP))
    _at_most(led, "gradient_fd_error", fd_error, 1e-8, source=gradients,
             description="largest error of the gradient formula against central differences of the "
                         "sample mean of the loss, relative to the largest gradient entry")
    two = probe[:2]
    two_layer_error = _largest_entry_error(hardt_ma_printed_gradients(two, Sxx, Syx),
                                           central_difference_gradient(sample_loss, two, FD_STEP))
    _at_most(led, "hm_lemma_two_layer_error", two_layer_error, 1e-8,
             source=hardt_ma_printed_gradients,
             description="the same for Lemma 2.4 of Hardt and Ma as printed, at the first two layers "
                         "of the probe point ($H=2$)")
    _printed_order(led, sample, probe, exact)
    _at_most(led, "last_layer_identity_error", last_layer_identity_error(probe, Sxx), 1e-12,
             source=last_layer_identity_error,
             description=r"relative error of $\langle\nabla_H\mathcal L,\Id+W_H\rangle"
                         r"=2(\mathcal L-\mathcal L^*)$ at the probe point with $\Sigma_{yx}=0$")


def _printed_order(led: Ledger, sample: Sample, probe: list[np.ndarray], exact: list[np.ndarray]) -> None:
    """How far Lemma 2.4 as printed is from the gradient, against the printed formula built another way.

    The distance is taken over all layers together, so that a change at any one
    layer changes it.
    """
    def distance(printed):
        return float(np.linalg.norm(np.subtract(printed, exact)) / np.linalg.norm(exact))

    reference = distance(_printed_lemma_from_products(probe, sample.Sxx, sample.Syx))
    led.claim("hm_lemma_order_error", distance(hardt_ma_printed_gradients(probe, sample.Sxx, sample.Syx)),
              _agrees_with(reference), source=hardt_ma_printed_gradients,
              description="relative Frobenius distance, over all layers together, of Lemma 2.4 of Hardt and Ma "
                          "with the products in the printed order from the gradient at the probe point, against "
                          "the printed formula assembled from end-to-end products of the reversed lists of layers")


def _printed_lemma_from_products(layers, Sxx, Syx) -> list[np.ndarray]:
    """Lemma 2.4 as printed, from :func:`end_to_end` of reversed lists of layers.

    ``end_to_end([W_H, ..., W_{k+1}])`` is ``(I + W_{k+1}) ... (I + W_H)``, whose
    transpose is the printed left factor ``(I + W_H)^T ... (I + W_{k+1})^T``; the
    right factor ``(I + W_{k-1})^T ... (I + W_1)^T`` likewise.
    """
    identity = np.eye(Sxx.shape[0])

    def product(part):
        return end_to_end(part) if part else identity

    G = end_to_end(layers) @ Sxx - Syx
    return [2.0 * product(layers[k + 1:][::-1]).T @ G @ product(layers[:k][::-1]).T for k in range(len(layers))]


def _largest_entry_error(computed, reference) -> float:
    """``max |computed - reference|`` over all entries of all layers, over ``max |reference|``.

    ``numpy.max`` propagates a NaN, so a non-finite entry fails every check.
    """
    error = np.max([np.max(np.abs(a - b)) for a, b in zip(computed, reference)])
    return float(error / np.max([np.max(np.abs(b)) for b in reference]))


# --- gradient descent from W = 0 -------------------------------------------


def _descent(led: Ledger, sample: Sample, figures_dir: Path) -> None:
    """Gradient descent from ``W = 0`` reaches ``R`` inside the unit ball; its figure.

    Every number of the path is recomputed from its iterates by other code
    (:func:`~generator.problem1.references.descent_reference`): the norms from
    eigenvalues of ``W^T W``, the excess loss and the PL ratio by the batched sweep.
    """
    Sxx, Syx, R = sample.Sxx, sample.Syx, sample.R
    led.parameter("depth", DEPTH, description="depth $H$ of the descent and of the probe point")
    led.parameter("iterations", ITERATIONS, description="number of gradient descent steps")
    led.parameter("ratio_floor", RATIO_FLOOR, style="sci", digits=1,
                  description=r"the PL ratio along the descent is taken while $\mathcal L-\mathcal L^*$ "
                              "exceeds this fraction of its initial value")
    step = descent_step(Sxx, R, DEPTH)
    # lambda_max(Sxx) = sigma_max(X)^2 / m, and ||R||_2 of the least-squares solve on the data matrix.
    largest = scipy.linalg.svdvals(sample.X)[0] ** 2 / sample.X.shape[0] * scipy.linalg.svdvals(sample.R_data)[0] ** 2
    led.claim("step", step, _agrees_with(1.0 / (2 * DEPTH * largest)), source=descent_step, style="sci", digits=3,
              description=r"step size $\eta=1/(2H\lambda_{\max}(\Sigma_{xx})\|R\|_2^2)$, against "
                          r"$\lambda_{\max}(\Sigma_{xx})=\sigma_{\max}{(X)}^2/m$ and $\|R\|_2$ of a least-squares "
                          "solve on the data matrix")
    path = gradient_descent(Sxx, Syx, DEPTH, step, ITERATIONS, RATIO_FLOOR)
    led.claim("descent_steps", path.steps, equals(ITERATIONS), source=gradient_descent, style="int",
              description=r"steps the descent took (it stops early when $\mathcal L-\mathcal L^*$ rises above "
                          "its initial value)")
    reference = descent_reference(path, Sxx, Syx, RATIO_FLOOR)
    rounding = distance_rounding(Sxx, R, DEPTH)
    _descent_loss(led, sample, path, reference, rounding)
    _descent_norms(led, path, reference)
    _at_most(led, "descent_update_error", descent_update_error(path, Sxx, Syx, step), 1e-12,
             source=gradient_descent,
             description=r"largest $\|W^{(s+1)}-W^{(s)}+\eta\nabla\mathcal L(W^{(s)})\|_F/\|W^{(s+1)}\|_F$ "
                         "along the path, with the gradient of the probe-point check")
    # Near the floor both sides carry the relative rounding error of sqrt(L - L*) there.
    ratio_rtol = 1e-9 + 8 * rounding / np.sqrt(RATIO_FLOOR * reference.excess[0])
    led.claim("descent_pl_ratio_min", path.pl_ratio_min, _agrees_with(reference.ratio_min, ratio_rtol, floor=1),
              source=gradient_descent,
              description="smallest ratio of the two sides of the PL inequality along the descent, against "
                          "the batched sweep at the iterates, with its own layer norms")
    drawn = plot_descent(path, figures_dir / "p1_descent.pdf")
    led.figure("descent", "p1_descent.pdf", source=plot_descent)
    _at_most(led, "figure_descent_deviation", descent_figure_deviation(drawn, reference, rounding), 1e-5,
             source=plot_descent,
             description=r"largest relative deviation of the curves drawn in the descent figure from "
                         r"$\mathcal L-\mathcal L^*$ (compared through its square root, up to its rounding level) "
                         r"and from $\max_k\lambda_{\max}{(W_k^\top W_k)}^{1/2}$ at the iterates, against the "
                         "iteration")


def _descent_loss(led: Ledger, sample: Sample, path: DescentPath, reference, rounding: float) -> None:
    """The excess loss along the path and the distance of the last product from ``R``.

    Near the minimum ``L - L*`` is the square of a distance known only to its
    rounding level ``rounding`` (:func:`~generator.problem1.references.distance_rounding`),
    which scales with the depth, ``kappa(Sxx)`` and ``||R||``: the tolerances
    below are relative far from the minimum and absolute at that level, so that a
    descent that converges to rounding level on other data still passes.
    """
    initial, final = reference.excess[0], reference.excess[-1]
    low = max(np.sqrt(final) * (1 - 1e-5) - rounding, 0.0) ** 2 / initial
    high = (np.sqrt(final) * (1 + 1e-5) + rounding) ** 2 / initial
    led.claim("descent_final_gap", path.excess[-1] / path.excess[0],
              between(_outward(low, ROUND_FLOOR), _outward(high, ROUND_CEILING)),
              source=gradient_descent,
              description=r"$\mathcal L-\mathcal L^*$ after the descent relative to its value at $W=0$, "
                          r"against $\operatorname{tr}((M-R)\Sigma_{xx}{(M-R)}^\top)$ by the batched sweep "
                          r"(its square root to a relative $10^{-5}$ plus its rounding level)")
    # Exactly 0 at rounding level: printed as at most its resolution (the power of ten above, as _at_most does).
    led.claim("descent_excess_deviation", excess_deviation(path.excess, reference.excess, rounding), at_most(1e-5),
              style="order", rounding="up", resolution=1e-12, source=gradient_descent,
              description=r"largest deviation of ${(\mathcal L-\mathcal L^*)}^{1/2}$ along the path (the left "
                          "panel of the figure) from the batched sweep at the iterates beyond its rounding level, "
                          "relative to the latter")
    norm_R = np.linalg.norm(sample.R)
    product_error = np.linalg.norm(end_to_end(path.layers) - sample.R) / norm_R
    # ||M - R||_F^2 <= (L - L*) / lambda_min(Sxx): the distance is bounded by the final excess loss.
    lam_min = scipy.linalg.eigvalsh(sample.Sxx)[0]
    slack = (np.linalg.norm(sample.R - sample.R_data) + rounding / np.sqrt(lam_min)) / norm_R
    reference_error = relative_product_error(path.layers, sample.R_data)
    ceiling = (np.sqrt(final / lam_min) + rounding / np.sqrt(lam_min)) / norm_R * (1 + 1e-4)
    led.claim("descent_product_error", product_error,
              between(_outward(max(reference_error * (1 - 1e-4) - slack, 0.0), ROUND_FLOOR),
                      _outward(min(reference_error * (1 + 1e-4) + slack, ceiling), ROUND_CEILING)),
              source=gradient_descent,
              description=r"relative distance $\|M-R\|_F/\|R\|_F$ after the descent, against the same with "
                          "$R$ from a least-squares solve on the data matrix (to a relative $10^{-4}$ plus the "
                          r"distance of the two solutions and the rounding level), and at most "
                          r"${((\mathcal L-\mathcal L^*)/\lambda_{\min}(\Sigma_{xx}))}^{1/2}/\|R\|_F$")


def _descent_norms(led: Ledger, path: DescentPath, reference) -> None:
    """The layer norms along the path: largest, spread, and all of them, against eigenvalues of ``W^T W``."""
    led.claim("descent_max_norm", float(path.norms.max()),
              _agrees_with(float(reference.norms.max()), ceiling=float(np.nextafter(1.0, 0.0))),
              source=gradient_descent,
              description=r"largest layer norm $\|W_k\|_2$ met along the descent (below 1), against "
                          r"$\lambda_{\max}{(W_k^\top W_k)}^{1/2}$")
    led.claim("descent_norm_spread", path.norm_spread, _agrees_with(reference.norm_spread),
              source=gradient_descent,
              description="largest difference between the largest and the smallest layer norm "
                          "along the descent, relative to the largest, against the same from "
                          r"$\lambda_{\max}{(W_k^\top W_k)}^{1/2}$")
    largest = reference.norms[1:].max(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = float(np.max(np.abs(path.norms - reference.norms)[1:] / largest, initial=0.0))
    _at_most(led, "descent_norm_deviation", deviation, 1e-12, source=gradient_descent,
             description=r"largest deviation of the layer norms along the path (the right panel of the figure) "
                         r"from $\lambda_{\max}{(W_k^\top W_k)}^{1/2}$, relative to the largest norm of the iterate")


# --- counterexamples: the boundary critical point, singular Sxx -----------


def _boundary_counterexample(led: Ledger, sample: Sample) -> None:
    """The gap at the boundary critical point and the two paths out of it, against their closed forms."""
    Sxx, Syx, Syy = sample.Sxx, sample.Syx, sample.Syy
    corner = boundary_critical_point(DEPTH, DATA.dimension)
    # tr(Syx Sxx^{-1} Sxy) by a Cholesky solve, not through R.
    gap_formula = float(np.trace(Syx @ scipy.linalg.solve(Sxx, Syx.T, assume_a="pos")))
    led.claim("boundary_gap", excess_loss(corner, Sxx, Syx), _agrees_with(gap_formula), source=excess_loss,
              description=r"$\mathcal L-\mathcal L^*$ at the boundary critical point $W^\circ$, against "
                          r"$\operatorname{tr}(\Sigma_{yx}\Sigma_{xx}^{-1}\Sigma_{xy})$")
    led.parameter("escape_t", ESCAPE_T, style="fixed", digits=1, description="$t$ along the escape paths")
    norm = np.linalg.norm(Syx)
    quartic = ESCAPE_T**4 * np.trace(Syx @ Sxx @ Syx.T) / norm**2
    for name, sign, path in (("boundary_escape_down", 1, "W_+"), ("boundary_escape_up", -1, "W_-")):
        formula = -2 * sign * ESCAPE_T**2 * norm + quartic
        led.claim(name, boundary_escape_change(Sxx, Syx, Syy, DEPTH, ESCAPE_T, sign), _agrees_with(formula),
                  source=boundary_escape_change,
                  description=rf"change of the loss from $W^\circ$ to ${path}(t)$, against its closed form")


def _singular_moments(led: Ledger, sample: Sample) -> None:
    """``x = (u, 0)``: the minimum-norm solutions of two singular examples, against their closed forms."""
    S1xx, S1yx, _ = singular_example(sample.X[:, 0])
    distance = np.linalg.norm(np.eye(2) - least_squares_solution(S1xx, S1yx))
    led.claim("singular_distance", distance, _equals_rational(Fraction(1)), source=least_squares_solution,
              style="fixed", digits=3,
              description=r"$\|M(0)-R_0\|_F=\|\Id-R_0\|_F$ for $x=(u,0)$, $y=x$, against $R_0=\diag(1,0)$")
    led.parameter("vacuous_slope", VACUOUS_SLOPE,
                  description=r"coefficient of $u$ in $y$ in the example without critical points "
                              r"in $\mathcal U$")
    led.parameter("vacuous_depth", VACUOUS_DEPTH,
                  description=r"depth $H$ of the example without critical points in $\mathcal U$")
    if abs(VACUOUS_SLOPE) < 2**VACUOUS_DEPTH:
        raise ValueError("the vacuous example needs |slope| >= 2^H")
    S2xx, S2yx, _ = singular_example(sample.X[:, 0], float(VACUOUS_SLOPE))
    led.claim("singular_vacuous_norm", np.linalg.norm(least_squares_solution(S2xx, S2yx), 2),
              _equals_rational(Fraction(abs(VACUOUS_SLOPE))), source=least_squares_solution, digits=2,
              description=rf"$\|R_0\|_2$, the smallest $\|R\|_2$ over the solutions, for $x=(u,0)$, "
                          rf"$y=({VACUOUS_SLOPE}u,0)$, against $R_0=\diag({VACUOUS_SLOPE},0)$")


# --- PL inequalities: sweep, per-layer form, threshold of the printed (2.3)


def _pl_sweep_points(led: Ledger, rng: np.random.Generator, sample: Sample) -> Sweeps:
    """Both sides of the PL inequalities at random points of ``U`` and of ``V`` outside ``U``.

    The batched sweep is checked against the per-point functions at the first
    point of every other batch.
    """
    led.parameter("pl_points", PL_POINTS, description=r"random points of $\mathcal U$ in the PL sweep")
    led.parameter("pl_free_points", PL_FREE_POINTS,
                  description=r"random points of $\mathcal V$ outside $\mathcal U$ in the PL sweep")
    led.parameter("pl_free_low", FREE_LAYER_NORMS[0], style="int",
                  description="lower end of the range of the norm of the free layer")
    led.parameter("pl_free_high", FREE_LAYER_NORMS[1], style="int",
                  description="upper end of the range of the norm of the free layer")
    led.parameter("pl_scale_low", SCALE_EXPONENTS[0], description=r"lower end of the range of $\log_{10}c$")
    led.parameter("pl_scale_high", SCALE_EXPONENTS[1], description=r"upper end of the range of $\log_{10}c$")
    led.parameter("pl_max_dimension", MAX_DIMENSION, description="largest $d$ of the random moments")
    moments = (sample.Sxx, sample.Syx)
    batches = random_ball_points(rng, PL_POINTS, moments, max_depth=DEPTH)
    free_batches = random_ball_points(rng, PL_FREE_POINTS, moments, max_depth=DEPTH,
                                      free_layer_norm=FREE_LAYER_NORMS)
    # Batches are sorted by (source, d, H): alternate ones cover every (source, d) pair in both sweeps.
    deviation = per_point_deviation(batches[::2] + free_batches[1::2])
    _at_most(led, "pl_sweep_consistency", deviation, 1e-9, source=pl_sweep,
             description="largest relative deviation of the batched sweep from a point-by-point "
                         "computation (gradient norm, both ratios, $\\rho$, per-layer ratio) at the "
                         "first point of every other group of equal $d$ and $H$")
    sweeps = Sweeps(batches, free_batches, pl_sweep(batches), pl_sweep(free_batches))
    led.claim("pl_sweep_points", sweeps.sweep.lhs.size + sweeps.free_sweep.lhs.size,
              equals(PL_POINTS + PL_FREE_POINTS), source=pl_sweep, style="int",
              description=r"points of the sweep with $\mathcal L>\mathcal L^*$ (all of them)")
    return sweeps


def _pl_sweep_design(led: Ledger, sweeps: Sweeps, sample: Sample) -> None:
    """The drawn points follow the design the text states, measured on the points themselves."""
    every = sweeps.batches + sweeps.free_batches
    data = [np.all(b.Sxx == sample.Sxx, axis=(1, 2)) if b.Sxx.shape[1:] == sample.Sxx.shape
            else np.zeros(b.Sxx.shape[0], dtype=bool) for b in every]
    led.claim("pl_sweep_data_points", int(sum(np.sum(mask) for mask in data)),
              equals((PL_POINTS + 1) // 2 + (PL_FREE_POINTS + 1) // 2), source=random_ball_points, style="int",
              description=r"points of the sweep whose $\Sigma_{xx}$ is the data's, against half of each draw")
    dims = np.concatenate([np.full(b.layers.shape[0], b.layers.shape[-1])[~mask] for b, mask in zip(every, data)])
    _pl_sweep_scale_law(led, every, data)
    full = np.concatenate([np.linalg.matrix_rank(b.Sxx[~mask]) == b.Sxx.shape[1] for b, mask in zip(every, data)])
    # d uniform on 1..5 and the rank uniform on 1..d: full rank with probability E[1/d].
    led.claim("pl_sweep_full_rank", float(np.mean(full)),
              binomial_within(sum(Fraction(1, d) for d in range(1, MAX_DIMENSION + 1)) / MAX_DIMENSION, full.size),
              source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points with random moments whose $\Sigma_{xx}$ has full rank "
                          r"(numpy.linalg.matrix_rank; $d$ uniform, the rank uniform on "
                          r"$1,\ldots,d$, so the probability is the mean of $1/d$)")
    led.claim("pl_sweep_extreme_dimensions", float(np.mean((dims == 1) | (dims == MAX_DIMENSION))),
              binomial_within(Fraction(2, MAX_DIMENSION), dims.size), source=random_ball_points, style="fixed",
              digits=3,
              description=r"fraction of the points with random moments drawn with the smallest or the largest $d$ "
                          "($d$ uniform)")
    depths = np.concatenate([np.full(b.layers.shape[0], b.layers.shape[1]) for b in every])
    led.claim("pl_sweep_extreme_depths", float(np.mean((depths == 1) | (depths == DEPTH))),
              binomial_within(Fraction(2, DEPTH), depths.size), source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points drawn with $H=1$ or with the largest $H$ ($H$ uniform)")
    tau_error = max(float(np.max(np.abs(spectral_norms(b.layers).max(axis=1) - b.tau))) for b in sweeps.batches)
    _at_most(led, "pl_sweep_design_tau_error", tau_error, 1e-12, source=random_ball_points,
             description=r"largest $|\max_k\|W_k\|_2-\tau|$ over the points of $\mathcal U$ (the largest "
                         r"$t_k$ is set to 1), with $\|W_k\|_2=\lambda_{\max}{(W_k^\top W_k)}^{1/2}$")
    _pl_sweep_layer_law(led, sweeps.batches)
    low, high = FREE_LAYER_NORMS
    free = np.concatenate([spectral_norms(b.layers)[np.arange(b.layers.shape[0]), b.free_layer]
                           for b in sweeps.free_batches])
    # The free layer is the one of norm at least 1 (the others have norm at most tau < 1), chosen uniformly.
    last = np.concatenate([spectral_norms(b.layers).argmax(axis=1) == b.layers.shape[1] - 1
                           for b in sweeps.free_batches])
    led.claim("pl_free_layer_last", float(np.mean(last)),
              binomial_within(sum(Fraction(1, H) for H in range(1, DEPTH + 1)) / DEPTH, last.size),
              source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points of $\mathcal V$ whose layer of largest norm is the last one "
                          r"(the free layer uniform on $1,\ldots,H$ and $H$ uniform, so the mean of $1/H$)")
    led.claim("pl_free_norm_lower_half", float(np.mean((free >= low) & (free <= (low + high) / 2))),
              binomial_within(Fraction(1, 2), free.size), source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the free layers of the points of $\mathcal V$ whose norm lies in the lower "
                          "half of its range (uniform on the range)")


def _pl_sweep_scale_law(led: Ledger, every: list[BallBatch], data: list[np.ndarray]) -> None:
    """``log10 c`` of the random moments ``Sxx = c B B^T`` is uniform, measured on ``tr Sxx``.

    ``tr Sxx = c Q`` with ``Q`` chi-square with ``d r`` degrees of freedom (``r``
    the numerical rank), so whether ``tr Sxx`` is below the median of ``Q`` is a
    Bernoulli draw with a probability that depends on ``d r`` alone
    (:func:`~generator.problem1.references.scaled_chi_square_probability`).
    """
    below, probability = [], []
    for b, mask in zip(every, data):
        d = b.Sxx.shape[1]
        dofs = d * np.linalg.matrix_rank(b.Sxx[~mask])
        medians = np.array([scipy.stats.chi2.median(k) for k in dofs[dofs > 0]])
        below.append(np.trace(b.Sxx[~mask][dofs > 0], axis1=1, axis2=2) <= medians)
        dofs = dofs[dofs > 0]  # a vanishing Sxx has no law to check here; the count of the sweep's points sees it
        probability.append([scaled_chi_square_probability(int(k), SCALE_EXPONENTS) for k in dofs])
    below, probability = np.concatenate(below), np.concatenate(probability)
    led.claim("pl_sweep_scale_law", float(np.mean(below)),
              within_standard_errors(float(np.mean(probability)),
                                     float(np.sqrt(np.sum(probability * (1 - probability)))) / below.size),
              source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points with random moments $\Sigma_{xx}=c\,\Gamma_3\Gamma_3^\top$ "
                          r"whose trace is below the median of its law for $c=1$, against the probability for "
                          r"$\log_{10}c$ uniform (an integral of the chi-square distribution function)")


def _pl_sweep_layer_law(led: Ledger, batches: list[BallBatch]) -> None:
    """The layer norms of the points of ``U`` follow the stated law, measured on the drawn layers.

    ``tau`` is uniform on ``[0, TAU_HIGH]``: the largest norm is below the middle
    half the time.  The norms over ``tau`` are ``H`` independent uniforms with the
    largest set to 1, so for ``H >= 2`` the smallest, ``r``, is the minimum of
    ``H`` uniforms and ``(1 - r)^H`` is uniform on ``[0, 1]``.
    """
    norms = [spectral_norms(b.layers) for b in batches]
    largest = np.concatenate([n.max(axis=1) for n in norms])
    led.claim("pl_sweep_tau_lower_half", float(np.mean(largest <= TAU_HIGH / 2)),
              binomial_within(Fraction(1, 2), largest.size), source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points of $\mathcal U$ whose largest layer norm $\tau$ lies in the "
                          r"lower half of its range ($\tau$ uniform)")
    # tau uniform on [0, TAU_HIGH]: the largest of n draws is below (1 - q) TAU_HIGH, and the smallest above
    # q TAU_HIGH, with probability (1 - q)^n each; q is chosen to make that 1e-6.
    q = 1 - 1e-6 ** (1 / largest.size)
    led.claim("pl_sweep_tau_largest", float(largest.max()), between(_outward((1 - q) * TAU_HIGH, ROUND_FLOOR), TAU_HIGH),
              source=random_ball_points, style="fixed", digits=3,
              description=r"largest $\tau$ over the points of $\mathcal U$: at most the upper end of its range, "
                          r"and above $(1-q)$ times it, $q=1-10^{-6/n}$ (missed with probability $10^{-6}$)")
    led.claim("pl_sweep_tau_smallest", float(largest.min()), between(0, _outward(q * TAU_HIGH, ROUND_CEILING)),
              source=random_ball_points, style="fixed", digits=3,
              description=r"smallest $\tau$ over the points of $\mathcal U$: at least 0 and below $q$ times the "
                          r"upper end of its range (missed with probability $10^{-6}$)")
    uniform = np.concatenate([(1 - n.min(axis=1) / n.max(axis=1)) ** n.shape[1] for n in norms if n.shape[1] >= 2])
    led.claim("pl_sweep_smallest_layer_law", float(np.mean(uniform <= 0.5)),
              binomial_within(Fraction(1, 2), uniform.size), source=random_ball_points, style="fixed", digits=3,
              description=r"fraction of the points of $\mathcal U$ with $H\ge2$ whose smallest layer norm, over "
                          r"the largest, $r$, has ${(1-r)}^H\le1/2$ (the minimum of $H$ uniforms)")


def _sweep_point(batches: list[BallBatch], sweep: PLSweep, index: int) -> tuple[list, np.ndarray, np.ndarray]:
    """The point ``(Ws, Sxx, Syx)`` behind entry ``index`` of ``sweep``, taken from the drawn ``batches``."""
    batch, i = batches[sweep.batch[index]], sweep.position[index]
    return list(batch.layers[i]), batch.Sxx[i], batch.Syx[i]


def _smallest(values: np.ndarray, mask: np.ndarray) -> tuple[float, int | None]:
    """The smallest of ``values[mask]`` and its index into ``values`` (NaN and None when ``mask`` is empty)."""
    indices = np.flatnonzero(mask)
    if indices.size == 0:
        return float("nan"), None
    index = int(indices[np.argmin(values[indices])])
    return float(values[index]), index


def _pl_on_the_ball(led: Ledger, sweeps: Sweeps) -> None:
    """The inequality on ``B_tau`` at the sweep points, and where it is tight."""
    sweep = sweeps.sweep
    singular_by_design = int(np.sum(sweep.design_rank < sweep.dimension))
    led.claim("pl_sweep_singular_count", int(np.sum(sweep.singular)), equals(singular_by_design), source=pl_sweep,
              style="int",
              description=r"points of $\mathcal U$ in the sweep with numerically singular $\Sigma_{xx}$, against "
                          "the number singular by construction")
    ratios = sweep.lhs / sweep.ours
    # The inequality is an identity at H = 1 and rank Sxx = 1, where the minimum therefore sits.
    led.claim("pl_sweep_min_ratio", float(np.min(ratios)), between("1 - 1e-12", "1 + 1e-12"), source=pl_sweep,
              description=r"smallest ratio of the two sides of the PL inequality on $\mathcal B_\tau$ "
                          r"over the random points: 1 up to rounding, attained where it is an identity")
    tight = (sweep.depth == 1) & (sweep.rank == 1)
    led.claim("pl_sweep_tight_count", int(np.sum(tight)),
              equals(int(np.sum((sweep.depth == 1) & (sweep.design_rank == 1)))), source=pl_sweep, style="int",
              description=r"sweep points with $H=1$ and numerical $\operatorname{rank}\Sigma_{xx}=1$, against "
                          "the number of rank one by construction")
    _at_most(led, "pl_sweep_tight_deviation", float(np.max(np.abs(ratios[tight] - 1))), 1e-12,
             source=pl_sweep,
             description=r"largest $|\text{ratio}-1|$ over the sweep points with $H=1$ and "
                         r"$\operatorname{rank}\Sigma_{xx}=1$")
    other, index = _smallest(ratios, ~tight)
    reference = pl_ratios(*_sweep_point(sweeps.batches, sweep, index))[0] if index is not None else np.nan
    led.claim("pl_sweep_other_min_ratio", other, _agrees_with(reference, floor=1 - 1e-12), source=pl_sweep,
              digits=4,
              description="smallest ratio over the other sweep points, against the per-point computation at "
                          "the point where it sits")


def _pl_per_layer(led: Ledger, sweeps: Sweeps) -> None:
    """The per-layer inequality at every layer of ``U`` and at the free layer of ``V``.

    At ``H = 1`` and ``rank Sxx = 1`` it is an identity, and both sweeps hold such points: the minima are 1.
    """
    layer_ratio = min(float(np.min(sweeps.sweep.layer_ratio)), float(np.min(sweeps.free_sweep.layer_ratio)))
    led.claim("pl_layer_min_ratio", layer_ratio, between("1 - 1e-12", "1 + 1e-12"), source=pl_sweep,
              description=r"smallest ratio of the two sides of the per-layer inequality over every layer "
                          r"of the points of $\mathcal U$ and the free layer of the points of $\mathcal V$: "
                          "1 up to rounding, attained where it is an identity")
    led.claim("pl_free_min_ratio", float(np.min(sweeps.free_sweep.layer_ratio)), between("1 - 1e-12", "1 + 1e-12"),
              source=pl_sweep, digits=3,
              description=r"the same, over the free layer of the points of $\mathcal V$ only")


def _printed_threshold(led: Ledger, sweeps: Sweeps, figures_dir: Path) -> None:
    """The printed (2.3) below its threshold at the sweep points; the PL figure."""
    sweep = sweeps.sweep
    below = ~sweep.singular & (sweep.threshold <= 1)
    with np.errstate(divide="ignore"):  # the printed right side vanishes at singular Sxx, not taken here
        smallest, index = _smallest(sweep.lhs / sweep.printed, below)
    reference = pl_ratios(*_sweep_point(sweeps.batches, sweep, index))[1] if index is not None else np.nan
    led.claim("pl_threshold_min_ratio", smallest, _agrees_with(reference, floor=1 - 1e-12), source=pl_sweep,
              digits=3,
              description=r"smallest ratio of the two sides of the printed inequality (2.3) over the sweep "
                          r"points with invertible $\Sigma_{xx}$ and "
                          r"$\lambda_{\min}(\Sigma_{xx})\le{(1-\tau)}^{H-1}$, against the per-point computation "
                          "at the point where it sits")
    led.parameter("figure_stride", FIGURE_STRIDE,
                  description="every this many points of each group of the sweep are recomputed to check the PL figure")
    drawn = plot_pl(sweep, figures_dir / "p1_pl.pdf", RATIO_WINDOW)
    led.figure("pl", "p1_pl.pdf", source=plot_pl)
    _at_most(led, "figure_pl_deviation", pl_figure_deviation(drawn, pl_figure_expected(sweeps.batches, FIGURE_STRIDE)),
             1e-9, source=plot_pl,
             description=r"largest relative distance of the points of the PL figure, at every "
                         rf"{FIGURE_STRIDE}th point of $\mathcal U$ in drawing order, from "
                         r"$(\mu_{H,\tau}(\mathcal L-\mathcal L^*),\|\nabla\mathcal L\|_F^2)$ and from $\rho$ and "
                         r"the ratio to the printed right side of (2.3), computed at that point alone (each in "
                         r"its marker set, every point drawn), and of the diagonal, the line $1/\rho$ and the "
                         r"guides at $1$ from their equations")


def _pl_equality(led: Ledger, sample: Sample) -> None:
    """Both PL inequalities hold with equality at the equality instance on the data's ``Sxx``."""
    led.parameter("equality_tau", EQUALITY_TAU, style="fixed", digits=1,
                  description=r"$\tau$ of the equality instance on the data")
    Sxx = sample.Sxx
    equal_layers, equal_Syx = pl_equality_instance(DEPTH, EQUALITY_TAU, Sxx)
    equality_ratios = [pl_ratios(equal_layers, Sxx, equal_Syx)[0]] + [
        layer_pl_ratio(equal_layers, Sxx, equal_Syx, k) for k in range(1, DEPTH + 1)]
    _at_most(led, "pl_equality_deviation", float(np.max(np.abs(np.subtract(equality_ratios, 1)))),
             1e-10, source=pl_equality_instance,
             description=r"largest distance from 1 of the ratio of the two sides at the equality "
                         r"instance, for the inequality on $\mathcal B_\tau$ and the per-layer one of "
                         "every layer")


# --- the printed (2.3) at equality instances Sxx = lambda_min diag(1, 2, 3)


def _hardt_ma_instance_ratio(depth: int, tau: float, scale: float) -> float:
    """LHS over the printed right side of (2.3) at the equality instance, ``Sxx = scale diag(1, 2, 3)``."""
    Sxx = scale * np.diag([1.0, 2.0, 3.0])
    layers, Syx = pl_equality_instance(depth, tau, Sxx)
    return pl_ratios(layers, Sxx, Syx)[1]


def _printed_equality_instances(led: Ledger) -> None:
    """The printed (2.3) at :data:`HARDT_MA_INSTANCES`: it fails above its threshold, holds below.

    Each ratio is checked against ``(1 - tau)^{H-1} / lambda_min`` in exact
    rational arithmetic (Proposition 1.18); their largest relative deviation from
    :func:`hardt_ma_threshold_ratio` is a further claim.
    """
    deviations = []
    for name, (lam, H, tau, row) in HARDT_MA_INSTANCES.items():
        where = f"in the row ``{row}'' of the table of equality instances"
        led.parameter(f"hm_{name}_lambda", float(lam), style="fixed", digits=2 if name == "near" else 1,
                      description=rf"$\lambda_{{\min}}(\Sigma_{{xx}})$ {where}")
        led.parameter(f"hm_{name}_depth", H, description=f"$H$ {where}")
        led.parameter(f"hm_{name}_tau", float(tau), style="fixed", digits=1, description=rf"$\tau$ {where}")
        ratio = _hardt_ma_instance_ratio(H, float(tau), float(lam))
        exact = (1 - tau) ** (H - 1) / lam
        predicted = 1.0 / hardt_ma_threshold_ratio(H, float(tau), float(lam) * np.diag([1.0, 2.0, 3.0]))
        deviations.append(abs(ratio - predicted) / predicted)
        led.claim(f"hm_{name}_ratio", ratio, _equals_rational(exact), source=pl_ratios, style="fixed", digits=3,
                  description=rf"left over right side of the printed inequality (2.3) at the equality instance "
                              rf"with $\Sigma_{{xx}}={lam}\diag(1,2,3)$, $H={H}$, $\tau={tau}$, against "
                              rf"${{(1-\tau)}}^{{H-1}}/\lambda_{{\min}}(\Sigma_{{xx}})$ exactly")
    _at_most(led, "hm_formula_deviation", float(np.max(deviations)), 1e-12,
             source=hardt_ma_threshold_ratio,
             description=r"largest relative deviation of those four ratios from "
                         r"$1/\rho={(1-\tau)}^{H-1}/\lambda_{\min}(\Sigma_{xx})$ computed from the "
                         "eigenvalues")


# --- the printed text -------------------------------------------------------


def _bounds_printed_above(led: Ledger) -> None:
    """Every number checked by ``<=`` is quoted as "at most": the number printed for it must not be below it.

    The printed number is read back from the claim's text
    (:func:`~generator.problem1.references.printed_value`), whatever rounding
    the claim declares.
    """
    ratios = [c.value / printed_value(c.text) if c.value != 0 else 0.0 for c in led.claims if c.check.kind == "<="]
    led.claim("bounds_printed_above", float(np.max(ratios)), at_most(1), source=format_number, style="fixed",
              description=r"largest ratio of a number the text quotes as ``at most'' (its check is $\le$) to the "
                          "number printed for it, read back from the text")
