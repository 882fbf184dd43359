"""Step 3: render the templates into LaTeX sources, unless their inputs are unchanged.

The rendered sources depend on the templates, the ledgers, the author and the
code that shapes the LaTeX (:data:`RENDER_MODULES`); their content hash decides
whether rendering can be skipped.  Jinja is imported only when it cannot.
"""

from __future__ import annotations

import json
import time
import traceback
from pathlib import Path

from generator.ledger import Ledger
from pipeline import cache
from pipeline.errors import EXIT_TEMPLATE, BuildError
from pipeline.progress import Progress
from pipeline.project import Project

BIBLIOGRAPHY = "references.bib"

RENDER_MODULES = (
    "pipeline/render.py",
    "pipeline/escape.py",
    "pipeline/appendix.py",
    "generator/ledger.py",
    "generator/layout.py",
)
"""Code that shapes the rendered LaTeX: a change to it re-renders."""


def _template_error(project: Project, error: Exception) -> BuildError:
    """One paragraph naming the template file and line of a Jinja error."""
    import jinja2

    file, line = None, None
    if isinstance(error, jinja2.TemplateSyntaxError):
        file, line = error.filename, error.lineno
    else:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if Path(frame.filename).resolve().is_relative_to(project.templates):
                file, line = frame.filename, frame.lineno
                break
    where = f"{project.relative(Path(file))}:{line}: " if file else ""
    message = getattr(error, "message", None) or str(error)
    return BuildError(f"{where}template error: {message}", EXIT_TEMPLATE)


def _render_key(project: Project, ledgers: list[Ledger], author: str) -> str:
    chunks = [author.encode(), json.dumps([led.to_json() for led in ledgers]).encode()]
    for path in sorted(project.templates.iterdir()):
        chunks += [path.name.encode(), path.read_bytes()]
    for module in RENDER_MODULES:
        chunks.append((project.root / module).read_bytes())
    return cache.digest_bytes(*chunks)


def _appendix(project: Project, ledgers: list[Ledger]) -> str:
    """The claims table; rebuilt only when the claims or its own code change."""
    key = cache.digest_bytes(
        json.dumps([led.to_json() for led in ledgers]).encode(),
        (project.root / "pipeline" / "appendix.py").read_bytes(),
    )
    stored = cache.read_json(project.cache / "appendix.json") or {}
    if stored.get("key") == key:
        return stored["latex"]
    from pipeline.appendix import claims_table

    latex = claims_table(ledgers)
    cache.write_json(project.cache / "appendix.json", {"key": key, "latex": latex})
    return latex


def render_sources(
    project: Project, ledgers: list[Ledger], author: str, force: bool, progress: Progress
) -> list[str]:
    """Render the templates into solutions/ unless their inputs are unchanged.

    Returns the names of the files in solutions/ that LaTeX reads.
    """
    started = time.perf_counter()
    key = _render_key(project, ledgers, author)
    state_file = project.cache / "render.json"
    state = cache.read_json(state_file) or {}
    outputs = state.get("outputs", {})
    if (
        not force
        and state.get("key") == key
        and all(cache.file_digest(project.solutions / name) == digest for name, digest in outputs.items())
    ):
        progress.step("render", "skipped: templates and claims unchanged", time.perf_counter() - started)
        return sorted(outputs)

    import jinja2

    from pipeline.render import render

    try:
        rendered = render(project.templates, ledgers, author, _appendix(project, ledgers), project.cache / "jinja")
    except (jinja2.TemplateError, TypeError) as error:
        raise _template_error(project, error) from None
    except UnicodeDecodeError as error:
        raise BuildError(f"a template is not valid UTF-8: {error}", EXIT_TEMPLATE) from None
    files = dict(rendered.files)
    files[BIBLIOGRAPHY] = (project.templates / BIBLIOGRAPHY).read_text(encoding="utf-8")
    changed = [name for name, text in files.items() if cache.write_if_changed(project.solutions / name, text)]
    cache.write_json(
        state_file,
        {"key": key, "outputs": {name: cache.file_digest(project.solutions / name) for name in files}},
    )
    outcome = f"wrote {', '.join(changed)}" if changed else "unchanged output"
    if len(outcome) > 52:
        outcome = f"wrote {len(changed)} files"
    progress.step("render", outcome, time.perf_counter() - started)
    return sorted(files)
