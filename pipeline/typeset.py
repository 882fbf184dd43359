"""Step 3: render the templates into the LaTeX sources of both editions, unless nothing changed.

The rendered sources depend on the templates, the ledgers, the student's
details and the code that shapes the LaTeX (:data:`RENDER_MODULES`); their
content hash decides whether rendering can be skipped.  Jinja is imported
only when it cannot.  The sources go to ``build/tex/<edition>/``.
"""

from __future__ import annotations

import json
import re
import time
import traceback
from pathlib import Path

from generator.ledger import Ledger
from pipeline import cache
from pipeline.errors import EXIT_TEMPLATE, BuildError
from pipeline.progress import Progress
from pipeline.project import EDITIONS, JOBNAMES, MAIN_TEMPLATE, Project
from pipeline.settings import Student

BIBLIOGRAPHY = "references.bib"

RENDER_MODULES = (
    "pipeline/render.py",
    "pipeline/escape.py",
    "pipeline/appendix.py",
    "pipeline/settings.py",
    "generator/ledger.py",
    "generator/layout.py",
)
"""Code that shapes the rendered LaTeX: a change to it re-renders."""

TEMPLATE_VARIABLES = ("c", "p", "f", "edition", "submission", "extended")
"""What a problem template may use (for "did you mean" when it names something else)."""


def _where(project: Project, error: Exception) -> tuple[Path | None, int | None]:
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Path(error.filename), error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve().is_relative_to(project.templates):
            return Path(frame.filename), frame.lineno
    return None, None


def _template_error(project: Project, error: Exception) -> BuildError:
    """One paragraph naming the template file and line of a Jinja error."""
    from pipeline.render import did_you_mean, unclosed_block

    file, line = _where(project, error)
    message = getattr(error, "message", None) or str(error)
    if file is not None and "Unexpected end of template" in message:
        opened = unclosed_block(file.read_text(encoding="utf-8"))
        if opened:
            line, keyword = opened
            message = f"\\BLOCK{{{keyword} ...}} is never closed (no \\BLOCK{{end{keyword}}} before the end of the file)"
    undefined = re.fullmatch(r"'(\w+)' is undefined", message)
    if undefined:
        message += did_you_mean(undefined.group(1), TEMPLATE_VARIABLES)
    where = f"{project.relative(file)}:{line}: " if file else ""
    return BuildError(f"{where}template error: {message}", EXIT_TEMPLATE)


def _render_key(project: Project, ledgers: list[Ledger], student: Student) -> str:
    chunks = [student.key().encode(), json.dumps([led.to_json() for led in ledgers]).encode()]
    for path in sorted(project.templates.iterdir()):
        chunks += [path.name.encode(), path.read_bytes()]
    for module in RENDER_MODULES:
        chunks.append((project.root / module).read_bytes())
    chunks.append(cache.file_digest(project.mutation_results).encode())
    return cache.digest_bytes(*chunks)


def _appendix(project: Project, ledgers: list[Ledger]) -> str:
    """The claims table; rebuilt only when the claims, the mutation results or its own code change."""
    mutation = cache.read_json(project.mutation_results)
    key = cache.digest_bytes(
        json.dumps([led.to_json() for led in ledgers]).encode(),
        json.dumps(mutation).encode(),
        (project.root / "pipeline" / "appendix.py").read_bytes(),
    )
    stored = cache.read_json(project.cache / "appendix.json") or {}
    if stored.get("key") == key:
        return stored["latex"]
    from pipeline.appendix import claims_table

    latex = claims_table(ledgers, mutation)
    cache.write_json(project.cache / "appendix.json", {"key": key, "latex": latex})
    return latex


def _up_to_date(project: Project, state: dict, key: str) -> bool:
    outputs = state.get("outputs", {})
    return state.get("key") == key and bool(outputs) and all(
        cache.file_digest(project.sources(edition) / name) == digest
        for edition, files in outputs.items()
        for name, digest in files.items()
    )


def _render_edition(project: Project, ledgers: list[Ledger], student: Student, edition: str) -> dict[str, str]:
    """The files of one edition: rendered templates (main file renamed) and the bibliography."""
    import jinja2

    from pipeline.render import render

    appendix = _appendix(project, ledgers) if edition == "extended" else ""
    try:
        rendered = render(project.templates, ledgers, student, appendix, edition, project.cache / "jinja")
    except (jinja2.TemplateError, TypeError) as error:
        raise _template_error(project, error) from None
    except UnicodeDecodeError as error:
        raise BuildError(f"a template is not valid UTF-8: {error}", EXIT_TEMPLATE) from None
    files = dict(rendered.files)
    files[f"{JOBNAMES[edition]}.tex"] = files.pop(MAIN_TEMPLATE)
    files[BIBLIOGRAPHY] = (project.templates / BIBLIOGRAPHY).read_text(encoding="utf-8")
    return files


def render_sources(
    project: Project, ledgers: list[Ledger], student: Student, force: bool, progress: Progress
) -> dict[str, list[str]]:
    """Render both editions into ``build/tex/`` unless their inputs are unchanged.

    Returns, per edition, the names of the files LaTeX reads.
    """
    started = time.perf_counter()
    key = _render_key(project, ledgers, student)
    state_file = project.cache / "render.json"
    state = cache.read_json(state_file) or {}
    if not force and _up_to_date(project, state, key):
        progress.step("render", "skipped: templates and claims unchanged", time.perf_counter() - started)
        return {edition: sorted(files) for edition, files in state["outputs"].items()}
    written, digests = 0, {}
    for edition in EDITIONS:
        files = _render_edition(project, ledgers, student, edition)
        folder = project.sources(edition)
        written += sum(cache.write_if_changed(folder / name, text) for name, text in files.items())
        for stale in folder.glob("*.tex"):  # a template that was removed, or is now the other edition's only
            if stale.name not in files:
                stale.unlink()
        digests[edition] = {name: cache.file_digest(folder / name) for name in files}
    cache.write_json(state_file, {"key": key, "outputs": digests})
    outcome = f"wrote {written} files" if written else "unchanged output"
    progress.step("render", f"{outcome} (both editions)", time.perf_counter() - started)
    return {edition: sorted(files) for edition, files in digests.items()}
