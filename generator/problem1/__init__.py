"""Problem 1: critical points of a linear residual network near the identity.

The loss of the linear residual network ``x -> (I + W_H) ... (I + W_1) x`` under an
*arbitrary* distribution of ``(x, y)`` with finite second moments depends on the
distribution only through the moments

    Sxx = E[x x^T],   Syx = E[y x^T],   Syy = E[y^T y],

because ``E ||M x - y||^2 = tr(M Sxx M^T) - 2 tr(Syx M^T) + Syy`` for every matrix ``M``.
Every function of this package therefore takes these moments.  An empirical distribution of
samples is itself a distribution, so for it every formula here is exact, which is
what the numerical checks in :func:`run` exploit.

Conventions: ``Ws = [W_1, ..., W_H]`` with ``W_1`` applied first, so the end-to-end
matrix is ``M = (I + W_H) ... (I + W_1)``; ``M_{>k} = (I + W_H) ... (I + W_{k+1})`` and
``M_{<k} = (I + W_{k-1}) ... (I + W_1)`` (empty products are ``I``).

Reference: M. Hardt and T. Ma, *Identity Matters in Deep Learning*, ICLR 2017,
arXiv:1611.04231 -- Claim 2.3, Lemma 2.4, Theorem 2.2 and inequality (2.3), which
assume ``y = R x + xi`` with Gaussian ``xi`` independent of ``x``; nothing here does.

What belongs where:

* :mod:`~generator.problem1.objective` -- the loss (2), its gradient, the
  least-squares problem (1) and the excess loss;
* :mod:`~generator.problem1.pl_inequality` -- the PL-type inequality, its
  per-layer form, its equality instance and the printed inequality (2.3);
* :mod:`~generator.problem1.counterexamples` -- the boundary critical point,
  the last-layer identity and the examples with singular ``Sxx``;
* :mod:`~generator.problem1.data` -- the non-Gaussian, nonlinear data and
  the statistics of their least-squares residual;
* :mod:`~generator.problem1.descent` -- gradient descent from ``W = 0``;
* :mod:`~generator.problem1.sweep` -- the PL inequalities at random points, batched;
* :mod:`~generator.problem1.figures` -- one function per figure;
* :mod:`~generator.problem1.claims` -- the experiments, their inputs, and
  :func:`run`, which records every claim into the problem's ledger;
* :mod:`~generator.problem1.validation` -- the argument checks shared by all.

The public functions and classes are re-exported here, so that
``generator.problem1.<name>`` is the package's API.
"""

from generator.problem1.claims import SEED, run
from generator.problem1.counterexamples import (
    boundary_critical_point,
    boundary_escape_change,
    last_layer_identity_error,
    singular_example,
)
from generator.problem1.data import DataSpec, ResidualStatistics, make_data, residual_statistics
from generator.problem1.descent import DescentPath, gradient_descent
from generator.problem1.figures import plot_descent, plot_pl
from generator.problem1.objective import (
    central_difference_gradient,
    end_to_end,
    equivalent_samples,
    excess_loss,
    gradient_norm_squared,
    gradients,
    hardt_ma_printed_gradients,
    layer_norms,
    least_squares_solution,
    loss,
    loss_from_samples,
    second_moments,
    smallest_positive_eigenvalue,
)
from generator.problem1.pl_inequality import (
    hardt_ma_printed_constant,
    hardt_ma_threshold_ratio,
    layer_pl_ratio,
    pl_constant,
    pl_equality_instance,
    pl_ratios,
)
from generator.problem1.sweep import BallBatch, PLSweep, per_point_deviation, pl_sweep, random_ball_points

__all__ = [
    "BallBatch",
    "DataSpec",
    "DescentPath",
    "PLSweep",
    "ResidualStatistics",
    "SEED",
    "boundary_critical_point",
    "boundary_escape_change",
    "central_difference_gradient",
    "end_to_end",
    "equivalent_samples",
    "excess_loss",
    "gradient_descent",
    "gradient_norm_squared",
    "gradients",
    "hardt_ma_printed_constant",
    "hardt_ma_printed_gradients",
    "hardt_ma_threshold_ratio",
    "last_layer_identity_error",
    "layer_norms",
    "layer_pl_ratio",
    "least_squares_solution",
    "loss",
    "loss_from_samples",
    "make_data",
    "per_point_deviation",
    "pl_constant",
    "pl_equality_instance",
    "pl_ratios",
    "pl_sweep",
    "plot_descent",
    "plot_pl",
    "random_ball_points",
    "residual_statistics",
    "run",
    "second_moments",
    "singular_example",
    "smallest_positive_eigenvalue",
]
