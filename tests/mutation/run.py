"""``make mutate``: apply every mutant and report who refused it, the build or the tests.

Usage: ``python tests/mutation/run.py [--problem N] [--sample] [--build-only] [-j N]``.
Writes ``tests/mutation/results.json`` (the figures the README and the
extended edition's appendix quote) when run on every mutant.
Targets: at least 95 % of the mutants refused by the build, 100 % by the
build or the tests; exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutate import ROOT, load_mutants, prepare, run_build, run_tests, summary, write_results

RESULTS = ROOT / "tests" / "mutation" / "results.json"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--problem", type=int, choices=(1, 2, 3, 4), help="only this problem's mutants")
    parser.add_argument("--sample", action="store_true", help="only the fixed sample that make test runs")
    parser.add_argument("--build-only", action="store_true", help="run only the build on each mutant, not the tests")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants in flight at once (default 2)")
    args = parser.parse_args(argv)
    mutants = [
        m for m in load_mutants()
        if (args.problem is None or m.problem == args.problem) and (not args.sample or m.sample)
    ]
    print(f"{len(mutants)} mutants; building a pristine copy first", flush=True)
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        pristine = prepare(Path(scratch))

        def one(mutant):
            project, outcome = run_build(mutant, pristine, Path(scratch))
            if not args.build_only:
                run_tests(outcome, project)
            build = "refused" if outcome.build_refused else "BUILT  "
            tests = {None: "not run", True: "failed", False: "PASSED"}[outcome.tests_failed]
            flag = "  (equivalent)" if mutant.equivalent else ""
            print(f"{mutant.id:<40} build {build}  tests {tests:<8}{flag}  {outcome.build_message[:60]}", flush=True)
            return outcome

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            outcomes = list(pool.map(one, mutants))
    result = summary(outcomes)
    print(
        f"\n{result['counted']} mutants counted ({result['equivalent']} equivalent): "
        f"{result['refused_by_build']} refused by the build ({100 * result['refused_rate']:.1f} %)"
        + ("" if result["caught_rate"] is None else
           f", {result['caught_by_build_or_tests']} by the build or the tests ({100 * result['caught_rate']:.1f} %)")
    )
    if args.problem is None and not args.sample and not args.build_only:
        write_results(outcomes, RESULTS, datetime.date.today().isoformat())
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    missed = result["refused_rate"] < 0.95 or (result["caught_rate"] is not None and result["caught_rate"] < 1.0)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
