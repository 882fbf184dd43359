"""Run one problem's entry point in a worker process.

The worker writes figures into a private temporary folder; the build moves
them into ``figures/`` only after the entry point has returned, so a failing
or interrupted generator never leaves a half-written figure behind.  An
exception is reduced to one paragraph: the problem, the innermost project
function it came from (file and line), and the exception itself.
"""

from __future__ import annotations

import importlib
import time
import traceback
from pathlib import Path


class GeneratorFailure(Exception):
    """A generator raised; ``str()`` is a one-paragraph summary."""


def _summary(problem: int, error: BaseException, root: Path) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    project = [f for f in frames if Path(f.filename).resolve().is_relative_to(root / "generator")]
    where = ""
    if project:
        frame = project[-1]
        relative = Path(frame.filename).resolve().relative_to(root)
        where = f" in {frame.name}() at {relative}:{frame.lineno}"
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return f"the generator of problem {problem} raised{where}: {text}"


def run_problem(root: str, problem: int, figures_dir: str) -> dict:
    """Import ``generator.problem<problem>``, call ``run``; return its ledger and time.

    The result is ``{"ledger": <ledger JSON>, "seconds": <wall time of import and run>}``.

    Raises
    ------
    GeneratorFailure
        If the entry point raises or returns something that is not a ledger of
        this problem; the message is the one-paragraph summary.
    """
    from generator.ledger import Ledger

    root_path = Path(root).resolve()
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"generator.problem{problem}")
        ledger = module.run(Path(figures_dir))
        if not isinstance(ledger, Ledger) or ledger.problem != problem:
            raise TypeError(f"run() must return a Ledger(problem={problem}), got {ledger!r}")
        for figure in ledger.figures:
            if not (Path(figures_dir) / figure.file).is_file():
                raise FileNotFoundError(f"run() recorded figure {figure.file} but did not write it")
        return {"ledger": ledger.to_json(), "seconds": time.perf_counter() - started}
    except Exception as error:  # every failure becomes one readable paragraph
        raise GeneratorFailure(_summary(problem, error, root_path)) from None
