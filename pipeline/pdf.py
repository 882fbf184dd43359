"""Step 4: compile both editions, refuse dangling references, install the PDFs together.

The extended edition and the submission compile at the same time (one
latexmk each, in one work folder).  The submission cites results that only
the extended edition holds through ``xr-hyper``, from a copy of the extended
edition's labels (:data:`pipeline.render.EXTERNAL_LABELS`) that is replaced only
when a label changed; if it changed, the submission runs once more.  Then
every unresolved reference, citation or doubled label fails the build, named
with the template line that wrote it.  Only when both editions are complete
do the two PDFs and ``claims.json`` replace the previous ones, together.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from generator.ledger import Ledger
from pipeline import cache, outputs
from pipeline.errors import EXIT_LATEX, EXIT_TOOLCHAIN, BuildError
from pipeline.progress import Progress
from pipeline.project import EDITIONS, EXTERNAL_LABELS, JOBNAMES, MAIN_TEMPLATE, Project


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
    """The date written into the PDFs' metadata.

    ``SOURCE_DATE_EPOCH`` from the environment when set (the reproducible-builds
    convention), else the last commit's time, else 0.  This only makes equal
    sources give byte-identical PDFs (the first page prints the date of
    ``submission.toml``).  The commit time is remembered per commit, so a no-op
    rebuild does not start git.
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


def _labels_file(project: Project) -> Path:
    return project.latex_dir / f"{EXTERNAL_LABELS}.aux"


def _latex_key(project: Project, edition: str, sources: list[str], ledgers: list[Ledger], epoch: int) -> str:
    chunks = [str(epoch).encode(), edition.encode()]
    for name in sources:
        chunks += [name.encode(), (project.sources(edition) / name).read_bytes()]
    for ledger in ledgers:
        for figure in ledger.figures:
            chunks += [figure.file.encode(), cache.file_digest(project.figures / figure.file).encode()]
    if edition == "submission":
        chunks.append(cache.file_digest(_labels_file(project)).encode())
    return cache.digest_bytes(*chunks)


def _groups(text: str) -> list[str]:
    """The top-level brace groups of ``text``, without their braces."""
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
            if depth == 1:
                start = index + 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                groups.append(text[start:index])
    return groups


def _number_only(line: str) -> str:
    """A ``\\newlabel`` line with the page and the title made constant.

    The submission prints only the numbers of the extended edition's results,
    so an edit that moves a result to another page, or rewords a title, must
    not make the submission recompile.
    """
    name, value = (_groups(line) + ["", ""])[:2]
    fields = _groups(value)
    if name.endswith("@cref") and len(fields) == 2:
        fields[1] = "[1][1][]1"
    elif len(fields) >= 4:
        fields[1], fields[2] = "1", ""
    return "\\newlabel{" + name + "}{" + "".join("{" + f + "}" for f in fields) + "}"


def _sync_labels(project: Project) -> bool:
    """Copy the numbers of the extended edition's labels for the submission; True if they changed."""
    aux = project.latex_dir / f"{JOBNAMES['extended']}.aux"
    lines = [
        _number_only(line)
        for line in aux.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.startswith("\\newlabel{")
    ]
    return cache.write_if_changed(_labels_file(project), "\n".join(lines) + "\n")


def _template_name(rendered_name: str) -> str:
    """The template a rendered file came from (both main files come from ``solutions.tex``)."""
    return MAIN_TEMPLATE if rendered_name in {f"{j}.tex" for j in JOBNAMES.values()} else rendered_name


def _template_position(project: Project, edition: str, rendered_name: str, rendered_line: int) -> str:
    """``templates/<file>:<line>`` for a line of a rendered file."""
    from pipeline.render import template_line

    template = _template_name(rendered_name)
    line = template_line(
        (project.templates / template).read_text(encoding="utf-8"),
        (project.sources(edition) / rendered_name).read_text(encoding="utf-8"),
        rendered_line,
    )
    return f"templates/{template}:{line}"


_UNCLOSED_GROUP = ("File ended while scanning", "ended by \\end{document}", "Emergency stop", "\\end occurred inside a group")


def _unclosed_group(project: Project, edition: str) -> str | None:
    """Where a brace or environment left open in a rendered problem file was opened."""
    from pipeline.texscan import first_unclosed

    for path in sorted(project.sources(edition).glob("problem*.tex")):
        found = first_unclosed(path.read_text(encoding="utf-8"))
        if found:
            line, what = found
            return f"{_template_position(project, edition, path.name, line)}: {what}"
    return None


def _latex_error(project: Project, edition: str, error) -> BuildError:
    """Name the template line a LaTeX error came from, with LaTeX's own message."""
    log = project.relative(error.log)
    origin = f"{edition} edition; full log: {log}"
    if error.file is None:
        return BuildError(f"LaTeX error: {error.message}\n({origin})", EXIT_LATEX)
    rendered = (project.latex_dir / error.file).resolve()
    if rendered.parent == project.sources(edition).resolve() and rendered.is_file():
        if any(sign in error.message for sign in _UNCLOSED_GROUP):
            opened = _unclosed_group(project, edition)
            if opened:
                return BuildError(
                    f"{opened}\n(LaTeX stopped at the end of the file: {error.message}; {origin})", EXIT_LATEX
                )
        where = _template_position(project, edition, rendered.name, error.line)
        return BuildError(
            f"{where}: LaTeX error: {error.message}\n"
            f"(rendered as {project.relative(rendered)}:{error.line}; {origin})",
            EXIT_LATEX,
        )
    return BuildError(
        f"{error.file}:{error.line}: LaTeX error: {error.message}\n(not a template of this project; {origin})",
        EXIT_LATEX,
    )


def _citing_lines(project: Project, kind: str, name: str) -> list[str]:
    """``templates/<file>:<line>`` of every place that cites ``name`` (a label or a key)."""
    if kind == "citation":
        command = r"\\cite\w*\*?(?:\[[^\]]*\]){0,2}"
    elif name.startswith("ext:"):
        command, name = r"\\[eE]xtref", name.removeprefix("ext:")
    elif kind == "label defined twice":
        command = r"\\label"
    else:
        command = r"\\(?:[cC]ref|[cC]pageref|ref|eqref|pageref|autoref|nameref|labelcref|[eE]xtref)\*?"
    pattern = re.compile(command + r"\{[^}]*?(?<![\w:-])" + re.escape(name) + r"(?=[,}\s])")
    places = []
    for path in sorted(project.templates.glob("*.tex")):
        text = path.read_text(encoding="utf-8")
        places += [f"templates/{path.name}:{text.count(chr(10), 0, m.start()) + 1}" for m in pattern.finditer(text)]
    return places


_DANGLING_MEANING = {
    "reference": "refers to a label that no result, section or equation defines",
    "citation": "cites a key that templates/references.bib does not hold",
    "label defined twice": "is a label defined more than once",
    "link": "links to a destination that does not exist",
}


def _refuse_dangling(project: Project, edition: str, log: Path) -> None:
    """Fail with one line per unresolved reference, citation, link or doubled label."""
    from pipeline.latex import dangling_references

    found = dangling_references(log.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return
    lines = []
    for kind, name in found:
        places = _citing_lines(project, kind, name) or ["templates/?"]
        meaning = _DANGLING_MEANING[kind]
        if name.startswith("ext:") and kind == "reference":
            name, meaning = name.removeprefix("ext:"), "is not a label of the extended edition"
        lines.append(f"{', '.join(places)}: '{name}' {meaning}")
    lines.append(f"({edition} edition; full log: {project.relative(log)})")
    raise BuildError("\n".join(lines), EXIT_LATEX)


def _job(project: Project, edition: str, epoch: int):
    from pipeline import latex

    return latex.Job(
        work_dir=project.latex_dir,
        search_dirs=(project.sources(edition), project.figures),
        main=project.sources(edition) / f"{JOBNAMES[edition]}.tex",
        source_date_epoch=epoch,
    )


def _compile(project: Project, edition: str, job, force: bool, progress: Progress) -> None:
    """Compile one edition; recover once from auxiliary files that a cut-short run left corrupt."""
    from pipeline import latex

    name = f"latex {edition}"
    if latex.was_cut_short(job):
        progress.note(f"{name}: its last LaTeX run was cut short; starting it from scratch")
        latex.start_afresh(job)

    def on_pass(number: int, program: str) -> None:
        progress.start(name, f"pass {number}: {program} started")

    for attempt in (1, 2):
        try:
            latex.compile_pdf(job, force=force, verbose=progress.verbose, on_pass=on_pass)
            return
        except latex.LatexError as error:
            if attempt == 2 or not error.from_auxiliary_file:
                raise _latex_error(project, edition, error) from None
            progress.note(f"{name}: LaTeX's auxiliary files are corrupt ({error.message}); starting from scratch")
            latex.start_afresh(job)


def _compile_all(project: Project, jobs: dict, force: dict[str, bool], progress: Progress) -> None:
    """Compile the given editions at the same time; on an interrupt stop every LaTeX run."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline import latex

    pool = ThreadPoolExecutor(max_workers=len(jobs))
    try:
        futures = {
            edition: pool.submit(_compile, project, edition, job, force[edition], progress)
            for edition, job in jobs.items()
        }
        errors = []
        for future in futures.values():
            try:
                future.result()
            except BuildError as error:
                errors.append(error)
        if errors:
            raise BuildError("\n".join(str(e) for e in errors), EXIT_LATEX)
    except BaseException:
        latex.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)


def compile_editions(
    project: Project,
    sources: dict[str, list[str]],
    ledgers: list[Ledger],
    claims_text: str,
    force: bool,
    progress: Progress,
) -> None:
    """Bring both PDFs up to date; install them and ``claims.json`` only when both are complete."""
    started = time.perf_counter()
    epoch = source_date_epoch(project)
    state = (cache.read_json(project.cache / "latex.json") or {}).get("editions", {})
    keys = {e: _latex_key(project, e, sources[e], ledgers, epoch) for e in EDITIONS}
    stale = [
        e
        for e in EDITIONS
        if force or state.get(e, {}).get("key") != keys[e] or cache.file_digest(project.pdf(e)) != state[e].get("pdf")
    ]
    if not stale:
        outputs.install_if_changed(project, project.claims_json, claims_text)
        progress.step("latex", "skipped: sources and figures unchanged", time.perf_counter() - started)
        return
    from pipeline import latex

    missing = latex.missing_programs()
    if missing:
        raise BuildError(f"{', '.join(missing)} not found on PATH; {latex.INSTALL_HINT}", EXIT_TOOLCHAIN)
    jobs = {e: _job(project, e, epoch) for e in EDITIONS}
    # latexmk does not see SOURCE_DATE_EPOCH; a new date must still reach the PDF.
    forced = {e: force or state.get(e, {}).get("epoch") != epoch for e in EDITIONS}
    _compile_all(project, {e: jobs[e] for e in stale}, forced, progress)
    if "extended" in stale and _sync_labels(project):
        keys["submission"] = _latex_key(project, "submission", sources["submission"], ledgers, epoch)
        # Forced: on a first build the labels file did not exist when the
        # submission last ran, so latexmk does not know that it depends on it.
        _compile_all(project, {"submission": jobs["submission"]}, {"submission": True}, progress)
        stale = list(EDITIONS)
    for edition in stale:
        _refuse_dangling(project, edition, jobs[edition].log)
    deliverables = {project.pdf(edition): jobs[edition].pdf.read_bytes() for edition in stale}
    deliverables[project.claims_json] = claims_text
    outputs.install_together(project, deliverables)
    editions = {e: {"key": keys[e], "pdf": cache.file_digest(project.pdf(e)), "epoch": epoch} for e in EDITIONS}
    cache.write_json(project.cache / "latex.json", {"editions": editions})
    reason = "--force" if force else ("sources changed" if state else "no previous build")
    progress.step("latex", f"compiled {' and '.join(stale)}: {reason}", time.perf_counter() - started)
