"""Compile the rendered document with latexmk, sandboxed and reproducibly.

pdflatex runs in the build folder (``build/latex``) with shell escape off and
``openout_any=p``, so it cannot write anywhere but there; the rendered sources
and the figures are found through ``TEXINPUTS``.  ``SOURCE_DATE_EPOCH`` with
``FORCE_SOURCE_DATE=1`` fixes every date pdfTeX would write, and the preamble
sets ``\\pdftrailerid{}``, so equal inputs give byte-identical PDFs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = ("latexmk", "pdflatex", "bibtex")

INSTALL_HINT = (
    "install TeX Live: on Debian/Ubuntu run 'sudo apt-get install latexmk texlive-latex-base "
    "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-science "
    "lmodern' (or run 'make pdf', which does it when run as root); elsewhere see "
    "https://tug.org/texlive/"
)

_FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|bbl|aux)):(?P<line>\d+): (?P<message>.*)$")


class LatexError(Exception):
    """pdflatex stopped; carries the file, line and LaTeX's one-line message."""

    def __init__(self, file: str | None, line: int | None, message: str, log: Path):
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message
        self.log = log


def missing_programs() -> list[str]:
    """The LaTeX programs the build needs that are not on ``PATH``."""
    return [name for name in PROGRAMS if shutil.which(name) is None]


def first_error(log_text: str) -> tuple[str | None, int | None, str]:
    """The first error in a pdfTeX log run with ``-file-line-error``.

    Returns ``(file, line, message)``; ``file`` and ``line`` are None when the
    error names no source line (a missing package, say).  The message is
    LaTeX's own first line, with the offending input (``l.57 \\foo``) appended
    when the log shows it.
    """
    lines = log_text.splitlines()
    for index, text in enumerate(lines):
        match = _FILE_LINE_ERROR.match(text)
        bang = text.startswith("! ")
        if not (match or bang):
            continue
        message = match.group("message") if match else text[2:]
        context = next(
            (later.strip() for later in lines[index + 1 : index + 12] if later.startswith("l.")),
            "",
        )
        if context:
            message = f"{message.strip()} (at '{context}')"
        if match:
            return match.group("file"), int(match.group("line")), message.strip()
        return None, None, message.strip()
    return None, None, "pdflatex failed without an error message in its log"


@dataclass(frozen=True)
class Job:
    """Where a compilation reads and writes."""

    work_dir: Path
    """Build folder: the only place pdflatex may write."""
    search_dirs: tuple[Path, ...]
    """Folders searched for ``\\input``, figures and the bibliography."""
    main: Path
    """The rendered main file, e.g. ``solutions/solutions.tex``."""
    source_date_epoch: int

    @property
    def pdf(self) -> Path:
        return self.work_dir / f"{self.main.stem}.pdf"

    @property
    def log(self) -> Path:
        return self.work_dir / f"{self.main.stem}.log"


def _environment(job: Job) -> dict[str, str]:
    search = os.pathsep.join(os.path.relpath(d, job.work_dir) for d in job.search_dirs)
    env = dict(os.environ)
    env.update(
        TEXINPUTS=search + os.pathsep,
        BIBINPUTS=search + os.pathsep,
        openout_any="p",
        shell_escape="f",
        SOURCE_DATE_EPOCH=str(job.source_date_epoch),
        FORCE_SOURCE_DATE="1",
        max_print_line="1000",
    )
    return env


def compile_pdf(job: Job, force: bool = False, verbose: bool = False) -> subprocess.CompletedProcess:
    """Run latexmk on ``job``; raise :class:`LatexError` if pdflatex fails.

    ``force`` makes latexmk run pdflatex even if it finds nothing changed
    (``-g``); LaTeX's own auxiliary files are kept, so a forced build needs no
    more passes than the document's cross-references require.
    """
    job.work_dir.mkdir(parents=True, exist_ok=True)
    command = [
        "latexmk",
        "-pdf",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
        "-no-shell-escape",
        "-silent" if not verbose else "-verbose",
        *(["-g"] if force else []),
        os.path.relpath(job.main, job.work_dir),
    ]
    output = None if verbose else subprocess.PIPE
    # A session of its own, so that on Ctrl-C the whole latexmk/pdflatex tree is
    # stopped before the build exits, not left writing into the build folder.
    process = subprocess.Popen(
        command,
        cwd=job.work_dir,
        env=_environment(job),
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, _ = process.communicate()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    result = subprocess.CompletedProcess(command, process.returncode, stdout, "")
    if result.returncode != 0 or not job.pdf.is_file():
        try:
            log_text = job.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            log_text = (result.stdout or "") + (result.stderr or "")
        file, line, message = first_error(log_text)
        raise LatexError(file, line, message, job.log)
    return result
