"""Problem 3: is ``ReLU(W X)`` full rank for almost every ``W``?  No, for every ``X``.

Setting (assignment, Problem 3): ``X`` is ``d0 x m`` with ``d0 < m``, ``W`` is
``m x d0`` and ``F = sigma(W X)`` is ``m x m``.  For the sigmoid, the
assignment paraphrases Nguyen & Hein (2017, arXiv:1704.08045, Lemma 4) as: the
set of ``W`` with ``F`` rank-deficient is Lebesgue-null; their layers carry
biases and the mechanism is real-analyticity of ``det F``.  For the ReLU the
answer is *no*: write ``S(w) = {j : w^T x_j > 0}`` for the active set of a row
``w``; then

    ReLU(w^T X) = w^T X D_{S(w)},    D_S = diag(1[j in S]),

so rows that share an active set lie in the row space of ``X D_S``, of
dimension at most ``d0 < m``.  The set of ``W`` whose ``m`` rows all sit in one
open cell of the arrangement ``{w^T x_j = 0}`` is open and nonempty, hence of
positive measure, for every ``X`` (``templates/problem3.tex`` has the proofs).

Rank deficiency of the ReLU features is decided *exactly* and
deterministically, without a tolerance and without randomness.  On the product
of the cells holding the rows, ``det F = P(W) = det[w_i^T X D_{S_i}]`` is a
polynomial, and for almost every ``W`` the features are singular exactly when
``P`` vanishes identically.  Rado's criterion (proved in the text) decides
that from dimensions of sums of the spaces ``V_S`` (row space of ``X D_S``),
which are ranks of matrices built from ``X`` and computed exactly
(:func:`exact_ranks`): :func:`rado_singular` for each distinct multiset of
cells among the draws, :func:`planar_deficiency_table` for every multiset of
cells in the plane.  Evaluating ``P`` at a random point modulo the prime
:data:`PRIME` (Schwartz--Zippel, :func:`random_evaluation_singular`) serves only
as a cross-check, as does the singular value ratio; for the sigmoid the ratio
is the only test there is (:data:`RANK_RTOL`).

The package, by concern (each module's docstring says more):

``ranks``
    exact ranks, modulo primes for integer matrices and by rational
    elimination otherwise (:func:`exact_ranks`);
``rado``
    certified active sets, cell multisets and Rado's criterion, the exact
    decision for the ReLU (:func:`rado_singular`, :func:`relu_deficient`),
    with its cross-check by random evaluation;
``features``
    the two activations, the floating-point rank test and the Monte Carlo
    frequency :func:`singular_fraction`;
``ball``
    the rank lemma and the ball of rank-deficient ``W``
    (:func:`rank_deficient_ball`);
``lower_bound``
    counting cells, and the lower bound valid for every ``X``;
``planar``
    exact probabilities for ``d0 = 1`` and ``d0 = 2``: the sectors of the
    plane and the enumeration of every multiset of sectors;
``data``
    the worked examples of the text, the random data families and the ball
    suite;
``references``
    the independent references the claims are checked against: cells listed
    at the rays of a generic arrangement, overflow by load profiles, exact
    enumeration decided by the coefficients of the determinant polynomial,
    exact distances and boundary probes of the ball;
``arguments``
    the checks of ``X``, of the randomness and of sample counts that every
    module shares (internal);
``figures``
    one function per figure;
``experiments``
    seeds, sample sizes and data of the experiments, and the records they
    fill in;
``claims``
    :func:`run`, the build's entry point: one function per experiment, each
    recording its claims, parameters and figures into the ledger.

Mathematics goes into the module of its subject and, if public, is
re-exported here (as are the figures, :func:`run` and :data:`SEED`); an
experiment's inputs go into ``experiments``, the claims it records into
``claims``, the drawing of a figure into ``figures``.  Submodules import each
other directly, never from this package.
"""

from generator.problem3.ball import (
    active_set_rank_bound,
    active_set_rank_bounds,
    ball_check,
    exact_relu_ranks,
    rank_deficient_ball,
)
from generator.problem3.claims import run
from generator.problem3.data import (
    ENTRY_BOUND,
    FAMILIES,
    ball_suite,
    data_family,
    full_rank_example,
    halfplane_triangle,
    pair_triangle,
    regular_triangle,
    regular_triangle_representative,
    skew_triangle,
)
from generator.problem3.experiments import SEED
from generator.problem3.features import (
    ACTIVATIONS,
    RANK_RTOL,
    activate,
    declared_singular_fraction,
    sampled_ratios,
    singular_fraction,
    singular_value_ratios,
    standard_error,
)
from generator.problem3.figures import plot_cells, plot_frequency_vs_width
from generator.problem3.lower_bound import (
    cell_count_bound,
    singular_probability_lower_bound,
    uniform_overflow_probability,
)
from generator.problem3.planar import (
    MULTISET_LIMIT,
    RAY_MERGE_TOL,
    PlanarTable,
    exact_singular_probability_planar,
    line_singular_probability,
    planar_cells,
    planar_deficiency_table,
    table_multisets,
    three_point_singular_probability,
)
from generator.problem3.rado import (
    RADO_MAX_M,
    UNIT_ROUNDOFF,
    cell_multisets,
    certified_active_sets,
    column_set_ranks,
    rado_primes_needed,
    rado_singular,
    random_evaluation_singular,
    relu_deficient,
    schwartz_zippel_ready,
)
from generator.problem3.ranks import PRIME, PRIMES, exact_ranks

__all__ = [
    "ACTIVATIONS",
    "ENTRY_BOUND",
    "FAMILIES",
    "MULTISET_LIMIT",
    "PRIME",
    "PRIMES",
    "RADO_MAX_M",
    "RANK_RTOL",
    "RAY_MERGE_TOL",
    "SEED",
    "UNIT_ROUNDOFF",
    "PlanarTable",
    "activate",
    "active_set_rank_bound",
    "active_set_rank_bounds",
    "ball_check",
    "ball_suite",
    "cell_count_bound",
    "cell_multisets",
    "certified_active_sets",
    "column_set_ranks",
    "data_family",
    "declared_singular_fraction",
    "exact_relu_ranks",
    "exact_ranks",
    "exact_singular_probability_planar",
    "full_rank_example",
    "halfplane_triangle",
    "line_singular_probability",
    "pair_triangle",
    "planar_cells",
    "planar_deficiency_table",
    "plot_cells",
    "plot_frequency_vs_width",
    "rado_primes_needed",
    "rado_singular",
    "random_evaluation_singular",
    "rank_deficient_ball",
    "regular_triangle",
    "regular_triangle_representative",
    "relu_deficient",
    "run",
    "sampled_ratios",
    "schwartz_zippel_ready",
    "singular_fraction",
    "singular_probability_lower_bound",
    "singular_value_ratios",
    "skew_triangle",
    "standard_error",
    "table_multisets",
    "three_point_singular_probability",
    "uniform_overflow_probability",
]
