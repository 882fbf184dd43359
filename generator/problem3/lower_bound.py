"""Counting cells, and a lower bound on ``P(rank ReLU(W X) < m)`` valid for every ``X``.

``m`` central hyperplanes cut ``R^d0`` into at most :func:`cell_count_bound`
cells; more than ``d0`` of the ``m`` rows of ``W`` in one cell force rank
deficiency, and the chance of that is smallest when the cells are equally
likely (:func:`uniform_overflow_probability`), which gives
:func:`singular_probability_lower_bound`.  Proofs in ``templates/problem3.tex``.
"""

from __future__ import annotations

import math
from fractions import Fraction


def cell_count_bound(hyperplanes: int, d0: int) -> int:
    """``2 sum_{i < d0} C(n - 1, i)``: most cells ``n`` central hyperplanes cut ``R^d0`` into.

    Proved in the text (deconing plus the affine count); attained in general
    position.  With no hyperplane there is one cell.
    """
    if hyperplanes < 0 or d0 < 1:
        raise ValueError("need hyperplanes >= 0 and d0 >= 1")
    if hyperplanes == 0:
        return 1
    return 2 * sum(math.comb(hyperplanes - 1, i) for i in range(d0))


def uniform_overflow_probability(balls: int, bins: int, capacity: int) -> Fraction:
    """``P(some bin receives more than capacity balls)``, balls thrown uniformly.

    Exact: the number of assignments of ``t`` labelled balls to ``n`` bins with
    every load at most ``capacity`` obeys
    ``f_n(t) = sum_{i <= capacity} C(t, i) f_{n-1}(t - i)`` (the first bin takes
    ``i`` balls), which is ``t! [z^t] (sum_{i <= capacity} z^i / i!)^n``.
    """
    if balls < 0 or bins < 1 or capacity < 0:
        raise ValueError("need balls >= 0, bins >= 1, capacity >= 0")
    fitting = [1] + [0] * balls           # f_0(t): only t = 0 fits into no bin
    for _ in range(bins):
        fitting = [sum(math.comb(t, i) * fitting[t - i] for i in range(min(capacity, t) + 1))
                   for t in range(balls + 1)]
    return 1 - Fraction(fitting[balls], bins**balls)


def singular_probability_lower_bound(d0: int, m: int) -> Fraction:
    """Lower bound on ``P(rank ReLU(W X) < m)`` valid for *every* ``X`` (``d0 < m``).

    The rows of ``W`` (i.i.d., with a law giving hyperplanes zero mass) fall
    into ``N <= cell_count_bound(m, d0)`` cells; more than ``d0`` rows in one
    cell force rank deficiency, and the probability of that is smallest for
    ``N`` equally likely cells (proved in the text).
    """
    if not 1 <= d0 < m:
        raise ValueError(f"need 1 <= d0 < m, got d0={d0}, m={m}")
    return uniform_overflow_probability(m, cell_count_bound(m, d0), d0)
