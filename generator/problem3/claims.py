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
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.special import betaincinv

from generator.ledger import (
    Check,
    Ledger,
    at_most,
    between,
    binomial_within,
    equals,
    equals_exactly,
    within_standard_errors,
)
from generator.problem3.ball import active_set_rank_bounds, ball_check, exact_relu_ranks, rank_deficient_ball
from generator.problem3.data import (
    ENTRY_BOUND,
    FAMILIES,
    ball_suite,
    data_family,
    full_rank_example,
    regular_triangle,
    skew_triangle,
)
from generator.problem3.experiments import (
    ANTIPODAL_SIGMOID_SAMPLES,
    ASYMMETRIC_CASES,
    BALL_DRAWS,
    CONFIDENCE,
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
from generator.problem3.figure_checks import cells_figure_deviation, exact_reference, frequency_figure_deviation
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
from generator.problem3.ranks import PRIME, exact_ranks
from generator.problem3.references import (
    ball_boundary_probes,
    brute_force_singular_probability,
    cell_count_by_rays,
    data_law_violation,
    enumerated_probability_reference,
    exact_hyperplane_distances,
    exact_turn,
    line_cells,
    overflow_probability_by_partitions,
    planar_cells_exact,
    planar_sectors_reference,
    singular_value_ratio_reference,
    z_score_reference,
)

ENUMERATION_TOL = 1e-12
"""Largest admitted distance of a floating-point enumerated probability from its exact value."""

BALL_STEP = 1e-6
"""Relative step of the probes just inside and just outside the ball of the main theorem."""

CELLS_REACH = 2.4
"""Half the side of the square the cells figure shows: its lines run to twice that from the origin."""

FIGURE_OFFSETS = {"general": -0.12, "halfspace": 0.0, "antipodal": 0.12}
"""Horizontal offsets of the three data families in the frequency figure, so that their marks do not hide each other."""


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
    lemma_data = _rank_lemma(led, stream)
    _exact_cases(led, tally, stream)
    sweep = _sweep(led, tally, stream)
    _data_law(led, lemma_data + sweep.data)
    _planar_exact_values(led, sweep)
    _sigmoid_on_scalar_data(led, stream)
    _exact_decisions_counted(led, tally)
    _exact_decisions_checked(led, tally)
    _relu_weight_law(led, tally)
    _sigmoid_threshold_test(led, sweep)
    _cells_figure(led, figures_dir)
    _frequency_figure(led, figures_dir, sweep)
    return led


def _agrees(reference: float, tolerance: str) -> Check:
    """``|value - reference| <= tolerance`` (an expression such as ``"1e-12"``), stated with both numbers."""
    if not math.isfinite(reference):
        return between(reference, reference)  # fails: a reference that could not be computed
    return between(f"{reference!r} - {tolerance}", f"{reference!r} + {tolerance}")


def _agrees_relative(reference: float, relative: str, floor: float | None = None, slack: str | None = None) -> Check:
    """``value`` within the relative distance ``relative`` of a positive ``reference``, and at least ``floor``.

    When the floor is above the band, the band's lower end is the floor, so
    the check says both things a claim promises: agreement with the
    reference and the observed margin above a threshold.  ``slack`` (an
    expression) widens the band by an absolute amount: the rounding error of a
    small singular value ratio is absolute (a few units of rounding of
    ``s_max``, growing with the size), so a relative band alone would refuse a
    correct ratio near the floor.
    """
    if not (math.isfinite(reference) and reference > 0):
        return between(reference, reference)  # fails
    extra = "" if slack is None else f" + {slack}"
    high = f"{reference!r} * (1 + {relative}){extra}"
    low = f"{reference!r} * (1 - {relative})" + ("" if slack is None else f" - {slack}")
    if floor is not None and floor > between(low, high).args[0]:
        return between(floor, high)
    return between(low, high)


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
    led.parameter("confidence", CONFIDENCE, description="level of the one-sided upper confidence bound for the"
                  " sigmoid", style="percent", digits=0)


def _ball(led: Ledger, stream) -> list[np.ndarray]:
    """The constructive proof: balls of rank-deficient W, for every kind of X, sampled inside."""
    suite = ball_suite(stream())
    led.parameter("ball_cases", len(suite), description="data matrices in the ball check")
    led.parameter("ball_draws", BALL_DRAWS, description="perturbed $W'$ per data matrix")
    _, skew_radius = rank_deficient_ball(skew_triangle())
    led.claim("ball_radius_skew", skew_radius, between("2 ** -0.5 - 1e-14", "2 ** -0.5"), source=rank_deficient_ball,
              description="radius $\\varepsilon$ of the ball for $X_0$", style="fixed", digits=4)
    # The radius is the distance 1/sqrt 2 less the allowance 4 (d0 + 2) eps, up to the rounding of the margin.
    led.claim("ball_radius_gap", abs(1 / math.sqrt(2) - skew_radius),
              between("4 * (2 + 2) * 2 ** -52 - 2 ** -51", "4 * (2 + 2) * 2 ** -52 + 2 ** -51"),
              source=rank_deficient_ball, description="distance of that radius from $1/\\sqrt{2}$: the rounding"
              " allowance $4(d_0+2)\\,2^{-52}$, up to the rounding of the margin", style="order", rounding="up")
    outside, worst_ratio, reach, sums, sizes = ball_check(suite, BALL_DRAWS, stream(), return_directions=True)
    led.claim("ball_outside", outside, equals(0), source=ball_check,
              description="perturbed $W'$ with a row outside the centre's cell (exact signs)", style="int")
    led.claim("ball_max_ratio", worst_ratio, at_most(RANK_RTOL / 100), source=ball_check,
              description="largest singular value ratio of the ReLU features over all $W'$ in the balls",
              style="order", rounding="up")
    led.claim("ball_reach_mean", float(np.mean(reach)), within_standard_errors(0.5, math.sqrt(1 / (12 * reach.size))),
              source=ball_check, description="mean of $\\|W'-W_\\star\\|_F/\\varepsilon$ over all $W'$ of the ball"
              " check, measured on $W'$ (uniform between $0$ and $1$: mean $1/2$, standard error $1/\\sqrt{12n}$)",
              style="fixed", digits=3)
    led.claim("ball_reach_max", float(np.max(reach)), between(0.99, "1 - 2 ** -53"), source=ball_check,
              description="largest $\\|W'-W_\\star\\|_F/\\varepsilon$: below 1 (inside the open ball), and above"
              f" 0.99 unless all {reach.size} uniform draws miss the interval from 0.99 to 1 (probability $0.99^{{{reach.size}}}$)",
              style="fixed", digits=4, rounding="down")
    # A unit vector u uniform on the sphere of R^k: s = u . 1 = sqrt(k) u_1 has E s = 0, E s^2 = 1 and
    # Var s^2 = k E u_1^4 - 1 = 3k / (k + 2) - 1.
    led.claim("ball_direction_sum_mean", float(np.mean(sums)), within_standard_errors(0, 1 / math.sqrt(sums.size)),
              source=ball_check, description="mean over all $W'$ of the sum of the entries of the unit direction"
              " of $W'-W_\\star$ (uniform direction: mean $0$, standard error $1/\\sqrt n$)", style="sci", digits=1)
    spread = math.sqrt(float(np.sum(3 * sizes / (sizes + 2) - 1))) / sums.size
    led.claim("ball_direction_sum_square", float(np.mean(sums**2)), within_standard_errors(1, spread),
              source=ball_check, description="mean of the square of that sum (uniform direction in $\\R^k$: mean $1$,"
              " variance $3k/(k+2)-1$ per draw)", style="fixed", digits=3)
    return suite


def _ball_boundary(led: Ledger, suite: list[np.ndarray]) -> None:
    """The radius of each ball against the exact distance formula, and probes just inside and just outside it.

    ``X = 0`` has no hyperplane, so every radius works for it; it is left out.
    The relative distance of a radius from the exact distance is the allowance
    ``4 (d0 + 2) eps`` of :func:`rank_deficient_ball` over that distance, up to
    a few units of rounding of the computed margin.
    """
    probed = [X for X in suite if np.any(X != 0)]
    gap, expected, breaches, stays = 0.0, 0.0, 0, 0
    for X in probed:
        W, radius = rank_deficient_ball(X)
        distance = float(np.min(exact_hyperplane_distances(W[0], X)))
        gap = max(gap, abs(radius - distance) / distance)
        expected = max(expected, 4 * (X.shape[0] + 2) * 2.0**-52 / distance)
        inside_holds, outside_leaves = ball_boundary_probes(X, W, radius, BALL_STEP)
        breaches += not inside_holds
        stays += not outside_leaves
    led.claim("ball_probed", len(probed), equals(sum(float(np.linalg.norm(X)) > 0 for X in suite)),
              source=_ball_boundary, description="data matrices of the ball check with a nonzero column",
              style="int")
    led.parameter("ball_step", BALL_STEP, description="relative step of the boundary probes", style="sci",
                  digits=1)
    led.claim("ball_radius_formula_gap", gap, _agrees(expected, "2 ** -50"), source=rank_deficient_ball,
              description="largest relative distance of a radius from the exact distance of the centre to the"
              " nearest hyperplane (the allowance $4(d_0+2)\\,2^{-52}$ over that distance)", style="order",
              rounding="up")
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


def _rank_lemma(led: Ledger, stream) -> list[tuple[str, np.ndarray]]:
    """The rank lemma, on random integer data and integer weights (including lines d0 = 1): exact ranks.

    Returns the data matrices, with their family, for the claims on the law of the data.
    """
    excess, line_rank, data, weights = -math.inf, 0, [], []
    led.parameter("rank_lemma_draws", LEMMA_DRAWS, description="random $W$ per data matrix in the rank-lemma check")
    for d0, m in LEMMA_SHAPES:
        X = data_family("general", d0, m, stream())
        data.append(("general", X))
        W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND + 1, size=(LEMMA_DRAWS, m, d0)).astype(float)
        weights.append(W.ravel())
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
    _lemma_weight_law(led, np.concatenate(weights))
    return data


def _lemma_weight_law(led: Ledger, weights: np.ndarray) -> None:
    """The integer weights of the rank-lemma check against the uniform law on ``{-B, ..., B}`` the text states.

    All ``2B + 1`` values must occur (a correct sampler misses one with
    probability at most ``(2B + 1) (1 - 1/(2B + 1))^n``), and the mean is
    claimed within four standard errors of 0, the variance of one entry being
    ``B (B + 1) / 3``.
    """
    n = weights.size
    values = np.unique(weights)
    led.claim("lemma_weight_values", int(values.size) if np.all(np.abs(values) <= ENTRY_BOUND) else -1,
              equals(2 * ENTRY_BOUND + 1), source=_rank_lemma,
              description=f"distinct values among the {n} integer weights of the rank-lemma check, all in"
              " $\\{-B,\\ldots,B\\}$", style="int")
    led.claim("lemma_weight_mean", float(np.mean(weights)),
              within_standard_errors(0, math.sqrt(ENTRY_BOUND * (ENTRY_BOUND + 1) / 3 / n)), source=_rank_lemma,
              description=f"mean of those {n} weights (uniform law: $0$ within four standard errors"
              " $\\sqrt{B(B+1)/(3n)}$)", style="fixed", digits=3)


def _exact_value(name: str, X, representative) -> tuple[Fraction, Fraction, Fraction, object]:
    """The closed form of one small case, the brute-force reference for it and its complement, and the source."""
    rank_data = X if representative is None else representative
    if X.shape[0] == 1:
        singular, full = brute_force_singular_probability(rank_data, line_cells(X))
        return line_singular_probability(X), singular, full, line_singular_probability
    singular, full = brute_force_singular_probability(rank_data, planar_cells_exact(X))
    return three_point_singular_probability(X, turn=exact_turn), singular, full, three_point_singular_probability


def _regular_triangle_form_error(X: np.ndarray, representative: np.ndarray) -> float:
    """How far ``X`` is from three unit vectors at mutual angles ``2 pi / 3`` (Gram matrix
    ``(3 I - J) / 2``), and ``representative`` from ``diag(2 / sqrt 3, 2) X``: the text's description."""
    gram = (3.0 * np.eye(3) - np.ones((3, 3))) / 2.0
    scaled = np.diag([2.0 / np.sqrt(3.0), 2.0]) @ X
    return float(max(np.max(np.abs(X.T @ X - gram)), np.max(np.abs(scaled - representative))))


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
        if name == "triangle_regular":
            led.claim("triangle_regular_form_error", _regular_triangle_form_error(X, representative), at_most(1e-14),
                      source=regular_triangle, style="order", rounding="up", resolution=1e-15,
                      description="largest deviation of the Gram matrix of the regular triangle from that of unit"
                                  " vectors at mutual angles $2\\pi/3$, and of $X^{\\mathrm{int}}$ from"
                                  " $\\diag(2/\\sqrt3,2)X$")
        if name == "triangle_skew":
            led.claim("exact_full_rank_skew", 1 - exact, equals_exactly(full), source=source,
                      description=f"exact probability of full rank, {label}", style="fraction")
        if X.shape[0] == 2:
            table = planar_deficiency_table(X, representative)
            value = float(np.sum(table.weights[table.deficient]))
            led.claim(f"enum_{name}", value, between(f"{exact} - {ENUMERATION_TOL!r}", f"{exact} + {ENUMERATION_TOL!r}"),
                      source=exact_singular_probability_planar,
                      description=f"enumerated probability (Rado's criterion), {label}", style="fixed", digits=4)
            tally.table(X, table, stream(), representative)
        deficient, _ = tally.relu(X, EXACT_SAMPLES, stream(), representative)
        frequency = float(np.mean(deficient))
        led.claim(f"mc_{name}", frequency, binomial_within(exact, EXACT_SAMPLES), source=rado_singular,
                  description=f"ReLU frequency for {label}; exact {exact}", style="fixed", digits=3)
        reference = z_score_reference(int(np.sum(deficient)), exact, deficient.size)
        led.claim(f"mc_{name}_z", _z_score(frequency, exact, EXACT_SAMPLES), _agrees(reference, "1e-9"),
                  source=_z_score, description=f"distance of that frequency from {exact} in binomial standard"
                  f" errors of {exact} (recomputed from the count of singular draws)", style="fixed", digits=1)


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
            sweep.data.append((family, X))
            _relu_frequency(led, tally, stream, sweep, X, family)
            if d0 >= 2:  # no floating-point rank test decides the sigmoid for scalar data
                row_singular += _sigmoid_frequency(led, stream, sweep, X, family)
        sweep.bound[(d0, m)] = bound
        if d0 >= 2:
            sweep.sigmoid_singular += row_singular
            led.claim(f"sigmoid_d{d0}_m{m}", row_singular, equals(0), source=declared_singular_fraction,
                      description=f"sigmoid draws declared singular, general and half-space $X$, $d_0={d0}$, $m={m}$",
                      style="int")
    led.claim("antipodal_sigmoid_max_ratio", sweep.antipodal_sigmoid_max, at_most(RANK_RTOL / 100),
              source=sampled_ratios,
              description="largest singular value ratio of sigmoid features, antipodal data of the table",
              style="order", rounding="up")
    led.claim("se_max", max(max(errors) for errors in sweep.all_se), _agrees_relative(max(sweep.se_reference), "1e-9"),
              source=standard_error, description="largest standard error of the ReLU frequencies of the table"
              " (at most $1/(2\\sqrt n)$ as $p(1-p) \\le 1/4$), against the standard deviation of the draws'"
              " verdicts over $\\sqrt n$", style="sci", digits=3, rounding="up")
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
    sweep.se_reference.append(float(np.std(deficient)) / math.sqrt(deficient.size))
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
        sweep.planar_count[family] = int(np.sum(deficient))
        sweep.planar_tables[family] = (X, table)


def _sigmoid_frequency(led: Ledger, stream, sweep: Sweep, X, family: str) -> int:
    """The sigmoid on one data matrix of the sweep (``d0 >= 2``); returns the draws declared singular.

    Antipodal data make the sigmoid features singular, and their frequency is
    claimed; the draws on the other families are kept for the summary claims,
    with the draw of the smallest ratio.
    """
    d0, m = X.shape
    if family == "antipodal":
        ratios, W = sampled_ratios(X, "sigmoid", ANTIPODAL_SIGMOID_SAMPLES, stream(), return_weights=True)
        sweep.sigmoid_weights.append(W.ravel())
        sweep.antipodal_sigmoid_max = max(sweep.antipodal_sigmoid_max, float(np.max(ratios)))
        led.claim(f"sigmoid_antipodal_d{d0}_m{m}", declared_singular_fraction(ratios), equals(1.0),
                  source=declared_singular_fraction,
                  description=f"sigmoid frequency, antipodal $X$, $d_0={d0}$, $m={m}$", style="fixed",
                  digits=2)
        return 0
    ratios, W = sampled_ratios(X, "sigmoid", SIGMOID_SAMPLES, stream(), return_weights=True)
    sweep.sigmoid_ratios.append(ratios)
    sweep.sigmoid_weights.append(W.ravel())
    smallest = int(np.argmin(ratios))
    if ratios[smallest] < sweep.sigmoid_min[0]:
        sweep.sigmoid_min = (float(ratios[smallest]), W[smallest], X)
    singular = int(np.sum(ratios <= RANK_RTOL))
    if family == "general" and m == FIGURE_M:
        sweep.sigmoid_upper[d0] = (1 - (1 - CONFIDENCE) ** (1 / SIGMOID_SAMPLES) if singular == 0
                                   else singular / SIGMOID_SAMPLES)
    return singular


def _data_law(led: Ledger, data: list[tuple[str, np.ndarray]]) -> None:
    """The data of the rank lemma and of the sweep against the law the text states for each family.

    Every matrix is checked by :func:`data_law_violation`.  The entries that
    the text says are uniform on ``{-B, ..., B}`` (general data, antipodal
    ``X'``, the rows after the first of half-space data, ``d0 >= 2``) must take
    all ``2B + 1`` values, and the first row of the half-space data must reach
    ``B``.
    """
    led.claim("data_law_violations", sum(data_law_violation(family, X, ENTRY_BOUND) for family, X in data),
              equals(0), source=data_family, description="data matrices of the rank-lemma check and of the"
              " sweep that break the description of their family", style="int")
    uniform = [X[:, : X.shape[1] // 2] if family == "antipodal" else X[1:] if family == "halfspace" else X
               for family, X in data if X.shape[0] >= 2]
    values = np.unique(np.concatenate([block.ravel() for block in uniform]))
    led.claim("general_values", int(values.size), equals(2 * ENTRY_BOUND + 1), source=data_family,
              description=f"distinct values among the {sum(block.size for block in uniform)} entries uniform on"
              " $\\{-B,\\ldots,B\\}$ (a correct sampler misses one with probability below $10^{-9}$)",
              style="int")
    first = np.concatenate([X[0] for family, X in data if family == "halfspace" and X.shape[0] >= 2])
    led.claim("halfspace_first_row_max", int(np.max(first)), equals(ENTRY_BOUND), source=data_family,
              description=f"largest of the {first.size} first-row entries of the half-space data, uniform on"
              f" $\\{{1,\\ldots,B\\}}$ (below $B$ with probability ${{(1-1/B)}}^{{{first.size}}}$)", style="int")


def _planar_exact_values(led: Ledger, sweep: Sweep) -> None:
    """The exact probabilities of the planar rows of the sweep, against a second sum and the ReLU frequencies.

    The second sum takes the sector probabilities from the lines themselves
    (:func:`enumerated_probability_reference`) and the verdicts of the table.
    """
    for family in ("general", "halfspace"):
        X, table = sweep.planar_tables[family]
        value = float(np.sum(table.weights[table.deficient]))
        reference = enumerated_probability_reference(X, table.active, table.multisets, table.deficient)
        led.claim(f"exact_planar_{family}", value, _agrees(reference, "1e-12"),
                  source=exact_singular_probability_planar,
                  description=f"exact probability, {family} $X$, $d_0 = 2$, $m = {FIGURE_M}$, against the sum"
                  " with sector angles from the lines", style="fixed", digits=4)
        target = sweep.exact[family][2]
        reference = z_score_reference(sweep.planar_count[family], target, RELU_SAMPLES)
        led.claim(f"mc_planar_{family}_z", _z_score(sweep.planar[family], target, RELU_SAMPLES),
                  _agrees(reference, "1e-9"), source=_z_score,
                  description=f"distance of the ReLU frequency from the exact value in binomial standard errors"
                  f" of the exact value, {family} $X$ (recomputed from the count)", style="fixed", digits=1)


def _sigmoid_on_scalar_data(led: Ledger, stream) -> None:
    """Scalar data: the sigmoid matrices are too ill-conditioned for any floating-point rank test.

    Both claims are recomputed draw by draw with
    :func:`~generator.problem3.references.singular_value_ratio_reference`
    (entries summed exactly, LAPACK's ``gesvd``): the two routines agree on a
    ratio up to a few units of rounding of ``s_max``, so a draw may change side
    of the threshold only within that distance (one draw allowed).
    """
    X = stream().standard_normal((1, LINE_M))
    line_ratios, W = sampled_ratios(X, "sigmoid", SIGMOID_SAMPLES, stream(), return_weights=True)
    reference = np.array([singular_value_ratio_reference(w, X, "sigmoid") for w in W])
    led.parameter("line_m", LINE_M, description="number of scalar data points in the sigmoid conditioning check")
    led.claim("sigmoid_line_declared", declared_singular_fraction(line_ratios),
              _agrees(float(np.mean(reference <= RANK_RTOL)), f"1 / {SIGMOID_SAMPLES}"),
              source=declared_singular_fraction,
              description=f"fraction of sigmoid draws below the threshold, Gaussian scalar data, $m = {LINE_M}$"
              " (against the ratios recomputed with gesvd, one draw allowed)", style="fixed", digits=3)
    led.claim("sigmoid_line_median_ratio", float(np.median(line_ratios)),
              _agrees(float(np.median(reference)), "2 ** -50"), source=sampled_ratios,
              description=f"median singular value ratio of sigmoid features, Gaussian scalar data, $m = {LINE_M}$"
              " (against the median recomputed with gesvd, up to rounding of $s_{\\max}$)",
              style="order", rounding="up")


def _exact_decisions_counted(led: Ledger, tally: Tally) -> None:
    """How many ReLU draws were decided, cross-checked and evaluated at random points, against the design.

    The numbers of draws follow from the sample sizes; the number of random
    evaluations is recounted per batch (distinct multisets from packed bits,
    or the number of multisets of a planar listing), and the union bound is
    the sum of ``m / p`` over those evaluations, ``m`` the degree of ``P``.
    """
    decided = len(EXACT_CASES) * EXACT_SAMPLES + len(GRID) * len(FAMILIES) * RELU_SAMPLES
    led.claim("relu_draws_total", tally.draws, equals(decided), source=Tally.relu,
              description="ReLU draws decided exactly (all configurations)", style="int")
    led.parameter("crosscheck_samples", CROSSCHECK_SAMPLES,
                  description="ReLU draws per configuration also decided by the singular value test (all for"
                  " $d_0 \\ge 3$ in the table)")
    crosschecked = len(EXACT_CASES) * CROSSCHECK_SAMPLES + sum(
        len(FAMILIES) * (RELU_SAMPLES if d0 >= 3 else CROSSCHECK_SAMPLES) for d0, _ in GRID)
    led.claim("crosscheck_total", sum(r.size for r in tally.deficient_ratios + tally.full_ratios),
              equals(crosschecked), source=Tally.relu,
              description="ReLU draws also decided by the singular value test", style="int")
    evaluations = tally.reference_evaluations
    led.claim("random_checks", tally.random_checks, equals(sum(count for count, _ in evaluations)),
              source=Tally.relu, description="distinct cell multisets also decided by random evaluation",
              style="int")
    bound = Fraction(sum(count * rows for count, rows in evaluations), PRIME)
    led.claim("random_error_bound", tally.random_error_bound, _agrees_relative(float(bound), "1e-12"),
              source=Tally.relu, description="union bound on a false singular verdict of the random evaluation,"
              " $m/p$ summed over the evaluations", style="sci", digits=2, rounding="up")
    led.claim("uncertified_signs", tally.uncertified, equals(0), source=certified_active_sets,
              description="ReLU draws with a sign of $WX$ that could not be certified", style="int")
    led.claim("random_disagreements", tally.random_disagreements, equals(0), source=random_evaluation_singular,
              description="distinct cell multisets on which random evaluation contradicts Rado's criterion",
              style="int")
    # One prime suffices: masked rows of X have norm at most B sqrt(8), and (5 sqrt 8)^8 < 2^31 - 1.
    led.claim("rado_primes", tally.rado_primes, equals(1), source=rado_primes_needed,
              description="primes that make every rank of Rado's criterion exact, over all data decided",
              style="int")


def _exact_decisions_checked(led: Ledger, tally: Tally) -> None:
    """The exact ReLU decisions against the singular value test, and the sectors of the planar listings."""
    deficient_ratios = np.concatenate(tally.deficient_ratios)
    full_ratios = np.concatenate(tally.full_ratios)
    led.parameter("ray_merge_tol", RAY_MERGE_TOL, description="angle below which two rays count as one line",
                  style="sci", digits=1)
    # Integer columns with entries at most B: distinct lines meet at an angle of at least arcsin(1 / (2 B^2)).
    narrowest = min((min(angle for angle, _ in planar_sectors_reference(X)) for X, _ in tally.planar),
                    default=math.nan)
    led.claim("min_sector_angle", 2 * math.pi * tally.smallest_sector, _agrees(narrowest, "1e-12"),
              source=planar_cells, description="smallest sector angle (radians) of the enumerated planar data,"
              " against the angles between the lines themselves", style="fixed", digits=3, rounding="down")
    led.claim("crosscheck_deficient_max_ratio", _extreme(np.max, deficient_ratios), at_most(RANK_RTOL / 100),
              source=singular_value_ratios,
              description="largest singular value ratio among ReLU draws decided singular", style="order",
              rounding="up")
    _, W, X = tally.full_min
    reference = math.nan if W is None else singular_value_ratio_reference(W, X, "relu")
    slack = None if X is None else f"{X.shape[1]} * 2 ** -46"
    led.claim("crosscheck_full_min_ratio", _extreme(np.min, full_ratios),
              _agrees_relative(reference, "1e-6", floor=RANK_RTOL * 100, slack=slack), source=singular_value_ratios,
              description="smallest singular value ratio among ReLU draws decided nonsingular (recomputed for"
              " that draw with LAPACK's gesvd; at least $100\\,\\mathrm{tol}$)", style="sci", digits=1)
    led.claim("crosscheck_disagreements", tally.svd_disagreements, equals(0), source=singular_value_ratios,
              description="ReLU draws where the singular value test disagrees with the exact decision",
              style="int")


def _sigmoid_threshold_test(led: Ledger, sweep: Sweep) -> None:
    """The sigmoid: the threshold test, with d0 >= 2."""
    sigmoid_all = np.concatenate(sweep.sigmoid_ratios)
    led.claim("sigmoid_singular_count", sweep.sigmoid_singular, equals(0), source=declared_singular_fraction,
              description="sigmoid draws declared singular, general and half-space data of table and figure",
              style="int")
    _, W, X = sweep.sigmoid_min
    reference = math.nan if W is None else singular_value_ratio_reference(W, X, "sigmoid")
    slack = None if X is None else f"{X.shape[1]} * 2 ** -46"
    led.claim("sigmoid_min_ratio", float(np.min(sigmoid_all)), _agrees_relative(reference, "1e-6",
              floor=RANK_RTOL * 100, slack=slack), source=sampled_ratios,
              description="smallest singular value ratio over those sigmoid draws (recomputed for that draw with"
              " LAPACK's gesvd; at least $100\\,\\mathrm{tol}$)", style="sci", digits=1)
    _sigmoid_weight_law(led, np.concatenate(sweep.sigmoid_weights))
    drawn = 2 * SIGMOID_SAMPLES * sum(d0 >= 2 for d0, _ in GRID)
    led.claim("sigmoid_draws_total", int(sigmoid_all.size), equals(drawn), source=sampled_ratios,
              description="sigmoid draws behind that minimum (general and half-space data, $d_0 \\ge 2$)",
              style="int")


def _relu_weight_law(led: Ledger, tally: Tally) -> None:
    """The entries of every ``W`` of the exact ReLU decisions against the standard normal law the text states.

    As for the sigmoid (:func:`_sigmoid_weight_law`): the empirical moments of
    order 1, 2 and 4 of ``n`` i.i.d. standard normal entries have means 0, 1,
    3 and variances ``1/n``, ``2/n``, ``96/n``; each within four standard errors.
    """
    first, second, fourth, count = tally.weight_moments
    n = int(count)
    for name, power, value, mean, variance in (("mean", "w", first, 0, 1), ("square", "w^2", second, 1, 2),
                                               ("fourth", "w^4", fourth, 3, 96)):
        printed = {"style": "sci", "digits": 1} if name == "mean" else {"style": "fixed", "digits": 3}
        led.claim(f"relu_weight_{name}", float(value / max(n, 1)),
                  within_standard_errors(mean, math.sqrt(variance / max(n, 1))), source=Tally.relu,
                  description=f"mean of ${power}$ over the {n} entries of the ReLU draws decided exactly"
                  " (standard normal law: its mean within four standard errors)", **printed)


def _sigmoid_weight_law(led: Ledger, weights: np.ndarray) -> None:
    """The entries of every ``W`` of the sigmoid sweep against the standard normal law the text states.

    For ``n`` i.i.d. standard normal entries the empirical moments of order 1,
    2 and 4 have means 0, 1, 3 and variances ``1/n``, ``2/n``, ``(105 - 9)/n``
    (``E w^8 = 105``); each is claimed within four standard errors.
    """
    n = weights.size
    moments = ((1, "mean", "w", 0, 1), (2, "square", "w^2", 1, 2), (4, "fourth", "w^4", 3, 96))
    for order, name, power, mean, variance in moments:
        printed = {"style": "sci", "digits": 1} if order == 1 else {"style": "fixed", "digits": 3}
        led.claim(f"sigmoid_weight_{name}", float(np.mean(weights**order)),
                  within_standard_errors(mean, math.sqrt(variance / n)), source=sampled_ratios,
                  description=f"mean of ${power}$ over the {n} entries of the sigmoid draws of the sweep"
                  " (standard normal law: its mean within four standard errors)", **printed)


def _cells_figure(led: Ledger, figures_dir: Path) -> None:
    """The argument in the plane for ``X_0``: a full-rank ``W_0``, the disc of radius ``epsilon``, a ``W'`` in it.

    The rows of ``W'`` sit at three spread points of the disc, so that their
    marks do not hide each other.
    """
    X0, W0 = skew_triangle(), full_rank_example()
    ball_W, ball_radius = rank_deficient_ball(X0)
    spread = np.deg2rad([100.0, 220.0, 340.0])
    perturbed = ball_W + 0.6 * ball_radius * np.column_stack([np.cos(spread), np.sin(spread)])
    drawn = plot_cells(X0, W0, ball_W, ball_radius, perturbed, figures_dir / "p3_cells.pdf")
    led.figure("cells", "p3_cells.pdf", source=plot_cells)
    led.claim("figure_cells_deviation", cells_figure_deviation(drawn, X0, W0, ball_W[0], CELLS_REACH),
              at_most(1e-12), source=plot_cells,
              description="largest deviation of the cells figure from the lines $w^\\top x_j=0$, the sector angles"
              " between them, the circle of radius the exact distance of $w_\\star$ from the nearest line, and"
              " from the disc for the rows of $W'$", style="order", rounding="up", resolution=1e-16)


def _frequency_figure(led: Ledger, figures_dir: Path, sweep: Sweep) -> None:
    """The frequencies of the sweep at ``m = FIGURE_M`` against ``d0``, with the lower bound.

    The sigmoid's upper confidence bound that the figure plots (one value, as
    no draw is singular) is claimed against the Clopper--Pearson bound for 0
    of ``n``, the ``CONFIDENCE`` quantile of ``Beta(1, n)`` (scipy's ``betaincinv``).
    """
    plotted = set(sweep.sigmoid_upper.values())
    led.claim("sigmoid_upper", plotted.pop() if len(plotted) == 1 else math.nan,
              _agrees_relative(float(betaincinv(1, SIGMOID_SAMPLES, CONFIDENCE)), "1e-9"), source=_sigmoid_frequency,
              description="one-sided upper confidence bound plotted for the sigmoid frequency (0 of $n$ draws"
              " singular), against the quantile of $\\mathrm{Beta}(1,n)$", style="sci", digits=2, rounding="up")
    bound_curve = [float(sweep.bound[(d0, FIGURE_M)]) for d0 in WIDTHS]
    exact = {family: {d0: float(p) for d0, p in values.items()} for family, values in sweep.exact.items()}
    drawn = plot_frequency_vs_width(WIDTHS, sweep.relu, sweep.relu_se, exact, sweep.sigmoid_upper, bound_curve,
                                    FIGURE_M, figures_dir / "p3_frequency.pdf")
    led.figure("frequency", "p3_frequency.pdf", source=plot_frequency_vs_width)
    claimed = {claim.name: float(claim.value) for claim in led.claims}
    frequencies = {family: {d0: claimed[f"p3_relu_{family}_d{d0}_m{FIGURE_M}"] for d0 in WIDTHS} for family in FAMILIES}
    matrices = {(family, X.shape[0]): X for family, X in sweep.data if X.shape[1] == FIGURE_M}
    references = {family: {d0: exact_reference(matrices[(family, d0)], sweep.planar_tables.get(family, (None, None))[1])
                           for d0 in WIDTHS if d0 <= 2} for family in FAMILIES}
    led.claim("figure_frequency_deviation",
              frequency_figure_deviation(drawn, WIDTHS, FIGURE_OFFSETS, frequencies, references, RELU_SAMPLES,
                                         FIGURE_M, SIGMOID_SAMPLES, CONFIDENCE),
              at_most(1e-6), source=plot_frequency_vs_width,
              description="largest deviation of the frequency figure from the claimed ReLU frequencies with two"
              " binomial standard errors $2\\sqrt{p(1-p)/n}$, the exact values summed again, and (relative) the"
              " bound $\\underline{p}(d_0,m)$ and $1-{(1-c)}^{1/n}$", style="order", rounding="up", resolution=1e-16)
