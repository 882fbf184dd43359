"""A fixed sample of the mutation suite runs with every ``make test``: each mutant must be refused by the build."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutate import load_mutants, prepare, run_build  # noqa: E402  (after the path is set)


def test_every_mutant_applies_exactly_once_and_the_suite_is_large_enough():
    mutants = load_mutants()
    assert len(mutants) >= 40
    assert {m.problem for m in mutants} == {1, 2, 3, 4}
    sample = [m for m in mutants if m.sample]
    assert len(sample) >= 8 and {m.problem for m in sample} == {1, 2, 3, 4}


def test_the_build_refuses_every_sampled_mutant(built, tmp_path):
    """Each mutant on a copy of the built checkout (``built``), so only its problem's generator reruns."""
    sample = [m for m in load_mutants() if m.sample and m.equivalent is None]
    pristine = prepare(tmp_path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda m: run_build(m, pristine, tmp_path)[1], sample))
    let_through = [f"{o.mutant.id}: {o.mutant.description} ({o.build_message})" for o in outcomes if not o.build_refused]
    assert not let_through, "mutants the build did not refuse:\n" + "\n".join(let_through)
