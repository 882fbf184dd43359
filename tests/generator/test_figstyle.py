"""Reading a figure's data back from its artists (``generator/figstyle.py``)."""

from __future__ import annotations

import matplotlib.patches
import numpy as np

from generator import figstyle


def test_every_kind_of_artist_is_read_back_in_data_coordinates(tmp_path):
    x = np.linspace(0.0, 1.0, 5)
    with figstyle.figure(ncols=2) as (fig, (left, right)):
        left.plot(x, x**2)
        left.scatter([0.5, 0.25], [2.0, 3.0])
        left.errorbar([1.0], [1.0], yerr=[0.5], fmt="none")
        right.fill_between(x, 0.0, x)
        right.add_patch(matplotlib.patches.Circle((1.0, 2.0), 0.5))
        arrays = figstyle.save(fig, tmp_path / "f.pdf")
    line, scatter, bar, band, disc = arrays
    assert np.array_equal(line, np.column_stack([x, x**2]))
    assert np.array_equal(scatter, [[0.5, 2.0], [0.25, 3.0]])
    assert np.allclose(bar, [[1.0, 0.5], [1.0, 1.5]])
    assert band[:, 1].max() == 1.0 and band[:, 1].min() == 0.0
    assert np.allclose(np.hypot(disc[:, 0] - 1.0, disc[:, 1] - 2.0).max(), 0.5)
    assert (tmp_path / "f.pdf").stat().st_size > 0
