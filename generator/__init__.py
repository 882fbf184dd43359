"""Numerical side of the solutions: pure mathematics, one entry point per problem.

Each ``problemN`` module holds the mathematical functions of Problem N and a
``run(figures_dir) -> ledger.Ledger`` entry point that computes that problem's
claims and writes its figures.  ``ledger`` is the claim type; ``figstyle`` the
one figure style; ``render``, ``latex`` and ``cache`` are the build machinery
that ``build.py`` orchestrates.
"""

PROBLEMS = (1, 2, 3, 4)
