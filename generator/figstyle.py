"""The one figure style: sizes, fonts and deterministic vector output.

Every figure is a vector PDF whose text is set in Computer Modern (the
document uses Latin Modern, its Type 1 descendant) with TrueType embedding
(``pdf.fonttype = 42``), so no Type 3 font reaches the PDF.  Sizes are given
as fractions of the document's text width, which ``templates/solutions.tex``
fixes to :data:`generator.layout.TEXT_WIDTH_IN` through ``geometry``; figures are included at
their natural size, so 8 pt figure text stays 8 pt on paper.

Output is byte-reproducible: no creation date, no producer version, and
``hashsalt`` fixed for the SVG-style ids matplotlib would otherwise randomise.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("pdf")

import matplotlib.collections  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

from generator.layout import TEXT_WIDTH_IN  # noqa: E402  (after choosing the backend)

STYLE = {
    "font.family": "serif",
    "font.serif": ["cmr10"],
    "mathtext.fontset": "cm",
    "axes.formatter.use_mathtext": True,
    "axes.unicode_minus": False,
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "lines.linewidth": 1.0,
    "lines.markersize": 3,
    "axes.linewidth": 0.6,
    "grid.linewidth": 0.4,
    "grid.alpha": 0.35,
    "axes.grid": True,
    "legend.frameon": False,
    "pdf.fonttype": 42,
    "svg.hashsalt": "tdl-assignment-2",
    "savefig.bbox": "standard",
    "figure.constrained_layout.use": True,
}

# matplotlib's bundled Computer Modern fonts carry 1970s-era timestamps that
# fontTools reports on every subsetting; they are harmless and would drown the
# build's progress lines.
logging.getLogger("fontTools").setLevel(logging.ERROR)

COLORS = ("#1b4f8a", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#555555")
"""A fixed colour cycle, distinguishable in grey-scale print by line style too."""

LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))


@contextmanager
def figure(width: float = 1.0, aspect: float = 0.42, ncols: int = 1, nrows: int = 1):
    """Yield ``(fig, axes)`` in the project style.

    Parameters
    ----------
    width : float
        Width as a fraction of the text width, in ``(0, 1]``.
    aspect : float
        Height divided by width.
    ncols, nrows : int
        Subplot grid; ``axes`` is a single ``Axes`` when both are 1.
    """
    if not 0 < width <= 1:
        raise ValueError(f"width must be a fraction of the text width in (0, 1], got {width}")
    if aspect <= 0:
        raise ValueError(f"aspect must be positive, got {aspect}")
    with plt.rc_context(STYLE):
        size = (width * TEXT_WIDTH_IN, width * TEXT_WIDTH_IN * aspect)
        fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=True)
        try:
            yield fig, axes
        finally:
            plt.close(fig)


def _collection_points(collection) -> np.ndarray:
    """The data points a collection draws: line segments, marker positions or polygon vertices."""
    if hasattr(collection, "get_segments"):
        segments = [np.asarray(s, float).reshape(-1, 2) for s in collection.get_segments()]
        return np.concatenate(segments) if segments else np.empty((0, 2))
    if isinstance(collection, matplotlib.collections.PathCollection) and len(collection.get_offsets()):
        return np.asarray(collection.get_offsets(), float).reshape(-1, 2)
    vertices = [np.asarray(path.vertices, float).reshape(-1, 2) for path in collection.get_paths()]
    return np.concatenate(vertices) if vertices else np.empty((0, 2))


def _points_on(path) -> np.ndarray:
    """Points on a path, its Bézier curves included (control points lie off the curve)."""
    on_curve = np.linspace(0.0, 1.0, 9)
    pieces = [segment.point_at_t(on_curve) for segment, _ in path.iter_bezier()]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


def drawn(fig) -> list[np.ndarray]:
    """What ``fig`` shows, read back from its artists: one ``(n, 2)`` array of data points per artist.

    In drawing order, axes by axes: every line (its ``x`` and ``y`` data), then
    every collection (scatter positions, error-bar and line segments, filled
    polygons), then every patch (its outline in data coordinates, e.g. a disc).
    A claim compares these arrays with an independent computation of what the
    caption says the figure shows, so a figure that plots the wrong array is
    refused like a wrong number.
    """
    arrays = []
    for axes in fig.axes:
        for line in axes.get_lines():
            arrays.append(np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)]))
        arrays += [_collection_points(collection) for collection in axes.collections]
        for patch in axes.patches:
            outline = patch.get_path().transformed(patch.get_patch_transform())
            arrays.append(_points_on(outline))
    return arrays


def save(fig, path: Path) -> list[np.ndarray]:
    """Write ``fig`` to ``path`` as a reproducible vector PDF (atomically); return :func:`drawn` of it."""
    path = Path(path)
    if path.suffix != ".pdf":
        raise ValueError(f"figures are vector PDFs; got {path.name}")
    temporary = path.with_name(f".{path.name}.tmp")
    with plt.rc_context(STYLE):
        fig.savefig(
            temporary,
            format="pdf",
            metadata={"Creator": None, "Producer": None, "CreationDate": None},
        )
    temporary.replace(path)
    return drawn(fig)
