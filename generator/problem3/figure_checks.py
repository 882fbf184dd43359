"""What the two figures of Problem 3 must show, computed independently of the arrays they were given.

:func:`cells_figure_deviation` and :func:`frequency_figure_deviation` compare
what a figure drew (:func:`generator.figstyle.drawn`, in drawing order) with
what its caption says it shows, recomputed from the data matrices and the
closed forms: the lines ``w^T x_j = 0``, the sectors and their angles, the
disc of radius the distance of its centre from the nearest line, the rows of
``W'`` inside that disc; the ReLU frequencies as claimed, their error bars of
two binomial standard errors, the exact values by a second sum, the lower
bound and the sigmoid's Clopper--Pearson bound.  A missing or extra artist, or
one with another number of points, is an infinite deviation.
"""

from __future__ import annotations

import math

import numpy as np

from generator.problem3.lower_bound import cell_count_bound
from generator.problem3.references import (
    brute_force_singular_probability,
    enumerated_probability_reference,
    exact_hyperplane_distances,
    line_cells,
    overflow_probability_by_partitions,
    planar_sectors_reference,
)


def _difference(drawn: np.ndarray, expected) -> float:
    """Largest absolute difference of two point arrays (infinite if their shapes differ)."""
    expected = np.asarray(expected, dtype=float).reshape(-1, 2)
    if drawn.shape != expected.shape:
        return math.inf
    return float(np.max(np.abs(drawn - expected))) if drawn.size else 0.0


def _sector_summary(points: np.ndarray, radius: float) -> tuple[float, np.ndarray] | None:
    """Angle and unit bisector of a drawn sector: the first and last of its points on the circle of ``radius``."""
    rim = points[np.abs(np.hypot(points[:, 0], points[:, 1]) - radius) <= 1e-9 * radius]
    if len(rim) < 2:
        return None
    a, b = rim[0], rim[-1]
    angle = math.atan2(a[0] * b[1] - a[1] * b[0], a @ b) % (2 * math.pi)
    middle = a / np.linalg.norm(a) + b / np.linalg.norm(b)
    return angle, middle / np.linalg.norm(middle)


def cells_figure_deviation(drawn: list[np.ndarray], X, full_rank_W, centre, reach: float) -> float:
    """Largest deviation of the cells figure from its caption.

    Drawn in order: the line ``w^T x_j = 0`` of every column (from ``-2 reach`` to
    ``2 reach`` along ``(-x_2, x_1) / |x_j|``); the circle around ``centre`` whose
    radius is the exact distance of ``centre`` from the nearest line; the radius
    to its right; the centre; the rows of ``W'`` (their excess distance outside
    that disc); the rows of ``W_0`` (``full_rank_W``); an empty legend line; one
    polygon per sector, whose angle must be that of the sector of
    :func:`planar_sectors_reference` with the active set read at its bisector;
    two empty legend polygons.
    """
    X = np.asarray(X, dtype=float)
    centre = np.asarray(centre, dtype=float)
    radius = float(np.min(exact_hyperplane_distances(centre, X)))
    sectors = planar_sectors_reference(X)
    expected_count = X.shape[1] + 6 + len(sectors) + 2
    if len(drawn) != expected_count:
        return math.inf
    deviation = 0.0
    for j in range(X.shape[1]):
        direction = np.array([-X[1, j], X[0, j]]) / math.hypot(X[0, j], X[1, j])
        deviation = max(deviation, _difference(drawn[j], np.outer([-2 * reach, 2 * reach], direction)))
    circle, edge, mark, perturbed, rows, empty = drawn[X.shape[1]: X.shape[1] + 6]
    if len(circle) < 16 or len(perturbed) != X.shape[1]:
        return math.inf
    deviation = max(deviation, float(np.max(np.abs(np.linalg.norm(circle - centre, axis=1) - radius))))
    deviation = max(deviation, _difference(edge, [centre, centre + [radius, 0.0]]), _difference(mark, [centre]))
    deviation = max(deviation, float(np.max(np.linalg.norm(perturbed - centre, axis=1))) - radius, 0.0)
    deviation = max(deviation, _difference(rows, full_rank_W), _difference(empty, np.empty((0, 2))))
    angles = {active: angle for angle, active in sectors}
    for polygon in drawn[X.shape[1] + 6: X.shape[1] + 6 + len(sectors)]:
        summary = _sector_summary(polygon, 2 * reach)
        if summary is None:
            return math.inf
        angle, bisector = summary
        active = tuple(bool(bisector @ X[:, j] > 0) for j in range(X.shape[1]))
        if active not in angles:
            return math.inf
        deviation = max(deviation, abs(angle - angles[active]))
    for polygon in drawn[-2:]:
        deviation = max(deviation, _difference(polygon, np.empty((0, 2))))
    return deviation


def exact_reference(X, table=None) -> float:
    """The exact probability of rank deficiency of one data matrix of the figure, by a second computation.

    ``d0 = 1``: the sum over all assignments of the rows to the two half-lines;
    ``d0 = 2``: the sum of the planar enumeration ``table`` with sector
    probabilities from the lines themselves.
    """
    if X.shape[0] == 1:
        return float(brute_force_singular_probability(X, line_cells(X))[0])
    return enumerated_probability_reference(X, table.active, table.multisets, table.deficient)


def frequency_figure_deviation(drawn: list[np.ndarray], widths, offsets: dict, frequencies: dict, exact: dict,
                               samples: int, m: int, sigmoid_samples: int, confidence: float) -> float:
    """Largest deviation of the frequency figure from its caption (relative, on the logarithmic panel).

    Left panel, per family: the frequencies (``frequencies[family][d0]``, the
    claimed values) at ``d0 + offset``, their error bars
    ``+-2 sqrt(p (1 - p) / samples)`` (lower and upper caps, then the bars), the
    exact values ``exact[family]`` (``d0 -> value``); an empty legend line.  Right
    panel: the lower bound ``P(some of the N_m = 2 sum_{i<d0} C(m-1, i) cells gets
    more than d0 rows)``, and at every ``d0 >= 2`` the one-sided bound
    ``1 - (1 - confidence)^(1/n)`` of zero singular draws in ``n``, drawn as a
    downward arrow of length ``0.7`` of it.
    """
    families = list(frequencies)
    widths = [int(d) for d in widths]
    left, right = [], []
    bars = []
    for family in families:
        x = np.array(widths) + offsets[family]
        p = np.array([frequencies[family][d] for d in widths])
        spread = 2 * np.sqrt(p * (1 - p) / samples)
        left += [np.column_stack([x, p]), np.column_stack([x, p - spread]), np.column_stack([x, p + spread])]
        bars.append(np.column_stack([np.repeat(x, 2), np.ravel(np.column_stack([p - spread, p + spread]))]))
        points = sorted(exact[family].items())
        left.append(np.array([[d + offsets[family], v] for d, v in points]).reshape(-1, 2))
    left.append(np.empty((0, 2)))
    lines = [left[4 * i + k] for i in range(len(families)) for k in range(4)] + [left[-1]]
    bound = [float(overflow_probability_by_partitions(m, cell_count_bound(m, d), d)) for d in widths]
    upper = -math.expm1(math.log1p(-confidence) / sigmoid_samples)
    sigmoid_x = np.array([d for d in widths if d >= 2], dtype=float)
    sigmoid = np.column_stack([sigmoid_x, np.full(sigmoid_x.size, upper)])
    low = np.column_stack([sigmoid_x, np.full(sigmoid_x.size, 0.3 * upper)])
    right = [np.column_stack([widths, bound]), sigmoid, low, sigmoid,
             np.column_stack([np.repeat(sigmoid_x, 2), np.ravel(np.column_stack([low[:, 1], sigmoid[:, 1]]))])]
    expected_left = lines + bars
    if len(drawn) != len(expected_left) + len(right):
        return math.inf
    deviation = max(_difference(a, b) for a, b in zip(drawn, expected_left))
    for a, b in zip(drawn[len(expected_left):], right):
        if a.shape != b.shape or np.any(a[:, 1] <= 0):
            return math.inf
        deviation = max(deviation, float(np.max(np.abs(a[:, 0] - b[:, 0]))),
                        float(np.max(np.abs(np.log(a[:, 1] / b[:, 1])))))
    return deviation
