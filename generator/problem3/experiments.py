"""The inputs of the Problem 3 experiments, and the records the experiments fill in.

Seeds, sample sizes and the data the experiments of
:mod:`generator.problem3.claims` run on are fixed here (the ledger parameters
of the same names describe them in the PDF), next to two records:
:class:`Tally`, the exact ReLU decisions and their cross-checks, and
:class:`Sweep`, what the sweep over ``(d0, m)`` hands on to later claims and
to the frequency figure.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from dataclasses import dataclass, field

import numpy as np

from generator.problem3.arguments import _data_matrix
from generator.problem3.data import (
    FAMILIES,
    halfplane_triangle,
    pair_triangle,
    regular_triangle,
    regular_triangle_representative,
    skew_triangle,
)
from generator.problem3.features import RANK_RTOL, activate, singular_value_ratios
from generator.problem3.planar import PlanarTable, table_multisets
from generator.problem3.rado import (
    _rank_data,
    cell_multisets,
    certified_active_sets,
    rado_primes_needed,
    rado_singular,
    random_evaluation_singular,
    schwartz_zippel_ready,
)
from generator.problem3.ranks import PRIME
from generator.problem3.references import distinct_multiset_count

SEED = 20240603
"""Root seed; every experiment draws from ``default_rng((SEED, k))``."""

# Draws of W per configuration.
RELU_SAMPLES = 2000
EXACT_SAMPLES = 20_000
SIGMOID_SAMPLES = 500
ANTIPODAL_SIGMOID_SAMPLES = 200
CROSSCHECK_SAMPLES = 100
"""Draws of each configuration also decided by the singular value test (all of them where it is the reference)."""
BALL_DRAWS = 100
CONFIDENCE = 0.95
"""Level of the one-sided upper confidence bound for a frequency of zero (the sigmoid)."""
LEMMA_DRAWS = 300

LEMMA_SHAPES = ((1, 3), (1, 5), (1, 6), (2, 5), (3, 6), (4, 8))
"""``(d0, m)`` of the random integer data of the rank-lemma check (including lines ``d0 = 1``)."""

FIGURE_M = 6
"""Number of data points ``m`` in the ``d0`` sweep of the frequency figure."""

WIDTHS = tuple(range(1, FIGURE_M))
"""The input dimensions ``d0`` of the frequency figure."""

GRID = ((2, 4), (3, 4)) + tuple((d0, FIGURE_M) for d0 in WIDTHS)
"""``(d0, m)`` of the sweep; the rows with ``m = FIGURE_M`` make the figure."""

LINE_M = 8
"""Number of scalar data points in the sigmoid conditioning check."""

EXACT_CASES = (
    ("line", np.array([[1.0, -1.0]]), None, "$d_0=1$, $x=(1,-1)$"),
    ("triangle_skew", skew_triangle(), None, "$X_0$"),
    ("triangle_regular", regular_triangle(), regular_triangle_representative(), "the regular triangle"),
    ("triangle_halfplane", halfplane_triangle(), None, "$[e_1,e_2,e_1+e_2]$"),
    ("triangle_pair", pair_triangle(), None, "$[e_1,e_2,-e_1]$"),
)
"""The exactly solved small cases with a Monte Carlo check: name, ``X``, integer representative ``A X`` or ``None``, label.

The regular triangle is irrational: its ranks are computed on an integer
representative ``A X``.
"""

ASYMMETRIC_CASES = (
    ("triangle_halfplane_skew", np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 1.0]]), "$[e_1,e_2,e_2-e_1]$"),
    ("triangle_pair_skew", np.array([[1.0, 1.0, -1.0], [0.0, 1.0, 0.0]]), "$[e_1,e_1+e_2,-e_1]$"),
)
"""Two more planar cases whose closed forms have unequal sector probabilities ``p != p'`` (no Monte Carlo)."""


def seed_streams():
    """A function that returns a new generator at each call: ``default_rng((SEED, 0))``, then ``(SEED, 1)``, ...

    The experiments take their streams in a fixed order, which fixes every
    random number they draw.
    """
    seeds = itertools.count()

    def stream() -> np.random.Generator:
        return np.random.default_rng((SEED, next(seeds)))

    return stream


class Tally:
    """Bookkeeping of the exact ReLU decisions and of their cross-checks.

    Next to each count it keeps what the claims compare it with: the number
    of evaluations and their degree counted by another route
    (``reference_evaluations``: pairs of multisets and rows, from
    :func:`~generator.problem3.references.distinct_multiset_count` or the
    number of multisets of a listing), the planar data enumerated with their
    tables (``planar``), and the draw with the smallest ratio among those
    decided nonsingular (``full_min``: ratio, ``W``, ``X``).
    """

    def __init__(self, crosscheck: int):
        self.crosscheck = crosscheck
        self.draws = 0
        self.uncertified = 0
        self.random_checks = 0
        self.random_error_bound = 0.0
        self.random_disagreements = 0
        self.rado_primes = 0
        self.deficient_ratios: list[np.ndarray] = []
        self.full_ratios: list[np.ndarray] = []
        self.svd_disagreements = 0
        self.smallest_sector = math.inf
        self.reference_evaluations: list[tuple[int, int]] = []
        self.planar: list[tuple[np.ndarray, PlanarTable]] = []
        self.full_min: tuple[float, np.ndarray | None, np.ndarray | None] = (math.inf, None, None)
        self.weight_moments = np.zeros(4)
        """Sums of ``w``, ``w^2``, ``w^4`` and the number of entries over every Gaussian ``W`` drawn."""

    def relu(self, X, samples: int, rng, representative=None, crosscheck: int | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
        """Rado's decisions for ``samples`` Gaussian ``W``, and the singular value test's on the same draws.

        Ranks are computed on ``representative`` if given (``A X``, ``A``
        invertible).  Every distinct multiset of cells is also decided by
        random evaluation (on integer rank data: ``P`` for ``A X`` is ``P`` for
        ``X`` composed with ``W -> W A^T``), and every draw by the singular
        value ratio on the first ``crosscheck`` draws (default: the tally's),
        whose verdicts are returned second.
        """
        crosscheck = self.crosscheck if crosscheck is None else crosscheck
        X = _data_matrix(X)
        rank_data = _rank_data(X, representative)
        W = rng.standard_normal((samples, X.shape[1], X.shape[0]))
        squares = W * W
        self.weight_moments += (np.sum(W), np.sum(squares), np.sum(squares * squares), W.size)
        active, certified = certified_active_sets(X, W)
        multisets, inverse = cell_multisets(active)
        singular = rado_singular(X, multisets, representative)
        deficient = singular[inverse]
        self.draws += samples
        self.uncertified += int(np.sum(~certified))
        self._count_primes(rank_data)
        if schwartz_zippel_ready(rank_data):
            self._random(rank_data, multisets, singular, rng)
            self.reference_evaluations.append((distinct_multiset_count(active), active.shape[1]))
        ratios = singular_value_ratios(activate(W[:crosscheck] @ X, "relu"))
        head = deficient[:crosscheck]
        self.deficient_ratios.append(ratios[head])
        self.full_ratios.append(ratios[~head])
        if np.any(~head):
            k = int(np.flatnonzero(~head)[np.argmin(ratios[~head])])
            if ratios[k] < self.full_min[0]:
                self.full_min = (float(ratios[k]), W[k], X)
        self.svd_disagreements += int(np.sum((ratios <= RANK_RTOL) != head))
        return deficient, ratios <= RANK_RTOL

    def table(self, X, table: PlanarTable, rng, representative=None) -> None:
        """Every multiset of the planar table of ``X``, decided again by random evaluation (integer rank data).

        Ranks are computed on ``representative`` if given.  Also keeps the
        narrowest sector of all the tables, and ``X`` with its table.
        """
        rank_data = _rank_data(_data_matrix(X), representative)
        self.smallest_sector = min(self.smallest_sector, float(np.min(table.probabilities)))
        self.planar.append((X, table))
        self._count_primes(rank_data)
        if schwartz_zippel_ready(rank_data):
            self._random(rank_data, table_multisets(table), table.deficient, rng)
            cells, rows = len(table.probabilities), table.active.shape[1]
            self.reference_evaluations.append((math.comb(cells + rows - 1, rows), rows))

    def _count_primes(self, rank_data) -> None:
        # Most primes any rank of Rado's criterion needs; infinity stands for the rational fallback.
        needed = rado_primes_needed(rank_data)
        self.rado_primes = max(self.rado_primes, math.inf if needed is None else needed)

    def _random(self, X, multisets: np.ndarray, singular: np.ndarray, rng) -> None:
        # One evaluation per distinct multiset: m / p bounds its chance of a false "singular".
        self.random_checks += len(multisets)
        self.random_error_bound += len(multisets) * X.shape[1] / PRIME
        self.random_disagreements += int(np.sum(random_evaluation_singular(X, multisets, rng) != singular))


@dataclass
class Sweep:
    """What the sweep over :data:`GRID` hands on to later claims and to the frequency figure.

    Attributes
    ----------
    relu, relu_se : dict family -> list of float
        ReLU frequencies and their standard errors at ``m = FIGURE_M``, one per
        ``d0`` of :data:`WIDTHS`.
    exact : dict family -> dict d0 -> Fraction
        Exact probabilities at ``m = FIGURE_M`` where the text computes them.
    planar : dict family -> float
        ReLU frequency at ``d0 = 2``, ``m = FIGURE_M``.
    sigmoid_upper : dict d0 -> float
        Upper confidence bound for the sigmoid frequency, general data,
        ``m = FIGURE_M``.
    sigmoid_ratios : list of numpy.ndarray
        Singular value ratios of the sigmoid draws on general and half-space
        data (``d0 >= 2``).
    sigmoid_singular : int
        How many of those draws were declared singular.
    antipodal_sigmoid_max : float
        Largest singular value ratio of the sigmoid draws on antipodal data.
    bound : dict (d0, m) -> Fraction
        The lower bound valid for every ``X``.
    all_se : list of list of float
        Standard errors of every ReLU frequency of the sweep.
    se_reference : list of float
        The same standard errors recomputed as the standard deviation of the
        draws' verdicts over ``sqrt(n)``.
    planar_count : dict family -> int
        Number of draws decided singular at ``d0 = 2``, ``m = FIGURE_M``.
    sigmoid_min : tuple (float, W, X)
        The smallest singular value ratio of the sigmoid draws on general and
        half-space data, with the draw and the data that gave it.
    data : list of (family, numpy.ndarray)
        Every data matrix of the sweep, with its family.
    sigmoid_weights : list of numpy.ndarray
        The entries of every ``W`` drawn for the sigmoid in the sweep.
    planar_tables : dict family -> (X, PlanarTable)
        The data and the enumeration at ``d0 = 2``, ``m = FIGURE_M``.
    """

    relu: dict[str, list[float]] = field(default_factory=lambda: {family: [] for family in FAMILIES})
    relu_se: dict[str, list[float]] = field(default_factory=lambda: {family: [] for family in FAMILIES})
    exact: dict[str, dict[int, Fraction]] = field(default_factory=lambda: {family: {} for family in FAMILIES})
    planar: dict[str, float] = field(default_factory=dict)
    sigmoid_upper: dict[int, float] = field(default_factory=dict)
    sigmoid_ratios: list[np.ndarray] = field(default_factory=list)
    sigmoid_singular: int = 0
    antipodal_sigmoid_max: float = 0.0
    bound: dict[tuple[int, int], Fraction] = field(default_factory=dict)
    all_se: list[list[float]] = field(default_factory=list)
    se_reference: list[float] = field(default_factory=list)
    planar_count: dict[str, int] = field(default_factory=dict)
    sigmoid_min: tuple = (math.inf, None, None)
    data: list[tuple[str, np.ndarray]] = field(default_factory=list)
    sigmoid_weights: list[np.ndarray] = field(default_factory=list)
    planar_tables: dict[str, tuple[np.ndarray, PlanarTable]] = field(default_factory=dict)
