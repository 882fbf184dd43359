"""The submission's LaTeX source as one zip that compiles on its own.

Course portals, Overleaf and arXiv-style systems take a LaTeX source, not a
Python project.  The bundle holds the rendered submission, its figures, the
bibliography with its ``.bbl`` and the extended edition's labels that its
references to that edition resolve from; ``latexmk -pdf`` or two ``pdflatex``
runs compile it, without Python or shell escape, to the same pages.  It is
byte-reproducible: fixed member dates and order.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from pipeline import outputs
from pipeline.project import EXTERNAL_LABELS, JOBNAMES, Project

README = """\
The LaTeX source of the submission, rendered from the project's templates.

Compile it with `latexmk -pdf solutions.tex`, or with `pdflatex solutions.tex`
run twice.  The figures are in figures/; solutions.bbl holds the typeset
bibliography, so BibTeX is not needed; extended-labels.aux holds the numbers
of the results of the extended edition that the submission refers to.
"""

_GRAPHICS = re.compile(r"\\includegraphics(?:\[[^\]]*\])?\{([^}]+)\}")


def _members(project: Project) -> dict[str, bytes]:
    """Bundle path -> bytes."""
    sources = project.sources("submission")
    members = {"README.txt": README.encode()}
    for path in sorted(sources.iterdir()):
        members[path.name] = path.read_bytes()
        if path.suffix == ".tex":
            for figure in _GRAPHICS.findall(path.read_text(encoding="utf-8")):
                name = Path(figure).name if Path(figure).suffix else f"{Path(figure).name}.pdf"
                members[f"figures/{name}"] = (project.figures / name).read_bytes()
    jobname = JOBNAMES["submission"]
    members[f"{jobname}.bbl"] = (project.latex_dir / f"{jobname}.bbl").read_bytes()
    members[f"{EXTERNAL_LABELS}.aux"] = (project.latex_dir / f"{EXTERNAL_LABELS}.aux").read_bytes()
    return members


def write_source_bundle(project: Project, epoch: int) -> str:
    """Write ``solutions/submission-source.zip``; return a one-line outcome."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buffer = io.BytesIO()
    members = _members(project)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, members[name])
    outputs.install(project, project.source_bundle, buffer.getvalue())
    return f"wrote {project.relative(project.source_bundle)} ({len(members)} files)"
