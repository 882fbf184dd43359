"""Shared fixtures: the project's ledgers, computed once through the build's cache.

The claims are produced exactly as ``python build.py`` produces them (same
cache, same lock), so the tests assert the very numbers the PDF prints.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402  (the project root must be importable first)


@functools.cache
def project_ledgers():
    """Every problem's ledger, from the build cache (generators rerun when stale)."""
    progress = build.Progress(quiet=True, verbose=False)
    with build.build_lock(progress):
        return tuple(build.run_generators(build.PROJECT, build.PROBLEMS, False, os.cpu_count() or 1, progress))


def all_claims():
    return [claim for ledger in project_ledgers() for claim in ledger.claims]


@pytest.fixture(scope="session")
def ledgers():
    return list(project_ledgers())


def pytest_generate_tests(metafunc):
    if "claim" in metafunc.fixturenames:
        claims = all_claims()
        metafunc.parametrize("claim", claims, ids=[c.name for c in claims])
