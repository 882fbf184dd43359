"""Realistic bugs in the code behind Problem 2's claims, for ``tests/mutation/run.py``.

Each mutant plants one slip a tired person could make in a function whose
output a claim checks: the normal form and the powers of ``U``
(``orthogonal_powers.py``), the polar factors (``polar.py``), the split and
balanced layers and their product (``construction.py``), the lower bound
(``lower_bound.py``), the constants (``upper_bounds.py``) and the reduction of
the sweeps (``sweeps.py``).  Every one must make the build refuse a claim.
"""

ORTHOGONAL_POWERS = "generator/problem2/orthogonal_powers.py"
POLAR = "generator/problem2/polar.py"
CONSTRUCTION = "generator/problem2/construction.py"
LOWER_BOUND = "generator/problem2/lower_bound.py"
UPPER_BOUNDS = "generator/problem2/upper_bounds.py"
SWEEPS = "generator/problem2/sweeps.py"

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
]
