"""The claims of Problem 4: every experiment of the write-up, recorded in one ledger.

:func:`run` reads as a table of contents: it creates the ledger and calls one
function per experiment, each of which records its parameters, claims and
figures.  The inputs of the experiments (the toy setting, seeds, sample
counts, flow times and step sizes) are the constants at the top of this
module, grouped by experiment.  Every claim names as its source the function
of the package that computed its value.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy.linalg

from generator.ledger import (
    Ledger,
    at_least,
    at_most,
    between,
    binomial_within,
    equals,
    equals_exactly,
)
from generator.problem4.descent import (
    constant_step_statistics,
    descent_over_flow,
    descent_step_error,
    gradient_descent_constant_step,
)
from generator.problem4.figure_reference import (
    LOG_FLOOR,
    contour_level_distance,
    figure_deviation,
    flows_figure_reference,
    landscape_figure_reference,
)
from generator.problem4.figures import plot_flows, plot_landscape
from generator.problem4.fits import loglog_slope, semilog_slope
from generator.problem4.flows import (
    FlowResult,
    bias_direction_error,
    dissipation_error,
    exact_residual_and_loss,
    flow_limit_ratios,
    gradient_flow,
    reference_flow,
    scaled_slice_loss,
    slice_flow,
    slice_jacobian_error,
    slice_loss,
    JACOBIAN_GRID,
    theta_return_exponent,
)
from generator.problem4.modified import (
    derivative_fd_errors,
    modified_loss,
    modified_loss_gradient,
    modified_loss_hessian,
    neuron_off_error,
)
from generator.problem4.nonconvex import (
    flat_perturbations,
    nonconvex_flat_directions,
    nonconvex_perturbation_test,
    perturbations,
)
from generator.problem4.orbits import (
    batch_dissipation_error,
    bias_identity_residual,
    flow_residuals,
    gradient_flow_batch,
    orbit_statistics,
    sign_changing,
)
from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    BAD_MINIMUM,
    THETA_INDEX,
    ToySetting,
    cubic_model,
    original_loss,
    w_slice,
)
from generator.problem4.valley import (
    escape_family_general,
    escape_family_general_prediction,
    escape_family_valley,
    escape_family_valley_prediction,
    family_formula_error,
    min_hessian_eigen_ratio,
    valley_profile_errors,
)

TOY_INPUT, TOY_TARGET, TOY_PENALTY = (0.5, -1.0), -0.5, 0.5
SETTING = ToySetting(inputs=TOY_INPUT, targets=TOY_TARGET, lam=TOY_PENALTY)
"""The data point ``(x, y)`` in ``R^2 x R`` and the penalty of the toy experiments (``kappa = 9/4``).

At the bad minimum ``theta_b = 2`` the residual is ``r_f = q(2) - y = 3/2``: not 1, so that a formula
confusing ``r_f`` with ``r_f^2`` gives different numbers."""

BAD_OFFSET = float(cubic_model(BAD_MINIMUM)) - SETTING.y
"""``r_f = q(theta_b) - y``, the residual at the bad minimum (``L(theta_b) = r_f^2``)."""

# The derivative checks: the toy data point and a random data set with several points
DERIVATIVE_POINTS, DERIVATIVE_SEED = 100, 4
RANDOM_DATA_POINTS, RANDOM_DATA_DIMENSION, RANDOM_DATA_SEED = 3, 2, 41

# Remark on several data points: x = (1, -1), y = (0, 0), f(x; theta) = x q(theta), at (2, 0, 0, b)
SADDLE_SETTING = ToySetting(inputs=[[1.0], [-1.0]], targets=[0.0, 0.0], lam=TOY_PENALTY, features=[1.0, -1.0])
SADDLE_BIAS = 0.3

# Part 1: the non-convex loss, with the data point of the toy model
PERTURBATION_RADIUS, PERTURBATION_SAMPLES, PERTURBATION_SEED = 0.25, 20000, 44
FLAT_SAMPLES, FLAT_SEED = 1000, 45

# Part 2: gradient flows from the bad minimum, a perturbed start and the good basin
T_END, T_GOOD = 1e5, 100.0
FLOW_TIMES = np.concatenate([[0.0], np.logspace(-3, 5, 161)])
"""Sample times of the flows: 0, then 161 log-spaced times from ``1e-3`` to ``T_END``."""
THETA_PERTURBED, THETA_GOOD = 2.5, 0.8
FIT_START = 1e3
"""Power laws along the flows are fitted to the times from ``FIT_START`` to ``T_END``."""
SLOW_BIAS = 6.0

# Non-uniformity in lambda: a small penalty, an early and a late time
SMALL_LAM, ONSET_EARLY, ONSET_LATE = 1e-4, 1e2, 1e6

# Random starts in both basins
ORBIT_STARTS, ORBIT_TIME, ORBIT_THETA_RANGE, ORBIT_AMPLITUDE, ORBIT_SEED = 16, 100.0, (-0.5, 3.0), 4.0, 404

# The grid of (theta, z) for the valley profile
PROFILE_THETA_RANGE, PROFILE_Z_RANGE = (0.25, 3.0), (-2.0, 4.0)

# The escape parameter of the two families, and the start of the fitted tail
ESCAPE_PARAMETERS = np.linspace(0.0, 10.0, 81)
ESCAPE_TAIL_START = 5.0

# Gradient descent with a constant step
DESCENT_STEPS = (3e-2, 1e-2)
DESCENT_TIME = 200.0


def _pinned(reference: float, tolerance: float, low: float = -math.inf, high: float = math.inf):
    """``value`` within ``tolerance`` of an independent ``reference``, and inside ``[low, high]``.

    The band is the intersection of the two: it is empty (the claim fails) when
    the reference itself leaves the range the write-up states, or is not finite
    (a reference integration that gave up).
    """
    if not math.isfinite(reference):
        return between(math.nan, math.nan)
    return between(max(low, reference - tolerance), min(high, reference + tolerance))


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 4 claim and draw the figures."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    led = Ledger(problem=4)
    _toy_setting(led)
    _derivative_checks(led)
    _saddle_for_two_points(led)
    _nonconvex_counterexample(led)
    flows = _three_flows(led)
    _bad_flow(led, flows["bad"])
    _onset_for_a_small_penalty(led)
    _perturbed_flow(led, flows["perturbed"])
    _orbits_and_bias_identity(led)
    _good_flow(led, flows["good"])
    slow = _slow_good_flow(led)
    _flow_identities(led, [*flows.values(), slow])
    _curvature_along_the_bad_flow(led, flows["bad"])
    _valley_profile(led)
    _escape_families(led)
    runs = _constant_step_descent(led, flows["bad"])
    _figures(led, figures_dir, flows, runs)
    return led


def _toy_setting(led: Ledger) -> None:
    """The data point and the penalty shared by the experiments."""
    led.parameter("lam", SETTING.lam, description="penalty weight $\\lambda$ of the toy experiments",
                  style="fixed", digits=1)
    led.parameter("x_first", SETTING.x[0], description="first component of the input $x$", style="fixed",
                  digits=1)
    led.parameter("x_second", SETTING.x[1], description="second component of the input $x$", style="int")
    led.parameter("y", SETTING.y, description="target $y$ of the toy experiments", style="fixed", digits=1)
    residual, loss = exact_residual_and_loss(BAD_MINIMUM, SETTING)
    # By hand: q(2) = 2 (8 - 18 + 12) / 4 = 1, so r_f = 1 - (-1/2) = 3/2 and L(theta_b) = 9/4.
    led.claim("bad_residual", residual, equals_exactly(Fraction(3, 2)), source=exact_residual_and_loss,
              description="residual $r_f=q(\\theta_b)-y$ at the bad minimum, in exact arithmetic", style="fraction")
    led.claim("bad_loss", loss, equals_exactly(Fraction(9, 4)), source=exact_residual_and_loss,
              description="$L(\\theta_b)$ at the bad minimum, in exact arithmetic", style="fraction")
    # By hand: kappa = 1 + (1/2)^2 + (-1)^2 = 9/4.
    led.claim("kappa", SETTING.kappa, equals(Fraction(9, 4)), source=ToySetting.kappa.fget,
              description="$\\kappa=1+\\|x\\|^2$ of the toy data point", style="fixed", digits=2)


def _random_data_set() -> ToySetting:
    """Several data points in ``R^2`` with random inputs, targets and features (a general test case)."""
    rng = np.random.default_rng(RANDOM_DATA_SEED)
    m, d = RANDOM_DATA_POINTS, RANDOM_DATA_DIMENSION
    return ToySetting(inputs=rng.uniform(-1.5, 1.5, (m, d)), targets=rng.uniform(-1.0, 1.0, m), lam=0.7,
                      features=rng.uniform(-1.5, 1.5, m))


def _derivative_checks(led: Ledger) -> None:
    """The analytic gradient and Hessian of the modified loss against central differences."""
    settings = (SETTING, _random_data_set())
    errors = [derivative_fd_errors(setting, DERIVATIVE_POINTS, DERIVATIVE_SEED) for setting in settings]
    led.parameter("derivative_points", DERIVATIVE_POINTS, description="random points of each derivative check")
    led.parameter("random_data_points", RANDOM_DATA_POINTS, description="data points of the random data set")
    for index, name, text in ((0, "gradient", "gradient"), (1, "hessian", "Hessian")):
        led.claim(f"{name}_fd_error", max(e[index] for e in errors), at_most(1e-7),
                  source=derivative_fd_errors, style="order", rounding="up",
                  description=f"largest relative error of the analytic {text} "
                              "of the modified loss against central differences, at random points, for the toy "
                              "data point and for a random data set with three points in $\\R^2$")
    off = max(neuron_off_error(setting, DERIVATIVE_POINTS, DERIVATIVE_SEED) for setting in settings)
    led.claim("neuron_off_error", off, at_most(1e-14), source=neuron_off_error,
              style="order", rounding="up", resolution=1e-15,
              description="largest relative difference between the modified "
                          "loss with $a=0$ and the original loss, at the same random points and data sets")


def _saddle_for_two_points(led: Ledger) -> None:
    """The bad critical point of the remark on two data points: a saddle, with a closed-form eigenvalue."""
    point = np.array([BAD_MINIMUM, 0.0, 0.0, SADDLE_BIAS])
    smallest = float(scipy.linalg.eigvalsh(modified_loss_hessian(point, SADDLE_SETTING))[0])
    u_square_plus_lam = math.exp(2.0 * SADDLE_BIAS) + SADDLE_SETTING.lam
    closed_form = u_square_plus_lam - math.sqrt(u_square_plus_lam**2 + 4.0 * math.exp(2.0 * SADDLE_BIAS))
    led.parameter("saddle_bias", SADDLE_BIAS, description="bias $b$ of the critical point of the two-point example",
                  style="fixed", digits=1)
    led.claim("saddle_min_eigenvalue", smallest, _pinned(closed_form, 1e-12 * abs(closed_form), high=0.0),
              source=modified_loss_hessian,
              description="smallest Hessian eigenvalue of the modified loss at the bad critical point of the "
                          "two-point example, against the closed form (negative)", style="fixed", digits=4)
    led.claim("saddle_eigenvalue_error", abs(smallest / closed_form - 1.0),
              at_most(1e-12), source=modified_loss_hessian, style="order", rounding="up", resolution=1e-15,
              description="relative error of that eigenvalue against the "
                          "closed form $e^{2b}+\\lambda-\\sqrt{{(e^{2b}+\\lambda)}^2+4e^{2b}}$")


def _nonconvex_counterexample(led: Ledger) -> None:
    """Part 1: the bad point of the non-convex example is a local minimum, and not a strict one."""
    radius, n_samples = PERTURBATION_RADIUS, PERTURBATION_SAMPLES
    led.parameter("perturbation_radius", radius, description="radius of the perturbation ball",
                  style="fixed", digits=2)
    led.parameter("perturbation_samples", n_samples, description="number of random perturbations")
    led.claim("nonconvex_min_increase",
              nonconvex_perturbation_test(SETTING, radius, n_samples, seed=PERTURBATION_SEED),
              at_least(0), source=nonconvex_perturbation_test,
              description="smallest increase of the modified loss over random perturbations of the "
                          "bad point of the non-convex example", digits=1)
    # The law of the perturbations: uniform in the ball of dimension d + 3, so |delta| <= radius 2^(-1/(d+3))
    # (the inner ball of half the volume) with probability exactly 1/2.
    dim = SETTING.d + 3
    deltas = perturbations(SETTING, radius, n_samples, seed=PERTURBATION_SEED)
    norms = np.linalg.norm(deltas, axis=-1)
    led.claim("perturbation_inner_fraction", float(np.mean(norms <= radius * 0.5 ** (1.0 / dim))),
              binomial_within(Fraction(1, 2), n_samples), source=perturbations, style="fixed", digits=3,
              description="fraction of the random perturbations inside the concentric ball of half the volume")
    led.claim("perturbation_outside", int(np.count_nonzero(norms > radius)), equals(0), source=perturbations,
              style="int", description="random perturbations outside the ball")
    # The ball is symmetric under each reflection delta_k -> -delta_k, so the signs of the d + 3 coordinates of
    # a uniform point are independent fair coins: the positive coordinates are binomial(n (d + 3), 1/2).
    led.claim("perturbation_positive_fraction", float(np.mean(deltas > 0)),
              binomial_within(Fraction(1, 2), n_samples * dim), source=perturbations, style="fixed", digits=3,
              description="fraction of positive coordinates of the random perturbations")
    # The law of the flat perturbations: theta and a untouched, (w, b) uniform in the ball of dimension d + 1, so
    # inside the concentric ball of half its volume with probability exactly 1/2, and never outside it.
    flat = flat_perturbations(SETTING, radius, FLAT_SAMPLES, seed=FLAT_SEED)
    flat_norms = np.linalg.norm(flat, axis=-1)
    led.claim("flat_moved_theta_or_a", int(np.count_nonzero(flat[:, [THETA_INDEX, A_INDEX]])), equals(0),
              source=flat_perturbations, style="int",
              description="perturbations of $(w,b)$ alone that move $\\theta$ or $a$")
    led.claim("flat_outside", int(np.count_nonzero(flat_norms > radius)), equals(0), source=flat_perturbations,
              style="int", description="perturbations of $(w,b)$ alone outside the ball")
    led.claim("flat_inner_fraction", float(np.mean(flat_norms <= radius * 0.5 ** (1.0 / (SETTING.d + 1)))),
              binomial_within(Fraction(1, 2), FLAT_SAMPLES), source=flat_perturbations, style="fixed", digits=3,
              description="fraction of the perturbations of $(w,b)$ alone inside the concentric ball of half "
                          "the volume in $(w,b)$")
    led.claim("nonconvex_flat_increase",
              nonconvex_flat_directions(SETTING, radius, FLAT_SAMPLES, seed=FLAT_SEED),
              equals(0), source=nonconvex_flat_directions,
              description="largest change of the modified loss over perturbations of $(w,b)$ alone at "
                          "the bad point of the non-convex example ($a=0$)")


def _three_flows(led: Ledger) -> dict[str, FlowResult]:
    """Part 2: the gradient flows from the bad minimum, a perturbed start and the good basin."""
    origin = np.zeros(SETTING.d + 3)
    starts = {"bad": BAD_MINIMUM, "perturbed": THETA_PERTURBED, "good": THETA_GOOD}
    flows = {}
    for key, theta0 in starts.items():
        times = FLOW_TIMES[FLOW_TIMES <= T_GOOD] if key == "good" else FLOW_TIMES
        flows[key] = gradient_flow(np.concatenate([[theta0], origin[1:]]), times, SETTING)
    led.parameter("theta_perturbed", THETA_PERTURBED, description="initial $\\theta$ of the perturbed bad flow",
                  style="fixed", digits=1)
    led.parameter("theta_good", THETA_GOOD, description="initial $\\theta$ of the good flow", style="fixed",
                  digits=1)
    led.parameter("t_end", T_END, description="final time of the bad gradient flows", style="sci", digits=1)
    led.parameter("t_good", T_GOOD, description="final time of the good gradient flow", style="int")
    led.parameter("fit_start", FIT_START, description="first time of the fitted power laws", style="sci", digits=1)
    return flows


def _fit_window(t: np.ndarray) -> np.ndarray:
    """The sample times from ``FIT_START`` to ``T_END`` (a mask), to which power laws are fitted."""
    return (t >= FIT_START) & (t <= T_END)


def _bad_flow(led: Ledger, bad: FlowResult) -> None:
    """The flow from the bad minimum: an independent integrator, the proved limits and rates."""
    led.claim("slice_jacobian_error", slice_jacobian_error(BAD_OFFSET, SETTING, *JACOBIAN_GRID), at_most(1e-6),
              source=slice_jacobian_error, style="order", rounding="up",
              description="largest relative error of the analytic Jacobian of the reduced $(a,z)$ system against "
                          "central differences of its field, on a grid of $(a,z)$")
    slice_a, slice_z = slice_flow(FLOW_TIMES, BAD_OFFSET, SETTING, method="BDF", rtol=1e-6)
    difference = np.max(np.abs(slice_loss(slice_a, slice_z, BAD_OFFSET, SETTING) - bad.loss) / bad.loss)
    led.claim("flow_integrator_difference", difference, at_most(1e-4), source=slice_flow, style="order",
              rounding="up",
              description="largest relative difference of the modified loss "
                          "along the bad flow between the full LSODA integration and the BDF integration of "
                          "the reduced $(a,z)$ system")
    ratios = flow_limit_ratios(bad, SETTING)
    for key, text in (
        ("loss", "$t\\tilde L$"),
        ("escape", "$e^{2z}/t$"),
        ("amplitude", "$\\sqrt t\\,a$"),
        ("gradient", "$t\\|\\nabla\\tilde L\\|$"),
    ):
        led.claim(f"flow_ratio_{key}", ratios[key], between(0.999, 1.001), source=flow_limit_ratios,
                  description=f"{text} at the final time of the bad flow, divided by its proved limit",
                  style="fixed", digits=4)
    window = _fit_window(bad.t)
    led.claim("flow_loss_exponent", loglog_slope(bad.t[window], bad.loss[window]),
              between(-1.01, -0.99), source=loglog_slope,
              description="fitted power of time of the modified loss along the bad flow, times from 1000 "
                          "to the final time", style="fixed", digits=3)
    decade = int(np.searchsorted(bad.t, T_END / 10.0))
    led.claim("flow_bias_decade", float((bad.params[-1, B_INDEX] - bad.params[decade, B_INDEX])
                                        * 2.0 * SETTING.kappa / math.log(10.0)),
              between(0.99, 1.01), source=gradient_flow,
              description="increase of $b$ over the last decade of the bad flow, divided by its "
                          "asymptotic value $\\log(10)/(2\\kappa)$", style="fixed", digits=3)


def _onset_for_a_small_penalty(led: Ledger) -> None:
    """Non-uniformity in lambda: the same limit, reached much later for a small penalty."""
    small = ToySetting(inputs=SETTING.inputs, targets=SETTING.targets, lam=SMALL_LAM)
    scaled = scaled_slice_loss(np.array([0.0, ONSET_EARLY, ONSET_LATE]), BAD_OFFSET, small)
    led.parameter("small_lam", SMALL_LAM, description="small penalty weight of the onset experiment",
                  style="sci", digits=1)
    led.parameter("onset_early", ONSET_EARLY, description="early time of the onset experiment", style="int")
    led.parameter("onset_late", ONSET_LATE, description="late time of the onset experiment", style="sci",
                  digits=1)
    # Reference: the full flow (all d + 3 parameters, LSODA on the scalar field) with the small penalty.
    full = gradient_flow(np.concatenate([[BAD_MINIMUM], np.zeros(SETTING.d + 2)]),
                         np.array([0.0, ONSET_EARLY, ONSET_LATE]), small)
    reference = 4.0 * small.kappa * full.t * full.loss
    led.claim("onset_early", float(scaled[1]), _pinned(float(reference[1]), 1e-5 * float(reference[1]), high=0.1),
              source=scaled_slice_loss,
              description="$4\\kappa t\\tilde L$ at the early time of the bad flow with the small penalty, against "
                          "the full flow", style="fixed", digits=3)
    led.claim("onset_late", float(scaled[2]), _pinned(float(reference[2]), 1e-5, 0.98, 1.02),
              source=scaled_slice_loss,
              description="$4\\kappa t\\tilde L$ at the late time of the bad flow with the small penalty, against "
                          "the full flow", style="fixed", digits=3)


def _perturbed_flow(led: Ledger, perturbed: FlowResult) -> None:
    """The flow from a perturbed start in the bad basin: ``theta`` returns to the bad minimum."""
    # Reference: the same flow by reference_flow (BDF on the vectorised derivatives).
    reference = reference_flow(perturbed.params[0], perturbed.t, SETTING)
    finite = bool(np.all(np.isfinite(reference)))
    reference_min = float(np.min(original_loss(reference[:, THETA_INDEX], SETTING))) if finite else math.nan
    led.claim("flow_perturbed_min_original", float(np.min(perturbed.original)),
              _pinned(reference_min, 1e-7, low=float(BAD_OFFSET**2)), source=gradient_flow,
              description="smallest original loss along the flow from the perturbed start, against an "
                          "independent integration", style="fixed", digits=6)
    led.claim("flow_perturbed_ratio_loss", flow_limit_ratios(perturbed, SETTING)["loss"],
              between(0.999, 1.001), source=flow_limit_ratios,
              description="$4\\kappa t\\tilde L$ at the final time of the perturbed flow",
              style="fixed", digits=4)
    gap = np.abs(perturbed.params[:, THETA_INDEX] - BAD_MINIMUM)
    reference_gap = abs(float(reference[-1, THETA_INDEX]) - BAD_MINIMUM)
    led.claim("flow_perturbed_theta_gap", float(gap[-1]), _pinned(reference_gap, 1e-4 * reference_gap, high=0.01),
              source=gradient_flow,
              description="$|\\theta-\\theta_b|$ at the final time of the perturbed flow, against an independent "
                          "integration")
    # By hand: L'' = 2 q'^2 + 2 (q - y) q'' = 2 * 3/2 * 3/2 = 9/2 and L = 9/4 at theta_b = 2; kappa = 9/4.
    predicted = theta_return_exponent(BAD_MINIMUM, SETTING)
    led.claim("theta_return_exponent", predicted, equals_exactly(Fraction(-9, 2) / (4 * Fraction(9, 4) ** 2)),
              source=theta_return_exponent,
              description="heuristic exponent $-L''(\\theta_b)/(4\\kappa L(\\theta_b))$ of "
                          "$|\\theta(t)-\\theta_b|$, in exact arithmetic", style="fraction")
    window = _fit_window(perturbed.t)
    led.claim("flow_perturbed_theta_exponent", loglog_slope(perturbed.t[window], gap[window]),
              between(f"{predicted} - 0.025", f"{predicted} + 0.025"), source=loglog_slope,
              description="fitted power of time of $|\\theta-\\theta_b|$ along the perturbed flow, times "
                          "from 1000 to the final time, against the heuristic exponent", style="fixed", digits=3)


def _orbits_and_bias_identity(led: Ledger) -> None:
    """Random starts in both basins: ``theta`` stays on its orbit; the bias and dissipation identities hold."""
    n_starts, theta_range, amplitude, d = ORBIT_STARTS, ORBIT_THETA_RANGE, ORBIT_AMPLITUDE, SETTING.d
    rng = np.random.default_rng(ORBIT_SEED)
    starts = np.column_stack([rng.uniform(*theta_range, n_starts), rng.standard_normal((n_starts, d)),
                              rng.uniform(-amplitude, amplitude, n_starts), rng.standard_normal(n_starts)])
    batch_params, batch_integrals = gradient_flow_batch(
        starts, np.concatenate([[0.0], np.logspace(-3, math.log10(ORBIT_TIME), 41)]), SETTING)
    excursion, min_original_bad, sign_changes, bad_starts = orbit_statistics(batch_params, SETTING)
    led.parameter("orbit_starts", n_starts, description="number of random starts of the orbit experiment")
    # The law of the starts: theta_0 and a_0 inside their stated ranges (a hard check), and a_0 uniform on
    # [-A, A], so negative with probability exactly 1/2 (a band of 3.5 binomial standard errors: 1 to 15 of 16).
    outside = int(np.count_nonzero((starts[:, THETA_INDEX] < theta_range[0]) | (starts[:, THETA_INDEX] > theta_range[1])
                                   | (np.abs(starts[:, A_INDEX]) > amplitude)))
    led.claim("orbit_starts_outside", outside, equals(0), source=_orbits_and_bias_identity, style="int",
              description="random starts of the orbit experiment with $\\theta_0$ or $a_0$ outside its stated range")
    led.claim("orbit_negative_a_fraction", float(np.mean(starts[:, A_INDEX] < 0)),
              binomial_within(Fraction(1, 2), n_starts, k=3.5), source=_orbits_and_bias_identity, style="fixed",
              digits=2, description="fraction of the random starts of the orbit experiment with $a_0<0$")
    led.claim("orbit_bad_starts", bad_starts, equals(int(np.count_nonzero(starts[:, THETA_INDEX] > 1.0))),
              source=orbit_statistics, style="int",
              description="random flows of the orbit experiment started in the bad basin $\\theta_0>1$, against "
                          "the count of the drawn starts")
    led.parameter("orbit_time", ORBIT_TIME, description="final time of the orbit experiment", style="int")
    led.parameter("orbit_theta_lo", theta_range[0], description="smallest initial $\\theta$ of the orbit experiment",
                  style="fixed", digits=1)
    led.parameter("orbit_theta_hi", theta_range[1], description="largest initial $\\theta$ of the orbit experiment",
                  style="int")
    led.parameter("orbit_amplitude", amplitude, description="largest initial $|a|$ of the orbit experiment",
                  style="int")
    led.claim("orbit_excursion", excursion, at_most(1e-12), source=orbit_statistics,
              description="largest distance of $\\theta(t)$ outside the orbit interval of its start, over the "
                          "random flows and sample times")
    led.claim("orbit_min_original", min_original_bad, at_least("9/4 - 1e-12"), source=orbit_statistics,
              description="smallest $L(\\theta(t))$ over the random flows started in the bad basin and the "
                          "sample times", style="fixed", digits=6)
    # Reference: the same count with each flow's residual in another unit (factors 10^-6 to 10^6) and its sample
    # times in reverse order: whether a flow's residual changes sign depends neither on its unit, nor on the
    # other flows, nor on the direction in which its samples are read (most residuals end near 0).
    units = 10.0 ** np.linspace(-6.0, 6.0, n_starts)
    unit_free = int(np.count_nonzero(sign_changing(flow_residuals(batch_params, SETTING)[::-1] * units)))
    led.claim("orbit_sign_changes", sign_changes, _pinned(unit_free, 0, low=1),
              source=orbit_statistics, style="int",
              description="random flows along which the residual, hence $l'(\\hat y)$, changes sign (at least one), "
                          "against the count with each flow's residual in another unit and read backwards in time")
    led.claim("bias_identity_residual", bias_identity_residual(batch_params, batch_integrals, SETTING),
              at_most(1e-7), source=bias_identity_residual, style="order", rounding="up",
              description="largest violation of "
                          "$b-a^2/2=b_0-a_0^2/2+2\\lambda\\int_0^t a^2$ over the random flows and sample times")
    led.claim("orbit_dissipation_error", batch_dissipation_error(batch_params, batch_integrals, SETTING),
              at_most(1e-6), source=batch_dissipation_error, style="order", rounding="up",
              description="largest violation of "
                          "$\\tilde L(\\omega(t))+\\int_0^t\\|\\dot\\omega\\|^2=\\tilde L(\\omega(0))$, "
                          "relative to $\\tilde L(\\omega(0))$, over the random flows and sample times")


def _good_flow(led: Ledger, good: FlowResult) -> None:
    """The flow from the good basin solves the problem and switches the neuron off."""
    led.claim("flow_good_loss", float(good.loss[-1]), at_most(1e-20), source=gradient_flow, style="order",
              rounding="up", description="modified loss at the final time of the good flow")
    half = int(np.searchsorted(good.t, T_GOOD / 2))
    led.claim("flow_good_z_change", float(abs(good.z[-1] - good.z[half])), at_most(1e-10), source=gradient_flow,
              style="order", rounding="up", resolution=1e-12,
              description="change of the pre-activation $z$ over the second half of the good flow")


def _slow_good_flow(led: Ledger) -> FlowResult:
    """The good-basin start of :func:`_good_flow`, but with a large initial bias.

    ``a`` first relaxes to the valley floor, after which ``theta`` moves only at
    the damped rate ``s(z) grad L``, so the flow is still far from the good
    minimum at ``T_END``.
    """
    start = np.zeros(SETTING.d + 3)
    start[[THETA_INDEX, B_INDEX]] = THETA_GOOD, SLOW_BIAS
    slow = gradient_flow(start, FLOW_TIMES, SETTING)
    led.parameter("slow_bias", SLOW_BIAS, description="initial bias $b_0$ of the slow good-basin flow",
                  style="int")
    # Reference: the same flow by reference_flow (BDF on the vectorised derivatives).
    final = reference_flow(start, slow.t, SETTING)[-1]
    finite = bool(np.all(np.isfinite(final)))
    reference_original = float(original_loss(final[THETA_INDEX], SETTING)) if finite else math.nan
    reference_loss = float(modified_loss(final, SETTING)) if finite else math.nan
    led.claim("flow_slow_original", float(slow.original[-1]),
              _pinned(reference_original, 1e-6 * reference_original, low=float(BAD_OFFSET**2)), source=gradient_flow,
              description="$L(\\theta)$ at the final time of the slow good-basin flow (still above "
                          "$L(\\theta_b)$), against an independent integration", style="fixed", digits=3)
    led.claim("flow_slow_loss", float(slow.loss[-1]), _pinned(reference_loss, 1e-4 * reference_loss, high=1e-5),
              source=gradient_flow,
              description="modified loss at the final time of the slow good-basin flow, against an independent "
                          "integration")
    return slow


def _flow_identities(led: Ledger, flows: list[FlowResult]) -> None:
    """Two identities of every gradient flow, along the four flows from single starts."""
    led.claim("flow_dissipation_error", max(dissipation_error(flow) for flow in flows),
              at_most(1e-6), source=dissipation_error, style="order", rounding="up",
              description="largest violation of "
                          "$\\tilde L(\\omega(t))+\\int_0^t\\|\\dot\\omega\\|^2=\\tilde L(\\omega(0))$, "
                          "relative to $\\tilde L(\\omega(0))$, along the four single flows")
    led.claim("flow_bias_direction_error", max(bias_direction_error(flow, SETTING) for flow in flows),
              at_most(1e-6), source=bias_direction_error, style="order", rounding="up",
              description="largest violation of $w(t)-w_0=(b(t)-b_0)x$, relative "
                          "to $\\max(1,|b(t)-b_0|\\|x\\|)$, along the four single flows")


def _curvature_along_the_bad_flow(led: Ledger, bad: FlowResult) -> None:
    """The curvature of ``L~`` in ``a`` times ``L~`` along the bad flow, against its lower bound."""
    curvature_ratio = (modified_loss_hessian(bad.params, SETTING)[:, A_INDEX, A_INDEX] * bad.loss
                       / (2.0 * SETTING.lam * BAD_OFFSET**2))
    led.claim("curvature_bound_violation", max(0.0, 1.0 - float(np.min(curvature_ratio))), at_most(1e-12),
              source=modified_loss_hessian, style="order", rounding="up",
              description="largest relative violation of the curvature bound along the bad flow (0 when none)")
    led.claim("curvature_ratio_end", float(curvature_ratio[-1]), between("1 - 1e-12", 1.001),
              source=modified_loss_hessian,
              description="curvature in $a$ times modified loss over its lower bound, at the final time "
                          "of the bad flow", style="fixed", digits=5)


def _valley_profile(led: Ledger) -> None:
    """Part 2: the profile ``min_a L~ = s(z) L(theta)`` and its damped ``theta``-gradient on a grid."""
    theta_range, z_range = PROFILE_THETA_RANGE, PROFILE_Z_RANGE
    profile_value_error, profile_gradient_error = valley_profile_errors(
        np.linspace(*theta_range, 12), np.linspace(*z_range, 13), SETTING)
    led.parameter("profile_theta_lo", theta_range[0], description="smallest $\\theta$ of the profile grid",
                  style="fixed", digits=2)
    led.parameter("profile_theta_hi", theta_range[1], description="largest $\\theta$ of the profile grid",
                  style="int")
    led.parameter("profile_z_lo", z_range[0], description="smallest $z$ of the profile grid", style="int")
    led.parameter("profile_z_hi", z_range[1], description="largest $z$ of the profile grid", style="int")
    led.claim("profile_value_error", profile_value_error, at_most(1e-10),
              source=valley_profile_errors, style="order", rounding="up",
              description="largest relative difference between the modified "
                          "loss on the valley floor and the profile $\\lambda L(\\theta)/(\\lambda+e^{2z})$ on "
                          "a grid of $(\\theta,z)$")
    led.claim("profile_gradient_error", profile_gradient_error, at_most(1e-6),
              source=valley_profile_errors, style="order", rounding="up",
              description="largest difference between "
                          "$\\partial_\\theta\\tilde L$ on the valley floor and central differences of the "
                          "profile in $\\theta$, relative to the largest value, on the same grid")


def _two_digits_up(value: float) -> float:
    """``value`` rounded up to two significant digits (a tolerance printed short in the appendix)."""
    exponent = math.floor(math.log10(value)) - 1
    return float(f"{math.ceil(round(value / 10.0**exponent, 9))}e{exponent}")


def _family_tolerance(beta) -> float:
    """Tolerance of the families' closed forms: ``100 eps e^{2 beta_max}``.

    The residual ``r = q(theta_b) - y + a e^z`` cancels to ``O(e^{-2 beta})`` from terms of order 1, so the
    relative error of the loss and the gradient there grows like the unit roundoff times ``e^{2 beta}``.
    """
    return _two_digits_up(100.0 * float(np.finfo(float).eps) * math.exp(2.0 * float(np.max(beta))))


def _escape_families(led: Ledger) -> None:
    """Part 2: the two families of approximate stationary points at the bad minimum."""
    beta = ESCAPE_PARAMETERS
    general_points = escape_family_general(beta, BAD_MINIMUM, SETTING)
    valley_points = escape_family_valley(beta, BAD_MINIMUM, SETTING)
    families = (("general", "escape", general_points, escape_family_general_prediction, -1.0),
                ("valley", "valley", valley_points, escape_family_valley_prediction, -2.0))
    tail = beta >= ESCAPE_TAIL_START
    for name, label, points, prediction, rate in families:
        error = family_formula_error(points, *prediction(beta, BAD_MINIMUM, SETTING), SETTING)
        led.claim(f"family_{name}_error", error, at_most(_family_tolerance(beta)), source=family_formula_error,
                  style="order",
                  rounding="up",
                  description="largest relative error of the closed forms for "
                              f"loss and gradient norm on the {label} family, $\\beta$ from 0 to 10")
        gradient_norm = np.linalg.norm(modified_loss_gradient(points[tail], SETTING), axis=-1)
        led.claim(f"family_{name}_grad_rate", semilog_slope(beta[tail], gradient_norm),
                  between(rate - 1e-3, rate + 1e-3), source=semilog_slope,
                  description=f"fitted exponential rate of the gradient norm on the {label} family, "
                              "$\\beta$ from 5 to 10", style="fixed", digits=3)
    ratio = min_hessian_eigen_ratio(general_points, SETTING)
    # Reference: the ratio at each point, one matrix at a time by scipy; the smallest ratio is at most their median
    # (every Hessian here has exact zero eigenvalues, so the ratios are at rounding level and of either sign).
    per_point = [scipy.linalg.eigvalsh(h) for h in modified_loss_hessian(general_points, SETTING)]
    median = float(np.median([e[0] / e[-1] for e in per_point]))
    led.claim("family_hessian_ratio", ratio, between(-1e-12, median), source=min_hessian_eigen_ratio, style="sci",
              digits=1, rounding="down",
              description="smallest ratio of the least to the largest Hessian eigenvalue over the escape family, "
                          "$\\beta$ from 0 to 10, rounded down, at most the median of the ratios at the points")


def _constant_step_descent(led: Ledger, bad: FlowResult) -> dict[float, np.ndarray]:
    """Part 2: gradient descent with a constant step from the bad minimum, against the bad flow.

    Returns the loss after every step of each run, keyed by the step.
    """
    runs, step_errors = {}, []
    for tag, step in zip(("1", "2"), DESCENT_STEPS):
        params, losses = gradient_descent_constant_step(np.concatenate([[BAD_MINIMUM], np.zeros(SETTING.d + 2)]),
                                                        step, int(round(DESCENT_TIME / step)), SETTING)
        runs[step] = losses
        step_errors.append(descent_step_error(params, losses, step, SETTING))
        median_ratio, median_curvature = constant_step_statistics(params, losses, step, SETTING, BAD_OFFSET)
        reference_ratio, reference_curvature = _late_descent_medians(params, step)
        led.claim(f"descent_floor_ratio_{tag}", median_ratio, _pinned(reference_ratio, 1e-9, 0.8, 1.3),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of $\\tilde L/(\\eta\\lambda r_f^2)$, "
                              f"step {step:g}, against the median of the closed form over the iterates with "
                              "$k\\eta$ at least half the run's time", style="fixed", digits=1)
        led.claim(f"descent_curvature_{tag}", median_curvature, _pinned(reference_curvature, 1e-9, 1.7, 2.2),
                  source=constant_step_statistics,
                  description=f"median over the second half of the run of $\\eta\\,\\partial_a^2\\tilde L$, "
                              f"step {step:g}, against the median of $2\\eta(e^{{2z}}+\\lambda)$ over the same "
                              "iterates", style="fixed", digits=1)
        led.parameter(f"step_{tag}", step, description="constant step of a descent run", style="sci", digits=1)
    led.parameter("descent_time", DESCENT_TIME, description="flow time covered by each descent run", style="int")
    led.claim("descent_step_error", max(step_errors), at_most(1e-12),
              source=descent_step_error, style="order", rounding="up",
              description="largest relative deviation of the descent iterates "
                          "and losses from one step with the finite-difference-checked gradient, both runs")
    first = DESCENT_STEPS[0]
    ratio = descent_over_flow(runs[first], first, bad)
    # Reference: the flow's loss at exactly the times k eta, from the reduced (a, z) system (no interpolation).
    late = _late_iterates(runs[first].size, first)
    slice_a, slice_z = slice_flow(np.concatenate([[0.0], first * late]), BAD_OFFSET, SETTING)
    reference = float(np.median(runs[first][late] / slice_loss(slice_a[1:], slice_z[1:], BAD_OFFSET, SETTING)))
    led.claim("descent_over_flow", ratio, _pinned(reference, 1e-4 * reference, low=5), source=descent_over_flow,
              description="median over the second half of the run with the first step of the descent loss "
                          "divided by the flow loss at the same time $k\\eta$, against the flow loss of the "
                          "reduced $(a,z)$ system at exactly those times", style="fixed", digits=0)
    return runs


def _late_iterates(n_iterates: int, step: float) -> np.ndarray:
    """The indices ``k`` of a descent run of ``n_iterates`` iterates with ``k eta`` at least half its time."""
    k = np.arange(n_iterates)
    return k[k * step >= 0.5 * (n_iterates - 1) * step]


def _late_descent_medians(params: np.ndarray, step: float) -> tuple[float, float]:
    """Reference for :func:`constant_step_statistics`, from the closed forms on the toy data point.

    The medians over the iterates with ``k eta`` at least half the run's time of
    ``L~ / (eta lambda r_f^2)``, with ``L~ = (q(theta) + a e^z - y)^2 + lambda a^2``, and of
    ``eta d^2L~/da^2 = 2 eta (e^{2z} + lambda)``, with ``z = w.x + b``.
    """
    late = params[_late_iterates(len(params), step)]
    theta, a = late[:, THETA_INDEX], late[:, A_INDEX]
    u = np.exp(late[:, w_slice(SETTING.d)] @ SETTING.x + late[:, B_INDEX])
    loss = (cubic_model(theta) + a * u - SETTING.y) ** 2 + SETTING.lam * a * a
    floor = step * SETTING.lam * float(Fraction(9, 4))  # r_f^2 = L(theta_b) = 9/4 (claim bad_loss)
    return float(np.median(loss / floor)), float(np.median(2.0 * step * (u * u + SETTING.lam)))


def _figures(led: Ledger, figures_dir: Path, flows: dict[str, FlowResult], runs: dict[float, np.ndarray]) -> None:
    """Draw the two figures into ``figures_dir``, record them, and compare what they drew with the references.

    The flow figure's losses, evaluated in two ways, differ by the rounding of the residual ``r``: relatively
    ``O(eps / |r|)`` with ``|r| >= sqrt(LOG_FLOOR)`` on the compared range, hence the tolerance
    ``64 eps / sqrt(LOG_FLOOR)``; the landscape figure's family curves are closed forms, with the tolerance of
    :func:`_family_tolerance`.
    """
    drawn = plot_flows(flows, runs, SETTING, BAD_MINIMUM, figures_dir / "p4_flows.pdf")
    led.figure("flows", "p4_flows.pdf", source=plot_flows)
    led.claim("figure_flows_deviation",
              figure_deviation(drawn, flows_figure_reference(flows, runs, SETTING, BAD_MINIMUM)),
              at_most(_two_digits_up(64.0 * float(np.finfo(float).eps) / math.sqrt(LOG_FLOOR))), source=plot_flows, style="order",
              rounding="up", resolution=1e-15,
              description="largest relative deviation of the curves of the flow figure from the losses evaluated "
                          "at the flows' parameters, the limits $1/(4\\kappa t)$, $4\\kappa\\lambda r_f^2t$ and "
                          "$1/(2\\sqrt{\\kappa\\lambda t})$, the heuristic slope and the binned descent losses")
    drawn = plot_landscape(flows["bad"], ESCAPE_PARAMETERS, SETTING, BAD_MINIMUM, figures_dir / "p4_landscape.pdf")
    led.figure("landscape", "p4_landscape.pdf", source=plot_landscape)
    led.claim("figure_landscape_deviation",
              figure_deviation(drawn, landscape_figure_reference(flows["bad"], ESCAPE_PARAMETERS, SETTING,
                                                                 BAD_MINIMUM)),
              at_most(_family_tolerance(ESCAPE_PARAMETERS)), source=plot_landscape, style="order", rounding="up",
              resolution=1e-15,
              description="largest relative deviation of the curves and markers of the landscape figure from the "
                          "valley floor $a^*(z)$, the flow's path and the loss and gradient norm evaluated at the "
                          "points of the two families and of the flow")
    # The filled contours: their boundaries lie on the levels of L~ up to the linear interpolation of the drawn
    # grid, far below the spacing of the levels (half a decade); a fiftieth of it is the tolerance.
    led.claim("figure_landscape_contour_distance", contour_level_distance(drawn[2], SETTING, BAD_MINIMUM),
              at_most(0.01), source=plot_landscape, style="order", rounding="up",
              description="median distance in decades of $\\tilde L$ at the boundary points of the filled "
                          "contours of the landscape figure from the nearest of its levels")
