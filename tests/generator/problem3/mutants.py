"""Realistic bugs in the code behind Problem 3's claims; the build must refuse each (``tests/mutation``).

Every mutant sits in a function that a claim names as its source, or that
such a function calls.  The claims that refuse it compare with an
independent reference: cells listed for a generic arrangement, load profiles,
exact enumeration with the coefficients of the determinant polynomial, exact
distances and boundary probes of the ball, binomial checks against exact
probabilities, the singular value test on every draw, random evaluation.
"""

MUTANTS = [
    {
        "id": "p3-cell-count-binomial-n",
        "file": "generator/problem3/lower_bound.py",
        "find": "math.comb(hyperplanes - 1, i)",
        "replace": "math.comb(hyperplanes, i)",
        "description": "cell count 2 sum C(n, i) instead of 2 sum C(n - 1, i): too many cells, too small bounds",
        "sample": True,
    },
    {
        "id": "p3-overflow-capacity-off-by-one",
        "file": "generator/problem3/lower_bound.py",
        "find": "for i in range(min(capacity, t) + 1))",
        "replace": "for i in range(min(capacity, t)))",
        "description": "a bin may hold one ball fewer than the capacity in the overflow recursion",
    },
    {
        "id": "p3-ball-radius-overstated",
        "file": "generator/problem3/ball.py",
        "find": "radius = max(margins) - 4 * (d0 + 2) * np.finfo(float).eps",
        "replace": "radius = 1.5 * max(margins) - 4 * (d0 + 2) * np.finfo(float).eps",
        "description": "the radius of the rank-deficient ball overstated by half",
        "sample": True,
    },
    {
        "id": "p3-ball-normalised-wrong-axis",
        "file": "generator/problem3/ball.py",
        "find": "units /= np.linalg.norm(units, axis=0)",
        "replace": "units /= np.linalg.norm(units, axis=1, keepdims=True)",
        "description": "columns normalised along the wrong axis: the margins are not distances to the hyperplanes",
    },
    {
        "id": "p3-rado-load-not-strict",
        "file": "generator/problem3/rado.py",
        "find": "violated = np.any(inside & (load > upper), axis=1)",
        "replace": "violated = np.any(inside & (load >= upper), axis=1)",
        "description": "Rado's condition violated already when the rows equal the dimension bound",
    },
    {
        "id": "p3-rado-lower-bound-spurious-term",
        "file": "generator/problem3/rado.py",
        "find": "np.maximum(lower[:, holds], dimension[:, smaller] + gain)",
        "replace": "np.maximum(lower[:, holds], dimension[:, smaller] + gain + 1)",
        "description": "the recursive lower bound on dim V(T) counts one dimension too many",
    },
    {
        "id": "p3-active-set-sign",
        "file": "generator/problem3/rado.py",
        "find": "return (G > 0) & (scale > 0), certain.all(axis=(-2, -1))",
        "replace": "return (G < 0) & (scale > 0), certain.all(axis=(-2, -1))",
        "description": "active sets read with the wrong sign (the antipodal cell)",
    },
    {
        "id": "p3-random-evaluation-mask",
        "file": "generator/problem3/rado.py",
        "find": "M[~active] = 0",
        "replace": "M[active] = 0",
        "description": "random evaluation keeps the inactive columns instead of the active ones",
    },
    {
        "id": "p3-rank-elimination-sign",
        "file": "generator/problem3/ranks.py",
        "find": "        tail -= factors[:, :, None] * rest[:, None, :]\n        np.remainder(tail, prime, out=tail)",
        "replace": "        tail += factors[:, :, None] * rest[:, None, :]\n        np.remainder(tail, prime, out=tail)",
        "description": "modular elimination adds the pivot row instead of subtracting it",
    },
    {
        "id": "p3-planar-bisector",
        "file": "generator/problem3/planar.py",
        "find": "middles = boundaries + widths / 2",
        "replace": "middles = boundaries + widths",
        "description": "active sets of the sectors read at the next ray instead of the bisector",
    },
    {
        "id": "p3-planar-multinomial-dropped",
        "file": "generator/problem3/planar.py",
        "find": "weights = multiplicities * np.exp(counts @ np.log(probabilities))",
        "replace": "weights = np.exp(counts @ np.log(probabilities))",
        "description": "the multinomial coefficient of a multiset of sectors dropped",
    },
    {
        "id": "p3-triangle-constant",
        "file": "generator/problem3/planar.py",
        "find": "+ 18 * p1 * p2 * p3",
        "replace": "+ 6 * p1 * p2 * p3",
        "description": "the closed form for 0 inside the hull with 6 p1 p2 p3 instead of 18 p1 p2 p3",
    },
    {
        "id": "p3-halfplane-square",
        "file": "generator/problem3/planar.py",
        "find": "return 1 - Fraction(3, 2) * s * (1 - s) - 3 * p * p_prime",
        "replace": "return 1 - Fraction(3, 2) * s * (1 - s) - 3 * p * p",
        "description": "the half-plane closed form with 3 p^2 for 3 p p' (invisible when p = p')",
    },
    {
        "id": "p3-pair-complementary-angle",
        "file": "generator/problem3/planar.py",
        "find": "return pair_probability(HALF - turn(X[:, k], X[:, 3 - k - l]))",
        "replace": "return pair_probability(turn(X[:, k], X[:, 3 - k - l]))",
        "description": "the pair formula evaluated at the complementary sector probability",
        "equivalent": "pair_probability(p) = 5/8 - 3 p (1/2 - p) is symmetric under p -> 1/2 - p, so the"
        " value is the same for every X",
    },
    {
        "id": "p3-standard-error-inflated",
        "file": "generator/problem3/features.py",
        "find": "return math.sqrt(frequency * (1.0 - frequency) / samples)",
        "replace": "return math.sqrt(25 * frequency * (1.0 - frequency) / samples)",
        "description": "the Monte Carlo standard error inflated fivefold",
    },
    {
        "id": "p3-rank-bound-maximum",
        "file": "generator/problem3/ball.py",
        "find": "return np.sum(np.minimum(loads, dimensions[None, :]), axis=1)",
        "replace": "return np.sum(np.maximum(loads, dimensions[None, :]), axis=1)",
        "description": "the active-set rank bound with max(n_S, d_S) instead of min(n_S, d_S)",
    },
    {
        "id": "p3-singular-ratio-index",
        "file": "generator/problem3/features.py",
        "find": "smallest = singular_values[..., -1]",
        "replace": "smallest = singular_values[..., -2]",
        "description": "the second smallest singular value taken for the smallest",
    },
    # Attack round (issue 12): realistic bugs that escaped the first suite.
    {
        "id": "p3-standard-error-sqrt-misplaced",
        "file": "generator/problem3/features.py",
        "find": "return math.sqrt(frequency * (1.0 - frequency) / samples)",
        "replace": "return math.sqrt(frequency * (1.0 - frequency)) / samples",
        "description": "the binomial standard error sqrt(p(1-p))/n instead of sqrt(p(1-p)/n)",
    },
    {
        "id": "p3-sigmoid-upper-level-swapped",
        "file": "generator/problem3/claims.py",
        "find": "sweep.sigmoid_upper[d0] = (1 - (1 - CONFIDENCE) ** (1 / SIGMOID_SAMPLES)",
        "replace": "sweep.sigmoid_upper[d0] = (1 - CONFIDENCE ** (1 / SIGMOID_SAMPLES)",
        "description": "the 95% upper confidence bound for 0 of n computed with 0.95 where 0.05 belongs",
    },
    {
        "id": "p3-random-error-bound-rows",
        "file": "generator/problem3/experiments.py",
        "find": "self.random_error_bound += len(multisets) * X.shape[1] / PRIME",
        "replace": "self.random_error_bound += len(multisets) * X.shape[0] / PRIME",
        "description": "the Schwartz-Zippel bound m/p per evaluation with d0 (X.shape[0]) in place of m (X.shape[1])",
    },
    {
        "id": "p3-smallest-sector-max",
        "file": "generator/problem3/experiments.py",
        "find": "self.smallest_sector = min(self.smallest_sector, float(np.min(table.probabilities)))",
        "replace": "self.smallest_sector = min(self.smallest_sector, float(np.max(table.probabilities)))",
        "description": "the narrowest sector of a planar table taken as np.max of the sector probabilities",
    },
    {
        "id": "p3-ball-perturbation-global-norm",
        "file": "generator/problem3/ball.py",
        "find": "E *= (radius * rng.random(draws) / np.linalg.norm(E, axis=(1, 2)))[:, None, None]",
        "replace": "E *= (radius * rng.random(draws) / np.linalg.norm(E))[:, None, None]",
        "description": "the perturbations of the ball check normalised by the norm of the whole stack, not of each"
        " draw (so every W' lies deep inside the ball)",
    },
    {
        "id": "p3-halfspace-first-row-from-zero",
        "file": "generator/problem3/data.py",
        "find": "Z[0] = rng.integers(1, bound + 1, size=columns)",
        "replace": "Z[0] = rng.integers(0, bound + 1, size=columns)",
        "description": "the first row of the half-space family drawn from {0..5}: columns on the boundary x_1 = 0"
        " allowed",
    },
    {
        "id": "p3-z-score-estimated-se",
        "file": "generator/problem3/claims.py",
        "find": "    spread = math.sqrt(p * (1 - p) / samples)\n",
        "replace": "    spread = math.sqrt(frequency * (1 - frequency) / samples)\n",
        "description": "the z-score with the standard error estimated from the frequency instead of the exact p",
    },
    {
        "id": "p3-crosscheck-strict-d0",
        "file": "generator/problem3/claims.py",
        "find": "crosscheck=RELU_SAMPLES if d0 >= 3 else None)",
        "replace": "crosscheck=RELU_SAMPLES if d0 > 3 else None)",
        "description": "d0 = 3 left out of the draws fully decided by the singular value test (> for >=)",
    },
    {
        "id": "p3-sector-probability-over-pi",
        "file": "generator/problem3/planar.py",
        "find": "return widths / (2 * np.pi), active, bisectors",
        "replace": "return widths / np.pi, active, bisectors",
        "description": "sector probabilities as angle/pi instead of angle/(2 pi)",
    },
    {
        "id": "p3-ray-merge-disabled",
        "file": "generator/problem3/planar.py",
        "find": "keep = np.concatenate([[True], np.diff(boundaries) > RAY_MERGE_TOL])",
        "replace": "keep = np.concatenate([[True], np.diff(boundaries) > 0])",
        "description": "rays equal up to rounding not merged (threshold 0 instead of RAY_MERGE_TOL)",
    },
    {
        "id": "p3-relu-draws-count-multisets",
        "file": "generator/problem3/experiments.py",
        "find": "        self.draws += samples\n",
        "replace": "        self.draws += len(multisets)\n",
        "description": "the number of ReLU draws decided counted as distinct multisets instead of draws",
    },
    {
        "id": "p3-certified-gamma-of-m",
        "file": "generator/problem3/rado.py",
        "find": "certain = (np.abs(G) > 2 * _gamma(X.shape[0]) * scale) | (scale == 0)",
        "replace": "certain = (np.abs(G) > 2 * _gamma(X.shape[1]) * scale) | (scale == 0)",
        "description": "the sign certificate with gamma_m (columns) instead of gamma_{d0} (a dot product of d0 terms)",
        "equivalent": "gamma_m >= gamma_{d0} since m > d0, so the certificate only becomes more conservative; it"
        " changes a result only if some |fl(w^T x)| falls in (2 gamma_{d0} s, 2 gamma_m s], which would raise"
        " uncertified_signs above 0 (a claim == 0); with the fixed seeds no draw does, and every claim is"
        " bit-identical",
    },
    {
        "id": "p3-line-probability-non-strict",
        "file": "generator/problem3/planar.py",
        "find": "    if X.shape[1] >= 3:\n        return Fraction(1)\n",
        "replace": "    if X.shape[1] > 3:\n        return Fraction(1)\n",
        "description": "the scalar closed form returns 1 only for m > 3 (m = 3 falls into the m = 2 branch)",
        "equivalent": "line_singular_probability is called by run() only with m = 2 (the exact case x = (1, -1))"
        " and m = 6 (the d0 = 1 rows of the sweep); the m = 3 branch it changes is never reached, so every"
        " claim is unchanged (tests/generator/problem3/test_planar.py::test_line_probabilities catches it)",
    },
    {
        "id": "p3-sigmoid-upper-figure-alpha",
        "file": "generator/problem3/claims.py",
        "find": "sweep.sigmoid_upper[d0] = (1 - (1 - CONFIDENCE) ** (1 / SIGMOID_SAMPLES) if singular == 0",
        "replace": "sweep.sigmoid_upper[d0] = ((1 - CONFIDENCE) ** (1 / SIGMOID_SAMPLES) if singular == 0",
        "description": "the sigmoid upper confidence bound of the frequency figure as 0.05^(1/n) instead of"
        " 1 - 0.05^(1/n) (the value plotted is the claim p3_sigmoid_upper)",
    },
    # Bugs in the samplers, refused by the claims on the law the text states.
    {
        "id": "p3-data-upper-bound-exclusive",
        "file": "generator/problem3/data.py",
        "find": "rng.integers(-bound, bound + 1, size=(d0, columns))",
        "replace": "rng.integers(-bound, bound, size=(d0, columns))",
        "description": "the data entries drawn from {-B, ..., B-1}: numpy's upper bound is exclusive",
    },
    {
        "id": "p3-ball-reach-volume-law",
        "file": "generator/problem3/ball.py",
        "find": "radius * rng.random(draws) /",
        "replace": "radius * np.sqrt(rng.random(draws)) /",
        "description": "the distances of the ball check drawn with the law of a uniform point in a disc, not"
        " uniform on [0, r) as the text says",
    },
    {
        "id": "p3-sigmoid-weights-uniform",
        "file": "generator/problem3/features.py",
        "find": "W = _generator(rng).standard_normal((samples, X.shape[1], X.shape[0]))",
        "replace": "W = _generator(rng).random((samples, X.shape[1], X.shape[0])) - 0.5",
        "description": "the sampled W uniform on [-1/2, 1/2) instead of standard normal (the sigmoid draws are"
        " checked only against a recomputation on the same W otherwise)",
    },
    # Attack round 2: bugs tried independently of this suite (four refused as they stood, two in the figures).
    {
        "id": "p3-seed-streams-not-advanced",
        "file": "generator/problem3/experiments.py",
        "find": "return np.random.default_rng((SEED, next(seeds)))",
        "replace": "return np.random.default_rng(SEED)",
        "description": "every stream seeded with the root seed alone: all experiments draw the same numbers",
    },
    {
        "id": "p3-sigmoid-as-tanh",
        "file": "generator/problem3/features.py",
        "find": "        return expit(G)\n",
        "replace": "        return np.tanh(G)\n",
        "description": "the 'sigmoid' activation implemented as tanh",
    },
    {
        "id": "p3-full-min-argmax",
        "file": "generator/problem3/experiments.py",
        "find": "k = int(np.flatnonzero(~head)[np.argmin(ratios[~head])])",
        "replace": "k = int(np.flatnonzero(~head)[np.argmax(ratios[~head])])",
        "description": "the draw kept as the smallest nonsingular ratio of a batch taken with argmax",
    },
    {
        "id": "p3-line-data-abs-forgotten",
        "file": "generator/problem3/data.py",
        "find": "return len(np.unique(np.abs(X))) == X.shape[1]",
        "replace": "return len(np.unique(X)) == X.shape[1]",
        "description": "scalar data accepted with a pair x, -x: distinct values checked instead of distinct"
        " absolute values",
    },
    {
        "id": "p3-figure-disc-radius-inverted",
        "file": "generator/problem3/claims.py",
        "find": "perturbed = ball_W + 0.6 * ball_radius * np.column_stack",
        "replace": "perturbed = ball_W + 0.6 / ball_radius * np.column_stack",
        "description": "the W' of the cells figure placed at 0.6/epsilon from the centre instead of 0.6 epsilon"
        " (outside the disc drawn)",
    },
    {
        "id": "p3-figure-error-bars-wrong-n",
        "file": "generator/problem3/claims.py",
        "find": "sweep.relu_se[family].append(standard_error(frequency, RELU_SAMPLES))",
        "replace": "sweep.relu_se[family].append(standard_error(frequency, EXACT_SAMPLES))",
        "description": "the error bars of the frequency figure with the sample size of the exact cases"
        " instead of the sweep's",
    },
    # Further bugs of the same kinds: figures that draw the wrong array, axis or guide, and a sampler's law.
    {
        "id": "p3-figure-bound-wrong-m",
        "file": "generator/problem3/claims.py",
        "find": "bound_curve = [float(sweep.bound[(d0, FIGURE_M)]) for d0 in WIDTHS]",
        "replace": "bound_curve = [float(singular_probability_lower_bound(d0, FIGURE_M + 1)) for d0 in WIDTHS]",
        "description": "the lower-bound curve of the frequency figure evaluated at m + 1 data points",
    },
    {
        "id": "p3-figure-sector-half-angle",
        "file": "generator/problem3/figures.py",
        "find": "arc = np.linspace(middle - np.pi * probability, middle + np.pi * probability, 16)",
        "replace": "arc = np.linspace(middle - np.pi * probability / 2, middle + np.pi * probability / 2, 16)",
        "description": "each sector of the cells figure drawn with half its angle (pi p instead of 2 pi p)",
    },
    {
        "id": "p3-figure-exact-line-wrong-axis",
        "file": "generator/problem3/figures.py",
        "find": "normal = X[:, j] / np.linalg.norm(X[:, j])\n            direction = np.array([-normal[1], normal[0]])",
        "replace": "normal = X[:, j] / np.linalg.norm(X[:, j])\n            direction = np.array([normal[1], normal[0]])",
        "description": "the line w^T x_j = 0 of the cells figure drawn along the reflected column, not perpendicular"
        " to it",
    },
    {
        "id": "p3-lemma-weights-one-sided",
        "file": "generator/problem3/claims.py",
        "find": "W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND + 1, size=(LEMMA_DRAWS, m, d0)).astype(float)",
        "replace": "W = stream().integers(0, ENTRY_BOUND + 1, size=(LEMMA_DRAWS, m, d0)).astype(float)",
        "description": "the integer weights of the rank-lemma check drawn from {0, ..., B} instead of {-B, ..., B}",
    },
    {
        "id": "p3-relu-weights-uniform-unit-variance",
        "file": "generator/problem3/experiments.py",
        "find": "W = rng.standard_normal((samples, X.shape[1], X.shape[0]))",
        "replace": "W = rng.uniform(-math.sqrt(3), math.sqrt(3), (samples, X.shape[1], X.shape[0]))",
        "description": "the ReLU draws uniform with unit variance instead of standard normal (mean and variance"
        " right, the law not rotation invariant)",
    },
    {
        "id": "p3-lemma-weights-upper-exclusive",
        "file": "generator/problem3/claims.py",
        "find": "W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND + 1, size=(LEMMA_DRAWS, m, d0)).astype(float)",
        "replace": "W = stream().integers(-ENTRY_BOUND, ENTRY_BOUND, size=(LEMMA_DRAWS, m, d0)).astype(float)",
        "description": "the integer weights of the rank-lemma check never take the value B (exclusive upper end)",
    },
    {
        "id": "p3-ball-direction-uniform-cube",
        "file": "generator/problem3/ball.py",
        "find": "E = rng.standard_normal((draws, *W.shape))",
        "replace": "E = rng.random((draws, *W.shape))",
        "description": "the perturbations of the ball check drawn from the unit cube: directions not uniform on the"
        " sphere (all entries positive)",
    },
    {
        "id": "p3-ball-direction-same-row",
        "file": "generator/problem3/ball.py",
        "find": "E = rng.standard_normal((draws, *W.shape))",
        "replace": "E = np.broadcast_to(rng.standard_normal((draws, 1, W.shape[1])), (draws, *W.shape)).copy()",
        "description": "one Gaussian row repeated for every row of the perturbation: W' moves only along W_star's"
        " own rank-one directions",
    },
    {
        "id": "p3-regular-triangle-angle-typo",
        "file": "generator/problem3/data.py",
        "find": "angles = np.deg2rad([90.0, 210.0, 330.0])",
        "replace": "angles = np.deg2rad([90.0, 210.0, 300.0])",
        "description": "one angle of the regular triangle typed 300 instead of 330 degrees (every probability of"
        " the triangle moves consistently; only its stated form can tell)",
    },
]
