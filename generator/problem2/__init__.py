"""Problem 2: a near-identity factorization of any ``R`` with ``det R > 0``.

Mathematics (proved in ``templates/problem2.tex``; Hardt & Ma, arXiv:1611.04231,
Theorem 2.1 and Appendix A give a different construction):

* polar decomposition ``R = U P`` with ``P = (R^T R)^{1/2}`` symmetric positive
  definite and ``U`` orthogonal; ``det U = det R / det P > 0`` forces ``det U = 1``;
* ``P^{1/h}`` through the eigen-decomposition of ``P`` and ``U^{alpha}`` through the
  real normal form ``U = Q blockdiag(Rot(phi_j), I) Q^T`` (rotation blocks, with
  eigenvalues ``-1`` paired into rotations by ``pi``);
* layers ``W_1 = ... = W_{h_P} = P^{1/h_P} - I`` (applied first) and
  ``W_{h_P+1} = ... = W_H = U^{1/h_U} - I``, so that
  ``(I + W_H) ... (I + W_1) = U P = R``; the split ``h_P + h_U = H`` minimizes
  ``max_k ||W_k||_2``, which is at most ``exp((gamma + phi_max)/(H - 1)) - 1``;
* the balanced variant ``I + W_k = U^{k/H} P^{1/H} U^{-(k-1)/H}``, whose scaled
  norm ``H ||W_k||_2`` tends to ``||log U + log P||_2 <= gamma + phi_max``
  (``log U`` the real logarithm of ``U`` read off the normal form);
* a lower bound that every factorization with ``max_k ||W_k||_2 <= delta`` obeys,
  with the turning-angle vector ``P^{-1/2} z`` that certifies
  ``angle(R) >= min(phi_max(U), pi/2)`` for every ``R``.

What belongs where:

* the mathematics, as pure functions: :mod:`~generator.problem2.polar` (``R = U P``),
  :mod:`~generator.problem2.orthogonal_powers` (the normal form of ``U``, the
  powers ``U^alpha`` and ``log U``: the fact of Problem 2),
  :mod:`~generator.problem2.construction` (the split and balanced layers, their
  product and norms), :mod:`~generator.problem2.upper_bounds` (``K``, ``K_bal``,
  our bounds and Hardt & Ma's), :mod:`~generator.problem2.lower_bound` (turning
  angles and the bound for any factorization), and
  :mod:`~generator.problem2.validation` (the input checks they share);
* the experiments: :mod:`~generator.problem2.examples` (the test matrices),
  :mod:`~generator.problem2.sweeps` (both constructions over depths, reduced to
  worst cases) and :mod:`~generator.problem2.checks` (the fact and the
  turning-angle lemma checked by independent routes);
* :mod:`~generator.problem2.figures` -- one function per figure;
* :mod:`~generator.problem2.claims` -- ``run(figures_dir)``, which records every
  claim, parameter and figure into the ledger, one function per experiment, with
  the experiments' data (seed, depths, sample sizes).

``run`` checks all of this numerically and draws the two figures, within the
project's budget of one CPU second: powers, products and norms are batched,
and the figures use plain-text tick labels (mathtext layout dominated).

The public mathematical API, the test matrices and ``run`` are re-exported here.
"""

from generator.problem2.claims import run
from generator.problem2.construction import (
    IDENTITY_TOLERANCE,
    LayerPlan,
    balanced_layer_norms,
    construct_balanced_layers,
    construct_layers,
    layer_product,
    max_layer_norm,
    plan_layers,
    product_error,
    split_layer_norms,
)
from generator.problem2.examples import example_matrices, example_unitaries, plane_rotation, random_rotation
from generator.problem2.lower_bound import (
    ANGLE_GRID,
    lower_bound,
    lower_bound_curve,
    turning_angle_certificate,
    turning_angles,
    turning_vectors,
)
from generator.problem2.orthogonal_powers import (
    ORTHOGONALITY_TOLERANCE,
    RotationForm,
    max_rotation_angle,
    orthogonal_power,
    orthogonal_power_minus_identity,
    power_distance_formula,
    powers_from_form,
    powers_minus_identity_from_form,
    rotation_angles,
    rotation_form,
    rotation_generator,
)
from generator.problem2.polar import PolarFactors, polar_factors
from generator.problem2.upper_bounds import (
    balanced_bound,
    balanced_constant,
    construction_bound,
    construction_bounds,
    hardt_ma_bound,
    hardt_ma_finite_depth_ratio,
    rate_constant,
)

__all__ = [
    "ANGLE_GRID",
    "IDENTITY_TOLERANCE",
    "ORTHOGONALITY_TOLERANCE",
    "LayerPlan",
    "PolarFactors",
    "RotationForm",
    "balanced_bound",
    "balanced_constant",
    "balanced_layer_norms",
    "construct_balanced_layers",
    "construct_layers",
    "construction_bound",
    "construction_bounds",
    "example_matrices",
    "example_unitaries",
    "hardt_ma_bound",
    "hardt_ma_finite_depth_ratio",
    "layer_product",
    "lower_bound",
    "lower_bound_curve",
    "max_layer_norm",
    "max_rotation_angle",
    "orthogonal_power",
    "orthogonal_power_minus_identity",
    "plan_layers",
    "plane_rotation",
    "polar_factors",
    "power_distance_formula",
    "powers_from_form",
    "powers_minus_identity_from_form",
    "product_error",
    "random_rotation",
    "rate_constant",
    "rotation_angles",
    "rotation_form",
    "rotation_generator",
    "run",
    "split_layer_norms",
    "turning_angle_certificate",
    "turning_angles",
    "turning_vectors",
]
