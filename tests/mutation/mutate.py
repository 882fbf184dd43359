"""Mutation testing: plant a realistic bug in the code behind the claims and see who notices.

A *mutant* replaces one exact piece of source (it must occur exactly once)
in a function that some claim names as its source: a flipped sign, a
transpose, an off-by-one, a wrong constant, a dropped or spurious term, a
wrong branch.  Each problem lists its mutants in
``tests/generator/problemN/mutants.py`` as ``MUTANTS``, a list of dicts:

``id``
    short unique name, e.g. ``"p1-gradient-transpose"``;
``file``, ``find``, ``replace``
    the path under the project root and the exact text to replace;
``description``
    what the bug is, in words;
``sample`` (optional)
    True for the fixed sample that ``make test`` runs on every change;
``equivalent`` (optional)
    a proof that the mutant computes the same numbers (it then stays in the
    suite, is reported, and is not counted against the kill rate).

A mutant is *refused by the build* when ``build.py`` exits with the claim
code (3) and names a claim; it is *caught by the tests* when the problem's
tests fail on it.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_ITEMS = ("build.py", "generator", "pipeline", "templates", "tests", "submission.toml", "pyproject.toml")
EXIT_CLAIM = 3


@dataclass(frozen=True)
class Mutant:
    id: str
    problem: int
    file: str
    find: str
    replace: str
    description: str
    sample: bool = False
    equivalent: str | None = None


@dataclass
class Outcome:
    mutant: Mutant
    build_refused: bool
    build_message: str
    tests_failed: bool | None = None
    tests_message: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def caught(self) -> bool:
        return self.build_refused or bool(self.tests_failed)


def load_mutants(root: Path = ROOT) -> list[Mutant]:
    """Every problem's ``MUTANTS``, checked to be well formed and to apply exactly once."""
    mutants = []
    for path in sorted(root.glob("tests/generator/problem*/mutants.py")):
        problem = int(path.parent.name.removeprefix("problem"))
        for entry in runpy.run_path(str(path))["MUTANTS"]:
            mutant = Mutant(problem=problem, **entry)
            source = (root / mutant.file).read_text(encoding="utf-8")
            count = source.count(mutant.find)
            if count != 1:
                raise ValueError(f"mutant {mutant.id}: its 'find' text occurs {count} times in {mutant.file}")
            if mutant.find == mutant.replace:
                raise ValueError(f"mutant {mutant.id} changes nothing")
            mutants.append(mutant)
    ids = [m.id for m in mutants]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise ValueError(f"mutant ids used twice: {doubled}")
    return mutants


def copy_project(source: Path, target: Path, with_outputs: bool) -> None:
    """A copy of the project; ``with_outputs`` adds figures, solutions and the build's caches."""
    items = PROJECT_ITEMS + (("figures", "solutions", "build") if with_outputs else ())
    target.mkdir(parents=True)
    for item in items:
        path = source / item
        if path.is_dir():
            shutil.copytree(path, target / item, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "build.lock", "mutation"))
        elif path.exists():
            shutil.copy2(path, target / item)


def apply(mutant: Mutant, project: Path) -> None:
    path = project / mutant.file
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace(mutant.find, mutant.replace, 1), encoding="utf-8")


def _environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}


def prepare(scratch: Path) -> Path:
    """A built copy of the project to copy each mutant's project from (so each build is incremental)."""
    pristine = scratch / "pristine"
    copy_project(ROOT, pristine, with_outputs=True)
    result = subprocess.run([sys.executable, "build.py", "-q"], cwd=pristine, capture_output=True, text=True,
                            env=_environment())
    if result.returncode != 0:
        raise RuntimeError(f"the unmutated project does not build:\n{result.stderr}")
    return pristine


def run_build(mutant: Mutant, pristine: Path, scratch: Path) -> tuple[Path, Outcome]:
    """Build the mutated project; refused means exit code 3 naming a claim."""
    project = scratch / mutant.id
    copy_project(pristine, project, with_outputs=True)
    apply(mutant, project)
    result = subprocess.run([sys.executable, "build.py", "-q"], cwd=project, capture_output=True, text=True,
                            env=_environment(), timeout=600)
    refused = result.returncode == EXIT_CLAIM and "claim p" in result.stderr
    message = result.stderr.strip().splitlines()[0] if result.stderr.strip() else f"exit {result.returncode}"
    return project, Outcome(mutant, refused, message)


def run_tests(outcome: Outcome, project: Path) -> None:
    """Run the problem's tests (its own folder, then the claim tests) on the mutated project.

    The claim tests run every generator afresh, so they run only when the
    problem's own tests pass: the tests fail exactly when either would.
    """
    for tests in (f"tests/generator/problem{outcome.mutant.problem}", "tests/generator/test_claims.py"):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", tests],
            cwd=project, capture_output=True, text=True, env=_environment(), timeout=900,
        )
        if result.returncode != 0:
            break
    outcome.tests_failed = result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    last = result.stdout.strip().splitlines()[-1:] or [""]
    outcome.tests_message = (failed or last)[0]


def summary(outcomes: list[Outcome]) -> dict:
    counted = [o for o in outcomes if o.mutant.equivalent is None]
    refused = sum(o.build_refused for o in counted)
    caught = sum(o.caught for o in counted)
    tested = all(o.tests_failed is not None or o.build_refused for o in counted)
    return {
        "mutants": len(outcomes),
        "equivalent": len(outcomes) - len(counted),
        "counted": len(counted),
        "refused_by_build": refused,
        "caught_by_build_or_tests": caught if tested else None,
        "refused_rate": refused / len(counted) if counted else 0.0,
        "caught_rate": (caught / len(counted) if counted else 0.0) if tested else None,
    }


def write_results(outcomes: list[Outcome], path: Path, date: str) -> None:
    data = {
        "date": date,
        **summary(outcomes),
        "per_mutant": [
            {"id": o.mutant.id, "problem": o.mutant.problem, "description": o.mutant.description,
             "equivalent": o.mutant.equivalent, "build_refused": o.build_refused, "build": o.build_message,
             "tests_failed": o.tests_failed, "tests": o.tests_message}
            for o in outcomes
        ],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
