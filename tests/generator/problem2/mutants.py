"""Realistic bugs in the code behind Problem 2's claims, for ``tests/mutation/run.py``.

Each mutant plants one slip a tired person could make in a function whose
output a claim checks: the normal form and the powers of ``U``
(``orthogonal_powers.py``), the polar factors (``polar.py``), the split and
balanced layers and their product (``construction.py``), the lower bound
(``lower_bound.py``), the constants (``upper_bounds.py``) and the reduction of
the sweeps (``sweeps.py``); since the second attack round also the samplers
of the test matrices (``examples.py``, ``checks.py``) and what the figures
draw (``figures.py``).  Every one must make the build refuse a claim.
"""

ORTHOGONAL_POWERS = "generator/problem2/orthogonal_powers.py"
POLAR = "generator/problem2/polar.py"
CONSTRUCTION = "generator/problem2/construction.py"
LOWER_BOUND = "generator/problem2/lower_bound.py"
UPPER_BOUNDS = "generator/problem2/upper_bounds.py"
SWEEPS = "generator/problem2/sweeps.py"
CHECKS = "generator/problem2/checks.py"
EXAMPLES = "generator/problem2/examples.py"
FIGURES = "generator/problem2/figures.py"

MUTANTS = [
    {
        "id": "p2-rotation-angle-sign",
        "file": ORTHOGONAL_POWERS,
        "find": "np.arctan2(block[1, 0] - block[0, 1], block[0, 0] + block[1, 1])",
        "replace": "np.arctan2(block[0, 1] - block[1, 0], block[0, 0] + block[1, 1])",
        "description": "the angle of a 2x2 Schur block read with the wrong sign (the transposed rotation)",
    },
    {
        "id": "p2-minus-one-pair-angle",
        "file": ORTHOGONAL_POWERS,
        "find": "angles += [np.pi] * (len(minus_one) // 2)",
        "replace": "angles += [np.pi / 2] * (len(minus_one) // 2)",
        "description": "a pair of eigenvalues -1 paired into a quarter turn instead of a half turn",
        "sample": True,
    },
    {
        "id": "p2-rotation-block-sine-sign",
        "file": ORTHOGONAL_POWERS,
        "find": "blocks[..., first + 1, first] = sine",
        "replace": "blocks[..., first + 1, first] = -sine",
        "description": "both off-diagonal entries of a rotation block get the same sign",
    },
    {
        "id": "p2-power-minus-identity-factor",
        "file": ORTHOGONAL_POWERS,
        "find": "_plane_blocks(-2 * np.sin(angles / 2) ** 2,",
        "replace": "_plane_blocks(-np.sin(angles / 2) ** 2,",
        "description": "the factor 2 of cos t - 1 = -2 sin^2(t/2) dropped in U^alpha - I",
    },
    {
        "id": "p2-power-angles-made-positive",
        "file": ORTHOGONAL_POWERS,
        "find": "angles = np.multiply.outer(np.asarray(exponents, dtype=float), form.angles)\n"
                "    return Q @ _plane_blocks(np.cos(angles)",
        "replace": "angles = np.multiply.outer(np.asarray(exponents, dtype=float), np.abs(form.angles))\n"
                   "    return Q @ _plane_blocks(np.cos(angles)",
        "description": "U^alpha formed with |phi_j|, as if the Schur form never returned a negative angle",
    },
    {
        "id": "p2-logarithm-half-angle",
        "file": ORTHOGONAL_POWERS,
        "find": "_plane_blocks(np.zeros_like(form.angles), form.angles, Q.shape[0], rest=0.0)",
        "replace": "_plane_blocks(np.zeros_like(form.angles), form.angles / 2, Q.shape[0], rest=0.0)",
        "description": "log U built with half the rotation angles",
    },
    {
        "id": "p2-polar-vectors-transposed",
        "file": POLAR,
        "find": "return PolarFactors(U, sigma, right_t.T)",
        "replace": "return PolarFactors(U, sigma, right_t)",
        "description": "the right singular vectors stored as rows instead of columns (V^T for V)",
    },
    {
        "id": "p2-gamma-without-absolute-value",
        "file": POLAR,
        "find": "return float(np.max(np.abs(np.log(self.singular_values))))",
        "replace": "return float(np.max(np.log(self.singular_values)))",
        "description": "gamma = max log sigma_i, forgetting the singular values below 1",
    },
    {
        "id": "p2-root-distance-wrong-end",
        "file": CONSTRUCTION,
        "find": "-np.expm1(np.log(sigma[-1]) / h)",
        "replace": "-np.expm1(np.log(sigma[0]) / h)",
        "description": "||P^{1/h} - I|| planned with sigma_max at both ends instead of sigma_min",
    },
    {
        "id": "p2-split-range-off-by-one",
        "file": CONSTRUCTION,
        "find": "h = np.arange(1, H)\n",
        "replace": "h = np.arange(1, H + 1)\n",
        "description": "the split h_P runs up to H, leaving the rotation no layer",
    },
    {
        "id": "p2-split-minimizes-the-smaller-norm",
        "file": CONSTRUCTION,
        "find": "best = int(np.argmin(np.maximum(positive, orthogonal)))",
        "replace": "best = int(np.argmin(np.minimum(positive, orthogonal)))",
        "description": "the split minimizes the smaller of the two layer norms instead of the larger",
    },
    {
        "id": "p2-orthogonal-identity-test-flipped",
        "file": CONSTRUCTION,
        "find": "orthogonal = bool(2 * np.sin(phi_max / 2) <= IDENTITY_TOLERANCE)",
        "replace": "orthogonal = bool(2 * np.sin(phi_max / 2) >= IDENTITY_TOLERANCE)",
        "description": "the test 'U = I' inverted, so a rotation gets no layers",
    },
    {
        "id": "p2-split-layers-reversed",
        "file": CONSTRUCTION,
        "find": "    return layers\n\n\ndef construct_balanced_layers",
        "replace": "    return layers[::-1]\n\n\ndef construct_balanced_layers",
        "description": "the rotation layers applied first and the positive ones last (P U instead of U P)",
    },
    {
        "id": "p2-balanced-conjugation-off-by-one",
        "file": CONSTRUCTION,
        "find": "factors = turns[1:] @ step @ np.swapaxes(turns[:-1], 1, 2)",
        "replace": "factors = turns[1:] @ step @ np.swapaxes(turns[1:], 1, 2)",
        "description": "I + W_k = U^{k/H} P^{1/H} U^{-k/H}: the right power shifted by one, so nothing telescopes",
    },
    {
        "id": "p2-layer-product-order",
        "file": CONSTRUCTION,
        "find": "factors = factors[1::2] @ factors[0::2]",
        "replace": "factors = factors[0::2] @ factors[1::2]",
        "description": "the product of the layers taken with the earlier factor on the left",
        "sample": True,
    },
    {
        "id": "p2-layer-norm-frobenius",
        "file": CONSTRUCTION,
        "find": "np.linalg.norm(stack[new_run], ord=2, axis=(1, 2))",
        "replace": "np.linalg.norm(stack[new_run], ord=\"fro\", axis=(1, 2))",
        "description": "the layer norms measured in the Frobenius norm instead of the spectral norm",
    },
    {
        "id": "p2-lower-bound-log-of-distance",
        "file": LOWER_BOUND,
        "find": "np.expm1(np.log1p(distance) / depths)",
        "replace": "np.expm1(np.log(distance) / depths)",
        "description": "bound (ii) with log ||R - I|| instead of log(1 + ||R - I||)",
    },
    {
        "id": "p2-turning-vector-largest-eigenvalue",
        "file": LOWER_BOUND,
        "find": "eigenvectors[..., :, :1]",
        "replace": "eigenvectors[..., :, -1:]",
        "description": "the turning vector built from the eigenvector of the largest eigenvalue, not the smallest",
    },
    {
        "id": "p2-balanced-constant-sign",
        "file": UPPER_BOUNDS,
        "find": "rotation_generator(rotation_form(polar.orthogonal)) + log_positive",
        "replace": "rotation_generator(rotation_form(polar.orthogonal)) - log_positive",
        "description": "K_bal = ||log U - log P|| instead of ||log U + log P||",
        "equivalent": (
            "log U is skew-symmetric and log P symmetric, so (log U + log P)^T = log P - log U = "
            "-(log U - log P); a matrix and its transpose have the same spectral norm, hence "
            "||log U - log P|| = ||log U + log P|| for every R, and every number is unchanged"
        ),
    },
    {
        "id": "p2-log-positive-transpose-forgotten",
        "file": UPPER_BOUNDS,
        "find": "log_positive = (V * np.log(polar.singular_values)) @ V.T",
        "replace": "log_positive = (V * np.log(polar.singular_values)) @ V",
        "description": "log P = V diag(log sigma_i) V formed without the transpose",
    },
    {
        "id": "p2-hardt-ma-factor-two",
        "file": UPPER_BOUNDS,
        "find": "return 2 * (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / _depth(H)",
        "replace": "return (np.sqrt(np.pi) + np.sqrt(3 * gamma)) ** 2 / _depth(H)",
        "description": "Hardt and Ma's constant without its factor 2",
    },
    {
        "id": "p2-hardt-ma-grid-depth-off-by-one",
        "file": UPPER_BOUNDS,
        "find": "ours = np.expm1((gamma + np.pi) / (H - 1))",
        "replace": "ours = np.expm1((gamma + np.pi) / H)",
        "description": "our bound e^{K/(H-1)} - 1 evaluated with H in place of H - 1 on the comparison grid",
    },
    {
        "id": "p2-orthogonal-gap-half-angle",
        "file": SWEEPS,
        "find": "np.cos(s.phi_reference / (2 * s.depths[1:]))",
        "replace": "np.cos(s.phi_reference / s.depths[1:])",
        "description": "the exact ratio 1/cos(phi/(2H)) for orthogonal R taken as 1/cos(phi/H)",
    },
    # The attack round's bugs (second hardening round).
    {
        "id": "p2-angle-grid-quarter-turn",
        "file": LOWER_BOUND,
        "find": "phi = np.linspace(0.0, np.pi, ANGLE_GRID, endpoint=False)",
        "replace": "phi = np.linspace(0.0, np.pi / 2, ANGLE_GRID, endpoint=False)",
        "description": "the directions of the angle certificate span only a quarter turn (pi/2 for pi)",
    },
    {
        "id": "p2-certificate-eigenvector-rows",
        "file": LOWER_BOUND,
        "find": "    for z in eigenvectors[:, eigenvalues.imag > 0].T:\n",
        "replace": "    for z in eigenvectors[eigenvalues.imag > 0]:\n",
        "description": "the invariant planes of the angle certificate built from rows of numpy.linalg.eig's eigenvector matrix instead of its columns",
    },
    {
        "id": "p2-balanced-figure-norms-transpose",
        "file": CONSTRUCTION,
        "find": "positive = (V * np.expm1(np.multiply.outer(exponents, np.log(polar.singular_values)))[:, None, :]) @ V.T",
        "replace": "positive = (V * np.expm1(np.multiply.outer(exponents, np.log(polar.singular_values)))[:, None, :]) @ V",
        "description": "P^{1/H} - I of the closed-form balanced norms (rate figure) with V for V^T",
    },
    {
        "id": "p2-worse-depth-min",
        "file": SWEEPS,
        "find": "balanced_worse_depth=int(np.max(comparison_depths[comparison > 1 + 1e-9], initial=0)),",
        "replace": "balanced_worse_depth=int(np.min(comparison_depths[comparison > 1 + 1e-9], initial=10**9)),",
        "description": "the smallest instead of the largest depth at which the balanced layers exceed the split ones",
    },
    {
        "id": "p2-balanced-split-mean",
        "file": SWEEPS,
        "find": "balanced_split_median=float(np.median(comparison)),",
        "replace": "balanced_split_median=float(np.mean(comparison)),",
        "description": "the 'median' ratio of balanced to split layer norms computed as the mean",
    },
    {
        "id": "p2-balanced-over-split-includes-depth-one",
        "file": SWEEPS,
        "find": "deep = [s.depths >= 2 for s in both]",
        "replace": "deep = [s.depths >= 1 for s in both]",
        "description": "the comparison of the two constructions includes H = 1, where both are R - I",
    },
    {
        "id": "p2-normal-ratio-first-depth",
        "file": SWEEPS,
        "find": "normal_ratio=_largest(s.split_norm[-1] / s.lower[-1] for k, s in sweeps.items() if k in NORMAL_MATRICES),",
        "replace": "normal_ratio=_largest(s.split_norm[0] / s.lower[0] for k, s in sweeps.items() if k in NORMAL_MATRICES),",
        "description": "the ratio to the lower bound 'at the largest depth' read at the first depth ([0] for [-1])",
    },
    {
        "id": "p2-balanced-limit-bound-without-half",
        "file": SWEEPS,
        "find": "/ (np.exp(s.gamma_reference / s.depths[-1]) * s.rate_constant**2 / (2 * s.depths[-1]))",
        "replace": "/ (np.exp(s.gamma_reference / s.depths[-1]) * s.rate_constant**2 / s.depths[-1])",
        "description": "the proved error bound e^{gamma/H} K^2/(2H) of the balanced limit without its 1/2",
    },
    {
        "id": "p2-split-rate-range-off-by-one",
        "file": SWEEPS,
        "find": "split_rate = {k: s.depths >= 1 + s.rate_constant / np.log(2) for k, s in nontrivial.items()}",
        "replace": "split_rate = {k: s.depths >= s.rate_constant / np.log(2) for k, s in nontrivial.items()}",
        "description": "the range H >= 1 + K/ln 2 of the split rate taken as H >= K/ln 2",
    },
    {
        "id": "p2-random-turning-phi-min",
        "file": CHECKS,
        "find": "phi = np.max(np.abs(np.angle(np.linalg.eigvals(left @ right_t))), axis=-1)",
        "replace": "phi = np.min(np.abs(np.angle(np.linalg.eigvals(left @ right_t))), axis=-1)",
        "description": "phi_max of the random matrices of the turning check taken as the smallest angle",
    },
    {
        "id": "p2-turning-ratio-cap-pi",
        "file": CHECKS,
        "find": "return _turning_angles_batched(R, turning_vectors(R)) / np.minimum(phi, np.pi / 2)",
        "replace": "return _turning_angles_batched(R, turning_vectors(R)) / np.minimum(phi, np.pi)",
        "description": "the turning ratio against min(phi_max, pi) instead of min(phi_max, pi/2)",
    },
    {
        "id": "p2-plan-orthogonal-linearised",
        "file": CONSTRUCTION,
        "find": "    orthogonal = 2 * np.sin(phi_max / (2 * (H - h)))\n",
        "replace": "    orthogonal = phi_max / (H - h)\n",
        "description": "the split plan estimates ||U^{1/h} - I|| by phi_max/h instead of 2 sin(phi_max/(2h))",
    },
    {
        "id": "p2-product-error-frobenius",
        "file": CONSTRUCTION,
        "find": "return float(np.linalg.norm(layer_product(layers) - R, 2) / np.linalg.norm(R, 2))",
        "replace": "return float(np.linalg.norm(layer_product(layers) - R) / np.linalg.norm(R, 2))",
        "description": "the product error measured in the Frobenius norm while the text says spectral",
    },
    {
        "id": "p2-construction-bounds-depth-not-minus-one",
        "file": UPPER_BOUNDS,
        "find": "bounds = np.expm1((gamma + phi) / (depths - 1))",
        "replace": "bounds = np.expm1((gamma + phi) / depths)",
        "description": "the split bound e^{K/(H-1)} - 1 drawn as e^{K/H} - 1 (the balanced bound) in the rate figure",
    },
    {
        "id": "p2-root-check-not-reciprocal",
        "file": CHECKS,
        "find": "roots = powers_from_form(form, 1 / np.asarray(root_orders, dtype=float))",
        "replace": "roots = powers_from_form(form, np.asarray(root_orders, dtype=float))",
        "description": "the h-th 'roots' computed as h-th powers",
    },
    {
        "id": "p2-reference-gamma-log-sigma-min",
        "file": CHECKS,
        "find": "gamma = max(np.log(np.linalg.norm(R, 2)), np.log(np.linalg.norm(np.linalg.inv(R), 2)))",
        "replace": "gamma = max(np.log(np.linalg.norm(R, 2)), -np.log(np.linalg.norm(np.linalg.inv(R), 2)))",
        "description": "the reference gamma with log sigma_min = -log ||R^{-1}|| where |log sigma_min| is meant",
    },
    {
        "id": "p2-hardt-ma-range-gamma-polar-strict",
        "file": SWEEPS,
        "find": "hardt_ma_range = {k: s.depths >= 3 * s.gamma_reference for k, s in nontrivial.items()}",
        "replace": "hardt_ma_range = {k: s.depths >= s.gamma_reference for k, s in nontrivial.items()}",
        "description": "Hardt & Ma's range H >= 3 gamma taken as H >= gamma",
    },
    # Second attack round (independent attacker), all six escaped before; now refused by the claim named.
    {
        "id": "p2-gaussian-normalised-by-sqrt-d",
        "file": EXAMPLES,
        "find": "\"gaussian\": _positive_determinant(rng.standard_normal((5, 5))),",
        "replace": "\"gaussian\": _positive_determinant(rng.standard_normal((5, 5)) / np.sqrt(5)),",
        "description": "the 5x5 Gaussian test matrix normalised by sqrt(d) like the large one (the text says Gaussian); "
                       "refused by p2_gaussian_mean_square",
    },
    {
        "id": "p2-haar-sign-fix-dropped",
        "file": EXAMPLES,
        "find": "    Q = Q * np.sign(np.diag(upper))\n",
        "replace": "",
        "description": "the random rotation from QR without fixing the signs of R's diagonal (not Haar-distributed); "
                       "refused by p2_rotation_positive_fraction",
    },
    {
        "id": "p2-turning-columns-scaled",
        "file": CHECKS,
        "find": "R = rng.standard_normal((count, d, d)) * np.exp(rng.uniform(-2, 2, (count, d, 1)))",
        "replace": "R = rng.standard_normal((count, d, d)) * np.exp(rng.uniform(-2, 2, (count, 1, d)))",
        "description": "the random matrices of the turning check with their columns scaled by exp(u), not their rows; "
                       "refused by p2_turning_row_agreement",
    },
    {
        "id": "p2-certificate-grid-endpoint",
        "file": LOWER_BOUND,
        "find": "phi = np.linspace(0.0, np.pi, ANGLE_GRID, endpoint=False)",
        "replace": "phi = np.linspace(0.0, np.pi, ANGLE_GRID)",
        "description": "the certificate's directions include the end pi of the half turn (a repeat of 0), so the grid "
                       "step is pi/(N-1); refused by p2_general_ratio_max (reference sweep with its own grid)",
    },
    {
        "id": "p2-lower-ratio-larger-construction",
        "file": SWEEPS,
        "find": "np.min(np.minimum(s.split_norm, s.balanced_norm) / s.lower) for s in nontrivial.values()",
        "replace": "np.min(np.maximum(s.split_norm, s.balanced_norm) / s.lower) for s in nontrivial.values()",
        "description": "the shortfall below the lower bound measured on the larger of the two constructions' norms; "
                       "refused by p2_lower_shortfall (pinned to the ratios pair by pair)",
    },
    {
        "id": "p2-figure-power-frobenius",
        "file": FIGURES,
        "find": "powers_minus_identity_from_form(form, FIGURE_EXPONENTS), ord=2, axis=(1, 2)",
        "replace": "powers_minus_identity_from_form(form, FIGURE_EXPONENTS), axis=(1, 2)",
        "description": "the distances ||U^alpha - I|| of the orthogonal-power figure in the Frobenius norm "
                       "(numpy's default for axis=(1, 2)); refused by p2_figure_orthogonal_power_deviation",
    },
    # Of the same kinds, written while closing the six above.
    {
        "id": "p2-figure-power-guide-sine",
        "file": FIGURES,
        "find": "left.loglog(FIGURE_EXPONENTS, FIGURE_EXPONENTS * phi_max, color=color, linewidth=0.7)",
        "replace": "left.loglog(FIGURE_EXPONENTS, 2 * np.sin(FIGURE_EXPONENTS * phi_max / 2), color=color, linewidth=0.7)",
        "description": "the guide line of the fact's figure drawn as 2 sin(alpha phi_max / 2) (the distance of the "
                       "top angle) instead of the bound alpha phi_max",
    },
    {
        "id": "p2-gaussian-large-scaled-by-d",
        "file": EXAMPLES,
        "find": "rng.standard_normal((LARGE_DIMENSION, LARGE_DIMENSION)) / np.sqrt(LARGE_DIMENSION)",
        "replace": "rng.standard_normal((LARGE_DIMENSION, LARGE_DIMENSION)) / LARGE_DIMENSION",
        "description": "the large Gaussian test matrix scaled by 1/d instead of 1/sqrt(d) (the text says 1/sqrt d)",
    },
    {
        "id": "p2-figure-lower-curve-copied",
        "file": FIGURES,
        "find": "(\"lower\", r\"lower bound on $\\delta^*_H$\"",
        "replace": "(\"split_norm\", r\"lower bound on $\\delta^*_H$\"",
        "description": "the lower-bound curve of the rate figure drawn from the split layer norms (a copied row of "
                       "the series table)",
    },
]
