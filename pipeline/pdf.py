"""Step 4: compile the rendered sources into the PDF, unless nothing LaTeX reads changed.

The new PDF replaces ``solutions/solutions.pdf`` atomically and only when
LaTeX succeeded; a LaTeX error is reported at the template line it came from.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from generator.ledger import Ledger
from pipeline import cache
from pipeline.errors import EXIT_LATEX, EXIT_TOOLCHAIN, BuildError
from pipeline.progress import Progress
from pipeline.project import Project


def _git_head(root: Path) -> str | None:
    """The checked-out commit, read from ``.git`` without running git (cheap)."""
    git = root / ".git"
    with contextlib.suppress(OSError, ValueError):
        if git.is_file():  # a worktree: ".git" names the real git directory
            git = (root / git.read_text().split("gitdir:", 1)[1].strip()).resolve()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(":", 1)[1].strip()
        for folder in (git, common):
            if (folder / ref).is_file():
                return (folder / ref).read_text().strip()
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0]
    return None


def source_date_epoch(project: Project) -> int:
    """The date written into the PDF's metadata.

    ``SOURCE_DATE_EPOCH`` from the environment when set (the reproducible-builds
    convention), else the last commit's time, else 0.  The document prints no
    date; this only makes equal sources give byte-identical PDFs.  The commit
    time is remembered per commit, so a no-op rebuild does not start git.
    """
    with contextlib.suppress(KeyError, ValueError):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    head = _git_head(project.root)
    if head is None:
        return 0
    remembered = cache.read_json(project.cache / "epoch.json") or {}
    if remembered.get("head") == head:
        return int(remembered["epoch"])
    import subprocess

    epoch = 0
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", head],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0 and out.stdout.strip():
            epoch = int(out.stdout.strip())
    cache.write_json(project.cache / "epoch.json", {"head": head, "epoch": epoch})
    return epoch


def _latex_key(project: Project, sources: list[str], ledgers: list[Ledger], epoch: int) -> str:
    chunks = [str(epoch).encode()]
    for name in sources:
        chunks += [name.encode(), (project.solutions / name).read_bytes()]
    for ledger in ledgers:
        for figure in ledger.figures:
            chunks += [figure.file.encode(), cache.file_digest(project.figures / figure.file).encode()]
    return cache.digest_bytes(*chunks)


def _latex_error(project: Project, error) -> BuildError:
    """Name the template line a LaTeX error came from, with LaTeX's own message."""
    from pipeline.render import template_line

    log = project.relative(error.log)
    if error.file is None:
        return BuildError(f"LaTeX error: {error.message}\n(full log: {log})", EXIT_LATEX)
    name = Path(error.file).name
    template, output = project.templates / name, project.solutions / name
    if (project.latex_dir / error.file).resolve() == output.resolve() and template.is_file():
        line = template_line(
            template.read_text(encoding="utf-8"), output.read_text(encoding="utf-8"), error.line
        )
        where = f"templates/{name}:{line}: LaTeX error: {error.message}"
        origin = f"rendered as solutions/{name}:{error.line}"
    else:
        where = f"{error.file}:{error.line}: LaTeX error: {error.message}"
        origin = "not a template of this project"
    return BuildError(f"{where}\n({origin}; full log: {log})", EXIT_LATEX)


def compile_pdf(
    project: Project, sources: list[str], ledgers: list[Ledger], force: bool, progress: Progress
) -> None:
    """Compile with latexmk unless nothing it reads has changed; replace the PDF atomically."""
    started = time.perf_counter()
    epoch = source_date_epoch(project)
    key = _latex_key(project, sources, ledgers, epoch)
    state_file = project.cache / "latex.json"
    state = cache.read_json(state_file) or {}
    if not force and state.get("key") == key and cache.file_digest(project.pdf) == state.get("pdf"):
        progress.step("latex", "skipped: sources and figures unchanged", time.perf_counter() - started)
        return
    from pipeline import latex

    missing = latex.missing_programs()
    if missing:
        raise BuildError(f"{', '.join(missing)} not found on PATH; {latex.INSTALL_HINT}", EXIT_TOOLCHAIN)
    reason = "--force" if force else ("sources changed" if state else "no previous build")
    job = latex.Job(
        work_dir=project.latex_dir,
        search_dirs=(project.solutions, project.figures),
        main=project.solutions / "solutions.tex",
        source_date_epoch=epoch,
    )
    try:
        # latexmk does not see SOURCE_DATE_EPOCH; a new date must still reach the PDF.
        redate = state.get("epoch") != epoch
        latex.compile_pdf(job, force=force or redate, verbose=progress.verbose)
    except latex.LatexError as error:
        raise _latex_error(project, error) from None
    except KeyboardInterrupt:
        # pdflatex was killed mid-write: its .aux may be cut short, so the next
        # build starts LaTeX afresh rather than reading it.
        shutil.rmtree(project.latex_dir, ignore_errors=True)
        raise
    cache.write_atomic(project.pdf, job.pdf.read_bytes())
    cache.write_json(state_file, {"key": key, "pdf": cache.file_digest(project.pdf), "epoch": epoch})
    progress.step("latex", f"compiled: {reason}", time.perf_counter() - started)
