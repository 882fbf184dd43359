"""Every claim of Problem 3: :func:`run` and one function per experiment.

:func:`run` reads as the table of contents: each experiment records its
claims, parameters and figures into the ledger, in the order the PDF's
appendix lists them, and names as ``source`` the function that computed each
value.  Seeds, sample sizes and the data of the experiments are in
:mod:`generator.problem3.experiments`.  Every random number comes from one
stream of :func:`~generator.problem3.experiments.seed_streams`, and the
experiments take their streams in the order :func:`run` calls them: reordering
the calls changes the numbers.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np

from generator.ledger import (
    Ledger,
    at_least,
    at_most,
    between,
    binomial_within,
    equals,
    equals_exactly,
    format_number,
    greater_than,
)
from generator.problem3.ball import active_set_rank_bounds, ball_check, exact_relu_ranks, rank_deficient_ball
from generator.problem3.data import ENTRY_BOUND, FAMILIES, ball_suite, data_family, full_rank_example, skew_triangle
from generator.problem3.experiments import (
    ANTIPODAL_SIGMOID_SAMPLES,
    ASYMMETRIC_CASES,
    BALL_DRAWS,
    CROSSCHECK_SAMPLES,
    EXACT_CASES,
    EXACT_SAMPLES,
    FIGURE_M,
    GRID,
    LEMMA_DRAWS,
    LEMMA_SHAPES,
    LINE_M,
    RELU_SAMPLES,
    SEED,
    SIGMOID_SAMPLES,
    WIDTHS,
    Sweep,
    Tally,
    seed_streams,
)
from generator.problem3.features import (
    RANK_RTOL,
    activate,
    declared_singular_fraction,
    sampled_ratios,
    singular_value_ratios,
    standard_error,
)
from generator.problem3.figures import plot_cells, plot_frequency_vs_width
from generator.problem3.lower_bound import cell_count_bound, singular_probability_lower_bound
from generator.problem3.planar import (
    RAY_MERGE_TOL,
    exact_singular_probability_planar,
    line_singular_probability,
    planar_cells,
    planar_deficiency_table,
    three_point_singular_probability,
)
from generator.problem3.rado import (
    certified_active_sets,
    rado_primes_needed,
    rado_singular,
    random_evaluation_singular,
)
from generator.problem3.ranks import exact_ranks
from generator.problem3.references import (
    ball_boundary_probes,
    brute_force_singular_probability,
    cell_count_by_rays,
    exact_hyperplane_distances,
    exact_turn,
    line_cells,
    overflow_probability_by_partitions,
    planar_cells_exact,
)

ENUMERATION_TOL = 1e-12
"""Largest admitted distance of a floating-point enumerated probability from its exact value."""

BALL_STEP = 1e-6
"""Relative step of the probes just inside and just outside the ball of the main theorem."""


def run(figures_dir: Path) -> Ledger:
    """Compute every Problem 3 claim and draw both figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=3)
    stream = seed_streams()
    tally = Tally(CROSSCHECK_SAMPLES)
    _common_parameters(led)
    suite = _ball(led, stream)
    _ball_boundary(led, suite)
    _counterexample(led)
    _rank_lemma(led, stream)
    _exact_cases(led, tally, stream)
    sweep = _sweep(led, tally, stream)
    _planar_exact_values(led, sweep)
    _sigmoid_on_scalar_data(led, stream)
    _exact_decisions_checked(led, tally)
    _sigmoid_threshold_test(led, sweep)
    _cells_figure(led, figures_dir)
    _frequency_figure(led, figures_dir, sweep)
    return led


def _short_lower(value: float) -> float:
    """The largest two-significant-digit decimal at most ``value``: a threshold that prints briefly."""
    if value <= 0:
        return 0.0
    exact = Decimal(value)
    unit = Decimal(1).scaleb(exact.adjusted() - 1)
    rounded = exact.quantize(unit, rounding=ROUND_FLOOR)
    return float(rounded) if float(rounded) <= value else float(rounded - unit)


def _z_score(frequency: float, probability: Fraction, samples: int) -> float:
    """``|frequency - p| / sqrt(p (1 - p) / n)``: the distance in binomial standard errors of the exact ``p``.

    The standard error is that of the exact probability, never one estimated
    from the draws; for ``p`` in ``{0, 1}`` a frequency equal to ``p`` is at
    distance 0.
    """
    p = float(probability)
    spread = math.sqrt(p * (1 - p) / samples)
    return abs(frequency - p) / spread if spread > 0 else (0.0 if frequency == p else math.inf)


def _probability(value: float) -> Fraction:
    """A floating-point probability as a short decimal fraction (six places), clipped to ``[0, 1]``.

    The enumerated sums are accurate to about ``1e-15`` and may overshoot 1 by
    an ulp; six decimal places keep the check's text short and move the
    reference by less than a ten-thousandth of a standard error.
    """
    return Fraction(f"{min(max(value, 0.0), 1.0):.6f}")


def _order_above(value: float) -> float:
    """The smallest power of ten at least ``value``: a rounding-level number printed as a bound on it.

    Its digits would change under another correct implementation; the power
    of ten above it does not (and fails the same checks when the value does).
    """
    return 10.0 ** math.ceil(math.log10(value)) if value > 0 else value


def _extreme(reduce, values: np.ndarray) -> float:
    """``reduce(values)`` as a float, or NaN for no values (a NaN claim fails its check instead of stopping the run)."""
    return float(reduce(values)) if values.size else math.nan


def _common_parameters(led: Ledger) -> None:
    """The inputs several experiments share: seed, sample sizes, data range and rank threshold."""
    led.parameter("seed", SEED, description="root seed of all experiments")
    led.parameter("relu_samples", RELU_SAMPLES, description="Monte Carlo draws of $W$ per ReLU configuration")
    led.parameter("exact_samples", EXACT_SAMPLES, description="draws of $W$ for the exactly solved cases")
    led.parameter("sigmoid_samples", SIGMOID_SAMPLES, description="draws of $W$ per sigmoid configuration")
    led.parameter("antipodal_sigmoid_samples", ANTIPODAL_SIGMOID_SAMPLES,
                  description="draws of $W$ per sigmoid configuration with antipodal data")
    led.parameter("entry_bound", ENTRY_BOUND, description="largest absolute entry $B$ of the random integer data,"
                  " $d_0 \\ge 2$")
    led.parameter("rank_rtol", RANK_RTOL, description="relative threshold $\\mathrm{tol}$ of the floating-point"
                  " rank test", style="sci", digits=1)
    led.parameter("confidence", 0.95, description="level of the one-sided upper confidence bound for the sigmoid",
                  style="percent", digits=0)
    # Quoted as an upper bound, so it is printed rounded up.
    led.parameter("sigmoid_upper", format_number(1 - 0.05 ** (1 / SIGMOID_SAMPLES), "sci", 2, "up"),
                  description="one-sided 95% upper confidence bound when 0 of n sigmoid draws are singular")


def _ball(led: Ledger, stream) -> list[np.ndarray]:
    """The constructive proof: balls of rank-deficient W, for every kind of X, sampled inside."""
    suite = ball_suite(stream())
    led.parameter("ball_cases", len(suite), description="data matrices in the ball check")
    led.parameter("ball_draws", BALL_DRAWS, description="perturbed $W'$ per data matrix")
    _, skew_radius = rank_deficient_ball(skew_triangle())
    led.claim("ball_radius_skew", skew_radius, between("2 ** -0.5 - 1e-14", "2 ** -0.5"), source=rank_deficient_ball,
              description="radius $\\varepsilon$ of the ball for $X_0$", style="fixed", digits=4)
    led.claim("ball_radius_gap", _order_above(abs(1 / math.sqrt(2) - skew_radius)), at_most(1e-14), source=rank_deficient_ball,
              description="distance of that radius from $1/\\sqrt{2}$", style="sci", digits=1,
              rounding="up")
    outside, worst_ratio = ball_check(suite, BALL_DRAWS, stream())
    led.claim("ball_outside", outside, equals(0), source=ball_check,
              description="perturbed $W'$ with a row outside the centre's cell (exact signs)", style="int")
    led.claim("ball_max_ratio", _order_above(worst_ratio), at_most(RANK_RTOL / 100), source=ball_check,
              description="largest singular value ratio of the ReLU features over all $W'$ in the balls",
              style="sci", digits=1)
    return suite


def _ball_boundary(led: Ledger, suite: list[np.ndarray]) -> None:
    """The radius of each ball against the exact distance formula, and probes just inside and just outside it.

    ``X = 0`` has no hyperplane, so every radius works for it; it is left out.
    """
    probed = [X for X in suite if np.any(X != 0)]
    gap, breaches, stays = 0.0, 0, 0
    for X in probed:
        W, radius = rank_deficient_ball(X)
        distance = float(np.min(exact_hyperplane_distances(W[0], X)))
        gap = max(gap, abs(radius - distance) / distance)
        inside_holds, outside_leaves = ball_boundary_probes(X, W, radius, BALL_STEP)
        breaches += not inside_holds
        stays += not outside_leaves
    led.parameter("ball_probed", len(probed), description="data matrices of the ball check with a nonzero column")
    led.parameter("ball_step", BALL_STEP, description="relative step of the boundary probes", style="sci",
                  digits=1)
    led.claim("ball_radius_formula_gap", _order_above(gap), at_most(1e-13), source=rank_deficient_ball,
              description="largest relative distance of a radius from the exact distance of the centre to the"
              " nearest hyperplane", style="sci", digits=1, rounding="up")
    led.claim("ball_boundary_breaches", breaches, equals(0), source=rank_deficient_ball,
              description="balls whose worst perturbation just inside the radius leaves the cell",
              style="int")
    led.claim("ball_boundary_stays", stays, equals(0), source=rank_deficient_ball,
              description="balls whose worst perturbation just outside the radius stays in the cell",
              style="int")


def _counterexample(led: Ledger) -> None:
    """The counterexample to two tempting statements, with exact ranks."""
    X0, W0 = skew_triangle(), full_rank_example()
    led.claim("example_rank_f", int(exact_ranks(activate(W0 @ X0, "relu"))[0]), equals(3),
              source=exact_ranks, description="rank of the ReLU features of $W_0$ and $X_0$", style="int")
    led.claim("example_rank_g", int(exact_ranks(W0 @ X0)[0]), equals(2),
              source=exact_ranks, description="rank of the product $G$ of $W_0$ and $X_0$", style="int")


def _rank_lemma(led: Ledger, stream) -> None:
    """The rank lemma, on random integer data and integer weights (including lines d0 = 1): exact ranks."""
    excess, line_rank = -math.inf, 0
    led.parameter("rank_lemma_draws", LEMMA_DRAWS, description="random $W$ per data matrix in the rank-lemma check")
    for d0, m in LEMMA_SHAPES:
        X = data_family("general", d0, m, stream())
        W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND + 1, size=(LEMMA_DRAWS, m, d0)).astype(float)
        ranks = exact_relu_ranks(X, W)
        excess = max(excess, int(np.max(ranks - active_set_rank_bounds(X, W))))
        if d0 == 1:
            line_rank = max(line_rank, int(np.max(ranks)))
    # Zero, not merely at most zero: the bound is never exceeded and is attained by some draw.
    led.claim("rank_bound_excess", excess, equals(0), source=active_set_rank_bounds,
              description="largest excess of the exact rank of $F$ over the active-set bound, random integer"
              " data and weights", style="int")
    led.claim("line_max_rank", line_rank, equals(2), source=exact_relu_ranks,
              description="largest exact rank of $F$ for scalar data and integer weights", style="int")


def _exact_value(name: str, X, representative) -> tuple[Fraction, Fraction, Fraction, object]:
    """The closed form of one small case, the brute-force reference for it and its complement, and the source."""
    rank_data = X if representative is None else representative
    if X.shape[0] == 1:
        singular, full = brute_force_singular_probability(rank_data, line_cells(X))
        return line_singular_probability(X), singular, full, line_singular_probability
    singular, full = brute_force_singular_probability(rank_data, planar_cells_exact(X))
    return three_point_singular_probability(X, turn=exact_turn), singular, full, three_point_singular_probability


def _exact_cases(led: Ledger, tally: Tally, stream) -> None:
    """Exact small cases: closed form against brute force, enumeration (Rado) and Monte Carlo (exact decisions)."""
    led.parameter("enum_tol", ENUMERATION_TOL, description="admitted distance of an enumerated probability from"
                  " the exact value", style="sci", digits=1)
    for name, X, label in ASYMMETRIC_CASES:
        exact, singular, _, source = _exact_value(name, X, None)
        led.claim(f"exact_{name}", exact, equals_exactly(singular), source=source,
                  description=f"exact probability of rank deficiency, {label}", style="fraction")
    for name, X, representative, label in EXACT_CASES:
        exact, singular, full, source = _exact_value(name, X, representative)
        led.claim(f"exact_{name}", exact, equals_exactly(singular), source=source,
                  description=f"exact probability of rank deficiency, {label}", style="fraction")
        if name == "triangle_skew":
            led.claim("exact_full_rank_skew", 1 - exact, equals_exactly(full), source=source,
                      description=f"exact probability of full rank, {label}", style="fraction")
        if X.shape[0] == 2:
            table = planar_deficiency_table(X, representative)
            value = float(np.sum(table.weights[table.deficient]))
            led.claim(f"enum_{name}", value, between(f"{exact} - {ENUMERATION_TOL!r}", f"{exact} + {ENUMERATION_TOL!r}"),
                      source=exact_singular_probability_planar,
                      description=f"enumerated probability (Rado's criterion), {label}", style="fixed", digits=4)
            tally.table(X if representative is None else representative, table, stream())
        deficient, _ = tally.relu(X, EXACT_SAMPLES, stream(), representative)
        frequency = float(np.mean(deficient))
        led.claim(f"mc_{name}", frequency, binomial_within(exact, EXACT_SAMPLES), source=rado_singular,
                  description=f"ReLU frequency for {label}; exact {exact}", style="fixed", digits=3)
        led.claim(f"mc_{name}_z", _z_score(frequency, exact, EXACT_SAMPLES), at_most(4.0), source=_z_score,
                  description=f"distance of that frequency from {exact} in binomial standard errors of {exact}",
                  style="fixed", digits=1)


def _sweep(led: Ledger, tally: Tally, stream) -> Sweep:
    """Grid of (d0, m): cell counts, the bound, ReLU for three families, the sigmoid; rows with m = FIGURE_M make the figure.

    Returns what later claims and the frequency figure need (:class:`Sweep`).
    """
    led.parameter("figure_m", FIGURE_M, description="number of data points $m$ in the $d_0$ sweep")
    sweep = Sweep()
    for d0, m in GRID:
        bound = _cells_and_bound(led, d0, m, stream())
        row_singular = 0
        for family in FAMILIES:
            X = data_family(family, d0, m, stream())
            _relu_frequency(led, tally, stream, sweep, X, family)
            if d0 >= 2:  # no floating-point rank test decides the sigmoid for scalar data
                row_singular += _sigmoid_frequency(led, stream, sweep, X, family)
        sweep.bound[(d0, m)] = bound
        if d0 >= 2:
            sweep.sigmoid_singular += row_singular
            led.claim(f"sigmoid_d{d0}_m{m}", row_singular, equals(0), source=declared_singular_fraction,
                      description=f"sigmoid draws declared singular, general and half-space $X$, $d_0={d0}$, $m={m}$",
                      style="int")
    led.claim("antipodal_sigmoid_max_ratio", _order_above(sweep.antipodal_sigmoid_max), at_most(RANK_RTOL / 100),
              source=sampled_ratios,
              description="largest singular value ratio of sigmoid features, antipodal data of the table",
              style="sci", digits=1)
    led.claim("se_max", max(max(errors) for errors in sweep.all_se), at_most(f"0.5 / {RELU_SAMPLES} ** 0.5"),
              source=standard_error, description="largest standard error of the ReLU frequencies of the table"
              " (at most $1/(2\\sqrt n)$ as $p(1-p) \\le 1/4$)", style="sci", digits=3, rounding="up")
    return sweep


def _cells_and_bound(led: Ledger, d0: int, m: int, rng) -> Fraction:
    """The cell count ``N_m`` against cells listed for generic data, and the bound against a second formula."""
    generic_cells = cell_count_by_rays(rng.standard_normal((d0, m)))
    cells = cell_count_bound(m, d0)
    led.claim(f"cells_d{d0}_m{m}", cells, equals(generic_cells), source=cell_count_bound,
              description=f"most cells of $m={m}$ central hyperplanes in $\\mathbb{{R}}^{{{d0}}}$", style="int")
    bound = singular_probability_lower_bound(d0, m)
    led.claim(f"bound_d{d0}_m{m}", bound, equals_exactly(overflow_probability_by_partitions(m, generic_cells, d0)),
              source=singular_probability_lower_bound,
              description=f"lower bound for every $X$, $d_0={d0}$, $m={m}$", style="sci", rounding="down")
    return bound


def _relu_frequency(led: Ledger, tally: Tally, stream, sweep: Sweep, X, family: str) -> None:
    """The ReLU frequency for one data matrix of the sweep, checked against an exact value or a second test.

    For ``d0 = 1`` the exact probability is the closed form, for ``d0 = 2`` the
    enumeration; both are compared binomially.  For ``d0 >= 3`` the reference
    is the singular value test on the same draws, which must agree draw by draw.
    """
    d0, m = X.shape
    # Where the singular value test is the reference (d0 >= 3) it decides every draw.
    deficient, svd_deficient = tally.relu(X, RELU_SAMPLES, stream(), crosscheck=RELU_SAMPLES if d0 >= 3 else None)
    frequency = float(np.mean(deficient))
    sweep.all_se.append([standard_error(frequency, RELU_SAMPLES)])
    exact = None
    if d0 == 1:
        exact = line_singular_probability(X)
    elif d0 == 2:
        table = planar_deficiency_table(X)
        exact = _probability(float(np.sum(table.weights[table.deficient])))
        tally.table(X, table, stream())
    check = equals(float(np.mean(svd_deficient))) if exact is None else binomial_within(exact, RELU_SAMPLES)
    led.claim(f"relu_{family}_d{d0}_m{m}", frequency, check, source=rado_singular,
              description=f"ReLU frequency, {family} $X$, $d_0={d0}$, $m={m}$", style="fixed", digits=2)
    if m != FIGURE_M:
        return
    sweep.relu[family].append(frequency)
    sweep.relu_se[family].append(standard_error(frequency, RELU_SAMPLES))
    if exact is not None:
        sweep.exact[family][d0] = exact
    if d0 == 2:
        sweep.planar[family] = frequency


def _sigmoid_frequency(led: Ledger, stream, sweep: Sweep, X, family: str) -> int:
    """The sigmoid on one data matrix of the sweep (``d0 >= 2``); returns the draws declared singular.

    Antipodal data make the sigmoid features singular, and their frequency is
    claimed; the draws on the other families are kept for the summary claims.
    """
    d0, m = X.shape
    if family == "antipodal":
        ratios = sampled_ratios(X, "sigmoid", ANTIPODAL_SIGMOID_SAMPLES, stream())
        sweep.antipodal_sigmoid_max = max(sweep.antipodal_sigmoid_max, float(np.max(ratios)))
        led.claim(f"sigmoid_antipodal_d{d0}_m{m}", declared_singular_fraction(ratios), equals(1.0),
                  source=declared_singular_fraction,
                  description=f"sigmoid frequency, antipodal $X$, $d_0={d0}$, $m={m}$", style="fixed",
                  digits=2)
        return 0
    ratios = sampled_ratios(X, "sigmoid", SIGMOID_SAMPLES, stream())
    sweep.sigmoid_ratios.append(ratios)
    singular = int(np.sum(ratios <= RANK_RTOL))
    if family == "general" and m == FIGURE_M:
        sweep.sigmoid_upper[d0] = (1 - 0.05 ** (1 / SIGMOID_SAMPLES) if singular == 0
                                   else singular / SIGMOID_SAMPLES)
    return singular


def _planar_exact_values(led: Ledger, sweep: Sweep) -> None:
    """The exact probabilities of the planar rows of the sweep, against the bound and the ReLU frequencies."""
    bound = float(singular_probability_lower_bound(2, FIGURE_M))
    for family in ("general", "halfspace"):
        target = sweep.exact[family][2]
        led.claim(f"exact_planar_{family}", float(target), at_least(_short_lower(bound)),
                  source=exact_singular_probability_planar,
                  description=f"exact probability, {family} $X$, $d_0 = 2$, $m = {FIGURE_M}$",
                  style="fixed", digits=4)
        led.claim(f"mc_planar_{family}_z", _z_score(sweep.planar[family], target, RELU_SAMPLES),
                  at_most(4.0), source=_z_score,
                  description=f"distance of the ReLU frequency from the exact value in binomial standard errors"
                  f" of the exact value, {family} $X$", style="fixed", digits=1)


def _sigmoid_on_scalar_data(led: Ledger, stream) -> None:
    """Scalar data: the sigmoid matrices are too ill-conditioned for any floating-point rank test."""
    line_ratios = sampled_ratios(stream().standard_normal((1, LINE_M)), "sigmoid", SIGMOID_SAMPLES, stream())
    led.parameter("line_m", LINE_M, description="number of scalar data points in the sigmoid conditioning check")
    led.claim("sigmoid_line_declared", declared_singular_fraction(line_ratios), greater_than(0.0),
              source=declared_singular_fraction,
              description=f"fraction of sigmoid draws below the threshold, Gaussian scalar data, $m = {LINE_M}$",
              style="fixed", digits=3)
    led.claim("sigmoid_line_median_ratio", _order_above(float(np.median(line_ratios))), at_most(1e3 * RANK_RTOL),
              source=sampled_ratios,
              description=f"median singular value ratio of sigmoid features, Gaussian scalar data, $m = {LINE_M}$",
              style="sci", digits=1)


def _exact_decisions_checked(led: Ledger, tally: Tally) -> None:
    """The exact ReLU decisions and their cross-checks: random evaluation and the singular value test."""
    deficient_ratios = np.concatenate(tally.deficient_ratios)
    full_ratios = np.concatenate(tally.full_ratios)
    led.parameter("relu_draws_total", tally.draws, description="ReLU draws decided exactly")
    led.parameter("crosscheck_samples", CROSSCHECK_SAMPLES,
                  description="ReLU draws per configuration also decided by the singular value test (all for"
                  " $d_0 \\ge 3$ in the table)")
    led.parameter("crosscheck_total", deficient_ratios.size + full_ratios.size,
                  description="ReLU draws also decided by the singular value test")
    led.claim("uncertified_signs", tally.uncertified, equals(0), source=certified_active_sets,
              description="ReLU draws with a sign of $WX$ that could not be certified", style="int")
    led.parameter("random_checks", tally.random_checks,
                  description="distinct cell multisets also decided by random evaluation")
    led.claim("random_disagreements", tally.random_disagreements, equals(0), source=random_evaluation_singular,
              description="distinct cell multisets on which random evaluation contradicts Rado's criterion",
              style="int")
    # A formula in the number of evaluations (m / p each), quoted as an upper bound: a parameter, rounded up.
    led.parameter("random_error_bound", format_number(tally.random_error_bound, "sci", 2, "up"),
                  description="union bound on a false singular verdict of the random evaluation, $m/p$ summed over"
                  " the evaluations")
    # One prime suffices: masked rows of X have norm at most B sqrt(8), and (5 sqrt 8)^8 < 2^31 - 1.
    led.claim("rado_primes", tally.rado_primes, equals(1), source=rado_primes_needed,
              description="primes that make every rank of Rado's criterion exact, over all data decided",
              style="int")
    # Integer columns with entries at most B: distinct lines meet at an angle of at least arcsin(1 / (2 B^2)).
    sector_floor = _short_lower(math.asin(1 / (2 * ENTRY_BOUND**2)))
    led.parameter("ray_merge_tol", RAY_MERGE_TOL, description="angle below which two rays count as one line",
                  style="sci", digits=1)
    led.claim("min_sector_angle", 2 * math.pi * tally.smallest_sector, at_least(sector_floor), source=planar_cells,
              description="smallest sector angle (radians) of the enumerated planar data",
              style="fixed", digits=3, rounding="down")
    led.claim("crosscheck_deficient_max_ratio", _order_above(_extreme(np.max, deficient_ratios)),
              at_most(RANK_RTOL / 100),
              source=singular_value_ratios,
              description="largest singular value ratio among ReLU draws decided singular", style="sci", digits=1)
    led.claim("crosscheck_full_min_ratio", _extreme(np.min, full_ratios), at_least(RANK_RTOL * 100),
              source=singular_value_ratios,
              description="smallest singular value ratio among ReLU draws decided nonsingular", style="sci",
              digits=1)
    led.claim("crosscheck_disagreements", tally.svd_disagreements, equals(0), source=singular_value_ratios,
              description="ReLU draws where the singular value test disagrees with the exact decision",
              style="int")


def _sigmoid_threshold_test(led: Ledger, sweep: Sweep) -> None:
    """The sigmoid: the threshold test, with d0 >= 2."""
    sigmoid_all = np.concatenate(sweep.sigmoid_ratios)
    led.claim("sigmoid_singular_count", sweep.sigmoid_singular, equals(0), source=declared_singular_fraction,
              description="sigmoid draws declared singular, general and half-space data of table and figure",
              style="int")
    led.claim("sigmoid_min_ratio", float(np.min(sigmoid_all)), at_least(RANK_RTOL * 100), source=sampled_ratios,
              description="smallest singular value ratio over those sigmoid draws", style="sci", digits=1)
    led.parameter("sigmoid_draws_total", int(sigmoid_all.size), description="sigmoid draws behind that minimum")


def _cells_figure(led: Ledger, figures_dir: Path) -> None:
    """The argument in the plane for ``X_0``: a full-rank ``W_0``, the disc of radius ``epsilon``, a ``W'`` in it.

    The rows of ``W'`` sit at three spread points of the disc, so that their
    marks do not hide each other.
    """
    X0, W0 = skew_triangle(), full_rank_example()
    ball_W, ball_radius = rank_deficient_ball(X0)
    spread = np.deg2rad([100.0, 220.0, 340.0])
    perturbed = ball_W + 0.6 * ball_radius * np.column_stack([np.cos(spread), np.sin(spread)])
    plot_cells(X0, W0, ball_W, ball_radius, perturbed, figures_dir / "p3_cells.pdf")
    led.figure("cells", "p3_cells.pdf", source=plot_cells)


def _frequency_figure(led: Ledger, figures_dir: Path, sweep: Sweep) -> None:
    """The frequencies of the sweep at ``m = FIGURE_M`` against ``d0``, with the lower bound."""
    bound_curve = [float(sweep.bound[(d0, FIGURE_M)]) for d0 in WIDTHS]
    exact = {family: {d0: float(p) for d0, p in values.items()} for family, values in sweep.exact.items()}
    plot_frequency_vs_width(WIDTHS, sweep.relu, sweep.relu_se, exact, sweep.sigmoid_upper, bound_curve,
                            FIGURE_M, figures_dir / "p3_frequency.pdf")
    led.figure("frequency", "p3_frequency.pdf", source=plot_frequency_vs_width)
