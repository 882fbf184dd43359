"""``make bench``: time the build against the LaTeX floor, on a private copy.

Measured in one run on one machine:

* LaTeX floor: two pdflatex passes over the final document (nothing else);
* cold build: ``build.py --force`` (every generator, every LaTeX pass);
* no-op rebuild: ``build.py`` with nothing changed;
* template-only edit: one word of a proof changed, then ``build.py``; compared
  with one pdflatex pass over the document.

Targets: cold <= 2x floor, no-op <= 2% of cold, template edit <= 1.3x one pass.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = ("build.py", "generator", "pipeline", "templates", "figures", "solutions")


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def pdflatex_pass(project: Path, work: Path) -> float:
    env = dict(os.environ)
    search = os.pathsep.join([str(project / "solutions"), str(project / "figures"), ""])
    env.update(TEXINPUTS=search, BIBINPUTS=search, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1")
    # The options latexmk gives pdflatex in the build, so that a pass costs the same.
    options = ["-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-recorder"]
    return timed(
        ["pdflatex", *options, "-no-shell-escape", str(project / "solutions" / "solutions.tex")],
        cwd=work,
        env=env,
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        project = Path(scratch) / "project"
        project.mkdir()
        for item in ITEMS:
            source = ROOT / item
            if source.is_dir():
                shutil.copytree(source, project / item, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, project / item)
        build = [sys.executable, str(project / "build.py"), "-q"]
        timed(build, project)  # render the final document once

        work = Path(scratch) / "floor"
        work.mkdir()
        pdflatex_pass(project, work)  # warm the file cache and write the .aux

        template = project / "templates" / "problem1.tex"
        original = template.read_text()

        def edit() -> float:
            """Change the proof text (a comment line in, then out) and rebuild."""
            text = template.read_text()
            template.write_text(original if text != original else original + "\n%\n")
            return timed(build, project)

        edit()  # the first edit may move page references; measure steady edits
        # Interleaved rounds, so that both sides of each ratio see the same machine.
        passes, floors, edits, colds = [], [], [], []
        for _ in range(5):
            passes.append(pdflatex_pass(project, work))
            floors.append(pdflatex_pass(project, work) + pdflatex_pass(project, work))
            edits.append(edit())
        for _ in range(3):
            colds.append(timed(build + ["--force"], project))
        one_pass, floor, template_edit, cold = min(passes), min(floors), min(edits), min(colds)
        noop = statistics.median(timed(build, project) for _ in range(15))

    rows = [
        ("LaTeX floor (two pdflatex passes)", floor, None, None),
        ("one pdflatex pass", one_pass, None, None),
        ("cold build (--force)", cold, cold / floor, "<= 2 x floor"),
        ("no-op rebuild", noop, noop / cold, "<= 0.02 x cold"),
        ("template-only edit", template_edit, template_edit / one_pass, "<= 1.3 x one pass"),
    ]
    limits = {"<= 2 x floor": 2.0, "<= 0.02 x cold": 0.02, "<= 1.3 x one pass": 1.3}
    missed = False
    for name, seconds, ratio, target in rows:
        line = f"{name:<36} {seconds:7.3f} s"
        if ratio is not None:
            ok = ratio <= limits[target]
            missed |= not ok
            line += f"   ratio {ratio:6.3f}  target {target:<18} {'met' if ok else 'MISSED'}"
        print(line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
