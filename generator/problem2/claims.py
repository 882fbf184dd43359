"""Problem 2's verified claims: ``run`` and one function per experiment.

The experiments' data (seed, depths, exponents, sample sizes, which test
matrices go into the table and the figures) sit at the top.  Each experiment
records its parameters, claims and figures into the ledger, every claim with
the mathematical function whose output it checks as its source; :func:`run`
calls them in turn, which fixes the order of the ledger and of the appendix
table.

Every check compares with a reference that shares no code with the
construction (:mod:`~generator.problem2.checks`): ``gamma`` from the norms of
``R`` and ``R^{-1}``, ``phi_max`` and the angles from the eigenvalues of
``U``, the principal powers and logarithms from eigendecompositions, products
of the layers against ``R`` itself, and closed forms.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from generator.ledger import (
    Ledger,
    _bound,
    at_least,
    at_most,
    between,
    binomial_within,
    equals_exactly,
    within_standard_errors,
)
from generator.problem2.checks import (
    ROTATION_FLOOR,
    balanced_constant_reference,
    check_orthogonal_powers,
    invariant_planes,
    minus_identity_balanced_constant,
    newton_polar_factor,
    plane_turning_maxima,
    random_turning_matrices,
    random_turning_ratio,
    rotation_angle_reference,
    turning_ratio_reference,
    spectral_reference,
    turning_ratio,
)
from generator.problem2.construction import IDENTITY_TOLERANCE, construct_balanced_layers, construct_layers
from generator.problem2.examples import (
    LARGE_DIMENSION,
    NORMAL_MATRICES,
    ORTHOGONAL_MATRICES,
    POSITIVE_DEFINITE_MATRICES,
    NEAR_SINGULAR_VALUES,
    SMALL_ANGLES,
    SMALL_SCALAR,
    example_matrices,
    example_unitaries,
    random_rotation,
)
from generator.problem2.figures import plot_layer_norms, plot_orthogonal_power
from generator.problem2.lower_bound import ANGLE_GRID, lower_bound_curve, turning_angle_certificate, turning_vectors
from generator.problem2.orthogonal_powers import (
    ORTHOGONALITY_TOLERANCE,
    max_rotation_angle,
    powers_from_form,
    powers_minus_identity_from_form,
)
from generator.problem2.polar import polar_factors
from generator.problem2.references import ReferenceSweep, reference_summary, reference_sweep
from generator.problem2.sweeps import DepthSweep, SweepSummary, summarize_sweeps, sweep_depths
from generator.problem2.upper_bounds import balanced_constant, hardt_ma_bound, hardt_ma_finite_depth_ratio

SEED = 20170424
"""Seed of the random test matrices."""

PRODUCT_DEPTHS = (1, 2, 3, 4, 5, 7, 10, 33, 100, 1001)
"""Depths of the product-error sweep (odd and even, ``H = 1`` included)."""

TABLE_DEPTH = PRODUCT_DEPTHS[-1]
"""Depth at which the table reports ``H * max_k ||W_k||`` (the largest of the sweep)."""

FIGURE_DEPTHS = np.unique(np.round(np.logspace(0, 3, 31)).astype(int))
"""Depths of the rate figure, log-spaced from 1 to 1000."""

EXTRA_EXPONENTS = (-1, -3 / 10, 3 / 2, 2, 37 / 10)
"""Exponents ``alpha`` outside ``(0, 1]`` of the orthogonal-power check."""

POWER_EXPONENTS = np.concatenate([np.logspace(-4, 0, 41), EXTRA_EXPONENTS])
"""Exponents ``alpha`` of the orthogonal-power check (negative and > 1 too)."""

ROOT_ORDERS = (1, 2, 3, 5, 8, 100)
"""Orders ``h`` of the check ``(U^{1/h})^h = U``."""

TURNING_SAMPLE = 200
"""Random matrices per dimension in the check of the turning-angle lemma."""

TURNING_DIMENSIONS = (2, 3, 4, 6, 10)
"""Dimensions of those random matrices."""

HARDT_MA_GAMMAS = np.concatenate([np.linspace(0, 1 / 10, 51), np.linspace(1 / 10, 40, 200)])
HARDT_MA_DEPTHS = np.arange(2, 2001)
"""Grid of ``(gamma, H)`` on which our bound is compared with Hardt & Ma's."""

HARDT_MA_SMALLEST_DEPTH = 5
"""The proposition compares the bounds for ``H >= 5``; the worst case is ``gamma = 0``, ``H = 5``."""

CERTIFICATE_TURNS = 8
"""The certificate is also compared on the Gaussian test matrix conjugated by the rotations by
``k pi / CERTIFICATE_TURNS``, ``0 <= k < CERTIFICATE_TURNS``, in its first coordinate plane (the
maximizing directions of its invariant plane then turn over the whole half turn)."""

SMALL_DEPTH_MAX = 10
"""Depths ``2 <= H <= SMALL_DEPTH_MAX`` count as small in the balanced/split comparison."""

LAW_DRAWS = 50
"""Fresh draws of the test matrices (seeds ``(SEED, k)``) in the check of the Gaussian ones' law."""

ROTATION_DRAWS = 100
"""Random rotations per dimension in the check of their law."""

ROTATION_DIMENSIONS = (3, 5, 6, 7)
"""Dimensions of the random rotations of the test matrices."""

TABLE_ROWS = ("gaussian", "no_real_root", "nearly_singular", "normal", "shear")
"""Test matrices reported in the table of the write-up."""

FIGURE_ROWS = ("gaussian", "no_real_root", "nearly_singular")

FIGURE_TITLES = {
    "gaussian": r"Gaussian, $d=5$",
    "no_real_root": r"$R=\mathrm{diag}(-1,-2)$",
    "nearly_singular": "nearly singular",
}
"""Panel names of the rate figure."""

_SMALL_ANGLE_MAX = Fraction(max(SMALL_ANGLES)).limit_denominator(1000)
POWER_TITLES = {
    "minus_identity": r"$U=-I_4$, $\varphi_{\max}=\pi$",
    "unit_angle": r"$\varphi_{\max}=1$",
    "small_angles": rf"$\varphi_{{\max}}={_SMALL_ANGLE_MAX.numerator}/{_SMALL_ANGLE_MAX.denominator}$",
}

CLOSED_FORM_BALANCED_CONSTANTS = {"no_real_root": minus_identity_balanced_constant(np.log(2))}
"""``K_bal`` in closed form for the table rows whose ``U`` has the eigenvalue ``-1``
(there is no principal logarithm; ``R = diag(-1, -2)``)."""


def run(figures_dir: Path) -> Ledger:
    """Check the construction, the bounds and the fact; draw the figures."""
    figures_dir = Path(figures_dir)
    led = Ledger(problem=2)
    rng = np.random.default_rng(SEED)
    matrices = example_matrices(rng)
    unitaries = example_unitaries(rng)

    sweeps = {name: sweep_depths(R, PRODUCT_DEPTHS) for name, R in matrices.items()}
    summary = summarize_sweeps(sweeps)
    references = {
        name: reference_sweep(R, PRODUCT_DEPTHS, CLOSED_FORM_BALANCED_CONSTANTS.get(name))
        for name, R in matrices.items()
    }
    expected = reference_summary(references)
    _record_setup(led, summary, references)
    led.claim("example_deviation", _example_deviation(matrices, unitaries), at_most(1e-12), source=example_matrices,
              description="largest deviation of the test matrices from what the text states (singular values, eigenvalues, orthogonality, normality, $\\det>0$), relative to their norms",
              digits=1, rounding="up")
    _record_sampler_laws(led)
    _record_accuracy_and_upper_bounds(led, summary, sweeps, matrices, expected)
    _record_lower_bound_comparison(led, summary, expected, matrices, sweeps)
    _record_rates(led, summary, expected)
    _record_balanced_constant(led, summary, expected, sweeps["no_real_root"])
    _record_balanced_versus_split(led, summary, expected)
    _record_turning_lemma(led, matrices, rng)
    _record_hardt_ma_grid(led)
    for row in TABLE_ROWS:
        _record_table_row(led, row, matrices[row], sweeps[row], references[row])
    _record_orthogonal_powers(led, unitaries)
    _draw_layer_norms(led, matrices, figures_dir)
    _draw_orthogonal_power(led, unitaries, figures_dir)
    return led


def _fraction_text(value: float) -> str:
    """``value`` as LaTeX, a small fraction written as ``\\tfrac{p}{q}`` (``-\\tfrac{3}{10}``, ``2``)."""
    fraction = Fraction(value).limit_denominator(1000)
    if fraction.denominator == 1:
        return f"${fraction.numerator}$"
    sign = "-" if fraction < 0 else ""
    return f"${sign}\\tfrac{{{abs(fraction.numerator)}}}{{{fraction.denominator}}}$"


def _record_setup(led: Ledger, summary: SweepSummary, references: dict) -> None:
    """The inputs of the sweep: seed, test matrices, depths and tolerances; the number of pairs is a claim."""
    led.parameter("seed", SEED, description="seed of the random test matrices")
    led.parameter("matrix_count", len(references), description="number of test matrices R")
    led.claim("pair_count", summary.pairs, equals_exactly(sum(len(r.depths) for r in references.values())),
              source=summarize_sweeps, style="int",
              description="number of $(R,H)$ pairs in the sweep, against the pairs of the reference sweep")
    led.parameter("depth_max", max(PRODUCT_DEPTHS), description="largest depth of the sweep")
    led.parameter("depths", ", ".join(map(str, PRODUCT_DEPTHS)), description="depths of the sweep")
    led.parameter("near_singular_min", NEAR_SINGULAR_VALUES[-1], style="sci", digits=1,
                  description="smallest singular value of the nearly singular test matrix")
    led.parameter("near_singular_mid", NEAR_SINGULAR_VALUES[1], style="sci", digits=1,
                  description="middle singular value of the nearly singular test matrix")
    led.parameter("small_scalar", _fraction_text(SMALL_SCALAR), description="the one-by-one test matrix below I")
    led.parameter("identity_tolerance", IDENTITY_TOLERANCE, style="sci", digits=1,
                  description="distance below which a polar factor is treated as I")
    led.parameter("orthogonality_tolerance", ORTHOGONALITY_TOLERANCE, style="sci", digits=1,
                  description="tolerance of the orthogonality test of the normal form")
    led.parameter("angle_grid", ANGLE_GRID, description="directions per plane in the angle certificate")
    led.parameter("table_depth", TABLE_DEPTH, description="depth of the table")
    led.parameter("large_dimension", LARGE_DIMENSION, description="dimension of the largest test matrix")


STATED_SPECTRA = {
    "nearly_singular": NEAR_SINGULAR_VALUES,
    "normal": (3.0, 3.0, 2.0, 1 / 2, 1 / 2),
    "spd": (5.0, 1.0, 1 / 5),
    "scalar_large": (4.0,),
    "scalar_small": (SMALL_SCALAR,),
    "identity": (1.0, 1.0, 1.0),
    "no_real_root": (2.0, 1.0),
}
"""Singular values the text states for some test matrices ``R``."""

STATED_ANGLES = {
    "normal": (2.0, 1.0, 0.0),
    "orthogonal_minus_one": (np.pi, np.pi, 2.0, 0.0),
    "unit_angle": (1.0, 1 / 2, 0.0),
    "small_angles": SMALL_ANGLES + (0.0,),
    "rounded_pi_block": (np.pi, 1.0),
}
"""Eigenvalue arguments ``phi_j >= 0`` (one per conjugate pair, ``pi`` per pair of eigenvalues ``-1``, ``0`` for ``1``)."""


def _example_deviation(matrices: dict[str, np.ndarray], unitaries: dict[str, np.ndarray]) -> float:
    """Largest deviation of the test matrices from the law the text states, relative to their norms.

    ``det R > 0`` for every ``R`` (else ``inf``); the stated singular values
    (:data:`STATED_SPECTRA`) and eigenvalue arguments (:data:`STATED_ANGLES`,
    from :func:`numpy.linalg.eigvals`); ``R R^T = R^T R`` for the normal ones,
    ``R = R^T`` for the positive definite ones, ``X^T X = I`` and ``det X = 1``
    for the orthogonal ``R`` and every ``U``.
    """
    worst = 0.0
    for name, R in {**matrices, **unitaries}.items():
        scale = np.linalg.norm(R, 2)
        if np.linalg.det(R) <= 0:
            return np.inf
        if name in STATED_SPECTRA and name in matrices:
            stated = np.sort(STATED_SPECTRA[name])[::-1]
            worst = max(worst, float(np.max(np.abs(np.linalg.svd(R, compute_uv=False) - stated))) / scale)
        if name in STATED_ANGLES:
            stated = np.array(STATED_ANGLES[name])
            stated = np.sort(np.concatenate([stated, stated[stated > 0]]))
            found = np.sort(np.abs(np.angle(np.linalg.eigvals(R))))
            if len(found) != len(stated):
                return np.inf
            worst = max(worst, float(np.max(np.abs(found - stated))))
        if name in NORMAL_MATRICES:
            worst = max(worst, float(np.linalg.norm(R @ R.T - R.T @ R, 2)) / scale**2)
        if name in POSITIVE_DEFINITE_MATRICES:
            worst = max(worst, float(np.linalg.norm(R - R.T, 2)) / scale)
        if name in ORTHOGONAL_MATRICES or name in unitaries:
            worst = max(worst, float(np.linalg.norm(R.T @ R - np.eye(len(R)), 2)), abs(float(np.linalg.det(R)) - 1))
    return worst


def _record_sampler_laws(led: Ledger) -> None:
    """The laws of the random test matrices, from fresh draws of their samplers.

    The entries of the ``5 x 5`` Gaussian matrix are ``N(0, 1)`` and those of the
    large one ``N(0, 1/d)`` (negating a row keeps the squares): over
    :data:`LAW_DRAWS` draws of :func:`example_matrices` the mean of ``||R||_F^2 /
    25`` (of ``||R||_F^2 / d``) is ``1`` with the standard error ``sqrt(2 / (25
    n))`` (``sqrt(2 / (d^2 n))``) of a chi-square law.  A Haar rotation ``Q`` in
    ``SO(d)`` has ``Q_{22} > 0`` with probability exactly ``1/2`` (multiplying by
    ``diag(-1, -1, 1, ..., 1)`` from the left keeps the law and flips the sign);
    QR without the sign fix of ``R``'s diagonal gives ``Q_{22} > 0`` far less often.
    """
    squares, large_squares = [], []
    for k in range(LAW_DRAWS):
        drawn = example_matrices(np.random.default_rng([SEED, k]))
        squares.append(float(np.sum(drawn["gaussian"] ** 2)) / 25)
        large_squares.append(float(np.sum(drawn["gaussian_large"] ** 2)) / LARGE_DIMENSION)
    led.parameter("law_draws", LAW_DRAWS, description="fresh draws of the test matrices in the check of their law")
    led.claim("gaussian_mean_square", float(np.mean(squares)),
              within_standard_errors(1, np.sqrt(2 / (25 * LAW_DRAWS))), source=example_matrices,
              description="mean square entry of the $5\\times5$ Gaussian test matrix over fresh draws, against $1$ with the standard error of a chi-square law",
              style="fixed", digits=3)
    led.claim("gaussian_large_mean_square", float(np.mean(large_squares)),
              within_standard_errors(1, np.sqrt(2 / (LARGE_DIMENSION**2 * LAW_DRAWS))), source=example_matrices,
              description="mean square entry times $d$ of the large Gaussian test matrix over fresh draws, against $1$ with the standard error of a chi-square law",
              style="fixed", digits=3)
    rotation_rng = np.random.default_rng([SEED, LAW_DRAWS])
    positive = sum(random_rotation(d, rotation_rng)[1, 1] > 0 for d in ROTATION_DIMENSIONS for _ in range(ROTATION_DRAWS))
    led.parameter("rotation_draws", ROTATION_DRAWS * len(ROTATION_DIMENSIONS),
                  description="random rotations in the check of their law")
    led.claim("rotation_positive_fraction", positive / (ROTATION_DRAWS * len(ROTATION_DIMENSIONS)),
              binomial_within(Fraction(1, 2), ROTATION_DRAWS * len(ROTATION_DIMENSIONS)), source=random_rotation,
              description="fraction of random rotations $Q$ of dimensions 3, 5, 6, 7 with $Q_{22}>0$, against $1/2$ for the Haar law",
              style="fixed", digits=3)


def _spectral_product_errors(matrices: dict[str, np.ndarray], sweeps: dict[str, DepthSweep]) -> tuple[float, float]:
    """The worst ``||product - R||_2 / ||R||_2`` of both constructions, from the singular values of the products.

    The products are those the sweep kept; the largest singular value of the
    difference (:func:`numpy.linalg.svd`, values only) is the spectral norm the
    text states, measured here without :func:`~generator.problem2.construction.product_error`.
    """
    worst = [0.0, 0.0]
    for name, R in matrices.items():
        scale = np.linalg.svd(R, compute_uv=False)[0]
        for i, products in enumerate((sweeps[name].split_product, sweeps[name].balanced_product)):
            for product in products:
                worst[i] = max(worst[i], float(np.linalg.svd(product - R, compute_uv=False)[0] / scale))
    return worst[0], worst[1]


def _record_accuracy_and_upper_bounds(led: Ledger, summary: SweepSummary, sweeps: dict[str, DepthSweep],
                                      matrices: dict[str, np.ndarray], expected: dict) -> None:
    """Both products equal ``R``, and the layer norms obey the proved upper bounds.

    The product errors are pinned to the spectral norms of the kept products
    (:func:`_spectral_product_errors`); the bounds are evaluated with the
    independent ``gamma`` and ``phi_max`` of
    :func:`~generator.problem2.checks.spectral_reference`; errors at rounding
    level are printed rounded up to one digit, as bounds.
    """
    split_error, balanced_error = _spectral_product_errors(matrices, sweeps)
    led.claim("product_error_max", summary.split_error, _pinned(split_error, 6, upper=1e-10), source=construct_layers,
              description="worst relative product error of the split construction, against the singular values of the products",
              digits=1, rounding="up")
    led.claim("balanced_product_error_max", summary.balanced_error, _pinned(balanced_error, 6, upper=1e-10),
              source=construct_balanced_layers,
              description="worst relative product error of the balanced variant, against the singular values of the products",
              digits=1, rounding="up")
    led.claim("split_bound_excess", summary.split_bound_ratio - 1, at_most(1e-12), source=construct_layers,
              description="largest relative excess of the layer norm over its sharpest proved bound, split construction",
              digits=1, rounding="up")
    led.claim("balanced_bound_excess", summary.balanced_bound_ratio - 1, at_most(1e-12),
              source=construct_balanced_layers,
              description="largest relative excess of the layer norm over its proved bound, balanced variant",
              digits=1, rounding="up")
    led.claim("strict_bound_ratio_max", summary.strict_bound_ratio,
              _pinned(expected["strict_bound_ratio"], 8, upper="1 - 1e-12"), source=construct_layers,
              description="largest ratio of the layer norm to $e^{K/(H-1)}-1$, split construction, $R\\ne I$, against the reference sweep",
              style="fixed", digits=4)


def _record_lower_bound_comparison(led: Ledger, summary: SweepSummary, expected: dict,
                                   matrices: dict[str, np.ndarray], sweeps: dict[str, DepthSweep]) -> None:
    """The layer norms against the lower bound for any factorization, and against Hardt & Ma."""
    led.claim("lower_shortfall", 1 - summary.lower_ratio, _pinned(_lower_shortfall_reference(sweeps), 8, upper=1e-9),
              source=lower_bound_curve,
              description="largest relative shortfall of the layer norm below the lower bound, both constructions, against the ratios of each construction taken pair by pair",
              digits=1, rounding="up")
    led.claim("lower_depth_one_gap", summary.lower_depth_one_gap, at_most(1e-12), source=lower_bound_curve,
              description="largest relative gap between the lower bound and $\\|R-I\\|$ at depth $1$",
              digits=1, rounding="up")
    led.claim("spd_gap", summary.positive_definite_gap, at_most(1e-12), source=construct_layers,
              description="largest relative gap to the lower bound, positive definite test matrices",
              digits=1, rounding="up")
    led.claim("orthogonal_gap", summary.orthogonal_gap, at_most(1e-9), source=construct_layers,
              description="largest deviation of the ratio to the lower bound from its exact value, orthogonal test matrices",
              digits=1, rounding="up")
    led.parameter("certificate_turns", CERTIFICATE_TURNS,
                  description="rotations of the Gaussian test matrix in the check of the angle certificate")
    led.claim("certificate_plane_ratio_min", _certificate_plane_ratio(matrices, sweeps), at_least("1 - 1e-12"),
              source=turning_angle_certificate,
              description="smallest ratio of the angle certificate to the largest turning angle in the invariant planes of $R$, found by golden-section search",
              style="fixed", digits=3, rounding="down")
    led.claim("normal_ratio_max", summary.normal_ratio, _pinned(expected["normal_ratio"], 8, upper=2),
              source=construct_layers,
              description="largest ratio to the lower bound at the largest depth, normal test matrices, against the reference sweep",
              style="fixed", digits=3)
    led.claim("general_ratio_max", summary.general_ratio, _pinned(expected["general_ratio"], 8, upper=3),
              source=construct_layers,
              description="largest ratio to the lower bound at the largest depth, all test matrices except $I$, against the reference sweep",
              style="fixed", digits=3)
    led.claim("hardt_ma_ratio_max", summary.hardt_ma_ratio, _pinned(expected["hardt_ma_ratio"], 9, upper=0.5),
              source=construct_layers,
              description="largest ratio to the bound of Hardt and Ma where their theorem applies, against the reference sweep",
              style="fixed", digits=7)
    led.claim("hardt_ma_pairs", summary.hardt_ma_pairs, equals_exactly(expected["hardt_ma_pairs"]),
              source=summarize_sweeps, style="int",
              description="number of pairs $(R,H)$ with $R\\ne I$ and $H\\ge3\\gamma$, against a count pair by pair")


def _lower_shortfall_reference(sweeps: dict[str, DepthSweep]) -> float:
    """``1 -`` the smallest ``m_H / l_H`` over every pair ``(R != I, H)`` and each construction separately, in a plain loop.

    The smaller ratio of the two constructions counts: a construction whose
    layers dipped below the lower bound would contradict the theorem, whichever
    of the two it is.
    """
    smallest = np.inf
    for sweep in sweeps.values():
        if sweep.gamma_reference + sweep.phi_reference <= ROTATION_FLOOR:
            continue
        for i in range(len(sweep.depths)):
            for norm in (sweep.split_norm[i], sweep.balanced_norm[i]):
                smallest = min(smallest, float(norm / sweep.lower[i]))
    return 1 - smallest


def _record_rates(led: Ledger, summary: SweepSummary, expected: dict) -> None:
    """The explicit rates ``K / ((ln 2)(H - 1))`` and ``K / ((ln 2) H)``, and the balanced limit."""
    led.claim("split_rate_ratio_max", summary.split_rate_ratio, _pinned(expected["split_rate_ratio"], 8, upper=1),
              source=construct_layers,
              description="largest $(\\ln 2)(H-1)\\delta_H/K$ over $H\\ge 1+K/\\ln 2$, split construction",
              style="fixed", digits=3)
    led.claim("balanced_rate_ratio_max", summary.balanced_rate_ratio,
              _pinned(expected["balanced_rate_ratio"], 8, upper="1 + 1e-12"),
              source=construct_balanced_layers,
              description="largest $(\\ln 2)H\\delta^{\\mathrm{bal}}_H/K$ over $H\\ge K/\\ln 2$, balanced variant",
              style="fixed", digits=3)
    led.claim("balanced_limit_ratio_max", summary.balanced_limit_ratio,
              _pinned(expected["balanced_limit_ratio"], 7, upper=1), source=balanced_constant,
              description="largest distance of $H\\delta^{\\mathrm{bal}}_H$ from $K_{\\mathrm{bal}}$ in units of the proved error bound, largest depth",
              style="fixed", digits=3)


def _record_balanced_constant(led: Ledger, summary: SweepSummary, expected: dict, no_root: DepthSweep) -> None:
    """The balanced constant ``K_bal``: at most ``K``, and at most ``sqrt(gamma^2 + phi_max^2)``.

    The second bound holds when ``log U`` commutes with ``P`` and fails for
    ``diag(-1, -2)``, whose sweep is ``no_root``; its ratio is checked against
    the closed form of :func:`~generator.problem2.checks.minus_identity_balanced_constant`.
    """
    led.claim("balanced_constant_ratio_max", summary.balanced_constant_ratio,
              _pinned(expected["balanced_constant_ratio"], 8, upper="1 + 1e-12"),
              source=balanced_constant,
              description="largest ratio of the balanced constant to $K$", style="fixed", digits=3)
    led.claim("commuting_ratio_max", summary.commuting_ratio,
              _pinned(expected["commuting_ratio"], 8, upper="1 + 1e-12"), source=balanced_constant,
              description="largest ratio of the balanced constant to $\\sqrt{\\gamma^2+\\varphi_{\\max}^2}$, normal test matrices whose $\\log U$ commutes with $P$",
              style="fixed", digits=3)
    gamma = np.log(2)
    exact = minus_identity_balanced_constant(gamma) / np.hypot(gamma, np.pi)
    led.claim("no_real_root_constant_ratio",
              no_root.balanced_constant / np.hypot(no_root.gamma_reference, no_root.phi_reference),
              _around(exact, 12),
              source=balanced_constant,
              description="ratio of the balanced constant to $\\sqrt{\\gamma^2+\\varphi_{\\max}^2}$ for diag$(-1,-2)$, against its closed form",
              style="fixed", digits=3)


def _record_balanced_versus_split(led: Ledger, summary: SweepSummary, expected: dict) -> None:
    """The balanced layers are mostly smaller than the split ones, larger only at small depths.

    Each number is pinned to the worst cases taken pair by pair from the
    reference sweep (:func:`~generator.problem2.references.reference_summary`).
    """
    led.claim("balanced_split_median", summary.balanced_split_median,
              _pinned(expected["balanced_split_median"], 8, upper="1 - 1e-12"),
              source=construct_balanced_layers,
              description="median ratio of the balanced to the split layer norm, $H\\ge2$, test matrices with $P\\ne I\\ne U$",
              style="fixed", digits=2)
    led.claim("balanced_split_max", summary.balanced_split_max,
              _pinned(expected["balanced_split_max"], 8, lower="1 + 1e-12"), source=construct_balanced_layers,
              description="largest ratio of the balanced to the split layer norm, $H\\ge2$, test matrices with $P\\ne I\\ne U$",
              style="fixed", digits=3)
    worse = expected["balanced_worse_depth"]
    led.claim("balanced_worse_depth_max", summary.balanced_worse_depth, between(worse, min(worse, SMALL_DEPTH_MAX)),
              source=construct_balanced_layers,
              description="largest depth at which the balanced layers exceed the split ones", style="int")


def _record_turning_lemma(led: Ledger, matrices: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """The lemma's vector turns by at least ``min(phi_max, pi/2)``: test and random matrices."""
    stacks = random_turning_matrices(rng, TURNING_SAMPLE, TURNING_DIMENSIONS)
    random_ratio, angles = random_turning_ratio(stacks)
    turning = min(turning_ratio(matrices.values()), random_ratio)
    expected = turning_ratio_reference([R[None] for R in matrices.values()] + stacks)
    angle_deviation = max(
        float(np.max(np.abs(phi - rotation_angle_reference(newton_polar_factor(R))))) for R, phi in zip(stacks, angles)
    )
    same = sum(int(np.sum(np.argmax(np.abs(R[:, 0]), -1) == np.argmax(np.abs(R[:, 1]), -1))) for R in stacks)
    total = TURNING_SAMPLE * len(TURNING_DIMENSIONS)
    probability = sum(Fraction(1, d) for d in TURNING_DIMENSIONS) / len(TURNING_DIMENSIONS)
    spread = np.sqrt(sum(TURNING_SAMPLE * (1 / d) * (1 - 1 / d) for d in TURNING_DIMENSIONS)) / total
    led.claim("turning_row_agreement", same / total, within_standard_errors(probability, spread),
              source=random_turning_matrices,
              description="fraction of the random matrices whose first two rows have their largest entry in the same column, against $1/d$ averaged over the dimensions (rows with independent uniformly distributed directions)",
              style="fixed", digits=3)
    led.parameter("turning_sample", TURNING_SAMPLE,
                  description="random matrices per dimension in the turning-angle check")
    led.parameter("turning_dimensions", ", ".join(map(str, TURNING_DIMENSIONS)),
                  description="dimensions of the random matrices in the turning-angle check")
    led.claim("turning_ratio_min", turning, _pinned(expected, 8, lower="1 - 1e-12"), source=turning_vectors,
              description="smallest ratio of the lemma's turning angle to $\\min(\\varphi_{\\max},\\pi/2)$, test and random matrices, against the lemma's vector built from Newton's polar factor",
              style="fixed", digits=3, rounding="down")
    led.claim("random_angle_deviation", angle_deviation, at_most(1e-7), source=random_turning_ratio,
              description="largest deviation of $\\varphi_{\\max}$ of the random matrices from $\\arccos$ of the smallest eigenvalue of $(U+U^{\\top})/2$, $U$ by the scaled Newton iteration",
              digits=1, rounding="up")


def _record_hardt_ma_grid(led: Ledger) -> None:
    """Our bound beats Hardt & Ma's on a grid of ``(gamma, H)`` with ``H >= 5``.

    The largest ratio is attained at ``gamma = 0``, ``H = 5``, where it is
    ``5 (e^{pi/4} - 1) / (2 pi)``; the check compares with that closed form.
    """
    led.parameter("hardt_ma_gamma_max", float(HARDT_MA_GAMMAS[-1]), style="int",
                  description="largest gamma of the grid comparing the bounds")
    led.parameter("hardt_ma_depth_max", int(HARDT_MA_DEPTHS[-1]),
                  description="largest depth of the grid comparing the bounds")
    H = HARDT_MA_SMALLEST_DEPTH
    worst = H * np.expm1(np.pi / (H - 1)) / (2 * np.pi)
    led.claim("hardt_ma_finite_ratio_max",
              hardt_ma_finite_depth_ratio(HARDT_MA_GAMMAS, HARDT_MA_DEPTHS, smallest_depth=H),
              _around(worst, 12),
              source=hardt_ma_finite_depth_ratio,
              description="largest ratio of our bound with $\\varphi_{\\max}=\\pi$ to the bound of Hardt and Ma on the grid, $H\\ge5$, against its value $5(e^{\\pi/4}-1)/(2\\pi)$ at $\\gamma=0$, $H=5$",
              style="fixed", digits=3)


def _record_table_row(led: Ledger, row: str, R: np.ndarray, sweep: DepthSweep, expected: ReferenceSweep) -> None:
    """One row of the write-up's table: ``gamma``, ``phi_max`` and the norms scaled by ``H``.

    ``H`` is :data:`TABLE_DEPTH`.  ``gamma`` and ``phi_max`` are checked against
    :func:`~generator.problem2.checks.spectral_reference`, the scaled layer
    norms against their bounds evaluated with those references, ``K_bal``
    against ``||log U + log P||`` with principal logarithms from
    eigendecompositions (or a closed form), the scaled lower bound against the scaled layer norms, and
    the constant of Hardt & Ma against its formula with the reference ``gamma``.
    """
    depth_index = list(PRODUCT_DEPTHS).index(TABLE_DEPTH)
    H = TABLE_DEPTH
    label = row.replace("_", " ")
    gamma_ref, phi_ref = sweep.gamma_reference, sweep.phi_reference
    K = sweep.rate_constant
    led.claim(f"{row}_gamma", sweep.gamma, _around(gamma_ref, 8), source=polar_factors,
              description=f"$\\gamma$ of the {label} test matrix, against the norms of the matrix and its inverse",
              style="fixed", digits=3)
    led.claim(f"{row}_phi", sweep.phi_max, _around(phi_ref, 8), source=max_rotation_angle,
              description=f"largest rotation angle $\\varphi_{{\\max}}$ of the polar factor $U$ of the {label} test matrix, against the eigenvalues of $U$",
              style="fixed", digits=3)
    split_scaled = H * sweep.split_norm[depth_index]
    balanced_scaled = H * sweep.balanced_norm[depth_index]
    led.claim(f"{row}_split_scaled", split_scaled,
              _pinned(H * expected.split[depth_index], 8,
                      upper=_round_to_significant(H * np.expm1(K / (H - 1)), 4, upward=True)),
              source=construct_layers,
              description=f"depth times the largest layer norm, split construction, {label} test matrix, against the reference sweep and below the bound",
              style="fixed", digits=3)
    led.claim(f"{row}_balanced_scaled", balanced_scaled,
              _pinned(H * expected.balanced[depth_index], 7,
                      upper=_round_to_significant(H * np.expm1(K / H), 4, upward=True)),
              source=construct_balanced_layers,
              description=f"depth times the largest layer norm, balanced variant, {label} test matrix, against the reference sweep and below the bound",
              style="fixed", digits=3)
    reference = CLOSED_FORM_BALANCED_CONSTANTS.get(row)
    led.claim(f"{row}_balanced_constant", sweep.balanced_constant,
              _around(balanced_constant_reference(R) if reference is None else reference, 8),
              source=balanced_constant,
              description=f"balanced constant $\\|\\log U+\\log P\\|$, {label} test matrix, against principal logarithms from eigendecompositions or a closed form",
              style="fixed", digits=3)
    led.claim(f"{row}_lower_scaled", H * sweep.lower[depth_index],
              _pinned(H * expected.lower[depth_index], 8,
                      upper=_round_to_significant(min(split_scaled, balanced_scaled), 4, upward=True)),
              source=lower_bound_curve,
              description=f"depth times the lower bound, {label} test matrix, against its four terms written out again and below both constructions",
              style="fixed", digits=3,
              rounding="down")
    led.claim(f"{row}_hardt_ma_constant", H * hardt_ma_bound(R, H),
              _around(2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma_ref)) ** 2, 8),
              source=hardt_ma_bound, description=f"constant $K_{{\\mathrm{{HM}}}}$ of Hardt and Ma, {label} test matrix, against its formula with the reference $\\gamma$",
              style="fixed", digits=2)


def _pinned(reference: float, digits: int, upper=None, lower=None):
    """:func:`_around` the reference, its ends clipped to the proved ``upper`` and ``lower`` bounds.

    A value must then agree with its independent reference and obey the bound
    the text states; a reference beyond the bound leaves an empty band, which
    fails.
    """
    margin = abs(reference) * 10.0**-digits
    low = _round_to_significant(reference - margin, digits, upward=False)
    high = _round_to_significant(reference + margin, digits, upward=True)
    if upper is not None and _bound(upper)[0] < high:
        high = upper
    if lower is not None and _bound(lower)[0] > low:
        low = lower
    return between(low, high)


def _certificate_plane_ratio(matrices: dict[str, np.ndarray], sweeps: dict[str, DepthSweep]) -> float:
    """Smallest ratio of the sweep's angle certificate to a search over the invariant planes of ``R``.

    For each real invariant plane ``Q`` of ``R`` (:func:`~generator.problem2.checks.invariant_planes`,
    and the whole plane of a ``2x2`` ``R`` with ``phi_max > 0``) the angle
    ``angle(Qc, R Qc) = angle(c, (Q^T R Q) c)`` is maximized by
    :func:`~generator.problem2.checks.plane_turning_maxima`; the certificate's
    :data:`ANGLE_GRID` directions over a half turn come within half a step of
    the maximizer, so the certificate is at least the smaller angle there.
    Besides the test matrices (with the sweep's certificates), the Gaussian one
    conjugated by the rotations of :data:`CERTIFICATE_TURNS`.
    """
    cases = [(R, sweeps[name].angle) for name, R in matrices.items()]
    gaussian = matrices["gaussian"]
    for k in range(1, CERTIFICATE_TURNS):
        turn = np.eye(len(gaussian))
        c, s = np.cos(k * np.pi / CERTIFICATE_TURNS), np.sin(k * np.pi / CERTIFICATE_TURNS)
        turn[:2, :2] = [[c, -s], [s, c]]
        turned = turn @ gaussian @ turn.T
        cases.append((turned, turning_angle_certificate(turned)))
    smallest = np.inf
    for R, certificate in cases:
        planes = invariant_planes(R)
        if len(R) == 2 and spectral_reference(R)[1] > ROTATION_FLOOR:
            planes.append(np.eye(2))
        if planes:
            compressed = np.stack([Q.T @ R @ Q for Q in planes])
            _, reachable = plane_turning_maxima(compressed, np.pi / (2 * ANGLE_GRID))
            smallest = min(smallest, float(certificate / np.max(reachable)))
    return smallest


def _around(reference: float, digits: int):
    """``between`` the reference widened by ``10^{-digits}`` relatively, rounded outward to ``digits`` digits.

    A relative tolerance of about ``10^{1-digits}``, printed readably.
    """
    margin = abs(reference) * 10.0**-digits
    return between(_round_to_significant(reference - margin, digits, upward=False),
                   _round_to_significant(reference + margin, digits, upward=True))


def _round_to_significant(value: float, digits: int, upward: bool) -> float:
    """``value`` rounded up or down to ``digits`` significant digits.

    A check bound printed in full would carry sixteen digits; rounding an
    upper bound up (a lower bound down) keeps the check valid and readable.
    """
    if value == 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - int(np.floor(np.log10(abs(value)))))
    rounded = (np.ceil if upward else np.floor)(value * scale) / scale
    return float(f"{rounded:.{digits}g}")


def _power_bound_excess_band(unitaries: dict[str, np.ndarray]):
    """``between`` around ``2 sin(x/2)/x - 1 = -x^2/24 + x^4/1920 - ...`` at the smallest ``x = |alpha| phi_max``.

    For ``|alpha| phi_max <= pi`` the largest ``2 |sin(alpha phi_j / 2)|`` is
    the one of ``phi_max``, and ``2 sin(x/2)/x`` decreases in ``x``: the largest
    ratio is at the smallest ``|alpha|`` and the smallest ``phi_max`` over
    ``U != I`` (angles from :func:`numpy.linalg.eigvals`).  The band is
    ``10^{-14}`` wide on either side (rounding of a ratio near ``1``), rounded
    outward to three digits.
    """
    angles = [float(np.max(np.abs(np.angle(np.linalg.eigvals(U))))) for U in unitaries.values()]
    x = float(np.min(np.abs(POWER_EXPONENTS))) * min(a for a in angles if a > ROTATION_FLOOR)
    reference = -(x**2) / 24 + x**4 / 1920
    return between(_round_to_significant(reference - 1e-14, 3, upward=False),
                   _round_to_significant(reference + 1e-14, 3, upward=True))


def _record_orthogonal_powers(led: Ledger, unitaries: dict[str, np.ndarray]) -> None:
    """The fact: the powers ``U^alpha`` against the sine formula, the linear bound,
    the principal powers and ``(U^{1/h})^h = U``; angles from the eigenvalues."""
    power = check_orthogonal_powers(unitaries.values(), POWER_EXPONENTS, ROOT_ORDERS)
    led.parameter("unitary_count", len(unitaries), description="number of test matrices U")
    led.parameter("exponent_count", len(POWER_EXPONENTS), description="number of exponents alpha")
    led.parameter("exponent_min", float(POWER_EXPONENTS[0]), style="sci", digits=1,
                  description="smallest positive exponent alpha")
    led.parameter("extra_exponents", ", ".join(map(_fraction_text, EXTRA_EXPONENTS)),
                  description="exponents alpha that are negative or larger than 1")
    led.parameter("root_orders", ", ".join(map(str, ROOT_ORDERS)), description="orders h of the roots U^{1/h}")
    led.parameter("small_angles", ", ".join(map(_fraction_text, SMALL_ANGLES)),
                  description="rotation angles of the test matrix with small angles")
    led.parameter("small_angle_max", _fraction_text(max(SMALL_ANGLES)),
                  description="largest rotation angle of the test matrix with small angles")
    led.claim("power_formula_error", power.formula_error, at_most(1e-12), source=powers_minus_identity_from_form,
              description="largest deviation of $\\|U^\\alpha-I\\|$ from $\\max_j 2|\\sin(\\alpha\\varphi_j/2)|$, angles from the eigenvalues of $U$",
              digits=1, rounding="up")
    led.claim("power_bound_excess", power.bound_ratio - 1, _power_bound_excess_band(unitaries),
              source=powers_minus_identity_from_form,
              description="largest relative excess of $\\|U^\\alpha-I\\|$ over $|\\alpha|\\varphi_{\\max}$, $U\\ne I$, $\\varphi_{\\max}$ from the eigenvalues of $U$, against $2\\sin(x/2)/x-1$ at $x$ the smallest $|\\alpha|\\varphi_{\\max}$")
    led.claim("power_principal_error", power.principal_error, at_most(1e-12), source=powers_from_form,
              description="largest distance of $U^\\alpha$ from the principal power computed from the eigendecomposition, $U$ without eigenvalue $-1$",
              digits=1, rounding="up")
    # The h-th power multiplies the root's rounding error (about d unit roundoffs) by up to h: the tolerance
    # scales with the largest order and dimension instead of a fixed 1e-12 (the value is 2e-13 today).
    dimension = max(len(U) for U in unitaries.values())
    led.claim("power_root_error", power.root_error, at_most(f"10 * {max(ROOT_ORDERS)} * {dimension} * 2**-52"),
              source=powers_from_form,
              description="largest error of the $h$-th power of the $h$-th root, against ten times $h$ times $d$ unit roundoffs",
              digits=1, rounding="up")
    led.claim("power_orthogonality_error", power.orthogonality_error, at_most(1e-12),
              source=powers_from_form, description="largest orthogonality or determinant defect of the powers",
              digits=1, rounding="up")


def _draw_layer_norms(led: Ledger, matrices: dict[str, np.ndarray], figures_dir: Path) -> None:
    """The rate figure: layer norms and bounds against the depth, from the closed forms.

    What the figure draws is compared with the reference sweep and the bounds
    evaluated at the drawn depths (:func:`_layer_norms_figure_deviation`).
    """
    figure_sweeps = {name: sweep_depths(matrices[name], FIGURE_DEPTHS, build=False) for name in FIGURE_ROWS}
    drawn = plot_layer_norms(figure_sweeps, FIGURE_TITLES, figures_dir / "p2_layer_norms.pdf")
    led.claim("figure_layer_norms_deviation", _layer_norms_figure_deviation(matrices, drawn), at_most(1e-7),
              source=plot_layer_norms,
              description="largest relative deviation of the curves drawn in the rate figure from the reference sweep and the bounds evaluated with the reference $\\gamma$ and $\\varphi_{\\max}$ at the drawn depths",
              digits=1, rounding="up")
    led.figure("layer_norms", "p2_layer_norms.pdf", source=plot_layer_norms)


LAYER_NORM_CURVES = 6
"""Curves per panel of the rate figure: both constructions, our bound, the lower bound, Hardt & Ma's, the line 1."""


def _relative_curve_deviation(drawn: np.ndarray, expected: np.ndarray) -> float:
    """Largest ``|drawn - expected| / |expected|``; ``inf`` unless both are missing (NaN) at the same points."""
    if drawn.shape != expected.shape or not np.array_equal(np.isnan(drawn), np.isnan(expected)):
        return np.inf
    present = ~np.isnan(expected)
    if not np.any(present):
        return np.inf
    return float(np.max(np.abs(drawn[present] - expected[present]) / np.abs(expected[present])))


def _layer_norms_figure_deviation(matrices: dict[str, np.ndarray], drawn: list[np.ndarray]) -> float:
    """Largest relative deviation of each drawn curve of the rate figure from its reference.

    Per panel (one per :data:`FIGURE_ROWS`), at the drawn depths (integers from
    1 to 1000, the same for every curve): the norms and the lower bound against
    :func:`~generator.problem2.references.reference_sweep`; the split bound
    against ``e^{K/(H-1)} - 1`` (``phi_max / H`` if ``P = I``, ``e^{gamma/H} -
    1`` if ``U = I``), not drawn at ``H = 1``; Hardt & Ma's against ``2
    (sqrt(pi) + sqrt(3 gamma))^2 / H`` where ``H >= 3 gamma``; all with the
    reference ``gamma`` and ``phi_max``; the thin line at height 1.
    """
    if len(drawn) != LAYER_NORM_CURVES * len(FIGURE_ROWS):
        return np.inf
    worst = 0.0
    for i, name in enumerate(FIGURE_ROWS):
        curves = drawn[LAYER_NORM_CURVES * i: LAYER_NORM_CURVES * (i + 1)]
        H = curves[0][:, 0]
        if (any(not np.array_equal(c[:, 0], H) for c in curves[:5]) or np.any(H != np.round(H))
                or H.min() != 1 or H.max() != 1000):
            return np.inf
        reference = reference_sweep(matrices[name], H.astype(int), CLOSED_FORM_BALANCED_CONSTANTS.get(name))
        gamma, phi = reference.gamma, reference.phi
        with np.errstate(divide="ignore"):
            if gamma <= ROTATION_FLOOR:
                bound = phi / H
            elif phi <= ROTATION_FLOOR:
                bound = np.expm1(gamma / H)
            else:
                bound = np.expm1((gamma + phi) / (H - 1))
        bound = np.where(H >= 2, bound, np.nan)
        hardt_ma = np.where(H >= 3 * gamma, 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / H, np.nan)
        expected = (reference.split, reference.balanced, bound, reference.lower, hardt_ma)
        for curve, values in zip(curves, expected):
            worst = max(worst, _relative_curve_deviation(curve[:, 1], np.asarray(values, dtype=float)))
        worst = max(worst, float(np.max(np.abs(curves[5][:, 1] - 1))))
    return worst


def _orthogonal_power_figure_deviation(unitaries: dict[str, np.ndarray], drawn: list[np.ndarray]) -> float:
    """Largest relative deviation of the curves of the orthogonal-power figure from the sine formula.

    For each ``U`` of :data:`POWER_TITLES`, with the angles ``phi_j = |arg lambda_j|``
    of its eigenvalues (:func:`numpy.linalg.eigvals`, no normal form) and at the
    drawn exponents ``alpha`` in ``(0, 1]``: the dots (left) against ``||U^alpha -
    I||_2 = max_j 2 |sin(alpha phi_j / 2)|``, the line of the same colour against
    ``alpha phi_max``, and the ratio (right) against ``max_j 2|sin(alpha
    phi_j/2)| / (alpha phi_max)``.
    """
    count = len(POWER_TITLES)
    if len(drawn) != 3 * count:
        return np.inf
    worst = 0.0
    for i, name in enumerate(POWER_TITLES):
        phi = np.abs(np.angle(np.linalg.eigvals(unitaries[name])))
        phi_max = float(np.max(phi))
        for curve, kind in ((drawn[2 * i], "distance"), (drawn[2 * i + 1], "bound"), (drawn[2 * count + i], "ratio")):
            alpha = curve[:, 0]
            if len(alpha) < 2 or np.any(alpha <= 0) or np.any(alpha > 1):
                return np.inf
            distance = np.max(2 * np.abs(np.sin(np.multiply.outer(alpha, phi) / 2)), axis=1)
            expected = {"distance": distance, "bound": alpha * phi_max, "ratio": distance / (alpha * phi_max)}[kind]
            worst = max(worst, _relative_curve_deviation(curve[:, 1], expected))
    return worst


def _draw_orthogonal_power(led: Ledger, unitaries: dict[str, np.ndarray], figures_dir: Path) -> None:
    """The figure of the fact: ``||U^alpha - I||_2`` against ``alpha phi_max``."""
    drawn = plot_orthogonal_power({k: unitaries[k] for k in POWER_TITLES}, POWER_TITLES,
                                  figures_dir / "p2_orthogonal_power.pdf")
    led.claim("figure_orthogonal_power_deviation", _orthogonal_power_figure_deviation(unitaries, drawn),
              at_most(1e-9), source=plot_orthogonal_power,
              description="largest relative deviation of the curves drawn in the figure of the fact from $\\max_j 2|\\sin(\\alpha\\varphi_j/2)|$, $\\alpha\\varphi_{\\max}$ and their ratio, angles from the eigenvalues of $U$",
              digits=1, rounding="up")
    led.figure("orthogonal_power", "p2_orthogonal_power.pdf", source=plot_orthogonal_power)
