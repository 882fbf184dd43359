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
CLAIMS = "generator/problem1/claims.py"
FIGURES = "generator/problem1/figures.py"

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

    {
        "id": "p1-descent-norms-frobenius",
        "file": DESCENT,
        "find": "norms = np.linalg.norm(history, ord=2, axis=(2, 3))",
        "replace": "norms = np.linalg.norm(history, ord=\"fro\", axis=(2, 3))",
        "description": "the layer norms along the descent taken in the Frobenius norm instead of the spectral norm",
    },
    {
        "id": "p1-descent-tau-smallest-layer",
        "file": DESCENT,
        "find": "tau = norms.max(axis=1)",
        "replace": "tau = norms.min(axis=1)",
        "description": "tau of each descent iterate taken as its smallest layer norm, not its largest",
    },
    {
        "id": "p1-descent-spread-over-smallest",
        "file": DESCENT,
        "find": "return float(np.max((largest - self.norms[1:].min(axis=1)) / largest))",
        "replace": "return float(np.max((largest - self.norms[1:].min(axis=1)) / self.norms[1:].min(axis=1)))",
        "description": "the relative spread of the layer norms divided by the smallest norm instead of the largest",
    },
    {
        "id": "p1-descent-step-norm-unsquared",
        "file": DESCENT,
        "find": "return 1.0 / (2 * depth * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2)",
        "replace": "return 1.0 / (2 * depth * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2))",
        "description": "the descent step 1/(2 H lambda_max ||R||_2) with ||R||_2 not squared (the text prints ||R||_2^2)",
    },
    {
        "id": "p1-descent-step-lambda-min",
        "file": DESCENT,
        "find": "return 1.0 / (2 * depth * scipy.linalg.eigvalsh(Sxx)[-1] * np.linalg.norm(R, 2) ** 2)",
        "replace": "return 1.0 / (2 * depth * scipy.linalg.eigvalsh(Sxx)[0] * np.linalg.norm(R, 2) ** 2)",
        "description": "the descent step with lambda_min(Sxx) (eigvalsh()[0]) instead of lambda_max ([-1])",
    },
    {
        "id": "p1-pearson-x-not-centred",
        "file": DATA,
        "find": "pearson=_max_normalised_moment(centred_r, centred_x),",
        "replace": "pearson=_max_normalised_moment(centred_r, X),",
        "description": "the 'Pearson correlation' of the residual computed against the uncentred x",
    },
    {
        "id": "p1-quadratic-centring-wrong",
        "file": DATA,
        "find": "quadratic=_max_normalised_moment(r, X**2 - np.mean(X**2, axis=0)),",
        "replace": "quadratic=_max_normalised_moment(r, X**2 - np.mean(X, axis=0) ** 2),",
        "description": "the squares x_j^2 centred by E[x_j]^2 instead of E[x_j^2]",
    },
    {
        "id": "p1-student-t-variance-no-sqrt",
        "file": DATA,
        "find": "rng.standard_t(nu, size=(n, d // 2)) / np.sqrt(nu / (nu - 2))",
        "replace": "rng.standard_t(nu, size=(n, d // 2)) / (nu / (nu - 2))",
        "description": "the Student-t coordinates divided by their variance instead of their standard deviation "
                       "(so not of unit variance, as the text says)",
    },
    {
        "id": "p1-phi-scale-over-d",
        "file": DATA,
        "find": "Phi = scipy.linalg.expm(spec.target_scale * exponent / np.sqrt(d))",
        "replace": "Phi = scipy.linalg.expm(spec.target_scale * exponent / d)",
        "description": "the exponent of Phi scaled by 1/d instead of 1/sqrt(d)",
    },
    {
        "id": "p1-moments-unbiased-sxx",
        "file": OBJECTIVE,
        "find": "    Sxx = X.T @ X / n\n",
        "replace": "    Sxx = X.T @ X / (n - 1)\n",
        "description": "Sxx with the unbiased-covariance denominator n - 1 while Syx and Syy use n",
    },
    {
        "id": "p1-escape-spectral-normalisation",
        "file": COUNTER,
        "find": "    scale = np.linalg.norm(Syx)\n",
        "replace": "    scale = np.linalg.norm(Syx, 2)\n",
        "description": "the escape direction Syx normalised by its spectral norm instead of its Frobenius norm",
    },
    {
        "id": "p1-equality-eigenvector-largest",
        "file": PL,
        "find": "v = V[:, int(np.argmin(np.abs(eigenvalues - lam)))]",
        "replace": "v = V[:, int(np.argmax(np.abs(eigenvalues - lam)))]",
        "description": "the equality instance built on the eigenvector farthest from lambda_+ (argmax for argmin)",
    },
    {
        "id": "p1-printed-constant-sigma-max",
        "file": PL,
        "find": "sigma_min = scipy.linalg.svdvals(np.asarray(Sxx, dtype=float))[-1]",
        "replace": "sigma_min = scipy.linalg.svdvals(np.asarray(Sxx, dtype=float))[0]",
        "description": "sigma_min of the printed (2.3) read from the wrong end of the descending singular values",
    },
    {
        "id": "p1-sweep-dimension-off-by-one",
        "file": SWEEP,
        "find": "dims = np.where(from_data, data_d, rng.integers(1, MAX_DIMENSION + 1, size=count))",
        "replace": "dims = np.where(from_data, data_d, rng.integers(1, MAX_DIMENSION, size=count))",
        "description": "random dimensions of the sweep drawn from 1..4 instead of 1..5 (exclusive upper end)",
    },
    {
        "id": "p1-sweep-largest-fraction-argmin",
        "file": SWEEP,
        "find": "fractions[np.arange(n), np.argmax(fractions, axis=1)] = 1.0",
        "replace": "fractions[np.arange(n), np.argmin(fractions, axis=1)] = 1.0",
        "description": "the smallest instead of the largest layer fraction set to 1 (layer norms no longer <= tau)",
    },
    {
        "id": "p1-descent-excess-transposed",
        "file": DESCENT,
        "find": "excess[t] = np.sum(((M - R) @ root) ** 2)",
        "replace": "excess[t] = np.sum(((M - R).T @ root) ** 2)",
        "description": "the excess loss along the descent with (M - R)^T in place of M - R",
    },
    {
        "id": "p1-upper-bound-rounded-down",
        "file": CLAIMS,
        "find": "at_most(bound), style=\"order\", rounding=\"up\",",
        "replace": "at_most(bound), style=\"order\", rounding=\"down\",",
        "description": "numbers quoted as upper bounds ('at most') printed as the power of ten below instead of above",
    },
    {
        "id": "p1-exponential-scale-two",
        "file": DATA,
        "find": "rng.exponential(1.0, size=(n, (d + 1) // 2)) - 1.0",
        "replace": "rng.exponential(2.0, size=(n, (d + 1) // 2)) - 1.0",
        "description": "the skewed coordinates Exp(1) - 1 drawn with scale 2 (numpy's scale is the mean)",
    },
    {
        "id": "p1-noise-not-absolute",
        "file": DATA,
        "find": "(1.0 + np.abs(X)) * laplace",
        "replace": "(1.0 + X) * laplace",
        "description": "the heteroscedastic noise scaled by 1 + x instead of 1 + |x|",
    },
    {
        "id": "p1-mixing-transposed",
        "file": DATA,
        "find": "X = z @ (np.eye(d) + spec.mixing_scale * mixing).T + 1.0",
        "replace": "X = z @ (np.eye(d) + spec.mixing_scale * mixing) + 1.0",
        "description": "x = T^T z + 1 on row samples (the transpose lost) instead of x = T z + 1",
    },
    {
        "id": "p1-descent-ascent",
        "file": DESCENT,
        "find": "history[t + 1] = history[t] - step * grads",
        "replace": "history[t + 1] = history[t] + step * grads",
        "description": "the descent steps along the gradient instead of against it (it diverges and stops early)",
    },
    {
        "id": "p1-descent-last-layer-gradient",
        "file": DESCENT,
        "find": "grad_sq[t] = np.sum(grads * grads)",
        "replace": "grad_sq[t] = np.sum(grads[-1] * grads[-1])",
        "description": "the squared gradient norm of the PL ratio along the descent taken at the last layer only",
    },
    {
        "id": "p1-sweep-depth-exclusive",
        "file": SWEEP,
        "find": "depths = rng.integers(1, max_depth + 1, size=count)",
        "replace": "depths = rng.integers(1, max_depth, size=count)",
        "description": "the depths of the sweep drawn from 1..max_depth - 1 (exclusive upper end)",
    },
    {
        "id": "p1-sweep-rank-from-zero",
        "file": SWEEP,
        "find": "rank = rng.integers(1, d + 1, size=n)",
        "replace": "rank = rng.integers(0, d + 1, size=n)",
        "description": "the rank of the random moments drawn from 0..d, so that some Sxx vanish",
    },
    {
        "id": "p1-sweep-unit-frobenius",
        "file": SWEEP,
        "find": "unit = G / np.linalg.norm(G, ord=2, axis=(2, 3))[:, :, None, None]",
        "replace": "unit = G / np.linalg.norm(G, axis=(2, 3))[:, :, None, None]",
        "description": "the random layer directions normalised in the Frobenius norm, so the norms are not tau t_k",
    },
    {
        "id": "p1-sweep-scale-range",
        "file": SWEEP,
        "find": "rng.uniform(*SCALE_EXPONENTS, size=n)",
        "replace": "rng.uniform(SCALE_EXPONENTS[0], 0.0, size=n)",
        "description": "log10 c of the random moments drawn from [-2, 0] instead of [-2, 2]",
    },
    {
        "id": "p1-sweep-free-norm-squared-uniform",
        "file": SWEEP,
        "find": "norms = rng.uniform(low, high, size=n)",
        "replace": "norms = low + (high - low) * rng.uniform(0.0, 1.0, size=n) ** 2",
        "description": "the norm of the free layer not uniform on its range (a squared uniform)",
    },
    {
        "id": "p1-sweep-free-layer-never-last",
        "file": SWEEP,
        "find": "free = rng.integers(0, H, size=n)",
        "replace": "free = rng.integers(0, max(H - 1, 1), size=n)",
        "description": "the free layer of the points of V never the last one (unless H = 1)",
    },
    {
        "id": "p1-probe-frobenius",
        "file": CLAIMS,
        "find": "probe = [PROBE_NORM * G / np.linalg.norm(G, 2) for",
        "replace": "probe = [PROBE_NORM * G / np.linalg.norm(G) for",
        "description": "the layers of the probe point normalised in the Frobenius norm, not the spectral norm",
    },
    # Attack round 2 (/work/notes/attack2): realistic bugs not listed before, each with the claim that now refuses it.
    {
        "id": "p1-student-dof-off-by-one",
        "file": DATA,
        "find": "z[:, 1::2] = rng.standard_t(nu, size=(n, d // 2)) / np.sqrt(nu / (nu - 2))",
        "replace": "z[:, 1::2] = rng.standard_t(nu - 1, size=(n, d // 2)) / np.sqrt(nu / (nu - 2))",
        "description": "the Student-t coordinates drawn with nu - 1 degrees of freedom (the t-test habit) "
                       "while scaled for nu (p1_data_student_tail)",
    },
    {
        "id": "p1-mixing-normalised-by-sqrt-d",
        "file": DATA,
        "find": "mixing = rng.standard_normal((d, d))",
        "replace": "mixing = rng.standard_normal((d, d)) / np.sqrt(d)",
        "description": "the Gaussian Gamma_1 of the mixing matrix normalised by sqrt(d) as Phi's exponent is "
                       "(the text says standard Gaussian; p1_data_mixing_chi_square)",
    },
    {
        "id": "p1-normalised-moment-by-variance",
        "file": DATA,
        "find": "scale = np.sqrt(np.outer(np.mean(r * r, axis=0), np.mean(features * features, axis=0)))",
        "replace": "scale = np.sqrt(np.outer(np.mean(r * r, axis=0), np.var(features, axis=0)))",
        "description": "the normalised moment divided by the variance of the feature instead of its "
                       "(uncentred) second moment (p1_residual_mean)",
    },
    {
        "id": "p1-sweep-tau-uncapped",
        "file": SWEEP,
        "find": "tau = rng.uniform(0.0, TAU_HIGH, size=n)",
        "replace": "tau = rng.uniform(0.0, 1.0, size=n)",
        "description": "tau of the sweep drawn uniform on [0, 1) instead of [0, TAU_HIGH] (p1_pl_sweep_tau_largest)",
    },
    {
        "id": "p1-figure-descent-mean-norm",
        "file": FIGURES,
        "find": "ax_norm.plot(steps, path.norms.max(axis=1), color=figstyle.COLORS[0])",
        "replace": "ax_norm.plot(steps, path.norms.mean(axis=1), color=figstyle.COLORS[0])",
        "description": "the right panel of the descent figure draws the mean layer norm, labelled largest "
                       "(p1_figure_descent_deviation)",
    },
    {
        "id": "p1-figure-ratio-to-ours",
        "file": FIGURES,
        "find": "ratio = sweep.lhs[invertible] / sweep.printed[invertible]",
        "replace": "ratio = sweep.lhs[invertible] / sweep.ours[invertible]",
        "description": "the right panel of the PL figure plots the ratio to our right side instead of the printed "
                       "one (p1_figure_pl_deviation)",
    },
    # Round 2, our own: of the same kinds.
    {
        "id": "p1-figure-gap-relative",
        "file": FIGURES,
        "find": "ax_gap.semilogy(steps, path.excess, color=figstyle.COLORS[0])",
        "replace": "ax_gap.semilogy(steps, path.excess / path.excess[0], color=figstyle.COLORS[0])",
        "description": "the left panel of the descent figure draws L - L* relative to its initial value, the "
                       "caption and axis say L - L* (p1_figure_descent_deviation)",
    },
    {
        "id": "p1-figure-sides-printed",
        "file": FIGURES,
        "find": "ax_sides.loglog(sweep.ours[mask], sweep.lhs[mask], marker",
        "replace": "ax_sides.loglog(sweep.printed[mask], sweep.lhs[mask], marker",
        "description": "the left panel of the PL figure puts the printed right side of (2.3) on the horizontal "
                       "axis, labelled with ours (p1_figure_pl_deviation)",
    },
    {
        "id": "p1-sweep-tau-away-from-zero",
        "file": SWEEP,
        "find": "tau = rng.uniform(0.0, TAU_HIGH, size=n)",
        "replace": "tau = rng.uniform(0.05, TAU_HIGH, size=n)",
        "description": "tau of the sweep kept away from 0 (to avoid nearly vanishing layers), the text says "
                       "uniform on [0, TAU_HIGH] (p1_pl_sweep_tau_smallest)",
    },
]
