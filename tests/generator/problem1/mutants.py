"""Realistic bugs in the functions that Problem 1's claims name, for ``tests/mutation/run.py --problem 1``.

Each entry replaces one exact piece of source (it occurs once in its file) with
the slip a tired person might make: a lost transpose, a factor on the wrong
side, a dropped square root, the printed exponent for ours, an off-by-one.
The build must refuse every one of them by naming a claim.
"""

OBJECTIVE = "generator/problem1/objective.py"
PL = "generator/problem1/pl_inequality.py"
SWEEP = "generator/problem1/sweep.py"
COUNTER = "generator/problem1/counterexamples.py"
DESCENT = "generator/problem1/descent.py"
DATA = "generator/problem1/data.py"

MUTANTS = [
    {
        "id": "p1-gradient-missing-transpose",
        "file": OBJECTIVE,
        "find": "return M, [2.0 * M_above.T @ G @ M_below.T for",
        "replace": "return M, [2.0 * M_above @ G @ M_below.T for",
        "description": "the left factor of the gradient without its transpose: M_{>k} instead of M_{>k}^T",
        "sample": True,
    },
    {
        "id": "p1-suffix-product-wrong-side",
        "file": OBJECTIVE,
        "find": "above.append(above[-1] + above[-1] @ W)",
        "replace": "above.append(above[-1] + W @ above[-1])",
        "description": "the suffix products M_{>k} multiplied on the wrong side (reversed factor order)",
    },
    {
        "id": "p1-end-to-end-reversed",
        "file": OBJECTIVE,
        "find": "        M = M + W @ M\n",
        "replace": "        M = M + M @ W\n",
        "description": "the end-to-end product built in the reverse order, (I + W_1) ... (I + W_H)",
    },
    {
        "id": "p1-loss-cross-term-factor",
        "file": OBJECTIVE,
        "find": "- 2.0 * np.sum(Syx * M) + Syy)",
        "replace": "- np.sum(Syx * M) + Syy)",
        "description": "the cross term -2 tr(Syx M^T) of the moment form of the loss without its factor 2",
        "sample": True,
    },
    {
        "id": "p1-excess-without-square-root",
        "file": OBJECTIVE,
        "find": "scaled = (M - R) @ V * np.sqrt(np.clip(eigenvalues, 0.0, None))",
        "replace": "scaled = (M - R) @ V * np.clip(eigenvalues, 0.0, None)",
        "description": "the excess loss as ||(M - R) Sxx||_F^2: the square root of Sxx forgotten",
    },
    {
        "id": "p1-forward-pass-transpose",
        "file": OBJECTIVE,
        "find": "hidden = hidden + hidden @ W.T",
        "replace": "hidden = hidden + hidden @ W",
        "description": "the forward pass on row samples multiplies by W instead of W^T",
    },
    {
        "id": "p1-second-moments-swapped",
        "file": OBJECTIVE,
        "find": "return (Sxx + Sxx.T) / 2, Y.T @ X / n,",
        "replace": "return (Sxx + Sxx.T) / 2, X.T @ Y / n,",
        "description": "Sxy = E[x y^T] returned in place of Syx = E[y x^T]",
    },
    {
        "id": "p1-smallest-positive-without-tolerance",
        "file": OBJECTIVE,
        "find": "positive = eigenvalues[eigenvalues > cutoff]",
        "replace": "positive = eigenvalues[eigenvalues > 0]",
        "description": "lambda_+ taken as the smallest eigenvalue above 0, which for singular Sxx may be "
                       "a rounding error",
    },
    {
        "id": "p1-printed-order-corrected",
        "file": OBJECTIVE,
        "find": "for W in reversed(layers[k + 1:]):  # (I + W_H)^T first",
        "replace": "for W in layers[k + 1:]:  # (I + W_H)^T first",
        "description": "Lemma 2.4 of Hardt & Ma 'as printed' silently computed in the correct order on the left",
    },
    {
        "id": "p1-pl-constant-printed-exponent",
        "file": PL,
        "find": "return 4.0 * depth * (1.0 - tau) ** (2 * (depth - 1)) * smallest_positive_eigenvalue(Sxx)",
        "replace": "return 4.0 * depth * (1.0 - tau) ** (depth - 1) * smallest_positive_eigenvalue(Sxx)",
        "description": "the PL constant with the exponent H - 1 of the printed (2.3) instead of 2(H - 1)",
    },
    {
        "id": "p1-printed-constant-unsquared",
        "file": PL,
        "find": "return 4.0 * depth * (1.0 - tau) ** (depth - 1) * sigma_min**2",
        "replace": "return 4.0 * depth * (1.0 - tau) ** (depth - 1) * sigma_min",
        "description": "the constant of the printed (2.3) with sigma_min(Sxx) instead of its square",
    },
    {
        "id": "p1-threshold-exponent-off-by-one",
        "file": PL,
        "find": "return max(float(scipy.linalg.eigvalsh(Sxx)[0]), 0.0) / (1.0 - tau) ** (depth - 1)",
        "replace": "return max(float(scipy.linalg.eigvalsh(Sxx)[0]), 0.0) / (1.0 - tau) ** depth",
        "description": "the threshold rho with (1 - tau)^H instead of (1 - tau)^{H-1}",
    },
    {
        "id": "p1-pl-ratios-smallest-norm",
        "file": PL,
        "find": "tau = float(np.max(layer_norms(layers)))",
        "replace": "tau = float(np.min(layer_norms(layers)))",
        "description": "tau of a point taken as the smallest layer norm instead of the largest",
    },
    {
        "id": "p1-equality-instance-power",
        "file": PL,
        "find": "R = (1.0 - tau) ** depth * np.eye(d) - E",
        "replace": "R = (1.0 - tau) ** (depth - 1) * np.eye(d) - E",
        "description": "the equality instance with R = (1 - tau)^{H-1} I - E, so M - R is no longer E",
    },
    {
        "id": "p1-sweep-ours-printed-exponent",
        "file": SWEEP,
        "find": "ours = np.where(inside, 4.0 * H * (1.0 - tau) ** (2 * (H - 1)) * lam_plus * excess, np.nan)",
        "replace": "ours = np.where(inside, 4.0 * H * (1.0 - tau) ** (H - 1) * lam_plus * excess, np.nan)",
        "description": "the batched right side of the PL inequality with the exponent H - 1",
    },
    {
        "id": "p1-sweep-rank-cutoff-zero",
        "file": SWEEP,
        "find": "positive = eigenvalues > cutoff[:, None]",
        "replace": "positive = eigenvalues > 0",
        "description": "eigenvalues at rounding level counted as positive: singular Sxx taken for invertible",
    },
    {
        "id": "p1-sweep-shrink-unsquared",
        "file": SWEEP,
        "find": "shrink = (1.0 - np.minimum(norms, 1.0)) ** 2",
        "replace": "shrink = 1.0 - np.minimum(norms, 1.0)",
        "description": "the per-layer bound with the factors 1 - ||W_j||_2 not squared",
    },
    {
        "id": "p1-escape-second-layer-sign",
        "file": COUNTER,
        "find": "moved[1] = moved[1] + t * np.eye(d)",
        "replace": "moved[1] = moved[1] + t * sign * np.eye(d)",
        "description": "both layers moved with the sign, so both escape paths give the same product",
    },
    {
        "id": "p1-boundary-second-layer",
        "file": COUNTER,
        "find": "    layers[1] = -np.eye(dimension)\n",
        "replace": "    layers[1] = np.eye(dimension)\n",
        "description": "the boundary point with W_2 = I instead of -I (still M = 0, but not critical)",
    },
    {
        "id": "p1-last-layer-identity-first-layer",
        "file": COUNTER,
        "find": "left = float(np.sum(gradients(layers, Sxx, zero)[-1] * (np.eye(Sxx.shape[0]) + layers[-1])))",
        "replace": "left = float(np.sum(gradients(layers, Sxx, zero)[0] * (np.eye(Sxx.shape[0]) + layers[-1])))",
        "description": "the identity evaluated with the gradient of the first layer instead of the last",
    },
    {
        "id": "p1-singular-example-slope",
        "file": COUNTER,
        "find": "return np.diag([m, 0.0]), np.diag([slope * m, 0.0]), slope * slope * m",
        "replace": "return np.diag([m, 0.0]), np.diag([m, 0.0]), slope * slope * m",
        "description": "the cross moment of the singular example without the slope",
    },
    {
        "id": "p1-descent-spread-includes-start",
        "file": DESCENT,
        "find": "return float(np.max((largest - self.norms[1:].min(axis=1)) / largest))",
        "replace": "return float(np.max((largest - self.norms[:-1].min(axis=1)) / largest))",
        "description": "the spread of the layer norms compares iterate s with the smallest norm of iterate s - 1",
    },
    {
        "id": "p1-residual-orthogonality-centred",
        "file": DATA,
        "find": "orthogonality=_max_normalised_moment(r, X),",
        "replace": "orthogonality=_max_normalised_moment(r, X - X.mean(axis=0)),",
        "description": "orthogonality measured against the centred x, which is correlation, not orthogonality",
    },
]
