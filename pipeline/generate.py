"""Step 1: bring every problem's ledger and figures up to date.

A problem's generator reruns only when its cache key (the source of its
package and of the project modules it imports, and the numerical packages'
versions) changed or a figure it drew is missing or modified.  Stale
generators run in parallel worker processes, longest first; their figures are
written into a private staging folder and moved into ``figures/`` only when
the generator has returned.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from generator.ledger import Ledger
from pipeline import cache, outputs
from pipeline.errors import EXIT_GENERATOR, BuildError
from pipeline.progress import Progress
from pipeline.project import Project

GENERATOR_TIMEOUT = 300.0
"""Seconds a generator may run before the build stops it (each takes a few seconds; a bug can loop)."""


def _cache_file(project: Project, problem: int) -> Path:
    return project.cache / f"problem{problem}.json"


def _cached_ledger(project: Project, problem: int, key: str) -> tuple[Ledger | None, str]:
    """The cached ledger if it is still valid, else None and the reason."""
    entry = cache.read_json(_cache_file(project, problem))
    if entry is None:
        return None, "no cached result"
    if entry.get("key") != key:
        return None, "inputs changed"
    for name, digest in entry.get("figures", {}).items():
        if cache.file_digest(project.figures / name) != digest:
            return None, f"figure {name} missing or modified"
    return Ledger.from_json(entry["ledger"]), "inputs unchanged"


def _previous_seconds(project: Project, problem: int) -> float:
    entry = cache.read_json(_cache_file(project, problem)) or {}
    return float(entry.get("seconds", 0.0))


def _install_figures(project: Project, staging: Path, ledger: Ledger) -> dict[str, str]:
    """Move a problem's new figures into figures/ and drop the ones it drew before but no longer draws."""
    project.figures.mkdir(exist_ok=True)
    digests = {}
    for figure in ledger.figures:
        target = project.figures / figure.file
        os.replace(staging / figure.file, target)
        cache.match_umask(target)
        digests[figure.file] = cache.file_digest(target)
    outputs.record(project, [project.figures / name for name in digests])
    for stale in project.figures.glob(f"p{ledger.problem}_*.pdf"):
        if stale.name not in digests:
            outputs.forget(project, stale)
    return digests


def run_generators(
    project: Project,
    problems: tuple[int, ...],
    force: bool,
    jobs: int,
    progress: Progress,
    timeout: float = GENERATOR_TIMEOUT,
) -> list[Ledger]:
    """Every problem's ledger, rerunning the generators whose inputs changed."""
    ledgers: dict[int, Ledger] = {}
    stale: dict[int, tuple[str, str]] = {}
    for problem in problems:
        started = time.perf_counter()
        key = cache.generator_key(project.root, problem)
        ledger, reason = (None, "--force") if force else _cached_ledger(project, problem, key)
        if ledger is None:
            stale[problem] = (key, reason)
        else:
            ledgers[problem] = ledger
            progress.step(f"generator {problem}", f"skipped: {reason}", time.perf_counter() - started)
    if stale:
        ledgers.update(_run_stale(project, stale, jobs, progress, timeout))
    return [ledgers[p] for p in problems]


def _run_stale(
    project: Project, stale: dict[int, tuple[str, str]], jobs: int, progress: Progress, timeout: float
) -> dict[int, Ledger]:
    """Run the stale generators in a process pool; cache and install what they make."""
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.execute import GeneratorFailure, run_problem

    project.build.mkdir(exist_ok=True)
    ledgers: dict[int, Ledger] = {}
    failures = []
    with tempfile.TemporaryDirectory(prefix="figures-", dir=project.build) as staging_root:
        staging = {p: Path(staging_root) / f"problem{p}" for p in stale}
        for path in staging.values():
            path.mkdir()
        workers = max(1, min(jobs, len(stale)))
        # Longest first (by the last recorded run), so the pool finishes together.
        order = sorted(stale, key=lambda p: -_previous_seconds(project, p))
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_signals_to_the_parent)
        with _terminating_on_interrupt(pool):
            futures = {
                pool.submit(run_problem, str(project.root), p, str(staging[p])): p for p in order
            }
            for future in _completed(futures, timeout * -(-len(order) // workers)):
                problem = futures[future]
                try:
                    result = future.result()
                except GeneratorFailure as failure:
                    failures.append(str(failure))
                    continue
                ledger = Ledger.from_json(result["ledger"])
                key, reason = stale[problem]
                digests = _install_figures(project, staging[problem], ledger)
                entry = {"key": key, "ledger": ledger.to_json(), "figures": digests, "seconds": result["seconds"]}
                cache.write_json(_cache_file(project, problem), entry)
                ledgers[problem] = ledger
                progress.step(f"generator {problem}", f"ran: {reason}", result["seconds"])
    if failures:
        raise BuildError("\n".join(failures), EXIT_GENERATOR)
    return ledgers


def _completed(futures: dict, timeout: float):
    """The futures as they complete; a :class:`BuildError` naming the generators still running after ``timeout``."""
    from concurrent.futures import TimeoutError, as_completed

    try:
        yield from as_completed(futures, timeout=timeout)
    except TimeoutError:
        running = sorted(problem for future, problem in futures.items() if not future.done())
        names = ", ".join(f"problem {p}" for p in running)
        raise BuildError(
            f"the generator of {names} ran for more than {timeout:.0f} s and was stopped "
            "(a loop that never ends, or an integration that cannot converge?)",
            EXIT_GENERATOR,
        ) from None


@contextlib.contextmanager
def _terminating_on_interrupt(pool):
    """Shut the pool down; on an interruption or error stop its workers at once instead of waiting."""
    try:
        yield
    except BaseException:
        # ProcessPoolExecutor has no public way to stop running workers before 3.14.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()  # they ignore SIGTERM (see _leave_signals_to_the_parent)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _leave_signals_to_the_parent() -> None:
    """Workers ignore Ctrl-C, SIGTERM and SIGHUP: the parent, which receives them
    too, stops the workers itself and reports one clean interruption."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)
