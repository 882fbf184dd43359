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
]
