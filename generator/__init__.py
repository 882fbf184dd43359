"""Numerical side of the solutions: pure mathematics, one entry point per problem.

Each ``problemN`` module holds the mathematical functions of Problem N and a
``run(figures_dir) -> ledger.Ledger`` entry point that computes that problem's
claims and writes its figures.  ``ledger`` is the claim type; ``figstyle`` the
one figure style and ``layout`` the page geometry it shares with LaTeX;
``render``, ``escape``, ``appendix``, ``latex``, ``cache`` and ``execute`` are the
build machinery that ``build.py`` orchestrates.
"""

from pathlib import Path

ALL_PROBLEMS = (1, 2, 3, 4)


def available_problems(root: Path) -> tuple[int, ...]:
    """Problems with both a generator module and a template under ``root``."""
    return tuple(
        n
        for n in ALL_PROBLEMS
        if (root / "generator" / f"problem{n}.py").is_file()
        and (root / "templates" / f"problem{n}.tex").is_file()
    )
