"""Shared fixtures: every problem's ledger, computed afresh in the test process.

The tests never read the build's cache: each problem's generator runs here,
once per session, into a temporary figures folder, so a test asserts what
the code computes now, not what an earlier build stored.  A generator that
raises fails that problem's tests only (one failing case that names the
exception), never the collection of the whole suite.
"""

from __future__ import annotations

import functools
import importlib
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import available_problems  # noqa: E402  (the project root must be importable first)

PROBLEMS = available_problems(ROOT)


@dataclass(frozen=True)
class GeneratorRaised:
    """Stands in for the ledger of a problem whose generator raised."""

    problem: int
    summary: str


@functools.cache
def fresh_figures_folder(problem: int) -> Path:
    """Where the fresh run of problem ``problem``'s generator draws its figures."""
    return Path(tempfile.mkdtemp(prefix=f"figures-p{problem}-"))


@functools.cache
def fresh_ledger(problem: int):
    """Problem ``problem``'s ledger from a fresh run of its generator, or :class:`GeneratorRaised`."""
    figures = fresh_figures_folder(problem)
    try:
        return importlib.import_module(f"generator.problem{problem}").run(figures)
    except Exception as error:  # reported by the problem's own tests
        where = traceback.extract_tb(error.__traceback__)[-1]
        return GeneratorRaised(problem, f"{type(error).__name__}: {error} (at {where.filename}:{where.lineno})")


def fresh_ledgers() -> list:
    """Every problem's fresh ledger; a problem whose generator raised fails the test that asks."""
    ledgers = [fresh_ledger(problem) for problem in PROBLEMS]
    for ledger in ledgers:
        if isinstance(ledger, GeneratorRaised):
            pytest.fail(f"the generator of problem {ledger.problem} raised {ledger.summary}")
    return ledgers


@pytest.fixture(scope="session")
def ledgers():
    return fresh_ledgers()


@pytest.fixture(scope="session", name="fresh_figures_folder")
def fresh_figures_folder_fixture():
    """The function giving the folder where a problem's fresh run drew its figures."""
    return fresh_figures_folder


def pytest_generate_tests(metafunc):
    """``claim``: one case per claim of the problems the module names (``PROBLEMS``), or all."""
    if "claim" not in metafunc.fixturenames:
        return
    cases, ids = [], []
    for problem in getattr(metafunc.module, "PROBLEMS", PROBLEMS):
        ledger = fresh_ledger(problem)
        if isinstance(ledger, GeneratorRaised):
            cases.append(ledger)
            ids.append(f"problem{problem}-generator-raised")
            continue
        cases += ledger.claims
        ids += [c.name for c in ledger.claims]
    metafunc.parametrize("claim", cases, ids=ids)


@pytest.fixture(scope="session")
def built():
    """The real checkout, built (incrementally) once for the whole session: the end-to-end tests
    read its PDFs and copy it, caches included, to break copies of it."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return ROOT
