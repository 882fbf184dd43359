"""Problem 4: eliminating bad local minima with one exponential neuron (m = 1).

Kawaguchi & Kaelbling (arXiv:1901.00279) add to a model ``f(x; theta)`` one
neuron ``a * exp(w^T x + b)`` and the penalty ``lambda * a^2``:

    L~(theta, w, a, b) = l(f(x; theta) + a exp(w^T x + b), y) + lambda a^2 .

For one data point and a convex differentiable loss every local minimum of
``L~`` has ``a = 0`` and a globally optimal ``theta`` (proved in the write-up).
The modified loss, its gradient and its Hessian are implemented for any data
set (``m`` points in ``R^d``) and checked against finite differences.
Sohl-Dickstein & Kawaguchi (arXiv:1901.03909) explain the mechanism: a bad
local minimum of ``L`` becomes a valley of ``L~`` that leads to infinity in
the added parameters.  This package checks the statements of the write-up on a
one-parameter toy model and draws the figures.  Among them: along every gradient
flow of ``L~`` the parameter ``theta`` stays on one orbit of ``-grad f`` and
``b - a^2/2`` grows at the rate ``2 lambda a^2`` (checked on flows from random
starts, :func:`~generator.problem4.orbits.gradient_flow_batch`).

What belongs where:

* :mod:`~generator.problem4.toy_model` -- the toy model: a data set, the
  cubic ``q`` and the original loss ``L = (1/m) sum_i (s_i q - y_i)^2``; the
  parameter order ``(theta, w, a, b)``;
* :mod:`~generator.problem4.modified` -- ``L~``, its gradient and Hessian;
* :mod:`~generator.problem4.nonconvex` -- Part 1, the counterexample with a
  non-convex loss;
* :mod:`~generator.problem4.valley` -- the valley of ``L~`` (its floor and
  profile) and the two escape families of approximate stationary points;
* :mod:`~generator.problem4.flows` -- the gradient flow from one start, the
  reduced flow on the slice ``theta = theta_b`` and the limits of a bad flow;
* :mod:`~generator.problem4.orbits` -- flows from many starts: the orbit of
  ``theta`` and the bias identity;
* :mod:`~generator.problem4.descent` -- gradient descent with a constant step;
* :mod:`~generator.problem4.fits` -- least-squares rates of power and
  exponential laws;
* :mod:`~generator.problem4.figures` -- one function per figure, each returning what it drew;
* :mod:`~generator.problem4.figure_reference` -- what each figure's caption says it shows, recomputed from
  the parameters and closed forms, and the deviation of a drawn figure from it;
* :mod:`~generator.problem4.claims` -- the experiments, their inputs, and
  ``run(figures_dir)``, which records every claim in a ledger.

The public mathematical API, the figure functions and ``run`` are re-exported
here, so ``generator.problem4.<name>`` works for each of them.  The modules
import each other directly, never from this package.
"""

from generator.problem4.toy_model import (
    A_INDEX,
    B_INDEX,
    BAD_MINIMUM,
    CUBIC_COEFFICIENTS,
    MODEL_CRITICAL_POINTS,
    THETA_INDEX,
    ToySetting,
    cubic_model,
    cubic_model_curvature,
    cubic_model_slope,
    original_loss,
    w_slice,
)
from generator.problem4.modified import (
    derivative_fd_errors,
    modified_loss,
    modified_loss_gradient,
    modified_loss_hessian,
    neuron_off_error,
    random_parameters,
)
from generator.problem4.nonconvex import (
    nonconvex_flat_directions,
    nonconvex_modified_loss,
    nonconvex_perturbation_test,
)
from generator.problem4.valley import (
    escape_family_general,
    escape_family_general_prediction,
    escape_family_valley,
    escape_family_valley_prediction,
    family_formula_error,
    min_hessian_eigen_ratio,
    valley_floor,
    valley_profile,
    valley_profile_errors,
)
from generator.problem4.flows import (
    FlowResult,
    bias_direction_error,
    dissipation_error,
    flow_limit_ratios,
    gradient_flow,
    scaled_slice_loss,
    slice_flow,
    slice_loss,
    theta_return_exponent,
)
from generator.problem4.orbits import (
    batch_dissipation_error,
    bias_identity_residual,
    gradient_flow_batch,
    orbit_interval,
    orbit_statistics,
)
from generator.problem4.descent import (
    constant_step_statistics,
    descent_over_flow,
    descent_step_error,
    gradient_descent_constant_step,
)
from generator.problem4.fits import loglog_slope, semilog_slope
from generator.problem4.figures import plot_flows, plot_landscape
from generator.problem4.claims import run

__all__ = [
    "A_INDEX",
    "B_INDEX",
    "BAD_MINIMUM",
    "CUBIC_COEFFICIENTS",
    "MODEL_CRITICAL_POINTS",
    "THETA_INDEX",
    "FlowResult",
    "ToySetting",
    "batch_dissipation_error",
    "bias_direction_error",
    "bias_identity_residual",
    "constant_step_statistics",
    "cubic_model",
    "cubic_model_curvature",
    "cubic_model_slope",
    "derivative_fd_errors",
    "descent_over_flow",
    "descent_step_error",
    "dissipation_error",
    "escape_family_general",
    "escape_family_general_prediction",
    "escape_family_valley",
    "escape_family_valley_prediction",
    "family_formula_error",
    "flow_limit_ratios",
    "gradient_descent_constant_step",
    "gradient_flow",
    "gradient_flow_batch",
    "loglog_slope",
    "min_hessian_eigen_ratio",
    "modified_loss",
    "modified_loss_gradient",
    "modified_loss_hessian",
    "nonconvex_flat_directions",
    "nonconvex_modified_loss",
    "neuron_off_error",
    "nonconvex_perturbation_test",
    "orbit_interval",
    "orbit_statistics",
    "original_loss",
    "plot_flows",
    "plot_landscape",
    "random_parameters",
    "run",
    "scaled_slice_loss",
    "semilog_slope",
    "slice_flow",
    "slice_loss",
    "theta_return_exponent",
    "valley_floor",
    "valley_profile",
    "valley_profile_errors",
    "w_slice",
]
