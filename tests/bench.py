"""``make bench``: time the build of both editions against the LaTeX floor, on a private copy.

Measured in one run on one machine, in interleaved rounds so that both sides
of each ratio see the same machine:

* LaTeX floor: two pdflatex passes over each edition, the two editions side by
  side as the build compiles them (nothing else);
* one pass: one pdflatex pass over the extended edition, the larger one;
* cold build: ``build.py --force`` (every generator, both editions);
* no-op rebuild: ``build.py`` with nothing changed;
* proof edit: a word of a proof both editions print changed, then ``build.py``
  (both editions recompile, side by side); compared with one pass;
* extended-only edit: text only the extended edition prints, then
  ``build.py`` (the submission is not recompiled); compared with one pass.

Targets: cold <= 2x floor, no-op <= 2% of cold, each edit <= 1.3x one pass.
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ("build.py", "generator", "pipeline", "templates", "figures", "solutions", "submission.toml",
         "tests/mutation/results.json")
EDITIONS = {"submission": "solutions", "extended": "solutions-extended"}


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def pdflatex_pass(project: Path, work: Path, edition: str) -> float:
    """One pass with the options latexmk gives pdflatex in the build, so that a pass costs the same."""
    env = dict(os.environ)
    search = os.pathsep.join([str(project / "build" / "tex" / edition), str(project / "figures"), ""])
    env.update(TEXINPUTS=search, BIBINPUTS=search, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    options = ["-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-recorder", "-no-shell-escape"]
    main = project / "build" / "tex" / edition / f"{EDITIONS[edition]}.tex"
    return timed(["pdflatex", *options, str(main)], cwd=work, env=env)


def floor(project: Path, work: Path) -> float:
    """Two passes of each edition, the editions side by side."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda e: [pdflatex_pass(project, work, e) for _ in range(2)], EDITIONS))
    return time.perf_counter() - started


def copy_project(scratch: str) -> Path:
    project = Path(scratch) / "project"
    project.mkdir()
    for item in ITEMS:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, project / item, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            (project / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / item)
    return project


class Editor:
    """Toggles a line in or out of a template, then rebuilds: a steady, repeatable edit."""

    def __init__(self, project: Path, build: list[str], line: str, env: dict):
        self.project, self.build, self.line, self.env = project, build, line, env
        self.template = project / "templates" / "problem1.tex"
        self.original = self.template.read_text()

    def __call__(self) -> float:
        text = self.template.read_text()
        self.template.write_text(self.original if text != self.original else self.original + self.line)
        return timed(self.build, self.project, self.env)


def measure(project: Path, work: Path) -> dict[str, float]:
    build = [sys.executable, str(project / "build.py"), "-q"]
    # A user's Python keeps compiled bytecode; some sandboxes and CI images turn
    # that off, which would add the compilation of every module to each run.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    timed(build, project, env)  # render both editions once
    for edition in EDITIONS:
        pdflatex_pass(project, work, edition)  # warm the file cache and write the .aux files
    proof_edit = Editor(project, build, "\nA proof word.\n", env)
    extended_edit = Editor(project, build, "\n\\BLOCK{if extended}\nAn extended word.\n\\BLOCK{endif}\n", env)
    proof_edit(), proof_edit(), extended_edit(), extended_edit()  # settle page references
    rounds: dict[str, list[float]] = {"pass": [], "floor": [], "edit": [], "extended edit": [], "cold": []}
    for _ in range(5):
        rounds["pass"].append(pdflatex_pass(project, work, "extended"))
        rounds["floor"].append(floor(project, work))
        rounds["edit"].append(proof_edit())
        rounds["extended edit"].append(extended_edit())
    for _ in range(3):
        rounds["cold"].append(timed(build + ["--force"], project, env))
    best = {name: min(times) for name, times in rounds.items()}
    best["no-op"] = statistics.median(timed(build, project, env) for _ in range(15))
    return best


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        project = copy_project(scratch)
        work = Path(scratch) / "floor"
        work.mkdir()
        best = measure(project, work)
    rows = [
        ("LaTeX floor (2 passes, both editions)", best["floor"], None, None),
        ("one pdflatex pass (extended)", best["pass"], None, None),
        ("cold build (--force)", best["cold"], best["cold"] / best["floor"], 2.0, "x floor"),
        ("no-op rebuild", best["no-op"], best["no-op"] / best["cold"], 0.02, "x cold"),
        ("proof edit (both editions)", best["edit"], best["edit"] / best["pass"], 1.3, "x one pass"),
        ("extended-only edit", best["extended edit"], best["extended edit"] / best["pass"], 1.3, "x one pass"),
    ]
    missed = False
    for name, seconds, ratio, *target in rows:
        line = f"{name:<38} {seconds:7.3f} s"
        if ratio is not None:
            limit, unit = target
            ok = ratio <= limit
            missed |= not ok
            line += f"   ratio {ratio:6.3f}  target <= {limit} {unit:<11} {'met' if ok else 'MISSED'}"
        print(line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
