"""The mathematics of the solutions: what computes, and nothing else.

* ``problemN`` -- Problem N: its public mathematical functions, the
  algorithms behind them, the experiments and figures, and a
  ``run(figures_dir) -> ledger.Ledger`` entry point that returns the
  problem's verified claims;
* :mod:`generator.ledger` -- the claim type: a named number with a check
  that can fail and the exact text the PDF prints for it;
* :mod:`generator.figstyle` -- the one figure style, and
  :mod:`generator.layout` the page geometry it shares with the document.

The build machinery (caching, rendering, LaTeX) lives in :mod:`pipeline`;
nothing here imports it.
"""
